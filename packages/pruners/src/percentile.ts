import {
  definedOptions,
  describeValue,
  type IntermediateValue,
  type PruneContext,
  type Pruner,
  type Trial,
} from '@parzen/engine/plugin';
import {
  checkOptions,
  integerAtLeast,
  isFirstInIntervalStep,
  lastStep,
  PrefixBests,
  percentileOfSorted,
  unknownOptions,
  valueAt,
} from './curve.js';

/** Options of the `percentile` pruner (and, without `percentile`, of `median`). */
export interface PercentilePrunerOptions {
  /** Keep the trials in the best `percentile` % at each step (0–100; `median` is 50). Required. */
  readonly percentile: number;
  /** No pruning until this many trials of the study are complete (default 5). */
  readonly startupTrials?: number;
  /** No pruning before this step (default 0). */
  readonly warmupSteps?: number;
  /** Judge every `intervalSteps` steps after the warm-up (default 1). */
  readonly intervalSteps?: number;
  /** Judge only when at least this many complete trials reported at the step (default 1). */
  readonly minTrials?: number;
}

/** Optuna's defaults (`n_startup_trials=5, n_warmup_steps=0, interval_steps=1, n_min_trials=1`). */
export const PERCENTILE_DEFAULTS = {
  /** No pruning until 5 trials of the study are complete. */
  startupTrials: 5,
  /** Pruning from the first step on. */
  warmupSteps: 0,
  /** Judge at every step. */
  intervalSteps: 1,
  /** Judge a step once one complete trial reported at it. */
  minTrials: 1,
} as const;

type Settings = Required<PercentilePrunerOptions>;

/** Whether two copies of a finished trial are the same trial (a listing may copy the objects). */
const sameFinished = (a: Trial, b: Trial): boolean => {
  if (a.state !== b.state || (a as { loss?: number }).loss !== (b as { loss?: number }).loss) return false;
  // The whole curve (review 77: two studies' trials that ended alike and differed earlier were taken as one).
  const [x, y] = [a.intermediate ?? [], b.intermediate ?? []];
  if (x === y) return true;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const [p, q] = [x[i] as IntermediateValue, y[i] as IntermediateValue];
    if (p.step !== q.step || p.value !== q.value) return false;
  }
  return true;
};

/** What a trial is to {@link CompleteTrials}: 1 complete, 2 running, 0 failed or pruned. */
const kindOf = (trial: Trial): number => (trial.state === 'complete' ? 1 : trial.state === 'running' ? 2 : 0);

/** Inserts `value` into `sorted` (ascending), keeping it sorted. */
const insertSorted = (sorted: number[], value: number): void => {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) <= value) low = middle + 1;
    else high = middle;
  }
  sorted.splice(low, 0, value);
};

/**
 * What a pruner keeps of the complete trials it was shown: their numbers and, by step, their values there
 * in ascending order (made on first ask, then kept up to date). Complete trials never change, so a listing
 * that has them all adds only its new ones: a report costs a lookup, not a pass and a sort over the study
 * (those cost 75 ms per report at 50,000 trials). A listing without one of them (another study) starts over.
 */
export class CompleteTrials {
  private shown: readonly Trial[] | undefined;
  private study: string | undefined;
  /** The entries of the array shown last, as they were, and what each was: 1 complete, 2 running, 0 else. */
  private previous: readonly Trial[] = [];
  private kinds = new Uint8Array(0);
  /** Where the shown array had running trials (they may finish in place). */
  private running: number[] = [];
  /** The complete trials kept, by number. */
  private readonly numbers = new Map<number, Trial>();
  private readonly complete: Trial[] = [];
  private readonly byStep = new Map<number, number[]>();

  /** Brings the kept values up to `trials` of `study` (nothing to do for the array shown last). */
  update(trials: readonly Trial[], study?: string): this {
    // The same array is the same listing only at the same length (review 77: a caller that pushed finished
    // trials onto the array it passed before got the old answer) and with its running trials still not
    // complete (review 78: one replaced in place by its finished self). Those are few: a look at each.
    if (
      trials === this.shown &&
      trials.length === this.previous.length &&
      study === this.study &&
      this.running.every((at) => trials[at]?.state !== 'complete')
    )
      return this;
    // A new listing: an entry that is the very object it was before is what it was (read nothing of it: at
    // 25,000 trials of many shapes, reading each one's state cost about 10 ms a listing); the others are read.
    const kinds = new Uint8Array(trials.length);
    const { previous } = this;
    let fresh: Trial[] = [];
    let complete = 0;
    let same = study === this.study;
    for (let at = 0; same && at < trials.length; at++) {
      const trial = trials[at] as Trial;
      if (trial === previous[at]) {
        kinds[at] = this.kinds[at] as number;
        if (kinds[at] === 1) complete++;
        continue;
      }
      kinds[at] = kindOf(trial);
      if (kinds[at] !== 1) continue;
      complete++;
      const kept = this.numbers.get(trial.number);
      if (kept === undefined) fresh.push(trial);
      else if (kept !== trial && !sameFinished(kept, trial)) same = false;
    }
    // One kept is gone, or another trial has its number (another study, the same pruner reused): start over.
    if (!same || complete !== this.numbers.size + fresh.length) {
      this.numbers.clear();
      this.complete.length = 0;
      this.byStep.clear();
      fresh = [];
      trials.forEach((trial, at) => {
        kinds[at] = kindOf(trial);
        if (kinds[at] === 1) fresh.push(trial);
      });
    }
    this.shown = trials;
    this.previous = trials.slice();
    this.kinds = kinds;
    this.running = [];
    kinds.forEach((kind, at) => {
      if (kind === 2) this.running.push(at);
    });
    this.study = study;
    for (const trial of fresh) {
      this.numbers.set(trial.number, trial);
      this.complete.push(trial);
      for (const [step, values] of this.byStep) {
        const value = valueAt(trial, step);
        if (value !== undefined) insertSorted(values, value);
      }
    }
    return this;
  }

  get count(): number {
    return this.complete.length;
  }

  /** The complete trials' values at `step`, ascending. */
  atStep(step: number): readonly number[] {
    const kept = this.byStep.get(step);
    if (kept !== undefined) return kept;
    const values: number[] = [];
    for (const trial of this.complete) {
      const value = valueAt(trial, step);
      if (value !== undefined) values.push(value);
    }
    values.sort((a, b) => a - b);
    this.byStep.set(step, values);
    return values;
  }
}

/**
 * Optuna's PercentilePruner: prune when the trial's best intermediate value so far is worse than the
 * `percentile` of the complete trials' values at the same step (linear interpolation as numpy's).
 * The percentile is taken from the best side: the 25th percentile keeps the best quarter.
 */
export const percentileShouldPrune = (
  settings: Settings,
  context: PruneContext,
  /** What the pruner kept of the trials it was shown before (a fresh one works from `trials` alone). */
  kept: CompleteTrials = new CompleteTrials(),
  /** The running trials' best values so far, kept from call to call. */
  bests: PrefixBests = new PrefixBests(),
): boolean => {
  const { trial, trials, direction } = context;
  const finished = kept.update(trials, context.study);
  if (finished.count === 0 || finished.count < settings.startupTrials) return false;
  const step = lastStep(trial);
  if (step === undefined || step < settings.warmupSteps) return false;
  if (!isFirstInIntervalStep(step, trial, settings.warmupSteps, settings.intervalSteps)) return false;
  const best = bests.best(trial, trial.intermediate?.length ?? 0, direction);
  const atStep = finished.atStep(step);
  if (atStep.length < settings.minTrials || atStep.length === 0) return false;
  const q = direction === 'maximize' ? 100 - settings.percentile : settings.percentile;
  const threshold = percentileOfSorted(atStep, q);
  return direction === 'maximize' ? best < threshold : best > threshold;
};

const resolve = (options: PercentilePrunerOptions, name: string): Settings => {
  const settings = { ...PERCENTILE_DEFAULTS, ...definedOptions(options) };
  checkOptions(name, [
    Number.isFinite(settings.percentile) && settings.percentile >= 0 && settings.percentile <= 100
      ? undefined
      : {
          pointer: '/percentile',
          expected: 'a number from 0 to 100 (required)',
          found: describeValue(settings.percentile),
        },
    integerAtLeast(settings.startupTrials, 0, '/startupTrials'),
    integerAtLeast(settings.warmupSteps, 0, '/warmupSteps'),
    integerAtLeast(settings.intervalSteps, 1, '/intervalSteps'),
    integerAtLeast(settings.minTrials, 1, '/minTrials'),
  ]);
  return settings;
};

/**
 * The `percentile` pruner (Optuna's PercentilePruner): prunes a trial whose best value so far is worse than the
 * `percentile`-th percentile of the complete trials' values at the same step (25: only the best quarter goes on).
 *
 * @throws `ParzenError` `CONFIG_INVALID` for options it refuses (an unknown key, `percentile: 150`, `warmupSteps: -1`), naming each.
 */
export const createPercentilePruner = (options: PercentilePrunerOptions): Pruner => {
  checkOptions('percentile', unknownOptions(options, ['percentile', ...Object.keys(PERCENTILE_DEFAULTS)]));
  const settings = resolve(options, 'percentile');
  const kept = new CompleteTrials();
  const bests = new PrefixBests();
  return { name: 'percentile', shouldPrune: (context) => percentileShouldPrune(settings, context, kept, bests) };
};

/** Options of the `median` pruner: the percentile pruner's, at the 50th percentile. */
export type MedianPrunerOptions = Omit<PercentilePrunerOptions, 'percentile'>;

/**
 * The `median` pruner (Optuna's MedianPruner; the median stopping rule of Google Vizier, Golovin et al.
 * 2017): prune a trial whose best value so far is worse than the median of the complete trials at the
 * same step.
 *
 * @throws `ParzenError` `CONFIG_INVALID` for options it refuses (an unknown key, `warmupSteps: -1`), naming each.
 */
export const createMedianPruner = (options: MedianPrunerOptions = {}): Pruner => {
  checkOptions('median', unknownOptions(options, Object.keys(PERCENTILE_DEFAULTS)));
  const settings = resolve({ ...options, percentile: 50 }, 'median');
  const kept = new CompleteTrials();
  const bests = new PrefixBests();
  return { name: 'median', shouldPrune: (context) => percentileShouldPrune(settings, context, kept, bests) };
};
