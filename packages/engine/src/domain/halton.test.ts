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
});
