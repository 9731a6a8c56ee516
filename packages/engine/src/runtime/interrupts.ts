import { setInterval as nodeSetInterval } from 'node:timers';
import { describeValue, invalidConfig } from '../errors.js';

/** Exit codes for a run stopped by a signal: 128 + the signal number, as shells report them. */
export const SIGNAL_EXIT_CODES = {
  /** 128 + 1: the terminal closed. */
  SIGHUP: 129,
  /** 128 + 2: Ctrl-C. */
  SIGINT: 130,
  /** 128 + 15: `kill`, a container or service manager stopping the process. */
  SIGTERM: 143,
} as const;

/** The abort signals of Ctrl-C handling, and the function that removes the handlers. */
export interface InterruptHandlers {
  /** Aborts on the first SIGINT, SIGTERM or SIGHUP: stop asking, let running trials finish within the grace period. */
  readonly signal: AbortSignal;
  /** Aborts on the second signal: record running trials as interrupted now. */
  readonly forceSignal: AbortSignal;
  /** The signal received first, if any. */
  received(): keyof typeof SIGNAL_EXIT_CODES | undefined;
  /** 130 after SIGINT, 143 after SIGTERM, 129 after SIGHUP, else undefined. */
  exitCode(): number | undefined;
  /** Removes the handlers (Node's default behaviour returns). */
  dispose(): void;
}

/**
 * Resolves once a signal that came while the thread was blocked (SQLite's wait for another process's lock,
 * a synchronous write) has been delivered: Node hears signals in the event loop's poll phase, which two
 * turns pass through whatever phase this is. Check `signal.aborted` after it, not before.
 */
export const signalsDelivered = async (): Promise<void> => {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
};

/** A signal repeated within this many milliseconds counts once (no one presses Ctrl-C twice so fast). */
const DUPLICATE_MS = 100;

/**
 * Holds the process open until the returned function is called (a ref'd timer): a run, or an ask, whose suggester
 * or objective awaits what holds no handle (a promise that never settles) would otherwise let Node end the process
 * at once with code 13, unsaid and deaf to Ctrl-C.
 */
export const holdProcessOpen = (): (() => void) => {
  // One timer for every hold, ref'd while any is held and unref'd (not cleared) when none is: an ask makes and
  // clears no timer of its own (that cost about 1 µs of each suggestion). Made by `node:timers`' own setInterval,
  // not the global one, so that a test's fake timers never see it (a fake one, kept, was one more timer in the
  // fake clock after every ask, and `runAllTimers` ran it until it gave up).
  held.timer ??= nodeSetInterval(() => {}, 2 ** 30);
  const { timer } = held;
  held.count += 1;
  if (held.count === 1) timer.ref();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.count -= 1;
    if (held.count === 0) timer.unref();
  };
};

/** The timer {@link holdProcessOpen} refs while any hold is taken, and the holds. */
const held: { timer: NodeJS.Timeout | undefined; count: number } = { timer: undefined, count: 0 };

/** How many study runs (`fmin`, `optimize`, `runExperiment`) are going on in this thread. */
let runsGoingOn = 0;

/**
 * Counts a study run as going on until the returned function is called (the run loop calls it when it
 * ends): between runs, the default handlers end the process at a signal, as Node would without them.
 */
export const studyRunGoingOn = (): (() => void) => {
  runsGoingOn += 1;
  let ended = false;
  return () => {
    if (!ended) runsGoingOn -= 1;
    ended = true;
  };
};

/**
 * What the handlers say on stderr of a signal when no `onSignal` was given, as the CLI says it: the first lets
 * running trials finish, the second stops them now (trial 171: nothing was said, so a second Ctrl-C came and
 * lost the trial). The grace period is the run's (`gracePeriodMs`), which the handlers do not know.
 */
const sayOnStderr = (name: string, count: number, running: boolean): void => {
  const again = name === 'SIGINT' ? 'press Ctrl-C again' : `send ${name} again`;
  const message = !running
    ? 'no study is running, so exiting, as without these handlers.'
    : count === 1
      ? `letting running trials finish (up to the run's grace period, 30 s unless \`gracePeriodMs\` or a config's \`gracePeriodSeconds\` sets it), then stopping (${again} to stop now).`
      : count === 2
        ? `stopping now: running trials are recorded as interrupted (${again} to exit at once).`
        : 'exiting without waiting for the run to end.';
  // After the terminal's `^C`, on a line of its own.
  const lead = process.stderr.isTTY === true ? '\n' : '';
  process.stderr.write(`${lead}parzen: ${name}: ${message}\n`);
};

/**
 * Ctrl-C, SIGTERM and SIGHUP (a closed terminal or ssh session) handling for a run: the first signal stops the study gracefully, the second forces
 * running trials to end as `INTERRUPTED` (the store still gets them, so it stays readable and complete).
 * Each signal is said on stderr, as the CLI says it (`parzen: SIGINT: letting running trials finish (up to the
 * run's grace period, ...), then stopping (press Ctrl-C again to stop now).`, then `parzen: SIGINT: stopping now:
 * running trials are recorded as interrupted (press Ctrl-C again to exit at once).`). A third signal ends the
 * process at once, as the CLI's does, with the first signal's code ({@link SIGNAL_EXIT_CODES}: 130 after
 * Ctrl-C); so does any signal while no study runs in this thread (`fmin`, `optimize`, `runExperiment`), with
 * its own code, as Node ends a process without handlers: handlers left installed in a long-lived program
 * do not keep it from ending between runs. (An ask/tell loop of your own is no run: pass `onSignal`.)
 *
 * `onSignal`, when given, is told each signal instead (its name, 1 for the first, and whether a study run is
 * going on), to say it your way or not at all (`() => {}`); then ending the process is yours to decide.
 */
export const installInterruptHandlers = (
  onSignal?: (name: string, count: number, running: boolean) => void,
): InterruptHandlers => {
  // Options from JavaScript (`{ gracePeriodMs }`, which fmin takes) threw `onSignal is not a function` at Ctrl-C.
  if (onSignal !== undefined && typeof onSignal !== 'function')
    throw invalidConfig('installInterruptHandlers argument', [
      {
        pointer: '',
        expected:
          "nothing, or a function told of each signal (its name and count); the grace period is fmin's `gracePeriodMs`",
        found: describeValue(onSignal),
      },
    ]);
  const stop = new AbortController();
  const force = new AbortController();
  let first: keyof typeof SIGNAL_EXIT_CODES | undefined;
  let count = 0;
  let last: { readonly name: string; readonly at: number } | undefined;
  const handle = (name: keyof typeof SIGNAL_EXIT_CODES) => {
    // The same signal again within DUPLICATE_MS is the same request: `timeout` sends its signal to the
    // process and then to its whole group (trial 58: 10-30 % of `timeout 60 parzen run` ended the running
    // trial as INTERRUPTED at once, as a second Ctrl-C does, instead of letting it finish).
    // Measured from the last signal counted, so a key held down (signals every 50 ms) still forces (review 59).
    const at = performance.now();
    if (last !== undefined && last.name === name && at - last.at < DUPLICATE_MS) return;
    last = { name, at };
    count += 1;
    first ??= name;
    const running = runsGoingOn > 0;
    if (onSignal !== undefined) onSignal(name, count, running);
    else {
      sayOnStderr(name, count, running);
      if (!running) process.exit(SIGNAL_EXIT_CODES[name]);
      if (count > 2) process.exit(SIGNAL_EXIT_CODES[first]);
    }
    if (count === 1) stop.abort(new Error(name));
    else force.abort(new Error(name));
  };
  const onInt = () => handle('SIGINT');
  const onTerm = () => handle('SIGTERM');
  const onHup = () => handle('SIGHUP');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  return {
    signal: stop.signal,
    forceSignal: force.signal,
    received: () => first,
    exitCode: () => (first === undefined ? undefined : SIGNAL_EXIT_CODES[first]),
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      process.off('SIGHUP', onHup);
    },
  };
};
