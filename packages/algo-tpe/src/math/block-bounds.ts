/**
 * Block pruning for sums of Gaussian terms over components sorted by μ, shared by the windowed backends
 * (densities and bin masses): components are taken in blocks of {@link BLOCK}; each block's widest kernel and
 * largest log coefficient bound every term in it, so a sum visits only the blocks that can matter.
 */

/**
 * Components per block. A module that loops over blocks copies it into a constant of its own
 * (`const BLOCK = BLOCK_SIZE`): V8 surely folds a module's own constant into its loops (one measurement
 * here found the windowed sum about 1.5× slower with the imported binding; a second did not).
 */
export const BLOCK_SIZE = 32;
const BLOCK = BLOCK_SIZE;
/** Blocks whose bound lies e^−40 (4e-18) below the sum are left out; 10⁴ of them still cost < 1e-13. */
export const CUTOFF = 40;

/** The largest of `values` in each block of {@link BLOCK} (−∞ for a block of −∞ only). */
export const blockMaxima = (values: ArrayLike<number>): Float64Array => {
  const maxima = new Float64Array(Math.ceil(values.length / BLOCK)).fill(Number.NEGATIVE_INFINITY);
  for (let k = 0; k < values.length; k++) {
    const b = (k / BLOCK) | 0;
    if ((values[k] as number) > (maxima[b] as number)) maxima[b] = values[k] as number;
  }
  return maxima;
};

/**
 * Fills `bounds` with each block's log bound on terms at [at, upper] (at = upper for a density at a point)
 * and returns the largest. A kernel whose centre lies d outside the interval contributes at most its
 * coefficient times e^{−d²/2σ²}, times e^{tailLog} (a bin's mass: Φ(−d/σ) ≤ ½·e^{−d²/2σ²}, tailLog = −ln 2).
 */
export const blockBounds = (
  mus: Float64Array,
  maxSigmas: Float64Array,
  maxLogCoefs: Float64Array,
  bounds: Float64Array,
  at: number,
  upper: number,
  tailLog: number,
): number => {
  const size = mus.length;
  let reference = Number.NEGATIVE_INFINITY;
  for (let b = 0; b < bounds.length; b++) {
    const first = mus[b * BLOCK] as number;
    const last = mus[Math.min(size, (b + 1) * BLOCK) - 1] as number;
    const distance = last < at ? at - last : first > upper ? first - upper : 0;
    const z = distance / (maxSigmas[b] as number);
    const bound = (maxLogCoefs[b] as number) + (distance > 0 ? -0.5 * z * z + tailLog : 0);
    bounds[b] = bound;
    if (bound > reference) reference = bound;
  }
  return reference;
};

/**
 * Which blocks a sum visits: first those whose bound lies within e^−40 of the largest (`reference`) ...
 */
export const firstVisit = (bound: number, reference: number): boolean => bound >= reference - CUTOFF;

/**
 * ... then, the bound of the block that set the reference being possibly loose, those left out so far
 * whose bound lies within e^−40 of the log sum the first visits found (NaN: none; −∞: all).
 */
export const secondVisit = (bound: number, reference: number, logSum: number): boolean =>
  bound < reference - CUTOFF && bound >= logSum - CUTOFF;
