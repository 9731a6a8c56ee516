import { setTimeout as sleep } from 'node:timers/promises';
import { isBusy } from './sqlite-errors.js';

const pause = new Int32Array(new SharedArrayBuffer(4));
const backoffMs = (attempt: number): number => Math.min(50, 2 * (attempt + 1)) + (process.pid % 5);

/**
 * How long one SQLite call may wait inside SQLite's busy handler (which blocks the thread) before it
 * returns `SQLITE_BUSY` to the retry loop. The loop waits asynchronously up to the store's whole
 * `busyTimeoutMs`, so timers, signal handlers and Ctrl-C run at least this often while a write waits.
 */
export const BUSY_SLICE_MS = 200;

/** How long a wait goes on before it is said (once), whatever it waits to do. */
export const SLOW_WAIT_MS = 3000;

/** The least time between two "still waiting" notes of one long wait. */
export const LONG_WAIT_NOTE_MS = 1000;

/**
 * Says a wait once it passes {@link SLOW_WAIT_MS} and before `deadline()` (when it gives up); returns whether
 * it said it just now. One rule for the waits of {@link retryBusy} and {@link retryBusySync}.
 */
const slowWaitNote = (onSlowWait: ((waitedMs: number) => void) | undefined, started: number) => {
  let said = false;
  return (deadline: number): boolean => {
    const waited = Date.now() - started;
    if (onSlowWait === undefined || said || waited <= SLOW_WAIT_MS || Date.now() >= deadline) return false;
    said = true;
    onSlowWait(waited);
    return true;
  };
};

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
 * Runs `task`, retrying while SQLite reports the database busy, until `timeoutMs` has passed: each try waits up to
 * {@link BUSY_SLICE_MS} in SQLite's busy handler, and the pauses between tries are asynchronous. When `giveUp` aborts
 * (Ctrl-C), the wait ends at once with `stopped()`. With `onLongWait` (a write that saves a result) the wait does not
 * end at `timeoutMs`: it goes on, said each `timeoutMs` (at least a second apart), until `giveUp` aborts (so a result
 * is not dropped while a `sqlite3` shell holds a transaction).
 */
export const retryBusy = async <T>(
  task: () => T,
  timeoutMs: number,
  giveUp: AbortSignal | undefined,
  stopped: () => Error,
  onLongWait?: (waitedMs: number) => void,
  /** Said once when the wait passes {@link SLOW_WAIT_MS} (not 30 s in silence, then a failure). */
  onSlowWait?: (waitedMs: number) => void,
): Promise<T> => {
  const started = Date.now();
  let deadline = started + timeoutMs;
  const sayIfSlow = slowWaitNote(onSlowWait, started);
  for (let attempt = 0; ; attempt++) {
    // A save's next note comes a second later at the soonest (review 45).
    if (sayIfSlow(deadline) && onLongWait !== undefined) deadline = Math.max(deadline, Date.now() + LONG_WAIT_NOTE_MS);
    if (onLongWait !== undefined && Date.now() > deadline) {
      onLongWait(Date.now() - started);
      // Said at most every LONG_WAIT_NOTE_MS (review 45: a busyTimeoutMs of 0 said it 25 times a second).
      deadline = Date.now() + Math.max(timeoutMs, LONG_WAIT_NOTE_MS);
    }
    const done = tryOnce(task, onLongWait === undefined ? deadline : Number.POSITIVE_INFINITY);
    if (done !== undefined) return done.value;
    if (giveUp?.aborted) throw stopped();
    try {
      await sleep(backoffMs(attempt), undefined, giveUp === undefined ? {} : { signal: giveUp });
    } catch {
      throw stopped();
    }
  }
};

/**
 * {@link retryBusy} for synchronous callers (opening the database): blocks while it waits (Ctrl-C is heard
 * only when it ends); `onSlowWait` is said once past {@link SLOW_WAIT_MS} (not 30 s of silence).
 */
export const retryBusySync = <T>(task: () => T, timeoutMs: number, onSlowWait?: (waitedMs: number) => void): T => {
  const started = Date.now();
  const deadline = started + timeoutMs;
  const sayIfSlow = slowWaitNote(onSlowWait, started);
  for (let attempt = 0; ; attempt++) {
    sayIfSlow(deadline);
    const done = tryOnce(task, deadline);
    if (done !== undefined) return done.value;
    Atomics.wait(pause, 0, 0, backoffMs(attempt));
  }
};
