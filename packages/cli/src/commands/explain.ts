import type { ConfigIssue, Direction, Trial } from '@parzen/engine';
import { presentSuggester, printable } from '@parzen/engine/host';
import {
  type CompiledSpace,
  checkSameStudy,
  checkStoredTrials,
  type EnqueuedParams,
  type ParamAssignment,
  ParzenError,
  toExternalParams,
} from '@parzen/engine/plugin';
import type { NextSuggestion, PastSuggestion, ReportStudy } from '@parzen/report';
import {
  asTheNextRunSeesThem,
  branchSaid,
  paramsLine,
  staleTrialsSentence,
  suggestionWords,
  valueSaid,
  waitingEntrySentence,
} from '@parzen/report/host';
import { configEntries } from '../config-entries.js';
import { ConfigProblems, forConfig } from '../config-problems.js';
import { CliError } from '../exit-codes.js';
import { formatNumber } from '../format-number.js';
import { askedByRun } from '../missing-study.js';
import type { Output } from '../output.js';
import { noPickedRun, pickedRun } from '../pick-run.js';
import { prepareRuns } from '../prepare-runs.js';
import { configFolder, readingOnce } from '../read-config-file.js';
import { missingPluginNotes } from '../reading-plugins.js';
import { parseStoreSpec, throwOfStoreFlag } from '../store-spec.js';
import { openStudyRecord } from '../study-trials.js';
import { formatTable } from '../text-table.js';
import { tpeSettingsChange } from '../tpe-settings-change.js';
import { heldStudy, loadStudies, openStoreFromFlag } from './inspect.js';
import { reportStudy, spaceOf, trialsHeld } from './report.js';

/** How `parzen explain` reads its config. */
export interface ExplainOptions {
  /** How the config file is read (default: `readConfigFile`); it is read once. */
  readonly readConfig?: (path: string) => unknown;
}

/** Flags of `parzen explain`. */
export interface ExplainFlags {
  readonly store?: string;
  readonly study?: string;
  readonly json?: boolean;
  /** The seed `run --seed N` would use (overrides the config's). */
  readonly seed?: number;
  /** Explain this past trial's suggestion instead of the next one. */
  readonly trial?: number;
}

/**
 * The Halton point a past start-up trial's drawn params are, when the stored data shows it exactly: the
 * quasi-random start-up suggester gives trial n point n of the seed's scrambled Halton sequence, so when the
 * replay (which draws point n) gives the params the trial stored, point n it was. Undefined for another
 * start-up suggester or the model, a trial whose replay differs (imported, other settings: no point can be
 * told), and one an enqueued entry gave every param (none drawn).
 */
const haltonPoint = (past: PastSuggestion): number | undefined =>
  past.explanation.phase === 'startup' &&
  past.explanation.startup === 'quasi-random' &&
  past.reproduced &&
  past.enqueuedAll !== true
    ? past.trialNumber
    : undefined;

/** The text `parzen explain` prints: the next params, the split, and how each parameter was decided. */
export const formatNextSuggestion = (
  name: string,
  direction: Direction,
  next: NextSuggestion,
  /** The study's trials: the losses of the good ones, and the option a kernel's trial took. */
  trials: readonly Trial[],
  past?: PastSuggestion,
  /** The suggester the study was created with, when not TPE (its earlier trials may be that suggester's). */
  createdWith?: string,
  /** A --seed that is not the study's own: both seeds, and whether the study's own replays the trial's params. */
  seed?: SeedGiven,
  /**
   * Both seeds: a past trial replayed with a seed other than the study's own, which `report --trial N` replays
   * with; or the next suggestion drawn with a --seed other than the one `report` draws it with.
   */
  replaySeed?: ReplaySeed,
): string => {
  const { explanation: e, trialNumber, params } = next;
  // The sentences the report's "Next suggestion" section says too (one implementation, in @parzen/report).
  const words = suggestionWords(next, trials, direction);
  const running = next.running === 0 ? '' : `, ${next.running} running`;
  const lines =
    past === undefined
      ? [`Study ${name}, TPE (profile ${e.profile}${running}): the next trial, #${trialNumber}, would get`]
      : [`Study ${name}, TPE (profile ${e.profile}${running}): trial #${trialNumber} got`];
  lines.push(`  ${paramsLine(past?.stored ?? params)}`);
  if (past?.enqueued !== undefined && past.enqueuedAll === true)
    lines.push(
      `The store lists them all as given to it, not drawn (an enqueued entry naming them all, or an import of a trial that ran an entry): TPE chose none here.${e.phase === 'startup' ? '' : ` Given the trials before it, TPE would have drawn ${paramsLine(params)}, explained below.`}`,
    );
  else if (past?.enqueued !== undefined)
    lines.push(
      `An enqueued entry gave it ${paramsLine(past.enqueued)}; ${e.phase === 'startup' ? `TPE's ${words.startupBy}` : 'TPE'} chose the rest, the entry's values kept as the run kept them.`,
    );
  // Trial 166: with --seed 8 on a study of seed 7, four guesses were listed where the seeds alone told.
  if (past !== undefined && !past.reproduced && past.enqueuedAll !== true && seed?.ownGives === true)
    lines.push(
      `TPE with --seed ${seed.given}, given the trials before it, draws ${paramsLine(params)} instead: study ${name} was created with seed ${seed.own}, which gives this trial's params (explain without --seed replays with it).${e.phase === 'startup' ? '' : ' What follows explains the draw with --seed.'}`,
    );
  else if (past !== undefined && !past.reproduced && past.enqueuedAll !== true && seed !== undefined)
    lines.push(
      `TPE with --seed ${seed.given}, given the trials before it, draws ${paramsLine(params)} instead, and so does seed ${seed.own}, the one study ${name} was created with: the trial was suggested with other settings (a run with an edited config), or its params were written otherwise (enqueued, imported), or trials ran at once and one started or finished within moments of it.${e.phase === 'startup' ? '' : ' What follows explains the draw with --seed.'}`,
    );
  else if (past !== undefined && !past.reproduced && past.enqueuedAll !== true)
    lines.push(
      `TPE with the settings explain takes (the config's or the store's, and --seed), given the trials before it, draws ${paramsLine(params)} instead: ${createdWith === undefined ? '' : `the study was created with the \`${createdWith}\` suggester, which may have drawn this trial (a run with TPE came later); or `}the trial was suggested with other settings (a run with an edited config or another seed), or its params were written otherwise (enqueued, imported), or trials ran at once and one started or finished within moments of it.${e.phase === 'startup' ? '' : ' What follows explains that draw.'}`,
    );
  if (e.phase === 'startup') {
    const phase = words.startup as string;
    // Review 162: which point of the sequence, when the replay shows it (never guessed).
    const point = past === undefined ? undefined : haltonPoint(past);
    const from =
      point === undefined
        ? ''
        : ` from point ${point} of the seed's scrambled Halton sequence (trial n takes point n; replayed, point ${point} gives the stored values)`;
    lines.push(
      past?.enqueuedAll === true
        ? `${phase}, where a trial no entry gives is drawn by the ${words.startupBy}, not by the model: nothing more to explain.`
        : past?.enqueued !== undefined
          ? `${phase}: the params the entry left out were drawn by the ${words.startupBy}${from}, not by the model, so there is nothing more to explain.`
          : `${phase}: drawn by the ${words.startupBy}${from}, not by the model, so there is nothing more to explain.`,
    );
    return lines.join('\n');
  }
  for (const said of [words.split, words.size, words.running, words.failures]) if (said !== undefined) lines.push(said);
  const finishing = e.params.some((param) => param.candidates.logFinishing !== undefined);
  lines.push(...decisionLines(e, trials, finishing, past !== undefined, replaySeed));
  return lines.join('\n');
};

type Decided = NextSuggestion['explanation']['params'][number];

/** A decided value as the objective sees it: a choice's option, a number as it prints. */
const valueAt = (param: Decided, x: number): string => valueSaid(param.options === undefined ? x : param.options[x]);

/**
 * The candidates a decision drew, in brief: `0.0002 to 0.006` (or one value), a choice's options by how many
 * candidates took each (`"adam" 20, "sgd" 4`).
 */
const drawnRange = (param: Decided): string => {
  const xs = param.candidates.x;
  if (param.options !== undefined) {
    const counts = new Map<number, number>();
    for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const listed = ranked.slice(0, CHOICES_LISTED).map(([x, count]) => `${valueAt(param, x)} ${count}`);
    return [...listed, ...(ranked.length > CHOICES_LISTED ? ['…'] : [])].join(', ');
  }
  const low = Math.min(...xs);
  const high = Math.max(...xs);
  return low === high ? valueSaid(low) : `${valueSaid(low)} to ${valueSaid(high)}`;
};

/** How many of a choice's options, most drawn first, a decision's range lists. */
const CHOICES_LISTED = 4;

/**
 * The candidate at another point with the best score: for a joint decision one that differs in any of its
 * members (whose candidates share their indices); undefined when every candidate is at the chosen point.
 */
const runnerUpOf = (members: readonly Decided[]): number | undefined => {
  const [first] = members as [Decided];
  const i = first.winner.index;
  let best: number | undefined;
  first.candidates.score.forEach((score, j) => {
    if (members.every((member) => member.candidates.x[j] === member.candidates.x[i])) return;
    if (best === undefined || score > (first.candidates.score[best] as number)) best = j;
  });
  return best;
};

/** How near a runner-up must be to the chosen point, in every parameter, to be said as the same setting. */
const NEAR_SHARE = 0.001;

/**
 * Whether candidate `j` is next to the chosen one in every member: the same option, and a number within
 * {@link NEAR_SHARE} of the parameter's drawn grid (in logs for a log-scale one), so its score's gap to the chosen
 * one's is no close call between two settings (trial 177: lr 0.00313 against 0.00315, the rest the same).
 */
const nearChosen = (members: readonly Decided[], j: number): boolean =>
  members.every((member) => {
    const a = member.winner.value;
    const b = member.candidates.x[j] as number;
    if (member.options !== undefined || a === b) return a === b;
    // A log-scale parameter in logs, over the grid's positive values (a quantized one's grid may hold 0): a value
    // at 0 or below is near none but itself.
    const logScale = member.kind.includes('log');
    if (logScale && !(a > 0 && b > 0)) return false;
    const xs = logScale ? member.grid.x.filter((x) => x > 0).map(Math.log) : member.grid.x;
    const f = (x: number) => (logScale ? Math.log(x) : x);
    const span = Math.max(...xs) - Math.min(...xs);
    return span > 0 && Math.abs(f(a) - f(b)) <= NEAR_SHARE * span;
  });

/** The decisions of an explanation: each parameter decided alone, and each group decided jointly (its members). */
const decisionsOf = (params: readonly Decided[]): Decided[][] => {
  const decisions: Decided[][] = [];
  const byGroup = new Map<string, Decided[]>();
  for (const param of params) {
    if (param.group === undefined || param.group.length < 2) {
      decisions.push([param]);
      continue;
    }
    const key = param.group.join('\u0000');
    const members = byGroup.get(key);
    if (members !== undefined) members.push(param);
    else {
      byGroup.set(key, [param]);
      decisions.push(byGroup.get(key) as Decided[]);
    }
  }
  return decisions;
};

/** A strongest kernel in words: `#30's`, `the prior's`, `#3's and 5 more good trials' (at one option or integer)`. */
const kernelWords = (kernel: NonNullable<Decided['winner']['kernel']>): string => {
  const own = kernel.trial === null ? "the prior's" : `#${kernel.trial}'s`;
  const more = (kernel.trials?.length ?? 1) - 1;
  return more === 0
    ? own
    : `${own} and ${more} more good trial${more === 1 ? "'s" : "s'"} (one kernel, at one option or integer)`;
};

/**
 * The table of the parameters decided alone, a block per group decided jointly (its chosen point beside its
 * runner-up's: trial 166, the group's figures repeated on each member's row said nothing per parameter), and
 * short notes on what the figures shown mean.
 */
const decisionLines = (
  e: NextSuggestion['explanation'],
  trials: readonly Trial[],
  finishing: boolean,
  /** Whether the decision is a past trial's (which `report --trial N` draws), not the next one. */
  past: boolean,
  /**
   * The seed this past trial was replayed with, when not the study's own, which `report --trial N` replays with;
   * for the next suggestion, a --seed other than the one `report` draws it with.
   */
  replaySeed?: ReplaySeed,
): string[] => {
  const lines: string[] = [];
  const decisions = decisionsOf(e.params);
  const alone = decisions.filter((members) => members.length === 1 && (members[0]?.group?.length ?? 0) < 2).flat();
  const joint = decisions.filter((members) => !alone.includes(members[0] as Decided));
  // Decisions of other weights (a choice decided alone: discreteAboveWeight) show their w, so each score can be
  // checked by hand (trial 87: only --json had it).
  const weights = e.params.some((param) => param.aboveWeight !== e.aboveWeight);
  // Review: a choice's kernel cell named good trials that took another option (its kernel spreads weight over
  // every option), read as "chosen because it resembles them"; the option they took is said.
  const internalOf = new Map(trials.map((trial) => [trial.number, trial.internal]));
  const elsewhere = (param: Decided): string => {
    const { kernel, value } = param.winner;
    if (param.options === undefined || kernel?.trial == null) return '';
    const took = internalOf.get(kernel.trial)?.[param.name];
    return took === undefined || took === value ? '' : ` (at ${valueSaid(param.options[took])})`;
  };
  const rowOf = (param: Decided): string[] => {
    const i = param.winner.index;
    const second = runnerUpOf([param]);
    const finish = param.candidates.logFinishing?.[i];
    return [
      param.name,
      valueAt(param, param.winner.value),
      String(param.candidates.x.length),
      logShown(param.candidates.logL[i] as number),
      logShown(param.candidates.logG[i] as number),
      ...(finishing ? [finish === undefined ? '' : formatNumber(finish)] : []),
      ...(weights ? [formatNumber(param.aboveWeight)] : []),
      logShown(param.winner.score),
      second === undefined ? '-' : logShown(param.candidates.score[second] as number),
      kernelCell(param.winner.kernel) + elsewhere(param),
      `${param.below.length}/${param.above.length}`,
    ];
  };
  const headers = [
    'param',
    'value',
    'candidates',
    'log l',
    'log g',
    ...(finishing ? ['log P(finish)'] : []),
    ...(weights ? ['w'] : []),
    'score',
    'runner-up',
    'kernel',
    'good/others',
  ];
  // Trial 180: on a tree space the parameters decided alone came first, a branch's before the choice that made it
  // active, and no decision said its branch. The decisions are said in the order the walk made them (a choice before
  // the parameters its option makes active); parameters decided alone one after another in one branch share a table.
  const branched = e.params.some((param) => param.given !== undefined);
  for (let d = 0; d < decisions.length; ) {
    const members = decisions[d] as Decided[];
    if (!alone.includes(members[0] as Decided)) {
      lines.push(...jointBlock(members, finishing, weights, internalOf));
      d++;
      continue;
    }
    const key = givenKey(members[0] as Decided);
    const run: Decided[] = [];
    while (
      d < decisions.length &&
      alone.includes(decisions[d]?.[0] as Decided) &&
      givenKey(decisions[d]?.[0] as Decided) === key
    )
      run.push(decisions[d++]?.[0] as Decided);
    const [first] = run as [Decided];
    if (first.given !== undefined) lines.push(`Decided alone, given ${branchSaid(first.given)}:`);
    else if (joint.length > 0 || branched) lines.push('Decided alone:');
    lines.push(
      formatTable(
        headers,
        run.map(rowOf),
        new Set(headers.map((_, column) => column).filter((column) => column !== 0)),
      ),
    );
    const counted = [...new Set(run.map((param) => trialsSaid(param)).filter((said) => said !== undefined))];
    if (counted.length === 1) lines.push(`good/others count ${counted[0]}.`);
    else if (counted.length > 1)
      lines.push(
        `good/others count, ${run
          .filter((param) => param.given !== undefined)
          .map((param) => `for ${param.name}, ${trialsSaid(param)}`)
          .join('; ')}.`,
      );
  }
  const plus = alone.some((param) => param.winner.kernel?.trials !== undefined);
  const at = alone.some((param) => elsewhere(param) !== '');
  const logScale = e.params.some((param) => param.kind.includes('log'));
  lines.push(
    `Each decision draws candidates from l(x) and keeps the one of highest score: log l - w·log g${finishing ? ' + log P(finish)' : ''}, ${weights ? 'w as each decision shows it' : `w = ${formatNumber(e.aboveWeight)}`}.${finishing ? ' log P(finish) is the log of the chance that a trial there finishes: low where trials failed.' : ''}`,
    `The runner-up is the best candidate at another ${joint.length > 0 ? 'point (another value of any parameter decided with it)' : 'value'}: the gap between the scores says how close the choice was${alone.length > 0 ? ' (- when every candidate had the same value)' : ''}.`,
    ...(alone.length > 0
      ? [
          `kernel: the good trial (or the prior) whose kernel gives most of l(x) at the chosen value, and its share of l(x) there${plus ? '; +N: N more good trials with the same kernel (at one option or integer)' : ''}${at ? '; (at X): those trials took option X, whose kernel gives the chosen option some weight too' : ''}.`,
        ]
      : []),
    ...(logScale ? ['For a log-scale parameter, l and g are densities over log(x).'] : []),
    // Trial 166: no way to draw one chosen trial's densities; `report --trial N` is that way. It replays with the
    // study's own seed: with another here, its densities are that seed's, not these.
    !past
      ? replaySeed === undefined
        ? "`parzen report` draws these densities, and past trials' (`--trial N` for one); --json gives these in full."
        : `\`parzen report\` draws the next suggestion with seed ${replaySeed.own}, not with seed ${replaySeed.used} as here, so its figures can differ from these; --json gives these in full.`
      : replaySeed === undefined
        ? `\`parzen report --trial ${e.trialNumber}\` draws these densities; --json gives them in full.`
        : `\`parzen report --trial ${e.trialNumber}\` draws this trial's densities replayed with the study's own seed, ${replaySeed.own}, not with seed ${replaySeed.used} as here, so its figures can differ from these; --json gives these in full.`,
  );
  // A runner-up above the score is a candidate passed over (avoidRepeats), said where it happens: once per
  // decision (review 111: a group's members said it each).
  for (const [param] of decisions as [Decided][]) {
    if (param.repeated === true)
      lines.push(
        `${decisionName(param)}: every candidate would have repeated a tried trial exactly (avoidRepeats), so the chosen value does.`,
      );
    else if ((param.skippedRepeats ?? 0) > 0)
      lines.push(
        `${decisionName(param)}: ${param.skippedRepeats} candidate${param.skippedRepeats === 1 ? ' was' : 's were'} passed over because ${param.skippedRepeats === 1 ? 'it' : 'they'} would have repeated a tried trial exactly (avoidRepeats), so the runner-up may score higher than the value chosen.`,
      );
  }
  return lines;
};

/** What tells apart the branches parameters decided alone were decided in ('' for a top-level one). */
const givenKey = (param: Decided): string => (param.given === undefined ? '' : branchSaid(param.given));

/**
 * The trials a branch's decision counted (its good ones and the others), in words: those of its branch when every
 * one meets all its conditions (`trialsGiven` is all of `given`); else those that meet the innermost conditions,
 * or every trial where the parameter has a value, whichever options of the choices above they took (a name several
 * branches share). Undefined for a top-level decision.
 */
const trialsSaid = (param: Decided): string | undefined => {
  const { given, trialsGiven = [] } = param;
  if (given === undefined) return undefined;
  if (trialsGiven.length === given.length) return `the trials with ${branchSaid(given)} only`;
  const unmet = given.slice(0, given.length - trialsGiven.length);
  const whichever = `whichever option${unmet.length === 1 ? '' : 's'} of ${listedNames(unmet.map((step) => step.name))} they took`;
  const [shared] = trialsGiven;
  return shared === undefined
    ? `every trial where ${param.name} has a value, ${whichever} (${param.name} is a parameter of several branches)`
    : `the trials with ${branchSaid(trialsGiven)}, ${whichever} (${shared.name} is a parameter of several branches)`;
};

/** Names in words: `a`, `a and b`, `a, b and c`. */
const listedNames = (names: readonly string[]): string =>
  names.length === 1 ? (names[0] as string) : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/** A count of trials in words: `1 good trial`, `3 good trials`. */
const trialsCounted = (count: number, what: string, plural = `${what}s`): string =>
  `${count} ${count === 1 ? what : plural}`;

/**
 * A group decided jointly: which parameters, its chosen point beside the runner-up's and the range of the
 * candidates drawn, their log l, log g and scores, and the kernel of l(x) behind the choice.
 */
const jointBlock = (
  members: readonly Decided[],
  finishing: boolean,
  weights: boolean,
  /** The study's trials' internal values, by number: the options a kernel's trials took. */
  internalOf: ReadonlyMap<number, Trial['internal']>,
): string[] => {
  const [first] = members as [Decided];
  const i = first.winner.index;
  const j = runnerUpOf(members);
  const names = members.map((member) => member.name);
  const named =
    names.length > GROUP_NAMED
      ? `These ${names.length} parameters`
      : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const pair = (values: readonly number[] | undefined): [string, string] => [
    logShown(values?.[i] as number),
    j === undefined ? '-' : logShown(values?.[j] as number),
  ];
  const rows = [
    ...members.map((member) => [
      member.name,
      valueAt(member, member.winner.value),
      j === undefined ? '-' : valueAt(member, member.candidates.x[j] as number),
      drawnRange(member),
    ]),
    ['log l', ...pair(first.candidates.logL), ''],
    ['log g', ...pair(first.candidates.logG), ''],
    ...(finishing && first.candidates.logFinishing !== undefined
      ? [['log P(finish)', ...pair(first.candidates.logFinishing), '']]
      : []),
    [weights ? `score (w = ${formatNumber(first.aboveWeight)})` : 'score', ...pair(first.candidates.score), ''],
  ];
  const { kernel } = first.winner;
  // Trial 180: the line named good trials that took another option (a choice's kernel gives every option some
  // weight), read as "chosen because it resembles them"; said as the table's `(at X)` says it.
  const took = kernel?.trial == null ? undefined : internalOf.get(kernel.trial);
  const other = members.filter(
    (member) =>
      member.options !== undefined && took?.[member.name] !== undefined && took[member.name] !== member.winner.value,
  );
  const tookSaid =
    other.length === 0
      ? ''
      : `, though ${kernel?.trials === undefined ? `#${kernel?.trial}` : 'those trials'} took ${other
          .map(
            (member) =>
              `${member.name} = ${valueAt(member, took?.[member.name] as number)}, not ${valueAt(member, member.winner.value)}`,
          )
          .join(', and ')} (a choice's kernel gives its other options some weight too)`;
  const given = first.given === undefined ? '' : `, given ${branchSaid(first.given)}`;
  const counted = trialsSaid(first);
  return [
    `${named} were decided together${given}, as one joint decision: of ${first.candidates.x.length} candidates drawn from l(x), the one of highest score won.`,
    formatTable(['', 'chosen', 'runner-up', 'candidates drawn'], rows, new Set([1, 2])),
    ...(j !== undefined && nearChosen(members, j)
      ? [
          `The runner-up is next to the chosen point (each number within ${NEAR_SHARE * 100}% of its range, each choice the same): the gap between their scores is no choice between two settings.`,
        ]
      : []),
    `${kernel === undefined ? '' : `The kernel of l(x) strongest at the chosen point is ${kernelWords(kernel)}: ${Math.round(kernel.share * 100)}% of l(x) there${tookSaid}. `}l(x) is built from ${trialsCounted(first.below.length, 'good trial')}, g(x) from ${trialsCounted(first.above.length, 'other')}${counted === undefined ? '' : `: ${counted}`}.`,
  ];
};

/** A log density or score as a cell: a sum's rounding residue (2.2e-16 for a choice of one option) shown as 0. */
const logShown = (value: number): string => formatNumber(Math.abs(value) < 1e-12 ? 0 : value);

/** A decision named by its parameter, or by its group's members (trial 111: a group's note named one of four). */
const decisionName = (param: { readonly name: string; readonly group?: readonly string[] }): string =>
  param.group === undefined || param.group.length < 2 ? param.name : `${param.group.join(', ')} (decided together)`;

/**
 * A winner's strongest kernel of l(x) as a cell: `#12 64%`, `prior 90%`, `#3 +5 86%` for six good trials with one
 * kernel (at one option); empty where l(x) is 0 there.
 */
const kernelCell = (
  kernel:
    | { readonly trial: number | null; readonly share: number; readonly trials?: readonly (number | null)[] }
    | undefined,
): string =>
  kernel === undefined
    ? ''
    : `${kernel.trial === null ? 'prior' : `#${kernel.trial}`}${kernel.trials === undefined ? '' : ` +${kernel.trials.length - 1}`} ${Math.round(kernel.share * 100)}%`;

/** A --seed other than the study's own seed. */
interface SeedGiven {
  readonly given: number;
  /** The seed the study was created with (its store's). */
  readonly own: number;
  /** Whether the study's own seed replays the trial's params (undefined: not tried, no past trial). */
  readonly ownGives?: boolean;
}

/** The seed a past trial was replayed with and the study's own, when they differ. */
interface ReplaySeed {
  readonly used: number;
  readonly own: number;
}

/** The TPE settings and seed a study's store keeps for it. */
interface Kept {
  /** The stored TPE settings when the config's differ (a study TPE created); else the config's are kept. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** The seed to replay with: --seed's, else the stored one. */
  readonly seed: number;
  /** What differs from the config, said in the note: `TPE settings`, `seed (1)`, or both. */
  readonly differs: string;
}

/** `explain --trial N`: how a past trial's params were chosen, replayed from the trials before it. */
const explainPast = async (
  study: ReportStudy,
  number: number,
  flags: ExplainFlags,
  output: Output,
  /** Whether a config gave the study's settings (else the store did). */
  fromConfig: boolean,
  /**
   * The store's TPE settings and seed for the study when the config's differ (with no --seed): tried when the
   * config's miss the trial. Undefined with `--store` alone, whose study is the store's already.
   */
  kept?: Kept,
  /** The seed the study was created with (its store's). */
  ownSeed?: number,
): Promise<number> => {
  const report = await import('@parzen/report');
  const target = study.trials.find((trial) => trial.number === number);
  if (target === undefined || Object.keys(target.internal).length === 0) {
    const next = study.trials.reduce((max, trial) => Math.max(max, trial.number + 1), 0);
    throw new CliError(
      target === undefined
        ? `--trial ${number}: study ${study.name} has no trial #${number} (${trialsHeld(study.trials)}).${number === next ? ` Without --trial, explain shows the next trial, #${number}.` : ''}`
        : `--trial ${number}: trial #${number} of study ${study.name} has no params (it failed before it had any): nothing was chosen.`,
    );
  }
  let past = (await report.explainPastSuggestion(study, number)) as PastSuggestion;
  let usedSeed = study.seed;
  // A trial drawn before the config's settings changed: the settings the study was created with, which report
  // replays, may give its params where the config's do not (trial 116: explain and report told two stories).
  // With --store alone the study is the store's: its settings are the store's from the start (review 124).
  let settings: 'config' | 'store' = fromConfig ? 'config' : 'store';
  if (!past.reproduced && past.enqueuedAll !== true && kept !== undefined) {
    // The stored seed too, as report replays it (review 124: a config with another seed missed the trial again).
    const options = kept.options ?? study.suggester?.options;
    const again = (await report.explainPastSuggestion(
      { ...study, seed: kept.seed, suggester: { use: 'tpe', ...(options === undefined ? {} : { options }) } },
      number,
    )) as PastSuggestion;
    const what = `the ${kept.differs} study ${study.name} was created with (its store's, as report replays it)`;
    // A seed alone is one thing: "it gives", not "they give".
    const one = kept.differs.startsWith('seed');
    if (again.reproduced) {
      past = again;
      usedSeed = kept.seed;
      settings = 'store';
      output.note(
        `parzen: note: trial #${number} is explained with ${what}: ${one ? 'it gives' : 'they give'} its params, the config's ${one ? 'does' : 'do'} not.`,
      );
    } else output.note(`parzen: note: ${what} ${one ? 'does' : 'do'} not give trial #${number}'s params either.`);
  }
  if (past.unknownOptions.length > 0)
    output.note(
      `parzen: warning: study ${study.name} was stored with TPE options this version does not know (${past.unknownOptions.join(', ')}), left out.`,
    );
  // A --seed other than the study's own, said with both seeds and whether the own one gives the trial (trial 166).
  let seed: SeedGiven | undefined;
  if (flags.seed !== undefined && ownSeed !== undefined && flags.seed !== ownSeed) {
    const own =
      past.reproduced || past.enqueuedAll === true
        ? undefined
        : ((await report.explainPastSuggestion({ ...study, seed: ownSeed }, number)) as PastSuggestion).reproduced;
    seed = { given: flags.seed, own: ownSeed, ...(own === undefined ? {} : { ownGives: own }) };
  }
  if (flags.json === true) {
    const point = haltonPoint(past);
    output.result(JSON.stringify({ ...past, settings, ...(point === undefined ? {} : { haltonPoint: point }) }));
    return 0;
  }
  const createdWith = study.createdWith !== undefined && study.createdWith !== 'tpe' ? study.createdWith : undefined;
  // The trials as the replay saw them: the tie that left its below set empty is among those (not later ones).
  output.result(
    formatNextSuggestion(
      study.name,
      study.direction,
      past,
      report.trialsBefore(study.trials, target),
      past,
      createdWith,
      seed,
      ownSeed === undefined || ownSeed === usedSeed ? undefined : { used: usedSeed, own: ownSeed },
    ),
  );
  // How the trial then turned out (trial 166: the explanation never said).
  output.result(outcomeLine(target));
  return 0;
};

/** How an explained past trial ended: its loss, its error, or that it still runs. */
const outcomeLine = (trial: Trial): string => {
  const loss = 'loss' in trial && trial.loss !== undefined ? `, loss ${formatNumber(trial.loss)}` : '';
  if (trial.state === 'running') return `Trial #${trial.number} is still running.`;
  if (trial.state === 'failed')
    return `Trial #${trial.number} then failed (${trial.error.code}: ${trial.error.message}).`;
  return `Trial #${trial.number} then ended ${trial.state}${loss}.`;
};

/** From how many members a joint decision's group is said by its size, not by its names. */
const GROUP_NAMED = 6;

/** The study, trials and waiting entries `explain` reads: the config's as a run would take it, or the store's. */
const studyToExplain = async (
  path: string | undefined,
  flags: ExplainFlags,
  output: Output,
  how: ExplainOptions,
): Promise<{
  study: ReportStudy;
  waiting: readonly EnqueuedParams[] | undefined;
  unrun: readonly ParamAssignment[];
  /** Partial entries a trial's values match (`trial`, the first): run, or never queued; the store alone knows. */
  uncertain: readonly { readonly entry: ParamAssignment; readonly trial: number }[];
  /** With a config: the TPE settings the store keeps for the study, when they are not the config's. */
  kept?: Kept;
  /** The seed the study was created with (its store's), and the one explain takes without --seed. */
  seeds: { readonly own: number; readonly plain: number };
  /** Where the study's suggester was read: the config's (as run takes it), or the one its store recorded. */
  suggesterOf: 'config' | 'store';
}> => {
  if (path === undefined) {
    if (flags.store === undefined)
      throw new CliError('Give a config, or --store SPEC (e.g. --store jsonl:./study.parzen.jsonl).');
    const storeFlags = { store: flags.store, ...(flags.study === undefined ? {} : { study: flags.study }) };
    const [found] = await loadStudies(undefined, storeFlags, output);
    const { record, space, trials, taken } = found as NonNullable<typeof found>;
    const store = await openStoreFromFlag(storeFlags);
    let waiting: readonly EnqueuedParams[] | undefined;
    try {
      waiting = await store.listEnqueued?.(record.name);
    } finally {
      await store.close();
    }
    // What the store kept: the seed and suggester settings the study was created with.
    const study = { ...reportStudy(record, trials, space), ...(taken === undefined ? {} : { takenEntries: taken }) };
    return {
      study: flags.seed === undefined ? study : { ...study, seed: flags.seed },
      waiting,
      unrun: [],
      uncertain: [],
      seeds: { own: record.seed, plain: record.seed },
      suggesterOf: 'store',
    };
  }
  // Read once, for the check and what comes after it.
  const readConfig = readingOnce(how.readConfig);
  // Checked as validate checks it, with the plugins explain uses loaded: its store's and its suggester's (TPE, whose
  // settings it replays as the schema fills them in); the others (objectives, pruners, the config's `plugins` but its
  // store's) are stand-ins whose options are left to validate and run, as for the other read commands.
  const runs = await prepareRuns([path], {
    progress: { force: 'off' },
    reportersIdle: true,
    forReading: { suggester: true },
    readConfig,
    ...(flags.store === undefined ? {} : { overrides: { store: parseStoreSpec(flags.store) } }),
  });
  for (const line of missingPluginNotes(path, readConfig(path), configFolder(path))) output.note(line);
  const run = pickedRun(runs, flags.study);
  if (run === undefined && flags.study !== undefined) {
    // A study the config's store holds under another name (an earlier version's name for a matrix variant,
    // which run points to with --study): explained as the store keeps it (trial 63: refused).
    const found = await heldStudy(path, flags.study, flags.store, output, readConfig);
    if (found !== undefined) {
      const study = {
        ...reportStudy(found.record, found.trials, found.space),
        ...(found.taken === undefined ? {} : { takenEntries: found.taken }),
      };
      return {
        study: flags.seed === undefined ? study : { ...study, seed: flags.seed },
        waiting: undefined,
        unrun: [],
        uncertain: [],
        seeds: { own: found.record.seed, plain: found.record.seed },
        suggesterOf: 'store',
      };
    }
  }
  if (run === undefined) throw noPickedRun(path, runs, flags.study);
  const { config } = run.experiment;
  const {
    study: stored,
    trials,
    waiting,
    taken,
  } = await openStudyRecord(run.experiment, true, undefined, askedByRun(run, flags)).catch(
    throwOfStoreFlag(flags.store),
  );
  // What `run` does with this config (review 60: the stored seed and settings gave another draw): a study of
  // another direction or space is refused as run refuses it; the config's seed and suggester options.
  checkSameStudy(stored, { name: config.name, direction: config.direction, seed: config.seed, space: config.space });
  const space: CompiledSpace = spaceOf(run, stored, output);
  // As run refuses it (review 97: TPE replayed a stored choice index 99 and was blamed for it).
  checkStoredTrials(stored.name, space, trials);
  const study: ReportStudy = {
    name: stored.name,
    direction: stored.direction,
    seed: flags.seed ?? config.seed,
    space,
    trials,
    ...(taken === undefined ? {} : { takenEntries: taken }),
    ...(stored.suggester === undefined ? {} : { createdWith: stored.suggester.name }),
    suggester: {
      use: config.suggester.use,
      ...(config.suggester.options === undefined
        ? {}
        : { options: config.suggester.options as Readonly<Record<string, unknown>> }),
    },
  };
  // Settings the study was created with that the config changed, said as run says them (trial 113: explain took the
  // config's without a word, and report replays the stored ones).
  const change = await tpeSettingsChange(
    stored,
    config.suggester,
    "explain uses the config's, as the next run would (report replays the study's own).",
  );
  if (change !== undefined) output.note(`parzen: warning: ${change}`);
  // What the store kept that the run would not use: TPE settings (of a study TPE created) and, without --seed, the
  // seed (of any study: one random search began and TPE went on with too; review 125).
  const keptSettings =
    change !== undefined && stored.suggester?.name === 'tpe' ? presentSuggester(stored.suggester).settings : undefined;
  const keptSeed = flags.seed === undefined && stored.seed !== config.seed;
  const differs = [
    ...(keptSettings === undefined ? [] : ['TPE settings']),
    ...(keptSeed ? [`seed (${stored.seed})`] : []),
  ].join(' and ');
  const kept: Kept | undefined =
    differs === ''
      ? undefined
      : {
          ...(keptSettings === undefined ? {} : { options: keptSettings }),
          seed: flags.seed ?? stored.seed,
          differs,
        };
  return {
    study,
    waiting,
    seeds: { own: stored.seed, plain: config.seed },
    suggesterOf: 'config',
    ...(kept === undefined ? {} : { kept }),
    ...configEntries(run.experiment, trials, taken),
  };
};

/**
 * Why explain refuses a study whose suggester is not TPE: what it expects (suggester "tpe") and what it found,
 * and where: the config's `/suggester/use` (an issue, for --json), or the suggester the store recorded.
 */
const notTpe = (
  read: ReportStudy,
  suggesterOf: 'config' | 'store',
  withConfig: boolean,
): { readonly message: string; readonly issue?: ConfigIssue } => {
  // A study stored without its suggester (made before suggesters were recorded) is not "unknown"'s (trial 63).
  if (read.suggester === undefined)
    return {
      message: `Study ${read.name} was stored without the suggester its trials were drawn with (made by a Parzen from before 2026-12-02): explain it with its config, \`parzen explain CONFIG\`, whose suggester it then takes.`,
    };
  const found = read.suggester.use;
  const created = read.createdWith;
  // Trial 110: a TPE study whose config now names random search was refused with no way on.
  const way = !withConfig
    ? ''
    : ` If TPE ran its trials before, explain them with a config that names "tpe"${created === 'tpe' ? ', or with --store SPEC and no config (the study as its store keeps it: created with TPE)' : ''}.`;
  if (suggesterOf === 'store')
    return {
      message: `Study ${read.name} was created with the \`${found}\` suggester, as its store recorded it; explain shows how TPE decides, so it expects a study of suggester "tpe".${way}`,
    };
  const createdSaid =
    created === undefined
      ? ''
      : created === found
        ? ` Study ${read.name} was created with it too.`
        : ` Study ${read.name} was created with the \`${created}\` suggester.`;
  const issue = {
    pointer: '/suggester/use',
    expected: '"tpe" (explain shows how TPE decides)',
    found: JSON.stringify(found),
  };
  return {
    message: `${issue.pointer}: expected ${issue.expected}, found ${issue.found}.${createdSaid}${way}`,
    issue,
  };
};

/**
 * `output` with its notes, and its results but with --json, as a terminal shows them ({@link printable}): a parameter's
 * name, an option, a study's name or a trial's error that holds a control character or a bidirectional override or
 * isolate is written escaped (`lr\u202eevil`), as `trials`, `best`, `run` and `validate` write it (trial 183: explain
 * wrote them raw, and the terminal reordered the line). A --json line is JSON as it is.
 */
const shownAsTyped = (output: Output, json: boolean): Output => ({
  ...output,
  result: (line) => output.result(json ? line : printable(line)),
  note: (line) => output.note(printable(line)),
});

/**
 * `parzen explain [config]`: the params TPE would suggest for the study's next trial, if no other trial
 * finished first, and how it chose them (read-only: nothing is run, created or written). With a config, the
 * study as `run` takes it (the config's seed and suggester options); with `--store` alone, as the store kept
 * it. With `--json`, the explanation in full, as `suggestion.explained` events carry it.
 */
export const explainNext = async (
  path: string | undefined,
  flags: ExplainFlags,
  given: Output,
  how: ExplainOptions = {},
): Promise<number> => {
  const output = shownAsTyped(given, flags.json === true);
  const report = await import('@parzen/report');
  // A config's errors name its file, as run's do (trial 88: no `file` in --json).
  const {
    study: read,
    waiting,
    unrun,
    uncertain,
    kept,
    seeds,
    suggesterOf,
  } = await forConfig(path, () => studyToExplain(path, flags, output, how));
  if (read.suggester?.use !== 'tpe') {
    const why = notTpe(read, suggesterOf, path !== undefined);
    if (path === undefined) throw new CliError(why.message);
    // The config's study: named with the config, as its other errors are (trial 159: `file` was null in --json).
    throw new ConfigProblems([
      {
        path,
        error: new ParzenError('CONFIG_INVALID', why.message, why.issue === undefined ? {} : { issues: [why.issue] }),
      },
    ]);
  }
  if (flags.trial !== undefined)
    return explainPast(read, flags.trial, flags, output, path !== undefined, kept, seeds.own);
  // Trial 166: explain --seed 8 on a study of seed 7 said nothing of the difference.
  if (flags.seed !== undefined && flags.seed !== seeds.own)
    output.note(
      `parzen: note: --seed ${flags.seed} is not the seed study ${read.name} was created with (${seeds.own}): the params below are those a run with --seed ${flags.seed} would draw next${seeds.plain === flags.seed ? '' : `; without --seed, explain draws with seed ${seeds.plain}, as run would`}.`,
    );
  const { trials, stale, givenBack } = asTheNextRunSeesThem(read.trials, new Date(), read.takenEntries, read.name);
  const study = { ...read, trials };
  const next = (await report.explainNextSuggestion(study)) as NextSuggestion;
  if (next.unknownOptions.length > 0)
    output.note(
      `parzen: warning: study ${study.name} was stored with TPE options this version does not know (${next.unknownOptions.join(', ')}), left out.`,
    );
  if (stale.length > 0) output.note(`parzen: ${staleTrialsSentence(stale, givenBack)}`);
  // An enqueued entry runs before TPE's draw (review 60: explain printed TPE's params for an entry's trial):
  // one waiting in the store, else a config entry no trial has run.
  // One a trial whose worker is gone gives back runs before those (as the next run hands them out).
  const first = givenBack?.[0] ?? waiting?.[0]?.internal ?? unrun[0];
  const enqueued = first === undefined ? undefined : toExternalParams(study.space, first);
  if (enqueued !== undefined)
    output.note(`parzen: ${waitingEntrySentence(next.trialNumber, enqueued, givenBack?.[0] !== undefined)}`);
  else
    for (const { entry, trial } of uncertain)
      output.note(
        // Trial 63: said as if it would run, after it had; trial 67: "the store alone knows" read as unasked.
        `parzen: the config's partial enqueue entry ${JSON.stringify(toExternalParams(study.space, entry))} is not waiting in the store, and trials have its values (the first: #${trial}): ` +
          'either a trial ran it, and it does not run again, or the entry was added to the config after the store queued the others, and the next run runs it first, with its own values; ' +
          'what the store lists (its waiting entries) does not tell which.',
      );
  if (flags.json === true) {
    output.result(
      JSON.stringify({
        ...next,
        ...(enqueued === undefined ? {} : { enqueued }),
        ...(stale.length === 0 ? {} : { stale }),
      }),
    );
    return 0;
  }
  output.result(
    formatNextSuggestion(
      study.name,
      study.direction,
      next,
      study.trials,
      undefined,
      undefined,
      undefined,
      flags.seed === undefined || flags.seed === seeds.plain ? undefined : { used: flags.seed, own: seeds.plain },
    ),
  );
  return 0;
};
