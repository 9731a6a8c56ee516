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
  /** The variant the run belongs to (runs that differ only in their seed share one). */
  readonly variant: string;
  /** Trials the run finished, in any state (what its budget counts). */
  readonly finished: number;
  /** Of them, those that failed: the objective failed, or the trial was cut short (interrupted, stale). */
  readonly failed: number;
  /**
   * Of the failed, those cut short (`INTERRUPTED`, `STALE_TRIAL`: a stopped run, a lost worker), not failed
   * by the objective; default 0.
   */
  readonly cutShort?: number;
  /**
   * Whether a rule that ends a run early by design ended it (a stopper, `patience`, `lossThreshold`,
   * `maxSeconds`): runs of unequal length are then what the rule does, not a flaw of the comparison. Not
   * given (for every run) when why the runs ended is not known: a report read from stores, which keep no stop
   * reason; the notes then name the possible causes without judging.
   */
  readonly endedByRule?: boolean;
  /** Which problem it optimized (objective and space): runs are compared with runs of their own problem only. */
  readonly problem?: string;
}

/** The range of a count over some runs. */
export interface CountRange {
  /** The variant whose runs are counted. */
  readonly variant: string;
  /** The lowest count among those runs. */
  readonly min: number;
  /** The highest count among those runs. */
  readonly max: number;
}

/** A variant whose objective failed more often than another's, with that other's range (`than`). */
export interface FailedMore extends CountRange {
  /** The failures of the variant that failed fewest among runs of that length and problem. */
  readonly than: CountRange;
}

/**
 * Where a batch's bests are not like for like (one rule for `parzen run`'s table and the report's notes):
 * - `length`: runs of one variant that finished different numbers of trials (one was interrupted, or its
 *   budget changed), by variant, the range of their finished trials; `endedByRule`: the same where each
 *   shorter run was ended by a rule that ends runs early (a stopper, patience, lossThreshold, maxSeconds),
 *   which is what such a rule does;
 * - `cutShort`: runs with trials cut short (`kill -9`, a second Ctrl-C, a lost worker), which are not run
 *   again and count toward the budget, so fewer trials were evaluated; by variant, the range of such trials
 *   over its runs that had any;
 * - `failed`: variants whose objective failed more often than another variant's, among runs of one length
 *   and problem: every run of the variant failed more trials than every run of the variant that failed
 *   fewest (`than`), so its bests come from fewer evaluated trials (unsaid, a variant with 2 trials evaluated
 *   per run can rank above one with 12). Runs of one variant that differ among themselves are seeds, not a
 *   difference between variants, and the variant that failed fewest is never named.
 */
export const unevenRuns = (
  runs: readonly RunLength[],
): {
  /** Variants whose runs finished different numbers of trials, not all by a rule: their finished trials' range. */
  readonly length: readonly CountRange[];
  /** Variants whose shorter runs a rule ended early (as such a rule does): their finished trials' range. */
  readonly endedByRule: readonly CountRange[];
  /** Variants with runs that had trials cut short: the range of such trials over those runs. */
  readonly cutShort: readonly CountRange[];
  /** Variants whose objective failed more often than another's, in runs of one length and problem. */
  readonly failed: readonly FailedMore[];
} => {
  const variants = [...new Set(runs.map((run) => run.variant))];
  const range = (variant: string, counts: readonly number[]): CountRange => ({
    variant,
    min: Math.min(...counts),
    max: Math.max(...counts),
  });
  const uneven = variants.flatMap((variant) => {
    const own = runs.filter((run) => run.variant === variant);
    const spread = range(
      variant,
      own.map((run) => run.finished),
    );
    if (spread.min === spread.max) return [];
    const byRule = own.every((run) => run.finished === spread.max || run.endedByRule === true);
    return [{ spread, byRule }];
  });
  const cutShort = variants.flatMap((variant) => {
    const cut = runs.filter((run) => run.variant === variant && (run.cutShort ?? 0) > 0);
    return cut.length === 0
      ? []
      : [
          range(
            variant,
            cut.map((run) => run.cutShort ?? 0),
          ),
        ];
  });
  // The objective's failures, by variant, among runs of one problem and length.
  const groups = new Map<string, Map<string, number[]>>();
  for (const run of runs) {
    const key = `${run.problem ?? ''}\u0000${run.finished}`;
    const group = groups.get(key) ?? new Map<string, number[]>();
    groups.set(key, group);
    group.set(run.variant, [...(group.get(run.variant) ?? []), run.failed - (run.cutShort ?? 0)]);
  }
  const failed = [...groups.values()].flatMap((group) => {
    const ranges = [...group].map(([variant, counts]) => range(variant, counts));
    const than = ranges.reduce((fewest, next) => (next.max < fewest.max ? next : fewest));
    return ranges.filter((row) => row.min > than.max).map((row) => ({ ...row, than }));
  });
  return {
    length: uneven.filter(({ byRule }) => !byRule).map(({ spread }) => spread),
    endedByRule: uneven.filter(({ byRule }) => byRule).map(({ spread }) => spread),
    cutShort,
    failed,
  };
};

/**
 * The notes under a comparison of `runs` whose bests are not like for like ({@link unevenRuns}), as sentences:
 * `parzen run` and the report say the same.
 */
export const unevenRunNotes = (runs: readonly RunLength[]): string[] => {
  const { length, endedByRule, cutShort, failed } = unevenRuns(runs);
  // Review 155: a report said a stopper's runs were "not like for like" while `parzen run` said "as expected".
  const whyUnknown = runs.every((run) => run.endedByRule === undefined);
  const span = (min: number, max: number) => (min === max ? String(min) : `${min}–${max}`);
  const list = (ranges: readonly CountRange[], unit: string) =>
    ranges.map(({ variant, min, max }) => `${variant} (${span(min, max)} ${unit})`).join(', ');
  return [
    ...(length.length === 0
      ? []
      : whyUnknown
        ? [
            `Runs of unequal length (a stopper, a time budget, an interruption or a budget changed between runs ended some early; the stores do not keep which), their bests come from different numbers of trials: ${list(length, 'finished trials')}.`,
          ]
        : [
            `Runs of unequal length (an interrupted run, a budget changed between runs), their bests not like for like: ${list(length, 'finished trials')}.`,
          ]),
    ...(endedByRule.length === 0
      ? []
      : [
          `Runs of unequal length as their stopper or budget (patience, lossThreshold, maxSeconds) ended them, as expected: their bests come from different numbers of trials: ${list(endedByRule, 'finished trials')}.`,
        ]),
    ...(cutShort.length === 0
      ? []
      : [
          `Runs with trials cut short (kill -9, a second Ctrl-C, a lost worker), which count toward the budget and are not run again (an enqueued entry's runs again, in a trial of its own that counts too): their bests come from fewer evaluated trials, not like for like: ${list(cutShort, 'cut short')}. \`parzen run CONFIG --study NAME --more-trials N\` runs one study's N more.`,
        ]),
    ...(failed.length === 0
      ? []
      : [
          `Variants whose objective failed more often than another's in runs of the same length, so their bests come from fewer evaluated trials (how often a suggester tries where the objective fails is part of what is compared): ${failed
            .map(
              ({ variant, min, max, than }) =>
                `${variant} (${span(min, max)} failed per run; ${than.variant} ${span(than.min, than.max)})`,
            )
            .join(', ')}.`,
        ]),
  ];
};
