import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { type Distribution, isInSupport } from './distribution.js';
import { createRng } from './rng.js';
import { roundHalfEven } from './rounding.js';
import { sampleDistribution } from './sample-distribution.js';

const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const q = fc.constantFrom(0.1, 0.25, 0.5, 1, 2, 5);

const bounded = fc.tuple(finite(-1e3, 1e3), finite(1e-3, 1e3)).map(([low, width]) => ({ low, high: low + width }));
const positiveBounded = fc
  .tuple(finite(1e-6, 1e2), finite(1.001, 1e4))
  .map(([low, factor]) => ({ low, high: low * factor }));
const normalParams = fc.record({ mu: finite(-100, 100), sigma: finite(1e-3, 50) });
const intBounds = fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 500 }));

const distribution: fc.Arbitrary<Distribution> = fc.oneof(
  bounded.map((b) => ({ kind: 'uniform' as const, ...b })),
  fc.tuple(bounded, q).map(([b, step]) => ({ kind: 'quniform' as const, ...b, q: step })),
  positiveBounded.map((b) => ({ kind: 'loguniform' as const, ...b })),
  fc.tuple(positiveBounded, q).map(([b, step]) => ({ kind: 'qloguniform' as const, ...b, q: step })),
  normalParams.map((p) => ({ kind: 'normal' as const, ...p })),
  fc.tuple(normalParams, q).map(([p, step]) => ({ kind: 'qnormal' as const, ...p, q: step })),
  fc.record({ mu: finite(-3, 3), sigma: finite(1e-3, 2) }).map((p) => ({ kind: 'lognormal' as const, ...p })),
  fc
    .tuple(fc.record({ mu: finite(-3, 3), sigma: finite(1e-3, 2) }), q)
    .map(([p, step]) => ({ kind: 'qlognormal' as const, ...p, q: step })),
  intBounds.map(([low, width]) => ({ kind: 'randint' as const, low, high: low + width })),
  intBounds.map(([low, width]) => ({ kind: 'uniformint' as const, low, high: low + width })),
  fc.integer({ min: 1, max: 20 }).map((size) => ({ kind: 'categorical' as const, size })),
);

describe('sampleDistribution', () => {
  test('every sample lies in its support and on its grid', () => {
    fc.assert(
      fc.property(distribution, fc.string(), (dist, seed) => {
        const rng = createRng(seed);
        for (let i = 0; i < 50; i++) {
          const value = sampleDistribution(dist, rng);
          expect(isInSupport(dist, value), `${JSON.stringify(dist)} gave ${value}`).toBe(true);
          if ('q' in dist) expect(Math.abs(value / dist.q - roundHalfEven(value / dist.q))).toBeLessThan(1e-6);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is reproducible for a seed', () => {
    const dist: Distribution = { kind: 'normal', mu: 0, sigma: 1 };
    const draw = (seed: string) =>
      Array.from(
        { length: 5 },
        (
          (rng) => () =>
            sampleDistribution(dist, rng)
        )(createRng(seed)),
      );
    expect(draw('a')).toEqual(draw('a'));
    expect(draw('a')).not.toEqual(draw('b'));
  });

  it('gives uniformint ends half the mass of interior values, as hyperopt does', () => {
    const rng = createRng('ends');
    const counts = new Map<number, number>();
    for (let i = 0; i < 40_000; i++) {
      const value = sampleDistribution({ kind: 'uniformint', low: 1, high: 5 }, rng);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    expect((counts.get(1) ?? 0) / 40_000).toBeCloseTo(1 / 8, 1);
    expect((counts.get(3) ?? 0) / 40_000).toBeCloseTo(1 / 4, 1);
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('draws pchoice options with their probabilities', () => {
    const rng = createRng('p');
    let ones = 0;
    for (let i = 0; i < 20_000; i++)
      ones += sampleDistribution({ kind: 'categorical', size: 2, probabilities: [0.2, 0.8] }, rng);
    expect(ones / 20_000).toBeCloseTo(0.8, 1);
  });

  it('keeps loguniform values within real-valued bounds', () => {
    const rng = createRng('log');
    for (let i = 0; i < 1000; i++) {
      const value = sampleDistribution({ kind: 'loguniform', low: 1e-5, high: 1 }, rng);
      expect(value).toBeGreaterThanOrEqual(1e-5);
      expect(value).toBeLessThanOrEqual(1);
    }
  });
});

describe('roundHalfEven', () => {
  it('rounds ties to even like numpy', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map((x) => roundHalfEven(x) + 0)).toEqual([0, 2, 2, 0, -2, 2, 3]);
  });
});
