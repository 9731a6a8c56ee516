import { describe, expect, it } from 'vitest';
import { erf, erfc, erfcx, logErfc } from './erf.js';
import { expectClose } from './fixtures/vectors.js';

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
