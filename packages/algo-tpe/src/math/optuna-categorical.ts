import { DEFAULT_FORGETTING, linearForgettingWeight } from './linear-forgetting.js';

/** Optuna's categorical estimator: mixture weights and one probability row per kernel (prior row last). */
export interface CategoricalKernels {
  readonly weights: Float64Array;
  readonly rows: readonly Float64Array[];
}

/**
 * Optuna's categorical kernels (tpe-spec 4.5, 5.0 line): with n observations, k = n + 1 kernels; the row
 * of observation i is `priorWeight · C · p0 / k` plus 1 at the observed index, normalised; the prior row
 * is p0 (uniform unless the parameter has prior probabilities, an extension for pchoice). Weights:
 * linear forgetting by arrival plus `priorWeight`, normalised.
 */
export const optunaCategoricalKernels = (
  obs: ArrayLike<number>,
  size: number,
  priorWeight: number,
  priorProbabilities?: readonly number[],
  lf = DEFAULT_FORGETTING,
): CategoricalKernels => {
  const n = obs.length;
  const prior = Float64Array.from({ length: size }, (_, c) => priorProbabilities?.[c] ?? 1 / size);
  if (n === 0) return { weights: Float64Array.of(1), rows: [prior] };
  const k = n + 1;
  const rows: Float64Array[] = [];
  const weights = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = Float64Array.from(prior, (p) => (priorWeight * size * p) / k);
    const index = obs[i] as number;
    row[index] = (row[index] as number) + 1;
    const rowTotal = row.reduce((sum, value) => sum + value, 0);
    rows.push(row.map((value) => value / rowTotal));
    weights[i] = linearForgettingWeight(i, n, lf);
    total += weights[i] as number;
  }
  rows.push(prior);
  weights[n] = priorWeight;
  total += priorWeight;
  return { weights: weights.map((w) => w / total), rows };
};

/** The categorical distribution a mixture of categorical kernels amounts to: Σ_k w_k · row_k. */
export const categoricalMixtureProbabilities = (kernels: CategoricalKernels): Float64Array => {
  const size = kernels.rows[0]?.length ?? 0;
  const probabilities = new Float64Array(size);
  kernels.rows.forEach((row, k) => {
    const w = kernels.weights[k] as number;
    for (let c = 0; c < size; c++) probabilities[c] = (probabilities[c] as number) + w * (row[c] as number);
  });
  return probabilities;
};
