import type { Trial, TrialStore } from '@parzen/engine/plugin';
import { expect } from 'vitest';
import type { WorkerHandle } from './spawn-worker.js';

/** Resolves after `ms` milliseconds. */
export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The trials of `study` in the store at `path`, read by a store opened (and closed) for the purpose. */
export const listWith = async (
  open: (path: string) => TrialStore,
  path: string,
  study: string,
): Promise<readonly Trial[]> => {
  const store = open(path);
  try {
    return await store.listTrials(study);
  } finally {
    await store.close();
  }
};

/** Numbers 0..n-1 each exactly once, in order. */
export const expectDenseNumbers = (trials: readonly Trial[]) => {
  expect(trials.map((trial) => trial.number)).toEqual(trials.map((_, index) => index));
};

/** Every announced finished trial is in the store, complete, with the announced value. */
export const expectFinishedKept = (trials: readonly Trial[], finished: ReadonlyMap<number, number | null>) => {
  for (const [number, value] of finished) {
    const trial = trials[number];
    expect(trial?.state, `trial #${number}`).toBe('complete');
    expect(trial?.state === 'complete' ? trial.loss : undefined, `trial #${number}`).toBe(value);
  }
};

/** Waits for the worker to exit and expects exit code 0. */
export const runTo = async (worker: WorkerHandle) => {
  const { code } = await worker.exited;
  expect(code, worker.stderr()).toBe(0);
};

/** What a test reads of an error: its code, message and issues' pointers. */
export interface CaughtError {
  readonly code?: string;
  readonly message?: string;
  readonly issues?: readonly { readonly pointer: string }[];
}

/** The error `run` throws, or undefined when it returns. */
export const thrownBy = (run: () => unknown): CaughtError | undefined => {
  try {
    run();
  } catch (error) {
    return error as CaughtError;
  }
  return undefined;
};

/** The error `promise` rejects with, or undefined when it resolves. */
export const rejectionOf = (promise: Promise<unknown>): Promise<CaughtError | undefined> =>
  promise.then(
    () => undefined,
    (error: CaughtError) => error,
  );
