import { describe, expect, it } from 'vitest';
import { writeLines } from './output.js';

describe('writeLines', () => {
  it('writes 500 lines a batch, and fewer when they are long (review 44: a batch of big rows passed the 512 MiB string limit)', async () => {
    const written: string[] = [];
    const output = { result: (line: string) => written.push(line), note: () => undefined };
    await writeLines(
      output,
      Array.from({ length: 1001 }, (_, i) => String(i)),
    );
    expect(written.map((batch) => batch.split('\n').length)).toEqual([500, 500, 1]);
    written.length = 0;
    // Lines of 9 MiB: two make a batch past 16 MiB, written at once; every line kept, in order.
    const big = Array.from({ length: 5 }, (_, i) => String(i).repeat(9 * 1024 * 1024));
    await writeLines(output, big);
    expect(written.map((batch) => batch.split('\n').length)).toEqual([2, 2, 1]);
    expect(written.join('\n').split('\n')).toEqual(big);
  });
});
