import { setTimeout as sleep } from 'node:timers/promises';
import { isBusy } from './sqlite-errors.js';

const pause = new Int32Array(new SharedArrayBuffer(4));
const backoffMs = (attempt: number): number => Math.min(50, 2 * (attempt + 1)) + (process.pid % 5);

/** One try: the result, or undefined when SQLite was busy and there is time left to retry. */
const tryOnce = <T>(task: () => T, deadline: number): { readonly value: T } | undefined => {
  try {
    return { value: task() };
  } catch (error) {
    if (!isBusy(error) || Date.now() > deadline) throw error;
    return undefined;
  }
};

/**
 * Runs `task`, retrying while SQLite reports the database busy, until `timeoutMs` has passed. SQLite's
 * busy timeout already waits inside most calls; this covers the cases where it returns `SQLITE_BUSY` at
 * once (WAL recovery after a crash, changing the journal mode while another process opens the file).
 */
export const retryBusy = async <T>(task: () => T, timeoutMs: number): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const done = tryOnce(task, deadline);
    if (done !== undefined) return done.value;
    await sleep(backoffMs(attempt));
  }
};

/** {@link retryBusy} for synchronous callers (opening the database): blocks while it waits. */
export const retryBusySync = <T>(task: () => T, timeoutMs: number): T => {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const done = tryOnce(task, deadline);
    if (done !== undefined) return done.value;
    Atomics.wait(pause, 0, 0, backoffMs(attempt));
  }
};
