import {
  explainJoint,
  explainSuggestion,
  type JointExplanation,
  type PrunedTrialPolicy,
  resolveTpeSettings,
  type StartupSuggesterName,
  type TpeExplanation,
  type TpeOptions,
  tpeOptionsSchema,
} from '@parzen/algo-tpe';
import { type ParamAssignment, type Trial, toExternalParams, trialRng } from '@parzen/engine/plugin';
import type { ReportStudy } from './types.js';

/** One replayed suggestion: what TPE's model looked like when it chose trial `trialNumber`'s params. */
export interface ReplaySnapshot {
  /** The trial whose suggestion is explained; the model was built from the trials before it. */
  readonly trialNumber: number;
  /** TPE's explanation of the replayed suggestion: the split, and l(x), g(x) and the candidates per parameter. */
  readonly explanation: TpeExplanation;
  /** Multivariate TPE: the jointly decided parameters, sliced through the chosen point. */
  readonly joint?: JointExplanation;
  /** The params the study stored for that trial. */
  readonly stored: ParamAssignment;
  /** Whether every replayed winner equals the stored value (the replay reproduced the run exactly). */
  readonly reproduced: boolean;
  /**
   * The trial ran an enqueued entry that gave it every param (the store's `takenEntries`): TPE drew none, and the
   * snapshot shows what it would have drawn.
   */
  readonly enqueuedAll?: true;
}

/** The replayed snapshots and what the page should say about them. */
export interface Replay {
  /** The snapshots, in trial order; those that fell in TPE's start-up phase left out (`startupSkipped`). */
  readonly snapshots: readonly ReplaySnapshot[];
  /** The TPE options the replay used. */
  readonly options: TpeOptions;
  /** False when the study's suggester was not TPE (the replay then shows what TPE's defaults would do). */
  readonly sameSuggester: boolean;
  /** Trials after which a snapshot was taken but TPE was still in its start-up phase. */
  readonly startupSkipped: number;
  /** Of those, the ones an enqueued entry gave every param (not drawn by the start-up suggester). */
  readonly startupEnqueued: number;
  /** The start-up suggester TPE's replay drew its start-up trials with, when one fell in that phase. */
  readonly startup?: StartupSuggesterName;
  /**
   * Of those, the ones where trials before them were still running by their stored times (finished after the
   * snapshot's trial started): TPE counted only the finished ones. Imported trials with overlapping times
   * look so to each other.
   */
  readonly overlapSkipped: number;
  /** The snapshot spacing: one after every `every` trials (none when only `trials` were asked for). */
  readonly every: number;
  /** Whether snapshots were spaced by `every` (not when `trials` alone were asked for). */
  readonly spaced: boolean;
  /** The trials asked for by number (`ReplayOptions.trials`), those the study has with params. */
  readonly trials?: readonly number[];
  /** Of the trials asked for, those the study does not have (or that have no params: nothing was chosen). */
  readonly missing?: readonly number[];
  /**
   * With spaced snapshots, the study's last trial when it is off that spacing: its snapshot is taken too, so
   * the report shows where TPE is now.
   */
  // Trial 108: with 80 trials the rows stopped at 72; trial 166: with --every they still did.
  readonly last?: number;
  /** Stored TPE options this version does not know (a study from an older one), left out of the replay. */
  readonly unknownOptions: readonly string[];
}

/** How {@link replaySuggestions} picks trials. */
export interface ReplayOptions {
  /**
   * A snapshot after every `every` trials; default: spaced so there are about `count` of them, and one at the
   * last trial.
   */
  readonly every?: number;
  /** Default 10, as the seed's figure. */
  readonly count?: number;
  /** Snapshots at these trials too; without `every`, at these trials only. */
  readonly trials?: readonly number[];
}

/**
 * The trials as the suggester saw them when trial `target` was suggested: the ones with lower numbers,
 * those that finished only after `target` started shown as still running (so a parallel study replays
 * with about the view each worker had: the stored times cannot place a trial that started or finished
 * within moments of the suggestion).
 */
export const trialsBefore = (trials: readonly Trial[], target: Trial): Trial[] =>
  trials
    .filter((trial) => trial.number < target.number)
    .map((trial) =>
      trial.state !== 'running' && trial.finishedAt > target.startedAt
        ? {
            study: trial.study,
            number: trial.number,
            internal: trial.internal,
            startedAt: trial.startedAt,
            state: 'running',
          }
        : trial,
    );

const KNOWN_TPE_OPTIONS = new Set(Object.keys(tpeOptionsSchema.properties));

/**
 * The options to replay with: the study's own TPE options, without any this version does not know (a
 * study stored by an older version would otherwise fail the replay, since TPE refuses unknown options).
 */
const tpeOptionsOf = (
  study: ReportStudy,
): { options: TpeOptions; sameSuggester: boolean; unknownOptions: string[] } => {
  if (study.suggester?.use !== 'tpe') return { options: {}, sameSuggester: false, unknownOptions: [] };
  const given = study.suggester.options ?? {};
  const stored = Object.entries(given);
  // A config's options as its validation leaves them: a `profile` beside `compat` (its former name) is the default
  // the validation filled in (it refuses both written), which TPE, given both, would refuse.
  const filled = (key: string) => key === 'profile' && given.compat !== undefined;
  return {
    options: {
      ...Object.fromEntries(stored.filter(([key]) => KNOWN_TPE_OPTIONS.has(key) && !filled(key))),
      explain: true,
    } as TpeOptions,
    sameSuggester: true,
    unknownOptions: stored.map(([key]) => key).filter((key) => !KNOWN_TPE_OPTIONS.has(key)),
  };
};

const reproduces = (
  explanation: TpeExplanation,
  joint: JointExplanation | undefined,
  stored: ParamAssignment,
): boolean =>
  explanation.params.every((param) => stored[param.name] === param.winner.value) &&
  Object.entries(joint?.chosen ?? {}).every(([name, value]) => stored[name] === value);

/** Whether a replayed assignment is the stored one, every parameter (a start-up draw explains none). */
const sameAssignment = (replayed: ParamAssignment, stored: ParamAssignment): boolean =>
  Object.keys(replayed).length === Object.keys(stored).length &&
  Object.entries(replayed).every(([name, value]) => stored[name] === value);

/** The enqueued entry trial `trialNumber` ran, as far as the store said (`ReportStudy.takenEntries`). */
const entryOf = (study: ReportStudy, trialNumber: number): ParamAssignment | undefined =>
  study.takenEntries?.find((entry) => entry.trial === trialNumber)?.internal;

/**
 * The params trial `trialNumber`'s enqueued entry fixed when it fixed some but not all those the trial stored:
 * the replay keeps them, as the run did, and TPE draws the rest. An entry that fixed them all left TPE
 * nothing to choose: replayed as if drawn (what TPE would have chosen), as a trial without an entry.
 */
const partialEntry = (study: ReportStudy, trialNumber: number): ParamAssignment | undefined => {
  const entry = entryOf(study, trialNumber);
  const stored = study.trials.find((trial) => trial.number === trialNumber)?.internal;
  if (entry === undefined || stored === undefined || Object.keys(entry).length === 0) return undefined;
  return Object.keys(stored).some((name) => !(name in entry)) ? entry : undefined;
};

/** Whether trial `trialNumber` ran an enqueued entry that gave it every param it stored (TPE drew none). */
const givenWhole = (study: ReportStudy, trialNumber: number): boolean => {
  const entry = entryOf(study, trialNumber);
  return entry !== undefined && Object.keys(entry).length > 0 && partialEntry(study, trialNumber) === undefined;
};

/**
 * TPE's suggestion for trial `trialNumber` of `study` given `trials`, explained, with its joint decisions
 * sliced through the chosen point (none in the start-up phase or when every parameter was decided alone):
 * the trial's random stream derived from the study seed and `suggesterName`, as the run derived it.
 */
const explainAt = async (
  study: ReportStudy,
  trials: readonly Trial[],
  trialNumber: number,
  options: TpeOptions,
  suggesterName: string,
): Promise<{ params: ParamAssignment; explanation: TpeExplanation; joint: JointExplanation | undefined }> => {
  const fixed = partialEntry(study, trialNumber);
  const input = {
    space: study.space,
    trials,
    direction: study.direction,
    rng: trialRng(study.seed, trialNumber, suggesterName),
    trialNumber,
    options,
    seed: study.seed,
    ...(fixed === undefined ? {} : { fixed }),
  };
  const { params, explanation } = await explainSuggestion(input);
  const joint =
    explanation.joint === undefined && explanation.groups === undefined
      ? undefined
      : await explainJoint({ ...input, rng: trialRng(study.seed, trialNumber, suggesterName) });
  return { params, explanation, joint };
};

/**
 * Replays TPE over the stored study, in order: for trial k (after every `every` trials), what TPE's
 * model was given the trials before k, with k's own random stream derived from the study seed as the run
 * derived it. With the study's TPE options, the replayed choices are the stored ones (`reproduced`).
 * Needs nothing beyond the stored trials. Snapshots of trials still in TPE's start-up phase are dropped.
 */
export const replaySuggestions = async (study: ReportStudy, options: ReplayOptions = {}): Promise<Replay> => {
  const trials = [...study.trials].sort((a, b) => a.number - b.number);
  const { options: tpeOptions, sameSuggester, unknownOptions } = tpeOptionsOf(study);
  // The stream the run gave each trial: derived from the name the study's suggester was used by.
  const suggesterName = study.suggester?.use ?? 'tpe';
  const withParams = trials.filter((trial) => Object.keys(trial.internal).length > 0);
  const every = Math.max(1, options.every ?? Math.ceil(withParams.length / (options.count ?? 10)));
  const snapshots: ReplaySnapshot[] = [];
  let startupSkipped = 0;
  let startupEnqueued = 0;
  let startup: StartupSuggesterName | undefined;
  let overlapSkipped = 0;
  const latest = withParams.at(-1);
  const asked = new Set(options.trials ?? []);
  const spaced = options.trials === undefined || options.every !== undefined;
  const last = spaced && latest !== undefined && latest.number % every !== 0 ? latest : undefined;
  for (const target of withParams) {
    const taken =
      asked.has(target.number) || (spaced && target.number !== 0 && (target.number % every === 0 || target === last));
    if (!taken) continue;
    const before = trialsBefore(trials, target);
    const { explanation, joint } = await explainAt(study, before, target.number, tpeOptions, suggesterName);
    if (explanation.phase === 'startup') {
      startupSkipped++;
      if (givenWhole(study, target.number)) startupEnqueued++;
      startup = explanation.startup;
      // Finished, by state, in enough numbers to leave the start-up phase, but running by their times.
      const finished = trials.filter((trial) => trial.number < target.number && trial.state !== 'running').length;
      if (before.some((trial) => trial.state === 'running') && finished >= explanation.startupTrials) overlapSkipped++;
      continue;
    }
    snapshots.push({
      trialNumber: target.number,
      explanation,
      ...(joint === undefined ? {} : { joint }),
      stored: target.internal,
      reproduced: reproduces(explanation, joint, target.internal),
      ...(givenWhole(study, target.number) ? { enqueuedAll: true as const } : {}),
    });
  }
  return {
    snapshots,
    options: tpeOptions,
    sameSuggester,
    startupSkipped,
    startupEnqueued,
    ...(startup === undefined ? {} : { startup }),
    overlapSkipped,
    every,
    spaced,
    ...(options.trials === undefined ? {} : askedTrials(asked, withParams)),
    // Said only when its snapshot was taken (review 111: one in the start-up phase was claimed, and not drawn).
    ...(last === undefined || snapshots.at(-1)?.trialNumber !== last.number ? {} : { last: last.number }),
    unknownOptions,
  };
};

/** The trials asked for by number: those the study has with params, and the others (`missing`). */
const askedTrials = (
  asked: ReadonlySet<number>,
  withParams: readonly Trial[],
): { trials: number[]; missing: number[] } => {
  const known = new Set(withParams.map((trial) => trial.number));
  const sorted = [...asked].sort((a, b) => a - b);
  return {
    trials: sorted.filter((number) => known.has(number)),
    missing: sorted.filter((number) => !known.has(number)),
  };
};

/** What {@link startupDraws} finds. */
export interface StartupDraws {
  /** The trials TPE's start-up suggester drew, by number, each with that suggester. */
  readonly drawn: ReadonlyMap<number, StartupSuggesterName>;
  /** Set when the replays stopped at their limit still in the start-up phase: the trials checked, later ones not. */
  readonly checked?: number;
}

/**
 * The trials TPE's start-up suggester drew, by number, each with that suggester (`random` or `quasi-random`): a
 * trial whose replay (given the trials before it, its own random stream) falls in TPE's start-up phase and gives
 * the params it stored, an enqueued entry's kept; one an entry gave every param is not (none was drawn), nor one
 * whose replay gives other params (imported, drawn with other settings: what drew it cannot be told). Replayed in
 * number order up to the first trial TPE's model drew: each later trial started with at least as many trials
 * finished, so start-up is over there; and at most `limit` trials with params (each replay reads the trials
 * before it: a study that never leaves start-up, every trial failing, would cost the square of its size). None
 * when the study's suggester is not TPE.
 */
export const startupDraws = async (study: ReportStudy, limit = 1000): Promise<StartupDraws> => {
  const drawn = new Map<number, StartupSuggesterName>();
  const { options, sameSuggester } = tpeOptionsOf(study);
  if (!sameSuggester) return { drawn };
  const trials = [...study.trials].sort((a, b) => a.number - b.number);
  let replayed = 0;
  for (const target of trials) {
    if (Object.keys(target.internal).length === 0) continue;
    if (replayed === limit) return { drawn, checked: limit };
    replayed++;
    const { params, explanation } = await explainAt(study, trialsBefore(trials, target), target.number, options, 'tpe');
    if (explanation.phase !== 'startup') break;
    if (
      sameAssignment(params, target.internal) &&
      explanation.startup !== undefined &&
      !givenWhole(study, target.number)
    )
      drawn.set(target.number, explanation.startup);
  }
  return { drawn };
};

/** What {@link explainNextSuggestion} finds: the suggestion the study's next trial would get, explained. */
export interface NextSuggestion {
  /** The next trial's number (one past the highest the study has). */
  readonly trialNumber: number;
  /** Its params, as the objective would see them (option values for choices). */
  readonly params: Readonly<Record<string, unknown>>;
  /** TPE's explanation of the suggestion: the split, and l(x), g(x) and the candidates per parameter. */
  readonly explanation: TpeExplanation;
  /** Joint decisions, sliced through the chosen point (absent when every parameter was decided alone). */
  readonly joint?: JointExplanation;
  /** Trials running now: TPE counts them as the study's constant liar says. */
  readonly running: number;
  /** What pruned trials were to the split, the `pruned` setting replayed with: where they rank, or left out. */
  readonly pruned: PrunedTrialPolicy;
  /** Stored TPE options this version does not know (a study from an older one), left out. */
  readonly unknownOptions: readonly string[];
}

/**
 * The suggestion TPE would make for the study's next trial if nothing else finished first, and why: the
 * study's trials as they are now (running ones as running), the suggester's options as the study keeps them,
 * the next trial's random stream derived from the study seed as a run derives it. An enqueued entry waiting
 * would run first, with its own values. Undefined when the study's suggester is not TPE.
 */
export const explainNextSuggestion = async (study: ReportStudy): Promise<NextSuggestion | undefined> => {
  const { options, sameSuggester, unknownOptions } = tpeOptionsOf(study);
  if (!sameSuggester) return undefined;
  const trials = [...study.trials].sort((a, b) => a.number - b.number);
  const trialNumber = (trials.at(-1)?.number ?? -1) + 1;
  return (await suggestionAt(study, trials, trialNumber, options, unknownOptions)).suggestion;
};

/** TPE's suggestion for trial `trialNumber` given `trials`, explained, as `NextSuggestion`s are (and its params' internal form). */
const suggestionAt = async (
  study: ReportStudy,
  trials: readonly Trial[],
  trialNumber: number,
  options: TpeOptions,
  unknownOptions: readonly string[],
): Promise<{ suggestion: NextSuggestion; internal: ParamAssignment }> => {
  // A study whose suggester is TPE: the stream its trials were drawn with is derived from the name `tpe`.
  const { params, explanation, joint } = await explainAt(study, trials, trialNumber, options, 'tpe');
  return {
    suggestion: {
      trialNumber,
      params: toExternalParams(study.space, params),
      explanation,
      ...(joint === undefined ? {} : { joint }),
      running: trials.filter((trial) => trial.state === 'running').length,
      pruned: resolveTpeSettings(options).pruned,
      unknownOptions,
    },
    internal: params,
  };
};

/** What {@link explainPastSuggestion} finds: a trial's suggestion replayed and explained, beside what it stored. */
export interface PastSuggestion extends NextSuggestion {
  /** The params the trial stored, as the objective saw them. */
  readonly stored: Readonly<Record<string, unknown>>;
  /**
   * The params an enqueued entry gave the trial, when the store says it ran one: kept by the replay when they are
   * some of its params (TPE chose the rest), all of them when `enqueuedAll` (TPE chose none; the replay shows
   * what it would have drawn).
   */
  readonly enqueued?: Readonly<Record<string, unknown>>;
  /** The enqueued entry gave the trial every param: TPE drew none. */
  readonly enqueuedAll?: boolean;
  /** Whether the replay draws exactly the stored params (else: other settings, an enqueued or imported trial). */
  readonly reproduced: boolean;
}

/**
 * How TPE chose trial `trialNumber`'s params: the suggestion replayed as the report replays it (the trials before
 * it, those that finished after it started seen as running; the study's TPE options; the trial's own random
 * stream), explained, with whether it reproduces what the trial stored. Undefined when the study's suggester is
 * not TPE or it has no such trial with params.
 */
export const explainPastSuggestion = async (
  study: ReportStudy,
  trialNumber: number,
): Promise<PastSuggestion | undefined> => {
  const { options, sameSuggester, unknownOptions } = tpeOptionsOf(study);
  const target = study.trials.find((trial) => trial.number === trialNumber);
  if (!sameSuggester || target === undefined || Object.keys(target.internal).length === 0) return undefined;
  const { suggestion, internal: params } = await suggestionAt(
    study,
    trialsBefore(study.trials, target),
    trialNumber,
    options,
    unknownOptions,
  );
  const entry = entryOf(study, trialNumber);
  const enqueued =
    entry === undefined || Object.keys(entry).length === 0
      ? {}
      : {
          enqueued: toExternalParams(study.space, entry),
          enqueuedAll: givenWhole(study, trialNumber),
        };
  return {
    ...suggestion,
    stored: toExternalParams(study.space, target.internal),
    ...enqueued,
    // The whole assignment (a start-up draw explains no parameter, and a joint one is in both).
    reproduced: sameAssignment(params, target.internal),
  };
};
