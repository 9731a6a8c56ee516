import type { BranchCondition, ConstantLiar, PrunedTrialPolicy } from '@parzen/algo-tpe';
import { entriesGivenBack, keptForImport, shownNumber } from '@parzen/engine/host';
import {
  type Direction,
  finishedTrial,
  type ParamAssignment,
  staleTrialOutcome,
  type TakenEntry,
  type Trial,
} from '@parzen/engine/plugin';
import type { NextSuggestion } from './replay.js';

/**
 * Whether a trial is running and its worker is gone by `now` (its lease lapsed): the next run fails it first, as
 * {@link asTheNextRunSeesThem} does. Any worker's, this process's too (it runs no trial).
 */
export const workerGone = (trial: Trial, now: Date): boolean => staleTrialOutcome(trial, now, '') !== undefined;

/**
 * The trials as the next run sees them: a running trial whose worker is gone (its lease lapsed by `now`) is
 * failed first (`STALE_TRIAL`), by the rule a run marks it with, so a suggestion explained from them is the one
 * that run draws. `stale` lists those trials by number.
 */
export const asTheNextRunSeesThem = (
  trials: readonly Trial[],
  now: Date,
  /** The entries the study's trials hold (the store's `listTakenEntries`); absent when the store does not list them. */
  taken?: readonly TakenEntry[],
  /**
   * The study's name, to leave running, as a run does, the trials whose results this user's rescue file keeps for
   * `parzen import` (neither failed nor giving their entry back); absent: none are.
   */
  study?: string,
): {
  /** The trials, those whose worker is gone failed as `STALE_TRIAL`. */
  readonly trials: Trial[];
  /** The numbers of the trials failed so. */
  readonly stale: number[];
  /**
   * The enqueued entries those trials give back (internal values), in the order the next run runs them, before any
   * other waiting entry; absent when `taken` is (the store alone knows them).
   */
  readonly givenBack?: readonly ParamAssignment[];
} => {
  // Those whose results this user's rescue file keeps, left running for `parzen import`, as a run leaves them.
  const kept = new Set(study === undefined ? [] : (keptForImport(study, trials, '', now)?.trials ?? []));
  const ending = kept.size === 0 ? trials : trials.filter((trial) => !kept.has(trial.number));
  const given = taken === undefined ? undefined : entriesGivenBack(ending, now, taken).map(({ internal }) => internal);
  const stale: number[] = [];
  const seen = trials.map((trial): Trial => {
    const outcome = staleTrialOutcome(trial, now, '');
    if (trial.state !== 'running' || outcome === undefined || kept.has(trial.number)) return trial;
    stale.push(trial.number);
    return finishedTrial(trial, outcome, now.toISOString());
  });
  return { trials: seen, stale, ...(given === undefined ? {} : { givenBack: given }) };
};

/**
 * What `parzen explain` and the report's "Next suggestion" section say of a suggestion, one sentence (or clause)
 * each, the same words in both. Absent where it has nothing to say.
 */
export interface SuggestionWords {
  /** The start-up suggester that drew the params in the start-up phase: `quasi-random start-up suggester`. */
  readonly startupBy: string;
  /**
   * In the start-up phase, how far along it is (a clause, no full stop): `It falls in TPE's start-up phase, which
   * lasts until 10 trials have finished (4 so far)`.
   */
  readonly startup?: string;
  /** Past start-up: what l(x) and g(x) were built from, the good trials by their losses. */
  readonly split?: string;
  /** How γ gave the number of good trials, the below set (and maxBelow, the explore setting, a tie at the boundary). */
  readonly size?: string;
  /** What the running trials counted as, by the constant liar, and where they ranked. */
  readonly running?: string;
  /** The failed trials left out of l(x) and g(x) (`failed: "avoid"`), and whether they steered the decisions. */
  readonly failures?: string;
}

/** A loss, γ or lie as it prints: six significant digits, an integer in full. */
const formatNumber = (value: number): string => shownNumber(value);

/** Up to how many good trials the split names them all (more: the best five, and those a kernel names). */
const GOOD_LISTED = 8;

/** The start-up suggester named by its kind when the explanation says it: `quasi-random start-up suggester`. */
const startupSuggester = (e: NextSuggestion['explanation']): string =>
  e.startup === undefined ? 'start-up suggester' : `${e.startup} start-up suggester`;

/**
 * The best loss's tie that left the below set (the good trials) empty, with the rule (trial 162: "a tie of many
 * trials" for two): `, 0.1, is a tie of 2 trials, at least twice the 1 good trial the split picks`.
 */
const plateauOf = (losses: ReadonlyMap<number, number>, sign: number, good: number): string => {
  const values = [...losses.values()];
  const set = `the ${good} good ${good === 1 ? 'trial' : 'trials'} the split picks`;
  if (values.length === 0) return ` is a tie of at least twice as many trials as ${set}`;
  const best = values.reduce((a, b) => (sign * (b - a) < 0 ? b : a));
  const tied = values.filter((loss) => loss === best).length;
  return `, ${formatNumber(best)}, is a tie of ${tied} trials, ${tied >= 2 * good ? 'at least twice' : 'against'} ${set}`;
};

/** Whether the constant liar counts running trials among the observed ones (all lies but `worst` and false). */
const runningObserved = (lie: ConstantLiar | undefined): boolean =>
  lie !== undefined && lie !== false && lie !== 'worst';

/** What g(x) is built from: `g(x) from the others`, or `g(x) from the other 23 and the 2 running trials`. */
const aboveFrom = (e: NextSuggestion['explanation']): string => {
  const running = e.constantLiar === false ? [] : (e.running ?? []);
  const above = running.filter((number) => !e.below.includes(number)).length;
  if (above === 0) return 'g(x) from the others';
  const others = e.observed - e.below.length - (runningObserved(e.constantLiar) ? above : 0);
  return `g(x) from the other ${others} and the ${above === 1 ? 'running trial' : `${above} running trials`}`;
};

/**
 * What the running trials counted as, by the constant liar, as a sentence, and where they ranked against the
 * complete and pruned trials in the split (`pruned`, the setting replayed with); empty when none was running.
 */
const liedRunning = (
  e: NextSuggestion['explanation'],
  pruned: PrunedTrialPolicy | undefined,
  /** The trials the suggestion saw: whether any was pruned, or complete with a loss to take a lie from. */
  seen: readonly Trial[],
): string => {
  const count = e.running?.length ?? 0;
  const lie = e.constantLiar;
  if (count === 0 || lie === undefined) return '';
  const trials = count === 1 ? 'The running trial counts' : `The ${count} running trials count`;
  const observed = `among the ${e.observed} observed`;
  if (lie === false)
    return `${count === 1 ? 'The running trial is' : `The ${count} running trials are`} left out (constantLiar false): in neither l(x) nor g(x).`;
  if (lie === 'worst')
    return `${trials} as worse than any finished trial (constantLiar "worst"): in g(x) only, and not ${observed}.`;
  // Pruned trials rank in the split unless `pruned: "ignore"` leaves them out.
  const rankedPruned = pruned !== 'ignore' && seen.some((trial) => trial.state === 'pruned');
  // At +∞ they come after every complete and pruned trial (failed ones under failed: "worst" beside them, by number).
  const last = (why: string) =>
    `${trials} at a loss of +∞ (${why}), ${observed}: ranked after every complete${rankedPruned ? ' and pruned' : ''} trial, so in l(x) only when those are too few to fill its set.`;
  if (lie === 'infinite') return last('constantLiar "infinite"');
  // A mean or best of no complete loss is none: the split takes the running trials at +∞ then.
  if (
    (lie === 'mean' || lie === 'best') &&
    !seen.some((trial) => trial.state === 'complete' && Number.isFinite(trial.loss))
  )
    return last(`constantLiar "${lie}", with no complete trial's loss to take the ${lie} of`);
  const at =
    lie === 'mean'
      ? `the complete trials' mean loss (constantLiar "mean")`
      : lie === 'best'
        ? `the complete trials' best loss (constantLiar "best")`
        : `a loss of ${formatNumber(lie)} (constantLiar ${formatNumber(lie)})`;
  // Under `pruned: "rank"` every complete trial and every lie comes before the pruned trials; under "impute" the
  // pruned trials with an estimated loss are ranked among them by it, the others after them all.
  const ranked = !rankedPruned
    ? 'ranked by loss among the complete trials'
    : pruned === 'impute'
      ? 'ranked by loss among the complete trials and the pruned ones whose loss is estimated (the other pruned trials rank after them all)'
      : 'ranked by loss among the complete trials, ahead of every pruned trial';
  return `${trials} at ${at}, ${ranked}, ${observed}.`;
};

/**
 * How γ gave the number of good trials (the below set), as a sentence: `The number of good trials is γ = 0.1 of the
 * 60 trials observed, rounded up: 6.`,
 * with the cap (maxBelow), the explore setting that gave γ, and a boundary tie left out (ties: "above").
 */
const splitRule = (e: NextSuggestion['explanation']): string => {
  const n = e.split === 'sqrt' ? `√${e.observed}` : `${e.observed}`;
  const raw = Math.ceil(e.gamma * (e.split === 'sqrt' ? Math.sqrt(e.observed) : e.observed));
  const of = `γ = ${formatNumber(e.gamma)} of ${e.split === 'sqrt' ? `the square root of the ${e.observed} trials observed (${n})` : `the ${n} trials observed`}, rounded up`;
  const size = raw === e.nBelow ? `: ${e.nBelow}` : ` (${raw}), at most ${e.nBelow} (maxBelow)`;
  const explore =
    // Review 157: only when `explore` gives γ (a γ of the options' own, beside an explore phase without one, is not).
    e.explore?.gamma === undefined
      ? ''
      : ` This γ is the explore setting's, used for the trials before #${e.explore.trials}.`;
  const tie =
    e.below.length < e.nBelow && e.below.length > 0
      ? ` ${e.nBelow - e.below.length} of them tied at the boundary with many more trials, and ties: "above" leaves such a tie out of it.`
      : '';
  return `The number of good trials is ${of}${size}.${explore}${tie}`;
};

/**
 * How the pruned trials the suggestion saw counted, beside the observed count (` (8 of them pruned, ranked after every
 * complete trial: pruned "rank")`); empty when none was pruned. The text said nothing of them, which only `--json`'s
 * `pruned` told.
 */
const prunedCounted = (pruned: PrunedTrialPolicy | undefined, trials: readonly Trial[]): string => {
  const count = trials.filter((trial) => trial.state === 'pruned').length;
  if (count === 0 || pruned === undefined) return '';
  const them = count === 1 ? 'the pruned trial' : `the ${count} pruned trials`;
  if (pruned === 'ignore') return ` (${them} left out: pruned "ignore")`;
  const of = count === 1 ? '1 of them pruned' : `${count} of them pruned`;
  return pruned === 'impute'
    ? ` (${of}, ranked among the complete trials at a loss estimated from ${count === 1 ? 'its' : 'their'} reports where one can be, after them all otherwise: pruned "impute")`
    : ` (${of}, ranked after every complete trial: pruned "rank")`;
};

/** The sentence naming the good trials l(x) was built from (or why none is good) and what g(x) was built from. */
const splitSentence = (
  e: NextSuggestion['explanation'],
  trials: readonly Trial[],
  direction: Direction,
  pruned: PrunedTrialPolicy | undefined,
): string => {
  const losses = new Map<number, number>();
  for (const trial of trials) if (trial.state === 'complete') losses.set(trial.number, trial.loss);
  const sign = direction === 'maximize' ? -1 : 1;
  const ranked = e.below
    .filter((number) => losses.has(number))
    .sort((a, b) => sign * ((losses.get(a) as number) - (losses.get(b) as number)) || a - b);
  // Below-set members without a loss of their own: running trials at the constant liar's lie, pruned ones.
  const others = e.below.filter((number) => !losses.has(number));
  // Every good trial when they are few, else the best five; and always those the kernels named (trial 166: the kernel
  // column named #30, the sixth of six, hidden by the ellipsis).
  const named = new Set(e.params.flatMap((param) => param.winner.kernel?.trial ?? []));
  const shownAt = (number: number, at: number) => ranked.length <= GOOD_LISTED || at < 5 || named.has(number);
  const listed = [
    ...ranked.flatMap((number, at) =>
      shownAt(number, at)
        ? [`#${number} ${formatNumber(losses.get(number) as number)}`]
        : at > 0 && !shownAt(ranked[at - 1] as number, at - 1)
          ? []
          : ['…'],
    ),
    ...(others.length === 0 ? [] : [`${others.map((number) => `#${number}`).join(', ')} without a loss of their own`]),
  ].join(', ');
  const observed = `${e.observed === 1 ? '1 trial' : `${e.observed} trials`} observed${prunedCounted(pruned, trials)}`;
  return e.observed === 0
    ? // Every trial failed (under failed: "avoid" start-up counts them): nothing to split (trial 77: "g(x) from the others", none).
      'No trial has a loss yet (every trial observed failed): l(x) and g(x) are the prior alone, so the score leans only on where trials failed (log P(finishes)).'
    : e.below.length === 0
      ? `From ${observed}: none is good, as the best loss${plateauOf(losses, sign, e.nBelow)}, and ties: "above" leaves such a plateau out of it; so l(x) is the prior alone and g(x) is built from them all.`
      : `From ${observed}: l(x) is built from the ${e.below.length} best${listed === '' ? '' : ` (${listed})`}, ${aboveFrom(e)}.`;
};

/**
 * The sentences `parzen explain` prints of a suggestion, and the report's "Next suggestion" section says: where the
 * start-up phase is, or what the split was built from, the number of good trials, what the running trials counted as and
 * the failed trials left out. `trials` are the ones the suggestion saw (the trials before a past trial; for the next
 * one, the study's as {@link asTheNextRunSeesThem} gives them).
 */
export const suggestionWords = (
  suggestion: NextSuggestion,
  trials: readonly Trial[],
  direction: Direction,
): SuggestionWords => {
  const e = suggestion.explanation;
  const startupBy = startupSuggester(e);
  if (e.phase === 'startup') {
    // Trial 158 (C6): a trial an entry gave every param was said "not drawn", then "drawn by the start-up suggester".
    // Trial 166: "(5 of 10 trials finished)" read as if the study had 10 trials.
    // Review 157: under failed: "ignore" (optuna, optuna5) failed trials do not count, and "(4 so far)" beside 6 finished misled.
    const finishedBefore = trials.filter(
      (trial) => trial.state !== 'running' && trial.number < suggestion.trialNumber,
    ).length;
    const uncounted = finishedBefore - e.finished;
    return {
      startupBy,
      startup: `It falls in TPE's start-up phase, which lasts until ${e.startupTrials} trials have finished (${e.finished} so far${uncounted > 0 ? `: ${uncounted === 1 ? 'a failed trial' : `${uncounted} failed trials`} before it ${uncounted === 1 ? 'does' : 'do'} not count` : ''})`,
    };
  }
  // Trial 166: where the number of good trials came from was never said (6 is γ = 0.1 of 60, or 0.15 of 40 before #50).
  const size = e.observed > 0 && e.gamma !== undefined ? splitRule(e) : undefined;
  // Trial 166: running trials in g(x) were "the others", read as the other finished trials.
  const running = liedRunning(e, suggestion.pruned, trials);
  const finishing = e.params.some((param) => param.candidates.logFinishing !== undefined);
  // Failed trials are outside l(x) and g(x) under failed: "avoid"; they count for start-up and steer through log P(finish).
  const failures =
    e.observed > 0 && e.failures !== undefined
      ? `${e.failures === 1 ? '1 trial that failed at its params is' : `${e.failures} trials that failed at their params are`} not among them: ${finishing ? 'failures steer decisions away from where trials fail (log P(finish) below).' : "they steer no decision of this trial: the failure model reads the latest finished or failed trials that have a decision's parameters, and none of those failed."}`
      : undefined;
  return {
    startupBy,
    split: splitSentence(e, trials, direction, suggestion.pruned),
    ...(size === undefined ? {} : { size }),
    ...(running === '' ? {} : { running }),
    ...(failures === undefined ? {} : { failures }),
  };
};

/** A parameter's value as explain and the report say it: a number formatted, anything else as JSON (`"mlp"`). */
export const valueSaid = (value: unknown): string =>
  typeof value === 'number' ? formatNumber(value) : (JSON.stringify(value) ?? String(value));

/** Params as one line, as `parzen explain` prints them: `x = 0.61, model = "svm"`. */
export const paramsLine = (params: Readonly<Record<string, unknown>>): string =>
  Object.entries(params)
    .map(([name, value]) => `${name} = ${valueSaid(value)}`)
    .join(', ');

/**
 * A branch's conditions (a decision's `given`) as `parzen explain` and the report's "Next suggestion" say them:
 * `model = "mlp", optimizer = "adam"`.
 */
export const branchSaid = (given: readonly BranchCondition[]): string =>
  given.map(({ name, value }) => `${name} = ${valueSaid(value)}`).join(', ');

/** Words as `a`, `a and b`, `a, b and c`. */
export const listed = (words: readonly string[]): string =>
  words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;

/** Trial numbers as `#3`, `#3 and #5`, `#3, #5 and #8`. */
const numbered = (numbers: readonly number[]): string => listed(numbers.map((number) => `#${number}`));

/**
 * What `parzen explain` and the report's "Next suggestion" section say of the running trials whose worker is gone
 * (`stale`, as {@link asTheNextRunSeesThem} lists them), one sentence: `#12 was left running by a worker that is
 * gone: counted as failed (STALE_TRIAL), as the next run marks it first (…)`. `givenBack`: the enqueued entries they
 * give back (`asTheNextRunSeesThem`'s), said in the parenthesis; absent, the parenthesis says the store alone knows.
 */
export const staleTrialsSentence = (stale: readonly number[], givenBack?: readonly unknown[]): string => {
  const one = stale.length === 1;
  const entries =
    givenBack === undefined
      ? ` (an enqueued entry ${one ? 'it' : 'one'} ran, if any, then runs again first, which the store alone knows)`
      : givenBack.length === 0
        ? ''
        : ` (the enqueued ${givenBack.length === 1 ? 'entry' : 'entries'} ${one ? 'it' : 'they'} ran then ${givenBack.length === 1 ? 'runs' : 'run'} again first)`;
  return `${numbered(stale)} ${one ? 'was' : 'were'} left running by a worker that is gone: counted as failed (STALE_TRIAL), as the next run marks ${one ? 'it' : 'them'} first${entries}.`;
};

/**
 * What they say of an enqueued entry waiting (`entry`: its params, as a config writes them), which the next trial
 * (`trialNumber`) runs instead of TPE's draw, one sentence: `#8, the next trial, runs the enqueued entry that waits
 * (x = 0.25, y = -1) instead: …`. `givenBack`: the entry is one a trial whose worker is gone gives back (see
 * {@link asTheNextRunSeesThem}), which the next run runs before the entries that wait.
 */
export const waitingEntrySentence = (
  trialNumber: number,
  entry: Readonly<Record<string, unknown>>,
  givenBack = false,
): string =>
  `#${trialNumber}, the next trial, runs ${givenBack ? 'the enqueued entry that a trial whose worker is gone gives back, before those that wait' : 'the enqueued entry that waits'} (${paramsLine(entry)}) instead: TPE decides only what it leaves out, and the draw shown here is TPE's for #${trialNumber} without it.`;
