import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTpeSuggester } from '@parzen/algo-tpe';
import { Study } from '@parzen/engine';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type CompiledSpace,
  choice,
  compileSpace,
  createJsonlStore,
  createMedianPruner,
  createMemoryStore,
  createRandomSuggester,
  createSqliteStore,
  createStudy,
  type EngineEvent,
  expandMatrix,
  fmin,
  isTpeExplanation,
  type JsonlStore,
  type JsonlStoreOptions,
  type MedianPrunerOptions,
  type ParamExplanation,
  type ParamsOf,
  plugins,
  runExperiment,
  type SqliteStore,
  type SqliteStoreOptions,
  type TpeExplanation,
  type TpeOptions,
  type TpeProfile,
  type TpeSettings,
  uniform,
} from './index.js';

const space = { x: uniform(-2, 2), kind: choice(['a', 'b']) };
const objective = ({ x, kind }: { x: number; kind: 'a' | 'b' }) => x ** 2 + (kind === 'a' ? 0 : 1);

describe('parzen (the umbrella)', () => {
  it('compileSpace checks a space from the root, as a run does (review 156: only /plugin had it)', () => {
    const compiled: CompiledSpace = compileSpace(space);
    expect(compiled.params.map((param) => param.name)).toEqual(['x', 'kind']);
    expect(() => compileSpace({ x: { type: 'quniform', low: 1, high: 2, q: 10 } })).toThrow(
      expect.objectContaining({ code: 'SPACE_INVALID' }),
    );
  });

  it('createStudy runs TPE by default: the same trials as an explicit TPE study', async () => {
    const study = await createStudy({ space, objective, seed: 11 });
    const result = await study.optimize({ maxTrials: 25 });
    const explicit = await Study.open({ space, objective, seed: 11, suggester: createTpeSuggester() });
    const same = await explicit.optimize({ maxTrials: 25 });
    expect(result.trials.map((trial) => trial.internal)).toEqual(same.trials.map((trial) => trial.internal));
    const random = await createStudy({ space, objective, seed: 11, suggester: createRandomSuggester() });
    const other = await random.optimize({ maxTrials: 25 });
    expect(other.trials.map((trial) => trial.internal)).not.toEqual(same.trials.map((trial) => trial.internal));
    expect(result.best?.params.kind).toBe('a');
  });

  it('reads TPE explanations from the same import, without a cast', async () => {
    const phases: string[] = [];
    const study = await createStudy({
      space,
      objective,
      seed: 2,
      explain: true,
      onEvent: (event: EngineEvent) => {
        if (event.type === 'suggestion.explained' && isTpeExplanation(event.explanation))
          phases.push(event.explanation.phase);
      },
    });
    await study.optimize({ maxTrials: 12 });
    expect(phases).toHaveLength(12);
    expect(phases.at(-1)).toBe('model');
  });

  it('prunes with a pruner from the same import', async () => {
    const study = await createStudy({ space, seed: 4, pruner: createMedianPruner({ startupTrials: 2 }) });
    const result = await study.optimize({
      maxTrials: 12,
      objective: async ({ x, kind }, context) => {
        const loss = objective({ x, kind });
        for (let step = 0; step < 10; step++) {
          await context.report(step, loss + 1 / (step + 1));
          if (context.shouldPrune()) return loss;
        }
        return loss;
      },
    });
    expect(result.trials.some((trial) => trial.state === 'pruned')).toBe(true);
  });

  // A script with a batch config got "an unknown field `matrix`", and no API expanded one (trial 134).
  it("expandMatrix gives a matrix config's variants, each run by runExperiment, which refuses the matrix itself", async () => {
    const config = {
      name: 'grid',
      space: { x: { type: 'uniform', low: -2, high: 2 } },
      objective: { use: 'function', options: { name: 'square' } },
      store: { use: 'memory' },
      reporters: [],
      budget: { maxTrials: 4 },
      matrix: { seed: [1, 2], suggester: [{ use: 'random' }, { use: 'tpe' }] },
    };
    const functions = { square: ({ x }: Record<string, unknown>) => (x as number) ** 2 };
    await expect(runExperiment(config, { functions })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [
        {
          pointer: '/matrix',
          expected: expect.stringContaining(
            '`expandMatrix(config)` gives the variants, and `runExperiment(variant.config)` runs each',
          ),
        },
      ],
    });
    const variants = expandMatrix(config);
    expect(variants.map((variant) => variant.study)).toEqual([
      'grid.seed-1.suggester-random',
      'grid.seed-1.suggester-tpe',
      'grid.seed-2.suggester-random',
      'grid.seed-2.suggester-tpe',
    ]);
    expect(new Set(variants.map((variant) => variant.variant)).size).toBe(2);
    for (const variant of variants) {
      const result = await runExperiment(variant.config, { functions });
      expect(result.summary).toMatchObject({ study: variant.study, complete: 4 });
    }
  });

  it("runExperiment offers the package's plugins when none are named (trial 80: a config naming tpe was refused)", async () => {
    const config = {
      name: 'umbrella',
      seed: 1,
      space: { x: { type: 'uniform', low: -2, high: 2 } },
      objective: { use: 'function', options: { name: 'square' } },
      suggester: { use: 'tpe' },
      pruner: { use: 'median' },
      store: { use: 'memory' },
      reporters: [],
      budget: { maxTrials: 8 },
    };
    const functions = { square: ({ x }: Record<string, unknown>) => (x as number) ** 2 };
    const result = await runExperiment(config, { functions });
    expect(result.summary.complete).toBe(8);
    expect(plugins.flatMap((plugin) => plugin.manifests.map((m) => `${m.kind}:${m.name}`))).toEqual(
      expect.arrayContaining([
        'suggester:random',
        'suggester:quasi-random',
        'suggester:tpe',
        'pruner:median',
        'store:jsonl',
        'store:sqlite',
      ]),
    );
    // Plugins named are the ones offered, by the call or by the config (review 84: a config listing
    // @parzen/algo-tpe, as the CLI needs, was refused as a duplicate of the offered one).
    await expect(runExperiment(config, { functions, plugins: [] })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    const listed = await runExperiment(
      { ...config, name: 'listed', plugins: ['@parzen/algo-tpe', '@parzen/pruners'] },
      { functions },
    );
    expect(listed.summary.complete).toBe(8);
  });

  /** The x each trial drew of a 12-trial config without a suggester (`extra` added to it), run here. */
  const drawnXs = async (name: string, extra: object, options: object = {}) =>
    (
      await runExperiment(
        {
          name,
          seed: 7,
          space: { x: { type: 'uniform', low: -2, high: 2 } },
          objective: { use: 'function', options: { name: 'square' } },
          store: { use: 'memory' },
          reporters: [],
          budget: { maxTrials: 12 },
          ...extra,
        },
        { functions: { square: ({ x }: Record<string, unknown>) => (x as number) ** 2 }, ...options },
      )
    ).trials.map((t) => t.params.x);

  // Trial 143: a config that names no suggester ran random search through this runExperiment, while the
  // CLI and the config reference give it TPE, so the same config drew other trials in code.
  it('runExperiment gives a config without a suggester TPE, as the CLI does', async () => {
    const xs = (extra: object, options: object = {}) => drawnXs('default-suggester', extra, options);
    const tpe = await xs({ suggester: { use: 'tpe' } });
    expect(await xs({})).toEqual(tpe);
    expect(await xs({}, { plugins: [...plugins] })).toEqual(tpe);
    expect(await xs({ suggester: { use: 'random' } })).not.toEqual(tpe);
    // A default the caller gives is kept.
    expect(await xs({}, { defaults: { suggester: { use: 'random' } } })).toEqual(
      await xs({ suggester: { use: 'random' } }),
    );
  });

  // Review 146: a config listing its own plugin modules, TPE among them, ran random search here, where the CLI
  // (which offers its built-in plugins beside the config's) gives it TPE.
  it('runExperiment gives TPE to a config without a suggester that lists TPE among its own plugins', async () => {
    const baseDir = join(import.meta.dirname, '..');
    const xs = (extra: object) =>
      drawnXs('listed-plugins', { plugins: ['@parzen/algo-tpe', '@parzen/algo-random'], ...extra }, { baseDir });
    expect(await xs({})).toEqual(await xs({ suggester: { use: 'tpe' } }));
    // Without TPE among them, the engine's default as before (TPE would be refused as "none loaded").
    expect(await xs({ plugins: ['@parzen/algo-random'] })).toEqual(
      await xs({ plugins: ['@parzen/algo-random'], suggester: { use: 'random' } }),
    );
  });

  it('fmin defaults to TPE and is typed by the space', async () => {
    const result = await fmin({ space, objective, maxTrials: 20, seed: 3 });
    const kind: 'a' | 'b' | undefined = result.best?.params.kind;
    expect(['a', 'b']).toContain(kind);
    expect(result.trials).toHaveLength(20);
  });

  it("createStudy's onEvent gets params typed by the space, as its trials have them", async () => {
    const xs: number[] = [];
    const study = await createStudy({
      space,
      seed: 3,
      onEvent: (event) => {
        if (event.type !== 'trial.finished') return;
        expectTypeOf(event.params.kind).toEqualTypeOf<'a' | 'b'>();
        // @ts-expect-error `nope` is no parameter of the space
        expect(event.params.nope).toBeUndefined();
        xs.push(event.params.x);
      },
    });
    await study.optimize({ objective, maxTrials: 3 });
    expect(xs).toEqual((await study.trials()).map((trial) => trial.params.x));
  });

  it('takes optional options given as undefined, as a service forwards its own (trial 80: exactOptionalPropertyTypes refused them)', async () => {
    // A service's settings, each maybe unset; forwarded without conditional spreads.
    const settings: { seed?: number; name?: string; concurrency?: number; maxSeconds?: number } = { seed: 3 };
    const result = await fmin({
      space,
      objective,
      maxTrials: 6,
      seed: settings.seed,
      name: settings.name,
      concurrency: settings.concurrency,
      suggester: undefined,
      budget: { maxSeconds: settings.maxSeconds },
    });
    expect(result.trials).toHaveLength(6);
    expect(result.trials.map((trial) => trial.params)).toEqual(
      (await fmin({ space, objective, maxTrials: 6, seed: 3 })).trials.map((trial) => trial.params),
    );
    const study = await createStudy({ space, objective, name: settings.name, seed: settings.seed, store: undefined });
    const run = await study.optimize({
      maxTrials: 2,
      concurrency: settings.concurrency,
      budget: { patience: undefined },
    });
    expect(run.trials).toHaveLength(2);
  });

  it('says what is wrong with no options, as the function called (trial 62: a bare TypeError)', async () => {
    for (const call of [
      () => (fmin as (options?: unknown) => unknown)(),
      () => (createStudy as (o?: unknown) => unknown)(),
      () => (fmin as (options?: unknown) => unknown)([]),
    ])
      await expect(call()).rejects.toMatchObject({ code: 'CONFIG_INVALID', issues: [{ pointer: '' }] });
    await expect(createStudy({ name: 5 } as never)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/^Invalid createStudy options:/),
    });
  });
});

describe('option types come with their factories (trial 54: code could not name what it passed)', () => {
  it('names the TPE, pruner and store options from the one package', () => {
    const profile: TpeProfile = 'optuna5';
    const tpe: TpeOptions = { profile, grouping: 'joint' };
    const median: MedianPrunerOptions = { startupTrials: 3 };
    const jsonl: JsonlStoreOptions = { path: 'never-opened.jsonl' };
    const sqlite: SqliteStoreOptions = { path: 'never-opened.sqlite' };
    expect(typeof createTpeSuggester(tpe).beginTrial).toBe('function');
    expect(createMedianPruner(median).name).toBe('median');
    expect([typeof createJsonlStore, typeof createSqliteStore, jsonl.path, sqlite.path]).toEqual([
      'function',
      'function',
      'never-opened.jsonl',
      'never-opened.sqlite',
    ]);
  });
});

describe('the types the one package hands out are its own (trial 164)', () => {
  it('exports the stores the factories return, the TPE settings and the explanation parts', () => {
    expectTypeOf(createSqliteStore).returns.toEqualTypeOf<SqliteStore>();
    expectTypeOf(createJsonlStore).returns.toEqualTypeOf<JsonlStore>();
    expectTypeOf<TpeOptions>().toEqualTypeOf<Partial<TpeSettings> & { readonly compat?: TpeProfile | undefined }>();
    expectTypeOf<TpeExplanation['params'][number]>().toEqualTypeOf<ParamExplanation>();
  });

  it("keeps ParamsOf's type-level helpers off its root (they crowded the reference): they are in /plugin", async () => {
    // @ts-expect-error a helper of ParamsOf, not a user's type
    type Helper = import('./index.js').UnionToIntersection<ParamsOf<typeof space>>;
    expectTypeOf<Helper>().not.toBeNever();
    const root = await import('./index.js');
    expect(Object.keys(root)).toContain('uniform');
  });
});

describe('a study used after its store was closed (trial 164: "The database connection is not open", STORE_FAILED)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-closed-'));
  const stores = {
    sqlite: () => ({
      store: createSqliteStore({ path: join(dir, 'closed.db') }),
      named: `SQLite store \`${join(dir, 'closed.db')}\``,
    }),
    jsonl: () => ({
      store: createJsonlStore({ path: join(dir, 'closed.jsonl') }),
      named: `JSONL store \`${join(dir, 'closed.jsonl')}\``,
    }),
    memory: () => ({ store: createMemoryStore(), named: 'The memory store' }),
  };
  it.each(Object.keys(stores) as (keyof typeof stores)[])(
    'is refused with STORE_CLOSED, one wording, by the %s store',
    async (kind) => {
      const { store, named } = stores[kind]();
      const study = await createStudy({ space, objective, store, suggester: createRandomSuggester() });
      const asked = await study.ask();
      await store.close();
      const closed = {
        code: 'STORE_CLOSED',
        message: expect.stringMatching(
          new RegExp(
            `^${named.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was closed \\(its \`close\\(\\)\` was called\\)( before [a-z ]+)?: a closed store reads and writes nothing\\. To go on, create the store again`,
          ),
        ),
      };
      await expect(study.tell(asked.number, 1)).rejects.toMatchObject(closed);
      await expect(study.ask()).rejects.toMatchObject(closed);
      await expect(study.trials()).rejects.toMatchObject(closed);
      await expect(createStudy({ space, objective, store })).rejects.toMatchObject(closed);
      if (kind === 'jsonl') rmSync(join(dir, 'closed.jsonl'));
    },
  );
});
