import { describe, expect, it } from 'vitest';
import type { Suggester } from './contracts/suggester.js';
import { sampleDistribution } from './domain/sample-distribution.js';
import { fmin } from './fmin.js';
import { Study } from './study.js';

const prior: Suggester = {
  name: 'prior',
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
};
const space = { x: { type: 'uniform', low: -2, high: 2 } } as const;
const objective = (p: { x: number }) => p.x ** 2;

/** What a JavaScript caller (or `any`) can pass: TypeScript would refuse these. */
const untyped = (value: unknown): never => value as never;

const issuesOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown as { code?: string; issues?: unknown[]; message?: string },
  );
  expect(error?.code).toBe('CONFIG_INVALID');
  return error?.issues ?? [];
};

describe('the API checks its options as a config is checked', () => {
  it('fmin: a budget key given at the top is named, with where it goes (it used to run without a limit)', async () => {
    const issues = await issuesOf(fmin(untyped({ objective, space, suggester: prior, moreTrials: 5 })));
    expect(issues).toEqual([
      {
        pointer: '/moreTrials',
        expected: expect.stringContaining('(`moreTrials` goes in `budget`)'),
        found: 'an unknown option `moreTrials`',
      },
    ]);
  });

  it('fmin: every wrong value at once, by path (they used to run 0 trials, or with a wrong direction)', async () => {
    const issues = await issuesOf(
      fmin(
        untyped({
          objective,
          space,
          suggester: prior,
          maxTrials: 'x',
          concurrency: 0,
          direction: 'up',
          seed: 1.5,
          budget: { maxTrial: 5, maxSeconds: -1 },
        }),
      ),
    );
    expect(issues).toEqual([
      { pointer: '/maxTrials', expected: 'an integer from 1 to 1000000000', found: '"x"' },
      { pointer: '/concurrency', expected: 'an integer from 1 to 1000', found: '0' },
      { pointer: '/direction', expected: '"minimize" or "maximize"', found: '"up"' },
      {
        pointer: '/seed',
        expected: `an integer from ${-Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`,
        found: '1.5',
      },
      {
        pointer: '/budget/maxTrial',
        expected: 'one of maxTrials, moreTrials, maxSeconds, lossThreshold, patience',
        found: 'an unknown option `maxTrial`',
      },
      { pointer: '/budget/maxSeconds', expected: 'a number above 0, at most 1000000000', found: '-1' },
    ]);
  });

  it('Study.open: a missing suggester and a store that is not one', async () => {
    const issues = await issuesOf(Study.open(untyped({ space, store: {} })));
    expect(issues).toEqual([
      { pointer: '/suggester', expected: 'a value (required)', found: 'nothing' },
      { pointer: '/store', expected: 'a store (an object with the method `openStudy`)', found: '{}' },
    ]);
  });

  it('study.optimize: an unknown option; the message lists it as a config error does', async () => {
    const study = await Study.open({ space, suggester: prior });
    const error = await study.optimize(untyped({ objective, maxTrials: 3, timeout: 10 })).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((error as Error).message).toBe(
      'Invalid study.optimize options:\n  /timeout: expected one of objective, maxTrials, budget, concurrency, signal, trialTimeoutMs, reporters, stopWhen, found an unknown option `timeout`',
    );
    expect(await study.trials()).toEqual([]); // nothing ran
  });

  it('undefined options are as if not given, and good ones run', async () => {
    const result = await fmin<typeof space>(
      untyped({ objective, space, suggester: prior, maxTrials: 3, seed: undefined, budget: { patience: 10 } }),
    );
    expect(result.trials).toHaveLength(3);
  });
});
