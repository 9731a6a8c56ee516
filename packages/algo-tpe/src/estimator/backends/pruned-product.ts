import { LOG_SQRT_2PI, logGaussMass } from '@parzen/engine/plugin';
import { fastExpNonPositive } from '../../math/fast-exp.js';
import { lowerBound } from '../../math/lower-bound.js';
import { mapped } from '../../math/mapped.js';
import {
  type CategoricalKernels,
  type DimensionPoints,
  logKernelMass,
  logOptionRow,
  logOptionTerm,
  type ParzenEstimator,
} from '../parzen-estimator.js';
import { grown } from './above-kde-cache.js';
import { denseSimd, denseSimdTables } from './dense-simd.js';

/** Terms this far (e^−46) below the best so far are dropped; the sum is exact to about 1e-20 per term. */
const CUTOFF = 46;
/**
 * The log masses of the kernels on one bin of a binned dimension, as far as computed (`known`), per class of
 * kernels (`classOf[k]`): kernels with one centre and one width in the dimension put one mass on the bin.
 */
interface BinMemo {
  /** Grown as classes are found (not sized by the kernels, where a few rows could take all of MEMO_CELLS). */
  masses: Float64Array;
  known: Uint8Array;
  readonly classes: KernelClasses;
  /** The evaluation's rows, whose `cells` a row's growth is charged to. */
  readonly bins: BinRows;
  /** The classes in use (a dense pass's `used`) whose masses are all known: another lane on this bin reads them. */
  filledFor?: Int32Array;
}

/**
 * The kernels of one binned dimension in classes of one centre and one width, each kernel's class found when it
 * is first met (a walk meets few kernels; classing them all up front slows it 2-3x).
 */
interface KernelClasses {
  /** The kernels of the current call (the classes outlive it in a {@link BinCache}). */
  kernels: ProductKernels;
  readonly j: number;
  /**
   * Each kernel's class as last found, −1 until met: a hint, taken when the class's centre and width are
   * still the kernel's (kernels kept across calls change widths, and the prior's slot becomes a trial's).
   */
  of: Int32Array;
  readonly byCentre: Map<number, Map<number, number>>;
  count: number;
  /** Each class's centre and 1/σ (those of the kernel it was found on). */
  readonly mus: number[];
  readonly inverses: number[];
}

/** Kernel k's class in dimension `classes.j` (see {@link kernelClasses}). */
const classOf = (classes: KernelClasses, k: number): number => {
  const { d, mus, invSigmas } = classes.kernels;
  const mu = mus[k * d + classes.j] as number;
  const inverse = invSigmas[k * d + classes.j] as number;
  const known = classes.of[k] as number;
  if (known >= 0 && classes.mus[known] === mu && classes.inverses[known] === inverse) return known;
  let byWidth = classes.byCentre.get(mu);
  if (byWidth === undefined) {
    byWidth = new Map();
    classes.byCentre.set(mu, byWidth);
  }
  let c = byWidth.get(inverse);
  if (c === undefined) {
    c = classes.count++;
    byWidth.set(inverse, c);
    classes.mus.push(mu);
    classes.inverses.push(inverse);
  }
  classes.of[k] = c;
  return c;
};

/** The most bin masses {@link evaluateProduct} keeps for reuse in one call (8 MB and 1 MB of flags). */
const MEMO_CELLS = 1 << 20;

/** Kernels in comp-major layout: centre and 1/σ of kernel k in dimension j at k·d + j, plus log coefficients. */
export interface ProductKernels {
  /** The number of dimensions. */
  readonly d: number;
  /** Number of components; the prior is the last. */
  size: number;
  /** Kernel k's centre in dimension j at k·d + j, in model space. */
  mus: Float64Array;
  /** Kernel k's 1/σ in dimension j at k·d + j. */
  invSigmas: Float64Array;
  /** Upper bound of each kernel's log term: log weight + Σ_j log(1 / (σ√(2π) Z)); −∞ skips the kernel. */
  logCoefs: Float64Array;
  /** Set when some dimensions are not continuous (a joint block with integers or choices). */
  readonly mixed?: MixedDimensions;
}

/** Kinds of a product's dimensions in {@link MixedDimensions}. */
export const CONTINUOUS = 0;
export const BINNED = 1;
export const CATEGORICAL = 2;

/**
 * The dimensions of a product that are not continuous: binned ones (integers, quantized values: the mass
 * a kernel puts on the bin, ≤ 1) and categorical ones (a kernel's probability of the option, ≤ 1), so
 * every dimension can only lower a kernel's log term and the cut-off stays exact.
 */
export interface MixedDimensions {
  /** Per dimension: 0 continuous, 1 binned, 2 categorical. */
  readonly kinds: Uint8Array;
  /** The order a kernel's dimensions are summed in: continuous first (cheap, and they cut most kernels), binned last (two erfs each). */
  readonly order: Int32Array;
  /** Per dimension, its categorical kernels (undefined for numeric ones). */
  readonly categorical: readonly (CategoricalKernels | undefined)[];
}

/**
 * The kernels (all but the prior, the last) in stripes over a first numeric dimension, each stripe in
 * ascending order of the centres in a second one, with per-stripe bounds: the range of centres in the
 * first, the largest width in both and the largest log coefficient. {@link evaluateProduct} then skips
 * the stripes whose bound already puts every kernel below the cut-off and, within a stripe, visits only
 * the kernels near the point in the second dimension, walking outwards from it. Kernels with a log
 * coefficient of −∞ are left out. A binned dimension's point is its bin: a kernel at distance Δ from the
 * bin puts at most Φ(−Δ/σ) ≤ e^{−Δ²/2σ²} on it, the bound a continuous one has at distance Δ.
 */
export interface KernelIndex {
  /** The two dimensions indexed ("dimension 0" and "dimension 1" below). */
  readonly dims: readonly [number, number];
  /** Number of stripes. */
  readonly stripes: number;
  /** Stripe s holds positions `starts[s] … starts[s + 1]` of `kernels` and `keys`. */
  readonly starts: Int32Array;
  /** The kernel at each position. */
  readonly kernels: Int32Array;
  /** Its centre in dimension 1 (ascending within a stripe). */
  readonly keys: Float64Array;
  /** Per stripe: the lowest and highest centre in dimension 0. */
  readonly low0: Float64Array;
  /** Per stripe: the highest centre in dimension 0. */
  readonly high0: Float64Array;
  /** Per stripe: the largest width in dimensions 0 and 1. */
  readonly maxSigma0: Float64Array;
  /** Per stripe: the largest width in dimension 1. */
  readonly maxSigma1: Float64Array;
  /** Per stripe: the largest log coefficient (−∞ when the stripe is empty). */
  readonly maxLogCoef: Float64Array;
}

/**
 * The {@link KernelIndex} of kernels `byDim0` (ascending centres in dimension `dims[0]`) that are also
 * given as `byDim1` (the same kernels, ascending in dimension `dims[1]`): O(n) with the two orders at
 * hand. `widen` lists widths that override the kernels' own (the bounds take the larger of the two).
 * Both dimensions are numeric (continuous or binned).
 */
export const kernelIndex = (
  kernels: ProductKernels,
  byDim0: ArrayLike<number>,
  byDim1: ArrayLike<number>,
  count: number,
  widen: readonly { readonly k: number; readonly j: number; readonly sigma: number }[] = [],
  dims: readonly [number, number] = [0, 1],
): KernelIndex => {
  const { d, mus, invSigmas, logCoefs } = kernels;
  if (d < 2) throw new Error('kernelIndex needs two dimensions or more');
  const [first, second] = dims;
  const stripes = Math.max(1, Math.min(64, Math.round(Math.sqrt(count / 4))));
  const stripeOf = new Int32Array(kernels.size);
  for (let r = 0; r < count; r++) stripeOf[byDim0[r] as number] = Math.floor((r * stripes) / count);
  const starts = new Int32Array(stripes + 1);
  for (let r = 0; r < count; r++) {
    const k = byDim1[r] as number;
    const s = (stripeOf[k] as number) + 1;
    if ((logCoefs[k] as number) > Number.NEGATIVE_INFINITY) starts[s] = (starts[s] as number) + 1;
  }
  for (let s = 0; s < stripes; s++) starts[s + 1] = (starts[s + 1] as number) + (starts[s] as number);
  const kept = starts[stripes] as number;
  const next = starts.slice(0, stripes);
  const order = new Int32Array(kept);
  const keys = new Float64Array(kept);
  const low0 = new Float64Array(stripes).fill(Number.POSITIVE_INFINITY);
  const high0 = new Float64Array(stripes).fill(Number.NEGATIVE_INFINITY);
  const maxSigma0 = new Float64Array(stripes);
  const maxSigma1 = new Float64Array(stripes);
  const maxLogCoef = new Float64Array(stripes).fill(Number.NEGATIVE_INFINITY);
  const note = (s: number, j: number, sigma: number): void => {
    if (j === first) maxSigma0[s] = Math.max(maxSigma0[s] as number, sigma);
    else if (j === second) maxSigma1[s] = Math.max(maxSigma1[s] as number, sigma);
  };
  for (let r = 0; r < count; r++) {
    const k = byDim1[r] as number;
    const logCoef = logCoefs[k] as number;
    // The same test as the count above (a NaN coefficient is left out by both).
    if (!(logCoef > Number.NEGATIVE_INFINITY)) continue;
    const s = stripeOf[k] as number;
    const at = next[s] as number;
    next[s] = at + 1;
    order[at] = k;
    keys[at] = mus[k * d + second] as number;
    const mu0 = mus[k * d + first] as number;
    low0[s] = Math.min(low0[s] as number, mu0);
    high0[s] = Math.max(high0[s] as number, mu0);
    note(s, first, 1 / (invSigmas[k * d + first] as number));
    note(s, second, 1 / (invSigmas[k * d + second] as number));
    maxLogCoef[s] = Math.max(maxLogCoef[s] as number, logCoef);
  }
  for (const { k, j, sigma } of widen) {
    if (k < count && (logCoefs[k] as number) > Number.NEGATIVE_INFINITY) note(stripeOf[k] as number, j, sigma);
  }
  return { dims, stripes, starts, kernels: order, keys, low0, high0, maxSigma0, maxSigma1, maxLogCoef };
};

/**
 * Whether the pruned-product backend applies: each kernel truncated (Optuna's family); dimensions
 * continuous, binned (evaluated on bins) or categorical.
 */
export const prunedProductApplies = (estimator: ParzenEstimator, _points: readonly DimensionPoints[]): boolean =>
  estimator.truncation === 'kernel';

/**
 * An estimator's kernels in the comp-major layout of {@link evaluateProduct}; `points` (the kind of
 * points it will be evaluated at) says which numeric dimensions are binned.
 */
export const productKernels = (estimator: ParzenEstimator, points?: readonly DimensionPoints[]): ProductKernels => {
  const d = estimator.dimensions.length;
  const size = estimator.weights.length;
  const mus = new Float64Array(size * d);
  const invSigmas = new Float64Array(size * d);
  const logCoefs = mapped(estimator.weights, Math.log);
  const kinds = new Uint8Array(d);
  estimator.dimensions.forEach((dimension, j) => {
    if (dimension.kind !== 'numeric') {
      kinds[j] = CATEGORICAL;
      return;
    }
    const binned = points?.[j]?.upper !== undefined;
    if (binned) kinds[j] = BINNED;
    for (let k = 0; k < size; k++) {
      const mu = dimension.mus[k] as number;
      const sigma = dimension.sigmas[k] as number;
      mus[k * d + j] = mu;
      invSigmas[k * d + j] = 1 / sigma;
      // A bin's mass needs no density constant; a continuous kernel's 1 / (σ√(2π)).
      logCoefs[k] =
        (logCoefs[k] as number) -
        (binned ? 0 : Math.log(sigma) + LOG_SQRT_2PI) -
        logKernelMass(mu, sigma, dimension.low, dimension.high);
    }
  });
  const categorical = estimator.dimensions.map((dimension) =>
    dimension.kind === 'categorical' ? dimension : undefined,
  );
  const mixed = mixedDimensions(kinds, categorical);
  return mixed === undefined ? { d, size, mus, invSigmas, logCoefs } : { d, size, mus, invSigmas, logCoefs, mixed };
};

/** The {@link MixedDimensions} of dimensions of these kinds; undefined when every one is continuous. */
export const mixedDimensions = (
  kinds: Uint8Array,
  categorical: readonly (CategoricalKernels | undefined)[],
): MixedDimensions | undefined => {
  if (kinds.every((kind) => kind === CONTINUOUS)) return undefined;
  const order = Int32Array.from(kinds, (_, j) => j).sort((a, b) => rank(kinds[a]) - rank(kinds[b]));
  return { kinds, order, categorical };
};

/** Continuous dimensions first, then categorical, then binned (the costliest). */
const rank = (kind: number | undefined): number => (kind === CONTINUOUS ? 0 : kind === CATEGORICAL ? 1 : 2);

/**
 * A kernel's log mass on the bin [at, high) of a binned dimension (not empty: high > at), from `row` when
 * it is known there, else computed (two `erfc`s) and kept in `row`.
 */
const binMass = (row: BinMemo | undefined, k: number, at: number, high: number, mu: number, inverse: number) => {
  if (row === undefined) return logGaussMass((at - mu) * inverse, (high - mu) * inverse);
  const c = classOf(row.classes, k);
  if (row.known[c] === 1) return row.masses[c] as number;
  const mass = logGaussMass((at - mu) * inverse, (high - mu) * inverse);
  if (c >= row.known.length && !grow(row, c)) return mass;
  row.masses[c] = mass;
  row.known[c] = 1;
  return mass;
};

/** Makes room in `row` for class c (twice as many, or c + 1), unless that would pass MEMO_CELLS. */
const grow = (row: BinMemo, c: number): boolean => {
  const length = Math.max(2 * row.known.length, c + 1);
  if (row.bins.cells + length - row.known.length > MEMO_CELLS) return false;
  row.bins.cells += length - row.known.length;
  // Grown to the length charged, so the budget is what is allocated (review 70).
  row.masses = grown(row.masses, length);
  row.known = grown(row.known, length);
  return true;
};

/**
 * Kernel k's log term at y, or −∞ once it falls below `floor` (later dimensions can only lower it).
 * `memo`, when given, holds per binned dimension the log masses of the kernels on y's bin computed so far
 * (`known` says which), filled as they are computed.
 */
const termOf = (
  kernels: ProductKernels,
  y: Float64Array,
  upper: Float64Array,
  k: number,
  floor: number,
  memo?: readonly (BinMemo | undefined)[],
): number => {
  const { d, mus, invSigmas, mixed } = kernels;
  let term = kernels.logCoefs[k] as number;
  if (term < floor) return Number.NEGATIVE_INFINITY;
  const base = k * d;
  if (mixed === undefined) {
    // The floor is checked after every second dimension: a check per dimension cost 40 % of the sum when
    // the history is concentrated and few kernels are cut (bench/results/tpe-latency-study.md). A kept
    // term is the same bit for bit, subtracted in the same order.
    let j = 0;
    for (; j + 1 < d; j += 2) {
      const z = ((y[j] as number) - (mus[base + j] as number)) * (invSigmas[base + j] as number);
      term -= 0.5 * z * z;
      const w = ((y[j + 1] as number) - (mus[base + j + 1] as number)) * (invSigmas[base + j + 1] as number);
      term -= 0.5 * w * w;
      if (term < floor) return Number.NEGATIVE_INFINITY;
    }
    if (j < d) {
      const z = ((y[j] as number) - (mus[base + j] as number)) * (invSigmas[base + j] as number);
      term -= 0.5 * z * z;
      if (term < floor) return Number.NEGATIVE_INFINITY;
    }
    return term;
  }
  for (let o = 0; o < d; o++) {
    const j = mixed.order[o] as number;
    const kind = mixed.kinds[j];
    const at = y[j] as number;
    if (kind === CONTINUOUS) {
      const z = (at - (mus[base + j] as number)) * (invSigmas[base + j] as number);
      term -= 0.5 * z * z;
    } else if (kind === BINNED) {
      const high = upper[j] as number;
      if (!(high > at)) return Number.NEGATIVE_INFINITY;
      term += binMass(memo?.[j], k, at, high, mus[base + j] as number, invSigmas[base + j] as number);
    } else {
      term += logOptionRow(mixed.categorical[j] as CategoricalKernels, k, at);
    }
    if (term < floor) return Number.NEGATIVE_INFINITY;
  }
  return term;
};

/**
 * Reads point i into `y` (and each dimension's bin upper end into `upper`, −∞ where there is none) and says
 * whether it lies outside a continuous dimension's bounds (NaN included, as the reference has it; bins and
 * options carry their own bounds).
 */
const readPoint = (
  points: readonly DimensionPoints[],
  bounds: readonly { readonly low: number; readonly high: number }[],
  kinds: Uint8Array | undefined,
  i: number,
  y: Float64Array,
  upper: Float64Array,
): boolean => {
  let outside = false;
  for (let j = 0; j < y.length; j++) {
    const dimension = points[j] as DimensionPoints;
    const value = dimension.at[i] as number;
    y[j] = value;
    upper[j] = dimension.upper === undefined ? Number.NEGATIVE_INFINITY : (dimension.upper[i] as number);
    if (kinds !== undefined && kinds[j] !== CONTINUOUS) continue;
    const { low, high } = bounds[j] as { low: number; high: number };
    if (!(value >= low && value <= high)) outside = true;
  }
  return outside;
};

/** Per binned dimension, the memos of the kernels' masses on each bin met, keyed by the bin's lower end. */
interface BinRows {
  kernels: ProductKernels;
  readonly byBin: (Map<number, BinMemo> | undefined)[];
  /** Per binned dimension, the kernels' classes, made when its first bin is met. */
  readonly classes: (KernelClasses | undefined)[];
  /** Masses kept so far (at most MEMO_CELLS). */
  cells: number;
}

/** Empty {@link BinRows} for the binned dimensions of these kernels. */
const binRows = (kernels: ProductKernels): BinRows => ({
  kernels,
  byBin: Array.from({ length: kernels.d }, (_, j) =>
    kernels.mixed?.kinds[j] === BINNED ? new Map<number, BinMemo>() : undefined,
  ),
  classes: new Array(kernels.d).fill(undefined),
  cells: 0,
});

/**
 * Bin masses kept from one call of {@link evaluateProduct} to the next on kernels that change little in
 * between (a study's g(x): each suggestion adds a trial and moves a few widths): the classes and their
 * masses on the bins met stay right, as a mass depends only on the class's centre and width and the bin.
 * Checked at each call: dropped when it holds more than half of MEMO_CELLS (so between calls it holds at
 * most MEMO_CELLS, 9 MB), when a dimension has more than 4 × kernels + 64 classes (old widths), or when the
 * kernels' binned dimensions are not the cache's.
 */
export interface BinCache {
  rows: BinRows | undefined;
}

/** An empty {@link BinCache}. */
export const binCache = (): BinCache => ({ rows: undefined });

/** The bin rows for a call on `kernels`: the cache's, when it holds rows for kernels like these, else new ones. */
const cachedBinRows = (kernels: ProductKernels, cache: BinCache | undefined): BinRows => {
  const rows = cache?.rows;
  const fits =
    rows !== undefined &&
    rows.kernels.d === kernels.d &&
    rows.byBin.every((byBin, j) => (byBin !== undefined) === (kernels.mixed?.kinds[j] === BINNED)) &&
    rows.cells <= MEMO_CELLS / 2 &&
    rows.classes.every((classes) => classes === undefined || classes.count <= 4 * kernels.size + MIN_ROW);
  if (!fits) {
    const fresh = binRows(kernels);
    if (cache !== undefined) cache.rows = fresh;
    return fresh;
  }
  rows.kernels = kernels;
  for (const classes of rows.classes) {
    if (classes === undefined) continue;
    classes.kernels = kernels;
    if (classes.of.length < kernels.size) {
      const of = new Int32Array(Math.max(kernels.size, 2 * classes.of.length)).fill(-1);
      of.set(classes.of);
      classes.of = of;
    }
  }
  return rows;
};

/**
 * The kernels of dimension j in classes of one centre and one width: an integer's or quantized value's kernels
 * share few centres (its values) and few widths (trial 61: 2,000 kernels, 30-70 classes), so a bin's masses are
 * computed once per class, not per kernel. A mass depends on nothing else, so each is the same bit for bit as the
 * kernel's own.
 */
const kernelClasses = (kernels: ProductKernels, j: number): KernelClasses => ({
  kernels,
  j,
  of: new Int32Array(kernels.size).fill(-1),
  byCentre: new Map(),
  count: 0,
  mus: [],
  inverses: [],
});

/**
 * Dimension j's classes with every kernel's found (a dense pass meets them all; `of` then holds each
 * kernel's class), and the classes the kernels are in, each once.
 */
const allClasses = (bins: BinRows, j: number): { readonly of: Int32Array; readonly used: Int32Array } => {
  const classes = bins.classes[j] ?? kernelClasses(bins.kernels, j);
  bins.classes[j] = classes;
  const { d, size, mus, invSigmas } = bins.kernels;
  const seen = new Uint8Array(classes.count + size);
  const used: number[] = [];
  const { of } = classes;
  for (let k = 0, at = j; k < size; k++, at += d) {
    // classOf's hint, read here: most kernels keep their class from call to call.
    const known = of[k] as number;
    const c =
      known >= 0 && classes.mus[known] === mus[at] && classes.inverses[known] === invSigmas[at]
        ? known
        : classOf(classes, k);
    if (seen[c] === 1) continue;
    seen[c] = 1;
    used.push(c);
  }
  return { of: classes.of, used: Int32Array.from(used) };
};

/**
 * Row's masses for the classes `used` (computed where not known yet), or undefined when the row cannot
 * grow to hold them (MEMO_CELLS): then the masses are computed per kernel as before.
 */
const filledMasses = (
  row: BinMemo | undefined,
  at: number,
  high: number,
  used: Int32Array,
): Float64Array | undefined => {
  if (row === undefined) return undefined;
  const { classes } = row;
  if (classes.count > row.known.length && !grow(row, classes.count - 1)) return undefined;
  // Filled for these classes already (an earlier lane of the pass on this bin): every one is known.
  if (row.filledFor === used) return row.masses;
  for (const c of used) {
    if (row.known[c] === 1) continue;
    const mu = classes.mus[c] as number;
    const inverse = classes.inverses[c] as number;
    row.masses[c] = logGaussMass((at - mu) * inverse, (high - mu) * inverse);
    row.known[c] = 1;
  }
  row.filledFor = used;
  return row.masses;
};

/** The room a bin's row starts with, in classes (trial 61: 27-66 classes per dimension at 270 kernels). */
const MIN_ROW = 64;

/** The memo of dimension j's bin that starts at `at`, made when first met, unless MEMO_CELLS are kept. */
const binRow = (bins: BinRows, j: number, at: number): BinMemo | undefined => {
  const byBin = bins.byBin[j] as Map<number, BinMemo>;
  let row = byBin.get(at);
  if (row !== undefined) return row;
  const classes = bins.classes[j] ?? kernelClasses(bins.kernels, j);
  // Room for the classes found so far (grown as more are: they are found as kernels are met).
  const cells = Math.max(MIN_ROW, classes.count);
  if (bins.cells + cells > MEMO_CELLS) return undefined;
  bins.classes[j] = classes;
  row = { masses: new Float64Array(cells), known: new Uint8Array(cells), classes, bins };
  bins.cells += cells;
  byBin.set(at, row);
  return row;
};

/**
 * How many kernels a point's sum is sampled on to choose between the dense pass and the walk: about 64,
 * evenly spaced in the kernels' order (their terms in full).
 */
const PROBE_SAMPLES = 64;

/**
 * An evaluation whose first point keeps at least this share of its sampled terms (above the sample's
 * best − 46) is summed by {@link denseProduct} throughout: a history gathered near the optimum, where
 * every kernel is near every point and the index would prune little (a dense term costs about a third of a
 * walked one). Below it, the first point is walked through the index, and the rest are dense still when
 * that walk visited at least {@link WALK_SHARE} of the indexed kernels (many dimensions, where a kernel near
 * the point in the two indexed ones is often cut in the others), else walked.
 */
const DENSE_SHARE = 1 / 4;
const WALK_SHARE = 1 / 3;

/** The share of a sample of the kernels (see PROBE_SAMPLES) whose term at y is above the sample's best − 46. */
const sampledKeptShare = (
  kernels: ProductKernels,
  y: Float64Array,
  upper: Float64Array,
  memo: readonly (BinMemo | undefined)[],
): number => {
  const stride = Math.max(1, Math.floor(kernels.size / PROBE_SAMPLES));
  const sample: number[] = [];
  let best = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < kernels.size; k += stride) {
    const term = termOf(kernels, y, upper, k, Number.NEGATIVE_INFINITY, memo);
    sample.push(term);
    if (term > best) best = term;
  }
  return sample.filter((term) => term > best - CUTOFF).length / sample.length;
};

/**
 * A term after a binned dimension, in {@link denseProduct}: −∞ when it is already below `best` − 46 (it
 * would not be kept) or the bin is empty, else plus the kernel's mass on the bin.
 */
const binnedTerm = (
  term: number,
  best: number,
  at: number,
  high: number,
  mu: number,
  inverse: number,
  row: BinMemo | undefined,
  k: number,
): number =>
  term < best - CUTOFF || !(high > at) ? Number.NEGATIVE_INFINITY : term + binMass(row, k, at, high, mu, inverse);

/** The four points of a dense pass, interleaved (dimension j of lane r at 4j + r), and their bins' rows. */
interface DenseLanes {
  readonly y: Float64Array;
  readonly upper: Float64Array;
  readonly rows: (BinMemo | undefined)[];
  /** A row's masses filled for every class, or undefined when it could not be (see filledMasses). */
  readonly masses: (Float64Array | undefined)[];
}

/**
 * {@link binnedTerm} in the dense pass, at entry q of the lanes: the mass is read from the lane's filled
 * row by the kernel's class c (the value binMass keeps there, so the term is the same bit for bit), or
 * computed by binnedTerm when the row could not be filled.
 */
const binnedLane = (
  term: number,
  best: number,
  lanes: DenseLanes,
  q: number,
  c: number,
  mu: number,
  inverse: number,
  k: number,
): number => {
  const masses = lanes.masses[q];
  if (masses !== undefined) return term < best - CUTOFF ? Number.NEGATIVE_INFINITY : term + (masses[c] as number);
  return binnedTerm(term, best, lanes.y[q] as number, lanes.upper[q] as number, mu, inverse, lanes.rows[q], k);
};

/**
 * The terms of every kernel at the four interleaved points `y` (dimension j of lane r at 4j + r) of a product
 * whose dimensions are all continuous, into `terms` (kernel k's at 4k + r), and each lane's best in `bests`:
 * {@link termOf}'s terms in full (the same subtractions in the same order, so the same bits), without its
 * cut-off tests. Apart from the mixed dimensions' loop, which V8 compiled worse with this one beside it
 * (bench/results/tpe-latency-study.md).
 */
const continuousTerms = (kernels: ProductKernels, y: Float64Array, terms: Float64Array, bests: Float64Array): void => {
  const { d, size, mus, invSigmas, logCoefs } = kernels;
  let best0 = Number.NEGATIVE_INFINITY;
  let best1 = Number.NEGATIVE_INFINITY;
  let best2 = Number.NEGATIVE_INFINITY;
  let best3 = Number.NEGATIVE_INFINITY;
  for (let k = 0, base = 0, at = 0; k < size; k++, base += d, at += 4) {
    const coef = logCoefs[k] as number;
    let t0 = coef;
    let t1 = coef;
    let t2 = coef;
    let t3 = coef;
    for (let j = 0, q = 0; j < d; j++, q += 4) {
      const mu = mus[base + j] as number;
      const inverse = invSigmas[base + j] as number;
      const z0 = ((y[q] as number) - mu) * inverse;
      const z1 = ((y[q + 1] as number) - mu) * inverse;
      const z2 = ((y[q + 2] as number) - mu) * inverse;
      const z3 = ((y[q + 3] as number) - mu) * inverse;
      t0 -= 0.5 * z0 * z0;
      t1 -= 0.5 * z1 * z1;
      t2 -= 0.5 * z2 * z2;
      t3 -= 0.5 * z3 * z3;
    }
    terms[at] = t0;
    terms[at + 1] = t1;
    terms[at + 2] = t2;
    terms[at + 3] = t3;
    if (t0 > best0) best0 = t0;
    if (t1 > best1) best1 = t1;
    if (t2 > best2) best2 = t2;
    if (t3 > best3) best3 = t3;
  }
  bests[0] = best0;
  bests[1] = best1;
  bests[2] = best2;
  bests[3] = best3;
};

/**
 * The terms of every kernel at the four interleaved points `y` of a product with binned or categorical
 * dimensions, into `terms` (kernel k's at 4k + r), and each lane's best into `bests`, a dimension at a time
 * (each pass one tight loop over the kernels, in the order termOf adds the dimensions: the same operations on
 * each term in the same order, so the same bits). False, with nothing written, when a lane's bin has no row
 * of filled masses (an empty bin, or the memo full): then the kernel-at-a-time loop runs.
 *
 * No term is cut at its lane's best − 46 as the kernel-at-a-time loop cuts it before a binned dimension: a
 * cut term is below its lane's best so far less 46, and its full term lower still (every dimension only
 * lowers it), so it is neither the best nor kept by the sum either way.
 */
/** Tests turn the passes off to check them against the kernel-at-a-time loop. */
let mixedPasses = true;

/** Whether {@link mixedTerms}' passes (and their SIMD form) are used; for tests. */
export const useMixedPasses = (on: boolean): void => {
  mixedPasses = on;
};

const mixedTerms = (
  kernels: ProductKernels,
  mixed: MixedDimensions,
  y: Float64Array,
  masses: readonly (Float64Array | undefined)[],
  classIds: readonly (Int32Array | undefined)[],
  onOption: Float64Array,
  offOption: Float64Array,
  onPrior: Float64Array,
  terms: Float64Array,
  bests: Float64Array,
): boolean => {
  const { d, size, mus, invSigmas, logCoefs } = kernels;
  if (!mixedPasses) return false;
  for (let j = 0; j < d; j++)
    if (mixed.kinds[j] === BINNED) for (let r = 0; r < 4; r++) if (masses[4 * j + r] === undefined) return false;
  for (let k = 0, at = 0; k < size; k++, at += 4) {
    const coef = logCoefs[k] as number;
    terms[at] = coef;
    terms[at + 1] = coef;
    terms[at + 2] = coef;
    terms[at + 3] = coef;
  }
  for (let o = 0; o < d; o++) {
    const j = mixed.order[o] as number;
    const kind = mixed.kinds[j];
    const q = 4 * j;
    if (kind === CONTINUOUS) continuousPass(mus, invSigmas, d, j, size, y, q, terms);
    else if (kind === CATEGORICAL)
      categoricalPass(
        (mixed.categorical[j] as CategoricalKernels).options,
        size,
        y,
        q,
        onOption,
        offOption,
        onPrior,
        terms,
      );
    else binnedPass(classIds[j] as Int32Array, size, masses, q, terms);
  }
  // Each lane's best as the kernel-at-a-time loop keeps it (a NaN term never is one).
  for (let r = 0; r < 4; r++) {
    let best = Number.NEGATIVE_INFINITY;
    for (let at = r; at < 4 * size; at += 4) {
      const term = terms[at] as number;
      if (term > best) best = term;
    }
    bests[r] = best;
  }
  return true;
};

/** Rows of at most this many entries are copied into the tables entry by entry, longer ones by `set`. */
const SHORT_ROW = 64;

/**
 * Whether tables of `rowLength` entries a lane pay off for `size` kernels: each point's tables are filled whole, a
 * choice's over all its options, so a choice of 10,000 options (a randint read as options) beside 100 kernels took
 * 1.5 ms a call in tables against 0.12 ms in the loops, which read one entry a kernel. Both give the same sums.
 */
export const tablesPayOff = (rowLength: number, size: number): boolean => rowLength <= Math.max(256, 16 * size);

/**
 * {@link mixedTerms} in WebAssembly SIMD ({@link denseSimdTables}), for a product whose dimensions are summed
 * continuous first: each binned or categorical dimension a table the module reads per kernel and lane, a
 * binned one's row the lane's bin masses by class (the values the loops read), a categorical one's the lane's
 * term on each option (on its own option, or another's), then the prior component's, then another's for a
 * kernel without a known option (the three terms the loops choose from). Undefined where the module is not
 * there or the order is not continuous first. `kernelTerms` is false, with nothing written, where a lane's point
 * cannot be tabled (a bin without filled masses, an option outside the choice's): then the loops run.
 */
const tabledTerms = (
  kernels: ProductKernels,
  mixed: MixedDimensions,
  classed: readonly ({ readonly of: Int32Array; readonly used: Int32Array } | undefined)[],
  extraSize: number,
) => {
  const { size } = kernels;
  if (!mixedPasses) return undefined;
  const order = Array.from(mixed.order);
  const continuous = order.filter((j) => mixed.kinds[j] === CONTINUOUS);
  const tabled = order.slice(continuous.length);
  if (tabled.some((j) => mixed.kinds[j] === CONTINUOUS)) return undefined;
  // Each table dimension's row length: a binned one's classes in use, a categorical one's options and two.
  const lengths = tabled.map((j) => {
    if (mixed.kinds[j] === BINNED) {
      let top = -1;
      for (const c of (classed[j] as { used: Int32Array }).used) if (c > top) top = c;
      return top + 1;
    }
    return ((mixed.categorical[j] as CategoricalKernels).prior.length as number) + 2;
  });
  const rowLength = Math.max(1, ...lengths);
  if (!tablesPayOff(rowLength, size)) return undefined;
  const simd = denseSimdTables(kernels, continuous, tabled.length, rowLength, extraSize);
  if (simd === undefined) return undefined;
  // Each kernel's entry in each table, as the byte offset of the entry in lane 0's row.
  const { indices } = simd;
  const nt = tabled.length;
  tabled.forEach((j, t) => {
    const base = 4 * t * rowLength;
    if (mixed.kinds[j] === BINNED) {
      const { of } = classed[j] as { of: Int32Array };
      for (let k = 0, at = t; k < size; k++, at += nt) indices[at] = 8 * (base + (of[k] as number));
      return;
    }
    const { options } = mixed.categorical[j] as CategoricalKernels;
    const count = (lengths[t] as number) - 2;
    for (let k = 0, at = t; k < size; k++, at += nt) {
      // The kernel-at-a-time loop's reading: a negative option the prior's, an unknown one (NaN) another's.
      const option = k < options.length ? (options[k] as number) : Number.NaN;
      const entry = option < 0 ? count : Number.isInteger(option) && option < count ? option : count + 1;
      indices[at] = 8 * (base + entry);
    }
  });
  const { tables } = simd;
  return {
    terms: simd.terms,
    bests: simd.bests,
    totals: simd.totals,
    sums: simd.sums,
    kernelTerms: (
      y: Float64Array,
      masses: readonly (Float64Array | undefined)[],
      onOption: Float64Array,
      offOption: Float64Array,
      onPrior: Float64Array,
    ): boolean => {
      for (let t = 0; t < tabled.length; t++) {
        const j = tabled[t] as number;
        for (let r = 0; r < 4; r++) {
          const q = 4 * j + r;
          const row = (4 * t + r) * rowLength;
          if (mixed.kinds[j] === BINNED) {
            const lane = masses[q];
            if (lane === undefined) return false;
            // A short row copied by a loop: a subarray view per lane and dimension cost more than its copy (a small
            // l(x)'s rows); a long one by `set` (g(x)'s, as long as its classes).
            const length = lengths[t] as number;
            if (length > SHORT_ROW) tables.set(lane.subarray(0, length), row);
            else for (let c = 0; c < length; c++) tables[row + c] = lane[c] as number;
            continue;
          }
          const count = (lengths[t] as number) - 2;
          const at = y[q] as number;
          if (!(Number.isInteger(at) && at >= 0 && at < count)) return false;
          for (let o = 0; o < count; o++) tables[row + o] = (o === at ? onOption[q] : offOption[q]) as number;
          tables[row + count] = onPrior[q] as number;
          tables[row + count + 1] = offOption[q] as number;
        }
      }
      for (let c = 0; c < continuous.length; c++) {
        const j = continuous[c] as number;
        for (let r = 0; r < 4; r++) simd.y[4 * c + r] = y[4 * j + r] as number;
      }
      simd.kernelTerms();
      return true;
    },
  };
};

/** {@link mixedTerms}' pass of continuous dimension j: t −= 0.5·z·z per lane. */
const continuousPass = (
  mus: Float64Array,
  invSigmas: Float64Array,
  d: number,
  j: number,
  size: number,
  y: Float64Array,
  q: number,
  terms: Float64Array,
): void => {
  const y0 = y[q] as number;
  const y1 = y[q + 1] as number;
  const y2 = y[q + 2] as number;
  const y3 = y[q + 3] as number;
  for (let k = 0, base = j, at = 0; k < size; k++, base += d, at += 4) {
    const mu = mus[base] as number;
    const inverse = invSigmas[base] as number;
    const z0 = (y0 - mu) * inverse;
    const z1 = (y1 - mu) * inverse;
    const z2 = (y2 - mu) * inverse;
    const z3 = (y3 - mu) * inverse;
    terms[at] = (terms[at] as number) - 0.5 * z0 * z0;
    terms[at + 1] = (terms[at + 1] as number) - 0.5 * z1 * z1;
    terms[at + 2] = (terms[at + 2] as number) - 0.5 * z2 * z2;
    terms[at + 3] = (terms[at + 3] as number) - 0.5 * z3 * z3;
  }
};

/** {@link mixedTerms}' pass of a categorical dimension: each lane's term on the kernel's option (−1: the prior's). */
const categoricalPass = (
  options: Int32Array,
  size: number,
  y: Float64Array,
  q: number,
  onOption: Float64Array,
  offOption: Float64Array,
  onPrior: Float64Array,
  terms: Float64Array,
): void => {
  const y0 = y[q] as number;
  const y1 = y[q + 1] as number;
  const y2 = y[q + 2] as number;
  const y3 = y[q + 3] as number;
  const on0 = onOption[q] as number;
  const on1 = onOption[q + 1] as number;
  const on2 = onOption[q + 2] as number;
  const on3 = onOption[q + 3] as number;
  const off0 = offOption[q] as number;
  const off1 = offOption[q + 1] as number;
  const off2 = offOption[q + 2] as number;
  const off3 = offOption[q + 3] as number;
  const prior0 = onPrior[q] as number;
  const prior1 = onPrior[q + 1] as number;
  const prior2 = onPrior[q + 2] as number;
  const prior3 = onPrior[q + 3] as number;
  // Kernels past the options' end read NaN, as the kernel-at-a-time loop does: another option's term.
  const known = Math.min(size, options.length);
  for (let k = 0, at = 0; k < size; k++, at += 4) {
    const option = k < known ? (options[k] as number) : Number.NaN;
    if (option < 0) {
      terms[at] = (terms[at] as number) + prior0;
      terms[at + 1] = (terms[at + 1] as number) + prior1;
      terms[at + 2] = (terms[at + 2] as number) + prior2;
      terms[at + 3] = (terms[at + 3] as number) + prior3;
    } else {
      terms[at] = (terms[at] as number) + (option === y0 ? on0 : off0);
      terms[at + 1] = (terms[at + 1] as number) + (option === y1 ? on1 : off1);
      terms[at + 2] = (terms[at + 2] as number) + (option === y2 ? on2 : off2);
      terms[at + 3] = (terms[at + 3] as number) + (option === y3 ? on3 : off3);
    }
  }
};

/** {@link mixedTerms}' pass of a binned dimension: each lane's mass of the kernel's class on the lane's bin. */
const binnedPass = (
  classIds: Int32Array,
  size: number,
  masses: readonly (Float64Array | undefined)[],
  q: number,
  terms: Float64Array,
): void => {
  const m0 = masses[q] as Float64Array;
  const m1 = masses[q + 1] as Float64Array;
  const m2 = masses[q + 2] as Float64Array;
  const m3 = masses[q + 3] as Float64Array;
  for (let k = 0, at = 0; k < size; k++, at += 4) {
    const c = classIds[k] as number;
    terms[at] = (terms[at] as number) + (m0[c] as number);
    terms[at + 1] = (terms[at + 1] as number) + (m1[c] as number);
    terms[at + 2] = (terms[at + 2] as number) + (m2[c] as number);
    terms[at + 3] = (terms[at + 3] as number) + (m3[c] as number);
  }
};

/**
 * Per lane r of the interleaved `terms` (the first `length`, lane r's at 4k + r), Σ exp(term − best) over the
 * terms above best − 46, in order, into `totals[r]`: the four lanes' sums side by side (each lane's in its own
 * order, so each is the one-lane loop's bit for bit; four independent sums run about a third faster).
 */
const sumLanes = (terms: Float64Array, length: number, bests: Float64Array, totals: Float64Array): void => {
  const best0 = bests[0] as number;
  const best1 = bests[1] as number;
  const best2 = bests[2] as number;
  const best3 = bests[3] as number;
  const floor0 = best0 - CUTOFF;
  const floor1 = best1 - CUTOFF;
  const floor2 = best2 - CUTOFF;
  const floor3 = best3 - CUTOFF;
  let total0 = 0;
  let total1 = 0;
  let total2 = 0;
  let total3 = 0;
  for (let q = 0; q < length; q += 4) {
    const term0 = terms[q] as number;
    const term1 = terms[q + 1] as number;
    const term2 = terms[q + 2] as number;
    const term3 = terms[q + 3] as number;
    if (term0 > floor0) total0 += fastExpNonPositive(term0 - best0);
    if (term1 > floor1) total1 += fastExpNonPositive(term1 - best1);
    if (term2 > floor2) total2 += fastExpNonPositive(term2 - best2);
    if (term3 > floor3) total3 += fastExpNonPositive(term3 - best3);
  }
  totals[0] = total0;
  totals[1] = total1;
  totals[2] = total2;
  totals[3] = total3;
};

/**
 * Points `from` … of a product (`kernels`, and `extra` ones) into `out`, four points at a time: each
 * kernel's centre and width are read once for the four, its continuous and categorical terms computed in
 * full with no cut-off test (a choice's three possible log terms once per point), a binned dimension's mass
 * only for a term not yet below its point's best − 46, and kept in `bins` for the points on the same bin.
 * The extra kernels (running trials: few) are summed per point as the full visit sums them. Each kept term
 * is the same bit for bit as {@link termOf}'s, and the kept ones (those above the best − 46) are summed in
 * kernel order, the prior (the last kernel) then the `extra` ones, as the full visit of
 * {@link evaluateProduct} sums them, and a NaN term of the prior makes the sum NaN as there: the result is
 * the full visit's, bit for bit.
 */
export const denseProduct = (
  kernels: ProductKernels,
  bounds: readonly { readonly low: number; readonly high: number }[],
  points: readonly DimensionPoints[],
  extra: ProductKernels | undefined,
  out: Float64Array,
  from: number,
  bins: BinRows = binRows(kernels),
): void => {
  const { d, size, mus, invSigmas, logCoefs, mixed } = kernels;
  const kinds = mixed?.kinds;
  const extraSize = extra?.size ?? 0;
  const count = out.length;
  const scratch = denseScratch(d, 4 * (size + extraSize));
  // Each lane's point as termOf reads it, and all four interleaved: lane r of dimension j at 4j + r.
  const { lanes, inside, upper, rows, masses, onOption, offOption, onPrior } = scratch;
  // All continuous: the kernels' terms and the lanes' sums in WebAssembly SIMD where it is there (the same
  // bits), its buffers in the module's memory.
  const simd = mixed === undefined ? denseSimd(kernels, extraSize) : undefined;
  const y = simd?.y ?? scratch.y;
  // Per binned dimension and lane, the memo of the kernels' masses on the lane's bin, with every class's
  // mass in it (undefined when the memo is full: then computed per kernel), read by each kernel's class
  // (`rows` and `masses`, written for the binned dimensions before they are read).
  const classed: ({ readonly of: Int32Array; readonly used: Int32Array } | undefined)[] = [];
  const classIds: (Int32Array | undefined)[] = [];
  for (let j = 0; j < d; j++) {
    const found = kinds?.[j] === BINNED ? allClasses(bins, j) : undefined;
    classed.push(found);
    classIds.push(found?.of);
  }
  // Binned or categorical dimensions: the terms and the lanes' sums in WebAssembly SIMD where it is there.
  const tabled = mixed === undefined ? undefined : tabledTerms(kernels, mixed, classed, extraSize);
  const lanes4: DenseLanes = { y, upper, rows, masses };
  // Per categorical dimension and lane, a kernel's three possible log terms (`onOption`, `offOption`, `onPrior`):
  // on the lane's option, on another, and the prior component's; written for those dimensions before they are read.
  // The terms: every one of the first 4 · (size + extraSize) written before it is read.
  const terms = simd?.terms ?? tabled?.terms ?? scratch.terms;
  // The kernels whose terms are listed (the SIMD pass leaves out the taken-out ones), the prior last.
  const listed = simd?.listed ?? size;
  // Each lane's best term and its sum of the kept terms' exponentials.
  const bests = simd?.bests ?? tabled?.bests ?? scratch.bests;
  const totals = simd?.totals ?? tabled?.totals ?? scratch.totals;
  for (let first = from; first < count; first += 4) {
    for (let r = 0; r < 4; r++) {
      // Lanes past the last point repeat it (their sums are not written).
      const lane = lanes[r] as { y: Float64Array; upper: Float64Array };
      inside[r] = !readPoint(points, bounds, kinds, Math.min(first + r, count - 1), lane.y, lane.upper);
      for (let j = 0; j < d; j++) {
        const q = 4 * j + r;
        y[q] = lane.y[j] as number;
        upper[q] = lane.upper[j] as number;
        if (kinds?.[j] === BINNED) {
          rows[q] = binRow(bins, j, y[q] as number);
          masses[q] =
            (upper[q] as number) > (y[q] as number)
              ? filledMasses(rows[q], y[q] as number, upper[q] as number, (classed[j] as { used: Int32Array }).used)
              : undefined;
        } else if (kinds?.[j] === CATEGORICAL) {
          const dimension = (mixed as MixedDimensions).categorical[j] as CategoricalKernels;
          onOption[q] = logOptionTerm(dimension, y[q] as number, y[q] as number);
          offOption[q] = logOptionTerm(dimension, Number.NaN, y[q] as number);
          onPrior[q] = logOptionTerm(dimension, -1, y[q] as number);
        }
      }
    }
    if (simd !== undefined) simd.kernelTerms();
    else if (mixed === undefined) continuousTerms(kernels, y, terms, bests);
    else if (tabled?.kernelTerms(y, masses, onOption, offOption, onPrior) === true) {
      // The terms and bests are in the module's buffers.
    } else if (!mixedTerms(kernels, mixed, y, masses, classIds, onOption, offOption, onPrior, terms, bests)) {
      let best0 = Number.NEGATIVE_INFINITY;
      let best1 = Number.NEGATIVE_INFINITY;
      let best2 = Number.NEGATIVE_INFINITY;
      let best3 = Number.NEGATIVE_INFINITY;
      for (let k = 0, base = 0, at = 0; k < size; k++, base += d, at += 4) {
        const coef = logCoefs[k] as number;
        let t0 = coef;
        let t1 = coef;
        let t2 = coef;
        let t3 = coef;
        // In termOf's order: continuous dimensions, categorical, binned.
        for (let o = 0; o < d; o++) {
          const j = mixed.order[o] as number;
          const q = 4 * j;
          const kind = mixed.kinds[j];
          const mu = mus[base + j] as number;
          const inverse = invSigmas[base + j] as number;
          if (kind === CONTINUOUS) {
            const z0 = ((y[q] as number) - mu) * inverse;
            const z1 = ((y[q + 1] as number) - mu) * inverse;
            const z2 = ((y[q + 2] as number) - mu) * inverse;
            const z3 = ((y[q + 3] as number) - mu) * inverse;
            t0 -= 0.5 * z0 * z0;
            t1 -= 0.5 * z1 * z1;
            t2 -= 0.5 * z2 * z2;
            t3 -= 0.5 * z3 * z3;
          } else if (kind === CATEGORICAL) {
            const option = ((mixed.categorical[j] as CategoricalKernels).options[k] as number) ?? Number.NaN;
            // Written out per lane: a closure here was allocated per kernel and dimension (a tenth of a
            // 10-parameter mixed suggestion went to collecting them, bench/results/tpe-latency-study.md).
            if (option < 0) {
              t0 += onPrior[q] as number;
              t1 += onPrior[q + 1] as number;
              t2 += onPrior[q + 2] as number;
              t3 += onPrior[q + 3] as number;
            } else {
              t0 += (option === y[q] ? onOption[q] : offOption[q]) as number;
              t1 += (option === y[q + 1] ? onOption[q + 1] : offOption[q + 1]) as number;
              t2 += (option === y[q + 2] ? onOption[q + 2] : offOption[q + 2]) as number;
              t3 += (option === y[q + 3] ? onOption[q + 3] : offOption[q + 3]) as number;
            }
          } else {
            // Each lane's kernel mass read from its filled row by the kernel's class (see binnedLane).
            const c = (classIds[j] as Int32Array)[k] as number;
            t0 = binnedLane(t0, best0, lanes4, q, c, mu, inverse, k);
            t1 = binnedLane(t1, best1, lanes4, q + 1, c, mu, inverse, k);
            t2 = binnedLane(t2, best2, lanes4, q + 2, c, mu, inverse, k);
            t3 = binnedLane(t3, best3, lanes4, q + 3, c, mu, inverse, k);
          }
        }
        terms[at] = t0;
        terms[at + 1] = t1;
        terms[at + 2] = t2;
        terms[at + 3] = t3;
        if (t0 > best0) best0 = t0;
        if (t1 > best1) best1 = t1;
        if (t2 > best2) best2 = t2;
        if (t3 > best3) best3 = t3;
      }
      bests[0] = best0;
      bests[1] = best1;
      bests[2] = best2;
      bests[3] = best3;
    }
    // The extra kernels, per lane, in full (a floor of −∞ cuts nothing).
    for (let k = 0; k < extraSize; k++)
      for (let r = 0; r < 4; r++) {
        const lane = lanes[r] as { y: Float64Array; upper: Float64Array };
        const term = termOf(extra as ProductKernels, lane.y, lane.upper, k, Number.NEGATIVE_INFINITY);
        terms[4 * (listed + k) + r] = term;
        if (term > (bests[r] as number)) bests[r] = term;
      }
    if (simd !== undefined) simd.sums(listed + extraSize);
    else if (tabled !== undefined) tabled.sums(size + extraSize);
    else sumLanes(terms, 4 * (size + extraSize), bests, totals);
    for (let r = 0; r < 4 && first + r < count; r++) {
      const best = bests[r] as number;
      const total = totals[r] as number;
      const prior = terms[4 * (listed - 1) + r] as number;
      out[first + r] = !inside[r]
        ? Number.NEGATIVE_INFINITY
        : Number.isNaN(prior)
          ? Number.NaN
          : best + Math.log(total);
    }
  }
  // The kept arrays hold no evaluation's rows once it is done.
  rows.fill(undefined);
  masses.fill(undefined);
};

/** The arrays {@link denseProduct} works in, kept from call to call for one number of dimensions. */
interface DenseScratch {
  readonly lanes: readonly { readonly y: Float64Array; readonly upper: Float64Array }[];
  readonly inside: boolean[];
  readonly y: Float64Array;
  readonly upper: Float64Array;
  readonly rows: (BinMemo | undefined)[];
  readonly masses: (Float64Array | undefined)[];
  readonly onOption: Float64Array;
  readonly offOption: Float64Array;
  readonly onPrior: Float64Array;
  readonly bests: Float64Array;
  readonly totals: Float64Array;
  terms: Float64Array;
}

/** {@link DenseScratch} by number of dimensions. */
const denseScratches: (DenseScratch | undefined)[] = [];

/**
 * The arrays of a dense pass in d dimensions with room for `terms` terms: made once and kept (a pass is never
 * entered while another runs; made per call, they took about a fifth of a small l(x)'s evaluation). Each entry is
 * written before a pass reads it, so what an earlier pass left in them is never read.
 */
const denseScratch = (d: number, terms: number): DenseScratch => {
  let scratch = denseScratches[d];
  if (scratch === undefined) {
    scratch = {
      lanes: Array.from({ length: 4 }, () => ({ y: new Float64Array(d), upper: new Float64Array(d) })),
      inside: [false, false, false, false],
      y: new Float64Array(4 * d),
      upper: new Float64Array(4 * d),
      rows: new Array(4 * d).fill(undefined),
      masses: new Array(4 * d).fill(undefined),
      onOption: new Float64Array(4 * d),
      offOption: new Float64Array(4 * d),
      onPrior: new Float64Array(4 * d),
      bests: new Float64Array(4),
      totals: new Float64Array(4),
      terms: new Float64Array(terms),
    };
    denseScratches[d] = scratch;
  }
  if (scratch.terms.length < terms) scratch.terms = new Float64Array(Math.max(terms, 2 * scratch.terms.length));
  return scratch;
};

/**
 * log Σ_k exp(term_k) over product kernels, dropping a kernel as soon as its partial log term falls
 * e^−46 below the best term seen (starting from the prior's, the last kernel), so narrow kernels far
 * away in the first dimensions cost one or two subtractions each. Points outside a dimension's bounds
 * get −∞. `extra`, when given, holds more kernels (running trials, say) summed the same way. `lazyIndex`,
 * when given (or a function that builds it, called only when a point is walked), lets the sum skip the
 * kernels far from each point (the result is the same to the last bits, which the order of the sum moves);
 * with it, a history where few kernels would be skipped is summed densely instead (see DENSE_SHARE), the
 * full visit's result bit for bit. Without it, every point is summed densely (the full visit's result, bit
 * for bit).
 */
export const evaluateProduct = (
  kernels: ProductKernels,
  bounds: readonly { readonly low: number; readonly high: number }[],
  points: readonly DimensionPoints[],
  extra?: ProductKernels,
  lazyIndex?: KernelIndex | (() => KernelIndex),
): Float64Array => evaluateCachedProduct(undefined, kernels, bounds, points, extra, lazyIndex);

/**
 * {@link evaluateProduct} with a {@link BinCache} (the incremental g(x) keeps one per block), which keeps the
 * binned dimensions' classes and masses for the next call, for kernels that change little in between.
 */
export const evaluateCachedProduct = (
  cache: BinCache | undefined,
  kernels: ProductKernels,
  bounds: readonly { readonly low: number; readonly high: number }[],
  points: readonly DimensionPoints[],
  extra?: ProductKernels,
  lazyIndex?: KernelIndex | (() => KernelIndex),
): Float64Array => productSum(cache, kernels, bounds, points, extra, lazyIndex, true);

/**
 * The full visit {@link evaluateProduct} gives without an index, kernel by kernel with the cut-off: the reference
 * the dense pass, which gives its result bit for bit, is tested against.
 */
export const visitProduct = (
  kernels: ProductKernels,
  bounds: readonly { readonly low: number; readonly high: number }[],
  points: readonly DimensionPoints[],
  extra?: ProductKernels,
): Float64Array => productSum(undefined, kernels, bounds, points, extra, undefined, false);

/**
 * {@link evaluateCachedProduct}; without an index, every point by the dense pass when `dense` (the full visit's
 * result, bit for bit, and faster where WebAssembly SIMD is there, even on the few kernels of a built l(x)), else
 * by the full visit.
 */
const productSum = (
  cache: BinCache | undefined,
  kernels: ProductKernels,
  bounds: readonly { readonly low: number; readonly high: number }[],
  points: readonly DimensionPoints[],
  extra: ProductKernels | undefined,
  lazyIndex: KernelIndex | (() => KernelIndex) | undefined,
  dense: boolean,
): Float64Array => {
  const { d, size } = kernels;
  const count = points[0]?.at.length ?? 0;
  const extraSize = extra?.size ?? 0;
  const y = new Float64Array(d);
  const upper = new Float64Array(d);
  const out = new Float64Array(count);
  const kinds = kernels.mixed?.kinds;
  // The candidates share few bins (trial 38: one integer among continuous parameters, 24 candidates,
  // each kernel's mass on the same bin computed again and again): per binned dimension and bin, the
  // masses of the kernels, computed once, up to MEMO_CELLS values in all, for the walk and the dense pass.
  const bins = cachedBinRows(kernels, cache);
  const memo: (BinMemo | undefined)[] = new Array(d).fill(undefined);
  // With an index: dense throughout when a sample of the first point's terms says few would be skipped,
  // else the first point is walked and decides for the rest (see DENSE_SHARE).
  let probe = false;
  if (lazyIndex !== undefined && count > 0) {
    readPoint(points, bounds, kinds, 0, y, upper);
    // The sample's binned masses from the rows the pass reads (the same values, computed once).
    if (kinds !== undefined)
      for (let j = 0; j < d; j++) memo[j] = kinds[j] === BINNED ? binRow(bins, j, y[j] as number) : undefined;
    if (sampledKeptShare(kernels, y, upper, memo) >= DENSE_SHARE) {
      denseProduct(kernels, bounds, points, extra, out, 0, bins);
      return out;
    }
    probe = true;
  }
  if (lazyIndex === undefined && dense && count > 0) {
    denseProduct(kernels, bounds, points, extra, out, 0, bins);
    return out;
  }
  const index = count === 0 ? undefined : typeof lazyIndex === 'function' ? lazyIndex() : lazyIndex;
  const terms = new Float64Array(size + extraSize);
  for (let i = 0; i < count; i++) {
    if (readPoint(points, bounds, kinds, i, y, upper)) {
      out[i] = Number.NEGATIVE_INFINITY;
      continue;
    }
    // Keyed by the bin's lower end; a dimension's bins never share one.
    if (kinds !== undefined)
      for (let j = 0; j < d; j++) memo[j] = kinds[j] === BINNED ? binRow(bins, j, y[j] as number) : undefined;
    const prior = size - 1;
    const priorTerm = termOf(kernels, y, upper, prior, Number.NEGATIVE_INFINITY, memo);
    let best = priorTerm;
    // The kept terms are packed at the front of `terms` (in kernel order, the prior after them as before,
    // when every kernel is visited; in the walk's order with `index`, which moves only the last bits of
    // the sum): most kernels fall below the floor in their first dimensions, so the sum visits only the
    // few that count.
    let kept = 0;
    let denseFrom = 0;
    // Each kernel's term is kept when it is not below the cut-off (written out in each loop: a closure that
    // updates `best` and `kept` is several times slower here).
    if (index === undefined) {
      for (let k = 0; k < prior; k++) {
        const term = termOf(kernels, y, upper, k, best - CUTOFF, memo);
        if (term === Number.NEGATIVE_INFINITY) continue;
        terms[kept++] = term;
        if (term > best) best = term;
      }
    } else {
      // The point in the two indexed dimensions as intervals: [y, y], or [at, upper] for a bin.
      const [a, b] = index.dims;
      const y0 = y[a] as number;
      const top0 = kinds?.[a] === BINNED ? (upper[a] as number) : y0;
      const y1 = y[b] as number;
      const top1 = kinds?.[b] === BINNED ? (upper[b] as number) : y1;
      // A kernel of stripe s at distance Δ0 from y0 in dimension 0 and Δ1 in dimension 1 has a term of at
      // most maxLogCoef − ½(Δ0 / maxSigma0)² − ½(Δ1 / maxSigma1)²: skip the stripes where that is below the
      // floor at Δ1 = 0, and within a stripe walk outwards from y1 until it is. The point's own stripe
      // comes first, then its neighbours, so the best term (and with it the floor) rises early.
      const { stripes, starts, keys, low0, high0 } = index;
      let visits = 0;
      const own = Math.min(stripes - 1, Math.max(0, lowerBound(high0, stripes, y0)));
      for (let t = 0; t < 2 * stripes; t++) {
        const s = t % 2 === 0 ? own - t / 2 : own + (t + 1) / 2;
        if (s < 0 || s >= stripes) continue;
        // Distance from [y0, top0] to the stripe's range of centres (0 where they meet).
        const gap0 = Math.max((low0[s] as number) - top0, y0 - (high0[s] as number), 0);
        const z0 = gap0 / (index.maxSigma0[s] as number);
        const top = (index.maxLogCoef[s] as number) - 0.5 * z0 * z0;
        if (!(top >= best - CUTOFF)) continue;
        const scale = 0.5 / ((index.maxSigma1[s] as number) * (index.maxSigma1[s] as number));
        const start = starts[s] as number;
        const end = starts[s + 1] as number;
        const lo = lowerBound(keys, end, y1, start);
        for (let q = lo; q < end; q++) {
          const gap = Math.max(0, (keys[q] as number) - top1);
          if (top - scale * gap * gap < best - CUTOFF) break;
          visits++;
          const term = termOf(kernels, y, upper, index.kernels[q] as number, best - CUTOFF, memo);
          if (term === Number.NEGATIVE_INFINITY) continue;
          terms[kept++] = term;
          if (term > best) best = term;
        }
        for (let q = lo - 1; q >= start; q--) {
          const gap = y1 - (keys[q] as number);
          if (top - scale * gap * gap < best - CUTOFF) break;
          visits++;
          const term = termOf(kernels, y, upper, index.kernels[q] as number, best - CUTOFF, memo);
          if (term === Number.NEGATIVE_INFINITY) continue;
          terms[kept++] = term;
          if (term > best) best = term;
        }
      }
      if (probe) {
        probe = false;
        if (visits >= WALK_SHARE * (starts[stripes] as number)) denseFrom = i + 1;
      }
    }
    terms[kept++] = priorTerm;
    for (let k = 0; k < extraSize; k++) {
      const term = termOf(extra as ProductKernels, y, upper, k, best - CUTOFF);
      if (term === Number.NEGATIVE_INFINITY) continue;
      terms[kept++] = term;
      if (term > best) best = term;
    }
    let total = 0;
    for (let k = 0; k < kept; k++) {
      const term = terms[k] as number;
      if (term > best - CUTOFF) total += fastExpNonPositive(term - best);
    }
    out[i] = best + Math.log(total);
    if (denseFrom > 0) {
      denseProduct(kernels, bounds, points, extra, out, denseFrom, bins);
      return out;
    }
  }
  return out;
};

/** The pruned-product backend of a built estimator (the bounds of its numeric dimensions). */
export const prunedProductBackend = (estimator: ParzenEstimator, points: readonly DimensionPoints[]) => {
  const kernels = productKernels(estimator, points);
  const bounds = estimator.dimensions.map((dimension) =>
    dimension.kind === 'numeric' ? { low: dimension.low, high: dimension.high } : { low: 0, high: 0 },
  );
  // The bin masses kept from call to call (a density kept across decisions is evaluated again on the same bins).
  const cache = binCache();
  return (points: readonly DimensionPoints[]): Float64Array => evaluateCachedProduct(cache, kernels, bounds, points);
};
