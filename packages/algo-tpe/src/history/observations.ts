import type { ObservationSet } from '../estimator/density.js';
import { lowerBound } from '../math/lower-bound.js';
import type { HistorySplit } from './history-split.js';
import { comparePairs, pairBefore } from './sorted-pairs.js';
import type { TrialHistory } from './trial-history.js';

/** One parameter's below and above observations. */
export interface ParamObservations {
  /** The values of the below (good) trials where the parameter was active: what l(x) is built from. */
  readonly below: ObservationSet;
  /** The values of the above trials where the parameter was active: what g(x) is built from. */
  readonly above: ObservationSet;
}

/** The below observations of parameter `name` (at most the below-set size, read from the trials). */
export const belowObservations = (history: TrialHistory, split: HistorySplit, name: string): ObservationSet => {
  const { below } = split;
  const values = new Float64Array(below.length);
  const numbers = new Int32Array(below.length);
  // A finished trial's value is read from the column, looked up once.
  const column = history.columns.get(name);
  let count = 0;
  for (const number of below) {
    const value =
      column !== undefined && history.inColumns(number) ? column.valueOf(number) : history.valueOf(name, number);
    if (value === undefined) continue;
    values[count] = value;
    numbers[count++] = number;
  }
  return count === below.length
    ? { values, numbers }
    : { values: values.slice(0, count), numbers: numbers.slice(0, count) };
};

/** A failed or running trial joining the above set (an extra) with its value of the parameter. */
export interface Extra {
  readonly number: number;
  readonly value: number;
}

/** The extras of `split` that have parameter `name`, by number (the split's order). */
export const extrasWith = (split: HistorySplit, name: string): Extra[] => {
  const found: Extra[] = [];
  for (const trial of split.extras) {
    const value = trial.internal[name];
    if (value !== undefined) found.push({ number: trial.number, value });
  }
  return found;
};

/** Whether an extra comes before the held pair (value, number) in value order (the column's: ties by number). */
export const precedes = (extra: Extra, value: number, number: number): boolean =>
  pairBefore(extra.value, extra.number, value, number);

/** The extras in value order (ties by number), as the column orders its pairs. */
export const extrasByValue = <T extends Extra>(extras: readonly T[]): T[] =>
  [...extras].sort((a, b) => comparePairs(a.value, a.number, b.value, b.number));

/**
 * The above set in O(n): the column's values minus the below trials, merged with the extras (failed or
 * running trials) that have the parameter; arrival order by number and, unless `inValueOrder` is false (a
 * categorical parameter's estimator reads its values in arrival order only), value order with arrival ranks.
 */
export const aboveSet = (
  history: TrialHistory,
  split: HistorySplit,
  name: string,
  inValueOrder = true,
): ObservationSet => {
  const { byNumber, byValue } = history.column(name);
  const extras = extrasWith(split, name);
  const size = byNumber.size - countBelow(byNumber, split) + extras.length;
  const values = new Float64Array(size);
  const numbers = new Int32Array(size);
  // Each trial's arrival rank by number, for the value order's `order`; none without the value order.
  const rank = inValueOrder ? new Int32Array(history.numberLimit + 1) : undefined;
  let out = 0;
  const emitArrival = (number: number, value: number) => {
    values[out] = value;
    numbers[out] = number;
    if (rank !== undefined) rank[number] = out;
    out++;
  };
  let j = 0;
  const [arrivalSize, arrivalKeys, arrivalTags] = [byNumber.size, byNumber.keys, byNumber.tags];
  for (let i = 0; i < arrivalSize; i++) {
    const number = arrivalKeys[i] as number;
    for (; j < extras.length && (extras[j] as Extra).number < number; j++)
      emitArrival((extras[j] as Extra).number, (extras[j] as Extra).value);
    if (split.isBelow[number] !== 1) emitArrival(number, arrivalTags[i] as number);
  }
  for (; j < extras.length; j++) emitArrival((extras[j] as Extra).number, (extras[j] as Extra).value);
  if (rank === undefined) return { values, numbers };

  const byValueExtras = extrasByValue(extras);
  const sortedValues = new Float64Array(size);
  const order = new Int32Array(size);
  out = 0;
  const emitSorted = (number: number, value: number) => {
    sortedValues[out] = value;
    order[out++] = rank[number] as number;
  };
  j = 0;
  const [valueSize, valueKeys, valueTags] = [byValue.size, byValue.keys, byValue.tags];
  for (let i = 0; i < valueSize; i++) {
    const value = valueKeys[i] as number;
    const number = valueTags[i] as number;
    for (; j < byValueExtras.length && precedes(byValueExtras[j] as Extra, value, number); j++) {
      emitSorted((byValueExtras[j] as Extra).number, (byValueExtras[j] as Extra).value);
    }
    if (split.isBelow[number] !== 1) emitSorted(number, value);
  }
  for (; j < byValueExtras.length; j++)
    emitSorted((byValueExtras[j] as Extra).number, (byValueExtras[j] as Extra).value);
  return { values, numbers, sorted: { values: sortedValues, order } };
};

const countBelow = (byNumber: { size: number; keys: Float64Array }, split: HistorySplit): number => {
  let count = 0;
  for (const number of split.below) {
    const at = lowerBound(byNumber.keys, byNumber.size, number);
    if (at < byNumber.size && byNumber.keys[at] === number) count++;
  }
  return count;
};

/** The below and above observations of parameter `name` under a split. */
export const paramObservations = (history: TrialHistory, split: HistorySplit, name: string): ParamObservations => ({
  below: belowObservations(history, split, name),
  above: aboveSet(history, split, name),
});

/** The observations of the trials `keep` accepts, in their arrival order. */
export const keptObservations = (set: ObservationSet, keep: (number: number) => boolean): ObservationSet => {
  const values: number[] = [];
  const numbers: number[] = [];
  for (let i = 0; i < set.numbers.length; i++) {
    const number = set.numbers[i] as number;
    if (!keep(number)) continue;
    values.push(set.values[i] as number);
    numbers.push(number);
  }
  return { values: Float64Array.from(values), numbers: Int32Array.from(numbers) };
};
