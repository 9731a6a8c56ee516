import { fastExpNonPositive } from '../../math/fast-exp.js';
import type { HermiteMoments } from '../../math/hermite-moments.js';
import type { Density } from '../density.js';
import { type AboveKdeCache, grown, type RankedObservations } from './above-kde-cache.js';
import { type RankWeighting, rankedWeighting, uniformWeighting, type Weighting } from './rank-weights.js';

/** What one suggestion changes against the cache: trials taken out (below) and added (running, failed). */
export interface AboveChanges {
  /** The below observations the cache holds (they leave the sum), as (internal value, number). */
  readonly removed: readonly { readonly number: number; readonly value: number }[];
  /** Observations that join the above set without being in the cache, as (internal value, number). */
  readonly added: readonly { readonly number: number; readonly value: number }[];
  readonly priorWeight: number;
  /** The family's smallest width for n above observations (the cache applies when it is h). */
  minSigma(n: number): number;
  /** Linear forgetting's constant: the newest this many weigh 1, older ones ramp (0: uniform weights). */
  readonly forgetting: number;
}

/** Cancellation guard: beyond this ratio of removed to remaining mass the slow path is used. */
const CANCELLATION = 1e6;

const NO_ADDED = new Uint8Array(0);

/** Kernels evaluated directly, in one growable typed array of (centre, 1/σ, coefficient) triples. */
class KernelList {
  size = 0;
  data: Float64Array;

  constructor(capacity: number) {
    this.data = new Float64Array(3 * capacity);
  }

  /** Empties the list, keeping its room. */
  clear(): void {
    this.size = 0;
  }

  push(mu: number, sigma: number, coef: number): void {
    let at = 3 * this.size;
    if (at === this.data.length) {
      const data = new Float64Array(Math.max(96, 2 * this.data.length));
      data.set(this.data);
      this.data = data;
    }
    this.data[at++] = mu;
    this.data[at++] = 1 / sigma;
    this.data[at] = coef;
    this.size++;
  }
}

/** Beyond this many widths h from a bin's nearest point its kernels weigh below e^−40 (2^−57) of their peak. */
const FAR = Math.sqrt(80);

/**
 * The mass taken out of a decision's own moments (kernels of width h subtracted there), by bin, for the
 * cancellation guard: {@link bound} is at least what those kernels sum to at a point.
 */
export class TakenMass {
  private readonly mass: Float64Array;
  private readonly touched: Int32Array;
  private count = 0;
  /** The whole mass taken out. */
  total = 0;

  constructor(private readonly grid: HermiteMoments) {
    this.mass = new Float64Array(grid.bins);
    this.touched = new Int32Array(grid.bins);
  }

  clear(): void {
    for (let i = 0; i < this.count; i++) this.mass[this.touched[i] as number] = 0;
    this.count = 0;
    this.total = 0;
  }

  /** Records a kernel of width h at μ with coefficient c > 0 taken out. */
  take(mu: number, c: number): void {
    if (!(c > 0)) return;
    const b = this.grid.binOf(mu);
    if (this.mass[b] === 0) this.touched[this.count++] = b;
    this.mass[b] = (this.mass[b] as number) + c;
    this.total += c;
  }

  /** An upper bound of Σ c·exp(−½((y − μ)/h)²) over the kernels taken out. */
  bound(y: number): number {
    const { grid, mass, touched } = this;
    const { h, low, width } = grid;
    let total = 0;
    let far = 0;
    for (let i = 0; i < this.count; i++) {
      const b = touched[i] as number;
      // A kernel of the bin lies within h of its centre (or beyond the grid's ends, clamped into its end bins).
      const centre = low + (b + 0.5) * width;
      const lo = b === 0 ? Number.NEGATIVE_INFINITY : centre - 0.5 * width;
      const hi = b === grid.bins - 1 ? Number.POSITIVE_INFINITY : centre + 0.5 * width;
      const d = (y < lo ? lo - y : y > hi ? y - hi : 0) / h;
      if (d > FAR) far += mass[b] as number;
      else total += (mass[b] as number) * Math.exp(-0.5 * d * d);
    }
    return total + far * Math.exp(-0.5 * FAR * FAR);
  }
}

/**
 * Each cache's correction lists, reused from one suggestion to the next (a new pair per decision cost
 * more than the corrections themselves). Refilling them moves the cache's version: a density made before
 * finds its lists refilled and answers from its exact density instead.
 */
interface Scratch {
  readonly added: KernelList;
  readonly removed: KernelList;
  readonly taken: TakenMass;
  /** A mark per observation, kept (a fresh typed array per decision cost more than the marking). */
  marks: Uint8Array;
  /** Per folded observation (by the cache's slot): {@link BELOW}, {@link WIDENED}, cleared for each decision. */
  flags: Uint8Array;
  /** The slots flagged, for clearing (valid up to `flaggedCount`). */
  flagged: Int32Array;
  flaggedCount: number;
}

/** A flag of {@link Scratch}: the observation is a below one (it leaves the sums). */
const BELOW = 1;
/** A flag of {@link Scratch}: the observation's fixed-width kernel is corrected already (taken out, re-added at its width). */
const WIDENED = 2;

/** Sets a flag of trial `number`'s folded observation for this decision. */
const flag = (scratch: Scratch, cache: AboveKdeCache, number: number, bit: number): void => {
  const slot = cache.slotOf(number);
  const flags = scratch.flags;
  if (flags[slot] === 0) {
    scratch.flagged = grown(scratch.flagged, scratch.flaggedCount + 1);
    scratch.flagged[scratch.flaggedCount++] = slot;
  }
  flags[slot] = (flags[slot] as number) | bit;
};

/** Whether trial `number`'s folded observation has a flag for this decision. */
const flagged = (scratch: Scratch, cache: AboveKdeCache, number: number, bit: number): boolean =>
  ((scratch.flags[cache.slotOf(number)] as number) & bit) !== 0;
const scratches = new WeakMap<AboveKdeCache, Scratch>();

const scratchOf = (cache: AboveKdeCache): Scratch => {
  let scratch = scratches.get(cache);
  if (scratch === undefined) {
    scratch = {
      added: new KernelList(64),
      removed: new KernelList(64),
      taken: new TakenMass(cache.moments),
      marks: new Uint8Array(64),
      flags: new Uint8Array(64),
      flagged: new Int32Array(64),
      flaggedCount: 0,
    };
    scratches.set(cache, scratch);
  }
  for (let i = 0; i < scratch.flaggedCount; i++) scratch.flags[scratch.flagged[i] as number] = 0;
  scratch.flaggedCount = 0;
  scratch.flags = grown(scratch.flags, cache.sorted.size);
  scratch.added.clear();
  scratch.removed.clear();
  scratch.taken.clear();
  cache.version++;
  return scratch;
};

/**
 * Beyond 10 widths a kernel weighs below e^−50 (2e−22) of its peak: far less than an ulp of g(x), which
 * the prior's kernel (as wide as the range) keeps above a few hundredths of any kernel's peak.
 */
const FAR_Z2 = 100;

/**
 * Σ_k c_k · exp(−½((y − μ_k)/σ_k)²) of both lists in one pass (kernels more than 10 widths away left out) (two independent sums the CPU overlaps), each
 * added up in its own order; the results go to `out[0]` and `out[1]`.
 */
const sumsOfTwo = (first: KernelList, second: KernelList, y: number, out: Float64Array): void => {
  const a = first.data;
  const b = second.data;
  const endA = 3 * first.size;
  const endB = 3 * second.size;
  const common = Math.min(endA, endB);
  let totalA = 0;
  let totalB = 0;
  let k = 0;
  for (; k < common; k += 3) {
    const za = (y - (a[k] as number)) * (a[k + 1] as number);
    const zb = (y - (b[k] as number)) * (b[k + 1] as number);
    totalA += (a[k + 2] as number) * fastExpNonPositive(-0.5 * za * za);
    totalB += (b[k + 2] as number) * fastExpNonPositive(-0.5 * zb * zb);
  }
  for (let j = k; j < endA; j += 3) {
    const z = (y - (a[j] as number)) * (a[j + 1] as number);
    if (z * z < FAR_Z2) totalA += (a[j + 2] as number) * fastExpNonPositive(-0.5 * z * z);
  }
  for (let j = k; j < endB; j += 3) {
    const z = (y - (b[j] as number)) * (b[j + 1] as number);
    if (z * z < FAR_Z2) totalB += (b[j + 2] as number) * fastExpNonPositive(-0.5 * z * z);
  }
  out[0] = totalA;
  out[1] = totalB;
};

/**
 * The corrections of one suggestion: kernels added to and taken out of the cached sum. Kernels of width h
 * go into the decision's own moments when it has them (weights by rank: the cached sums combined for this
 * decision), 30 terms each instead of one exponential per point; the others are evaluated directly.
 */
interface Corrections {
  readonly added: KernelList;
  readonly removed: KernelList;
  /** The decision's own moments (weights by rank), or undefined: every correction is direct. */
  readonly atH: HermiteMoments | undefined;
  /** What `atH` had taken out, for the cancellation guard. */
  readonly taken: TakenMass;
  /** The decision's scratch: its flags mark the below observations and those corrected already ({@link WIDENED}). */
  readonly scratch: Scratch;
}

/** Adds a kernel of width h at y with coefficient c > 0 (into the decision's moments, or directly). */
const addAtH = (kernels: Corrections, h: number, y: number, c: number): void => {
  if (kernels.atH === undefined) kernels.added.push(y, h, c);
  else kernels.atH.addFast(y, c, 1);
};

/** Takes out a kernel of width h at y with coefficient c > 0 (from the decision's moments, or directly). */
const removeAtH = (kernels: Corrections, h: number, y: number, c: number): void => {
  if (kernels.atH === undefined) kernels.removed.push(y, h, c);
  else {
    kernels.atH.addFast(y, -c, 0);
    kernels.taken.take(y, c);
  }
};

/** The observations of this suggestion in model space: sorted values, which are added, which leave. */
interface Merged {
  readonly values: Float64Array;
  /** Their trial numbers. */
  readonly numbers: Float64Array;
  readonly size: number;
  /** 1 where the observation is added (not in the cache); empty when none is. */
  readonly isAdded: Uint8Array;
  /** Ascending positions (in `values`) of the below observations, then `size` as a sentinel. */
  readonly skips: Int32Array;
}

/** Where the below observations sit in the cache's sorted observations (binary search each), then `size`. */
const belowPositions = (cache: AboveKdeCache, changes: AboveChanges, size: number): Int32Array => {
  const { removed } = changes;
  const { sorted, encoding } = cache;
  const positions = new Int32Array(removed.length + 1);
  for (let i = 0; i < removed.length; i++) {
    const entry = removed[i] as { readonly number: number; readonly value: number };
    positions[i] = sorted.lowerBound(encoding.toModel(entry.value), entry.number);
  }
  positions[removed.length] = size;
  // Positions are below `size`, so the sentinel stays last.
  return positions.sort();
};

/** The cached observations merged with the added ones (a copy only when some are added). */
const mergedObservations = (cache: AboveKdeCache, changes: AboveChanges): Merged => {
  const { sorted, encoding } = cache;
  const size = sorted.size;
  const positions = belowPositions(cache, changes, size);
  if (changes.added.length === 0)
    return { values: sorted.keys, numbers: sorted.tags, size, isAdded: NO_ADDED, skips: positions };
  const added = changes.added
    .map((entry) => ({ y: encoding.toModel(entry.value), number: entry.number }))
    .sort((a, b) => a.y - b.y || a.number - b.number);
  const total = size + added.length;
  const values = new Float64Array(total);
  const numbers = new Float64Array(total);
  const isAdded = new Uint8Array(total);
  const skips = new Int32Array(positions.length);
  let skipCount = 0;
  const keys = sorted.keys;
  const tags = sorted.tags;
  let a = 0;
  let p = 0;
  let out = 0;
  for (let i = 0; i <= size; i++) {
    const y = i < size ? (keys[i] as number) : Number.POSITIVE_INFINITY;
    for (; a < added.length && (added[a] as { y: number }).y < y; a++, out++) {
      values[out] = (added[a] as { y: number }).y;
      numbers[out] = (added[a] as { number: number }).number;
      isAdded[out] = 1;
    }
    if (i === size) break;
    if (positions[p] === i) {
      skips[skipCount++] = out;
      p++;
    }
    numbers[out] = tags[i] as number;
    values[out++] = y;
  }
  skips[skipCount] = total;
  return { values, numbers, size: total, isAdded, skips };
};

/**
 * The kernels that differ from the cache in this suggestion: every below observation out (of the sums
 * where held there), every kernel held outside the sums (wider than h) in at its weight, every added one in.
 * A kernel's width among the above observations differs from the one it is held at only next to a below or
 * an added observation: those neighbours' widths are worked out again and corrected where they differ.
 */
const corrections = (
  cache: AboveKdeCache,
  changes: AboveChanges,
  weighting: Weighting,
  n: number,
  scratch: Scratch,
  atH: HermiteMoments | undefined,
): Corrections => {
  const { h, encoding, kernels: family } = cache;
  const { values, numbers, size, isAdded, skips } = mergedObservations(cache, changes);
  const kernels: Corrections = {
    added: scratch.added,
    removed: scratch.removed,
    atH,
    taken: scratch.taken,
    scratch,
  };
  // Per position: 1 below, 2 added, 4 worked out already.
  scratch.marks = grown(scratch.marks, size);
  const marks = scratch.marks;
  marks.fill(0, 0, size);
  const belowCount = skips.length - 1;
  for (let s = 0; s < belowCount; s++) marks[skips[s] as number] = 1;
  for (let i = 0; i < isAdded.length; i++) if (isAdded[i] === 1) marks[i] = 2;
  const leftOf = (at: number): number => {
    let j = at - 1;
    while (j >= 0 && marks[j] === 1) j--;
    return j;
  };
  const rightOf = (at: number): number => {
    let j = at + 1;
    while (j < size && marks[j] === 1) j++;
    return j;
  };
  // Kernels held outside the sums whose width here is another: trial number → that width.
  let overrides: Map<number, number> | undefined;
  const fix = (at: number) => {
    if (at < 0 || at >= size || (marks[at] as number) & 5) return;
    const mark = marks[at] as number;
    marks[at] = mark | 4;
    const y = values[at] as number;
    const number = numbers[at] as number;
    const left = leftOf(at);
    const right = rightOf(at);
    const previous = left >= 0 ? values[left] : undefined;
    const next = right < size ? values[right] : undefined;
    // Between two neighbours no more than h away a kernel held at h keeps it (both rules: a prior mean
    // between its neighbours only shortens a gap).
    if (
      mark === 0 &&
      previous !== undefined &&
      next !== undefined &&
      y - previous <= h &&
      next - y <= h &&
      cache.heldWidth(number) === h
    )
      return;
    const sigma = family.neighbourWidth(encoding, y, previous, next, n, h);
    if (mark === 2) {
      if (sigma === h) addAtH(kernels, h, y, weighting.actual(number) * cache.coefficient(y, h));
      else kernels.added.push(y, sigma, weighting.actual(number) * cache.coefficient(y, sigma));
      return;
    }
    const held = cache.heldWidth(number);
    if (sigma === held) return;
    if (held !== h) {
      overrides ??= new Map();
      overrides.set(number, sigma);
      return;
    }
    kernels.added.push(y, sigma, weighting.actual(number) * cache.widthCoefficient(number, y, sigma));
    removeAtH(kernels, h, y, weighting.bulk(number) * cache.foldedCoefficient(number));
    flag(scratch, cache, number, WIDENED);
  };
  for (let s = 0; s < belowCount; s++) {
    const at = skips[s] as number;
    const number = numbers[at] as number;
    if (cache.heldWidth(number) === h)
      removeAtH(kernels, h, values[at] as number, weighting.bulk(number) * cache.foldedCoefficient(number));
  }
  for (let s = 0; s < belowCount; s++) {
    const at = skips[s] as number;
    fix(leftOf(at));
    fix(rightOf(at));
  }
  for (let i = 0; i < isAdded.length; i++) {
    if (isAdded[i] !== 1) continue;
    fix(i);
    fix(leftOf(i));
    fix(rightOf(i));
  }
  // The kernels held outside the sums, but for the below ones, at their real weight.
  for (const entry of changes.removed) flag(scratch, cache, entry.number, BELOW);
  for (let i = 0; i < cache.wideCount; i++) {
    const number = cache.wideNumber(i);
    if (belowCount > 0 && flagged(scratch, cache, number, BELOW)) continue;
    const y = cache.wideValue(i);
    const sigma = overrides?.get(number) ?? cache.wideWidth(i);
    kernels.added.push(y, sigma, weighting.actual(number) * cache.widthCoefficient(number, y, sigma));
  }
  return kernels;
};

/**
 * The cached observations whose weight differs from the one the cached sums hold them at, held in the
 * sums and not corrected already: those of rank n − lf and above (weight 1) held at the affine weight, and
 * those held among the newest at weight 1 whose rank is below n − lf (below or added trials among the
 * newest). Their fixed-width kernels are re-weighted.
 */
const correctNewest = (cache: AboveKdeCache, weighting: RankWeighting, kernels: Corrections): void => {
  const ranked = cache.ranked as RankedObservations;
  const { h } = cache;
  for (let q = ranked.size - 1; q >= 0; q--) {
    const number = ranked.numbers[q] as number;
    if (weighting.isBelow(number)) continue;
    // Ranks fall with the index: past the newest held and the newest by rank, nothing differs.
    if (!ranked.inWindow(q) && weighting.rankOf(number) < weighting.firstNewest) break;
    // Corrected already: held outside the sums (wider than h), or wider here.
    if (flagged(kernels.scratch, cache, number, WIDENED) || cache.heldWidth(number) !== h) continue;
    const y = ranked.ys[q] as number;
    const delta = weighting.actual(number) - weighting.bulk(number);
    const coef = ranked.coefByIndex[q] as number;
    if (delta > 0) addAtH(kernels, h, y, delta * coef);
    else if (delta < 0) removeAtH(kernels, h, y, -delta * coef);
  }
};

/**
 * The above density g(x) of either family with uniform weights or linear forgetting, from the cache in O(bins + changes)
 * per point instead of O(n): Hermite sum of the cached kernels of width h, the kernels held wider and the
 * corrections of this suggestion (directly, or in the decision's own moments), plus the prior. Returns undefined when the cache does not apply (another width h, fewer
 * than two above observations); `slow` supplies the exact density when cancellation would cost accuracy
 * and for sampling and describing.
 *
 * The density reads the cache's sums and correction lists when asked, so it answers from them only while
 * the cache's version is the one it was made at. After that (a newer density of the cache, observations
 * folded in) it answers from `slow`, which must be the exact density of the history this one was made
 * from, built or refused then: once that history has changed, `slow` throws rather than answer for
 * another one (a density serves the decision it was made for).
 */
export const hermiteAboveDensity = (
  cache: AboveKdeCache,
  changes: AboveChanges,
  slow: () => Density,
): Density | undefined => {
  const { encoding, sorted, h } = cache;
  const { low, high } = encoding;
  const n = sorted.size - changes.removed.length + changes.added.length;
  if (n < 2 || changes.minSigma(n) !== h) return undefined;
  // Linear forgetting weighs by rank once n exceeds its constant; below that every weight is 1.
  const byRank = changes.forgetting > 0 && n > changes.forgetting;
  const ranked = byRank ? rankedWeighting(cache, changes, n) : undefined;
  if (byRank && ranked === undefined) return undefined;
  const weighting = ranked ?? uniformWeighting(n, changes.priorWeight);
  // After `rankedWeighting` (which combines the sums into `cache.combined`): the version moves past it.
  const scratch = scratchOf(cache);
  const { version } = cache;
  // A cache that keeps ranks holds its newest in a sum apart: its sums are combined into moments of this
  // decision's own (weights by rank, or every weight 1), which take the corrections of width h too.
  const own = cache.ranked === undefined ? undefined : (cache.combined as HermiteMoments);
  if (ranked === undefined && cache.ranked !== undefined) {
    const { byIndex, byShift, newest } = cache.ranked;
    own?.combine(1, cache.moments, 0, byIndex, byShift, newest);
  }
  const kernels = corrections(cache, changes, weighting, n, scratch, own);
  if (ranked !== undefined) correctNewest(cache, ranked, kernels);
  const { added, removed } = kernels;
  const prior = cache.kernels.prior(encoding);
  // A family whose mixture is cut as a whole (hyperopt's): its exact density comes from the reference.
  const wholeMixture = !cache.kernels.truncated;
  added.push(prior.mu, prior.sigma, changes.priorWeight * cache.coefficient(prior.mu, prior.sigma));
  const logTotal = Math.log(weighting.total);
  const moments = own ?? cache.moments;
  const taken = kernels.taken;
  let exact: Density | undefined;
  const fallback = () => {
    exact ??= slow();
    return exact;
  };
  return {
    logPdf: (values, isExact) => {
      // hyperopt's exact density (mixture normaliser, log Jacobian) comes from the reference; its
      // non-exact one leaves out the same constant, as the other backends do.
      if ((wholeMixture && isExact) || cache.version !== version) return fallback().logPdf(values, isExact);
      // The points in model space as the reference maps them (hyperopt's toModel clamps at the floor).
      const at = encoding.points(values[0] as ArrayLike<number>).at;
      const out = new Float64Array(at.length);
      const pair = new Float64Array(2);
      for (let i = 0; i < at.length; i++) {
        const y = at[i] as number;
        if (y < low || y > high) {
          if (wholeMixture) return fallback().logPdf(values, isExact);
          out[i] = Number.NEGATIVE_INFINITY;
          continue;
        }
        sumsOfTwo(removed, added, y, pair);
        const negative = pair[0] as number;
        const raw = moments.evaluate(y) + (pair[1] as number) - negative;
        // What was taken out, directly or from the decision's own moments (bounded), against what is left.
        // The whole mass taken out bounds it anywhere; the bound by bin is needed only where that is too much.
        const limit = CANCELLATION * raw;
        const takenOut = own === undefined || negative + taken.total <= limit ? negative : negative + taken.bound(y);
        if (!(raw > 0) || takenOut > limit) return fallback().logPdf(values, isExact);
        out[i] = Math.log(raw) - logTotal;
      }
      return out;
    },
    sample: (rng, count) => fallback().sample(rng, count),
    estimator: () => fallback().estimator(),
  };
};
