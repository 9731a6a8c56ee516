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
 * What a store's `deleteStudy` answers for `study`, given its counts by state and its running trials: the running
 * trials `options.blocks` picks block the deletion (the store then deletes nothing). For stores: decide under the
 * same lock or in the same transaction as the deletion.
 */
export const studyDeletion = (
  study: StudyRecord,
  trials: Readonly<Record<TrialState, number>>,
  running: readonly RunningTrial[],
  options: StudyDeletionOptions = {},
): StudyDeletion => {
  const { blocks } = options;
  return { study, trials, blocking: blocks === undefined ? [] : running.filter((trial) => blocks(trial)) };
};
