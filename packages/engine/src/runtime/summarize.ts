import type { CompiledSpace } from '../domain/compile-space.js';
import { toExternalParams } from '../domain/params.js';
import { bestTrial, type Direction, type Trial } from '../domain/trial.js';
import type { StudySummary } from '../events/engine-event.js';

/** Failure codes of a trial its run left unfinished (a signal, or a worker gone), not one its objective failed. */
const UNFINISHED: ReadonlySet<string> = new Set(['INTERRUPTED', 'STALE_TRIAL']);

/** Whether a trial failed cut short (a stopped run, a lost worker), not by its objective: see `StudySummary.unfinished`. */
export const cutShort = (trial: Trial): boolean => trial.state === 'failed' && UNFINISHED.has(trial.error.code);

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
