import { warnOnStderr } from './warn-on-stderr.js';

/** The first line of what a cleanup threw, for a one-line warning (no stack). */
const firstLine = (error: unknown): string => {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.trim() || (error instanceof Error ? error.name : 'an error');
};

/**
 * Runs `cleanup` (closing a store, an objective) and says a failure of it as one warning line,
 * `<what>: <message>` (by default on stderr, `parzen: warning: ...`), instead of throwing it: what ran
 * before it stands.
 */
export const cleanUpQuietly = async (
  cleanup: () => unknown,
  what: string,
  warn: (message: string) => void = warnOnStderr,
): Promise<void> => {
  try {
    await cleanup();
  } catch (error) {
    warn(`${what}: ${firstLine(error)}`);
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
