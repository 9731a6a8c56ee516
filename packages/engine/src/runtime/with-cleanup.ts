import { warnOnStderr } from './warn-on-stderr.js';

/** The first line of what a cleanup threw, for a one-line warning (no stack). */
const firstLine = (error: unknown): string => {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.trim() || (error instanceof Error ? error.name : 'an error');
};

/**
 * How long a cleanup may take before what ran goes on without it (a store whose close never
 * settles must not lose a finished run's summary, or hold the process after a second Ctrl-C).
 */
export const CLEANUP_TIMEOUT_MS = 10_000;

/**
 * Runs `cleanup` (closing a store, an objective) and says a failure of it as one warning line,
 * `<what>: <message>` (by default on stderr, `parzen: warning: ...`), instead of throwing it: what ran
 * before it stands. A cleanup still unsettled after `timeoutMs` is left to finish on its own, with a warning.
 */
export const cleanUpQuietly = async (
  cleanup: () => unknown,
  what: string,
  warn: (message: string) => void = warnOnStderr,
  timeoutMs: number = CLEANUP_TIMEOUT_MS,
): Promise<void> => {
  const cleaning = Promise.resolve().then(cleanup);
  if (!(await settledWithin([cleaning], timeoutMs))) {
    cleaning.catch(() => undefined);
    warn(`${what}: it did not finish in ${timeoutMs / 1000} s; going on without it`);
    return;
  }
  try {
    await cleaning;
  } catch (error) {
    warn(`${what}: ${firstLine(error)}`);
  }
};

/**
 * Whether the promises all settled within `ms`. The timer keeps the process alive meanwhile (an
 * unref'd one lets a program whose only work left is that wait exit at once, its reporters never ended).
 */
export const settledWithin = async (promises: readonly PromiseLike<unknown>[], ms: number): Promise<boolean> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([Promise.allSettled(promises).then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Runs `body`, then `cleanup` whatever happened. A cleanup that fails never replaces what the body did
 * (user trial: a store whose `close` failed turned a finished run into an error with a stack, and hid a
 * run's own refusal): after a body that returned, its result is kept and `warn` says the cleanup failed,
 * in one line; after a body that threw, its error is the one thrown (the cleanup's failure warned too).
 */
export const withCleanup = async <T>(
  body: () => Promise<T>,
  cleanup: () => unknown,
  what: string,
  warn: (message: string) => void = warnOnStderr,
): Promise<T> => {
  let result: T;
  try {
    result = await body();
  } catch (error) {
    await cleanUpQuietly(cleanup, what, warn);
    throw error;
  }
  await cleanUpQuietly(cleanup, what, warn);
  return result;
};
