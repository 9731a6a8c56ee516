import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { relayStdio } from './relay-stdio.js';
import { ownChunk, relayThreadChunk, stdioCounter } from './thread-stdio.js';

describe('the chunks a worker thread posts', () => {
  it('copies a view into a larger buffer to its own bytes (review 58: each small Buffer posted 8 KiB of pool)', () => {
    const pooled = Buffer.from('ab\n');
    expect(pooled.buffer.byteLength).toBeGreaterThan(3); // Node's pool of small Buffers
    const posted = ownChunk(pooled) as Uint8Array;
    expect(posted.buffer.byteLength).toBe(3);
    expect(Buffer.from(posted).toString()).toBe('ab\n');
    const view = new Uint8Array(1 << 20).subarray(10, 13);
    expect((ownChunk(view) as Uint8Array).buffer.byteLength).toBe(3);
    // Whole buffers and strings go as they are.
    const whole = new Uint8Array([1, 2, 3]);
    expect(ownChunk(whole)).toBe(whole);
    expect(ownChunk('text')).toBe('text');
  });
});

// Trial 149: `parzen run | head -c 100` with a thread whose timer printed on. Node's stdout is never destroyed by
// EPIPE (each later write fails anew, with an error and a close event), so the relay, which looked only for a
// destroyed or ended stream, wrote and failed chunk after chunk on the main thread, and the run hung.
describe('output whose reader closed the pipe (EPIPE)', () => {
  const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' });

  it("a thread's chunk is counted as taken at once and not written, once a write to stdout failed", () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => false);
    Object.defineProperty(process.stdout, 'errored', { value: epipe, configurable: true });
    try {
      const inFlight = stdioCounter();
      Atomics.add(inFlight, 0, 'tick\n'.length + 64);
      relayThreadChunk({ type: 'stdio', fd: 1, chunk: 'tick\n' }, inFlight);
      expect(write).not.toHaveBeenCalled();
      expect(Atomics.load(inFlight, 0)).toBe(0);
    } finally {
      delete (process.stdout as { errored?: unknown }).errored;
      write.mockRestore();
    }
  });

  it("a thread's Node stdio flows into nothing after a failed write to a stream left errored, not destroyed", async () => {
    let writes = 0;
    // As a pipe's stdout: a failed write leaves it errored, not destroyed.
    const to = new Writable({
      autoDestroy: false,
      write: (_chunk, _encoding, callback) => {
        writes += 1;
        callback(epipe);
        // As stdout after EPIPE: a close event, though it is not destroyed.
        setImmediate(() => to.emit('close'));
      },
    });
    to.on('error', () => undefined);
    const from = new PassThrough();
    relayStdio(from, to);
    from.write('first\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(to.destroyed).toBe(false);
    for (let i = 0; i < 100; i++) from.write('more\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Taken and dropped: nothing waits in `from` for a drain or a close that never comes.
    expect(from.isPaused()).toBe(false);
    expect(from.readableLength).toBe(0);
    expect(writes).toBe(1);
  });
});
