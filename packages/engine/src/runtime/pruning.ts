import type { EvaluationContext, EvaluationResult } from '../contracts/objective.js';
import type { Pruner } from '../contracts/pruner.js';
import { type Clock, systemClock } from '../contracts/services.js';
import type { TrialStore } from '../contracts/store.js';
import {
  type Direction,
  type IntermediateValue,
  prunedOutcome,
  type RunningTrial,
  type Trial,
  type TrialOutcome,
} from '../domain/trial.js';
import { addIntermediate, stepIndex } from '../domain/trial-builders.js';
import { describeValue, errorFacts, ParzenError, refusedPromise, storeUnsupported } from '../errors.js';
import type { EngineEvent } from '../events/engine-event.js';
import { notJson } from './interpret-result.js';
import { outcomeOf } from './study-session.js';
import { warnOnStderr } from './warn-on-stderr.js';

/**
 * The attrs a stopped objective printed (a `command` program's result line on SIGTERM), kept in its `PRUNED`
 * failure's details: a plain object of JSON values, else none.
 */
const prunedAttrs = (result: EvaluationResult): Readonly<Record<string, unknown>> | undefined => {
  const attrs = result.status === 'failed' ? result.error.details?.attrs : undefined;
  if (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)) return undefined;
  return notJson(attrs, 'attrs') === undefined ? (attrs as Readonly<Record<string, unknown>>) : undefined;
};

/** What the run loop's pruning needs: the study, its store, its pruner and where events go. */

/**
 * What is said of a report made after its trial ended (a callback that fired after the objective returned): not
 * stored, said once per trial; a `module` objective's worker thread says it through its host in the same words.
 */
export const lateReportNote = (trial: number, step: unknown, value: unknown): string =>
  `report(${String(step)}, ${String(value)}) came after trial #${trial} ended; the value was not stored (report before the objective returns; later ones of this trial are dropped without a word).`;

/**
 * Said once a run when an objective went on reporting after the pruner said stop and then returned a loss: it does
 * not ask `shouldPrune()`, asks it only after reporting on (a report not awaited is judged once the objective has
 * gone on, so a loop that asks after its last report was told late), or goes on when it says true. The trial is
 * recorded pruned all the same.
 */
export const ignoredPruneNote = (trial: number, toldAt: number, wentOnTo: number): string =>
  `trial #${trial}: the pruner said stop at step ${toldAt}, and the objective went on to step ${wentOnTo} and returned a loss: it did not ask shouldPrune() once step ${toldAt}'s report was judged, before it reported on (a report not awaited is judged only after the objective has gone on), or went on when it said true. ` +
  `A prune is final: the trial is recorded pruned with its value at step ${wentOnTo}, not the loss it returned. ` +
  'Stop when shouldPrune() says true (after each awaited report), or run without a pruner. Said once per run.';

export interface PruningOptions {
  readonly study: string;
  readonly direction: Direction;
  readonly store: TrialStore;
  /** Default: never prunes (reports are still stored). */
  readonly pruner?: Pruner;
  readonly emit: (event: EngineEvent) => void;
  /**
   * How long a listing of the study's trials may be reused for pruning decisions, in ms (default 1000).
   * A listing is always re-read after a trial of this process started or finished, so a single-process
   * run decides from exactly what the store holds; trials of other processes are at most this old.
   */
  readonly refreshMs?: number;
  /** The time stamped on `trial.reported` events (default: the real time). */
  readonly clock?: Clock;
  /** Where a report that came too late is said (default: a line on stderr). */
  readonly warn?: (message: string) => void;
}

/** One running trial's side of pruning: the context's `report`/`shouldPrune`, and how the trial ends. */
export interface TrialPruning {
  readonly report: EvaluationContext['report'];
  readonly shouldPrune: EvaluationContext['shouldPrune'];
  /**
   * How the trial ends: `pruned` with its last reported value when the pruner told it to stop (whatever
   * the objective then returned or threw, unless its result says it had already finished:
   * `finishedBeforePrune`) or when the adapter says it was pruned (error code `PRUNED`); failed with
   * `PRUNER_FAILED` when the pruner threw; otherwise the result's own outcome.
   */
  outcome(result: EvaluationResult): TrialOutcome;
  /** The values the trial reported, in step order (what a result kept as a new trial carries). */
  intermediate(): readonly IntermediateValue[];
  /**
   * Call when the objective has ended, before {@link TrialPruning.outcome}: awaits the reports it did not
   * await (a synchronous training loop's), so their values are stored and judged; resolves to the step the
   * pruner said stop at when that decision came only then (the objective could not have seen it through
   * `shouldPrune()`, so it stopped nothing: the trial keeps its own result), else undefined.
   */
  settle(): Promise<number | undefined>;
  /**
   * Call once the trial is finished; rethrows a pruner failure (it stops the run, as a suggester failure does).
   * `cutShort`: the run stopped the trial (a signal, its time limit), so a report its objective still makes is
   * expected and dropped without the late-report warning.
   */
  end(cutShort?: boolean): void;
}

/** The pruning of a run or an ask/tell study: starts a {@link TrialPruning} per trial. */
export interface Pruning {
  begin(number: number): TrialPruning;
  /**
   * Reports for a trial not begun here (ask/tell): stores, asks the pruner on a listing that has the
   * report (pass `refreshMs: 0` so that it is always fresh), resolves to its decision.
   */
  report(number: number, step: number, value: number): Promise<boolean>;
  /** Trial `number`, reported through {@link Pruning.report}, has ended: what was kept of its steps is dropped. */
  forget(number: number): void;
}

/** Trial `number` of a listing: stores list trials by number, so it is usually at index `number`. */
const findTrial = (trials: readonly Trial[], number: number): Trial | undefined => {
  const at = trials[number];
  return at?.number === number ? at : trials.find((trial) => trial.number === number);
};

// Before, a synchronous loop's reports, judged when it had ended, were each shown the whole curve, and pruners judge a
// trial at its last step: no rung said stop, so successive halving and hyperband pruned nothing, and said nothing.
/**
 * A running trial as of step `step`: its values after that step left out, so that a report is judged on the curve
 * it ends (a pruner judges a trial at its last step). That is so of every report made before a later step's was
 * stored: one not awaited, and an awaited one out of step order too (5, then 3: step 3 is judged without step 5). The
 * trial itself where it has none after it (a report of its latest step: no copy).
 */
const asOf = (trial: Trial, step: number): RunningTrial => {
  const curve = trial.intermediate;
  if (curve === undefined || (curve.at(-1)?.step ?? step) <= step) return trial as RunningTrial;
  const end = stepIndex(curve, step);
  return { ...trial, intermediate: curve.slice(0, curve[end]?.step === step ? end + 1 : end) } as RunningTrial;
};

/** How a report is called: from an objective (its context's `report`), or by ask/tell's `study.report`. */
const CONTEXT_REPORT = 'report(step, value)';
/** {@link CONTEXT_REPORT} of ask/tell. */
const STUDY_REPORT = 'study.report(number, step, value)';

/**
 * Checks a report's arguments; a bad one is a `REPORT_INVALID` error thrown to the caller (the objective),
 * its message led by the call as the caller writes it (`call`).
 */
export const checkReport = (step: unknown, value: unknown, call = CONTEXT_REPORT): void => {
  if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) {
    // A loss where the step goes and an epoch where the value goes: Optuna's order, report(value, step) (trial 171).
    const swapped =
      typeof step === 'number' &&
      !Number.isInteger(step) &&
      typeof value === 'number' &&
      Number.isSafeInteger(value) &&
      value >= 0;
    throw new ParzenError(
      'REPORT_INVALID',
      `${call}: step must be a non-negative integer (an epoch, an iteration) up to 2^53 − 1; found ${describeValue(step)}${
        typeof step === 'number' && Number.isInteger(step) && step > 0
          ? ' (beyond 2^53 − 1, integers lose their exact value)'
          : swapped
            ? ` (the step comes first, then the value: ${call}, unlike Optuna's report(value, step))`
            : ''
      }.`,
      {
        issues: [{ pointer: '/step', expected: 'a non-negative integer up to 2^53 − 1', found: describeValue(step) }],
      },
    );
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ParzenError(
      'REPORT_INVALID',
      `${call}: value must be a finite number; found ${describeValue(value)} at step ${step}.`,
      { issues: [{ pointer: '/value', expected: 'a finite number', found: describeValue(value) }] },
    );
  }
};

/** Whether a pruner judges trials (`none` never does). */
const judges = (pruner: Pruner | undefined): pruner is Pruner => pruner !== undefined && pruner.name !== 'none';

/**
 * Refuses a pruner on a store that cannot keep the values it judges (no `reportIntermediate`), before the
 * first trial (otherwise every trial fails OBJECTIVE_THREW at its first report).
 */
export const checkPrunerStore = (store: TrialStore, pruner: Pruner | undefined): void => {
  if (judges(pruner) && store.reportIntermediate === undefined)
    throw storeUnsupported(
      store.name,
      `run with the \`${pruner.name}\` pruner (it judges the values trials report)`,
      'reportIntermediate',
    );
};

/**
 * Pruning for one process: every report is stored with `store.reportIntermediate`, then the pruner
 * judges the trial against the study's trials as the store lists them (other processes' included).
 * Listings are cached (see {@link PruningOptions.refreshMs}) and the intermediate values this process
 * reported are laid over them, so a cached listing never hides this process's own reports.
 */
export const createPruning = (options: PruningOptions): Pruning => {
  const { store, pruner, study } = options;
  const refreshMs = options.refreshMs ?? 1000;
  const clock = options.clock ?? systemClock;
  /**
   * Intermediate values of this process's trials that are running (or were reported through `report`),
   * added to in place (a report costs O(1), not a copy of the curve). The pruner is shown them as they
   * are (read-only by type; they grow after the call), and `intermediate()` hands out a frozen copy.
   */
  const local = new Map<number, IntermediateValue[]>();
  let version = 0;
  /**
   * The last listing, and the array the pruner is shown: a copy of it made once per listing, whose entries
   * for this process's running trials are laid over with their local values at each report. Only those
   * entries change between listings, so a pruner may keep what it derives from the finished trials for as
   * long as it is shown the same array (trial 71: a copy of the whole study per report cost 24 ms at 50,000).
   */
  let listing: { trials: readonly Trial[]; shown: Trial[]; at: number; version: number } | undefined;

  const listTrials = async (fresh: boolean): Promise<readonly Trial[]> => {
    // Monotonic: a wall clock set back would keep an old listing for as long.
    const time = performance.now();
    if (fresh || listing === undefined || listing.version !== version || time - listing.at >= refreshMs) {
      const listed = version;
      const trials = await store.listTrials(study);
      listing = { trials, shown: trials.slice(), at: time, version: listed };
    }
    const { trials, shown } = listing;
    for (const [number, mine] of local) {
      const at = trials[number]?.number === number ? number : trials.findIndex((trial) => trial.number === number);
      const trial = trials[at];
      if (trial === undefined || trial.state !== 'running') continue;
      // The run's own curve, not a copy (a copy per report made a trial of n reports cost O(n²): trial 78,
      // 50,000 reports took 92 s with a pruner, 15 s without); PruneContext says it grows after the call.
      shown[at] = (trial.intermediate?.length ?? 0) >= mine.length ? trial : { ...trial, intermediate: mine };
    }
    return shown;
  };

  const judging = judges(pruner);
  let warnedNoReports = false;
  // Values of a trial the store failed to record (its retries spent), in step order: written before the
  // trial's next value and when it ends, so a store that comes back gets them all.
  const unstored = new Map<number, { step: number; value: number }[]>();
  const warnedUnstored = new Set<number>();
  // A trial's flush in progress: reports not awaited run at once, and their flushes take turns, so each
  // queued value is written once and none is dropped (review 88).
  const flushing = new Map<number, Promise<boolean>>();
  const writeUnstored = async (number: number): Promise<boolean> => {
    const waiting = unstored.get(number);
    while (waiting !== undefined && waiting.length > 0) {
      const { step, value } = waiting[0] as { step: number; value: number };
      try {
        await store.reportIntermediate?.(study, number, step, value);
      } catch (error) {
        const code = error instanceof ParzenError ? error.code : undefined;
        if (code === 'STORE_FAILED') return false;
        // Another worker took the trial over, or the store lost it (see `report`): its values have nowhere
        // to go, and the trial runs on as `report` lets it (review 88: this ended the run from `settle`).
        if (code === 'TRIAL_ALREADY_FINISHED' || code === 'TRIAL_NOT_FOUND') break;
        throw error;
      }
      waiting.shift();
    }
    unstored.delete(number);
    return true;
  };
  /** Writes a trial's unstored values in order; false when the store still fails (they stay unstored). */
  const flushUnstored = (number: number): Promise<boolean> => {
    const turn = (flushing.get(number) ?? Promise.resolve(true)).then(
      () => writeUnstored(number),
      () => writeUnstored(number),
    );
    flushing.set(number, turn);
    const done = () => {
      if (flushing.get(number) === turn) flushing.delete(number);
    };
    turn.then(done, done);
    return turn;
  };
  /** Forgets a trial's unstored values and warnings (its end). */
  const forgetUnstored = (number: number): void => {
    unstored.delete(number);
    warnedUnstored.delete(number);
  };
  let warnedBadAttrs = false;
  let warnedIgnored = false;
  const judge = async (number: number, step: number): Promise<boolean> => {
    if (!judging) return false;
    let trials = await listTrials(false);
    let trial = findTrial(trials, number);
    if (trial === undefined) {
      trials = await listTrials(true);
      trial = findTrial(trials, number);
    }
    if (trial === undefined || trial.state !== 'running') return false;
    let answer: unknown;
    try {
      answer = pruner.shouldPrune({ study, direction: options.direction, trial: asOf(trial, step), step, trials });
    } catch (error) {
      throw new ParzenError(
        'PRUNER_FAILED',
        `Pruner \`${pruner.name}\` failed on trial #${number} at step ${step}: ${(error as Error).message ?? String(error)}`,
        { plugin: pruner.name, cause: error },
      );
    }
    // Anything but a boolean is a fault of the pruner: a Promise (an `async shouldPrune`) is truthy and
    // would prune every trial; `undefined` (a forgotten `return`) would never prune.
    if (typeof answer !== 'boolean')
      throw new ParzenError(
        'PRUNER_FAILED',
        `Pruner \`${pruner.name}\` answered ${refusedPromise(answer) ? 'a Promise' : describeValue(answer)} on trial #${number} at step ${step}; ` +
          'expected true or false (shouldPrune is synchronous: it judges from the trials it is given).',
        { plugin: pruner.name },
      );
    return answer;
  };

  const report = async (number: number, step: number, value: number, told = false, begun = false): Promise<boolean> => {
    // Not begun here: ask/tell's study.report.
    checkReport(step, value, begun ? CONTEXT_REPORT : STUDY_REPORT);
    if (store.reportIntermediate === undefined) {
      checkPrunerStore(store, pruner);
      // Without a pruner nothing depends on them: the values are dropped, said once (trial 45: every
      // trial failed OBJECTIVE_THREW, its loss lost).
      if (!warnedNoReports)
        (options.warn ?? warnOnStderr)(
          `the \`${store.name}\` store has no \`reportIntermediate\` method, so the values trials report are not stored (use a built-in store to keep them).`,
        );
      warnedNoReports = true;
      return told;
    }
    let stored = true;
    try {
      if (begun && unstored.has(number) && !(await flushUnstored(number)))
        throw new ParzenError('STORE_FAILED', 'the store still fails');
      await store.reportIntermediate(study, number, step, value);
    } catch (error) {
      // Another worker took the trial over while it ran (its lease lapsed), or the store lost it (a database
      // crash undid its creation; its number may be another trial's now): the value stays in this process
      // and the trial runs on; the run loop keeps its result as a new trial when it ends (finishRunTrial).
      const code = error instanceof ParzenError ? error.code : undefined;
      // The store failed past its own retries (a database down for longer than its retry time): the value
      // stays in this process and the trial runs on, so its work ends as the run's finish decides (stored,
      // or kept in the rescue file), not as the objective's throw (trial 83: OBJECTIVE_THREW, the work lost).
      if (begun && code === 'STORE_FAILED') {
        stored = false;
        const waiting = unstored.get(number) ?? [];
        waiting.push({ step, value });
        unstored.set(number, waiting);
        if (!warnedUnstored.has(number))
          (options.warn ?? warnOnStderr)(
            `trial #${number}'s value at step ${step} could not be stored (${errorFacts(error)}); the trial goes on, and its values are written when the store answers again (before its next value, or when it ends). The pruner is not asked at steps the store has not recorded. Said once per trial.`,
          );
        warnedUnstored.add(number);
      } else if (!(begun && (code === 'TRIAL_ALREADY_FINISHED' || code === 'TRIAL_NOT_FOUND'))) throw error;
    }
    if (begun) {
      let curve = local.get(number);
      if (curve === undefined) {
        curve = [];
        local.set(number, curve);
      }
      addIntermediate(curve, step, value);
    }
    // Unstored, the pruner (which reads the study from the store) is not asked: the trial goes on as it was.
    const prune = told || (stored && (await judge(number, step)));
    options.emit({ type: 'trial.reported', at: clock.now().toISOString(), study, number, step, value, prune });
    return prune;
  };

  /** Ask/tell: the steps (and their values) each trial reported through `report` here, and the trials told of a repeat. */
  const askedSteps = new Map<number, Map<number, number>>();
  const warnedAsked = new Set<number>();

  return {
    report: async (number, step, value) => {
      const steps = askedSteps.get(number) ?? new Map<number, number>();
      const earlier = steps.get(step);
      if (earlier === undefined || typeof value !== 'number') {
        const prune = await report(number, step, value);
        askedSteps.set(number, steps.set(step, value));
        return prune;
      }
      // A step reported again: the store keeps the first value, so the repeat is neither stored nor
      // announced; the pruner still answers, and the user is told once per trial (as the run loop tells).
      checkReport(step, value, STUDY_REPORT);
      if (!warnedAsked.has(number))
        (options.warn ?? warnOnStderr)(
          `study.report(${number}, ${step}, ${value}): step ${step} was reported before (${earlier}), and that value is kept; report each step once (later repeats of this trial are dropped without a word).`,
        );
      warnedAsked.add(number);
      return judge(number, step);
    },
    forget: (number) => {
      askedSteps.delete(number);
      warnedAsked.delete(number);
    },
    begin: (number) => {
      version++;
      let told = false;
      let ended = false;
      let warnedLate = false;
      let warnedRepeat = false;
      let failure: ParzenError | undefined;
      // The step the pruner first said stop at, and the reports not yet decided.
      let toldAt: number | undefined;
      // The highest step reported once the pruner had said stop: the objective went on (it did not ask shouldPrune(),
      // or asked only after reporting on).
      let wentOnTo: number | undefined;
      const pending = new Set<Promise<void>>();
      // Whether the objective had been told to stop when it ended (set by settle).
      let seenAtEnd: boolean | undefined;
      const lastValue = () => local.get(number)?.at(-1)?.value;
      const reportOne = async (step: number, value: number) => {
        // A context kept past its trial (a callback that fires after the objective returned): the trial
        // is finished and the value is not stored. Said, not thrown: a late call nobody awaits would
        // otherwise be an unhandled rejection, which fails the trials running then.
        if (ended) {
          if (!warnedLate) (options.warn ?? warnOnStderr)(lateReportNote(number, step, value));
          warnedLate = true;
          return;
        }
        // A step reported again: the first value stays (as Optuna keeps it), and the user is told once.
        const curve = local.get(number) ?? [];
        const found = curve[stepIndex(curve, step)];
        const earlier = found?.step === step ? found : undefined;
        if (earlier !== undefined && typeof value === 'number') {
          checkReport(step, value);
          if (!warnedRepeat)
            (options.warn ?? warnOnStderr)(
              `report(${step}, ${value}) of trial #${number}: step ${step} was reported before (${earlier.value}), and that value is kept; report each step once (later repeats of this trial are dropped without a word).`,
            );
          warnedRepeat = true;
          return;
        }
        if (told && toldAt !== undefined && step > toldAt) wentOnTo = Math.max(wentOnTo ?? step, step);
        const prune = await report(number, step, value, told, true).catch((error: unknown) => {
          if (error instanceof ParzenError && error.code === 'PRUNER_FAILED') failure ??= error;
          throw error;
        });
        // Once told to stop, a trial stays pruned: later reports are stored but not judged again.
        if (prune && !told) toldAt = step;
        told ||= prune;
      };
      // The trial's reports take turns: each is stored and judged before the next one starts, so that a report not
      // awaited is judged as of its own step, as an awaited one is (the store holds no later value of it yet).
      let turn: Promise<void> = Promise.resolve();
      const contextReport = (step: number, value: number): Promise<void> => {
        // Where the objective called report(): a refused call is thrown from there (trial 167: it was said to be
        // thrown in this file, a line of Parzen's own). A pruner's failure keeps its own place.
        const called: { stack?: string } = {};
        Error.captureStackTrace(called, contextReport);
        // Tracked by a promise of its own that never rejects: the caller's promise keeps its rejection, so
        // a refused report nobody awaits stays an unhandled rejection, which names it (user trial 27).
        let done = () => {};
        const tracked = new Promise<void>((resolve) => {
          done = resolve;
        });
        pending.add(tracked);
        const mine = turn.then(() => reportOne(step, value));
        turn = mine.catch(() => {});
        return mine
          .catch((error: unknown) => {
            if (error instanceof ParzenError && error.code === 'REPORT_INVALID' && typeof called.stack === 'string')
              error.stack = `${error.name}: ${error.message}${called.stack.slice(called.stack.indexOf('\n'))}`;
            throw error;
          })
          .finally(() => {
            pending.delete(tracked);
            done();
          });
      };
      return {
        report: contextReport,
        shouldPrune: () => told,
        settle: async () => {
          seenAtEnd = told;
          await Promise.all([...pending]);
          // Values the store failed to record get a last try; those it still refuses are said, not lost silently.
          try {
            if (unstored.has(number) && !(await flushUnstored(number))) {
              const steps = (unstored.get(number) ?? []).map((point) => point.step);
              (options.warn ?? warnOnStderr)(
                `trial #${number} ended with ${steps.length === 1 ? 'its value' : 'its values'} at step${steps.length === 1 ? '' : 's'} ${steps.join(', ')} not stored: the store still fails. Its result is recorded as the run's finish decides.`,
              );
            }
          } finally {
            forgetUnstored(number);
          }
          return !seenAtEnd && told ? toldAt : undefined;
        },
        intermediate: () => Object.freeze(local.get(number)?.slice() ?? []),
        outcome: (result) => {
          if (failure !== undefined)
            return { state: 'failed', error: { code: failure.code, message: failure.message } };
          // A decision that came only after the objective ended (its reports not awaited) stopped nothing:
          // the trial keeps its own result (review 56: its loss, or its error, was dropped for `pruned`).
          const stopped = (seenAtEnd ?? told) && result.finishedBeforePrune !== true;
          // The attrs an objective returned once stopped (`{loss, attrs}` after `shouldPrune()`) are kept;
          // attrs that are not JSON are said, not dropped in silence (review 58).
          // A stopped program's refused attrs come in its PRUNED details (review 62: dropped without a word).
          const refused =
            result.status === 'failed' && result.error.code === 'PRUNED'
              ? result.error.details?.attrsRefused
              : undefined;
          const badAttrs =
            (stopped && result.status === 'failed' && result.error.code === 'OBJECTIVE_BAD_ATTRS') ||
            typeof refused === 'string';
          if (badAttrs && result.status === 'failed' && !warnedBadAttrs) {
            warnedBadAttrs = true;
            const message = typeof refused === 'string' ? refused : result.error.message;
            const why = /attrs that are not JSON: ([^;\n]*?)\.(?: |$)/.exec(message)?.[1];
            (options.warn ?? warnOnStderr)(
              `trial #${number} was pruned, and the attrs it returned were not stored${why === undefined ? '' : ` (${why})`}: attrs are stored as JSON (numbers, strings, booleans, null, arrays, plain objects). Said once per run.`,
            );
          }
          // An objective that went on reporting after the pruner said stop, then returned a loss, ignored
          // shouldPrune(): a prune is final (its loss is not the trial's), said once per run, not left to be found
          // in `parzen trials` (a trial that ran every step was recorded pruned without a word).
          if (stopped && result.status === 'ok' && wentOnTo !== undefined && !warnedIgnored) {
            warnedIgnored = true;
            (options.warn ?? warnOnStderr)(ignoredPruneNote(number, toldAt ?? 0, wentOnTo));
          }
          if (stopped || (result.status === 'failed' && result.error.code === 'PRUNED'))
            return prunedOutcome(lastValue(), result.status === 'ok' ? result.attrs : prunedAttrs(result));
          return outcomeOf(result);
        },
        end: (cutShort = false) => {
          ended = true;
          // Trial 133: after a second Ctrl-C, "report before the objective returns" was advice for a trial
          // the run had cut off.
          if (cutShort) warnedLate = true;
          forgetUnstored(number);
          local.delete(number);
          version++;
          if (failure !== undefined) throw failure;
        },
      };
    },
  };
};
