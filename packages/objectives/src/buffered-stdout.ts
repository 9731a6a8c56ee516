/**
 * Whether a `command` program's stdout looks buffered: its reports reach Parzen all at once as it ends (Python's
 * `print` into a pipe), too late for a pruner to stop it.
 *
 * One trial's timing is weak evidence. On a loaded machine a program that flushes each report can be kept off the
 * CPU (or Parzen can), and reports it wrote tens of milliseconds apart are then read together, as buffered ones are.
 * Buffering is the program's own, the same in every trial, while a machine's load comes and goes: so the warning
 * waits for a second trial whose reports came all at once, and a trial whose reports came apart shows the program
 * flushes, after which nothing is said.
 */

/** Reports read after this long (ms) with none before, all at once, came from a buffer (an epoch's worth of time). */
const BUFFERED_MIN_MS = 1000;
/**
 * Reports read within this long (ms) before the program exited came "as it ended" (the time a loaded machine may
 * take between a program's last write and its exit, seen as 90 ms at load 12 on two cores).
 */
export const BUFFERED_WINDOW_MS = 250;
/** Reports read within this long (ms) of each other came all at once (one read, or reads straight after it). */
const BUFFERED_SPREAD_MS = 5;

/** When a trial's reports were read, and what else tells how they came. Times are `Date.now()` values. */
export interface ReportTiming {
  /** When the program was started. */
  readonly startedAt: number;
  /** When Parzen saw the program exit (when it had seen no exit: when its output ended). */
  readonly exitedAt: number;
  /** When each report was read from the program's stdout, in order (those after a prune decision included). */
  readonly readAt: readonly number[];
  /** The pruner stopped the program: it was killed just after the reports that were read, which are all it wrote. */
  readonly pruned: boolean;
  /** This process held still as the first report was read (the reports waited in the pipe for it, buffered or not). */
  readonly heldStill: boolean;
}

/**
 * What one trial says of its program's stdout: `'buffered'`, its reports (two or more) came all at once, a second
 * or more after it started with none before, as it ended or when it was pruned; `'flushed'`, they came apart, most
 * of them in reads of their own; `'none'`, neither (one report, a short trial, this process held still).
 */
export type StdoutEvidence = 'buffered' | 'flushed' | 'none';

/** What the reports of one trial, read at `timing.readAt`, say of its program's stdout. */
export const stdoutEvidence = (timing: ReportTiming): StdoutEvidence => {
  const { readAt } = timing;
  const first = readAt[0];
  const last = readAt.at(-1);
  if (first === undefined || last === undefined || readAt.length < 2 || timing.heldStill) return 'none';
  if (last - first > BUFFERED_SPREAD_MS) {
    // Reports of a program whose block-sized buffer filled as it ran come in a few bursts: apart, yet no sign of
    // flushing. A flushed program's come one a read, a few together when the machine held one of the two back.
    return new Set(readAt).size * 2 > readAt.length ? 'flushed' : 'none';
  }
  if (first - timing.startedAt < BUFFERED_MIN_MS) return 'none';
  return timing.pruned || timing.exitedAt - first <= BUFFERED_WINDOW_MS ? 'buffered' : 'none';
};

/** Tells, trial by trial, when the trials of a run have shown that its program's stdout is buffered. */
export interface BufferingJudge {
  /**
   * Takes what trial `trialNumber` showed; returns the number of the earlier trial that looked buffered when this
   * one makes two (with no trial before it that came apart), once per run; otherwise undefined.
   */
  see(trialNumber: number, evidence: StdoutEvidence): number | undefined;
}

/** A {@link BufferingJudge} for one run (one objective). */
export const bufferingJudge = (): BufferingJudge => {
  let flushed = false;
  let told = false;
  let earlier: number | undefined;
  return {
    see: (trialNumber, evidence) => {
      if (evidence === 'flushed') flushed = true;
      if (evidence !== 'buffered' || flushed || told) return undefined;
      if (earlier === undefined) {
        earlier = trialNumber;
        return undefined;
      }
      told = true;
      return earlier;
    },
  };
};
