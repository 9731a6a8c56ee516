import { type Rng, standardNormal } from '@parzen/engine';
import { ndtriExp } from './ndtri.js';
import { logGaussMass, logNormalCdf } from './normal.js';

const logAddExp = (a: number, b: number): number => {
  const max = Math.max(a, b);
  if (max === Number.NEGATIVE_INFINITY) return max;
  return max + Math.log(Math.exp(a - max) + Math.exp(b - max));
};

/**
 * The quantile of the standard normal truncated to [a, b] at probability u (Optuna's `_truncnorm.ppf`):
 * inverse CDF in log space on the left tail, mirrored when a ≥ 0, so deep tails stay exact.
 */
export const truncatedNormalQuantile = (u: number, a: number, b: number): number => {
  if (u <= 0) return a;
  if (u >= 1) return b;
  const logMass = logGaussMass(a, b);
  const x =
    a < 0
      ? ndtriExp(logAddExp(logNormalCdf(a), Math.log(u) + logMass))
      : -ndtriExp(logAddExp(logNormalCdf(-b), Math.log1p(-u) + logMass));
  return Math.min(b, Math.max(a, x));
};

/** Beyond 8.5σ on both sides the truncation removes less than 1e-17 of the mass. */
const FAR = 8.5;

/**
 * One draw from N(μ, σ) truncated to [low, high]: by inverse CDF with one uniform from `rng` (exact in
 * the tails); a kernel whose truncation is negligible (both bounds beyond 8.5σ) takes a plain normal draw,
 * redrawn in the rare case it lands outside.
 */
export const sampleTruncatedNormal = (rng: Rng, mu: number, sigma: number, low: number, high: number): number => {
  const a = (low - mu) / sigma;
  const b = (high - mu) / sigma;
  if (a < -FAR && b > FAR) {
    for (;;) {
      const z = standardNormal(rng);
      if (z >= a && z <= b) return mu + sigma * z;
    }
  }
  return mu + sigma * truncatedNormalQuantile(rng.next(), a, b);
};
