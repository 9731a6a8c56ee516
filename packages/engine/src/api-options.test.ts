import { describe, expect, it } from 'vitest';
import { assertOptions, checkApiOptions } from './api-options.js';
import { createMemoryStore } from './builtins/memory-store.js';
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
  it('fmin: a stopper given to stopWhen as it is says to wrap it with stopWhenOf', async () => {
    const stopper = { name: 'target-loss', shouldStop: () => undefined };
    const issues = await issuesOf(
      fmin(untyped({ objective, space, suggester: prior, stopWhen: stopper, maxTrials: 3 })),
    );
    expect(issues).toEqual([
      {
        pointer: '/stopWhen',
        expected:
          'a function: a stopper goes in as `stopWhen: stopWhenOf(stopper)` (`stopWhenOf` from `@parzen/engine`)',
        found: expect.stringContaining('{"name":"target-loss"}'),
      },
    ]);
  });

  it('fmin and Study.open: a plugin manifest where its instance goes says so, and how to make or use it', async () => {
    const manifest = (kind: string, name: string) => ({
      kind,
      name,
      optionsSchema: { type: 'object' },
      create: () => ({}),
    });
    const suggester = await issuesOf(
      fmin(untyped({ objective, space, suggester: manifest('suggester', 'anneal'), maxTrials: 3 })),
    );
    expect(suggester).toEqual([
      {
        pointer: '/suggester',
        expected:
          'a suggester (an object with the method `beginTrial`); this is a plugin manifest: pass the suggester it makes ' +
          "(its package's factory, or `await manifest.create(options, context)`), or use it from a config, " +
          '`runExperiment(config, { plugins: [{ manifests: [manifest] }] })` with `"suggester": { "use": "anneal" }`',
        found: expect.stringContaining('"kind":"suggester"'),
      },
    ]);
    const pruner = await issuesOf(
      Study.open(untyped({ objective, space, suggester: prior, pruner: manifest('pruner', 'factor') })),
    );
    expect(pruner[0]).toMatchObject({
      pointer: '/pruner',
      expected: expect.stringContaining('; this is a plugin manifest: pass the pruner it makes'),
    });
    // A stopper's manifest in stopWhen: its rule, and the manifest's hint.
    const stopper = await issuesOf(
      fmin(untyped({ objective, space, suggester: prior, stopWhen: manifest('stopper', 'target'), maxTrials: 3 })),
    );
    expect(stopper[0]).toMatchObject({
      pointer: '/stopWhen',
      expected: expect.stringMatching(
        /^a function \(a stopper's rule, `stopWhenOf\(stopper\)`\); this is a plugin manifest: pass the stopper it makes/,
      ),
    });
  });

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

  it("fmin and optimize: `explain` and `onEvent` say they are the study's (trial 157: explain was refused unsaid)", async () => {
    const issues = await issuesOf(
      fmin(untyped({ objective, space, suggester: prior, explain: true, onEvent: () => {} })),
    );
    expect(issues).toEqual([
      {
        pointer: '/explain',
        expected: expect.stringContaining('`createStudy({ ..., explain: true, onEvent })` (or `Study.open`)'),
        found: 'an unknown option `explain`',
      },
      {
        pointer: '/onEvent',
        expected: expect.stringContaining('`createStudy({ ..., onEvent })`'),
        found: 'an unknown option `onEvent`',
      },
    ]);
    const study = await Study.open({ space, suggester: prior });
    expect(await issuesOf(study.optimize(untyped({ objective, maxTrials: 1, explain: true })))).toEqual([
      expect.objectContaining({ pointer: '/explain', expected: expect.stringContaining('explain: true, onEvent') }),
    ]);
  });

  it('fmin: a pruner without a name is refused (review 108: messages said "Pruner `undefined` failed")', async () => {
    const issues = await issuesOf(
      fmin(untyped({ objective, space, suggester: prior, maxTrials: 3, pruner: { shouldPrune: () => false } })),
    );
    expect(issues).toEqual([
      expect.objectContaining({ pointer: '/pruner', expected: expect.stringContaining('a pruner with a `name`') }),
    ]);
  });

  it("fmin: a missing suggester names where one comes from, and hyperopt's points_to_evaluate says to enqueue (trial 30)", async () => {
    const issues = await issuesOf(fmin(untyped({ objective, space, maxTrials: 3, points_to_evaluate: [{ x: 0.5 }] })));
    expect(issues).toEqual([
      {
        pointer: '/suggester',
        expected: expect.stringContaining('createTpeSuggester() from @parzen/algo-tpe'),
        found: 'nothing',
      },
      {
        pointer: '/points_to_evaluate',
        expected: expect.stringContaining('`study.enqueue(params)`, then `study.optimize(...)`'),
        found: 'an unknown option `points_to_evaluate`',
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
        expected: 'one of maxTrials, moreTrials, maxSeconds, lossThreshold, patience, maxConsecutiveFailures',
        found: 'an unknown option `maxTrial` (did you mean `maxTrials`?)',
      },
      { pointer: '/budget/maxSeconds', expected: 'a number above 0, at most 1000000000', found: '-1' },
    ]);
  });

  it('Study.open: a missing suggester and a store that is not one', async () => {
    const issues = await issuesOf(Study.open(untyped({ space, store: {} })));
    expect(issues).toEqual([
      { pointer: '/suggester', expected: expect.stringContaining('createRandomSuggester() from'), found: 'nothing' },
      {
        pointer: '/store',
        expected:
          'a store (an object with the methods `openStudy`, `getStudy`, `createTrial`, `setParams`, `renewLease`, `finishTrial`, `listTrials`, `close`)',
        found: '{}',
      },
    ]);
    // Every method TrialStore requires, not only openStudy (user trial: a store without close passed).
    const { close: _, ...unclosable } = createMemoryStore();
    const withoutClose = await issuesOf(Study.open(untyped({ space, store: unclosable, suggester: prior })));
    expect(withoutClose).toEqual([
      {
        pointer: '/store',
        expected: 'a store (an object with the method `close`, which it lacks)',
        found: expect.any(String),
      },
    ]);
  });

  it('study.optimize: an unknown option; the message lists it as a config error does', async () => {
    const study = await Study.open({ space, suggester: prior });
    const error = await study.optimize(untyped({ objective, maxTrials: 3, timeout: 10 })).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((error as Error).message).toBe(
      'Invalid study.optimize options:\n  /timeout: expected one of objective, maxTrials, budget, concurrency, signal, gracePeriodMs, forceSignal, trialTimeoutMs, catchStrayErrors, leaseMs, reporters, stopWhen, found an unknown option `timeout` (did you mean `budget.maxSeconds`?)',
    );
    expect(await study.trials()).toEqual([]); // nothing ran
  });

  it("fmin: a config's `stopper` and `*Seconds` are named by code's words and unit (review 156: no hint)", async () => {
    const configNames = {
      stopper: { name: 'plateau', shouldStop: () => false },
      trialTimeoutSeconds: 2.5,
      leaseSeconds: 60,
      gracePeriodSeconds: 0.0011,
    };
    const issues = await issuesOf(fmin(untyped({ objective, space, suggester: prior, maxTrials: 2, ...configNames })));
    expect(issues.map((issue) => (issue as { found: string }).found)).toEqual([
      'an unknown option `stopper` (did you mean `stopWhen`? in code a stopper is a function: `stopWhen: noImprovement({ trials: 15 })`, or `stopWhen: stopWhenOf(stopper)` for a stopper object (both from `parzen`, or `@parzen/engine`))',
      // The value given, converted, in code's spelling (no JSON quotes).
      'an unknown option `trialTimeoutSeconds` (did you mean `trialTimeoutMs`? in code it is in milliseconds: `trialTimeoutSeconds: 2.5` is `trialTimeoutMs: 2500`)',
      'an unknown option `leaseSeconds` (did you mean `leaseMs`? in code it is in milliseconds: `leaseSeconds: 60` is `leaseMs: 60000`)',
      'an unknown option `gracePeriodSeconds` (did you mean `gracePeriodMs`? in code it is in milliseconds: `gracePeriodSeconds: 0.0011` is `gracePeriodMs: 1.1`)',
    ]);
  });

  it('fmin runs an objective adapter given in code; an unawaited one or one without a name is refused', async () => {
    const seen: number[] = [];
    const adapter = {
      name: 'mine',
      evaluate: async (params: Record<string, unknown>, context: { trialNumber: number }) => {
        seen.push(context.trialNumber);
        return { status: 'ok' as const, loss: (params.x as number) ** 2, attrs: { by: 'adapter' } };
      },
    };
    const result = await fmin({ objective: adapter, space, suggester: prior, maxTrials: 3 });
    expect(seen).toEqual([0, 1, 2]);
    expect(result.trials.map((trial) => ('attrs' in trial ? trial.attrs : undefined))).toEqual([
      { by: 'adapter' },
      { by: 'adapter' },
      { by: 'adapter' },
    ]);
    expect(result.best?.loss).toBe(Math.min(...result.trials.map((trial) => (trial.params.x as number) ** 2)));
    // A failed result is the trial's failure, as from a config.
    const failing = {
      name: 'mine',
      evaluate: async () => ({ status: 'failed' as const, error: { code: 'MINE', message: 'no GPU' } }),
    };
    const failed = await fmin({ objective: failing, space, suggester: prior, maxTrials: 1, onWarning: () => {} });
    expect(failed.trials[0]).toMatchObject({ state: 'failed', error: { code: 'MINE', message: 'no GPU' } });
    // Not closed by the run: the adapter is the caller's, for the next run too.
    // A Promise (an unawaited `createModuleObjective(...)`) is named, and told to be awaited (was `found {}`).
    const pending = Promise.resolve(adapter);
    expect(await issuesOf(fmin(untyped({ objective: pending, space, suggester: prior, maxTrials: 1 })))).toEqual([
      expect.objectContaining({
        pointer: '/objective',
        expected: expect.stringMatching(
          /^a function of the params or an objective adapter, not a Promise: `createModuleObjective` is async, so `await` it/,
        ),
        found: 'a Promise',
      }),
    ]);
    // Messages name an adapter by its name: one without is refused at once.
    const unnamed = { evaluate: adapter.evaluate };
    expect(await issuesOf(fmin(untyped({ objective: unnamed, space, suggester: prior, maxTrials: 1 })))).toEqual([
      expect.objectContaining({ pointer: '/objective', expected: expect.stringContaining('with a `name`') }),
    ]);
    // Anything else is told what fits.
    expect(await issuesOf(fmin(untyped({ objective: 3, space, suggester: prior, maxTrials: 1 })))).toEqual([
      expect.objectContaining({
        pointer: '/objective',
        expected: expect.stringMatching(/^a function of the params, or an objective adapter/),
      }),
    ]);
  });

  it('undefined options are as if not given, and good ones run', async () => {
    const result = await fmin<typeof space>(
      untyped({ objective, space, suggester: prior, maxTrials: 3, seed: undefined, budget: { patience: 10 } }),
    );
    expect(result.trials).toHaveLength(3);
  });

  it("fmin takes the lease of its running trials (leaseMs, as a config's leaseSeconds)", async () => {
    const result = await fmin({ objective, space, suggester: prior, maxTrials: 2, leaseMs: 600_000 });
    expect(result.trials).toHaveLength(2);
    const issues = await issuesOf(fmin(untyped({ objective, space, suggester: prior, maxTrials: 2, leaseMs: 1 })));
    expect(issues).toEqual([
      { pointer: '/leaseMs', expected: 'a number from 500 to 1000000000 (milliseconds)', found: '1' },
    ]);
  });

  it('fmin and study.optimize: each reporter must be one, by its place (a null one was blamed on the objective)', async () => {
    const good = { name: 'good', onEvent: () => {} };
    const issues = await issuesOf(
      fmin(untyped({ objective, space, suggester: prior, maxTrials: 3, reporters: [good, null, { name: 'csv' }] })),
    );
    expect(issues).toEqual([
      { pointer: '/reporters/1', expected: 'a reporter (an object with the method `onEvent`)', found: 'null' },
      {
        pointer: '/reporters/2',
        expected: 'a reporter (an object with the method `onEvent`)',
        found: '{"name":"csv"}',
      },
    ]);
    // And named, as a config's reporter is (trial 127: failures said of reporter `unnamed`).
    expect(
      await issuesOf(
        fmin(untyped({ objective, space, suggester: prior, maxTrials: 3, reporters: [{ onEvent: () => {} }] })),
      ),
    ).toEqual([
      {
        pointer: '/reporters/0',
        expected: 'a reporter with a `name`, a non-empty string (messages name the reporter by it)',
        // Its functions said: JSON alone showed `{}` (review 135).
        found: '{} with the function `onEvent`',
      },
    ]);
    const study = await Study.open({ space, suggester: prior });
    expect(await issuesOf(study.optimize(untyped({ objective, maxTrials: 3, reporters: [{}] })))).toEqual([
      { pointer: '/reporters/0', expected: 'a reporter (an object with the method `onEvent`)', found: '{}' },
    ]);
    expect(await study.trials()).toEqual([]);
  });

  it('fmin and study.optimize: a run with no limit is refused (it ran trials until the process was killed)', async () => {
    const expected = expect.stringContaining('a limit, so the run ends');
    const found = 'nothing (the run would never stop)';
    expect(await issuesOf(fmin(untyped({ objective, space, suggester: prior })))).toEqual([
      { pointer: '/maxTrials', expected, found },
    ]);
    expect(await issuesOf(fmin({ objective, space, suggester: prior, budget: {} }))).toEqual([
      { pointer: '/maxTrials', expected, found },
    ]);
    // A rule that ends the run only if its trials fail is not a limit.
    expect(await issuesOf(fmin({ objective, space, suggester: prior, budget: { maxConsecutiveFailures: 3 } }))).toEqual(
      [{ pointer: '/maxTrials', expected, found }],
    );
    const study = await Study.open({ space, suggester: prior, objective });
    expect(await issuesOf(study.optimize({ budget: {} }))).toEqual([{ pointer: '/maxTrials', expected, found }]);
    expect(await study.trials()).toEqual([]);
    // Any one way to end is enough: a budget rule, a stopper or a signal.
    const stopWhen = ({ trials }: { trials: readonly unknown[] }) => trials.length >= 2;
    expect((await fmin({ objective, space, suggester: prior, stopWhen })).trials).toHaveLength(2);
    expect((await study.optimize({ budget: { moreTrials: 2 } })).trials).toHaveLength(2);
    const stop = new AbortController();
    stop.abort();
    expect((await fmin({ objective, space, suggester: prior, signal: stop.signal })).reason).toBe('interrupted');
  });

  it('fmin and study.optimize refuse maxTrials and budget.maxTrials that disagree (trial 165: 3 of 5 ran, unsaid)', async () => {
    const conflict = [
      {
        pointer: '/budget/maxTrials',
        expected: 'no second trial limit: `maxTrials` is 3; give one of `maxTrials` and `budget.maxTrials`',
        found: '5',
      },
    ];
    expect(
      await issuesOf(fmin({ objective, space, suggester: prior, maxTrials: 3, budget: { maxTrials: 5 } })),
    ).toEqual(conflict);
    const study = await Study.open({ space, suggester: prior, objective });
    expect(await issuesOf(study.optimize({ maxTrials: 3, budget: { maxTrials: 5 } }))).toEqual(conflict);
    expect(await study.trials()).toEqual([]);
    // The same limit twice, or each with rules of its own, runs.
    expect(
      (await fmin({ objective, space, suggester: prior, maxTrials: 3, budget: { maxTrials: 3, patience: 10 } })).trials,
    ).toHaveLength(3);
  });

  it('fmin types params by a space written as JSON, as Study.open does (choices kept their option values)', async () => {
    const result = await fmin({
      space: { kind: { type: 'choice', options: ['a', 'b'] }, x: { type: 'uniform', low: 0, high: 1 } },
      objective: ({ kind, x }) => (kind === 'a' ? x : 1),
      suggester: prior,
      maxTrials: 2,
    });
    const kind: 'a' | 'b' | undefined = result.best?.params.kind;
    expect(['a', 'b']).toContain(kind);
  });
});

describe("an option named as an object's inherited member (review 97: `/constructor: expected 1, found 1`)", () => {
  it('is an unknown option, in code and in runExperiment', () => {
    for (const where of ['fmin', 'runExperiment'] as const)
      for (const key of ['constructor', 'toString']) {
        let issues: readonly { pointer: string; expected: string }[] = [];
        try {
          checkApiOptions(where, { [key]: 1 });
        } catch (error) {
          issues = (error as { issues: typeof issues }).issues;
        }
        const issue = issues.find((entry) => entry.pointer === `/${key}`);
        expect(issue?.expected).toMatch(/^one of \w+, \w+, /);
        expect(issue?.expected).not.toMatch(/function \w*\(|native code|object Undefined|^1$/);
      }
  });
});

describe('assertOptions, for a factory called from code', () => {
  const schema = { type: 'object', properties: { points: { type: 'integer', minimum: 2 } } };
  const errorOf = (call: () => void) => {
    try {
      call();
    } catch (error) {
      return error as { code?: string; message?: string; plugin?: string };
    }
    return undefined;
  };

  it('says what and names the plugin when told, and reads well without them (trial 103: "Invalid undefined options")', () => {
    expect(errorOf(() => assertOptions(schema, { points: 3 }))).toBeUndefined();
    const bare = errorOf(() => assertOptions(schema, { points: 1 }));
    expect(bare).toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/^Invalid options:\n {2}\/points: /),
    });
    expect(bare).not.toHaveProperty('plugin');
    expect(errorOf(() => assertOptions(schema, { points: 1 }, 'grid suggester', 'grid'))).toMatchObject({
      plugin: 'grid',
      message: expect.stringMatching(/^Invalid options for the grid suggester:\n/),
    });
  });
});
