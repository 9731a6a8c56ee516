import { ndtriExp } from './ndtri.js';

/**
 * The standard normal quantile Φ⁻¹(p), for mapping uniform numbers onto normal priors: `ndtriExp` of log p
 * below ½ and mirrored above it, so both tails keep full double precision (near ½, where the quantile nears 0,
 * its error is a few 1e-16 absolute: 0 exactly at ½). Returns ±Infinity at p = 0 or 1 and NaN outside [0, 1].
 * (Until 2026-12-05 an approximation good to 1.2e-9 relative: a quasi-random draw of a normal prior moved that
 * much.)
 */
export const normalQuantile = (p: number): number => {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0.5) return 0;
  return p <= 0.5 ? ndtriExp(Math.log(p)) : -ndtriExp(Math.log1p(-p));
};
