/** Long learning curves: each thinned to a bounded number of reports, said on the page, inlined once. */

import { compileSpace, type Trial } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { CURVE_POINTS, curveIndices, learningCurvesChart } from '../src/charts/study-charts.js';
import { buildReport } from '../src/index.js';
import { pageCharts } from '../src/plugin.js';

const STEPS = 3000;

/** A trial reporting every step: a decreasing curve with a bump, or (noisy) a curve with few new bests. */
const trial = (number: number, value: (step: number) => number, state: Trial['state'] = 'complete'): Trial =>
  ({
    study: 'long',
    number,
    state,
    ...(state === 'complete' ? { loss: value(STEPS - 1) } : {}),
    internal: { x: number / 10 },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    intermediate: Array.from({ length: STEPS }, (_, step) => ({ step, value: value(step) })),
  }) as Trial;

type Row = { number: number; step: number; value: number };
const specOf = (trials: readonly Trial[]) => {
  const chart = learningCurvesChart(trials);
  if (chart === undefined) throw new Error('no learning curves');
  return chart.spec as { data?: { values: Row[] }; layer: { data?: { values: Row[] } }[] };
};

describe('learning curves of many reports', () => {
  it('keep the first and last report, every new best, and at most CURVE_POINTS of a curve', () => {
    // New bests at steps 0, 700 and 2100 only: the rest of the curve is above them.
    const few = (step: number) => (step === 700 ? 0.5 : step === 2100 ? 0.1 : 1 + ((step * 37) % 11) / 10);
    const points = Array.from({ length: STEPS }, (_, step) => ({ step, value: few(step) }));
    const drawn = curveIndices(points, 'minimize');
    expect(drawn.length).toBe(CURVE_POINTS);
    expect(drawn).toEqual([...drawn].sort((a, b) => a - b));
    expect(drawn).toEqual(expect.arrayContaining([0, 700, 2100, STEPS - 1]));
    // In a maximize study the new bests are the highs.
    expect(curveIndices(points, 'maximize')).toContain(1);
    // A curve whose every report is a new best is thinned evenly, its last report kept.
    const falling = Array.from({ length: STEPS }, (_, step) => ({ step, value: 1 / (1 + step) }));
    const even = curveIndices(falling, 'minimize');
    expect(even.length).toBe(CURVE_POINTS);
    expect(even[0]).toBe(0);
    expect(even.at(-1)).toBe(STEPS - 1);
    // A short curve is drawn whole.
    expect(curveIndices(falling.slice(0, 50), 'minimize')).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('inline the reports once, for the lines and the points', () => {
    const spec = specOf([trial(0, (step) => 1 / (1 + step)), trial(1, (step) => 2 / (1 + step), 'pruned')]);
    expect(spec.data?.values.length).toBe(2 * CURVE_POINTS);
    // The lines and the points read the spec's data; only the pruned trials' diamonds have their own.
    expect(spec.layer.map((layer) => layer.data?.values.length)).toEqual([undefined, undefined, 1]);
  });

  it('say the thinning on the page', async () => {
    const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 } });
    const trials = [0, 1, 2].map((number) => trial(number, (step) => number + 1 / (1 + step)));
    const page = await buildReport({ name: 'long', direction: 'minimize', seed: 1, space, trials });
    const chart = pageCharts(page).find((c) => c.id === 'learning-curves');
    expect(chart?.marks).toEqual([
      { mark: 'line', count: 3 },
      { mark: 'symbol', count: 3 * CURVE_POINTS },
    ]);
    expect(page.notes).toContain(
      `The learning curves draw at most ${CURVE_POINTS} of each trial's reports (of up to 3,000: its first and last, each new best value, the rest evenly spaced by step); the tooltips give the values of the reports drawn.`,
    );
  });
});
