import type { Rng } from '@parzen/engine/plugin';
import { mapped } from '../math/mapped.js';
import { binnedSumApplies, binnedSumBackend } from './backends/binned-sum.js';
import { prunedProductApplies, prunedProductBackend } from './backends/pruned-product.js';
import { sortedSumApplies, sortedSumBackend } from './backends/sorted-sum.js';
import { categoricalPoints, type Encoding } from './encoding.js';
import type { BuildCache, DensityFamily, FamilySettings, ObservationColumn } from './family.js';
import {
  type CategoricalKernels,
  type DimensionPoints,
  estimatorLogPdf,
  type ParzenEstimator,
  type StrongestKernel,
  sampleEstimator,
  scaleBandwidths,
  strongestComponent,
} from './parzen-estimator.js';

/** The observations of one parameter on one side of the split. */
export interface ObservationSet extends ObservationColumn {
  /** Their trial numbers. */
  readonly numbers: Int32Array;
}

/** A mixture of Gaussian kernels as an explanation shows it (model space: log for log kinds). */
export interface GaussianComponents {
  /** Always `gaussian`: tells it from {@link CategoricalComponents}. */
  readonly kind: 'gaussian';
  /** The model space the kernels live in: `log` for log kinds (their centres and widths are logs). */
  readonly space: 'linear' | 'log';
  /**
   * `mixture`: hyperopt cuts the whole mixture at the bounds (renormalised by the mass inside); `kernel`:
   * Optuna cuts every kernel; `none`: the mixture as it is, not renormalised (an unbounded parameter, or
   * hyperopt's continuous log kinds, whose density hyperopt leaves unnormalised).
   */
  readonly truncation: 'mixture' | 'kernel' | 'none';
  /** The lower bound, in model space; absent when unbounded. */
  readonly low?: number;
  /** The upper bound, in model space; absent when unbounded. */
  readonly high?: number;
  /** Each kernel's weight; they sum to 1. */
  readonly weights: readonly number[];
  /** Each kernel's centre, in model space. */
  readonly mus: readonly number[];
  /** Each kernel's width, in model space. */
  readonly sigmas: readonly number[];
  /** The trial each kernel comes from; null for the prior kernel. */
  readonly trials: readonly (number | null)[];
}

/** A categorical model as an explanation shows it: the probability of each option (value = offset + index). */
export interface CategoricalComponents {
  /** Always `categorical`: tells it from {@link GaussianComponents}. */
  readonly kind: 'categorical';
  /** The value of option 0: a `randint`'s low, 0 for a choice. */
  readonly offset: number;
  /** The probability of each option; they sum to 1. */
  readonly probabilities: readonly number[];
}

/** The mixture of one side of a model, as explanations show it. */
export type ComponentsDescription = GaussianComponents | CategoricalComponents;

/**
 * One side of a TPE model over d ≥ 1 parameters (l(x) from the below trials or g(x) from the above
 * ones), in internal values: a {@link ParzenEstimator} and the backend that evaluates it.
 */
export interface Density {
  /**
   * log density at points (`values[j][i]`: parameter j of point i). With `exact` false a
   * candidate-independent constant may be left out (hyperopt's truncation normaliser and log Jacobian),
   * which does not move the argmax.
   */
  logPdf(values: readonly ArrayLike<number>[], exact: boolean): Float64Array;
  /** `count` points drawn from the density, one array of internal values per parameter. */
  sample(rng: Rng, count: number): Float64Array[];
  /** The estimator (built on demand by incremental backends). */
  estimator(): ParzenEstimator;
  /**
   * Which kernel accounts for most of the density at one point (internal values, one per parameter): its
   * components in the estimator (the first, and every one with the same kernel) and its share of the density
   * there; computed where the density is evaluated (a turned density in its own frame). Undefined where the
   * density is 0. Absent for densities that only score candidates (g's incremental backends).
   */
  kernelAt?(values: readonly number[]): StrongestKernel | undefined;
}

/** Candidates → evaluation points of each dimension. */
export const pointsOf = (encodings: readonly Encoding[], values: readonly ArrayLike<number>[]): DimensionPoints[] =>
  encodings.map((encoding, j) => {
    const column = values[j] ?? [];
    return encoding.kind === 'categorical' ? categoricalPoints(encoding, column) : encoding.points(column);
  });

/** Model-space draws → internal values. */
export const valuesOf = (encodings: readonly Encoding[], draws: Float64Array[]): Float64Array[] =>
  draws.map((column, j) => {
    const encoding = encodings[j] as Encoding;
    if (encoding.kind === 'categorical') return mapped(column, (index) => index + encoding.offset);
    return mapped(column, encoding.fromModel);
  });

/** Σ_j −ln x_j over the dimensions whose exact density carries the Jacobian (hyperopt's continuous log kinds). */
const jacobian = (encodings: readonly Encoding[], values: readonly ArrayLike<number>[], out: Float64Array): void => {
  encodings.forEach((encoding, j) => {
    if (encoding.kind !== 'numeric' || !encoding.jacobian) return;
    const column = values[j] as ArrayLike<number>;
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) - Math.log(column[i] as number);
  });
};

/** A one-dimensional categorical estimator's kernels, or an error. */
const categoricalDimension = (estimator: ParzenEstimator, caller: string): CategoricalKernels => {
  const dimension = estimator.dimensions[0];
  if (dimension?.kind !== 'categorical') throw new Error(`${caller} needs one categorical dimension`);
  return dimension;
};

/** Each component's share spread as the prior row: its whole weight for the prior component, w·(1 − keep) else. */
const spreadsOf = (estimator: ParzenEstimator, { options, keep }: CategoricalKernels): Float64Array => {
  const { weights } = estimator;
  const spreads = new Float64Array(weights.length);
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k] as number;
    spreads[k] = (options[k] as number) < 0 ? w : w * (1 - keep);
  }
  return spreads;
};

/** Whether every entry is finite. */
const allFinite = (values: Float64Array): boolean => {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i] as number)) return false;
  return true;
};

/** The option probabilities from the components' spreads ({@link categoricalProbabilities}). */
const summedRow = (estimator: ParzenEstimator, dimension: CategoricalKernels, spreads: Float64Array): Float64Array => {
  const { prior, options, keep } = dimension;
  const probabilities = new Float64Array(prior.length);
  const { weights } = estimator;
  const finitePrior = allFinite(prior);
  for (let k = 0; k < weights.length; k++) {
    const spread = spreads[k] as number;
    if (spread !== 0 || !finitePrior)
      for (let c = 0; c < prior.length; c++)
        probabilities[c] = (probabilities[c] as number) + spread * (prior[c] as number);
    const option = options[k] as number;
    if (option >= 0) probabilities[option] = (probabilities[option] as number) + (weights[k] as number) * keep;
  }
  return probabilities;
};

/**
 * Σ_k w_k row_k of a one-dimensional categorical estimator: its option probabilities, summed component by
 * component. A component whose spread is 0 (every observation's when keep = 1, as hyperopt's counts are)
 * adds +0 to every option with a finite prior, which leaves the sums unchanged (they start at +0 and never
 * become −0): it is skipped, the same sums bit for bit in O(n + C) instead of O(n·C).
 */
export const categoricalProbabilities = (estimator: ParzenEstimator): Float64Array => {
  const dimension = categoricalDimension(estimator, 'categoricalProbabilities');
  return summedRow(estimator, dimension, spreadsOf(estimator, dimension));
};

/** Whether every entry is finite and the same as the first. */
const uniformFinite = (values: Float64Array): boolean => {
  const first = values[0] as number;
  for (let i = 0; i < values.length; i++) if (values[i] !== first || !Number.isFinite(first)) return false;
  return true;
};

/** An option's state in {@link categoricalBackend}: not summed yet, summed, or queued to be summed. */
const UNKNOWN = 0;
const SUMMED = 1;
const PENDING = 2;

/** The slot of an option in no pass of {@link sumEight}: its one-hot row is all zero. */
const NO_SLOT = 8;

/** Row s (s < 8) is 1 at s and 0 elsewhere; row {@link NO_SLOT} is all 0. */
const ONE_HOT = (() => {
  const rows = new Float64Array(8 * (NO_SLOT + 1));
  for (let s = 0; s < 8; s++) rows[s * 8 + s] = 1;
  return rows;
})();

/**
 * Up to eight options' sums of a categorical estimator in one pass over its components, each option's prior share
 * `share`: sums[s] is the sum of the option whose `slots` entry is s, added to in the same order and with the same
 * terms as alone (its spread·share, then at a component of that option its weight·keep). The second term is added
 * to every sum, times the component's one-hot row: 1 for its own option's sum, 0 for the others', and a sum plus
 * 0·w is the sum itself for a finite w (a sum never is −0), so every sum is the one a pass of its own gives, bit
 * for bit, with no branch on which option a component has (an unpredictable one). The caller checks that every weight·keep
 * is finite.
 */
const sumEight = (
  spreads: Float64Array,
  options: Int32Array,
  weights: Float64Array,
  keep: number,
  share: number,
  slots: Int32Array,
  sums: Float64Array,
): void => {
  const size = slots.length;
  const count = spreads.length;
  let p0 = 0;
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  let p4 = 0;
  let p5 = 0;
  let p6 = 0;
  let p7 = 0;
  for (let k = 0; k < count; k++) {
    const term = (spreads[k] as number) * share;
    const option = options[k] as number;
    const row = (option >= 0 && option < size ? (slots[option] as number) : NO_SLOT) * 8;
    const kept = (weights[k] as number) * keep;
    p0 = p0 + term + (ONE_HOT[row] as number) * kept;
    p1 = p1 + term + (ONE_HOT[row + 1] as number) * kept;
    p2 = p2 + term + (ONE_HOT[row + 2] as number) * kept;
    p3 = p3 + term + (ONE_HOT[row + 3] as number) * kept;
    p4 = p4 + term + (ONE_HOT[row + 4] as number) * kept;
    p5 = p5 + term + (ONE_HOT[row + 5] as number) * kept;
    p6 = p6 + term + (ONE_HOT[row + 6] as number) * kept;
    p7 = p7 + term + (ONE_HOT[row + 7] as number) * kept;
  }
  sums[0] = p0;
  sums[1] = p1;
  sums[2] = p2;
  sums[3] = p3;
  sums[4] = p4;
  sums[5] = p5;
  sums[6] = p6;
  sums[7] = p7;
};

/**
 * The collapsed-probabilities backend of a one-dimensional categorical estimator: the log of
 * {@link categoricalProbabilities}' entry at each candidate's option (−∞ outside the options), bit for bit.
 * When some observation spreads some of its weight (Optuna's keep < 1), or a prior share is not finite, the whole
 * row costs O(n·C), so only the candidates' options are summed (kept for later evaluations): the new ones eight to
 * a pass over the components under a uniform prior while more than four are left ({@link sumEight}), else four,
 * each option's sum added to in the same order as it would be alone; otherwise the row is summed once in O(n + C).
 * The options are summed from copies of the estimator's weights, prior and options taken here, so a sum made at a
 * later evaluation is the one made now, whatever happens to the estimator's arrays meanwhile.
 */
export const categoricalBackend = (estimator: ParzenEstimator): Evaluate => {
  const dimension = categoricalDimension(estimator, 'categoricalBackend');
  const { keep } = dimension;
  const size = dimension.prior.length;
  const spreads = spreadsOf(estimator, dimension);
  // Options summed one by one (as candidates ask for them) rather than the whole row at once: some observation
  // spreads weight over the options, or a prior share is not finite (the row's shortcut would not be exact).
  let byOption = !allFinite(dimension.prior);
  for (let k = 0; k < spreads.length && !byOption; k++)
    byOption = spreads[k] !== 0 && (dimension.options[k] as number) >= 0;
  const logProbabilities = new Float64Array(size);
  // Each option's state: UNKNOWN, SUMMED (its log probability is in `logProbabilities`), or PENDING (queued for
  // this evaluation's passes: an option is queued once, so the options of a pass are distinct).
  const known = new Uint8Array(size);
  if (!byOption) {
    const probabilities = summedRow(estimator, dimension, spreads);
    for (let c = 0; c < size; c++) logProbabilities[c] = Math.log(probabilities[c] as number);
    known.fill(SUMMED);
  }
  // The arrays summed later, copied now (the row is summed from the estimator's as they are at this point).
  const prior = byOption ? dimension.prior.slice() : dimension.prior;
  const options = byOption ? dimension.options.slice() : dimension.options;
  const weights = byOption ? estimator.weights.slice() : estimator.weights;
  const pending: number[] = [];
  /**
   * Up to four distinct options' sums in one pass over the components, each added to in the same order as alone
   * (the running sums in locals: the pass is the backend's whole cost), then their logs stored. An unused slot's
   * option is NaN, which no component's option equals. The `else if` chain gives a component's weight to one
   * sum only, so two slots of one option would leave one without it: distinct options are checked.
   */
  const sumFour = (c0: number, c1: number, c2: number, c3: number): void => {
    if (c0 === c1 || c0 === c2 || c0 === c3 || c1 === c2 || c1 === c3 || c2 === c3)
      throw new Error(`TPE internal error: one option twice in a pass (${c0}, ${c1}, ${c2}, ${c3})`);
    const share = (c: number): number => (Number.isNaN(c) ? 0 : (prior[c] as number));
    const [h0, h1, h2, h3] = [share(c0), share(c1), share(c2), share(c3)];
    const count = spreads.length;
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    let p3 = 0;
    for (let k = 0; k < count; k++) {
      const spread = spreads[k] as number;
      p0 = p0 + spread * h0;
      p1 = p1 + spread * h1;
      p2 = p2 + spread * h2;
      p3 = p3 + spread * h3;
      const option = options[k] as number;
      if (option === c0) p0 = p0 + (weights[k] as number) * keep;
      else if (option === c1) p1 = p1 + (weights[k] as number) * keep;
      else if (option === c2) p2 = p2 + (weights[k] as number) * keep;
      else if (option === c3) p3 = p3 + (weights[k] as number) * keep;
    }
    const sums = [p0, p1, p2, p3];
    [c0, c1, c2, c3].forEach((c, j) => {
      if (Number.isNaN(c)) return;
      logProbabilities[c] = Math.log(sums[j] as number);
      known[c] = SUMMED;
    });
  };
  // Eight options to a pass where every option has one prior share (a uniform prior) and every weight·keep is
  // finite (so that adding 0 times it leaves a sum as it is).
  let eightFit: boolean | undefined;
  let slots: Int32Array | undefined;
  const sums = new Float64Array(8);
  /**
   * The pending options summed: eight to a pass while more than four are left (see above), then four. They are
   * distinct (each queued once, marked PENDING), as a pass needs: one slot per option in `slots`.
   */
  const sumPending = (): void => {
    eightFit ??= uniformFinite(prior) && Number.isFinite(keep) && allFinite(weights);
    let j = 0;
    for (; eightFit && pending.length - j > 4; j += 8) {
      slots ??= new Int32Array(size).fill(NO_SLOT);
      const group = pending.slice(j, j + 8);
      group.forEach((c, slot) => {
        (slots as Int32Array)[c] = slot;
      });
      sumEight(spreads, options, weights, keep, prior[0] as number, slots, sums);
      group.forEach((c, slot) => {
        logProbabilities[c] = Math.log(sums[slot] as number);
        known[c] = SUMMED;
        (slots as Int32Array)[c] = NO_SLOT;
      });
    }
    for (; j < pending.length; j += 4) {
      const at = (i: number): number => pending[j + i] ?? Number.NaN;
      sumFour(at(0), at(1), at(2), at(3));
    }
    pending.length = 0;
  };
  return (at) => {
    const candidates = (at[0] as DimensionPoints).at;
    const out = new Float64Array(candidates.length);
    for (let i = 0; i < out.length; i++) {
      const c = candidates[i] as number;
      if (Number.isInteger(c) && c >= 0 && c < size && known[c] === UNKNOWN) {
        known[c] = PENDING;
        pending.push(c);
      }
    }
    if (pending.length > 0) sumPending();
    for (let i = 0; i < out.length; i++) {
      const c = candidates[i] as number;
      out[i] = Number.isInteger(c) && c >= 0 && c < size ? (logProbabilities[c] as number) : Number.NEGATIVE_INFINITY;
    }
    return out;
  };
};

/** A density's log values at points (one array per dimension): what a backend computes. */
export type Evaluate = (points: readonly DimensionPoints[], exact: boolean) => Float64Array;

/**
 * The fastest backend whose capability fits the estimator and the points: sorted sum (one continuous
 * dimension), binned sum (one integer or quantized dimension), collapsed probabilities (one categorical
 * dimension), pruned product (several dimensions of any kind, truncated kernels), else the reference
 * direct sum. Every backend equals the reference (backends.test.ts).
 */
export const chooseBackend = (estimator: ParzenEstimator, points: readonly DimensionPoints[]): Evaluate => {
  if (sortedSumApplies(estimator, points)) return sortedSumBackend(estimator);
  if (binnedSumApplies(estimator, points)) return binnedSumBackend(estimator);
  const [first] = estimator.dimensions;
  if (estimator.dimensions.length === 1 && first?.kind === 'categorical') return categoricalBackend(estimator);
  if (estimator.dimensions.length > 1 && prunedProductApplies(estimator, points)) {
    const backend = prunedProductBackend(estimator, points);
    return (at) => backend(at);
  }
  return (at) => estimatorLogPdf(estimator, at);
};

/** A density from a built estimator; the backend is chosen on the first evaluation and kept. */
export const estimatorDensity = (estimator: ParzenEstimator, encodings: readonly Encoding[]): Density => {
  let evaluate: Evaluate | undefined;
  return {
    logPdf: (values, exact) => {
      const points = pointsOf(encodings, values);
      evaluate ??= chooseBackend(estimator, points);
      const out = evaluate(points, exact);
      if (exact) jacobian(encodings, values, out);
      return out;
    },
    sample: (rng, count) => valuesOf(encodings, sampleEstimator(estimator, rng, count)),
    estimator: () => estimator,
    kernelAt: (values) =>
      strongestComponent(
        estimator,
        pointsOf(
          encodings,
          values.map((value) => Float64Array.of(value)),
        ),
      ),
  };
};

/**
 * The density a family builds from observation columns (one per parameter); `cache` (a suggester's) keeps what
 * the family may reuse in its next build ({@link BuildCache}).
 */
export const buildDensity = (
  family: DensityFamily,
  encodings: readonly Encoding[],
  columns: readonly ObservationColumn[],
  settings: FamilySettings,
  cache?: BuildCache,
): Density => estimatorDensity(buildEstimator(family, encodings, columns, settings, cache), encodings);

/**
 * The family's estimator of the observations, its observation kernels' widths scaled by
 * `settings.bandwidthScale` (1 when absent): the one place an estimator is built.
 */
export const buildEstimator = (
  family: DensityFamily,
  encodings: readonly Encoding[],
  columns: readonly ObservationColumn[],
  settings: FamilySettings,
  cache?: BuildCache,
): ParzenEstimator => scaleBandwidths(family.build(encodings, columns, settings, cache), settings.bandwidthScale ?? 1);

/**
 * Which kernel of a density accounts for most of it at one point (internal values, one per dimension): an
 * observation's (its trial number; `trials` when several observations share the kernel, as at one option) or the
 * prior's (`null`), with its share of the density there. Undefined where the density is 0 or cannot say.
 */
export const strongestKernel = (
  density: Density,
  values: readonly number[],
  numbers: Int32Array,
):
  | { readonly trial: number | null; readonly share: number; readonly trials?: readonly (number | null)[] }
  | undefined => {
  const found = density.kernelAt?.(values);
  if (found === undefined) return undefined;
  const { sources } = density.estimator();
  const trialOf = (component: number): number | null => {
    const source = sources[component] as number;
    return source < 0 ? null : (numbers[source] ?? null);
  };
  return {
    trial: trialOf(found.component),
    share: found.share,
    ...(found.components.length > 1 ? { trials: found.components.map(trialOf) } : {}),
  };
};

/** An explanation's view of a one-dimensional estimator. */
export const describeEstimator = (
  estimator: ParzenEstimator,
  encoding: Encoding,
  numbers: Int32Array,
): ComponentsDescription => {
  if (encoding.kind === 'categorical') {
    return {
      kind: 'categorical',
      offset: encoding.offset,
      probabilities: Array.from(categoricalProbabilities(estimator)),
    };
  }
  const dimension = estimator.dimensions[0];
  if (dimension?.kind !== 'numeric') throw new Error('describeEstimator: a numeric encoding needs a numeric dimension');
  const bounded = Number.isFinite(dimension.low);
  return {
    kind: 'gaussian',
    space: encoding.log ? 'log' : 'linear',
    // What the estimator computes: a mixture cut at bounds it does not have is no cut (review 34: hyperopt's
    // log kinds, never renormalised, were described as cut at their bounds).
    truncation: estimator.truncation === 'mixture' && !bounded ? 'none' : estimator.truncation,
    ...(bounded ? { low: dimension.low } : {}),
    ...(Number.isFinite(dimension.high) ? { high: dimension.high } : {}),
    weights: Array.from(estimator.weights),
    mus: Array.from(dimension.mus),
    sigmas: Array.from(dimension.sigmas),
    trials: Array.from(estimator.sources, (source) => (source < 0 ? null : (numbers[source] ?? null))),
  };
};
