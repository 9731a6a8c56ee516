import { logGaussMass } from '@parzen/engine/plugin';
import { BLOCK_SIZE, blockBounds, blockMaxima, firstVisit, secondVisit } from '../../math/block-bounds.js';
import { logSumExp } from '../../math/log-sum-exp.js';
import { type DimensionPoints, logKernelMass, logMixtureMass, type ParzenEstimator } from '../parzen-estimator.js';
import { ascending } from './sorted-sum.js';

const BLOCK = BLOCK_SIZE;

/** The same number to the last bit, NaN excepted (−0 is not +0). */
const sameNumber = (a: number, b: number): boolean => a === b && Object.is(a, b);

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
        mass = logKernelMass(mu, sigma, low, high);
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

  // The last kernel a visit summed at the current bin and its mass there (none: NaN centre), carried to the
  // next visit: a run of one centre and width often spans blocks.
  let carriedMu = Number.NaN;
  let carriedSigma = Number.NaN;
  let carriedMass = Number.NaN;

  /** Appends block b's terms at the bin [at, upper] to `terms` from `count`; returns the new count. */
  const visit = (b: number, at: number, upper: number, count: number): number => {
    const end = Math.min(size, (b + 1) * BLOCK);
    let next = count;
    // Kernels sorted by centre: an integer's repeat one centre and width in runs, and put one mass on the bin,
    // computed once per run (the same value, so the same term bit for bit). A block that opens with the very
    // kernel the last visit ended on (the same bits, not NaN) takes its mass.
    let lastMu = Number.NaN;
    let lastSigma = Number.NaN;
    let mass = Number.NaN;
    const first = b * BLOCK;
    if (sameNumber(mus[first] as number, carriedMu) && sameNumber(sigmas[first] as number, carriedSigma)) {
      lastMu = carriedMu;
      lastSigma = carriedSigma;
      mass = carriedMass;
    }
    for (let k = first; k < end; k++) {
      const mu = mus[k] as number;
      const sigma = sigmas[k] as number;
      if (mu !== lastMu || sigma !== lastSigma) {
        mass = logGaussMass((at - mu) / sigma, (upper - mu) / sigma);
        lastMu = mu;
        lastSigma = sigma;
      }
      terms[next++] = (logCoefs[k] as number) + mass;
    }
    carriedMu = lastMu;
    carriedSigma = lastSigma;
    carriedMass = mass;
    return next;
  };

  const logMass = (at: number, upper: number): number => {
    if (size === 0 || !(upper > at)) return Number.NEGATIVE_INFINITY;
    const reference = blockBounds(mus, blockMaxSigma, blockMaxLogCoef, bounds, at, upper, -Math.LN2);
    if (!(reference > Number.NEGATIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    carriedMu = Number.NaN;
    let count = 0;
    for (let b = 0; b < bounds.length; b++)
      if (firstVisit(bounds[b] as number, reference)) count = visit(b, at, upper, count);
    const found = logSumExp(terms, count);
    const firstCount = count;
    for (let b = 0; b < bounds.length; b++)
      if (secondVisit(bounds[b] as number, reference, found)) count = visit(b, at, upper, count);
    // No block added: the same terms, the same sum (not summed again).
    return count === firstCount ? found : logSumExp(terms, count);
  };

  return (points: readonly DimensionPoints[], exact: boolean): Float64Array => {
    const { at, upper } = points[0] as DimensionPoints;
    const out = new Float64Array(at.length);
    if (estimator.truncation === 'mixture' && exact) normaliser ??= logMixtureMass(estimator);
    const shift = estimator.truncation === 'mixture' && exact ? (normaliser as number) : 0;
    // Candidates drawn from l(x) often share a bin: each distinct bin is summed once (the same value).
    const first = new Map<number, number>();
    for (let i = 0; i < at.length; i++) {
      const lower = at[i] as number;
      const top = (upper as Float64Array)[i] as number;
      const seen = first.get(lower);
      if (seen !== undefined && Object.is(at[seen], lower) && Object.is((upper as Float64Array)[seen], top)) {
        out[i] = out[seen] as number;
        continue;
      }
      out[i] = logMass(lower, top) - shift;
      if (seen === undefined) first.set(lower, i);
    }
    return out;
  };
};
