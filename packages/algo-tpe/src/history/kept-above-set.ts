import { grown } from '../estimator/backends/above-kde-cache.js';
import type { ObservationSet } from '../estimator/density.js';
import { lowerBound } from '../math/lower-bound.js';
import type { HistorySplit } from './history-split.js';
import { aboveSet, type Extra, extrasByValue, extrasWith, precedes } from './observations.js';
import type { ParamColumn } from './param-column.js';
import { pairBefore } from './sorted-pairs.js';
import type { TrialHistory } from './trial-history.js';

/**
 * The above set of finished trials `held` with the extras merged in, as `aboveSet` merges them: in arrival order
 * each extra before the first held trial of a larger number; in value order (when held) each before the first
 * held pair (value, number) it precedes, extras sorted by value then number; arrival ranks moved past the extras
 * before them. The held runs between extras are copied whole; O(n + m log n) for m extras, in new arrays.
 */
const withExtras = (held: ObservationSet, extras: readonly Extra[]): ObservationSet => {
  const n = held.values.length;
  const m = extras.length;
  const values = new Float64Array(n + m);
  const numbers = new Int32Array(n + m);
  // Held trial r moves to r + (the extras before it); extra e (by number) goes to its place plus e.
  const heldRank = new Int32Array(n);
  const extraRank = new Int32Array(m);
  let from = 0;
  for (let e = 0; e <= m; e++) {
    const to = e < m ? lowerBound(held.numbers, n, (extras[e] as Extra).number) : n;
    values.set(held.values.subarray(from, to), from + e);
    numbers.set(held.numbers.subarray(from, to), from + e);
    for (let r = from; r < to; r++) heldRank[r] = r + e;
    if (e < m) {
      values[to + e] = (extras[e] as Extra).value;
      numbers[to + e] = (extras[e] as Extra).number;
      extraRank[e] = to + e;
    }
    from = to;
  }
  if (held.sorted === undefined) return { values, numbers };
  const sorted = held.sorted;
  const byValue = extrasByValue(extras.map((extra, e) => ({ ...extra, rank: extraRank[e] as number })));
  const sortedValues = new Float64Array(n + m);
  const order = new Int32Array(n + m);
  from = 0;
  for (let e = 0; e <= m; e++) {
    const extra = byValue[e];
    // The first held pair the extra precedes (the held ones before it do not): where the extra goes.
    let to = n;
    if (extra !== undefined) {
      let lo = from;
      while (lo < to) {
        const mid = (lo + to) >>> 1;
        const arrival = sorted.order[mid] as number;
        if (precedes(extra, sorted.values[mid] as number, held.numbers[arrival] as number)) to = mid;
        else lo = mid + 1;
      }
    }
    sortedValues.set(sorted.values.subarray(from, to), from + e);
    for (let i = from; i < to; i++) order[i + e] = heldRank[sorted.order[i] as number] as number;
    if (extra !== undefined) {
      sortedValues[to + e] = extra.value;
      order[to + e] = extra.rank;
    }
    from = to;
  }
  return { values, numbers, sorted: { values: sortedValues, order } };
};

/** Whether the below set is `kept`, number for number. */
const sameBelow = (kept: Int32Array, below: readonly number[]): boolean => {
  if (kept.length !== below.length) return false;
  for (let i = 0; i < kept.length; i++) if (kept[i] !== below[i]) return false;
  return true;
};

/** Whether the ascending `numbers` hold `number`. */
const holds = (numbers: Int32Array, number: number): boolean => {
  const at = lowerBound(numbers, numbers.length, number);
  return at < numbers.length && numbers[at] === number;
};

/** Whether `below` is ascending and each of its numbers is marked in `isBelow`, as the split's documentation says. */
const consistentBelow = (split: HistorySplit): boolean => {
  const { below, isBelow } = split;
  for (let i = 0; i < below.length; i++) {
    const number = below[i] as number;
    if (isBelow[number] !== 1 || (i > 0 && (below[i - 1] as number) >= number)) return false;
  }
  return true;
};

/** How many times each set was built afresh, for tests ({@link timesBuilt}); weak, so it goes with the set. */
const builds = new WeakMap<KeptAboveSet, number>();

/** How many times `set` was built afresh (by `aboveSet`) rather than followed: for tests. */
export const timesBuilt = (set: KeptAboveSet): number => builds.get(set) ?? 0;

/**
 * One parameter's above set (`aboveSet`: its column's values minus the below trials, in arrival order and,
 * when asked, in value order with arrival ranks) kept from decision to decision and followed as trials finish,
 * instead of the O(n) walks, copies and merges of a fresh set.
 * A trial folded into the column outside the below set is placed in arrival and value order: appended when it
 * comes after every trial held (one move of the value order), else (finished out of order, or imported into a gap)
 * placed with the later trials' arrival ranks moved up (one pass).
 * A trial that leaves the below set is placed so too; one that enters it is taken out.
 * A NaN value is placed as the column places it (after every number, ties by trial number).
 * It is built afresh (by `aboveSet`) when the value order is asked for and not held or held and not asked for,
 * and when the split's `below` is not ascending or not marked in its `isBelow`.
 * What it keeps is the finished trials' part: the failed and running trials that join the above set (the extras,
 * new at every decision) are merged into a copy when some have the parameter.
 * The set it gives is the one `aboveSet` gives, array for array (kept-above-set.test.ts).
 *
 * @remarks Without extras, the arrays given are views of the kept buffers: valid until the next {@link read} of
 * this column, which may move the value order in place. An estimator is built from them at once (its arrays are
 * its own).
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

  /** A set that follows `column` (the history's column of the parameter it serves). */
  constructor(private readonly column: ParamColumn) {}

  /** `aboveSet`(history, split, name, inValueOrder), kept and brought up to date. */
  read(history: TrialHistory, split: HistorySplit, name: string, inValueOrder: boolean): ObservationSet {
    if (history.columns.get(name) !== this.column) return aboveSet(history, split, name, inValueOrder);
    // What is kept is the finished trials' part; the extras (few, and new at every decision) are merged in.
    const extras = extrasWith(split, name);
    if (!this.follow(split, inValueOrder))
      this.rebuild(history, extras.length === 0 ? split : { ...split, extras: [] }, name, inValueOrder);
    const size = this.size;
    const values = this.values.subarray(0, size);
    const numbers = this.numbers.subarray(0, size);
    const held: ObservationSet = this.ordered
      ? {
          values,
          numbers,
          sorted: { values: this.sortedValues.subarray(0, size), order: this.order.subarray(0, size) },
        }
      : { values, numbers };
    return extras.length === 0 ? held : withExtras(held, extras);
  }

  /**
   * Folds in the column's new trials, outside the below set the set was last read with, then moves the trials that
   * left the below set into the set and those that entered it out; false when the set must be built afresh.
   */
  private follow(split: HistorySplit, inValueOrder: boolean): boolean {
    const kept = this.below;
    if (kept === undefined || inValueOrder !== this.ordered || !consistentBelow(split)) return false;
    const { insertedNumbers, insertedValues } = this.column;
    const end = insertedNumbers.length;
    for (let i = this.folded; i < end; i++) {
      const number = insertedNumbers[i] as number;
      if (holds(kept, number)) continue;
      const value = insertedValues[i] as number;
      if (!this.insert(number, value)) return false;
    }
    this.folded = end;
    if (sameBelow(kept, split.below)) return true;
    // Both below sets by number: a trial in one only left it or entered it; only the column's trials move.
    const below = split.below;
    for (let i = 0, j = 0; i < kept.length || j < below.length; ) {
      const was = i < kept.length ? (kept[i] as number) : Number.POSITIVE_INFINITY;
      const is = j < below.length ? (below[j] as number) : Number.POSITIVE_INFINITY;
      if (was === is) {
        i++;
        j++;
        continue;
      }
      const number = Math.min(was, is);
      const value = this.column.valueOf(number);
      if (value !== undefined && !(was < is ? this.insert(number, value) : this.remove(number, value))) return false;
      if (was < is) i++;
      else j++;
    }
    this.below = Int32Array.from(below);
    return true;
  }

  /**
   * Places trial `number` with `value` in arrival order (after every held trial of a smaller number: a trial that
   * finished out of order, or was imported into a gap, moves the later ones' arrival ranks up by one) and in value
   * order (ties by number). False for a number held already (a history that is not this column's).
   */
  private insert(number: number, value: number): boolean {
    const size = this.size;
    const at = lowerBound(this.numbers, size, number);
    if (at < size && this.numbers[at] === number) return false;
    this.values = grown(this.values, size + 1);
    this.numbers = grown(this.numbers, size + 1);
    this.values.copyWithin(at + 1, at, size);
    this.numbers.copyWithin(at + 1, at, size);
    this.values[at] = value;
    this.numbers[at] = number;
    if (this.ordered) {
      this.sortedValues = grown(this.sortedValues, size + 1);
      this.order = grown(this.order, size + 1);
      const order = this.order;
      if (at < size) for (let i = 0; i < size; i++) if ((order[i] as number) >= at) order[i] = (order[i] as number) + 1;
      const place = this.valuePlace(value, number);
      this.sortedValues.copyWithin(place + 1, place, size);
      order.copyWithin(place + 1, place, size);
      this.sortedValues[place] = value;
      order[place] = at;
    }
    this.size = size + 1;
    return true;
  }

  /** Takes trial `number` (held, with `value`) out of both orders; false when it is not held. */
  private remove(number: number, value: number): boolean {
    const size = this.size;
    const at = lowerBound(this.numbers, size, number);
    if (at >= size || this.numbers[at] !== number) return false;
    if (this.ordered) {
      const order = this.order;
      const place = this.valuePlace(value, number);
      if (place >= size || order[place] !== at) return false;
      this.sortedValues.copyWithin(place, place + 1, size);
      order.copyWithin(place, place + 1, size);
      for (let i = 0; i < size - 1; i++) if ((order[i] as number) > at) order[i] = (order[i] as number) - 1;
    }
    this.values.copyWithin(at, at + 1, size);
    this.numbers.copyWithin(at, at + 1, size);
    this.size = size - 1;
    return true;
  }

  /**
   * The first place in the value order (the column's: NaN last) whose pair (value, number) is not before
   * (`value`, `number`).
   */
  private valuePlace(value: number, number: number): number {
    const { sortedValues, order, numbers } = this;
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pairBefore(sortedValues[mid] as number, numbers[order[mid] as number] as number, value, number)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private rebuild(history: TrialHistory, split: HistorySplit, name: string, inValueOrder: boolean): void {
    const fresh = aboveSet(history, split, name, inValueOrder);
    builds.set(this, timesBuilt(this) + 1);
    this.values = fresh.values;
    this.numbers = fresh.numbers;
    this.size = fresh.values.length;
    this.ordered = fresh.sorted !== undefined;
    this.sortedValues = fresh.sorted?.values ?? new Float64Array(0);
    this.order = fresh.sorted?.order ?? new Int32Array(0);
    this.folded = this.column.insertedNumbers.length;
    // A below set the next read cannot walk (not ascending, or not the split's `isBelow`): built afresh again.
    this.below = consistentBelow(split) ? Int32Array.from(split.below) : undefined;
  }
}
