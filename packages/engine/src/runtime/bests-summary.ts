import type { Direction } from '../domain/trial.js';

/** How the final best losses of a variant's runs spread: one rule for `parzen run`'s table and the report's. */
export interface BestsSummary {
  /** The runs, with a best or not. */
  readonly runs: number;
  /** The runs that found no best (no complete trial): they rank worst. */
  readonly withoutBest: number;
  /** The median best; null when the middle of the runs falls on runs without a best. */
  readonly median: number | null;
  /**
   * The first and third quartiles in value order (lower value first, whatever the direction), linearly
   * interpolated; null when either falls on runs without a best.
   */
  readonly quartiles: readonly [number, number] | null;
  /** The best run's best; null when no run found one. */
  readonly best: number | null;
  /** The worst run's best; null when a run found nothing (that run is the worst). */
  readonly worst: number | null;
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of `ordered` values, linearly interpolated between the two nearest; null when
 * there are none, or when either of the two is null (a run without a value, ordered past the others).
 */
export const quantileOf = (ordered: readonly (number | null)[], q: number): number | null => {
  if (ordered.length === 0) return null;
  const position = q * (ordered.length - 1);
  const low = ordered[Math.floor(position)] ?? null;
  const high = ordered[Math.ceil(position)] ?? null;
  if (low === null || high === null) return null;
  return low + (high - low) * (position - Math.floor(position));
};

/**
 * Summarizes the final bests of a variant's runs (null for a run that found none). A run without a best
 * ranks after every run with one, so a median or quartile that falls on such runs is none: not the median
 * of the runs that found something, which would flatter a variant whose runs often fail.
 */
export const summarizeBests = (bests: readonly (number | null)[], direction: Direction): BestsSummary => {
  const found = bests.filter((best): best is number => best !== null);
  // Better first, then the runs without a best.
  const ranked: (number | null)[] = [...found].sort((a, b) => (direction === 'maximize' ? b - a : a - b));
  while (ranked.length < bests.length) ranked.push(null);
  const at = (q: number): number | null => quantileOf(ranked, q);
  const better = at(0.25);
  const worse = at(0.75);
  return {
    runs: bests.length,
    withoutBest: bests.length - found.length,
    median: at(0.5),
    quartiles: better === null || worse === null ? null : direction === 'maximize' ? [worse, better] : [better, worse],
    best: found.length === 0 ? null : (ranked[0] as number),
    worst: found.length < bests.length || found.length === 0 ? null : (ranked[found.length - 1] as number),
  };
};

/** One run of a batch as {@link unevenRuns} judges it. */
export interface RunLength {
  readonly variant: string;
  /** Trials the run finished, in any state (what its budget counts). */
  readonly finished: number;
  /** Of them, those that failed: the objective threw, or the trial was cut short (interrupted, stale). */
  readonly failed: number;
  /** Which problem it optimized (objective and space): runs are compared with runs of their own problem only. */
  readonly problem?: string;
}

/** The range of a count over some runs. */
export interface CountRange {
  readonly variant: string;
  readonly min: number;
  readonly max: number;
}

/**
 * Where a batch's bests are not like for like (one rule for `parzen run`'s table and the report's notes):
 * - `length`: runs of one variant that finished different numbers of trials (one was interrupted, or its
 *   budget changed), by variant, the range of their finished trials;
 * - `failed`: runs that finished as many trials as others (one budget) but more of them failed, so fewer
 *   trials were really evaluated: a trial cut short by `kill -9` or a second Ctrl-C, which is not run again
 *   and counts toward the budget, or an objective that failed in one variant more than in another (unsaid,
 *   a variant with 2 trials evaluated per run can rank above one with 12, and an interrupted run's best
 *   trial may never have run). By variant, the range of failed trials of its runs that failed more than the
 *   fewest any run of that length and problem did; variants whose runs all failed equally often are not
 *   listed.
 */
export const unevenRuns = (
  runs: readonly RunLength[],
): { readonly length: readonly CountRange[]; readonly failed: readonly CountRange[] } => {
  const variants = [...new Set(runs.map((run) => run.variant))];
  const range = (variant: string, counts: readonly number[]): CountRange => ({
    variant,
    min: Math.min(...counts),
    max: Math.max(...counts),
  });
  const length = variants
    .map((variant) =>
      range(
        variant,
        runs.filter((run) => run.variant === variant).map((run) => run.finished),
      ),
    )
    .filter(({ min, max }) => min !== max);
  const fewest = new Map<string, number>();
  const like = (run: RunLength) => `${run.problem ?? ''}\u0000${run.finished}`;
  for (const run of runs) fewest.set(like(run), Math.min(fewest.get(like(run)) ?? run.failed, run.failed));
  const failed = variants.flatMap((variant) => {
    const worse = runs.filter((run) => run.variant === variant && run.failed > (fewest.get(like(run)) ?? 0));
    return worse.length === 0
      ? []
      : [
          range(
            variant,
            worse.map((run) => run.failed),
          ),
        ];
  });
  return { length, failed };
};
