import { logGaussMass } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { estimatorDensity, strongestKernel } from './density.js';
import type { Encoding } from './encoding.js';
import { optunaFamily } from './families/optuna.js';
import { type ParzenEstimator, strongestComponent } from './parzen-estimator.js';

/** Two observations' kernels and the prior's, over a bounded numeric dimension and a 3-option choice. */
const estimator: ParzenEstimator = {
  weights: Float64Array.of(0.5, 0.3, 0.2),
  dimensions: [
    { kind: 'numeric', mus: Float64Array.of(0.9, 0.2, 0.5), sigmas: Float64Array.of(0.1, 0.3, 1), low: 0, high: 1 },
    { kind: 'categorical', prior: Float64Array.of(0.2, 0.3, 0.5), options: Int32Array.of(0, 2, -1), keep: 0.8 },
  ],
  truncation: 'kernel',
  sources: Int32Array.of(1, 0, -1),
};

/** Each component's w_k K_k(x) by hand: a Gaussian cut and renormalised on [0, 1], times its option row. */
const byHand = (x: number, option: number): number[] => {
  const [numeric, categorical] = estimator.dimensions;
  if (numeric?.kind !== 'numeric' || categorical?.kind !== 'categorical') throw new Error('the fixture changed');
  return [0, 1, 2].map((k) => {
    const mu = numeric.mus[k] as number;
    const sigma = numeric.sigmas[k] as number;
    const gauss = Math.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI));
    const mass = Math.exp(logGaussMass((0 - mu) / sigma, (1 - mu) / sigma));
    const own = categorical.options[k] as number;
    // The prior component's row is the prior; an observation's keeps `keep` on its own option.
    const prior = categorical.prior[option] as number;
    const row = own < 0 ? prior : (own === option ? categorical.keep : 0) + (1 - categorical.keep) * prior;
    return ((estimator.weights[k] as number) * gauss * row) / mass;
  });
};

const point = (x: number, option: number) => [{ at: Float64Array.of(x) }, { at: Float64Array.of(option) }];

describe('strongestComponent: which kernel accounts for most of the density at a point', () => {
  it.each([
    [0.88, 0],
    [0.88, 2],
    [0.25, 2],
    [0.5, 1],
    [0.02, 0],
  ])('at x = %s, option %s: the largest w_k K_k(x) and its share of the sum, as by hand', (x, option) => {
    const terms = byHand(x, option);
    const total = terms.reduce((a, b) => a + b, 0);
    const best = terms.indexOf(Math.max(...terms));
    const found = strongestComponent(estimator, point(x, option));
    expect(found?.component).toBe(best);
    expect(found?.share).toBeCloseTo((terms[best] as number) / total, 12);
  });

  it('is the prior where the observations are far, and nothing where the density is 0 (outside the bounds)', () => {
    expect(strongestComponent(estimator, point(0.5, 1))?.component).toBe(2);
    expect(strongestComponent(estimator, point(1.5, 0))).toBeUndefined();
  });
});

describe('strongestKernel: the same, named by trial number (null for the prior)', () => {
  const encodings: Encoding[] = [
    optunaFamily.encode({ kind: 'uniform', low: 0, high: 1 }),
    { kind: 'categorical', size: 3, offset: 0 },
  ];
  const density = estimatorDensity(estimator, encodings);

  it('maps a component to the trial number of its observation, in internal values', () => {
    const numbers = Int32Array.of(17, 42);
    // Component 0 is observation 1 (trial 42), component 1 observation 0 (trial 17).
    expect(strongestKernel(density, [0.88, 0], numbers)).toEqual({
      trial: 42,
      share: expect.closeTo((byHand(0.88, 0)[0] as number) / byHand(0.88, 0).reduce((a, b) => a + b, 0), 12),
    });
    expect(strongestKernel(density, [0.25, 2], numbers)?.trial).toBe(17);
    expect(strongestKernel(density, [0.5, 1], numbers)?.trial).toBeNull();
  });

  it('takes observations with the same kernel (one option) as one, their shares added (review 111: a sixth each)', () => {
    // Three trials at option 1, one at option 0, and the prior: a choice alone.
    const choice: ParzenEstimator = {
      weights: Float64Array.of(0.2, 0.2, 0.2, 0.2, 0.2),
      dimensions: [
        { kind: 'categorical', prior: Float64Array.of(0.5, 0.5), options: Int32Array.of(1, 0, 1, 1, -1), keep: 0.9 },
      ],
      truncation: 'kernel',
      sources: Int32Array.of(0, 1, 2, 3, -1),
    };
    const kernel = strongestKernel(
      estimatorDensity(choice, [{ kind: 'categorical', size: 2, offset: 0 }]),
      [1],
      Int32Array.of(5, 6, 7, 8),
    );
    // At option 1: each of the three gives 0.2 · 0.95, #6 0.2 · 0.05, the prior 0.2 · 0.5.
    const total = 3 * 0.2 * 0.95 + 0.2 * 0.05 + 0.2 * 0.5;
    expect(kernel).toEqual({ trial: 5, share: expect.closeTo((3 * 0.2 * 0.95) / total, 12), trials: [5, 7, 8] });
    // Where the density is 0, none: a density that cannot say (no kernelAt), none either.
    const { kernelAt: _, ...unsaid } = density;
    expect(strongestKernel(unsaid, [0.88, 0], Int32Array.of(17, 42))).toBeUndefined();
  });
});
