import type { CompiledSpace, ParamNode } from './compile-space.js';
import { aleaState, aleaStep } from './rng.js';
import { sampleFromUnit } from './sample-distribution.js';

/** The first `count` primes (the Halton bases), by a sieve of Eratosthenes grown until it holds them. */
export const firstPrimes = (count: number): number[] => {
  for (let limit = 16; ; limit *= 2) {
    const composite = new Uint8Array(limit + 1);
    const primes: number[] = [];
    for (let candidate = 2; candidate <= limit && primes.length < count; candidate++) {
      if (composite[candidate] === 1) continue;
      primes.push(candidate);
      for (let multiple = candidate * candidate; multiple <= limit; multiple += candidate) composite[multiple] = 1;
    }
    if (primes.length >= count) return primes;
  }
};

/** A scrambling of the Halton sequence: per dimension, a digit permutation (0 fixed) and a random shift. */
export interface HaltonScramble {
  /** The digit that `digit` (0 ≤ digit < the dimension's base) becomes in `dimension`'s permutation. */
  permute(dimension: number, digit: number): number;
  /** The shift of `dimension`, in [0, 1). */
  shift(dimension: number): number;
}

/** Entries of each permutation kept at first: the only ones read by the first points in a large base. */
const FIRST_ENTRIES = 128;

/**
 * Shuffles the digits 1…base−1 of `work` (digit 0 stays) from the generator state `state` (c, s0, s1, s2: see
 * `aleaState`), as `createRng(...).next()` would draw, leaving `state` at the next draw; keeps the first `keep`
 * entries. A backward Fisher–Yates: every entry depends on every draw, so the draws are all made, but only
 * `keep` entries are kept.
 */
const shuffleDigits = (state: Float64Array, base: number, work: Int32Array, keep: number): Int32Array => {
  for (let digit = 0; digit < base; digit++) work[digit] = digit;
  for (let i = base - 1; i > 1; i--) {
    const j = 1 + Math.floor(aleaStep(state) * i);
    const swapped = work[i] as number;
    work[i] = work[j] as number;
    work[j] = swapped;
  }
  return work.slice(0, keep);
};

/**
 * A scrambling for `dimensions` dimensions from a seed. Every worker of a study derives the same one
 * from the study seed, so parallel processes walk one sequence. The seed's stream gives each dimension in turn
 * its permutation (a Fisher–Yates shuffle of the digits 1…base−1, base − 2 draws), then every dimension its
 * shift. Only the first entries of each permutation are kept (a point of index below the base reads one digit,
 * index + 1), with the stream's state where the dimension's draws begin, to shuffle it again further when a
 * later point reads a larger digit (to twice the entries kept, so at points 127, 255, 511, …): the values are
 * those of the full permutations, in memory of about min(base, 2 × the points read) per dimension (the full
 * tables took the sum of the bases: 4 GB at 10,000 parameters).
 */
export const createHaltonScramble = (
  dimensions: number,
  seed: string,
  bases: readonly number[] = firstPrimes(dimensions),
): HaltonScramble => {
  const { c, s0, s1, s2 } = aleaState(`halton:${seed}`);
  const state = Float64Array.of(c, s0, s1, s2);
  const starts = new Float64Array(4 * dimensions);
  const work = new Int32Array(bases.slice(0, dimensions).reduce((largest, base) => Math.max(largest, base), 0));
  const tables: Int32Array[] = [];
  for (let dimension = 0; dimension < dimensions; dimension++) {
    const base = bases[dimension] as number;
    starts.set(state, 4 * dimension);
    tables.push(shuffleDigits(state, base, work, Math.min(base, FIRST_ENTRIES)));
  }
  const shifts = Array.from({ length: dimensions }, () => aleaStep(state));
  return {
    permute: (dimension, digit) => {
      const table = tables[dimension];
      if (table === undefined) throw new RangeError(`Halton dimension ${dimension} has no permutation`);
      if (digit < table.length) return table[digit] as number;
      const base = bases[dimension] as number;
      const longer = shuffleDigits(
        starts.slice(4 * dimension, 4 * dimension + 4),
        base,
        work,
        Math.min(base, Math.max(2 * table.length, digit + 1)),
      );
      tables[dimension] = longer;
      return longer[digit] as number;
    },
    shift: (dimension) => {
      const shift = shifts[dimension];
      if (shift === undefined) throw new RangeError(`Halton dimension ${dimension} has no shift`);
      return shift;
    },
  };
};

/**
 * Coordinate `dimension` of point `index` of the Halton sequence: the radical inverse of `index + 1` in
 * the dimension's prime base (skipping the all-zero point 0), with the digits permuted and the result
 * shifted modulo 1 when a scramble is given. Low discrepancy: in a few dimensions n points cover [0, 1)^d far
 * more evenly than n independent uniform draws, which clump and leave holes; the gain shrinks as dimensions
 * grow (scrambled, about 10 % at 20 dimensions and 5 points; unscrambled, worse than random from about 20).
 */
export const haltonCoordinate = (
  index: number,
  dimension: number,
  bases: readonly number[],
  scramble?: HaltonScramble,
): number => {
  const base = bases[dimension];
  if (base === undefined) throw new RangeError(`Halton dimension ${dimension} has no base`);
  let remaining = index + 1;
  let factor = 1 / base;
  let value = 0;
  while (remaining > 0) {
    const digit = remaining % base;
    value += (scramble === undefined ? digit : scramble.permute(dimension, digit)) * factor;
    remaining = Math.floor(remaining / base);
    factor /= base;
  }
  const shifted = value + (scramble === undefined ? 0 : scramble.shift(dimension));
  return shifted - Math.floor(shifted);
};

/** Draws parameter values from the Halton point of a trial; see {@link createHaltonSampler}. */
export interface HaltonSampler {
  /** The value of `param` in point `trialNumber`, mapped onto its prior. */
  sample(trialNumber: number, param: ParamNode): number;
}

/**
 * Quasi-random values for a space: trial n takes point n of a Halton sequence with one dimension per
 * parameter (conditional ones included), scrambled from the study seed unless `scramble` is false, and
 * mapped onto each prior by its inverse CDF. The value depends only on (seed, the space's parameters in study
 * order, trial number, parameter), so it is reproducible, resumable and the same in every worker process; a
 * space with one parameter more gets other values for every parameter (the scramble draws every dimension's
 * permutation before the shifts).
 */
export const createHaltonSampler = (space: CompiledSpace, seed: number | string, scramble = true): HaltonSampler => {
  const bases = firstPrimes(space.params.length);
  const scrambling = scramble ? createHaltonScramble(space.params.length, String(seed), bases) : undefined;
  const dimensions = new Map(space.params.map((param, index) => [param.name, index]));
  return {
    sample: (trialNumber, param) => {
      const dimension = dimensions.get(param.name);
      if (dimension === undefined) throw new RangeError(`Parameter \`${param.name}\` is not in the space`);
      return sampleFromUnit(param.distribution, haltonCoordinate(trialNumber, dimension, bases, scrambling));
    },
  };
};
