import { lowerBound } from '../../math/lower-bound.js';
import { LOG_SQRT_2PI } from '../../math/normal.js';
import { type DimensionPoints, logKernelMass, type ParzenEstimator } from '../parzen-estimator.js';

/** Terms this far (e^−46) below the best so far are dropped; the sum is exact to about 1e-20 per term. */
const CUTOFF = 46;

/** Kernels in comp-major layout: centre and 1/σ of kernel k in dimension j at k·d + j, plus log coefficients. */
export interface ProductKernels {
  readonly d: number;
  /** Number of components; the prior is the last. */
  size: number;
  mus: Float64Array;
  invSigmas: Float64Array;
  /** Upper bound of each kernel's log term: log weight + Σ_j log(1 / (σ√(2π) Z)); −∞ skips the kernel. */
  logCoefs: Float64Array;
}

/**
 * The kernels (all but the prior, the last) in ascending order of their centre in dimension 0, with the
 * largest width there and the largest log coefficient: {@link evaluateProduct} then visits only the
 * kernels whose first dimension alone does not already put them below the cut-off, walking outwards from
 * each point.
 */
export interface FirstDimensionOrder {
  /** Centres in dimension 0, ascending (`count` of them). */
  readonly keys: Float64Array;
  /** The kernel of each. */
  readonly kernels: Int32Array;
  readonly count: number;
  /** The largest width in dimension 0 of any of these kernels. */
  readonly maxSigma: number;
  /** The largest log coefficient of any of these kernels. */
  readonly maxLogCoef: number;
}

/** Whether the pruned-product backend applies: continuous numeric dimensions, each kernel truncated. */
export const prunedProductApplies = (estimator: ParzenEstimator, points: readonly DimensionPoints[]): boolean =>
  estimator.truncation === 'kernel' &&
  estimator.dimensions.every((dimension, j) => dimension.kind === 'numeric' && points[j]?.upper === undefined);

/** An estimator's kernels in the comp-major layout of {@link evaluateProduct}. */
export const productKernels = (estimator: ParzenEstimator): ProductKernels => {
  const d = estimator.dimensions.length;
  const size = estimator.weights.length;
  const mus = new Float64Array(size * d);
  const invSigmas = new Float64Array(size * d);
  const logCoefs = Float64Array.from(estimator.weights, Math.log);
  estimator.dimensions.forEach((dimension, j) => {
    if (dimension.kind !== 'numeric') throw new Error('productKernels needs numeric dimensions');
    for (let k = 0; k < size; k++) {
      const mu = dimension.mus[k] as number;
      const sigma = dimension.sigmas[k] as number;
      mus[k * d + j] = mu;
      invSigmas[k * d + j] = 1 / sigma;
      logCoefs[k] =
        (logCoefs[k] as number) -
        Math.log(sigma) -
        LOG_SQRT_2PI -
        logKernelMass(mu, sigma, dimension.low, dimension.high);
    }
  });
  return { d, size, mus, invSigmas, logCoefs };
};

/** Kernel k's log term at y, or −∞ once it falls below `floor` (later dimensions can only lower it). */
const termOf = (kernels: ProductKernels, y: Float64Array, k: number, floor: number): number => {
  const { d, mus, invSigmas } = kernels;
  let term = kernels.logCoefs[k] as number;
  if (term < floor) return Number.NEGATIVE_INFINITY;
  const base = k * d;
  for (let j = 0; j < d; j++) {
    const z = ((y[j] as number) - (mus[base + j] as number)) * (invSigmas[base + j] as number);
    term -= 0.5 * z * z;
    if (term < floor) return Number.NEGATIVE_INFINITY;
  }
  return term;
};

/**
 * log Σ_k exp(term_k) over product kernels, dropping a kernel as soon as its partial log term falls
 * e^−46 below the best term seen (starting from the prior's, the last kernel), so narrow kernels far
 * away in the first dimensions cost one or two subtractions each. Points outside a dimension's bounds
 * get −∞. `extra`, when given, holds more kernels (running trials, say) summed the same way.
 */
export const evaluateProduct = (
  kernels: ProductKernels,
  bounds: readonly { readonly low: number; readonly high: number }[],
  points: readonly DimensionPoints[],
  extra?: ProductKernels,
  order?: FirstDimensionOrder,
): Float64Array => {
  const { d, size } = kernels;
  const count = points[0]?.at.length ?? 0;
  const extraSize = extra?.size ?? 0;
  const terms = new Float64Array(size + extraSize);
  const y = new Float64Array(d);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let outside = false;
    for (let j = 0; j < d; j++) {
      const value = (points[j] as DimensionPoints).at[i] as number;
      const { low, high } = bounds[j] as { low: number; high: number };
      if (value < low || value > high) outside = true;
      y[j] = value;
    }
    if (outside) {
      out[i] = Number.NEGATIVE_INFINITY;
      continue;
    }
    const prior = size - 1;
    const priorTerm = termOf(kernels, y, prior, Number.NEGATIVE_INFINITY);
    let best = priorTerm;
    // The kept terms are packed at the front of `terms` (in kernel order, the prior after them as before,
    // when every kernel is visited; in the walk's order with `order`, which moves only the last bits of
    // the sum): most kernels fall below the floor in their first dimension, so the sum visits only the
    // few that count.
    let kept = 0;
    const { mus, invSigmas, logCoefs } = kernels;
    const y0 = y[0] as number;
    /** Kernel k's term, kept when it is not below the cut-off. */
    const visit = (k: number): void => {
      const floor = best - CUTOFF;
      let term = logCoefs[k] as number;
      if (term < floor) return;
      const base = k * d;
      const z0 = (y0 - (mus[base] as number)) * (invSigmas[base] as number);
      term -= 0.5 * z0 * z0;
      if (term < floor) return;
      for (let j = 1; j < d; j++) {
        const z = ((y[j] as number) - (mus[base + j] as number)) * (invSigmas[base + j] as number);
        term -= 0.5 * z * z;
        if (term < floor) return;
      }
      terms[kept++] = term;
      if (term > best) best = term;
    };
    if (order === undefined) {
      for (let k = 0; k < prior; k++) visit(k);
    } else {
      // Outwards from y0: a kernel at distance Δ in dimension 0 has a term of at most
      // maxLogCoef − ½(Δ / maxSigma)², so beyond the distance where that falls below the floor, stop.
      const { keys, count, maxSigma, maxLogCoef } = order;
      const reach = () => {
        const room = maxLogCoef - (best - CUTOFF);
        return room < 0 ? -1 : maxSigma * Math.sqrt(2 * room);
      };
      const lo = lowerBound(keys, count, y0);
      for (let q = lo; q < count && (keys[q] as number) - y0 <= reach(); q++) visit(order.kernels[q] as number);
      for (let q = lo - 1; q >= 0 && y0 - (keys[q] as number) <= reach(); q--) visit(order.kernels[q] as number);
    }
    terms[kept++] = priorTerm;
    for (let k = 0; k < extraSize; k++) {
      const term = termOf(extra as ProductKernels, y, k, best - CUTOFF);
      if (term === Number.NEGATIVE_INFINITY) continue;
      terms[kept++] = term;
      if (term > best) best = term;
    }
    let total = 0;
    for (let k = 0; k < kept; k++) {
      const term = terms[k] as number;
      if (term > best - CUTOFF) total += Math.exp(term - best);
    }
    out[i] = best + Math.log(total);
  }
  return out;
};

/** The pruned-product backend of a built estimator (the bounds of its numeric dimensions). */
export const prunedProductBackend = (estimator: ParzenEstimator) => {
  const kernels = productKernels(estimator);
  const bounds = estimator.dimensions.map((dimension) =>
    dimension.kind === 'numeric' ? { low: dimension.low, high: dimension.high } : { low: 0, high: 0 },
  );
  return (points: readonly DimensionPoints[]): Float64Array => evaluateProduct(kernels, bounds, points);
};
