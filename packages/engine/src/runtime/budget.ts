import { bestTrial, type Direction, isBetter, type Trial } from '../domain/trial.js';
import type { StopReason } from '../events/engine-event.js';

/**
 * When a run stops. `maxTrials` counts every trial of the study (earlier runs, other processes and
 * failed trials included); `moreTrials` asks for that many trials beyond those the study had when this
 * run started. At least one rule should be set, or the run goes on until it is interrupted.
 */
export interface Budget {
  /** Stop when the study has this many trials (earlier runs, other workers and failed trials count). */
  readonly maxTrials?: number | undefined;
  /** Stop after this many trials beyond those the study had when the run started. */
  readonly moreTrials?: number | undefined;
  /** Wall-clock limit of this run; running trials finish, no new one starts. */
  readonly maxSeconds?: number | undefined;
  /**
   * Stop once the study's best loss reaches this (at or below it when minimizing, at or above when
   * maximizing), checked before each new trial: other workers' trials count too.
   */
  readonly lossThreshold?: number | undefined;
  /**
   * Stop after this many finished trials without improving the study's best loss, counted over the
   * study before each new trial: the trials finished after its best one in earlier runs and other workers
   * count too (a worker's own improvement that does not improve the study's best restarts nothing), so a study
   * that has already gone that long runs only its new enqueue entries (as with `lossThreshold` once
   * reached). While no trial has a loss the count starts with the run.
   */
  readonly patience?: number | undefined;
  /**
   * Stop once this many trials of this run failed in a row (a complete or pruned trial starts the count
   * again; an interrupted one neither counts nor resets it). Counted per run, so a run after a fix starts
   * afresh. Unset, the rule applies with 10 only until a trial of the run completes or is pruned: an
   * objective that does not work (a missing import, a wrong path, a loss printed in the wrong form, a
   * resumed study whose environment changed) spends ten trials, not the budget, and a space where some
   * regions fail is not stopped once a trial of the run has worked (10 in a row do happen there).
   * Set, it applies always.
   */
  readonly maxConsecutiveFailures?: number | undefined;
}

/** How many failures in a row stop a run none of whose trials has worked yet, when the budget sets no limit. */
export const DEFAULT_MAX_CONSECUTIVE_FAILURES = 10;

/**
 * Where a study's patience stands: its best loss, and how many trials finished after its best one (by finish time, then
 * number; `stale` ones, failed as this run begins, count too). None while no trial has a loss: the count then starts
 * with the run (so a study whose trials have all failed can run again).
 */
export const patienceOf = (
  trials: readonly Trial[],
  direction: Direction,
  stale: ReadonlySet<number> = new Set(),
): { readonly best: number | undefined; readonly since: number } => {
  const best = bestTrial(trials, direction);
  if (best === undefined) return { best: undefined, since: 0 };
  // Finished after the best, by time (trial number breaks a tie): trials imported with their own, earlier
  // times are not "since" it, whatever numbers they were given (review 35). Stale ones fail now.
  const since = trials.filter((trial) =>
    trial.state === 'running'
      ? stale.has(trial.number)
      : trial.finishedAt > best.finishedAt || (trial.finishedAt === best.finishedAt && trial.number > best.number),
  ).length;
  return { best: best.loss, since };
};

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
  private failuresInARow = 0;
  /** Whether a trial of this run completed or was pruned (its objective ran). */
  private runWorked = false;
  // A monotonic clock: a step of the wall clock (NTP correcting it, a date set by hand) neither ends a run
  // early nor lets it overrun (trial 53: a step of a day ended a 3,600 s run after 2 s).
  private readonly startedAt = performance.now();

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

  /**
   * Takes the study's best loss and the finished trials since it as they are now (other workers' trials
   * included): a worker's own count misses their improvements.
   */
  resync(best: number | undefined, sinceImprovement: number): void {
    this.best = best;
    this.sinceImprovement = sinceImprovement;
  }

  /**
   * Records a finished trial of this run (its loss, if it has one; `failed`: it failed, `neutral`: it was
   * interrupted, which says nothing of the objective); returns true when it improved the best value.
   */
  record(value: number | undefined, ended: 'failed' | 'neutral' | 'other' = 'other'): boolean {
    if (ended === 'failed') this.failuresInARow++;
    else if (ended === 'other') {
      this.failuresInARow = 0;
      this.runWorked = true;
    }
    if (value !== undefined && isBetter(value, this.best, this.direction)) {
      this.best = value;
      this.sinceImprovement = 0;
      return true;
    }
    this.sinceImprovement += 1;
    return false;
  }

  /** The default failure rule: no trial of this run has worked, and its last 10 failed. */
  private failuresNeverWorked(): boolean {
    return !this.runWorked && this.failuresInARow >= DEFAULT_MAX_CONSECUTIVE_FAILURES;
  }

  /** Whether a trial of this run has completed or been pruned (the default failure rule then lets failures go on). */
  worked(): boolean {
    return this.runWorked;
  }

  /** How many of this run's trials have failed in a row since its last trial that did not fail. */
  failedInARow(): number {
    return this.failuresInARow;
  }

  /** How many failures in a row stop the run now (the budget's, or the default's). */
  failureLimit(): number {
    return this.budget.maxConsecutiveFailures ?? DEFAULT_MAX_CONSECUTIVE_FAILURES;
  }

  /** Milliseconds until `maxSeconds` has passed (0 once it has); undefined without one. */
  msLeft(): number | undefined {
    const { maxSeconds } = this.budget;
    return maxSeconds === undefined ? undefined : Math.max(0, maxSeconds * 1000 - (performance.now() - this.startedAt));
  }

  /** The rule that says stop now, if any. */
  stopReason(): StopReason | undefined {
    const { maxSeconds, lossThreshold, patience, maxConsecutiveFailures } = this.budget;
    if (
      maxConsecutiveFailures !== undefined ? this.failuresInARow >= maxConsecutiveFailures : this.failuresNeverWorked()
    )
      return 'failures';
    if (lossThreshold !== undefined && this.best !== undefined) {
      const reached = this.direction === 'maximize' ? this.best >= lossThreshold : this.best <= lossThreshold;
      if (reached) return 'loss-threshold';
    }
    if (patience !== undefined && this.sinceImprovement >= patience) return 'patience';
    if (maxSeconds !== undefined && performance.now() - this.startedAt >= maxSeconds * 1000) return 'max-seconds';
    return undefined;
  }
}
