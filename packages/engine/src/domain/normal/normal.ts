import { erfc, logErfc } from './erf.js';

const SQRT1_2 = Math.SQRT1_2;
/** log(√(2π)). */
export const LOG_SQRT_2PI = 0.9189385332046728;
/** √(2π). */
export const SQRT_2PI = 2.5066282746310002;

/** The standard normal CDF Φ(z) = ½·erfc(−z/√2). */
export const normalCdf = (z: number): number => 0.5 * erfc(-z * SQRT1_2);

/** log Φ(z), accurate in both tails (scipy's `log_ndtr`). */
export const logNormalCdf = (z: number): number => {
  if (z > 5) return Math.log1p(-0.5 * erfc(z * SQRT1_2));
  return Math.log(0.5) + logErfc(-z * SQRT1_2);
};

/** log φ(z), the standard normal log density. */
export const normalLogPdf = (z: number): number => -0.5 * z * z - LOG_SQRT_2PI;

/** log(exp(a) − exp(b)) for a ≥ b. */
const logDiff = (logP: number, logQ: number): number => logP + Math.log1p(-Math.exp(logQ - logP));

/**
 * log(Φ(b) − Φ(a)) for a ≤ b without cancellation: on the left side when b ≤ 0, mirrored when a > 0,
 * and log1p(−Φ(a) − Φ(−b)) when the interval straddles 0 (Optuna's `_log_gauss_mass`).
 */
export const logGaussMass = (a: number, b: number): number => {
  if (b <= 0) return logDiff(logNormalCdf(b), logNormalCdf(a));
  if (a > 0) return logDiff(logNormalCdf(-a), logNormalCdf(-b));
  return Math.log1p(-normalCdf(a) - normalCdf(-b));
};
