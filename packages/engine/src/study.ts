import { checkApiOptions, checkRunEnds } from './api-options.js';
import {
  checkSameStudy,
  seedChange,
  studySuggester,
  suggesterChange,
  suggesterWarnings,
  versionChange,
} from './builtins/check-same-study.js';
import {
  createFunctionObjective,
  type ObjectiveFunction,
  type ObjectiveResult,
} from './builtins/function-objective.js';
import { createMemoryStore, ownHandle } from './builtins/memory-store.js';
import { stopperOfRule } from './builtins/no-improvement-stopper.js';
import { countOf, failureNote, printable } from './builtins/words.js';
import type { ObjectiveAdapter } from './contracts/objective.js';
import type { Pruner } from './contracts/pruner.js';
import type { Reporter } from './contracts/reporter.js';
import type { StopContext, Stopper } from './contracts/stopper.js';
import type { EnqueuedParams, EnqueuedSelector, TrialStore } from './contracts/store.js';
import type { Suggester } from './contracts/suggester.js';
import { type CompiledSpace, compileSpace, inStudyOrder } from './domain/compile-space.js';
import { gridNotes, noteMessage } from './domain/grid-notes.js';
import { activeParamNames, type ExternalParams, toExternalParams, toInternalParams } from './domain/params.js';
import { type ComparedTrial, leftOutRepeats, refuseRepeatedTrials, repeatsOf } from './domain/repeated-trials.js';
import type { EnqueueParams, ParamsOf } from './domain/space-builder.js';
import type { SpaceDefinition } from './domain/space-definition.js';
import { checkStoredTrials } from './domain/stored-trials.js';
import type { StudyRecord, StudySpec } from './domain/study.js';
import {
  bestTrial,
  type CompleteTrial,
  type Direction,
  type ErrorInfo,
  type FinishedTrial,
  lastIntermediate,
  prunedOutcome,
  type RunningTrial,
  type Trial,
} from './domain/trial.js';
import {
  type ConfigIssue,
  describeValue,
  didYouMean,
  formatIssues,
  invalidConfig,
  isThenable,
  ParzenError,
  storeUnsupported,
  TrialPruned,
  trialNotFound,
} from './errors.js';
import { callCatching, cutOffMessage, guardListener } from './events/cut-off.js';
import { frozenCopy } from './events/deep-freeze.js';
import type { EngineEvent } from './events/engine-event.js';
import type { FminResult } from './fmin.js';
import type { Budget } from './runtime/budget.js';
import { removeEnqueuedEntries } from './runtime/enqueue.js';
import {
  checkImportedRows,
  formatInvalidRows,
  type ImportCheck,
  type ImportedTrialRow,
  type InvalidRow,
  importInvalid,
} from './runtime/imported-trials.js';
import {
  attrsNotJson,
  interpretObjectiveValue,
  keptAttrs,
  keptLossNote,
  thrownErrorInfo,
  toldErrorInfo,
} from './runtime/interpret-result.js';
import { holdProcessOpen } from './runtime/interrupts.js';
import { checkPrunerStore, createPruning, type Pruning } from './runtime/pruning.js';
import {
  DEFAULT_GRACE_PERIOD_MS,
  earlierTrialsEnded,
  failedRun,
  type RunResult,
  runStudy,
} from './runtime/run-study.js';
import { isStale, staleness, staleTrialOutcome } from './runtime/stale-trials.js';
import {
  type AskedTrial,
  askTrial,
  finishAskedTrial,
  mirrorOf,
  type StudySession,
  tellTrial,
  withWhatItHolds,
} from './runtime/study-session.js';
import { warnOnStderr } from './runtime/warn-on-stderr.js';
import { PARZEN_VERSION } from './version.js';

/** The asks waiting on each signal: one listener per signal, however many asks share it. */
const abortWaiters = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `callback` when `signal` aborts; returns what stops that. The asks sharing a signal share one listener
 * on it (review 96: eleven concurrent asks on one signal made Node warn of a listener leak).
 */
const whenAborted = (signal: AbortSignal, callback: () => void): (() => void) => {
  let waiting = abortWaiters.get(signal);
  if (waiting === undefined) {
    const set = new Set<() => void>();
    waiting = set;
    abortWaiters.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        abortWaiters.delete(signal);
        for (const waiter of [...set]) waiter();
      },
      { once: true },
    );
  }
  const mine = waiting;
  mine.add(callback);
  return () => mine.delete(callback);
};

/** `: REASON` when an abort signal was given a reason of its own (not the default AbortError). */
const abortReason = (signal: AbortSignal): string => {
  const { reason } = signal as { reason?: unknown };
  if (typeof reason === 'string' && reason !== '') return `: ${reason}`;
  if (reason instanceof Error && reason.name !== 'AbortError') return `: ${reason.message}`;
  return '';
};

/** A bad-attrs message without its "the loss is kept" sentence, for `tell`, which records nothing then (trial 45). */
const withoutKeptLoss = (error: ErrorInfo): string => {
  const loss = (error.details as { loss?: unknown } | undefined)?.loss;
  const note = typeof loss === 'number' ? keptLossNote(loss) : '';
  return note !== '' && error.message.endsWith(note) ? error.message.slice(0, -note.length) : error.message;
};
/** What {@link Study.addTrials} did: the trials it added, and the rows it skipped with their problems. */
export interface AddTrialsResult<S extends SpaceDefinition = SpaceDefinition> {
  /** The trials added, in the order of their rows, each with its number in the study. */
  readonly added: readonly TrialView<S>[];
  /** The rows left out (`onInvalid: 'skip'`), each with its index and its problems. */
  readonly skipped: readonly InvalidRow[];
  /** The indexes of the rows left out as repeats of trials the study had (`skipRepeats`); empty without it. */
  readonly skippedRepeats: readonly number[];
}

/**
 * What a study runs: a function of the params (on Parzen's thread; async ones overlap while they await), or an
 * objective adapter, as `createModuleObjective` (`@parzen/objectives`) makes: a module's function in worker
 * threads, so synchronous CPU-bound trials run in parallel and a time limit stops them. An adapter's params are
 * untyped, and it is yours: a run does not close it (`await adapter.close?.()` when done; an idle one does not
 * keep the process alive).
 */
export type StudyObjective<S extends SpaceDefinition = SpaceDefinition> =
  | ObjectiveFunction<ParamsOf<S>>
  | ObjectiveAdapter;

/** What {@link Study.open} takes: the study name, space, suggester, store, seed and direction. */
export interface StudyOptions<S extends SpaceDefinition = SpaceDefinition> {
  /** The study's name in its store; default `study` (two studies opened without one on a shared store are one). */
  readonly name?: string | undefined;
  /** The search space (see the builders: `uniform`, `choice`, ...); a resumed study's must be the one it was created with. */
  readonly space: S;
  /** What decides each trial's params (`createTpeSuggester()`, `createRandomSuggester()`, ...). */
  readonly suggester: Suggester;
  /**
   * What `optimize` runs when it is not given one: a function of the params, or an objective adapter (see
   * `FminOptions.objective`).
   */
  readonly objective?: StudyObjective<S> | undefined;
  /** Default: a memory store. */
  readonly store?: TrialStore | undefined;
  /**
   * The study's seed: every trial draws from a random stream derived from (seed, trial number, suggester), so
   * the same seed gives the same study. Default 0 for a new study; a resumed study goes on with the seed it was
   * started with, and one given another seed draws its new trials from other streams (said with a warning).
   */
  readonly seed?: number | undefined;
  /** Whether a lower loss (`minimize`, the default) or a higher one (`maximize`) is better; a resumed study's must match. */
  readonly direction?: Direction | undefined;
  /**
   * Receives the study's events: from ask, tell, report and prune, `trial.started`, `suggestion.explained`
   * (when `explain` is on), `trial.reported` and `trial.finished`; from `optimize`, also `study.started`,
   * `study.improved` and `study.finished`. A listener that throws, or an `async` one that rejects, is cut off with a warning.
   * Each event is a frozen copy, as a reporter gets it: the listener cannot change the study's trials. Its params
   * are typed by the space (`EngineEvent<ParamsOf<S>>`): after `event.type === 'trial.finished'`, `event.params.x`
   * is a `number` for a `uniform`, a choice's option values for a choice.
   */
  readonly onEvent?: ((event: EngineEvent<ParamsOf<S>>) => void) | undefined;
  /**
   * Told what does not stop the study but may surprise: a `quniform`/`qloguniform` parameter whose grid gives
   * values outside [low, high], a resumed study's suggester changed, a listener cut off, a step reported twice,
   * a run's stale trials or stray errors (default: a line on stderr). A service routes them to its own log (not
   * only to stderr).
   */
  readonly onWarning?: ((message: string) => void) | undefined;
  /**
   * Asks the suggester to explain each suggestion (TPE does: its densities and the winning candidate), sent as a
   * `suggestion.explained` event to `onEvent` (default false: explaining costs time).
   */
  readonly explain?: boolean | undefined;
  /** Judges trials at each {@link Study.report} and in `optimize` (default: never prunes). */
  readonly pruner?: Pruner | undefined;
}

const ignore = (): void => {};

/**
 * The caller's `onWarning`, made safe: one that throws would reject the call that warned, leaving its
 * trial unrecorded, or (between trials) throw inside the stray-error handler (review 38). The warning then
 * goes to stderr, with what went wrong.
 */
const guardedWarning =
  (onWarning: (message: string) => void) =>
  (message: string): void =>
    // An `async` one that rejects, the same (review 56: the rejection went unhandled and failed the trials
    // running then, each failure warning again).
    callCatching(
      () => onWarning(message),
      (error) => warnOnStderr(`${message} (onWarning threw: ${thrownErrorInfo(error).message})`),
    );

/**
 * The study's `onEvent`, cut off for the study's life once it throws (or its promise rejects), wherever that
 * was: in ask, tell, report and prune (`direct`: cut off with a warning, the call goes on) or in a run of
 * `optimize` (`forRun`: the throw goes on to the run, which cuts the reporter off and says so). Listeners never
 * steer the study (trial 73: cut off in one run, it got the next run's events and ask/tell's, against its warning).
 */
const studyListener = (
  onEvent: (event: EngineEvent) => void,
  warn: (message: string) => void,
): { direct: (event: EngineEvent) => void; forRun: (event: EngineEvent) => unknown } => {
  let live = true;
  const cut = (error: unknown): never => {
    live = false;
    throw error;
  };
  const forRun = (event: EngineEvent): unknown => {
    if (!live) return undefined;
    try {
      const returned: unknown = onEvent(event);
      return isThenable(returned) ? returned.then(undefined, cut) : returned;
    } catch (error) {
      return cut(error);
    }
  };
  // Ask, tell, report and prune give a frozen copy, as a run's reporters get (a listener that set the event's
  // params changed what ask returned).
  const direct = guardListener(
    (event: EngineEvent) => forRun(frozenCopy(event)),
    (error) => warn(cutOffMessage('study', thrownErrorInfo(error).message, 'onEvent')),
  );
  return { direct, forRun };
};

/**
 * Checks the options object of a `Study` method from JavaScript (TypeScript checks it already): each key
 * known, each value one of the listed strings, or any string. Throws `CONFIG_INVALID`.
 */
const checkMethodOptions = (
  where: string,
  options: unknown,
  rules: Readonly<Record<string, readonly (string | boolean)[] | 'a string'>>,
): void => {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw invalidConfig(`${where} options`, [
      {
        pointer: '',
        expected: `an options object ({ ${Object.keys(rules).join(', ')} })`,
        found: describeValue(options),
      },
    ]);
  const issues = Object.entries(options as Record<string, unknown>).flatMap(([key, value]) => {
    if (value === undefined) return [];
    const rule = rules[key];
    if (rule === undefined)
      return [
        {
          pointer: `/${key}`,
          expected: `one of ${Object.keys(rules).join(', ')}`,
          found: `an unknown option \`${key}\`${didYouMean(key, Object.keys(rules))}`,
        },
      ];
    const fits = Array.isArray(rule) ? rule.includes(value as string | boolean) : typeof value === 'string';
    const expected = Array.isArray(rule) ? `one of ${rule.map((option) => JSON.stringify(option)).join(', ')}` : rule;
    return fits ? [] : [{ pointer: `/${key}`, expected: expected as string, found: describeValue(value) }];
  });
  if (issues.length > 0) throw invalidConfig(`${where} options`, issues);
};

/** Options of {@link Study.ask}. */
export interface AskOptions {
  /** Stops waiting, for the suggester or for the ask's turn (the trial is recorded as failed, `INTERRUPTED`). */
  readonly signal?: AbortSignal | undefined;
}

/**
 * An enqueued entry as {@link Study.enqueued} lists it and {@link Study.removeEnqueued} returns it: the params it
 * fixes, as the objective sees them, and its key when it was queued with one (a config's entry has
 * `enqueue:<its JSON>#<occurrence>`).
 */
export interface EnqueuedEntry<S extends SpaceDefinition = SpaceDefinition> {
  /** The params queued, as the objective sees them; those not given are sampled. */
  readonly params: Partial<ParamsOf<S>>;
  /** The key it was queued with, if any. */
  readonly key?: string;
}

/**
 * Which waiting entries {@link Study.removeEnqueued} takes out: the entry queued with `key`, or every waiting
 * entry with exactly these `params` (the same parameters, the same values), keyed or not.
 */
export type EnqueuedChoice<S extends SpaceDefinition = SpaceDefinition> =
  | {
      /** The key the entry was queued with. */
      readonly key: string;
    }
  | {
      /** The params an entry must have exactly, as the objective sees them (possibly only some parameters). */
      readonly params: Partial<ParamsOf<S>>;
    };

/** A stored entry with its params as the objective sees them. */
const enqueuedEntry = <S extends SpaceDefinition>(space: CompiledSpace, entry: EnqueuedParams): EnqueuedEntry<S> => ({
  params: toExternalParams(space, entry.internal) as Partial<ParamsOf<S>>,
  ...(entry.key === undefined ? {} : { key: entry.key }),
});

/** The store's selectors for `removeEnqueued`'s choices, each checked: `CONFIG_INVALID` or `PARAMS_INVALID`. */
const selectorsOf = (space: CompiledSpace, choices: readonly unknown[]): EnqueuedSelector[] => {
  const shapes: ConfigIssue[] = [];
  const values: ConfigIssue[] = [];
  const selectors = choices.map((choice, index): EnqueuedSelector => {
    const plain = typeof choice === 'object' && choice !== null && !Array.isArray(choice);
    const keys = plain
      ? Object.keys(choice).filter((name) => (choice as Record<string, unknown>)[name] !== undefined)
      : [];
    const { key, params } = (plain ? choice : {}) as { key?: unknown; params?: unknown };
    if (keys.length === 1 && typeof key === 'string') return { key };
    const object = typeof params === 'object' && params !== null && !Array.isArray(params);
    if (keys.length === 1 && object) {
      const { internal, issues } = toInternalParams(space, params, `/${index}/params`, { partial: true });
      values.push(...issues);
      return { internal };
    }
    shapes.push({
      pointer: `/${index}`,
      expected: "{ key: string } or { params: {...} } (an entry's key, or its params as the objective sees them)",
      found: describeValue(choice),
    });
    return { key: '' };
  });
  if (shapes.length > 0) throw invalidConfig('study.removeEnqueued choice', shapes);
  if (values.length > 0)
    throw new ParzenError('PARAMS_INVALID', `Cannot remove entries with these params:\n${formatIssues(values)}`, {
      issues: values,
    });
  return selectors;
};

/** A trial to evaluate, as `ask()` returns it: its `params` are typed by the study's space. */
export type StudyTrial<S extends SpaceDefinition> = Omit<AskedTrial, 'params'> & {
  /** What the objective receives, typed by the study's space. */
  readonly params: ParamsOf<S>;
};

/**
 * A trial as `study.trials()` and `fmin` list it: the store's trial (state, loss, `internal` values, times)
 * with its `params` as the objective saw them (a choice by its option's value). A running trial's params
 * are empty until the suggester has decided them.
 */
export type TrialView<S extends SpaceDefinition = SpaceDefinition> =
  | (FinishedTrial & {
      /** The params as the objective saw them (a choice by its option's value, not its index). */
      readonly params: ParamsOf<S>;
    })
  | (RunningTrial & {
      /** The params decided so far, as the objective sees them: empty until the suggester has decided them. */
      readonly params: Partial<ParamsOf<S>>;
    });

/** The trials with their params as the objective saw them (see {@link TrialView}). */
export const viewTrials = <S extends SpaceDefinition>(space: CompiledSpace, trials: readonly Trial[]): TrialView<S>[] =>
  trials.map((trial) => viewTrial<S, Trial>(space, trial) as TrialView<S>);

/** A trial with its params as the objective saw them (see {@link TrialView}). */
const viewTrial = <S extends SpaceDefinition, T extends Trial>(
  space: CompiledSpace,
  trial: T,
): T & { readonly params: ParamsOf<S> } =>
  ({ ...trial, params: toExternalParams(space, trial.internal) }) as T & {
    readonly params: ParamsOf<S>;
  };

/**
 * What a `stopWhen` rule is given: the study's trials as `study.trials()` lists them, each with its `params`
 * as the objective saw them (a choice by its option's value, not its index), besides the store's `internal`
 * values (so a rule can read `best.params.model`).
 */
export interface StopWhenContext<S extends SpaceDefinition = SpaceDefinition> {
  /** The name of the study (the key its store keeps it under). */
  readonly study: string;
  /** Whether a lower or a higher loss is better. */
  readonly direction: Direction;
  /** The trial that just finished in this process; when a study resumes, its last finished trial. */
  readonly trial: FinishedTrial & {
    /** The params as the objective saw them (a choice by its option's value, not its index). */
    readonly params: ParamsOf<S>;
  };
  /** Every trial of the study (other processes' too), ordered by number; made when first read. */
  readonly trials: readonly TrialView<S>[];
  /** The best complete trial so far, if any. */
  readonly best:
    | (CompleteTrial & {
        /** The params as the objective saw them (a choice by its option's value, not its index). */
        readonly params: ParamsOf<S>;
      })
    | undefined;
  /** The first trial number of this run (see the `StopContext` of a stopper plugin). */
  readonly runFrom?: number | undefined;
}

/** A `stopWhen` rule (see `FminOptions.stopWhen`). */
export type StopWhen<S extends SpaceDefinition = SpaceDefinition> = (
  context: StopWhenContext<S>,
) => string | boolean | undefined;

/** The stopper that asks `rule` with the trials' params decoded by `space` (the trials only when read). */
export const stopWhenStopper = <S extends SpaceDefinition>(space: CompiledSpace, rule: StopWhen<S>): Stopper => {
  // A finished trial's view is made once (a rule that reads `trials` after every finished trial decoded every
  // trial's params each time: 6,000 trials, 15 s). A finished trial does not change; a running one may (in place,
  // in a store that updates its objects: review 107), so its view is made at each call.
  const views = new WeakMap<Trial, TrialView<S>>();
  const view = <T extends Trial>(trial: T) => viewTrial<S, T>(space, trial);
  const kept = (trial: Trial): TrialView<S> => {
    if (trial.state === 'running') return view(trial) as TrialView<S>;
    let made = views.get(trial);
    if (made === undefined) {
      made = view(trial) as TrialView<S>;
      views.set(trial, made);
    }
    return made;
  };
  return {
    name: 'stopWhen',
    shouldStop: (context: StopContext) => {
      let trials: readonly TrialView<S>[] | undefined;
      return rule({
        study: context.study,
        direction: context.direction,
        trial: view(context.trial),
        get trials() {
          trials ??= context.trials.map(kept);
          return trials;
        },
        best: context.best === undefined ? undefined : view(context.best),
        runFrom: context.runFrom,
      });
    },
  };
};

/**
 * `objective`, saying once when it returns its loss synchronously with `concurrency` above 1: a function runs on
 * Parzen's thread, so such trials run one at a time (trial 76: `n_jobs=4` ported as concurrency 4 ran serially,
 * without a word).
 */
const saysIfSynchronous = (
  objective: ObjectiveFunction<ExternalParams>,
  concurrency: number,
  warn: (message: string) => void,
): ObjectiveFunction<ExternalParams> => {
  if (!(concurrency > 1)) return objective;
  let said = false;
  // Said once it has answered synchronously as many times in a row as trials may run at once (review 84: an
  // objective that answers some trials from a cache, others with a promise, does overlap).
  let inARow = 0;
  return (params, context) => {
    const result = objective(params, context);
    inARow = isThenable(result) ? 0 : inARow + 1;
    if (!said && inARow >= concurrency) {
      said = true;
      warn(
        `the objective returned its loss synchronously (not a promise), so its trials run one at a time although concurrency is ${concurrency}: ` +
          "a function runs on Parzen's own thread, and trials overlap only while an async objective awaits (I/O, a child process). " +
          'A `module` objective runs each trial in a worker thread of its own (from a config, or from code: `objective: await createModuleObjective({ path })` from `@parzen/objectives`).',
      );
    }
    return result;
  };
};

/** How `study.optimize` runs: a budget (at least one limit) and run controls, as for `fmin`. */
export interface OptimizeOptions<S extends SpaceDefinition = SpaceDefinition> {
  /** Default: the study's `objective` (a function of the params, or an objective adapter). */
  readonly objective?: StudyObjective<S> | undefined;
  /** Stop when the study has this many trials (earlier ones count). */
  readonly maxTrials?: number | undefined;
  /** Other stopping rules; `maxTrials` above is merged in (a `budget.maxTrials` that differs from it is refused). */
  readonly budget?: Budget | undefined;
  /** Trials evaluated at once by this process (default 1; see `FminOptions.concurrency`). */
  readonly concurrency?: number | undefined;
  /** Stops the run (see `FminOptions.signal`). */
  readonly signal?: AbortSignal | undefined;
  /** After `signal` aborts, how long running trials may go on (see `FminOptions.gracePeriodMs`). */
  readonly gracePeriodMs?: number | undefined;
  /** Ends the grace period at once (see `FminOptions.forceSignal`). */
  readonly forceSignal?: AbortSignal | undefined;
  /** How long a trial may run (see `FminOptions.trialTimeoutMs`). */
  readonly trialTimeoutMs?: number | undefined;
  /** See `FminOptions.catchStrayErrors` (default true). */
  readonly catchStrayErrors?: boolean | undefined;
  /**
   * How long a running trial's claim lasts without renewal (default 60 s, at least 500 ms; renewed every third of it). A
   * worker on another host takes over a trial whose lease lapsed: raise it when an objective blocks the
   * event loop (synchronous code) for longer, with workers on several machines.
   */
  readonly leaseMs?: number | undefined;
  /** Listen to the run's events (besides the study's `onEvent`), their params typed by the space as `onEvent`'s. */
  readonly reporters?: readonly Reporter<ParamsOf<S>>[] | undefined;
  /** Your own stopping rule (see `FminOptions.stopWhen`). */
  readonly stopWhen?: StopWhen<S> | undefined;
}

/** The best trial as a user reads it: its number, loss, params as the objective saw them, and its attrs if any. */
export interface BestTrial<S extends SpaceDefinition> {
  /** The trial's number in its study (0 for the first). */
  readonly number: number;
  /** Its loss: the lowest of the study's complete trials (the highest, in a `maximize` study). */
  readonly loss: number;
  /** Its params, as the objective saw them (a choice by its option's value). */
  readonly params: ParamsOf<S>;
  /** What the objective returned beside the loss (`{ loss, attrs }`), as `parzen best --json` shows it. */
  readonly attrs?: Readonly<Record<string, unknown>>;
}

/**
 * Said when a run started trials and every one failed, or started none in a study every trial of which failed, its
 * reason not an interruption: a broken objective, not a finished study (trial 94: fmin resolved with `best`
 * undefined and not a word; the CLI says so).
 */
const everyTrialFailed = (result: RunResult): string | undefined => {
  const first = failedRun(result);
  if (first === undefined || result.reason === 'interrupted') return undefined;
  const error = `(the first to fail, #${first.number}: ${first.error.code} ${first.error.message.split('\n')[0]}${failureNote(first.error.details, first.error.message)})`;
  // A run that ran none: the study had its trials, every one failed (the warning at its limit says how to run more).
  if (first.number < result.existingTrials)
    return printable(
      `study ${result.summary.study} has no successful trial: its ${countOf(result.existingTrials, 'trial')}, all from earlier runs: ${earlierTrialsEnded(result)} ${error} ` +
        "and this run evaluated none (the study had its trials already), so there is no best trial; each trial's error is in `trials`.",
    );
  // A resumed study may have a best from earlier runs (review 98: "no best trial" beside a best of 0.5).
  const best = result.summary.best === undefined ? ', so there is no best trial' : '';
  return printable(
    `every trial of study ${result.summary.study} in this run failed ${error}${best}; each trial's error is in \`trials\`.`,
  );
};

/** A complete trial as {@link BestTrial}. */
const asBest = <S extends SpaceDefinition>(
  best: { readonly number: number; readonly loss: number; readonly attrs?: Readonly<Record<string, unknown>> },
  params: unknown,
): BestTrial<S> => ({
  number: best.number,
  loss: best.loss,
  params: params as ParamsOf<S>,
  ...(best.attrs === undefined ? {} : { attrs: best.attrs }),
});

/**
 * Refuses a trial number that is not one (trial 38: `tell("0", …)` wrote a finish the JSONL store could
 * not read back, and Optuna's `tell(trial, …)` habit gave a SQLite error) before any store sees it.
 */
const checkTrialNumber = (method: string, number: unknown): void => {
  if (typeof number === 'number' && Number.isSafeInteger(number) && number >= 0) return;
  const trialObject =
    typeof number === 'object' && number !== null && typeof (number as { number?: unknown }).number === 'number';
  throw new ParzenError(
    'CONFIG_INVALID',
    `study.${method}: expected a trial number (an integer ≥ 0), found ${describeValue(number)}` +
      (trialObject ? `; pass the trial's number: study.${method}(trial.number, …).` : '.'),
    { issues: [{ pointer: '/number', expected: 'a trial number (an integer ≥ 0)', found: describeValue(number) }] },
  );
};

/**
 * A loss or a prune for a running trial whose params are not all decided yet: another process's `ask()` is still
 * deciding them (its worker cannot have its number from it), or died doing so. Recorded, it would be a finished
 * trial missing params, and a complete one could be the study's best; an Error still fails such a trial (one a
 * crash left behind). A trial that took an enqueued entry holds the entry's params from its creation, so the test
 * is whether every parameter active under its params has a value, not whether it has any.
 */
// Review 145: the test was "no params at all", which a trial that took a partial entry ({ x }) passed while its
// ask still decided y: it was completed without y.
const refuseUndecided = (
  studyName: string,
  space: CompiledSpace,
  method: 'tell' | 'prune',
  number: number,
  trial: Trial | undefined,
): void => {
  // Review 145: a number the study did not have at the look was let through to the store, which completed a trial
  // another process's ask created in between with no params; the store would say TRIAL_NOT_FOUND at the look.
  if (trial === undefined) throw trialNotFound(studyName, number);
  if (trial.state !== 'running') return;
  const { internal } = trial;
  if (activeParamNames(space, internal).every((name) => internal[name] !== undefined)) return;
  throw new ParzenError(
    'CONFIG_INVALID',
    `study.${method}(${number}): trial #${number} has no params yet, or only those of the enqueued entry it took (an ask of another process is still deciding them, or ` +
      `died doing so), so no evaluation of its params gave this result. Nothing was recorded. Tell only the trials whose params ` +
      "ask() returned; to end one left without params, tell it an Error (new ParzenError('INTERRUPTED', 'lost')).",
    {
      issues: [
        { pointer: '', expected: 'a trial whose params ask() returned', found: `trial #${number} without params` },
      ],
    },
  );
};

/** Said when a study opens with trials asked and not yet told (see {@link Study.open}). */
const askedNotToldNote = (study: string, asked: readonly Trial[]): string => {
  const shown = asked.slice(0, 5).map((trial) => `#${trial.number}`);
  const numbers = `${shown.join(', ')}${asked.length > shown.length ? `, … (${asked.length} in all)` : ''}`;
  const one = asked.length === 1;
  return (
    `study ${study} has ${one ? 'a trial' : `${asked.length} trials`} asked and not yet told (${numbers}). ` +
    `If the process that asked ${one ? 'it' : 'them'} is gone, tell ${one ? 'it' : 'each'} a loss, or fail it as cut short, which hands an enqueued entry it took out again ` +
    "(study.tell(number, new ParzenError('INTERRUPTED', 'lost'))): until told, a suggester with a constant liar (TPE's default) keeps away from " +
    `${one ? 'its' : 'their'} params, and ${one ? 'it counts' : 'they count'} toward maxTrials. Another process still working on ${one ? 'it' : 'them'} needs nothing. Said when the study opens.`
  );
};

/**
 * The checked rows without those that repeat a finished trial of `existing` (`addTrials`' `skipRepeats`), and the
 * indexes of the rows left out.
 */
const withoutRepeats = (
  checked: ImportCheck,
  existing: readonly ComparedTrial[],
): { readonly checked: ImportCheck; readonly skippedRepeats: number[] } => {
  const repeats = repeatsOf(existing, checked.trials);
  const kept = (_: unknown, at: number) => repeats[at] !== true;
  return {
    checked: {
      ...checked,
      trials: checked.trials.filter(kept),
      rows: checked.rows.filter(kept),
      unrecorded: checked.unrecorded.filter(kept),
    },
    skippedRepeats: checked.rows.filter((_, at) => repeats[at] === true),
  };
};

/**
 * Said when `addTrials` skips repeats with a store whose `addTrials` does not honour `skipRepeats`: the rows are
 * compared with the study as read before the store's step, so the skip is exact for one call at a time only.
 */
const nonAtomicSkipNote = (store: string, study: string): string =>
  `study.addTrials: the ${store} store does not skip repeats in its own atomic step (its addTrials does not honour ` +
  `skipRepeats), so the rows were compared with study ${study} as read before the add: two calls at the same moment ` +
  'that share rows can both add them. Make such calls one at a time with this store.';

/**
 * An `IMPORT_REPEATED` refusal of a call that skipped invalid rows (`onInvalid: 'skip'`), with those rows
 * said and listed in its issues: the caller gets no result to read `skipped` from.
 */
const withSkippedRows = (error: unknown, invalid: readonly InvalidRow[], total: number): unknown => {
  // By its code, as the run loop reads a store's (a third-party store may throw a plain Error with it).
  const { code, message, plugin, issues } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
    plugin?: unknown;
    issues?: unknown;
  };
  if (code !== 'IMPORT_REPEATED' || invalid.length === 0) return error;
  return new ParzenError(
    'IMPORT_REPEATED',
    `${String(message)} ${invalid.length === 1 ? `The other row of the ${total} given was` : `The other ${invalid.length} rows of the ${total} given were`} invalid and skipped (onInvalid: 'skip'):\n${formatInvalidRows(invalid, 'row', true)}`,
    {
      ...(typeof plugin === 'string' ? { plugin } : {}),
      // The store's error behind it, for PARZEN_DEBUG (review 108: it was dropped).
      cause: error,
      issues: [
        ...(Array.isArray(issues) ? (issues as ConfigIssue[]) : []),
        ...invalid.flatMap(({ row, issues: found }) =>
          found.map((problem) => ({ ...problem, pointer: `/${row}${problem.pointer}` })),
        ),
      ],
    },
  );
};

/**
 * A store's `STUDY_MISMATCH` (worded for a config, as the CLI runs it) worded again for the call in code that opened
 * the study, which has no config: the stored study compared with the options it was given. Any other error, or
 * a study the store then does not give, is thrown as it was.
 */
const mismatchInCode = async (store: TrialStore, spec: StudySpec, error: unknown): Promise<never> => {
  if ((error as { code?: unknown } | undefined)?.code === 'STUDY_MISMATCH') {
    const stored = await store.getStudy(spec.name).catch(() => undefined);
    if (stored !== undefined) checkSameStudy(stored, spec, 'options');
  }
  throw error;
};

/**
 * A study: ask/tell (you run the objective, the study suggests and records) or `optimize` (the study
 * runs it), over one store. Typed by its space: `ask().params` and `best().params` are `ParamsOf<S>`.
 *
 * @example
 * ```ts
 * const study = await Study.open({ space: { x: uniform(-2, 2) }, suggester: createRandomSuggester() });
 * const trial = await study.ask();
 * await study.tell(trial.number, trial.params.x ** 2);
 * const { best } = await study.optimize({ objective: ({ x }) => x ** 2, maxTrials: 50 });
 * ```
 */
export class Study<S extends SpaceDefinition = SpaceDefinition> {
  private constructor(
    private readonly session: StudySession,
    /** The study's name in its store. */
    readonly name: string,
    private readonly objective: StudyObjective<S> | undefined,
    private readonly pruner: Pruner | undefined,
    private opened: { readonly study: StudyRecord; readonly resumed: boolean },
    /** Where warnings go (`onWarning`, default stderr). */
    private readonly warn: (message: string) => void,
    /** The caller's `onEvent` (see `studyListener`): `optimize` hands it to the run as a reporter. */
    private readonly listener?: (event: EngineEvent) => unknown,
  ) {
    this.pruning = createPruning({
      study: session.spec.name,
      direction: session.spec.direction,
      store: session.store,
      emit: session.emit,
      warn,
      refreshMs: 0,
      ...(pruner === undefined ? {} : { pruner }),
    });
  }

  /** Reports through `report` are judged one at a time, each on a fresh listing of the study's trials. */
  private readonly pruning: Pruning;

  /**
   * Opens a study: creates it in the store, or resumes it when the store has a study of that name (with the same
   * space and direction; another seed continues it with other random streams). Without `name` the study is `study`,
   * and without `store` it lives in memory: two studies opened without a name on a shared store are one study. The
   * caller closes a store it passed (`store.close()`); the study does not.
   *
   * @throws `ParzenError` `CONFIG_INVALID` for options of the wrong kind; `STUDY_MISMATCH` when the store's study
   *   of that name has another space or direction (saying what differs).
   */
  static async open<const S extends SpaceDefinition>(options: StudyOptions<S>): Promise<Study<S>> {
    checkApiOptions('Study.open', options);
    const space: CompiledSpace = compileSpace(options.space);
    // A handle of its own on a memory store (see ownHandle): as a worker of a persistent store, the Study is told of
    // its study deleted, and writes nothing into one created anew in its name.
    const store = options.store === undefined ? createMemoryStore() : ownHandle(options.store);
    // As a run refuses it (review 47: ask/tell found out at the first report).
    checkPrunerStore(store, options.pruner);
    const created = {
      name: options.name ?? 'study',
      direction: options.direction ?? 'minimize',
      seed: options.seed ?? 0,
      space: options.space,
    };
    const suggester = studySuggester(options.suggester);
    const opened = await store
      .openStudy({ ...created, suggester, parzenVersion: PARZEN_VERSION })
      .catch((error: unknown) => mismatchInCode(store, created, error));
    // A study resumed without a seed goes on with its own (as a resume needs no other setting repeated); one
    // given another is warned of, as a run of the CLI is.
    const spec = opened.resumed && options.seed === undefined ? { ...created, seed: opened.study.seed } : created;
    const change = opened.resumed ? suggesterChange(spec.name, opened.study.suggester, suggester) : undefined;
    const rebuilt = opened.resumed ? versionChange(spec.name, opened.study.parzenVersion, PARZEN_VERSION) : undefined;
    const reseeded = opened.resumed
      ? seedChange(spec.name, opened.study.seed, spec.seed, {
          who: 'it is resumed with',
          keep: `give seed ${opened.study.seed}, or no seed,`,
        })
      : undefined;
    const warn = options.onWarning === undefined ? warnOnStderr : guardedWarning(options.onWarning);
    // The events' params are what the space gives (the engine decodes them by it): `ParamsOf<S>` is their type,
    // not another value.
    const onEvent = options.onEvent as ((event: EngineEvent) => void) | undefined;
    const listener = onEvent === undefined ? undefined : studyListener(onEvent, warn);
    for (const message of [change, rebuilt, reseeded === undefined ? undefined : `${reseeded}.`])
      if (message !== undefined) warn(message);
    const studySpace = inStudyOrder(space, opened.study.space);
    // A quantized parameter whose grid passes a bound (0 from a low under q/2), as a config's run says it.
    for (const note of gridNotes(options.space, '/space')) warn(noteMessage(spec.name, note));
    for (const message of suggesterWarnings(spec.name, options.suggester, studySpace)) warn(message);
    if (opened.resumed) {
      // Trials asked (no lease) and never told, by a process that may be gone: TPE's constant liar keeps
      // placing them in g(x), so later suggestions avoid where they were, without a word (trial 85).
      // Best effort: a listing that fails does not fail the open (review 89).
      const listed = await store.listTrials(spec.name).catch(() => undefined);
      // As a run refuses them (trial 93): trials no run stores, named.
      if (listed !== undefined) checkStoredTrials(spec.name, space, listed);
      const asked = (listed ?? []).filter((trial) => trial.state === 'running' && trial.lease === undefined);
      if (asked.length > 0) warn(askedNotToldNote(spec.name, asked));
    }
    const session = {
      spec,
      space: studySpace,
      store,
      suggester: options.suggester,
      emit: listener?.direct ?? ignore,
      warn,
      ...(options.explain === undefined ? {} : { explain: options.explain }),
    };
    return new Study<S>(session, spec.name, options.objective, options.pruner, opened, warn, listener?.forRun);
  }

  /**
   * A new trial with suggested `params` (what the objective should get).
   *
   * `signal` stops waiting: once it aborts, `ask` rejects with an `INTERRUPTED` error as soon as its trial is
   * recorded as failed (`INTERRUPTED`), whether the suggester is deciding the params or the ask is still waiting
   * its turn (behind another ask); what the suggester gives later is dropped. Aborted before the
   * call, `ask` rejects and no trial is made. (`optimize`'s `signal` is a graceful stop instead: the run
   * ends after what is running, and resolves.)
   */
  async ask(options: AskOptions = {}): Promise<StudyTrial<S>> {
    checkApiOptions('study.ask', options);
    // As a run does: a suggester awaiting what holds no handle would otherwise let Node end at once (code 13).
    const release = holdProcessOpen();
    try {
      return await this.askHeld(options);
    } finally {
      release();
    }
  }

  private async askHeld(options: AskOptions): Promise<StudyTrial<S>> {
    const { signal } = options;
    if (signal === undefined) {
      const asked = await askTrial(this.session);
      if (asked === undefined) throw new Error('unreachable: no limit was given');
      return asked as StudyTrial<S>;
    }
    const stopped = (when: string) =>
      new ParzenError('INTERRUPTED', `study.ask was stopped ${when}${abortReason(signal)}.`, { cause: signal.reason });
    if (signal.aborted) throw stopped('before it began: its signal was already aborted');
    // On abort the ask fails its trial at once, waiting its turn or deciding (`failWhileWaiting`).
    const pending = askTrial(this.session, undefined, undefined, false, {
      interrupt: signal,
      stopped: 'study.ask was stopped',
      failWhileWaiting: true,
    });
    const session = this.session;
    return new Promise<StudyTrial<S>>((resolve, reject) => {
      let aborted = false;
      const onAbort = () => {
        aborted = true;
        // Rejected once the trial is recorded failed (trial 171: `trials()` still listed it running right after the
        // rejection): the ask fails it itself, and one whose params were decided just before the abort is failed
        // here, so no trial is left asked and never told.
        void pending
          .then(
            async (asked) => {
              if (asked === undefined) return;
              const error = {
                code: 'INTERRUPTED',
                message: `study.ask was stopped before trial #${asked.number} was returned.`,
              };
              // Its objective never started: not an attempt at the entry it took.
              await finishAskedTrial(session, asked.number, { state: 'failed', error }, false).catch(() => undefined);
            },
            () => undefined,
          )
          .then(() => reject(stopped('before its params were decided')));
      };
      const stopListening = whenAborted(signal, onAbort);
      pending.then(
        (asked) => {
          if (aborted) return;
          stopListening();
          if (asked === undefined) reject(new Error('unreachable: no limit was given'));
          else resolve(asked as StudyTrial<S>);
        },
        (error: unknown) => {
          if (aborted) return;
          stopListening();
          reject(error);
        },
      );
    });
  }

  /**
   * Runs the objective on trials of this study until the budget says stop: what `fmin` does, on a study
   * you can also ask and tell, resume and inspect. Resolves to the best trial, every trial and why the
   * run stopped.
   */
  async optimize(options: OptimizeOptions<S>): Promise<FminResult<S>> {
    checkApiOptions('study.optimize', options);
    checkRunEnds('study.optimize', options);
    const { spec, space, store, suggester } = this.session;
    const objective = options.objective ?? this.objective;
    if (objective === undefined)
      throw new ParzenError(
        'CONFIG_INVALID',
        'study.optimize needs an objective: give `objective` to Study.open (or createStudy), or to optimize.',
      );
    const budget: Budget = {
      ...options.budget,
      ...(options.maxTrials === undefined ? {} : { maxTrials: options.maxTrials }),
    };
    const result = await runStudy({
      spec,
      space,
      store,
      suggester,
      // An adapter (a module's worker threads, a program) runs as from a config; a function on this thread.
      objective:
        typeof objective === 'function'
          ? createFunctionObjective(
              saysIfSynchronous(objective as ObjectiveFunction<ExternalParams>, options.concurrency ?? 1, this.warn),
              'function',
              // The user's function, not the wrapper, is read for the names it destructures (review 105).
              { source: objective, space: space.byName.keys() },
            )
          : objective,
      budget,
      // Not the ask/tell guard: the run cuts a throwing reporter off itself, through its onWarning and a
      // plugin.failed event (and the study's listener is then off for the study's life).
      reporters: [
        ...(this.listener === undefined ? [] : [{ name: 'study', onEvent: this.listener }]),
        ...(options.reporters ?? []),
      ],
      noteAtLimit: true,
      ...(this.session.explain === undefined ? {} : { explain: this.session.explain }),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      gracePeriodMs: options.gracePeriodMs ?? DEFAULT_GRACE_PERIOD_MS,
      ...(options.forceSignal === undefined ? {} : { forceSignal: options.forceSignal }),
      ...(options.trialTimeoutMs === undefined ? {} : { trialTimeoutMs: options.trialTimeoutMs }),
      ...(options.catchStrayErrors === undefined ? {} : { catchStrayErrors: options.catchStrayErrors }),
      ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
      ...(options.stopWhen === undefined
        ? {}
        : { stopper: stopperOfRule(options.stopWhen) ?? stopWhenStopper(this.session.space, options.stopWhen) }),
      ...(this.pruner === undefined ? {} : { pruner: this.pruner }),
      onWarning: this.warn,
      opened: this.opened,
    });
    // A later optimize continues the same study.
    this.opened = { study: this.opened.study, resumed: true };
    const failure = everyTrialFailed(result);
    if (failure !== undefined) this.warn(failure);
    const { best, bestParams } = result.summary;
    return {
      best: best === undefined ? undefined : asBest<S>(best, bestParams),
      trials: viewTrials<S>(this.session.space, result.trials),
      reason: result.reason,
      ...(result.stopMessage === undefined ? {} : { stopMessage: result.stopMessage }),
    };
  }

  /**
   * A trial that a run (optimize, fmin, a worker of any process) is evaluating is that run's to finish: a
   * result told for it would be a loss no evaluation of its params produced, and the run's own would be
   * filed as another trial. Runs hold a lease on their trials and `ask()` gives none, so a running trial
   * with a lease that is not stale (the stale-trial rule: a live worker on this host, else a lease not yet
   * lapsed) is a run's. Looked up in the study's mirror (only what changed since the last look is read).
   */
  private async refuseTrialOfRun(method: 'tell' | 'prune', number: number): Promise<Trial | undefined> {
    const trial = await mirrorOf(this.session).withAllTrials((trials) => {
      const at = trials[number];
      return at?.number === number ? at : trials.find((t) => t.number === number);
    });
    // The stale-trial rule decides whose it is: a live worker's (on this host, however late its lease),
    // or a lease not yet lapsed on another host.
    if (trial?.state === 'running' && trial.lease !== undefined && !isStale(trial.lease, new Date(), ''))
      throw new ParzenError(
        'TRIAL_IN_RUN',
        `study.${method}(${number}): trial #${number} is being evaluated by a run (optimize, fmin or a worker), which records its result. ` +
          'Tell only the trials you asked for with study.ask().',
      );
    return trial;
  }

  /**
   * Records a result: a number or `{ loss, ... }` completes the trial; NaN, an infinity, hyperopt's
   * `{ status: 'fail' }` or an Error fails it with the reason. An Error fails it `OBJECTIVE_THREW` with the
   * Error's message, and its details mark it told (`told: true`): its class (`errorName`), its own `code`
   * (`errorCode`), its `stack` and `thrownAt`, the first place of that stack (a file:line:column), which is where the
   * Error was created (where an objective threw only if you pass on the exception it threw; a service that
   * makes `new Error(message)` for a worker's failure gets its own line). `new ParzenError('INTERRUPTED', message)` fails it
   * as cut short (`INTERRUPTED`, as a run's stopped trial): for a trial whose worker never answered, it gives back
   * the enqueued entry it took, and TPE does not read it as a failure at its params. A run's trial whose lease
   * lapsed on another host is recorded as the next run would mark it (`STALE_TRIAL`, `details.lease: 'lapsed'`):
   * its worker may still finish it, so the entry it took is not handed out again.
   *
   * @throws `ParzenError` `CONFIG_INVALID`, recording nothing (the trial can be told again), for a result
   *   that is no loss (`{ value }`, a string), attrs that are not JSON, a `state` field, or a trial number
   *   that is not one, or a loss for a trial with no params yet (another process's ask still deciding them);
   *   `TRIAL_IN_RUN` for a trial a run is evaluating; `TRIAL_ALREADY_FINISHED`.
   */
  async tell(number: number, result: ObjectiveResult | Error): Promise<FinishedTrial> {
    // Optuna's `tell(trial, value, state=PRUNED)` habit: here `state` would become an attr of a complete trial.
    if (typeof result === 'object' && result !== null && !(result instanceof Error) && 'state' in result)
      throw new ParzenError(
        'CONFIG_INVALID',
        `study.tell(${number}, ...): a result has no \`state\`, found ${describeValue((result as { readonly state?: unknown }).state)}; ` +
          'give a loss ({ loss, attrs }) to complete the trial, an Error to fail it, or call study.prune(number) to prune it.',
        {
          issues: [
            {
              pointer: '/state',
              expected: 'no such field',
              found: describeValue((result as { readonly state?: unknown }).state),
            },
          ],
        },
      );
    checkTrialNumber('tell', number);
    // `tell(n, new TrialPruned())`: pruned, as `prune(n)` (review 62: a failed trial with code PRUNED).
    if (result instanceof TrialPruned) return this.prune(number);
    const told = await this.refuseTrialOfRun('tell', number);
    // `tell(n, new ParzenError('INTERRUPTED', ...))`: cut short, its params never judged (a worker that never
    // answered, a service that restarted), recorded as a run records a trial it stopped, so an enqueued entry it
    // took is handed out again and TPE's `failed: "avoid"` does not count it (trial 140: it failed
    // OBJECTIVE_THREW, the entry used up, though the enqueue docs said such a trial gives it back).
    // Review 145: a run's trial whose lease lapsed on another host is recorded as the stale-trial rule records it
    // (STALE_TRIAL, lease 'lapsed'): its worker may still finish it (the result is then kept as a new trial), so an
    // enqueued entry it took is not handed out again (as INTERRUPTED, it gave the entry back and it ran twice).
    const interrupted = result instanceof ParzenError && result.code === 'INTERRUPTED';
    const stale =
      interrupted && told?.state === 'running' && staleness(told.lease, new Date(), '') === 'lapsed'
        ? staleTrialOutcome(told, new Date(), '')
        : undefined;
    const evaluation =
      stale?.state === 'failed'
        ? { status: 'failed' as const, error: stale.error }
        : interrupted
          ? { status: 'failed' as const, error: { code: 'INTERRUPTED', message: result.message } }
          : result instanceof Error
            ? { status: 'failed' as const, error: toldErrorInfo(result) }
            : interpretObjectiveValue(result, `study.tell(${number}, …) was given`);
    // A result that is no loss, or attrs that are not JSON, is the caller's slip, not the trial's outcome:
    // thrown, with the trial left running to be told again (trial 38: a Date in attrs lost a valid loss).
    if (
      evaluation.status === 'failed' &&
      (evaluation.error.code === 'OBJECTIVE_NOT_A_NUMBER' || evaluation.error.code === 'OBJECTIVE_BAD_ATTRS')
    ) {
      // Not "still running" of a trial that is not (trial 89): the store says what it is (no trial, or finished),
      // and records nothing.
      if (told === undefined) throw trialNotFound(this.name, number);
      if (told.state !== 'running') return await tellTrial(this.session, number, evaluation);
      throw new ParzenError(
        'CONFIG_INVALID',
        `${withoutKeptLoss(evaluation.error)} Nothing was recorded: trial #${number} is still running; tell it again with a ` +
          'number or { loss, attrs }, or an Error to fail it.',
        {
          issues: [
            {
              pointer: '',
              expected: 'a number, { loss, attrs } with JSON attrs, or an Error',
              found: describeValue(result),
            },
          ],
        },
      );
    }
    // Trial 140: another process's tell completed a trial whose ask was still deciding its params (stored with
    // none, and the best trial), and that ask then failed with TRIAL_ALREADY_FINISHED.
    if (evaluation.status === 'ok') refuseUndecided(this.name, this.session.space, 'tell', number, told);
    try {
      return await tellTrial(this.session, number, evaluation);
    } finally {
      this.pruning.forget(number);
    }
  }

  /**
   * Adds finished trials run elsewhere (earlier work, another tool), so the suggester learns from them:
   * they get the next numbers and are ordinary finished trials from then on. Each row is checked against
   * the space (params as the objective sees them; a complete row needs a finite `loss`, see
   * {@link ImportedTrialRow}). Nothing is half-imported: the valid rows are added in one store call.
   * Rows' params are typed by the space, as `enqueue`'s: rows parsed from a file (`JSON.parse` gives `any`)
   * pass as they are, and rows typed loosely (`ImportedTrialRow[]`) need the space's type,
   * `ImportedTrialRow<ParamsOf<typeof space>>[]` (or a cast, since every row is checked when added).
   *
   * @param options `onInvalid: 'reject'` (default): any invalid row rejects the whole call; `'skip'`:
   *   invalid rows are left out and returned in `skipped`. Row numbers count from 0. `refuseRepeats: true`:
   *   a call every row of which repeats a finished trial the study has (same params, state, loss and error; a
   *   row given both `startedAt` and `finishedAt`, a trial with those times too: one with times of its own is a
   *   new evaluation) adds nothing and throws `IMPORT_REPEATED`, judged in the store's atomic step, as `parzen
   *   import` does:
   *   a warm-start script run again to resume adds its rows once (catch that code to go on; with `onInvalid:
   *   'skip'`, the rows skipped are in its message and `issues`, as no result says them). A call with
   *   some new rows adds every row, and warns how many repeat (`onWarning`). `skipRepeats: true`: the rows
   *   that repeat a finished trial the study has (same params, state, loss and error, whatever their times) are
   *   left out and returned in `skippedRepeats`, the others added, so a warm-start script run again adds only
   *   its new rows, without an error, as `parzen import --skip-repeats` does; not with `refuseRepeats`. Judged in
   *   the store's atomic step, so exact at the same moment too: two calls that share rows add each shared row
   *   once. With a store whose `addTrials` does not honour the option (a third-party store without
   *   `TrialStore.skipRepeats`), the rows are compared with the study as read before the store's step, and a
   *   warning says that two calls at the same moment can both add the rows they share.
   * @throws `ParzenError` `IMPORT_INVALID` listing every invalid row and what was expected and
   *   found (or when `rows` is not an array); `IMPORT_REPEATED` (see `refuseRepeats`); `CONFIG_INVALID` for
   *   an unknown option or value, or both `refuseRepeats` and `skipRepeats`; `STORE_UNSUPPORTED` for a store without `addTrials`.
   * @example
   * ```ts
   * await study.addTrials([{ params: { x: 0.5, kernel: 'rbf' }, loss: 0.12 }, { params: { x: 1, kernel: 'linear' }, loss: 0.3 }]);
   * ```
   */
  async addTrials(
    rows: readonly ImportedTrialRow<ParamsOf<S>>[],
    options: {
      readonly onInvalid?: 'reject' | 'skip';
      readonly refuseRepeats?: boolean;
      readonly skipRepeats?: boolean;
    } = {},
  ): Promise<AddTrialsResult<S>> {
    const { store, space } = this.session;
    if (!Array.isArray(rows))
      throw new ParzenError(
        'IMPORT_INVALID',
        `study.addTrials takes an array of rows ({ params, loss }); found ${describeValue(rows)}, so nothing was imported.`,
        { issues: [{ pointer: '', expected: 'an array of rows ({ params, loss })', found: describeValue(rows) }] },
      );
    checkMethodOptions('study.addTrials', options, {
      onInvalid: ['reject', 'skip'],
      refuseRepeats: [true, false],
      skipRepeats: [true, false],
    });
    if (options.refuseRepeats === true && options.skipRepeats === true)
      throw invalidConfig('study.addTrials options', [
        {
          pointer: '/skipRepeats',
          expected: 'refuseRepeats or skipRepeats, not both',
          found:
            'both: skipRepeats leaves out the rows that repeat trials the study has, refuseRepeats refuses a call of nothing but such rows',
        },
      ]);
    if (store.addTrials === undefined) throw storeUnsupported(store.name, 'import trials', 'addTrials');
    const all = checkImportedRows(space, rows);
    if (all.invalid.length > 0 && options.onInvalid !== 'skip') throw importInvalid(all.invalid, rows.length);
    // Rows that repeat the study's trials, with skipRepeats: left out (by index), the rest added. A store that
    // honours the option leaves them out in its own atomic step (below); another's are compared with the study as
    // read here, before its step, which two calls at the same moment that share rows can both pass.
    const atomicSkip = options.skipRepeats === true && store.skipRepeats === true;
    if (options.skipRepeats === true && !atomicSkip && all.trials.length > 0)
      this.warn(nonAtomicSkipNote(store.name, this.name));
    const { checked, skippedRepeats } =
      options.skipRepeats === true && !atomicSkip && all.trials.length > 0
        ? withoutRepeats(all, await this.storedTrials())
        : { checked: all, skippedRepeats: [] as number[] };
    // Rows that repeat the study's trials, when repeats are checked: a call with some new rows adds them all,
    // and says how many repeat (review 105: a warm-start file that grew doubled its older rows, unsaid).
    let repeats = 0;
    if (options.refuseRepeats === true && checked.trials.length > 0) {
      const existing = await this.storedTrials();
      repeats = repeatsOf(existing, checked.trials).filter(Boolean).length;
      // Refused here too, for a store that does not honour the option (the store's own check, in its atomic
      // step, is what keeps two calls at once from both adding).
      if (repeats === checked.trials.length)
        try {
          refuseRepeatedTrials(this.name, existing, checked.trials);
        } catch (error) {
          throw withSkippedRows(error, checked.invalid, rows.length);
        }
    }
    const refuse = options.refuseRepeats === true || options.skipRepeats === true;
    const added =
      checked.trials.length === 0
        ? []
        : await store
            .addTrials(
              this.name,
              checked.trials,
              atomicSkip ? { skipRepeats: true } : refuse ? { refuseRepeats: true } : undefined,
            )
            .then((made) => {
              // The rows the store left out as repeats, by what it added.
              if (atomicSkip)
                for (const at of leftOutRepeats(store.name, checked.trials, made))
                  skippedRepeats.push(checked.rows[at] as number);
              return made;
            })
            .catch((error: unknown) => {
              // With skipRepeats, another call added them meanwhile (judged in the store's atomic step): each a repeat.
              if (options.skipRepeats === true && (error as { code?: unknown } | null)?.code === 'IMPORT_REPEATED') {
                skippedRepeats.push(...checked.rows);
                skippedRepeats.sort((a, b) => a - b);
                return [];
              }
              throw withSkippedRows(error, checked.invalid, rows.length);
            });
    if (repeats > 0 && added.length > 0)
      this.warn(
        `study.addTrials: ${repeats} of the ${added.length} trials added repeat trials study ${this.name} had (same params, state, ` +
          'loss and error), and the suggester now counts each twice: refuseRepeats refuses only a call every row of which ' +
          'repeats one; leave the rows added before out of the call.',
      );
    return { added: viewTrials<S>(space, added), skipped: checked.invalid, skippedRepeats };
  }

  /**
   * Records an intermediate value of running trial `number` (step: a non-negative integer such as an
   * epoch) and asks the study's pruner; resolves to true when the trial should stop. Then end it with
   * {@link Study.prune} (or {@link Study.tell} to complete it anyway). A step reported again keeps its
   * first value (a warning says so, once per trial: `onWarning`, or stderr), as Optuna's `trial.report` does.
   */
  async report(number: number, step: number, value: number): Promise<boolean> {
    checkTrialNumber('report', number);
    return this.pruning.report(number, step, value).catch(async (error: unknown) => {
      throw await withWhatItHolds(this.session, number, error);
    });
  }

  /**
   * Ends running trial `number` as pruned, with the last value it reported (a pruned trial is never best)
   * and `attrs`, when given, stored with it (JSON values, as a complete trial's).
   *
   * @throws `ParzenError` `CONFIG_INVALID`, recording nothing, for attrs that are not an object of JSON values.
   */
  async prune(number: number, attrs?: Readonly<Record<string, unknown>>): Promise<FinishedTrial> {
    checkTrialNumber('prune', number);
    // Checked as an objective's attrs are: a field whose value is undefined is passed over, and left out.
    const notObject = attrs !== undefined && (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs));
    const notStorable = attrs === undefined || notObject ? undefined : attrsNotJson(attrs);
    const problem = notObject
      ? { pointer: '/attrs', found: `attrs is ${describeValue(attrs)}` }
      : notStorable && { pointer: notStorable.pointer, found: notStorable.found };
    if (problem)
      throw new ParzenError(
        'CONFIG_INVALID',
        `study.prune(${number}, attrs): ${notObject ? problem.found : `${problem.pointer} is ${problem.found}`}; attrs are stored as JSON: give an object of numbers, strings, booleans, null, arrays or plain objects (a field whose value is undefined is left out). Nothing was recorded: trial #${number} is still running.`,
        { issues: [{ pointer: problem.pointer, expected: 'an object of JSON values', found: problem.found }] },
      );
    refuseUndecided(this.name, this.session.space, 'prune', number, await this.refuseTrialOfRun('prune', number));
    const trial = (await this.storedTrials()).find((t) => t.number === number);
    try {
      return await finishAskedTrial(
        this.session,
        number,
        prunedOutcome(trial && lastIntermediate(trial)?.value, keptAttrs(attrs)),
      );
    } finally {
      this.pruning.forget(number);
    }
  }

  /**
   * Queues params for the next trials, as the objective sees them (a choice by its option's value); they
   * may name only some parameters, and the suggester samples the rest. Each entry is taken by one trial at a
   * time (`ask()` here, or a worker sharing the store), before any sampled trial; a trial told
   * `INTERRUPTED`, or a run's trial whose worker died, gives it back to be handed out first. With a `key`, params
   * whose key the study has already queued are skipped. Resolves to whether the entry was queued.
   *
   * A parameter of a branch needs the choice that decides it (`{ model: 'svm', C: 50 }`, not `{ C: 50 }`: the
   * entry says which branch it is for), which the type requires too ({@link EnqueueParams}).
   *
   * @throws `ParzenError` `PARAMS_INVALID` naming each value that does not fit the space;
   *   `CONFIG_INVALID` when `options` is not `{ key?: string }`.
   */
  async enqueue<const P extends Partial<ParamsOf<S>>>(
    params: P & EnqueueParams<S, P>,
    options: { readonly key?: string } = {},
  ): Promise<boolean> {
    const { store, space } = this.session;
    checkMethodOptions('study.enqueue', options, { key: 'a string' });
    const { internal, issues } = toInternalParams(space, params as Readonly<Record<string, unknown>>, '', {
      partial: true,
    });
    if (issues.length > 0)
      throw new ParzenError('PARAMS_INVALID', `Cannot enqueue these params:\n${formatIssues(issues)}`, { issues });
    if (store.enqueue === undefined) throw storeUnsupported(store.name, 'enqueue params', 'enqueue');
    const entry = { internal, ...(options.key === undefined ? {} : { key: options.key }) };
    return (await store.enqueue(this.name, [entry])) === 1;
  }

  /**
   * The entries waiting in the study's queue, in the order they are handed out (one given back by a trial that
   * ended unrun first), each with its key when it has one.
   *
   * @throws `ParzenError` `STORE_UNSUPPORTED` for a store without `listEnqueued`.
   */
  async enqueued(): Promise<readonly EnqueuedEntry<S>[]> {
    const { store, space } = this.session;
    if (store.listEnqueued === undefined) throw storeUnsupported(store.name, 'list enqueued entries', 'listEnqueued');
    return (await store.listEnqueued(this.name)).map((entry) => enqueuedEntry<S>(space, entry));
  }

  /**
   * Takes waiting entries out of the study's queue: `{ key }` the entry queued with that key (a config's entry:
   * `enqueue:<its JSON>#<occurrence>`, as {@link enqueued} lists it), `{ params }` every waiting entry with exactly
   * those params. All or none, in one step of the store: no trial takes one meanwhile. A removed entry is never
   * handed out, and its key stays queued, so `enqueue` with it (or a config that still lists it) queues nothing;
   * to run such params later, queue them without a key or with a new one. Resolves to the entries removed.
   *
   * @throws `ParzenError` `ENTRY_NOT_WAITING` when one of `which` picks no waiting entry (a trial took it: running,
   *   or ran it; it was given up, removed, or never queued), naming each such and why; nothing is removed.
   *   `PARAMS_INVALID` for params that do not fit the space, `CONFIG_INVALID` for a choice of another shape,
   *   `STORE_UNSUPPORTED` for a store without `removeEnqueued`.
   */
  async removeEnqueued(which: EnqueuedChoice<S> | readonly EnqueuedChoice<S>[]): Promise<readonly EnqueuedEntry<S>[]> {
    const { store, space } = this.session;
    const selectors = selectorsOf(space, Array.isArray(which) ? which : [which]);
    const removed = await removeEnqueuedEntries(store, this.name, space, selectors);
    return removed.map((entry) => enqueuedEntry<S>(space, entry));
  }

  /** The study's trials as the store has them, ordered by number, with their params as the objective saw them. */
  async trials(): Promise<readonly TrialView<S>[]> {
    return viewTrials<S>(this.session.space, await this.storedTrials());
  }

  /** The store's trials (internal values only). */
  private storedTrials(): Promise<readonly Trial[]> {
    return this.session.store.listTrials(this.name);
  }

  /** The best complete trial so far (its params as the objective saw them), or undefined. */
  async best(): Promise<BestTrial<S> | undefined> {
    const best = bestTrial(await this.storedTrials(), this.session.spec.direction);
    return best === undefined ? undefined : asBest<S>(best, toExternalParams(this.session.space, best.internal));
  }
}
