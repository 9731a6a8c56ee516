import {
  compareBests,
  cutShort,
  quantileOf,
  RANK_TEST_MIN_RUNS,
  rankVariants,
  SIGNIFICANCE_LEVEL,
  shownPValue,
  unevenRunNotes,
  versusFirstCell,
} from '@parzen/engine/host';
import { type Direction, isStale, lossToMinimize, type Trial } from '@parzen/engine/plugin';
import { base, decadeLabel, extent, lossAxis, sig } from './charts/common.js';
import type { Chart, ReportPage } from './types.js';

/** One run of a batch: its variant, seed and loss per trial in number order (null: no loss). */
export interface ComparisonRun {
  /** The variant the run belongs to: its curves, box and table row are the variant's. */
  readonly variant: string;
  /** The run's seed, as the table lists it. */
  readonly seed: number | string;
  /** Whether the run minimized or maximized its objective (a batch's runs share one). */
  readonly direction: Direction;
  /** Each trial's loss, in trial-number order: null for a trial that did not complete. */
  readonly values: readonly (number | null)[];
  /**
   * Which problem the run optimized (runs of one problem share a regret reference; default: all one). A
   * batch of configs over different objectives or spaces compares each run with the best of its own problem
   * (with one reference, a problem whose minimum is 0 draws every variant flat at the other's).
   */
  readonly problem?: string;
  /** Trials of the run still running when it was read (a study other processes are still writing). */
  readonly running?: number;
  /** Trials of the run that failed (the objective failed, or the trial was cut short); default 0. */
  readonly failed?: number;
  /** Of the failed, those cut short (`INTERRUPTED`, `STALE_TRIAL`), not failed by the objective; default 0. */
  readonly cutShort?: number;
  /** Trials of the run a pruner stopped (null in `values`, as a failed one); default 0. */
  readonly pruned?: number;
}

/** How {@link buildComparison} measures regret and how much it draws. */
export interface ComparisonOptions {
  /** The page's heading (default `Parzen comparison`). */
  readonly title?: string;
  /** The known optimum (a loss); default: the best loss any run found. */
  readonly optimum?: number;
  /** Trial counts drawn per curve, at most (default 200, evenly spaced, the last always). */
  readonly maxSteps?: number;
}

/** A comparison run from a study's trials (complete trials' losses; everything else is null). */
export const comparisonRunFromTrials = (
  variant: string,
  seed: number | string,
  direction: Direction,
  trials: readonly Trial[],
  problem?: string,
  now: Date = new Date(),
): ComparisonRun => ({
  variant,
  seed,
  direction,
  values: [...trials].sort((a, b) => a.number - b.number).map((t) => (t.state === 'complete' ? t.loss : null)),
  ...(problem === undefined ? {} : { problem }),
  ...runningOf(trials, now),
  ...failedOf(trials),
});

const failedOf = (trials: readonly Trial[]): { failed?: number; cutShort?: number; pruned?: number } => {
  const failed = trials.filter((t) => t.state === 'failed').length;
  const cut = trials.filter(cutShort).length;
  const pruned = trials.filter((t) => t.state === 'pruned').length;
  return {
    ...(failed === 0 ? {} : { failed }),
    ...(cut === 0 ? {} : { cutShort: cut }),
    ...(pruned === 0 ? {} : { pruned }),
  };
};

/**
 * How many trials are still running, as {@link ComparisonRun.running}: not those whose worker is gone (its
 * process ended, or its lease lapsed), which no one will finish (review 58: they were counted as running).
 */
const runningOf = (trials: readonly Trial[], now: Date): { running?: number } => {
  const running = trials.filter((t) => t.state === 'running' && !isStale(t.lease, now, '')).length;
  return running === 0 ? {} : { running };
};

/**
 * A page made while trials run is a snapshot (trial 56: a comparison made during a run said nothing of it;
 * `parzen run`'s own comparison and the study page did).
 */
const runningNote = (runs: readonly ComparisonRun[]): string[] => {
  const live = runs.filter((run) => (run.running ?? 0) > 0);
  if (live.length === 0) return [];
  const count = live.reduce((sum, run) => sum + (run.running ?? 0), 0);
  const names = live.map((run) => `${run.variant} seed ${run.seed}`);
  return [
    `${count} ${count === 1 ? 'trial was' : 'trials were'} still running when this page was made, in ${live.length === 1 ? 'one run' : `${live.length} runs`} (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}): it is a snapshot, and their curves and final bests may still change.`,
  ];
};

/** A number as the page shows it: 6 significant digits. */
const shown = (value: number): string => String(sig(value, 6));

/**
 * Which variant has the best median final best, and by how much it leads the next (trial 92: the page never
 * said; the reader compared the table's figures). Nothing when fewer than two variants have a median.
 */
const leaderNote = (
  rows: readonly (readonly unknown[])[],
  direction: Direction,
  /** Each variant's final bests, one per run (null: the run found none). */
  bestsOf: ReadonlyMap<string, readonly (number | null)[]>,
): string[] => {
  const ranked = rows
    .filter((row) => typeof row[3] === 'number')
    .map((row) => ({ variant: String(row[0]), median: row[3] as number, runs: row[1] as number }))
    .sort((a, b) => (direction === 'maximize' ? b.median - a.median : a.median - b.median));
  const [first, second] = ranked;
  if (first === undefined || second === undefined) return [];
  // Equal as shown is a tie, of every variant at that median (review 96: "a (1), then b (1): 1e-12 lower").
  const tied = ranked.filter((row) => shown(row.median) === shown(first.median));
  const runsOf = (rows: readonly { readonly runs: number }[]) =>
    `medians of ${rows
      .map((row) => row.runs)
      .join(', ')
      .replace(/, (\d+)$/, ' and $1')} runs; the box plot shows how the runs spread`;
  if (tied.length > 1)
    return [
      `Best median final loss: ${tied
        .map((row) => row.variant)
        .join(', ')
        .replace(/, ([^,]+)$/, ' and $1')} tie at ${shown(first.median)} (${runsOf(tied)}).`,
    ];
  const gap = Math.abs(first.median - second.median);
  // A share of the next one's median only where both are above 0 (review 96: near 0 it meant nothing); said as
  // "% below" (trial 132: "70.9 % of random's" read as the ratio of the medians, not the size of the gap).
  const share =
    first.median > 0 && second.median > 0
      ? ` (${sig((100 * gap) / second.median, 3)} % ${direction === 'maximize' ? 'above' : 'below'} ${second.variant}'s)`
      : '';
  return [
    `Best median final loss: ${first.variant} (${shown(first.median)}), then ${second.variant} (${shown(second.median)}): ` +
      `${shown(gap)} ${direction === 'maximize' ? 'higher' : 'lower'}${share} (${runsOf([first, second])}). ` +
      significance(bestsOf.get(first.variant) ?? [], bestsOf.get(second.variant) ?? [], direction),
  ];
};

/**
 * Whether the leader's lead is more than chance (trial 157: a gap between two variants that differed only in
 * the objective's noise was stated as 15 % better): a two-sided Mann–Whitney U test of the two variants'
 * final bests.
 */
const significance = (
  first: readonly (number | null)[],
  second: readonly (number | null)[],
  direction: Direction,
): string => {
  const { p } = compareBests(second, first, direction);
  if (p === null)
    return `Too few runs to tell this difference from chance: a rank test of the runs' final bests needs ${RANK_TEST_MIN_RUNS} runs of each variant.`;
  const shownP = shownPValue(p);
  const test = `two-sided Mann–Whitney U test of the runs' final bests, p ${shownP.startsWith('<') ? shownP.replace('<', '< ') : `= ${shownP}`}`;
  return p < SIGNIFICANCE_LEVEL
    ? `This difference is unlikely from the seeds' luck alone (${test}); if the objective is noisy, each run's best is the lowest of noisy draws, a bias the test does not cover: compare re-evaluated losses (docs/tpe.md, "Noisy objectives").`
    : `This difference is not significant (${test}): it may be chance, the seeds' luck or a noisy objective's.`;
};

const bestSoFar = (run: ComparisonRun): (number | null)[] => {
  let best: number | null = null;
  return run.values.map((v) => {
    if (v !== null && Number.isFinite(v)) {
      const loss = lossToMinimize(v, run.direction);
      if (best === null || loss < best) best = loss;
    }
    return best;
  });
};

/**
 * Median and interquartile band of best-so-far regret per variant and trial count. Where a variant's shorter
 * runs have ended, its rows are `partial`, and the last full row comes once more marked partial (the dashed
 * line's first point, so the two parts meet): one (variant, trials) pair can have two rows.
 */
export const regretBands = (runs: readonly ComparisonRun[], options: ComparisonOptions = {}) => {
  const curves = runs.map((run) => ({ run, best: bestSoFar(run) }));
  const direction = runs[0]?.direction ?? 'minimize';
  // The best any run of each problem found (a loop: a spread of a million values overflows the stack).
  const bestOf = new Map<string, number>();
  for (const { run, best } of curves)
    for (const b of best)
      if (b !== null && b < (bestOf.get(run.problem ?? '') ?? Number.POSITIVE_INFINITY))
        bestOf.set(run.problem ?? '', b);
  const referenceOf = (run: ComparisonRun): number =>
    options.optimum === undefined ? (bestOf.get(run.problem ?? '') ?? 0) : lossToMinimize(options.optimum, direction);
  const reference = runs[0] === undefined ? 0 : referenceOf(runs[0]);
  const problems = new Set(runs.map((run) => run.problem ?? '')).size;
  const variants = [...new Set(runs.map((r) => r.variant))];
  const longest = Math.max(0, ...runs.map((r) => r.values.length));
  const maxSteps = options.maxSteps ?? 200;
  const steps =
    longest <= maxSteps
      ? Array.from({ length: longest }, (_, i) => i + 1)
      : [
          ...new Set([
            ...Array.from({ length: maxSteps }, (_, k) => Math.max(1, Math.round(((k + 1) * longest) / maxSteps))),
            longest,
          ]),
        ];
  const rows: {
    /** The variant. */
    variant: string;
    /** The trial count the row is at: the best each run found in its first `trials` trials. */
    trials: number;
    /** The median regret of the variant's runs there. */
    median: number;
    /** Their regret's 25th percentile (the band's lower edge). */
    q25: number;
    /** Their regret's 75th percentile (the band's upper edge). */
    q75: number;
    /** How many of its runs had a value by then. */
    runs: number;
    /** Fewer runs than the variant has reach this far (a shorter run ended): drawn dashed. */
    partial: boolean;
  }[] = [];
  for (const variant of variants) {
    const own = curves.filter((c) => c.run.variant === variant);
    for (const step of steps) {
      const regrets = own
        .flatMap((c) => {
          const b = c.best[Math.min(step, c.best.length) - 1];
          return b === null || b === undefined || c.best.length < step ? [] : [b - referenceOf(c.run)];
        })
        .sort((a, b) => a - b);
      if (regrets.length === 0) continue;
      const partial = own.some((c) => c.best.length < step);
      // The dashed part starts where the solid one ends: the last full row again, dashed (review 68: a gap).
      const previous = rows.at(-1);
      if (partial && previous?.variant === variant && !previous.partial) rows.push({ ...previous, partial: true });
      rows.push({
        variant,
        trials: step,
        // One rule with the final table's (summarizeBests): these regrets are all numbers, so never null.
        median: quantileOf(regrets, 0.5) as number,
        q25: quantileOf(regrets, 0.25) as number,
        q75: quantileOf(regrets, 0.75) as number,
        runs: regrets.length,
        partial,
      });
    }
  }
  return {
    /** The bands' rows: per variant, one per trial count drawn. */
    rows,
    /**
     * The first run's reference ({@link ComparisonOptions.optimum}, or the best of its problem), as a loss to
     * minimise (a maximize batch's negated).
     */
    reference,
    /** The variants, in the order their first run comes. */
    variants,
    /** How many problems the runs are of (runs without `problem` are one). */
    problems,
    /** The best a run's regret is measured from: the optimum given, else the best any run of its problem found. */
    referenceOf,
  };
};

/**
 * The regret axis's symlog scale: linear up to `constant` (the smallest positive regret drawn, so small
 * regrets are not squeezed against 0, as with the default constant 1), logarithmic above; ticks at 0 and
 * at each power of ten from there to the largest regret (trial 28: ticks 0, 20, 40 on regrets of 0.01–5).
 */
const symlogAxis = (
  values: readonly number[],
): { constant: number; ticks: number[]; domain?: readonly [number, number] } => {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  // Every regret 0 (each run at the best from its first trial, one run per problem): an axis from 0 to 1,
  // not one collapsed at 0 (review 68 for the final chart, review 70 for the best-so-far one).
  if (positive.length === 0) return { constant: 1, ticks: [0, 1], domain: [0, 1] };
  const range = extent(positive);
  const low = Math.floor(Math.log10(range.low));
  const high = Math.ceil(Math.log10(range.high));
  const ticks = [0];
  for (let power = low; power <= high; power++) ticks.push(Number(`1e${power}`));
  return { constant: 10 ** low, ticks };
};

/**
 * Twenty colours: Vega's tableau20, its ten strong shades first and their light partners after, so up to ten
 * variants get the strong ones and neighbours never differ by shade alone (review 68: in tableau20's order
 * the second variant was the first's light partner; review 69: tableau10's shades, then tableau20's light
 * ones, made near pairs).
 */
const PALETTE = [
  '#4c78a8',
  '#f58518',
  '#54a24b',
  '#b79a20',
  '#439894',
  '#e45756',
  '#79706e',
  '#d67195',
  '#b279a2',
  '#9e765f',
  '#9ecae9',
  '#ffbf79',
  '#88d27a',
  '#f2cf5b',
  '#83bcb6',
  '#ff9d98',
  '#bab0ac',
  '#fcbfd2',
  '#d6a5c9',
  '#d8b5a5',
];

/**
 * A comparison page for a batch (a matrix, several configs, or benchmark traces): best-so-far regret per
 * variant across seeds (median line, interquartile band) and a box plot of each run's final best loss,
 * plus a table of the final best losses per variant.
 */
export const buildComparison = (runs: readonly ComparisonRun[], options: ComparisonOptions = {}): ReportPage => {
  const { rows, variants, problems, referenceOf } = regretBands(runs, options);
  const direction = runs[0]?.direction ?? 'minimize';
  const finals = runs.flatMap((run) => {
    const best = bestSoFar(run).at(-1);
    return best === null || best === undefined
      ? []
      : [
          {
            variant: run.variant,
            seed: String(run.seed),
            value: lossToMinimize(best, run.direction),
            // `best` is already as minimized (bestSoFar).
            regret: best - referenceOf(run),
          },
        ];
  });
  // Several problems: each run's final regret from its problem's best, on the regret chart's scale (trial 64:
  // losses of two problems on one linear axis flattened the smaller one's boxes at 0).
  const byRegret = problems > 1;
  // Regret is never negative: for a maximized loss it is the reference minus the best so far.
  const reference =
    options.optimum !== undefined
      ? 'optimum'
      : problems > 1
        ? 'best any run of its problem found'
        : 'best any run found';
  const regretTitle =
    direction === 'maximize' ? `regret (${reference} − best so far)` : `regret (best so far − ${reference})`;
  const { constant, ticks, domain } = symlogAxis(rows.flatMap((r) => [r.q25, r.median, r.q75]));
  const finalAxis = symlogAxis(finals.map((final) => final.regret));
  const drawn = new Set(rows.map((r) => r.variant)).size;
  const partialRuns = rows.some((r) => r.partial);
  const regret: Chart = {
    id: 'regret',
    title: 'Best-so-far regret',
    description: `Median over seeds (line) and interquartile range (band) of ${regretTitle}, by number of trials. Symlog scale.`,
    spec: {
      ...base('Best-so-far regret'),
      width: 640,
      height: 320,
      data: { values: rows },
      encoding: {
        // Whole trials only (a study of 3 trials had ticks at 1.0, 1.1, ... 3.0).
        x: { field: 'trials', type: 'quantitative', title: 'trials', axis: { format: 'd', tickMinStep: 1 } },
        // Twenty colours before any repeats (trial 64: 14 variants on ten).
        color: {
          field: 'variant',
          type: 'nominal',
          sort: variants,
          scale: { range: PALETTE },
          // Swatches at full strength (the band's 0.2 opacity made the light ones white).
          legend: { labelLimit: 0, symbolOpacity: 1 },
        },
      },
      layer: [
        {
          mark: { type: 'area', opacity: 0.2 },
          encoding: {
            y: {
              field: 'q25',
              type: 'quantitative',
              title: regretTitle,
              scale: { type: 'symlog', constant, ...(domain === undefined ? {} : { domain }) },
              // One format for every label (trial 141: '~g' took its digits from the symlog span: "1e+2", "10").
              axis: { values: ticks, labelExpr: decadeLabel(ticks) },
            },
            y2: { field: 'q75' },
          },
        },
        {
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            y: { field: 'median', type: 'quantitative' },
            // Dashed where a variant's shorter runs have ended, so a median of fewer runs is not read as the
            // same curve going on (trial 64: a best-so-far median rose there).
            strokeDash: {
              field: 'partial',
              type: 'nominal',
              scale: {
                domain: [false, true],
                range: [
                  [1, 0],
                  [5, 4],
                ],
              },
              legend: partialRuns
                ? { title: 'runs', labelExpr: "datum.value ? 'only the longer runs' : 'all runs'" }
                : null,
            },
            tooltip: [{ field: 'variant' }, { field: 'trials' }, { field: 'median', format: '.4g' }, { field: 'runs' }],
          },
        },
      ],
    },
    marks: [
      { mark: 'area', count: drawn },
      { mark: 'line', count: drawn },
    ],
  };
  const box: Chart = {
    id: 'final',
    title: byRegret ? 'Final regret per run' : 'Final best loss per run',
    description: byRegret
      ? `Each run's final ${regretTitle} (points), with each variant's box (quartiles, whiskers to min and max): the runs solve ${problems} problems, so each is measured from its own problem's best. Symlog scale.`
      : `Each run's best loss at its end (points), with each variant's box (quartiles, whiskers to min and max; ${direction}).`,
    spec: {
      ...base(byRegret ? 'Final regret per run' : 'Final best loss per run'),
      width: { step: 80 },
      height: 300,
      data: { values: finals },
      // Whole labels, slanted (trial 64: cut at 180 px, fourteen variants read alike).
      encoding: {
        x: { field: 'variant', type: 'nominal', sort: variants, axis: { labelAngle: -40, labelLimit: 0 } },
      },
      layer: [
        {
          mark: { type: 'boxplot', extent: 'min-max', opacity: 0.5 },
          encoding: {
            y: byRegret
              ? {
                  field: 'regret',
                  type: 'quantitative',
                  title: `final ${regretTitle}`,
                  scale: {
                    type: 'symlog',
                    constant: finalAxis.constant,
                    ...(finalAxis.domain === undefined ? {} : { domain: finalAxis.domain }),
                  },
                  axis: { values: finalAxis.ticks, labelExpr: decadeLabel(finalAxis.ticks) },
                }
              : {
                  field: 'value',
                  type: 'quantitative',
                  ...lossAxis(
                    finals.map((final) => final.value),
                    'best loss',
                  ),
                },
          },
        },
        {
          mark: { type: 'point', filled: true, color: '#333', size: 20 },
          encoding: {
            y: { field: byRegret ? 'regret' : 'value', type: 'quantitative' },
            tooltip: [
              { field: 'variant' },
              { field: 'seed' },
              { field: 'value', title: 'best loss', format: '.6g' },
              ...(byRegret ? [{ field: 'regret', format: '.6g' }] : []),
            ],
          },
        },
      ],
    },
    marks: [{ mark: 'symbol', count: finals.length }],
  };
  // Every run counts, one without a complete trial too (trial 36: a variant whose trials all failed read as
  // "runs 0", never run); how many had no best (no complete trial) is its own column.
  // A run without one ranks worst, as in `parzen run`'s table (one rule: review 74 found the two differed).
  const bestsOf = new Map<string, (number | null)[]>();
  for (const variant of variants)
    bestsOf.set(
      variant,
      runs
        .filter((run) => run.variant === variant)
        .map((run) => {
          const best = bestSoFar(run).at(-1);
          return best === null || best === undefined ? null : lossToMinimize(best, run.direction);
        }),
    );
  // Ranked and tested as `parzen run`'s comparison ranks and tests them (one rule, `rankVariants`): by median best,
  // each variant's run bests against the first's of its problem (review 162: the page had no "vs first" column).
  const ranked = rankVariants(
    variants.map((variant) => ({
      variant,
      bests: bestsOf.get(variant) ?? [],
      problem: runs.find((run) => run.variant === variant)?.problem ?? '',
    })),
    direction,
  );
  const tested = ranked.some((row) => row.versusFirst !== null);
  // Pruned trials in a column of their own when a run has any, as in `parzen run`'s table: without it, complete
  // and failed did not add up to the trials run.
  const pruned = runs.some((run) => (run.pruned ?? 0) > 0);
  // The columns of `parzen run`'s table too (best, worst, complete, failed, pruned: a user trial missed them here),
  // from the same runs; a trial that did not complete is null in `values`, and `failed` and `pruned` count those.
  const tableRows = ranked.map(({ of: { variant }, summary, versusFirst }) => {
    const [q25, q75] = summary.quartiles ?? [null, null];
    const own = runs.filter((run) => run.variant === variant);
    return [
      variant,
      summary.runs,
      summary.withoutBest,
      summary.median,
      summary.best,
      summary.worst,
      q25,
      q75,
      ...(tested ? [versusFirstCell(versusFirst)] : []),
      own.reduce((sum, run) => sum + run.values.filter((value) => value !== null).length, 0),
      own.reduce((sum, run) => sum + (run.failed ?? 0), 0),
      ...(pruned ? [own.reduce((sum, run) => sum + (run.pruned ?? 0), 0)] : []),
    ];
  });
  const firsts = ranked.filter((row) => row.versusFirst === null).map((row) => row.of.variant);
  const valueless = tableRows.filter((row) => (row[2] as number) > 0).map((row) => row[0] as string);
  const leader = problems > 1 ? [] : leaderNote(tableRows, direction, bestsOf);
  // Runs of one variant that ran different numbers of trials (a stopper, an interrupted run, a budget changed
  // between runs: the stores keep no stop reason, so no endedByRule), or that failed more trials than other runs
  // of their length: said (trials 36 and 72: pooled without a word).
  const uneven = unevenRunNotes(
    // Finished: the trials that are not running (review 79: the running ones were counted).
    runs.map((run) => ({
      variant: run.variant,
      finished: run.values.length - (run.running ?? 0),
      failed: run.failed ?? 0,
      cutShort: run.cutShort ?? 0,
      ...(run.problem === undefined ? {} : { problem: run.problem }),
    })),
  );
  return {
    title: options.title ?? 'Parzen comparison',
    notes: [
      `${runs.length} run${runs.length === 1 ? '' : 's'} in ${variants.length} variant${variants.length === 1 ? '' : 's'} (${direction}).`,
      ...leader,
      ...(problems > 1
        ? [
            `${problems} problems (configs whose objective or space differ): each run's regret is measured from the best any run of its own problem found.`,
          ]
        : []),
      ...uneven,
      ...(variants.length > PALETTE.length
        ? [
            `${variants.length} variants on ${PALETTE.length} colours: colours repeat in the regret chart (its tooltips and the table name each variant).`,
          ]
        : []),
      ...runningNote(runs),
      ...(valueless.length > 0
        ? [
            `Runs without a complete trial (every trial failed or was pruned, or none ran), left out of the charts: ${valueless.join(', ')} (the table's "no best" column, as \`parzen run\`'s comparison names it). In the table they rank worst: a median or quartile that falls on them is none.`,
          ]
        : []),
      ...(rows.length > 0 && Math.max(...runs.map((r) => r.values.length)) > (options.maxSteps ?? 200)
        ? [`Curves drawn at ${options.maxSteps ?? 200} evenly spaced trial counts.`]
        : []),
    ],
    // No chart over nothing (a user trial: empty frames under "nothing to draw"): before any run has a complete
    // trial, the section says so instead.
    sections: [
      {
        id: 'comparison',
        title: 'Comparison',
        text: finals.length === 0 ? ['No run has a complete trial yet: nothing to draw.'] : [],
        charts: finals.length === 0 ? [] : [regret, box],
      },
    ],
    table: {
      title: 'Final best loss per variant',
      columns: [
        'variant',
        'runs',
        'no best',
        'median best',
        'best',
        'worst',
        'q25',
        'q75',
        ...(tested ? ['vs first'] : []),
        'complete',
        'failed',
        ...(pruned ? ['pruned'] : []),
      ],
      rows: tableRows,
      // The rows come best first, as the notes and `parzen run` list them: the page opens in that order.
      rankedBy: 'median best',
      ...(tested
        ? {
            legend: {
              'vs first': `p of a two-sided Mann–Whitney U test of the variant's run bests against those of ${
                firsts.length === 1
                  ? `${firsts[0]}, the first by median best`
                  : `the first by median best of its problem, the variants over its objective and space (${firsts.join(', ')}: variants of different problems are not tested against each other)`
              }, as \`parzen run\`'s comparison has it; at ${SIGNIFICANCE_LEVEL} or above, the gap may be chance (the seeds' luck, or a noisy objective's). "few runs": fewer than ${RANK_TEST_MIN_RUNS} runs in the variant or the first, too few to test; "-": the first itself.`,
            },
          }
        : {}),
      ...(direction === 'maximize' ? { highestFirst: ['median best', 'best', 'worst', 'q25', 'q75'] } : {}),
    },
    version: `${runs.length}:${runs.reduce((sum, r) => sum + r.values.length, 0)}`,
  };
};
