import { limitInSeconds } from '../builtins/words.js';
import type { EvaluationContext, EvaluationResult, ObjectiveAdapter } from '../contracts/objective.js';
import type { ExternalParams } from '../domain/params.js';
import { describeValue } from '../errors.js';
import { thrownErrorInfo } from './interpret-result.js';
import { inTrialCall } from './process-exits.js';
import { strayErrorSource, watchStrayErrors } from './stray-errors.js';

const capitalised = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/**
 * The reason a caller gave `AbortController.abort(reason)`, as words: an Error's message or a string;
 * undefined for none (abort() without a reason gives a DOMException named AbortError).
 */
const callerReason = (reason: unknown): string | undefined => {
  if (reason === undefined || (reason instanceof Error && reason.name === 'AbortError')) return undefined;
  const text = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : '';
  // Its first line; nothing for an empty one (review 39: "interrupted ()").
  return text.split('\n')[0]?.trim() || undefined;
};

export interface EvaluateOptions {
  readonly trialNumber: number;
  /** The study's name, said when an objective on Parzen's thread calls `process.exit` after its trial ended. */
  readonly study?: string;
  /** The context's `seed` (see {@link EvaluationContext.seed}). */
  readonly seed: number;
  /** Per-trial time limit; the evaluation's signal aborts and the trial fails with `TIMEOUT`. */
  readonly timeoutMs?: number;
  /** The option that set `timeoutMs`, as written (`trialTimeoutSeconds: 1.5`), which the `TIMEOUT` message names. */
  readonly timeoutSetBy?: string;
  /** Aborts the evaluation from outside (an interrupted run); the trial fails with `INTERRUPTED`. */
  readonly interrupt?: AbortSignal;
  /** The trial's `report` and `shouldPrune` (see runtime/pruning.ts); default: reports go nowhere. */
  readonly pruning?: Pick<EvaluationContext, 'report' | 'shouldPrune'>;
  /** False: errors thrown outside the objective's call are left to the process (see `catchStrayErrors`). */
  readonly catchStrayErrors?: boolean;
  /**
   * Called when the objective is still running a second after its trial timed out (it ignores its signal):
   * nothing can stop a function on this thread, so it runs on beside the next trials (with
   * concurrency 1, ten evaluations can run at once).
   */
  readonly onAbandoned?: () => void;
  /**
   * Called with the evaluation's time when it returned a result after more than twice its time limit without
   * being stopped: its code held the thread (a synchronous loop), so the timer could not fire (a
   * 300 ms loop under a 50 ms limit ends `complete`). The result stands.
   */
  readonly onOverran?: (ms: number) => void;
}

/**
 * An objective adapter's result as the engine reads it; anything else fails the trial, naming the adapter
 * (review 76: `{ loss: 0 }` without a `status` crashed the run with a TypeError).
 */
const wellFormed = (objective: ObjectiveAdapter, result: unknown): EvaluationResult => {
  const shaped = result as { status?: unknown; loss?: unknown; error?: { code?: unknown; message?: unknown } } | null;
  if (typeof shaped === 'object' && shaped !== null) {
    if (shaped.status === 'ok' && typeof shaped.loss === 'number') return result as EvaluationResult;
    if (
      shaped.status === 'failed' &&
      typeof shaped.error === 'object' &&
      shaped.error !== null &&
      typeof shaped.error.code === 'string' &&
      typeof shaped.error.message === 'string'
    )
      return result as EvaluationResult;
  }
  return {
    status: 'failed',
    error: {
      code: 'OBJECTIVE_FAILED',
      message: `The objective \`${objective.name}\` returned ${describeValue(result)}; expected { status: 'ok', loss } or { status: 'failed', error: { code, message } } (a fault of the objective plugin).`,
    },
  };
};

/** Whether a result is the timer's, the interruption's or a crash's (not the objective's own). */
const stoppedBy = (result: EvaluationResult): boolean =>
  result.status === 'failed' && ['TIMEOUT', 'INTERRUPTED', 'OBJECTIVE_CRASHED'].includes(result.error.code);

/** How long after its timeout an objective still running counts as abandoned (see {@link EvaluateOptions.onAbandoned}). */
const ABANDONED_AFTER_MS = 1000;

/** How long the engine waits for the own result of an adapter that settles on abort (see `ObjectiveAdapter.settlesOnAbort`). */
export const ABORT_SETTLE_MS = 1000;

/**
 * A timer that fires more than this (ms) after it was due shows this process was held meanwhile (a CPU-starved
 * machine, a stopped process): what arrived in that time may still wait in the event loop's queue.
 */
export const PROCESS_HELD_LAG_MS = 50;

/** The clock {@link awaitOwnResult} reads and waits on; tests give their own. */
export interface SettleClock {
  /** Milliseconds, as `performance.now()`. */
  now(): number;
  /** A timer: `done` resolves once `ms` have passed, unless `cancel` is called first (then never). */
  sleep(ms: number): { readonly done: Promise<void>; cancel(): void };
  /** Resolves at the event loop's next turn, after the I/O already received (`setImmediate`). */
  turn(): Promise<void>;
}

const systemClock: SettleClock = {
  now: () => performance.now(),
  sleep: (ms) => {
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    return { done, cancel: () => clearTimeout(timer) };
  },
  turn: () => new Promise((resolve) => setImmediate(resolve)),
};

/**
 * What `work` settles to by `deadline` (a {@link SettleClock.now} time, counted from when the stop was asked), else
 * undefined. A result is never lost to the timer: when it fires, the event loop gets one more turn, so a result
 * whose I/O arrived in the same turn (the program's exit, read after the timers) is kept; and a timer that fired
 * late (this process was held, so the program's answer may wait in the queue unread) waits as long again as it
 * was late, up to `limitMs` in all, counted from when this process ran again.
 */
export const awaitOwnResult = async <T>(
  work: Promise<T>,
  deadline: number,
  limitMs: number,
  clock: SettleClock = systemClock,
): Promise<T | undefined> => {
  let settled: { readonly value: T } | undefined;
  const done = work.then((value) => {
    settled = { value };
    return settled;
  });
  let end = deadline;
  let extended = 0;
  for (;;) {
    const left = end - clock.now();
    if (left > 0) {
      const timer = clock.sleep(left);
      const won = await Promise.race([done, timer.done.then(() => undefined)]);
      timer.cancel();
      if (won !== undefined) return won.value;
      if (settled !== undefined) return settled.value;
    }
    // Past the end by more than a timer's lag: this process was held (before the wait began, too).
    const late = clock.now() - end;
    if (late <= PROCESS_HELD_LAG_MS || extended >= limitMs) break;
    const more = Math.min(late, limitMs - extended);
    extended += more;
    end = clock.now() + more;
  }
  await clock.turn();
  return settled?.value;
};

// Trial 130: a `trialTimeoutSeconds` TIMEOUT or an INTERRUPTED command trial lost the command, its stderr tail
// and a loss it had printed.
/**
 * The engine's TIMEOUT or INTERRUPTED failure with what the adapter's own result, once stopped, knew: its
 * details, and its message after the engine's. `stoppedAt`: when the stop was asked (`performance.now()`), from
 * which the wait is counted.
 */
const withAdapterAccount = async (
  stoppedResult: EvaluationResult,
  evaluation: Promise<EvaluationResult>,
  graceMs: number,
  stoppedAt: number,
): Promise<EvaluationResult> => {
  if (stoppedResult.status !== 'failed') return stoppedResult;
  const limit = ABORT_SETTLE_MS + graceMs;
  const own = await awaitOwnResult(evaluation, stoppedAt + limit, limit);
  if (own?.status !== 'failed') return stoppedResult;
  const { error } = stoppedResult;
  return {
    status: 'failed',
    error: {
      ...error,
      message: own.error.message === error.message ? error.message : `${error.message} ${own.error.message}`,
      ...(own.error.details === undefined ? {} : { details: { ...own.error.details, ...error.details } }),
    },
  };
};

/** The shortest bound on an objective's set-up (see `AdapterContext.setUp`): a set-up gets this or the trial's limit. */
export const SET_UP_BOUND_MS = 60_000;

/**
 * Runs one evaluation and always resolves: a throw, a timeout or an interruption is a failed result.
 * An adapter that ignores its signal is abandoned when the signal fires (its late answer is dropped).
 */
export const evaluateTrial = async (
  objective: ObjectiveAdapter,
  params: ExternalParams,
  options: EvaluateOptions,
): Promise<EvaluationResult> => {
  const controller = new AbortController();
  // On Parzen's thread, the abort runs as part of the trial's call: its listeners are the objective's, so a
  // process.exit in one is the trial's, not the host's (it ended the run, exit 0).
  let withinCall: (<U>(fn: () => U) => U) | undefined;
  const abort = (reason: Error) =>
    withinCall === undefined ? controller.abort(reason) : withinCall(() => controller.abort(reason));
  let timer: NodeJS.Timeout | undefined;
  let onInterrupt: (() => void) | undefined;
  let unwatch: (() => void) | undefined;
  let stop: ((result: EvaluationResult) => void) | undefined;
  const limit = options.timeoutMs !== undefined && Number.isFinite(options.timeoutMs) ? options.timeoutMs : undefined;
  // The limit's clock: what is left of it, and since when it runs (undefined while a set-up pauses it).
  let left = limit ?? 0;
  let runningSince: number | undefined;
  // When the engine stopped the evaluation (its time limit, the run's interruption): its wait for the adapter's own
  // result is counted from then.
  let stoppedAt: number | undefined;
  const timedOut = (message: string) => {
    stoppedAt = performance.now();
    // The trial's end first: an abort listener of the objective's that exits (to save and quit) then leaves it a
    // TIMEOUT, which is what happened, not OBJECTIVE_EXITED.
    stop?.({ status: 'failed', error: { code: 'TIMEOUT', message } });
    abort(new Error('timeout'));
  };
  // Set once the evaluation has its result: a set-up that ends later starts no clock.
  let over = false;
  const runClock = (ms: number, message: string) => {
    if (!over) timer = setTimeout(() => timedOut(message), ms);
  };
  const startLimit = () => {
    if (limit === undefined) return;
    runningSince = performance.now();
    // In seconds, with the option that set it, as the command objective's own limit says it (review 156: "1500 ms").
    const setBy = options.timeoutSetBy === undefined ? '' : ` (\`${options.timeoutSetBy}\`)`;
    runClock(left, `The objective ran past its time limit of ${limitInSeconds(limit)}${setBy}.`);
  };
  // Set-ups running now (see `AdapterContext.setUp`), and the time they took, which the limit leaves out.
  let settingUp = 0;
  let setUpMs = 0;
  let setUpSince = 0;
  const setUp = async <T>(
    work: Promise<T>,
    what = "the objective's set-up",
    how: { readonly bounded?: boolean } = {},
  ): Promise<T> => {
    if (limit === undefined || controller.signal.aborted) return work;
    if (settingUp++ === 0) {
      clearTimeout(timer);
      if (runningSince !== undefined) left -= performance.now() - runningSince;
      runningSince = undefined;
      setUpSince = performance.now();
      const bound = Math.max(limit, SET_UP_BOUND_MS);
      // An adapter's own bound (a module's loadTimeoutSeconds) ends it instead.
      if (how.bounded !== true)
        runClock(
          bound,
          `${capitalised(what)} took longer than ${limitInSeconds(bound)}: it is not counted in the trial's time limit ` +
            `(${limitInSeconds(limit)}), and is bounded by that limit or ${limitInSeconds(SET_UP_BOUND_MS)}, whichever is longer.`,
        );
    }
    try {
      return await work;
    } finally {
      if (--settingUp === 0 && !controller.signal.aborted) {
        clearTimeout(timer);
        setUpMs += performance.now() - setUpSince;
        startLimit();
      }
    }
  };
  // This trial's key for the stray errors its own call's code throws (see stray-errors.ts).
  const owner = {};
  const stopped = new Promise<EvaluationResult>((resolve) => {
    stop = resolve;
    if (objective.sharesThread === true && options.catchStrayErrors !== false) {
      unwatch = watchStrayErrors((error) => {
        abort(new Error('crashed'));
        const { message } = thrownErrorInfo(error);
        resolve({
          status: 'failed',
          error: {
            code: 'OBJECTIVE_CRASHED',
            message: `${capitalised(strayErrorSource(error))} while this trial ran: ${message}`,
          },
        });
      }, owner);
    }
    startLimit();
    onInterrupt = () => {
      stoppedAt = performance.now();
      const why = callerReason(options.interrupt?.reason);
      // The trial's end first, as for a timeout.
      resolve({
        status: 'failed',
        error: {
          code: 'INTERRUPTED',
          message: `The run was interrupted${why === undefined ? '' : ` (${why})`} while this trial was running.`,
        },
      });
      abort(new Error('interrupted'));
    };
    if (options.interrupt?.aborted) onInterrupt();
    else options.interrupt?.addEventListener('abort', onInterrupt, { once: true });
  });
  const began = performance.now();
  const call = () =>
    objective.evaluate(params, {
      trialNumber: options.trialNumber,
      seed: options.seed,
      signal: controller.signal,
      report: options.pruning?.report ?? (async () => {}),
      shouldPrune: options.pruning?.shouldPrune ?? (() => false),
      setUp,
    });
  // On Parzen's thread, `process.exit` from the call fails the trial instead of ending the run (see process-exits.ts).
  let endCall: (() => void) | undefined;
  const evaluation = (async (): Promise<EvaluationResult> => {
    try {
      let pending: Promise<EvaluationResult>;
      if (objective.sharesThread === true) {
        const fail = (message: string) => {
          abort(new Error('exited'));
          stop?.({ status: 'failed', error: { code: 'OBJECTIVE_EXITED', message } });
        };
        const inCall = inTrialCall({ trialNumber: options.trialNumber, study: options.study, owner }, fail, call);
        endCall = inCall.end;
        withinCall = inCall.within;
        pending = inCall.result;
      } else pending = call();
      const result: unknown = await pending;
      return wellFormed(objective, result);
    } catch (error) {
      return { status: 'failed', error: thrownErrorInfo(error) };
    }
  })();
  let running = true;
  // An adapter that settles on abort may take its own grace period to (a program given time after SIGTERM).
  const abortGraceMs = objective.settlesOnAbort === true ? Math.max(0, objective.abortGraceMs ?? 0) : 0;
  void evaluation.finally(() => {
    running = false;
  });
  try {
    const raced = await Promise.race([evaluation, stopped]);
    const result =
      running &&
      objective.settlesOnAbort === true &&
      raced.status === 'failed' &&
      raced.error.code !== 'OBJECTIVE_CRASHED'
        ? await withAdapterAccount(raced, evaluation, abortGraceMs, stoppedAt ?? performance.now())
        : raced;
    if (running && result.status === 'failed' && result.error.code === 'TIMEOUT' && options.onAbandoned !== undefined) {
      const { onAbandoned } = options;
      setTimeout(() => {
        if (running) onAbandoned();
      }, ABANDONED_AFTER_MS + abortGraceMs).unref();
    }
    const took = performance.now() - began - setUpMs;
    if (limit !== undefined && took > 2 * limit && !stoppedBy(result)) options.onOverran?.(took);
    return result;
  } finally {
    over = true;
    endCall?.();
    if (timer !== undefined) clearTimeout(timer);
    unwatch?.();
    if (onInterrupt !== undefined) options.interrupt?.removeEventListener('abort', onInterrupt);
  }
};
