import type { CompiledSpace } from '../domain/compile-space.js';
import { toExternalParams } from '../domain/params.js';
import { bestTrial, type Direction, type Trial } from '../domain/trial.js';
import type { StudySummary } from '../events/engine-event.js';

/** Failure codes of a trial its run left unfinished (a signal, or a worker gone), not one its objective failed. */
const UNFINISHED: ReadonlySet<string> = new Set(['INTERRUPTED', 'STALE_TRIAL']);

/** Whether a trial failed cut short (a stopped run, a lost worker), not by its objective: see `StudySummary.unfinished`. */
export const cutShort = (trial: Trial): boolean => trial.state === 'failed' && UNFINISHED.has(trial.error.code);

/** Why trials fail cut short, in the words every summary of them uses (the run's, the report's). */
export const CUT_SHORT_CAUSES = 'a stopped run, a lost worker or an interrupted trial';

/**
 * What follows "N failed" when `cut` of the `failed` trials were cut short: ` (2 of them cut short: a stopped run,
 * …)`, ` (all of them cut short: …)`, ` (cut short: …)` for the one failed trial, and nothing when none was.
 */
export const cutShortNote = (cut: number, failed: number): string =>
  cut === 0
    ? ''
    : ` (${cut === failed ? (cut === 1 ? '' : 'all of them ') : `${cut} of them `}cut short: ${CUT_SHORT_CAUSES})`;

/** Counts by state and the best complete trial with the params the objective saw. */
export const summarize = (
  study: string,
  direction: Direction,
  space: CompiledSpace,
  trials: readonly Trial[],
): StudySummary => {
  const count = (state: Trial['state']) => trials.filter((trial) => trial.state === state).length;
  const best = bestTrial(trials, direction);
  return {
    study,
    direction,
    complete: count('complete'),
    failed: count('failed'),
    unfinished: trials.filter(cutShort).length,
    pruned: count('pruned'),
    running: count('running'),
    best,
    bestParams: best === undefined ? undefined : toExternalParams(space, best.internal),
  };
};
