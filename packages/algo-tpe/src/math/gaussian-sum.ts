import { BLOCK_SIZE, blockBounds, blockMaxima, firstVisit, secondVisit } from './block-bounds.js';
import { fastExpNonPositive } from './fast-exp.js';
import { logSumExp } from './log-sum-exp.js';

const BLOCK = BLOCK_SIZE;

/**
 * Σ_k c_k · exp(−½((x − μ_k)/σ_k)²) over components sorted by μ, prepared so that an evaluation only
 * visits the blocks of 32 components that can matter. Each block keeps its μ range, its largest σ and
 * the log of its largest coefficient, which bound every term in it.
 *
 * @remarks Coefficients may be completed lazily per block (`fillBlock`, e.g. truncation normalisers that
 * cost an erfc each); `coefSlack` must then bound log(filled / upper) for the `upperCoefs` given up front.
 */
export interface GaussianSum {
  /** The number of components. */
  readonly size: number;
  /** Their means μ_k, ascending. */
  readonly mus: Float64Array;
  /** 1/σ_k of each component. */
  readonly invSigmas: Float64Array;
  /** Their coefficients c_k (those of blocks not filled yet are the upper bounds given). */
  readonly coefs: Float64Array;
  /** Per block of 32 components, its largest σ. */
  readonly blockMaxSigma: Float64Array;
  /** Per block, the log of its largest coefficient (plus the slack of lazily filled ones): bounds its terms. */
  readonly blockLogMaxCoef: Float64Array;
  /** exp(−blockLogMaxCoef): scales a block's terms back after the shift. */
  readonly blockInvMaxCoef: Float64Array;
  /** Per block, 1 once `fillBlock` has completed its coefficients (empty without `fillBlock`). */
  readonly filled: Uint8Array;
  /**
   * Completes the coefficients of components [start, end) on first use (see the remarks), or undefined
   * when all are filled.
   */
  readonly fillBlock: ((start: number, end: number, coefs: Float64Array) => void) | undefined;
  /** Scratch for block bounds, reused by every evaluation. */
  readonly bounds: Float64Array;
}

/** Prepares a {@link GaussianSum}; `mus` must be sorted ascending (ties in any order). */
export const prepareGaussianSum = (
  mus: Float64Array,
  sigmas: Float64Array,
  upperCoefs: Float64Array,
  fillBlock?: (start: number, end: number, coefs: Float64Array) => void,
  coefSlack = 0,
): GaussianSum => {
  const size = mus.length;
  const blocks = Math.ceil(size / BLOCK);
  const invSigmas = sigmas.map((sigma) => 1 / sigma);
  const blockMaxSigma = blockMaxima(sigmas);
  const blockLogMaxCoef = blockMaxima(upperCoefs).map((c) => Math.log(c) + coefSlack);
  const blockInvMaxCoef = blockLogMaxCoef.map((c) => Math.exp(-c));
  const coefs = fillBlock === undefined ? upperCoefs : upperCoefs.slice();
  const filled = new Uint8Array(fillBlock === undefined ? 0 : blocks);
  const bounds = new Float64Array(blocks);
  return { size, mus, invSigmas, coefs, blockMaxSigma, blockLogMaxCoef, blockInvMaxCoef, filled, fillBlock, bounds };
};

const ensureFilled = (sum: GaussianSum, b: number): void => {
  if (sum.fillBlock === undefined || sum.filled[b] === 1) return;
  sum.fillBlock(b * BLOCK, Math.min(sum.size, (b + 1) * BLOCK), sum.coefs);
  sum.filled[b] = 1;
};

/**
 * Σ over block b of c_k · exp(−½z² − shift) with shift = reference − log C_b (C_b bounds the block's
 * coefficients): every exponent is then ≤ bound_b − reference ≤ 0, and the caller scales by 1/C_b.
 */
const blockTerms = (sum: GaussianSum, b: number, x: number, shift: number): number => {
  const { mus, invSigmas, coefs } = sum;
  const end = Math.min(sum.size, (b + 1) * BLOCK);
  let total = 0;
  for (let k = b * BLOCK; k < end; k++) {
    const z = (x - (mus[k] as number)) * (invSigmas[k] as number);
    total += (coefs[k] as number) * fastExpNonPositive(-0.5 * z * z - shift);
  }
  return total;
};

const exactLogSum = (sum: GaussianSum, x: number): number => {
  const terms = new Float64Array(sum.size);
  for (let k = 0; k < sum.size; k++) {
    ensureFilled(sum, (k / BLOCK) | 0);
    const z = (x - (sum.mus[k] as number)) * (sum.invSigmas[k] as number);
    terms[k] = Math.log(sum.coefs[k] as number) - 0.5 * z * z;
  }
  return logSumExp(terms);
};

/** Direct sum in linear space for a few components; log space only if it underflows. */
const smallLogSum = (sum: GaussianSum, x: number): number => {
  let total = 0;
  for (let b = 0; b < sum.bounds.length; b++) ensureFilled(sum, b);
  for (let k = 0; k < sum.size; k++) {
    const z = (x - (sum.mus[k] as number)) * (sum.invSigmas[k] as number);
    total += (sum.coefs[k] as number) * fastExpNonPositive(-0.5 * z * z);
  }
  return total > 1e-280 ? Math.log(total) : exactLogSum(sum, x);
};

/**
 * log Σ_k c_k · exp(−½((x − μ_k)/σ_k)²), visiting only the blocks of 32 that can matter; a full
 * log-space sum is the fallback when the bounds are too loose to keep the terms representable.
 */
export const logGaussianSum = (sum: GaussianSum, x: number): number => {
  if (sum.size === 0) return Number.NEGATIVE_INFINITY;
  // A couple of blocks (the below set, small studies) are cheaper to sum directly.
  if (sum.size <= 2 * BLOCK) return smallLogSum(sum, x);
  const { bounds, blockLogMaxCoef, blockInvMaxCoef } = sum;
  const reference = blockBounds(sum.mus, sum.blockMaxSigma, blockLogMaxCoef, bounds, x, x, 0);
  if (!Number.isFinite(reference)) return exactLogSum(sum, x);
  let total = 0;
  for (let b = 0; b < bounds.length; b++) {
    if (!firstVisit(bounds[b] as number, reference)) continue;
    ensureFilled(sum, b);
    total += blockTerms(sum, b, x, reference - (blockLogMaxCoef[b] as number)) * (blockInvMaxCoef[b] as number);
  }
  // Terms that underflow even after the shift: the bounds are too loose, and the full sum follows.
  if (!(total > 1e-250)) return exactLogSum(sum, x);
  const found = Math.log(total) + reference;
  for (let b = 0; b < bounds.length; b++) {
    if (!secondVisit(bounds[b] as number, reference, found)) continue;
    ensureFilled(sum, b);
    total += blockTerms(sum, b, x, reference - (blockLogMaxCoef[b] as number)) * (blockInvMaxCoef[b] as number);
  }
  return reference + Math.log(total);
};
