import { compileSpace } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { contourLevels, contourSegments, evaluateGrid } from '../src/index.js';

describe('contours', () => {
  const space = compileSpace({
    x: { type: 'uniform', low: -2, high: 2 },
    y: { type: 'uniform', low: -2, high: 2 },
    z: { type: 'uniform', low: 0, high: 1 },
  });

  it('draws the level set of x² + y² = 1.1 as a closed circle of radius √1.1', async () => {
    const seen: unknown[] = [];
    const grid = await evaluateGrid(
      (p) => {
        seen.push(p.z);
        return (p.x as number) ** 2 + (p.y as number) ** 2;
      },
      space,
      ['x', 'y'],
      { z: 0.5 },
      41,
    );
    expect(grid.xs).toHaveLength(41);
    expect(new Set(seen)).toEqual(new Set([0.5]));
    const segments = contourSegments(grid, [1.1]);
    expect(segments.length).toBeGreaterThan(40);
    for (const s of segments) {
      expect(Math.hypot(s.x1, s.y1)).toBeCloseTo(Math.sqrt(1.1), 1);
      expect(Math.hypot(s.x2, s.y2)).toBeCloseTo(Math.sqrt(1.1), 1);
    }
    // The circle closes: every endpoint is shared by exactly two segments.
    const key = (x: number, y: number) => `${x.toFixed(9)},${y.toFixed(9)}`;
    const ends = new Map<string, number>();
    for (const s of segments) for (const k of [key(s.x1, s.y1), key(s.x2, s.y2)]) ends.set(k, (ends.get(k) ?? 0) + 1);
    expect([...ends.values()].every((n) => n === 2)).toBe(true);
  });

  it('skips cells where the function failed and picks levels at quantiles', async () => {
    const grid = await evaluateGrid(
      (p) => {
        if ((p.x as number) > 1) throw new Error('boom');
        return p.x as number;
      },
      space,
      ['x', 'y'],
      {},
      21,
    );
    expect(grid.z[0]?.filter(Number.isNaN)).toHaveLength(5);
    const levels = contourLevels(grid, 4);
    expect(levels).toHaveLength(4);
    expect(levels.every((level, i) => i === 0 || level > (levels[i - 1] as number))).toBe(true);
    const segments = contourSegments(grid, levels);
    expect(segments.every((s) => s.x1 <= 1 && s.x2 <= 1)).toBe(true);
    // Vertical lines x = level, one segment per row of cells.
    expect(segments.filter((s) => s.level === levels[0])).toHaveLength(20);
  });

  it('puts the default levels closer together toward the best values (trial 57: a small deep basin had no line)', async () => {
    // A deep narrow basin around (1, 1): under 2 % of the grid below -10.
    const basin = (p: Record<string, unknown>) =>
      -400 * Math.exp(-(((p.x as number) - 1) ** 2 + ((p.y as number) - 1) ** 2) / 0.02) + (p.x as number);
    const grid = await evaluateGrid(basin, space, ['x', 'y'], { z: 0.5 }, 40);
    const low = contourLevels(grid, 10);
    expect(low.filter((level) => level < -10).length).toBeGreaterThanOrEqual(1);
    expect(low.every((level, i) => i === 0 || level > (low[i - 1] as number))).toBe(true);
    // A maximize study: closer together toward the highest values, the same shape mirrored.
    const high = contourLevels({ ...grid, z: grid.z.map((row) => row.map((v) => -v)) }, 10, 'maximize');
    expect(high.filter((level) => level > 10).length).toBeGreaterThanOrEqual(1);
  });

  it('counts anything but a finite number as a failure, and says what the function gave', async () => {
    const grid = await evaluateGrid(
      (p) => ((p.x as number) < 0 ? ('abc' as unknown as number) : ('3' as unknown as number)),
      space,
      ['x', 'y'],
      {},
      4,
    );
    expect(grid.failed).toBe(16);
    expect(grid.firstFailure).toBe('it returned "abc"');
    expect(grid.z.flat().every(Number.isNaN)).toBe(true);
  });
});
