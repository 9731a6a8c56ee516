import { fastExpNonPositive } from './fast-exp.js';
import { logSumExp } from './log-sum-exp.js';

const BLOCK = 32;
/** Terms more than e^−46 (1e-20) below the largest term are left out; N·1e-20 is far below double rounding. */
const CUTOFF = 46;

/**
 * Σ_k exp(logCoef_k − ½((x − μ_k)/σ_k)²) over components sorted by μ, prepared so that an evaluation only
 * visits the blocks of 32 components that can matter. Each block keeps its μ range, its largest σ and an
 * upper bound of its log coefficients, which bound every term in it.
 *
 * @remarks `logCoefs` may be filled lazily per block (`fillBlock`), for coefficients that are costly to
 * compute (truncation normalisers); `coefSlack` must then bound how much a filled coefficient can exceed
 * the `upperLogCoefs` given up front.
 */
export interface GaussianSum {
  readonly size: number;
  readonly mus: Float64Array;
  readonly invSigmas: Float64Array;
  readonly logCoefs: Float64Array;
  readonly blockMaxSigma: Float64Array;
  readonly blockMaxLogCoef: Float64Array;
  readonly filled: Uint8Array;
  readonly fillBlock: ((start: number, end: number, logCoefs: Float64Array) => void) | undefined;
}

/** Prepares {@link GaussianSum}; `mus` must be sorted ascending (ties in any order). */
export const prepareGaussianSum = (
  mus: Float64Array,
  sigmas: Float64Array,
  upperLogCoefs: Float64Array,
  fillBlock?: (start: number, end: number, logCoefs: Float64Array) => void,
  coefSlack = 0,
): GaussianSum => {
  const size = mus.length;
  const blocks = Math.ceil(size / BLOCK);
  const invSigmas = new Float64Array(size);
  const blockMaxSigma = new Float64Array(blocks);
  const blockMaxLogCoef = new Float64Array(blocks).fill(Number.NEGATIVE_INFINITY);
  for (let k = 0; k < size; k++) {
    const sigma = sigmas[k] as number;
    invSigmas[k] = 1 / sigma;
    const b = (k / BLOCK) | 0;
    if (sigma > (blockMaxSigma[b] as number)) blockMaxSigma[b] = sigma;
    const c = (upperLogCoefs[k] as number) + coefSlack;
    if (c > (blockMaxLogCoef[b] as number)) blockMaxLogCoef[b] = c;
  }
  const logCoefs = fillBlock === undefined ? upperLogCoefs : new Float64Array(size);
  const filled = new Uint8Array(fillBlock === undefined ? 0 : blocks);
  return { size, mus, invSigmas, logCoefs, blockMaxSigma, blockMaxLogCoef, filled, fillBlock };
};

const blockBound = (sum: GaussianSum, b: number, x: number): number => {
  const start = b * BLOCK;
  const end = Math.min(sum.size, start + BLOCK) - 1;
  const low = sum.mus[start] as number;
  const high = sum.mus[end] as number;
  const distance = x < low ? low - x : x > high ? x - high : 0;
  const z = distance / (sum.blockMaxSigma[b] as number);
  return (sum.blockMaxLogCoef[b] as number) - 0.5 * z * z;
};

const ensureFilled = (sum: GaussianSum, b: number): void => {
  if (sum.fillBlock === undefined || sum.filled[b] === 1) return;
  sum.fillBlock(b * BLOCK, Math.min(sum.size, (b + 1) * BLOCK), sum.logCoefs);
  sum.filled[b] = 1;
};

const blockTerms = (sum: GaussianSum, b: number, x: number, reference: number): number => {
  const { mus, invSigmas, logCoefs } = sum;
  const end = Math.min(sum.size, (b + 1) * BLOCK);
  let total = 0;
  for (let k = b * BLOCK; k < end; k++) {
    const z = (x - (mus[k] as number)) * (invSigmas[k] as number);
    total += fastExpNonPositive((logCoefs[k] as number) - 0.5 * z * z - reference);
  }
  return total;
};

const exactLogSum = (sum: GaussianSum, x: number): number => {
  const terms = new Float64Array(sum.size);
  for (let k = 0; k < sum.size; k++) {
    ensureFilled(sum, (k / BLOCK) | 0);
    const z = (x - (sum.mus[k] as number)) * (sum.invSigmas[k] as number);
    terms[k] = (sum.logCoefs[k] as number) - 0.5 * z * z;
  }
  return logSumExp(terms);
};

/**
 * log Σ_k exp(logCoef_k − ½((x − μ_k)/σ_k)²). Blocks whose bound lies 1e-20 below the largest bound are
 * skipped, then revisited if the sum turns out smaller than that bound suggested; a full two-pass sum is
 * the fallback when the bounds are too loose to keep the terms representable.
 */
export const logGaussianSum = (sum: GaussianSum, x: number): number => {
  const blocks = sum.blockMaxSigma.length;
  if (blocks === 0) return Number.NEGATIVE_INFINITY;
  const bounds = new Float64Array(blocks);
  let reference = Number.NEGATIVE_INFINITY;
  for (let b = 0; b < blocks; b++) {
    bounds[b] = blockBound(sum, b, x);
    if ((bounds[b] as number) > reference) reference = bounds[b] as number;
  }
  if (!Number.isFinite(reference)) return exactLogSum(sum, x);
  let total = 0;
  for (let b = 0; b < blocks; b++) {
    if ((bounds[b] as number) < reference - CUTOFF) continue;
    ensureFilled(sum, b);
    total += blockTerms(sum, b, x, reference);
  }
  if (!(total > 1e-250)) return exactLogSum(sum, x);
  // The bounds are upper bounds, so the sum may sit below `reference`: add what that threshold left out.
  const threshold = reference + Math.log(total) - CUTOFF;
  for (let b = 0; b < blocks; b++) {
    const bound = bounds[b] as number;
    if (bound >= reference - CUTOFF || bound < threshold) continue;
    ensureFilled(sum, b);
    total += blockTerms(sum, b, x, reference);
  }
  return reference + Math.log(total);
};
