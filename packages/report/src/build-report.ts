import { createHash } from 'node:crypto';
import { type BranchCondition, resolveTpeSettings } from '@parzen/algo-tpe';
import { turnedParams } from '@parzen/algo-tpe/plugin';
import { bestTrial } from '@parzen/engine';
import { CUT_SHORT_CAUSES, countOf, cutShortNote } from '@parzen/engine/host';
import {
  activeTogether,
  type CompiledSpace,
  type ConfigIssue,
  describeValue,
  invalidConfig,
  isStale,
  lossToMinimize,
  type ParamAssignment,
  type ParamNode,
  type Trial,
  toExternalParams,
} from '@parzen/engine/plugin';
import {
  CUT_SHORT,
  chartId,
  listRows,
  numericParams,
  OWN_NAMES,
  paramLabel,
  paramPosition,
  replayedWeight,
  rowsByWeight,
  sig,
  uniqueChartIds,
} from './charts/common.js';
import {
  CURVE_POINTS,
  ecdfChart,
  historyChart,
  historyGap,
  importanceChart,
  learningCurvesChart,
  parallelChart,
  sliceChart,
} from './charts/study-charts.js';
import { categoricalChart, densityChart, type PairContour, pairChart } from './charts/tpe-charts.js';
import { contourLevels, contourSegments, evaluateGrid } from './contour.js';
import { contourBase } from './contour-base.js';
import { fanovaTrialLimit, measuredFanova } from './fanova.js';
import { cutWhole } from './graphemes.js';
import { equalImportance, measuredImportance, type ParamImportance } from './importance.js';
import {
  explainNextSuggestion,
  type Replay,
  type ReplaySnapshot,
  replaySuggestions,
  type StartupDraws,
  startupDraws,
} from './replay.js';
import {
  asTheNextRunSeesThem,
  branchSaid,
  listed,
  paramsLine,
  staleTrialsSentence,
  suggestionWords,
  waitingEntrySentence,
  workerGone,
} from './suggestion-words.js';
import { downsampleIndices, type TrialPoint, trialPoints } from './trial-points.js';
import type { Chart, ContourFunction, ReportPage, ReportStudy, Section, TrialTable } from './types.js';

/** What {@link buildReport} draws, and how much. */
export interface ReportOptions {
  /** A cheap function of the params for contour lines under the pair plots (e.g. the objective itself). */
  readonly contour?: ContourFunction;
  /** Grid points per axis for the contour (default 40: 1,600 calls per pair). */
  readonly contourResolution?: number;
  /**
   * The contour levels to draw (the seed's figure: -0.5, -0.2, -0.1, 0, 1, 20); default 10 at quantiles of the
   * grid's values, closer together toward the best ones.
   */
  readonly contourLevels?: readonly number[];
  /** Pairs of numeric parameters to plot; default all pairs of the (up to) 4 most important ones. */
  readonly pairs?: readonly (readonly [string, string])[];
  /**
   * Replay TPE after every `every` trials (default: about 10 snapshots, as the seed's figure), and at the last
   * trial when it is off that spacing.
   */
  readonly every?: number;
  /** Replay TPE at these trials too (their suggestions); without `every`, at these trials only. */
  readonly trials?: readonly number[];
  /** Without `every`: about how many snapshots to replay, evenly spaced (default 10). */
  readonly snapshots?: number;
  /** Trials drawn in the history and slice plots, at most (default 1,000; new bests always). */
  readonly maxPoints?: number;
  /** Trials drawn as lines in the parallel coordinates, at most (default 500; new bests always). */
  readonly maxLines?: number;
  /** Trials drawn as numbers in the pair plots, at most (default 300). */
  readonly maxPairPoints?: number;
  /** The page's heading (default `Parzen report: <study name>`). */
  readonly title?: string;
  /** The time the page is made at (default: now): a running trial's worker is gone if its lease lapsed by then. */
  readonly now?: Date;
  /**
   * How the importance chart (and the choice of which parameters a wide space charts) measures importance:
   * `fanova` (default), the variance of the loss each parameter explains across the space, by a random forest;
   * or `ped-anova`, how differently the best 10 % of trials are spread (TPE's own view, but a TPE study
   * concentrates every parameter, used or not, around its best trials).
   */
  readonly importance?: 'fanova' | 'ped-anova';
  /**
   * Draw the "Next suggestion" section (default true): for a study whose suggester is TPE, the params its next
   * trial would get and the model they come from, computed as `parzen explain` computes them (one suggestion more,
   * nothing stored); for a study of another suggester, that it has no model to draw.
   */
  readonly next?: boolean;
  /**
   * Trials asked for by `trials` that the study does not have yet are awaited, not missing: the page says each is
   * drawn once the study gets there (what a page served live, read again as the study runs, does). Default false.
   */
  readonly awaitTrials?: boolean;
}

/** Whether some finished trial set both parameters (a conditional space may never set two together). */
const setTogether = (finished: readonly TrialPoint[], a: string, b: string): boolean =>
  finished.some((p) => p.internal[a] !== undefined && p.internal[b] !== undefined);

/** How many finished trials set both parameters. */
const countTogether = (finished: readonly TrialPoint[], a: string, b: string): number =>
  finished.filter((p) => p.internal[a] !== undefined && p.internal[b] !== undefined).length;

/** The fewest finished trials a default pair plot is drawn with, when some pair has that many. */
export const MIN_PAIR_TRIALS = 5;

/**
 * The default pairs: the pairs of the 4 most important numeric parameters (6 pairs), among the pairs that
 * {@link MIN_PAIR_TRIALS} finished trials set together (or, when no pair has that many, as many as the most any has),
 * so that in a conditional space a pair of parameters from different branches (no trial has both: an empty plot),
 * or from a branch tried twice, gives way to the next most important pair with trials to show (trial 162: a branch of
 * 2 trials, ranked high by fANOVA, filled the plots while the branch TPE tuned had none). Before any trial finishes,
 * every pair that can be active together counts.
 */
const pairsOf = (
  space: CompiledSpace,
  importances: readonly ParamImportance[],
  finished: readonly TrialPoint[],
): [ParamNode, ParamNode][] => {
  const numeric = numericParams(space.params);
  const rank = new Map(importances.map((imp, i) => [imp.name, i]));
  const position = new Map(numeric.map((p, i) => [p, i]));
  // Importance rank first; parameters without one after all that have one, in space order.
  const key = (p: ParamNode) => rank.get(p.name) ?? numeric.length + (position.get(p) as number);
  const together = numeric.flatMap((a, i) =>
    numeric
      .slice(i + 1)
      .filter((b) => finished.length > 0 || activeTogether(space, [a.name, b.name]))
      .map((b) => ({ pair: [a, b] as [ParamNode, ParamNode], count: countTogether(finished, a.name, b.name) })),
  );
  const most = Math.max(0, ...together.map(({ count }) => count));
  const enough = finished.length === 0 ? 0 : Math.max(1, Math.min(MIN_PAIR_TRIALS, most));
  const candidates = together.filter(({ count }) => count >= enough).map(({ pair }) => pair);
  // The pairs of the k most important parameters come before any pair with a less important one.
  const worse = ([a, b]: [ParamNode, ParamNode]) => Math.max(key(a), key(b));
  const better = ([a, b]: [ParamNode, ParamNode]) => Math.min(key(a), key(b));
  const chosen = [...candidates].sort((p, q) => worse(p) - worse(q) || better(p) - better(q)).slice(0, 6);
  return candidates.filter((pair) => chosen.includes(pair));
};

/** The sections with chart ids unique in the page ({@link uniqueChartIds}). */
const withUniqueChartIds = (sections: readonly Section[]): Section[] => {
  const charts = uniqueChartIds(sections.flatMap((section) => section.charts));
  let next = 0;
  return sections.map((section) => ({ ...section, charts: section.charts.map(() => charts[next++] as Chart) }));
};

/** A string that changes whenever a trial is added or finishes. */
export const trialsVersion = (study: ReportStudy): string => {
  let finished = 0;
  let last = '';
  for (const trial of study.trials) {
    if (trial.state === 'running') continue;
    finished++;
    if (trial.finishedAt > last) last = trial.finishedAt;
  }
  return `${study.trials.length}:${finished}:${last}`;
};

/**
 * A string that changes whenever the page made at `now` would: a trial added or finished ({@link trialsVersion}),
 * and what the "Next suggestion" section depends on beside the trials: the enqueued entries waiting (one added or
 * taken), and the running trials whose worker is gone by `now` (their lease lapsed), which the next run fails
 * first. A served page is drawn again when it changes.
 */
export const pageVersion = (study: ReportStudy, now: Date): string => {
  const gone = study.trials.filter((trial) => workerGone(trial, now)).map((trial) => trial.number);
  const waiting = study.waiting ?? [];
  const entries =
    waiting.length === 0
      ? ''
      : `${waiting.length}-${createHash('sha1').update(JSON.stringify(waiting)).digest('hex').slice(0, 12)}`;
  return `${trialsVersion(study)}:${entries}:${gone.join('.')}`;
};

/** A text cell of the trial table: at most 200 UTF-16 units, cut with `…` between whole characters ({@link cutWhole}). */
const cutCell = (text: string): string => cutWhole(text, (shown) => shown.length <= 200);

/** A failed trial's reason as the table shows it: its code and the first line of its message, at most 200 characters. */
const errorCell = (error: { readonly code: string; readonly message: string }): string =>
  cutCell(`${error.code}: ${error.message.split(/\r?\n|\r/, 1)[0] ?? ''}`);

/** An attribute's cell: at most 200 characters, as an error's (review 110: a 20,000-number attr made a 3.4 MB page). */
const attrCell = (value: unknown): string | number | boolean | null =>
  value === undefined || value === null
    ? null
    : typeof value === 'number' || typeof value === 'boolean'
      ? value
      : cutCell(typeof value === 'string' ? value : JSON.stringify(value));

/**
 * What the `enqueued` column says of a trial that ran an entry, as `parzen trials` says it: the params the entry
 * fixed, `all params` when it fixed every param the trial has, `no params` for an empty entry.
 */
const enqueuedCell = (entry: ParamAssignment, stored: ParamAssignment): string => {
  const fixed = Object.keys(entry);
  if (fixed.length === 0) return 'no params';
  return Object.keys(stored).every((name) => fixed.includes(name)) ? 'all params' : fixed.join(', ');
};

/** The error cell of a running trial whose worker was gone when the page was made (as `parzen trials` words it). */
const WORKER_GONE =
  'its worker was gone when this page was made: a run of the study marks it failed (STALE_TRIAL), unless a rescue file keeps its result (its worker stopped because the store could not record it; `parzen trials` names the file): runs then leave it running until `parzen import CONFIG FILE` finishes it with that result, so that it counts once';

/** What the marker columns (and the error column, when it holds a trial cut short) mean, beside the page's table and as their headers' titles. */
const MARKER_LEGEND = {
  'start-up':
    "drawn by TPE's start-up suggester (quasi-random: points of a scrambled Halton sequence; random), not by its model: the trial's suggestion, replayed from the trials before it and the study's seed, falls in the start-up phase and gives its stored params. A trial whose replay gives other params (imported, drawn with other settings) is not marked.",
  enqueued:
    'the trial ran an enqueued entry, as the store records: the params the entry fixed (`all params`: it fixed them all, and nothing was drawn), as `parzen trials` marks it.',
  // A failed trial cut short read as a failure of the objective (after a kill -9), as its state says `failed`.
  error: `why the trial failed: \`INTERRUPTED\` and \`STALE_TRIAL\` say it was cut short (${CUT_SHORT_CAUSES}), not failed by its objective, and the charts draw it apart, as ${CUT_SHORT.drawn} (brown lines in the learning curves).`,
};

const table = (
  study: ReportStudy,
  points: readonly TrialPoint[],
  now: Date,
  /** The trials TPE's start-up suggester drew, with that suggester's name. */
  { drawn: startup, checked }: StartupDraws,
): TrialTable => {
  const names = study.space.params.map((p) => p.name);
  // Which trials TPE's start-up suggester drew and which ran an enqueued entry (review 162: the table told
  // neither from a trial TPE's model drew, where `parzen trials` marks the entries).
  const entries = new Map((study.takenEntries ?? []).map((entry) => [entry.trial, entry.internal]));
  const stored = new Map(study.trials.map((trial) => [trial.number, trial.internal]));
  const withStartup = startup.size > 0;
  const withEntries = points.some((p) => entries.has(p.number));
  const own = new Set([...OWN_NAMES, ...(withStartup ? ['start-up'] : []), ...(withEntries ? ['enqueued'] : [])]);
  const entryCell = (number: number): string | null => {
    const entry = entries.get(number);
    return entry === undefined ? null : enqueuedCell(entry, stored.get(number) ?? {});
  };
  // Why each failed trial failed, as `parzen trials` says it (trial 32: the report said it nowhere), and a
  // running trial whose worker was gone when the page was made, as `parzen trials` says it (trial 39).
  const errors = new Map<number, string>();
  for (const trial of study.trials) {
    if (trial.state === 'failed') errors.set(trial.number, errorCell(trial.error));
    else if (trial.state === 'running' && trial.lease !== undefined && isStale(trial.lease, now, ''))
      // Unless this user's rescue file keeps its result, which the page is not told (it said only that a
      // run marks it failed, where runs leave such a trial running for the import).
      errors.set(trial.number, WORKER_GONE);
  }
  const withErrors = errors.size > 0;
  const withCut = points.some((p) => p.cutShort === true);
  // The step of each trial's last report, as `parzen trials` shows it: where a pruned one stopped reporting
  // (trial 115: only the learning curves said it).
  const steps = new Map<number, number>();
  for (const trial of study.trials) {
    const last = trial.intermediate?.at(-1);
    if (last !== undefined) steps.set(trial.number, last.step);
  }
  const withSteps = steps.size > 0;
  // The trials' attrs, a column each as `parzen trials --csv` names them (trial 106: the report left them out).
  const attrs = new Map<number, Readonly<Record<string, unknown>>>();
  for (const trial of study.trials)
    if ((trial.state === 'complete' || trial.state === 'pruned') && trial.attrs !== undefined)
      attrs.set(trial.number, trial.attrs);
  const attrNames = [...new Set([...attrs.values()].flatMap((values) => Object.keys(values)))];
  // Own entries only (review 110: an attr `__proto__` or `constructor` read an inherited member elsewhere).
  const attrOf = (number: number, name: string): unknown => {
    const values = attrs.get(number);
    return values !== undefined && Object.hasOwn(values, name) ? values[name] : undefined;
  };
  // Row index → the step of a pruned trial's value (null when it reported no step), for the loss column.
  const intermediate = new Map<number, number | null>();
  points.forEach((p, row) => {
    if (p.state === 'pruned' && p.loss !== null) intermediate.set(row, steps.get(p.number) ?? null);
  });
  return {
    columns: [
      'trial',
      'state',
      'loss',
      ...(withSteps ? ['step'] : []),
      'seconds',
      ...names.map((name) => paramLabel(name, own)),
      ...attrNames.map((name) => `attrs.${name}`),
      ...(withStartup ? ['start-up'] : []),
      ...(withEntries ? ['enqueued'] : []),
      ...(withErrors ? ['error'] : []),
    ],
    ...(withStartup || withEntries || withCut
      ? {
          legend: {
            ...(withStartup
              ? {
                  'start-up': `${MARKER_LEGEND['start-up']}${checked === undefined ? '' : ` Checked in the first ${checked.toLocaleString('en-US')} trials only, all of them still in the start-up phase: later trials are not marked.`}`,
                }
              : {}),
            ...(withEntries ? { enqueued: MARKER_LEGEND.enqueued } : {}),
            ...(withCut ? { error: MARKER_LEGEND.error } : {}),
          },
        }
      : {}),
    // Sorted by loss, the best first (trial 92: a maximize study's worst trial came first).
    ...(study.direction === 'maximize' ? { highestFirst: ['loss'] } : {}),
    // A pruned trial's value is the last one it reported, not a final loss (a user trial: sorted by loss, pruned
    // trials stood among the complete ones as if it were): marked with its step, and sorted after the losses.
    ...(intermediate.size > 0 ? { intermediate: { column: 'loss', at: Object.fromEntries(intermediate) } } : {}),
    rows: points.map((p) => [
      p.number,
      p.state,
      p.loss,
      ...(withSteps ? [steps.get(p.number) ?? null] : []),
      p.seconds === null ? null : Number(p.seconds.toFixed(3)),
      // An inactive parameter is an empty cell; a choice whose option is null shows `null`, as `parzen trials` does.
      ...names.map((name) => {
        const v = p.params[name];
        return v === undefined ? null : v === null ? 'null' : v;
      }),
      ...attrNames.map((name) => attrCell(attrOf(p.number, name))),
      ...(withStartup ? [startup.get(p.number) ?? null] : []),
      ...(withEntries ? [entryCell(p.number)] : []),
      ...(withErrors ? [errors.get(p.number) ?? null] : []),
    ]),
  };
};

/** When the config's suggester is not the one the study was created with: which one that was. */
const createdWithNote = (study: ReportStudy): string =>
  study.createdWith === undefined || study.createdWith === study.suggester?.use
    ? ''
    : `; the study was created with \`${study.createdWith}\`, so its earlier trials may be that suggester's`;

/**
 * Whether the study ran trials at once (a trial started before an earlier one finished): its replay then
 * places the other trials by their stored times, which cannot say what each suggestion saw to the
 * millisecond (trial 41: "N − 1 of N" for two workers, blamed on an edited config).
 */
const ranAtOnce = (study: ReportStudy): boolean => {
  let finished = '';
  let started = '';
  for (const trial of [...study.trials].sort((a, b) => a.number - b.number)) {
    // A run numbers trials as they start: one that started before the trial before it was imported with
    // its own times (review 41: imported work read as trials run at once), and is passed over.
    if (trial.startedAt < started) continue;
    if (finished !== '' && trial.startedAt < finished) return true;
    started = trial.startedAt;
    if (trial.state !== 'running' && trial.finishedAt > finished) finished = trial.finishedAt;
  }
  return false;
};

const replayText = (study: ReportStudy, replay: Replay): string[] => {
  const weight = replayedWeight(replay.snapshots);
  const ratioOf = (w: number) => (w === 1 ? 'l(x)/g(x)' : `l(x)/g(x)^${w}`);
  // The weight of each row's decisions: the snapshot's (aboveWeight) and, for a decision over choices and
  // unordered integers, discreteAboveWeight. The explore option gives the first trials weights of their own.
  const weightOfRow = (snapshot: ReplaySnapshot) => sig(snapshot.explanation.aboveWeight);
  const rowWeights = rowsByWeight(
    replay.snapshots.map((snapshot) => ({ after: snapshot.trialNumber, weight: weightOfRow(snapshot) })),
  );
  const discrete = replay.snapshots
    .flatMap((snapshot) => snapshot.explanation.params.map((param) => [snapshot, param] as const))
    .find(([snapshot, param]) => sig(param.aboveWeight) !== weightOfRow(snapshot))?.[1];
  const ratio =
    (rowWeights.size <= 1
      ? ratioOf(weight) + (weight === 1 ? '' : ' (the aboveWeight option)')
      : `l(x)/g(x)^w, with ${[...rowWeights].map(([w, rows]) => `w = ${w} in the rows after ${listRows(rows)}`).join(' and ')} (the explore option sets it for the first trials, aboveWeight after)`) +
    (discrete === undefined
      ? ''
      : `, or ${ratioOf(sig(discrete.aboveWeight))} for a decision over choices and unordered integers only (the discreteAboveWeight option)`);
  const text = [
    `TPE splits the trials so far into the good trials (the best few) and the others, fits a density to each: l(x) to the good trials and g(x) to the others, draws candidates from l(x) and keeps the one with the largest ${ratio}. The rows below replay that for the trials named on the left, from the stored trials alone.`,
  ];
  if (!replay.sameSuggester) {
    text.push(
      `This study's suggester is \`${study.suggester?.use ?? 'unknown'}\`${createdWithNote(study)}, not TPE: these figures replay TPE with its default options over the same trials — what TPE would have done, not what happened.`,
    );
  } else {
    // Trial 158 (C7): a trial an enqueued entry gave every param was counted as a suggestion that failed to replay.
    const drawn = replay.snapshots.filter((s) => s.enqueuedAll !== true);
    const given = replay.snapshots.filter((s) => s.enqueuedAll === true).map((s) => s.trialNumber);
    const reproduced = drawn.filter((s) => s.reproduced).length;
    // Rows whose trial TPE did not suggest with the stored settings (review 34: a run resumed with an edited
    // config uses its own; the count alone did not say which rows draw a choice that never ran).
    const differing = drawn.filter((s) => !s.reproduced).map((s) => s.trialNumber);
    const named = listTrials(differing);
    text.push(
      `Replayed with the study's TPE options and each trial's own random stream: ${reproduced} of ${drawn.length} replayed suggestions equal the stored params exactly.` +
        (differing.length === 0
          ? ''
          : ` The row${differing.length === 1 ? '' : 's'} for trial${differing.length === 1 ? '' : 's'} ${named} ${differing.length === 1 ? 'does' : 'do'} not: ${differing.length === 1 ? 'that trial was' : 'those trials were'} suggested with other settings than the study's stored ones (a run resumed with an edited config uses its own, and warns of it), or ${differing.length === 1 ? 'its params were' : 'their params were'} written otherwise (enqueued, imported)${ranAtOnce(study) ? `, or (this study ran trials at once) a trial started or finished within moments of ${differing.length === 1 ? 'that suggestion' : 'those suggestions'}, which the stored times cannot place exactly, so the replay saw one trial more or less than the suggester did` : ''}; there the line marks what TPE with the stored settings would have chosen, not the trial's value.`) +
        (given.length === 0
          ? ''
          : ` Trial${given.length === 1 ? '' : 's'} ${listTrials(given)} ran an enqueued entry that gave ${given.length === 1 ? 'it' : 'them'} every param, as the store records: TPE drew none there, and ${given.length === 1 ? 'its row marks' : 'their rows mark'} what it would have drawn.`),
    );
  }
  if (replay.unknownOptions.length > 0)
    text.push(
      `The study's stored TPE options include ${replay.unknownOptions.map((key) => `\`${key}\``).join(', ')}, which this version does not know (an older version stored the study); the replay leaves them out, so some replayed suggestions may differ from the stored ones.`,
    );
  text.push(
    `${snapshotsTaken(replay)}${replay.startupSkipped > 0 ? `; ${replay.startupSkipped === 1 ? 'one fell' : `${replay.startupSkipped} fell`} in TPE's start-up phase (${startupDrawnBy(replay)}, not by the model: nothing to explain) and ${replay.startupSkipped === 1 ? 'is' : 'are'} left out` : ''}.${overlapNote(replay)}`,
  );
  // Trial 108: a branch's parameter has no row where the snapshot's trial took another branch, said as the
  // start-up ones are.
  const untaken = study.space.params.flatMap((param) => {
    if (param.conditions.length === 0) return [];
    const missing = replay.snapshots
      .filter((snapshot) => !snapshot.explanation.params.some((decided) => decided.name === param.name))
      .map((snapshot) => snapshot.trialNumber);
    return missing.length === 0
      ? []
      : [`\`${param.name}\` (trial${missing.length === 1 ? '' : 's'} ${missing.join(', ')})`];
  });
  if (untaken.length > 0)
    text.push(
      `A parameter that exists only under some choices has no row where the snapshot's trial took another branch: ${untaken.join('; ')}.`,
    );
  const trialsWhere = (test: (param: ReplaySnapshot['explanation']['params'][number]) => boolean) =>
    replay.snapshots.filter((s) => s.explanation.params.some(test)).map((s) => s.explanation.trialNumber);
  const trialList = (numbers: readonly number[]) =>
    `${numbers.length} of them (trial${numbers.length === 1 ? '' : 's'} ${numbers.join(', ')})`;
  const failing = trialsWhere((p) => p.grid.logFinishing !== undefined);
  if (failing.length > 0)
    text.push(
      `In ${trialList(failing)} trials had failed before, and the score also multiplies the ratio by P(a trial there finishes) (the failed option, "avoid"): a density of where the latest trials failed against one of where they finished, so candidates where failures gather lose, and failures spread like the finished trials change nothing. The numeric charts' score curve includes it; the choice charts' bars show l and g, and the scores printed above them include it.`,
    );
  const avoided = trialsWhere((p) => (p.skippedRepeats ?? 0) > 0);
  if (avoided.length > 0)
    text.push(
      `In ${trialList(avoided)} TPE passed over candidates that would have repeated a tried trial exactly (the avoidRepeats option), drawing more candidates when a whole batch did: the chosen value is then the best one that repeats nothing, not always the best score among the candidates shown.`,
    );
  const repeated = trialsWhere((p) => p.repeated === true);
  if (repeated.length > 0)
    text.push(
      `In ${trialList(repeated)} every candidate TPE drew would have repeated a tried trial, so it kept its best one: that suggestion repeats an earlier trial.`,
    );
  const joint = replay.snapshots.find((s) => s.explanation.joint !== undefined)?.explanation.joint;
  if (joint !== undefined)
    text.push(
      `Multivariate TPE decided ${joint.join(', ')} jointly: their curves are slices of the joint l and g along each parameter, the others fixed at the chosen point (a chosen point far from the good trials gives a slice that passes beside them, where l looks flat: the good region is then in the pair plots).`,
    );
  // The study's groups and those only the walk tells (a branch whose parameter name another branch shares), which
  // each explanation's groups list when that trial decided them (trial 114: the text named the study's alone).
  const decidedGroups = new Map<string, readonly string[]>();
  const keyOf = (group: readonly string[]) => [...group].sort().join('\u0000');
  const walked: string[] = [];
  for (const snapshot of replay.snapshots)
    for (const group of snapshot.explanation.groups ?? []) {
      if (decidedGroups.has(keyOf(group))) continue;
      decidedGroups.set(keyOf(group), group);
      // A branch's group holds a shared name; a study's group does not.
      if (group.some((name) => (study.space.byName.get(name)?.conditions.length ?? 0) > 1))
        walked.push(group.join(', '));
    }
  const groups = decidedGroups.size === 0 ? undefined : [...decidedGroups.values()];
  if (joint === undefined && groups !== undefined) {
    // Blocks of one split set share their parameters' activation (the same options above them).
    const activation = (group: readonly string[]) =>
      JSON.stringify(study.space.byName.get(group[0] as string)?.conditions ?? []);
    const split = new Set(groups.map(activation)).size < groups.length;
    text.push(
      `TPE decided ${groups.length === 1 ? 'one group' : `${groups.length} groups`} of parameters jointly (${groups.map((group) => group.join(', ')).join('; ')}): parameters always active together${split ? ", a set of more than maxGroupSize of them split into blocks drawn from the study's seed" : ''}${walked.length === 0 ? '' : ` (${walked.join('; ')}: the parameters of a branch taken, one of them named in another branch too)`}. Their curves are slices of each group's joint l and g along each parameter, the others fixed at the chosen point (a chosen point far from the good trials gives a slice that passes beside them, where l looks flat: the good region is then in the pair plots).`,
    );
  }
  const decided = joint === undefined ? (groups ?? []) : [joint];
  const turned = decided.some(
    (group) => turnedParams(group.flatMap((name) => study.space.byName.get(name) ?? [])).length >= 2,
  );
  if (turned && resolveTpeSettings(replay.options).frame === 'principal')
    text.push(
      "Each joint l(x) was built in the principal axes of that decision's good trials (the frame option): its kernels lie along the direction the good trials spread in, so where good values of two parameters move together, a slice of l along one parameter is narrower than the good trials' spread in it.",
    );
  return text;
};

/**
 * Which snapshots were taken: `One snapshot after every 10 trials and one at the last trial, #59`, with the trials
 * asked for by number (`Snapshots at trials 40, 59`), and those the study does not have.
 */
const snapshotsTaken = (replay: Replay): string => {
  const spaced = `One snapshot after every ${replay.every === 1 ? 'trial' : `${replay.every} trials`}${replay.last === undefined ? '' : ` and one at the last trial, #${replay.last}`}`;
  const asked = replay.trials ?? [];
  const missing = replay.missing ?? [];
  const at = `${asked.length === 1 ? 'trial' : 'trials'} ${listTrials(asked)}`;
  const taken = !replay.spaced
    ? asked.length === 0
      ? 'No snapshot asked for is a trial of the study'
      : `Snapshots at the ${at} asked for`
    : asked.length === 0
      ? spaced
      : `${spaced}, and at the ${at} asked for`;
  return `${taken}${missing.length === 0 ? '' : ` (the study has no ${missing.length === 1 ? 'trial' : 'trials'} ${listTrials(missing)} with params: nothing was chosen there to draw)`}`;
};

/**
 * Trials asked for that a served study does not have yet: `Trial #50, asked for, is not in the study yet (its last
 * trial is #29): this page draws its suggestion once the study gets there.`
 */
const awaitedWords = (awaited: readonly number[], trials: readonly Trial[]): string => {
  const one = awaited.length === 1;
  const last = trials.reduce((max, trial) => Math.max(max, trial.number), -1);
  const running = trials.filter((trial) => trial.state === 'running').length;
  return `${one ? 'Trial' : 'Trials'} ${listTrials(awaited.map((number) => `#${number}`))}, asked for, ${one ? 'is' : 'are'} not in the study yet (${last < 0 ? 'it has no trial yet' : `its last trial is #${last}`}): this page draws ${one ? 'its suggestion' : 'their suggestions'} once the study gets there, as it reads the study again.${running === 0 ? ` No trial is running now: a run of the study brings ${one ? 'it' : 'them'}.` : ''}`;
};

/** Trial numbers as a list, the first 8 and how many more. */
const listTrials = (numbers: readonly (number | string)[]): string =>
  numbers.length <= 8 ? numbers.join(', ') : `${numbers.slice(0, 8).join(', ')} and ${numbers.length - 8} more`;

/**
 * Who gave the start-up snapshots' trials their params: TPE's start-up suggester, named by its kind, and
 * enqueued entries that gave a trial every param (the store records which trials took one).
 */
const startupDrawnBy = (replay: Replay): string => {
  const suggester = `drawn by its ${replay.startup === undefined ? '' : `${replay.startup} `}start-up suggester`;
  const given = replay.startupEnqueued;
  if (given === 0) return suggester;
  if (given === replay.startupSkipped)
    return given === 1 ? 'given by an enqueued entry' : 'each given by an enqueued entry';
  return `${given} given by ${given === 1 ? 'an enqueued entry' : 'enqueued entries'}, the others ${suggester}`;
};

/**
 * Why snapshots fell in the start-up phase although trials came before them: by their stored times the
 * earlier trials were still running (trial 57: imported trials with overlapping times were said to be
 * start-up draws).
 */
const overlapNote = (replay: Replay): string =>
  replay.overlapSkipped === 0
    ? ''
    : ` At ${replay.overlapSkipped === 1 ? 'one of them' : `${replay.overlapSkipped} of them`}, earlier trials were still running by their stored times (they finished after it started), and TPE counts only finished trials, so the replay, seeing them as the run saw them, had too few to leave the start-up phase: in a parallel run, TPE was still in it there too; trials imported with overlapping start and finish times look so to each other, and were not suggested by this study.`;

/** Why there is no replayed snapshot: every one fell in TPE's start-up phase, or no trial asked for is the study's. */
const noReplayText = (replay: Replay): string => {
  if (!replay.spaced) {
    const asked = replay.trials ?? [];
    const missing = replay.missing ?? [];
    const none = `the study has no ${missing.length === 1 ? 'trial' : 'trials'} ${listTrials(missing)} with params`;
    const early = `${asked.length === 1 ? 'trial' : 'trials'} ${listTrials(asked)} fell in TPE's start-up phase (${startupDrawnBy(replay)}, not by the model: nothing to explain)`;
    return `No trial to replay: ${[...(asked.length === 0 ? [] : [early]), ...(missing.length === 0 ? [] : [none])].join(', and ')}.`;
  }
  return `Not enough trials past TPE’s start-up phase to replay.${overlapNote(replay)}`;
};

const contourFor = async (
  study: ReportStudy,
  fn: ContourFunction,
  pair: readonly [ParamNode, ParamNode],
  resolution: number,
  given: readonly number[] | undefined,
): Promise<PairContour> => {
  const names = [pair[0].name, pair[1].name] as const;
  const base = contourBase(study.space, study.trials, study.direction, names);
  if (!base.possible)
    return {
      segments: [],
      levels: [],
      note: '',
      unavailable: `${base.reason}, so the objective was not evaluated over this plot`,
      failure: `No contour lines for ${names[0]} × ${names[1]}: ${base.reason}, so the contour function was not called for that plot.`,
    };
  const grid = await evaluateGrid(fn, study.space, names, base.fixed, resolution);
  const levels =
    given === undefined ? contourLevels(grid, 10, study.direction) : [...new Set(given)].sort((a, b) => a - b);
  const failed = grid.failed ?? 0;
  // The grid's own size: an integer or quantized axis has fewer values than `resolution`.
  const points = grid.xs.length * grid.ys.length;
  const failures =
    failed === 0 ? '' : `; the function failed at ${failed} of the ${points} grid points (${grid.firstFailure})`;
  const segments = contourSegments(grid, levels, {
    x: paramPosition(pair[0].distribution),
    y: paramPosition(pair[1].distribution),
  });
  const flat = segments.length === 0 && failed < points ? '; no contour line crosses the grid' : '';
  // A level given that no line reaches is said, not listed in the legend (review 58).
  const drawn = new Set(segments.map((segment) => segment.level));
  const unreached = given === undefined ? [] : levels.filter((level) => !drawn.has(level));
  // With the grid's range, so a level the function reaches between grid points (the heart's 1, its value at
  // the origin, which a 40×40 grid straddles) reads as the grid's, not the function's (trial 96).
  const range = (): string => {
    const values = grid.z.flat().filter((v) => Number.isFinite(v));
    return values.length === 0
      ? ''
      : `, whose values run from ${sig(values.reduce((a, b) => Math.min(a, b)))} to ${sig(values.reduce((a, b) => Math.max(a, b)))}`;
  };
  const missing =
    unreached.length === 0 || segments.length === 0
      ? ''
      : ` (${unreached.join(', ')} ${unreached.length === 1 ? 'is' : 'are'} not reached on this grid${range()})`;
  return {
    segments,
    // The levels some line is drawn at, the legend's (a given level no line reaches is named in the note).
    levels: levels.filter((level) => drawn.has(level)),
    ...(study.direction === 'maximize' ? { darkerHigher: true } : {}),
    note: `${base.note === '' ? '' : `${base.note}; `}${grid.xs.length}×${grid.ys.length} grid, ${given === undefined ? `levels at quantiles of its values, closer together toward the ${study.direction === 'minimize' ? 'lowest' : 'highest'}` : `the levels given${missing}`}${failures}${flat}`,
    ...(failed === 0
      ? {}
      : {
          failure: `The contour function failed at ${failed} of the ${points} grid points of ${names[0]} × ${names[1]}${failed === points ? ', so that plot has no contour lines' : ''}; the first time ${grid.firstFailure}.`,
        }),
  };
};

/**
 * The most parameters "What TPE saw", the slice plots and the parallel coordinates draw; a wider space gets its
 * most important parameters'.
 */
const MAX_TPE_CHARTS = 30;

/** `words` with its first letter upper-case. */
const capitalized = (words: string): string => `${words.charAt(0).toUpperCase()}${words.slice(1)}`;

/**
 * The problems of `pairs` (the `pairs` option, from code or `parzen report --pair`) in `space`: one issue per pair
 * that is not two different numeric parameters of the space, at `/pairs/<index>`. A choice has no axis of values
 * to draw against, and a parameter against itself is the diagonal.
 */
export const pairIssues = (space: CompiledSpace, pairs: unknown): ConfigIssue[] => {
  const numeric = space.params.filter((p) => p.distribution.kind !== 'categorical').map((p) => p.name);
  const expected = `two different numeric parameters of the space (${numeric.length === 0 ? 'it has none' : numeric.join(', ')})`;
  if (!Array.isArray(pairs)) return [{ pointer: '/pairs', expected: 'a list of pairs', found: describeValue(pairs) }];
  return pairs.flatMap((pair: unknown, index): ConfigIssue[] => {
    const issue = (found: string): ConfigIssue[] => [{ pointer: `/pairs/${index}`, expected, found }];
    if (!Array.isArray(pair) || pair.length !== 2 || pair.some((name) => typeof name !== 'string'))
      return issue(describeValue(pair));
    const [a, b] = pair as [string, string];
    if (a === b) return issue(`\`${a}\` twice`);
    for (const name of [a, b]) {
      const param = space.byName.get(name);
      if (param === undefined) return issue(`\`${name}\`, no parameter of the space`);
      if (param.distribution.kind === 'categorical') return issue(`\`${name}\`, a choice`);
    }
    return [];
  });
};

/** The charts of one suggestion's decisions: a parameter's densities, or a choice's bars, as "What TPE saw" draws them. */
const suggestionCharts = (
  params: readonly ParamNode[],
  snapshots: readonly ReplaySnapshot[],
  trialValue: (number: number, name: string) => number | undefined,
  figure: boolean | 'next',
  undecided: string[],
): Chart[] =>
  params.flatMap((param) => {
    const chart =
      param.distribution.kind === 'categorical'
        ? categoricalChart(param, snapshots, figure)
        : densityChart(param, snapshots, (number) => trialValue(number, param.name), figure);
    if (chart === undefined) undecided.push(param.name);
    return chart === undefined ? [] : [chart];
  });

/**
 * The decisions of a suggestion on a tree space in the order TPE made them, each parameter of a branch under its
 * branch, as `parzen explain` heads its tables: `` `x`, `model` and `y`; given model = "svm": `C` and `kernel`; given
 * model = "svm", kernel = "rbf": `gamma` ``.
 */
const branchesSentence = (
  params: readonly { readonly name: string; readonly given?: readonly BranchCondition[] }[],
) => {
  const runs: { given: string | undefined; names: string[] }[] = [];
  for (const { name, given } of params) {
    const said = given === undefined ? undefined : branchSaid(given);
    const last = runs.at(-1);
    if (last !== undefined && last.given === said) last.names.push(`\`${name}\``);
    else runs.push({ given: said, names: [`\`${name}\``] });
  }
  const parts = runs.map(({ given, names }) => `${given === undefined ? '' : `given ${given}: `}${listed(names)}`);
  return `TPE decides the parameters in this order, as \`parzen explain\` says them, each parameter of a choice's branch after the choice and under its option: ${parts.join('; ')}.`;
};

/**
 * The "Next suggestion" section: for a TPE study, the params the next trial would get and why, computed as `parzen
 * explain` computes them (the trials as the next run sees them, a running trial whose worker is gone failed first;
 * `explainNextSuggestion`, which stores nothing) and said in its words, with the same charts as a past suggestion's;
 * for a study of another suggester, that there is no model to draw.
 */
const nextSection = async (
  study: ReportStudy,
  /** The parameters the page charts (a wide space: the most important ones). */
  charted: readonly ParamNode[],
  now: Date,
): Promise<Section> => {
  const section = { id: 'next', title: 'Next suggestion' };
  const use = study.suggester?.use;
  if (use !== 'tpe')
    return {
      ...section,
      text: [
        use === undefined
          ? 'The study was stored without its suggester (by an older version), so the page cannot say how its next trial is drawn: there is no model to draw.'
          : `This study's suggester is \`${use}\`${use === 'random' ? ' (random search: every trial drawn at random from the space, whatever the trials before it gave)' : ''}, not TPE: there is no model of the trials so far to draw, so no next suggestion is explained (\`parzen explain\` explains the next trial of a TPE study).`,
      ],
      charts: [],
    };
  const { trials, stale, givenBack } = asTheNextRunSeesThem(study.trials, now, study.takenEntries, study.name);
  // The seed and TPE settings the next run takes (a config's, edited since the study began), as explain takes them.
  const run = study.nextRun ?? {};
  const seen = {
    ...study,
    trials,
    ...(run.seed === undefined ? {} : { seed: run.seed }),
    ...(run.suggester === undefined ? {} : { suggester: run.suggester }),
  };
  const next = await explainNextSuggestion(seen);
  if (next === undefined) return { ...section, text: [], charts: [] };
  const e = next.explanation;
  const words = suggestionWords(next, trials, study.direction);
  const running = next.running === 0 ? '' : `; ${next.running === 1 ? '1 trial' : `${next.running} trials`} running`;
  // An entry a trial whose worker is gone gives back runs before those that wait (as the next run hands them out).
  const entryFirst = givenBack?.[0] ?? study.waiting?.[0];
  const text = [
    `The next trial, #${next.trialNumber}, would get ${paramsLine(next.params)} (TPE, profile ${e.profile}${running}), if no other trial finishes first: computed as \`parzen explain\` computes it (nothing is stored).${entryFirst === undefined ? '' : ` ${waitingEntrySentence(next.trialNumber, toExternalParams(study.space, entryFirst), givenBack?.[0] !== undefined)}`}`,
  ];
  const edited = [
    ...(run.suggester === undefined ? [] : ['TPE settings']),
    ...(run.seed === undefined || run.seed === study.seed ? [] : [`seed ${run.seed} (the study's own: ${study.seed})`]),
  ];
  if (edited.length > 0)
    text.push(
      `The next run takes the config's ${edited.join(' and ')}, edited since the study began: this is computed with ${edited.length === 1 ? 'it' : 'them'}, as \`parzen explain\` computes it, while "What TPE saw" replays the past trials with the study's own.`,
    );
  if (stale.length > 0) text.push(staleTrialsSentence(stale, givenBack));
  if (next.unknownOptions.length > 0)
    text.push(
      `The study's stored TPE options include ${next.unknownOptions.map((key) => `\`${key}\``).join(', ')}, which this version does not know (an older version stored the study): left out.`,
    );
  if (e.phase === 'startup') {
    text.push(
      `${words.startup}: the next trial's params are drawn by the ${words.startupBy}, not by the model, so there is no model to draw yet.`,
    );
    return { ...section, text, charts: [] };
  }
  for (const said of [words.split, words.size, words.running, words.failures]) if (said !== undefined) text.push(said);
  const snapshot: ReplaySnapshot = {
    trialNumber: next.trialNumber,
    explanation: e,
    ...(next.joint === undefined ? {} : { joint: next.joint }),
    stored: {},
    reproduced: true,
  };
  const byNumber = new Map(trials.map((trial) => [trial.number, trial]));
  const undecided: string[] = [];
  // In the order the decisions were made, as `parzen explain` says them (a choice before the parameters its option
  // makes active), each branch's parameter titled with its branch; those the next trial does not set last (no chart).
  const decided = new Map(e.params.map((param, at) => [param.name, { at, given: param.given }]));
  const ordered = [...charted].sort(
    (a, b) => (decided.get(a.name)?.at ?? e.params.length) - (decided.get(b.name)?.at ?? e.params.length),
  );
  const drawn = suggestionCharts(
    ordered,
    [snapshot],
    (number, name) => {
      const value = byNumber.get(number)?.internal[name];
      return typeof value === 'number' ? value : undefined;
    },
    'next',
    undecided,
  );
  const drawnParams = ordered.filter((param) => !undecided.includes(param.name));
  // Ids of their own (`next-density-x`): the SVG files and the page's anchors tell them from the past trials' charts.
  const charts = drawn.map((chart, at) => {
    const given = decided.get(drawnParams[at]?.name ?? '')?.given;
    const title = given === undefined ? chart.title : `${chart.title} (given ${branchSaid(given)})`;
    return { ...chart, id: chartId('next', chart.id), title, spec: { ...chart.spec, title } };
  });
  if (e.params.some((param) => param.given !== undefined))
    text.push(`${branchesSentence(e.params)} The charts below follow that order.`);
  // Groups are separate joint decisions, as explain says them: one list would read as one decision.
  const jointGroups = (e.groups ?? []).filter((group) => group.length > 1);
  const jointSaid =
    jointGroups.length > 1
      ? `TPE decides ${jointGroups.length} groups of parameters, each jointly (${jointGroups.map((group) => group.join(', ')).join('; ')}): their curves are slices of each group's joint l and g`
      : next.joint === undefined
        ? undefined
        : `TPE decides ${listed(jointGroups[0] ?? next.joint.names)} jointly: their curves are slices of the joint l and g`;
  text.push(
    `Each chart below is TPE's model for one parameter as it stands, drawn as "What TPE saw" draws a past trial's: l(x) over the good trials, g(x) over the others, the score, and the value TPE would choose marked.${jointSaid === undefined ? '' : ` ${jointSaid} along each parameter, the others fixed at the chosen point (a chosen point far from the good trials gives a slice that passes beside them, where l looks flat: the good region is then in the pair plots).`}`,
  );
  // A branch the next trial does not take has nothing decided to draw.
  const inactive = undecided.filter((name) => !e.params.some((param) => param.name === name));
  if (inactive.length > 0)
    text.push(
      `No chart for ${inactive.map((name) => `\`${name}\``).join(', ')}: the next trial does not set ${inactive.length === 1 ? 'it' : 'them'} (the branch of a choice that holds ${inactive.length === 1 ? 'it' : 'them'} is not chosen).`,
    );
  return { ...section, text, charts };
};

/**
 * Builds the report page of a study as plain data: optimization history, value distribution,
 * parameter importance (fANOVA, or PED-ANOVA by `importance`), the seed's figures (trials as numbers over
 * the objective's contours; l, g and the score log l − w·log g per parameter after every few trials,
 * replayed from the stored trials), slice and parallel-coordinate plots, the trial table and the best trial.
 * Large studies are downsampled (the page says how).
 */
export const buildReport = async (study: ReportStudy, options: ReportOptions = {}): Promise<ReportPage> => {
  // From code (JavaScript, `any`) as `parzen report --pair` checks them: a bad pair threw a plain Error, or was drawn.
  if (options.pairs !== undefined) {
    const issues = pairIssues(study.space, options.pairs);
    if (issues.length > 0) throw invalidConfig('report options', issues);
  }
  const now = options.now ?? new Date();
  const maxPoints = options.maxPoints ?? 1000;
  const maxLines = options.maxLines ?? 500;
  const maxPairPoints = options.maxPairPoints ?? 300;
  const all = trialPoints(study);
  const notes: string[] = [];
  const complete = all.filter((p) => p.state === 'complete');
  const method = options.importance ?? 'fanova';
  // fANOVA's subsample: fewer trials in a wide space (their cost grows with trials × parameters).
  const fitted = fanovaTrialLimit(study.space.params.length);
  const subsampled = method === 'fanova' && complete.length > fitted;
  const count = (state: string) => all.filter((p) => p.state === state).length;
  // Those cut short told apart, in the run's summary's words (after a kill -9, "1 failed" read as the objective's).
  const cut = all.filter((p) => p.cutShort === true).length;
  const cutNote = cutShortNote(cut, count('failed'));
  // Running trials whose worker is gone, as the table's rows say them (the header counted one as running, unsaid).
  const gone = study.trials.filter(
    (trial) => trial.state === 'running' && trial.lease !== undefined && isStale(trial.lease, now, ''),
  ).length;
  const goneNote =
    gone === 0
      ? ''
      : gone === count('running')
        ? ` (${gone === 1 ? 'worker' : 'workers'} gone)`
        : ` (${gone} of them, worker gone)`;
  notes.push(
    `Study \`${study.name}\` (${study.direction}, seed ${study.seed}, suggester ${study.suggester?.use ?? 'unknown'}${createdWithNote(study)}): ${countOf(all.length, 'trial')} — ${complete.length} complete, ${count('failed')} failed${cutNote}, ${count('pruned')} pruned, ${count('running')} running${goneNote}.`,
  );
  const shownIdx = downsampleIndices(all.length, maxPoints, (i) => all[i]?.improved === true);
  const shown = shownIdx.map((i) => all[i] as TrialPoint);
  const lines = downsampleIndices(all.length, maxLines, (i) => all[i]?.improved === true).map(
    (i) => all[i] as TrialPoint,
  );
  if (shown.length < all.length)
    notes.push(
      `Downsampled: the history and slice plots draw ${shown.length} of ${all.length} trials, the parallel coordinates ${lines.length} (every new best, and the rest evenly spaced by trial number); the value distribution is drawn at ${Math.min(all.length, maxPoints)} steps; ${subsampled ? `importance fits ${fitted.toLocaleString('en-US')} of the complete trials (drawn by the seed), the TPE replay and the table use all trials` : 'importance, the TPE replay and the table use all trials'}.`,
    );
  const observations = complete.map((p) => ({
    params: p.internal,
    loss: lossToMinimize(p.loss as number, study.direction),
  }));
  // fANOVA by default: PED-ANOVA's good-versus-all densities rank the parameters TPE narrowed, used or not
  // (a user's TPE study ranked an unused parameter second and the dominant one fourth).
  const measured =
    method === 'fanova'
      ? measuredFanova(study.space, observations, { seed: study.seed })
      : measuredImportance(study.space, observations);
  // Equal shares where nothing could be measured: they only order the default pairs, never a chart.
  const importances = measured ?? equalImportance(study.space);
  const best = bestTrial(study.trials, study.direction);
  // With no loss to show, no loss distribution or importance (their charts would be empty).
  // No trial finished: the section says so, and draws no empty history.
  const noHistory = historyGap(shown);
  const overview: Chart[] = noHistory === undefined ? [historyChart(shown, study.direction)] : [];
  if (complete.length > 0) overview.push(ecdfChart(all, maxPoints));
  if (measured !== undefined && measured.length > 0) overview.push(importanceChart(measured, method));
  else if (complete.length > 0)
    notes.push(
      `No parameter importance: ${complete.length <= 2 ? `${countOf(complete.length, 'complete trial')} (it needs 3 or more)` : method === 'fanova' ? 'the loss does not vary with the parameters (a constant loss?)' : 'the good trials’ values do not differ from the rest (a constant loss?)'}.`,
    );
  // The trials that reported intermediate values, as many as the parallel coordinates draw.
  const reporting = [...study.trials]
    .filter((trial) => (trial.intermediate?.length ?? 0) > 0)
    .sort((a, b) => a.number - b.number);
  const improved = new Set(all.filter((p) => p.improved).map((p) => p.number));
  const curveIdx = downsampleIndices(reporting.length, maxLines, (i) => improved.has(reporting[i]?.number ?? -1));
  const curveTrials = curveIdx.map((i) => reporting[i] as Trial);
  const curves = learningCurvesChart(curveTrials, study.direction);
  if (curves !== undefined) overview.push(curves);
  if (curveIdx.length < reporting.length)
    notes.push(
      `The learning curves draw ${curveIdx.length} of the ${reporting.length} trials that reported (every new best, the rest evenly spaced).`,
    );
  const longest = curveTrials.reduce((most, trial) => Math.max(most, trial.intermediate?.length ?? 0), 0);
  if (longest > CURVE_POINTS)
    notes.push(
      `The learning curves draw at most ${CURVE_POINTS.toLocaleString('en-US')} of each trial's reports (of up to ${longest.toLocaleString('en-US')}: its first and last, each new best value, the rest evenly spaced by step); the tooltips give the values of the reports drawn.`,
    );

  const finished = all.filter((p) => p.state !== 'running');
  const pairs =
    options.pairs?.map((pair) => pair.map((name) => study.space.byName.get(name)) as [ParamNode, ParamNode]) ??
    pairsOf(study.space, importances, finished);
  const apart = pairs.filter(([a, b]) => finished.length > 0 && !setTogether(finished, a.name, b.name));
  const pairIdx = downsampleIndices(all.length, maxPairPoints, (i) => all[i]?.improved === true);
  // Running trials too: the pair plot leaves them out itself.
  const pairPoints = pairIdx.map((i) => all[i] as TrialPoint);
  if (pairIdx.length < all.length && pairs.length > 0)
    notes.push(
      `The pair plots draw ${pairIdx.length} of ${all.length} trials as numbers (every new best, the rest evenly spaced).`,
    );
  const resolution = options.contourResolution ?? 40;
  const pairCharts: Chart[] = [];
  for (const pair of pairs) {
    const contour =
      options.contour === undefined
        ? undefined
        : await contourFor(study, options.contour, pair, resolution, options.contourLevels);
    if (contour?.failure !== undefined) notes.push(contour.failure);
    // A plot only over something to draw: a finished trial that set both, or contour lines (a user trial: before
    // any trial, a served page drew three empty plots under "nothing to draw").
    const lines = contour !== undefined && contour.unavailable === undefined && contour.segments.length > 0;
    if (lines || setTogether(finished, pair[0].name, pair[1].name))
      pairCharts.push(pairChart(pairPoints, pair[0], pair[1], contour, best?.number));
  }
  if (apart.length > 0)
    notes.push(
      `No finished trial set both parameters of the pair${apart.length === 1 ? '' : 's'} ${apart.map(([a, b]) => `${a.name} × ${b.name}`).join(', ')} (parameters of different branches of a choice are never set together): no trial to draw there${options.contour === undefined ? ', so no plot' : ''}.`,
    );

  const replay = await replaySuggestions(study, {
    ...(options.every === undefined ? {} : { every: options.every }),
    ...(options.trials === undefined ? {} : { trials: options.trials }),
    ...(options.snapshots === undefined ? {} : { count: options.snapshots }),
  });
  const undecided: string[] = [];
  const byNumber = new Map(study.trials.map((trial) => [trial.number, trial]));
  // A served page's trials asked for that the study does not have yet: awaited, said so, and drawn once they come.
  const awaited = options.awaitTrials === true ? (replay.missing ?? []).filter((number) => !byNumber.has(number)) : [];
  const said =
    awaited.length === 0
      ? replay
      : { ...replay, missing: (replay.missing ?? []).filter((number) => !awaited.includes(number)) };
  const awaitedText = awaited.length === 0 ? [] : [awaitedWords(awaited, study.trials)];
  notes.push(...awaitedText);
  // A wide space: the most important parameters' charts (trial 95: 168 of them were 16 MB of a 23 MB page that
  // took 37 s to open), in the space's order; the rest said.
  const ranked = importances.map((imp) => imp.name);
  const charted =
    study.space.params.length <= MAX_TPE_CHARTS
      ? study.space.params
      : study.space.params.filter((param) => {
          const at = ranked.indexOf(param.name);
          return at >= 0 && at < MAX_TPE_CHARTS;
        });
  const tpeCharts = suggestionCharts(
    charted,
    replay.snapshots,
    (number, name) => {
      const value = byNumber.get(number)?.internal[name];
      return typeof value === 'number' ? value : undefined;
    },
    !replay.sameSuggester,
    undecided,
  );
  // The slice plots and the parallel coordinates draw the same parameters (trial 95: 292 axes made a
  // 32,000-pixel-wide chart of 6.6 MB).
  const drawnSpace = charted.length === study.space.params.length ? study.space : { ...study.space, params: charted };
  // Said when it drew any (review 100: said with no chart drawn), and by what it chose them.
  const narrowed = [
    ...(tpeCharts.length > 0 ? ['"What TPE saw"'] : []),
    ...(complete.length > 0 ? ['the slice plots and the parallel coordinates'] : []),
  ].join(', ');
  const draw = complete.length > 0 ? 'draw' : 'draws';
  if (charted.length < study.space.params.length && narrowed !== '')
    notes.push(
      measured !== undefined && measured.length > 0
        ? `${capitalized(narrowed)} ${draw} the ${charted.length} most important of the ${study.space.params.length} parameters (by the importance below); \`parzen explain\` gives every parameter's decision, \`parzen trials --params\` any parameter's values.`
        : `${capitalized(narrowed)} ${draw} the first ${charted.length} of the ${study.space.params.length} parameters (no importance to rank them yet); \`parzen explain\` gives every parameter's decision, \`parzen trials --params\` any parameter's values.`,
    );
  // Said, not left out silently (trial 39: a branch TPE did not choose in any snapshot had no charts).
  const undecidedText =
    replay.snapshots.length === 0 || undecided.length === 0
      ? []
      : [
          `No chart for ${undecided.map((name) => `\`${name}\``).join(', ')}: ${undecided.length === 1 ? 'it was' : 'they were'} not decided in any replayed suggestion (the branch of a choice that holds ${undecided.length === 1 ? 'it' : 'them'} was not chosen then); \`--every\` replays more suggestions.`,
        ];

  const sections: Section[] = withUniqueChartIds([
    {
      id: 'overview',
      title: 'The study',
      text:
        noHistory !== undefined
          ? [noHistory]
          : overview.some((c) => c.id === 'importance')
            ? [
                method === 'fanova'
                  ? `Importance is fANOVA (Hutter, Hoos & Leyton-Brown 2014, as Optuna's default): a random forest of 64 trees predicts the loss from the parameters (log-scaled ones on their log scale, where Optuna's takes their values), and a parameter's importance is the share of the predicted loss's variance over the whole space that it explains on its own, averaged over the trees. It is only as good as the forest: where the study sampled little (TPE's trials cluster near the best), the trees extrapolate from the few trials there, so on a TPE study a parameter the loss does not use can still take a visible share (far less than under PED-ANOVA, which ranks such a parameter by how much TPE narrowed it); effects that come only from parameters acting together count for none of them; and a parameter of a branch, where its branch was not chosen, is one more value of it (so it can share its choice's effect).${subsampled ? ` The forest is fitted to ${fitted.toLocaleString('en-US')} of the ${complete.length.toLocaleString('en-US')} complete trials, drawn at random by the study's seed.` : ''}`
                  : 'Importance is PED-ANOVA (Watanabe et al. 2023): for each parameter, the Pearson divergence between the density of its values among the best 10 % of trials and among all trials — the same good-versus-all view TPE takes. It is local: it says what mattered within the region this study explored, and TPE narrows every parameter around its best trials, used or not, so an unused parameter can rank high. A parameter of a branch is measured over the trials that set it and counts for their share of all trials; set in fewer than 2 of the good trials, it gets 0.',
              ]
            : [],
      charts: overview,
    },
    {
      id: 'pairs',
      title: 'Where the trials went',
      text: [
        pairCharts.length === 0
          ? numericParams(study.space.params).length < 2
            ? 'The space has fewer than two numeric parameters: no pair plots.'
            : (historyGap(finished.length === 0 ? all : finished) ??
              (options.pairs === undefined
                ? 'No finished trial set two numeric parameters together (each is in its own branch of a choice): no pair plots.'
                : 'No finished trial set both parameters of a pair asked for: no pair plots.'))
          : `${
              options.pairs === undefined
                ? `The pairs of the most important numeric parameters (by ${method === 'fanova' ? 'fANOVA' : 'PED-ANOVA'} importance) that at least ${MIN_PAIR_TRIALS} finished trials set together (fewer when no pair has that many); \`parzen report --pair A,B\` draws others. `
                : ''
            }${
              options.contour === undefined
                ? 'Each trial drawn as its number (a dot where it would cover another). Give a cheap function (`parzen report --contour`) to draw the objective’s contours underneath.'
                : `Each trial drawn as its number (a dot where it would cover another) over contour lines of the objective (darker: ${study.direction === 'maximize' ? 'higher' : 'lower'}).`
            }`,
      ],
      charts: pairCharts,
    },
    {
      id: 'tpe',
      title: 'What TPE saw',
      text: [
        ...awaitedText,
        ...(replay.snapshots.length > 0
          ? [...replayText(study, said), ...undecidedText]
          : awaitedText.length > 0 &&
              !said.spaced &&
              (said.trials ?? []).length === 0 &&
              (said.missing ?? []).length === 0
            ? []
            : [noReplayText(said)]),
      ],
      charts: tpeCharts,
    },
    ...(options.next === false ? [] : [await nextSection(study, charted, now)]),
    {
      id: 'params',
      title: 'Each parameter',
      text: [],
      charts:
        complete.length === 0 ? [] : [sliceChart(shown, drawnSpace), parallelChart(lines, drawnSpace, study.direction)],
    },
  ]);
  return {
    title: options.title ?? `Parzen report: ${study.name}`,
    notes,
    sections,
    table: table(study, all, now, await startupDraws(study)),
    ...(best === undefined
      ? {}
      : {
          best: {
            number: best.number,
            loss: best.loss,
            params: toExternalParams(study.space, best.internal),
            // Its attrs too, as `parzen best` prints them (trial 157: the training seed was in the table only).
            ...(best.attrs === undefined || Object.keys(best.attrs).length === 0
              ? {}
              : {
                  attrs: Object.fromEntries(Object.entries(best.attrs).map(([name, value]) => [name, attrCell(value)])),
                }),
          },
        }),
    version: pageVersion(study, now),
    running: study.trials.filter((trial) => trial.state === 'running').length,
  };
};
