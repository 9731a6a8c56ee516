import { compileSpace } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../src/index.js';
import { contourLevels, contourSegments, evaluateGrid, pageCharts } from '../src/plugin.js';
import { runTpeStudy } from './fixtures.js';

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

describe('contours on a log axis', () => {
  it('place a crossing in the log, where the log axis draws it (a coarse grid bent the lines at cell edges)', async () => {
    const study = await runTpeStudy(8, {
      space: { lr: { type: 'loguniform', low: 1e-4, high: 1 }, x: { type: 'uniform', low: 0, high: 1 } },
      objective: (p) => Math.log10(p.lr as number) + (p.x as number),
    });
    // log10(lr) is linear along the log axis: its level −2.5 is the vertical line lr = 10^−2.5, exactly.
    const page = await buildReport(study, {
      pairs: [['lr', 'x']],
      contour: (p) => Math.log10(p.lr as number),
      contourLevels: [-2.5],
      contourResolution: 8,
    });
    const pair = pageCharts(page).find((chart) => chart.id === 'pair-lr-x');
    if (pair === undefined) throw new Error('no chart pair-lr-x');
    type Row = { x: number; x2: number; level: number };
    const rows = (pair.spec as { layer: { data?: { values: Row[] } }[] }).layer[0]?.data?.values ?? [];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Math.log10(row.x)).toBeCloseTo(-2.5, 4);
      expect(Math.log10(row.x2)).toBeCloseTo(-2.5, 4);
    }
  });
});
