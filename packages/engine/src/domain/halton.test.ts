import { describe, expect, it } from 'vitest';
import { createHaltonScramble, firstPrimes, haltonCoordinate } from './halton.js';
import { createRng } from './rng.js';

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
      const permutation = scramble.permutations[dimension] as readonly number[];
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
      expect(createHaltonScramble(2, seed)).toEqual({
        permutations: [[0, 1], (u1 as number) < 0.5 ? [0, 2, 1] : [0, 1, 2]],
        shifts: [u2, u3],
      });
      kept.add((u1 as number) >= 0.5);
    }
    expect(kept.size).toBe(2); // the seeds show both cases
  });

  it('permutes each digit of the radical inverse, then shifts modulo 1', () => {
    const bases = firstPrimes(2);
    const scramble = {
      permutations: [
        [0, 1],
        [0, 2, 1],
      ],
      shifts: [0.25, 0.5],
    };
    // Base 2: 1 → 0.5, 2 → 0.01₂ = 0.25, 3 → 0.11₂ = 0.75; each + 0.25 (mod 1).
    expect([0, 1, 2].map((i) => haltonCoordinate(i, 0, bases, scramble))).toEqual([0.75, 0.5, 0]);
    // Base 3 with 1 ↔ 2: 1 → 0.2₃ = 2/3, 2 → 0.1₃ = 1/3, 3 = 10₃ → 0.02₃ = 2/9; each + 0.5 (mod 1).
    const third = [0, 1, 2].map((i) => haltonCoordinate(i, 1, bases, scramble));
    [1 / 6, 5 / 6, 13 / 18].forEach((expected, i) => {
      expect(third[i]).toBeCloseTo(expected, 12);
    });
    const seeded = createHaltonScramble(2, '5');
    expect(haltonCoordinate(0, 0, bases, seeded)).toBe((0.5 + (seeded.shifts[0] as number)) % 1);
  });
});
