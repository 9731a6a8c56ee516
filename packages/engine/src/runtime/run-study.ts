import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import {
  seedChange,
  studySuggester,
  suggesterChange,
  suggesterWarnings,
  versionChange,
} from '../builtins/check-same-study.js';
import { ownHandle } from '../builtins/memory-store.js';
import { countOf, failureNote, limitInSeconds, shellQuoted } from '../builtins/words.js';
import { MAX_CONCURRENCY } from '../config/experiment-schema.js';
import type { ObjectiveAdapter } from '../contracts/objective.js';
import type { Pruner } from '../contracts/pruner.js';
import type { Reporter } from '../contracts/reporter.js';
import { type Clock, systemClock } from '../contracts/services.js';
import type { Stopper } from '../contracts/stopper.js';
import type { TrialStore } from '../contracts/store.js';
import type { Suggester } from '../contracts/suggester.js';
import { type CompiledSpace, inStudyOrder } from '../domain/compile-space.js';
import { toExternalParams } from '../domain/params.js';
import { objectiveSeed } from '../domain/rng.js';
import { checkStoredTrials } from '../domain/stored-trials.js';
import type { StudyRecord, StudySpec } from '../domain/study.js';
import { bestTrial, type FailedTrial, type FinishedTrial, type Lease, type Trial } from '../domain/trial.js';
import { ParzenError } from '../errors.js';
import type { EngineEvent, StopReason, StudySummary } from '../events/engine-event.js';
import type { EventBus } from '../events/event-bus.js';
import { PARZEN_VERSION } from '../version.js';
import { listenForAbort } from './abort-listener.js';
import { type Budget, BudgetTracker, DEFAULT_MAX_CONSECUTIVE_FAILURES, patienceOf, trialLimit } from './budget.js';
import {
  type ConfigFile,
  checkEnqueueStore,
  enqueueConfigEntries,
  leftoverEntriesNote,
  skippedEntryNote,
  stoppedEntryNote,
  stoppedEntryOf,
  studyCommand,
} from './enqueue.js';
import { evaluateTrial } from './evaluate-trial.js';
import { holdProcessOpen, signalsDelivered, studyRunGoingOn } from './interrupts.js';
import { outsideTrialCall, watchProcessExits } from './process-exits.js';
import { checkPrunerStore, createPruning } from './pruning.js';
import { reopeningStore, studyReopenedNote } from './reopen-deleted.js';
import {
  createWorkerId,
  failStaleTrials,
  holdWorkerId,
  keptForImport,
  lapsedWorker,
  leaseOwner,
  staleness,
} from './stale-trials.js';
import { askStopper } from './stopping.js';
import { strayBetweenTrialsNote, watchStrayErrorsBetweenTrials } from './stray-errors.js';
import {
  type AskedTrial,
  askTrial,
  finishRunTrial,
  mirrorOf,
  rescuedAmong,
  type StudySession,
  withRescueNote,
} from './study-session.js';
import { cutShort, summarize } from './summarize.js';
import { warnOnStderr } from './warn-on-stderr.js';

/** What {@link runStudy} takes: the study, its space, its plugins, the budget and the run controls. */
export interface RunStudyOptions {
  /** The study to create or resume: its name, direction, seed and space. */
  readonly spec: StudySpec;
  /** `spec.space`, compiled. */
  readonly space: CompiledSpace;
  /** Where the study's trials live; the run does not close it. */
  readonly store: TrialStore;
  /** Decides each trial's params. */
  readonly suggester: Suggester;
  /** Evaluates params; the run does not close it. */
  readonly objective: ObjectiveAdapter;
  /** Who listens to the run's events; default: none. */
  readonly reporters?: readonly Reporter[];
  /** The study as the caller already opened it in `store` (a `Study`): the run does not open it again. */
  readonly opened?: {
    /** The study as `openStudy` gave it. */
    readonly study: StudyRecord;
    /** Whether `openStudy` found it stored. */
    readonly resumed: boolean;
  };
  /** Judges running trials at each intermediate report (default: never prunes). */
  readonly pruner?: Pruner;
  /** Ends the study on its own rule, asked after each finished trial. */
  readonly stopper?: Stopper;
  /**
   * Params to run first (external values, possibly partial), queued in the store once per entry: each
   * runs exactly once across workers and resumes.
   */
  readonly enqueue?: readonly Readonly<Record<string, unknown>>[];
  /**
   * The study's event bus (the composition root's per-study service). Default: one is made when there
   * are reporters; with none, events go nowhere and rxjs is never loaded.
   */
  readonly bus?: EventBus;
  /** When the run stops: at least one rule (`maxTrials`, `moreTrials`, `maxSeconds`, `lossThreshold`, `patience`). */
  readonly budget: Budget;
  /**
   * The time stamped on events (default: the real time). Give the store the same clock for its trials'
   * times (the memory store takes one); leases and `maxSeconds` always measure real time.
   */
  readonly clock?: Clock;
  /**
   * Trials evaluated at once by this process (default 1). A trial is asked only when a slot is free. Never
   * more than the budget has trials left, nor more than `MAX_CONCURRENCY`.
   */
  readonly concurrency?: number;
  /** Stops asking for trials. Running trials get `gracePeriodMs` to finish, then fail as `INTERRUPTED`. */
  readonly signal?: AbortSignal;
  /** Default: running trials may finish however long they take. */
  readonly gracePeriodMs?: number;
  /** Aborts the run at once: running trials are recorded as `INTERRUPTED` (a second Ctrl-C). */
  readonly forceSignal?: AbortSignal;
  /** Per-trial time limit in milliseconds: a trial past it fails with `TIMEOUT`. Default: none. */
  readonly trialTimeoutMs?: number;
  /** How `trialTimeoutMs` was given, for messages (`trialTimeoutSeconds: 1.5` from a config); default `trialTimeoutMs: N`. */
  readonly trialTimeoutSetBy?: string;
  /**
   * With an objective on Parzen's thread (a function): an error thrown outside its call while the run goes
   * on (a timer, a callback) fails the trial whose call started it, or is a warning naming that trial when it has
   * ended (from no trial's code: fails the trials evaluating then, or a warning between trials), instead of
   * ending the process (default true). `false` leaves such errors to the process's own policy (Node ends
   * the process), for a service whose other code may throw while a run is in progress.
   */
  readonly catchStrayErrors?: boolean;
  /**
   * Warn when the run starts with the study already at its trial limit, so it runs nothing (default false:
   * the CLI's progress line says so; `optimize` and `fmin` set it, code has no such line).
   */
  readonly noteAtLimit?: boolean;
  /** How long a running trial's lease lasts without renewal; it is renewed every third of it. Default 60 s. */
  readonly leaseMs?: number;
  /**
   * How often, at most, the run looks for trials other workers left running and are gone (marked failed,
   * STALE_TRIAL, as the run's start marks them); default 2,000 ms.
   */
  readonly staleSweepMs?: number;
  /** Ask the suggester to explain each suggestion (`suggestion.explained` events); default false. */
  readonly explain?: boolean;
  /** Told about things that do not stop the run but may surprise (default: a line on stderr). */
  readonly onWarning?: (message: string) => void;
  /**
   * The config file the run came from (`parzen run` gives it), named in the `parzen` commands its warnings suggest;
   * without it (a run in code) they say `CONFIG`.
   */
  readonly configFile?: ConfigFile;
}

/**
 * The first failed trial of a run that started trials and saw every one of them fail (a broken objective, not a
 * finished study), or, of a run that started none (the study had its trials already), of a study every trial of
 * which failed; else undefined: what `optimize` warns of and the CLI says (exiting 1). A number below
 * `existingTrials` tells the second case. Trials cut short (a stopped run, a lost worker: see `cutShort`) are not
 * judged: their objective did not fail, so a study of such trials alone is no failed run.
 */
export const failedRun = (result: RunResult): FailedTrial | undefined => {
  // A rerun that ran nothing is judged by the study it found (a rerun of a broken study exited 0, the run before 1).
  const mine = result.trials.filter((trial) => trial.number >= result.existingTrials);
  // Review 149: a rerun of a study stopped by Ctrl-C said its every trial failed and "Fix the objective", exit 1.
  const judged = (mine.length === 0 ? result.trials : mine).filter((trial) => !cutShort(trial));
  const first = judged[0];
  return first?.state === 'failed' && judged.every((trial) => trial.state === 'failed') ? first : undefined;
};

/**
 * How the trials of a study a rerun found had ended, when {@link failedRun} says none succeeded: `every one failed`,
 * or with those cut short told apart.
 */
export const earlierTrialsEnded = (result: RunResult): string => {
  const cut = result.trials.filter(cutShort).length;
  return cut === 0
    ? 'every one failed'
    : `every one failed or was cut short (${cut} by a stopped run or a lost worker, not by the objective)`;
};

/** How a run ended: why it stopped, whether it resumed, the summary and every trial. */
export interface RunResult {
  /**
   * Why the run stopped: a budget rule (`max-trials`, `max-seconds`, `loss-threshold`, `patience`), `failures`
   * (too many trials failed in a row), `stopper` (a stopper or `stopWhen` rule; see `stopMessage`), `interrupted`
   * (its signal fired: Ctrl-C, SIGTERM) or `error` (the store or a plugin failed; see {@link StopReason}).
   */
  readonly reason: StopReason;
  /**
   * The stopper's own words when `reason` is `stopper`; when it is `failures`, how many trials failed in
   * a row and the last one's error.
   */
  readonly stopMessage?: string;
  /** Whether the study existed before this run (the run continued it) rather than being created by it. */
  readonly resumed: boolean;
  /** How many trials the study had when this run began (the rest of `trials` came after). */
  readonly existingTrials: number;
  /** The study's counts and best trial at the run's end. */
  readonly summary: StudySummary;
  /** Every trial of the study at the run's end (earlier runs' and other workers' too). */
  readonly trials: readonly Trial[];
  /** The space the run drew with: the study's own order of the parameters (see `inStudyOrder`). */
  readonly space: CompiledSpace;
  /**
   * Enqueued entries still waiting in the study's queue when the run ended (its budget ran out before them);
   * absent when none wait, or the store lists no queue.
   */
  readonly waitingEntries?: number;
}

/** A pruner never given a value is said once this many of a run's trials have completed without one. */
const UNREPORTED_WARN_MIN = 3;

/** How long after `maxSeconds` trials without a time limit still running are said to hold the run. */
const BUDGET_PASSED_NOTE_MS = 1000;
/** The longest delay a Node timer takes (2^31 − 1 ms, about 24.8 days): a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** How long running trials may go on after the run's signal aborts, unless told otherwise (the CLI's 30 s). */
export const DEFAULT_GRACE_PERIOD_MS = 30_000;

/**
 * Said once a run when the pruner told a trial to stop only after its objective had ended (its reports not
 * awaited, so `shouldPrune()` was still false): pruning then stops nothing.
 */
export const lateStopNote = (trial: number, step: number): string =>
  `trial #${trial}: the pruner said stop at step ${step} only after the objective had ended: its reports were not awaited, so shouldPrune() was still false, and the trial keeps its own result. ` +
  'Await each report (await context.report(step, value)) before asking shouldPrune(), so that trials stop early.';

/** Failures of an objective that could not start at all, whatever the params (a module that does not load, a program that does not start). */
const CANNOT_START = new Set(['OBJECTIVE_LOAD_FAILED', 'COMMAND_NOT_STARTED']);
/** How many such failures in a row stop a run, unless the budget's maxConsecutiveFailures says (see runStudy). */
const UNSTARTABLE_LIMIT = 3;

/** How many workers left the stale trials `stale` (by their leases' owners) among `trials`. */
const ownersOf = (trials: readonly Trial[], stale: readonly number[]): number =>
  // One worker or several (review 51: one killed worker with three trials was "workers").
  new Set(
    trials.flatMap((trial) => (trial.state === 'running' && stale.includes(trial.number) ? [trial.lease?.owner] : [])),
  ).size;

/**
 * The trials `stale` (running, their workers gone) said with their workers, `trials #1, #2 of study s, of a worker
 * that is gone (its process, pid 9031 on host vm, has ended)`: how many workers and, for one, which case it is.
 */
const goneWorkers = (
  study: string,
  stale: readonly number[],
  trials: readonly Trial[],
  workerId: string,
): { readonly kind: 'gone' | 'lapsed' | undefined; readonly gone: string } => {
  const owners = ownersOf(trials, stale);
  // One worker: which case it is, and where (trial 117: the note hedged while the pid in the trial's error was known
  // to have ended on this host).
  const lease =
    owners === 1
      ? trials.flatMap((trial) => (trial.state === 'running' && stale.includes(trial.number) ? [trial.lease] : []))[0]
      : undefined;
  const owner = lease === undefined ? undefined : leaseOwner(lease.owner);
  const kind = lease === undefined ? undefined : staleness(lease, new Date(), workerId);
  const why =
    kind === 'gone'
      ? owner?.host === hostname() && owner.pid === process.pid
        ? `(its run in this process ended without finishing ${stale.length === 1 ? 'it' : 'them'})`
        : `(its process, pid ${owner?.pid} on host ${owner?.host}, has ended)`
      : kind === 'lapsed' && lease !== undefined
        ? `(its lease lapsed: ${lapsedWorker(lease.owner)}, which may still be busy)`
        : owners <= 1
          ? '(its process ended, or its lease lapsed)'
          : '(their processes ended, or their leases lapsed)';
  const gone = `${stale.length === 1 ? 'trial' : 'trials'} ${stale.map((number) => `#${number}`).join(', ')} of study ${study}, of ${owners <= 1 ? 'a worker that is' : 'workers that are'} gone ${why}`;
  return { kind, gone };
};

/**
 * What a run says of the trials a stop cut short while the store could not record it, which it marked failed
 * (`INTERRUPTED`, see `failStaleTrials`).
 */
const stopsRecordedNote = (study: string, stopped: readonly number[]): string => {
  const one = stopped.length === 1;
  return `study ${study}: ${stopped.map((number) => `#${number}`).join(', ')}, cut short by a stop (Ctrl-C, SIGTERM, the run's signal) while the store could not record ${one ? 'it' : 'them'}, ${one ? 'is' : 'are'} marked failed, INTERRUPTED, as that run would have: an enqueued entry ${one ? 'it' : 'one'} ran waits again, with none of its attempts used.`;
};

/** What a run says of the trials {@link keptForImport} found, once a run for each. */
const keptNote = (
  study: string,
  kept: { readonly file: string; readonly trials: readonly number[] },
  trials: readonly Trial[],
  workerId: string,
  file: ConfigFile | undefined,
): string => {
  const one = kept.trials.length === 1;
  const { gone } = goneWorkers(study, kept.trials, trials, workerId);
  return (
    `${gone} ${one ? 'is' : 'are'} left running: ${one ? 'its result is' : 'their results are'} kept in ${kept.file}, the store having failed to record ${one ? 'it' : 'them'}. ` +
    `\`${studyCommand('import', file)} ${shellQuoted(kept.file)}\` finishes ${one ? 'it with that result, so that it counts' : 'them with those results, so that they count'} once and an enqueued entry ${one ? 'it' : 'one'} took does not run again; ` +
    `until then runs leave ${one ? 'it' : 'them'} running. To drop ${one ? 'that result' : 'those results'} instead, delete the file: a run then marks ${one ? 'the trial' : 'the trials'} failed, STALE_TRIAL.`
  );
};

/**
 * What the run says of the trials it marked failed, STALE_TRIAL (their workers are gone), and of those whose
 * results the rescue file keeps (a worker that ended because the store could not record them: a full disk).
 */
const staleNote = (
  study: string,
  stale: readonly number[],
  trials: readonly Trial[],
  workerId: string,
  budget: Pick<Budget, 'maxTrials'>,
  file: ConfigFile | undefined,
): string => {
  const { kind, gone } = goneWorkers(study, stale, trials, workerId);
  const it = stale.length === 1 ? 'it' : 'one';
  const tail =
    kind === 'gone'
      ? `(an enqueued entry ${it} took is)`
      : kind === 'lapsed'
        ? `(if its worker still finishes ${stale.length === 1 ? 'it' : 'one'}, the result is kept as a new trial)`
        : `(an enqueued entry ${it} took is, when its worker is known to have ended; a worker whose lease only lapsed, on another host or another thread of this process, may still finish, and its result is then kept as a new trial)`;
  // They use up the budget: a study killed with 4 trials running got 4 evaluations fewer than asked for, unsaid.
  const count = stale.length;
  const makeUp =
    budget.maxTrials === undefined
      ? ''
      : ` ${count === 1 ? 'It counts' : 'They count'} toward maxTrials (${budget.maxTrials}): ` +
        (file === undefined
          ? `raise maxTrials by ${count} to make ${count === 1 ? 'it' : 'them'} up.`
          : file.study === undefined
            ? `\`${studyCommand('run', file)} --more-trials ${count}\` makes ${count === 1 ? 'it' : 'them'} up once this run ends.`
            : // A matrix's variant: \`parzen run\` takes no --study, and runs the config's every study.
              `\`${studyCommand('run', { path: file.path, ...(file.store === undefined ? {} : { store: file.store }) })} --more-trials ${count}\` makes ${count === 1 ? 'it' : 'them'} up once this run ends (it runs ${count} more in each study of the config's matrix).`);
  const said = `${gone} ${count === 1 ? 'is' : 'are'} marked failed, STALE_TRIAL; ${count === 1 ? 'it is' : 'they are'} not rerun ${tail}.${makeUp}`;
  // Each with its worker: a line of another store's study of the same name names another worker.
  const rescued = rescuedAmong(
    study,
    trials.flatMap((trial) =>
      trial.state === 'running' && stale.includes(trial.number)
        ? [{ number: trial.number, worker: trial.lease?.owner }]
        : [],
    ),
  );
  if (rescued === undefined) return said;
  const which = rescued.trials.map((number) => `#${number}`).join(', ');
  // A line naming the trial's own worker left it running (see keptForImport): these lines name no worker.
  return `${said} The result${rescued.trials.length === 1 ? ' of' : 's of'} ${which} may be (a line names ${rescued.trials.length === 1 ? 'its number' : 'their numbers'} without a worker to tell) in ${rescued.file}, kept when the store could not record ${rescued.trials.length === 1 ? 'it' : 'them'}: \`parzen import\` (the config, then that file) adds ${rescued.trials.length === 1 ? 'it as a new trial beside the failed one' : 'them as new trials beside the failed ones'} (counted toward maxTrials too).`;
};

/** The option that set a run's trial time limit, as written: a config's (given), else code's `trialTimeoutMs`. */
const trialTimeoutSetBy = (options: Pick<RunStudyOptions, 'trialTimeoutMs' | 'trialTimeoutSetBy'>): string =>
  options.trialTimeoutSetBy ?? `trialTimeoutMs: ${options.trialTimeoutMs}`;

/**
 * Runs a study to its budget: `concurrency` workers each ask, evaluate and tell in turn. Every finished
 * trial is in the store before its worker asks again. Objective failures are failed trials; suggester
 * and store failures stop the run (running trials still finish) and are rethrown after `study.finished`.
 */
export const runStudy = async (options: RunStudyOptions): Promise<RunResult> => {
  const { spec, budget } = options;
  // A memory store's run takes a handle of its own, as a worker of a persistent store has its connection (a study
  // opened beforehand, by Study.open, is on the Study's).
  // Review 179: a study an interrupted import took out (it had made it, and it held nothing) after this run opened it
  // and before it wrote to it is opened again, once, and the run goes on (it ended, doing nothing).
  const handle = options.opened === undefined ? ownHandle(options.store) : options.store;
  const store =
    options.opened === undefined
      ? reopeningStore(
          handle,
          spec.name,
          () =>
            handle.openStudy({ ...spec, suggester: studySuggester(options.suggester), parzenVersion: PARZEN_VERSION }),
          (resumed) => warn(studyReopenedNote(spec.name, 'this run', resumed)),
        )
      : handle;
  const reporters = options.reporters ?? [];
  const events =
    reporters.length === 0 && options.bus === undefined ? undefined : await import('../events/event-bus.js');
  const bus = options.bus ?? events?.createEventBus();
  const clock = options.clock ?? systemClock;
  const warn = options.onWarning ?? warnOnStderr;
  const connected =
    events === undefined || bus === undefined ? undefined : events.connectReporters(reporters, bus, clock, warn);
  // Reporters run as the host's code, not as part of the trial whose report() emitted the event (a reporter's
  // process.exit was taken for the objective's, failing the trial).
  const emit = bus === undefined ? () => {} : (event: EngineEvent) => outsideTrialCall(() => bus.emit(event));
  const now = (): string => clock.now().toISOString();
  const workerId = createWorkerId();
  const release = holdWorkerId(workerId);
  const leaseMs = options.leaseMs ?? 60_000;
  let session: StudySession = {
    spec,
    space: options.space,
    store,
    suggester: options.suggester,
    emit,
    clock,
    warn,
    ...(options.explain === undefined ? {} : { explain: options.explain }),
    ...(options.configFile === undefined ? {} : { configFile: options.configFile }),
  };
  const pruning = createPruning({
    study: spec.name,
    direction: spec.direction,
    store,
    emit,
    clock,
    warn,
    ...(options.pruner === undefined ? {} : { pruner: options.pruner }),
  });
  let reason: StopReason | undefined;
  let stopMessage: string | undefined;
  let fatal: unknown;
  let result: RunResult | undefined;
  const interrupt = new AbortController();
  // Every running trial listens to it: with more than 10 at once, Node would warn of a leak that is none.
  setMaxListeners(0, interrupt.signal);
  // Aborts at the first stop the caller asks for (a Ctrl-C, `signal`, `forceSignal`), whatever ended the run
  // before (review 93: after maxSeconds or a stopper, a Ctrl-C left trials being decided to start).
  const stopAsked = new AbortController();
  // Every trial being decided listens to it too.
  setMaxListeners(0, stopAsked.signal);
  const onStop = () => {
    reason ??= 'interrupted';
    stopAsked.abort();
    // Infinity (or no grace period given): running trials are waited for.
    if (options.gracePeriodMs !== undefined && Number.isFinite(options.gracePeriodMs))
      // The caller's reason travels on (trial 38: `abort(new Error('user cancelled'))` was not said).
      setTimeout(() => interrupt.abort(options.signal?.reason), options.gracePeriodMs).unref();
  };
  const onForce = () => {
    reason ??= 'interrupted';
    stopAsked.abort();
    // An aborted signal always has a reason (an AbortError when none was given): the first signal's then.
    const forced = options.forceSignal?.reason;
    const plain = forced === undefined || (forced instanceof Error && forced.name === 'AbortError');
    interrupt.abort(plain ? (options.signal?.reason ?? forced) : forced);
  };
  // What stops listening to the caller's signals, when the run ends.
  const stopListening: (() => void)[] = [];
  // Until the run ends, a signal to the default interrupt handlers stops it instead of ending the process.
  stopListening.push(studyRunGoingOn());
  // Held open until the run ends (an idle `module` objective's thread, which held it before, lets go of the loop).
  stopListening.push(holdProcessOpen());
  try {
    const suggester = studySuggester(options.suggester);
    // What the store cannot do is refused before it opens (or creates) the study: nothing is written.
    checkPrunerStore(store, options.pruner);
    checkEnqueueStore(store, options.enqueue);
    const { study, resumed } =
      options.opened ?? (await store.openStudy({ ...spec, suggester, parzenVersion: PARZEN_VERSION }));
    const space = inStudyOrder(options.space, study.space);
    if (space !== options.space) session = { ...session, space };
    // A study opened beforehand (Study.open) said so when it was opened.
    const change =
      resumed && options.opened === undefined ? suggesterChange(spec.name, study.suggester, suggester) : undefined;
    if (change !== undefined) warn(change);
    const rebuilt =
      resumed && options.opened === undefined
        ? versionChange(spec.name, study.parzenVersion, PARZEN_VERSION)
        : undefined;
    if (rebuilt !== undefined) warn(rebuilt);
    // Once per run, in the space it draws from (review 162: quasi-random's plain Halton sequence in many
    // dimensions was documented as poor, and ran unsaid).
    if (options.opened === undefined)
      for (const message of suggesterWarnings(spec.name, options.suggester, space)) warn(message);
    // A study opened beforehand (Study.open) said so when it was opened, and resumed with no seed takes its own.
    const reseeded = resumed && options.opened === undefined ? seedChange(spec.name, study.seed, spec.seed) : undefined;
    if (reseeded !== undefined) warn(`${reseeded}.`);
    // Listed before the config's entries are queued (queueing adds no trial), so trials no run stores are
    // refused, named, before anything is written (the entries, the stale trials' ends).
    const existing = await store.listTrials(spec.name);
    if (resumed) checkStoredTrials(spec.name, space, existing);
    const enqueued =
      options.enqueue === undefined ? 0 : await enqueueConfigEntries(store, spec.name, space, options.enqueue);
    const waiting = await store.listEnqueued?.(spec.name);
    // Trials whose results the rescue file keeps are left running, for `parzen import` (said once a run).
    const keptSaid = new Set<number>();
    const staleToFail = (trials: readonly Trial[], at: Date): readonly Trial[] => {
      const kept = keptForImport(spec.name, trials, workerId, at);
      if (kept === undefined) return trials;
      const unsaid = kept.trials.filter((number) => !keptSaid.has(number));
      for (const number of unsaid) keptSaid.add(number);
      if (unsaid.length > 0)
        warn(keptNote(spec.name, { file: kept.file, trials: unsaid }, trials, workerId, options.configFile));
      return trials.filter((trial) => !kept.trials.includes(trial.number));
    };
    const {
      failed: stale,
      skipped,
      stopped: stopsRecorded,
    } = await failStaleTrials(store, spec.name, staleToFail(existing, new Date()), workerId);
    // Said, not silent: trials a dead worker left running end here (trial 29: nothing told the user).
    if (stale.length > 0) warn(staleNote(spec.name, stale, existing, workerId, budget, options.configFile));
    for (const entry of skipped) warn(skippedEntryNote(spec.name, space, entry));
    if (stopsRecorded.length > 0) warn(stopsRecordedNote(spec.name, stopsRecorded));
    // The trials this run failed as it began: a dead worker's, and those a kept stop ended (INTERRUPTED).
    const endedNow = [...stale, ...stopsRecorded];
    // Entries the stale trials took wait again now (trial 56: the run that gave one back did not count it,
    // review 58: nor name it among the entries this run's list does not have).
    const waitingNow = stale.length + stopsRecorded.length > 0 ? await store.listEnqueued?.(spec.name) : waiting;
    const limit = trialLimit(budget, existing.length);
    const leftover =
      waitingNow === undefined
        ? undefined
        : leftoverEntriesNote(
            spec.name,
            waitingNow,
            options.enqueue,
            limit !== undefined && existing.length >= limit,
            options.configFile,
          );
    if (leftover !== undefined) warn(leftover);
    const best = bestTrial(existing, spec.direction);
    emit({
      type: 'study.started',
      at: now(),
      study,
      resumed,
      existingTrials: existing.length,
      failed: existing.filter((trial) => trial.state === 'failed').length + endedNow.length,
      pruned: existing.filter((trial) => trial.state === 'pruned').length,
      running: existing.filter((trial) => trial.state === 'running').length - endedNow.length,
      ...(best === undefined ? {} : { best }),
      ...(limit === undefined ? {} : { maxTrials: limit }),
      ...(budget.moreTrials === undefined ? {} : { moreTrials: budget.moreTrials }),
      ...(budget.maxSeconds === undefined ? {} : { maxSeconds: budget.maxSeconds }),
      ...(waitingNow === undefined || waitingNow.length === 0 ? {} : { waitingEntries: waitingNow.length }),
    });
    // A signal that came while the store blocked the thread (SQLite's open wait) is heard before the first
    // trial, not after it has started (review 73).
    if (options.signal !== undefined && !options.signal.aborted) await signalsDelivered();
    if (options.signal?.aborted) onStop();
    else if (options.signal !== undefined) stopListening.push(listenForAbort(options.signal, onStop));
    if (options.forceSignal?.aborted) onForce();
    else if (options.forceSignal !== undefined) stopListening.push(listenForAbort(options.forceSignal, onForce));
    // Patience is the study's (trial 35: each run counted afresh, so a nightly rerun of a converged study
    // spent that many trials every night): the trials finished after its best one, stale ones included.
    const patience = patienceOf(existing, spec.direction, new Set(endedNow));
    // The first trial number of this run (as `existingTrials` tells this run's trials), for a stopper that
    // counts from the run's start while no trial has a loss.
    const runFrom = existing.length;
    const tracker = new BudgetTracker(budget, spec.direction, patience.best, patience.since);
    // A resumed study its stopper already ended stays ended: the rule is asked once, with the last
    // finished trial, before a new trial starts (trial 33: each rerun ran one more trial before asking).
    // The entries queued for it still run (they come first: this run's, and any an earlier run left
    // waiting, such as an interrupted trial's), then the study stops again; said, so a run that does
    // nothing does not look like one that ran.
    let endedBefore: { readonly reason: StopReason; readonly message?: string } | undefined;
    // A store that honours `onlyEnqueued` hands out whatever waits; one written before the option gets the
    // older rule, this run's config entries, counted (review 40: it ran sampled trials up to maxTrials).
    const queues = store.enqueue !== undefined && store.onlyEnqueued === true;
    let enqueuedLeft = enqueued;
    const onlyEnqueued = () =>
      enqueued > 0
        ? `only the ${enqueued === 1 ? 'entry' : `${enqueued} entries`} this run enqueued${queues ? ' (and any entry an earlier run left waiting)' : ''} ${enqueued === 1 ? 'is' : 'are'} evaluated`
        : `no new trial runs${queues ? ' (bar enqueued entries an earlier run left waiting)' : ''}`;
    if (options.stopper !== undefined && reason === undefined) {
      const { stopper } = options;
      const message = await mirrorOf(session).withAllTrials((trials) => {
        const last = trials.findLast((trial): trial is FinishedTrial => trial.state !== 'running');
        return last === undefined ? undefined : askStopper(stopper, spec, trials.slice(), last, runFrom);
      });
      if (message !== undefined) {
        endedBefore = { reason: 'stopper', message };
        warn(
          `study ${spec.name}: its stopper said stop before this run began (${message}), so ${onlyEnqueued()}` +
            '; a stopper whose rule the study has not met yet (or none) lets it go on.',
        );
      }
    }
    // The same for the budget's study-wide rules (review 35: such a run stopped before its first trial and
    // its summary was the last run's, with nothing said, and this run's enqueued entries never ran).
    const budgetEnded = reason === undefined && endedBefore === undefined ? tracker.stopReason() : undefined;
    if (budgetEnded === 'patience' || budgetEnded === 'loss-threshold') {
      endedBefore = { reason: budgetEnded };
      warn(
        `study ${spec.name}: ` +
          (budgetEnded === 'patience'
            ? `its budget's patience (${budget.patience}) was used up before this run began: ${patience.since} finished trials since its best (#${best?.number}), so ${onlyEnqueued()}; a larger patience lets it go on.`
            : `its best loss (${best?.loss}, #${best?.number}) had reached the budget's lossThreshold (${budget.lossThreshold}) before this run began, so ${onlyEnqueued()}.`),
      );
    }

    // Code has no progress line to say that a study is at its limit (trial 54: a second unnamed `fmin` on a
    // file store resumed the first one's study, `fmin`, ran nothing and returned its best, without a word).
    if (options.noteAtLimit === true && endedBefore === undefined && limit !== undefined && existing.length >= limit)
      warn(
        `study ${spec.name} already has ${countOf(existing.length, 'trial')}, its limit of ${limit}: ` +
          `this run evaluates none${waiting !== undefined && waiting.length > 0 ? ' (its waiting enqueued entries included)' : ''} and returns the study's results so far. ` +
          'Give the study another name (a study of the same name in the store is resumed) or budget.moreTrials to run more.',
      );
    let warnedCrash = false;
    let warnedLateStop = false;
    let warnedAbandoned = false;
    let warnedOverran = false;
    // This run's trials that reported an intermediate value, and those that completed without one: a
    // pruner that was never given a value is said once at the end (trial 49 asked for it).
    let reported = 0;
    let completeUnreported = 0;
    const runOne = async (asked: AskedTrial) => {
      const lease = (): Lease => ({ owner: workerId, expiresAt: new Date(Date.now() + leaseMs).toISOString() });
      // One renewal at a time (trial 113: while a store retried through an outage, a renewal a third of a lease
      // piled up behind the last, each retrying and saying so, and Node warned of a listener leak).
      // One that has not answered within a lease is left to itself (review 117: a call that never returned stopped
      // every later renewal, and the lease lapsed while the trial ran).
      let renewingSince: number | undefined;
      const renewal = setInterval(() => {
        if (renewingSince !== undefined && Date.now() - renewingSince < leaseMs) return;
        const since = Date.now();
        renewingSince = since;
        store
          .renewLease(spec.name, asked.number, lease())
          .catch(() => undefined)
          .finally(() => {
            if (renewingSince === since) renewingSince = undefined;
          });
      }, leaseMs / 3);
      const trialPruning = pruning.begin(asked.number);
      const startedAt = now();
      let cutShort = false;
      try {
        const evaluation = await evaluateTrial(options.objective, asked.params, {
          trialNumber: asked.number,
          study: spec.name,
          seed: objectiveSeed(spec.seed, asked.number),
          interrupt: interrupt.signal,
          pruning: trialPruning,
          ...(options.trialTimeoutMs === undefined
            ? {}
            : { timeoutMs: options.trialTimeoutMs, timeoutSetBy: trialTimeoutSetBy(options) }),
          ...(options.catchStrayErrors === false ? { catchStrayErrors: false } : {}),
          onOverran: (ms) => {
            if (warnedOverran) return;
            warnedOverran = true;
            warn(
              `trial #${asked.number} took ${limitInSeconds(Math.round(ms))}, past its time limit of ${limitInSeconds(options.trialTimeoutMs ?? 0)} (\`${trialTimeoutSetBy(options)}\`), and its result was kept: ` +
                'its objective held the thread (synchronous code), or the process was paused, so the limit could not stop it. An async objective that awaits now and then is stopped at the limit' +
                (options.objective.sharesThread === true
                  ? '; a `module` objective in a worker thread (isolate: "worker", from a config or `createModuleObjective`) is stopped whatever it does.'
                  : '.') +
                ' Said once per run.',
            );
          },
          onAbandoned: () => {
            if (warnedAbandoned) return;
            warnedAbandoned = true;
            warn(
              `trial #${asked.number} timed out, and its objective is still running a second later: it does not stop when context.signal aborts. ` +
                'Nothing can stop a function on this thread, so timed-out evaluations run on beside the next trials; stop when the signal aborts' +
                (options.objective.sharesThread === true
                  ? ', or run it as a `module` objective in a worker thread (isolate: "worker", from a config or `createModuleObjective`), which a timeout ends.'
                  : '.'),
            );
          },
        });
        // When the objective ended, before its pending reports are stored (they may wait out a database outage).
        const endedAt = now();
        cutShort =
          evaluation.status === 'failed' &&
          (evaluation.error.code === 'INTERRUPTED' || evaluation.error.code === 'TIMEOUT');
        // Said once per run, not only in the trial's record: the error may be the caller's own code's. Only
        // for an objective on this thread (a worker's crash is its own, review 38).
        if (
          evaluation.status === 'failed' &&
          evaluation.error.code === 'OBJECTIVE_CRASHED' &&
          options.objective.sharesThread === true &&
          !warnedCrash
        ) {
          warnedCrash = true;
          warn(
            `trial #${asked.number} failed: ${evaluation.error.message}. Such an error fails the trial whose call started the timer or callback (one from a trial that has ended is a warning; one from other code fails every trial evaluating on this thread at that moment); if code other than the objective threw it, pass catchStrayErrors: false to fmin or study.optimize to leave it to the process, or run it as a \`module\` objective in a worker thread (isolate: "worker", from a config or \`createModuleObjective\`).`,
          );
        }
        // A synchronous loop's reports (not awaited) are decided only now (trial 54: the pruner said stop
        // 60 times and every trial ended complete, without a word): stored and judged, and said once a run;
        // the trial keeps its own result, since nothing stopped it (review 56).
        const lateStop = await trialPruning.settle();
        if (lateStop !== undefined && !warnedLateStop) {
          warnedLateStop = true;
          warn(lateStopNote(asked.number, lateStop));
        }
        const outcome = trialPruning.outcome(evaluation);
        const intermediate = trialPruning.intermediate();
        if (intermediate.length > 0) reported++;
        else if (outcome.state === 'complete') completeUnreported++;
        // Cut short by a stop the caller asked for (the only thing that aborts `interrupt`): the user's own Ctrl-C or
        // a scheduler's SIGTERM does not use up an enqueued entry's attempts (review 149); a worker gone does. The run's
        // own budget (maxSeconds, a stopper) cuts no trial short: its running trials finish.
        const stopped = interrupt.signal.aborted;
        const finished = await finishRunTrial(
          session,
          asked,
          startedAt,
          outcome,
          warn,
          intermediate,
          endedAt,
          !stopped,
        );
        // The entry it ran, which its record keeps (read before its end gave the entry back, see stoppedEntry): said,
        // since a stop at every run (a scheduler's time limit shorter than the entry's trial) would run it first again
        // and again, unsaid.
        const held = stopped ? stoppedEntryOf(finished) : undefined;
        if (held !== undefined)
          warn(stoppedEntryNote(spec.name, session.space, asked.number, held, options.configFile));
        return finished;
      } finally {
        clearInterval(renewal);
        trialPruning.end(cutShort);
      }
    };

    // The default failures rule with several lanes (review 39): fast failures finish before slow successes,
    // so when it fires, no lane asks for a new trial (`holding`) until the trials in flight have finished;
    // the run stops only if none of them worked.
    let inFlight = 0;
    let holding = false;
    let lastFailed: FinishedTrial | undefined;
    let lastCounted: FinishedTrial | undefined;
    let unstartable = 0;
    // The finished trials the study had at the last check, plus those this run has finished since (see the budget check).
    let expectedFinished: number | undefined;
    let lastScan = { at: Number.NEGATIVE_INFINITY, took: 0 };
    // The run's start looked for stale trials just now.
    let lastSweep = performance.now();
    const staleSweepMs = options.staleSweepMs ?? 2000;
    const failuresStop = (failed: FinishedTrial & { readonly state: 'failed' }) => {
      reason = 'failures';
      const never = budget.maxConsecutiveFailures === undefined ? ', none of this run completed' : '';
      stopMessage ??= `${tracker.failureLimit()} trials in a row failed${never}, the last #${failed.number}: ${failed.error.code} ${failed.error.message.split('\n')[0]}${failureNote(failed.error.details, failed.error.message)}`;
    };
    const worker = async () => {
      while (reason === undefined) {
        while (holding && reason === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
        if (reason !== undefined) break;
        // A study that ended runs only the entries waiting in its queue (none without a store that queues).
        if (endedBefore !== undefined && (store.enqueue === undefined || (!queues && enqueuedLeft === 0))) {
          reason ??= endedBefore.reason;
          if (endedBefore.message !== undefined) stopMessage ??= endedBefore.message;
          break;
        }
        if (endedBefore !== undefined && !queues) enqueuedLeft--;
        if (endedBefore === undefined) {
          // The study's best and count, not this worker's (trial 56: another worker's threshold or better
          // trial went unseen). The study is scanned again only when trials finished that this run did not
          // record, and at most when a tenth of the time has gone to scans (linear in the study: a scan before
          // every trial made runs 2-3x slower); between scans this run's own trials keep the count.
          if (budget.patience !== undefined || budget.lossThreshold !== undefined) {
            const finishedNow = await mirrorOf(session).finishedCount();
            const due = performance.now() - lastScan.at >= 10 * lastScan.took;
            if (finishedNow !== expectedFinished && due) {
              // The scan's own time, not the store's (review 59: a slow read held the next check back).
              let took = 0;
              const now = await mirrorOf(session).withAllTrials((trials) => {
                const begun = performance.now();
                const found = patienceOf(trials, spec.direction);
                took = performance.now() - begun;
                return found;
              });
              // While no trial has a loss the count is this run's own.
              if (now.best !== undefined) tracker.resync(now.best, now.since);
              lastScan = { at: performance.now(), took };
              expectedFinished = finishedNow;
            }
          }
          const stop = tracker.stopReason();
          if (stop !== undefined) {
            reason ??= stop;
            break;
          }
        }
        // Trials another worker left running and is gone from are marked as they are found, not only by the
        // next run (trial 59: a live worker ran on beside a killed one's trial, its summary said "1 running",
        // and the enqueued entry that trial had taken waited for another run).
        if (performance.now() - lastSweep >= staleSweepMs) {
          lastSweep = performance.now();
          const running = await mirrorOf(session).withAllTrials((trials) =>
            trials.filter((trial) => trial.state === 'running'),
          );
          // A lease counts as lapsed here only a lease's length after it ran out (review 61: a machine that
          // slept, or a database out for a minute, had its live trials failed within 2 s of waking); a
          // worker whose process is gone is marked at once, as at the start.
          const at = new Date(Date.now() - leaseMs);
          const swept = await failStaleTrials(store, spec.name, staleToFail(running, at), workerId, at);
          if (swept.failed.length > 0)
            warn(staleNote(spec.name, swept.failed, running, workerId, budget, options.configFile));
          for (const entry of swept.skipped) warn(skippedEntryNote(spec.name, space, entry));
          if (swept.stopped.length > 0) warn(stopsRecordedNote(spec.name, swept.stopped));
        }
        const lease = { owner: workerId, expiresAt: new Date(Date.now() + leaseMs).toISOString() };
        let finished: FinishedTrial;
        inFlight++;
        try {
          const asked = await askTrial(session, lease, limit, endedBefore !== undefined && queues, {
            interrupt: interrupt.signal,
            stopAsked: stopAsked.signal,
          });
          if (asked === undefined) {
            reason ??= endedBefore?.reason ?? 'max-trials';
            if (endedBefore?.message !== undefined) stopMessage ??= endedBefore.message;
            break;
          }
          // Stopped (a Ctrl-C, the caller's signal) while its params were decided: its objective does not start
          // (review 92: with concurrency 3, trials waiting their turn ran up to 1.4 s after the stop).
          finished = stopAsked.signal.aborted
            ? await finishRunTrial(
                session,
                asked,
                now(),
                {
                  state: 'failed',
                  error: {
                    code: 'INTERRUPTED',
                    message: "The run was stopped before this trial's objective started.",
                  },
                },
                warn,
                [],
                now(),
                false,
              )
            : await runOne(asked);
        } finally {
          inFlight--;
        }
        // A stopper that said stop before the run began is not asked again after the enqueued params.
        if (options.stopper !== undefined && reason === undefined && endedBefore?.reason !== 'stopper') {
          const { stopper } = options;
          // A copy: a rule may keep what it was shown, and the mirror's array grows.
          const message = await mirrorOf(session).withAllTrials((trials) =>
            askStopper(stopper, spec, trials.slice(), finished, runFrom),
          );
          if (message !== undefined) {
            reason ??= 'stopper';
            stopMessage ??= message;
          }
        }
        // Let the event loop turn between trials: with a synchronous in-process objective and a store
        // that answers at once, the loop would otherwise never yield, and Ctrl-C would never be handled.
        await new Promise((resolve) => setImmediate(resolve));
        expectedFinished = expectedFinished === undefined ? undefined : expectedFinished + 1;
        const improved = tracker.record(
          finished.state === 'complete' ? finished.loss : undefined,
          finished.state !== 'failed' ? 'other' : finished.error.code === 'INTERRUPTED' ? 'neutral' : 'failed',
        );
        if (finished.state === 'failed') lastFailed = finished;
        // The last failure the failures rule counts (an interrupted trial is none), for the end-of-run warning.
        if (finished.state === 'failed' && finished.error.code !== 'INTERRUPTED') lastCounted = finished;
        // An objective that worked and then cannot start at all (trial 53: its module edited with a syntax
        // error mid-run, its program moved away) fails every trial left in milliseconds, whatever their
        // params: a few in a row stop the run, even after successes, and keep the rest of the budget.
        // An interrupted trial neither counts nor resets, as for the failures rule (review 56); an explicit
        // maxConsecutiveFailures is the limit here too.
        const cannotStart = finished.state === 'failed' && CANNOT_START.has(finished.error.code);
        const interrupted = finished.state === 'failed' && finished.error.code === 'INTERRUPTED';
        if (!interrupted) unstartable = cannotStart ? unstartable + 1 : 0;
        const unstartableLimit = budget.maxConsecutiveFailures ?? UNSTARTABLE_LIMIT;
        if (reason === undefined && unstartable >= unstartableLimit && finished.state === 'failed' && cannotStart) {
          reason = 'failures';
          // Said only when the budget has trials left (trial 130: said when the last failure used its last trial).
          const made = limit === undefined ? 0 : await mirrorOf(session).withAllTrials((trials) => trials.length);
          const rest =
            limit === undefined || made < limit
              ? '; the rest of the budget is left for a run once it starts again'
              : '';
          stopMessage ??= `${unstartableLimit} trials in a row could not start the objective, the last #${finished.number}: ${finished.error.code} ${finished.error.message.split('\n')[0]}${rest}`;
        }
        if (reason === undefined && tracker.stopReason() === 'failures') {
          if (budget.maxConsecutiveFailures !== undefined && finished.state === 'failed') failuresStop(finished);
          else if (budget.maxConsecutiveFailures === undefined) {
            holding = true;
            if (inFlight === 0 && lastFailed?.state === 'failed') failuresStop(lastFailed);
          }
        } else holding = false;
        if (improved && finished.state === 'complete') {
          emit({
            type: 'study.improved',
            at: now(),
            best: finished,
            params: toExternalParams(space, finished.internal),
          });
        }
      }
    };
    const guarded = async () => {
      try {
        await worker();
      } catch (error) {
        // A store that gave up waiting (for a lock, say) because the run was told to stop: a stop, not a failure.
        if (
          (reason === 'interrupted' || stopAsked.signal.aborted) &&
          error instanceof ParzenError &&
          error.code === 'INTERRUPTED'
        )
          return;
        fatal ??= error;
        reason ??= 'error';
      }
    };
    // No more workers than trials left to run: `concurrency: 1000` with 3 trials starts 3.
    const left = limit === undefined ? Number.POSITIVE_INFINITY : limit - existing.length;
    const workers = Math.max(1, Math.min(options.concurrency ?? 1, left, MAX_CONCURRENCY));
    // An objective on this thread may throw between trials, or from a timer after its trial ended: a warning, not a crash.
    const unwatch =
      options.objective.sharesThread && options.catchStrayErrors !== false
        ? watchStrayErrorsBetweenTrials((error, trialNumber) => warn(strayBetweenTrialsNote(error, trialNumber)))
        : undefined;
    // An objective on this thread may call process.exit from a timer after its trial ended, and a config's plugin
    // module (always on this thread, whatever the objective's isolate) from a timer it started as it loaded: said,
    // and exit code 1 (review 180: with a command objective a plugin's process.exit(0) ended the run with 0, unsaid).
    // Every run holds the watch: a process.exit it cannot attribute is passed on as it was.
    const unwatchExits = watchProcessExits();
    // The time budget passing while trials without a time limit run: said once, a second after (a trial about to
    // end is not worth a line), not a silent wait (a hung trial held a run past its maxSeconds without a word).
    const timeLeft = options.trialTimeoutMs === undefined ? tracker.msLeft() : undefined;
    // Not past a timer's range (about 24.8 days: Node would fire it at once, with a warning).
    const timeUp =
      timeLeft === undefined || timeLeft + BUDGET_PASSED_NOTE_MS > MAX_TIMER_MS
        ? undefined
        : setTimeout(() => {
            if (inFlight === 0 || interrupt.signal.aborted) return;
            warn(
              `study ${spec.name}: its time budget (maxSeconds: ${budget.maxSeconds}) has passed, so no trial starts now; the run waits for its ${inFlight === 1 ? 'running trial' : `${inFlight} running trials`}, as it sets trials no time limit ` +
                `(trialTimeoutSeconds in a config, trialTimeoutMs in code, sets one; an objective's own, such as a command's timeoutSeconds, still applies). Ctrl-C stops the run after its grace period for running trials, a second Ctrl-C at once.`,
            );
          }, timeLeft + BUDGET_PASSED_NOTE_MS);
    timeUp?.unref();
    try {
      await Promise.all(Array.from({ length: workers }, guarded));
    } finally {
      clearTimeout(timeUp);
      unwatch?.();
      unwatchExits();
    }
    // Not for `none`, which a config may name on purpose (review 53).
    if (
      options.pruner !== undefined &&
      options.pruner.name !== 'none' &&
      reported === 0 &&
      completeUnreported >= UNREPORTED_WARN_MIN
    )
      warn(
        `study ${spec.name}: its pruner \`${options.pruner.name}\` stopped nothing: none of the ${completeUnreported} trials this run completed reported an intermediate value, so each ran in full. ` +
          'A trial reports with context.report(step, value) (a function or module objective) or a {"step": n, "value": x} line on stdout (a command).',
      );
    // The default failure rule stops only a run none of whose trials completed: one that broke after its first
    // success ran its whole budget into failures, which its summary's counts alone do not say.
    const failedAtEnd = tracker.failedInARow();
    if (
      reason !== 'failures' &&
      budget.maxConsecutiveFailures === undefined &&
      failedAtEnd >= DEFAULT_MAX_CONSECUTIVE_FAILURES &&
      tracker.worked() &&
      lastCounted?.state === 'failed'
    )
      warn(
        `study ${spec.name}: the last ${failedAtEnd} trials of this run failed in a row, the last #${lastCounted.number}: ${lastCounted.error.code} ${lastCounted.error.message.split('\n')[0]?.replace(/\.$/, '')}${failureNote(lastCounted.error.details, lastCounted.error.message)}. ` +
          `The run went on because a trial of it had completed; budget.maxConsecutiveFailures (maxConsecutiveFailures in code) stops a run after that many failures in a row, whatever came before.`,
      );
    const trials = await store.listTrials(spec.name);
    const summary = summarize(spec.name, spec.direction, session.space, trials);
    const stopped = stopMessage === undefined ? {} : { stopMessage };
    // Entries the budget left unrun (trial 165: a run at maxTrials left a config's entry waiting, unsaid).
    const waitingAfter = (waiting?.length ?? 0) > 0 ? ((await store.listEnqueued?.(spec.name))?.length ?? 0) : 0;
    emit({ type: 'study.finished', at: now(), reason: reason ?? 'max-trials', ...stopped, summary });
    result = {
      reason: reason ?? 'max-trials',
      ...stopped,
      resumed,
      existingTrials: existing.length,
      summary,
      trials,
      space: session.space,
      ...(waitingAfter === 0 ? {} : { waitingEntries: waitingAfter }),
    };
  } catch (error) {
    fatal ??= error;
  } finally {
    for (const stop of stopListening) stop();
    release();
    await connected?.close();
  }
  if (fatal !== undefined || result === undefined) throw withRescueNote(fatal, session);
  return result;
};
