import { logGaussMass } from '@parzen/engine/plugin';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fastExpNonPositive } from '../../math/fast-exp.js';
import { chooseBackend } from '../density.js';
import type { Encoding, NumericEncoding } from '../encoding.js';
import { hyperoptFamily } from '../families/hyperopt.js';
import { optunaFamily } from '../families/optuna.js';
import type { FamilySettings } from '../family.js';
import { type CategoricalKernels, type DimensionPoints, estimatorLogPdf } from '../parzen-estimator.js';
import { binnedSumApplies } from './binned-sum.js';
import { denseSimd, useDenseSimd } from './dense-simd.js';
import {
  BINNED,
  binCache,
  CATEGORICAL,
  CONTINUOUS,
  denseProduct,
  evaluateCachedProduct,
  evaluateProduct,
  kernelIndex,
  type MixedDimensions,
  mixedDimensions,
  type ProductKernels,
  productKernels,
  tablesPayOff,
  useMixedPasses,
  visitProduct,
} from './pruned-product.js';

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

/** Kernels 0 … count − 1 (every one but the prior, the last) in ascending order of their centre in dimension j. */
const byCentre = (kernels: ProductKernels, count: number, j: number): Int32Array =>
  Int32Array.from(
    Array.from({ length: count }, (_, k) => k).sort(
      (a, b) => (kernels.mus[a * kernels.d + j] as number) - (kernels.mus[b * kernels.d + j] as number),
    ),
  );

/** The unit square: the bounds of the hand-built two-dimensional kernels below. */
const unitSquare = [
  { low: 0, high: 1 },
  { low: 0, high: 1 },
];

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

  test('binned sum (one integer or quantized dimension), both families', () => {
    const kinds = [
      { kind: 'uniformint', low: -3, high: 40 },
      { kind: 'quniform', low: 0, high: 10, q: 0.5 },
      { kind: 'qloguniform', low: 1, high: 1000, q: 1 },
    ] as const;
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 300 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
        settingsArb,
        fc.constantFrom(optunaFamily, hyperoptFamily),
        fc.constantFrom(...kinds),
        (unitObs, unitXs, settings, family, distribution) => {
          const encoding = family.encode(distribution) as NumericEncoding;
          const value = (u: number) => {
            const raw =
              distribution.kind === 'qloguniform'
                ? 1000 ** u
                : distribution.low + u * (distribution.high - distribution.low);
            const q = distribution.kind === 'uniformint' ? 1 : distribution.q;
            return Math.min(distribution.high, Math.max(distribution.low, Math.round(raw / q) * q));
          };
          const estimator = family.build([encoding], [{ values: Float64Array.from(unitObs, value) }], settings);
          const points: DimensionPoints[] = [encoding.points(unitXs.map(value))];
          const backend = chooseBackend(estimator, points);
          close(backend(points, true), estimatorLogPdf(estimator, points), 1e-10);
        },
      ),
      { numRuns: 60 },
    );
    // Many narrow kernels: most blocks are far from a bin and left out, the near ones must all be kept.
    for (const family of [optunaFamily, hyperoptFamily]) {
      const distribution = { kind: 'quniform', low: 0, high: 3000, q: 1 } as const;
      const encoding = family.encode(distribution) as NumericEncoding;
      const values = Float64Array.from({ length: 4000 }, (_, i) => (i * 7919) % 3001);
      const estimator = family.build([encoding], [{ values }], {
        priorWeight: 1,
        forgetting: 0,
        bandwidthFloor: 0,
        bandwidthExponent: 1,
      });
      const points: DimensionPoints[] = [encoding.points([0, 1, 17, 1500, 1500.5, 2999, 3000])];
      close(chooseBackend(estimator, points)(points, true), estimatorLogPdf(estimator, points), 1e-10);
    }
    // The quantized kinds are evaluated on bins in both families: the property above exercised the backend.
    for (const family of [optunaFamily, hyperoptFamily]) {
      const encoding = family.encode(kinds[1]) as NumericEncoding;
      const estimator = family.build([encoding], [{ values: Float64Array.of(1, 2.5, 7) }], {
        priorWeight: 1,
        forgetting: 0,
        bandwidthFloor: 0.01,
        bandwidthExponent: 1,
      });
      expect(binnedSumApplies(estimator, [encoding.points([3])])).toBe(true);
    }
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

  test('pruned product over one to five continuous dimensions (the floor is checked every second dimension)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((d) =>
          fc.tuple(
            fc.constant(d),
            fc.array(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: d, maxLength: d }), {
              minLength: 2,
              maxLength: 120,
            }),
            fc.array(fc.array(fc.double({ min: -2.5, max: 2.5, noNaN: true }), { minLength: d, maxLength: d }), {
              minLength: 1,
              maxLength: 6,
            }),
          ),
        ),
        settingsArb,
        ([d, rows, xs], settings) => {
          const encodings = Array.from({ length: d }, () => unit);
          const columns = encodings.map((_, j) => ({ values: Float64Array.from(rows, (row) => row[j] as number) }));
          const estimator = optunaFamily.build(encodings, columns, settings);
          const points = encodings.map((encoding, j) => encoding.points(xs.map((x) => x[j] as number)));
          const kernels = productKernels(estimator, points);
          const bounds = encodings.map(({ low, high }) => ({ low, high }));
          close(evaluateProduct(kernels, bounds, points), estimatorLogPdf(estimator, points), 1e-10);
        },
      ),
      { numRuns: 60 },
    );
  });

  test('pruned product over mixed dimensions: continuous, an integer, a quantized value and a choice (trial 31)', () => {
    const encodings: Encoding[] = [
      unit,
      optunaFamily.encode({ kind: 'quniform', low: 0, high: 20, q: 1 }),
      optunaFamily.encode({ kind: 'quniform', low: 0, high: 1, q: 0.25 }),
      { kind: 'categorical', size: 4, offset: 0 },
    ];
    const mixedRow = fc.tuple(
      fc.double({ min: -2, max: 2, noNaN: true }),
      fc.integer({ min: 0, max: 20 }),
      fc.integer({ min: 0, max: 4 }),
      fc.integer({ min: 0, max: 3 }),
    );
    fc.assert(
      fc.property(
        fc.array(mixedRow, { maxLength: 400 }),
        fc.array(mixedRow, { minLength: 1, maxLength: 6 }),
        settingsArb,
        fc.subarray([0, 1, 2, 3], { minLength: 2 }),
        (rows, xs, settings, dims) => {
          const value = (row: readonly number[], j: number) =>
            j === 2 ? (row[j] as number) * 0.25 : (row[j] as number);
          const chosen = dims.map((j) => encodings[j] as Encoding);
          const columns = dims.map((j) => ({ values: Float64Array.from(rows, (row) => value(row, j)) }));
          const estimator = optunaFamily.build(chosen, columns, settings);
          const points: DimensionPoints[] = dims.map((j, at) => {
            const encoding = chosen[at] as Encoding;
            const values = xs.map((row) => value(row, j));
            return encoding.kind === 'categorical' ? { at: Float64Array.from(values) } : encoding.points(values);
          });
          close(chooseBackend(estimator, points)(points, true), estimatorLogPdf(estimator, points), 1e-10);
        },
      ),
      { numRuns: 60 },
    );
  });

  test("pruned product: points that share bins reuse the kernels' masses, to the last bit (trial 38)", () => {
    const encodings: Encoding[] = [
      unit,
      optunaFamily.encode({ kind: 'quniform', low: 0, high: 20, q: 1 }),
      optunaFamily.encode({ kind: 'quniform', low: 0, high: 1, q: 0.25 }),
    ];
    const value = (row: readonly number[], j: number) => (j === 2 ? (row[j] as number) * 0.25 : (row[j] as number));
    const row = (bins: number) =>
      fc.tuple(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.integer({ min: 0, max: bins }),
        fc.integer({ min: 0, max: 4 }),
      );
    fc.assert(
      fc.property(
        fc.array(row(20), { minLength: 1, maxLength: 300 }),
        // Few bins among many points: most points share their bins with others.
        fc.array(row(2), { minLength: 2, maxLength: 30 }),
        settingsArb,
        (rows, xs, settings) => {
          const columns = encodings.map((_, j) => ({ values: Float64Array.from(rows, (r) => value(r, j)) }));
          const estimator = optunaFamily.build(encodings, columns, settings);
          const pointsOf = (some: readonly (readonly number[])[]): DimensionPoints[] =>
            encodings.map((encoding, j) => (encoding as NumericEncoding).points(some.map((r) => value(r, j))));
          const points = pointsOf(xs);
          const kernels = productKernels(estimator, points);
          const bounds = encodings
            .map((encoding) => encoding as NumericEncoding)
            .map(({ low, high }) => ({ low, high }));
          const together = evaluateProduct(kernels, bounds, points);
          // One point per call: no bin is seen twice, so nothing is reused.
          const alone = xs.map((x) => evaluateProduct(kernels, bounds, pointsOf([x]))[0]);
          expect(Array.from(together)).toEqual(alone);
        },
      ),
      { numRuns: 60 },
    );
  });

  test('pruned product visiting kernels through the stripe index equals the full visit', () => {
    fc.assert(
      fc.property(
        rowsArb(1),
        pointsArb,
        settingsArb,
        fc.array(fc.nat(), { maxLength: 20 }),
        (rows, xs, settings, dropped) => {
          const { encodings, estimator, points } = twoDimensional(rows, xs, settings);
          const kernels = productKernels(estimator);
          const count = kernels.size - 1;
          // Some kernels taken out (as the incremental backend takes out the below trials).
          for (const k of dropped) kernels.logCoefs[k % count] = Number.NEGATIVE_INFINITY;
          const index = kernelIndex(kernels, byCentre(kernels, count, 0), byCentre(kernels, count, 1), count);
          const bounds = encodings.map(({ low, high }) => ({ low, high }));
          close(
            evaluateProduct(kernels, bounds, points, undefined, index),
            evaluateProduct(kernels, bounds, points),
            1e-12,
          );
        },
      ),
      { numRuns: 80 },
    );
  });

  test('the stripe index misses no kernel: a narrow kernel far from its stripe-mates, widths widened', () => {
    // 400 kernels on a grid, all narrow, plus one wide kernel: its stripe must still reach far points.
    const d = 2;
    const size = 402;
    const mus = new Float64Array(size * d);
    const invSigmas = new Float64Array(size * d);
    const logCoefs = new Float64Array(size).fill(-Math.log(401));
    for (let k = 0; k < 400; k++) {
      mus[k * d] = (k % 20) / 20;
      mus[k * d + 1] = Math.floor(k / 20) / 20;
      invSigmas[k * d] = 1000;
      invSigmas[k * d + 1] = 1000;
    }
    mus[400 * d] = 0.5;
    mus[400 * d + 1] = 0.5;
    invSigmas[400 * d] = 1000;
    invSigmas[400 * d + 1] = 1000;
    // The prior, wide.
    mus[401 * d] = 0.5;
    mus[401 * d + 1] = 0.5;
    invSigmas[401 * d] = 1;
    invSigmas[401 * d + 1] = 1;
    const kernels = { d, size, mus, invSigmas, logCoefs };
    const count = 401;
    const by = (j: number) => byCentre(kernels, count, j);
    const bounds = unitSquare;
    const points: DimensionPoints[] = [
      { at: Float64Array.of(0.52, 0.9, 0.03) },
      { at: Float64Array.of(0.49, 0.1, 0.97) },
    ];
    // Kernel 400 is widened after the index was built, which `widen` tells the index (the incremental backend
    // now builds its index with the widths patched, but passes them as `widen` too).
    const index = kernelIndex(kernels, by(0), by(1), count, [
      { k: 400, j: 0, sigma: 0.3 },
      { k: 400, j: 1, sigma: 0.3 },
    ]);
    invSigmas[400 * d] = 1 / 0.3;
    invSigmas[400 * d + 1] = 1 / 0.3;
    expect(index.stripes).toBeGreaterThan(1);
    close(evaluateProduct(kernels, bounds, points, undefined, index), evaluateProduct(kernels, bounds, points), 1e-12);
    // Without the widening the bound would be wrong: the index would skip kernel 400 far from its centre.
    const narrow = kernelIndex(
      { ...kernels, invSigmas: invSigmas.map((v, i) => (i >= 800 && i < 802 ? 1000 : v)) },
      by(0),
      by(1),
      count,
    );
    const skipped = evaluateProduct(kernels, bounds, points, undefined, narrow);
    expect(Math.abs((skipped[1] as number) - (evaluateProduct(kernels, bounds, points)[1] as number))).toBeGreaterThan(
      1e-3,
    );
  });

  /** Seeded all-continuous kernels in d dimensions of the unit cube, gathered near 0.3 (as a study's are). */
  const gathered = (d: number, size: number, seed: number, spread: number): ProductKernels => {
    let state = seed;
    const uniform = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const mus = Float64Array.from({ length: size * d }, () => 0.3 + spread * (uniform() - 0.5));
    const invSigmas = Float64Array.from({ length: size * d }, () => 1 / (0.01 + 0.05 * uniform()));
    const logCoefs = Float64Array.from({ length: size }, () => -Math.log(size) + uniform());
    // The prior, last: wide and centred.
    for (let j = 0; j < d; j++) {
      mus[(size - 1) * d + j] = 0.5;
      invSigmas[(size - 1) * d + j] = 1;
    }
    return { d, size, mus, invSigmas, logCoefs };
  };

  test('the dense pass equals the full visit bit for bit (taken-out and NaN kernels, extra kernels, points outside)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 7 }),
        fc.integer({ min: 2, max: 120 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.array(fc.double({ min: -0.2, max: 1.2, noNaN: false }), { minLength: 7, maxLength: 7 }), {
          minLength: 1,
          maxLength: 13,
        }),
        fc.nat(),
        (d, size, seed, dropped, extraSize, rows, from) => {
          const kernels = gathered(d, size, seed, 0.4);
          for (const k of dropped) kernels.logCoefs[k % (size - 1 || 1)] = Number.NEGATIVE_INFINITY;
          if (dropped.length > 3) kernels.logCoefs[0] = Number.NaN;
          // A NaN prior term makes the full visit's sum NaN (review 49: the dense pass ignored it).
          if (dropped.length > 8) kernels.logCoefs[size - 1] = Number.NaN;
          const extra = extraSize === 0 ? undefined : { ...gathered(d, extraSize + 1, seed + 1, 0.2), size: extraSize };
          const bounds = Array.from({ length: d }, () => ({ low: 0, high: 1 }));
          const points = Array.from({ length: d }, (_, j) => ({
            at: Float64Array.from(rows, (row) => row[j] as number),
          }));
          const full = visitProduct(kernels, bounds, points, extra);
          const start = from % rows.length;
          // In WebAssembly SIMD and in the JavaScript loops that run where it is missing.
          for (const simd of [true, false]) {
            useDenseSimd(simd);
            const dense = new Float64Array(rows.length).fill(7);
            denseProduct(kernels, bounds, points, extra, dense, start);
            useDenseSimd(true);
            expect(Array.from(dense.subarray(start))).toEqual(Array.from(full.subarray(start)));
            // Points before `from` are not written.
            expect(Array.from(dense.subarray(0, start)).every((v) => v === 7)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  test('the SIMD dense pass is there on Node and sums as the JavaScript loops do, bit for bit, thousands of kernels', () => {
    const d = 5;
    const kernels = gathered(d, 3001, 11, 0.2);
    // Trials taken out of g(x) (−∞), which the SIMD pass leaves out, a run of them at the start and the end.
    for (let k = 0; k < 3000; k += k < 10 || k > 2990 ? 1 : 7) kernels.logCoefs[k] = Number.NEGATIVE_INFINITY;
    const extra = { ...gathered(d, 4, 12, 0.2), size: 3 };
    const bounds = Array.from({ length: d }, () => ({ low: 0, high: 1 }));
    let state = 5;
    const uniform = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const points = Array.from({ length: d }, () => ({
      at: Float64Array.from({ length: 23 }, () => 0.2 + 0.2 * uniform()),
    }));
    const taken = kernels.logCoefs.filter((c) => c === Number.NEGATIVE_INFINITY).length;
    expect(taken).toBeGreaterThan(400);
    expect(denseSimd(kernels, 0)?.listed).toBe(3001 - taken);
    const simd = new Float64Array(23);
    denseProduct(kernels, bounds, points, extra, simd, 0);
    useDenseSimd(false);
    expect(denseSimd(kernels, 0)).toBeUndefined();
    const loops = new Float64Array(23);
    denseProduct(kernels, bounds, points, extra, loops, 0);
    useDenseSimd(true);
    expect(Array.from(simd)).toEqual(Array.from(loops));
    expect(Array.from(simd)).toEqual(Array.from(visitProduct(kernels, bounds, points, extra)));
  });

  test("the SIMD dense pass's exponentials are fastExpNonPositive's over the kept range, bit for bit", () => {
    // Kernels centred on the one point: each term is its log coefficient, so the sums are of
    // fastExpNonPositive(coefficient − best) for arbitrary coefficients, some below the cut-off.
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -60, max: 5, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (coefficients, at) => {
          const d = 2;
          const size = coefficients.length + 1;
          const kernels: ProductKernels = {
            d,
            size,
            mus: new Float64Array(size * d).fill(at),
            invSigmas: new Float64Array(size * d).fill(3),
            logCoefs: Float64Array.from([...coefficients, -1000]),
          };
          const bounds = [
            { low: 0, high: 1 },
            { low: 0, high: 1 },
          ];
          const points = [{ at: Float64Array.of(at, at, at, at, at) }, { at: Float64Array.of(at, at, at, at, at) }];
          const simd = new Float64Array(5);
          denseProduct(kernels, bounds, points, undefined, simd, 0);
          useDenseSimd(false);
          const loops = new Float64Array(5);
          denseProduct(kernels, bounds, points, undefined, loops, 0);
          useDenseSimd(true);
          const best = Math.max(...coefficients);
          let total = 0;
          for (const c of coefficients) if (c > best - 46) total += fastExpNonPositive(c - best);
          expect(Array.from(simd)).toEqual(Array.from(loops));
          expect(simd[0]).toBe(best + Math.log(total));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('the dense pass with binned and categorical dimensions equals the full visit bit for bit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 2, max: 120 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.array(fc.constantFrom(CONTINUOUS, BINNED, CATEGORICAL), { minLength: 5, maxLength: 5 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.array(fc.double({ min: -0.2, max: 1.2, noNaN: true }), { minLength: 5, maxLength: 5 }), {
          minLength: 1,
          maxLength: 13,
        }),
        fc.boolean(),
        fc.constantFrom(0, 0.2, 0.9),
        (d, size, seed, kindsOf, extraSize, rows, emptyBin, keep) => {
          // The first dimension binned, so that every case has one.
          const kinds = Uint8Array.from({ length: d }, (_, j) => (j === 0 ? BINNED : (kindsOf[j] as number)));
          // Choices of 4 options (a zero prior weight for the last); each kernel on one of them, the prior on none.
          const prior = Float64Array.of(0.5, 0.3, 0.2, 0);
          const choices = (n: number, withPrior: boolean) =>
            Int32Array.from({ length: n }, (_, k) => (withPrior && k === n - 1 ? -1 : (k * 7 + seed) % 4));
          const categorical = (n: number, withPrior: boolean) =>
            Array.from(kinds, (kind): CategoricalKernels | undefined =>
              kind === CATEGORICAL ? { kind: 'categorical', prior, options: choices(n, withPrior), keep } : undefined,
            );
          const mixed = mixedDimensions(kinds, categorical(size, true)) as MixedDimensions;
          const kernels = { ...gathered(d, size, seed, 0.4), mixed };
          kernels.logCoefs[seed % size] = Number.NEGATIVE_INFINITY;
          // The running trials' kernels with their own keep and prior row (review 49: the dense pass took the
          // cached kernels' ones).
          const extraMixed = {
            ...mixed,
            categorical: categorical(extraSize, false).map((dimension) =>
              dimension === undefined
                ? undefined
                : { ...dimension, keep: 1 - keep / 2, prior: Float64Array.of(0.1, 0.2, 0.3, 0.4) },
            ),
          };
          const extra =
            extraSize === 0
              ? undefined
              : { ...gathered(d, extraSize + 1, seed + 1, 0.2), size: extraSize, mixed: extraMixed };
          const bounds = Array.from({ length: d }, () => ({ low: 0, high: 1 }));
          // Bins of width 0.1 (many points share one); with emptyBin, the first point's first bin is empty.
          const points: DimensionPoints[] = Array.from({ length: d }, (_, j) => {
            const values = rows.map((row) => row[j] as number);
            // An option index (5 is none of the four: a zero prior).
            if (kinds[j] === CATEGORICAL) return { at: Float64Array.from(values, (v) => Math.floor(v * 4 + 1)) };
            if (kinds[j] !== BINNED) return { at: Float64Array.from(values) };
            const at = Float64Array.from(values, (v) => Math.floor(v * 10) / 10);
            const upper = at.map((v) => v + 0.1);
            if (emptyBin && j === 0) upper[0] = at[0] as number;
            return { at, upper };
          });
          const full = visitProduct(kernels, bounds, points, extra);
          // The terms in WebAssembly SIMD (each binned or categorical dimension a table), in the JavaScript
          // passes that run where it is missing, and kernel at a time: each the full visit's, bit for bit.
          for (const [simd, passes] of [
            [true, true],
            [false, true],
            [true, false],
          ] as const) {
            useDenseSimd(simd);
            useMixedPasses(passes);
            const dense = new Float64Array(rows.length);
            try {
              denseProduct(kernels, bounds, points, extra, dense, 0);
            } finally {
              useDenseSimd(true);
              useMixedPasses(true);
            }
            expect(Array.from(dense)).toEqual(Array.from(full));
            // Without an index, evaluateProduct is the dense pass.
            expect(Array.from(evaluateProduct(kernels, bounds, points, extra))).toEqual(Array.from(full));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  test('passes one after another on other sizes and dimensions (the arrays a pass keeps) each equal the full visit', () => {
    // Binned dimensions with more classes than a short row holds (each kernel its own centre and width) and with
    // fewer, points sharing bins, then a smaller problem, then another number of dimensions, then the first again.
    const problems = [
      [5, 150, 3],
      [5, 12, 4],
      [3, 90, 5],
      [5, 150, 3],
      [2, 40, 6],
    ] as const;
    for (const [d, size, seed] of problems) {
      const kinds = Uint8Array.from({ length: d }, (_, j) => (j % 2 === 0 ? BINNED : CONTINUOUS));
      const mixed = mixedDimensions(
        kinds,
        Array.from(kinds, () => undefined),
      ) as MixedDimensions;
      const kernels = { ...gathered(d, size, seed, 0.4), mixed };
      const bounds = Array.from({ length: d }, () => ({ low: 0, high: 1 }));
      const points: DimensionPoints[] = Array.from({ length: d }, (_, j) => {
        const values = Float64Array.from({ length: 23 }, (_, i) => 0.1 + (((i * 7 + j * 3) % 11) * 0.4) / 11);
        if (kinds[j] !== BINNED) return { at: values };
        const at = values.map((v) => Math.floor(v * 20) / 20);
        return { at, upper: at.map((v) => v + 0.05) };
      });
      const full = visitProduct(kernels, bounds, points, undefined);
      const dense = new Float64Array(23);
      denseProduct(kernels, bounds, points, undefined, dense, 0);
      expect(Array.from(dense)).toEqual(Array.from(full));
    }
  });

  test('a choice of 10,000 options beside few kernels is summed by the loops, not tables filled over every option, to the same bits', () => {
    const options = 10_000;
    const size = 50;
    expect(tablesPayOff(options + 2, size)).toBe(false);
    expect(tablesPayOff(4 + 2, size)).toBe(true);
    expect(tablesPayOff(1_002, 100)).toBe(true);
    const kinds = Uint8Array.of(CONTINUOUS, CATEGORICAL);
    const prior = new Float64Array(options).fill(1 / options);
    const categorical = [
      undefined,
      {
        kind: 'categorical',
        prior,
        options: Int32Array.from({ length: size }, (_, k) => (k * 397) % options),
        keep: 0.9,
      },
    ] as (CategoricalKernels | undefined)[];
    const mixed = mixedDimensions(kinds, categorical) as MixedDimensions;
    const kernels = { ...gathered(2, size, 7, 0.4), mixed };
    const bounds = [
      { low: 0, high: 1 },
      { low: 0, high: 1 },
    ];
    const points: DimensionPoints[] = [
      { at: Float64Array.from({ length: 24 }, (_, i) => i / 24) },
      { at: Float64Array.from({ length: 24 }, (_, i) => (i * 397) % options) },
    ];
    const full = visitProduct(kernels, bounds, points, undefined);
    const dense = new Float64Array(24);
    denseProduct(kernels, bounds, points, undefined, dense, 0);
    expect(Array.from(dense)).toEqual(Array.from(full));
  });

  test('bin masses kept from call to call (a BinCache) give every call the sums of a fresh one, as widths change and the study grows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.array(fc.constantFrom(CONTINUOUS, BINNED, CATEGORICAL), { minLength: 4, maxLength: 4 }),
        fc.boolean(),
        (seed, kindsOf, spread) => {
          const d = 4;
          const capacity = 240;
          let size = 200;
          // Dimension 0 binned and 1 continuous (the stripe index's two), the others drawn.
          const kinds = Uint8Array.from({ length: d }, (_, j) =>
            j === 0 ? BINNED : j === 1 ? CONTINUOUS : (kindsOf[j] as number),
          );
          const { mus, invSigmas, logCoefs } = gathered(d, capacity, seed, spread ? 1 : 0.3);
          let state = seed;
          const uniform = () => {
            state = (state * 16807) % 2147483647;
            return state / 2147483647;
          };
          // Binned centres on a grid and widths from four, so that kernels share classes.
          const widths = [0.02, 0.05, 0.1, 0.3];
          const binnedKernel = (k: number, j: number) => {
            mus[k * d + j] = Math.round((0.3 + (spread ? 1 : 0.3) * (uniform() - 0.5)) * 20) / 20;
            invSigmas[k * d + j] = 1 / (widths[Math.floor(uniform() * 4)] as number);
          };
          for (let k = 0; k < capacity; k++) for (let j = 0; j < d; j++) if (kinds[j] === BINNED) binnedKernel(k, j);
          const options = Int32Array.from({ length: capacity }, (_, k) => (k * 7 + seed) % 4);
          const prior = Float64Array.of(0.4, 0.3, 0.2, 0.1);
          const categorical = Array.from(kinds, (kind): CategoricalKernels | undefined =>
            kind === CATEGORICAL ? { kind: 'categorical', prior, options, keep: 0.2 } : undefined,
          );
          const mixed = mixedDimensions(kinds, categorical) as MixedDimensions;
          const bounds = Array.from({ length: d }, () => ({ low: 0, high: 1 }));
          const cache = binCache();
          // `count` points near the kernels: an option index, a bin of width 0.1, or a value, per dimension.
          const pointsOfKinds = (of: Uint8Array, count: number): DimensionPoints[] =>
            Array.from({ length: d }, (_, j) => {
              const values = Array.from({ length: count }, () => 0.3 + 0.3 * (uniform() - 0.5));
              if (of[j] === CATEGORICAL) return { at: Float64Array.from(values, (v) => Math.floor(v * 4)) };
              if (of[j] !== BINNED) return { at: Float64Array.from(values) };
              const at = Float64Array.from(values, (v) => Math.floor(v * 10) / 10);
              return { at, upper: at.map((v) => v + 0.1) };
            });
          for (let call = 0; call < 10; call++) {
            // The prior in the last slot: wide and centred, on no option.
            for (let j = 0; j < d; j++) {
              mus[(size - 1) * d + j] = 0.5;
              invSigmas[(size - 1) * d + j] = 1;
            }
            options[size - 1] = -1;
            // Fresh arrays at each call, as the incremental g(x) grows them (kernels of other arrays, same numbers).
            const kernels: ProductKernels = {
              d,
              size,
              mus: Float64Array.from(mus),
              invSigmas: Float64Array.from(invSigmas),
              logCoefs,
              mixed,
            };
            const points = pointsOfKinds(kinds, 24);
            const index = kernelIndex(
              kernels,
              byCentre(kernels, size - 1, 0),
              byCentre(kernels, size - 1, 1),
              size - 1,
            );
            // Dense or walked with an index (first, so that no walk has checked the classes this call), then
            // walked without one: each equal to a call without the cache.
            expect(Array.from(evaluateCachedProduct(cache, kernels, bounds, points, undefined, index))).toEqual(
              Array.from(evaluateProduct(kernels, bounds, points, undefined, index)),
            );
            expect(Array.from(evaluateCachedProduct(cache, kernels, bounds, points))).toEqual(
              Array.from(evaluateProduct(kernels, bounds, points)),
            );
            // Before the next call: a few kernels change width, one moves, and the prior's slot becomes a trial's.
            for (let m = 0; m < 5; m++) {
              const k = Math.floor(uniform() * (size - 1));
              invSigmas[k * d] = 1 / (widths[Math.floor(uniform() * 4)] as number);
            }
            mus[Math.floor(uniform() * (size - 1)) * d] = Math.round(uniform() * 20) / 20;
            for (let j = 0; j < d; j++) {
              if (kinds[j] === BINNED) binnedKernel(size - 1, j);
              else {
                mus[(size - 1) * d + j] = 0.3 + 0.3 * (uniform() - 0.5);
                invSigmas[(size - 1) * d + j] = 1 / (0.01 + 0.05 * uniform());
              }
            }
            options[size - 1] = (size * 7 + seed) % 4;
            size += 4;
          }
          // The same cache given kernels whose binned dimension is another (1, not 0): dropped, not misread.
          const swapped = Uint8Array.from(kinds, (kind, j) => (j === 0 ? CONTINUOUS : j === 1 ? BINNED : kind));
          const other: ProductKernels = {
            d,
            size,
            mus,
            invSigmas,
            logCoefs,
            mixed: mixedDimensions(swapped, categorical) as MixedDimensions,
          };
          const points = pointsOfKinds(swapped, 8);
          expect(Array.from(evaluateCachedProduct(cache, other, bounds, points))).toEqual(
            Array.from(evaluateProduct(other, bounds, points)),
          );
        },
      ),
      { numRuns: 25 },
    );
  });

  test("binned dimensions with hundreds of kernel classes: each bin's masses, kept per class as rows grow, are each kernel's own", () => {
    // Integer centres 0-100 and 7 widths: up to 707 classes per dimension, so a bin's row grows several
    // times past its first 64 (review 66: rows sized by the kernels filled the memo's cap).
    const d = 3;
    const size = 3000;
    let state = 11;
    const next = () => {
      state = (state * 16807) % 2147483647;
      return state / 2147483647;
    };
    const widths = [0.7, 1.5, 2.5, 4, 7, 11, 20];
    const mus = Float64Array.from({ length: size * d }, () => Math.floor(next() * 101));
    const invSigmas = Float64Array.from({ length: size * d }, () => 1 / (widths[Math.floor(next() * 7)] as number));
    const logCoefs = Float64Array.from({ length: size }, () => -Math.log(size) - next());
    const kinds = new Uint8Array(d).fill(BINNED);
    const mixed = mixedDimensions(kinds, []) as MixedDimensions;
    const kernels: ProductKernels = { d, size, mus, invSigmas, logCoefs, mixed };
    const bounds = Array.from({ length: d }, () => ({ low: -0.5, high: 100.5 }));
    const values = Array.from({ length: d }, () => Array.from({ length: 24 }, () => Math.floor(next() * 101)));
    const points = values.map((column) => ({
      at: Float64Array.from(column, (v) => v - 0.5),
      upper: Float64Array.from(column, (v) => v + 0.5),
    }));
    // Each kernel's term from its own masses, no memo.
    const direct = Float64Array.from({ length: 24 }, (_, i) => {
      const terms = Array.from({ length: size }, (_, k) => {
        let term = logCoefs[k] as number;
        for (let j = 0; j < d; j++) {
          const at = (points[j]?.at[i] as number) - (mus[k * d + j] as number);
          const high = (points[j]?.upper[i] as number) - (mus[k * d + j] as number);
          term += logGaussMass(at * (invSigmas[k * d + j] as number), high * (invSigmas[k * d + j] as number));
        }
        return term;
      });
      const best = Math.max(...terms);
      return best + Math.log(terms.reduce((sum, term) => sum + Math.exp(term - best), 0));
    });
    close(evaluateProduct(kernels, bounds, points), direct, 1e-12);
  });

  test('a gathered history is summed densely without an index; a spread one walked; many dimensions decided by the walk', () => {
    const d = 5;
    const size = 1001;
    const count = size - 1;
    const bounds = Array.from({ length: d }, () => ({ low: 0, high: 1 }));
    let state = 3;
    const uniform = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const points = Array.from({ length: d }, () => ({
      at: Float64Array.from({ length: 24 }, () => 0.2 + 0.2 * uniform()),
    }));
    let builds = 0;
    const counted = (kernels: ProductKernels) => {
      const index = kernelIndex(kernels, byCentre(kernels, count, 0), byCentre(kernels, count, 1), count);
      return () => {
        builds++;
        return index;
      };
    };
    // Gathered: every point dense, the index never built.
    const kernels = gathered(d, size, 7, 0.2);
    const full = evaluateProduct(kernels, bounds, points);
    expect(Array.from(evaluateProduct(kernels, bounds, points, undefined, counted(kernels)))).toEqual(Array.from(full));
    expect(builds).toBe(0);
    // No point: nothing built either.
    const none = Array.from({ length: d }, () => ({ at: new Float64Array(0) }));
    expect(evaluateProduct(kernels, bounds, none, undefined, counted(kernels))).toHaveLength(0);
    expect(builds).toBe(0);
    // Spread out (kernels over the whole cube, narrow): walked, the index built once.
    const spread = gathered(d, size, 7, 1);
    spread.invSigmas.fill(100, 0, count * d);
    const walked = evaluateProduct(spread, bounds, points, undefined, counted(spread));
    expect(builds).toBe(1);
    close(walked, evaluateProduct(spread, bounds, points), 1e-12);
    // Gathered in the two indexed dimensions and spread, narrower, in the other three: a sample of the first
    // point keeps few terms, but its walk visits nearly every kernel, so the rest are dense.
    const mixed = gathered(d, size, 7, 0.2);
    for (let k = 0; k < count; k++)
      for (let j = 2; j < d; j++) {
        mixed.mus[k * d + j] = spread.mus[k * d + j] as number;
        mixed.invSigmas[k * d + j] = 25;
      }
    const probed = evaluateProduct(mixed, bounds, points, undefined, counted(mixed));
    expect(builds).toBe(2);
    const mixedFull = evaluateProduct(mixed, bounds, points);
    close(probed.subarray(0, 1), mixedFull.subarray(0, 1), 1e-12);
    expect(Array.from(probed.subarray(1))).toEqual(Array.from(mixedFull.subarray(1)));
  });

  test('the stripe index leaves out a NaN log coefficient as the full visit does, and needs d >= 2', () => {
    const d = 2;
    const size = 65;
    const mus = new Float64Array(size * d);
    const invSigmas = new Float64Array(size * d).fill(20);
    const logCoefs = new Float64Array(size).fill(-Math.log(size));
    for (let k = 0; k < 64; k++) {
      mus[k * d] = k / 64;
      mus[k * d + 1] = ((k * 7) % 64) / 64;
    }
    mus[64 * d] = 0.5;
    mus[64 * d + 1] = 0.5;
    invSigmas[64 * d] = 1;
    invSigmas[64 * d + 1] = 1;
    logCoefs[3] = Number.NaN;
    const kernels = { d, size, mus, invSigmas, logCoefs };
    const count = 64;
    const by = (j: number) => byCentre(kernels, count, j);
    const bounds = unitSquare;
    const points: DimensionPoints[] = [
      { at: Float64Array.of(0.02, 0.6, 0.97) },
      { at: Float64Array.of(0.3, 0.2, 0.9) },
    ];
    const index = kernelIndex(kernels, by(0), by(1), count);
    close(evaluateProduct(kernels, bounds, points, undefined, index), evaluateProduct(kernels, bounds, points), 1e-12);
    expect(() => kernelIndex({ ...kernels, d: 1 }, by(0), by(0), count)).toThrow(/two dimensions/);
  });

  test('points no candidate takes (NaN, out of range, an empty bin) get what the reference gives (review 30)', () => {
    const odd = [Number.NaN, -5, 5, Number.POSITIVE_INFINITY];
    const settings: FamilySettings = { priorWeight: 1, forgetting: 0, bandwidthFloor: 0.01, bandwidthExponent: 1 };
    const rows = Array.from({ length: 60 }, (_, i) => [((i * 37) % 41) / 10 - 2, ((i * 13) % 17) / 17] as const);
    // Continuous dimensions: every odd value in each dimension, the other one inside.
    const xs = odd.flatMap((v) => [[v, 0.5] as const, [0.3, v] as const]);
    const { estimator, points } = twoDimensional(rows, xs, settings);
    close(chooseBackend(estimator, points)(points, true), estimatorLogPdf(estimator, points), 1e-10);
    for (const family of [optunaFamily, hyperoptFamily]) {
      const oneDim = family.build([unit], [{ values: Float64Array.from(rows, (r) => r[0]) }], settings);
      const at = [unit.points([Number.NaN, -5, 5, 0.25])];
      close(chooseBackend(oneDim, at)(at, true), estimatorLogPdf(oneDim, at), 1e-10);
    }
    // Mixed: a continuous value, an integer and a choice, each odd in turn (bins whose upper edge is at or
    // below their lower one included).
    const integer = optunaFamily.encode({ kind: 'quniform', low: 0, high: 20, q: 1 }) as NumericEncoding;
    const encodings: Encoding[] = [unit, integer, choice];
    const columns = [
      { values: Float64Array.from(rows, (r) => r[0]) },
      { values: Float64Array.from(rows, (_, i) => i % 21) },
      { values: Float64Array.from(rows, (_, i) => i % 4) },
    ];
    const mixed = optunaFamily.build(encodings, columns, settings);
    const integerPoints = integer.points([3, 7, 7, 25, Number.NaN, 3]);
    const upper = Float64Array.from(integerPoints.upper ?? []);
    upper[1] = integerPoints.at[1] as number;
    upper[2] = (integerPoints.at[2] as number) - 0.5;
    const mixedPoints: DimensionPoints[] = [
      unit.points([0.1, 0.1, 0.1, 0.1, 0.1, Number.NaN]),
      { at: integerPoints.at, upper },
      { at: Float64Array.of(1, 2, -1, 4, 1.5, 2) },
    ];
    const reference = estimatorLogPdf(mixed, mixedPoints);
    close(chooseBackend(mixed, mixedPoints)(mixedPoints, true), reference, 1e-10);
    expect(reference[5]).toBe(Number.NEGATIVE_INFINITY);
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
