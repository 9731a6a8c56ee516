import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { findExecutable, shebangProblem } from './find-executable.js';
import { LineFeed } from './line-feed.js';
import { OutputEncodingWatch } from './output-encoding.js';
import { OutputTail } from './output-tail.js';
import { groupExists, groupHasLiveMember, killGroup, releaseGroup, trackGroup } from './process-groups.js';

/**
 * How long after a program exits its pipes may stay open with nothing on them before they are closed (a
 * process it started outside its group, which the group kill cannot reach, still holds them).
 */
const OUTPUT_SETTLE_MS = 1000;

/** The longest the pipes stay open after the program exited, however much such a process still writes. */
const OUTPUT_CLOSE_MS = 5000;

/** One program run: argv, folder, environment, input and limits. */
export interface RunCommandOptions {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Written to the program's standard input, which is then closed; undefined leaves stdin empty. */
  readonly input?: string;
  readonly timeoutMs?: number;
  /** Stops the program's process group when it fires: SIGTERM, then SIGKILL after `terminateGraceMs`. */
  readonly signal?: AbortSignal;
  /** How much of stderr to keep (characters). */
  readonly stderrTail: number;
  /** How much of stdout to keep (characters); the result is read from its last lines. */
  readonly stdoutTail?: number;
  /**
   * Called with every stdout line, in order, each after the previous one's promise settled (stdout is
   * paused meanwhile, so nothing is lost however fast the program prints). A throw or rejection stops
   * the program as `terminate` does, is kept as {@link CommandOutcome.lineError}, and the later lines are
   * not passed on. The result resolves only after every line was handled.
   */
  readonly onStdoutLine?: (line: string, readAt: number) => unknown;
  /**
   * With `onStdoutLine`: told each stdout line as soon as it is read, ahead of `onStdoutLine` (which waits
   * for the lines before it), then `undefined` once stdout has closed.
   */
  readonly onStdoutRead?: (line: string | undefined) => void;
  /** Told every chunk of the program's output as it is read, its bytes as the program wrote them. */
  readonly onOutput?: (bytes: Buffer, stream: 'stdout' | 'stderr') => void;
  /** Told when the program has exited (its output may not all be read yet). */
  readonly onExit?: () => void;
  /** Asks the program to stop when it fires: SIGTERM to its process group, SIGKILL after `terminateGraceMs`. */
  readonly terminate?: AbortSignal;
  /** How long a program stopped for any reason has between SIGTERM and SIGKILL (default 5000 ms). */
  readonly terminateGraceMs?: number;
}

/** How a command ended. */
export interface CommandOutcome {
  readonly exitCode: number | null;
  /** The signal that ended it (SIGTERM or SIGKILL after a timeout, an abort or `terminate`). */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  /** The program was asked to stop (`terminate` fired, or a line handler failed): SIGTERM, then SIGKILL. */
  readonly terminated: boolean;
  /** It was still running when the grace period after SIGTERM (any stop's) ran out, so its group got SIGKILL. */
  readonly graceExpired: boolean;
  /** What `onStdoutLine` threw, when it did (`lineFailed` tells a thrown `undefined` apart). */
  readonly lineError?: unknown;
  readonly lineFailed: boolean;
  /**
   * Processes the program had started were still in its group when it exited (a job put in the background
   * with `&` or nohup), and were killed then; `'maybe'` where the system cannot tell a running member from a
   * zombie (an exited child not yet reaped), as on macOS. False when it was stopped (a timeout, an abort, `terminate`).
   */
  readonly leftRunning?: boolean | 'maybe';
  /** Set when the program could not be started at all (ENOENT, EACCES). */
  readonly startError?: Error;
  /** What its stdout looked like when it was no UTF-8 (see OutputEncodingWatch); absent when it was. */
  readonly stdoutEncoding?: string;
  readonly durationMs: number;
}

/** The outcome's `stdoutEncoding`, when the output was no UTF-8. */
const withEncoding = (guess: string | undefined): { stdoutEncoding?: string } =>
  guess === undefined ? {} : { stdoutEncoding: guess };

/** Why a group was stopped: its time ran out, the evaluation was aborted, or it was asked to stop. */
interface KillSwitch {
  readonly timedOut: () => boolean;
  readonly aborted: () => boolean;
  readonly terminated: () => boolean;
  /** Whether the group was told to stop, whatever the reason (so got SIGTERM). */
  readonly stopping: () => boolean;
  readonly graceExpired: () => boolean;
  /** Asks the group to stop: SIGTERM now, SIGKILL after the grace period (once; later calls do nothing). */
  readonly terminate: () => void;
  readonly disarm: () => void;
}

/** What {@link armKillSwitch} sends signals to, and when. */
interface KillSwitchOptions {
  readonly signalGroup: (signal: NodeJS.Signals) => void;
  readonly timeoutMs: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly terminate: AbortSignal | undefined;
  readonly graceMs: number;
}

/**
 * Stops the group when the timeout passes, the signal fires or `terminate` fires, each the same way: SIGTERM
 * (so the program can save a checkpoint and exit), then SIGKILL once the grace period has run out; remembers
 * which happened. A second reason to stop while the first one's grace period runs changes nothing.
 */
const armKillSwitch = (options: KillSwitchOptions): KillSwitch => {
  let timedOut = false;
  let aborted = false;
  let terminated = false;
  let stopping = false;
  let graceExpired = false;
  let grace: NodeJS.Timeout | undefined;
  // Trial 153: a timeout or a run's stop (Ctrl-C past its grace period) sent SIGKILL alone, so a program could
  // not save its checkpoint, while a prune sent SIGTERM first: one way to stop for all three.
  const stop = () => {
    if (stopping) return;
    stopping = true;
    options.signalGroup('SIGTERM');
    grace = setTimeout(() => {
      graceExpired = true;
      options.signalGroup('SIGKILL');
    }, options.graceMs);
  };
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stop();
        }, options.timeoutMs);
  const onAbort = () => {
    aborted = true;
    stop();
  };
  const terminate = () => {
    if (terminated) return;
    terminated = true;
    stop();
  };
  const listen = (signal: AbortSignal | undefined, listener: () => void) => {
    if (signal?.aborted) listener();
    else signal?.addEventListener('abort', listener, { once: true });
  };
  listen(options.signal, onAbort);
  listen(options.terminate, terminate);
  return {
    timedOut: () => timedOut,
    aborted: () => aborted,
    terminated: () => terminated,
    stopping: () => stopping,
    graceExpired: () => graceExpired,
    terminate,
    disarm: () => {
      if (timer !== undefined) clearTimeout(timer);
      if (grace !== undefined) clearTimeout(grace);
      options.signal?.removeEventListener('abort', onAbort);
      options.terminate?.removeEventListener('abort', terminate);
    },
  };
};

/** Errors of a system out of processes or open files: no fault of the program. */
const OUT_OF_RESOURCES = new Set(['EMFILE', 'ENFILE', 'EAGAIN']);

/**
 * A program that could not start for a reason found after the spawn refused it (not there, not executable, its `#!`
 * interpreter missing, its working folder gone): the message says it in full, naming the program or folder, as
 * `validate` says it; `code` is the spawn's (`ENOENT`, `EACCES`).
 */
export class StartProblem extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'StartProblem';
  }
}

/** The error, with what to do when the system ran out of processes or files (a message of its own). */
const withHint = (error: Error, options: Pick<RunCommandOptions, 'argv' | 'cwd' | 'env'>): Error => {
  const code = (error as NodeJS.ErrnoException).code;
  // A program not there (moved or deleted since the run checked it, a templated name) or not executable: said as
  // `validate` says it, where it was looked for, instead of spawn's bare `spawn ./x.sh ENOENT`.
  if (code === 'ENOENT' || code === 'EACCES') {
    // A working folder removed mid-run makes every spawn ENOENT, whatever the program.
    if (!existsSync(options.cwd)) return new StartProblem(`its working folder ${options.cwd} is not there`, code);
    const found = findExecutable(options.argv[0] ?? '', options.cwd, (options.env ?? process.env).PATH);
    // A script there and executable whose #! interpreter is missing: the spawn says ENOENT for the script.
    const problem =
      'problem' in found ? found.problem : shebangProblem(found.found, (options.env ?? process.env).PATH, options.cwd);
    // Said once: spawn's own words (`spawn ./x.sh ENOENT`) named the program again (review: "`p` could not start:
    // `p` is not on PATH").
    return problem === undefined ? error : new StartProblem(problem, code);
  }
  if (code === undefined || !OUT_OF_RESOURCES.has(code)) return error;
  const hinted = new Error(
    `${error.message} (the system ran out of ${code === 'EAGAIN' ? 'processes' : 'open files'}: lower the config's concurrency, or raise the limit, ulimit ${code === 'EAGAIN' ? '-u' : '-n'})`,
  );
  return Object.assign(hinted, { code });
};

/**
 * Runs a program in its own process group and resolves when it has ended and its output is read (and,
 * with `onStdoutLine`, handled). A timeout, an abort or `terminate` stops the whole group (the program and
 * every process it started): SIGTERM, then SIGKILL after a grace period if the program is still running; when the program exits, whatever it left running in its group is killed too, so no trial
 * leaves processes behind. Never rejects.
 */
export const runCommand = (options: RunCommandOptions): Promise<CommandOutcome> =>
  new Promise((resolve) => {
    const started = Date.now();
    const stdout = new OutputTail(options.stdoutTail ?? 65_536);
    const stderr = new OutputTail(options.stderrTail);
    const [program, ...args] = options.argv;
    // A program that could not start at all, said as one (trial 53: a spawn that threw, E2BIG, or whose pipes
    // could not be made, EMFILE, was the objective's TypeError, and the error that followed crashed the CLI).
    const notStarted = (error: Error) =>
      resolve({
        exitCode: null,
        signal: null,
        stdout: '',
        stderr: '',
        timedOut: false,
        aborted: false,
        terminated: false,
        graceExpired: false,
        lineFailed: false,
        durationMs: Date.now() - started,
        startError: withHint(error, options),
      });
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(program as string, args, { cwd: options.cwd, env: options.env, detached: true, stdio: 'pipe' });
    } catch (error) {
      notStarted(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    // Typed as never null, yet null when the pipes could not be made.
    const pipes: readonly unknown[] = [child.stdout, child.stderr, child.stdin];
    if (pipes.includes(null) || pipes.includes(undefined)) {
      // Its pipes could not be made: nothing started, and the error event follows (and nothing after it).
      child.once('error', notStarted);
      return;
    }
    const pid = child.pid;
    if (pid !== undefined) trackGroup(pid, (options.terminateGraceMs ?? 5000) / 1000);
    const signalGroup = (signal: NodeJS.Signals): boolean => pid !== undefined && killGroup(pid, signal);
    const killSwitch = armKillSwitch({
      signalGroup,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      terminate: options.terminate,
      graceMs: options.terminateGraceMs ?? 5000,
    });
    const handler = options.onStdoutLine;
    const lines =
      handler === undefined
        ? undefined
        : new LineFeed(child.stdout, handler, killSwitch.terminate, options.onStdoutRead);
    let startError: Error | undefined;
    let lastOutput = Date.now();
    // Read as bytes (a log gets them as they are) and decoded here, a character split between two reads kept whole.
    const stdoutText = new StringDecoder('utf8');
    const stderrText = new StringDecoder('utf8');
    const encoding = new OutputEncodingWatch();
    const onStdout = (chunk: string) => {
      if (chunk.length === 0) return;
      stdout.push(chunk);
      lines?.push(chunk);
    };
    child.stdout.on('data', (bytes: Buffer) => {
      lastOutput = Date.now();
      options.onOutput?.(bytes, 'stdout');
      const text = stdoutText.write(bytes);
      encoding.see(bytes, text);
      onStdout(text);
    });
    child.stdout.on('end', () => {
      const text = stdoutText.end();
      encoding.end(text);
      onStdout(text);
      lines?.end();
    });
    child.stderr.on('data', (bytes: Buffer) => {
      lastOutput = Date.now();
      options.onOutput?.(bytes, 'stderr');
      stderr.push(stderrText.write(bytes));
    });
    child.stderr.on('end', () => stderr.push(stderrText.end()));
    child.stdin.on('error', () => undefined); // a program that never reads its stdin closes the pipe early
    child.stdin.end(options.input ?? '');
    // Stragglers in the group would hold the pipes open: killed. A process that left the group (`setsid`, a
    // daemon) may hold them too: once the program has exited and its output has been read and handled (no
    // new output for OUTPUT_SETTLE_MS, the stream not paused by a slow line handler), the pipes are closed;
    // after OUTPUT_CLOSE_MS of reading at the latest (a helper that keeps writing), at once on an abort.
    let settle: NodeJS.Timeout | undefined;
    let closed = false;
    const closePipes = () => {
      if (closed) return;
      closed = true;
      clearInterval(settle);
      options.signal?.removeEventListener('abort', closePipes);
      child.stdout.destroy();
      child.stderr.destroy();
      lines?.end();
    };
    // Whether the program, exiting on its own, left processes in its group (trial 130: a `&` job killed at the
    // exit gave a COMMAND_NO_LOSS that did not say so).
    let leftRunning: boolean | 'maybe' = false;
    child.on('exit', () => {
      options.onExit?.();
      const stopped = killSwitch.stopping();
      // Review 138: the kill also succeeds on a group left with only zombies (a child that had exited, not
      // yet reaped), which is nothing left running: /proc tells them apart on Linux; elsewhere it may be so.
      // Review 139: /proc only when the group still has a member (signal 0 tells, and sends nothing): a scan
      // per trial costs about 25 µs per process of the host.
      const live = stopped || pid === undefined || !groupExists(pid) ? undefined : groupHasLiveMember(pid);
      if (signalGroup('SIGKILL') && !stopped && live !== false) leftRunning = live === true ? true : 'maybe';
      killSwitch.disarm(); // the program has ended: no timeout or grace period is left to run
      if (options.signal?.aborted) closePipes();
      else options.signal?.addEventListener('abort', closePipes, { once: true });
      // Time counts only while the line handler keeps up (stdout not paused): a slow handler still
      // working through the program's own lines is never cut short.
      let reading = 0;
      const tick = OUTPUT_SETTLE_MS / 4;
      settle = setInterval(() => {
        if (child.stdout.isPaused()) return;
        reading += tick;
        if (Date.now() - lastOutput >= OUTPUT_SETTLE_MS || reading >= OUTPUT_CLOSE_MS) closePipes();
      }, tick);
    });
    child.on('error', (error) => {
      startError = withHint(error, options);
      lines?.end();
    });
    child.on('close', async (exitCode, signal) => {
      clearInterval(settle);
      options.signal?.removeEventListener('abort', closePipes);
      await lines?.drained;
      killSwitch.disarm();
      if (pid !== undefined) releaseGroup(pid);
      resolve({
        exitCode,
        signal,
        stdout: stdout.value(),
        stderr: stderr.value(),
        timedOut: killSwitch.timedOut(),
        aborted: killSwitch.aborted(),
        terminated: killSwitch.terminated(),
        graceExpired: killSwitch.graceExpired(),
        lineFailed: lines?.failed ?? false,
        ...(lines?.failed ? { lineError: lines.error } : {}),
        ...(leftRunning ? { leftRunning } : {}),
        durationMs: Date.now() - started,
        ...(startError === undefined ? {} : { startError }),
        ...withEncoding(encoding.guess()),
      });
    });
  });
