import type { CompiledSpace } from '../domain/compile-space.js';
import { toExternalParams } from '../domain/params.js';
import { bestTrial, type Direction, type Trial } from '../domain/trial.js';
import type { StudySummary } from '../events/engine-event.js';

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
    pruned: count('pruned'),
    running: count('running'),
    best,
    bestParams: best === undefined ? undefined : toExternalParams(space, best.internal),
  };
};
