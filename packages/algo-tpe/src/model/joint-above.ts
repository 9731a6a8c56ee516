import type { ParamNode, Trial } from '@parzen/engine/plugin';
import type { HistorySplit } from '../history/history-split.js';
import type { TrialHistory } from '../history/trial-history.js';
import { linearForgettingWeight } from '../math/linear-forgetting.js';
import { LOG_SQRT_2PI } from '../math/normal.js';
import { logKernelMass } from '../math/optuna-density.js';
import type { TpeSettings } from '../options.js';
import { type OptunaEncoding, optunaEncoding } from './encoding.js';

/** Terms this far (e^−46) below the best so far are dropped; the sum is exact to about 1e-20 per term. */
const CUTOFF = 46;

type NumericEncoding = Extract<OptunaEncoding, { kind: 'optuna' }>;

/** g(x) of multivariate TPE over the above set: kernels in structure-of-arrays form, the prior last. */
export interface JointAbove {
  /** log g at each point (`points[j][i]`: parameter j of point i, internal values). */
  logPdf(points: readonly Float64Array[]): Float64Array;
}

interface Added {
  readonly value: number;
  readonly number: number;
}

const precedes = (added: Added, value: number, number: number): boolean =>
  added.value < value || (added.value === value && added.number < number);

interface Column {
  readonly values: Float64Array;
  readonly numbers: Float64Array;
  readonly size: number;
}

/** The above observations of one parameter in value order: the history column minus below, plus extras. */
const aboveColumn = (history: TrialHistory, name: string, index: Int32Array, extras: readonly Trial[]): Column => {
  const { byValue } = history.column(name);
  const size = byValue.size;
  const keys = byValue.keys;
  const tags = byValue.tags;
  const added = extras
    .map((trial) => ({ value: trial.params[name] as number, number: trial.number }))
    .sort((a, b) => a.value - b.value || a.number - b.number);
  const values = new Float64Array(size + added.length);
  const numbers = new Float64Array(size + added.length);
  let out = 0;
  let a = 0;
  for (let i = 0; i <= size; i++) {
    const value = i < size ? (keys[i] as number) : Number.POSITIVE_INFINITY;
    const number = i < size ? (tags[i] as number) : Number.POSITIVE_INFINITY;
    // Ties in value go by trial number, as a stable sort of the observations would order them.
    for (; a < added.length && precedes(added[a] as Added, value, number); a++, out++) {
      values[out] = added[a]?.value as number;
      numbers[out] = added[a]?.number as number;
    }
    if (i === size) break;
    if ((index[number] as number) < 0) continue;
    values[out] = value;
    numbers[out++] = number;
  }
  return { values, numbers, size: out };
};

/**
 * Clamping into the bounds can make distinct values equal in model space; a stable sort of the model
 * values would put such ties in trial-number order, so reorder each run of equal values that way.
 */
const orderTiesByNumber = (y: Float64Array, numbers: Float64Array, n: number): void => {
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && y[end] === y[start]) end++;
    if (end - start > 1) numbers.subarray(start, end).sort();
    start = end;
  }
};

/** Kernels in comp-major layout: centre and 1/σ of kernel k in dimension j at k·d + j. */
interface Kernels {
  readonly d: number;
  readonly mus: Float64Array;
  readonly invSigmas: Float64Array;
  /** Upper bound of each kernel's log term: log weight + Σ_j log(1 / (σ√(2π) Z)). */
  readonly logCoefs: Float64Array;
}

/**
 * Writes dimension j of every kernel (Optuna 5.0 neighbour rule in that dimension, the prior last) and
 * adds its log coefficients. Kernels of the smallest width far from the bounds share one coefficient.
 */
const fillDimension = (
  column: Column,
  encoding: NumericEncoding,
  j: number,
  index: Int32Array,
  kernels: Kernels,
  settings: Pick<TpeSettings, 'bandwidthFloor' | 'bandwidthExponent'>,
): void => {
  const { d, mus, invSigmas, logCoefs } = kernels;
  const n = column.size;
  const { low, high } = encoding.bounds;
  const range = high - low;
  const minSigma = range * Math.max(settings.bandwidthFloor, (n + 2) ** -settings.bandwidthExponent);
  const narrow = -Math.log(minSigma) - LOG_SQRT_2PI;
  const far = 8.5 * minSigma;
  const y = column.values.map(encoding.toModel);
  orderTiesByNumber(y, column.numbers, n);
  for (let i = 0; i < n; i++) {
    const current = y[i] as number;
    const left = current - (i > 0 ? (y[i - 1] as number) : low);
    const right = (i < n - 1 ? (y[i + 1] as number) : high) - current;
    const gap = n >= 2 && i === 0 ? right : n >= 2 && i === n - 1 ? left : Math.max(left, right);
    const sigma = Math.min(range, Math.max(minSigma, gap));
    const k = index[column.numbers[i] as number] as number;
    mus[k * d + j] = current;
    invSigmas[k * d + j] = 1 / sigma;
    const plain = sigma === minSigma && current - low > far && high - current > far;
    logCoefs[k] =
      (logCoefs[k] as number) +
      (plain ? narrow : -Math.log(sigma) - LOG_SQRT_2PI - logKernelMass(current, sigma, encoding.bounds));
  }
  const prior = logCoefs.length - 1;
  mus[prior * d + j] = 0.5 * (low + high);
  invSigmas[prior * d + j] = 1 / range;
  logCoefs[prior] =
    (logCoefs[prior] as number) -
    Math.log(range) -
    LOG_SQRT_2PI -
    logKernelMass(0.5 * (low + high), range, encoding.bounds);
};

/** Trial numbers of the above set (complete and pruned outside below, plus extras) in number order. */
const aboveNumbers = (history: TrialHistory, split: HistorySplit, extras: readonly Trial[]): Int32Array => {
  const marks = new Uint8Array(history.numberLimit + 1);
  let count = 0;
  for (const pairs of [history.complete, history.pruned]) {
    const tags = pairs.tags;
    for (let i = 0; i < pairs.size; i++) {
      const number = tags[i] as number;
      if (split.isBelow[number] !== 1) {
        marks[number] = 1;
        count++;
      }
    }
  }
  for (const trial of extras) {
    marks[trial.number] = 1;
    count++;
  }
  const numbers = new Int32Array(count);
  for (let number = 0, k = 0; number < marks.length; number++) if (marks[number] === 1) numbers[k++] = number;
  return numbers;
};

/**
 * g(x) of multivariate TPE built straight from the history columns in O(n·d), without sorting: kernels
 * get their per-dimension widths from one walk of each column in value order. Evaluation drops a kernel
 * as soon as its partial log term falls e^−46 below the best term seen (starting from the prior's), so
 * narrow kernels far away in the first dimensions cost one or two subtractions each.
 *
 * @remarks Continuous parameters only (the caller falls back to {@link jointDensity} otherwise); uniform
 * or linear-forgetting weights by trial number, the prior last, as Optuna's multivariate estimator.
 */
export const jointAbove = (
  history: TrialHistory,
  split: HistorySplit,
  group: readonly ParamNode[],
  settings: TpeSettings,
): JointAbove | undefined => {
  const encodings = group.map((param) => optunaEncoding(param.distribution));
  if (encodings.some((encoding) => encoding.kind !== 'optuna' || encoding.bin !== undefined)) return undefined;
  const extras = split.extras.filter((trial) => group.every((param) => trial.params[param.name] !== undefined));
  const numbers = aboveNumbers(history, split, extras);
  const n = numbers.length;
  const index = new Int32Array(history.numberLimit + 1).fill(-1);
  for (let k = 0; k < n; k++) index[numbers[k] as number] = k;
  const lf = settings.forgetting === 0 ? Number.POSITIVE_INFINITY : settings.forgetting;
  const weights = Float64Array.from({ length: n + 1 }, (_, k) =>
    k === n ? (n === 0 ? 1 : settings.priorWeight) : linearForgettingWeight(k, n, lf),
  );
  const total = weights.reduce((sum, w) => sum + w, 0);
  const d = group.length;
  const kernels: Kernels = {
    d,
    mus: new Float64Array((n + 1) * d),
    invSigmas: new Float64Array((n + 1) * d),
    logCoefs: weights.map((w) => Math.log(w / total)),
  };
  group.forEach((param, j) => {
    fillDimension(
      aboveColumn(history, param.name, index, extras),
      encodings[j] as NumericEncoding,
      j,
      index,
      kernels,
      settings,
    );
  });
  return { logPdf: (points) => evaluate(kernels, encodings as NumericEncoding[], points) };
};

const evaluate = (
  kernels: Kernels,
  encodings: readonly NumericEncoding[],
  points: readonly Float64Array[],
): Float64Array => {
  const { d, logCoefs } = kernels;
  const count = logCoefs.length;
  const terms = new Float64Array(count);
  const y = new Float64Array(d);
  const out = new Float64Array(points[0]?.length ?? 0);
  for (let i = 0; i < out.length; i++) {
    for (let j = 0; j < d; j++) y[j] = (encodings[j] as NumericEncoding).toModel(points[j]?.[i] as number);
    const prior = count - 1;
    let best = termOf(kernels, y, prior, Number.NEGATIVE_INFINITY);
    terms[prior] = best;
    for (let k = 0; k < prior; k++) {
      const term = termOf(kernels, y, k, best - CUTOFF);
      terms[k] = term;
      if (term > best) best = term;
    }
    let sum = 0;
    for (let k = 0; k < count; k++) {
      const term = terms[k] as number;
      if (term > best - CUTOFF) sum += Math.exp(term - best);
    }
    out[i] = best + Math.log(sum);
  }
  return out;
};

/** Kernel k's log term at y, or −∞ once it falls below `floor` (later dimensions can only lower it). */
const termOf = ({ d, mus, invSigmas, logCoefs }: Kernels, y: Float64Array, k: number, floor: number): number => {
  let term = logCoefs[k] as number;
  const base = k * d;
  for (let j = 0; j < d; j++) {
    const z = ((y[j] as number) - (mus[base + j] as number)) * (invSigmas[base + j] as number);
    term -= 0.5 * z * z;
    if (term < floor) return Number.NEGATIVE_INFINITY;
  }
  return term;
};
