import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { tolerateClosedReaders } from '../src/flush-streams.js';
import { runCli } from '../src/program.js';

describe('tolerateClosedReaders', () => {
  it('listens once per stream and takes its listener off again when asked', () => {
    const stream = new PassThrough();
    const untolerate = tolerateClosedReaders([stream]);
    expect(stream.listenerCount('error')).toBe(1);
    // A second call while the first listens adds nothing, and its undo leaves the first's listener.
    tolerateClosedReaders([stream])();
    expect(stream.listenerCount('error')).toBe(1);
    // A closed reader's EPIPE is no uncaught error while it listens.
    stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    untolerate();
    expect(stream.listenerCount('error')).toBe(0);
    expect(stream.getMaxListeners()).toBe(10);
  });

  // Review 147: a script that called runCli and then printed on into `| head` kept writing into the closed pipe
  // (runCli's listener stayed), where a Node program ends at the first EPIPE.
  it("runCli writing to the process's own streams leaves no listener on them when it returns", async () => {
    const before = [process.stdout.listenerCount('error'), process.stderr.listenerCount('error')];
    expect(await runCli(['node', 'parzen', '--version'])).toBe(0);
    expect([process.stdout.listenerCount('error'), process.stderr.listenerCount('error')]).toEqual(before);
  });
});
