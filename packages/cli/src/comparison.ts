import type { Direction, RunResult } from '@parzen/engine';
import { isBetter } from '@parzen/engine/plugin';
import { formatNumber } from './format-number.js';
import { formatTable } from './text-table.js';

/** How one run of a batch ended: a result, or the error that stopped it. */
export interface BatchOutcome {
  readonly variant: string;
  readonly study: string;
  readonly direction: Direction;
  readonly result?: RunResult;
  readonly error?: unknown;
}

/** A row of the comparison: the runs of one variant (they differ only in seed). */
export interface ComparisonRow {
  readonly variant: string;
  readonly runs: number;
  /** Runs that ended in an error (no result). */
  readonly erroredRuns: number;
  readonly completeTrials: number;
  readonly failedTrials: number;
  /** Trials a pruner stopped, over the variant's runs. */
  readonly prunedTrials: number;
  /** The median over runs of each run's best loss (runs without a complete trial left out). */
  readonly medianBest: number | null;
  readonly bestOfRuns: number | null;
  readonly worstOfRuns: number | null;
  readonly studies: readonly string[];
}

const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const extreme = (values: readonly number[], direction: Direction, best: boolean): number | null =>
  values.reduce<number | null>(
    (found, value) => (found === null || isBetter(value, found, direction) === best ? value : found),
    null,
  );

/**
 * When the studies do not all share a direction, which do which ("minimize: a, b; maximize: c"): their
 * values cannot be ranked together. Undefined when they share one.
 */
export const mixedDirections = (studies: readonly { readonly study: string; readonly direction: Direction }[]) => {
  const by = (direction: Direction) => studies.filter((s) => s.direction === direction).map((s) => s.study);
  // At most three names per direction (a seeded matrix has many), then how many more.
  const listed = (names: readonly string[]) =>
    names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  const minimize = by('minimize');
  const maximize = by('maximize');
  return minimize.length === 0 || maximize.length === 0
    ? undefined
    : `minimize: ${listed(minimize)}; maximize: ${listed(maximize)}`;
};

/** Groups a batch's runs by variant, in first-seen order, then sorts the rows by median best (best first). */
export const compareOutcomes = (outcomes: readonly BatchOutcome[]): ComparisonRow[] => {
  const groups = new Map<string, BatchOutcome[]>();
  for (const outcome of outcomes) groups.set(outcome.variant, [...(groups.get(outcome.variant) ?? []), outcome]);
  const direction = outcomes[0]?.direction ?? 'minimize';
  const rows = [...groups.entries()].map(([variant, runs]): ComparisonRow => {
    const summaries = runs.flatMap((run) => (run.result === undefined ? [] : [run.result.summary]));
    const bests = summaries.flatMap((summary) => (summary.best === undefined ? [] : [summary.best.loss]));
    return {
      variant,
      runs: runs.length,
      erroredRuns: runs.length - summaries.length,
      completeTrials: summaries.reduce((sum, summary) => sum + summary.complete, 0),
      failedTrials: summaries.reduce((sum, summary) => sum + summary.failed, 0),
      prunedTrials: summaries.reduce((sum, summary) => sum + summary.pruned, 0),
      medianBest: median(bests),
      bestOfRuns: extreme(bests, direction, true),
      worstOfRuns: extreme(bests, direction, false),
      studies: runs.map((run) => run.study),
    };
  });
  const rank = (row: ComparisonRow) =>
    row.medianBest === null ? Number.POSITIVE_INFINITY : direction === 'maximize' ? -row.medianBest : row.medianBest;
  return rows.sort((a, b) => rank(a) - rank(b));
};

const show = (value: number | null): string => (value === null ? '-' : formatNumber(value));

/**
 * The comparison as a text table: variant, runs, median best, best, worst, trials complete/failed; the runs
 * that errored and the pruned trials in columns of their own when there are any.
 */
export const formatComparison = (rows: readonly ComparisonRow[]): string => {
  const pruned = rows.some((row) => row.prunedTrials > 0);
  const errored = rows.some((row) => row.erroredRuns > 0);
  const columns = [
    'variant',
    'runs',
    ...(errored ? ['errored'] : []),
    'median best',
    'best',
    'worst',
    'complete',
    'failed',
    ...(pruned ? ['pruned'] : []),
  ];
  return formatTable(
    columns,
    rows.map((row) => [
      row.variant,
      String(row.runs),
      ...(errored ? [String(row.erroredRuns)] : []),
      show(row.medianBest),
      show(row.bestOfRuns),
      show(row.worstOfRuns),
      String(row.completeTrials),
      String(row.failedTrials),
      ...(pruned ? [String(row.prunedTrials)] : []),
    ]),
    new Set(columns.map((_, column) => column).slice(1)),
  );
};
