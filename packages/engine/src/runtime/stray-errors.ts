import { ParzenError } from '../errors.js';
import { thrownErrorInfo } from './interpret-result.js';
import { ObjectiveExit } from './process-exits.js';

/**
 * Errors an objective on Parzen's own thread throws outside its call (in a timer, a callback, an
 * unawaited promise). Node would end the process with a stack trace; instead each trial evaluating at
 * that moment fails with the error, and one thrown between trials is a warning. One process-wide
 * listener, present only while a run of such an objective is in progress, so an error at any other time
 * ends the process as usual.
 */
const trials = new Set<(error: unknown) => void>();
const runs = new Set<(error: unknown) => void>();

const onStray = (error: unknown): void => {
  // process.exit from a trial's call, thrown to stop the objective where it stood: that trial has failed already.
  if (error instanceof ObjectiveExit) return;
  const targets = trials.size > 0 ? trials : runs;
  for (const handle of [...targets]) handle(error);
};

const watch = (set: Set<(error: unknown) => void>, handle: (error: unknown) => void): (() => void) => {
  if (trials.size === 0 && runs.size === 0) process.on('uncaughtException', onStray);
  set.add(handle);
  return () => {
    if (!set.delete(handle)) return;
    if (trials.size === 0 && runs.size === 0) process.off('uncaughtException', onStray);
  };
};

/** While a trial evaluates: `fail` gets the first stray error. Call the returned function when it ends. */
export const watchStrayErrors = (fail: (error: unknown) => void): (() => void) => watch(trials, fail);

/** While a run is in progress: `warn` gets stray errors thrown when no trial is evaluating. */
export const watchStrayErrorsBetweenTrials = (warn: (error: unknown) => void): (() => void) => watch(runs, warn);

/**
 * Who a stray error came from, for its message: a `report(step, value)` the objective did not await,
 * refused (a bad step or value); a write to a pipe whose reader has gone (`node script.mjs | head`: what
 * the objective prints has nowhere to go, no mistake in its code); or else the objective, outside its call.
 */
export const strayErrorSource = (error: unknown): string =>
  error instanceof ParzenError && error.code === 'REPORT_INVALID'
    ? 'a report(step, value) the objective did not await was refused'
    : (error as { code?: unknown } | null)?.code === 'EPIPE'
      ? "the reader of the process's output closed the pipe (as `| head` does) and the objective wrote to it"
      : 'the objective threw outside its call (in a timer or a callback)';

/**
 * The warning for an error an objective left behind when no trial was evaluating (a refused report it did not
 * await, a timer's throw), the same on Parzen's thread and from a worker thread.
 */
export const strayBetweenTrialsNote = (error: unknown): string =>
  `${strayErrorSource(error)} between trials: ${thrownErrorInfo(error).message}`;
