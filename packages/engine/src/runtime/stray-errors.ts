import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Errors an objective on Parzen's own thread throws outside its call (in a timer, a callback, an
 * unawaited promise). Node would end the process with a stack trace; instead the trial whose objective
 * threw fails with the error, and one thrown after its trial ended is a warning. Each evaluation runs in
 * an async context of its own ({@link runAsObjective}), which Node keeps for the timers and promises it
 * starts, so an error is traced to the trial that caused it. An error traced to no trial (code of the
 * host's, or a callback of a resource made outside the objective) is left to the host's own
 * `uncaughtException` listener when it has one (a service with a crash policy of its own); without one,
 * it fails the trials running then, as it cannot be told apart from theirs. One process-wide listener,
 * present only while a run of such an objective is in progress, so an error at any other time ends the
 * process as usual.
 */
export interface StrayErrorWatch {
  /** Whether the trial still runs (its stray errors fail it); false once it ended (they are warnings). */
  live: boolean;
  readonly fail: (error: unknown) => void;
}

const owner = new AsyncLocalStorage<StrayErrorWatch>();
const trials = new Set<StrayErrorWatch>();
const runs = new Set<(error: unknown) => void>();

const warnRuns = (error: unknown): void => {
  for (const handle of [...runs]) handle(error);
};

const onStray = (error: unknown): void => {
  const from = owner.getStore();
  if (from !== undefined) {
    if (from.live) from.fail(error);
    else warnRuns(error);
    return;
  }
  // Not traced to an objective: the host's own listener decides, if there is one.
  if (process.listenerCount('uncaughtException') > 1) return;
  if (trials.size > 0) for (const watch of [...trials]) watch.fail(error);
  else warnRuns(error);
};

const listen = (): void => {
  if (trials.size === 0 && runs.size === 0) process.on('uncaughtException', onStray);
};
const unlisten = (): void => {
  if (trials.size === 0 && runs.size === 0) process.off('uncaughtException', onStray);
};

/**
 * While a trial evaluates: `fail` gets its objective's first stray error. Run the objective through the
 * returned `run`, and call `end` when the trial ends.
 */
export const watchStrayErrors = (
  fail: (error: unknown) => void,
): { readonly run: <T>(evaluate: () => T) => T; readonly end: () => void } => {
  const watch: StrayErrorWatch = { live: true, fail };
  listen();
  trials.add(watch);
  return {
    run: (evaluate) => owner.run(watch, evaluate),
    end: () => {
      watch.live = false;
      if (!trials.delete(watch)) return;
      unlisten();
    },
  };
};

/** While a run is in progress: `warn` gets stray errors thrown when no trial is evaluating. */
export const watchStrayErrorsBetweenTrials = (warn: (error: unknown) => void): (() => void) => {
  listen();
  runs.add(warn);
  return () => {
    if (!runs.delete(warn)) return;
    unlisten();
  };
};
