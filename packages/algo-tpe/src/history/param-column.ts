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
  /** By trial number: 1 + the trial's index in `insertedValues`, or 0 when it has no value here ({@link valueOf}). */
  private insertedAt = new Int32Array(64);

  /** Records that trial `number` had `value`. */
  insert(number: number, value: number): void {
    this.byNumber.insert(number, value);
    this.byValue.insert(value, number);
    this.insertedNumbers.push(number);
    this.insertedValues.push(value);
    if (number >= this.insertedAt.length) {
      const grown = new Int32Array(Math.max(number + 1, 2 * this.insertedAt.length));
      grown.set(this.insertedAt);
      this.insertedAt = grown;
    }
    this.insertedAt[number] = this.insertedValues.length;
  }

  /** The value of trial `number`, or undefined when the parameter was not active in it. */
  valueOf(number: number): number | undefined {
    const at = number >= 0 && number < this.insertedAt.length ? (this.insertedAt[number] as number) : 0;
    return at === 0 ? undefined : this.insertedValues[at - 1];
  }
}
