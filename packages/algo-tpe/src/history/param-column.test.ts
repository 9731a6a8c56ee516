import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ParamColumn } from './param-column.js';

describe('ParamColumn', () => {
  test('valueOf gives each inserted trial its value and undefined elsewhere, whatever the insertion order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat({ max: 300 }), { maxLength: 120 }),
        fc.array(fc.double({ noNaN: true }), { minLength: 120, maxLength: 120 }),
        (numbers, values) => {
          const column = new ParamColumn();
          numbers.forEach((number, i) => {
            column.insert(number, values[i] as number);
          });
          const byNumber = new Map(numbers.map((number, i) => [number, values[i] as number]));
          for (let number = -1; number <= 310; number++) expect(column.valueOf(number)).toBe(byNumber.get(number));
          // The sorted pairs agree.
          const { size, keys, tags } = column.byNumber;
          for (let i = 0; i < size; i++) expect(column.valueOf(keys[i] as number)).toBe(tags[i]);
        },
      ),
    );
  });

  test('valueOf stays right while a column turns sparse (numbers far apart) and dense again', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat({ max: 200 }), fc.nat({ max: 200_000 })), { maxLength: 300 }), (numbers) => {
        const column = new ParamColumn();
        const byNumber = new Map<number, number>();
        numbers.forEach((number, i) => {
          column.insert(number, i + 0.5);
          byNumber.set(number, i + 0.5);
          // Memory follows the values held: a dense index has at most 16 slots per value (64 at first).
          expect(column.indexSlots).toBeLessThanOrEqual(Math.max(64, 16 * (i + 1)));
        });
        for (const [number, value] of byNumber) expect(column.valueOf(number)).toBe(value);
        for (let number = -1; number <= 210; number++) expect(column.valueOf(number)).toBe(byNumber.get(number));
      }),
    );
  });

  test("a sparse column's memory follows its values, not its largest trial number", () => {
    // 1,000 parameters each active in a few of 100,000 trials took 400 MB: an index by trial number each.
    const before = process.memoryUsage().arrayBuffers;
    const columns = Array.from({ length: 20 }, () => new ParamColumn());
    for (const column of columns) for (let k = 1; k <= 10; k++) column.insert(k * 100_000, k);
    const grown = process.memoryUsage().arrayBuffers - before;
    // An index of a million slots each would be 80 MB; the values themselves take a few kB.
    expect(grown).toBeLessThan(2_000_000);
    for (const column of columns) {
      expect(column.indexSlots).toBe(0);
      expect(column.valueOf(300_000)).toBe(3);
      expect(column.valueOf(300_001)).toBeUndefined();
    }
    // Dense once its values fill a sixteenth to an eighth of their numbers: the O(1) index by number.
    const dense = new ParamColumn();
    for (let number = 0; number < 1000; number += 4) dense.insert(number, number / 2);
    expect(dense.indexSlots).toBeGreaterThanOrEqual(997);
    expect(dense.valueOf(996)).toBe(498);
    expect(dense.valueOf(997)).toBeUndefined();
  });
});
