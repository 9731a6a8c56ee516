import type { Direction } from '../domain/trial.js';
import { type BestsSummary, summarizeBests } from './bests-summary.js';

/**
 * The Mann–Whitney U test as pure functions: one implementation for `parzen run`'s batch comparison, the
 * report's comparison page and the benchmarks.
 */

/** erfc(x) by the Chebyshev fit of Numerical Recipes (`erfcc`): fractional error below 1.2e-7 everywhere. */
export const erfc = (x: number): number => {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
};

/** Result of {@link mannWhitney}. */
export interface MannWhitneyResult {
  /** U of the first sample: pairs (x, y) with x > y, plus half the ties (scipy's `statistic`). */
  readonly u: number;
  /** Two-sided p-value; 1 when every value ties. */
  readonly p: number;
  /** −1 when the first sample tends to be smaller (U below its mean), +1 when larger, 0 when neither. */
  readonly direction: -1 | 0 | 1;
  /**
   * How p was found: `exact` from the distribution of U (no ties, and one sample of at most 8), else
   * `asymptotic`, the normal approximation with tie and continuity corrections.
   */
  readonly method: 'exact' | 'asymptotic';
}

/**
 * How many of the `m`·`n`+1 values of U each arrangement of two untied samples of sizes m and n gives: the
 * coefficients of the Gaussian binomial [m+n choose m], built one factor (1 − q^(n+i)) / (1 − q^i) at a time
 * (each partial product is itself a polynomial, so the division is exact).
 */
const uCounts = (m: number, n: number): bigint[] => {
  const small = Math.min(m, n);
  const large = Math.max(m, n);
  let counts: bigint[] = [1n];
  for (let i = 1; i <= small; i++) {
    const times = [...counts, ...Array<bigint>(large + i).fill(0n)];
    for (let k = times.length - 1; k >= large + i; k--) times[k] = (times[k] as bigint) - (counts[k - large - i] ?? 0n);
    for (let k = i; k < times.length; k++) times[k] = (times[k] as bigint) + (times[k - i] as bigint);
    counts = times.slice(0, i * large + 1);
  }
  return counts;
};

/**
 * Two-sided Mann–Whitney U test of samples `x` and `y`, as scipy's `mannwhitneyu(x, y,
 * alternative="two-sided")`: with `method` `auto` (scipy's default), exact when there are no ties and one
 * sample has at most 8 values, else the normal approximation with tie and continuity corrections;
 * `asymptotic` always the approximation.
 */
export const mannWhitney = (
  x: readonly number[],
  y: readonly number[],
  method: 'auto' | 'asymptotic' = 'auto',
): MannWhitneyResult => {
  const n1 = x.length;
  const n2 = y.length;
  const n = n1 + n2;
  const all = [...x.map((value) => ({ value, first: true })), ...y.map((value) => ({ value, first: false }))].sort(
    (a, b) => a.value - b.value,
  );
  let rankSum = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && (all[j + 1] as { value: number }).value === (all[i] as { value: number }).value) j++;
    const t = j - i + 1;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if ((all[k] as { first: boolean }).first) rankSum += rank;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const direction = u < mean ? -1 : u > mean ? 1 : 0;
  const larger = Math.max(u, n1 * n2 - u);
  if (method === 'auto' && tieTerm === 0 && Math.min(n1, n2) <= 8 && n1 > 0 && n2 > 0) {
    // Twice the chance of a U at least as far above its mean, the larger U of the two samples.
    const counts = uCounts(n1, n2);
    const total = counts.reduce((sum, count) => sum + count, 0n);
    const tail = counts.slice(larger).reduce((sum, count) => sum + count, 0n);
    return { u, p: Math.min(1, (2 * Number(tail)) / Number(total)), direction, method: 'exact' };
  }
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (!(sigma > 0)) return { u, p: 1, direction, method: 'asymptotic' };
  const z = (larger - mean - 0.5) / sigma;
  return { u, p: Math.min(1, erfc(z / Math.SQRT2)), direction, method: 'asymptotic' };
};

/** The p-value below which the comparisons call a difference significant. */
export const SIGNIFICANCE_LEVEL = 0.05;

/**
 * A p-value for people: two significant digits (more where two would round it across
 * {@link SIGNIFICANCE_LEVEL}, so 0.0496 is not shown as 0.05), and `<0.001` below 0.001.
 */
export const shownPValue = (p: number): string => {
  if (p < 0.001) return '<0.001';
  let digits = 2;
  while (Number(p.toPrecision(digits)) < SIGNIFICANCE_LEVEL !== p < SIGNIFICANCE_LEVEL && digits < 6) digits++;
  return String(Number(p.toPrecision(digits)));
};

/** The fewest runs each of two variants needs for {@link compareBests} to test them. */
export const RANK_TEST_MIN_RUNS = 4;

/** How a variant's run bests compare with the leading variant's: {@link compareBests}. */
export interface BestsComparison {
  /** The two-sided p-value; null when either variant has fewer than {@link RANK_TEST_MIN_RUNS} runs. */
  readonly p: number | null;
  /** How p was found (see {@link MannWhitneyResult.method}); null with p. */
  readonly method: 'exact' | 'asymptotic' | null;
}

/**
 * Tests whether a variant's final best losses (one per run, null for a run that found none) differ from the
 * leading variant's more than seed-to-seed noise would: a two-sided Mann–Whitney U test ({@link mannWhitney},
 * `auto`), a run without a best ranking worst of all, as in the median. With fewer than
 * {@link RANK_TEST_MIN_RUNS} runs in either variant no p-value is given: with 3 against 3 even two variants
 * whose every run ranks apart have p = 0.1.
 */
export const compareBests = (
  bests: readonly (number | null)[],
  leader: readonly (number | null)[],
  direction: Direction,
): BestsComparison => {
  if (bests.length < RANK_TEST_MIN_RUNS || leader.length < RANK_TEST_MIN_RUNS) return { p: null, method: null };
  // As losses to minimize, a run without a best above every other (it ties only with its like).
  const ranked = (values: readonly (number | null)[]) =>
    values.map((value) => (value === null ? Number.POSITIVE_INFINITY : direction === 'maximize' ? -value : value));
  const { p, method } = mannWhitney(ranked(bests), ranked(leader));
  return { p, method };
};

/** A variant's run bests, as {@link rankVariants} takes them. */
export interface VariantBests {
  /** The variant's name (its runs differ only in their seed). */
  readonly variant: string;
  /** One per run: the run's best loss, null for a run that found none (or ended in an error). */
  readonly bests: readonly (number | null)[];
  /** Which problem its runs optimized (objective and space; default: all one): tested within its own only. */
  readonly problem?: string;
}

/** A variant as {@link rankVariants} ranks it: its bests' summary and its test against the first of its problem. */
export interface RankedVariant<V extends VariantBests> {
  /** The variant as it was given. */
  readonly of: V;
  /** How its run bests spread (median, quartiles, best, worst). */
  readonly summary: BestsSummary;
  /**
   * The rank test ({@link compareBests}) of its run bests against those of `variant`, the first variant of its
   * problem; null on that first.
   */
  readonly versusFirst:
    | (BestsComparison & {
        /** The first variant of its problem, which it is tested against. */
        readonly variant: string;
      })
    | null;
}

/**
 * Variants ranked by their runs' median best, then by their best run, in the study's direction (a median or a
 * best that is none ranks last), each tested against the first of its problem: one rule for `parzen run`'s
 * comparison and the report's table (their "vs first" column).
 */
export const rankVariants = <V extends VariantBests>(
  variants: readonly V[],
  direction: Direction,
): RankedVariant<V>[] => {
  const rank = (value: number | null) =>
    value === null ? Number.POSITIVE_INFINITY : direction === 'maximize' ? -value : value;
  const ranked = variants
    .map((of) => ({ of, summary: summarizeBests(of.bests, direction) }))
    .sort(
      (a, b) => rank(a.summary.median) - rank(b.summary.median) || rank(a.summary.best) - rank(b.summary.best) || 0,
    );
  const firstOf = new Map<string, V>();
  for (const { of } of ranked) if (!firstOf.has(of.problem ?? '')) firstOf.set(of.problem ?? '', of);
  return ranked.map(({ of, summary }) => {
    const first = firstOf.get(of.problem ?? '') ?? of;
    return {
      of,
      summary,
      versusFirst: first === of ? null : { variant: first.variant, ...compareBests(of.bests, first.bests, direction) },
    };
  });
};

/** A "vs first" cell: `p=0.03` or `p<0.001`, `few runs` when the test was not made, `-` on a first row. */
export const versusFirstCell = (versusFirst: BestsComparison | null): string => {
  if (versusFirst === null) return '-';
  const { p } = versusFirst;
  if (p === null) return 'few runs';
  const shown = shownPValue(p);
  return shown.startsWith('<') ? `p${shown}` : `p=${shown}`;
};
