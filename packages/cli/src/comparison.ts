import type { Direction, RunResult } from '@parzen/engine';
import {
  type BestsComparison,
  RANK_TEST_MIN_RUNS,
  rankVariants,
  SIGNIFICANCE_LEVEL,
  unevenRunNotes,
  versusFirstCell,
} from '@parzen/engine/host';
import { formatNumber } from './format-number.js';
import { listNames } from './list-names.js';
import type { ReporterCutOff } from './summary-json.js';
import { formatTable } from './text-table.js';

/** How one run of a batch ended: a result, or the error that stopped it. */
export interface BatchOutcome {
  readonly variant: string;
  readonly study: string;
  readonly direction: Direction;
  readonly result?: RunResult;
  readonly error?: unknown;
  /** The config file the run came from (its `--json` error's `file`). */
  readonly configPath?: string;
  /** The reporters the run cut off because they threw. */
  readonly reportersCutOff?: readonly ReporterCutOff[];
  /**
   * Which problem the run optimized (objective and space, default: all one): each row's rank test is
   * against the first row of its own problem.
   */
  readonly problem?: string;
}

/**
 * The note under a comparison made while other processes still run trials of its studies (two
 * workers of one matrix can print different tables, and this says why), or undefined when none do.
 */
export const snapshotNote = (outcomes: readonly BatchOutcome[]): string | undefined => {
  const running = outcomes.reduce((sum, outcome) => sum + (outcome.result?.summary.running ?? 0), 0);
  if (running === 0) return undefined;
  const trials = running === 1 ? '1 trial of these studies was' : `${running} trials of these studies were`;
  return `parzen: ${trials} still running in other processes: this comparison is a snapshot, and theirs will differ (\`parzen run\` again, or \`parzen studies\`, once they end).`;
};

/** The stop reasons of rules that end a run early by design: unequal lengths are then what they do. */
const ENDED_BY_RULE: ReadonlySet<string> = new Set(['stopper', 'patience', 'loss-threshold', 'max-seconds']);

/**
 * The notes under a comparison whose bests are not like for like (`unevenRunNotes`, as the report says them):
 * runs of one variant of unequal length, runs with trials cut short, variants whose objective failed more.
 */
export const unevenNotes = (outcomes: readonly BatchOutcome[]): string[] =>
  unevenRunNotes(
    // No problem given: the table ranks every row together, so every run is compared (a variant whose
    // objective fails in its own way included: trial 72).
    outcomes.flatMap(({ variant, result }) =>
      result === undefined
        ? []
        : [
            {
              variant,
              finished: result.summary.complete + result.summary.failed + result.summary.pruned,
              failed: result.summary.failed,
              cutShort: result.summary.unfinished ?? 0,
              endedByRule: ENDED_BY_RULE.has(result.reason),
            },
          ],
    ),
  ).map((note) => `parzen: ${note.charAt(0).toLowerCase()}${note.slice(1)}`);

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
  /** Runs that found no complete trial (every trial failed or was pruned, or the run errored). */
  readonly runsWithoutBest: number;
  /**
   * The median over runs of each run's best loss, a run that found nothing ranked worst of all (null when
   * the middle of the runs falls on such runs).
   */
  readonly medianBest: number | null;
  readonly bestOfRuns: number | null;
  /** The worst run's best loss; null when a run found nothing (that run is the worst). */
  readonly worstOfRuns: number | null;
  /**
   * The fewest and most trials a run of the variant finished (complete, failed or pruned); null when no run
   * has a result. Unequal (an interrupted run, a budget changed since): the bests are not like for like.
   */
  readonly finishedTrials: { readonly min: number; readonly max: number } | null;
  /**
   * The first and third quartiles of the runs' best losses (linearly interpolated, in value order, as the
   * report's table has them), runs that found nothing ranked worst; null when either falls on such runs.
   */
  readonly quartilesBest: readonly [number, number] | null;
  /**
   * Whether the variant's run bests differ from those of `variant`, the first row of its problem (the best
   * median of the rows over the same objective and space), more than chance would make them differ: a
   * two-sided Mann–Whitney U test (`p`: exact without ties where a variant has at most 8 runs, else the normal
   * approximation; null when either variant has fewer than 4 runs). Null on the first row of each problem.
   */
  readonly versusFirst: (BestsComparison & { readonly variant: string }) | null;
  readonly studies: readonly string[];
}

/**
 * When the studies do not all share a direction, which do which ("minimize: a, b; maximize: c"): their
 * values cannot be ranked together. Undefined when they share one.
 */
export const mixedDirections = (studies: readonly { readonly study: string; readonly direction: Direction }[]) => {
  const by = (direction: Direction) => studies.filter((s) => s.direction === direction).map((s) => s.study);
  // At most three names per direction (a seeded matrix has many), then how many more.
  const minimize = by('minimize');
  const maximize = by('maximize');
  return minimize.length === 0 || maximize.length === 0
    ? undefined
    : `minimize: ${listNames(minimize)}; maximize: ${listNames(maximize)}`;
};

/** Groups a batch's runs by variant, in first-seen order, then sorts the rows by median best (best first). */
export const compareOutcomes = (outcomes: readonly BatchOutcome[]): ComparisonRow[] => {
  const groups = new Map<string, BatchOutcome[]>();
  for (const outcome of outcomes) groups.set(outcome.variant, [...(groups.get(outcome.variant) ?? []), outcome]);
  const direction = outcomes[0]?.direction ?? 'minimize';
  // Each variant's run bests, null for a run that errored or found nothing: it ranks worst (the report's table
  // has the same rule). By median best, then the best run; each row against the first of its problem (the runs of
  // a variant share one): a gap in medians may be only the seeds' (or a noisy objective's) luck, and a row of
  // another problem is no yardstick.
  const ranked = rankVariants(
    [...groups.entries()].map(([variant, runs]) => ({
      variant,
      runs,
      bests: runs.map((run) => run.result?.summary.best?.loss ?? null),
      problem: runs[0]?.problem ?? '',
    })),
    direction,
  );
  return ranked.map(({ of: { variant, runs }, summary: bests, versusFirst }) => {
    const summaries = runs.flatMap((run) => (run.result === undefined ? [] : [run.result.summary]));
    const finished = summaries.map((summary) => summary.complete + summary.failed + summary.pruned);
    return {
      variant,
      runs: runs.length,
      erroredRuns: runs.length - summaries.length,
      completeTrials: summaries.reduce((sum, summary) => sum + summary.complete, 0),
      failedTrials: summaries.reduce((sum, summary) => sum + summary.failed, 0),
      prunedTrials: summaries.reduce((sum, summary) => sum + summary.pruned, 0),
      runsWithoutBest: bests.withoutBest,
      medianBest: bests.median,
      bestOfRuns: bests.best,
      worstOfRuns: bests.worst,
      finishedTrials: finished.length === 0 ? null : { min: Math.min(...finished), max: Math.max(...finished) },
      // In value order, as the report's table (review 68: better first reversed them for maximize).
      quartilesBest: bests.quartiles,
      versusFirst,
      studies: runs.map((run) => run.study),
    };
  });
};

/**
 * What the "vs first" column means, said under a table that has it (a row tested); under a table of several rows
 * none of which is tested (each its own problem), why it has no such column; else undefined. With several problems
 * in the batch, each row is tested against the first row of its own.
 */
export const versusFirstNote = (rows: readonly ComparisonRow[]): string | undefined => {
  const firsts = rows.filter((row) => row.versusFirst === null).length;
  // Review 149: a matrix over a space bound made each row its own problem, and the column vanished unsaid.
  if (firsts === rows.length)
    return rows.length < 2
      ? undefined
      : 'No "vs first" test: each row is a problem of its own, its objective or search space unlike the others\' (a changed bound counts: a constant in the space may pick the data set, so losses over different spaces are not tested against each other). Each run\'s best is in --json, for a test of your own.';
  const against =
    firsts > 1
      ? 'the first row of its problem (the batch has several objectives or spaces: they are not tested against each other)'
      : 'the first row';
  return `vs first: p of a two-sided Mann–Whitney U test of each row's run bests against those of ${against}; at ${SIGNIFICANCE_LEVEL} or above, the gap may be chance (the seeds' luck, or a noisy objective's); below, it is unlikely from the seeds' luck alone (with many rows, some such gaps are still chance), and if the objective is noisy each best is the lowest of noisy draws, a bias the test does not cover (docs/tpe.md, "Noisy objectives"). "few runs": fewer than ${RANK_TEST_MIN_RUNS} runs in a row or its first, too few to test.`;
};

const show = (value: number | null): string => (value === null ? '-' : formatNumber(value));

/**
 * The comparison as a text table: variant, runs, median best, best, worst, the rank test against the first
 * row ("vs first", when a row is tested), trials complete/failed; the runs that errored, the runs that
 * found no complete trial ("no best": they rank worst, so the worst is "none" and the median counts them)
 * and the pruned trials in columns of their own when there are any.
 */
export const formatComparison = (rows: readonly ComparisonRow[]): string => {
  const pruned = rows.some((row) => row.prunedTrials > 0);
  const errored = rows.some((row) => row.erroredRuns > 0);
  const empty = rows.some((row) => row.runsWithoutBest > 0);
  const tested = rows.some((row) => row.versusFirst !== null);
  const columns = [
    'variant',
    'runs',
    ...(errored ? ['errored'] : []),
    ...(empty ? ['no best'] : []),
    'median best',
    'best',
    'worst',
    ...(tested ? ['vs first'] : []),
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
      ...(empty ? [String(row.runsWithoutBest)] : []),
      show(row.medianBest),
      show(row.bestOfRuns),
      row.worstOfRuns === null && row.runsWithoutBest > 0 ? 'none' : show(row.worstOfRuns),
      ...(tested ? [versusFirstCell(row.versusFirst)] : []),
      String(row.completeTrials),
      String(row.failedTrials),
      ...(pruned ? [String(row.prunedTrials)] : []),
    ]),
    new Set(columns.map((_, column) => column).slice(1)),
  );
};
