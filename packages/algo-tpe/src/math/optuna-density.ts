import { type GaussianSum, logGaussianSum, prepareGaussianSum } from './gaussian-sum.js';
import { logSumExp } from './log-sum-exp.js';
import type { GaussianMixture } from './mixture.js';
import { LOG_SQRT_2PI, logGaussMass, SQRT_2PI } from './normal.js';
import type { KernelBounds } from './optuna-kernels.js';

/**
 * For μ in [low, high] and σ ≤ high − low a kernel keeps at least Φ(1) − Φ(0) = 0.34 of its mass, so
 * −log Z ≤ 1.08: the slack that lets block bounds be computed before the normalisers.
 */
const NORMALISER_SLACK = 1.08;
/** Beyond 8.5σ from both bounds a kernel's truncated mass differs from 1 by less than 1e-17. */
const FAR = 8.5;

/** log Z of each kernel: the log mass it keeps inside the bounds (0 well inside them). */
export const logKernelMass = (mu: number, sigma: number, bounds: KernelBounds): number => {
  const a = (bounds.low - mu) / sigma;
  const b = (bounds.high - mu) / sigma;
  return a < -FAR && b > FAR ? 0 : logGaussMass(a, b);
};

/**
 * A mixture of truncated Gaussian kernels (Optuna's density, tpe-spec 4.6) as a {@link GaussianSum}
 * whose truncation normalisers are computed only for the blocks an evaluation visits. Components must be
 * sorted by μ.
 */
export const truncatedGaussianSum = (mixture: GaussianMixture, bounds: KernelBounds): GaussianSum => {
  const size = mixture.mus.length;
  const upper = new Float64Array(size);
  for (let k = 0; k < size; k++) upper[k] = (mixture.weights[k] as number) / ((mixture.sigmas[k] as number) * SQRT_2PI);
  const fill = (start: number, end: number, coefs: Float64Array): void => {
    for (let k = start; k < end; k++) {
      const logMass = logKernelMass(mixture.mus[k] as number, mixture.sigmas[k] as number, bounds);
      if (logMass !== 0) coefs[k] = (upper[k] as number) * Math.exp(-logMass);
    }
  };
  return prepareGaussianSum(mixture.mus, mixture.sigmas, upper, fill, NORMALISER_SLACK);
};

/** log density of a prepared truncated mixture at x (−∞ outside the bounds). */
export const truncatedLogPdfAt = (sum: GaussianSum, bounds: KernelBounds, x: number): number =>
  x < bounds.low || x > bounds.high ? Number.NEGATIVE_INFINITY : logGaussianSum(sum, x);

/** Sorts a mixture's components by μ (stable), as the sums need. */
export const sortMixture = (mixture: GaussianMixture): GaussianMixture => {
  const order = Int32Array.from(mixture.mus, (_, i) => i).sort(
    (a, b) => (mixture.mus[a] as number) - (mixture.mus[b] as number) || a - b,
  );
  const pick = (values: Float64Array) => Float64Array.from(order, (k) => values[k] as number);
  return {
    weights: pick(mixture.weights),
    mus: pick(mixture.mus),
    sigmas: pick(mixture.sigmas),
    sources: Int32Array.from(order, (k) => mixture.sources[k] as number),
  };
};

/**
 * Optuna's continuous log density: log Σ_k w_k · N(x; μ_k, σ_k) / Z_k inside [low, high], −∞ outside
 * (the `−log σ` term included: the current, ≥ 3.5 formula).
 */
export const optunaLogPdf = (mixture: GaussianMixture, bounds: KernelBounds, xs: ArrayLike<number>): Float64Array => {
  const sum = truncatedGaussianSum(sortMixture(mixture), bounds);
  return Float64Array.from({ length: xs.length }, (_, i) => truncatedLogPdfAt(sum, bounds, xs[i] as number));
};

/**
 * Optuna's discrete log mass: log Σ_k w_k · (Φ_k(upper) − Φ_k(lower)) / Z_k for each bin
 * [lowers[i], uppers[i]] in the transformed space (x ± step/2, or ln(x ± ½) for log integers).
 */
export const optunaBinLogPdf = (
  mixture: GaussianMixture,
  bounds: KernelBounds,
  lowers: ArrayLike<number>,
  uppers: ArrayLike<number>,
): Float64Array => {
  const size = mixture.mus.length;
  const base = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    base[k] =
      Math.log(mixture.weights[k] as number) -
      logKernelMass(mixture.mus[k] as number, mixture.sigmas[k] as number, bounds);
  }
  const terms = new Float64Array(size);
  return Float64Array.from({ length: lowers.length }, (_, i) => {
    for (let k = 0; k < size; k++) {
      const mu = mixture.mus[k] as number;
      const sigma = mixture.sigmas[k] as number;
      const term =
        (base[k] as number) + logGaussMass(((lowers[i] as number) - mu) / sigma, ((uppers[i] as number) - mu) / sigma);
      terms[k] = term;
    }
    return logSumExp(terms);
  });
};

/** One dimension of a product-kernel mixture: its kernels in component order and its bounds. */
export interface ProductDimension {
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
  readonly bounds: KernelBounds;
}

/**
 * Optuna's multivariate density (tpe-spec 4.6): log Σ_k w_k Π_j N(x_j; μ_kj, σ_kj)/Z_kj, one shared
 * component index across the (continuous) dimensions. `points[j][i]` is dimension j of point i.
 */
export const optunaProductLogPdf = (
  weights: Float64Array,
  dimensions: readonly ProductDimension[],
  points: readonly ArrayLike<number>[],
): Float64Array => {
  const size = weights.length;
  const count = points[0]?.length ?? 0;
  const base = Float64Array.from(weights, (w) => Math.log(w));
  for (const { mus, sigmas, bounds } of dimensions) {
    for (let k = 0; k < size; k++) {
      const sigma = sigmas[k] as number;
      base[k] = (base[k] as number) - Math.log(sigma) - LOG_SQRT_2PI - logKernelMass(mus[k] as number, sigma, bounds);
    }
  }
  const terms = new Float64Array(size);
  return Float64Array.from({ length: count }, (_, i) => {
    for (let k = 0; k < size; k++) {
      let term = base[k] as number;
      dimensions.forEach(({ mus, sigmas, bounds }, j) => {
        const x = points[j]?.[i] as number;
        const z = (x - (mus[k] as number)) / (sigmas[k] as number);
        term += x < bounds.low || x > bounds.high ? Number.NEGATIVE_INFINITY : -0.5 * z * z;
      });
      terms[k] = term;
    }
    return logSumExp(terms);
  });
};
