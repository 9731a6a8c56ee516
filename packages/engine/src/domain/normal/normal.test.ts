import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { erf, erfc, erfcx, logErfc } from './erf.js';
import { ndtriExp } from './ndtri.js';
import { logGaussMass, logNormalCdf, normalCdf } from './normal.js';
import { normalQuantile } from './normal-quantile.js';

const ndtri = (p: number): number => ndtriExp(Math.log(p));

/** Expects each value within `relative` of its reference (a 1e-15 absolute floor for zeros; ±Infinity exact). */
const expectClose = (actual: readonly number[], expected: readonly number[], relative: number): void => {
  expect(actual).toHaveLength(expected.length);
  const misses = expected.flatMap((want, i) => {
    const got = actual[i] as number;
    const ok = Number.isFinite(want) ? Math.abs(got - want) <= relative * Math.abs(want) + 1e-15 : got === want;
    return ok ? [] : [`index ${i}: ${got} vs ${want}`];
  });
  expect(misses).toEqual([]);
};

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

// References: mpmath at 40 digits.
const xs = [-3, -0.3, 1e-5, 0.4, 1, 2.5, 6, 12, 26];
const erfs = [
  -0.9999779095030014, -0.3286267594591274, 1.1283791670579e-5, 0.42839235504666845, 0.8427007929497149,
  0.999593047982555, 1, 1, 1,
];
const erfcs = [
  1.9999779095030015, 1.3286267594591274, 0.9999887162083294, 0.5716076449533315, 0.15729920705028513,
  0.0004069520174449589, 2.1519736712498913e-17, 1.3562611692059042e-64, 5.663192408856143e-296,
];

describe('erf and erfc', () => {
  it('match mpmath to 1e-13 relative, far into the right tail', () => {
    expectClose(xs.map(erf), erfs, 1e-15);
    expectClose(xs.map(erfc), erfcs, 1e-13);
  });

  it('gives log erfc where erfc underflows, and the scaled erfcx', () => {
    expect(erfc(40)).toBe(0);
    expectClose([logErfc(40)], [-1604.2615566532736], 1e-14);
    expectClose([erfcx(100)], [0.005641613782989433], 1e-13);
    expectClose([erfcx(-1)], [2 * Math.E - Math.E * erfc(1) * 1], 1e-14);
  });

  it('is odd and complementary', () => {
    for (const x of [0.1, 0.7, 1.9, 4]) {
      expect(erf(-x)).toBe(-erf(x));
      expect(erf(x) + erfc(x)).toBeCloseTo(1, 15);
    }
    expect(Number.isNaN(erf(Number.NaN))).toBe(true);
  });
});

describe('normalQuantile', () => {
  it('is Φ⁻¹ of a plain probability, to full precision in both tails (mpmath references)', () => {
    expectClose(
      [1e-300, 0.001, 0.025, 0.5, 0.7, 0.975, 0.999999].map(normalQuantile),
      [
        -37.0470962993612, -3.090232306167813, -1.9599639845400543, 0, 0.5244005127080407, 1.9599639845400543,
        4.753424308817087,
      ],
      1e-11,
    );
    expect(normalQuantile(0.5)).toBe(0);
    // Near ½, Φ⁻¹(½ + δ) = √(2π)·δ to first order: within a few 1e-16 absolute.
    const delta = 0.5 + 1e-12 - 0.5;
    expect(Math.abs(normalQuantile(0.5 + delta) - Math.sqrt(2 * Math.PI) * delta)).toBeLessThan(5e-16);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect([normalQuantile(-0.1), normalQuantile(1.1), normalQuantile(Number.NaN)].every(Number.isNaN)).toBe(true);
  });

  test('is antisymmetric about ½: Φ⁻¹(1 − p) = −Φ⁻¹(p)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 0.5, noNaN: true }), (p) => {
        expect(Math.abs(normalQuantile(1 - p) + normalQuantile(p))).toBeLessThanOrEqual(
          1e-6 * Math.max(1, -normalQuantile(p)),
        );
      }),
    );
  });
});
