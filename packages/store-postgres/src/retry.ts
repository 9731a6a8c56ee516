import { setTimeout as sleep } from 'node:timers/promises';
import { WaitGivenUp } from './cut-wait.js';
import { classify } from './pg-errors.js';

/** The pause before retry `attempt` (0-based): 50 ms doubling to 2 s, with jitter so workers spread out. */
export const backoffMs = (attempt: number, random: () => number = Math.random): number =>
  Math.min(2_000, 50 * 2 ** attempt) * (0.5 + random());

/** How {@link withRetry} decides to try again, and when it gives up early. */
export interface RetryOptions {
  /** Whether a failure is worth another try; default: a transient server or connection error. */
  readonly retryable?: (error: unknown) => boolean;
  /**
   * Gives up the retries when it aborts (Ctrl-C): the wait ends at once with `stopped(lastError)`, as does a
   * statement the signal cut (`WaitGivenUp`).
   */
  readonly giveUp?: AbortSignal | undefined;
  /** The error thrown when `giveUp` ends the retries; it gets the last failure. */
  readonly stopped?: (error: unknown) => Error;
}

/**
 * Runs `task`, retrying with backoff while it fails with a transient error (connection reset or refused,
 * the server shutting down or starting up, a serialization failure) and `timeoutMs` has not passed.
 * `task` gets the attempt number, so a write can check whether a lost first try committed.
 */
export const withRetry = async <T>(
  task: (attempt: number) => Promise<T>,
  timeoutMs: number,
  options: RetryOptions = {},
): Promise<T> => {
  const { retryable = (error: unknown) => classify(error) === 'transient', giveUp, stopped } = options;
  const stop = (error: unknown): unknown => (stopped === undefined ? error : stopped(error));
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      // A statement cut by the give-up signal (see cut-wait.ts) ends the operation as stopped, not failed.
      if (error instanceof WaitGivenUp) throw stop(error);
      const pause = backoffMs(attempt);
      if (!retryable(error) || Date.now() + pause > deadline) throw error;
      if (giveUp?.aborted) throw stop(error);
      try {
        await sleep(pause, undefined, giveUp === undefined ? {} : { signal: giveUp });
      } catch {
        throw stop(error);
      }
    }
  }
};
