import type { ExternalParams, ParamAssignment } from '../domain/params.js';
import type { StudyRecord } from '../domain/study.js';
import type { CompleteTrial, ErrorInfo, FinishedTrial } from '../domain/trial.js';

/**
 * Why a run stopped (`stopper`: a stopper or `stopWhen` rule said so; its message says why; `interrupted`:
 * its `signal` or `forceSignal` fired, as on Ctrl-C or SIGTERM).
 */
export type StopReason =
  | 'max-trials'
  | 'max-seconds'
  | 'loss-threshold'
  | 'patience'
  | 'failures'
  | 'stopper'
  | 'interrupted'
  | 'error';

/**
 * Counts and best trial of a study, as reported at its end. `P` is the type of `bestParams`: `ExternalParams` (any
 * name) by default, the space's `ParamsOf<S>` in the events of a typed study (`createStudy`, `Study.open`, `fmin`).
 *
 * @typeParam P - The type of `bestParams`: `ExternalParams` by default, `ParamsOf<S>` in a typed study.
 */
export interface StudySummary<P = ExternalParams> {
  /** The study's name. */
  readonly study: string;
  /** Whether a lower (`minimize`) or a higher (`maximize`) loss is better: which trial is `best`. */
  readonly direction: StudyRecord['direction'];
  /** Trials that finished with a loss (every run's and every worker's, not only this run's). */
  readonly complete: number;
  /** Trials that finished with an error (the objective's, a timeout, or a run that stopped under them). */
  readonly failed: number;
  /**
   * Of the failed trials, those whose run stopped before they finished (`INTERRUPTED`: a signal; `STALE_TRIAL`:
   * their worker was gone), not failures of the objective. Optional, for summaries other code makes.
   */
  readonly unfinished?: number;
  /** Trials a pruner stopped early (or that raised `TrialPruned`). */
  readonly pruned: number;
  /** Trials still running when the summary was made (other workers', or ones this run left behind). */
  readonly running: number;
  /** The complete trial with the best loss (the lowest, or the highest when maximizing); undefined when none completed. */
  readonly best: CompleteTrial | undefined;
  /** `best`'s params as the objective saw them (a choice by its option's value, not its index). */
  readonly bestParams: P | undefined;
}

/** The time stamp every event carries. */
export interface At {
  /** ISO time of the event. */
  readonly at: string;
}

/**
 * Everything the engine tells reporters. Reporters only listen; nothing they do steers the run. `P` is the type of
 * the events' params (`trial.started`, `trial.finished` and `study.improved`, and `study.finished`'s
 * `summary.bestParams`): `ExternalParams` (any name, any value) by default, as a reporter plugin gets them. A typed
 * study (`createStudy`, `Study.open`, `fmin`) gives its `onEvent` and its reporters `EngineEvent<ParamsOf<S>>`,
 * typed by its space: `event.params.x` is a `number` for a `uniform`, and a name the space lacks does not compile.
 * The events are the same objects; only their type differs.
 *
 * @typeParam P - The params' type: `ExternalParams` by default, `ParamsOf<S>` in a typed study.
 */
export type EngineEvent<P = ExternalParams> =
  | (At & {
      /** A run opened its study, before its first trial. */
      readonly type: 'study.started';
      /** The study as the store keeps it. */
      readonly study: StudyRecord;
      /** True when the study existed (this run continues it); false when the run created it. */
      readonly resumed: boolean;
      /** The study's trials when the run began (any state, other processes' included). */
      readonly existingTrials: number;
      /** How many of them had failed (stale trials this run found are counted as failed) and been pruned. */
      readonly failed: number;
      /** How many of them had been pruned. */
      readonly pruned: number;
      /** How many of them are running (other workers' trials; not the stale ones, counted as failed). */
      readonly running?: number;
      /** The best complete trial among them, if any. */
      readonly best?: CompleteTrial;
      /**
       * The study's trial count at which the run stops: its budget's `maxTrials`, or the trials it had plus its
       * `moreTrials`, whichever is lower; absent when the budget counts no trials.
       */
      readonly maxTrials?: number;
      /** The run's `moreTrials`, when its budget has one (beside a `maxTrials`, the first limit reached ends it). */
      readonly moreTrials?: number;
      /** The run's time budget (`maxSeconds`), when it has one: no trial starts after it, running ones finish. */
      readonly maxSeconds?: number;
      /** Enqueued entries waiting to run first, when the store can list them (`listEnqueued`). */
      readonly waitingEntries?: number;
    })
  | (At & {
      /** A trial's params were decided, and its objective is about to run. */
      readonly type: 'trial.started';
      /** The name of the study (the key its store keeps it under). */
      readonly study: string;
      /** The number of the trial, unique in the study. */
      readonly number: number;
      /** What the objective receives. */
      readonly params: P;
      /** The params' internal form, as the store keeps them (option indices for choices). */
      readonly internal: ParamAssignment;
      /**
       * The study as the suggester was shown it for this trial (other processes' trials included): its
       * finished trials by state and its best complete trial. A progress line counts from it, so a worker
       * of several shows the study's count and best, not its own.
       */
      readonly studyTrials?: StudyTrialCounts;
    })
  | (At & {
      /** A running trial reported an intermediate value; `prune` is the pruner's decision at that report. */
      readonly type: 'trial.reported';
      /** The name of the study (the key its store keeps it under). */
      readonly study: string;
      /** The number of the trial, unique in the study. */
      readonly number: number;
      /** The step the value was reported at (an epoch, say). */
      readonly step: number;
      /** The value reported, in the study's direction. */
      readonly value: number;
      /** Whether the pruner said the trial should stop (always false without a pruner). */
      readonly prune: boolean;
    })
  /**
   * `params` are what the objective received; `trial.internal` is their internal form. A trial its suggester
   * failed (or a stop cut short while suggesting) ends failed with empty `params`, and no `trial.started` came
   * before it (a typed study types them by its space all the same, as `study.trials()` does a finished trial's).
   */
  | (At & {
      /** A trial ended: complete, failed or pruned. */
      readonly type: 'trial.finished';
      /** The trial as the store recorded it. */
      readonly trial: FinishedTrial;
      /** Its params as the objective received them. */
      readonly params: P;
    })
  | (At & {
      /** A trial of this run completed with a better loss than the study's best so far (as this run knows it). */
      readonly type: 'study.improved';
      /** The new best trial. */
      readonly best: CompleteTrial;
      /** Its params as the objective received them. */
      readonly params: P;
    })
  | (At & {
      /** The suggester explained a suggestion (only when the run asked for explanations: `explain`). */
      readonly type: 'suggestion.explained';
      /** The name of the study (the key its store keeps it under). */
      readonly study: string;
      /** The number of the trial explained. */
      readonly number: number;
      /** The suggester's own account, JSON data whose shape is the suggester's (TPE's is a `TpeExplanation`). */
      readonly explanation: unknown;
    })
  | (At & {
      /** The run ended; the last event of a run. */
      readonly type: 'study.finished';
      /** Why it stopped. */
      readonly reason: StopReason;
      /**
       * The stopper's own words when `reason` is `stopper` ("no improvement of 1% in 50 trials"); when it is
       * `failures`, how many failed in a row and the last one's error.
       */
      readonly stopMessage?: string;
      /** The study's counts and best trial at the end of the run. */
      readonly summary: StudySummary<P>;
    })
  | (At & {
      /** A reporter threw and was cut off; the run and the other reporters go on. */
      readonly type: 'plugin.failed';
      /** The failed plugin's name. */
      readonly plugin: string;
      /** What it was doing (`report`: handling an event, or ending). */
      readonly phase: string;
      /** What it threw (code `REPORTER_FAILED`). */
      readonly error: ErrorInfo;
    });

/** A study's finished trials by state, and its best complete trial (`trial.started`'s `studyTrials`). */
export interface StudyTrialCounts {
  /** The study's finished trials: complete, failed and pruned. */
  readonly finished: number;
  /** Of them, the failed ones. */
  readonly failed: number;
  /** Of them, the pruned ones. */
  readonly pruned: number;
  /** The best complete trial's number and loss; absent while no trial completed. */
  readonly best?: {
    /** The best trial's number. */
    readonly number: number;
    /** The best trial's loss. */
    readonly loss: number;
  };
}

/** An event's `type`: `study.started`, `trial.finished`, ... */
export type EngineEventType = EngineEvent['type'];
/**
 * The event of one `type`, narrowed from {@link EngineEvent}.
 *
 * @typeParam T - The event's `type`.
 * @typeParam P - Its params' type, as in {@link EngineEvent}: `ExternalParams` by default.
 */
export type EventOf<T extends EngineEventType, P = ExternalParams> = Extract<
  EngineEvent<P>,
  {
    /** The `type` to narrow to. */
    type: T;
  }
>;
