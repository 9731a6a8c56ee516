import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { statFields } from '@parzen/engine/plugin';

let hooked = false;

/**
 * The watchdog: a small shell, started with the first tracked group, in a session of its own, reading
 * `t PID GRACE` (track) and `r PID` (release) lines from a pipe that only this process holds. When the
 * pipe ends without the process having said goodbye (it was killed with SIGKILL, or died of a signal it
 * does not handle, so no `exit` hook ran), the watchdog sends SIGTERM to every group still tracked,
 * waits the longest grace among them, and sends SIGKILL. A normal exit kills the groups itself and
 * then the watchdog, which so never outlives it by more than a grace period.
 */
const WATCHDOG_SCRIPT = `
trap '' INT HUP TERM
groups=' '
grace=0
while IFS=' ' read -r op pid secs; do
  case $op in
    t) groups="$groups$pid "; [ "$secs" -gt "$grace" ] 2>/dev/null && grace=$secs ;;
    r) kept=' '; for g in $groups; do [ "$g" = "$pid" ] || kept="$kept$g "; done; groups=$kept ;;
  esac
done
set -- $groups
[ $# -eq 0 ] && exit 0
for g; do kill -TERM "-$g" 2>/dev/null; done
sleep "$grace"
for g; do kill -KILL "-$g" 2>/dev/null; done
`;

/** The running watchdog; `null` when it cannot be started (groups are then only killed at exit). */
let watchdog: ChildProcess | null | undefined;
/**
 * Process groups of running trial commands, killed when the Parzen process exits however it exits, with
 * the grace period (seconds) of each, told again to a watchdog started anew.
 */
const live = new Map<number, number>();

const startWatchdog = (): ChildProcess | null => {
  if (process.platform === 'win32') return null;
  try {
    const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', () => {
      watchdog = null;
    });
    child.on('exit', () => {
      // Killed from outside: the next tracked group starts another, which is told every live group.
      if (watchdog === child) watchdog = undefined;
    });
    child.stdin?.on('error', () => undefined);
    // Neither the watchdog nor its pipe keeps this process alive.
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return child;
  } catch {
    return null;
  }
};

const tellWatchdog = (line: string, start = true): void => {
  if (watchdog === undefined && start) {
    watchdog = startWatchdog();
    for (const [pid, grace] of live) watchdog?.stdin?.write(`t ${pid} ${grace}\n`);
  }
  watchdog?.stdin?.write(`${line}\n`);
};

/**
 * Sends a signal (SIGKILL unless told otherwise) to a whole process group: the leader and everything it
 * started. A gone group is fine: false then (true when the signal was sent to some process of the group).
 */
export const killGroup = (pid: number, signal: NodeJS.Signals = 'SIGKILL'): boolean => {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    // ESRCH: the group has already gone.
    return false;
  }
};

/** Whether a process group has any member, a zombie included (signal 0 checks and sends nothing). */
export const groupExists = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    // EPERM: a member this process may not signal, which exists all the same.
    return (error as { code?: string }).code === 'EPERM';
  }
};

/**
 * Whether a process group has a member still running (not a zombie, an exited process its parent has not
 * reaped yet), read from Linux's /proc; undefined where /proc cannot tell (another system).
 */
export const groupHasLiveMember = (pgid: number): boolean | undefined => {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  let readAny = false;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields === undefined) continue; // it has just ended
    readAny = true;
    const [state, , pgrp] = fields;
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return readAny ? false : undefined;
};

/**
 * Tracks a spawned group leader until `release`; at process exit every tracked group is killed. If this
 * process is killed without an exit (SIGKILL), the watchdog sends the group SIGTERM and, `graceSeconds`
 * later, SIGKILL, so a trial's program does not run on after its worker.
 */
export const trackGroup = (pid: number, graceSeconds = 5): void => {
  const grace = Math.max(0, Math.ceil(graceSeconds));
  tellWatchdog(`t ${pid} ${grace}`);
  live.set(pid, grace);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const group of live.keys()) killGroup(group);
      if (watchdog?.pid !== undefined) killGroup(watchdog.pid);
    });
  }
};

/** Stops tracking a group whose leader has ended. */
export const releaseGroup = (pid: number): void => {
  live.delete(pid);
  tellWatchdog(`r ${pid}`, false);
};
