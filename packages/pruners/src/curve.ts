import {
  type ConfigIssue,
  type Direction,
  describeValue,
  formatIssues,
  type IntermediateValue,
  optionIssues,
  ParzenError,
  type Trial,
} from '@parzen/engine/plugin';

/** The highest step a trial reported, or undefined (Optuna's `last_step`). */
export const lastStep = (trial: Trial): number | undefined => trial.intermediate?.at(-1)?.step;

/** The value a trial reported at `step`, or undefined (intermediate values are ordered by step). */
export const valueAt = (trial: Trial, step: number): number | undefined => {
  const list = trial.intermediate;
  if (list === undefined) return undefined;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as IntermediateValue).step < step) lo = mid + 1;
    else hi = mid;
  }
  const found = list[lo];
  return found !== undefined && found.step === step ? found.value : undefined;
};

/** The value at the first reported step at or after `step` (undefined when the curve stops before it). */
export const valueFrom = (trial: Trial, step: number): number | undefined => {
  const list = trial.intermediate;
  if (list === undefined) return undefined;
  for (const point of list) if (point.step >= step) return point.value;
  return undefined;
};

/** The best of some values in the study's direction (lowest when minimizing). */
export const bestOf = (values: readonly number[], direction: Direction): number => {
  // A loop, not Math.min(...values): a trial reporting every batch has more values than a call has arguments.
  let best = direction === 'maximize' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const value of values) best = direction === 'maximize' ? Math.max(best, value) : Math.min(best, value);
  return best;
};

/**
 * Optuna's `_is_first_in_interval_step`: whether `step` is the first report at or after the latest
 * pruning check (checks at warmup, warmup + interval, ...), so that a check is postponed, not skipped,
 * when no value was reported exactly at it.
 */
export const isFirstInIntervalStep = (
  step: number,
  trial: Trial,
  warmupSteps: number,
  intervalSteps: number,
): boolean => {
  const nearestCheck = Math.floor((step - warmupSteps) / intervalSteps) * intervalSteps + warmupSteps;
  let previous = -1;
  for (const point of trial.intermediate ?? []) if (point.step !== step && point.step > previous) previous = point.step;
  return previous < nearestCheck;
};

/**
 * numpy's `percentile` with linear interpolation (its default), q in [0, 100], over a non-empty list:
 * the value at virtual index q/100·(n − 1) of the sorted values, interpolated as numpy's `_lerp` does.
 */
export const percentileOf = (values: readonly number[], q: number): number =>
  percentileOfSorted(
    [...values].sort((a, b) => a - b),
    q,
  );

/** {@link percentileOf} of values already sorted in ascending order. */
export const percentileOfSorted = (sorted: readonly number[], q: number): number => {
  const index = (q / 100) * (sorted.length - 1);
  const below = Math.floor(index);
  const above = Math.min(below + 1, sorted.length - 1);
  const t = index - below;
  const a = sorted[below] as number;
  const b = sorted[above] as number;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
};

/** Throws `CONFIG_INVALID` for a pruner's options when any issue was found. */
export const checkOptions = (pruner: string, issues: readonly (ConfigIssue | undefined)[]): void => {
  const found = issues.filter((issue): issue is ConfigIssue => issue !== undefined);
  if (found.length > 0) {
    throw new ParzenError('CONFIG_INVALID', `Invalid ${pruner} pruner options:\n${formatIssues(found)}`, {
      plugin: pruner,
      issues: found,
    });
  }
};

/**
 * Issues for the keys of `options` that are not `known`: from code (JavaScript, `any`) a typo such as
 * `warmupStep` would otherwise leave the default in place without a word. Configs are checked by schema.
 */
export const unknownOptions = (options: object, known: readonly string[]): ConfigIssue[] =>
  optionIssues({ additionalProperties: false, properties: Object.fromEntries(known.map((key) => [key, {}])) }, options);

/** An issue unless `value` is an integer of at least `min`. */
export const integerAtLeast = (value: number, min: number, pointer: string): ConfigIssue | undefined =>
  Number.isSafeInteger(value) && value >= min
    ? undefined
    : { pointer, expected: `an integer ≥ ${min}`, found: describeValue(value) };
