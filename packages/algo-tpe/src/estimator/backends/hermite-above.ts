import { fastExpNonPositive } from '../../math/fast-exp.js';
import type { HermiteMoments } from '../../math/hermite-moments.js';
import type { Density } from '../density.js';
import type { AboveKdeCache, RankedObservations } from './above-kde-cache.js';
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

/**
 * Each cache's correction lists, reused from one suggestion to the next (a new pair per decision cost
 * more than the corrections themselves). Refilling them moves the cache's version: a density made before
 * finds its lists refilled and answers from its exact density instead.
 */
interface Scratch {
  readonly added: KernelList;
  readonly removed: KernelList;
}
const scratches = new WeakMap<AboveKdeCache, Scratch>();

const scratchOf = (cache: AboveKdeCache): Scratch => {
  let scratch = scratches.get(cache);
  if (scratch === undefined) {
    scratch = { added: new KernelList(64), removed: new KernelList(64) };
    scratches.set(cache, scratch);
  }
  scratch.added.clear();
  scratch.removed.clear();
  cache.version++;
  return scratch;
};

/**
 * Σ_k c_k · exp(−½((y − μ_k)/σ_k)²) of both lists in one pass (two independent sums the CPU overlaps), each
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
    totalA += (a[j + 2] as number) * fastExpNonPositive(-0.5 * z * z);
  }
  for (let j = k; j < endB; j += 3) {
    const z = (y - (b[j] as number)) * (b[j + 1] as number);
    totalB += (b[j + 2] as number) * fastExpNonPositive(-0.5 * z * z);
  }
  out[0] = totalA;
  out[1] = totalB;
};

/** The direct corrections of one suggestion: kernels added to and taken out of the cached sum. */
interface Corrections {
  readonly added: KernelList;
  readonly removed: KernelList;
  /** With weights by rank: the cached observations already corrected here (by trial number). */
  readonly widened: Set<number> | undefined;
}

/** The kernels of one above observation of width σ that differ from the cache (none when σ = h and cached). */
const correct = (
  kernels: Corrections,
  cache: AboveKdeCache,
  weighting: Weighting,
  sigma: number,
  y: number,
  number: number,
  cached: boolean,
): void => {
  const { h } = cache;
  if (sigma !== h) {
    const coef = cached ? cache.widthCoefficient(number, y, sigma) : cache.coefficient(y, sigma);
    kernels.added.push(y, sigma, weighting.actual(number) * coef);
    if (cached) {
      kernels.removed.push(y, h, weighting.bulk(number) * cache.foldedCoefficient(number));
      kernels.widened?.add(number);
    }
  } else if (!cached) kernels.added.push(y, h, weighting.actual(number) * cache.coefficient(y, h));
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
 * The kernels that differ from the cached fixed-width sum in this suggestion: every below observation
 * out, every above kernel whose width is not h swapped for its real width, every added one in. One pass
 * over the sorted observations; a kernel's width can only exceed h where its two neighbours are more than
 * h apart, so most observations cost one subtraction and one comparison.
 */
const corrections = (
  cache: AboveKdeCache,
  changes: AboveChanges,
  weighting: Weighting,
  n: number,
  scratch: Scratch,
): Corrections => {
  const { h, encoding, kernels: family } = cache;
  const { values, numbers, size, isAdded, skips } = mergedObservations(cache, changes);
  const anyAdded = isAdded.length > 0;
  const kernels: Corrections = {
    added: scratch.added,
    removed: scratch.removed,
    widened: weighting.uniform ? undefined : new Set(),
  };
  const removed = kernels.removed;
  const fix = (at: number, previous: number | undefined, next: number | undefined, cached: boolean) => {
    const y = values[at] as number;
    const sigma = family.neighbourWidth(encoding, y, previous, next, n, h);
    correct(kernels, cache, weighting, sigma, y, numbers[at] as number, cached);
  };
  // The below observations leave the sum where the walk meets them (skips[skip] is the next one).
  let skip = 0;
  let nextSkip = skips[0] as number;
  let i = 0;
  const skipBelow = () => {
    while (i === nextSkip && i < size) {
      const y = values[i] as number;
      const number = numbers[i] as number;
      removed.push(y, h, weighting.bulk(number) * cache.foldedCoefficient(number));
      i++;
      nextSkip = skips[++skip] as number;
    }
  };
  skipBelow();
  if (i >= size) return kernels;
  // The first above observation: no neighbour before it.
  let previousAt = i;
  let previous = values[i] as number;
  const previousCached = !anyAdded || isAdded[i] === 0;
  i++;
  skipBelow();
  if (i >= size) {
    fix(previousAt, undefined, undefined, previousCached);
    return kernels;
  }
  let currentAt = i;
  let current = values[i] as number;
  let currentCached = !anyAdded || isAdded[i] === 0;
  fix(previousAt, undefined, current, previousCached);
  i++;
  for (;;) {
    skipBelow();
    if (i >= size) break;
    const next = values[i] as number;
    // Its width exceeds h only if one of its gaps does, so the two gaps together must (both rules: a
    // prior mean between its neighbours only shortens a gap).
    if (next - previous > h || !currentCached) fix(currentAt, previous, next, currentCached);
    previousAt = currentAt;
    previous = current;
    currentAt = i;
    current = next;
    currentCached = !anyAdded || isAdded[i] === 0;
    i++;
  }
  fix(currentAt, previous, undefined, currentCached);
  return kernels;
};

/**
 * The cached observations of rank n − lf and above (weight 1, not the affine weight the cached sum gives
 * them) that the walk did not correct already: their fixed-width kernels are re-weighted directly.
 */
const correctNewest = (cache: AboveKdeCache, weighting: RankWeighting, kernels: Corrections): void => {
  const ranked = cache.ranked as RankedObservations;
  const { h } = cache;
  for (let q = ranked.size - 1; q >= 0; q--) {
    const number = ranked.numbers[q] as number;
    if (weighting.isBelow(number)) continue;
    if (weighting.rankOf(number) < weighting.firstNewest) break;
    if (kernels.widened?.has(number)) continue;
    const y = ranked.ys[q] as number;
    const delta = weighting.actual(number) - weighting.bulk(number);
    const coef = ranked.coefByIndex[q] as number;
    if (delta > 0) kernels.added.push(y, h, delta * coef);
    else if (delta < 0) kernels.removed.push(y, h, -delta * coef);
  }
};

/**
 * The above density g(x) of either family with uniform weights or linear forgetting, from the cache in O(bins + changes)
 * per point instead of O(n): Hermite sum of all cached kernels, corrected by the direct kernels of this
 * suggestion, plus the prior. Returns undefined when the cache does not apply (another width h, fewer
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
  const kernels = corrections(cache, changes, weighting, n, scratch);
  if (ranked !== undefined) correctNewest(cache, ranked, kernels);
  const { added, removed } = kernels;
  const prior = cache.kernels.prior(encoding);
  // A family whose mixture is cut as a whole (hyperopt's): its exact density comes from the reference.
  const wholeMixture = !cache.kernels.truncated;
  added.push(prior.mu, prior.sigma, changes.priorWeight * cache.coefficient(prior.mu, prior.sigma));
  const logTotal = Math.log(weighting.total);
  const moments = ranked === undefined ? cache.moments : (cache.combined as HermiteMoments);
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
        if (!(raw > 0) || negative > CANCELLATION * raw) return fallback().logPdf(values, isExact);
        out[i] = Math.log(raw) - logTotal;
      }
      return out;
    },
    sample: (rng, count) => fallback().sample(rng, count),
    estimator: () => fallback().estimator(),
  };
};
