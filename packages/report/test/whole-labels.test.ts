import { describe, expect, it } from 'vitest';
import { cutWhole, graphemes } from '../src/graphemes.js';
import { specToSvg } from '../src/plugin.js';

/** Long names whose UTF-16 cut falls inside a character: surrogate pairs, NFD accents, ZWJ families. */
const NAMES = [
  '🚀'.repeat(40),
  'e\u0301'.repeat(40),
  'a🚀'.repeat(20),
  '👨\u200d👩\u200d👧'.repeat(10),
  '家'.repeat(40),
];

describe('labels cut between whole characters (trial 183)', () => {
  it('an SVG cuts a long axis label, title or text mark only between grapheme clusters', async () => {
    const spec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: NAMES[1] as string, limit: 120 },
      data: { values: NAMES.map((name, i) => ({ name, value: i + 1 })) },
      layer: [
        {
          mark: 'bar',
          encoding: { y: { field: 'name', type: 'nominal' }, x: { field: 'value', type: 'quantitative' } },
        },
        {
          mark: { type: 'text', limit: 90, align: 'left' },
          encoding: {
            y: { field: 'name', type: 'nominal' },
            x: { field: 'value', type: 'quantitative' },
            text: { field: 'name' },
          },
        },
      ],
    };
    const svg = await specToSvg(spec as never);
    const cut = [...svg.matchAll(/<text[^>]*>([^<]*)…<\/text>/g)].map((m) => m[1] as string);
    // The axis labels (5), the text marks (5) and the title: each cut, each a whole-character start of its name.
    expect(cut.length).toBeGreaterThanOrEqual(11);
    for (const kept of cut) {
      expect(kept).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|\uFFFD/);
      const name = NAMES.find((n) => n.startsWith(kept)) as string;
      expect(name, kept).toBeDefined();
      const parts = graphemes(name);
      expect(
        parts.some((_, k) => parts.slice(0, k).join('') === kept),
        kept,
      ).toBe(true);
    }
  });

  it('cuts from the start or, right to left, from the end, keeping whole clusters', () => {
    const fits = (shown: string) => shown.length <= 6;
    expect(cutWhole('🚀🚀🚀🚀', fits)).toBe('🚀🚀…');
    expect(cutWhole('e\u0301e\u0301e\u0301e\u0301', fits, '…', true)).toBe('…e\u0301e\u0301');
    expect(cutWhole('short', fits)).toBe('short');
  });
});
