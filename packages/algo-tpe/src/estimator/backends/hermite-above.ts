import { fastExpNonPositive } from '../../math/fast-exp.js';
import type { Density } from '../density.js';
import type { NumericEncoding } from '../encoding.js';
import type { AboveKdeCache } from './above-kde-cache.js';

/** What one suggestion changes against the cache: trials taken out (below) and added (running, failed). */
export interface AboveChanges {
  /** The below observations the cache holds (they leave the sum), as (internal value, number). */
  readonly removed: readonly { readonly number: number; readonly value: number }[];
  /** Observations that join the above set without being in the cache, as (internal value, number). */
  readonly added: readonly { readonly number: number; readonly value: number }[];
  readonly priorWeight: number;
  readonly clipFloor: number;
  readonly clipExponent: number;
}

/** Cancellation guard: beyond this ratio of removed to remaining mass the slow path is used. */
const CANCELLATION = 1e6;

/** Room the correction lists get beyond the last suggestion's sizes before they grow. */
const CAPACITY_MARGIN = 16;

const NO_ADDED = new Uint8Array(0);

/** Kernels evaluated directly, in one growable typed array of (centre, 1/σ, coefficient) triples. */
class KernelList {
  size = 0;
  data: Float64Array;

  /** `capacity`: the expected number of kernels (the last suggestion's), so most lists never grow. */
  constructor(capacity: number) {
    this.data = new Float64Array(3 * capacity);
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

  /** Σ_k c_k · exp(−½((y − μ_k)/σ_k)²). */
  sum(y: number): number {
    const { data } = this;
    const end = 3 * this.size;
    let total = 0;
    for (let k = 0; k < end; k += 3) {
      const z = (y - (data[k] as number)) * (data[k + 1] as number);
      total += (data[k + 2] as number) * fastExpNonPositive(-0.5 * z * z);
    }
    return total;
  }
}

/** The direct corrections of one suggestion: kernels added to and taken out of the cached sum. */
interface Corrections {
  readonly added: KernelList;
  readonly removed: KernelList;
}

/** The kernels of one above observation that differ from the cache (none when its width is h). */
const correct = (
  kernels: Corrections,
  cache: AboveKdeCache,
  gap: number,
  y: number,
  cached: boolean,
  range: number,
): void => {
  const { h } = cache;
  if (gap > h) {
    const sigma = Math.min(gap, range);
    kernels.added.push(y, sigma, cache.coefficient(y, sigma));
    if (cached) kernels.removed.push(y, h, cache.coefficient(y, h));
  } else if (!cached) kernels.added.push(y, h, cache.coefficient(y, h));
};

/** The observations of this suggestion in model space: sorted values, which are added, which leave. */
interface Merged {
  readonly values: Float64Array;
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
  if (changes.added.length === 0) return { values: sorted.keys, size, isAdded: NO_ADDED, skips: positions };
  const added = changes.added.map((entry) => encoding.toModel(entry.value)).sort((a, b) => a - b);
  const total = size + added.length;
  const values = new Float64Array(total);
  const isAdded = new Uint8Array(total);
  const skips = new Int32Array(positions.length);
  let skipCount = 0;
  const keys = sorted.keys;
  let a = 0;
  let p = 0;
  let out = 0;
  for (let i = 0; i <= size; i++) {
    const y = i < size ? (keys[i] as number) : Number.POSITIVE_INFINITY;
    for (; a < added.length && (added[a] as number) < y; a++, out++) {
      values[out] = added[a] as number;
      isAdded[out] = 1;
    }
    if (i === size) break;
    if (positions[p] === i) {
      skips[skipCount++] = out;
      p++;
    }
    values[out++] = y;
  }
  skips[skipCount] = total;
  return { values, size: total, isAdded, skips };
};

/**
 * The kernels that differ from the cached fixed-width sum in this suggestion: every below observation
 * out, every above kernel whose width is not h swapped for its real width, every added one in. One pass
 * over the sorted observations; a kernel's width can only exceed h where its two neighbours are more than
 * h apart, so most observations cost one subtraction and one comparison.
 */
const corrections = (cache: AboveKdeCache, changes: AboveChanges): Corrections => {
  const { h } = cache;
  const { low, high } = cache.encoding;
  const range = high - low;
  const { values, size, isAdded, skips } = mergedObservations(cache, changes);
  const anyAdded = isAdded.length > 0;
  const kernels: Corrections = {
    added: new KernelList(cache.addedCapacity),
    removed: new KernelList(cache.removedCapacity),
  };
  const removed = kernels.removed;
  // The below observations leave the sum where the walk meets them (skips[skip] is the next one).
  let skip = 0;
  let nextSkip = skips[0] as number;
  let i = 0;
  while (i === nextSkip && i < size) {
    const y = values[i++] as number;
    removed.push(y, h, cache.coefficient(y, h));
    nextSkip = skips[++skip] as number;
  }
  if (i >= size) return kernels;
  // The first above observation: its width is its inner gap (or its larger gap to a bound when alone).
  let previous = values[i] as number;
  const previousCached = !anyAdded || isAdded[i] === 0;
  i++;
  while (i === nextSkip && i < size) {
    const y = values[i++] as number;
    removed.push(y, h, cache.coefficient(y, h));
    nextSkip = skips[++skip] as number;
  }
  if (i >= size) {
    correct(kernels, cache, Math.max(previous - low, high - previous), previous, previousCached, range);
    return kernels;
  }
  let current = values[i] as number;
  let currentCached = !anyAdded || isAdded[i] === 0;
  correct(kernels, cache, current - previous, previous, previousCached, range);
  i++;
  for (;;) {
    while (i === nextSkip && i < size) {
      const y = values[i++] as number;
      removed.push(y, h, cache.coefficient(y, h));
      nextSkip = skips[++skip] as number;
    }
    if (i >= size) break;
    const next = values[i] as number;
    // Its width exceeds h only if one of its gaps does, so the two gaps together must.
    if (next - previous > h || !currentCached) {
      correct(kernels, cache, Math.max(current - previous, next - current), current, currentCached, range);
    }
    previous = current;
    current = next;
    currentCached = !anyAdded || isAdded[i] === 0;
    i++;
  }
  correct(kernels, cache, current - previous, current, currentCached, range);
  return kernels;
};

/**
 * The above density g(x) of the optuna kernel with uniform weights, from the cache in O(bins + changes)
 * per point instead of O(n): Hermite sum of all cached kernels, corrected by the direct kernels of this
 * suggestion, plus the prior. Returns undefined when the cache does not apply (another width h, fewer
 * than two above observations); `slow` supplies the exact density when cancellation would cost accuracy
 * and for sampling and describing.
 */
export const hermiteAboveDensity = (
  cache: AboveKdeCache,
  changes: AboveChanges,
  slow: () => Density,
): Density | undefined => {
  const { encoding, sorted, h } = cache;
  const { low, high } = encoding;
  const n = sorted.size - changes.removed.length + changes.added.length;
  const range = high - low;
  if (n < 2 || range * Math.max(changes.clipFloor, (n + 2) ** -changes.clipExponent) !== h) return undefined;
  const { added, removed } = corrections(cache, changes);
  const mid = 0.5 * (low + high);
  added.push(mid, range, changes.priorWeight * cache.coefficient(mid, range));
  cache.addedCapacity = added.size + CAPACITY_MARGIN;
  cache.removedCapacity = removed.size + CAPACITY_MARGIN;
  const logTotal = Math.log(n + changes.priorWeight);
  let exact: Density | undefined;
  const fallback = () => {
    exact ??= slow();
    return exact;
  };
  return {
    logPdf: (values, isExact) => {
      const column = values[0] as ArrayLike<number>;
      const out = new Float64Array(column.length);
      const { moments } = cache;
      const toModel = (encoding as NumericEncoding).toModel;
      for (let i = 0; i < column.length; i++) {
        const y = toModel(column[i] as number);
        if (y < low || y > high) {
          out[i] = Number.NEGATIVE_INFINITY;
          continue;
        }
        const negative = removed.sum(y);
        const raw = moments.evaluate(y) + added.sum(y) - negative;
        if (!(raw > 0) || negative > CANCELLATION * raw) return fallback().logPdf(values, isExact);
        out[i] = Math.log(raw) - logTotal;
      }
      return out;
    },
    sample: (rng, count) => fallback().sample(rng, count),
    estimator: () => fallback().estimator(),
  };
};
