import type { ParamAssignment } from './params.js';

/** Whether a lower loss (minimize) or a higher one (maximize) is better. */
export type Direction = 'minimize' | 'maximize';

/** A trial's lifecycle: `running`, then `complete`, `failed` or `pruned`. */
export type TrialState = 'running' | 'complete' | 'failed' | 'pruned';

/**
 * The codes Parzen gives a failed trial (docs/concepts.md says what each means). Plugins may give codes of
 * their own, so {@link ErrorInfo.code} stays open to other strings.
 */
export type TrialErrorCode =
  | 'OBJECTIVE_THREW'
  | 'OBJECTIVE_FAILED'
  | 'OBJECTIVE_NOT_A_NUMBER'
  | 'OBJECTIVE_NAN'
  | 'OBJECTIVE_INFINITE'
  | 'OBJECTIVE_BAD_ATTRS'
  | 'OBJECTIVE_CRASHED'
  | 'OBJECTIVE_EXITED'
  | 'OBJECTIVE_LOAD_FAILED'
  | 'COMMAND_NOT_STARTED'
  | 'COMMAND_FAILED'
  | 'COMMAND_NO_LOSS'
  | 'COMMAND_TEMPLATE'
  | 'COMMAND_BAD_REPORT'
  | 'COMMAND_BAD_ARGS'
  | 'REPORT_FAILED'
  | 'TIMEOUT'
  | 'INTERRUPTED'
  | 'STALE_TRIAL'
  | 'SUGGESTER_FAILED'
  | 'SUGGESTER_OUT_OF_SPACE'
  | 'SUGGESTER_BAD_GROUP'
  | 'PRUNER_FAILED'
  | 'IMPORTED_FAILED'
  | 'STORE_SALVAGED';

/**
 * Codes of failures that say nothing of the trial's params: Parzen's own parts (suggester, pruner, store,
 * stopper, reporter), a dead worker, an interruption, an objective that could not start at all (a module
 * that does not load, a program that does not start), and a crash outside the objective's call (any trial
 * running then fails with it).
 */
const NOT_THE_PARAMS =
  /^(SUGGESTER_|PRUNER_|STORE_|STOPPER_|REPORTER_)|^(STALE_TRIAL|INTERRUPTED|OBJECTIVE_LOAD_FAILED|COMMAND_NOT_STARTED|OBJECTIVE_CRASHED|COMMAND_TEMPLATE|REPORT_FAILED)$/;

/**
 * Whether a failed trial's failure tells about its params (the objective threw, timed out, returned no
 * number, a program exited with an error...), so that a suggester may steer away from where such
 * failures gather; false for the codes of failures that would have happened at any params.
 */
export const failedAtParams = (error: Pick<ErrorInfo, 'code'>): boolean => !NOT_THE_PARAMS.test(error.code);

/** Why a trial failed: a stable code (a {@link TrialErrorCode}, or a plugin's own) and a message. */
export interface ErrorInfo {
  /** Why the trial failed: a {@link TrialErrorCode}, or a plugin's own code. */
  readonly code: TrialErrorCode | (string & {});
  /** What happened, in words a user can act on (an objective's own error message, a program's last stderr line). */
  readonly message: string;
  /**
   * Extra facts, e.g. a command's exit code and the tail of its stderr (`stderrTail`), or where a thrown
   * error came from: its class (`errorName`, when not plain `Error`), its own `code` (`errorCode`), its
   * place in the user's code (`thrownAt`: its first frame's file:line:column, or `[eval]:2:126` and the like for
   * code with no file; absent when no frame is the user's code) and its `stack` (the first 4,000 characters). An Error given to
   * `study.tell` has `told: true` too: its `thrownAt` is where that Error was created, which is where an
   * objective threw only if the exception it threw was passed on (stores of older builds have `createdAt` then).
   */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A claim on a running trial by one worker; a trial whose lease expired belongs to a dead worker. */
export interface Lease {
  /** The worker that runs the trial: `host:pid:...`, the first two parts naming its machine and process. */
  readonly owner: string;
  /** ISO time after which the trial is stale. */
  readonly expiresAt: string;
}

/** One intermediate value an objective reported while it ran (a learning curve's point). */
export interface IntermediateValue {
  /** A non-negative integer: an epoch, an iteration, a budget used so far. */
  readonly step: number;
  /** The value reported at that step (a validation loss, say), in the study's direction. */
  readonly value: number;
}

/** What a trial has in every state. */
export interface TrialBase {
  /** The name of the study the trial belongs to. */
  readonly study: string;
  /** 0-based, allocated by the store before sampling; unique within the study. */
  readonly number: number;
  /**
   * Internal values of the active parameters (option indices for choices); empty until set. A trial that
   * took an enqueued entry starts with that entry's (possibly partial) params.
   */
  readonly internal: ParamAssignment;
  /** ISO time at which the trial was created (numbered), before its params were decided. */
  readonly startedAt: string;
  /**
   * The intermediate values reported so far, one per step, ordered by step. Absent when none was
   * reported (or the store does not keep them).
   */
  readonly intermediate?: readonly IntermediateValue[];
}

/** A trial being evaluated; its params are set once the suggester has decided them. */
export interface RunningTrial extends TrialBase {
  /** No outcome is recorded yet: its worker is at it, or gone without saying (see {@link Lease}). */
  readonly state: 'running';
  /** The worker that holds the trial, until when; absent for a trial no worker claims (an ask/tell trial). */
  readonly lease?: Lease;
}

/** A trial whose objective returned a loss. */
export interface CompleteTrial extends TrialBase {
  /** The objective returned a loss. */
  readonly state: 'complete';
  /** The loss the objective returned (lower is better, or higher in a maximize study). */
  readonly loss: number;
  /** Extra fields the objective returned next to its loss. */
  readonly attrs?: Readonly<Record<string, unknown>>;
  /** ISO time at which the trial ended. */
  readonly finishedAt: string;
}

/** A trial whose objective (or suggester) failed, with the reason. */
export interface FailedTrial extends TrialBase {
  /** The trial ended without a loss; `error` says why. */
  readonly state: 'failed';
  /** Why it failed: a stable code and a message. */
  readonly error: ErrorInfo;
  /** ISO time at which the trial ended. */
  readonly finishedAt: string;
}

/** A trial a pruner stopped early; its loss is the last intermediate value it reported. */
export interface PrunedTrial extends TrialBase {
  /** The study's pruner stopped the trial before its objective finished. */
  readonly state: 'pruned';
  /** Its last reported value (or the loss the objective returned when it stopped); absent when it reported none. */
  readonly loss?: number;
  /** Extra fields the objective returned when it stopped (`{loss, attrs}` after `shouldPrune()`). */
  readonly attrs?: Readonly<Record<string, unknown>>;
  /** ISO time at which the trial ended. */
  readonly finishedAt: string;
}

/** The last intermediate value of a trial (the highest step), or undefined. */
export const lastIntermediate = (trial: Trial): IntermediateValue | undefined => trial.intermediate?.at(-1);

/** A trial in any state. */
export type Trial = RunningTrial | CompleteTrial | FailedTrial | PrunedTrial;
/** A trial that has ended: complete, failed or pruned. Finished trials never change. */
export type FinishedTrial = CompleteTrial | FailedTrial | PrunedTrial;

/** How a trial ends, as given to `TrialStore.finishTrial`. */
export type TrialOutcome =
  | {
      /** The objective returned a loss. */
      readonly state: 'complete';
      /** The loss the objective returned. */
      readonly loss: number;
      /** Extra fields the objective returned next to its loss; absent when none. */
      readonly attrs?: Readonly<Record<string, unknown>>;
    }
  | {
      /** The trial ended without a loss. */
      readonly state: 'failed';
      /** Why it failed: a stable code and a message. */
      readonly error: ErrorInfo;
    }
  | {
      /** The pruner stopped the trial early. */
      readonly state: 'pruned';
      /** Its last reported value (or the loss the objective returned when it stopped); absent when it reported none. */
      readonly loss?: number;
      /** Extra fields the objective returned when it stopped; absent when none. */
      readonly attrs?: Readonly<Record<string, unknown>>;
    };

/**
 * Whether a trial ended without its objective running to an end, so that an enqueued entry it took waits again,
 * first in the queue, and every entry runs to an end once: the run was interrupted (`INTERRUPTED`) or its worker
 * is known to have died (`STALE_TRIAL`, unless only its lease lapsed: a worker on another host may still finish
 * it, and its result is then kept). Not when the run gave the entry up (`details.entrySkipped`: the last of
 * `ENTRY_ATTEMPTS` trials that took it and ended so). Every store applies this in `finishTrial` (the store
 * contract suite tests it).
 */
export const endedUnrun = (outcome: TrialOutcome): boolean =>
  outcome.state === 'failed' &&
  outcome.error.details?.entrySkipped !== true &&
  (outcome.error.code === 'INTERRUPTED' ||
    (outcome.error.code === 'STALE_TRIAL' && outcome.error.details?.lease !== 'lapsed'));

/**
 * How a pruned trial ends: with the last value it reported as its loss, if it reported any, and the attrs
 * its objective returned when it stopped, if any.
 */
export const prunedOutcome = (
  lastValue: number | undefined,
  attrs?: Readonly<Record<string, unknown>>,
): TrialOutcome => ({
  state: 'pruned',
  ...(lastValue === undefined ? {} : { loss: lastValue }),
  ...(attrs === undefined ? {} : { attrs }),
});

/**
 * An outcome as the columns of a table store keep it (`state`, `loss`, `attrs`, `error`), attrs and error
 * as plain values: each store encodes them in its own way (JSON text, a JSON column).
 */
export interface OutcomeFields {
  /** How the trial ended (a row of a running trial has no outcome to keep). */
  readonly state: 'complete' | 'failed' | 'pruned';
  /** The loss; null for a failed trial, and for a pruned one that reported no value. */
  readonly loss: number | null;
  /** Extra fields the objective returned; null when none, and always for a failed trial. */
  readonly attrs: Readonly<Record<string, unknown>> | null;
  /** Why the trial failed; null unless `state` is `failed`. */
  readonly error: ErrorInfo | null;
}

/** The fields that keep `outcome` (see {@link OutcomeFields}). */
export const outcomeFields = (outcome: TrialOutcome): OutcomeFields => ({
  state: outcome.state,
  loss: outcome.state === 'failed' ? null : (outcome.loss ?? null),
  attrs: outcome.state !== 'failed' && outcome.attrs !== undefined ? outcome.attrs : null,
  error: outcome.state === 'failed' ? outcome.error : null,
});

/**
 * The outcome a finished row's fields record: one rule for every table store. A complete row without a
 * loss reads NaN; a failed row without an error (a hand edit: Parzen never writes one) reads as such.
 */
export const outcomeFromFields = (fields: OutcomeFields): TrialOutcome => {
  if (fields.state === 'complete') {
    const loss = fields.loss ?? Number.NaN;
    return fields.attrs === null ? { state: 'complete', loss } : { state: 'complete', loss, attrs: fields.attrs };
  }
  if (fields.state === 'failed')
    return {
      state: 'failed',
      error: fields.error ?? { code: 'UNKNOWN', message: 'the store holds no error for this failed trial' },
    };
  return prunedOutcome(fields.loss ?? undefined, fields.attrs ?? undefined);
};

/** The value to minimise: the objective's value in a minimize study, its negation in a maximize study. */
export const lossToMinimize = (value: number, direction: Direction): number =>
  direction === 'maximize' ? -value : value;

/** Whether `candidate` is strictly better than `incumbent` in the study's direction. */
export const isBetter = (candidate: number, incumbent: number | undefined, direction: Direction): boolean =>
  incumbent === undefined || (direction === 'maximize' ? candidate > incumbent : candidate < incumbent);

/** The best complete trial (lowest number on ties), or undefined. */
export const bestTrial = (trials: readonly Trial[], direction: Direction): CompleteTrial | undefined => {
  let best: CompleteTrial | undefined;
  for (const trial of trials) {
    if (trial.state === 'complete' && isBetter(trial.loss, best?.loss, direction)) best = trial;
  }
  return best;
};
