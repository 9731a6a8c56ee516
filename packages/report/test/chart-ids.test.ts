import { describe, expect, it } from 'vitest';
import { chartId, MAX_CHART_ID_BYTES, uniqueChartIds } from '../src/charts/common.js';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('chart ids (file names of the SVG report)', () => {
  it('a long parameter name gives an id short enough for a file name, cut between characters (trial 183)', () => {
    for (const name of ['長'.repeat(90), `very_long_${'長'.repeat(120)}`, 'e\u0301'.repeat(200), 'क्षि'.repeat(60)]) {
      const id = chartId('density', name);
      expect(bytes(id)).toBeLessThanOrEqual(MAX_CHART_ID_BYTES);
      expect(bytes(`${id}-2.vl.json`)).toBeLessThanOrEqual(200);
      expect(id).toMatch(/^density-.+-[0-9a-f]{8}$/);
      expect(id).not.toMatch(/\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
    expect(chartId('density', 'e\u0301'.repeat(200)).replace(/-[0-9a-f]{8}$/, '')).toMatch(/e\u0301$/);
    // Whole characters kept: no letter without its accent or its vowel sign.
    expect(chartId('density', 'क्षि'.repeat(60)).replace(/-[0-9a-f]{8}$/, '')).toMatch(/षि$/);
    // Two long names alike in their first 180 bytes keep two ids; a short one is as it was.
    expect(chartId('density', `${'長'.repeat(90)}a`)).not.toBe(chartId('density', `${'長'.repeat(90)}b`));
    expect(chartId('density', 'Learning Rate')).toBe('density-learning_rate');
    // The next suggestion's charts (`next-` and a chart's id) are held to the same length.
    expect(bytes(chartId('next', chartId('density', '長'.repeat(90))))).toBeLessThanOrEqual(MAX_CHART_ID_BYTES);
  });

  it('ids alike but for case or Unicode normalisation are told apart (macOS disks ignore both)', () => {
    const charts = [{ id: 'density-caf\u00e9' }, { id: 'density-cafe\u0301' }, { id: 'density-CAFÉ' }];
    expect(uniqueChartIds(charts).map((chart) => chart.id)).toEqual([
      'density-caf\u00e9',
      'density-cafe\u0301-2',
      'density-CAFÉ-3',
    ]);
  });
});
