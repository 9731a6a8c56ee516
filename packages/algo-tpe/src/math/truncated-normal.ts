import { logGaussMass, logNormalCdf, ndtriExp, type Rng, standardNormal } from '@parzen/engine/plugin';

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

/**
 * One draw from N(μ, σ) truncated to [low, high]. When the interval keeps most of the mass (both bounds
 * at least 1σ away, so ≥ 68%), plain normal draws are redrawn until one lands inside (1.5 tries at worst
 * on average, far cheaper than a quantile); otherwise exact inverse CDF with one uniform, so narrow or
 * far-tail intervals cost no more.
 */
export const sampleTruncatedNormal = (rng: Rng, mu: number, sigma: number, low: number, high: number): number => {
  const a = (low - mu) / sigma;
  const b = (high - mu) / sigma;
  if (a <= -1 && b >= 1) {
    for (;;) {
      const z = standardNormal(rng);
      if (z >= a && z <= b) return mu + sigma * z;
    }
  }
  return mu + sigma * truncatedNormalQuantile(rng.next(), a, b);
};
