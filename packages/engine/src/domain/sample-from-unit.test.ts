import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { type Distribution, isInSupport } from './distribution.js';
import { sampleFromUnit } from './sample-distribution.js';

const distributions: Distribution[] = [
  { kind: 'uniform', low: -2, high: 3 },
  { kind: 'quniform', low: 0.3, high: 7.1, q: 0.5 },
  { kind: 'loguniform', low: 1e-5, high: 1 },
  { kind: 'qloguniform', low: 1, high: 1000, q: 10 },
  { kind: 'normal', mu: 1, sigma: 2 },
  { kind: 'qnormal', mu: 1, sigma: 2, q: 0.25 },
  { kind: 'lognormal', mu: 0, sigma: 1 },
  { kind: 'qlognormal', mu: 0, sigma: 1, q: 0.1 },
  { kind: 'randint', low: -3, high: 4 },
  { kind: 'uniformint', low: 1, high: 5 },
  { kind: 'categorical', size: 4 },
  { kind: 'categorical', size: 3, probabilities: [0.2, 0.3, 0.5] },
];

describe('sampleFromUnit', () => {
  test('maps every u in [0, 1) into the support', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...distributions),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (distribution, u) => {
          expect(isInSupport(distribution, sampleFromUnit(distribution, u))).toBe(true);
        },
      ),
    );
  });

  it('is monotone in u for ordered kinds and follows pchoice probabilities', () => {
    expect(sampleFromUnit({ kind: 'uniform', low: 0, high: 10 }, 0.25)).toBe(2.5);
    expect(sampleFromUnit({ kind: 'loguniform', low: 1e-4, high: 1 }, 0.5)).toBeCloseTo(1e-2, 12);
    expect(sampleFromUnit({ kind: 'randint', low: 0, high: 4 }, 0.99)).toBe(3);
    expect(
      [0.1, 0.3, 0.9].map((u) => sampleFromUnit({ kind: 'categorical', size: 3, probabilities: [0.2, 0.3, 0.5] }, u)),
    ).toEqual([0, 1, 2]);
  });
});
