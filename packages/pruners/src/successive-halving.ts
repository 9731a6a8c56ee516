import { definedOptions, type PruneContext, type Pruner, type Trial } from '@parzen/engine/plugin';
import { checkOptions, integerAtLeast, lastStep, stepBefore, unknownOptions, valueAt, valueFrom } from './curve.js';

/** Options of the `successive-halving` pruner. */
export interface SuccessiveHalvingOptions {
  /**
   * Steps a trial runs before its first rung, r (default `"auto"`: the highest step of the complete
   * trials divided by 100, at least 1; no pruning until a trial completes).
   */
  readonly minResource?: number | 'auto';
  /** η: a trial is promoted past a rung when it is in the best 1/η of the trials that reached it (default 4). */
  readonly reductionFactor?: number;
  /** s: the first rung is at step r·η^s (default 0). */
  readonly minEarlyStoppingRate?: number;
  /** Prune at a rung until more than this many trials reached it, this one included (default 0). */
  readonly bootstrapCount?: number;
}

/** Optuna's defaults (`min_resource="auto", reduction_factor=4, min_early_stopping_rate=0, bootstrap_count=0`). */
export const SUCCESSIVE_HALVING_DEFAULTS = {
  /** r from the complete trials: their highest step divided by 100, at least 1 (no pruning until a trial completes). */
  minResource: 'auto',
  /** η: a trial is promoted past a rung when it is in the best quarter of the trials that reached it. */
  reductionFactor: 4,
  /** s: the first rung is at step r. */
  minEarlyStoppingRate: 0,
  /** A rung prunes from its first trial on. */
  bootstrapCount: 0,
} as const;

/** Resolved settings of {@link successiveHalvingShouldPrune}. */
export type SuccessiveHalvingSettings = {
  readonly [K in keyof SuccessiveHalvingOptions]-?: Exclude<SuccessiveHalvingOptions[K], undefined>;
};

/** Optuna's `_estimate_min_resource`: the highest step of the complete trials // 100, at least 1. */
export const estimateMinResource = (trials: readonly Trial[]): number | undefined => {
  let highest: number | undefined;
  for (const trial of trials) {
    const step = trial.state === 'complete' ? lastStep(trial) : undefined;
    if (step !== undefined && (highest === undefined || step > highest)) highest = step;
  }
  return highest === undefined ? undefined : Math.max(Math.floor(highest / 100), 1);
};

/** Optuna's `_is_trial_promotable_to_next_rung`: in the best 1/η of the rung (the best one for the first η − 1). */
const promotable = (value: number, competing: number[], eta: number, maximize: boolean): boolean => {
  const index = Math.max(Math.floor(competing.length / eta) - 1, 0);
  competing.sort((a, b) => a - b);
  return maximize
    ? value >= (competing[competing.length - 1 - index] as number)
    : value <= (competing[index] as number);
};

/**
 * Asynchronous successive halving (ASHA: Li et al. 2018, "A System for Massively Parallel Hyperparameter
 * Tuning"), as Optuna's SuccessiveHalvingPruner. Rung k is at step r·η^(s+k). When a trial reaches a
 * rung, its value there is compared with the values every other trial had at that rung; it goes on only
 * when it is in the top 1/η of them (the best one while fewer than η reached the rung).
 *
 * @remarks Optuna records each trial's value at a rung (a system attribute) when the trial passes it; here
 * it is read from the trial's curve: the value at its first reported step at or past the rung. The two
 * agree when trials report each step in order and `minResource` is known before trials report (always
 * with an integer `minResource`); see the README for where they part.
 */
export const successiveHalvingShouldPrune = (
  settings: SuccessiveHalvingSettings,
  context: PruneContext,
  trials: readonly Trial[] = context.trials,
): boolean => {
  const { trial } = context;
  const step = lastStep(trial);
  if (step === undefined) return false;
  const minResource = settings.minResource === 'auto' ? estimateMinResource(trials) : settings.minResource;
  if (minResource === undefined) return false;
  const eta = settings.reductionFactor;
  const promotionStep = (rung: number) => minResource * eta ** (settings.minEarlyStoppingRate + rung);
  const value = valueAt(trial, step) as number;
  // Rungs the trial completed at earlier reports.
  const previous = stepBefore(trial, step);
  let rung = 0;
  while (promotionStep(rung) <= previous) rung++;
  const maximize = context.direction === 'maximize';
  for (;;) {
    const at = promotionStep(rung);
    if (step < at) return false;
    const competing = [value];
    for (const other of trials) {
      if (other.number === trial.number) continue;
      const theirs = reachedRung(other, at, promotionStep) ? valueFrom(other, at) : undefined;
      if (theirs !== undefined) competing.push(theirs);
    }
    if (competing.length <= settings.bootstrapCount) return true;
    if (!promotable(value, competing, eta, maximize)) return true;
    rung++;
  }
};

/**
 * Whether `trial` counts at the rung at step `at`. A pruned trial whose last report crossed several rungs
 * was judged at them lowest first and stopped at one of them, which its curve does not say: it counts at
 * the lowest only, as in the usual case of one rung crossed (review 46: it counted at every rung crossed,
 * where Optuna records a trial only up to the rung it was pruned at). Other trials passed every rung they
 * crossed.
 */
const reachedRung = (trial: Trial, at: number, promotionStep: (rung: number) => number): boolean => {
  if (trial.state !== 'pruned') return true;
  const list = trial.intermediate ?? [];
  const last = list.at(-1)?.step;
  if (last === undefined || at > last) return true;
  const before = list.at(-2)?.step ?? Number.NEGATIVE_INFINITY;
  if (at <= before) return true;
  let rung = 0;
  while (promotionStep(rung) <= before) rung++;
  return promotionStep(rung) === at;
};

/** Checks successive-halving options (shared with Hyperband). */
export const checkSuccessiveHalving = (name: string, settings: SuccessiveHalvingSettings): void =>
  checkOptions(name, [
    settings.minResource === 'auto' ? undefined : integerAtLeast(settings.minResource, 1, '/minResource'),
    integerAtLeast(settings.reductionFactor, 2, '/reductionFactor'),
    integerAtLeast(settings.minEarlyStoppingRate, 0, '/minEarlyStoppingRate'),
    integerAtLeast(settings.bootstrapCount, 0, '/bootstrapCount'),
    settings.bootstrapCount > 0 && settings.minResource === 'auto'
      ? { pointer: '/bootstrapCount', expected: '0 when minResource is "auto"', found: String(settings.bootstrapCount) }
      : undefined,
  ]);

/**
 * The `successive-halving` pruner (asynchronous successive halving, as Optuna's).
 *
 * @throws `ParzenError` `CONFIG_INVALID` for options it refuses (an unknown key, a wrong type, a value out of range), naming each.
 */
export const createSuccessiveHalvingPruner = (options: SuccessiveHalvingOptions = {}): Pruner => {
  checkOptions('successive-halving', unknownOptions(options, Object.keys(SUCCESSIVE_HALVING_DEFAULTS)));
  const settings: SuccessiveHalvingSettings = { ...SUCCESSIVE_HALVING_DEFAULTS, ...definedOptions(options) };
  checkSuccessiveHalving('successive-halving', settings);
  return { name: 'successive-halving', shouldPrune: (context) => successiveHalvingShouldPrune(settings, context) };
};
