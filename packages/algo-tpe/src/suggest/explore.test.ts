import { createMemoryStore } from '@parzen/engine';
import { compileSpace, createFunctionObjective, createRng, runStudy } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { explainSuggestion } from '../explain/explain-suggestion.js';
import { valleyLoss, valleyTrials } from '../history/fixtures.js';
import { resolveTpeSettings, type TpeOptions, trialSettings } from '../options.js';
import { createTpeSuggester } from '../tpe-suggester.js';

const definition = {
  x: { type: 'uniform', low: 0, high: 1 },
  y: { type: 'uniform', low: 0, high: 1 },
  model: { type: 'choice', options: ['a', 'b'] },
} as const;
const space = compileSpace(definition);
const trials = valleyTrials(30);

const wide = { belowBandwidth: 1, aboveWeight: 1, gamma: 0.1 } as const;
const explore = { explore: { trials: 31, ...wide } } satisfies TpeOptions;

/** The suggestion TPE makes as trial `trialNumber` of a study holding `trials`, with `options`. */
const replay = async (options: TpeOptions, trialNumber: number) => {
  const suggestion = await explainSuggestion({
    space,
    trials,
    rng: createRng(`explore-${trialNumber}`),
    trialNumber,
    options,
  });
  return {
    params: suggestion.params,
    nBelow: suggestion.explanation.nBelow,
    aboveWeight: suggestion.explanation.aboveWeight,
  };
};

describe('explore: the first trials decided with wider settings', () => {
  it('is off in every profile ({"trials": 0}) and swaps in only the values it names', () => {
    for (const compat of ['parzen', 'hyperopt', 'optuna', 'optuna5'] as const) {
      expect(resolveTpeSettings({ compat }).explore).toEqual({ trials: 0 });
    }
    const settings = resolveTpeSettings({ explore: { trials: 10, aboveWeight: 1 } });
    expect(trialSettings(settings, 9)).toEqual({ ...settings, aboveWeight: 1 });
    expect(trialSettings(settings, 10)).toBe(settings);
  });

  it('decides a trial numbered below `trials` as the explore settings would, and later ones as the profile', async () => {
    // Trial 30: still exploring (30 < 31), the same suggestion as the wide settings given as options.
    const early = await replay(explore, 30);
    expect(early).toEqual(await replay(wide, 30));
    expect(early).toMatchObject({ nBelow: 3, aboveWeight: 1 }); // ⌈0.1 · 30⌉
    // With trials: 30 the same trial is past exploring: the profile's suggestion (⌈0.15 · 30⌉ = 5).
    const later = await replay({ explore: { trials: 30, ...wide } }, 30);
    expect(later).toEqual(await replay({}, 30));
    expect(later).toMatchObject({ nBelow: 5, aboveWeight: 0.65 });
    expect(later.params).not.toEqual(early.params);
  });

  it('gives a study the same trials with and without the incremental caches (explanations use the reference path)', async () => {
    const run = async (explain: boolean) => {
      const result = await runStudy({
        spec: { name: 'e', direction: 'minimize', seed: 3, space: definition },
        space,
        store: createMemoryStore(),
        suggester: createTpeSuggester({ explore: { trials: 15, ...wide } }),
        objective: createFunctionObjective((p) => valleyLoss(p.x as number, p.y as number, p.model === 'a' ? 0 : 1)),
        budget: { maxTrials: 30 },
        explain,
      });
      return result.trials.map((trial) => trial.internal);
    };
    expect(await run(true)).toEqual(await run(false));
  });
});
