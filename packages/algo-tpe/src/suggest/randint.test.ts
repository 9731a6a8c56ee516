import { createMemoryStore } from '@parzen/engine';
import { compileSpace, createFunctionObjective, createRng, runStudy } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { explainSuggestion } from '../explain/explain-suggestion.js';
import { resolveTpeSettings, type TpeOptions } from '../options.js';
import { createTpeSuggester } from '../tpe-suggester.js';
import { encodingOf, familyOf, MAX_UNORDERED_RANDINT } from './models.js';

const definition = { k: { type: 'randint', low: 0, high: 200 } } as const;
const space = compileSpace(definition);
const k = space.params[0]?.distribution;

/** The best |k − 123| a 40-trial study finds with `options`, for one seed. */
const bestDistance = async (options: TpeOptions, seed: number): Promise<number> => {
  const result = await runStudy({
    spec: { name: 'randint', direction: 'minimize', seed, space: definition },
    space,
    store: createMemoryStore(),
    suggester: createTpeSuggester(options),
    objective: createFunctionObjective((params) => Math.abs((params.k as number) - 123)),
    budget: { maxTrials: 40 },
  });
  return result.summary.best?.loss ?? Number.POSITIVE_INFINITY;
};
const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

describe('randint: unordered options (hyperopt) or ordered integers (parzen)', () => {
  it('is ordered in the parzen profile and unordered in the library profiles', () => {
    expect(resolveTpeSettings().randint).toBe('ordered');
    for (const profile of ['hyperopt', 'optuna', 'optuna5'] as const)
      expect(resolveTpeSettings({ profile }).randint).toBe('unordered');
  });

  it('ordered: the integers of a uniformint (a numeric grid); unordered: one option per integer', () => {
    if (k === undefined) throw new Error('no k');
    const family = familyOf({ kernel: 'optuna' });
    const ordered = encodingOf(family, k, { randint: 'ordered' });
    expect(ordered).toMatchObject({ kind: 'numeric', binned: true, low: -0.5, high: 199.5 });
    expect(encodingOf(family, k, { randint: 'unordered' })).toMatchObject({ kind: 'categorical' });
    expect(encodingOf(family, k, { randint: 'ordered' })).toBe(ordered); // built once
  });

  it('models a randint of more than 10,000 integers ordered under every profile, so a huge range runs (trial 91)', async () => {
    const family = familyOf({ kernel: 'optuna' });
    const at = (high: number) => compileSpace({ k: { type: 'randint', low: 0, high } }).params[0]?.distribution;
    const edge = at(MAX_UNORDERED_RANDINT);
    const past = at(MAX_UNORDERED_RANDINT + 1);
    if (edge === undefined || past === undefined) throw new Error('no k');
    expect(encodingOf(family, edge, { randint: 'unordered' })).toMatchObject({ kind: 'categorical' });
    expect(encodingOf(family, past, { randint: 'unordered' })).toMatchObject({ kind: 'numeric', binned: true });
    // 0..2^53-1 under the hyperopt and Optuna profiles: "Invalid typed array length" at the first TPE trial.
    const huge = { k: { type: 'randint', low: 0, high: Number.MAX_SAFE_INTEGER } } as const;
    for (const profile of ['hyperopt', 'optuna', 'optuna5'] as const) {
      const result = await runStudy({
        spec: { name: 'huge', direction: 'minimize', seed: 1, space: huge },
        space: compileSpace(huge),
        store: createMemoryStore(),
        suggester: createTpeSuggester({ profile, startupTrials: 2 }),
        objective: createFunctionObjective((params) => Math.abs((params.k as number) - 2 ** 40)),
        budget: { maxTrials: 6 },
      });
      expect(result.summary).toMatchObject({ complete: 6, failed: 0 });
      for (const trial of result.trials) {
        const value = trial.internal.k as number;
        expect(Number.isInteger(value) && value >= 0 && value < Number.MAX_SAFE_INTEGER).toBe(true);
      }
    }
  });

  it('models an integer of one value as its one option under every profile: finite scores, that value (review 95)', async () => {
    const one = { j: { type: 'uniformint', low: 5, high: 5 }, r: { type: 'randint', low: 7, high: 8 } } as const;
    const oneSpace = compileSpace(one);
    const history = Array.from({ length: 12 }, (_, number) => ({
      study: 's',
      number,
      state: 'complete' as const,
      internal: { j: 5, r: 7 },
      loss: number,
      startedAt: '',
      finishedAt: '',
    }));
    for (const profile of ['parzen', 'hyperopt', 'optuna', 'optuna5'] as const) {
      const { params, explanation } = await explainSuggestion({
        space: oneSpace,
        trials: history,
        rng: createRng(`one-${profile}`),
        trialNumber: 12,
        options: { profile, randint: 'ordered', startupTrials: 5 },
      });
      expect(params).toEqual({ j: 5, r: 7 });
      expect(explanation.params.map((param) => param.name).sort()).toEqual(['j', 'r']);
      for (const param of explanation.params) {
        expect(param.l.kind, `${profile} ${param.name}`).toBe('categorical');
        for (const value of [...param.candidates.score, ...param.grid.logL, ...param.grid.logG])
          expect(Number.isFinite(value), `${profile} ${param.name}`).toBe(true);
      }
    }
  });

  it('ordered finds a good integer among 200 sooner: neighbours of a good one share its evidence', async () => {
    const seeds = Array.from({ length: 9 }, (_, i) => i + 1);
    const ordered = await Promise.all(seeds.map((seed) => bestDistance({}, seed)));
    const unordered = await Promise.all(seeds.map((seed) => bestDistance({ randint: 'unordered' }, seed)));
    expect(median(ordered)).toBeLessThan(median(unordered));
    expect(median(ordered)).toBeLessThanOrEqual(2);
  });
});
