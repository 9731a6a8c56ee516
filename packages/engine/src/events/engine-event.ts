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

/** Counts and best trial of a study, as reported at its end. */
export interface StudySummary {
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
  readonly bestParams: ExternalParams | undefined;
}

/** The time stamp every event carries. */
export interface At {
  /** ISO time of the event. */
  readonly at: string;
}

/** Everything the engine tells reporters. Reporters only listen; nothing they do steers the run. */
export type EngineEvent =
  | (At & {
      readonly type: 'study.started';
      readonly study: StudyRecord;
      readonly resumed: boolean;
      /** The study's trials when the run began (any state, other processes' included). */
      readonly existingTrials: number;
      /** How many of them had failed (stale trials this run found are counted as failed) and been pruned. */
      readonly failed: number;
      readonly pruned: number;
      /** How many of them are running (other workers' trials; not the stale ones, counted as failed). */
      readonly running?: number;
      /** The best complete trial among them, if any. */
      readonly best?: CompleteTrial;
      readonly maxTrials?: number;
      /** The run's `moreTrials`, when its budget has one (beside a `maxTrials`, the first limit reached ends it). */
      readonly moreTrials?: number;
      /** Enqueued entries waiting to run first, when the store can list them (`listEnqueued`). */
      readonly waitingEntries?: number;
    })
  | (At & {
      readonly type: 'trial.started';
      readonly study: string;
      readonly number: number;
      /** What the objective receives. */
      readonly params: ExternalParams;
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
      readonly study: string;
      readonly number: number;
      readonly step: number;
      readonly value: number;
      readonly prune: boolean;
    })
  /**
   * `params` are what the objective received; `trial.internal` is their internal form. A trial its suggester
   * failed (or a stop cut short while suggesting) ends failed with empty `params`, and no `trial.started` came
   * before it.
   */
  | (At & { readonly type: 'trial.finished'; readonly trial: FinishedTrial; readonly params: ExternalParams })
  | (At & { readonly type: 'study.improved'; readonly best: CompleteTrial; readonly params: ExternalParams })
  | (At & {
      readonly type: 'suggestion.explained';
      readonly study: string;
      readonly number: number;
      readonly explanation: unknown;
    })
  | (At & {
      readonly type: 'study.finished';
      readonly reason: StopReason;
      /**
       * The stopper's own words when `reason` is `stopper` ("no improvement of 1% in 50 trials"); when it is
       * `failures`, how many failed in a row and the last one's error.
       */
      readonly stopMessage?: string;
      readonly summary: StudySummary;
    })
  | (At & {
      readonly type: 'plugin.failed';
      readonly plugin: string;
      readonly phase: string;
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
  readonly best?: { readonly number: number; readonly loss: number };
}

/** An event's `type`: `study.started`, `trial.finished`, ... */
export type EngineEventType = EngineEvent['type'];
/** The event of one `type`, narrowed from {@link EngineEvent}. */
export type EventOf<T extends EngineEventType> = Extract<EngineEvent, { type: T }>;
