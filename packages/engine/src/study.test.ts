import { describe, expect, it } from 'vitest';
import type { Suggester } from './contracts/suggester.js';
import { sampleDistribution } from './domain/sample-distribution.js';
import { choice, loguniform, option, uniform } from './domain/space-builder.js';
import { fmin } from './fmin.js';
import { Study } from './study.js';

const prior: Suggester = {
  name: 'prior',
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
};

describe('Study (ask/tell)', () => {
  it('asks trials with option values and records results and failures', async () => {
    const study = await Study.open({
      space: { x: uniform(-1, 1), kind: choice(['a', 'b']) },
      suggester: prior,
      seed: 9,
    });
    const first = await study.ask();
    expect(first.number).toBe(0);
    expect(['a', 'b']).toContain(first.values.kind);
    expect(typeof first.params.kind).toBe('number');
    await study.tell(first.number, 0.5);
    const second = await study.ask();
    await study.tell(second.number, new Error('diverged'));
    const third = await study.ask();
    await study.tell(third.number, { loss: 0.25, epochs: 3 });
    const trials = await study.trials();
    expect(trials.map((trial) => trial.state)).toEqual(['complete', 'failed', 'complete']);
    expect((await study.best())?.number).toBe(2);
    await expect(study.tell(0, 1)).rejects.toMatchObject({ code: 'TRIAL_ALREADY_FINISHED' });
  });
});

describe('fmin', () => {
  it('returns the best params as the objective saw them, its loss and all trials', async () => {
    const space = { lr: loguniform(1e-4, 1), model: choice([option('deep', { layers: uniform(1, 8) }), 'shallow']) };
    const result = await fmin({
      space,
      suggester: prior,
      maxTrials: 40,
      seed: 4,
      objective: (params) => Math.abs(Math.log10(params.lr) + 2) + (params.model === 'deep' ? 0 : 1),
    });
    expect(result.trials).toHaveLength(40);
    const losses = result.trials.map((trial) => (trial.state === 'complete' ? trial.value : Infinity));
    expect(result.best?.loss).toBe(Math.min(...losses));
    expect(result.best?.params.lr).toBeGreaterThanOrEqual(1e-4);
    expect(['deep', 'shallow']).toContain(result.best?.params.model);
  });
});
