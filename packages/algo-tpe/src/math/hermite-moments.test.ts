import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { fastExpNonPositive } from './fast-exp.js';
import { HERMITE_TERMS, HermiteMoments } from './hermite-moments.js';

const direct = (kernels: readonly [number, number][], h: number, x: number): number =>
  kernels.reduce((sum, [mu, c]) => sum + c * Math.exp(-((x - mu) ** 2) / (2 * h * h)), 0);

describe('HermiteMoments (fast Gauss transform)', () => {
  test('equals the direct sum to 1e-13 of the total mass', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true })), {
          minLength: 1,
          maxLength: 400,
        }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(0.01, 0.03, 0.2),
        (kernels, x, h) => {
          const moments = new HermiteMoments(0, 1, h);
          for (const [mu, c] of kernels) moments.add(mu, c);
          const mass = kernels.reduce((sum, [, c]) => sum + c, 0);
          expect(Math.abs(moments.evaluate(x) - direct(kernels, h, x))).toBeLessThanOrEqual(1e-13 * mass);
        },
      ),
    );
  });

  it('removes a kernel added before', () => {
    const moments = new HermiteMoments(-2, 2, 0.04);
    moments.add(0.3, 2);
    moments.add(0.31, 1);
    moments.add(0.3, -2);
    expect(moments.evaluate(0.32)).toBeCloseTo(Math.exp(-(0.01 ** 2) / (2 * 0.04 ** 2)), 14);
  });

  /** The sum one bin at a time, each pair of bins holding kernels added to the total in turn (the plain loop). */
  const pairwise = (moments: HermiteMoments, x: number): number => {
    const scale = 1 / (moments.h * Math.SQRT2);
    const reach = 7 / scale;
    const bin = (b: number): number => {
      const twoS = 2 * (x - (moments.low + (b + 0.5) * moments.width)) * scale;
      const m = moments.moments;
      const base = b * HERMITE_TERMS;
      let previous = 1;
      let current = twoS;
      let sum = (m[base] as number) + (m[base + 1] as number) * twoS;
      for (let n = 1; n < HERMITE_TERMS - 1; n++) {
        const next = twoS * current - 2 * n * previous;
        previous = current;
        current = next;
        sum += (m[base + n + 1] as number) * next;
      }
      return sum * fastExpNonPositive(-(0.5 * twoS) * (0.5 * twoS));
    };
    const held: number[] = [];
    for (let b = moments.binOf(x - reach); b <= moments.binOf(x + reach); b++)
      if (moments.counts[b] !== 0) held.push(b);
    let total = 0;
    for (let i = 0; i < held.length; i += 2)
      total += i + 1 < held.length ? bin(held[i] as number) + bin(held[i + 1] as number) : bin(held[i] as number);
    return total;
  };

  const kernelsArbitrary = fc.array(
    fc.tuple(fc.double({ min: -0.2, max: 1.2, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true })),
    { minLength: 1, maxLength: 200 },
  );

  test('evaluates the bins two pairs at a time to the same bits as one pair at a time', () => {
    fc.assert(
      fc.property(
        kernelsArbitrary,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(0.01, 0.03, 0.2),
        (kernels, xs, h) => {
          const moments = new HermiteMoments(0, 1, h);
          for (const [mu, c] of kernels) moments.add(mu, c);
          for (const x of xs) expect(moments.evaluate(x)).toBe(pairwise(moments, x));
        },
      ),
    );
  });

  test('a combination worked out bin by bin, when used, equals the one worked out at once, bit for bit', () => {
    const sumOf = (kernels: readonly [number, number][], h: number) => {
      const moments = new HermiteMoments(0, 1, h);
      for (const [mu, c] of kernels) moments.add(mu, c);
      return moments;
    };
    fc.assert(
      fc.property(
        fc.array(kernelsArbitrary, { minLength: 4, maxLength: 4 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })), {
          maxLength: 6,
        }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(0.01, 0.03, 0.2),
        fc.boolean(),
        (sources, corrections, xs, h, withFourth) => {
          const [first, second, third, fourth] = sources.map((kernels) => sumOf(kernels, h)) as HermiteMoments[];
          const a = 0.01;
          const b = 0.003;
          const eager = new HermiteMoments(0, 1, h);
          eager.moments.forEach((_, i) => {
            const base =
              a * (first?.moments[i] as number) + b * ((second?.moments[i] as number) - (third?.moments[i] as number));
            eager.moments[i] = withFourth ? base + (fourth?.moments[i] as number) : base;
          });
          eager.counts.forEach((_, i) => {
            eager.counts[i] = (first?.counts[i] as number) + (withFourth ? (fourth?.counts[i] as number) : 0);
          });
          const lazy = new HermiteMoments(0, 1, h);
          // A stale combination first: the second must not keep any of its bins.
          lazy.combine(2, third as HermiteMoments, 1, first as HermiteMoments, second as HermiteMoments);
          lazy.evaluate(xs[0] as number);
          lazy.combine(
            a,
            first as HermiteMoments,
            b,
            second as HermiteMoments,
            third as HermiteMoments,
            withFourth ? fourth : undefined,
          );
          for (const [mu, c] of corrections) {
            lazy.addFast(mu, c, 0);
            eager.addFast(mu, c, 0);
          }
          for (const x of xs) expect(lazy.evaluate(x)).toBe(eager.evaluate(x));
          lazy.settle();
          expect(lazy.moments).toEqual(eager.moments);
          expect(lazy.counts).toEqual(eager.counts);
        },
      ),
    );
  });
});
