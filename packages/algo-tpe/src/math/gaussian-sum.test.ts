import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { fastExpNonPositive } from './fast-exp.js';
import { logGaussianSum, prepareGaussianSum } from './gaussian-sum.js';

const direct = (mus: number[], sigmas: number[], logCoefs: number[], x: number): number => {
  const terms = mus.map((mu, k) => (logCoefs[k] as number) - 0.5 * ((x - mu) / (sigmas[k] as number)) ** 2);
  const max = Math.max(...terms);
  return max + Math.log(terms.reduce((sum, t) => sum + Math.exp(t - max), 0));
};

describe('logGaussianSum', () => {
  test('equals the direct log-sum-exp to 1e-12 relative, whatever it skips', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -5, max: 5, noNaN: true }),
            fc.double({ min: 1e-3, max: 3, noNaN: true }),
            fc.double({ min: -30, max: 0, noNaN: true }),
          ),
          {
            minLength: 1,
            maxLength: 300,
          },
        ),
        fc.double({ min: -8, max: 8, noNaN: true }),
        (components, x) => {
          const sorted = [...components].sort((a, b) => a[0] - b[0]);
          const mus = sorted.map((c) => c[0]);
          const sigmas = sorted.map((c) => c[1]);
          const logCoefs = sorted.map((c) => c[2]);
          const sum = prepareGaussianSum(
            Float64Array.from(mus),
            Float64Array.from(sigmas),
            Float64Array.from(logCoefs, Math.exp),
          );
          const expected = direct(mus, sigmas, logCoefs, x);
          expect(Math.abs(logGaussianSum(sum, x) - expected)).toBeLessThanOrEqual(
            1e-12 * Math.max(1, Math.abs(expected)),
          );
        },
      ),
    );
  });

  it('visits only nearby blocks for many narrow kernels and still sums exactly', () => {
    const n = 5000;
    const mus = Float64Array.from({ length: n }, (_, i) => i / n);
    const sigmas = new Float64Array(n).fill(0.01);
    const logCoefs = new Float64Array(n).fill(-Math.log(n));
    const sum = prepareGaussianSum(mus, sigmas, logCoefs.map(Math.exp));
    expect(Math.abs(logGaussianSum(sum, 0.5) - direct([...mus], [...sigmas], [...logCoefs], 0.5))).toBeLessThan(1e-12);
  });
});

describe('fastExpNonPositive', () => {
  test('is within 5e-16 of Math.exp', () => {
    fc.assert(
      fc.property(fc.double({ min: -744, max: 0, noNaN: true }), (t) => {
        expect(Math.abs(fastExpNonPositive(t) / Math.exp(t) - 1)).toBeLessThanOrEqual(5e-16);
      }),
    );
  });
});
