import { describe, expect, it } from 'vitest';
import { categoricalProbabilities } from '../density.js';
import type { Encoding } from '../encoding.js';
import type { DensityFamily, FamilySettings } from '../family.js';
import type { ParzenEstimator } from '../parzen-estimator.js';
import { hyperoptFamily } from './hyperopt.js';
import { optunaFamily } from './optuna.js';

const settings = (priorWeight: number): FamilySettings => ({
  priorWeight,
  forgetting: 0,
  bandwidthFloor: 0.01,
  bandwidthExponent: 1,
});
const priorShare = (estimator: ParzenEstimator): number => estimator.weights[estimator.sources.indexOf(-1)] as number;
const uniform = { kind: 'uniform', low: -2, high: 2 } as const;
const observed = Float64Array.of(-1.5, 0.25, 0.5, 1.75);

/** Review 29: every test used priorWeight 1, so each family could ignore it unnoticed. */
describe('priorWeight: the prior kernel weighs as much as that many observations', () => {
  for (const family of [optunaFamily, hyperoptFamily] as DensityFamily[]) {
    it(`${family.name}: one numeric parameter (the prior's share is w / (n + w))`, () => {
      for (const priorWeight of [0.5, 1, 3]) {
        const estimator = family.build([family.encode(uniform)], [{ values: observed }], settings(priorWeight));
        expect(priorShare(estimator)).toBeCloseTo(priorWeight / (observed.length + priorWeight), 12);
      }
    });
  }

  it('optuna: joint kernels over two parameters (the prior component the same share)', () => {
    const encodings = [optunaFamily.encode(uniform), optunaFamily.encode({ kind: 'uniform', low: 0, high: 1 })];
    const columns = [{ values: observed }, { values: Float64Array.of(0.1, 0.2, 0.7, 0.9) }];
    const estimator = optunaFamily.build(encodings, columns, settings(3));
    expect(priorShare(estimator)).toBeCloseTo(3 / 7, 12);
  });

  it('optuna: a choice keeps 1 / (w·C / (n + 1) + 1) of each kernel on its option', () => {
    const choice: Encoding = { kind: 'categorical', size: 4, offset: 0 };
    const options = Float64Array.of(0, 0, 1, 3);
    for (const priorWeight of [0.5, 3]) {
      const estimator = optunaFamily.build(
        [choice, optunaFamily.encode(uniform)],
        [{ values: options }, { values: observed }],
        settings(priorWeight),
      );
      const dimension = estimator.dimensions[0];
      expect(dimension?.kind === 'categorical' && dimension.keep).toBeCloseTo(1 / ((priorWeight * 4) / 5 + 1), 12);
    }
  });

  it('hyperopt: a choice adds C·w pseudo-counts spread by the prior (the prior component weighs C·w)', () => {
    const choice: Encoding = { kind: 'categorical', size: 4, offset: 0 };
    const estimator = hyperoptFamily.build([choice], [{ values: Float64Array.of(0, 0, 1, 3) }], settings(0.5));
    // Counts 2, 1, 0, 1 plus 4 · 0.5 = 2 pseudo-counts, a quarter on each option, over 4 + 2 = 6.
    expect(Array.from(categoricalProbabilities(estimator))).toEqual(
      [2.5 / 6, 1.5 / 6, 0.5 / 6, 1.5 / 6].map((p) => expect.closeTo(p, 12)),
    );
  });
});
