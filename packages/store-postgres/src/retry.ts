import { setTimeout as sleep } from 'node:timers/promises';
import { classify } from './pg-errors.js';

/** The pause before retry `attempt` (0-based): 50 ms doubling to 2 s, with jitter so workers spread out. */
export const backoffMs = (attempt: number, random: () => number = Math.random): number =>
  Math.min(2_000, 50 * 2 ** attempt) * (0.5 + random());

/**
 * Runs `task`, retrying with backoff while it fails with a transient error (connection reset or refused,
 * the server shutting down or starting up, a serialization failure) and `timeoutMs` has not passed.
 * `task` gets the attempt number, so a write can check whether a lost first try committed.
 */
export const withRetry = async <T>(
  task: (attempt: number) => Promise<T>,
  timeoutMs: number,
  retryable: (error: unknown) => boolean = (error) => classify(error) === 'transient',
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      const pause = backoffMs(attempt);
      if (!retryable(error) || Date.now() + pause > deadline) throw error;
      await sleep(pause);
    }
  }
};
