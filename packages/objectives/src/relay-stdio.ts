import type { Readable, Writable } from 'node:stream';

/** Per destination, what to call once it drains or closes (one pair of listeners per destination). */
const draining = new WeakMap<NodeJS.WritableStream, (() => void)[]>();

/** Calls `done` once `to` drains or closes (a reader gone). */
export const onDrained = (to: NodeJS.WritableStream, done: () => void): void => {
  const waiting = draining.get(to);
  if (waiting !== undefined) {
    waiting.push(done);
    return;
  }
  const callbacks = [done];
  draining.set(to, callbacks);
  const wake = () => {
    to.off('drain', wake);
    to.off('close', wake);
    draining.delete(to);
    for (const callback of callbacks) callback();
  };
  to.on('drain', wake);
  to.on('close', wake);
};

/**
 * Whether what is written to `to` now goes nowhere: it was destroyed or ended, or a write failed (`parzen run |
 * head -c 100`: the reader closed the pipe, EPIPE). Node's own stdout is never destroyed by EPIPE: each later
 * write fails again, with a new error, an `error` and a `close` event (a worker thread's timer
 * that printed on made the main thread fail write after write, and the run's trials stopped finishing).
 */
export const flowsIntoNothing = (to: NodeJS.WritableStream | Writable): boolean =>
  (to as Writable).writable === false || (to as Writable).destroyed || (to as Writable).errored != null;

/**
 * Relays a worker thread's stdout or stderr (`from`, the Worker's with `stdout: true`) to the process's
 * (`to`), as Node's own relay does, with its pace (a slow reader slows the thread's writes), except that
 * once `to` is gone (destroyed, ended: `parzen run | head -1`) the thread's output flows into nothing
 * instead of stopping (and so once a write to it failed: EPIPE): the module worker waits for its writes to be taken before it sends a trial's
 * result (else its last lines could be lost), so output nobody takes would hold every trial.
 */
export const relayStdio = (from: Readable, to: Writable): void => {
  from.on('data', (chunk: Buffer) => {
    if (flowsIntoNothing(to)) return;
    if (!to.write(chunk)) {
      // Paused until `to` drains, or closes (a reader gone: `from` then flows into nothing).
      from.pause();
      onDrained(to, () => from.resume());
    }
  });
};
