import { estimatorLogPdf, type ParzenEstimator } from '@parzen/algo-tpe/plugin';
import type { CompiledSpace, Distribution, ParamAssignment } from '@parzen/engine/plugin';
import { extent, isLogScaled } from './charts/common.js';

/** One parameter's importance, by fANOVA or PED-ANOVA (the importances of a study sum to 1). */
export interface ParamImportance {
  /** The parameter's name. */
  readonly name: string;
  /** Its share of the importance, 0 to 1. */
  readonly importance: number;
}

/** Settings of {@link pedAnova}; the defaults are those of the paper and of Optuna's evaluator. */
export interface PedAnovaOptions {
  /** The "good" trials are the best `baselineQuantile` share (at least `minTop` of them). Default 0.1. */
  readonly baselineQuantile?: number;
  /** Numeric ranges are cut into this many bins. Default 50. */
  readonly steps?: number;
  /**
   * The fewest "good" trials: with this many trials or fewer, every parameter gets the same share; a conditional
   * parameter set in fewer good trials gets 0. Default 2.
   */
  readonly minTop?: number;
  /** The weight of the prior kernel (uniform over the bins or options) in each Parzen estimator. Default 1. */
  readonly priorWeight?: number;
}

/** A trial as importance sees it: internal param values and the loss to minimise. */
export interface ImportanceObservation {
  /** The trial's params, in internal values (an option's index for a choice); inactive ones left out. */
  readonly params: ParamAssignment;
  /** Its loss, to minimise (a maximize study's negated). */
  readonly loss: number;
}

/** Bin count and bounds of a numeric parameter: the distribution's, or the observed range when it has none. */
const binning = (distribution: Distribution, values: readonly number[], steps: number) => {
  const log = isLogScaled(distribution);
  let { low, high } = extent(values);
  let n = steps;
  switch (distribution.kind) {
    case 'uniform':
    case 'loguniform':
      ({ low, high } = distribution);
      break;
    case 'quniform':
      ({ low, high } = distribution);
      n = Math.min(Math.round((high - low) / distribution.q) + 1, steps);
      break;
    case 'qloguniform':
      ({ low, high } = distribution);
      break;
    case 'randint':
      low = distribution.low;
      high = distribution.high - 1;
      n = Math.min(high - low + 1, steps);
      break;
    case 'uniformint':
      ({ low, high } = distribution);
      n = Math.min(high - low + 1, steps);
      break;
    default:
      break;
  }
  const scale = (v: number) => (log ? Math.log(Math.max(v, Number.MIN_VALUE)) : v);
  return { n: Math.max(n, 1), from: scale(low), to: scale(high), scale };
};

/** Counts per bin: a value goes to the first grid point at or above `value − step/2` (Optuna's binning). */
const numericCounts = (values: readonly number[], bins: ReturnType<typeof binning>): Float64Array => {
  const counts = new Float64Array(bins.n);
  const step = bins.n > 1 ? (bins.to - bins.from) / (bins.n - 1) : 1;
  for (const value of values) {
    const position = (bins.scale(value) - step / 2 - bins.from) / step;
    const index = Math.min(bins.n - 1, Math.max(0, Math.ceil(position - 1e-12)));
    counts[index] = (counts[index] as number) + 1;
  }
  return counts;
};

/**
 * The density of `estimator` (one dimension) over bins 0..n−1: the mass each kernel gives [i − ½, i + ½],
 * by TPE's own Parzen estimator (one implementation: review 74 found a copy here).
 */
const binMasses = (estimator: ParzenEstimator, n: number): Float64Array => {
  const at = Float64Array.from({ length: n }, (_, i) => i - 0.5);
  const upper = Float64Array.from({ length: n }, (_, i) => i + 0.5);
  return estimatorLogPdf(estimator, [{ at, upper }]).map(Math.exp);
};

/** First index whose cumulative count is ≥ target (`right`: > target). */
const searchSorted = (cumulative: readonly number[], target: number, right: boolean): number => {
  const index = cumulative.findIndex((c) => (right ? c > target : c >= target));
  return index < 0 ? cumulative.length : index;
};

/**
 * The Parzen estimator of PED-ANOVA over bins 0..n−1: one discrete normal per occupied bin weighted by its
 * count, with Scott's-rule bandwidth (at least 0.5/1.64 bins), plus a wide prior kernel.
 */
export const scottParzenPdf = (counts: Float64Array, priorWeight: number): Float64Array => {
  const n = counts.length;
  const mus: number[] = [];
  const weights: number[] = [];
  counts.forEach((count, i) => {
    if (count > 0) {
      mus.push(i);
      weights.push(count);
    }
  });
  const total = weights.reduce((sum, w) => sum + w, 0);
  const mean = mus.reduce((sum, mu, k) => sum + mu * (weights[k] as number), 0) / total;
  const variance = mus.reduce((sum, mu, k) => sum + (weights[k] as number) * (mu - mean) ** 2, 0);
  const sd = Math.sqrt(variance / Math.max(1, total - 1));
  const cumulative: number[] = [];
  weights.reduce((sum, w) => {
    cumulative.push(sum + w);
    return sum + w;
  }, 0);
  const q25 = searchSorted(cumulative, Math.floor(total / 4), false);
  const q75 = searchSorted(cumulative, Math.floor((total * 3) / 4), true);
  const iqr = (mus[Math.min(mus.length - 1, q75)] as number) - (mus[Math.min(mus.length - 1, q25)] as number);
  const sigma = Math.max(1.059 * Math.min(iqr / 1.34, sd) * total ** -0.2, 0.5 / 1.64);
  // One discrete normal per occupied bin weighted by its count, and the prior kernel: each truncated to the
  // bins on its own (Optuna's kernels).
  const size = mus.length + 1;
  const estimator: ParzenEstimator = {
    weights: Float64Array.from({ length: size }, (_, k) =>
      k < mus.length ? (weights[k] as number) / (total + priorWeight) : priorWeight / (total + priorWeight),
    ),
    dimensions: [
      {
        kind: 'numeric',
        mus: Float64Array.from([...mus, (n - 1) / 2]),
        sigmas: Float64Array.from({ length: size }, (_, k) => (k < mus.length ? sigma : n)),
        low: -0.5,
        high: n - 0.5,
      },
    ],
    truncation: 'kernel',
    sources: Int32Array.from({ length: size }, (_, k) => (k < mus.length ? k : -1)),
  };
  return binMasses(estimator, n);
};

/** PED-ANOVA's estimator for a categorical parameter: Optuna's categorical kernels mixed by counts, plus the prior. */
const categoricalPdf = (counts: Float64Array, priorWeight: number): Float64Array => {
  const n = counts.length;
  const total = counts.reduce((sum, c) => sum + c, 0);
  const options = [...counts.keys()].filter((c) => (counts[c] as number) > 0);
  const estimator: ParzenEstimator = {
    weights: Float64Array.from(
      [...options.map((c) => counts[c] as number), priorWeight],
      (w) => w / (total + priorWeight),
    ),
    dimensions: [
      {
        kind: 'categorical',
        prior: new Float64Array(n).fill(1 / n),
        options: Int32Array.from([...options, -1]),
        keep: 1 / (1 + priorWeight),
      },
    ],
    truncation: 'kernel',
    sources: Int32Array.from([...options.keys(), -1]),
  };
  return estimatorLogPdf(estimator, [{ at: Float64Array.from({ length: n }, (_, i) => i) }]).map(Math.exp);
};

/** The loss at or below which a trial is "good": the `quantile` loss, but keeping at least `minTop` trials. */
const topCutoff = (losses: readonly number[], quantile: number, minTop: number): number => {
  const sorted = [...losses].sort((a, b) => a - b);
  const byQuantile = sorted[Math.max(0, Math.ceil(quantile * sorted.length) - 1)] as number;
  return Math.max(sorted[minTop - 1] as number, byQuantile);
};

/** Pearson divergence Σ p(i)·(q(i)/p(i) − 1)² of the good trials' density q from all trials' density p. */
const pearsonDivergence = (top: Float64Array, all: Float64Array): number => {
  let sum = 0;
  for (let i = 0; i < all.length; i++) {
    const p = (all[i] as number) + 1e-12;
    const q = (top[i] as number) + 1e-12;
    sum += p * (q / p - 1) ** 2;
  }
  return sum;
};

/**
 * PED-ANOVA (Watanabe et al., 2023, arXiv:2304.10255): a parameter matters as much as the density of its
 * values among the good trials (the best 10 %) differs from their density among all trials, measured
 * by the Pearson divergence of two Parzen estimators over 50 bins (categories for choices). This is
 * TPE's own view (l(x) against the whole history), local to the region the study explored. Importances
 * are normalised to sum to 1 and sorted, largest first; a parameter with one value has importance 0.
 * A conditional parameter is measured over the trials that set it, its divergence weighted by their share
 * of all trials; set in fewer than `minTop` good trials, it gets 0 (too few good values to tell).
 * With too few trials (≤ `minTop`) every parameter gets the same share.
 */
export const pedAnova = (
  space: CompiledSpace,
  observations: readonly ImportanceObservation[],
  options: PedAnovaOptions = {},
): ParamImportance[] => measuredImportance(space, observations, options) ?? equalImportance(space);

/** Every parameter the same share: {@link pedAnova} where nothing could be measured. */
export const equalImportance = (space: CompiledSpace): ParamImportance[] =>
  space.params.map((param) => ({ name: param.name, importance: 1 / space.params.length }));

/**
 * {@link pedAnova}, or undefined when there is nothing to measure: too few trials (≤ `minTop`), or
 * no parameter's good values differ from the rest (a constant loss), where pedAnova gives equal shares
 * that a chart would show as a finding.
 */
export const measuredImportance = (
  space: CompiledSpace,
  observations: readonly ImportanceObservation[],
  options: PedAnovaOptions = {},
): ParamImportance[] | undefined => {
  const quantile = options.baselineQuantile ?? 0.1;
  const steps = options.steps ?? 50;
  const minTop = options.minTop ?? 2;
  const priorWeight = options.priorWeight ?? 1;
  const params = space.params;
  if (params.length === 0) return [];
  if (observations.length <= minTop) return undefined;
  const cutoff = topCutoff(
    observations.map((o) => o.loss),
    quantile,
    minTop,
  );
  const raw = params.map((param) => {
    const all = observations.flatMap((o) =>
      o.params[param.name] === undefined ? [] : [o.params[param.name] as number],
    );
    const top = observations.flatMap((o) =>
      o.loss <= cutoff && o.params[param.name] !== undefined ? [o.params[param.name] as number] : [],
    );
    // A conditional parameter is measured over the trials that set it (its values elsewhere are not values),
    // from at least `minTop` good trials that set it (one or two good values make a spike against the rest
    // whatever the loss does: trial 87's no-effect branch parameter led the chart), and its divergence counts
    // for the share of trials that set it (the choice above it carries the branch's own effect).
    if (top.length < minTop || all.length === 0) return { name: param.name, importance: 0 };
    const share = all.length / observations.length;
    const { distribution } = param;
    if (distribution.kind === 'categorical') {
      if (distribution.size < 2) return { name: param.name, importance: 0 };
      const count = (values: readonly number[]) => {
        const counts = new Float64Array(distribution.size);
        for (const v of values) counts[v] = (counts[v] as number) + 1;
        return counts;
      };
      const divergence = pearsonDivergence(
        categoricalPdf(count(top), priorWeight),
        categoricalPdf(count(all), priorWeight),
      );
      return { name: param.name, importance: share * divergence };
    }
    const bins = binning(distribution, all, steps);
    if (!(bins.to > bins.from) || bins.n < 2) return { name: param.name, importance: 0 };
    const divergence = pearsonDivergence(
      scottParzenPdf(numericCounts(top, bins), priorWeight),
      scottParzenPdf(numericCounts(all, bins), priorWeight),
    );
    return { name: param.name, importance: share * divergence };
  });
  const total = raw.reduce((sum, r) => sum + r.importance, 0);
  if (!(total > 0)) return undefined;
  return raw
    .map((r) => ({ name: r.name, importance: r.importance / total }))
    .sort((a, b) => b.importance - a.importance);
};
