import { SQRT_2PI } from '@parzen/engine/plugin';
import type { ParamColumn } from '../../history/param-column.js';
import { SortedPairs } from '../../history/sorted-pairs.js';
import { HermiteMoments } from '../../math/hermite-moments.js';
import type { NumericEncoding } from '../encoding.js';
import type { FamilyKernels } from '../family.js';
import { logKernelMass } from '../parzen-estimator.js';

/** Growable typed arrays. */
export const grown = <T extends Float64Array | Int32Array | Uint8Array>(array: T, size: number): T => {
  if (size <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(size, 2 * array.length));
  next.set(array);
  return next;
};

/** The first index of `sorted[0, size)` whose number is greater than `number`. */
export const countAtMost = (sorted: Int32Array, size: number, number: number): number => {
  let lo = 0;
  let hi = size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= number) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/**
 * The cache's observations in trial-number order, for weights by arrival rank (linear forgetting). Two
 * more fixed-width sums next to the plain one: Σ idx_k·c_k·K_k, idx_k the observation's position in
 * number order, and Σ s_k·c_k·K_k, s_k how many of the current boundaries lie before it (a below trial
 * counts +1, a running or failed trial that joins g counts −1). An observation's rank in the above set
 * is then idx_k − s_k, so a weight affine in the rank is a combination of the three sums. With a
 * `window`, the newest that many by number are held at weight 1 in a sum of their own ({@link newest})
 * instead (linear forgetting weighs its newest 1): the plain sum given to the constructor and the two
 * above hold the older ones only. Kernels taken out ({@link hold}) are in none.
 */
export class RankedObservations {
  /** How many observations are held (the arrays are valid up to it). */
  size = 0;
  /** Trial numbers ascending, and each one's model value and fixed-width coefficient. */
  numbers = new Int32Array(64);
  /** Each observation's model value, aligned with `numbers`. */
  ys = new Float64Array(64);
  /** Each observation's fixed-width coefficient, by index in `numbers`. */
  coefByIndex = new Float64Array(64);
  /** 1 where the observation's kernel is in the sums (by index in `numbers`), 0 where it is held out ({@link hold}). */
  inSums = new Uint8Array(64);
  /** The sum Σ idx_k·c_k·K_k, idx_k the observation's position in number order. */
  readonly byIndex: HermiteMoments;
  /** The sum Σ s_k·c_k·K_k, s_k the net count of the boundaries before the observation. */
  readonly byShift: HermiteMoments;
  /** The boundaries `byShift` holds: trial number → net count (+1 below, −1 joining g). */
  private boundaries = new Map<number, number>();
  /**
   * Each held trial's index in `numbers`, by trial number, while every trial was added after the ones held
   * (trials finish in order); an insertion among them leaves it stale, and {@link indexOf} rebuilds it once.
   */
  private indexByNumber = new Int32Array(64);
  private indexStale = false;
  /** The trials {@link setBoundaryTrials} was last given. */
  private lastRemoved: Int32Array | undefined;
  private lastAdded: Int32Array | undefined;

  /** The sum of the newest {@link window} observations' kernels (weight 1). */
  readonly newest: HermiteMoments;

  constructor(
    low: number,
    high: number,
    h: number,
    /** How many of the newest by number are held in {@link newest} (0: none). */
    readonly window = 0,
    /** The plain sum Σ c_k·K_k of the older observations, kept here too (undefined: kept by the caller). */
    private readonly plain?: HermiteMoments,
  ) {
    this.byIndex = new HermiteMoments(low, high, h);
    this.byShift = new HermiteMoments(low, high, h);
    this.newest = new HermiteMoments(low, high, h);
  }

  /** Whether the observation at index q is in the newest window. */
  inWindow(q: number): boolean {
    return q >= this.size - this.window;
  }

  /** Adds (sign 1) or removes (−1) the observation at index q to or from the sums its place puts it in. */
  private place(q: number, sign: 1 | -1): void {
    const y = this.ys[q] as number;
    const coef = sign * (this.coefByIndex[q] as number);
    if (this.window > 0 && this.inWindow(q)) {
      this.newest.add(y, coef, sign);
      return;
    }
    this.plain?.add(y, coef, sign);
    this.byIndex.add(y, q * coef, sign);
    this.byShift.add(y, this.shiftOf(this.numbers[q] as number) * coef, sign);
  }

  /** Adds an observation: later numbers move up one index (usually none: trials finish in order). */
  insert(number: number, y: number, coef: number): void {
    const size = this.size;
    this.numbers = grown(this.numbers, size + 1);
    this.ys = grown(this.ys, size + 1);
    this.coefByIndex = grown(this.coefByIndex, size + 1);
    this.inSums = grown(this.inSums, size + 1);
    let at = size;
    while (at > 0 && (this.numbers[at - 1] as number) > number) at--;
    // The window moves up one: the oldest of it leaves unless the new one goes in below it (later ones
    // move up one index with the window, so stay in or out of it).
    const oldest = size - this.window;
    const leaves = this.window > 0 && oldest >= 0 && oldest < at && this.inSums[oldest] === 1;
    if (leaves) this.newest.add(this.ys[oldest] as number, -(this.coefByIndex[oldest] as number), -1);
    for (let q = size; q > at; q--) {
      this.numbers[q] = this.numbers[q - 1] as number;
      this.ys[q] = this.ys[q - 1] as number;
      this.coefByIndex[q] = this.coefByIndex[q - 1] as number;
      this.inSums[q] = this.inSums[q - 1] as number;
      if (this.inSums[q] === 1 && !(this.window > 0 && q >= size + 1 - this.window))
        this.byIndex.add(this.ys[q] as number, this.coefByIndex[q] as number, 0);
    }
    this.numbers[at] = number;
    this.ys[at] = y;
    this.coefByIndex[at] = coef;
    this.inSums[at] = 1;
    this.size = size + 1;
    if (at < size) this.indexStale = true;
    else if (!this.indexStale) {
      this.indexByNumber = grown(this.indexByNumber, number + 1);
      this.indexByNumber[number] = at;
    }
    if (leaves) this.place(oldest, 1);
    this.place(at, 1);
  }

  /** The net count of the boundaries before trial `number`. */
  private shiftOf(number: number): number {
    let shift = 0;
    for (const [boundary, count] of this.boundaries) if (boundary < number) shift += count;
    return shift;
  }

  /**
   * Takes trial `number`'s kernel out of the sums (`sign` −1) or puts it back (+1): the cache holds a kernel
   * wider than h outside them.
   */
  hold(number: number, sign: 1 | -1): void {
    const q = this.indexOf(number);
    const inSums = this.inSums[q] === 1;
    if (inSums === (sign === 1)) return;
    this.place(q, sign);
    this.inSums[q] = sign === 1 ? 1 : 0;
  }

  /**
   * How many held trials have a number below `number`: the index of a held trial in `numbers` (read from
   * the index by number), where any other number would go (a binary search).
   */
  indexOf(number: number): number {
    if (this.indexStale) {
      this.indexByNumber = new Int32Array(Math.max(64, (this.numbers[this.size - 1] ?? 0) + 1));
      for (let q = 0; q < this.size; q++) this.indexByNumber[this.numbers[q] as number] = q;
      this.indexStale = false;
    }
    if (number < this.indexByNumber.length) {
      const at = this.indexByNumber[number] as number;
      if (at < this.size && this.numbers[at] === number) return at;
    }
    return countAtMost(this.numbers, this.size, number - 1);
  }

  /**
   * Moves `byShift` to the boundaries of these below trials (+1 each) and trials joining g (−1 each), both
   * ascending: {@link setBoundaries}, skipped when they are the last call's (most suggestions: the below set
   * changes only when a trial enters it, and every parameter's cache is asked in turn).
   */
  setBoundaryTrials(removed: Int32Array, added: Int32Array): void {
    const same = (a: Int32Array, b: Int32Array | undefined) =>
      b !== undefined && a.length === b.length && a.every((number, i) => number === b[i]);
    if (same(removed, this.lastRemoved) && same(added, this.lastAdded)) return;
    const boundaries = new Map<number, number>();
    for (const number of removed) boundaries.set(number, (boundaries.get(number) ?? 0) + 1);
    for (const number of added) boundaries.set(number, (boundaries.get(number) ?? 0) - 1);
    this.setBoundaries(boundaries);
    this.lastRemoved = removed;
    this.lastAdded = added;
  }

  /**
   * Moves `byShift` to the given boundaries: for each boundary whose count changed, the observations after
   * it are re-weighted. Boundaries come and go near the end of the study (new best trials, running ones),
   * so this is usually a few kernels.
   */
  setBoundaries(next: ReadonlyMap<number, number>): void {
    this.lastRemoved = undefined;
    this.lastAdded = undefined;
    const changes = new Map<number, number>();
    for (const [number, count] of next) changes.set(number, count - (this.boundaries.get(number) ?? 0));
    for (const [number, count] of this.boundaries) if (!next.has(number)) changes.set(number, -count);
    for (const [number, delta] of changes) {
      if (delta === 0) continue;
      const end = this.window > 0 ? Math.max(0, this.size - this.window) : this.size;
      for (let q = countAtMost(this.numbers, this.size, number); q < end; q++)
        if (this.inSums[q] === 1) this.byShift.add(this.ys[q] as number, delta * (this.coefByIndex[q] as number), 0);
    }
    this.boundaries = new Map(next);
  }
}

/** Beyond this many observations folded in at once their widths are worked out by one walk over all. */
const LOCAL_FOLDS = 32;

/**
 * A parameter's finished observations kept up to date one trial at a time, each kernel at its width among
 * all folded observations: those of width h (the smallest width the clip allows, which almost every kernel
 * has once n ≥ 98) as one truncated fixed-width sum in Hermite moments, the few wider ones (where a
 * neighbour is more than h away) held outside it at their own width; plus the observations sorted in model
 * space. Per suggestion the above density is this sum and the wider kernels minus the below kernels, with
 * the widths next to a below or added observation corrected directly (`hermiteAboveDensity`). With
 * `ranked`, the observations are also kept by trial number for weights by rank ({@link RankedObservations}).
 */
export class AboveKdeCache {
  /** The fixed kernel width, in model space. */
  readonly h: number;
  /** The sum of the folded observations' kernels of width h (every one held at h), in Hermite moments. */
  readonly moments: HermiteMoments;
  /** (model value, trial number) of every folded observation. */
  readonly sorted = new SortedPairs();
  /** The observations by trial number too, for weights by rank; undefined when not asked for. */
  readonly ranked: RankedObservations | undefined;
  /** Scratch: one suggestion's combination of the sums (weights by rank). */
  readonly combined: HermiteMoments | undefined;
  /**
   * Moves whenever something a density made from this cache reads changes: observations folded in
   * ({@link follow}), or a newer density's combination of the sums and correction lists. A density made at
   * one version answers from its exact density at any other (`hermiteAboveDensity`).
   */
  version = 0;
  /** How many observations are folded in: the next one's slot. */
  private folded = 0;
  /**
   * Each folded observation's slot (the order it was folded in), by trial number: the one array sized by
   * the largest trial number (4 bytes a trial); what is kept per observation is indexed by slot.
   */
  private slotByNumber = new Int32Array(64);
  /** Each folded observation's fixed-width coefficient ({@link coefficient} at its value and h), by slot. */
  private coefBySlot = new Float64Array(64);
  /** The width and coefficient {@link widthCoefficient} last gave each folded observation, by slot (width 0: none yet). */
  private wideSigmaBySlot = new Float64Array(64);
  private wideCoefBySlot = new Float64Array(64);
  /**
   * Each folded observation's width among all folded observations (its neighbours in {@link sorted}), by
   * slot: h for the kernels in the sums, a wider one for those held outside them ({@link wide}).
   */
  private heldSigmaBySlot = new Float64Array(64);
  /** Each folded observation's model value and trial number, by slot. */
  private yBySlot = new Float64Array(64);
  private numberBySlot = new Int32Array(64);
  /** The slots of the kernels wider than h, held outside the sums (valid up to {@link wideCount}). */
  private wideSlots = new Int32Array(64);
  /** Each slot's place in {@link wideSlots}, or −1. */
  private wideAtBySlot = new Int32Array(64);
  /** How many kernels are held outside the sums. */
  wideCount = 0;

  constructor(
    /** The parameter's encoding: its model space and support. */
    readonly encoding: NumericEncoding,
    h: number,
    /** Linear forgetting's constant: observations kept by rank, the newest this many at weight 1 (0: neither). */
    forgetting: number,
    /** The density family's kernels: their widths, prior and truncation. */
    readonly kernels: FamilyKernels,
  ) {
    this.h = h;
    this.moments = new HermiteMoments(encoding.low, encoding.high, h);
    const ranked = forgetting > 0;
    this.ranked = ranked ? new RankedObservations(encoding.low, encoding.high, h, forgetting, this.moments) : undefined;
    this.combined = ranked ? new HermiteMoments(encoding.low, encoding.high, h) : undefined;
  }

  /**
   * The coefficient of a kernel of width σ at μ: 1/(σ√(2π)·Z), Z its mass inside the bounds (Optuna's
   * kernels), or 1/(σ√(2π)) (hyperopt's, whose mixture is cut as a whole).
   */
  coefficient(mu: number, sigma: number): number {
    if (!this.kernels.truncated) return 1 / (sigma * SQRT_2PI);
    return Math.exp(-logKernelMass(mu, sigma, this.encoding.low, this.encoding.high)) / (sigma * SQRT_2PI);
  }

  /** The coefficient of width h of trial `number`'s folded observation: {@link coefficient} at its value and h, kept. */
  foldedCoefficient(number: number): number {
    return this.coefBySlot[this.slotByNumber[number] as number] as number;
  }

  /**
   * {@link coefficient} of trial `number`'s folded observation (at `y`) with width σ, kept from the last call
   * for that trial: a kernel wider than h keeps its width from one suggestion to the next unless a
   * neighbour changes.
   */
  widthCoefficient(number: number, y: number, sigma: number): number {
    const slot = this.slotByNumber[number] as number;
    if (this.wideSigmaBySlot[slot] === sigma) return this.wideCoefBySlot[slot] as number;
    const coef = this.coefficient(y, sigma);
    this.wideSigmaBySlot[slot] = sigma;
    this.wideCoefBySlot[slot] = coef;
    return coef;
  }

  /** The slot of trial `number`'s folded observation (the order it was folded in, 0 to the number folded). */
  slotOf(number: number): number {
    return this.slotByNumber[number] as number;
  }

  /** The width trial `number`'s kernel is held at: h (in the sums) or its own, wider (outside them). */
  heldWidth(number: number): number {
    return this.heldSigmaBySlot[this.slotByNumber[number] as number] as number;
  }

  /** The trial number of the i-th kernel held outside the sums (i < {@link wideCount}). */
  wideNumber(i: number): number {
    return this.numberBySlot[this.wideSlots[i] as number] as number;
  }

  /** Its model value. */
  wideValue(i: number): number {
    return this.yBySlot[this.wideSlots[i] as number] as number;
  }

  /** Its width. */
  wideWidth(i: number): number {
    return this.heldSigmaBySlot[this.wideSlots[i] as number] as number;
  }

  /**
   * Works out the width of the observation at `at` in {@link sorted} among all folded observations; a kernel
   * whose width leaves h is taken out of the sums and held at its own, one whose width comes back to h is
   * put back.
   */
  private holdAt(at: number, size: number): void {
    if (at < 0 || at >= size) return;
    const keys = this.sorted.keys;
    const y = keys[at] as number;
    const number = this.sorted.tags[at] as number;
    const previous = at > 0 ? keys[at - 1] : undefined;
    const next = at < size - 1 ? keys[at + 1] : undefined;
    const sigma = this.kernels.neighbourWidth(this.encoding, y, previous, next, size, this.h);
    const slot = this.slotByNumber[number] as number;
    const held = this.heldSigmaBySlot[slot] as number;
    if (sigma === held) return;
    this.heldSigmaBySlot[slot] = sigma;
    const coef = this.coefBySlot[slot] as number;
    if (held === this.h) {
      // Out of the sums, into the wide list.
      if (this.ranked === undefined) this.moments.add(y, -coef, -1);
      else this.ranked.hold(number, -1);
      this.wideSlots = grown(this.wideSlots, this.wideCount + 1);
      this.wideAtBySlot[slot] = this.wideCount;
      this.wideSlots[this.wideCount++] = slot;
    } else if (sigma === this.h) {
      // Back into the sums, out of the wide list (the last one takes its place).
      if (this.ranked === undefined) this.moments.add(y, coef, 1);
      else this.ranked.hold(number, 1);
      const place = this.wideAtBySlot[slot] as number;
      const last = this.wideSlots[--this.wideCount] as number;
      this.wideSlots[place] = last;
      this.wideAtBySlot[last] = place;
      this.wideAtBySlot[slot] = -1;
    }
  }

  /** Folds in the observations the column gained since the last call. */
  follow(column: ParamColumn): void {
    const first = this.folded;
    if (first >= column.insertedNumbers.length) return;
    this.version++;
    for (; this.folded < column.insertedNumbers.length; this.folded++) {
      const y = this.encoding.toModel(column.insertedValues[this.folded] as number);
      const number = column.insertedNumbers[this.folded] as number;
      const coef = this.coefficient(y, this.h);
      const slot = this.folded;
      this.slotByNumber = grown(this.slotByNumber, number + 1);
      this.slotByNumber[number] = slot;
      this.coefBySlot = grown(this.coefBySlot, slot + 1);
      this.wideSigmaBySlot = grown(this.wideSigmaBySlot, slot + 1);
      this.wideCoefBySlot = grown(this.wideCoefBySlot, slot + 1);
      this.heldSigmaBySlot = grown(this.heldSigmaBySlot, slot + 1);
      this.yBySlot = grown(this.yBySlot, slot + 1);
      this.numberBySlot = grown(this.numberBySlot, slot + 1);
      this.wideAtBySlot = grown(this.wideAtBySlot, slot + 1);
      this.coefBySlot[slot] = coef;
      this.heldSigmaBySlot[slot] = this.h;
      this.yBySlot[slot] = y;
      this.numberBySlot[slot] = number;
      this.wideAtBySlot[slot] = -1;
      if (this.ranked === undefined) this.moments.add(y, coef);
      else this.ranked.insert(number, y, coef);
      this.sorted.insert(y, number);
    }
    // Widths change only at the new observations and their neighbours: those few are worked out again,
    // or every one when many came at once (a study loaded).
    const size = this.sorted.size;
    const count = this.folded - first;
    if (count > LOCAL_FOLDS) {
      for (let at = 0; at < size; at++) this.holdAt(at, size);
      return;
    }
    for (let slot = first; slot < this.folded; slot++) {
      const at = this.sorted.lowerBound(this.yBySlot[slot] as number, this.numberBySlot[slot] as number);
      this.holdAt(at - 1, size);
      this.holdAt(at, size);
      this.holdAt(at + 1, size);
    }
  }
}
