import { logGaussMass } from '@parzen/engine/plugin';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { logKernelMass, memoLogKernelMass } from '../estimator/parzen-estimator.js';
import { memoLogGaussMass } from './gauss-mass-memo.js';

describe('memoLogGaussMass', () => {
  test('gives logGaussMass bit for bit, asked once or again, past the memo starting afresh', () => {
    const same = (a: number, b: number) => expect(Object.is(memoLogGaussMass(a, b), logGaussMass(a, b))).toBe(true);
    const special = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-300, -40, 40];
    for (const a of special) for (const b of special) same(a, b);
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50 }), fc.double({ min: 0, max: 10, noNaN: true }), (a, width) => {
        same(a, a + width);
        // Again: now from the memo.
        same(a, a + width);
      }),
      { numRuns: 2000 },
    );
    // More pairs than the memo holds (it starts afresh when half full), then the first ones again.
    const pairs = Array.from({ length: 20_000 }, (_, i) => [-5 + i * 0.0005, -4.9 + i * 0.0005] as const);
    for (const [a, b] of pairs) same(a, b);
    for (const [a, b] of pairs.slice(0, 100)) same(a, b);
    // Pairs whose bits differ in one word only are told apart (−0 from +0, the low bits of a).
    expect(Object.is(memoLogGaussMass(-0, 1), logGaussMass(-0, 1))).toBe(true);
    expect(memoLogGaussMass(0.1, 0.2)).toBe(logGaussMass(0.1, 0.2));
    expect(memoLogGaussMass(0.1 + 2 ** -56, 0.2)).toBe(logGaussMass(0.1 + 2 ** -56, 0.2));
  });

  test("a kernel's truncated mass through the memo is the one computed directly (a binned sum's coefficients)", () => {
    fc.assert(
      fc.property(fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: 1e-3, max: 30 }), (mu, sigma) => {
        for (let again = 0; again < 2; again++)
          expect(Object.is(memoLogKernelMass(mu, sigma, -3, 9), logKernelMass(mu, sigma, -3, 9))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
