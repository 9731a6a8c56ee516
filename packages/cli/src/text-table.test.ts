import { describe, expect, it } from 'vitest';
import { formatTable } from './text-table.js';

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

  it('lists 150,000 rows (widths found by a loop: Math.max(...rows) overflowed the stack)', () => {
    const rows = Array.from({ length: 150_000 }, (_, i) => [String(i), i === 7 ? 'widest' : 'x']);
    const lines = formatTable(['#', 'v'], rows).split('\n');
    expect(lines).toHaveLength(150_001);
    expect(lines[1]).toBe('0       x');
  });
});
