import type { Trial } from '@parzen/engine/plugin';
import { LOG_SQRT_2PI } from '@parzen/engine/plugin';
import type { HistorySplit } from '../../history/history-split.js';
import type { ParamColumn } from '../../history/param-column.js';
import type { TrialHistory } from '../../history/trial-history.js';
import { logGaussianSum, prepareGaussianSum } from '../../math/gaussian-sum.js';
import { linearForgettingWeight } from '../../math/linear-forgetting.js';
import { type Density, pointsOf } from '../density.js';
import { categoricalPrior, type Encoding, type NumericEncoding } from '../encoding.js';
import type { FamilyKernels, FamilySettings } from '../family.js';
import { type CategoricalKernels, logKernelMass } from '../parzen-estimator.js';
import { grown } from './above-kde-cache.js';
import {
  BINNED,
  binCache,
  CATEGORICAL,
  CONTINUOUS,
  evaluateCachedProduct,
  type KernelIndex,
  kernelIndex,
  type MixedDimensions,
  mixedDimensions,
  type ProductKernels,
} from './pruned-product.js';

/** The added trials' indices in dimension j's order: by value, then trial number. */
const addedOrder = (j: number, d: number, added: readonly Trial[], mus: Float64Array): number[] =>
  added
    .map((_, a) => a)
    .sort(
      (a, b) =>
        (mus[a * d + j] as number) - (mus[b * d + j] as number) ||
        (added[a] as Trial).number - (added[b] as Trial).number,
    );

/** Normalised mixture weights of one suggestion's above set: cached slots, added trials, the prior. */
interface Weights {
  /** The weight of every observation when they are uniform (then `slot` is not filled). */
  readonly uniform?: number;
  readonly slot: Float64Array;
  readonly added: Float64Array;
  readonly prior: number;
}

/** One suggestion's changes against the cache, as the walks read and fill them. */
interface WalkInput {
  /** Size of the above set. */
  readonly n: number;
  readonly removed: Uint8Array;
  readonly removedSlots: readonly number[];
  readonly added: readonly Trial[];
  /** Model values of the added trials, comp-major. */
  readonly addedMus: Float64Array;
  /** Filled: their widths. */
  readonly addedSigmas: Float64Array;
  /** Filled: the cached widths that differ. */
  readonly patches: Patch[];
}

/** A width that differs from the cache in this suggestion. */
interface Patch {
  readonly k: number;
  readonly j: number;
  readonly sigma: number;
}

/** Trials folded in at once from which `follow` appends and sorts instead of inserting one by one. */
const BULK_MIN = 64;

/**
 * g(x) of a group of parameters (multivariate TPE with Optuna's family), kept up to date one finished
 * trial at a time instead of rebuilt: every finished trial with all group parameters is a kernel slot
 * whose centres, widths and normalisers are cached in comp-major layout, next to each numeric
 * dimension's values in sorted order. Inserting a trial costs one sorted insert per numeric dimension and
 * the widths of its two neighbours. Per suggestion one walk per numeric dimension over the sorted values
 * (minus the below trials, plus the running and failed trials that join g) finds the few widths that
 * differ from the cache; they are patched for the evaluation, which prunes kernels far from each
 * candidate. Numeric dimensions are continuous or binned (integers, quantized values: a kernel's mass on
 * the bin, with Optuna's widths); a categorical dimension keeps each slot's option, its rows' `keep`
 * following the above count per suggestion (the family's rule). One continuous parameter is summed as a
 * sorted Gaussian sum; a group needs two or more parameters when any is not continuous.
 */
export class IncrementalAbove {
  /** The number of dimensions: the group's parameters. */
  readonly d: number;
  /** Per dimension: continuous, binned or categorical (pruned-product's kinds). */
  private readonly kinds: Uint8Array;
  /** The numeric dimensions (the ones with widths and sorted values). */
  private readonly numericDims: readonly number[];
  /** The two numeric dimensions the kernel index stripes (continuous first); undefined with fewer than two. */
  private readonly indexDims: readonly [number, number] | undefined;
  /** Per categorical dimension, each slot's option (undefined for numeric dimensions). */
  private readonly options: (Int32Array | undefined)[];
  /** Per categorical dimension, its prior row p0. */
  private readonly categoricalPriors: (Float64Array | undefined)[];
  private size = 0;
  private capacity = 64;
  private followed = 0;
  /** The trial number of each slot, and each trial number's slot (−1: none). */
  private numbers = new Int32Array(64);
  private slotOf = new Int32Array(64).fill(-1);
  /** Slots in trial-number order (for linear forgetting). */
  private byNumber = new Int32Array(64);
  /** Per dimension: model values in sorted order (ties by trial number) and their slots. */
  private readonly keys: Float64Array[];
  private readonly sorted: Int32Array[];
  /** Comp-major kernel data: centre, width, 1/width and log normaliser of slot k in dimension j at k·d + j. */
  private mus: Float64Array;
  private sigmas: Float64Array;
  private invSigmas: Float64Array;
  private logDims: Float64Array;
  /** Σ_j logDims of each slot, and its exponential (the kernel's coefficient without its weight). */
  private logKernels: Float64Array;
  private coefs: Float64Array;
  /** Scratch: the removed slots and the slots' weights of the current suggestion. */
  private removedMarks = new Uint8Array(64);
  /** The bin masses of the product's binned dimensions, kept from one suggestion to the next. */
  private readonly bins = binCache();
  private slotWeights = new Float64Array(64);
  /** Scratch of sparseWalk: the sorted positions touched (all 0 between walks). */
  private touchMarks = new Uint8Array(64);
  /** Scratch: the log coefficients of the current suggestion's kernels (valid until the next suggestion). */
  private logCoefs = new Float64Array(64);
  /** Scratch of the one-dimensional sorted sum (valid until the next suggestion). */
  private sumMus = new Float64Array(0);
  private sumSigmas = new Float64Array(0);
  private sumCoefs = new Float64Array(0);
  /** The clip the cached widths were computed with (their count). */
  private clipCount = -1;

  constructor(
    /** The group's parameter names, one per dimension. */
    readonly names: readonly string[],
    /** Each dimension's encoding: its model space and support. */
    readonly encodings: readonly Encoding[],
    /** The density family's settings the kernels are built with (prior weight, forgetting, widths). */
    readonly settings: FamilySettings,
    /** The density family's kernels: their widths (Optuna's take the bounds as neighbours, hyperopt's the prior mean) and truncation. */
    readonly family: FamilyKernels,
  ) {
    this.d = names.length;
    this.kinds = Uint8Array.from(encodings, (encoding) =>
      encoding.kind === 'categorical' ? CATEGORICAL : encoding.binned ? BINNED : CONTINUOUS,
    );
    const numeric = encodings.flatMap((_, j) => (this.kinds[j] === CATEGORICAL ? [] : [j]));
    this.numericDims = numeric;
    const indexed = [...numeric].sort((a, b) => (this.kinds[a] as number) - (this.kinds[b] as number));
    this.indexDims = indexed.length >= 2 ? [indexed[0] as number, indexed[1] as number] : undefined;
    this.options = encodings.map((encoding) => (encoding.kind === 'categorical' ? new Int32Array(64) : undefined));
    this.categoricalPriors = encodings.map((encoding) =>
      encoding.kind === 'categorical' ? categoricalPrior(encoding) : undefined,
    );
    this.keys = names.map(() => new Float64Array(64));
    this.sorted = names.map(() => new Int32Array(64));
    this.mus = new Float64Array(64 * this.d);
    this.sigmas = new Float64Array(64 * this.d);
    this.invSigmas = new Float64Array(64 * this.d);
    this.logDims = new Float64Array(64 * this.d);
    this.logKernels = new Float64Array(64);
    this.coefs = new Float64Array(64);
  }

  /** Folds in the finished trials the history gained since the last call (those with every group parameter). */
  follow(history: TrialHistory): void {
    const driver = history.column(this.names[0] as string);
    const columns = this.names.map((name) => history.column(name));
    const inserted = driver.insertedNumbers;
    const values = new Float64Array(this.d);
    // Many trials at once (a resumed study, the first suggestion after a long start-up): appended unsorted,
    // then each dimension sorted once and every width computed once, O(n log n) instead of one sorted
    // insert (a memmove) per trial and dimension. The result is the same state, slot for slot.
    const bulk = inserted.length - this.followed >= BULK_MIN && 8 * (inserted.length - this.followed) >= this.size;
    for (; this.followed < inserted.length; this.followed++) {
      const number = inserted[this.followed] as number;
      let complete = true;
      for (let j = 0; j < this.d && complete; j++) {
        const value = (columns[j] as (typeof columns)[number]).valueOf(number);
        if (value === undefined) complete = false;
        else values[j] = value;
      }
      if (complete) this.insert(number, values, bulk);
    }
    if (bulk) {
      this.sortAll(columns);
      this.recomputeAll();
      return;
    }
    const clipChanged = this.clipDiffers(this.size);
    if (this.clipCount < 0 || clipChanged) this.recomputeAll();
  }

  /**
   * Orders each numeric dimension's values (ties by trial number) and the slots by number, after a bulk
   * append. The history's column already holds a parameter's values sorted by (value, number), and the model
   * value is monotone in the value, so one pass over it gives the order; where rounding in the map to model
   * space ties two values out of number order, that dimension is sorted outright.
   */
  private sortAll(columns: readonly ParamColumn[]): void {
    const { size, numbers, slotOf, d } = this;
    for (const j of this.numericDims) {
      const keys = this.keys[j] as Float64Array;
      const sorted = this.sorted[j] as Int32Array;
      const byValue = (columns[j] as ParamColumn).byValue;
      const count = byValue.size;
      const tags = byValue.tags;
      let p = 0;
      let ordered = true;
      for (let i = 0; i < count; i++) {
        const number = tags[i] as number;
        const slot = number < slotOf.length ? (slotOf[number] as number) : -1;
        if (slot < 0) continue;
        const y = this.mus[slot * d + j] as number;
        if (p > 0) {
          const previous = keys[p - 1] as number;
          if (previous > y || (previous === y && (numbers[sorted[p - 1] as number] as number) > number))
            ordered = false;
        }
        keys[p] = y;
        sorted[p] = slot;
        p++;
      }
      if (p !== size) throw new Error(`IncrementalAbove: ${p} of ${size} slots in the column of ${this.names[j]}`);
      if (!ordered) this.sortDimension(j);
    }
    let at = 0;
    for (let number = 0; number < slotOf.length; number++) {
      const slot = slotOf[number] as number;
      if (slot >= 0) this.byNumber[at++] = slot;
    }
  }

  /** Sorts dimension j's values and slots by (value, trial number). */
  private sortDimension(j: number): void {
    const { size, numbers } = this;
    const keys = this.keys[j] as Float64Array;
    const sorted = this.sorted[j] as Int32Array;
    const order = Array.from({ length: size }, (_, p) => p).sort((a, b) => {
      const ka = keys[a] as number;
      const kb = keys[b] as number;
      return ka < kb
        ? -1
        : ka > kb
          ? 1
          : (numbers[sorted[a] as number] as number) - (numbers[sorted[b] as number] as number);
    });
    const sortedKeys = Float64Array.from(order, (p) => keys[p] as number);
    const sortedSlots = Int32Array.from(order, (p) => sorted[p] as number);
    keys.set(sortedKeys);
    sorted.set(sortedSlots);
  }

  /** Whether the clip of some numeric dimension for n observations differs from the cached widths'. */
  private clipDiffers(n: number): boolean {
    return this.numericDims.some((j) => this.minSigma(j, n) !== this.minSigma(j, this.clipCount));
  }

  /** A value of dimension j in model space: a numeric dimension's model value, a categorical one's option. */
  private modelValue(j: number, value: number): number {
    const encoding = this.encodings[j] as Encoding;
    return encoding.kind === 'categorical' ? value - encoding.offset : encoding.toModel(value);
  }

  /** Dimension j's sorted values and slots, its bounds and the smallest width for n observations. */
  private view(j: number, n: number) {
    const { low, high } = this.encodings[j] as NumericEncoding;
    const keys = this.keys[j] as Float64Array;
    const sorted = this.sorted[j] as Int32Array;
    return { keys, sorted, low, high, minSigma: this.minSigma(j, n) };
  }

  private minSigma(j: number, n: number): number {
    return this.family.minimumWidth(this.encodings[j] as NumericEncoding, n, this.settings);
  }

  /** The width of a kernel at y in dimension j with its above neighbours (undefined at an end). */
  private width(
    j: number,
    y: number,
    previous: number | undefined,
    next: number | undefined,
    n: number,
    minSigma: number,
  ): number {
    return this.family.neighbourWidth(this.encodings[j] as NumericEncoding, y, previous, next, n, minSigma);
  }

  /**
   * log of a kernel's normaliser in dimension j: −log σ − log √(2π) (a continuous density; a bin's mass
   * needs no density constant), less log Z (its mass inside the bounds) under Optuna's rule; 0 for a
   * categorical dimension (its row is evaluated whole).
   */
  private logNorm(j: number, mu: number, sigma: number): number {
    const kind = this.kinds[j];
    if (kind === CATEGORICAL) return 0;
    const density = kind === BINNED ? 0 : -Math.log(sigma) - LOG_SQRT_2PI;
    if (!this.family.truncated) return density;
    const { low, high } = this.encodings[j] as NumericEncoding;
    return density - logKernelMass(mu, sigma, low, high);
  }

  private reserve(slots: number): void {
    if (slots + 1 <= this.capacity) return;
    const capacity = Math.max(slots + 1, 2 * this.capacity);
    const { d } = this;
    this.numbers = grown(this.numbers, capacity);
    this.byNumber = grown(this.byNumber, capacity);
    for (let j = 0; j < d; j++) {
      this.keys[j] = grown(this.keys[j] as Float64Array, capacity);
      this.sorted[j] = grown(this.sorted[j] as Int32Array, capacity);
      const options = this.options[j];
      if (options !== undefined) this.options[j] = grown(options, capacity);
    }
    this.mus = grown(this.mus, capacity * d);
    this.sigmas = grown(this.sigmas, capacity * d);
    this.invSigmas = grown(this.invSigmas, capacity * d);
    this.logDims = grown(this.logDims, capacity * d);
    this.logKernels = grown(this.logKernels, capacity);
    this.coefs = grown(this.coefs, capacity);
    this.capacity = capacity;
  }

  /** Position of (y, number) in dimension j's sorted values. */
  private lowerBound(j: number, y: number, number: number): number {
    const keys = this.keys[j] as Float64Array;
    const sorted = this.sorted[j] as Int32Array;
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const key = keys[mid] as number;
      if (key < y || (key === y && (this.numbers[sorted[mid] as number] as number) < number)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Adds trial `number` as a new slot. `append`: at the end of every sorted list, left for `sortAll` to
   * order, and no width computed (the caller recomputes them all).
   */
  private insert(number: number, values: Float64Array, append = false): void {
    const { d } = this;
    const k = this.size;
    this.reserve(k + 1);
    if (number >= this.slotOf.length) {
      const slotOf = new Int32Array(Math.max(number + 1, 2 * this.slotOf.length)).fill(-1);
      slotOf.set(this.slotOf);
      this.slotOf = slotOf;
    }
    this.numbers[k] = number;
    this.slotOf[number] = k;
    let at = k;
    while (!append && at > 0 && (this.numbers[this.byNumber[at - 1] as number] as number) > number) {
      this.byNumber[at] = this.byNumber[at - 1] as number;
      at--;
    }
    this.byNumber[at] = k;
    // A slot's normaliser is the sum over its numeric dimensions (none: 0).
    this.logKernels[k] = 0;
    this.coefs[k] = 1;
    const positions: number[] = [];
    for (let j = 0; j < d; j++) {
      const y = this.modelValue(j, values[j] as number);
      this.mus[k * d + j] = y;
      const options = this.options[j];
      if (options !== undefined) {
        options[k] = y;
        this.invSigmas[k * d + j] = 1;
        positions.push(-1);
        continue;
      }
      const p = append ? k : this.lowerBound(j, y, number);
      const keys = this.keys[j] as Float64Array;
      const sorted = this.sorted[j] as Int32Array;
      keys.copyWithin(p + 1, p, this.size);
      sorted.copyWithin(p + 1, p, this.size);
      keys[p] = y;
      sorted[p] = k;
      positions.push(p);
    }
    this.size++;
    // Until the first full computation, and whenever the clip changes, follow() recomputes everything.
    if (this.clipCount < 0 || append) return;
    for (const j of this.numericDims) {
      const p = positions[j] as number;
      for (let q = Math.max(0, p - 1); q <= Math.min(this.size - 1, p + 1); q++) this.updateWidth(j, q, false);
    }
  }

  /** Recomputes the cached width of the element at sorted position `pos` of dimension j. */
  private updateWidth(j: number, pos: number, force: boolean): void {
    const { d, size } = this;
    const keys = this.keys[j] as Float64Array;
    const k = (this.sorted[j] as Int32Array)[pos] as number;
    const y = keys[pos] as number;
    const sigma = this.width(
      j,
      y,
      pos > 0 ? keys[pos - 1] : undefined,
      pos < size - 1 ? keys[pos + 1] : undefined,
      size,
      this.minSigma(j, this.clipCount),
    );
    const at = k * d + j;
    if (this.sigmas[at] === sigma && !force) return;
    this.sigmas[at] = sigma;
    this.invSigmas[at] = 1 / sigma;
    this.logDims[at] = this.logNorm(j, y, sigma);
    let total = 0;
    for (let i = k * d; i < k * d + d; i++) total += this.logDims[i] as number;
    this.logKernels[k] = total;
    this.coefs[k] = Math.exp(total);
  }

  private recomputeAll(): void {
    this.clipCount = this.size;
    for (const j of this.numericDims) for (let pos = 0; pos < this.size; pos++) this.updateWidth(j, pos, true);
  }

  /**
   * g(x) for one suggestion: the cached kernels minus the below trials, plus `extras` (running or failed
   * trials with every group parameter), with the widths that differ patched; `slow` gives the estimator
   * itself (for explanations). Undefined when fewer than two trials are above (the reference is cheap).
   */
  density(split: HistorySplit, extras: readonly Trial[], slow: () => Density): Density | undefined {
    const { d, size } = this;
    if (this.removedMarks.length < size) this.removedMarks = new Uint8Array(2 * size);
    const removed = this.removedMarks;
    removed.fill(0, 0, size);
    const removedSlots: number[] = [];
    for (const number of split.below) {
      const k = number < this.slotOf.length ? (this.slotOf[number] as number) : -1;
      if (k >= 0) {
        removed[k] = 1;
        removedSlots.push(k);
      }
    }
    const removedCount = removedSlots.length;
    const added = extras.filter((trial) => this.names.every((name) => trial.internal[name] !== undefined));
    const n = size - removedCount + added.length;
    if (n < 2) return undefined;
    const addedMus = new Float64Array(added.length * d);
    added.forEach((trial, a) => {
      this.names.forEach((name, j) => {
        addedMus[a * d + j] = this.modelValue(j, trial.internal[name] as number);
      });
    });
    // Categorical dimensions have no widths: 1 stands in (never read).
    const addedSigmas = new Float64Array(added.length * d).fill(1);
    const patches: Patch[] = [];
    // Cached widths hold for the above set except near the trials taken out or added, unless the clip or
    // the end rule differ (small studies): then every width is walked.
    const full = size < 2 || this.clipDiffers(n);
    const input: WalkInput = { n, removed, removedSlots, added, addedMus, addedSigmas, patches };
    for (const j of this.numericDims) {
      if (full) this.walk(j, input);
      else this.sparseWalk(j, input);
    }
    const weights = this.weightsOf(n, removed, added);
    if (d === 1 && this.kinds[0] === CONTINUOUS)
      return this.sortedSumDensity(weights, added, addedMus, addedSigmas, patches, slow);
    const kernels = this.kernels(weights, removed, patches, n);
    const extra = this.addedKernels(weights.added.map(Math.log), added, addedMus, addedSigmas, kernels.mixed);
    const dims = this.indexDims;
    // Built at most once, and only when a call walks it (a gathered history is summed densely without it).
    let built: KernelIndex | undefined;
    const index =
      dims === undefined
        ? undefined
        : (): KernelIndex => {
            built ??= kernelIndex(
              kernels,
              this.sorted[dims[0]] as Int32Array,
              this.sorted[dims[1]] as Int32Array,
              this.size,
              patches,
              dims,
            );
            return built;
          };
    const bounds = this.encodings.map((encoding) =>
      encoding.kind === 'numeric' ? { low: encoding.low, high: encoding.high } : { low: 0, high: 0 },
    );
    return {
      logPdf: (values) => {
        const points = pointsOf(this.encodings, values);
        const saved = patches.map(({ k, j, sigma }) => {
          const at = k * d + j;
          const old = this.invSigmas[at] as number;
          this.invSigmas[at] = 1 / sigma;
          return old;
        });
        kernels.invSigmas = this.invSigmas;
        kernels.mus = this.mus;
        try {
          return evaluateCachedProduct(this.bins, kernels, bounds, points, extra, index);
        } finally {
          patches.forEach(({ k, j }, i) => {
            this.invSigmas[k * d + j] = saved[i] as number;
          });
        }
      },
      sample: (rng, count) => slow().sample(rng, count),
      estimator: () => slow().estimator(),
    };
  }

  /**
   * One dimension: the above kernels in sorted order (kept slots merged with the added trials, the prior
   * at its place) as a windowed Gaussian sum, so each candidate visits only the nearby blocks. hyperopt's
   * exact densities (mixture normaliser, log Jacobian) come from the reference.
   */
  private sortedSumDensity(
    weights: Weights,
    added: readonly Trial[],
    addedMus: Float64Array,
    addedSigmas: Float64Array,
    patches: readonly Patch[],
    slow: () => Density,
  ): Density {
    const { size } = this;
    const encoding = this.encodings[0] as NumericEncoding;
    const marks = this.removedMarks;
    const patched = new Map<number, number>();
    // Marks of patched slots (2), next to the removed ones (1), in the same scratch array.
    for (const { k, sigma } of patches) {
      patched.set(k, sigma);
      marks[k] = 2;
    }
    const total = size + added.length + 1;
    if (this.sumMus.length < total) {
      this.sumMus = new Float64Array(2 * total);
      this.sumSigmas = new Float64Array(2 * total);
      this.sumCoefs = new Float64Array(2 * total);
    }
    const mus = this.sumMus;
    const sigmas = this.sumSigmas;
    const coefs = this.sumCoefs;
    const keys = this.keys[0] as Float64Array;
    const sorted = this.sorted[0] as Int32Array;
    const cached = this.sigmas;
    const cachedCoefs = this.coefs;
    const order = addedOrder(0, 1, added, addedMus);
    const prior = encoding.prior;
    const priorCoef = weights.prior * Math.exp(this.logNorm(0, prior.mu, prior.sigma));
    const { uniform, slot } = weights;
    let out = 0;
    let next = 0;
    let priorDone = false;
    for (let pos = 0; pos <= size; pos++) {
      const k = pos < size ? (sorted[pos] as number) : -1;
      const value = pos < size ? (keys[pos] as number) : Number.POSITIVE_INFINITY;
      if (next < order.length) {
        const number = k >= 0 ? (this.numbers[k] as number) : Number.POSITIVE_INFINITY;
        for (; next < order.length; next++) {
          const a = order[next] as number;
          const v = addedMus[a] as number;
          if (!(v < value || (v === value && (added[a] as Trial).number < number))) break;
          if (!priorDone && prior.mu <= v) {
            priorDone = true;
            mus[out] = prior.mu;
            sigmas[out] = prior.sigma;
            coefs[out++] = priorCoef;
          }
          const sigma = addedSigmas[a] as number;
          mus[out] = v;
          sigmas[out] = sigma;
          coefs[out++] = (weights.added[a] as number) * Math.exp(this.logNorm(0, v, sigma));
        }
      }
      if (k < 0) break;
      const mark = marks[k] as number;
      if (mark === 1) continue;
      if (!priorDone && prior.mu <= value) {
        priorDone = true;
        mus[out] = prior.mu;
        sigmas[out] = prior.sigma;
        coefs[out++] = priorCoef;
      }
      const w = uniform ?? (slot[k] as number);
      mus[out] = value;
      if (mark === 2) {
        const sigma = patched.get(k) as number;
        sigmas[out] = sigma;
        coefs[out++] = w * Math.exp(this.logNorm(0, value, sigma));
      } else {
        sigmas[out] = cached[k] as number;
        coefs[out++] = w * (cachedCoefs[k] as number);
      }
    }
    if (!priorDone) {
      mus[out] = prior.mu;
      sigmas[out] = prior.sigma;
      coefs[out++] = priorCoef;
    }
    const sum = prepareGaussianSum(mus.subarray(0, out), sigmas.subarray(0, out), coefs.subarray(0, out));
    const truncated = this.family.truncated;
    return {
      logPdf: (values, exact) => {
        if (exact && !truncated) return slow().logPdf(values, exact);
        const column = values[0] as ArrayLike<number>;
        const result = new Float64Array(column.length);
        for (let i = 0; i < column.length; i++) {
          const y = encoding.toModel(column[i] as number);
          result[i] =
            truncated && (y < encoding.low || y > encoding.high) ? Number.NEGATIVE_INFINITY : logGaussianSum(sum, y);
        }
        return result;
      },
      sample: (rng, count) => slow().sample(rng, count),
      estimator: () => slow().estimator(),
    };
  }

  /**
   * One walk over dimension j's above values in sorted order (cached minus removed, merged with the
   * added ones by value then trial number): the width of every element by the neighbour rule, patched
   * where it differs from the cache, stored for the added ones.
   */
  private walk(j: number, input: WalkInput): void {
    const { n, removed, added, addedMus, addedSigmas, patches } = input;
    const { d, size } = this;
    const { keys, sorted, minSigma } = this.view(j, n);
    const order = addedOrder(j, d, added, addedMus);
    let pos = 0;
    let next = 0;
    /** The next element: a slot (≥ 0), an added one (−1 − a), or undefined at the end; its value in `value`. */
    let value = 0;
    const advance = (): number | undefined => {
      while (pos < size && removed[sorted[pos] as number] === 1) pos++;
      const slotValue = pos < size ? (keys[pos] as number) : Number.POSITIVE_INFINITY;
      const a = order[next];
      if (a !== undefined) {
        const addedValue = addedMus[a * d + j] as number;
        const slotNumber = pos < size ? (this.numbers[sorted[pos] as number] as number) : Number.POSITIVE_INFINITY;
        if (addedValue < slotValue || (addedValue === slotValue && (added[a] as Trial).number < slotNumber)) {
          next++;
          value = addedValue;
          return -1 - a;
        }
      }
      if (pos >= size) return undefined;
      value = slotValue;
      return sorted[pos++] as number;
    };
    let previous: number | undefined;
    let current = advance();
    let currentValue = value;
    while (current !== undefined) {
      const following = advance();
      const followingValue = value;
      const sigma = this.width(
        j,
        currentValue,
        previous,
        following === undefined ? undefined : followingValue,
        n,
        minSigma,
      );
      if (current < 0) addedSigmas[(-1 - current) * d + j] = sigma;
      else if (this.sigmas[current * d + j] !== sigma) patches.push({ k: current, j, sigma });
      previous = currentValue;
      current = following;
      currentValue = followingValue;
    }
  }

  /**
   * The widths of dimension j that can differ from the cache: the above neighbours of every removed and
   * added trial, the added trials themselves and the two ends; O((removed + added) · log n).
   */
  private sparseWalk(j: number, input: WalkInput): void {
    const { n, removed, removedSlots, added, addedMus, addedSigmas, patches } = input;
    const { d, size } = this;
    const { keys, sorted, minSigma } = this.view(j, n);
    const order = addedOrder(j, d, added, addedMus);
    const addedValue = (rank: number) => addedMus[(order[rank] as number) * d + j] as number;
    const addedNumber = (rank: number) => (added[order[rank] as number] as Trial).number;
    const previousKept = (position: number): number => {
      let q = position - 1;
      while (q >= 0 && removed[sorted[q] as number] === 1) q--;
      return q;
    };
    const nextKept = (position: number): number => {
      let q = position + 1;
      while (q < size && removed[sorted[q] as number] === 1) q++;
      return q;
    };
    /** The ranks of the added trials around (value, number): last one before and first one after. */
    const addedAround = (value: number, number: number, self: boolean): [number, number] => {
      let before = -1;
      for (let r = 0; r < order.length; r++) {
        const v = addedValue(r);
        if (v < value || (v === value && addedNumber(r) < number)) before = r;
      }
      return [before, self ? before + 2 : before + 1];
    };
    const widthAt = (value: number, number: number, position: number, after: number, self: boolean): number => {
      const [before, next] = addedAround(value, number, self);
      const keptBefore = previousKept(position);
      const keptAfter = after;
      let previous = keptBefore >= 0 ? (keys[keptBefore] as number) : undefined;
      if (before >= 0 && (previous === undefined || addedValue(before) > previous)) previous = addedValue(before);
      let following = keptAfter < size ? (keys[keptAfter] as number) : undefined;
      if (next < order.length && (following === undefined || addedValue(next) < following))
        following = addedValue(next);
      return this.width(j, value, previous, following, n, minSigma);
    };
    // The positions to walk, each once, in the order first touched (marks instead of a Set: the Set's adds
    // were a tenth of this walk).
    if (this.touchMarks.length < size) this.touchMarks = new Uint8Array(2 * size);
    const marks = this.touchMarks;
    const touched: number[] = [];
    const touch = (position: number) => {
      if (position < 0 || position >= size || marks[position] === 1) return;
      marks[position] = 1;
      touched.push(position);
    };
    touch(nextKept(-1));
    touch(previousKept(size));
    for (const k of removedSlots) {
      const position = this.lowerBound(j, this.mus[k * d + j] as number, this.numbers[k] as number);
      touch(previousKept(position));
      touch(nextKept(position));
    }
    for (let r = 0; r < order.length; r++) {
      const value = addedValue(r);
      const insertion = this.lowerBound(j, value, addedNumber(r));
      touch(previousKept(insertion));
      touch(nextKept(insertion - 1));
      const a = order[r] as number;
      addedSigmas[a * d + j] = widthAt(value, addedNumber(r), insertion, nextKept(insertion - 1), true);
    }
    for (const position of touched) {
      marks[position] = 0;
      const k = sorted[position] as number;
      const sigma = widthAt(keys[position] as number, this.numbers[k] as number, position, nextKept(position), false);
      if (this.sigmas[k * d + j] !== sigma) patches.push({ k, j, sigma });
    }
  }

  /** Normalised weights of the above observations by trial number: uniform, or linear forgetting by rank. */
  private weightsOf(n: number, removed: Uint8Array, added: readonly Trial[]): Weights {
    const { forgetting, priorWeight } = this.settings;
    const addedWeights = new Float64Array(added.length);
    if (forgetting === 0 || n <= forgetting) {
      const uniform = 1 / (n + priorWeight);
      addedWeights.fill(uniform);
      return { uniform, slot: this.slotWeights, added: addedWeights, prior: priorWeight * uniform };
    }
    this.slotWeights = grown(this.slotWeights, this.size);
    const weights = this.slotWeights;
    const addedOrder = added.map((_, a) => a).sort((a, b) => (added[a] as Trial).number - (added[b] as Trial).number);
    let total = priorWeight;
    let rank = 0;
    let next = 0;
    for (let i = 0; i <= this.size; i++) {
      const k = i < this.size ? (this.byNumber[i] as number) : -1;
      const number = k >= 0 ? (this.numbers[k] as number) : Number.POSITIVE_INFINITY;
      for (; next < addedOrder.length && (added[addedOrder[next] as number] as Trial).number < number; next++) {
        const w = linearForgettingWeight(rank++, n, forgetting);
        addedWeights[addedOrder[next] as number] = w;
        total += w;
      }
      if (k < 0) continue;
      if (removed[k] === 1) {
        weights[k] = 0;
        continue;
      }
      const w = linearForgettingWeight(rank++, n, forgetting);
      weights[k] = w;
      total += w;
    }
    const scale = 1 / total;
    for (let k = 0; k < this.size; k++) weights[k] = (weights[k] as number) * scale;
    for (let a = 0; a < added.length; a++) addedWeights[a] = (addedWeights[a] as number) * scale;
    return { slot: weights, added: addedWeights, prior: priorWeight * scale };
  }

  /**
   * The categorical dimensions of this suggestion's kernels (n above observations: the rows' keep), each
   * with the options of `options(j)`; undefined when every dimension is numeric.
   */
  private mixed(n: number, options: (j: number) => Int32Array): MixedDimensions | undefined {
    const categorical = this.encodings.map((encoding, j): CategoricalKernels | undefined =>
      encoding.kind === 'categorical'
        ? {
            kind: 'categorical',
            prior: this.categoricalPriors[j] as Float64Array,
            options: options(j),
            keep: this.family.categoricalKeep(encoding, n, this.settings),
          }
        : undefined,
    );
    return mixedDimensions(this.kinds, categorical);
  }

  /** The cached kernels for this suggestion: log coefficients with removed slots at −∞, patches applied, the prior last. */
  private kernels(weights: Weights, removed: Uint8Array, patches: readonly Patch[], n: number): ProductKernels {
    const { d, size } = this;
    this.reserve(size + 1);
    // Reused from suggestion to suggestion (a fresh array of the study's size per call cost as much as filling it).
    this.logCoefs = grown(this.logCoefs, size + 1);
    const logCoefs = this.logCoefs.subarray(0, size + 1);
    const { logKernels } = this;
    if (weights.uniform !== undefined) {
      const logWeight = Math.log(weights.uniform);
      for (let k = 0; k < size; k++)
        logCoefs[k] = removed[k] === 1 ? Number.NEGATIVE_INFINITY : logWeight + (logKernels[k] as number);
    } else
      for (let k = 0; k < size; k++)
        logCoefs[k] =
          removed[k] === 1 ? Number.NEGATIVE_INFINITY : Math.log(weights.slot[k] as number) + (logKernels[k] as number);
    for (const { k, j, sigma } of patches) {
      const at = k * d + j;
      logCoefs[k] =
        (logCoefs[k] as number) - (this.logDims[at] as number) + this.logNorm(j, this.mus[at] as number, sigma);
    }
    let prior = Math.log(weights.prior);
    for (const j of this.numericDims) {
      const kernel = (this.encodings[j] as NumericEncoding).prior;
      this.mus[size * d + j] = kernel.mu;
      this.invSigmas[size * d + j] = 1 / kernel.sigma;
      prior += this.logNorm(j, kernel.mu, kernel.sigma);
    }
    logCoefs[size] = prior;
    // The prior component's row in a categorical dimension is p0 itself (option −1).
    const mixed = this.mixed(n, (j) => {
      const options = this.options[j] as Int32Array;
      options[size] = -1;
      return options;
    });
    const kernels = { d, size: size + 1, mus: this.mus, invSigmas: this.invSigmas, logCoefs };
    return mixed === undefined ? kernels : { ...kernels, mixed };
  }

  /** The kernels of the added (running or failed) trials; `mixed`: the cached kernels' categorical dimensions. */
  private addedKernels(
    weights: Float64Array,
    added: readonly Trial[],
    mus: Float64Array,
    sigmas: Float64Array,
    mixed: MixedDimensions | undefined,
  ): ProductKernels {
    const { d } = this;
    const count = weights.length;
    const logCoefs = new Float64Array(count);
    for (let a = 0; a < count; a++) {
      let total = weights[a] as number;
      for (let j = 0; j < d; j++) total += this.logNorm(j, mus[a * d + j] as number, sigmas[a * d + j] as number);
      logCoefs[a] = total;
    }
    const kernels = { d, size: count, mus, invSigmas: sigmas.map((s) => 1 / s), logCoefs };
    if (mixed === undefined) return kernels;
    const categorical = mixed.categorical.map((dimension, j) =>
      dimension === undefined
        ? undefined
        : { ...dimension, options: Int32Array.from(added, (_, a) => mus[a * d + j] as number) },
    );
    return { ...kernels, mixed: { ...mixed, categorical } };
  }
}
