import { spawn } from 'node:child_process';
import { OutputTail } from './output-tail.js';
import { killGroup, releaseGroup, trackGroup } from './process-groups.js';

/** One program run: argv, folder, environment, input and limits. */
export interface RunCommandOptions {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Written to the program's standard input, which is then closed; undefined leaves stdin empty. */
  readonly input?: string;
  readonly timeoutMs?: number;
  /** Kills the program's process group when it fires. */
  readonly signal?: AbortSignal;
  /** How much of stderr to keep (characters). */
  readonly stderrTail: number;
  /** How much of stdout to keep (characters); the result is read from its last lines. */
  readonly stdoutTail?: number;
}

/** How a command ended. */
export interface CommandOutcome {
  readonly exitCode: number | null;
  /** The signal that ended it (SIGKILL after a timeout or an abort). */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  /** Set when the program could not be started at all (ENOENT, EACCES). */
  readonly startError?: Error;
  readonly durationMs: number;
}

/** Why a group was killed: its time ran out, or the evaluation was aborted. */
interface KillSwitch {
  readonly timedOut: () => boolean;
  readonly aborted: () => boolean;
  readonly disarm: () => void;
}

/** Kills the group when the timeout passes or the signal fires, remembering which happened. */
const armKillSwitch = (
  kill: () => void,
  timeoutMs: number | undefined,
  signal: AbortSignal | undefined,
): KillSwitch => {
  let timedOut = false;
  let aborted = false;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          kill();
        }, timeoutMs);
  const onAbort = () => {
    aborted = true;
    kill();
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return {
    timedOut: () => timedOut,
    aborted: () => aborted,
    disarm: () => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
};

/**
 * Runs a program in its own process group and resolves when it has ended and its output is read. A
 * timeout or an abort kills the whole group (the program and every process it started) with SIGKILL;
 * when the program exits, whatever it left running in its group is killed too, so no trial leaves
 * processes behind. Never rejects.
 */
export const runCommand = (options: RunCommandOptions): Promise<CommandOutcome> =>
  new Promise((resolve) => {
    const started = Date.now();
    const stdout = new OutputTail(options.stdoutTail ?? 65_536);
    const stderr = new OutputTail(options.stderrTail);
    const [program, ...args] = options.argv;
    const child = spawn(program as string, args, { cwd: options.cwd, env: options.env, detached: true, stdio: 'pipe' });
    const pid = child.pid;
    if (pid !== undefined) trackGroup(pid);
    const kill = () => {
      if (pid !== undefined) killGroup(pid);
    };
    const killSwitch = armKillSwitch(kill, options.timeoutMs, options.signal);
    let startError: Error | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    child.stdin.on('error', () => undefined); // a program that never reads its stdin closes the pipe early
    child.stdin.end(options.input ?? '');
    child.on('exit', kill); // stragglers in the group would hold the pipes open
    child.on('error', (error) => {
      startError = error;
    });
    child.on('close', (exitCode, signal) => {
      killSwitch.disarm();
      if (pid !== undefined) releaseGroup(pid);
      resolve({
        exitCode,
        signal,
        stdout: stdout.value(),
        stderr: stderr.value(),
        timedOut: killSwitch.timedOut(),
        aborted: killSwitch.aborted(),
        durationMs: Date.now() - started,
        ...(startError === undefined ? {} : { startError }),
      });
    });
  });
