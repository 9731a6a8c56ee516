import { LOG_SQRT_2PI, logGaussMass, type Rng, standardNormal, weightedIndex } from '@parzen/engine/plugin';
import { memoLogGaussMass } from '../math/gauss-mass-memo.js';
import { logSumExp } from '../math/log-sum-exp.js';
import { mapped } from '../math/mapped.js';
import { sampleTruncatedNormal } from '../math/truncated-normal.js';

/** One numeric dimension of a Parzen estimator: a Gaussian kernel per component, in model space. */
export interface NumericKernels {
  /** Always `numeric`: tells it from {@link CategoricalKernels}. */
  readonly kind: 'numeric';
  /** Each component's kernel centre, in model space. */
  readonly mus: Float64Array;
  /** Each component's kernel width, in model space. */
  readonly sigmas: Float64Array;
  /** Support in model space (log for log kinds); ±∞ when unbounded. */
  readonly low: number;
  /** The support's upper end in model space; +∞ when unbounded. */
  readonly high: number;
}

/**
 * One categorical dimension: component k's row is `keep` at its option plus `(1 − keep) · prior`; the
 * prior component (option −1) is `prior` itself. hyperopt's counts are `keep = 1`; Optuna's kernels are
 * `keep = 1 / (priorWeight · C / (n + 1) + 1)`.
 */
export interface CategoricalKernels {
  /** Always `categorical`: tells it from {@link NumericKernels}. */
  readonly kind: 'categorical';
  /** The prior row p0: a probability per option (uniform unless the choice gives probabilities). */
  readonly prior: Float64Array;
  /** The option index of each component, −1 for the prior component. */
  readonly options: Int32Array;
  /** The share of an observation's row on its own option, 0 to 1; the rest is spread as `prior`. */
  readonly keep: number;
}

/** One dimension of a Parzen estimator. */
export type KernelDimension = NumericKernels | CategoricalKernels;

/**
 * How the estimator meets the bounds of its numeric dimensions: `kernel` = every kernel truncated and
 * renormalised on its own (Optuna); `mixture` = the whole mixture cut and renormalised once (hyperopt);
 * `none` = full Gaussians, draws redrawn until inside (hyperopt's continuous log kinds).
 */
export type Truncation = 'kernel' | 'mixture' | 'none';

/**
 * The Parzen estimator: a mixture of product kernels over d ≥ 1 dimensions with one shared component
 * index. Univariate TPE is d = 1; multivariate and grouped TPE are d = the group size. Plain data.
 */
export interface ParzenEstimator {
  /** Normalised component weights. */
  readonly weights: Float64Array;
  /** The kernels of each dimension, one per component in each. */
  readonly dimensions: readonly KernelDimension[];
  /** How the numeric dimensions meet their bounds. */
  readonly truncation: Truncation;
  /** The observation (arrival index) each component comes from; −1 for the prior component. */
  readonly sources: Int32Array;
}

/**
 * The estimator with the widths of its observations' kernels (every numeric dimension; not the prior
 * component's) multiplied by `factor`: below 1 concentrates the mixture on the observations. Plain data
 * in, plain data out; `factor` 1 returns the estimator itself.
 */
export const scaleBandwidths = (estimator: ParzenEstimator, factor: number): ParzenEstimator => {
  if (factor === 1) return estimator;
  const { sources } = estimator;
  return {
    ...estimator,
    dimensions: estimator.dimensions.map((dimension) =>
      dimension.kind !== 'numeric'
        ? dimension
        : {
            ...dimension,
            sigmas: mapped(dimension.sigmas, (sigma, k) => ((sources[k] as number) >= 0 ? sigma * factor : sigma)),
          },
    ),
  };
};

/**
 * Points at which an estimator is evaluated, one entry per dimension, in model space: `at` alone is a
 * point (continuous) or an option index (categorical); with `upper`, the bin [at, upper] (discrete).
 */
export interface DimensionPoints {
  /** The points, or the bins' lower ends, in model space; for a categorical dimension, option indices. */
  readonly at: Float64Array;
  /** The bins' upper ends, in model space (discrete kinds only). */
  readonly upper?: Float64Array;
}

/** Beyond 8.5σ from both bounds a kernel's truncated mass differs from 1 by less than 1e-17. */
const FAR = 8.5;

/** log of the mass N(μ, σ) keeps inside [low, high] (0 well inside them). */
export const logKernelMass = (mu: number, sigma: number, low: number, high: number): number => {
  const a = (low - mu) / sigma;
  const b = (high - mu) / sigma;
  return a < -FAR && b > FAR ? 0 : logGaussMass(a, b);
};

/**
 * {@link logKernelMass} through {@link memoLogGaussMass}, the same value bit for bit: for kernels that recur from
 * suggestion to suggestion (an integer's or quantized value's). A function of its own, not a parameter of
 * logKernelMass, so that the latter's hot callers keep their direct call.
 */
export const memoLogKernelMass = (mu: number, sigma: number, low: number, high: number): number => {
  const a = (low - mu) / sigma;
  const b = (high - mu) / sigma;
  return a < -FAR && b > FAR ? 0 : memoLogGaussMass(a, b);
};

/** log Σ_k w_k Π_j Z_kj: the mass the untruncated mixture keeps inside the bounds (hyperopt's p_accept). */
export const logMixtureMass = (estimator: ParzenEstimator): number => {
  const terms = mapped(estimator.weights, Math.log);
  for (const dimension of estimator.dimensions) {
    if (dimension.kind !== 'numeric') continue;
    const { mus, sigmas, low, high } = dimension;
    if (low === Number.NEGATIVE_INFINITY && high === Number.POSITIVE_INFINITY) continue;
    for (let k = 0; k < terms.length; k++) {
      terms[k] = (terms[k] as number) + logKernelMass(mus[k] as number, sigmas[k] as number, low, high);
    }
  }
  return logSumExp(terms);
};

/** Per-component constant of the log density: log w_k, kernel normalisers, truncation masses. */
const componentBase = (estimator: ParzenEstimator, points: readonly DimensionPoints[]): Float64Array => {
  const base = mapped(estimator.weights, Math.log);
  estimator.dimensions.forEach((dimension, j) => {
    if (dimension.kind !== 'numeric') return;
    const binned = points[j]?.upper !== undefined;
    const { mus, sigmas, low, high } = dimension;
    for (let k = 0; k < base.length; k++) {
      const sigma = sigmas[k] as number;
      let term = base[k] as number;
      if (!binned) term -= Math.log(sigma) + LOG_SQRT_2PI;
      if (estimator.truncation === 'kernel') term -= logKernelMass(mus[k] as number, sigma, low, high);
      base[k] = term;
    }
  });
  return base;
};

/** log of the probability component k of a categorical dimension gives option `at` (its row at `at`). */
export const logOptionRow = (dimension: CategoricalKernels, k: number, at: number): number =>
  logOptionTerm(dimension, dimension.options[k] as number, at);

/**
 * log of the probability a component on `option` (−1: the prior component) gives option `at`: `keep` on its
 * own option, the rest spread as the prior row. Takes three values per `at` (own option, another, the prior).
 */
export const logOptionTerm = (dimension: CategoricalKernels, option: number, at: number): number => {
  const p = dimension.prior[at] ?? 0;
  return Math.log(option < 0 ? p : (at === option ? dimension.keep : 0) + (1 - dimension.keep) * p);
};

/** log of component k's kernel in one dimension at point i (without the constants of the base). */
const logKernelAt = (
  dimension: KernelDimension,
  truncation: Truncation,
  points: DimensionPoints,
  k: number,
  i: number,
): number => {
  const at = points.at[i] as number;
  if (dimension.kind === 'categorical') return logOptionRow(dimension, k, at);
  const mu = dimension.mus[k] as number;
  const sigma = dimension.sigmas[k] as number;
  if (points.upper !== undefined) {
    const upper = points.upper[i] as number;
    if (!(upper > at)) return Number.NEGATIVE_INFINITY;
    return logGaussMass((at - mu) / sigma, (upper - mu) / sigma);
  }
  if (truncation === 'kernel' && (at < dimension.low || at > dimension.high)) return Number.NEGATIVE_INFINITY;
  const z = (at - mu) / sigma;
  return -0.5 * z * z;
};

/**
 * The reference log density: log Σ_k w_k Π_j K_kj(x_j), by direct log-sum-exp over every component,
 * with the truncation the estimator declares (−∞ outside the bounds under `kernel` truncation). Every
 * faster backend is tested against it.
 */
export const estimatorLogPdf = (estimator: ParzenEstimator, points: readonly DimensionPoints[]): Float64Array => {
  const count = points[0]?.at.length ?? 0;
  const base = componentBase(estimator, points);
  const shift = estimator.truncation === 'mixture' ? logMixtureMass(estimator) : 0;
  const terms = new Float64Array(estimator.weights.length);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = logSumExp(componentTerms(estimator, base, points, i, terms)) - shift;
  return out;
};

/** Fills `terms` with log w_k Π_j K_kj at point i, component by component (log of each one's share of the density). */
const componentTerms = (
  estimator: ParzenEstimator,
  base: Float64Array,
  points: readonly DimensionPoints[],
  i: number,
  terms: Float64Array,
): Float64Array => {
  const { dimensions, truncation } = estimator;
  for (let k = 0; k < terms.length; k++) {
    let term = base[k] as number;
    for (let j = 0; j < dimensions.length && term > Number.NEGATIVE_INFINITY; j++) {
      term += logKernelAt(dimensions[j] as KernelDimension, truncation, points[j] as DimensionPoints, k, i);
    }
    terms[k] = term;
  }
  return terms;
};

/** A kernel of an estimator at a point: its first component, its share of the density there, all its components. */
export interface StrongestKernel {
  /** The kernel's first component, an index into the estimator's components. */
  readonly component: number;
  /** Its share of the density at the point, 0 to 1. */
  readonly share: number;
  /** Every component with that same kernel, `component` first. */
  readonly components: readonly number[];
}

/**
 * The kernel with the largest share of the density at point i, and that share (0 to 1): which kernel (an
 * observation's, or the prior's) accounts for the density there. Components with the same kernel in every
 * dimension (observations of the same option or integer, say) are one kernel: their shares add up, and
 * `components` lists them, the first as `component`. Undefined where the density is 0.
 */
export const strongestComponent = (
  estimator: ParzenEstimator,
  points: readonly DimensionPoints[],
  i = 0,
): StrongestKernel | undefined => {
  const terms = componentTerms(
    estimator,
    componentBase(estimator, points),
    points,
    i,
    new Float64Array(estimator.weights.length),
  );
  const total = logSumExp(terms);
  if (!(total > Number.NEGATIVE_INFINITY)) return undefined;
  // Review 111: six trials at one option each held a sixth of its share, and the first was named with it.
  const kernels = new Map<string, { share: number; components: number[] }>();
  for (let k = 0; k < terms.length; k++) {
    const key = estimator.dimensions
      .map((dimension) =>
        dimension.kind === 'categorical' ? `c${dimension.options[k]}` : `n${dimension.mus[k]},${dimension.sigmas[k]}`,
      )
      .join(';');
    const share = Math.exp((terms[k] as number) - total);
    const kernel = kernels.get(key);
    if (kernel === undefined) kernels.set(key, { share, components: [k] });
    else {
      kernel.share += share;
      kernel.components.push(k);
    }
  }
  let best: { share: number; components: number[] } | undefined;
  for (const kernel of kernels.values()) if (best === undefined || kernel.share > best.share) best = kernel;
  const { share, components } = best as { share: number; components: number[] };
  return { component: components[0] as number, share, components };
};

/** Rejection draws before giving up on a mixture cut at its bounds (its kernels all sit inside, so never reached). */
const MAX_REJECTIONS = 100_000;

const sampleCategorical = (dimension: CategoricalKernels, k: number, rng: Rng): number => {
  const option = dimension.options[k] as number;
  if (option >= 0 && (dimension.keep === 1 || rng.next() < dimension.keep)) return option;
  return weightedIndex(rng, dimension.prior);
};

/**
 * A draw of component k in one dimension, cut to the dimension's bounds (`kernel` truncation): an option
 * index, or a model-space value from the truncated kernel.
 */
export const sampleKernel = (dimension: KernelDimension, k: number, rng: Rng): number =>
  dimension.kind === 'categorical'
    ? sampleCategorical(dimension, k, rng)
    : sampleTruncatedNormal(
        rng,
        dimension.mus[k] as number,
        dimension.sigmas[k] as number,
        dimension.low,
        dimension.high,
      );

/**
 * `count` draws from the estimator in model space, one array per dimension: a component by weight, then
 * each dimension from that component's kernel. `kernel` truncation draws each numeric value from its
 * truncated kernel (exact inverse CDF near a bound); `mixture` and `none` redraw the whole point until
 * every numeric value lies in [low, high), as hyperopt does.
 */
export const sampleEstimator = (estimator: ParzenEstimator, rng: Rng, count: number): Float64Array[] => {
  const { dimensions, weights } = estimator;
  const out = dimensions.map(() => new Float64Array(count));
  for (let i = 0; i < count; i++) {
    if (estimator.truncation === 'kernel') {
      const k = weightedIndex(rng, weights);
      dimensions.forEach((dimension, j) => {
        (out[j] as Float64Array)[i] = sampleKernel(dimension, k, rng);
      });
      continue;
    }
    for (let attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
      const k = weightedIndex(rng, weights);
      let inside = true;
      dimensions.forEach((dimension, j) => {
        if (dimension.kind === 'categorical') {
          (out[j] as Float64Array)[i] = sampleCategorical(dimension, k, rng);
          return;
        }
        // A dimension of one value (a uniformint with low = high) has an empty [low, high): its value is low
        // (trial 91: every candidate took all of its rejection draws, 0.2 s a suggestion).
        if (!(dimension.high > dimension.low)) {
          (out[j] as Float64Array)[i] = dimension.low;
          return;
        }
        const draw = (dimension.mus[k] as number) + (dimension.sigmas[k] as number) * standardNormal(rng);
        (out[j] as Float64Array)[i] = draw;
        if (!(draw >= dimension.low && draw < dimension.high)) inside = false;
      });
      if (inside) break;
    }
  }
  return out;
};
