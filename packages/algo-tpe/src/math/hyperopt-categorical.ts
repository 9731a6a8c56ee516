import { DEFAULT_FORGETTING, linearForgettingWeight } from './linear-forgetting.js';

/**
 * hyperopt's categorical posterior (tpe-spec 3.7): linear-forgetting-weighted counts of the observed
 * option indices plus `priorWeight` pseudo-counts, spread as `size · priorWeight · p0` when the option has
 * prior probabilities (pchoice), one per option otherwise; normalised.
 *
 * @example
 * hyperoptCategorical([1], 3, 1); // [0.25, 0.5, 0.25]
 */
export const hyperoptCategorical = (
  obs: ArrayLike<number>,
  size: number,
  priorWeight: number,
  priorProbabilities?: readonly number[],
  lf = DEFAULT_FORGETTING,
): Float64Array => {
  const counts = new Float64Array(size);
  const n = obs.length;
  for (let i = 0; i < n; i++) {
    const index = obs[i] as number;
    counts[index] = (counts[index] as number) + linearForgettingWeight(i, n, lf);
  }
  let total = 0;
  for (let j = 0; j < size; j++) {
    const pseudo = priorProbabilities === undefined ? priorWeight : size * priorWeight * (priorProbabilities[j] ?? 0);
    counts[j] = (counts[j] as number) + pseudo;
    total += counts[j] as number;
  }
  for (let j = 0; j < size; j++) counts[j] = (counts[j] as number) / total;
  return counts;
};
