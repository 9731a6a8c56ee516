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

test('puts NaN keys and tags after every number, ties by tag, whether the pairs came one at a time or together', () => {
  // The total order: numbers ascending (−0 equal to +0), NaN after them and equal to NaN.
  const rank = (x: number): number => (Number.isNaN(x) ? 1 : 0);
  const byOrder = (a: [number, number], b: [number, number]): number =>
    rank(a[0]) - rank(b[0]) ||
    (Number.isNaN(a[0]) ? 0 : a[0] - b[0]) ||
    rank(a[1]) - rank(b[1]) ||
    (Number.isNaN(a[1]) ? 0 : a[1] - b[1]);
  const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(Number.NaN), fc.constant(-0));
  fc.assert(
    fc.property(
      fc.array(fc.tuple(value, value), { maxLength: 40 }),
      fc.array(fc.nat(6), { maxLength: 12 }),
      (pairs, cuts) => {
        const want = [...pairs].sort(byOrder);
        // Flushed after batches of the sizes `cuts` gives (1: one at a time), then all the rest together.
        const sorted = new SortedPairs();
        let at = 0;
        for (const cut of cuts) {
          for (const [key, tag] of pairs.slice(at, at + cut)) sorted.insert(key, tag);
          at += cut;
          expect(sorted.size).toBe(Math.min(at, pairs.length));
        }
        for (const [key, tag] of pairs.slice(at)) sorted.insert(key, tag);
        const size = sorted.size;
        const got = Array.from(sorted.keys.subarray(0, size), (key, i) => [key, sorted.tags[i] as number]);
        // Equal up to −0 and +0, which the order does not tell apart.
        expect(got.map(([k, t]) => [k === 0 ? 0 : k, t === 0 ? 0 : t])).toEqual(
          want.map(([k, t]) => [k === 0 ? 0 : k, t === 0 ? 0 : t]),
        );
      },
    ),
  );
});
