import type { Direction, PruneContext, Pruner, RunningTrial, Trial } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { createHyperbandPruner } from './hyperband.js';
import { createMedianPruner, createPercentilePruner } from './percentile.js';
import { createSuccessiveHalvingPruner, estimateMinResource } from './successive-halving.js';
import { createThresholdPruner } from './threshold.js';

type Curve = readonly (readonly [step: number, value: number])[];

const points = (curve: Curve) => curve.map(([step, value]) => ({ step, value }));

const complete = (number: number, curve: Curve): Trial => ({
  study: 's',
  number,
  state: 'complete',
  loss: (curve.at(-1) as readonly [number, number])[1],
  internal: {},
  startedAt: '',
  finishedAt: '',
  intermediate: points(curve),
});

/** The context of running trial `number` whose curve so far is `curve`, next to the `finished` trials. */
const judged = (finished: readonly Trial[], number: number, curve: Curve, direction: Direction = 'minimize') => {
  const trial: RunningTrial = {
    study: 's',
    number,
    state: 'running',
    internal: {},
    startedAt: '',
    intermediate: points(curve),
  };
  const context: PruneContext = {
    study: 's',
    direction,
    trial,
    step: (curve.at(-1) as readonly [number, number])[0],
    trials: [...finished, trial],
  };
  return context;
};

describe('percentile and median: only a trial strictly worse than the percentile is pruned (as Optuna)', () => {
  // The complete trials' values at step 1 are 1, 2 and 3: the median is 2.
  const finished = [1, 2, 3].map((value, number) => complete(number, [[1, value]]));
  const median = createMedianPruner({ startupTrials: 1 });

  it('minimize: a best value equal to the median goes on, one just above it is pruned', () => {
    expect(median.shouldPrune(judged(finished, 3, [[1, 2]]))).toBe(false);
    expect(median.shouldPrune(judged(finished, 3, [[1, 2.001]]))).toBe(true);
    expect(median.shouldPrune(judged(finished, 3, [[1, 1.999]]))).toBe(false);
  });

  it('maximize: a best value equal to the median goes on, one just below it is pruned', () => {
    expect(median.shouldPrune(judged(finished, 3, [[1, 2]], 'maximize'))).toBe(false);
    expect(median.shouldPrune(judged(finished, 3, [[1, 1.999]], 'maximize'))).toBe(true);
  });

  it('the 25th percentile (1.5 of 1, 2, 3): equal goes on, worse is pruned', () => {
    const pruner = createPercentilePruner({ percentile: 25, startupTrials: 1 });
    expect(pruner.shouldPrune(judged(finished, 3, [[1, 1.5]]))).toBe(false);
    expect(pruner.shouldPrune(judged(finished, 3, [[1, 1.6]]))).toBe(true);
  });
});

describe('a trial that reports every batch', () => {
  it('is judged on its 150,000 values (their best found by a loop: Math.min(...values) overflowed the stack)', () => {
    const finished = [1, 2, 3].map((value, number) => complete(number, [[149_999, value]]));
    const median = createMedianPruner({ startupTrials: 1 });
    const curve = (last: number): Curve => Array.from({ length: 150_000 }, (_, step) => [step, step === 7 ? last : 5]);
    expect(median.shouldPrune(judged(finished, 3, curve(1)))).toBe(false);
    expect(median.shouldPrune(judged(finished, 3, curve(4)))).toBe(true);
  });
});

describe('percentile: minTrials', () => {
  const pruner = createPercentilePruner({ percentile: 50, startupTrials: 1, minTrials: 3 });
  const terrible: Curve = [[1, 100]];

  it('judges nobody until that many complete trials reported at the step', () => {
    // Three complete trials, but only two of them reached step 1.
    const finished = [complete(0, [[1, 1]]), complete(1, [[1, 2]]), complete(2, [[0, 3]])];
    expect(pruner.shouldPrune(judged(finished, 3, terrible))).toBe(false);
    // The same with the third reaching step 1: judged, and pruned.
    const three = [...finished.slice(0, 2), complete(2, [[1, 3]])];
    expect(pruner.shouldPrune(judged(three, 3, terrible))).toBe(true);
  });
});

describe('threshold: a value exactly at a bound is inside (as Optuna’s strict comparisons)', () => {
  it('prunes above `upper` and below `lower`, not at them', () => {
    const pruner = createThresholdPruner({ lower: 0, upper: 1 });
    const at = (value: number) => pruner.shouldPrune(judged([], 0, [[0, value]]));
    expect(at(1)).toBe(false);
    expect(at(0)).toBe(false);
    expect(at(1.001)).toBe(true);
    expect(at(-0.001)).toBe(true);
  });
});

describe('automatic resources', () => {
  it('successive halving: minResource "auto" is the highest complete step / 100 rounded down, at least 1', () => {
    const highest = (step: number) => estimateMinResource([complete(0, [[step, 1]])]);
    expect(highest(150)).toBe(1);
    expect(highest(199)).toBe(1);
    expect(highest(250)).toBe(2);
    expect(highest(99)).toBe(1);
    expect(highest(0)).toBe(1);
    expect(estimateMinResource([])).toBeUndefined();
  });

  it('hyperband: maxResource "auto" is the highest complete step + 1 (step 80: R = 81 = 3⁴, five brackets)', () => {
    // A complete trial whose last step is 80, then running trials judged at every step of their curves.
    const finished = [
      complete(
        0,
        Array.from({ length: 81 }, (_, step) => [step, 1 / (step + 1)] as const),
      ),
    ];
    const contexts: PruneContext[] = [];
    for (let number = 1; number < 60; number++) {
      const curve: [number, number][] = [];
      for (let step = 0; step <= 30; step++) {
        curve.push([step, ((number * 37) % 11) / 10 + 1 / (step + 1)]);
        contexts.push(judged(finished, number, [...curve]));
      }
    }
    const decisions = (pruner: Pruner) => contexts.map((context) => pruner.shouldPrune(context));
    const auto = decisions(createHyperbandPruner({ maxResource: 'auto' }));
    expect(auto).toContain(true);
    expect(auto).toEqual(decisions(createHyperbandPruner({ maxResource: 81 })));
    // R = 80 has four brackets: other trials land in other brackets, so some decisions differ.
    expect(auto).not.toEqual(decisions(createHyperbandPruner({ maxResource: 80 })));
  });
});

describe('successive halving: a pruned trial whose last report crossed several rungs', () => {
  const pruned = (number: number, curve: Curve): Trial => ({
    study: 's',
    number,
    state: 'pruned',
    loss: (curve.at(-1) as readonly [number, number])[1],
    internal: {},
    startedAt: '',
    finishedAt: '',
    intermediate: points(curve),
  });
  it('counts at the lowest of them only, as Optuna records it (review 46: it counted at every one)', () => {
    // Rungs at steps 1, 2, 4 (r = 1, η = 2). #1 and #2 jumped from step 0 to 2 and were pruned at rung 1.
    const finished = [
      complete(0, [
        [0, 0],
        [1, 0],
        [2, 0],
      ]),
      pruned(1, [
        [0, 0],
        [2, 5],
      ]),
      pruned(2, [
        [0, 0],
        [2, 5],
      ]),
    ];
    const pruner = createSuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    // At rung 2 #3 meets #0 alone (0 and 1): not in the top half, pruned; with #1 and #2's 5s it was kept.
    const context = judged(finished, 3, [
      [0, 0],
      [1, 0],
      [2, 1],
    ]);
    expect(pruner.shouldPrune(context)).toBe(true);
  });
});

describe('the median pruner kept from report to report (trial 71: a pass and a sort over the study per report)', () => {
  it('decides as a fresh pruner does as the study grows, and when reused on another study', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const curveOf = (length: number): Curve =>
      Array.from({ length }, (_, step) => [step, 1 + random() * 3 - step * 0.1] as const);
    const kept = createMedianPruner({ startupTrials: 2 });
    for (const study of ['a', 'b']) {
      const finished: Trial[] = [];
      for (let number = 0; number < 40; number++) {
        const curve = curveOf(1 + Math.floor(random() * 6));
        for (let step = 1; step <= curve.length; step++) {
          const context = { ...judged(finished, number, curve.slice(0, step)), study };
          const fresh = createMedianPruner({ startupTrials: 2 }).shouldPrune(context);
          expect(kept.shouldPrune(context), `${study} #${number} step ${step - 1}`).toBe(fresh);
        }
        finished.push({ ...complete(number, curve), study });
      }
    }
  });
});

describe('hyperband with maxResource "auto" below minResource', () => {
  it('prunes nothing until a complete trial reaches minResource, as Optuna (no bracket fits: review 131)', () => {
    // #0 completed at step 2 (R = 3 < r = 4); #1 and #2, still running, did well at step 4, #3 badly.
    const running = (number: number, value: number): RunningTrial => ({
      study: 's',
      number,
      state: 'running',
      internal: {},
      startedAt: '',
      intermediate: points([
        [0, value],
        [4, value],
      ]),
    });
    const short = complete(0, [
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
    const others = [short, running(1, 0), running(2, 0), running(4, 0), running(5, 0)];
    const context = judged(others, 3, [
      [0, 9],
      [4, 9],
    ]);
    const pruner = createHyperbandPruner({ minResource: 4 });
    expect(pruner.shouldPrune(context)).toBe(false);
    // Once a complete trial reached step 11 (R = 12: one bracket, its rung at 4), #3 is judged there, and pruned.
    const long = complete(
      6,
      Array.from({ length: 12 }, (_, step) => [step, 0] as const),
    );
    expect(pruner.shouldPrune({ ...context, trials: [long, ...context.trials] })).toBe(true);
  });
});

describe('a report out of order: the built-ins judge the highest step reported, not context.step', () => {
  it('threshold after step 5 then step 3 judges step 5 (past its warm-up), as Optuna’s last_step', () => {
    const pruner = createThresholdPruner({ upper: 10, warmupSteps: 4 });
    const context = judged([], 0, [
      [3, 1],
      [5, 1e9],
    ]);
    // The step just reported is 3 (inside the warm-up); the curve's highest step is 5 and its value is too high.
    expect(pruner.shouldPrune({ ...context, step: 3 })).toBe(true);
  });
});
