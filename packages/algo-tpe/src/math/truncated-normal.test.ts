import { createRng, normalCdf } from '@parzen/engine/plugin';
import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { sampleTruncatedNormal, truncatedNormalQuantile } from './truncated-normal.js';

describe('truncated normal sampling', () => {
  it('inverts the truncated CDF, also when the interval lies far in a tail', () => {
    const a = -1;
    const b = 2;
    const x = truncatedNormalQuantile(0.3, a, b);
    expect((normalCdf(x) - normalCdf(a)) / (normalCdf(b) - normalCdf(a))).toBeCloseTo(0.3, 12);
    const far = truncatedNormalQuantile(0.5, 30, 31);
    expect(far).toBeGreaterThan(30);
    expect(far).toBeLessThan(30.1);
    expect(truncatedNormalQuantile(0, a, b)).toBe(a);
    expect(truncatedNormalQuantile(1, a, b)).toBe(b);
  });

  test('always draws inside [low, high]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: 1e-3, max: 10, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: 1e-3, max: 20, noNaN: true }),
        fc.string(),
        (mu, sigma, low, width, seed) => {
          const rng = createRng(seed);
          for (let i = 0; i < 20; i++) {
            const x = sampleTruncatedNormal(rng, mu, sigma, low, low + width);
            expect(x).toBeGreaterThanOrEqual(low);
            expect(x).toBeLessThanOrEqual(low + width);
          }
        },
      ),
    );
  });

  it('has the mean of the truncated distribution (N(0,1) on [0, ∞): √(2/π))', () => {
    const rng = createRng('mean');
    let total = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) total += sampleTruncatedNormal(rng, 0, 1, 0, 50);
    expect(total / n).toBeCloseTo(Math.sqrt(2 / Math.PI), 1);
  });
});
