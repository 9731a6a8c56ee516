import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineFeed } from './line-feed.js';

/** A feed over a text stream whose handler records each line, then runs `handle`. */
const feed = (handle: (line: string) => unknown = () => undefined) => {
  const stream = new PassThrough({ encoding: 'utf8' });
  const seen: string[] = [];
  const failures: unknown[] = [];
  const lines = new LineFeed(
    stream,
    (line) => {
      seen.push(line);
      return handle(line);
    },
    (error) => failures.push(error),
  );
  stream.on('data', (chunk: string) => lines.push(chunk));
  stream.on('end', () => lines.end());
  return { stream, lines, seen, failures };
};

describe('LineFeed', () => {
  it('hands over lines in order across chunks, at \\n, \\r\\n and a lone \\r, the last one unterminated too', async () => {
    const { stream, lines, seen } = feed();
    stream.write('a\nb');
    stream.write('c\r\nprogress 1%\rprogress 2%\r');
    stream.end('\nlast');
    await lines.drained;
    expect(seen).toEqual(['a', 'bc', 'progress 1%', 'progress 2%', '', 'last']);
  });

  it('waits for each handler, and pauses the stream while too many lines wait', async () => {
    let running = 0;
    let overlap = false;
    let pausedSeen = false;
    const { stream, lines, seen } = feed(async () => {
      overlap ||= running > 0;
      running++;
      pausedSeen ||= stream.isPaused();
      await new Promise((resolve) => setImmediate(resolve));
      running--;
    });
    stream.end(`${Array.from({ length: 5000 }, (_, index) => String(index)).join('\n')}\n`);
    await lines.drained;
    expect(seen).toEqual(Array.from({ length: 5000 }, (_, index) => String(index)));
    expect(overlap).toBe(false);
    expect(pausedSeen).toBe(true);
    expect(stream.isPaused()).toBe(false);
  });

  it('passes over a line longer than a million characters, up to its end', async () => {
    const { stream, lines, seen } = feed();
    stream.write('before\n');
    for (let index = 0; index < 20; index++) stream.write('x'.repeat(65_536));
    stream.end('{"step": 1, "value": 2}\nafter\n');
    await lines.drained;
    expect(seen).toEqual(['before', 'after']);
  });

  it('passes over a line a little longer than a million characters however it is chunked, and keeps one at the limit', async () => {
    const long = `{"loss": 0.1, "pad": "${'p'.repeat(1_000_000)}"}`;
    const atLimit = `{"loss": 0.2, "pad": "${'p'.repeat(1_000_000 - 24)}"}`;
    expect(atLimit).toHaveLength(1_000_000);
    const bytes = `before\n${long}\n${atLimit}\nafter\n`;
    const sizes = [bytes.length, 65_536, 4096];
    for (const size of sizes) {
      const { stream, lines, seen } = feed();
      for (let start = 0; start < bytes.length; start += size) stream.write(bytes.slice(start, start + size));
      stream.end();
      await lines.drained;
      expect(seen, `chunks of ${size}`).toEqual(['before', atLimit, 'after']);
    }
    // A line whose newline comes in the same chunk as the bytes that took it past the limit.
    const { stream, lines, seen } = feed();
    stream.write(`${'x'.repeat(999_990)}`);
    stream.end(`${'x'.repeat(20)}\nafter\n`);
    await lines.drained;
    expect(seen).toEqual(['after']);
  });

  it('keeps the first failure, tells the owner once, and passes over the later lines', async () => {
    const { stream, lines, seen, failures } = feed((line) => {
      if (line.startsWith('bad')) throw new Error(line);
    });
    stream.end('ok\nbad 1\nbad 2\nok again\n');
    await lines.drained;
    expect(seen).toEqual(['ok', 'bad 1']);
    expect(lines.failed).toBe(true);
    expect((lines.error as Error).message).toBe('bad 1');
    expect(failures).toHaveLength(1);
  });
});

describe('LineFeed: lines as read', () => {
  it('tells each line as soon as it is read, ahead of a slow handler, then the end once', async () => {
    const stream = new PassThrough({ encoding: 'utf8' });
    const read: (string | undefined)[] = [];
    let release: () => void = () => undefined;
    const handled: string[] = [];
    const lines = new LineFeed(
      stream,
      async (line) => {
        if (handled.length === 0) await new Promise<void>((resolve) => (release = resolve));
        handled.push(line);
      },
      () => undefined,
      (line) => read.push(line),
    );
    lines.push('a\nb\nc');
    lines.end();
    lines.end();
    // The first line's handler still waits; every line, the unterminated last one too, is already told.
    expect(handled).toEqual([]);
    expect(read).toEqual(['a', 'b', 'c', undefined]);
    release();
    await lines.drained;
    expect(handled).toEqual(['a', 'b', 'c']);
  });
});
