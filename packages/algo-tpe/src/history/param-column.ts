import { SortedPairs } from './sorted-pairs.js';

/** A dense index holds at most this many slots (4 bytes each) per value it indexes, or 64 for a few values. */
const SLOTS_PER_VALUE = 16;
const slotBound = (count: number): number => Math.max(64, SLOTS_PER_VALUE * count);
/** The slots of a dense index up to trial number `largest`: 64, 128, 256, ... */
const slotsFor = (largest: number): number => {
  let length = 64;
  while (length <= largest) length *= 2;
  return length;
};
const NO_SLOTS = new Int32Array(0);

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
  /**
   * Dense: by trial number, 1 + the trial's index in `insertedValues`, or 0 when it has no value here
   * ({@link valueOf}); empty while the column is sparse.
   */
  private insertedAt: Int32Array = NO_SLOTS;
  /**
   * Sparse (a conditional parameter active in few trials): the same by trial number in a map, so memory
   * follows the values held, not the largest trial number; undefined while the column is dense.
   */
  private sparseAt: Map<number, number> | undefined;
  /** The largest trial number inserted. */
  private largest = -1;

  /**
   * Records that trial `number` had `value`. The index by number is dense (a typed array, O(1)) while it
   * takes at most 16 slots per value, its length a power of two: a column whose values fill less than
   * 1/16 to 1/8 of their trial numbers keeps them in a map. At each power of two a column switches at
   * most once each way, so switching costs O(1) per insert over time.
   */
  insert(number: number, value: number): void {
    this.byNumber.insert(number, value);
    this.byValue.insert(value, number);
    this.insertedNumbers.push(number);
    this.insertedValues.push(value);
    const count = this.insertedValues.length;
    if (number > this.largest) this.largest = number;
    if (number < this.insertedAt.length) {
      this.insertedAt[number] = count;
      return;
    }
    const length = slotsFor(this.largest);
    if (length > slotBound(count)) {
      if (this.sparseAt === undefined) this.sparseAt = this.insertedByNumber();
      else this.sparseAt.set(number, count);
      this.insertedAt = NO_SLOTS;
      return;
    }
    const slots = new Int32Array(length);
    if (this.sparseAt === undefined) slots.set(this.insertedAt);
    else for (const [inserted, at] of this.sparseAt) slots[inserted] = at;
    slots[number] = count;
    this.insertedAt = slots;
    this.sparseAt = undefined;
  }

  /** The value of trial `number`, or undefined when the parameter was not active in it. */
  valueOf(number: number): number | undefined {
    const at = number >= 0 && number < this.insertedAt.length ? (this.insertedAt[number] as number) : 0;
    if (at !== 0) return this.insertedValues[at - 1];
    // The map's look-up in a method of its own: inline here, it made the dense look-up twice as slow.
    return this.sparseAt === undefined ? undefined : this.sparseValueOf(number);
  }

  private sparseValueOf(number: number): number | undefined {
    const at = (this.sparseAt as Map<number, number>).get(number);
    return at === undefined ? undefined : this.insertedValues[at - 1];
  }

  /** Slots the index by trial number holds (a dense column's typed array; 0 while sparse): for tests. */
  get indexSlots(): number {
    return this.insertedAt.length;
  }

  /** Each inserted trial number's place (1 + its index in `insertedValues`; a number inserted twice: its latest). */
  private insertedByNumber(): Map<number, number> {
    const byNumber = new Map<number, number>();
    this.insertedNumbers.forEach((number, i) => {
      if (number >= 0) byNumber.set(number, i + 1);
    });
    return byNumber;
  }
}
