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
});
