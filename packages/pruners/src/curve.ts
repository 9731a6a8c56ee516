import {
  type ConfigIssue,
  type Direction,
  describeValue,
  formatIssues,
  type IntermediateValue,
  optionIssues,
  ParzenError,
  stepIndex,
  type Trial,
} from '@parzen/engine/plugin';

/** The highest step a trial reported, or undefined (Optuna's `last_step`). */
export const lastStep = (trial: Trial): number | undefined => trial.intermediate?.at(-1)?.step;

/** The value a trial reported at `step`, or undefined (intermediate values are ordered by step). */
export const valueAt = (trial: Trial, step: number): number | undefined => {
  const list = trial.intermediate;
  if (list === undefined) return undefined;
  const found = list[stepIndex(list, step)];
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
  return stepBefore(trial, step, true) < nearestCheck;
};

/**
 * The highest step a trial reported below `step` (with `other`, the highest step other than `step`), or −1:
 * O(log n) on the curve, which is in step order (a scan per report made a trial of n reports cost O(n²)).
 */
export const stepBefore = (trial: Trial, step: number, other = false): number => {
  const list = trial.intermediate ?? [];
  const last = list.at(-1);
  if (other && last !== undefined && last.step !== step) return last.step;
  const at = stepIndex(list, step);
  return at > 0 ? (list[at - 1] as IntermediateValue).step : -1;
};

/**
 * The best value a trial reported among its first `end` values, kept per curve (the list itself: a running trial's list
 * is the run's own and grows in place) from call to call, so that a trial that reports n times costs O(n) in all, not
 * O(n²) (summed each time, a trial of 50,000 reports takes 92 s with the median pruner, 15 s without). A value added
 * after the kept prefix is folded in; any other change (a step inserted earlier) sums the prefix again.
 */
export class PrefixBests {
  private readonly kept = new WeakMap<
    readonly IntermediateValue[],
    { end: number; lastStep: number; best: number; direction: Direction }
  >();

  best(trial: Trial, end: number, direction: Direction): number {
    const list = trial.intermediate ?? [];
    const found = this.kept.get(list);
    const better = direction === 'maximize' ? Math.max : Math.min;
    let from = 0;
    let best = direction === 'maximize' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    // The kept prefix stands when its last step is still at its place (values only added after it).
    if (
      found !== undefined &&
      found.direction === direction &&
      found.end <= end &&
      found.end > 0 &&
      list[found.end - 1]?.step === found.lastStep
    ) {
      from = found.end;
      best = found.best;
    }
    for (let i = from; i < end; i++) best = better(best, (list[i] as IntermediateValue).value);
    if (end > 0) this.kept.set(list, { end, lastStep: (list[end - 1] as IntermediateValue).step, best, direction });
    return best;
  }
}

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
    throw new ParzenError('CONFIG_INVALID', `Invalid options for the ${pruner} pruner:\n${formatIssues(found)}`, {
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

/** An issue unless `value` is a finite number (`undefined` passes: the option is optional). */
export const optionalFiniteNumber = (value: unknown, pointer: string): ConfigIssue | undefined =>
  value === undefined || (typeof value === 'number' && Number.isFinite(value))
    ? undefined
    : { pointer, expected: 'a finite number', found: describeValue(value) };
