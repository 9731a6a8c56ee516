import { ndtriExp } from './ndtri.js';

/**
 * The standard normal quantile Φ⁻¹(p), for mapping uniform numbers onto normal priors: `ndtriExp` of log p
 * below ½ and mirrored above it, so both tails keep full double precision. Returns ±Infinity at p = 0 or 1
 * and NaN outside [0, 1].
 */
export const normalQuantile = (p: number): number => {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  return p <= 0.5 ? ndtriExp(Math.log(p)) : -ndtriExp(Math.log1p(-p));
};
