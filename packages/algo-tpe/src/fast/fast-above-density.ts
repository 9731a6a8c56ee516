import { fastExpNonPositive } from '../math/fast-exp.js';
import type { ParamDensity } from '../model/param-density.js';
import type { AboveKdeCache } from './above-kde-cache.js';

/** A kernel evaluated directly: centre, width and signed coefficient (negative = taken out of the sum). */
interface DirectKernel {
  readonly mu: number;
  readonly sigma: number;
  readonly coef: number;
}

/** What one suggestion changes against the cache: trials taken out (below) and added (running, failed). */
export interface AboveChanges {
  /** 1 at the trial numbers of the below set. */
  readonly isBelow: Uint8Array;
  /** How many below trials the cache holds (they leave the sum). */
  readonly removed: number;
  /** Observations that join the above set without being in the cache, as (internal value, number). */
  readonly added: readonly { readonly number: number; readonly value: number }[];
  readonly priorWeight: number;
  readonly clipFloor: number;
  readonly clipExponent: number;
}

/** Cancellation guard: beyond this ratio of removed to remaining mass the slow path is used. */
const CANCELLATION = 1e6;

/** Direct kernels split by sign into typed arrays: centres, 1/σ and |coefficients|. */
interface KernelArrays {
  readonly mus: Float64Array;
  readonly invSigmas: Float64Array;
  readonly coefs: Float64Array;
}

const toArrays = (kernels: readonly DirectKernel[]): KernelArrays => ({
  mus: Float64Array.from(kernels, (k) => k.mu),
  invSigmas: Float64Array.from(kernels, (k) => 1 / k.sigma),
  coefs: Float64Array.from(kernels, (k) => Math.abs(k.coef)),
});

const directSum = ({ mus, invSigmas, coefs }: KernelArrays, y: number): number => {
  let total = 0;
  for (let k = 0; k < mus.length; k++) {
    const z = (y - (mus[k] as number)) * (invSigmas[k] as number);
    total += (coefs[k] as number) * fastExpNonPositive(-0.5 * z * z);
  }
  return total;
};

/** Optuna's width of an above kernel from its neighbours (ends use their inner gap when n ≥ 2). */
const widthOf = (index: number, n: number, previous: number, current: number, next: number): number => {
  if (n === 1) return Math.max(current - previous, next - current);
  if (index === 0) return next - current;
  if (index === n - 1) return current - previous;
  return Math.max(current - previous, next - current);
};

/**
 * The kernels that differ from the cached fixed-width sum in this suggestion: every below observation
 * out, every above kernel whose width is not h swapped for its real width, every added one in. One pass
 * over the sorted observations, O(n) comparisons and no allocation per observation.
 */
const corrections = (cache: AboveKdeCache, changes: AboveChanges, n: number): DirectKernel[] => {
  const { sorted, h, encoding } = cache;
  const { low, high } = encoding.bounds;
  const range = high - low;
  const added = changes.added
    .map((entry) => ({ y: encoding.toModel(entry.value), number: entry.number }))
    .sort((a, b) => a.y - b.y || a.number - b.number);
  const kernels: DirectKernel[] = [];
  const coefH = (mu: number) => cache.coefficient(mu, h);
  let index = -1;
  let previous = low;
  let current = Number.NaN;
  let currentCached = false;
  const visit = (next: number, nextCached: boolean) => {
    if (index >= 0) {
      const gap = widthOf(index, n, previous, current, next);
      if (gap > h) {
        const sigma = Math.min(gap, range);
        kernels.push({ mu: current, sigma, coef: cache.coefficient(current, sigma) });
        if (currentCached) kernels.push({ mu: current, sigma: h, coef: -coefH(current) });
      } else if (!currentCached) kernels.push({ mu: current, sigma: h, coef: coefH(current) });
      previous = current;
    }
    index++;
    current = next;
    currentCached = nextCached;
  };
  let a = 0;
  const size = sorted.size;
  const keys = sorted.keys;
  const tags = sorted.tags;
  const { isBelow } = changes;
  for (let i = 0; i < size; i++) {
    const y = keys[i] as number;
    const number = tags[i] as number;
    for (; a < added.length && (added[a]?.y as number) < y; a++) visit(added[a]?.y as number, false);
    if (isBelow[number] === 1) kernels.push({ mu: y, sigma: h, coef: -coefH(y) });
    else visit(y, true);
  }
  for (; a < added.length; a++) visit(added[a]?.y as number, false);
  visit(high, false);
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
  const n = sorted.size - changes.removed + changes.added.length;
  const range = high - low;
  if (n < 2 || range * Math.max(changes.clipFloor, (n + 2) ** -changes.clipExponent) !== h) return undefined;
  const kernels = corrections(cache, changes, n);
  const mid = 0.5 * (low + high);
  kernels.push({ mu: mid, sigma: range, coef: changes.priorWeight * cache.coefficient(mid, range) });
  const added = toArrays(kernels.filter((k) => k.coef > 0));
  const removed = toArrays(kernels.filter((k) => k.coef < 0));
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
        const negative = directSum(removed, y);
        const raw = cache.moments.evaluate(y) + directSum(added, y) - negative;
        if (!(raw > 0) || negative > CANCELLATION * raw) return fallback().logPdf(values, isExact);
        out[i] = Math.log(raw) - logTotal;
      }
      return out;
    },
    sample: (rng, count) => fallback().sample(rng, count),
    describe: () => fallback().describe(),
  };
};
