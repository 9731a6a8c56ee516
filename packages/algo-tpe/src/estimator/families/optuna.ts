import type { Distribution } from '@parzen/engine/plugin';
import { linearForgettingWeight } from '../../math/linear-forgetting.js';
import { tabulated } from '../../math/mapped.js';
import { normalise } from '../../math/mixture.js';
import {
  type CategoricalEncoding,
  categoricalOptions,
  type Encoding,
  type NumericEncoding,
  optunaEncoding,
} from '../encoding.js';
import {
  type ArrivalLayout,
  type BuildCache,
  type DensityFamily,
  type FamilySettings,
  type ObservationColumn,
  sortedInModelSpace,
} from '../family.js';
import type { CategoricalKernels, KernelDimension, NumericKernels, ParzenEstimator } from '../parzen-estimator.js';

/** Kernel support in model space (log for log kinds, widened by step/2 for discrete ones). */
export interface KernelBounds {
  /** The lower bound, in model space. */
  readonly low: number;
  /** The upper bound, in model space. */
  readonly high: number;
}

/** The width settings of Optuna's numeric kernels (tpe-spec 4.4). */
export interface BandwidthSettings {
  /** The floor in the smallest width's rule, range · max(floor, (n+2)^−exponent) (the `bandwidthFloor` setting). */
  readonly bandwidthFloor: number;
  /** The exponent in that rule (the `bandwidthExponent` setting). */
  readonly bandwidthExponent: number;
  /** Let the first and last observations measure their gap to the bounds (Optuna's `consider_endpoints`). */
  readonly considerEndpoints?: boolean;
}

/** The smallest width Optuna's magic clip allows for n observations: range · max(floor, (n+2)^−exponent). */
export const minimumBandwidth = (n: number, range: number, settings: BandwidthSettings): number =>
  range * Math.max(settings.bandwidthFloor, (n + 2) ** -settings.bandwidthExponent);

/**
 * Optuna's width of one kernel at y among n sorted observations (tpe-spec 4.4): the larger gap to a
 * neighbour, the bounds standing in for a missing one, except that the first and last use their inner
 * neighbour only when n ≥ 2; clipped to [minSigma, range].
 */
export const optunaNeighbourWidth = (
  low: number,
  high: number,
  y: number,
  previous: number | undefined,
  next: number | undefined,
  n: number,
  minSigma: number,
): number => {
  const left = y - (previous ?? low);
  const right = (next ?? high) - y;
  const gap = n >= 2 && previous === undefined ? right : n >= 2 && next === undefined ? left : Math.max(left, right);
  return Math.min(high - low, Math.max(minSigma, gap));
};

/** Optuna's prior kernel: mid-range, as wide as the range. */
const optunaPrior = (low: number, high: number) => ({ mu: 0.5 * (low + high), sigma: high - low });

/**
 * Optuna ≥ 4.9 widths (5.0 line) for observations sorted ascending: `optunaNeighbourWidth` of each
 * (with `considerEndpoints`, the first and last measure their gap to the bounds too), the clip
 * range · max(floor, (n+2)^−exponent).
 */
export const optunaSigmasSorted = (
  sorted: Float64Array,
  bounds: KernelBounds,
  settings: BandwidthSettings,
): Float64Array => {
  const n = sorted.length;
  const { low, high } = bounds;
  const range = high - low;
  const minSigma = minimumBandwidth(n, range, settings);
  const inner = n >= 2 && settings.considerEndpoints !== true;
  const sigmas = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = sorted[i] as number;
    const previous = i > 0 ? (sorted[i - 1] as number) : undefined;
    const next = i + 1 < n ? (sorted[i + 1] as number) : undefined;
    if (inner) sigmas[i] = optunaNeighbourWidth(low, high, x, previous, next, n, minSigma);
    else {
      const gap = Math.max(x - (previous ?? low), (next ?? high) - x);
      sigmas[i] = Math.min(range, Math.max(minSigma, gap));
    }
  }
  return sigmas;
};

/** Mixture weights by arrival: linear forgetting (or 1) per observation, the prior weight, normalised later. */
const arrivalWeight = (rank: number, n: number, settings: FamilySettings): number =>
  linearForgettingWeight(rank, n, settings.forgetting === 0 ? Number.POSITIVE_INFINITY : settings.forgetting);

/** One numeric dimension with components sorted by μ and the prior inserted at its place, plus weights. */
const sortedNumeric = (
  encoding: NumericEncoding,
  column: ObservationColumn,
  settings: FamilySettings,
): ParzenEstimator => {
  const sorted = sortedInModelSpace(column, encoding.toModel);
  const n = sorted.values.length;
  const { low, high } = encoding;
  const sigmasObs = optunaSigmasSorted(sorted.values, encoding, settings);
  const prior = optunaPrior(low, high);
  const priorMu = prior.mu;
  let p = 0;
  while (p < n && (sorted.values[p] as number) < priorMu) p++;
  const mus = new Float64Array(n + 1);
  const sigmas = new Float64Array(n + 1);
  const weights = new Float64Array(n + 1);
  const sources = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) {
    if (i === p) {
      mus[i] = priorMu;
      sigmas[i] = prior.sigma;
      weights[i] = n === 0 ? 1 : settings.priorWeight;
      sources[i] = -1;
      continue;
    }
    const j = i < p ? i : i - 1;
    const rank = sorted.order[j] as number;
    mus[i] = sorted.values[j] as number;
    sigmas[i] = sigmasObs[j] as number;
    weights[i] = arrivalWeight(rank, n, settings);
    sources[i] = rank;
  }
  const dimension: NumericKernels = { kind: 'numeric', mus, sigmas, low, high };
  return { weights: normalise(weights), dimensions: [dimension], truncation: 'kernel', sources };
};

/** A numeric dimension in arrival layout: observation i is component i, the prior last. */
const arrivalNumeric = (
  encoding: NumericEncoding,
  column: ObservationColumn,
  settings: FamilySettings,
): NumericKernels => {
  const n = column.values.length;
  const sorted = sortedInModelSpace(column, encoding.toModel);
  const sortedSigmas = optunaSigmasSorted(sorted.values, encoding, settings);
  const mus = new Float64Array(n + 1);
  const sigmas = new Float64Array(n + 1);
  for (let rank = 0; rank < n; rank++) {
    const i = sorted.order[rank] as number;
    mus[i] = sorted.values[rank] as number;
    sigmas[i] = sortedSigmas[rank] as number;
  }
  const prior = optunaPrior(encoding.low, encoding.high);
  mus[n] = prior.mu;
  sigmas[n] = prior.sigma;
  return { kind: 'numeric', mus, sigmas, low: encoding.low, high: encoding.high };
};

/** How many arrival layouts a {@link BuildCache} keeps (the last made or used first). */
const KEPT_LAYOUTS = 4;

/**
 * The weights and sources of the arrival layout (observation i is component i, the prior last) for n
 * observations: a function of n, `forgetting` and `priorWeight` alone, so the one made for the last decision's
 * parameters serves every parameter with as many observations (a study without conditional parameters: all of
 * them), instead of O(n) work per parameter. `cache` (the suggester's) keeps the last {@link KEPT_LAYOUTS} made,
 * each with the three values it was made from; without one it is made afresh. The arrays are shared by the
 * estimators built with them, read only, as every estimator's arrays are (optuna.test.ts checks a kept layout
 * against one made afresh).
 */
export const arrivalLayout = (n: number, settings: FamilySettings, cache?: BuildCache): ArrivalLayout => {
  const { forgetting, priorWeight } = settings;
  const keptLayouts = cache?.arrivalLayouts ?? [];
  const at = keptLayouts.findIndex(
    (kept) => kept.n === n && Object.is(kept.forgetting, forgetting) && Object.is(kept.priorWeight, priorWeight),
  );
  if (at >= 0) {
    const kept = keptLayouts[at] as ArrivalLayout;
    if (at > 0) {
      keptLayouts.splice(at, 1);
      keptLayouts.unshift(kept);
    }
    return kept;
  }
  const weights = tabulated(n + 1, (i) => (i === n ? (n === 0 ? 1 : priorWeight) : arrivalWeight(i, n, settings)));
  const sources = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) sources[i] = i;
  sources[n] = -1;
  const layout = { n, forgetting, priorWeight, weights: normalise(weights), sources };
  keptLayouts.unshift(layout);
  if (keptLayouts.length > KEPT_LAYOUTS) keptLayouts.pop();
  return layout;
};

/**
 * Optuna's categorical keep (tpe-spec 4.5, 5.0 line): with n observations, k = n + 1 kernels; the row of
 * observation i is `priorWeight · C · p0 / k` plus 1 at the observed option, normalised, i.e. keep
 * 1 / (priorWeight · C / k + 1).
 */
const optunaKeep = (encoding: CategoricalEncoding, n: number, settings: FamilySettings): number =>
  1 / ((settings.priorWeight * encoding.size) / (n + 1) + 1);

/**
 * Optuna's categorical kernels: each observation's row keeps {@link optunaKeep} at its option; the prior
 * row is p0 (uniform unless the parameter has prior probabilities, an extension for pchoice).
 */
const categoricalKernels = (
  encoding: CategoricalEncoding,
  column: ObservationColumn,
  settings: FamilySettings,
): CategoricalKernels => {
  const { prior, options } = categoricalOptions(encoding, column.values);
  return { kind: 'categorical', prior, options, keep: optunaKeep(encoding, column.values.length, settings) };
};

/**
 * Optuna's Parzen estimator on the 5.0 line (tpe-spec 4.3–4.7): one kernel per observation with a
 * component index shared by all dimensions, per-dimension neighbour widths with the bounds as
 * neighbours and the magic clip, every kernel truncated to the bounds, the prior kernel (mid-range,
 * width = range) with weight `priorWeight`, weights by linear forgetting or uniform.
 */
export const optunaFamily: DensityFamily = {
  name: 'optuna',
  description: 'Optuna 5.0 widths, truncated kernels',
  kernels: {
    neighbourWidth: (encoding, y, previous, next, n, minSigma) =>
      optunaNeighbourWidth(encoding.low, encoding.high, y, previous, next, n, minSigma),
    minimumWidth: (encoding, n, settings) => minimumBandwidth(n, encoding.high - encoding.low, settings),
    categoricalKeep: optunaKeep,
    prior: (encoding) => optunaPrior(encoding.low, encoding.high),
    truncated: true,
    // With no floor the clip (n+2)^−exponent shrinks without end, and the cached width with it.
    incremental: (settings) => settings.bandwidthFloor > 0,
  },
  joint: true,
  encode: (distribution: Distribution) => optunaEncoding(distribution),
  build: (
    encodings: readonly Encoding[],
    columns: readonly ObservationColumn[],
    settings: FamilySettings,
    cache?: BuildCache,
  ) => {
    const first = encodings[0];
    const column = columns[0] as ObservationColumn;
    if (encodings.length === 1 && first?.kind === 'numeric') return sortedNumeric(first, column, settings);
    const { weights, sources } = arrivalLayout(column.values.length, settings, cache);
    const dimensions: KernelDimension[] = encodings.map((encoding, j) =>
      encoding.kind === 'categorical'
        ? categoricalKernels(encoding, columns[j] as ObservationColumn, settings)
        : arrivalNumeric(encoding, columns[j] as ObservationColumn, settings),
    );
    return { weights, dimensions, truncation: 'kernel', sources };
  },
};
