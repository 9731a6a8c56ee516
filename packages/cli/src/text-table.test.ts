import { describe, expect, it } from 'vitest';
import { displayWidth, formatTable } from './text-table.js';

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

  it('lists 150,000 rows (widths found by a loop: Math.max(...rows) overflowed the stack)', () => {
    const rows = Array.from({ length: 150_000 }, (_, i) => [String(i), i === 7 ? 'widest' : 'x']);
    const lines = formatTable(['#', 'v'], rows).split('\n');
    expect(lines).toHaveLength(150_001);
    expect(lines[1]).toBe('0       x');
  });
});
