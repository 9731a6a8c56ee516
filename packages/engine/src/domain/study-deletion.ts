import type { StudyDeletion, StudyDeletionOptions } from '../contracts/store.js';
import type { StudyRecord } from './study.js';
import type { RunningTrial, Trial, TrialState } from './trial.js';

/** How many of `trials` are in each state. */
export const countByState = (trials: Iterable<Pick<Trial, 'state'>>): Record<TrialState, number> => {
  const counts: Record<TrialState, number> = { complete: 0, pruned: 0, failed: 0, running: 0 };
  for (const { state } of trials) counts[state] += 1;
  return counts;
};

/**
 * What a store's `deleteStudy` answers for `study`, given its counts by state, its running trials and how many
 * enqueued entries it holds (waiting, taken or removed): the running trials `options.blocks` picks block the
 * deletion, and with `options.onlyEmpty` a trial or an entry does (the store then deletes nothing). For stores:
 * decide under the same lock or in the same transaction as the deletion, and delete only when
 * {@link deletionGoesOn}.
 */
export const studyDeletion = (
  study: StudyRecord,
  trials: Readonly<Record<TrialState, number>>,
  running: readonly RunningTrial[],
  options: StudyDeletionOptions = {},
  entries = 0,
): StudyDeletion => {
  const { blocks, onlyEmpty } = options;
  const held = entries > 0 || Object.values(trials).some((count) => count > 0);
  return {
    study,
    trials,
    blocking: blocks === undefined ? [] : running.filter((trial) => blocks(trial)),
    ...(onlyEmpty === true && held ? { notEmpty: true } : {}),
  };
};

/** Whether a {@link studyDeletion} answer lets the deletion go on: no running trial blocks it, and it is not kept as not empty. */
export const deletionGoesOn = (deletion: StudyDeletion): boolean =>
  deletion.blocking.length === 0 && deletion.notEmpty !== true;
