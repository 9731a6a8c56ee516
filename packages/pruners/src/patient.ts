import { definedOptions, describeValue, type PruneContext, type Pruner } from '@parzen/engine/plugin';
import { bestOf, checkOptions, integerAtLeast, PrefixBests, unknownOptions } from './curve.js';

/** Options of the `patient` wrapper (the wrapped pruner is given as an instance in code). */
export interface PatientPrunerOptions {
  /** Steps without improvement tolerated before the wrapped pruner is asked. Required. */
  readonly patience: number;
  /**
   * Tolerance: a trial has stalled when its recent best is worse than its earlier best by more than this
   * (default 0).
   */
  readonly minDelta?: number;
}

/** Optuna's default (`min_delta=0.0`); `patience` has none. */
export const PATIENT_DEFAULTS = {
  /** No tolerance (see {@link PatientPrunerOptions.minDelta}). */
  minDelta: 0,
} as const;

/**
 * Optuna's PatientPruner: a trial has stalled when every one of its last `patience` + 1 values is worse
 * than its best value before them by more than `minDelta` (it has not improved for `patience` + 1
 * reports); only then is the wrapped pruner asked (without one, a stalled trial is pruned).
 */
export const stalled = (
  settings: Required<PatientPrunerOptions>,
  context: PruneContext,
  /** The trials' best values before the window, kept from call to call (O(patience) per call, not O(n)). */
  bests: PrefixBests = new PrefixBests(),
): boolean => {
  const curve = context.trial.intermediate ?? [];
  if (curve.length <= settings.patience + 1) return false;
  const split = curve.length - settings.patience - 1;
  const before = bests.best(context.trial, split, context.direction);
  const after = bestOf(
    curve.slice(split).map((point) => point.value),
    context.direction,
  );
  return context.direction === 'maximize' ? before - settings.minDelta > after : before + settings.minDelta < after;
};

/**
 * The `patient` wrapper (Optuna's PatientPruner) around `wrapped` (none: prune on patience alone): prunes a trial
 * whose value has not improved by `minDelta` over its last `patience` steps, and then only if `wrapped` prunes it.
 *
 * @throws `ParzenError` `CONFIG_INVALID` for options it refuses (an unknown key, `patience: -1`, `minDelta: -0.1`), naming each.
 */
export const createPatientPruner = (options: PatientPrunerOptions, wrapped?: Pruner): Pruner => {
  checkOptions('patient', unknownOptions(options, ['patience', ...Object.keys(PATIENT_DEFAULTS)]));
  const settings = { ...PATIENT_DEFAULTS, ...definedOptions(options) };
  checkOptions('patient', [
    integerAtLeast(settings.patience, 0, '/patience'),
    Number.isFinite(settings.minDelta) && settings.minDelta >= 0
      ? undefined
      : { pointer: '/minDelta', expected: 'a number ≥ 0', found: describeValue(settings.minDelta) },
  ]);
  const bests = new PrefixBests();
  return {
    name: wrapped === undefined ? 'patient' : `patient(${wrapped.name})`,
    shouldPrune: (context) =>
      stalled(settings, context, bests) && (wrapped === undefined || wrapped.shouldPrune(context)),
  };
};
