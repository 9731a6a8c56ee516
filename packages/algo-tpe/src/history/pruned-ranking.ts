import { type Direction, lossToMinimize, type Trial } from '@parzen/engine/plugin';

interface Ranked {
  /** Optuna's key: (−last step, loss reported there), or (1, 0) for a trial that reported nothing. */
  readonly first: number;
  readonly second: number;
  readonly number: number;
}

const compare = (a: Ranked, b: Ranked): number => a.first - b.first || a.second - b.second || a.number - b.number;

/** Optuna's `_get_pruned_trial_score` (tpe/sampler.py) as a sort key; the loss is negated when maximizing. */
const rankOf = (trial: Trial, direction: Direction): Ranked => {
  const last = trial.intermediate?.at(-1);
  if (last === undefined) return { first: 1, second: 0, number: trial.number };
  const loss = lossToMinimize(last.value, direction);
  return { first: -last.step, second: Number.isNaN(loss) ? Number.POSITIVE_INFINITY : loss, number: trial.number };
};

/**
 * Pruned trials in the order Optuna's TPE ranks them after the complete ones: the deepest last step
 * first, then the best value reported there, trials with no report last (ties by number). Inserts are
 * queued and sorted in on the next read.
 */
export class PrunedRanking {
  private ranked: Ranked[] = [];
  private pending: Ranked[] = [];
  private numbers: number[] = [];

  /** Number of pruned trials. */
  get size(): number {
    this.flush();
    return this.ranked.length;
  }

  /** Their numbers, best ranked first. */
  get tags(): readonly number[] {
    this.flush();
    return this.numbers;
  }

  /** Entry i's last reported step and the loss there (to minimise), undefined when it reported nothing. */
  lastReport(i: number):
    | {
        /** The step of its last report. */
        readonly step: number;
        /** The value reported there, as a loss to minimise (a maximize study's negated). */
        readonly loss: number;
      }
    | undefined {
    this.flush();
    const entry = this.ranked[i];
    return entry === undefined || entry.first > 0 ? undefined : { step: -entry.first, loss: entry.second };
  }

  /** Queues a pruned trial. */
  insert(trial: Trial, direction: Direction): void {
    this.pending.push(rankOf(trial, direction));
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.ranked = [...this.ranked, ...this.pending].sort(compare);
    this.pending = [];
    this.numbers = this.ranked.map((entry) => entry.number);
  }
}
