import { compileSpace, createRng } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import type { GaussianComponents } from '../estimator/density.js';
import { scaleBandwidths } from '../estimator/parzen-estimator.js';
import { explainSuggestion } from '../explain/explain-suggestion.js';
import type { ParamExplanation } from '../explain/explanation.js';
import { valleyTrials } from '../history/fixtures.js';
import { resolveTpeSettings, type TpeOptions } from '../options.js';

// Two continuous parameters along a valley (so the default frame turns them) and a choice.
const space = compileSpace({
  x: { type: 'uniform', low: 0, high: 1 },
  y: { type: 'uniform', low: 0, high: 1 },
  model: { type: 'choice', options: ['a', 'b'] },
});
const trials = valleyTrials(40);

const explain = async (options: TpeOptions) =>
  (await explainSuggestion({ space, trials, rng: createRng('below-bandwidth'), options })).explanation.params;
const gaussian = (params: readonly ParamExplanation[], name: string, side: 'l' | 'g'): GaussianComponents => {
  const found = params.find((p) => p.name === name)?.[side];
  if (found?.kind !== 'gaussian') throw new Error(`${name}: no gaussian ${side}`);
  return found;
};

describe('belowBandwidth: a factor on the widths of l(x) kernels built from the below trials', () => {
  it('is 0.35 in the parzen profile (0.5 for its first 50 trials) and 1 (the family widths) in the library profiles', () => {
    // 0.35 from trial 50 on, 0.5 before (the profile's explore).
    expect(resolveTpeSettings().belowBandwidth).toBe(0.35);
    expect(resolveTpeSettings().explore.belowBandwidth).toBe(0.5);
    for (const profile of ['hyperopt', 'optuna', 'optuna5'] as const) {
      expect(resolveTpeSettings({ profile }).belowBandwidth).toBe(1);
    }
  });

  for (const [label, options] of [
    ['one parameter at a time', { grouping: 'independent' }],
    ['a joint decision on the parameters axes', { grouping: 'joint', frame: 'axes' }],
    ['a joint decision in the principal axes of the below trials', { grouping: 'joint', frame: 'principal' }],
  ] as const) {
    it(`scales the below trials' kernels, not the prior's, and leaves g(x) alone: ${label}`, async () => {
      const plain = await explain({ ...options, belowBandwidth: 1 });
      const narrow = await explain({ ...options, belowBandwidth: 0.5 });
      for (const name of ['x', 'y']) {
        const before = gaussian(plain, name, 'l');
        const after = gaussian(narrow, name, 'l');
        expect(after.mus).toEqual(before.mus);
        expect(after.trials).toEqual(before.trials);
        before.sigmas.forEach((sigma, k) => {
          const expected = before.trials[k] === null ? sigma : sigma / 2;
          expect(after.sigmas[k] as number).toBeCloseTo(expected, 12);
        });
        expect(gaussian(narrow, name, 'g')).toEqual(gaussian(plain, name, 'g'));
      }
      // The candidates come from the narrower l(x): closer to the below trials.
      const spread = (params: readonly ParamExplanation[]) => {
        const l = gaussian(params, 'x', 'l');
        const centres = l.mus.filter((_, k) => l.trials[k] !== null);
        const x = params.find((p) => p.name === 'x')?.candidates.x ?? [];
        return x.reduce((sum, v) => sum + Math.min(...centres.map((c) => Math.abs((v as number) - c))), 0);
      };
      expect(spread(narrow)).toBeLessThan(spread(plain));
    });
  }

  it('scaleBandwidths: numeric dimensions only, the prior component kept, 1 is the identity', () => {
    const estimator = {
      weights: Float64Array.of(0.5, 0.5),
      truncation: 'kernel' as const,
      sources: Int32Array.of(0, -1),
      dimensions: [
        { kind: 'numeric' as const, mus: Float64Array.of(0.2, 0.5), sigmas: Float64Array.of(0.1, 1), low: 0, high: 1 },
        {
          kind: 'categorical' as const,
          prior: Float64Array.of(0.5, 0.5),
          options: Int32Array.of(1, -1),
          keep: 0.9,
        },
      ],
    };
    expect(scaleBandwidths(estimator, 1)).toBe(estimator);
    const scaled = scaleBandwidths(estimator, 0.25);
    expect(Array.from((scaled.dimensions[0] as { sigmas: Float64Array }).sigmas)).toEqual([0.025, 1]);
    expect(scaled.dimensions[1]).toBe(estimator.dimensions[1]);
    expect(Array.from((estimator.dimensions[0] as { sigmas: Float64Array }).sigmas)).toEqual([0.1, 1]);
  });
});
