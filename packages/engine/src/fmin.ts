import { checkApiOptions, checkRunEnds } from './api-options.js';
import type { Pruner } from './contracts/pruner.js';
import type { Reporter } from './contracts/reporter.js';
import type { TrialStore } from './contracts/store.js';
import type { Suggester } from './contracts/suggester.js';
import type { ParamsOf } from './domain/space-builder.js';
import type { SpaceDefinition } from './domain/space-definition.js';
import type { Direction } from './domain/trial.js';
import { ParzenError } from './errors.js';
import type { StopReason } from './events/engine-event.js';
import type { Budget } from './runtime/budget.js';
import {
  type BestTrial,
  type StopWhen,
  type StopWhenContext,
  Study,
  type StudyObjective,
  type TrialView,
} from './study.js';

/** What {@link fmin} takes: the objective, the space, the suggester and the budget; the rest is optional. */
export interface FminOptions<S extends SpaceDefinition> {
  /**
   * The function to minimize (or maximize): given each trial's params, it returns a loss or `{ loss, attrs }`.
   * Or an objective adapter: `await createModuleObjective({ path: './train.ts' }, import.meta.dirname)` from
   * `@parzen/objectives` runs a module's function in worker threads, so a synchronous, CPU-bound objective runs
   * `concurrency` trials at once and `trialTimeoutMs` stops it mid-trial (see {@link StudyObjective}).
   */
  readonly objective: StudyObjective<S>;
  /** The search space (see the builders: `uniform`, `choice`, ...). */
  readonly space: S;
  /** What decides each trial's params (`createTpeSuggester()`, `createRandomSuggester()`, ...). */
  readonly suggester: Suggester;
  /** Stop when the study has this many trials (earlier runs in a persistent store count). */
  readonly maxTrials?: number | undefined;
  /** Other stopping rules; `maxTrials` above is merged in (a `budget.maxTrials` that differs from it is refused). */
  readonly budget?: Budget | undefined;
  /** Default: a memory store (trials are in the result only). */
  readonly store?: TrialStore | undefined;
  /**
   * The study's seed (default 0): the same call draws the same trials. Unlike hyperopt's `rstate=None`, no
   * seed is not a random one; for independent restarts give each its own (`seed: run` or `Date.now()`). A study
   * resumed from `store` without a seed goes on with its own (see `StudyOptions.seed`).
   */
  readonly seed?: number | undefined;
  /** Whether a lower loss (`minimize`, the default) or a higher one (`maximize`) is better. */
  readonly direction?: Direction | undefined;
  /**
   * Trials evaluated at once by this process (default 1). An `async` objective runs them interleaved; a
   * synchronous function runs one at a time whatever this says (a warning says so): give a `module` objective
   * adapter to run it in worker threads.
   */
  readonly concurrency?: number | undefined;
  /** The study's name in `store` (default `fmin`): the same name resumes it. */
  readonly name?: string | undefined;
  /**
   * Told of the run's events (the console and events reporters, or your own `{ name, onEvent }`, whose events
   * have their params typed by the space: `EngineEvent<ParamsOf<S>>`).
   */
  readonly reporters?: readonly Reporter<ParamsOf<S>>[] | undefined;
  /**
   * Stops the run: no trial starts after it aborts, and running trials get `gracePeriodMs` to finish.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * After `signal` aborts: how long running trials may go on (default 30 000 ms, as the CLI's
   * `gracePeriodSeconds`). Then each one's `context.signal` aborts and it is recorded as failed with
   * `INTERRUPTED`; an objective that ignores its signal is abandoned (its late answer is dropped). 0
   * interrupts them at once; `Infinity` waits for them.
   */
  readonly gracePeriodMs?: number | undefined;
  /**
   * Ends the grace period at once when it aborts (as the CLI's second Ctrl-C does): running trials are
   * interrupted and recorded as failed with `INTERRUPTED`. Stops the run too, if `signal` has not.
   */
  readonly forceSignal?: AbortSignal | undefined;
  /**
   * A trial running longer is failed with `TIMEOUT` (its `context.signal` aborts; the answer of an objective
   * that ignores it is dropped). A synchronous objective on Parzen's thread cannot be stopped: a trial of it
   * that runs past the limit keeps its result (complete), with a warning once per run (give a `module`
   * objective, which runs in a worker thread, to enforce the limit).
   */
  readonly trialTimeoutMs?: number | undefined;
  /**
   * An error thrown outside the objective's call while the run goes on (a timer, a callback, an unawaited
   * promise) fails the trial whose call started it (known by async context), or is a warning naming that trial
   * when it has ended (from other code: fails the trials evaluating then, or a warning between trials), instead of ending the
   * process (default true; the first such failure is also a warning). `false` leaves such errors to the
   * process's own policy, for a service whose other code may throw while a run is in progress.
   */
  readonly catchStrayErrors?: boolean | undefined;
  /** How long a running trial's claim lasts without renewal (default 60 s; see `OptimizeOptions.leaseMs`). */
  readonly leaseMs?: number | undefined;
  /**
   * Stops bad trials early: the objective reports a learning curve with `context.report(step, value)` and
   * stops when `context.shouldPrune()` is true (e.g. `createMedianPruner()` from `@parzen/pruners`).
   */
  readonly pruner?: Pruner | undefined;
  /**
   * Your own stopping rule, asked after every finished trial with the study's trials and best trial (each with its
   * `params` as the objective saw them; see {@link StopWhenContext}): a
   * non-empty string (the reason, shown in `stopMessage`) or `true` stops the run; `undefined`, `false` or
   * `""` goes on.
   */
  readonly stopWhen?: StopWhen<S> | undefined;
  /** Told what does not stop the run but may surprise (default: a line on stderr); see `StudyOptions.onWarning`. */
  readonly onWarning?: ((message: string) => void) | undefined;
}

/** What {@link fmin} returns: the best trial (params as the objective saw them), every trial and why it stopped. */
export interface FminResult<S extends SpaceDefinition> {
  /** The best complete trial (params as the objective saw them), or undefined when none completed. */
  readonly best: BestTrial<S> | undefined;
  /** Every trial of the study, with its params as the objective saw them. */
  readonly trials: readonly TrialView<S>[];
  /** Why the run stopped: a budget rule (`max-trials`, `max-seconds`, ...), `stopper`, `failures` or `interrupted`. */
  readonly reason: StopReason;
  /**
   * What `stopWhen` answered when it stopped the run (`reason` is then `stopper`), or how many trials failed
   * in a row and the last one's error (`reason` is then `failures`).
   */
  readonly stopMessage?: string;
}

/**
 * hyperopt's `fmin` in one call: minimizes (or maximizes) `objective` over `space` with `suggester`
 * and returns the best params (as the objective saw them), its loss and every trial.
 *
 * @throws `ParzenError` `CONFIG_INVALID` for options of the wrong kind, and for a run nothing would end
 *   (no `maxTrials` or `budget` rule, no `stopWhen`, no `signal`), and for `maxTrials` and `budget.maxTrials` that
 *   differ.
 */
export const fmin = async <const S extends SpaceDefinition>(options: FminOptions<S>): Promise<FminResult<S>> => {
  checkApiOptions('fmin', options);
  checkRunEnds('fmin', options);
  const study = await Study.open<S>({
    name: options.name ?? 'fmin',
    space: options.space,
    suggester: options.suggester,
    objective: options.objective,
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.direction === undefined ? {} : { direction: options.direction }),
    ...(options.pruner === undefined ? {} : { pruner: options.pruner }),
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
  });
  try {
    return await study.optimize(optimizeOptions(options));
  } catch (error) {
    // A failure that stops the run (a throwing `stopWhen`, suggester or store): the trials it finished
    // are on the error, since with the default memory store they are nowhere else.
    if (!(error instanceof ParzenError) || error.code === 'CONFIG_INVALID') throw error;
    const trials = await study.trials().catch(() => []);
    if (trials.length === 0) throw error;
    throw new ParzenError(error.code, error.message, {
      ...(error.plugin === undefined ? {} : { plugin: error.plugin }),
      issues: error.issues,
      cause: error.cause ?? error,
      trials,
    });
  }
};

const optimizeOptions = <S extends SpaceDefinition>(options: FminOptions<S>) => ({
  ...(options.maxTrials === undefined ? {} : { maxTrials: options.maxTrials }),
  ...(options.budget === undefined ? {} : { budget: options.budget }),
  ...(options.reporters === undefined ? {} : { reporters: options.reporters }),
  ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  ...(options.signal === undefined ? {} : { signal: options.signal }),
  ...(options.gracePeriodMs === undefined ? {} : { gracePeriodMs: options.gracePeriodMs }),
  ...(options.forceSignal === undefined ? {} : { forceSignal: options.forceSignal }),
  ...(options.trialTimeoutMs === undefined ? {} : { trialTimeoutMs: options.trialTimeoutMs }),
  ...(options.catchStrayErrors === undefined ? {} : { catchStrayErrors: options.catchStrayErrors }),
  ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
  ...(options.stopWhen === undefined ? {} : { stopWhen: options.stopWhen }),
});
