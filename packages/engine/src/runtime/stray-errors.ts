import { ParzenError } from '../errors.js';
import { thrownErrorInfo } from './interpret-result.js';
import { currentTrialCall, ObjectiveExit, ownListener, pluginLoadOfNow } from './process-exits.js';

/**
 * Errors an objective on Parzen's own thread throws outside its call (in a timer, a callback, an
 * unawaited promise). Node would end the process with a stack trace; instead the error goes by the async
 * context it was thrown in (see `currentTrialCall`):
 * - from a trial whose call is still in progress (its own timers and promises): that trial fails, alone;
 * - from a trial that has ended (a timer or callback it left behind): a warning naming that trial, as
 *   between trials; the trials evaluating now did nothing wrong and go on;
 * - from no trial's code: each trial evaluating at that moment fails with it, and between trials it is a
 *   warning.
 * One process-wide listener, present only while a run of such an objective is in progress, so an error at
 * any other time ends the process as usual.
 */
const trials = new Map<(error: unknown) => void, object>();
const runs = new Set<(error: unknown, trialNumber?: number) => void>();

const onStray = ownListener((error: unknown): void => {
  // process.exit from a trial's call, thrown to stop the objective where it stood: that trial has failed already.
  // A plugin module's code is not the objective's (see `onPluginStray`): left to the host's own listener.
  if (error instanceof ObjectiveExit || pluginLoadOfNow() !== undefined) return;
  const call = currentTrialCall();
  if (call?.ended === true && runs.size > 0) {
    for (const warn of [...runs]) warn(error, call.trialNumber);
    return;
  }
  if (call !== undefined && !call.ended) {
    const own = [...trials].filter(([, owner]) => owner === call.owner);
    if (own.length > 0) {
      for (const [fail] of own) fail(error);
      return;
    }
  }
  if (trials.size > 0) for (const fail of [...trials.keys()]) fail(error);
  else for (const warn of [...runs]) warn(error);
});

const listening = (): boolean => trials.size > 0 || runs.size > 0;

/** Adds a watcher (`add`); the returned function removes it (`remove`, true when it was there). */
const watch = (add: () => void, remove: () => boolean): (() => void) => {
  if (!listening()) process.on('uncaughtException', onStray);
  add();
  return () => {
    if (!remove()) return;
    if (!listening()) process.off('uncaughtException', onStray);
  };
};

/**
 * While a trial evaluates: `fail` gets the first stray error of its own code (its call runs with `owner`, see
 * `inTrialCall`), or of no trial's code. Call the returned function when it ends.
 */
export const watchStrayErrors = (fail: (error: unknown) => void, owner: object = {}): (() => void) =>
  watch(
    () => trials.set(fail, owner),
    () => trials.delete(fail),
  );

/**
 * While a run is in progress: `warn` gets stray errors thrown when no trial is evaluating, and those of a trial
 * that has ended (`trialNumber`), whenever they come.
 */
export const watchStrayErrorsBetweenTrials = (warn: (error: unknown, trialNumber?: number) => void): (() => void) =>
  watch(
    () => runs.add(warn),
    () => runs.delete(warn),
  );

/**
 * Who a stray error came from, for its message: a `report(step, value)` the objective did not await,
 * refused (a bad step or value); a write to a pipe whose reader has gone (`node script.mjs | head`: what
 * the objective prints has nowhere to go, no mistake in its code); or else the objective, outside its call.
 * With `trialNumber`: that trial's objective, whose trial has ended.
 */
export const strayErrorSource = (error: unknown, trialNumber?: number): string => {
  const whose = trialNumber === undefined ? 'the objective' : `trial #${trialNumber}'s objective`;
  if (error instanceof ParzenError && error.code === 'REPORT_INVALID')
    return `a report(step, value) ${whose} did not await was refused`;
  if ((error as { code?: unknown } | null)?.code === 'EPIPE')
    return `the reader of the process's output closed the pipe (as \`| head\` does) and ${whose} wrote to it`;
  return trialNumber === undefined
    ? 'the objective threw outside its call (in a timer or a callback)'
    : `an error was thrown by a timer or callback ${whose} left behind`;
};

/**
 * The warning for an error an objective left behind when no trial was evaluating (a refused report it did not
 * await, a timer's throw), or that came from a trial that had ended (`trialNumber`, known by the async context it
 * was thrown in): no trial fails for it. The same on Parzen's thread and from a worker thread.
 */
export const strayBetweenTrialsNote = (error: unknown, trialNumber?: number): string =>
  trialNumber === undefined
    ? `${strayErrorSource(error)} between trials: ${thrownErrorInfo(error).message}`
    : `${strayErrorSource(error, trialNumber)}, after that trial ended (no trial failed for it): ${thrownErrorInfo(error).message}`;
