import { describe, expect, it } from 'vitest';
import { createHaltonScramble, firstPrimes, haltonCoordinate } from './halton.js';
import { aleaState, createRng } from './rng.js';

// The construction from before the scramble kept only the first entries of each permutation: it built every
// permutation whole (4 GB at 10,000 dimensions). Kept here as the reference its points must equal bit for bit.
const referencePrimes = (count: number): number[] => {
  const primes: number[] = [];
  for (let candidate = 2; primes.length < count; candidate++) {
    if (primes.every((prime) => candidate % prime !== 0)) primes.push(candidate);
  }
  return primes;
};
const referenceScramble = (dimensions: number, seed: string) => {
  const rng = createRng(`halton:${seed}`);
  const primes = referencePrimes(dimensions);
  const permutations = primes.map((base) => {
    const digits = Array.from({ length: base }, (_, digit) => digit);
    for (let i = base - 1; i > 1; i--) {
      const j = 1 + Math.floor(rng.next() * i);
      [digits[i], digits[j]] = [digits[j] as number, digits[i] as number];
    }
    return digits;
  });
  return { permutations, shifts: primes.map(() => rng.next()) };
};
const referenceCoordinate = (
  index: number,
  dimension: number,
  bases: readonly number[],
  scramble: ReturnType<typeof referenceScramble>,
): number => {
  const base = bases[dimension] as number;
  const permutation = scramble.permutations[dimension] as number[];
  let remaining = index + 1;
  let factor = 1 / base;
  let value = 0;
  while (remaining > 0) {
    const digit = remaining % base;
    value += (permutation[digit] as number) * factor;
    remaining = Math.floor(remaining / base);
    factor /= base;
  }
  const shifted = value + (scramble.shifts[dimension] as number);
  return shifted - Math.floor(shifted);
};

/** Centred L2-style discrepancy proxy: the largest empty-box gap count over a grid of cells. */
const emptyCells = (points: readonly (readonly [number, number])[], cells: number): number => {
  const filled = new Set(points.map(([x, y]) => `${Math.floor(x * cells)}:${Math.floor(y * cells)}`));
  return cells * cells - filled.size;
};

describe('Halton sequence', () => {
  it('gives the radical inverses in bases 2 and 3', () => {
    const bases = firstPrimes(2);
    expect(bases).toEqual([2, 3]);
    expect([0, 1, 2, 3].map((i) => haltonCoordinate(i, 0, bases))).toEqual([0.5, 0.25, 0.75, 0.125]);
    expect([0, 1, 2].map((i) => haltonCoordinate(i, 1, bases))).toEqual([1 / 3, 2 / 3, 1 / 9]);
  });

  it('covers the square more evenly than independent uniform draws', () => {
    const bases = firstPrimes(2);
    const scramble = createHaltonScramble(2, '1');
    const halton = Array.from(
      { length: 64 },
      (_, i) => [haltonCoordinate(i, 0, bases, scramble), haltonCoordinate(i, 1, bases, scramble)] as const,
    );
    const rng = createRng('uniform');
    const uniform = Array.from({ length: 64 }, () => [rng.next(), rng.next()] as const);
    expect(emptyCells(halton, 8)).toBeLessThan(emptyCells(uniform, 8));
    expect(emptyCells(halton, 4)).toBe(0);
  });

  it('scrambles reproducibly from a seed, keeping points in [0, 1)', () => {
    const bases = firstPrimes(5);
    const a = createHaltonScramble(5, '7');
    const b = createHaltonScramble(5, '7');
    const c = createHaltonScramble(5, '8');
    const point = (scramble: typeof a) => bases.map((_, d) => haltonCoordinate(10, d, bases, scramble));
    expect(point(a)).toEqual(point(b));
    expect(point(a)).not.toEqual(point(c));
    for (const u of point(a)) expect(u >= 0 && u < 1).toBe(true);
  });

  it('keeps digit 0 in place in every permutation, and permutes the digits 1…b−1', () => {
    const scramble = createHaltonScramble(8, 'digits');
    firstPrimes(8).forEach((base, dimension) => {
      const permutation = Array.from({ length: base }, (_, digit) => scramble.permute(dimension, digit));
      expect(permutation[0]).toBe(0);
      expect([...permutation].sort((a, b) => a - b)).toEqual(Array.from({ length: base }, (_, digit) => digit));
    });
  });

  it('draws the scramble from the seed’s stream: base 2 takes no draw, base 3 one swap draw, then a shift each', () => {
    // Every worker and every version must derive the same scramble from a study seed. For bases 2 and 3:
    // [0, 1] as it is; digit 2 swaps with digit 1 + ⌊2·u1⌋ (u1 < 1/2: [0, 2, 1], else [0, 1, 2] kept);
    // the shifts are u2 and u3.
    const kept = new Set<boolean>();
    for (const seed of ['1', '2', '3', '4', '5', '6']) {
      const rng = createRng(`halton:${seed}`);
      const [u1, u2, u3] = [rng.next(), rng.next(), rng.next()];
      const scramble = createHaltonScramble(2, seed);
      expect([0, 1].map((digit) => scramble.permute(0, digit))).toEqual([0, 1]);
      expect([0, 1, 2].map((digit) => scramble.permute(1, digit))).toEqual(
        (u1 as number) < 0.5 ? [0, 2, 1] : [0, 1, 2],
      );
      expect([scramble.shift(0), scramble.shift(1)]).toEqual([u2, u3]);
      kept.add((u1 as number) >= 0.5);
    }
    expect(kept.size).toBe(2); // the seeds show both cases
  });

  it('steps the seed’s generator inline exactly as createRng draws it', () => {
    for (const seed of ['halton:1', 'halton:abc', '']) {
      const rng = createRng(seed);
      let { c, s0, s1, s2 } = aleaState(seed);
      for (let draw = 0; draw < 10_000; draw++) {
        const t = 2091639 * s0 + c * 2.3283064365386963e-10;
        s0 = s1;
        s1 = s2;
        c = t | 0;
        s2 = t - c;
        expect(s2).toBe(rng.next());
      }
    }
  });

  it('gives the primes of the trial-division construction', () => {
    expect(firstPrimes(0)).toEqual([]);
    expect(firstPrimes(1)).toEqual([2]);
    for (const count of [5, 6, 7, 100, 1_000, 2_345]) expect(firstPrimes(count)).toEqual(referencePrimes(count));
  });

  it('gives every point of the construction that built whole permutations, bit for bit', () => {
    // Resumed and parallel studies must keep drawing the points their earlier trials drew: every coordinate of
    // points 0…600 in 1…60 dimensions (past the first entries kept, 128, and past the bases, so several digits),
    // and in 1,000 dimensions points 0…40 and indices far beyond the first entries in a sample of dimensions.
    for (const seed of ['1', '2', '7', 'name']) {
      for (const dimensions of [1, 2, 3, 10, 60]) {
        const bases = firstPrimes(dimensions);
        const reference = referenceScramble(dimensions, seed);
        const scramble = createHaltonScramble(dimensions, seed);
        for (let index = 0; index <= 600; index++) {
          for (let dimension = 0; dimension < dimensions; dimension++) {
            const expected = referenceCoordinate(index, dimension, bases, reference);
            if (haltonCoordinate(index, dimension, bases, scramble) !== expected) {
              expect([seed, dimensions, index, dimension, haltonCoordinate(index, dimension, bases, scramble)]).toEqual(
                [seed, dimensions, index, dimension, expected],
              );
            }
          }
        }
      }
    }
    const bases = firstPrimes(1_000);
    const reference = referenceScramble(1_000, '1');
    const scramble = createHaltonScramble(1_000, '1');
    const indices = [
      ...Array.from({ length: 41 }, (_, index) => index),
      126,
      127,
      128,
      255,
      256,
      1_000,
      5_000,
      7_918,
      12_345,
      99_999,
      1_000_000,
    ];
    for (const index of indices) {
      for (let dimension = index <= 40 ? 0 : index % 7; dimension < 1_000; dimension += index <= 40 ? 1 : 7) {
        const expected = referenceCoordinate(index, dimension, bases, reference);
        if (haltonCoordinate(index, dimension, bases, scramble) !== expected) {
          expect([index, dimension, haltonCoordinate(index, dimension, bases, scramble)]).toEqual([
            index,
            dimension,
            expected,
          ]);
        }
      }
    }
  });

  it('keeps the points stored studies drew (values computed by the construction that built whole permutations)', () => {
    const pointsOf = (dimensions: number, at: readonly (readonly [number, number])[]) => {
      const bases = firstPrimes(dimensions);
      const scramble = createHaltonScramble(dimensions, '1');
      return at.map(([index, dimension]) => haltonCoordinate(index, dimension, bases, scramble));
    };
    // trial158's 2-D study of seed 1: x = 0.4753, y = 0.9221; 0.2253, 0.2554; … trial 29.
    expect(
      pointsOf(2, [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
        [29, 0],
        [29, 1],
      ]),
    ).toEqual([
      0.47530300565995276, 0.9221141083010782, 0.22530300565995276, 0.25544744163441147, 0.44405300565995276,
      0.7122375650912017,
    ]);
    expect(
      pointsOf(1_000, [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
        [4, 2],
        [0, 999],
        [3, 999],
        [500, 999],
      ]),
    ).toEqual([
      0.22309368895366788, 0.2422544163030882, 0.9730936889536679, 0.5755877496364215, 0.820628730468452,
      0.9322637134466074, 0.15678701184286958, 0.6016664158080167,
    ]);
  });

  it('holds memory linear in the dimensions, not the sum of their bases', () => {
    // 2,000 dimensions: the whole permutations held 15 million digits (over 100 MB); the first entries, 1 MB.
    const before = process.memoryUsage();
    const bases = firstPrimes(2_000);
    const scramble = createHaltonScramble(2_000, '1');
    const point = bases.map((_, dimension) => haltonCoordinate(3, dimension, bases, scramble));
    const after = process.memoryUsage();
    const grown = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
    expect(point).toHaveLength(2_000);
    expect(grown / 2 ** 20).toBeLessThan(16);
  });

  it('permutes each digit of the radical inverse, then shifts modulo 1', () => {
    const bases = firstPrimes(2);
    const permutations = [
      [0, 1],
      [0, 2, 1],
    ];
    const shifts = [0.25, 0.5];
    const scramble = {
      permute: (dimension: number, digit: number) => permutations[dimension]?.[digit] as number,
      shift: (dimension: number) => shifts[dimension] as number,
    };
    // Base 2: 1 → 0.5, 2 → 0.01₂ = 0.25, 3 → 0.11₂ = 0.75; each + 0.25 (mod 1).
    expect([0, 1, 2].map((i) => haltonCoordinate(i, 0, bases, scramble))).toEqual([0.75, 0.5, 0]);
    // Base 3 with 1 ↔ 2: 1 → 0.2₃ = 2/3, 2 → 0.1₃ = 1/3, 3 = 10₃ → 0.02₃ = 2/9; each + 0.5 (mod 1).
    const third = [0, 1, 2].map((i) => haltonCoordinate(i, 1, bases, scramble));
    [1 / 6, 5 / 6, 13 / 18].forEach((expected, i) => {
      expect(third[i]).toBeCloseTo(expected, 12);
    });
    const seeded = createHaltonScramble(2, '5');
    expect(haltonCoordinate(0, 0, bases, seeded)).toBe((0.5 + seeded.shift(0)) % 1);
  });
});
