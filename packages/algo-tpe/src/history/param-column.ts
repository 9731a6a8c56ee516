import { SortedPairs } from './sorted-pairs.js';

/**
 * The values one parameter took in finished trials, kept twice: as (trial number, value) in arrival
 * order, for linear forgetting, and as (value, trial number) in value order, for the Parzen widths.
 * Finished trials never change, so a column only grows.
 */
export class ParamColumn {
  /** (trial number, value) pairs, by trial number: arrival order. */
  readonly byNumber = new SortedPairs();
  /** (value, trial number) pairs, by value (ties by trial number). */
  readonly byValue = new SortedPairs();
  /** Trial numbers and values in the order they were inserted, for caches that follow the column. */
  readonly insertedNumbers: number[] = [];
  /** The values in the order they were inserted, beside `insertedNumbers`. */
  readonly insertedValues: number[] = [];

  /** Records that trial `number` had `value`. */
  insert(number: number, value: number): void {
    this.byNumber.insert(number, value);
    this.byValue.insert(value, number);
    this.insertedNumbers.push(number);
    this.insertedValues.push(value);
  }

  /** The value of trial `number`, or undefined when the parameter was not active in it. */
  valueOf(number: number): number | undefined {
    const at = this.byNumber.lowerBound(number);
    const { size, keys, tags } = this.byNumber;
    return at < size && keys[at] === number ? tags[at] : undefined;
  }
}
