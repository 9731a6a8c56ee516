import { describe, expect, it } from 'vitest';
import { vectors } from './fixtures/vectors.js';
import { hyperoptBelowCount, type OptunaSplitEntry, optunaBelowCount, splitByLoss, splitOptuna } from './split.js';

describe('below-set sizes', () => {
  for (const [n, expected] of Object.entries<number>(vectors.hyperopt.n_below)) {
    it(`hyperopt: n = ${n} gives ${expected}`, () => expect(hyperoptBelowCount(Number(n))).toBe(expected));
  }
  for (const [n, expected] of Object.entries<number>(vectors.optuna_current.default_gamma)) {
    it(`Optuna: n = ${n} gives ${expected}`, () => expect(optunaBelowCount(Number(n))).toBe(expected));
  }
  for (const [n, expected] of Object.entries<number>(vectors.optuna_current.hyperopt_default_gamma)) {
    it(`Optuna's hyperopt_default_gamma: n = ${n} gives ${expected}`, () =>
      expect(hyperoptBelowCount(Number(n))).toBe(expected));
  }
});

describe('splitByLoss', () => {
  it('splits the shared 10-point set like hyperopt (one below: 0.55)', () => {
    const data = vectors.hyperopt.uniform_n10;
    const entries = data.losses.map((loss: number, number: number) => ({ number, loss }));
    const split = splitByLoss(entries, data.n_below);
    expect(split.below.map((n) => data.xs[n])).toEqual(data.below);
    expect(split.above.map((n) => data.xs[n])).toEqual(data.above);
  });

  it('splits the 30-point set into two below', () => {
    const data = vectors.hyperopt.uniform_n30;
    const split = splitByLoss(
      data.losses.map((loss: number, number: number) => ({ number, loss })),
      data.n_below,
    );
    expect(split.below.map((n) => data.xs[n])).toEqual(data.below);
    expect(split.above.map((n) => data.xs[n])).toEqual(data.above);
  });

  it('ranks all 17 conditional trials as hyperopt does and keeps a only where it was active', () => {
    const data = vectors.hyperopt_conditional_split;
    const entries = data.losses.map((loss: number, number: number) => ({ number, loss }));
    const ranked = [...entries].sort((a, b) => a.loss - b.loss || a.number - b.number).map((e) => e.number);
    expect(ranked).toEqual(data.loss_order_tids);
    const split = splitByLoss(entries, hyperoptBelowCount(data.n));
    const a = (numbers: number[]) => numbers.map((n) => data.points[n].a).filter((v: unknown) => v !== undefined);
    expect(a(split.below)).toEqual(data.a_below);
    expect(a(split.above)).toEqual(data.a_above);
    expect(split.below.map((n) => data.points[n].c)).toEqual(data.c_below);
    expect(split.above.map((n) => data.points[n].c)).toEqual(data.c_above);
  });

  it('puts +∞ (pending, failed) and then NaN losses last, ties by trial number', () => {
    const split = splitByLoss(
      [
        { number: 0, loss: Number.NaN },
        { number: 1, loss: Number.POSITIVE_INFINITY },
        { number: 2, loss: 3 },
        { number: 3, loss: Number.POSITIVE_INFINITY },
      ],
      3,
    );
    expect(split).toEqual({ below: [1, 2, 3], above: [0] });
  });
});

describe('splitOptuna', () => {
  const data = vectors.optuna_split_current_and_3_1_identical;
  const entries: OptunaSplitEntry[] = data.trials
    .filter((t: { state: string }) => t.state !== 'FAIL')
    .map((t: { number: number; state: string; value: number | null; intermediate: Record<string, number | null> }) => {
      const steps = Object.keys(t.intermediate).map(Number);
      const lastStep = steps.length === 0 ? undefined : Math.max(...steps);
      const state = t.state.toLowerCase() as OptunaSplitEntry['state'];
      return {
        number: t.number,
        state,
        ...(t.value === null ? {} : { loss: t.value }),
        ...(lastStep === undefined ? {} : { lastStep, lastLoss: t.intermediate[String(lastStep)] ?? Number.NaN }),
      };
    });
  for (const nBelow of [2, 4, 6, 8]) {
    it(`matches Optuna for n_below = ${nBelow}`, () => {
      expect(splitOptuna(entries, nBelow)).toEqual(data[`n_below=${nBelow}`]);
    });
  }
});
