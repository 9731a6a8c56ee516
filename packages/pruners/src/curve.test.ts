import { addIntermediate, type IntermediateValue, type RunningTrial } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { isFirstInIntervalStep, PrefixBests, stepBefore } from './curve.js';

const running = (intermediate: readonly IntermediateValue[]): RunningTrial => ({
  study: 's',
  number: 0,
  state: 'running',
  internal: {},
  startedAt: '',
  intermediate,
});

/** A seeded sequence of report steps, mostly increasing, with repeats and steps reported late. */
const steps = (count: number, seed: number): number[] => {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  let step = 0;
  return Array.from({ length: count }, () => {
    const u = next();
    if (u < 0.1) return Math.floor(next() * (step + 1)); // late or repeated
    step += 1 + Math.floor(next() * 3);
    return step;
  });
};

describe('curve helpers on a curve that grows in place (a trial reporting every batch)', () => {
  it('stepBefore and isFirstInIntervalStep agree with a scan of the whole curve', () => {
    for (const seed of [1, 2, 3]) {
      const list: IntermediateValue[] = [];
      for (const step of steps(400, seed)) {
        addIntermediate(list, step, step / 10);
        const trial = running(list);
        for (const at of [step, step + 1, list[0]?.step ?? 0]) {
          const below = list.filter((p) => p.step < at).at(-1)?.step ?? -1;
          let other = -1;
          for (const p of list) if (p.step !== at && p.step > other) other = p.step;
          expect(stepBefore(trial, at)).toBe(below);
          expect(stepBefore(trial, at, true)).toBe(other);
          for (const [warmup, interval] of [
            [0, 1],
            [3, 4],
          ] as const) {
            const check = Math.floor((at - warmup) / interval) * interval + warmup;
            expect(isFirstInIntervalStep(at, trial, warmup, interval)).toBe(other < check);
          }
        }
      }
    }
  });

  it('PrefixBests keeps the best of a growing prefix, and sums again when a step was inserted earlier', () => {
    const bests = new PrefixBests();
    const list: IntermediateValue[] = [];
    let state = 7;
    for (const step of steps(600, 9)) {
      state = (state * 48271) % 2147483647;
      addIntermediate(list, step, state / 2147483647);
      const trial = running(list);
      for (const direction of ['minimize', 'maximize'] as const) {
        const end = Math.max(0, list.length - (step % 3));
        const values = list.slice(0, end).map((p) => p.value);
        const expected =
          direction === 'minimize' ? Math.min(Number.POSITIVE_INFINITY, ...values) : Math.max(-Infinity, ...values);
        expect(bests.best(trial, end, direction)).toBe(expected);
      }
    }
    // Another list with the same steps and other values is its own curve.
    const other = list.map((p) => ({ step: p.step, value: p.value + 1 }));
    expect(bests.best(running(other), other.length, 'minimize')).toBe(Math.min(...other.map((p) => p.value)));
  });
});
