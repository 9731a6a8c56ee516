import { AsyncLocalStorage } from 'node:async_hooks';
import { writeSync } from 'node:fs';
import { clippedText } from '../builtins/words.js';
import { thrownAt } from '../errors.js';
import { describeThrown } from './interpret-result.js';

/**
 * `process.exit()` called by an objective on Parzen's own thread (a function objective, a `module` objective with
 * `isolate: "none"`). Node would end the run at once with the objective's exit code (0: a run that looks like a
 * success, its trial left running); so would a config's plugin module, loaded on this thread whatever the
 * objective. Instead, while a run is in progress (or such a module loads), `process.exit` is replaced by a function
 * that asks who called it, by async context (the trial's call, and the timers and promises it started, carry the
 * trial):
 * - from a trial whose call is still in progress: that trial fails (`OBJECTIVE_EXITED`) and the call throws where
 *   it stood, so the objective stops there; the run goes on;
 * - from a trial that has ended (a timer or callback it left behind): the process ends as asked, since nothing
 *   can fail a trial that is over, but with a line on stderr naming the trial and exit code 1; so does one from a
 *   timer a module started as it loaded (see {@link inModuleLoad}), naming the module;
 * - from anything else (the host program, Parzen's own signal handling): the real `process.exit`.
 * Outside a run `process.exit` is Node's own.
 */

/** A trial's call on Parzen's thread, as its timers and promises see it. */
interface TrialCall {
  readonly trialNumber: number;
  readonly study: string | undefined;
  /** Set once the trial has its result. */
  ended: boolean;
  /** Fails the trial (first call wins). */
  readonly fail: (message: string) => void;
  /** Who watches this trial's stray errors (see `stray-errors.ts`), when someone does. */
  readonly owner: object | undefined;
}

const calls = new AsyncLocalStorage<TrialCall>();

/** A module's load on Parzen's thread (see {@link inModuleLoad}), as its code sees it. */
interface LoadCall {
  /** The module, as a load's message names it (`Objective module \`./x.mjs\``). */
  readonly what: string;
  /** Set once the load has its outcome. */
  ended: boolean;
  /** Refuses the load (first call wins). */
  readonly refuse: (error: Error) => void;
  /** Refuses the load for an error a timer or callback of its threw (first call wins). */
  readonly strayed: (error: unknown) => void;
}

const loads = new AsyncLocalStorage<LoadCall>();

/** Whether the load is an objective module's (`isolate: "none"`), not a plugin module's. */
const isObjectiveModule = (load: LoadCall): boolean => load.what.startsWith('Objective module');

/**
 * The plugin module (a config's `plugins`, say) whose timer or callback, started as it loaded, runs now, by async
 * context: `Plugin module \`./x.mjs\``, or undefined when it is no such module's code. An objective module's is
 * the objective's (its stray errors go to its trials, see `stray-errors.ts`).
 */
export const pluginLoadOfNow = (): string | undefined => {
  const load = loads.getStore();
  return load?.ended === true && !isObjectiveModule(load) ? load.what : undefined;
};

/** Parzen's own `uncaughtException` listeners, which {@link onPluginStray} does not take for the host's. */
const ownListeners = new WeakSet<object>();

/** Marks `listener` as Parzen's own `uncaughtException` listener (see {@link onPluginStray}); returns it. */
export const ownListener = <F extends object>(listener: F): F => {
  ownListeners.add(listener);
  return listener;
};

/**
 * The trial whose call (or a timer, callback or promise it started) runs now, by async context: undefined outside
 * every trial's call. Read in an `uncaughtException` listener, it names the trial whose code threw.
 */
export const currentTrialCall = (): Readonly<TrialCall> | undefined => calls.getStore();
let holders = 0;
type ExitFunction = (code?: number | string | null) => never;
/**
 * The `process.exit` the first run found, kept for good: what {@link exitInstead} passes a call on to between runs
 * (a host that wrapped process.exit during a run calls exitInstead through its wrapper after it: a reset one was
 * `real is not a function`), and when the current run's {@link before} calls back into it (that wrapper, found by a
 * later run: the two would call each other).
 */
let realExit: ExitFunction | undefined;
/** What `process.exit` was when the current run began (a host's wrapper too), put back at its end. */
let before: ExitFunction | undefined;
/** Set while a call is passed on to {@link before}, so one that comes back is passed to {@link realExit}. */
let passing = false;

/** A `process.exit` that is not an objective's, passed on to what the run found (or Node's, between runs). */
const passOn = (code?: number | string | null): never => {
  const to = passing || before === undefined || before === exitInstead ? realExit : before;
  passing = true;
  try {
    return (to as ExitFunction)(code);
  } finally {
    passing = false;
  }
};

/** What `process.exit(code)` is called with, as written in the call. */
const codeText = (code: unknown): string => (code === undefined ? '' : (JSON.stringify(code) ?? String(code)));

/** Thrown from `process.exit` inside a trial's call: unwinds the objective, whose trial has already failed. */
export class ObjectiveExit extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ObjectiveExit';
  }
}

/** The trial's error message for a `process.exit(code)` its objective called during its call. */
const exitedMessage = (code: unknown): string =>
  `The objective called process.exit(${codeText(code)}) during the trial, on Parzen's own thread, where it would have ended the whole run: only the trial failed. ` +
  'Throw an Error to fail a trial; a `module` objective with "isolate": "worker" runs in a thread that process.exit ends alone.';

const exitInstead = (code?: number | string | null): never => {
  const call = calls.getStore();
  if (call === undefined) {
    const load = loads.getStore();
    if (load === undefined) return passOn(code);
    // A timer the module started as it loaded, during a run (between runs process.exit is Node's): no trial's.
    if (load.ended)
      return endRun(
        `${load.what.charAt(0).toLowerCase()}${load.what.slice(1)} called process.exit(${codeText(code)}) from a timer or callback it started as it loaded`,
        // A plugin module runs on this thread whatever its options.
        isObjectiveModule(load) ? undefined : 'Throw an Error instead.',
      );
    const exit = new ObjectiveExit(
      `it called process.exit(${codeText(code)}) as it loaded, on Parzen's own thread, where it would have ended the run with that exit code. ` +
        'Throw an Error to refuse to load.',
    );
    // Its stack starts where the module called process.exit, which a load's message names as its place.
    Error.captureStackTrace(exit, exitInstead);
    load.refuse(exit);
    throw exit;
  }
  if (!call.ended) {
    const message = exitedMessage(code);
    call.fail(message);
    throw new ObjectiveExit(message);
  }
  const study = call.study === undefined ? '' : ` of study ${call.study}`;
  return endRun(
    `the objective of trial #${call.trialNumber}${study} called process.exit(${codeText(code)}) after that trial had ended (from a timer or callback it left)`,
  );
};

/**
 * Ends the process with exit code 1 for a `process.exit` that no trial can fail for (`who` called it), saying so on
 * stderr: the run cannot go on as if nothing happened, and the exit code the objective asked for (0) would say it
 * went well.
 */
const endRun = (
  who: string,
  advice = 'Throw an Error instead, or run it as a `module` objective with "isolate": "worker".',
): never => {
  try {
    writeSync(
      2,
      `parzen: ${who}, on Parzen's own thread: the run ends here, with exit code 1; ` +
        `its running trials stay "running" until a run of the study marks them failed. ${advice}\n`,
    );
  } catch {
    // stderr closed: the exit code still says it.
  }
  return (realExit as ExitFunction)(1);
};

/**
 * An uncaught error a plugin module's timer or callback threw after the module loaded (review 180: it was blamed on
 * the objective, failing the trial running then, or, with the objective in a worker, ended the run with Node's stack
 * trace). Node would end the process; so does this, as for a `process.exit` from there, with a line naming the
 * module and exit code 1, not a stack trace: no trial can fail for it, and Parzen cannot tell whether the plugins
 * the module provides (a store, a suggester) still work, so the run does not go on as if nothing happened. A
 * monitor, which leaves every other error as it was; and a host that listens for uncaught errors itself has it.
 */
const onPluginStray = (error: unknown): void => {
  const what = pluginLoadOfNow();
  if (what === undefined || process.listeners('uncaughtException').some((listener) => !ownListeners.has(listener)))
    return;
  const said = error instanceof Error ? clippedText(String(error.message)) : describeThrown(error);
  const place = error instanceof Error ? thrownAt(error) : undefined;
  endRun(
    `${what.charAt(0).toLowerCase()}${what.slice(1)} threw from a timer or callback it started as it loaded: ${said}${place === undefined ? '' : ` (at ${place})`}`,
    "Catch the errors of the module's timers and callbacks: after one, Parzen cannot tell whether the plugins it provides still work.",
  );
};

/**
 * While a run is in progress (or a module loads on Parzen's thread): `process.exit` is {@link exitInstead}, and a
 * plugin module's uncaught error ends the run with a line naming it ({@link onPluginStray}).
 */
export const watchProcessExits = (): (() => void) => {
  if (holders++ === 0) {
    realExit ??= process.exit;
    before = process.exit;
    process.exit = exitInstead;
    process.on('uncaughtExceptionMonitor', onPluginStray);
  }
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    if (--holders === 0) {
      if (process.exit === exitInstead && before !== undefined && before !== exitInstead) process.exit = before;
      before = undefined;
      process.off('uncaughtExceptionMonitor', onPluginStray);
    }
  };
};

/**
 * Runs a trial's call in its own async context, so a `process.exit` from it (or from a timer it started) is
 * known as this trial's; `fail` fails the trial with the message. The returned `end` marks the trial over. `owner`
 * is the key its stray-error watch was given (see `watchStrayErrors`), so an error its code throws fails it alone.
 */
export const inTrialCall = <T>(
  trial: { readonly trialNumber: number; readonly study?: string | undefined; readonly owner?: object | undefined },
  fail: (message: string) => void,
  call: () => T,
): {
  readonly result: T;
  readonly end: () => void;
  /** Runs `fn` as part of the trial's call while it is in progress (Parzen's abort of its signal, whose listeners are the objective's). */
  readonly within: <U>(fn: () => U) => U;
} => {
  const store: TrialCall = {
    trialNumber: trial.trialNumber,
    study: trial.study,
    ended: false,
    fail,
    owner: trial.owner,
  };
  const release = watchProcessExits();
  let result: T;
  try {
    result = calls.run(store, call);
  } catch (error) {
    release();
    throw error;
  }
  return {
    result,
    end: () => {
      store.ended = true;
      release();
    },
    within: (fn) => (store.ended ? fn() : calls.run(store, fn)),
  };
};

/**
 * A module's load on Parzen's own thread that {@link inModuleLoad} refused: `reason` says why, `place` where (the
 * module's file and line, when known), `cause` is what was thrown; the message is `${what} failed to load: ${reason}
 * (at place)`, or for a load that could never end, `${what} never finished loading: ${reason}`.
 */
export class ModuleLoadRefused extends Error {
  /**
   * A refusal of the load of `what`, its message built from the reason and place.
   * @param what - the module as a message names it (`Objective module \`./x.mjs\``)
   * @param cause - what the module threw, or the exit it called
   */
  constructor(
    what: string,
    /** Why the load was refused, in words (`it called process.exit(0) as it loaded`). */
    readonly reason: string,
    /** Where in the module, `file:line:column`, when known. */
    readonly place: string | undefined,
    cause: unknown,
    /** The load could never end (nothing was left that could settle its top-level await). */
    readonly neverSettled = false,
  ) {
    super(
      `${what} ${neverSettled ? 'never finished loading' : 'failed to load'}: ${reason}${place === undefined ? '' : ` (at ${place})`}`,
      { cause },
    );
    this.name = 'ModuleLoadRefused';
  }
}

/** Why a load whose top-level await can never settle is refused (a worker thread says it with the same words). */
export const NEVER_SETTLED = 'a top-level await in it (or in a module it imports) never settled.';

/** How many {@link inModuleLoad} loads are in progress: {@link onLoadStray} listens while there are any. */
let loadsInProgress = 0;

/**
 * An uncaught error while modules load on Parzen's thread: one a loading module's timer or callback threw (its async
 * context says which module's) refuses that load alone. Any other (the host program's own timer, say, review 180)
 * is no module's: it is left as Node would have it, to the process's other `uncaughtException` listeners if there
 * are some, else thrown again, so the process ends as Node ends it (its stack trace, exit code 1).
 */
const onLoadStray = ownListener((error: unknown): void => {
  // A throw of exitInstead's from a timer is the load's refusal already.
  if (error instanceof ObjectiveExit) return;
  const from = loads.getStore();
  if (from !== undefined && !from.ended) {
    from.strayed(error);
    return;
  }
  if (process.listenerCount('uncaughtException') > 1) return;
  process.off('uncaughtException', onLoadStray);
  process.nextTick(() => {
    throw error;
  });
});

/**
 * Runs the load of a module on Parzen's own thread (a `module` objective with `"isolate": "none"`, a config's plugin
 * module), whose top-level code could otherwise end the process before any trial, refusing the load with a
 * {@link ModuleLoadRefused} instead:
 * - a `process.exit()` from it, or from a timer or promise it started, while the load is in progress throws where it
 *   stood (the run then fails to start, instead of ending with the module's exit code: 0 looked like a success);
 * - an error a timer or callback of its throws meanwhile, instead of ending the process with a stack trace;
 * - a top-level await that can never settle (Node's event loop has emptied), which Node would end with exit code 13
 *   and not a word.
 * `what` names the module in the message (`Objective module \`./x.mjs\``).
 */
export const inModuleLoad = <T>(
  what: string,
  load: () => Promise<T>,
  options: {
    /** The loader's file, whose frames are below the module's own (see `thrownAt`). */
    readonly loader?: string | undefined;
    /** Bounds the load in time (a rejection ends the watch too, though the module's code goes on). */
    readonly bound?: (loading: Promise<T>) => Promise<T>;
  } = {},
): Promise<T> => {
  const release = watchProcessExits();
  let reject: (error: Error) => void = () => undefined;
  const refused = new Promise<never>((_, rejectWith) => {
    reject = rejectWith;
  });
  const refuse = (reason: string, thrown: unknown): void =>
    reject(
      new ModuleLoadRefused(
        what,
        reason,
        thrown instanceof Error ? thrownAt(thrown, options.loader) : undefined,
        thrown,
      ),
    );
  const store: LoadCall = {
    what,
    ended: false,
    refuse: (exit) => refuse(exit.message, exit),
    strayed: (error) => {
      const said = error instanceof Error ? clippedText(String(error.message)) : describeThrown(error);
      refuse(`a timer or callback it started threw as it loaded: ${said}`, error);
    },
  };
  // Node has nothing left to run that could settle the load.
  const onEmpty = (): void => reject(new ModuleLoadRefused(what, NEVER_SETTLED, undefined, undefined, true));
  if (loadsInProgress++ === 0) process.on('uncaughtException', onLoadStray);
  process.on('beforeExit', onEmpty);
  const loading = loads.run(store, load);
  return Promise.race([options.bound?.(loading) ?? loading, refused]).finally(() => {
    store.ended = true;
    if (--loadsInProgress === 0) process.off('uncaughtException', onLoadStray);
    process.off('beforeExit', onEmpty);
    release();
  });
};

/**
 * Runs `fn` outside any trial's call: the run's events reach reporters this way, so a reporter's code (and the
 * timers and handlers it starts) is the host's, whose `process.exit` is Node's, though an objective's
 * `report()` emitted the event from inside its trial's call.
 */
export const outsideTrialCall = <T>(fn: () => T): T => calls.exit(fn);
