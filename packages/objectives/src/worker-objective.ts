import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  clippedText,
  describeThrown,
  type EvaluationContext,
  type EvaluationResult,
  failedResult,
  interpretObjectiveValue,
  lateReportNote,
  lateStopNote,
  type ObjectiveAdapter,
  ParzenError,
  SET_UP_BOUND_MS,
  strayBetweenTrialsNote,
  thrownErrorInfo,
} from '@parzen/engine/plugin';
import { boundedLoad, neverSettled } from './load-bound.js';
import { isFileSpecifier, MissingExportError, MissingPackageError } from './load-module-export.js';
import type { ModuleWorkerData, ModuleWorkerReply, ModuleWorkerRequest } from './module-worker.js';
import { relayStdio } from './relay-stdio.js';
import { objectiveStdout, relayThreadChunk, stdioCounter } from './thread-stdio.js';

/** The built worker to start from sources, or false when there is none (decided once per process). */
let built: URL | false | undefined;

/**
 * How long a thread's output may take to reach a reader before the thread is terminated anyway: long, since
 * the process itself waits for a slow reader before it exits (review 57: after 10 s, output of a paused
 * reader was dropped, and the exit waited for the reader all the same); bounded, for a thread that cannot
 * answer (busy in a loop).
 */
const FLUSH_MS = 120_000;

/** How long an aborted objective has to honour its signal before its thread is terminated. */
const ABORT_GRACE_MS = 250;

/**
 * The built worker, when this package runs from its sources (the test runner) and every source file's
 * build is at least as new as it; undefined otherwise.
 */
const builtWorker = (): URL | undefined => {
  const sources = new URL('./', import.meta.url);
  const dist = new URL('../dist/', import.meta.url);
  for (const name of readdirSync(sources)) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
    const source = statSync(new URL(name, sources)).mtimeMs;
    const output = statSync(new URL(name.replace(/\.ts$/, '.js'), dist), { throwIfNoEntry: false })?.mtimeMs;
    if (output === undefined || output < source) return undefined;
  }
  return new URL('module-worker.js', dist);
};

/**
 * Starts the worker thread, its stdout and stderr relayed to the process's ({@link relayStdio}). Built code runs `module-worker.js`. From sources (the test runner) the
 * worker runs the built `module-worker.js` when the build is up to date (without the parent's source
 * conditions, so it loads the built engine too): importing the sources through tsx in every worker cost
 * about 0.2 s of CPU per worker. Otherwise it imports `module-worker.ts` through tsx.
 */
const startWorker = (data: ModuleWorkerData): Worker => {
  const worker = newWorker(data);
  relayStdio(worker.stdout, objectiveStdout());
  relayStdio(worker.stderr, process.stderr);
  return worker;
};

/** Parzen's worker script is not where this package's code is (a bundled program). */
export class WorkerScriptMissing extends Error {
  constructor() {
    super(
      "Parzen's worker script (module-worker.js of @parzen/objectives) is not beside its code: a bundler that inlined the package leaves it out. " +
        'Keep @parzen/objectives (or parzen) outside the bundle (esbuild --external), or run the objective on Parzen\'s thread ("isolate": "none").',
    );
  }
}

/** The thread itself (see {@link startWorker}), its stdout and stderr for the caller to relay. */
const newWorker = (data: ModuleWorkerData): Worker => {
  const stdio = { stdout: true, stderr: true } as const;
  const here = (import.meta as { url?: string }).url;
  const worker = here === undefined ? undefined : new URL('./module-worker.js', here);
  if (here === undefined || (!here.endsWith('.ts') && worker !== undefined && !existsSync(worker)))
    // A bundler that inlined this package leaves the worker's own script behind (trial 80: the message blamed
    // the user's module, "Cannot find module …/module-worker.js", or a bare TypeError in a CommonJS bundle).
    throw new WorkerScriptMissing();
  if (!here.endsWith('.ts')) return new Worker(worker as URL, { workerData: data, ...stdio });
  built ??= builtWorker() ?? false;
  if (built !== false) return new Worker(built, { workerData: data, execArgv: [], ...stdio });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const script = JSON.stringify(new URL('./module-worker.ts', here).href);
  const parent = JSON.stringify(here);
  return new Worker(`import(${tsx}).then((api) => (api.tsImport ?? api.default.tsImport)(${script}, ${parent}))`, {
    eval: true,
    workerData: data,
    ...stdio,
  });
};

const failed = failedResult;

/** What a thread's crash says: an Error's message, or the value a timer threw (trial 53: it said `undefined`). */
const crashMessage = (error: unknown): string =>
  error instanceof Error ? clippedText(String(error.message)) : `it threw ${describeThrown(error)}`;

/** A thread ended for its heap limit (trial 53: said to be a throw in a timer). */
const outOfMemory = (error: unknown): boolean =>
  (error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';

/** A trial its thread ended before taking up, with the reason the thread ended. */
interface NotStarted {
  readonly notStarted: string;
}

/** The count of output in flight shared by every module objective thread of the process. */
const sharedStdioCounter = stdioCounter();

/** One worker thread with the objective loaded; it runs one trial at a time. */
class ObjectiveThread {
  private readonly worker: Worker;
  /** Resolves once the objective is loaded; rejects with the loader's message. */
  readonly ready: Promise<void>;
  private readonly waiting = new Map<number, (reply: ModuleWorkerReply) => void>();
  private ended: ((how: { code: string; message: string }) => void) | undefined;
  /** What ended the thread from outside a trial's call (an Error, or any value a timer threw). */
  private crash: { readonly value: unknown } | undefined;
  /** Resolves the pending {@link ObjectiveThread.flush}. */
  private flushed: (() => void) | undefined;
  alive = true;
  /** Whether the objective has loaded (a thread still loading cannot answer a flush). */
  private loadedYet = false;

  /**
   * The output posted and not yet taken, one count for every thread of the process (see `thread-stdio.ts`):
   * the limit bounds their memory together (review 59: per thread, 8 threads held 2 GB for a paused reader).
   */
  private readonly inFlight = sharedStdioCounter;
  /** Told of a report made after its trial ended, once per trial (the objective's warning, set by its owner). */
  onLateReport: ((trialNumber: number, step: unknown, value: unknown) => void) | undefined;
  /** Told of a report the objective did not await, refused after its trial returned (the objective's warning). */
  onLateRefusal: ((error: Error) => void) | undefined;
  /** Told of an error a timer or callback of an ended trial threw, as the warning to give (the thread goes on). */
  onLateThrow: ((note: string) => void) | undefined;

  constructor(data: ModuleWorkerData) {
    this.worker = startWorker({ ...data, inFlight: this.inFlight });
    let loaded: (() => void) | undefined;
    let loadFailed: ((error: Error) => void) | undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      loaded = resolve;
      loadFailed = reject;
    });
    // Held while it loads: a thread that ends while loading (process.exit, a top-level await that never
    // settles) must be heard, not leave Parzen's own awaits unsettled (Node's silent exit 13). Then let go,
    // its stdio too, so an idle thread does not keep the process alive (an objective made and never closed,
    // as one `fmin` refused, held a program open).
    this.ready.then(
      () => {
        this.loadedYet = true;
        this.release();
      },
      () => undefined,
    );
    this.worker.on('message', (reply: ModuleWorkerReply) => {
      if (reply.type === 'stdio') relayThreadChunk(reply, this.inFlight);
      else if (reply.type === 'ready') loaded?.();
      else if (reply.type === 'flushed') this.flushed?.();
      else if (reply.type === 'load-failed')
        loadFailed?.(
          reply.missing !== undefined
            ? new MissingExportError(reply.message, data.exportName, reply.missing.functions, reply.missing.found)
            : reply.missingPackage === true
              ? new MissingPackageError(reply.message, data.path)
              : Object.assign(new Error(reply.message), reply.stack === undefined ? {} : { stack: reply.stack }),
        );
      else if (reply.type === 'late-report') this.onLateReport?.(reply.trialNumber, reply.step, reply.value);
      else if (reply.type === 'late-throw') this.onLateThrow?.(reply.note);
      else if (reply.type === 'late-refusal')
        this.onLateRefusal?.(
          reply.code === undefined
            ? new Error(reply.message)
            : new ParzenError(reply.code, reply.message, { issues: reply.issues ?? [] }),
        );
      else this.waiting.get(reply.id)?.(reply);
    });
    this.worker.on('error', (error: unknown) => {
      this.crash = { value: error };
      loadFailed?.(new Error(`Objective module \`${data.path}\` failed to load: ${crashMessage(error)}`));
    });
    this.worker.on('exit', (exitCode) => {
      this.alive = false;
      loadFailed?.(
        new Error(
          exitCode === 13
            ? neverSettled(data.path)
            : `Objective module \`${data.path}\` ended its thread while loading (exit code ${exitCode}: process.exit(${exitCode}) at its top level?).`,
        ),
      );
      this.ended?.(
        this.crash === undefined
          ? {
              code: 'OBJECTIVE_EXITED',
              message: `The objective ended its worker thread (process.exit(${exitCode})?) during the trial; only the trial failed.`,
            }
          : {
              code: 'OBJECTIVE_CRASHED',
              message: outOfMemory(this.crash.value)
                ? `The objective ran out of memory (its worker thread's JS heap limit; node --max-old-space-size raises it): ${crashMessage(this.crash.value)}`
                : `The objective threw outside the trial's call (in a timer or callback?): ${crashMessage(this.crash.value)}`,
            },
      );
    });
  }

  /**
   * Runs one trial; always resolves. An abort terminates the thread if the objective ignores its signal.
   * The objective's reports are passed to `context.report` one at a time, in order; each is answered with
   * `context.shouldPrune()` once stored. The result waits for the reports before it.
   */
  evaluate(
    id: number,
    params: unknown,
    context: EvaluationContext,
    onLateStop?: (step: number) => void,
  ): Promise<EvaluationResult | NotStarted> {
    const { trialNumber, seed, signal } = context;
    let reports = Promise.resolve();
    // The step of the first report the pruner answered with stop.
    let toldAt: number | undefined;
    const answer = async (reply: Extract<ModuleWorkerReply, { type: 'report' }>) => {
      try {
        await context.report(reply.step as number, reply.value as number);
        if (context.shouldPrune()) toldAt ??= reply.step as number;
        this.post({ type: 'reported', id, seq: reply.seq, prune: context.shouldPrune() });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const refusal = error instanceof ParzenError ? { code: error.code, issues: [...error.issues] } : {};
        this.post({ type: 'report-failed', id, seq: reply.seq, message, ...refusal });
      }
    };
    return new Promise((resolve) => {
      let grace: NodeJS.Timeout | undefined;
      let settled = false;
      let started = false;
      const settle = (result: EvaluationResult | NotStarted) => {
        if (settled) return; // a result waiting for reports can come after the thread was stopped
        settled = true;
        this.waiting.delete(id);
        this.ended = undefined;
        if (grace !== undefined) clearTimeout(grace);
        signal.removeEventListener('abort', onAbort);
        this.worker.unref();
        resolve(result);
      };
      // An objective told to stop only after it ended (its reports not awaited, as a synchronous loop's)
      // was stopped by nothing: its result stands (review 56: it was stored pruned, its loss or error lost).
      const ended = (result: EvaluationResult, reply: { readonly sawPrune?: boolean }) => {
        if (reply.sawPrune !== false || toldAt === undefined) {
          settle(result);
          return;
        }
        onLateStop?.(toldAt);
        settle({ ...result, finishedBeforePrune: true });
      };
      const onAbort = () => {
        this.post({ type: 'abort', id });
        grace = setTimeout(() => {
          this.terminate();
          settle(failed('INTERRUPTED', 'The objective was stopped: its worker thread was terminated.'));
        }, ABORT_GRACE_MS);
      };
      this.waiting.set(id, (reply) => {
        if (reply.type === 'started') started = true;
        else if (reply.type === 'report') reports = reports.then(() => answer(reply));
        else if (reply.type === 'result') void reports.then(() => ended(interpretObjectiveValue(reply.value), reply));
        else if (reply.type === 'failed')
          void reports.then(() => ended(failed(reply.code, reply.message, reply.details), reply));
        else if (reply.type === 'threw') {
          const { code, message } = thrownErrorInfo(reply.error);
          void reports.then(() => ended(failed(code, message), reply));
        }
      });
      // A thread that ends before it took up the trial ended for an earlier trial's sake (a stray throw
      // after that trial returned): this trial never ran, and runs again on a new thread.
      this.ended = (how) =>
        settle(started || signal.aborted ? failed(how.code, how.message) : { notStarted: how.message });
      this.worker.ref();
      this.post({ type: 'evaluate', id, params, trialNumber, seed });
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  terminate(): void {
    this.alive = false;
    void this.worker.terminate();
  }

  /** An idle thread kept for later: it no longer keeps the process alive, its stdio included. */
  release(): void {
    this.worker.unref();
    releaseStdio(this.worker);
  }

  /**
   * Resolves once what the thread wrote on stdout and stderr has been taken and relayed (see
   * `flushStdio` in the worker), or after `ms` (a reader that does not read), or when the thread ends.
   */
  async flush(ms: number): Promise<void> {
    // A thread still loading its module would not answer until it has loaded, maybe never (review 83: a
    // close waited 120 s for one): what it printed so far is relayed as it comes, and it is ended.
    if (!this.alive || !this.loadedYet) return;
    // One deadline for both waits (review 57: each had its own, so twice as long as said).
    const deadline = performance.now() + ms;
    let timer: NodeJS.Timeout | undefined;
    let ended: (() => void) | undefined;
    const taken = new Promise<void>((resolve) => {
      this.flushed = resolve;
      timer = setTimeout(resolve, ms);
      ended = () => resolve();
      this.worker.once('exit', ended);
      this.post({ type: 'flush' });
    });
    await taken;
    // A kept thread is flushed once per study (trial 64: a listener left per flush, Node's leak warning at 11).
    this.worker.off('exit', ended as () => void);
    // Taken by the main thread: wait for the relay to pass on what it holds.
    while (
      (this.worker.stdout.readableLength > 0 ||
        this.worker.stderr.readableLength > 0 ||
        Atomics.load(this.inFlight, 0) > 0) &&
      performance.now() < deadline &&
      !process.stdout.destroyed
    )
      await new Promise((resolve) => setTimeout(resolve, 10));
    clearTimeout(timer);
    this.flushed = undefined;
  }

  private post(request: ModuleWorkerRequest): void {
    this.worker.postMessage(request);
  }
}

/**
 * Numbers the evaluations sent to threads, across every objective in the process: a kept thread's late
 * message from an earlier study's trial (an unawaited report) can never be taken for a later study's.
 */
let nextEvaluationId = 0;

/** How many loaded, unused threads a process keeps for later objectives of the same module. */
const KEPT_THREADS = 8;

/**
 * Threads whose `reuseThreads` objective was closed with them alive and idle, by module, oldest first. The
 * next such objective of the same module in this process (the next variant of a batch, the next study a
 * program runs) takes one instead of starting a thread and loading the module again (about 70 ms of CPU
 * each; a 40-variant batch started 40). They are unreferenced: they never keep the process alive.
 */
const kept: { readonly key: string; readonly thread: ObjectiveThread }[] = [];

/**
 * What a kept thread must match to be reused: the module, the export, the folder it is resolved from, for
 * a file its modification time and size (a file edited since is loaded afresh), and the environment
 * variables (a thread gets a copy of them when it starts, so a program that changed them between studies
 * gets a new thread). Undefined (nothing kept) for a file that does not exist.
 */
const moduleKey = (data: ModuleWorkerData): string | undefined => {
  let stamp = '';
  if (isFileSpecifier(data.path)) {
    const stats = statSync(resolve(data.baseDir, data.path), { throwIfNoEntry: false });
    if (stats === undefined) return undefined;
    stamp = `${stats.mtimeMs}:${stats.size}`;
  }
  const env = createHash('sha256')
    .update(JSON.stringify(Object.entries(process.env)))
    .digest('hex');
  return JSON.stringify([data.path, data.exportName, data.baseDir, stamp, env]);
};

/** A kept thread of this module that is still alive, taken out of the kept ones; undefined when none. */
const takeKept = (key: string | undefined): ObjectiveThread | undefined => {
  if (key === undefined) return undefined;
  for (let index = kept.length - 1; index >= 0; index--) {
    const entry = kept[index] as (typeof kept)[number];
    if (!entry.thread.alive) kept.splice(index, 1);
    else if (entry.key === key) {
      kept.splice(index, 1);
      return entry.thread;
    }
  }
  return undefined;
};

/**
 * Lets a kept thread's stdout and stderr stop holding the process open. Reading a thread's stdio (we relay
 * what it wrote there) refs the thread's internal message port until the streams end, which for a thread kept
 * alive is never; `worker.unref()` does not reach that port (Node 20, and Node's current source), so a program whose studies used
 * `reuseThreads` never exited once they were done (trial 134: `runExperiment`, `runCli` in a script). The port
 * is found by its symbol's name; a Node without it leaves the thread as it was.
 */
const releaseStdio = (worker: Worker): void => {
  const symbol = Object.getOwnPropertySymbols(worker).find((own) => own.description === 'kPort');
  const port = symbol === undefined ? undefined : (worker as unknown as Record<symbol, unknown>)[symbol];
  if (typeof (port as { unref?: unknown } | undefined)?.unref === 'function') (port as { unref(): void }).unref();
};

/** Keeps an idle thread for a later objective of its module, terminating the oldest beyond the limit. */
const keep = (key: string, thread: ObjectiveThread): void => {
  thread.release();
  kept.push({ key, thread });
  while (kept.length > KEPT_THREADS) kept.shift()?.thread.terminate();
};

/** A thread's load, rejected when `signal` aborts first (a load that never ends must not hold the trial). */
const loadedOrStopped = (thread: ObjectiveThread, signal: AbortSignal): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(new Error('stopped while loading'));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    thread.ready.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });

/**
 * A `module` objective run in worker threads (the default, `isolate: "worker"`): the function is loaded
 * in a thread, reused across trials (one thread per trial running at once). Because the objective does
 * not run on Parzen's own thread, Ctrl-C, SIGTERM and the trial timeout are handled while it computes,
 * even in a synchronous loop; a timeout or a second Ctrl-C terminates its thread. `process.exit()` inside
 * the objective ends only its thread (the trial fails with `OBJECTIVE_EXITED`), and an uncaught throw in
 * a timer its call started fails the trial (`OBJECTIVE_CRASHED`), not the run; one from a trial that has ended (a
 * timer it left behind) is a warning naming that trial, and the thread goes on with the trial it runs. A thread that ended is replaced for the next
 * trial. Params go in and results come back by structured clone (plain data). With `reuseThreads`,
 * closing it keeps its idle threads for the next such objective of the same unchanged module in this
 * process (see `kept`); otherwise it terminates them.
 */
export const createWorkerObjective = async (
  data: ModuleWorkerData,
  options: {
    readonly reuseThreads: boolean;
    readonly warn?: (message: string) => void;
    /** How long a thread may load the module before it is ended, the first and each later one (default 60 s). */
    readonly loadBoundMs?: number;
  } = { reuseThreads: false },
): Promise<ObjectiveAdapter> => {
  const key = options.reuseThreads ? moduleKey(data) : undefined;
  const loadBoundMs = options.loadBoundMs ?? SET_UP_BOUND_MS;
  const idle: ObjectiveThread[] = [];
  let warnedLateStop = false;
  const warn = options.warn ?? ((message: string) => process.stderr.write(`parzen: warning: ${message}\n`));
  const all = new Set<ObjectiveThread>();
  const spawn = () => {
    const thread = takeKept(key) ?? new ObjectiveThread(data);
    thread.onLateReport = (trialNumber, step, value) => warn(lateReportNote(trialNumber, step, value));
    thread.onLateRefusal = (error) => warn(strayBetweenTrialsNote(error));
    thread.onLateThrow = warn;
    all.add(thread);
    return thread;
  };
  // The first thread loads the module now, so a missing file or export is an error before any trial; bounded, as
  // a later thread's load is, so top-level code that never ends (a loop) does not hang the run or `validate`.
  const first = spawn();
  try {
    await boundedLoad(first.ready, data.path, loadBoundMs, { warn, onThisThread: false });
  } catch (error) {
    first.terminate();
    throw error;
  }
  idle.push(first);
  return {
    name: 'module',
    async evaluate(params, context) {
      for (let attempt = 1; ; attempt++) {
        let thread = idle.pop();
        while (thread !== undefined && !thread.alive) thread = idle.pop();
        if (thread === undefined) {
          thread = spawn();
          // Its load is the trial's set-up, outside the trial's time limit (trial 76: threads loading for 1-2 s
          // failed trials that take 50 ms under a 0.5 s limit), and ends when the trial is stopped; bounded by
          // loadTimeoutSeconds as the first thread's is (it was the trial's limit or 60 s, and nothing without a limit).
          const loading = thread;
          const load = boundedLoad(loadedOrStopped(loading, context.signal), data.path, loadBoundMs, {
            onThisThread: false,
          });
          try {
            await (context.setUp?.(load, "loading the objective's module in a worker thread", { bounded: true }) ??
              load);
          } catch (error) {
            loading.terminate();
            all.delete(loading);
            return context.signal.aborted
              ? failed('INTERRUPTED', 'The objective was stopped while its worker thread was loading the module.')
              : failed('OBJECTIVE_LOAD_FAILED', (error as Error).message);
          }
        }
        const result = await thread.evaluate(nextEvaluationId++, params, context, (step) => {
          if (warnedLateStop) return;
          warnedLateStop = true;
          warn(lateStopNote(context.trialNumber, step));
        });
        if (thread.alive) idle.push(thread);
        else all.delete(thread);
        if (!('notStarted' in result)) return result;
        // A module whose threads end on their own, even before any trial (a timer that throws at load).
        if (attempt >= 3)
          return failed(
            'OBJECTIVE_CRASHED',
            `Its worker thread ended before it could run the trial, ${attempt} times: ${result.notStarted}`,
          );
        (options.warn ?? ((message: string) => process.stderr.write(`parzen: ${message}\n`)))(
          `the objective's worker thread ended between trials (${result.notStarted}); trial #${context.trialNumber} runs on a new thread. ` +
            "An error thrown outside every trial's code (a timer the module started as it loaded, say) is not counted against any trial.",
        );
      }
    },
    async close() {
      const unused = new Set(idle);
      const ending = [...all].filter((thread) => !(key !== undefined && thread.alive && unused.has(thread)));
      // What the threads printed reaches stdout before they end (trial 53), or are kept for the next study
      // (review 57: kept threads were never asked, and a matrix lost its last trial's lines).
      await Promise.all([...all].map((thread) => thread.flush(FLUSH_MS)));
      for (const thread of all) {
        if (ending.includes(thread)) thread.terminate();
        else keep(key as string, thread);
      }
      all.clear();
      idle.length = 0;
    },
  };
};
