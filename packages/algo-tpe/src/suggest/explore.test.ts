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
  it("is the parzen profile's first 50 trials (γ 0.15, l(x) at half widths), off in the library profiles, and swaps in only the values it names", () => {
    expect(resolveTpeSettings().explore).toEqual({ trials: 50, gamma: 0.15, belowBandwidth: 0.5 });
    expect(resolveTpeSettings()).toMatchObject({ gamma: 0.1, belowBandwidth: 0.35 });
    for (const profile of ['hyperopt', 'optuna', 'optuna5'] as const) {
      expect(resolveTpeSettings({ profile }).explore).toEqual({ trials: 0 });
    }
    // A setting written at the top level holds for every trial, the profile's own value too: the profile's phase
    // keeps only the others. The profile spelt out is its top-level values and its explore.
    expect(resolveTpeSettings({ gamma: 0.2 }).explore).toEqual({ trials: 50, belowBandwidth: 0.5 });
    expect(resolveTpeSettings({ gamma: 0.1 }).explore).toEqual({ trials: 50, belowBandwidth: 0.5 });
    expect(resolveTpeSettings({ gamma: 0.2, belowBandwidth: 1 }).explore).toEqual({ trials: 0 });
    const spelt = { gamma: 0.1, belowBandwidth: 0.35, explore: { trials: 50, gamma: 0.15, belowBandwidth: 0.5 } };
    expect(resolveTpeSettings(spelt)).toEqual(resolveTpeSettings());
    expect(resolveTpeSettings({ gamma: 0.2, explore: { trials: 5, gamma: 0.3 } }).explore).toEqual({
      trials: 5,
      gamma: 0.3,
    });
    const settings = resolveTpeSettings({ explore: { trials: 10, aboveWeight: 1 } });
    expect(trialSettings(settings, 9)).toEqual({ ...settings, aboveWeight: 1 });
    expect(trialSettings(settings, 10)).toBe(settings);
  });

  it('decides a trial numbered below `trials` as the explore settings would, and later ones as the profile', async () => {
    // Trial 30: still exploring (30 < 31), the same suggestion as the wide settings given as options.
    const early = await replay(explore, 30);
    expect(early).toEqual(await replay({ ...wide, explore: { trials: 0 } }, 30));
    expect(early).toMatchObject({ nBelow: 3, aboveWeight: 1 }); // ⌈0.1 · 30⌉
    // With trials: 30 the same trial is past exploring: the profile's own settings (⌈0.1 · 30⌉ = 3, w 0.65).
    const later = await replay({ explore: { trials: 30, ...wide } }, 30);
    expect(later).toEqual(await replay({ explore: { trials: 0 } }, 30));
    expect(later).toMatchObject({ nBelow: 3, aboveWeight: 0.65 });
    expect(later.params).not.toEqual(early.params);
    // The profile's own phase: trial 30 with γ 0.15 and half widths (⌈0.15 · 30⌉ = 5), trial 50 with its own.
    const profile = await replay({}, 30);
    expect(profile).toEqual(await replay({ gamma: 0.15, belowBandwidth: 0.5, explore: { trials: 0 } }, 30));
    expect(profile.nBelow).toBe(5);
    expect(await replay({}, 50)).toEqual(await replay({ explore: { trials: 0 } }, 50));
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
