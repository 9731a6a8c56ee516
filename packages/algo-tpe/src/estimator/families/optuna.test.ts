import { createRng } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { expectClose, vectors } from '../../math/fixtures/vectors.js';
import { linearForgettingWeight } from '../../math/linear-forgetting.js';
import { scoreCandidates } from '../../math/score.js';
import { buildDensity, categoricalProbabilities, estimatorDensity } from '../density.js';
import type { NumericEncoding } from '../encoding.js';
import { createBuildCache, type FamilySettings } from '../family.js';
import { type DimensionPoints, estimatorLogPdf, type ParzenEstimator } from '../parzen-estimator.js';
import { arrivalLayout, optunaFamily } from './optuna.js';

const current = vectors.optuna_current;
const settings: FamilySettings = { priorWeight: 1, forgetting: 25, bandwidthFloor: 0.01, bandwidthExponent: 1 };

/** A hand-made encoding: the family takes any model space, bins included (here Optuna's log-int). */
const encoding = (
  low: number,
  high: number,
  transform: (x: number) => number,
  bin?: (x: number) => [number, number],
): NumericEncoding => ({
  kind: 'numeric',
  low,
  high,
  log: false,
  binned: bin !== undefined,
  jacobian: false,
  prior: { mu: 0.5 * (low + high), sigma: high - low },
  toModel: transform,
  fromModel: (y) => y,
  points: (values) =>
    bin === undefined
      ? { at: Float64Array.from(values, transform) }
      : {
          at: Float64Array.from(values, (x) => bin(x)[0]),
          upper: Float64Array.from(values, (x) => bin(x)[1]),
        },
});

const identity = (x: number) => x;
const cases: Record<string, NumericEncoding> = {
  uniform_n10: encoding(-2, 2, identity),
  uniform_n30: encoding(-2, 2, identity),
  'float_step0.5': encoding(-2.25, 2.25, identity, (x) => [x - 0.25, x + 0.25]),
  'float_log_1e-3_1': encoding(Math.log(1e-3), 0, Math.log),
  int_1_10: encoding(0.5, 10.5, identity, (x) => [x - 0.5, x + 0.5]),
  int_log_1_100: encoding(Math.log(0.5), Math.log(100.5), Math.log, (x) => [Math.log(x - 0.5), Math.log(x + 0.5)]),
};

/** A one-dimensional estimator's components in Optuna's layout: trial order, the prior last. */
const optunaLayout = (estimator: ParzenEstimator) => {
  const dimension = estimator.dimensions[0];
  if (dimension?.kind !== 'numeric') throw new Error('numeric');
  const n = estimator.sources.length - 1;
  const position = new Int32Array(n + 1);
  estimator.sources.forEach((source, k) => {
    position[source < 0 ? n : source] = k;
  });
  const pick = (values: Float64Array) => Array.from(position, (k) => values[k] as number);
  return { weights: pick(estimator.weights), mus: pick(dimension.mus), sigmas: pick(dimension.sigmas) };
};

describe('Optuna family (5.0 line), univariate numeric', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`reproduces the models, log l, log g and scores for ${name}`, () => {
      const data = current[name];
      const [logL, logG] = [
        [data.below, data.below_model],
        [data.above, data.above_model],
      ].map(([obs, model]) => {
        const estimator = optunaFamily.build([c], [{ values: Float64Array.from(obs) }], settings);
        const layout = optunaLayout(estimator);
        expectClose(layout.weights, model.weights);
        expectClose(layout.mus, model.per_param.x.mus);
        expectClose(layout.sigmas, model.per_param.x.sigmas);
        const reference = estimatorLogPdf(estimator, [c.points(data.points)]);
        const backend = estimatorDensity(estimator, [c]).logPdf([data.points], true);
        expectClose(backend, Array.from(reference), 1e-12);
        return reference;
      }) as [Float64Array, Float64Array];
      expectClose(logL, data.log_l, 1e-8);
      expectClose(logG, data.log_g, 1e-8);
      expectClose(scoreCandidates(logL, logG), data.score, 1e-8);
    });
  }

  it('gives log 0 (−∞) outside the bounds', () => {
    const c = encoding(0, 1, identity);
    const density = buildDensity(optunaFamily, [c], [{ values: Float64Array.of(0.5) }], settings);
    expect(Array.from(density.logPdf([[-0.1, 1.1]], true))).toEqual([-Infinity, -Infinity]);
  });
});

describe('Optuna family, categorical kernels', () => {
  it('reproduces categorical_abc', () => {
    const data = current.categorical_abc;
    const index = (c: string) => ['a', 'b', 'c'].indexOf(c);
    const abc = { kind: 'categorical', size: 3, offset: 0 } as const;
    const [logL, logG] = [
      [data.below, data.below_model],
      [data.above, data.above_model],
    ].map(([obs, model]) => {
      const estimator = optunaFamily.build([abc], [{ values: Float64Array.from(obs.map(index)) }], settings);
      expectClose(estimator.weights, model.weights);
      const dimension = estimator.dimensions[0];
      if (dimension?.kind !== 'categorical') throw new Error('categorical');
      model.per_param.x.categorical_weights.forEach((row: number[], k: number) => {
        const option = dimension.options[k] as number;
        const ours = Array.from(dimension.prior, (p, c) =>
          option < 0 ? p : (c === option ? dimension.keep : 0) + (1 - dimension.keep) * p,
        );
        expectClose(ours, row);
      });
      const at: DimensionPoints = { at: Float64Array.from(data.points.map(index)) };
      const reference = estimatorLogPdf(estimator, [at]);
      const collapsed = categoricalProbabilities(estimator);
      expectClose(
        data.points.map((c: string) => Math.log(collapsed[index(c)] as number)),
        Array.from(reference),
        1e-12,
      );
      return reference;
    }) as [Float64Array, Float64Array];
    expectClose(logL, data.log_l);
    expectClose(logG, data.log_g);
    expectClose(scoreCandidates(logL, logG), data.score, 1e-8);
  });
});

describe('Optuna family, multivariate (product kernels)', () => {
  const data = current.multivariate_2d_nbelow3;
  const encodings = [encoding(-2, 2, identity), encoding(0, 1, identity)];
  const columns = (indices: number[]) =>
    (['xs', 'ys'] as const).map((name) => ({ values: Float64Array.from(indices, (i) => data[name][i]) }));
  const points = [Float64Array.from(data.points.x), Float64Array.from(data.points.y)];

  it('reproduces multivariate_2d_nbelow3 of the 5.0 line (per-dimension neighbour widths)', () => {
    const [logL, logG] = [
      [data.below_idx, data.below_model],
      [data.above_idx, data.above_model],
    ].map(([indices, model]) => {
      const estimator = optunaFamily.build(encodings, columns(indices), settings);
      expectClose(estimator.weights, model.weights);
      (['x', 'y'] as const).forEach((name, j) => {
        const dimension = estimator.dimensions[j];
        if (dimension?.kind !== 'numeric') throw new Error('numeric');
        expectClose(dimension.mus, model.per_param[name].mus);
        expectClose(dimension.sigmas, model.per_param[name].sigmas);
      });
      const reference = estimatorLogPdf(
        estimator,
        points.map((at) => ({ at })),
      );
      expectClose(estimatorDensity(estimator, encodings).logPdf(points, true), Array.from(reference), 1e-12);
      return reference;
    }) as [Float64Array, Float64Array];
    expectClose(logL, data.log_l, 1e-8);
    expectClose(logG, data.log_g, 1e-8);
    expectClose(scoreCandidates(logL, logG), data.score, 1e-8);
  });

  it('draws joint candidates inside the bounds, one shared kernel per candidate', () => {
    const density = buildDensity(optunaFamily, encodings, columns(data.below_idx), settings);
    const samples = density.sample(createRng('joint'), 200);
    expect(samples).toHaveLength(2);
    for (const x of samples[0] ?? []) expect(Math.abs(x)).toBeLessThanOrEqual(2);
    for (const y of samples[1] ?? []) expect(y >= 0 && y <= 1).toBe(true);
  });

  it('mixes categorical dimensions in with their kernel rows', () => {
    const density = buildDensity(
      optunaFamily,
      [{ kind: 'categorical', size: 3, offset: 0 }, encodings[0] as NumericEncoding],
      [{ values: Float64Array.of(1, 1) }, { values: Float64Array.of(0.2, 0.4) }],
      settings,
    );
    const [a, b] = density.logPdf([Float64Array.of(1, 0), Float64Array.of(0.3, 0.3)], true);
    expect(a as number).toBeGreaterThan(b as number);
  });
});

describe('Optuna family, the arrival layout kept for the next estimator', () => {
  /** The layout made afresh: observation i's weight by linear forgetting (or 1), the prior's last, normalised. */
  const fresh = (n: number, s: FamilySettings) => {
    const raw = Array.from({ length: n + 1 }, (_, i) =>
      i === n
        ? n === 0
          ? 1
          : s.priorWeight
        : linearForgettingWeight(i, n, s.forgetting === 0 ? Number.POSITIVE_INFINITY : s.forgetting),
    );
    let total = 0;
    for (const w of raw) total += w;
    return {
      weights: raw.map((w) => w / total),
      sources: Array.from({ length: n + 1 }, (_, i) => (i === n ? -1 : i)),
    };
  };
  const others: FamilySettings[] = [
    settings,
    { ...settings, forgetting: 0 },
    { ...settings, forgetting: 5 },
    { ...settings, priorWeight: 0.5 },
    { ...settings, priorWeight: 2, forgetting: 10 },
  ];

  it('equals a fresh one for every size and settings, whatever was made before (more than are kept)', () => {
    const rng = createRng('layouts');
    const cache = createBuildCache();
    for (let i = 0; i < 400; i++) {
      const n = Math.floor(rng.next() * 60);
      const s = others[Math.floor(rng.next() * others.length)] as FamilySettings;
      const { weights, sources } = arrivalLayout(n, s, cache);
      expect({ weights: Array.from(weights), sources: Array.from(sources) }).toEqual(fresh(n, s));
    }
  });

  it('is what a categorical estimator is built with', () => {
    const categorical = { kind: 'categorical', size: 3, offset: 0 } as const;
    for (const s of others) {
      const values = Float64Array.of(0, 2, 1, 1, 0, 2, 2, 1, 0, 0, 1, 2, 0, 1, 1);
      const cache = createBuildCache();
      for (const n of [15, 3, 15]) {
        const estimator = optunaFamily.build([categorical], [{ values: values.subarray(0, n) }], s, cache);
        const expected = fresh(n, s);
        expect(Array.from(estimator.weights)).toEqual(expected.weights);
        expect(Array.from(estimator.sources)).toEqual(expected.sources);
      }
    }
  });

  it('is kept in the cache it was built with (a suggester’s) and no other, at most four', () => {
    const categorical = { kind: 'categorical', size: 3, offset: 0 } as const;
    const values = Float64Array.of(0, 2, 1, 1, 0, 2, 2, 1);
    const [mine, theirs] = [createBuildCache(), createBuildCache()];
    const first = optunaFamily.build([categorical], [{ values }], settings, mine);
    expect(mine.arrivalLayouts.map((layout) => layout.n)).toEqual([8]);
    expect(theirs.arrivalLayouts).toEqual([]);
    // Reused by the same cache, made afresh (equal, not the same arrays) for another or for none.
    expect(optunaFamily.build([categorical], [{ values }], settings, mine).weights).toBe(first.weights);
    const other = optunaFamily.build([categorical], [{ values }], settings, theirs);
    expect(other.weights).not.toBe(first.weights);
    expect(other.weights).toEqual(first.weights);
    expect(optunaFamily.build([categorical], [{ values }], settings).weights).not.toBe(first.weights);
    for (let n = 1; n <= 6; n++) optunaFamily.build([categorical], [{ values: values.subarray(0, n) }], settings, mine);
    expect(mine.arrivalLayouts.map((layout) => layout.n)).toEqual([6, 5, 4, 3]);
  });
});
