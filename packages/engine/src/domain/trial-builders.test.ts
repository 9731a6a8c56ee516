import { describe, expect, it } from 'vitest';
import type { IntermediateValue } from './trial.js';
import { addIntermediate, hasStep, stepIndex, withIntermediate } from './trial-builders.js';

const steps = (list: readonly IntermediateValue[]): number[] => list.map((point) => point.step);

describe('intermediate values in step order', () => {
  it('finds where a step is or would go', () => {
    const list = [0, 2, 5, 9].map((step) => ({ step, value: step / 10 }));
    expect([-1, 0, 1, 2, 3, 5, 6, 9, 10].map((step) => stepIndex(list, step))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4]);
    expect(stepIndex([], 3)).toBe(0);
    expect([0, 1, 5, 9, 10].map((step) => hasStep(list, step))).toEqual([true, false, true, true, false]);
    expect(hasStep(undefined, 0)).toBe(false);
  });

  it('adds in place: a later step at the end, an earlier one in its place, a repeated one not at all', () => {
    const list: IntermediateValue[] = [];
    expect(addIntermediate(list, 3, 0.3)).toBe(true);
    expect(addIntermediate(list, 7, 0.7)).toBe(true);
    expect(addIntermediate(list, 1, 0.1)).toBe(true);
    expect(addIntermediate(list, 5, 0.5)).toBe(true);
    expect(addIntermediate(list, 5, 9)).toBe(false);
    expect(addIntermediate(list, 1, 9)).toBe(false);
    expect(list).toEqual([
      { step: 1, value: 0.1 },
      { step: 3, value: 0.3 },
      { step: 5, value: 0.5 },
      { step: 7, value: 0.7 },
    ]);
    expect(list.every((point) => Object.isFrozen(point))).toBe(true);
  });

  it('keeps the order of any sequence of reports, the first value of each step', () => {
    // Seeded shuffle with repeats: the same as sorting the first report of each step.
    let state = 12345;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state;
    };
    const list: IntermediateValue[] = [];
    const first = new Map<number, number>();
    for (let i = 0; i < 500; i++) {
      const step = next() % 200;
      const value = next() / 2147483648;
      if (!first.has(step)) first.set(step, value);
      addIntermediate(list, step, value);
    }
    const expected = [...first].sort(([a], [b]) => a - b).map(([step, value]) => ({ step, value }));
    expect(list).toEqual(expected);
    // withIntermediate (a frozen copy each time) agrees report for report.
    let copied: readonly IntermediateValue[] = [];
    state = 12345;
    for (let i = 0; i < 500; i++) {
      const step = next() % 200;
      copied = withIntermediate(copied, step, next() / 2147483648);
    }
    expect(copied).toEqual(expected);
    expect(Object.isFrozen(copied)).toBe(true);
  });

  it('withIntermediate leaves its argument alone and returns it when the step is there', () => {
    const list = Object.freeze([{ step: 0, value: 1 }]);
    expect(withIntermediate(list, 0, 5)).toBe(list);
    const longer = withIntermediate(list, 4, 2);
    expect(steps(longer)).toEqual([0, 4]);
    expect(steps(list)).toEqual([0]);
  });
});
