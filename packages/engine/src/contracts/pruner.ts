import type { Direction, RunningTrial, Trial } from '../domain/trial.js';

/** What a pruner judges: one running trial that just reported, against the study's other trials. */
export interface PruneContext {
  /** The name of the study (the key its store keeps it under). */
  readonly study: string;
  /** Whether a lower or a higher value is better (intermediate values are in the study's direction). */
  readonly direction: Direction;
  /**
   * The trial being judged, with its intermediate values so far (the latest report included). The values
   * of this process's running trials are the run's own list, which grows as they report: read them during
   * the call, and copy what you keep (a copy per report would make a trial of n reports cost O(n²)).
   */
  readonly trial: RunningTrial;
  /**
   * The step just reported. Not always the highest step of `trial`: a trial may report out of order (step 5,
   * then 3; its intermediate values are kept in step order). The built-in pruners judge the highest step
   * reported, `trial.intermediate.at(-1).step`, as Optuna does (its `last_step`); judge that one to agree.
   */
  readonly step: number;
  /**
   * Every trial of the study as the store has it (other processes' too), with their intermediate
   * values; `trial` is among them. The array is the engine's and stays as it is while `shouldPrune` runs;
   * copy what you keep past the call (the entries of running trials are updated in place as they report).
   * Finished trials never change (the same number, the same trial): what a pruner derives from them may be
   * kept from report to report, adding only the trials it has not seen (the median pruner does).
   */
  readonly trials: readonly Trial[];
}

/**
 * Decides, each time a running trial reports an intermediate value, whether it should stop early. A
 * pruner's answer is a function of its context alone (median, percentile, successive halving, ...): what it
 * keeps between calls only spares work (the median pruner keeps the finished trials' values, as finished
 * trials never change); the engine asks it after every report and tells the objective through
 * `EvaluationContext.shouldPrune()`.
 */
export interface Pruner {
  /** The pruner's name, which errors name. A pruner named `none` is never asked, and needs no store support. */
  readonly name: string;
  /** Whether the reporting trial should stop now. */
  shouldPrune(context: PruneContext): boolean;
}
