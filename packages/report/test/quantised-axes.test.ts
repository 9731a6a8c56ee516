/** Quantized parameters: their axes hold every value the engine's grid gives, 0 of a log kind included. */

import { compileSpace, type ParamNode } from '@parzen/engine/plugin';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { paramAxis, paramScale } from '../src/charts/common.js';
import { parallelChart, sliceChart } from '../src/charts/study-charts.js';
import { pairChart } from '../src/charts/tpe-charts.js';
import type { TrialPoint } from '../src/trial-points.js';

// quniform(1, 10, 4) gives 0, 4 and 8 (0 is below low); qloguniform(1, 100, 10) gives 0, 10, ..., 100 (0 for every
// draw below 5, a third of them): the engine's gridSteps, as hyperopt rounds.
const space = compileSpace({
  a: { type: 'quniform', low: 1, high: 10, q: 4 },
  b: { type: 'qloguniform', low: 1, high: 100, q: 10 },
});
const [a, b] = space.params as [ParamNode, ParamNode];
const values: [number, number][] = [
  [0, 0],
  [4, 0],
  [8, 10],
  [0, 100],
  [4, 50],
  [8, 0],
];
const points: TrialPoint[] = values.map(([va, vb], number) => ({
  number,
  state: 'complete',
  loss: va + vb,
  best: 0,
  improved: number === 0,
  params: { a: va, b: vb },
  internal: { a: va, b: vb },
  seconds: 1,
}));

type SceneItem = { x?: number; items?: SceneMark[] };
type SceneMark = { marktype?: string; role?: string; items: SceneItem[] };

/** The x of every symbol and text item of the chart's marks (not its axes), as Vega draws them. */
const drawnX = async (spec: unknown): Promise<{ xs: number[]; width: number[] }> => {
  const view = new View(parse(compile(spec as TopLevelSpec).spec), { renderer: 'none' });
  await view.runAsync();
  const xs: number[] = [];
  const walk = (mark: SceneMark) => {
    const own = mark.role === 'mark' && (mark.marktype === 'symbol' || mark.marktype === 'text');
    for (const item of mark.items) {
      if (own) xs.push(item.x as number);
      for (const child of item.items ?? []) walk(child);
    }
  };
  walk((view.scenegraph() as unknown as { root: SceneMark }).root);
  view.finalize();
  return { xs, width: [view.width()] };
};

describe('quantized parameters past a bound', () => {
  it('scale a quantized axis over the grid the engine draws from, past the bounds', () => {
    expect(paramScale(a.distribution)).toEqual({ zero: false, domain: [0, 10], nice: false });
    // 0 cannot be drawn on a log axis: symlog, linear from 0 to q.
    expect(paramScale(b.distribution)).toEqual({ type: 'symlog', constant: 10, domain: [0, 100], nice: false });
    expect(paramAxis(b.distribution, [])).toEqual({ values: [0, 10, 20, 50, 100], format: '~r' });
    // A qloguniform whose grid starts above 0 stays on a log axis.
    expect(
      paramScale(
        compileSpace({ lr: { type: 'qloguniform', low: 1e-4, high: 1, q: 1e-5 } }).params[0]?.distribution as never,
      ),
    ).toMatchObject({ type: 'log' });
  });

  it('draws every trial of the slice plot inside its panel, 0 of a log kind included', async () => {
    const chart = sliceChart(points, space);
    const { xs } = await drawnX(chart.spec);
    expect(xs.length).toBe(2 * values.length);
    for (const x of xs) {
      expect(Number.isFinite(x)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(0);
    }
    expect(chart.description).toContain('b can be 0');
  });

  it('draws every trial of the pair plot inside it', async () => {
    const chart = pairChart(points, a, b, undefined, 0);
    const { xs } = await drawnX(chart.spec);
    expect(xs.length).toBeGreaterThanOrEqual(values.length);
    for (const x of xs) {
      expect(Number.isFinite(x)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(420);
    }
  });

  it('crosses every axis of the parallel coordinates with every trial (b = 0 was left out)', () => {
    const chart = parallelChart(points, space);
    const rows = (chart.spec as { layer: { data: { values: { number: number; axis: string; y: number }[] } }[] })
      .layer[0]?.data.values as { number: number; axis: string; y: number }[];
    for (const { number } of points) {
      const crossed = rows.filter((row) => row.number === number);
      expect(crossed.map((row) => row.axis)).toEqual(['a', 'b', 'loss']);
      for (const row of crossed) expect(row.y).toBeGreaterThanOrEqual(0);
    }
    const atZero = rows.filter((row) => row.axis === 'b' && row.number === 0);
    expect(atZero[0]?.y).toBe(0);
  });
});
