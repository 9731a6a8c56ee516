import type { PruneContext, RunningTrial, Trial } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { createMedianPruner } from './percentile.js';

const complete = (number: number, values: number[], study = 's'): Trial => ({
  study,
  number,
  state: 'complete',
  loss: values.at(-1) as number,
  internal: {},
  startedAt: '',
  finishedAt: '',
  intermediate: values.map((value, step) => ({ step, value })),
});
const running = (number: number, values: number[]): RunningTrial => ({
  study: 's',
  number,
  state: 'running',
  internal: {},
  startedAt: '',
  intermediate: values.map((value, step) => ({ step, value })),
});
const ctx = (trials: Trial[], trial: RunningTrial, study = 's'): PruneContext => ({
  study,
  direction: 'minimize',
  trial,
  step: trial.intermediate?.at(-1)?.step as number,
  trials,
});

describe('the median pruner kept between reports gives the answers of a fresh one (review 77)', () => {
  it('A: the same array given again with a new complete trial (a host that keeps one array)', () => {
    const kept = createMedianPruner({ startupTrials: 1 });
    const trials: Trial[] = [complete(0, [10, 9]), complete(1, [10, 9])];
    const me = running(3, [5]);
    trials.push(me);
    expect(kept.shouldPrune(ctx(trials, me))).toBe(false); // 5 < median 10
    // Trial 2 completes: the host puts it into the same array.
    trials.splice(2, 0, complete(2, [1, 1]), complete(4, [1, 1]), complete(5, [1, 1]));
    const fresh = createMedianPruner({ startupTrials: 1 }).shouldPrune(ctx(trials, me));
    expect(fresh).toBe(true); // median now 1
    expect(kept.shouldPrune(ctx(trials, me))).toBe(fresh);
  });

  it('B: reused on a study of the same name whose complete trials end alike', () => {
    const kept = createMedianPruner({ startupTrials: 1 });
    const me = running(3, [5]);
    // Study in store 1: values 10 at step 0, 1 at the last step.
    const first: Trial[] = [0, 1, 2].map((n) => complete(n, [10, 1]));
    expect(kept.shouldPrune(ctx([...first, me], me))).toBe(false);
    // Same name, another store: the same losses and last values, different step-0 values.
    const second: Trial[] = [0, 1, 2].map((n) => complete(n, [0, 1]));
    const fresh = createMedianPruner({ startupTrials: 1 }).shouldPrune(ctx([...second, me], me));
    expect(fresh).toBe(true);
    expect(kept.shouldPrune(ctx([...second, me], me))).toBe(fresh);
  });

  it('C: the same array with a running trial replaced in place by its finished self (review 78)', () => {
    const kept = createMedianPruner({ startupTrials: 1 });
    const me = running(9, [5]);
    const trials: Trial[] = [complete(0, [10, 9]), running(1, [1]), running(2, [1]), me];
    expect(kept.shouldPrune(ctx(trials, me))).toBe(false); // 5 < the median 10 of the one complete trial
    trials[1] = complete(1, [1, 1]);
    trials[2] = complete(2, [1, 1]);
    const fresh = createMedianPruner({ startupTrials: 1 }).shouldPrune(ctx(trials, me));
    expect(fresh).toBe(true); // the median at step 0 is now 1
    expect(kept.shouldPrune(ctx(trials, me))).toBe(fresh);
  });
});
