import { failedAtParams, lossToMinimize, type Trial } from '@parzen/engine/plugin';
import { hyperoptBelowCount, optunaBelowCount } from '../math/split.js';
import type { ConstantLiar, TpeSettings } from '../options.js';
import type { TrialHistory } from './trial-history.js';

/** The settings the split reads. */
export type SplitSettings = Pick<TpeSettings, 'failed' | 'constantLiar' | 'gamma' | 'split' | 'maxBelow'> &
  Partial<Pick<TpeSettings, 'ties'>>;

/** The split of a history for one suggestion (tpe-spec 3.2–3.3 and 4.2). */
export interface HistorySplit {
  /** Trials observed: what γ counts (hyperopt: also failed and running; start-up counts finished trials only). */
  readonly n: number;
  /** The below set's size by γ; `below` holds fewer when a boundary tie left it (`ties: "above"`). */
  readonly nBelow: number;
  /** Trial numbers of the below (good) set, ascending. */
  readonly below: readonly number[];
  /** 1 at the numbers of `below`. */
  readonly isBelow: Uint8Array;
  /** Failed and running trials that join the above set (they are not in the columns). */
  readonly extras: readonly Trial[];
}

/** Whether running trials are counted in n under the constant liar (all lies but Optuna's `worst`). */
const runningCounted = (lie: ConstantLiar): boolean => lie !== false && lie !== 'worst';

/** The number of trials that count as observed under the failed and constant-liar policies. */
export const observedCount = (history: TrialHistory, settings: Pick<TpeSettings, 'failed' | 'constantLiar'>): number =>
  history.complete.size +
  history.pruned.size +
  (settings.failed === 'worst' ? history.failed.length : 0) +
  (runningCounted(settings.constantLiar) ? history.running.length : 0);

/**
 * The trials that count toward the start-up phase: the finished ones that are observed (never running
 * trials, whatever the lie: counted, the lies decide trial #0 by the model, its below set
 * made of running trials at +∞, and the start-up is skipped) and, under `failed: "avoid"`, those that failed
 * at their params (the failure model learns from them), so a space where most trials fail leaves start-up
 * after as many trials as any other (otherwise, with 9 in 10 failing, start-up runs ~50).
 */
export const startupCount = (history: TrialHistory, settings: Pick<TpeSettings, 'failed' | 'constantLiar'>): number => {
  const observed = observedCount(history, { failed: settings.failed, constantLiar: false });
  if (settings.failed !== 'avoid') return observed;
  let failed = 0;
  for (const trial of history.failed) if (trial.state === 'failed' && failedAtParams(trial.error)) failed++;
  return observed + failed;
};

/** The below-set size for n observed trials under the split rule. */
export const belowCount = (n: number, settings: Pick<TpeSettings, 'gamma' | 'split' | 'maxBelow'>): number =>
  settings.split === 'sqrt'
    ? hyperoptBelowCount(n, settings.gamma, settings.maxBelow)
    : optunaBelowCount(n, settings.gamma, settings.maxBelow);

/**
 * The loss to minimise a running trial is given by a finite lie (`mean`, `best`, a number); undefined for the
 * others. A number is a loss as the study reports it: in a maximize study, 0.95 is a value of 0.95.
 */
export const lieLoss = (history: TrialHistory, lie: ConstantLiar): number | undefined => {
  // Trial 139: a maximize study ranked the number as the minimised loss, so a high lie (a good value) put the
  // running trials last and a low one first.
  if (typeof lie === 'number') return lossToMinimize(lie, history.studyDirection);
  if (lie !== 'mean' && lie !== 'best') return undefined;
  const { complete } = history;
  const size = complete.size;
  if (size === 0) return undefined;
  if (lie === 'best') return complete.keys[0] as number;
  let total = 0;
  let finite = 0;
  for (let i = 0; i < size; i++) {
    const loss = complete.keys[i] as number;
    if (Number.isFinite(loss)) {
      total += loss;
      finite++;
    }
  }
  return finite === 0 ? undefined : total / finite;
};

/** Trials taken for the below set with the loss they were ranked at, in order. */
interface Ranked {
  readonly losses: number[];
  readonly numbers: number[];
}

/**
 * The first `count` complete trials by loss (stable by number), with the running trials merged in at
 * the lied loss when the lie is finite (ties: smaller number first).
 */
const takeComplete = (history: TrialHistory, count: number, lied: number | undefined): Ranked => {
  const { complete } = history;
  const size = complete.size;
  const keys = complete.keys;
  const tags = complete.tags;
  const running = lied === undefined ? [] : history.running;
  const taken: Ranked = { losses: [], numbers: [] };
  let r = 0;
  for (let i = 0; (i < size || r < running.length) && taken.numbers.length < count; ) {
    const other = running[r];
    const takeRunning =
      other !== undefined &&
      (i >= size ||
        (lied as number) < (keys[i] as number) ||
        ((lied as number) === keys[i] && other.number < (tags[i] as number)));
    if (takeRunning) {
      taken.losses.push(lied as number);
      taken.numbers.push(other.number);
      r++;
    } else {
      taken.losses.push(keys[i] as number);
      taken.numbers.push(tags[i] as number);
      i++;
    }
  }
  return taken;
};

/** How many times the below set's size a tie must be to count as a plateau (`ties: "above"`). */
const PLATEAU = 2;

/**
 * Under `ties: "above"`: when the complete trials taken fill the below set, the next complete trial has
 * the loss of the last one taken, and that tie holds at least {@link PLATEAU} times the below set's size,
 * the taken trials without that loss (the tie leaves). Undefined otherwise (nothing to change). Running
 * trials at a finite lie tie by construction, so a lie turns this off, and so does `pruned: "impute"`
 * (its estimates join the below set among the complete trials).
 */
const withoutBoundaryTie = (history: TrialHistory, taken: Ranked, count: number): Ranked | undefined => {
  const size = taken.losses.length;
  if (size === 0 || size < count || size >= history.complete.size) return undefined;
  const tie = taken.losses[size - 1] as number;
  if (history.complete.keys[size] !== tie) return undefined;
  // Only a plateau: a tie at least twice the below set's size. A smaller one (a few settings that score
  // alike, as classifiers' error rates do) keeps the libraries' order.
  let first = size - 1;
  while (first > 0 && taken.losses[first - 1] === tie) first--;
  let end = size;
  while (end < history.complete.size && history.complete.keys[end] === tie) end++;
  if (end - first < PLATEAU * count) return undefined;
  const kept: Ranked = { losses: [], numbers: [] };
  for (let i = 0; i < size && (taken.losses[i] as number) < tie; i++) {
    kept.losses.push(taken.losses[i] as number);
    kept.numbers.push(taken.numbers[i] as number);
  }
  return kept;
};

/**
 * The below set: the complete trials taken, and the pruned trials in the order they join it, as the
 * history's `pruned` policy says. `rank`: Optuna's order, after every complete trial. `impute`: those
 * whose loss can be estimated (value at the last step plus the median offset of
 * the complete trials there) merged with the complete ones by loss (ties: complete first, then number),
 * the rest after them in Optuna's order. Returns the below set's first `count` numbers.
 */
const takeWithPruned = (history: TrialHistory, complete: Ranked, count: number): number[] => {
  const pruned = history.pruned;
  if (history.prunedPolicy !== 'impute') {
    const below = [...complete.numbers];
    for (let i = 0; i < pruned.size && below.length < count; i++) below.push(pruned.tags[i] as number);
    return below;
  }
  // When the complete trials fill the below set, only an estimate below the last one taken can enter it
  // (ties go to the complete trial), and the pruned trials without an estimate are never reached.
  const full = complete.numbers.length >= count;
  const cutoff = full ? (complete.losses[count - 1] as number) : Number.POSITIVE_INFINITY;
  const estimated: { loss: number; number: number }[] = [];
  const rest: number[] = [];
  for (let i = 0; i < pruned.size; i++) {
    const number = pruned.tags[i] as number;
    const report = pruned.lastReport(i);
    const offset = report === undefined ? undefined : history.medianOffset(report.step);
    const loss = report === undefined || offset === undefined ? Number.NaN : report.loss + offset;
    if (!Number.isFinite(loss)) {
      if (!full) rest.push(number);
    } else if (loss < cutoff) estimated.push({ loss, number });
  }
  estimated.sort((a, b) => a.loss - b.loss || a.number - b.number);
  const below: number[] = [];
  let c = 0;
  let e = 0;
  while (below.length < count && (c < complete.numbers.length || e < estimated.length)) {
    const next = estimated[e];
    if (next !== undefined && (c >= complete.numbers.length || next.loss < (complete.losses[c] as number))) {
      below.push(next.number);
      e++;
    } else {
      below.push(complete.numbers[c] as number);
      c++;
    }
  }
  for (let i = 0; i < rest.length && below.length < count; i++) below.push(rest[i] as number);
  return below;
};

/**
 * Splits the history: complete trials by loss (stable by number; running trials among them at a finite
 * lie), then pruned ones (deepest last step first, then the value there: Optuna's ranking; under
 * `pruned: "impute"` those with an estimated loss are ranked among the complete ones by it), then the trials that count as +∞ (failed under `failed: "worst"`, running under
 * the `infinite` lie, by number) fill the below set; everything else, plus running trials under the
 * `worst` lie, is above.
 */
export const splitHistory = (history: TrialHistory, settings: SplitSettings): HistorySplit => {
  const lie = settings.constantLiar;
  const n = observedCount(history, settings);
  const nBelow = belowCount(n, settings);
  const lied = lieLoss(history, lie);
  // A finite lie with no complete trial to take it from leaves the running trials at +∞.
  const infiniteRunning = lie === 'infinite' || (runningCounted(lie) && lied === undefined);
  const worst = [
    ...(settings.failed === 'worst' ? history.failed : []),
    ...(infiniteRunning ? history.running : []),
  ].sort((a, b) => a.number - b.number);
  const taken = takeComplete(history, nBelow, lied);
  const untied =
    settings.ties === 'above' && lied === undefined && history.prunedPolicy !== 'impute'
      ? withoutBoundaryTie(history, taken, nBelow)
      : undefined;
  // A tie left out leaves its places empty: the trials ranked after it (pruned, failed) are worse still.
  const below = untied?.numbers ?? takeWithPruned(history, taken, nBelow);
  if (untied === undefined) for (const trial of worst) if (below.length < nBelow) below.push(trial.number);
  below.sort((a, b) => a - b);
  const isBelow = new Uint8Array(history.numberLimit + 1);
  for (const number of below) isBelow[number] = 1;
  const joining = lie === false || infiniteRunning ? worst : [...worst, ...history.running];
  const extras = joining.filter((trial) => isBelow[trial.number] !== 1).sort((a, b) => a.number - b.number);
  return { n, nBelow, below, isBelow, extras };
};
