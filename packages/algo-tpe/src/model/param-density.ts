import type { Rng } from '@parzen/engine/plugin';
import { sortedOrder } from '../math/mixture.js';

/** The observations of one parameter on one side of the split. */
export interface ObservationSet {
  /** Internal values in arrival (trial-number) order. */
  readonly values: Float64Array;
  /** Their trial numbers. */
  readonly numbers: Int32Array;
  /** The same values sorted ascending with each one's arrival index (ties by arrival), when known. */
  readonly sorted?: { readonly values: Float64Array; readonly order: Int32Array };
}

/** A mixture of Gaussian kernels as an explanation shows it (model space: log for log kinds). */
export interface GaussianComponents {
  readonly kind: 'gaussian';
  readonly space: 'linear' | 'log';
  /** `mixture`: hyperopt cuts the whole mixture at the bounds; `kernel`: Optuna cuts every kernel. */
  readonly truncation: 'mixture' | 'kernel' | 'none';
  readonly low?: number;
  readonly high?: number;
  readonly weights: readonly number[];
  readonly mus: readonly number[];
  readonly sigmas: readonly number[];
  /** The trial each kernel comes from; null for the prior kernel. */
  readonly trials: readonly (number | null)[];
}

/** A categorical model as an explanation shows it: the probability of each option (value = offset + index). */
export interface CategoricalComponents {
  readonly kind: 'categorical';
  readonly offset: number;
  readonly probabilities: readonly number[];
}

/** The mixture of one side of a model, as explanations show it. */
export type ComponentsDescription = GaussianComponents | CategoricalComponents;

/** One side of a parameter's model: l(x) from the below set or g(x) from the above set. */
export interface ParamDensity {
  /**
   * log density at internal values. With `exact` false a candidate-independent constant may be left out
   * (hyperopt's truncation normaliser), which does not move the argmax and saves O(n) work.
   */
  logPdf(values: ArrayLike<number>, exact: boolean): Float64Array;
  /** `count` internal values drawn from this density. */
  sample(rng: Rng, count: number): Float64Array;
  describe(): ComponentsDescription;
}

/** Sorted model-space values and their arrival ranks: taken from the set when it has them, else sorted. */
export const sortedModelValues = (
  obs: ObservationSet,
  toModel: (x: number) => number,
): { readonly values: Float64Array; readonly order: Int32Array } => {
  if (obs.sorted !== undefined) {
    const { values, order } = obs.sorted;
    const model = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) model[i] = toModel(values[i] as number);
    return { values: model, order };
  }
  const order = sortedOrder(obs.values);
  return { values: Float64Array.from(order, (i) => toModel(obs.values[i] as number)), order };
};

/** The trial numbers of mixture components (−1 = prior → null). */
export const componentTrials = (sources: Int32Array, numbers: Int32Array): (number | null)[] =>
  Array.from(sources, (source) => (source < 0 ? null : (numbers[source] ?? null)));
