import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** What a child process has printed so far. */
export interface CollectedOutput {
  /** Its stdout so far. */
  readonly stdout: () => string;
  /** Its stderr so far. */
  readonly stderr: () => string;
}

/** Collects what a child process prints on stdout and stderr (both piped), as text. */
export const collectOutput = (child: ChildProcess): CollectedOutput => {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return { stdout: () => stdout, stderr: () => stderr };
};

/** How a program run to its end went, and everything it printed. */
export interface ProcessRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where and how {@link runProcess} runs a program. */
export interface RunProcessOptions {
  readonly cwd?: string;
  /** Written to the program's stdin, which is then closed (default: nothing). */
  readonly input?: string;
  /** Run as this user and group (a test as root runs a reader as `nobody`). */
  readonly uid?: number;
  readonly gid?: number;
  /** Killed with SIGTERM after this long (default 60 s). */
  readonly timeoutMs?: number;
}

/**
 * Runs a program to its end without blocking the test worker (unlike `spawnSync`, so that the cases of a
 * `describe.concurrent` file overlap) and collects its exit and output.
 */
export const runProcess = (file: string, args: readonly string[], options: RunProcessOptions = {}) =>
  new Promise<ProcessRun>((resolve, reject) => {
    const { input = '', timeoutMs = 60_000, ...where } = options;
    const child = spawn(file, [...args], { ...where, timeout: timeoutMs });
    const output = collectOutput(child);
    child.on('error', reject);
    child.on('close', (status, signal) =>
      resolve({ status, signal, stdout: output.stdout(), stderr: output.stderr() }),
    );
    child.stdin.end(input);
  });

/**
 * Whether process `pid` is alive and not a zombie (a killed orphan may wait for a reaper that never comes
 * in a container): signal 0 says whether it exists; Linux's `/proc` whether it is a zombie (without `/proc`,
 * an existing process counts as alive).
 */
export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, another user's (review 103).
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
};

/**
 * The processes in `pids` still alive after `timeoutMs` (polled every 20 ms; empty once all have gone). A process sent SIGKILL
 * dies when the kernel next schedules it, which on a loaded machine can be after its killer has exited, so a
 * test that checks at once can see it alive (CI at stop 55 did).
 */
export const goneWithin = async (pids: readonly number[], timeoutMs = 5000): Promise<number[]> => {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    alive = alive.filter(isAlive);
  }
  return alive;
};
