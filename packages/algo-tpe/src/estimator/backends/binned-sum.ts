import { BLOCK_SIZE, blockBounds, blockMaxima, firstVisit, secondVisit } from '../../math/block-bounds.js';
import { memoLogGaussMass } from '../../math/gauss-mass-memo.js';
import { logSumExp } from '../../math/log-sum-exp.js';
import { type DimensionPoints, logMixtureMass, memoLogKernelMass, type ParzenEstimator } from '../parzen-estimator.js';
import { ascending } from './sorted-sum.js';

const BLOCK = BLOCK_SIZE;

/** `Object.is`, except that NaN is never the same number (nor NaN): −0 and +0 differ, as any other two bit patterns. */
const sameNumber = (a: number, b: number): boolean => a === b && Object.is(a, b);

/**
 * The last kernel a visit summed at one bin and its mass on that bin (none: a NaN centre). Made by the one
 * evaluation of that bin and passed to each of its visits, so a visit can only reuse a mass on its own bin.
 */
interface Carry {
  mu: number;
  sigma: number;
  mass: number;
}

/** Whether the binned-sum backend applies: one numeric dimension evaluated on bins, components sorted by μ. */
export const binnedSumApplies = (estimator: ParzenEstimator, points: readonly DimensionPoints[]): boolean => {
  const [dimension] = estimator.dimensions;
  if (estimator.dimensions.length !== 1 || dimension?.kind !== 'numeric' || points[0]?.upper === undefined)
    return false;
  return ascending(dimension.mus);
};

/**
 * The binned-sum backend: a univariate estimator evaluated on bins (integers and quantized values: the mass
 * each kernel puts on [at, upper]), visiting only the blocks of 32 components (sorted by μ) that can matter.
 * A kernel whose centre lies d away from a bin puts at most Φ(−d/σ) ≤ ½·e^{−d²/2σ²} on it, so a block is
 * bounded by its largest log coefficient and its widest kernel; blocks more than e^−40 below the sum are
 * left out, as the sorted sum leaves them out for densities. O(n) per evaluation for the bounds and the
 * coefficients, against O(n) erf calls per candidate for the direct sum. Without `exact` it leaves out
 * hyperopt's mixture normaliser (a candidate-independent constant).
 */
export const binnedSumBackend = (estimator: ParzenEstimator) => {
  const dimension = estimator.dimensions[0];
  if (dimension?.kind !== 'numeric') throw new Error('binnedSumBackend needs one numeric dimension');
  const { mus, sigmas, low, high } = dimension;
  const size = mus.length;
  // log w_k, less log Z_k (each kernel's truncated mass) under Optuna's per-kernel truncation.
  const logCoefs = new Float64Array(estimator.weights.length);
  for (let k = 0; k < logCoefs.length; k++) logCoefs[k] = Math.log(estimator.weights[k] as number);
  if (estimator.truncation === 'kernel') {
    // Kernels sorted by centre: an integer's or quantized value's repeat one centre and width in runs, whose
    // truncated mass is computed once per run (the same value, so the same coefficient bit for bit).
    let lastMu = Number.NaN;
    let lastSigma = Number.NaN;
    let mass = Number.NaN;
    for (let k = 0; k < size; k++) {
      const mu = mus[k] as number;
      const sigma = sigmas[k] as number;
      if (!sameNumber(mu, lastMu) || !sameNumber(sigma, lastSigma)) {
        mass = memoLogKernelMass(mu, sigma, low, high);
        lastMu = mu;
        lastSigma = sigma;
      }
      logCoefs[k] = (logCoefs[k] as number) - mass;
    }
  }
  const blockMaxLogCoef = blockMaxima(logCoefs);
  const blockMaxSigma = blockMaxima(sigmas);
  const bounds = new Float64Array(blockMaxSigma.length);
  const terms = new Float64Array(size);
  let normaliser: number | undefined;

  /**
   * Appends block b's terms at the bin [at, upper] to `terms` from `count`; returns the new count. `carry` is
   * this bin's (a run of one centre and width often spans blocks): read at the block's start, left at its end.
   */
  const visit = (b: number, at: number, upper: number, count: number, carry: Carry): number => {
    const end = Math.min(size, (b + 1) * BLOCK);
    let next = count;
    // Kernels sorted by centre: an integer's repeat one centre and width in runs, and put one mass on the bin,
    // computed once per run (the same value, so the same term bit for bit). Within a block a run is told by
    // `!==` (−0 and +0 one centre); across blocks the carry is taken only
    // for the same bits (`sameNumber`), the stricter rule. The width is compared too, though the loop would
    // recompute a mass for another width anyway: a run is one centre and one width.
    let lastMu = Number.NaN;
    let lastSigma = Number.NaN;
    let mass = Number.NaN;
    const start = b * BLOCK;
    if (sameNumber(mus[start] as number, carry.mu) && sameNumber(sigmas[start] as number, carry.sigma)) {
      lastMu = carry.mu;
      lastSigma = carry.sigma;
      mass = carry.mass;
    }
    for (let k = start; k < end; k++) {
      const mu = mus[k] as number;
      const sigma = sigmas[k] as number;
      if (mu !== lastMu || sigma !== lastSigma) {
        // Remembered across bins and suggestions: the same centres, widths and bins recur (the same mass, bit for bit).
        mass = memoLogGaussMass((at - mu) / sigma, (upper - mu) / sigma);
        lastMu = mu;
        lastSigma = sigma;
      }
      terms[next++] = (logCoefs[k] as number) + mass;
    }
    carry.mu = lastMu;
    carry.sigma = lastSigma;
    carry.mass = mass;
    return next;
  };

  const logMass = (at: number, upper: number): number => {
    if (size === 0 || !(upper > at)) return Number.NEGATIVE_INFINITY;
    const reference = blockBounds(mus, blockMaxSigma, blockMaxLogCoef, bounds, at, upper, -Math.LN2);
    if (!(reference > Number.NEGATIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const carry: Carry = { mu: Number.NaN, sigma: Number.NaN, mass: Number.NaN };
    let count = 0;
    for (let b = 0; b < bounds.length; b++)
      if (firstVisit(bounds[b] as number, reference)) count = visit(b, at, upper, count, carry);
    const found = logSumExp(terms, count);
    const firstCount = count;
    for (let b = 0; b < bounds.length; b++)
      if (secondVisit(bounds[b] as number, reference, found)) count = visit(b, at, upper, count, carry);
    // No block added: the same terms, the same sum (not summed again).
    return count === firstCount ? found : logSumExp(terms, count);
  };

  return (points: readonly DimensionPoints[], exact: boolean): Float64Array => {
    const { at, upper } = points[0] as DimensionPoints;
    const out = new Float64Array(at.length);
    if (estimator.truncation === 'mixture' && exact) normaliser ??= logMixtureMass(estimator);
    const shift = estimator.truncation === 'mixture' && exact ? (normaliser as number) : 0;
    // Candidates drawn from l(x) often share a bin: a bin equal (same bits) to the first bin seen with its lower
    // end takes that one's value. Only the first bin of each lower end is remembered, so a repeat of another
    // bin with the same lower end (another width) is summed again.
    const firstWithLower = new Map<number, number>();
    for (let i = 0; i < at.length; i++) {
      const lower = at[i] as number;
      const top = (upper as Float64Array)[i] as number;
      const seen = firstWithLower.get(lower);
      if (seen !== undefined && Object.is(at[seen], lower) && Object.is((upper as Float64Array)[seen], top)) {
        out[i] = out[seen] as number;
        continue;
      }
      out[i] = logMass(lower, top) - shift;
      if (seen === undefined) firstWithLower.set(lower, i);
    }
    return out;
  };
};
