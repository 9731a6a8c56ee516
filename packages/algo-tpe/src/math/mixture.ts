/**
 * A one-dimensional Gaussian mixture: normalised `weights`, means `mus` and widths `sigmas`, plus where
 * each component came from (`sources[k]` = index of the observation, −1 for the prior component).
 */
export interface GaussianMixture {
  readonly weights: Float64Array;
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
  readonly sources: Int32Array;
}

/** Stable ascending order of `values` (ties keep the earlier index first). */
export const sortedOrder = (values: ArrayLike<number>): Int32Array => {
  const order = Int32Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
  return order;
};

/** Divides `weights` by their sum in place and returns them. */
export const normalise = (weights: Float64Array): Float64Array => {
  let total = 0;
  for (let k = 0; k < weights.length; k++) total += weights[k] as number;
  for (let k = 0; k < weights.length; k++) weights[k] = (weights[k] as number) / total;
  return weights;
};
