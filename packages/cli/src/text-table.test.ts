import { describe, expect, it } from 'vitest';
import { displayWidth, escapedUnshown, formatTable } from './text-table.js';

describe('formatTable', () => {
  it('aligns columns to their widest cell, right-aligning the listed ones', () => {
    expect(
      formatTable(
        ['#', 'name'],
        [
          ['1', 'a'],
          ['10', 'abc'],
        ],
        new Set([0]),
      ),
    ).toBe(' #  name\n 1  a\n10  abc');
  });

  it('counts terminal cells: two for a wide character, none for a combining mark (trial 88: 日本 stood out)', () => {
    expect(['abc', '日本', 'é', 'e\u0301', '한', '😀', 'ｘ'].map(displayWidth)).toEqual([3, 4, 1, 1, 2, 2, 2]);
    expect(
      formatTable(
        ['a', 'b'],
        [
          ['日本', 'x'],
          ['abcd', 'y'],
          ['e\u0301', 'z'],
        ],
      ),
    ).toBe('a     b\n日本  x\nabcd  y\ne\u0301     z');
  });

  it('counts an emoji two cells, per grapheme cluster: any emoji block, a ZWJ family, a skin tone (trial 183)', () => {
    const emoji = ['🚀', '✅', '☕', '⭐', '🟢', '🫠', '🙂', '👨\u200d👩\u200d👧', '👍🏽', '❤\ufe0f', '🇩🇪'];
    expect(emoji.map(displayWidth)).toEqual(emoji.map(() => 2));
    expect(['☕ Kaffee', '🟢 grün', 'plain', 'e\u0301te\u0301', '\u0301', '→'].map(displayWidth)).toEqual([
      9, 7, 5, 3, 0, 1,
    ]);
    expect(
      formatTable(
        ['x', 'y'],
        [
          ['🚀 rocket', '1'],
          ['✅ ok', '2'],
          ['plain', '3'],
        ],
      ),
    ).toBe('x          y\n🚀 rocket  1\n✅ ok      2\nplain      3');
  });

  it('escapes invisible characters in headers as in cells, but not a joiner that joins (trial 183)', () => {
    const zwsp = 'lr\u200brate';
    expect(formatTable([zwsp, 'b\ufeff'], [[zwsp, 'x']])).toBe('lr\\u200brate  b\\ufeff\nlr\\u200brate  x');
    // A ZWJ joining two emoji, a ZWJ after a Hindi virama, a ZWNJ in Persian: what the text shows, kept.
    for (const joined of ['👨\u200d👩\u200d👧', '👍🏽\u200d🔥', 'क्\u200dष', 'می\u200cخواهم'])
      expect(escapedUnshown(joined)).toBe(joined);
    // A joiner next to nothing it joins is escaped.
    expect(escapedUnshown('a\u200d')).toBe('a\\u200d');
    expect(escapedUnshown('\u200d👨')).toBe('\\u200d👨');
  });

  it('lists 150,000 rows (widths found by a loop: Math.max(...rows) overflowed the stack)', () => {
    const rows = Array.from({ length: 150_000 }, (_, i) => [String(i), i === 7 ? 'widest' : 'x']);
    const lines = formatTable(['#', 'v'], rows).split('\n');
    expect(lines).toHaveLength(150_001);
    expect(lines[1]).toBe('0       x');
  });
});
