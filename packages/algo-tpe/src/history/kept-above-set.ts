import type { ObservationSet } from '../estimator/density.js';
import type { HistorySplit } from './history-split.js';
import { aboveSet } from './observations.js';
import type { ParamColumn } from './param-column.js';
import type { TrialHistory } from './trial-history.js';

/** Whether some extra (failed or running trial joining the above set) has parameter `name`. */
const extrasHave = (split: HistorySplit, name: string): boolean =>
  split.extras.some((trial) => trial.internal[name] !== undefined);

/** Whether the below set is `kept`, number for number. */
const sameBelow = (kept: Int32Array, below: readonly number[]): boolean => {
  if (kept.length !== below.length) return false;
  for (let i = 0; i < kept.length; i++) if (kept[i] !== below[i]) return false;
  return true;
};

/** The first index in `keys[0 … size)` (ascending, no NaN) whose key is above `key`. */
const upperBound = (keys: Float64Array, size: number, key: number): number => {
  let lo = 0;
  let hi = size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as number) <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

const grownFloat = (array: Float64Array, size: number): Float64Array => {
  if (size < array.length) return array;
  const out = new Float64Array(Math.max(16, 2 * array.length));
  out.set(array.subarray(0, size));
  return out;
};

const grownInt = (array: Int32Array, size: number): Int32Array => {
  if (size < array.length) return array;
  const out = new Int32Array(Math.max(16, 2 * array.length));
  out.set(array.subarray(0, size));
  return out;
};

/**
 * One parameter's above set (`aboveSet`: its column's values minus the below trials, in arrival order and,
 * when asked, in value order with arrival ranks) kept from decision to decision and followed as trials finish:
 * a trial folded into the column after every trial held, outside the below set, is appended (and inserted in the
 * value order), O(1) amortised plus one move of the value order, instead of the O(n) walks and copies of a
 * fresh set. It is built afresh (by `aboveSet`) when the below set differs from the one it was built
 * with, when a trial arrives with a number below one held (finished out of order, imported in a gap), when the
 * value order is asked for and not held or held and not asked for, and when a value is NaN (no order to keep);
 * a decision whose failed or running trials have the parameter (extras, merged by number) reads a fresh set and
 * leaves the kept one as it is. The set it gives is the one `aboveSet` gives, array for array
 * (kept-above-set.test.ts).
 *
 * @remarks The arrays given are views of the kept buffers: valid until the next {@link read} of this column,
 * which may move the value order in place. An estimator is built from them at once (its arrays are its own).
 */
export class KeptAboveSet {
  private folded = 0;
  private below: Int32Array | undefined;
  private ordered = false;
  private size = 0;
  private values: Float64Array = new Float64Array(0);
  private numbers: Int32Array = new Int32Array(0);
  private sortedValues: Float64Array = new Float64Array(0);
  private order: Int32Array = new Int32Array(0);
  private built = 0;

  /** A set that follows `column` (the history's column of the parameter it serves). */
  constructor(private readonly column: ParamColumn) {}

  /** How many times the set was built afresh (for tests). */
  get builds(): number {
    return this.built;
  }

  /** `aboveSet`(history, split, name, inValueOrder), kept and brought up to date. */
  read(history: TrialHistory, split: HistorySplit, name: string, inValueOrder: boolean): ObservationSet {
    if (history.columns.get(name) !== this.column || extrasHave(split, name))
      return aboveSet(history, split, name, inValueOrder);
    if (!this.follow(split, inValueOrder)) this.rebuild(history, split, name, inValueOrder);
    const size = this.size;
    const values = this.values.subarray(0, size);
    const numbers = this.numbers.subarray(0, size);
    return this.ordered
      ? {
          values,
          numbers,
          sorted: { values: this.sortedValues.subarray(0, size), order: this.order.subarray(0, size) },
        }
      : { values, numbers };
  }

  /** Folds in the column's new trials; false when the set must be built afresh instead. */
  private follow(split: HistorySplit, inValueOrder: boolean): boolean {
    if (this.below === undefined || inValueOrder !== this.ordered || !sameBelow(this.below, split.below)) return false;
    const { insertedNumbers, insertedValues } = this.column;
    const end = insertedNumbers.length;
    for (let i = this.folded; i < end; i++) {
      const number = insertedNumbers[i] as number;
      if (split.isBelow[number] === 1) continue;
      const value = insertedValues[i] as number;
      if ((this.size > 0 && number <= (this.numbers[this.size - 1] as number)) || Number.isNaN(value)) return false;
      this.append(number, value);
    }
    this.folded = end;
    return true;
  }

  /** Appends trial `number` (after every trial held) with `value`, and places it in the value order. */
  private append(number: number, value: number): void {
    const size = this.size;
    this.values = grownFloat(this.values, size);
    this.numbers = grownInt(this.numbers, size);
    this.values[size] = value;
    this.numbers[size] = number;
    if (this.ordered) {
      this.sortedValues = grownFloat(this.sortedValues, size);
      this.order = grownInt(this.order, size);
      // Value order, ties by number: after every held value not above it (all held numbers are smaller).
      const at = upperBound(this.sortedValues, size, value);
      this.sortedValues.copyWithin(at + 1, at, size);
      this.order.copyWithin(at + 1, at, size);
      this.sortedValues[at] = value;
      this.order[at] = size;
    }
    this.size = size + 1;
  }

  private rebuild(history: TrialHistory, split: HistorySplit, name: string, inValueOrder: boolean): void {
    const fresh = aboveSet(history, split, name, inValueOrder);
    this.built++;
    this.values = fresh.values;
    this.numbers = fresh.numbers;
    this.size = fresh.values.length;
    this.ordered = fresh.sorted !== undefined;
    this.sortedValues = fresh.sorted?.values ?? new Float64Array(0);
    this.order = fresh.sorted?.order ?? new Int32Array(0);
    this.folded = this.column.insertedNumbers.length;
    // A NaN value leaves no order to insert into: built afresh every time.
    this.below = fresh.values.some(Number.isNaN) ? undefined : Int32Array.from(split.below);
  }
}
