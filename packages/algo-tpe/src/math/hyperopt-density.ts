import { erf } from './erf.js';
import { type GaussianSum, logGaussianSum, prepareGaussianSum } from './gaussian-sum.js';
import type { GaussianMixture } from './mixture.js';
import { SQRT_2PI } from './normal.js';

/** hyperopt's floor for widths and for log arguments. */
export const EPS = 1e-12;

/** Where a hyperopt mixture lives: bounds (log-space for log kinds; absent when unbounded) and grid step. */
export interface HyperoptSupport {
  readonly low?: number;
  readonly high?: number;
  readonly q?: number;
}

/** hyperopt's `normal_cdf(x, mu, sigma)` = ½(1 + erf((x − μ)/max(√2σ, EPS))). */
const normalCdfAt = (x: number, mu: number, sigma: number): number =>
  0.5 * (1 + erf((x - mu) / Math.max(Math.SQRT2 * sigma, EPS)));

/** hyperopt's `lognormal_cdf(x, mu, sigma)` = ½ + ½·erf((ln max(x, EPS) − μ)/max(√2σ, EPS)). */
const lognormalCdfAt = (x: number, mu: number, sigma: number): number =>
  0.5 + 0.5 * erf((Math.log(Math.max(x, EPS)) - mu) / Math.max(Math.SQRT2 * sigma, EPS));

/**
 * log of the mass the mixture puts inside [low, high] (`p_accept`, 0 when unbounded): the truncated
 * mixture is renormalised once by it (tpe-spec 3.6).
 */
export const logAcceptance = (mixture: GaussianMixture, support: HyperoptSupport): number => {
  if (support.low === undefined && support.high === undefined) return 0;
  const low = support.low ?? Number.NEGATIVE_INFINITY;
  const high = support.high ?? Number.POSITIVE_INFINITY;
  let total = 0;
  for (let k = 0; k < mixture.weights.length; k++) {
    const mu = mixture.mus[k] as number;
    const sigma = mixture.sigmas[k] as number;
    total += (mixture.weights[k] as number) * (normalCdfAt(high, mu, sigma) - normalCdfAt(low, mu, sigma));
  }
  return Math.log(total);
};

/** The continuous mixture as a {@link GaussianSum} (components must be sorted by μ, as APN returns them). */
export const gaussianSumOf = (mixture: GaussianMixture): GaussianSum => {
  const size = mixture.mus.length;
  const sigmas = new Float64Array(size);
  const coefs = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    const sigma = Math.max(mixture.sigmas[k] as number, EPS);
    sigmas[k] = sigma;
    coefs[k] = (mixture.weights[k] as number) / (sigma * SQRT_2PI);
  }
  return prepareGaussianSum(mixture.mus, sigmas, coefs);
};

const binLogMass = (
  mixture: GaussianMixture,
  lower: number,
  upper: number,
  cdf: (x: number, mu: number, sigma: number) => number,
): number => {
  let total = 0;
  for (let k = 0; k < mixture.weights.length; k++) {
    const w = mixture.weights[k] as number;
    const mu = mixture.mus[k] as number;
    const sigma = mixture.sigmas[k] as number;
    // Two-stage addition, as hyperopt does it.
    total += w * cdf(upper, mu, sigma);
    total -= w * cdf(lower, mu, sigma);
  }
  return Math.log(total);
};

/**
 * hyperopt's `GMM1_lpdf`: log density of the truncated mixture at each x; with `q`, the log mass of the
 * bin [x − q/2, x + q/2] cut at the bounds. Includes the −log p_accept renormalisation.
 */
export const gmmLogPdf = (
  mixture: GaussianMixture,
  xs: ArrayLike<number>,
  support: HyperoptSupport = {},
): Float64Array => {
  const out = new Float64Array(xs.length);
  const logAccept = logAcceptance(mixture, support);
  const { q } = support;
  const sum = q === undefined ? gaussianSumOf(mixture) : undefined;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    if (sum !== undefined) {
      out[i] = logGaussianSum(sum, x) - logAccept;
      continue;
    }
    const upper = Math.min(x + (q as number) / 2, support.high ?? Number.POSITIVE_INFINITY);
    const lower = Math.max(x - (q as number) / 2, support.low ?? Number.NEGATIVE_INFINITY);
    out[i] = binLogMass(mixture, lower, upper, normalCdfAt) - logAccept;
  }
  return out;
};

/**
 * hyperopt's `LGMM1_lpdf` (mixture over ln x; bounds in log space). Continuous: the lognormal density
 * with its −ln x Jacobian and, like hyperopt, without renormalising by p_accept. With `q`: the log mass of
 * [max(0, x − q/2, e^low), min(x + q/2, e^high)] minus log p_accept.
 */
export const lgmmLogPdf = (
  mixture: GaussianMixture,
  xs: ArrayLike<number>,
  support: HyperoptSupport = {},
): Float64Array => {
  const out = new Float64Array(xs.length);
  const { q } = support;
  const sum = q === undefined ? gaussianSumOf(mixture) : undefined;
  const logAccept = q === undefined ? 0 : logAcceptance(mixture, support);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    if (sum !== undefined) {
      out[i] = logGaussianSum(sum, Math.log(x)) - Math.log(x);
      continue;
    }
    const upper = Math.min(
      x + (q as number) / 2,
      support.high === undefined ? Number.POSITIVE_INFINITY : Math.exp(support.high),
    );
    const lower = Math.max(0, x - (q as number) / 2, support.low === undefined ? 0 : Math.exp(support.low));
    out[i] = binLogMass(mixture, lower, upper, lognormalCdfAt) - logAccept;
  }
  return out;
};
