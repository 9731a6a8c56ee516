import type { MessagePort } from 'node:worker_threads';
import { flowsIntoNothing, onDrained } from './relay-stdio.js';

/**
 * A module objective's stdout and stderr, from its worker thread to the process's, as messages on the
 * thread's own port instead of Node's worker stdio. Node's stdio hands a thread's writes over one chunk at a
 * time, each after the main thread has acknowledged the previous one, and the thread takes the
 * acknowledgement only when its event loop runs: a synchronous loop's output stayed in the thread until it
 * returned, and was lost when the thread was terminated for a timeout (20,000 printed lines, none shown).
 * Here each write is posted at once (a message posted before a thread is terminated is still delivered), and
 * the pace of the reader is kept by a count of the characters posted and not yet taken, shared through a
 * SharedArrayBuffer by the main thread and the threads (one count for all of them): a thread that prints
 * while more than {@link IN_FLIGHT_LIMIT} is in flight waits (Atomics.wait) until the main thread takes some.
 */

/** A chunk of output from a worker thread (1: stdout, 2: stderr). */
export interface StdioChunk {
  readonly type: 'stdio';
  readonly fd: 1 | 2;
  readonly chunk: string | Uint8Array;
  readonly encoding?: BufferEncoding;
}

/**
 * The characters (or bytes) in flight past which a thread's writes wait: large,
 * so a reader that pauses for a while (`| less`) does not hold a chatty trial into its timeout (at a
 * million, two trials of 3 MB each fail with TIMEOUT where they would complete); a trial's timeout
 * keeps running while a thread waits past it.
 */
export const IN_FLIGHT_LIMIT = 64 * (1 << 20);

/** What a message costs besides its characters, so many tiny writes count as what they take (review 58). */
const MESSAGE_COST = 64;

/** The size counted for a chunk (an empty write counts too). */
const sizeOf = (chunk: string | Uint8Array): number => chunk.length + MESSAGE_COST;

/**
 * A chunk as posted: a byte view into a larger buffer (Node's pool of small Buffers, a `subarray`) is copied
 * to its own bytes first, since posting a view copies its whole backing buffer (uncopied, each 3-byte
 * Buffer write posts 8 KiB, and 320,000 of them take 4.3 GB).
 */
export const ownChunk = (chunk: string | Uint8Array): string | Uint8Array =>
  typeof chunk === 'string' || (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength)
    ? chunk
    : Uint8Array.prototype.slice.call(chunk);

/** A count of output in flight, shared with threads: one Int32 on a SharedArrayBuffer. */
export const stdioCounter = (): Int32Array => new Int32Array(new SharedArrayBuffer(4));

/**
 * In the worker thread: sends what it writes on stdout and stderr (console.log included) as {@link StdioChunk}
 * messages on `port`, each write done once posted, waiting while more than the limit is in flight.
 */
export const sendStdioThrough = (port: MessagePort, inFlight: Int32Array, limit = IN_FLIGHT_LIMIT): void => {
  const post = (fd: 1 | 2, chunk: string | Uint8Array, encoding: BufferEncoding | undefined): void => {
    Atomics.add(inFlight, 0, sizeOf(chunk));
    port.postMessage({
      type: 'stdio',
      fd,
      chunk: ownChunk(chunk),
      ...(typeof chunk === 'string' && encoding !== undefined ? { encoding } : {}),
    } satisfies StdioChunk);
    for (let waiting = Atomics.load(inFlight, 0); waiting > limit; waiting = Atomics.load(inFlight, 0))
      Atomics.wait(inFlight, 0, waiting, 1000);
  };
  for (const [stream, fd] of [
    [process.stdout, 1],
    [process.stderr, 2],
  ] as const) {
    // The stream's own write path (its buffering, callbacks and 'finish' stay Node's); each write's callback
    // comes once it is posted, so nothing waits in the stream for an acknowledgement.
    const writable = stream as unknown as {
      _write: (chunk: string | Uint8Array, encoding: BufferEncoding, callback: () => void) => void;
      _writev: (chunks: { chunk: string | Uint8Array; encoding: BufferEncoding }[], callback: () => void) => void;
    };
    writable._write = (chunk, encoding, callback) => {
      post(fd, chunk, encoding);
      callback();
    };
    writable._writev = (chunks, callback) => {
      for (const { chunk, encoding } of chunks) post(fd, chunk, encoding);
      callback();
    };
  }
};

/** Where a module objective's stdout goes in this process (see {@link routeObjectiveStdout}). */
let stdoutTarget: 'stdout' | 'stderr' = 'stdout';

/**
 * Sends what module objectives print on stdout (in their worker threads) to this process's stderr instead
 * of its stdout, for threads started after the call: `parzen run --json` keeps its stdout for its result
 * (so an objective's console.log lines do not break `parzen run --json | jq`).
 */
export const routeObjectiveStdout = (to: 'stdout' | 'stderr'): void => {
  stdoutTarget = to;
};

/** The stream a module objective's stdout goes to now. */
export const objectiveStdout = (): NodeJS.WriteStream => (stdoutTarget === 'stderr' ? process.stderr : process.stdout);

/**
 * In the main thread: writes a thread's chunk to the process's stdout or stderr, and counts it as taken
 * once the stream has accepted it (at once, or when it drains after a write over its buffer's limit), or at
 * once, unwritten, when the stream is gone (`parzen run | head -1` closed the pipe: the output then flows into
 * nothing, so it never holds the thread, nor fails write after write on the main thread).
 */
export const relayThreadChunk = (message: StdioChunk, inFlight: Int32Array): void => {
  const to = message.fd === 2 ? process.stderr : objectiveStdout();
  const taken = () => {
    Atomics.sub(inFlight, 0, sizeOf(message.chunk));
    Atomics.notify(inFlight, 0);
  };
  if (flowsIntoNothing(to)) {
    taken();
    return;
  }
  const accepted = message.encoding === undefined ? to.write(message.chunk) : to.write(message.chunk, message.encoding);
  if (accepted === false) onDrained(to, taken);
  else taken();
};
