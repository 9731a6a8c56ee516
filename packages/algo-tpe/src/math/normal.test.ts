import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { expectClose } from './fixtures/vectors.js';
import { ndtriExp } from './ndtri.js';

const ndtri = (p: number): number => ndtriExp(Math.log(p));

import { logGaussMass, logNormalCdf, normalCdf } from './normal.js';

describe('normal CDF helpers', () => {
  it('computes log Φ in both tails (mpmath references)', () => {
    expectClose(
      [-40, -8, 0.5, 9].map(logNormalCdf),
      [-804.6084420137538, -35.01343715991455, -0.3689464152886564, -1.1285884059538405e-19],
      1e-13,
    );
  });

  it('computes log(Φ(b) − Φ(a)) without cancellation, left, right and central', () => {
    expectClose(
      [logGaussMass(-1, 1), logGaussMass(2, 3), logGaussMass(30, 31), logGaussMass(-31, -30)],
      [-0.38171514630212605, -3.8443534263342056, -454.32124395634327, -454.32124395634327],
      1e-13,
    );
  });
});

describe('ndtriExp', () => {
  it('inverts Φ deep in both tails (mpmath references)', () => {
    expectClose(
      [ndtri(1e-300), ndtri(1e-20), ndtri(0.025), ndtri(0.7)],
      [-37.0470962993612, -9.262340089798407, -1.9599639845400543, 0.5244005127080407],
      1e-12,
    );
    // Near p = 1 the quantile moves 2e5 times faster than p: one ulp of p is 2e-11 of x.
    expectClose([ndtri(0.999999)], [4.753424308817087], 1e-11);
    expect(ndtriExp(0)).toBe(Number.POSITIVE_INFINITY);
    expect(ndtriExp(Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
  });

  test('round-trips Φ(ndtriExp(log Φ(x))) = x', () => {
    fc.assert(
      fc.property(fc.double({ min: -37, max: 8, noNaN: true }), (x) => {
        expect(Math.abs(ndtriExp(logNormalCdf(x)) - x)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x)));
        expect(normalCdf(x)).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
