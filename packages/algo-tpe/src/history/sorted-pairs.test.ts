import fc from 'fast-check';
import { expect, test } from 'vitest';
import { SortedPairs } from './sorted-pairs.js';

test('keeps (key, tag) pairs sorted whether inserted one by one or in batches, in order or not', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(fc.array(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.nat(100)), { maxLength: 30 }), fc.boolean()),
        { maxLength: 8 },
      ),
      (batches) => {
        const pairs = new SortedPairs();
        const all: [number, number][] = [];
        // A batch queued in order (as trial numbers arrive) is merged without a sort.
        for (const [batch, inOrder] of batches) {
          if (inOrder) batch.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          for (const [key, tag] of batch) pairs.insert(key, tag);
          all.push(...batch);
          all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          const size = pairs.size;
          expect(size).toBe(all.length);
          expect(Array.from(pairs.keys.subarray(0, size))).toEqual(all.map((p) => p[0]));
          expect(Array.from(pairs.tags.subarray(0, size))).toEqual(all.map((p) => p[1]));
          if (size > 0) expect(pairs.lowerBound(all[0]?.[0] as number)).toBe(0);
        }
      },
    ),
  );
});
