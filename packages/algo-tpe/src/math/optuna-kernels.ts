import { DEFAULT_FORGETTING, linearForgettingWeight } from './linear-forgetting.js';
import { type GaussianMixture, normalise, sortedOrder } from './mixture.js';

/**
 * The settings of Optuna's numeric Parzen estimator (tpe-spec 4.4, Optuna 5.0 line). `clipFloor` and
 * `clipExponent` set the smallest width, `range · max(clipFloor, (n + 2)^−clipExponent)`: Optuna's magic
 * clip is floor 0.01, exponent 1 (= range / min(100, n + 2)); Watanabe 2023 uses 0.03 and 2.
 */
export interface OptunaKernelSettings {
  readonly priorWeight: number;
  readonly forgetting?: number;
  readonly clipFloor?: number;
  readonly clipExponent?: number;
  /** Let the first and last observations measure their gap to the bounds (Optuna's `consider_endpoints`). */
  readonly considerEndpoints?: boolean;
}

/** Kernel support in the transformed space (log for log kinds, widened by step/2 for discrete ones). */
export interface KernelBounds {
  readonly low: number;
  readonly high: number;
}

/**
 * Optuna ≥ 4.9 widths for observations sorted ascending: the larger gap to a neighbour in
 * [low, ...sorted, high]; the first and last use their inner neighbour only when n ≥ 2 (unless
 * `considerEndpoints`); then clipped to [range · max(floor, (n+2)^−exponent), range].
 */
export const optunaSigmasSorted = (
  sorted: Float64Array,
  bounds: KernelBounds,
  settings: OptunaKernelSettings,
): Float64Array => {
  const n = sorted.length;
  const { low, high } = bounds;
  const range = high - low;
  const minSigma = range * Math.max(settings.clipFloor ?? 0.01, (n + 2) ** -(settings.clipExponent ?? 1));
  const inner = n >= 2 && settings.considerEndpoints !== true;
  const sigmas = new Float64Array(n);
  let previous = low;
  for (let i = 0; i < n; i++) {
    const x = sorted[i] as number;
    const next = i + 1 < n ? (sorted[i + 1] as number) : high;
    const left = x - previous;
    const right = next - x;
    const gap = inner && i === 0 ? right : inner && i === n - 1 ? left : Math.max(left, right);
    sigmas[i] = Math.min(range, Math.max(minSigma, gap));
    previous = x;
  }
  return sigmas;
};

/**
 * Optuna's numeric estimator on sorted observations (`order[i]` = arrival rank of the i-th smallest):
 * components sorted by μ with the prior (μ = mid-range, σ = range) inserted at its sorted place, weights
 * `weights(n)` by arrival (linear forgetting) and `priorWeight` for the prior, normalised.
 */
export const optunaKernelsSorted = (
  sorted: Float64Array,
  order: Int32Array,
  bounds: KernelBounds,
  settings: OptunaKernelSettings,
): GaussianMixture => {
  const n = sorted.length;
  const sigmasObs = optunaSigmasSorted(sorted, bounds, settings);
  const priorMu = 0.5 * (bounds.low + bounds.high);
  let p = 0;
  while (p < n && (sorted[p] as number) < priorMu) p++;
  const mus = new Float64Array(n + 1);
  const sigmas = new Float64Array(n + 1);
  const weights = new Float64Array(n + 1);
  const sources = new Int32Array(n + 1);
  const lf = settings.forgetting ?? DEFAULT_FORGETTING;
  for (let i = 0; i <= n; i++) {
    if (i === p) {
      mus[i] = priorMu;
      sigmas[i] = bounds.high - bounds.low;
      weights[i] = n === 0 ? 1 : settings.priorWeight;
      sources[i] = -1;
      continue;
    }
    const j = i < p ? i : i - 1;
    mus[i] = sorted[j] as number;
    sigmas[i] = sigmasObs[j] as number;
    weights[i] = linearForgettingWeight(order[j] as number, n, lf);
    sources[i] = order[j] as number;
  }
  return { weights: normalise(weights), mus, sigmas, sources };
};

/**
 * Optuna's numeric Parzen estimator (`_ParzenEstimator`, univariate, Optuna 5.0 line) in Optuna's layout:
 * one kernel per observation in the given (trial-number) order, then the prior kernel last.
 *
 * @example
 * optunaNumericKernels([0.55], { low: -2, high: 2 }, { priorWeight: 1 });
 * // weights [.5, .5], mus [0.55, 0], sigmas [2.55, 4]
 */
export const optunaNumericKernels = (
  obs: ArrayLike<number>,
  bounds: KernelBounds,
  settings: OptunaKernelSettings,
): GaussianMixture => {
  const order = sortedOrder(obs);
  const sorted = Float64Array.from(order, (i) => obs[i] as number);
  const mixture = optunaKernelsSorted(sorted, order, bounds, settings);
  const n = obs.length;
  const position = new Int32Array(n + 1);
  for (let k = 0; k <= n; k++) {
    const source = mixture.sources[k] as number;
    position[source < 0 ? n : source] = k;
  }
  const pick = (values: Float64Array) => Float64Array.from(position, (k) => values[k] as number);
  return {
    weights: pick(mixture.weights),
    mus: pick(mixture.mus),
    sigmas: pick(mixture.sigmas),
    sources: Int32Array.from({ length: n + 1 }, (_, i) => (i === n ? -1 : i)),
  };
};
