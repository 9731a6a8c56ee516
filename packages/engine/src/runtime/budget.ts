import { type Direction, isBetter } from '../domain/trial.js';
import type { StopReason } from '../events/engine-event.js';

/**
 * When a run stops. `maxTrials` counts every trial of the study (earlier runs, other processes and
 * failed trials included); `moreTrials` asks for that many trials beyond those the study had when this
 * run started. At least one rule should be set, or the run goes on until it is aborted.
 */
export interface Budget {
  readonly maxTrials?: number;
  readonly moreTrials?: number;
  /** Wall-clock limit of this run; running trials finish, no new one starts. */
  readonly maxSeconds?: number;
  /** Stop once the best value reaches this (at or below it when minimizing, at or above when maximizing). */
  readonly lossThreshold?: number;
  /**
   * Stop after this many finished trials without improving the study's best value, counted over the
   * study: the trials finished after its best one in earlier runs count too, so a study that has already
   * gone that long stops before a new trial (as `lossThreshold` does once reached).
   */
  readonly patience?: number;
}

/** The trial-count limit of a run that starts with `existing` trials. */
export const trialLimit = (budget: Budget, existing: number): number | undefined => {
  const limits = [budget.maxTrials, budget.moreTrials === undefined ? undefined : existing + budget.moreTrials];
  const set = limits.filter((limit): limit is number => limit !== undefined);
  return set.length === 0 ? undefined : Math.min(...set);
};

/** Tracks the stopping rules other than the trial count (which the store enforces atomically). */
export class BudgetTracker {
  private best: number | undefined;
  private sinceImprovement = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly budget: Budget,
    private readonly direction: Direction,
    initialBest: number | undefined,
    /** Finished trials of the study after its best one (all of them when none has a loss yet). */
    sinceImprovement = 0,
  ) {
    this.best = initialBest;
    this.sinceImprovement = sinceImprovement;
  }

  /** Records a finished trial of this run; returns true when it improved the best value. */
  record(value: number | undefined): boolean {
    if (value !== undefined && isBetter(value, this.best, this.direction)) {
      this.best = value;
      this.sinceImprovement = 0;
      return true;
    }
    this.sinceImprovement += 1;
    return false;
  }

  /** The rule that says stop now, if any. */
  stopReason(): StopReason | undefined {
    const { maxSeconds, lossThreshold, patience } = this.budget;
    if (lossThreshold !== undefined && this.best !== undefined) {
      const reached = this.direction === 'maximize' ? this.best >= lossThreshold : this.best <= lossThreshold;
      if (reached) return 'loss-threshold';
    }
    if (patience !== undefined && this.sinceImprovement >= patience) return 'patience';
    if (maxSeconds !== undefined && Date.now() - this.startedAt >= maxSeconds * 1000) return 'max-seconds';
    return undefined;
  }
}
