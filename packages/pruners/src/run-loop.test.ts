import { type EngineEvent, fmin, type ObjectiveFunction, type Trial } from '@parzen/engine';
import { type Suggester, sampleDistribution } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { createHyperbandPruner } from './hyperband.js';
import { createMedianPruner } from './percentile.js';
import { createSuccessiveHalvingPruner } from './successive-halving.js';

const priorSuggester: Suggester = {
  name: 'prior',
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
};

const STEPS = 20;
const space = { x: { type: 'uniform', low: 0, high: 1 } } as const;

/** A training loop: the loss at each epoch decays towards x; it stops when the pruner says so. */
const training: ObjectiveFunction<{ x: number }> = async ({ x }, context) => {
  let loss = Number.NaN;
  for (let step = 0; step < STEPS; step++) {
    loss = x + Math.exp(-step / 4);
    await context.report(step, loss);
    if (context.shouldPrune()) break;
  }
  return loss;
};

const steps = (trial: Trial) => trial.intermediate?.length ?? 0;

describe('a pruned run really stops early', () => {
  it('median: bad trials end pruned before their last step, the better ones complete', async () => {
    const events: EngineEvent[] = [];
    const result = await fmin({
      space,
      objective: training,
      suggester: priorSuggester,
      pruner: createMedianPruner(),
      maxTrials: 40,
      seed: 11,
      reporters: [{ name: 'collect', onEvent: (event) => void events.push(event) }],
    });
    const pruned = result.trials.filter((trial) => trial.state === 'pruned');
    const complete = result.trials.filter((trial) => trial.state === 'complete');
    expect(pruned.length).toBeGreaterThan(10);
    expect(complete.length + pruned.length).toBe(40);
    for (const trial of pruned) expect(steps(trial)).toBeLessThan(STEPS);
    for (const trial of complete) expect(steps(trial)).toBe(STEPS);
    // A trial better than every complete trial before it is never pruned, a pruned one is worse than one.
    const x = (trial: Trial) => trial.internal.x as number;
    for (const trial of result.trials) {
      const before = complete.filter((other) => other.number < trial.number).map(x);
      if (before.length >= 5 && x(trial) < Math.min(...before)) expect(trial.state).toBe('complete');
      if (trial.state === 'pruned') expect(x(trial)).toBeGreaterThan(Math.min(...before));
    }
    const best = result.trials.reduce((a, b) => (x(a) < x(b) ? a : b));
    expect(best.state).toBe('complete');
    expect(result.best?.number).toBe(best.number);
    const total = result.trials.reduce((sum, trial) => sum + steps(trial), 0);
    expect(total).toBeLessThan(0.7 * 40 * STEPS);
    expect(events.filter((event) => event.type === 'trial.reported')).toHaveLength(total);
  });

  it('successive halving and hyperband stop most trials at a rung', async () => {
    for (const pruner of [createSuccessiveHalvingPruner({ minResource: 1 }), createHyperbandPruner()]) {
      const result = await fmin({
        space,
        objective: training,
        suggester: priorSuggester,
        pruner,
        maxTrials: 40,
        seed: 5,
      });
      const pruned = result.trials.filter((trial) => trial.state === 'pruned');
      expect(pruned.length).toBeGreaterThan(10);
      for (const trial of pruned) expect(steps(trial)).toBeLessThan(STEPS);
    }
  });
});
