/** Process groups of running trial commands, killed when the Parzen process exits however it exits. */
const live = new Set<number>();
let hooked = false;

/**
 * Sends a signal (SIGKILL unless told otherwise) to a whole process group: the leader and everything it
 * started. A gone group is fine.
 */
export const killGroup = (pid: number, signal: NodeJS.Signals = 'SIGKILL'): void => {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group has already gone.
  }
};

/** Tracks a spawned group leader until `release`; at process exit every tracked group is killed. */
export const trackGroup = (pid: number): void => {
  live.add(pid);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const group of live) killGroup(group);
    });
  }
};

/** Stops tracking a group whose leader has ended. */
export const releaseGroup = (pid: number): void => {
  live.delete(pid);
};
