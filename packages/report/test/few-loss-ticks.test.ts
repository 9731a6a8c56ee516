import { describe, expect, it } from 'vitest';
import { historyChart } from '../src/charts/study-charts.js';
import { specToSvg, type TrialPoint } from '../src/plugin.js';

// A loss axis over at most 5 distinct losses has a tick at each of them: each tick must be labelled with the loss it
// marks, not that loss rounded to the precision Vega derives from the axis's span ('~g' without a precision is
// given one by d3-scale's tickFormat).
describe('the ticks at each of a few distinct losses', () => {
  const points = (losses: readonly number[]): TrialPoint[] =>
    losses.map((loss, number) => ({
      number,
      state: 'complete',
      loss,
      best: Math.min(...losses.slice(0, number + 1)),
      improved: false,
      params: { x: number / 10 },
      internal: { x: number / 10 },
      seconds: 1,
    }));
  it.each([
    [[100, 123, 150, 180, 260], '123'],
    [[0.1, 0.123, 0.15, 0.18, 0.26], '0.123'],
  ])('labels a tick at each of %j with the loss it marks', async (losses, label) => {
    const svg = await specToSvg(historyChart(points(losses), 'minimize').spec);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toContain(label);
    expect(texts).not.toContain('1.2e+2');
  });
});
