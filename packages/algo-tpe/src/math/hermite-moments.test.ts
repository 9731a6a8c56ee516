import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { HermiteMoments } from './hermite-moments.js';

const direct = (kernels: readonly [number, number][], h: number, x: number): number =>
  kernels.reduce((sum, [mu, c]) => sum + c * Math.exp(-((x - mu) ** 2) / (2 * h * h)), 0);

describe('HermiteMoments (fast Gauss transform)', () => {
  test('equals the direct sum to 1e-13 of the total mass', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true })), {
          minLength: 1,
          maxLength: 400,
        }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(0.01, 0.03, 0.2),
        (kernels, x, h) => {
          const moments = new HermiteMoments(0, 1, h);
          for (const [mu, c] of kernels) moments.add(mu, c);
          const mass = kernels.reduce((sum, [, c]) => sum + c, 0);
          expect(Math.abs(moments.evaluate(x) - direct(kernels, h, x))).toBeLessThanOrEqual(1e-13 * mass);
        },
      ),
    );
  });

  it('removes a kernel added before', () => {
    const moments = new HermiteMoments(-2, 2, 0.04);
    moments.add(0.3, 2);
    moments.add(0.31, 1);
    moments.add(0.3, -2);
    expect(moments.evaluate(0.32)).toBeCloseTo(Math.exp(-(0.01 ** 2) / (2 * 0.04 ** 2)), 14);
  });
});
