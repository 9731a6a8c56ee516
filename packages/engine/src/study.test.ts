import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './builtins/memory-store.js';
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
    expect(['a', 'b']).toContain(first.params.kind);
    expect(typeof first.internal.kind).toBe('number');
    await study.tell(first.number, 0.5);
    const second = await study.ask();
    await study.tell(second.number, new Error('diverged'));
    const third = await study.ask();
    await study.tell(third.number, { loss: 0.25, epochs: 3 });
    const trials = await study.trials();
    expect(trials.map((trial) => trial.state)).toEqual(['complete', 'failed', 'complete']);
    expect(await study.best()).toEqual({ number: 2, loss: 0.25, params: third.params });
    await expect(study.tell(0, 1)).rejects.toMatchObject({ code: 'TRIAL_ALREADY_FINISHED' });
  });

  it("refuses Optuna's tell(..., state=PRUNED) habit instead of completing the trial with a `state` attr", async () => {
    const study = await Study.open({ space: { x: uniform(-1, 1) }, suggester: prior });
    const trial = await study.ask();
    await expect(study.tell(trial.number, { loss: 1, state: 'pruned' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('call study.prune(number) to prune it'),
    });
    expect((await study.trials())[0]?.state).toBe('running'); // nothing recorded; the trial can still be told
    expect(await study.prune(trial.number)).toMatchObject({ state: 'pruned' });
  });
});

describe('Study: mistakes from JavaScript are ParzenErrors that say what was expected', () => {
  it('tell and enqueue describe a BigInt instead of throwing a TypeError from describing it', async () => {
    const study = await Study.open({ space: { x: uniform(0, 1) }, suggester: prior });
    const trial = await study.ask();
    expect(await study.tell(trial.number, 5n)).toMatchObject({
      state: 'failed',
      error: { code: 'OBJECTIVE_NOT_A_NUMBER', message: expect.stringContaining('returned the BigInt 5n') },
    });
    await expect(study.enqueue({ x: 1n })).rejects.toMatchObject({
      code: 'PARAMS_INVALID',
      message: expect.stringContaining('/x: expected a number from 0 to 1, found the BigInt 1n'),
    });
  });

  it('enqueue checks its options (a key given as a bare string was ignored, and the params queued)', async () => {
    const study = await Study.open({ space: { x: uniform(0, 1) }, suggester: prior });
    await expect(study.enqueue({ x: 0.5 }, 'first' as never)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: 'Invalid study.enqueue options:\n  /: expected an options object ({ key }), found "first"',
    });
    await expect(study.enqueue({ x: 0.5 }, { Key: 'first' } as never)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('/Key: expected one of key, found an unknown option `Key`'),
    });
    await expect(study.enqueue({ x: 0.5 }, { key: 7 } as never)).rejects.toMatchObject({
      message: expect.stringContaining('/key: expected a string, found 7'),
    });
    expect(await study.enqueue({ x: 0.5 }, { key: 'first' })).toBe(true);
    expect((await study.ask()).params).toEqual({ x: 0.5 }); // only the one that was meant was queued
    expect((await study.ask()).params).not.toEqual({ x: 0.5 });
  });
});

describe('Study.optimize', () => {
  it('runs the objective on the same study that asks and tells, typed by its space, and resumes', async () => {
    const store = createMemoryStore();
    const space = { x: uniform(-2, 2), kind: choice(['a', 'b']) };
    const open = () => Study.open({ name: 'typed', space, suggester: prior, seed: 2, store });
    const study = await open();
    const asked = await study.ask();
    // Typed: `x` is a number and `kind` is 'a' | 'b' without casts.
    const x: number = asked.params.x;
    const kind: 'a' | 'b' = asked.params.kind;
    await study.tell(asked.number, x ** 2 + (kind === 'a' ? 0 : 1));
    const seen: string[] = [];
    const events: string[] = [];
    const again = await Study.open({
      name: 'typed',
      space,
      suggester: prior,
      seed: 2,
      store,
      onEvent: (e) => events.push(e.type),
    });
    const result = await again.optimize({
      objective: (params) => {
        seen.push(params.kind);
        return params.x ** 2 + (params.kind === 'a' ? 0 : 1);
      },
      maxTrials: 12,
    });
    expect(result.trials).toHaveLength(12);
    expect(seen).toHaveLength(11);
    expect(result.reason).toBe('max-trials');
    const best = await again.best();
    expect(best).toEqual(result.best);
    expect(best?.params.x).toBeGreaterThanOrEqual(-2);
    expect(['a', 'b']).toContain(best?.params.kind);
    expect(events).toContain('trial.finished');
    const withObjective = await Study.open({
      name: 'typed',
      space,
      suggester: prior,
      store,
      objective: ({ x: v }) => v,
    });
    const stopped = await withObjective.optimize({ maxTrials: 100, stopWhen: ({ trials }) => trials.length >= 15 });
    await expect((await open()).optimize({ maxTrials: 20 })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(stopped).toMatchObject({ reason: 'stopper' });
    expect(stopped.trials).toHaveLength(15);
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
    const losses = result.trials.map((trial) => (trial.state === 'complete' ? trial.loss : Infinity));
    expect(result.best?.loss).toBe(Math.min(...losses));
    expect(result.best?.params.lr).toBeGreaterThanOrEqual(1e-4);
    expect(['deep', 'shallow']).toContain(result.best?.params.model);
  });
});
