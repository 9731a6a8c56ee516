import { type Distribution, type Rng, weightedIndex } from '@parzen/engine/plugin';
import { linearForgettingWeight } from '../math/linear-forgetting.js';
import { logSumExp } from '../math/log-sum-exp.js';
import { sortedOrder } from '../math/mixture.js';
import { LOG_SQRT_2PI, logGaussMass } from '../math/normal.js';
import { logKernelMass } from '../math/optuna-density.js';
import { optunaSigmasSorted } from '../math/optuna-kernels.js';
import { sampleTruncatedNormal } from '../math/truncated-normal.js';
import type { TpeSettings } from '../options.js';
import { type OptunaEncoding, optunaEncoding } from './encoding.js';

/** One dimension of a joint model: its kernels (observations, then the prior last). */
type JointDimension =
  | {
      readonly kind: 'numeric';
      readonly encoding: Extract<OptunaEncoding, { kind: 'optuna' }>;
      readonly mus: Float64Array;
      readonly sigmas: Float64Array;
      /** log Z of each kernel (its mass inside the bounds). */
      readonly logMasses: Float64Array;
    }
  | { readonly kind: 'categorical'; readonly offset: number; readonly rows: readonly Float64Array[] };

/**
 * A multivariate Parzen estimator (tpe-spec 4.6–4.7, Optuna 5.0 line): one kernel per observation with a
 * component index shared by all parameters, per-dimension neighbour widths, the prior kernel last.
 */
export interface JointDensity {
  logPdf(points: readonly Float64Array[]): Float64Array;
  /** `count` points, one array of internal values per parameter. */
  sample(rng: Rng, count: number): Float64Array[];
}

type JointSettings = Pick<TpeSettings, 'priorWeight' | 'forgetting' | 'bandwidthFloor' | 'bandwidthExponent'>;

const numericDimension = (
  encoding: Extract<OptunaEncoding, { kind: 'optuna' }>,
  values: Float64Array,
  settings: JointSettings,
): JointDimension => {
  const n = values.length;
  const model = values.map(encoding.toModel);
  const order = sortedOrder(model);
  const sorted = Float64Array.from(order, (i) => model[i] as number);
  const sortedSigmas = optunaSigmasSorted(sorted, encoding.bounds, {
    priorWeight: settings.priorWeight,
    clipFloor: settings.bandwidthFloor,
    clipExponent: settings.bandwidthExponent,
  });
  const mus = new Float64Array(n + 1);
  const sigmas = new Float64Array(n + 1);
  mus.set(model);
  order.forEach((i, rank) => {
    sigmas[i] = sortedSigmas[rank] as number;
  });
  mus[n] = 0.5 * (encoding.bounds.low + encoding.bounds.high);
  sigmas[n] = encoding.bounds.high - encoding.bounds.low;
  const logMasses = Float64Array.from(mus, (mu, k) => logKernelMass(mu, sigmas[k] as number, encoding.bounds));
  return { kind: 'numeric', encoding, mus, sigmas, logMasses };
};

const categoricalDimension = (
  encoding: Extract<OptunaEncoding, { kind: 'categorical' }>,
  values: Float64Array,
  priorWeight: number,
): JointDimension => {
  const { size, offset } = encoding;
  const prior = Float64Array.from({ length: size }, (_, c) => encoding.probabilities?.[c] ?? 1 / size);
  const k = values.length + 1;
  const rows = Array.from(values, (value) => {
    const row = prior.map((p) => (priorWeight * size * p) / k);
    row[value - offset] = (row[value - offset] as number) + 1;
    const total = row.reduce((sum, x) => sum + x, 0);
    return row.map((x) => x / total);
  });
  rows.push(prior);
  return { kind: 'categorical', offset, rows };
};

const logKernel = (dimension: JointDimension, k: number, value: number): number => {
  if (dimension.kind === 'categorical') return Math.log(dimension.rows[k]?.[value - dimension.offset] ?? 0);
  const { encoding, mus, sigmas, logMasses } = dimension;
  const y = encoding.toModel(value);
  const mu = mus[k] as number;
  const sigma = sigmas[k] as number;
  if (encoding.bin === undefined) {
    const z = (y - mu) / sigma;
    return -0.5 * z * z - Math.log(sigma) - LOG_SQRT_2PI - (logMasses[k] as number);
  }
  const [lower, upper] = encoding.bin(y);
  return logGaussMass((lower - mu) / sigma, (upper - mu) / sigma) - (logMasses[k] as number);
};

const sampleKernel = (dimension: JointDimension, k: number, rng: Rng): number => {
  if (dimension.kind === 'categorical') return dimension.offset + weightedIndex(rng, dimension.rows[k] ?? []);
  const { encoding, mus, sigmas } = dimension;
  const { low, high } = encoding.bounds;
  return encoding.fromModel(sampleTruncatedNormal(rng, mus[k] as number, sigmas[k] as number, low, high));
};

/**
 * The joint density of observations `values[j][i]` (parameter j, observation i in arrival order) of the
 * given distributions: weights by linear forgetting (or uniform) plus the prior weight, normalised.
 */
export const jointDensity = (
  distributions: readonly Distribution[],
  values: readonly Float64Array[],
  settings: JointSettings,
): JointDensity => {
  const n = values[0]?.length ?? 0;
  const lf = settings.forgetting === 0 ? Number.POSITIVE_INFINITY : settings.forgetting;
  const weights = Float64Array.from({ length: n + 1 }, (_, i) =>
    i === n ? (n === 0 ? 1 : settings.priorWeight) : linearForgettingWeight(i, n, lf),
  );
  const total = weights.reduce((sum, w) => sum + w, 0);
  const logWeights = weights.map((w) => Math.log(w / total));
  const dimensions = distributions.map((distribution, j) => {
    const encoding = optunaEncoding(distribution);
    const column = values[j] ?? new Float64Array(0);
    return encoding.kind === 'categorical'
      ? categoricalDimension(encoding, column, settings.priorWeight)
      : numericDimension(encoding, column, settings);
  });
  const terms = new Float64Array(n + 1);
  return {
    logPdf: (points) =>
      Float64Array.from({ length: points[0]?.length ?? 0 }, (_, i) => {
        for (let k = 0; k <= n; k++) {
          let term = logWeights[k] as number;
          for (let j = 0; j < dimensions.length && term > Number.NEGATIVE_INFINITY; j++) {
            term += logKernel(dimensions[j] as JointDimension, k, points[j]?.[i] as number);
          }
          terms[k] = term;
        }
        return logSumExp(terms);
      }),
    sample: (rng, count) => {
      const out = dimensions.map(() => new Float64Array(count));
      for (let i = 0; i < count; i++) {
        const k = weightedIndex(rng, weights);
        dimensions.forEach((dimension, j) => {
          (out[j] as Float64Array)[i] = sampleKernel(dimension, k, rng);
        });
      }
      return out;
    },
  };
};
