import { describe, expect, it } from 'vitest';
import { expectClose, vectors } from './fixtures/vectors.js';
import { linearForgettingWeight, linearForgettingWeights } from './linear-forgetting.js';

describe('linearForgettingWeights', () => {
  for (const [n, expected] of Object.entries<number[]>(vectors.hyperopt.linear_forgetting)) {
    it(`matches hyperopt for n = ${n}`, () => expectClose(linearForgettingWeights(Number(n)), expected));
  }
  for (const [n, expected] of Object.entries<number[]>(vectors.optuna_current.default_weights)) {
    it(`matches Optuna's default_weights for n = ${n}`, () =>
      expectClose(linearForgettingWeights(Number(n)), expected));
  }

  it('ramps from 1/n to 1 over the oldest n − 25 and keeps the newest 25 at 1', () => {
    expect(linearForgettingWeight(0, 100)).toBeCloseTo(0.01, 15);
    expect(linearForgettingWeight(74, 100)).toBe(1);
    expect(linearForgettingWeight(37, 100)).toBeCloseTo(0.01 + (37 * 0.99) / 74, 14);
    expect(linearForgettingWeight(99, 100)).toBe(1);
  });
});
