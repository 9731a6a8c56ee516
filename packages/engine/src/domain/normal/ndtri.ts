import { logNormalCdf, normalLogPdf } from './normal.js';

/** Abramowitz & Stegun 26.2.23: a start within 4.5e-4 of the lower-tail quantile for tail mass exp(logQ). */
const tailStart = (logQ: number): number => {
  const t = Math.sqrt(-2 * logQ);
  return -(t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
};

/**
 * The standard normal quantile of a probability given by its log: the x with log Φ(x) = logP (scipy's
 * `ndtri_exp`). Works deep in both tails; three Halley steps on log Φ(x) − logP from a 4.5e-4 start give
 * full double precision. Taking log p lets TPE's truncated sampler reach tail masses that underflow as
 * probabilities; `normalQuantile` is this for a plain probability.
 */
export const ndtriExp = (logP: number): number => {
  if (Number.isNaN(logP) || logP > 0) return Number.NaN;
  if (logP === 0) return Number.POSITIVE_INFINITY;
  if (logP === Number.NEGATIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  // Upper half: start from the mirrored tail, 1 − p = −expm1(logP).
  let x = logP < Math.log(0.5) ? tailStart(logP) : -tailStart(Math.log(-Math.expm1(logP)));
  for (let step = 0; step < 4; step++) {
    const logPhi = logNormalCdf(x);
    const f = logPhi - logP;
    const r = Math.exp(normalLogPdf(x) - logPhi);
    const next = x - f / (r * (1 + (f * (x + r)) / 2));
    if (!Number.isFinite(next)) break;
    if (next === x) break;
    x = next;
  }
  return x;
};
