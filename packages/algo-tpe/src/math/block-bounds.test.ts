import { logGaussMass } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { binnedSumBackend } from '../estimator/backends/binned-sum.js';
import type { ParzenEstimator } from '../estimator/parzen-estimator.js';
import { BLOCK_SIZE as BLOCK, blockBounds, blockMaxima, firstVisit, secondVisit } from './block-bounds.js';
import { logGaussianSum, prepareGaussianSum } from './gaussian-sum.js';

/** The blocks a sum visits, given the log sum its first visits find. */
const visited = (bounds: number[], reference: number, logSum: number): number[] => [
  ...bounds.flatMap((bound, b) => (firstVisit(bound, reference) ? [b] : [])),
  ...bounds.flatMap((bound, b) => (secondVisit(bound, reference, logSum) ? [b] : [])),
];

/**
 * Three blocks whose largest bound is loose: block 0 spans 0 but its kernels are at least `gap` away at σ 0.01
 * (about e^−60 at 0), block 1 (σ 0.1, coefficient e^−45, from `gap` + 0.05) is bounded below the cut-off and
 * holds most of the sum, block 2 lies far off.
 */
const looselyBounded = (gap: number): { mus: number[]; sigmas: number[]; logCoefs: number[] } => {
  const mus: number[] = [];
  const sigmas: number[] = [];
  const logCoefs: number[] = [];
  for (let k = 0; k < BLOCK; k++) {
    mus.push(k < BLOCK / 2 ? -1 + (k / BLOCK) * 1.5 : gap + (k - BLOCK / 2) * 0.002);
    sigmas.push(0.01);
    logCoefs.push(0);
  }
  for (let k = 0; k < BLOCK; k++) {
    mus.push(gap + 0.05 + k * 0.001);
    sigmas.push(0.1);
    logCoefs.push(-45);
  }
  for (let k = 0; k < BLOCK; k++) {
    mus.push(5 + k * 0.01);
    sigmas.push(0.1);
    logCoefs.push(0);
  }
  return { mus, sigmas, logCoefs };
};

/** log Σ exp(terms), directly. */
const directLogSum = (terms: readonly number[]): number => {
  const max = Math.max(...terms);
  return max + Math.log(terms.reduce((total, term) => total + Math.exp(term - max), 0));
};

describe('block pruning', () => {
  it('takes the largest of each block of 32', () => {
    const values = Float64Array.from({ length: BLOCK + 3 }, (_, k) => (k === 5 ? 9 : k === BLOCK + 1 ? 4 : 0));
    expect([...blockMaxima(values)]).toEqual([9, 4]);
  });

  it('bounds a block by its widest kernel and largest coefficient at its nearest centre', () => {
    const mus = Float64Array.from({ length: 2 * BLOCK }, (_, k) => k);
    const bounds = new Float64Array(2);
    const reference = blockBounds(mus, Float64Array.of(1, 2), Float64Array.of(0, -1), bounds, 40, 40, -Math.LN2);
    // Block 0 (centres 0..31) lies 9 below 40: 0 − ½·9² − ln 2; block 1 (32..63) holds 40.
    expect(bounds[0]).toBeCloseTo(-40.5 - Math.LN2, 12);
    expect(bounds[1]).toBe(-1);
    expect(reference).toBe(-1);
  });

  it('visits the blocks within e^−40 of the largest bound, then those within e^−40 of the sum found', () => {
    // The largest bound was loose (the sum is e^−60): a block bounded at −46 can still matter.
    expect(visited([0, -46, -200], 0, -60)).toEqual([0, 1]);
    // A tight bound: the same block is left out.
    expect(visited([0, -46, -200], 0, -1)).toEqual([0]);
    // No sum found: nothing more.
    expect(visited([0, -46], 0, Number.NaN)).toEqual([0]);
  });

  it('sums a Gaussian mixture exactly when the block holding x has only far, narrow kernels', () => {
    const { mus, sigmas, logCoefs } = looselyBounded(0.11);
    const expected = directLogSum(
      mus.map((mu, k) => (logCoefs[k] as number) - 0.5 * ((0 - mu) / (sigmas[k] as number)) ** 2),
    );
    const sum = prepareGaussianSum(
      Float64Array.from(mus),
      Float64Array.from(sigmas),
      Float64Array.from(logCoefs, Math.exp),
    );
    expect(expected).toBeGreaterThan(-50);
    expect(Math.abs(logGaussianSum(sum, 0) - expected)).toBeLessThan(1e-12 * Math.abs(expected));
  });
});

describe('the binned sum visits the blocks that matter too', () => {
  it('sums the mass of a bin exactly when the block holding it has only far, narrow kernels', () => {
    // As for the Gaussian sum above, for the bin [0, 0.01].
    const { mus, sigmas, logCoefs } = looselyBounded(0.12);
    const weights = logCoefs.map(Math.exp);
    const estimator: ParzenEstimator = {
      weights: Float64Array.from(weights),
      dimensions: [
        {
          kind: 'numeric',
          mus: Float64Array.from(mus),
          sigmas: Float64Array.from(sigmas),
          low: Number.NEGATIVE_INFINITY,
          high: Number.POSITIVE_INFINITY,
        },
      ],
      truncation: 'none',
      sources: Int32Array.from(mus, (_, k) => k),
    };
    const expected = directLogSum(
      mus.map(
        (mu, k) =>
          Math.log(weights[k] as number) +
          logGaussMass((0 - mu) / (sigmas[k] as number), (0.01 - mu) / (sigmas[k] as number)),
      ),
    );
    const [found] = binnedSumBackend(estimator)([{ at: Float64Array.of(0), upper: Float64Array.of(0.01) }], true);
    expect(expected).toBeGreaterThan(-55);
    expect(Math.abs((found as number) - expected)).toBeLessThan(1e-12 * Math.abs(expected));
  });
});
