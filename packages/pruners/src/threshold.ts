import { definedOptions, type PruneContext, type Pruner } from '@parzen/engine/plugin';
import {
  checkOptions,
  integerAtLeast,
  isFirstInIntervalStep,
  lastStep,
  optionalFiniteNumber,
  unknownOptions,
  valueAt,
} from './curve.js';

/** Options of the `threshold` pruner: at least one of `lower` and `upper`. */
export interface ThresholdPrunerOptions {
  /** Prune when the latest value is below this (default: no lower bound). */
  readonly lower?: number;
  /** Prune when the latest value is above this (default: no upper bound). */
  readonly upper?: number;
  /** No pruning before this step (default 0). */
  readonly warmupSteps?: number;
  /** Judge every `intervalSteps` steps after the warm-up (default 1). */
  readonly intervalSteps?: number;
}

/** Optuna's defaults (`n_warmup_steps=0, interval_steps=1`; no bounds). */
export const THRESHOLD_DEFAULTS = {
  /** Pruning from the first step on. */
  warmupSteps: 0,
  /** Judge at every step. */
  intervalSteps: 1,
} as const;

type Settings = Required<Pick<ThresholdPrunerOptions, 'warmupSteps' | 'intervalSteps'>> & {
  readonly lower: number;
  readonly upper: number;
};

/**
 * Optuna's ThresholdPruner: prune when the latest intermediate value falls outside [lower, upper]. It
 * judges each trial alone (whatever the direction), e.g. to stop a diverging loss.
 */
export const thresholdShouldPrune = (settings: Settings, context: PruneContext): boolean => {
  const { trial } = context;
  const step = lastStep(trial);
  if (step === undefined || step < settings.warmupSteps) return false;
  if (!isFirstInIntervalStep(step, trial, settings.warmupSteps, settings.intervalSteps)) return false;
  const value = valueAt(trial, step) as number;
  return value < settings.lower || value > settings.upper;
};

/**
 * The `threshold` pruner (Optuna's ThresholdPruner): prunes a trial as soon as its latest reported value is below
 * `lower` or above `upper`.
 *
 * @throws `ParzenError` `CONFIG_INVALID` for options it refuses (an unknown key, neither `lower` nor `upper`, a bound that is not a finite number), naming each.
 */
export const createThresholdPruner = (options: ThresholdPrunerOptions): Pruner => {
  checkOptions('threshold', unknownOptions(options, ['lower', 'upper', ...Object.keys(THRESHOLD_DEFAULTS)]));
  // From code (JavaScript, `any`) a bound of another type would compare false and switch the pruner off.
  checkOptions('threshold', [
    optionalFiniteNumber(options.lower, '/lower'),
    optionalFiniteNumber(options.upper, '/upper'),
  ]);
  const settings: Settings = {
    ...THRESHOLD_DEFAULTS,
    ...definedOptions(options),
    lower: options.lower ?? Number.NEGATIVE_INFINITY,
    upper: options.upper ?? Number.POSITIVE_INFINITY,
  };
  checkOptions('threshold', [
    options.lower === undefined && options.upper === undefined
      ? { pointer: '', expected: 'at least one of lower and upper', found: 'neither' }
      : undefined,
    settings.lower > settings.upper
      ? { pointer: '/lower', expected: `at most upper (${settings.upper})`, found: String(settings.lower) }
      : undefined,
    integerAtLeast(settings.warmupSteps, 0, '/warmupSteps'),
    integerAtLeast(settings.intervalSteps, 1, '/intervalSteps'),
  ]);
  return { name: 'threshold', shouldPrune: (context) => thresholdShouldPrune(settings, context) };
};
