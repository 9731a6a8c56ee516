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
 * Relays a worker thread's stdout or stderr (`from`, the Worker's with `stdout: true`) to the process's
 * (`to`), as Node's own relay does, with its pace (a slow reader slows the thread's writes), except that
 * once `to` is gone (destroyed, ended: `parzen run | head -1`) the thread's output flows into nothing
 * instead of stopping: the module worker waits for its writes to be taken before it sends a trial's
 * result (else its last lines could be lost), so output nobody takes would hold every trial.
 */
export const relayStdio = (from: Readable, to: Writable): void => {
  from.on('data', (chunk: Buffer) => {
    if (to.destroyed || to.writableEnded) return;
    if (!to.write(chunk)) {
      // Paused until `to` drains, or closes (a reader gone: `from` then flows into nothing).
      from.pause();
      onDrained(to, () => from.resume());
    }
  });
};
