import { createMemoryStore } from '@parzen/engine';
import { compileSpace, createFunctionObjective, runStudy } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { resolveTpeSettings, type TpeOptions } from '../options.js';
import { createTpeSuggester } from '../tpe-suggester.js';
import { encodingOf, familyOf } from './models.js';

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
    for (const compat of ['hyperopt', 'optuna', 'optuna5'] as const)
      expect(resolveTpeSettings({ compat }).randint).toBe('unordered');
  });

  it('ordered: the integers of a uniformint (a numeric grid); unordered: one option per integer', () => {
    if (k === undefined) throw new Error('no k');
    const family = familyOf({ kernel: 'optuna' });
    const ordered = encodingOf(family, k, { randint: 'ordered' });
    expect(ordered).toMatchObject({ kind: 'numeric', binned: true, low: -0.5, high: 199.5 });
    expect(encodingOf(family, k, { randint: 'unordered' })).toMatchObject({ kind: 'categorical' });
    expect(encodingOf(family, k, { randint: 'ordered' })).toBe(ordered); // built once
  });

  it('ordered finds a good integer among 200 sooner: neighbours of a good one share its evidence', async () => {
    const seeds = Array.from({ length: 9 }, (_, i) => i + 1);
    const ordered = await Promise.all(seeds.map((seed) => bestDistance({}, seed)));
    const unordered = await Promise.all(seeds.map((seed) => bestDistance({ randint: 'unordered' }, seed)));
    expect(median(ordered)).toBeLessThan(median(unordered));
    expect(median(ordered)).toBeLessThanOrEqual(2);
  });
});
