import type { LoadedExperiment, Trial } from '@parzen/engine';
import { checkEnqueued } from '@parzen/engine/host';
import { activeParamNames, type ParamAssignment, type TakenEntry } from '@parzen/engine/plugin';

/** Codes of trials that ended without running their params: an entry they took waits again. */
const UNRUN = new Set(['INTERRUPTED', 'STALE_TRIAL']);

/** What {@link configEntries} finds of a config's `enqueue` list. */
export interface ConfigEntries {
  /** The config's entries no trial has run yet, which a run queues first (after those waiting in the store). */
  readonly unrun: readonly ParamAssignment[];
  /** Partial entries a trial's values match (`trial`, the first): run, or never queued; the store alone knows. */
  readonly uncertain: readonly { readonly entry: ParamAssignment; readonly trial: number }[];
}

/**
 * The config's enqueue entries as the next run takes them, from the study's trials and (when the store lists them)
 * the entries its trials ran: those no trial ran yet, and partial ones whose running the trials' values cannot tell.
 */
export const configEntries = (
  experiment: LoadedExperiment,
  trials: readonly Trial[],
  taken: readonly TakenEntry[] | undefined,
): ConfigEntries => {
  const { config } = experiment;
  // The config's entries no trial has run yet (by their values: a trial that ended unrun did not run one),
  // which a run queues first.
  const entries = config.enqueue === undefined ? [] : checkEnqueued(experiment.space, config.enqueue).params;
  // The first trial that ran with an entry's values (not one that ended unrun).
  const withValues = (entry: ParamAssignment) =>
    trials.find(
      (trial) =>
        !(trial.state === 'failed' && UNRUN.has(trial.error.code)) &&
        Object.keys(entry).every((name) => trial.internal[name] === entry[name]),
    );
  // The store that lists the entries its trials ran says which ran (review 118: its values were still guessed at).
  const ranEntry = (entry: ParamAssignment) =>
    taken !== undefined
      ? taken.some(
          ({ internal }) =>
            Object.keys(internal).length === Object.keys(entry).length &&
            Object.keys(entry).every((name) => internal[name] === entry[name]),
        )
      : withValues(entry) !== undefined;
  // An entry that names every parameter active with its values is that trial; a partial one a trial's values
  // match may still be new to the store (review 62: added after trials had its values, it ran next).
  const whole = (entry: ParamAssignment) => activeParamNames(experiment.space, entry).every((name) => name in entry);
  return {
    unrun: entries.filter((entry) => !ranEntry(entry)),
    uncertain: entries
      .filter((entry) => taken === undefined && ranEntry(entry) && !whole(entry))
      .map((entry) => ({ entry, trial: withValues(entry)?.number as number })),
  };
};
