import { describe, expect, it } from 'vitest';
import { ownChunk } from './thread-stdio.js';

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
