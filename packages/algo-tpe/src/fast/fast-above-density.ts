import { fastExpNonPositive } from '../math/fast-exp.js';
import type { ParamDensity } from '../model/param-density.js';
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

const EMPTY = new Float64Array(0);

/** Kernels evaluated directly, in growable typed arrays: centres, 1/σ and coefficients. */
class KernelList {
  size = 0;
  mus = EMPTY;
  invSigmas = EMPTY;
  coefs = EMPTY;

  push(mu: number, sigma: number, coef: number): void {
    if (this.size === this.mus.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(Math.max(32, a.length * 2));
        b.set(a);
        return b;
      };
      this.mus = grow(this.mus);
      this.invSigmas = grow(this.invSigmas);
      this.coefs = grow(this.coefs);
    }
    this.mus[this.size] = mu;
    this.invSigmas[this.size] = 1 / sigma;
    this.coefs[this.size++] = coef;
  }

  /** Σ_k c_k · exp(−½((y − μ_k)/σ_k)²). */
  sum(y: number): number {
    const { mus, invSigmas, coefs } = this;
    let total = 0;
    for (let k = 0; k < this.size; k++) {
      const z = (y - (mus[k] as number)) * (invSigmas[k] as number);
      total += (coefs[k] as number) * fastExpNonPositive(-0.5 * z * z);
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

/** Where the below observations sit in the cache's sorted observations (binary search each). */
const belowPositions = (cache: AboveKdeCache, changes: AboveChanges): number[] =>
  changes.removed
    .map((entry) => cache.sorted.lowerBound(cache.encoding.toModel(entry.value), entry.number))
    .sort((a, b) => a - b);

/** The cached observations merged with the added ones (a copy only when some are added). */
const mergedObservations = (cache: AboveKdeCache, changes: AboveChanges): Merged => {
  const { sorted, encoding } = cache;
  const size = sorted.size;
  const positions = belowPositions(cache, changes);
  if (changes.added.length === 0) {
    return { values: sorted.keys, size, isAdded: new Uint8Array(0), skips: Int32Array.from([...positions, size]) };
  }
  const added = changes.added.map((entry) => encoding.toModel(entry.value)).sort((a, b) => a - b);
  const total = size + added.length;
  const values = new Float64Array(total);
  const isAdded = new Uint8Array(total);
  const skips: number[] = [];
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
      skips.push(out);
      p++;
    }
    values[out++] = y;
  }
  return { values, size: total, isAdded, skips: Int32Array.from([...skips, total]) };
};

/**
 * The kernels that differ from the cached fixed-width sum in this suggestion: every below observation
 * out, every above kernel whose width is not h swapped for its real width, every added one in. One pass
 * over the sorted observations; a kernel's width can only exceed h where its two neighbours are more than
 * h apart, so most observations cost one subtraction and one comparison.
 */
const corrections = (cache: AboveKdeCache, changes: AboveChanges): Corrections => {
  const { h } = cache;
  const { low, high } = cache.encoding.bounds;
  const range = high - low;
  const { values, size, isAdded, skips } = mergedObservations(cache, changes);
  const anyAdded = isAdded.length > 0;
  const kernels: Corrections = { added: new KernelList(), removed: new KernelList() };
  let skip = 0;
  let nextSkip = skips[0] as number;
  const removeUntil = (i: number): number => {
    let at = i;
    while (at === nextSkip && at < size) {
      const y = values[at] as number;
      kernels.removed.push(y, h, cache.coefficient(y, h));
      nextSkip = skips[++skip] as number;
      at++;
    }
    return at;
  };
  let i = removeUntil(0);
  if (i >= size) return kernels;
  // The first above observation: its width is its inner gap (or its larger gap to a bound when alone).
  let previous = values[i] as number;
  const previousCached = !anyAdded || isAdded[i] === 0;
  i = removeUntil(i + 1);
  if (i >= size) {
    correct(kernels, cache, Math.max(previous - low, high - previous), previous, previousCached, range);
    return kernels;
  }
  let current = values[i] as number;
  let currentCached = !anyAdded || isAdded[i] === 0;
  correct(kernels, cache, current - previous, previous, previousCached, range);
  for (i = removeUntil(i + 1); i < size; i = i + 1 === nextSkip ? removeUntil(i + 1) : i + 1) {
    const next = values[i] as number;
    // Its width exceeds h only if one of its gaps does, so the two gaps together must.
    if (next - previous > h || !currentCached) {
      correct(kernels, cache, Math.max(current - previous, next - current), current, currentCached, range);
    }
    previous = current;
    current = next;
    currentCached = !anyAdded || isAdded[i] === 0;
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
export const fastAboveDensity = (
  cache: AboveKdeCache,
  changes: AboveChanges,
  slow: () => ParamDensity,
): ParamDensity | undefined => {
  const { encoding, sorted, h } = cache;
  const { low, high } = encoding.bounds;
  const n = sorted.size - changes.removed.length + changes.added.length;
  const range = high - low;
  if (n < 2 || range * Math.max(changes.clipFloor, (n + 2) ** -changes.clipExponent) !== h) return undefined;
  const { added, removed } = corrections(cache, changes);
  const mid = 0.5 * (low + high);
  added.push(mid, range, changes.priorWeight * cache.coefficient(mid, range));
  const logTotal = Math.log(n + changes.priorWeight);
  let exact: ParamDensity | undefined;
  const fallback = () => {
    exact ??= slow();
    return exact;
  };
  return {
    logPdf: (values, isExact) => {
      const out = new Float64Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const y = encoding.toModel(values[i] as number);
        const negative = removed.sum(y);
        const raw = cache.moments.evaluate(y) + added.sum(y) - negative;
        if (!(raw > 0) || negative > CANCELLATION * raw) return fallback().logPdf(values, isExact);
        out[i] = Math.log(raw) - logTotal;
      }
      return out;
    },
    sample: (rng, count) => fallback().sample(rng, count),
    describe: () => fallback().describe(),
  };
};
