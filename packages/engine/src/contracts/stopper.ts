import type { CompleteTrial, Direction, FinishedTrial, Trial } from '../domain/trial.js';

/** What a stopper sees after each finished trial (and when a study resumes). */
export interface StopContext {
  /** The name of the study (the key its store keeps it under). */
  readonly study: string;
  /** Whether a lower or a higher loss is better. */
  readonly direction: Direction;
  /** The trial that just finished in this process; when a study resumes, its last finished trial. */
  readonly trial: FinishedTrial;
  /** Every trial of the study as the store has it (other processes' too), ordered by number. */
  readonly trials: readonly Trial[];
  /** The best complete trial so far, if any. */
  readonly best: CompleteTrial | undefined;
  /**
   * The first trial number of this run: trials numbered from it on began during it (its own and other
   * workers'), those below it before it. A rule that counts trials while no trial has a loss counts from here,
   * as the budget's `patience` does, so a study whose trials all failed can run again once its objective is
   * fixed. Undefined when the caller does not know (a stopper asked outside a run).
   */
  readonly runFrom?: number | undefined;
}

/**
 * A rule that ends a study early: after each finished trial the engine asks it (and once when a study resumes, before
 * its first new trial: a study its stopper ended stays ended), and a non-empty string is
 * the reason to stop ("no improvement of 1% in 50 trials"), named in the summary and the JSON output
 * (`true`, or a string of only spaces, stops with a plain message; `undefined`, `false` or `''` goes on). Running trials finish; no new
 * trial starts. The run's stop reason is `stopper`. A stopper is a plain function of its context, with no
 * state kept between calls: a study is resumed by other processes and runs, which never saw the earlier
 * calls, so a rule is read from the trials it is given (`describeStopperContract` checks this).
 */
export interface Stopper {
  /** The stopper's name, which errors and the plain stop reason (`<name> said stop`) name. */
  readonly name: string;
  /** The reason to stop now (a string, or `true`), or `undefined` / `false` to go on. */
  shouldStop(context: StopContext): string | boolean | undefined;
}
