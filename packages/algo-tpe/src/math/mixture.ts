/**
 * A one-dimensional Gaussian mixture: normalised `weights`, means `mus` and widths `sigmas`, plus where
 * each component came from (`sources[k]` = index of the observation, −1 for the prior component).
 */
export interface GaussianMixture {
  /** Each component's weight; they sum to 1. */
  readonly weights: Float64Array;
  /** Each component's mean. */
  readonly mus: Float64Array;
  /** Each component's width. */
  readonly sigmas: Float64Array;
  /** The observation (arrival index) each component comes from; −1 for the prior component. */
  readonly sources: Int32Array;
}

/**
 * Stable ascending order of `values` (ties keep the earlier index first). Insertion sort for short inputs
 * (the below set: at most 25), a plain array sort otherwise; typed-array sorts with a comparator are slow.
 */
export const sortedOrder = (values: ArrayLike<number>): Int32Array => {
  const n = values.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (n <= 32) {
    for (let i = 1; i < n; i++) {
      const index = order[i] as number;
      const value = values[index] as number;
      let j = i - 1;
      while (j >= 0 && (values[order[j] as number] as number) > value) {
        order[j + 1] = order[j] as number;
        j--;
      }
      order[j + 1] = index;
    }
    return order;
  }
  const sorted = Array.from(order).sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
  return Int32Array.from(sorted);
};

/** Divides `weights` by their sum in place and returns them. */
export const normalise = (weights: Float64Array): Float64Array => {
  let total = 0;
  for (let k = 0; k < weights.length; k++) total += weights[k] as number;
  for (let k = 0; k < weights.length; k++) weights[k] = (weights[k] as number) / total;
  return weights;
};
