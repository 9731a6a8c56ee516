import { describe, expect, it } from 'vitest';
import { studySuggester } from '../builtins/check-same-study.js';
import { createFunctionObjective } from '../builtins/function-objective.js';
import { createMemoryStore } from '../builtins/memory-store.js';
import type { MaybePromise } from '../contracts/maybe-promise.js';
import type { TrialStore } from '../contracts/store.js';
import type { Suggester } from '../contracts/suggester.js';
import { compileSpace } from '../domain/compile-space.js';
import { isInSupport } from '../domain/distribution.js';
import { activeParamNames } from '../domain/params.js';
import type { SpaceDefinition } from '../domain/space-definition.js';
import type { Direction, Trial } from '../domain/trial.js';
import { runStudy } from '../runtime/run-study.js';
import { expectNamed } from './named.js';

/** What {@link describeSuggesterContract} takes: a factory of fresh suggesters and the trials per study. */
export interface SuggesterContractOptions {
  /**
   * A fresh suggester (one per study), or the promise of one: a manifest's `create` fits as it is
   * (`() => manifest.create(options, testPluginContext())`).
   */
  readonly create: () => MaybePromise<Suggester>;
  /** Trials per study; enough to get past any start-up phase. Default 40. */
  readonly trials?: number;
  /**
   * The suggester's trials do not depend on the study's seed (a grid, a fixed design): true leaves out the
   * check that another seed gives other trials. The same seed must still give the same trials. Default false.
   */
  readonly seedless?: boolean;
}

/** A space with every primitive and a nested conditional choice. */
export const contractSpace: SpaceDefinition = {
  u: { type: 'uniform', low: -2, high: 2 },
  q: { type: 'quniform', low: 0, high: 10, q: 0.5 },
  lu: { type: 'loguniform', low: 1e-4, high: 1 },
  qlu: { type: 'qloguniform', low: 1, high: 100, q: 1 },
  n: { type: 'normal', mu: 0, sigma: 1 },
  qn: { type: 'qnormal', mu: 5, sigma: 2, q: 1 },
  ln: { type: 'lognormal', mu: 0, sigma: 0.5 },
  qln: { type: 'qlognormal', mu: 1, sigma: 0.5, q: 0.5 },
  ri: { type: 'randint', low: 2, high: 7 },
  ri1: { type: 'randint', high: 3 },
  ui: { type: 'uniformint', low: 1, high: 5 },
  flag: { type: 'choice', options: [true, false] },
  weighted: {
    type: 'pchoice',
    options: [
      { p: 0.2, value: 'a' },
      { p: 0.8, value: 'b' },
    ],
  },
  model: {
    type: 'choice',
    options: [
      {
        value: 'svm',
        space: {
          C: { type: 'loguniform', low: 0.01, high: 100 },
          kernel: {
            type: 'choice',
            options: ['rbf', { value: 'poly', space: { degree: { type: 'randint', low: 2, high: 5 } } }],
          },
        },
      },
      { value: 'tree', space: { depth: { type: 'randint', low: 1, high: 10 } } },
      'none',
    ],
  },
};

const objective = (params: Readonly<Record<string, unknown>>): number => {
  let loss = 0;
  for (const value of Object.values(params)) if (typeof value === 'number') loss += Math.abs(value) / 10;
  if (params.model === 'tree') loss -= 1;
  if (params.flag === true) loss -= 0.5;
  if ((params.u as number) > 1.9) throw new Error('a failing region');
  return loss;
};

/** Counts the trials a suggester begins and the largest number of running trials it was shown. */
/** A choice whose two branches share a parameter (`lr`, one definition), as a config may name it in both. */
const sharedSpace: SpaceDefinition = {
  u: { type: 'uniform', low: -1, high: 1 },
  model: {
    type: 'choice',
    options: [
      {
        value: 'a',
        space: { lr: { type: 'loguniform', low: 0.001, high: 1 }, depth: { type: 'randint', low: 1, high: 6 } },
      },
      {
        value: 'b',
        space: { lr: { type: 'loguniform', low: 0.001, high: 1 }, extra: { type: 'uniform', low: 0, high: 1 } },
      },
    ],
  },
};

/** Runs the shared-name study of `store` up to `trials` trials; its trials, by number. */
const runShared = async (
  options: SuggesterContractOptions,
  store: TrialStore,
  trials: number,
): Promise<readonly Trial[]> => {
  const result = await runStudy({
    spec: { name: 'contract-shared', direction: 'minimize', seed: 11, space: sharedSpace },
    space: compileSpace(sharedSpace),
    store,
    suggester: await options.create(),
    objective: createFunctionObjective(
      (params) =>
        Math.abs((params.u as number) - 0.3) +
        Math.abs(Math.log10(params.lr as number) + 2) +
        (params.model === 'b' ? 0 : 0.5),
    ),
    budget: { maxTrials: trials },
  });
  return [...result.trials].sort((a, b) => a.number - b.number);
};

const counted = (suggester: Suggester) => {
  const seen = { begun: 0, maxRunning: 0 };
  const wrapped: Suggester = {
    name: suggester.name,
    beginTrial: (context) => {
      seen.begun++;
      seen.maxRunning = Math.max(seen.maxRunning, context.running.length);
      return suggester.beginTrial(context);
    },
  };
  return { wrapped, seen };
};

const run = async (
  options: SuggesterContractOptions,
  seed: number,
  direction: Direction = 'minimize',
  concurrency = 1,
  store = createMemoryStore(),
  trials = options.trials ?? 40,
  /** Each loss negated (with `maximize`, the same study as a minimize one). */
  negated = false,
): Promise<{ trials: readonly Trial[]; begun: number; maxRunning: number }> => {
  const { wrapped, seen } = counted(await options.create());
  const result = await runStudy({
    spec: { name: 'contract', direction, seed, space: contractSpace },
    space: compileSpace(contractSpace),
    store,
    suggester: wrapped,
    objective: createFunctionObjective(async (params) => {
      if (concurrency > 1) await new Promise((resolve) => setTimeout(resolve, 1));
      return negated ? -objective(params) : objective(params);
    }),
    budget: { maxTrials: trials },
    concurrency,
  });
  return { trials: result.trials, ...seen };
};

/**
 * The first trial that differs between one run of a study and the same study run to half its trials, then
 * resumed by a new suggester from `options.create` (-1 when none does): a suggester that carries a random
 * stream or other state from one trial to the next gives a resumed study, or another worker, other trials.
 */
export const firstDifferenceAfterResume = async (options: SuggesterContractOptions): Promise<number> => {
  const total = options.trials ?? 40;
  const whole = (await run(options, 9)).trials.map((trial) => JSON.stringify(trial.internal));
  const store = createMemoryStore();
  await run(options, 9, 'minimize', 1, store, Math.floor(total / 2));
  const resumed = (await run(options, 9, 'minimize', 1, store, total)).trials;
  return resumed.findIndex((trial, i) => JSON.stringify(trial.internal) !== whole[i]);
};

/**
 * The first trial that differs between a minimize study and the same study as maximize with every loss negated
 * (-1 when none does): a suggester that ranks losses without the study's direction differs.
 */
export const firstDifferenceWhenMaximized = async (options: SuggesterContractOptions): Promise<number> => {
  const total = options.trials ?? 40;
  const minimize = (await run(options, 7)).trials.map((trial) => JSON.stringify(trial.internal));
  const maximize = (await run(options, 7, 'maximize', 1, createMemoryStore(), total, true)).trials;
  return maximize.findIndex((trial, i) => JSON.stringify(trial.internal) !== minimize[i]);
};

/**
 * Why a study could not keep the suggester's `settings` (as a run refuses them before any trial: not JSON data, an
 * `undefined` in an array, a Date, Infinity), or undefined when it has none or they are JSON data.
 */
export const settingsProblem = (suggester: Suggester): string | undefined => {
  if (suggester.settings === undefined) return undefined;
  const name = typeof suggester.name === 'string' && suggester.name.trim() !== '' ? suggester.name : 'unnamed';
  try {
    // Its name is checked by a test of its own: only its settings are judged here.
    studySuggester({ name, beginTrial: suggester.beginTrial, settings: suggester.settings });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

/**
 * The behaviour every {@link Suggester} must have: settings that are JSON data, values in their support, only active parameters,
 * the same trials for the same seed (in one run, or resumed by a new suggester), no trouble with failed
 * trials, and the study's direction respected (a maximize study of negated losses gets the same trials).
 */
export const describeSuggesterContract = (name: string, options: SuggesterContractOptions): void => {
  const space = compileSpace(contractSpace);
  describe(`${name} satisfies the Suggester contract`, () => {
    it('has a name, a non-empty string (a study records it)', async () => {
      expectNamed(await options.create(), 'suggester');
    });

    it('has settings that are JSON data, or none (a study keeps them; a run refuses others)', async () => {
      expect(settingsProblem(await options.create())).toBeUndefined();
    });

    it('suggests only active parameters, each in its support', async () => {
      const { trials, begun } = await run(options, 1);
      expect(trials.length).toBe(options.trials ?? 40);
      expect(begun, 'beginTrial is called once per trial').toBe(trials.length);
      for (const trial of trials) {
        expect(Object.keys(trial.internal).sort()).toEqual(activeParamNames(space, trial.internal).sort());
        for (const [param, value] of Object.entries(trial.internal)) {
          const node = space.byName.get(param);
          expect(node, param).toBeDefined();
          if (node !== undefined) expect(isInSupport(node.distribution, value), `${param}=${value}`).toBe(true);
        }
      }
      expect(
        new Set(trials.map((trial) => trial.internal.model)).size,
        'the options of the choice `model` the study tried: a suggester must, over its trials, try more than one option of a choice',
      ).toBeGreaterThan(1);
    });

    const seeds =
      options.seedless === true
        ? 'gives the same trials for the same seed (seedless: another seed is not compared)'
        : 'gives the same trials for the same seed, and other trials for another seed';
    it(seeds, async () => {
      const first = (await run(options, 5)).trials.map((trial) => trial.internal);
      const second = (await run(options, 5)).trials.map((trial) => trial.internal);
      const other = (await run(options, 6)).trials.map((trial) => trial.internal);
      expect(second, 'the trials of a second study with the same seed (5) as the first').toEqual(first);
      if (options.seedless !== true)
        expect(
          other,
          'the trials of a study with seed 6 equal those with seed 5: a suggester draws from context.rng (or passes seedless: true, when its trials never depend on the seed)',
        ).not.toEqual(first);
    });

    it('gives the same trials to a study resumed by a new suggester as in one run (no state kept between trials)', async () => {
      const total = options.trials ?? 40;
      const first = await firstDifferenceAfterResume(options);
      expect(
        first,
        first < 0
          ? ''
          : `trial #${first} differs after a resume at #${Math.floor(total / 2)}: a suggester must decide each trial from its context alone ` +
              '(the study, the trial number, context.rng), not from a random stream or state it carries from one trial to the next, ' +
              'or a resumed study, or another worker, draws other trials than one run',
      ).toBe(-1);
    });

    it('copes with failed trials and a maximize study', async () => {
      const { trials } = await run(options, 3, 'maximize');
      expect(trials.filter((trial) => trial.state === 'complete').length).toBeGreaterThan(0);
      expect(trials.every((trial) => trial.state !== 'running')).toBe(true);
    });

    // Trial 133: a suggester that minimized a maximize study's losses passed every test here.
    it("respects the study's direction: a maximize study of negated losses gets the same trials", async () => {
      const first = await firstDifferenceWhenMaximized(options);
      expect(
        first,
        first < 0
          ? ''
          : `trial #${first} differs between a minimize study and the same study as maximize with every loss negated: a suggester must rank trials by the study's direction (\`context.direction\`; \`lossToMinimize(loss, context.direction)\` from @parzen/engine/plugin), better being lower when minimizing and higher when maximizing`,
      ).toBe(-1);
    });

    it("keeps enqueued entries' values, partial ones too, in a space with a name shared by two branches", async () => {
      // After the start-up trials: a suggester that decides groups (a branch's parameters, `groupAt`) is given the
      // members an entry does not fix, and `decided` holds the fixed ones.
      const store = createMemoryStore();
      const trials = options.trials ?? 40;
      await runShared(options, store, trials);
      const entries = [{ model: 1, extra: 0.25 }, { model: 0 }, { model: 1, lr: 0.001 }, { extra: 0.75, model: 1 }];
      await store.enqueue?.(
        'contract-shared',
        entries.map((internal) => ({ internal })),
      );
      const after = (await runShared(options, store, trials + entries.length)).slice(trials);
      const shared = compileSpace(sharedSpace);
      expect(after.map((trial) => trial.state)).toEqual(entries.map(() => 'complete'));
      after.forEach((trial, i) => {
        const entry = entries[i] as Record<string, number>;
        for (const [param, value] of Object.entries(entry)) expect(trial.internal[param], param).toBe(value);
        expect(Object.keys(trial.internal).sort()).toEqual(activeParamNames(shared, trial.internal).sort());
        for (const [param, value] of Object.entries(trial.internal)) {
          const node = shared.byName.get(param);
          if (node !== undefined) expect(isInSupport(node.distribution, value), `${param}=${value}`).toBe(true);
        }
      });
    });

    it('copes with running trials (concurrency 4): sees them, suggests valid values', async () => {
      const { trials, begun, maxRunning } = await run(options, 7, 'minimize', 4);
      expect(begun).toBe(trials.length);
      expect(maxRunning).toBeGreaterThan(0);
      for (const trial of trials) {
        for (const [param, value] of Object.entries(trial.internal)) {
          const node = space.byName.get(param);
          if (node !== undefined) expect(isInSupport(node.distribution, value), `${param}=${value}`).toBe(true);
        }
      }
    });
  });
};
