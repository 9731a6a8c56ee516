/** hyperopt's linear-forgetting constant `LF` (Optuna's `default_weights` uses the same 25). */
export const DEFAULT_FORGETTING = 25;

/**
 * Weight of the observation at arrival rank `rank` (0 = oldest) among `n`, without building the array:
 * the newest `lf` get 1, the older `n − lf` ramp linearly from 1/n (numpy `linspace(1/n, 1, n − lf)`).
 */
export const linearForgettingWeight = (rank: number, n: number, lf = DEFAULT_FORGETTING): number => {
  const ramp = n - lf;
  if (rank >= ramp) return 1;
  if (ramp === 1) return 1 / n;
  if (rank === ramp - 1) return 1;
  return rank * ((1 - 1 / n) / (ramp - 1)) + 1 / n;
};

/**
 * hyperopt's `linear_forgetting_weights(n, LF)` (= Optuna's `default_weights`): all 1 for n < lf;
 * otherwise the oldest `n − lf` observations get `linspace(1/n, 1, n − lf)` and the newest `lf` get 1.
 */
export const linearForgettingWeights = (n: number, lf = DEFAULT_FORGETTING): Float64Array => {
  const weights = new Float64Array(n);
  for (let rank = 0; rank < n; rank++) weights[rank] = linearForgettingWeight(rank, n, lf);
  return weights;
};
