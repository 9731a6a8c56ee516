import type { Distribution } from '@parzen/engine/plugin';
import { mapped } from '../math/mapped.js';
import { sortedOrder } from '../math/mixture.js';
import type { CategoricalEncoding, Encoding, NumericEncoding } from './encoding.js';
import type { CategoricalKernels, ParzenEstimator } from './parzen-estimator.js';

/** The settings a density family reads. */
export interface FamilySettings {
  /** The prior kernel's weight, beside the observations' (the `priorWeight` setting). */
  readonly priorWeight: number;
  /** Linear forgetting: observations older than the newest `forgetting` get ramped weights (0 = off). */
  readonly forgetting: number;
  /** Smallest kernel width, `range · max(floor, (n+2)^−exponent)` (Optuna's family). */
  readonly bandwidthFloor: number;
  /** The exponent in the smallest width's rule above (Optuna's family). */
  readonly bandwidthExponent: number;
  /**
   * A factor on the widths of the observations' kernels once built (not the prior's); 1 when absent. TPE
   * sets it for l(x) only (its `belowBandwidth`).
   */
  readonly bandwidthScale?: number;
}

/** The weights and sources of an arrival layout for n observations, and the settings they were made with. */
export interface ArrivalLayout {
  /** The number of observations. */
  readonly n: number;
  /** The `forgetting` setting it was made with. */
  readonly forgetting: number;
  /** The `priorWeight` setting it was made with. */
  readonly priorWeight: number;
  /** Observation i's weight by linear forgetting (or 1), the prior's last, normalised. */
  readonly weights: Float64Array;
  /** i for observation i, −1 for the prior. */
  readonly sources: Int32Array;
}

/**
 * What a family's `build` may keep for the next build by the same owner (a suggester's model caches hold one,
 * dropped with the suggester): the arrival layouts it made last, the last made or used first. A build without
 * one makes everything afresh, to the same numbers.
 */
export interface BuildCache {
  /** The arrival layouts kept (Optuna's family keeps four). */
  readonly arrivalLayouts: ArrivalLayout[];
}

/** An empty {@link BuildCache}. */
export const createBuildCache = (): BuildCache => ({ arrivalLayouts: [] });

/** The observations of one dimension, internal values in arrival (trial-number) order. */
export interface ObservationColumn {
  /** The values, internal (an option's index plus offset for a choice), in arrival order. */
  readonly values: Float64Array;
  /** The same values sorted ascending with each one's arrival index (ties by arrival), when known. */
  readonly sorted?: {
    /** The values, ascending. */
    readonly values: Float64Array;
    /** The arrival index (into `values` of the column) of each sorted value. */
    readonly order: Int32Array;
  };
}

/** Whether `order[start … end)` is ascending. */
const ascending = (order: Int32Array, start: number, end: number): boolean => {
  for (let i = start + 1; i < end; i++) if ((order[i] as number) < (order[i - 1] as number)) return false;
  return true;
};

/**
 * A column's values in model space (`toModel`, monotone), sorted ascending, with each one's arrival index;
 * ties in model space by arrival. Values that differ in the column can round to one model value (a
 * logarithm near 1e-4 loses the last bits); they are ordered by arrival then, as the incremental backends
 * order them, so that a width rule and arrival weights see the same order on every path.
 */
export const sortedInModelSpace = (
  column: ObservationColumn,
  toModel: (value: number) => number,
): {
  /** The values in model space, ascending. */
  readonly values: Float64Array;
  /** The arrival index of each sorted value. */
  readonly order: Int32Array;
} => {
  if (column.sorted === undefined) {
    const model = mapped(column.values, toModel);
    const order = sortedOrder(model);
    return { values: mapped(order, (i) => model[i] as number), order };
  }
  const values = mapped(column.sorted.values, toModel);
  let order = column.sorted.order;
  for (let start = 0; start < values.length; ) {
    let end = start + 1;
    while (end < values.length && values[end] === values[start]) end++;
    // A tie of equal values is in arrival order already (the column's value order breaks ties by arrival): sorted
    // only when values that differ in the column round to one model value out of arrival order.
    if (end - start > 1 && !ascending(order, start, end)) {
      if (order === column.sorted.order) order = Int32Array.from(order);
      order.subarray(start, end).sort();
    }
    start = end;
  }
  return { values, order };
};

/**
 * A family's kernels, one at a time: what its estimator is built from, and what the incremental
 * backends (g(x) followed per finished trial instead of rebuilt) need to keep equal to it. The family's
 * own `build` uses the same functions, so each rule is stated once.
 */
export interface FamilyKernels {
  /**
   * The width of a numeric kernel at y among n sorted observations, given its neighbours (undefined at
   * an end), never below `minSigma`.
   */
  neighbourWidth(
    encoding: NumericEncoding,
    y: number,
    previous: number | undefined,
    next: number | undefined,
    n: number,
    minSigma: number,
  ): number;
  /** The smallest width a numeric kernel may have among n observations (n = ∞: the floor widths settle on). */
  minimumWidth(encoding: NumericEncoding, n: number, settings: FamilySettings): number;
  /**
   * The share `keep` of a categorical kernel's row at its observed option among n observations (the rest
   * spread as the prior): see {@link CategoricalKernels}.
   */
  categoricalKeep(encoding: CategoricalEncoding, n: number, settings: FamilySettings): number;
  /** The prior kernel of a numeric dimension. */
  prior(encoding: NumericEncoding): {
    /** The prior kernel's centre, in model space. */
    readonly mu: number;
    /** Its width, in model space. */
    readonly sigma: number;
  };
  /** Whether each kernel is cut to the bounds (its normaliser holds its mass inside them). */
  readonly truncated: boolean;
  /** Whether the incremental backends can follow this family under these settings. */
  incremental(settings: FamilySettings): boolean;
}

/**
 * A density family: how observations become a {@link ParzenEstimator} (kernel centres, widths, weights,
 * the prior kernel, truncation). A new variant of TPE's densities is one record of this shape, in a file of its
 * own, named in `DENSITY_FAMILIES` (the `kernel` option's values and type follow that list). Its `kernels` must
 * state the widths `build` gives whenever `incremental` is true: the incremental g(x) backends rebuild them
 * from `kernels` and never call `build` (families.test.ts checks every family of the list).
 */
export interface DensityFamily {
  /** Its name, the `kernel` option's value that picks it (its key in `DENSITY_FAMILIES`). */
  readonly name: string;
  /** What it is, in a few words: the `kernel` option's description lists each family's. */
  readonly description: string;
  /** Its kernels one at a time (widths, prior, truncation), shared by `build` and the fast backends. */
  readonly kernels: FamilyKernels;
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
    cache?: BuildCache,
  ): ParzenEstimator;
}
