import { describe, expect, it } from 'vitest';
import { handWritten } from './latency-notes.js';

const mark = "(kept by --write from an earlier run: its figures are not this table's)";
const table =
  '| profile | finished trials | median ms | p90 ms | mean CPU ms | cold ms |\n|---|---|---|---|---|---|\n| parzen | 100 | 0.1 | 0.2 | 0.3 | 1.0 |';

describe('tpe-latency --write keeps what it did not write (trial 105, review 109: it lost readings)', () => {
  it('keeps every reading in its place, drops its own paragraphs and the old mark', () => {
    const file = [
      '# TPE suggestion latency',
      'Machine: 2 cores. Command: `...`.',
      'One suggestion (history sync, split, ...)',
      '`parzen-joint` and `parzen-groups` are ...',
      'A note that does not start with stars.',
      '**2026-12-04:** a dated reading, with its own table:\n\n| profile | finished trials | median ms |\n|---|---|---|\n| old | 1 | 2 |',
      mark,
      table,
      'A reading after the table.',
    ].join('\n\n');
    const { before, after } = handWritten(`${file}\n`, mark);
    expect(before).toBe(
      'A note that does not start with stars.\n\n**2026-12-04:** a dated reading, with its own table:\n\n| profile | finished trials | median ms |\n|---|---|---|\n| old | 1 | 2 |',
    );
    expect(after).toBe('A reading after the table.');
  });

  it('gives nothing for a file of its own paragraphs, or no file', () => {
    expect(handWritten(['# TPE suggestion latency', 'Machine: x.', table].join('\n\n'), mark)).toEqual({
      before: '',
      after: '',
    });
    expect(handWritten('', mark)).toEqual({ before: '', after: '' });
  });
});
