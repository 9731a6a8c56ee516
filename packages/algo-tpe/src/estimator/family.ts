import type { Distribution } from '@parzen/engine/plugin';
import type { Encoding } from './encoding.js';
import type { ParzenEstimator } from './parzen-estimator.js';

/** The settings a density family reads. */
export interface FamilySettings {
  readonly priorWeight: number;
  /** Linear forgetting: observations older than the newest `forgetting` get ramped weights (0 = off). */
  readonly forgetting: number;
  /** Smallest kernel width, `range · max(floor, (n+2)^−exponent)` (Optuna's family). */
  readonly bandwidthFloor: number;
  readonly bandwidthExponent: number;
}

/** The observations of one dimension, internal values in arrival (trial-number) order. */
export interface ObservationColumn {
  readonly values: Float64Array;
  /** The same values sorted ascending with each one's arrival index (ties by arrival), when known. */
  readonly sorted?: { readonly values: Float64Array; readonly order: Int32Array };
}

/**
 * A density family: how observations become a {@link ParzenEstimator} (kernel centres, widths, weights,
 * the prior kernel, truncation). A new variant of TPE's densities is one record of this shape.
 */
export interface DensityFamily {
  readonly name: string;
  /** Whether the family models several dimensions jointly (d > 1); hyperopt's is univariate only. */
  readonly joint: boolean;
  /** The family's model of a distribution (model space, support, bins). */
  encode(distribution: Distribution): Encoding;
  /**
   * The estimator of the observations (one column per dimension, all of the same length). With one
   * numeric dimension, components come sorted by μ (the sorted-sum backend needs them so).
   */
  build(
    encodings: readonly Encoding[],
    columns: readonly ObservationColumn[],
    settings: FamilySettings,
  ): ParzenEstimator;
}
