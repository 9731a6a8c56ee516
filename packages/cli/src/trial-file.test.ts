import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compileSpace } from '@parzen/engine/plugin';
import { afterAll, describe, expect, it } from 'vitest';
import { fileLines, readTrialFile } from './trial-file.js';

const dir = mkdtempSync(join(tmpdir(), 'parzen-trial-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('fileLines: a file read in chunks of whole lines (review 45: past 512 MiB, import failed)', () => {
  const texts = [
    '',
    '\n',
    'a',
    'a\n',
    '\uFEFFfirst\r\nsecond\n\nthird',
    'é€😀\n{"x":"日本語"}\n\n\nlast line without end',
    `${'long'.repeat(40)}\nshort\n${'x'.repeat(100)}\n`,
  ];
  it('gives the lines one whole read gives, at every chunk size from one byte up', () => {
    for (const [n, text] of texts.entries()) {
      const path = write(`t${n}.txt`, text);
      const parts = text.replace(/^\uFEFF/, '').split('\n');
      const expected = text === '' ? [] : text.endsWith('\n') ? parts.slice(0, -1) : parts;
      for (let chunk = 1; chunk <= Buffer.byteLength(text) + 2; chunk++)
        expect([...fileLines(path, chunk)], `text ${n}, chunk ${chunk}`).toEqual(expected);
    }
  });
});

describe('readTrialFile', () => {
  const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 } });
  it('reads an export the same at any chunk size, line numbers included', () => {
    const header = { parzen: 'export', version: 1, study: { name: 's', direction: 'minimize', seed: 1, space: {} } };
    const text =
      `\uFEFF${JSON.stringify(header)}\n` +
      `${JSON.stringify({ params: { x: 0.5 }, loss: 1, attrs: { note: 'héllo 😀' } })}\n\n` +
      'not json\n' +
      `${JSON.stringify({ params: { x: 0.25 }, loss: 2 })}`;
    const path = write('export.jsonl', text);
    const whole = readTrialFile(path, space);
    expect(whole.kind).toBe('export');
    expect(whole.lines).toEqual([2, 5]);
    expect(whole.bad.map((entry) => entry.row)).toEqual([4]);
    for (const chunk of [1, 2, 7, 64, 1 << 20]) expect(readTrialFile(path, space, chunk)).toEqual(whole);
  });

  it("keeps a parameter's name with a leading or trailing space as its column, and trims other cells (trial 52)", () => {
    const spaced = compileSpace({
      'x ': { type: 'uniform', low: 0, high: 1 },
      x: { type: 'uniform', low: 0, high: 1 },
      ' ': { type: 'uniform', low: 0, high: 1 },
    });
    const path = write('spaced.csv', 'x , x, ,  loss\n0.25,0.5,0.75,1\n');
    expect(readTrialFile(path, spaced).rows).toEqual([{ params: { 'x ': 0.25, x: 0.5, ' ': 0.75 }, loss: 1 }]);
  });

  it("takes no inherited member for a state or a column (review 97: state `constructor` was 'found function')", () => {
    const path = write('members.csv', 'x,loss,state\n0.5,1,constructor\n');
    const [row] = readTrialFile(path, space).rows as Record<string, unknown>[];
    expect(row?.state).toBe('constructor');
    // A column named as one is an unknown column (its pointer was `/function toString() { [native code] }`).
    const column = write('member-column.csv', 'x,loss,toString\n0.5,1,2\n');
    expect(() => readTrialFile(column, space)).toThrow(/\(unknown: toString\)\.$/);
  });
});

describe('fileLines from a pipe (review 47: `zcat x.gz | parzen import cfg /dev/stdin` failed with ESPIPE)', () => {
  it.runIf(process.platform !== 'win32')('reads a FIFO a writer fills, in small chunks', () => {
    const fifo = join(dir, 'lines.fifo');
    execFileSync('mkfifo', [fifo]);
    const text = 'one\ntwo é\n\nthree';
    // The writer is another process: the read below blocks until it opens the FIFO.
    const writer = spawn('sh', ['-c', `printf '%s' "$0" > "$1"`, text, fifo], { stdio: 'ignore' });
    try {
      expect([...fileLines(fifo, 3)]).toEqual(['one', 'two é', '', 'three']);
    } finally {
      writer.kill();
    }
  });
});

describe('readTrialFile of bytes that are not UTF-8 text (trial 183)', () => {
  const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 } });
  const rows = Buffer.concat([
    Buffer.from('{"params":{"x":0.5},"loss":1}\n{"params":{"x":0.5},"loss":2}\n'),
    Buffer.from('{"params":{"x":0.5},"loss":3,"attrs":{"n":"caf\xe9"}}\n', 'latin1'),
  ]);
  it('refuses standard input that is not, naming the first bad line', () => {
    expect(() => readTrialFile('-', space, undefined, rows)).toThrow(
      /^standard input: is not UTF-8 text \(.*Windows-1252.*\); line 3 is the first that is not\./,
    );
  });
  // Review 181: gzip piped in was said as "a binary file, or text in another encoding".
  it('says gzip-compressed standard input is compressed, and how to decompress it in the pipe', () => {
    expect(() => readTrialFile('-', space, undefined, gzipSync(rows))).toThrow(
      /^standard input is gzip-compressed: .*zcat FILE \| parzen import CONFIG -$/,
    );
  });
  it('names the same line in a file read in parts of any size', () => {
    const path = join(dir, 'latin1.jsonl');
    writeFileSync(path, rows);
    for (const chunk of [1, 7, 40, 1 << 20])
      expect(() => readTrialFile(path, space, chunk), `chunk ${chunk}`).toThrow(/; line 3 is the first that is not\./);
  });
});
