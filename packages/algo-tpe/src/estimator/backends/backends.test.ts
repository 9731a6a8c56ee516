import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { chooseBackend } from '../density.js';
import type { Encoding, NumericEncoding } from '../encoding.js';
import { hyperoptFamily } from '../families/hyperopt.js';
import { optunaFamily } from '../families/optuna.js';
import type { FamilySettings } from '../family.js';
import { type DimensionPoints, estimatorLogPdf } from '../parzen-estimator.js';
import { evaluateProduct, productKernels } from './pruned-product.js';

const unit: NumericEncoding = optunaFamily.encode({ kind: 'uniform', low: -2, high: 2 }) as NumericEncoding;
const logScale = optunaFamily.encode({ kind: 'loguniform', low: 1e-4, high: 1 }) as NumericEncoding;
const choice: Encoding = { kind: 'categorical', size: 4, offset: 0 };

const close = (a: Float64Array, b: Float64Array, relative: number) => {
  b.forEach((value, i) => {
    const got = a[i] as number;
    if (!Number.isFinite(value)) expect(got).toBe(value);
    else expect(Math.abs(got - value)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(value)));
  });
};

const settingsArb = fc.record({
  priorWeight: fc.constantFrom(0.5, 1, 2),
  forgetting: fc.constantFrom(0, 25),
  bandwidthFloor: fc.constantFrom(0, 0.01, 0.03),
  bandwidthExponent: fc.constantFrom(1, 2),
}) as fc.Arbitrary<FamilySettings>;

/** Rows of a two-dimensional study (a uniform and a log-uniform parameter), as unit draws. */
const rowsArb = (minLength: number) =>
  fc.array(fc.tuple(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), {
    minLength,
    maxLength: 200,
  });
const pointsArb = fc.array(
  fc.tuple(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
  { minLength: 1, maxLength: 6 },
);

/** Optuna's joint estimator of those rows, and the points in its model space. */
const twoDimensional = (
  rows: readonly (readonly [number, number])[],
  xs: readonly (readonly [number, number])[],
  settings: FamilySettings,
) => {
  const encodings = [unit, logScale];
  const columns = [
    { values: Float64Array.from(rows, (r) => r[0]) },
    { values: Float64Array.from(rows, (r) => 10 ** (4 * r[1] - 4)) },
  ];
  const estimator = optunaFamily.build(encodings, columns, settings);
  const points = [unit.points(xs.map((x) => x[0])), logScale.points(xs.map((x) => 10 ** (4 * x[1] - 4)))];
  return { encodings, estimator, points };
};

describe('every backend equals the reference direct sum', () => {
  test('sorted sum (one continuous dimension), both families', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { maxLength: 300 }),
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 8 }),
        settingsArb,
        fc.constantFrom(optunaFamily, hyperoptFamily),
        (obs, xs, settings, family) => {
          const encoding = family.encode({ kind: 'uniform', low: -2, high: 2 }) as NumericEncoding;
          const estimator = family.build([encoding], [{ values: Float64Array.from(obs) }], settings);
          const points: DimensionPoints[] = [encoding.points(xs)];
          close(chooseBackend(estimator, points)(points, true), estimatorLogPdf(estimator, points), 1e-10);
        },
      ),
      { numRuns: 40 },
    );
  });

  test('pruned product (several continuous dimensions)', () => {
    fc.assert(
      fc.property(rowsArb(0), pointsArb, settingsArb, (rows, xs, settings) => {
        const { estimator, points } = twoDimensional(rows, xs, settings);
        close(chooseBackend(estimator, points)(points, true), estimatorLogPdf(estimator, points), 1e-10);
      }),
      { numRuns: 40 },
    );
  });

  test('pruned product visiting kernels outwards in their first dimension equals the full visit', () => {
    fc.assert(
      fc.property(rowsArb(1), pointsArb, settingsArb, (rows, xs, settings) => {
        const { encodings, estimator, points } = twoDimensional(rows, xs, settings);
        const kernels = productKernels(estimator);
        // Every kernel but the prior (the last), by centre in dimension 0.
        const slots = Array.from({ length: kernels.size - 1 }, (_, k) => k).sort(
          (a, b) => (kernels.mus[a * kernels.d] as number) - (kernels.mus[b * kernels.d] as number),
        );
        const order = {
          keys: Float64Array.from(slots, (k) => kernels.mus[k * kernels.d] as number),
          kernels: Int32Array.from(slots),
          count: slots.length,
          maxSigma: Math.max(...slots.map((k) => 1 / (kernels.invSigmas[k * kernels.d] as number))),
          maxLogCoef: Math.max(...slots.map((k) => kernels.logCoefs[k] as number)),
        };
        const bounds = encodings.map(({ low, high }) => ({ low, high }));
        close(
          evaluateProduct(kernels, bounds, points, undefined, order),
          evaluateProduct(kernels, bounds, points),
          1e-12,
        );
      }),
      { numRuns: 60 },
    );
  });

  test('collapsed probabilities (one categorical dimension), both families', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 3 }), { maxLength: 100 }),
        settingsArb,
        fc.constantFrom(optunaFamily, hyperoptFamily),
        (obs, settings, family) => {
          const estimator = family.build([choice], [{ values: Float64Array.from(obs) }], settings);
          const points: DimensionPoints[] = [{ at: Float64Array.of(0, 1, 2, 3) }];
          close(chooseBackend(estimator, points)(points, true), estimatorLogPdf(estimator, points), 1e-12);
        },
      ),
      { numRuns: 30 },
    );
  });
});
