/**
 * The worker thread of a `module` objective (see `worker-objective.ts`): loads the objective function
 * once, then answers one message per trial. Everything it sends is structured-cloned data.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import {
  type ConfigIssue,
  type ErrorCode,
  ParzenError,
  strayBetweenTrialsNote,
  thrownErrorInfo,
} from '@parzen/engine/plugin';
import { loadModuleExport, MissingExportError, MissingPackageError } from './load-module-export.js';
import { type StdioChunk, sendStdioThrough } from './thread-stdio.js';

/** What the worker is started with. */
export interface ModuleWorkerData {
  readonly path: string;
  readonly exportName: string;
  readonly baseDir: string;
  /** The count of output in flight, shared with the main thread (see `thread-stdio.ts`). */
  readonly inFlight?: Int32Array;
}

/**
 * A message to the worker: evaluate params, abort an evaluation (its signal fires), or answer a report
 * (stored, with the pruner's decision; or refused, with why).
 */
export type ModuleWorkerRequest =
  | {
      readonly type: 'evaluate';
      readonly id: number;
      readonly params: unknown;
      readonly trialNumber: number;
      readonly seed: number;
    }
  | { readonly type: 'abort'; readonly id: number }
  | { readonly type: 'reported'; readonly id: number; readonly seq: number; readonly prune: boolean }
  | {
      readonly type: 'report-failed';
      readonly id: number;
      readonly seq: number;
      readonly message: string;
      /** The refusal's code and issues (`REPORT_INVALID` for a NaN), thrown to the objective as in-process. */
      readonly code?: ErrorCode;
      readonly issues?: readonly ConfigIssue[];
    }
  /** Before the thread is terminated: answer `flushed` once what it wrote on stdout and stderr has been taken. */
  | { readonly type: 'flush' };

/** A message from the worker. */
export type ModuleWorkerReply =
  | { readonly type: 'ready' }
  | StdioChunk
  | { readonly type: 'flushed' }
  | {
      readonly type: 'load-failed';
      readonly message: string;
      /** The stack of what the module threw (or the loader's refusal), for the host's error: the module's place, not Parzen's. */
      readonly stack?: string;
      /** Set when the module loaded without the named function (see {@link MissingExportError}). */
      readonly missing?: { readonly functions: readonly string[]; readonly found: string };
      /** Set when the specifier names no package there (see {@link MissingPackageError}). */
      readonly missingPackage?: true;
    }
  /** The thread took up a trial: a thread that ends before saying so never ran it. */
  | { readonly type: 'started'; readonly id: number }
  /**
   * A report the objective did not await, refused by Parzen after its trial had returned: said by the host as on
   * Parzen's thread (nothing is left to throw it to).
   */
  | {
      readonly type: 'late-refusal';
      readonly message: string;
      readonly code?: ErrorCode;
      readonly issues?: readonly ConfigIssue[];
    }
  /**
   * An error thrown by a timer or callback of a trial that had ended (known by its async context): the thread goes on,
   * the trial running now is not failed for it, and the host says `note` as a warning.
   */
  | { readonly type: 'late-throw'; readonly note: string }
  /** A report made after its trial ended (a callback that fired late): not stored, said by the host, once a trial. */
  | { readonly type: 'late-report'; readonly trialNumber: number; readonly step: unknown; readonly value: unknown }
  | {
      readonly type: 'report';
      readonly id: number;
      readonly seq: number;
      readonly step: unknown;
      readonly value: unknown;
    }
  | {
      readonly type: 'result';
      readonly id: number;
      readonly value: unknown;
      /** Whether the objective had been told to stop (`shouldPrune()` true) when it ended. */
      readonly sawPrune?: boolean;
    }
  /** A result judged here because it could not leave the thread (attrs that are not JSON, say). */
  | {
      readonly type: 'failed';
      readonly id: number;
      readonly code: string;
      readonly message: string;
      readonly details?: Readonly<Record<string, unknown>>;
      readonly sawPrune?: boolean;
    }
  | { readonly type: 'threw'; readonly id: number; readonly error: unknown; readonly sawPrune?: boolean };

const port = parentPort;
const { path, exportName, baseDir, inFlight } = workerData as ModuleWorkerData;
// Before the module loads, so what it prints at load time goes the same way.
if (port !== null && inFlight !== undefined) sendStdioThrough(port, inFlight);

const send = (reply: ModuleWorkerReply): void => {
  try {
    port?.postMessage(reply);
  } catch (error) {
    // The objective returned (or threw) something structured clone cannot copy: a function, a class instance.
    if (reply.type === 'result' || reply.type === 'threw') {
      const message = `The objective ${reply.type === 'result' ? 'returned' : 'threw'} a value that cannot leave its worker thread (${(error as Error).message}); return a number or { loss, ...plain data }.`;
      port?.postMessage({ type: 'threw', id: reply.id, error: new Error(message) } satisfies ModuleWorkerReply);
    } else throw error;
  }
};

/**
 * Whether a result holds an object that is not a plain object or an array (a class instance, a Date, a
 * Map): structured clone would copy it as something else, so it is judged here instead, where it fails as
 * it does on Parzen's thread. Only a trigger: the judgement is the engine's.
 */
const hasClassObject = (value: unknown, depth = 0): boolean => {
  if (value === null || typeof value !== 'object' || depth > 100) return false;
  const prototype = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return true;
  return Object.values(value).some((inner) => hasClassObject(inner, depth + 1));
};

/**
 * Posts what the objective returned. A value structured clone cannot copy (a function in its attrs), or
 * would copy as something else (a class instance), is judged here, as Parzen's thread judges a value it receives (`OBJECTIVE_BAD_ATTRS`, say), so a trial
 * fails the same way whether or not it runs in a worker; the engine is loaded only then.
 */
const sendResult = async (id: number, value: unknown, sawPrune: boolean): Promise<void> => {
  if (!hasClassObject(value)) {
    try {
      port?.postMessage({ type: 'result', id, value, sawPrune } satisfies ModuleWorkerReply);
      return;
    } catch {
      // Judged below.
    }
  }
  const { interpretObjectiveValue } = await import('@parzen/engine/plugin');
  const judged = interpretObjectiveValue(value);
  if (judged.status === 'failed') {
    const { code, message, details } = judged.error;
    port?.postMessage({
      type: 'failed',
      id,
      code,
      message,
      ...(details === undefined ? {} : { details }),
      sawPrune,
    } satisfies ModuleWorkerReply);
  } else send({ type: 'result', id, value, sawPrune });
};

/**
 * Waits until what this thread wrote on stdout and stderr has been taken by the main thread: a write's
 * callback comes once the main thread has taken the chunk, and an empty write's after every earlier one.
 * Asked before the thread is terminated (trial 53: through a pipe, whole trials' lines were lost when the
 * run ended and its threads with it).
 */
const flushStdio = async (): Promise<void> => {
  const pending = [process.stdout, process.stderr].filter((stream) => stream.writableLength > 0);
  await Promise.all(pending.map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
};

/** One running trial in this thread: its signal, its reports waiting for an answer, the latest prune decision. */
interface RunningTrial {
  readonly controller: AbortController;
  readonly waiting: Map<number, { resolve: () => void; reject: (error: Error) => void; readonly called: object }>;
  prune: boolean;
  /** The objective returned or threw: a report now is late (said once, settled at once). */
  ended?: boolean;
  warnedLate?: boolean;
}

/**
 * The second argument of the objective in this thread: `report` posts the value to Parzen's thread and
 * resolves when it has been stored and judged; `shouldPrune()` returns the decision of the latest answered
 * report, synchronously.
 */
const trialContext = (id: number, trialNumber: number, seed: number, trial: RunningTrial) => {
  let seq = 0;
  const report = (step: number, value: number): Promise<void> => {
    // After the trial: not stored, as in-process (review 133: nobody answered it, so awaiting it hung).
    if (trial.ended === true) {
      if (trial.warnedLate !== true) port?.postMessage({ type: 'late-report', trialNumber, step, value });
      trial.warnedLate = true;
      return Promise.resolve();
    }
    // Where the objective called report(): a refusal is thrown from there (trial 167: it was said to be thrown
    // at this thread's message handler, a line of Parzen's own).
    const called = {};
    Error.captureStackTrace(called, report);
    return new Promise<void>((resolve, reject) => {
      const at = seq++;
      trial.waiting.set(at, { resolve, reject, called });
      try {
        port?.postMessage({ type: 'report', id, seq: at, step, value } satisfies ModuleWorkerReply);
      } catch (error) {
        trial.waiting.delete(at);
        reject(error);
      }
    });
  };
  return { trialNumber, seed, signal: trial.controller.signal, report, shouldPrune: (): boolean => trial.prune };
};

/**
 * Settles the report a `reported` or `report-failed` answer is for. A refusal that comes after the trial returned
 * (the objective did not await the report) goes to the host to be said, as a warning: rejecting it here, where
 * nothing awaits it, would end the thread.
 */
const answerReport = (
  trial: RunningTrial | undefined,
  answer: Extract<ModuleWorkerRequest, { type: 'reported' | 'report-failed' }>,
): void => {
  const waiting = trial?.waiting.get(answer.seq);
  if (trial === undefined || waiting === undefined) return;
  trial.waiting.delete(answer.seq);
  if (trial.ended === true) {
    if (answer.type === 'report-failed') {
      const { message, code, issues } = answer;
      send({
        type: 'late-refusal',
        message,
        ...(code === undefined ? {} : { code }),
        ...(issues === undefined ? {} : { issues }),
      });
    } else waiting.resolve();
    return;
  }
  // As a ParzenError with its code when it has one, as `context.report` throws in-process (review 132: a plain
  // Error in a worker, so `error.code === 'REPORT_INVALID'` held only with isolate "none").
  if (answer.type === 'report-failed') {
    const error =
      answer.code === undefined
        ? new Error(answer.message)
        : new ParzenError(answer.code, answer.message, { issues: answer.issues ?? [] });
    const frames = (waiting.called as { stack?: unknown }).stack;
    if (typeof frames === 'string')
      error.stack = `${error.name}: ${error.message}${frames.slice(frames.indexOf('\n'))}`;
    waiting.reject(error);
  } else {
    trial.prune = answer.prune;
    waiting.resolve();
  }
};

/** The trial whose call (or a timer, callback or promise it started) runs now in this thread, by async context. */
const calls = new AsyncLocalStorage<{ readonly trialNumber: number; readonly trial: RunningTrial }>();

/**
 * An error thrown outside a trial's call. From a trial that has ended (a timer it left behind): said by the host as a
 * warning naming that trial, and the thread goes on with the trial it runs now, which did nothing wrong. From the
 * running trial's own code, or from no trial's: thrown on, so the thread ends as Node ends it, and the host fails the
 * trial running (`OBJECTIVE_CRASHED`), or replaces the thread between trials. A module with a listener of its own
 * handles such errors itself, as it did before this one.
 */
const onStray = (error: unknown): void => {
  if (process.listenerCount('uncaughtException') > 1) return;
  const call = calls.getStore();
  if (call?.trial.ended !== true) throw error;
  send({ type: 'late-throw', note: strayBetweenTrialsNote(error, call.trialNumber) });
};

try {
  const objective = await loadModuleExport(path, exportName, baseDir);
  process.on('uncaughtException', onStray);
  const running = new Map<number, RunningTrial>();
  // Trials that returned with reports not yet answered (not awaited): kept until their answers come.
  const answering = new Map<number, RunningTrial>();
  port?.on('message', async (request: ModuleWorkerRequest) => {
    if (request.type === 'flush') {
      await flushStdio();
      send({ type: 'flushed' });
      return;
    }
    if (request.type === 'abort') {
      running.get(request.id)?.controller.abort(new Error('aborted'));
      return;
    }
    if (request.type === 'reported' || request.type === 'report-failed') {
      answerReport(running.get(request.id) ?? answering.get(request.id), request);
      const ended = answering.get(request.id);
      if (ended !== undefined && ended.waiting.size === 0) answering.delete(request.id);
      return;
    }
    const trial: RunningTrial = { controller: new AbortController(), waiting: new Map(), prune: false };
    running.set(request.id, trial);
    send({ type: 'started', id: request.id });
    try {
      const { trialNumber } = request;
      const context = trialContext(request.id, trialNumber, request.seed, trial);
      const value = await calls.run({ trialNumber, trial }, () => objective(request.params, context));
      await sendResult(request.id, value, trial.prune);
    } catch (error) {
      const sawPrune = trial.prune;
      // An Error is described here, where its class, own code and stack still are (trial 54): sent as it
      // is, it would arrive as its message alone.
      // Any other value too (`throw undefined`, a Symbol, which cannot leave the thread), as Parzen's thread says it.
      send({ type: 'failed', id: request.id, ...thrownErrorInfo(error), sawPrune });
    } finally {
      trial.ended = true;
      running.delete(request.id);
      if (trial.waiting.size > 0) answering.set(request.id, trial);
    }
  });
  send({ type: 'ready' });
} catch (error) {
  // The innermost cause: what the module itself threw (the loader's message wraps it).
  let own: unknown = error;
  while (own instanceof Error && own.cause instanceof Error) own = own.cause;
  send({
    type: 'load-failed',
    message: error instanceof Error ? error.message : String(error),
    ...(own instanceof Error && typeof own.stack === 'string' ? { stack: own.stack } : {}),
    ...(error instanceof MissingExportError ? { missing: { functions: error.functions, found: error.found } } : {}),
    ...(error instanceof MissingPackageError ? { missingPackage: true } : {}),
  });
}
