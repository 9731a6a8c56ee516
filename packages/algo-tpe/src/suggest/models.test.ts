import type { Trial } from '@parzen/engine';
import { compileSpace, createRng } from '@parzen/engine/plugin';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Density } from '../estimator/density.js';
import { splitHistory } from '../history/history-split.js';
import { paramObservations } from '../history/observations.js';
import { TrialHistory } from '../history/trial-history.js';
import { resolveTpeSettings } from '../options.js';
import { buildParamModel, createModelCaches, groupModel, paramModel } from './models.js';

const space = compileSpace({
  x: { type: 'uniform', low: -2, high: 2 },
  lr: { type: 'loguniform', low: 1e-4, high: 1 },
});

/** Rows (x, u) as finished trials, lr = 10^(4u − 4), the last `running` of them still running. */
const studyOf = (rows: readonly (readonly [number, number])[], running: number): Trial[] =>
  rows.map(([x, u], number) => {
    const internal = { x, lr: 10 ** (4 * u - 4) };
    return number >= rows.length - running
      ? { study: 's', number, state: 'running', internal, startedAt: '' }
      : { study: 's', number, state: 'complete', internal, loss: x * x + u, startedAt: '', finishedAt: '' };
  });

const row = fc.tuple(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }));

/** A kept density and a built one draw the same candidates from one seed and give them the same densities. */
const expectSameDensity = (kept: Density, built: Density, seed: string): void => {
  const draws = kept.sample(createRng(seed), 24);
  expect(draws).toEqual(built.sample(createRng(seed), 24));
  expect(kept.logPdf(draws, false)).toEqual(built.logPdf(draws, false));
  expect(kept.logPdf(draws, true)).toEqual(built.logPdf(draws, true));
};

describe('kept l(x) (a parameter’s below density reused while its below observations are the same)', () => {
  test('equals the density built from the split’s below observations, draw for draw, as the study grows', () => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 12, maxLength: 120 }),
        fc.array(fc.nat({ max: 119 }), { maxLength: 5 }),
        fc.nat({ max: 2 }),
        fc.constantFrom('optuna', 'hyperopt', 'parzen'),
        (rows, cuts, running, profile) => {
          const settings = resolveTpeSettings({ profile, forgetting: profile === 'parzen' ? 0 : 25 });
          const history = new TrialHistory();
          const caches = createModelCaches();
          const trials = studyOf(rows, running);
          const sizes = [...cuts.map((c) => Math.min(c, rows.length)).sort((a, b) => a - b), rows.length];
          for (const size of sizes) {
            // Each size twice: the second decision finds the same below set (the kept density serves it).
            for (let again = 0; again < 2; again++) {
              history.sync('s', 'minimize', trials.slice(0, size));
              const split = splitHistory(history, settings);
              for (const param of space.params) {
                const kept = paramModel(history, split, param, settings, caches).below;
                const observations = paramObservations(history, split, param.name);
                const built = buildParamModel(param, observations.below, observations.above, settings).below;
                expectSameDensity(kept, built, `draws ${size}`);
              }
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  test('is rebuilt when the below set changes, and only then', () => {
    const settings = resolveTpeSettings({ profile: 'optuna' });
    const rows: [number, number][] = Array.from({ length: 40 }, (_, i) => [((i * 7) % 40) / 10 - 2, (i % 10) / 10]);
    const history = new TrialHistory();
    const caches = createModelCaches();
    const param = space.params[0] as (typeof space.params)[number];
    const belowOf = (size: number) => {
      history.sync('s', 'minimize', studyOf(rows.slice(0, size), 0));
      return paramModel(history, splitHistory(history, settings), param, settings, caches).below;
    };
    const first = belowOf(40);
    expect(belowOf(40)).toBe(first);
    // A new best trial enters the below set: another density.
    rows.push([0, 0]);
    const next = belowOf(41);
    expect(next).not.toBe(first);
    // A worse one leaves the below set as it was: the density is kept.
    rows.push([1.9, 0.9]);
    expect(belowOf(42)).toBe(next);
  });
});

test('the arrival layouts a categorical g(x) is built with are kept in its model caches, not shared with others', () => {
  const choice = compileSpace({ c: { type: 'choice', options: ['a', 'b', 'c'] } });
  const param = choice.params[0] as (typeof choice.params)[number];
  const settings = resolveTpeSettings({ profile: 'optuna' });
  const history = new TrialHistory();
  const trials: Trial[] = Array.from({ length: 30 }, (_, number) => ({
    study: 's',
    number,
    state: 'complete',
    internal: { c: number % 3 },
    loss: (number * 7) % 11,
    startedAt: '',
    finishedAt: '',
  }));
  history.sync('s', 'minimize', trials);
  const split = splitHistory(history, settings);
  const [mine, theirs] = [createModelCaches(), createModelCaches()];
  const above = (caches: typeof mine) => paramModel(history, split, param, settings, caches).above.estimator().weights;
  const first = above(mine);
  // g(x)'s and l(x)'s (30 and 3 observations).
  expect(mine.build.arrivalLayouts.map((layout) => layout.n).sort((a, b) => a - b)).toEqual([3, 27]);
  expect(theirs.build.arrivalLayouts.length).toBe(0);
  expect(above(mine)).toBe(first);
  expect(above(theirs)).not.toBe(first);
  expect(above(theirs)).toEqual(first);
});

// A joint block of a continuous, a log, an integer, a quantized parameter and a choice (l(x) turned in the
// principal axes of its continuous parameters under the `parzen` profile).
const block = compileSpace({
  x: { type: 'uniform', low: -2, high: 2 },
  lr: { type: 'loguniform', low: 1e-4, high: 1 },
  k: { type: 'uniformint', low: 1, high: 30 },
  q: { type: 'quniform', low: 0, high: 5, q: 0.5 },
  c: { type: 'choice', options: ['a', 'b', 'c'] },
});

/** Rows (x, u, k, q, c) as complete trials. */
const blockStudy = (rows: readonly (readonly [number, number, number, number, number])[]): Trial[] =>
  rows.map(([x, u, k, q, c], number) => ({
    study: 's',
    number,
    state: 'complete',
    internal: { x, lr: 10 ** (4 * u - 4), k, q, c },
    loss: x * x + u + Math.abs(k - 10) / 10 + q / 5 + c / 3,
    startedAt: '',
    finishedAt: '',
  }));

const blockRow = fc.tuple(
  fc.double({ min: -2, max: 2, noNaN: true }),
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.integer({ min: 1, max: 30 }),
  fc.integer({ min: 0, max: 10 }).map((i) => i / 2),
  fc.integer({ min: 0, max: 2 }),
);

describe('kept joint l(x) (a block’s below density reused while its below columns are the same)', () => {
  test('equals the density built for the decision, draw for draw, as the study grows and its settings change', () => {
    fc.assert(
      fc.property(
        fc.array(blockRow, { minLength: 12, maxLength: 90 }),
        fc.array(fc.nat({ max: 89 }), { maxLength: 4 }),
        fc.constantFrom('optuna5', 'parzen'),
        (rows, cuts, profile) => {
          // Two settings objects, as a study's exploring trials and the later ones have: l(x) of one is not the other's.
          const settings = [
            resolveTpeSettings({ profile }),
            resolveTpeSettings({ profile, belowBandwidth: 0.5, frame: profile === 'parzen' ? 'axes' : 'principal' }),
          ];
          const history = new TrialHistory();
          const caches = createModelCaches();
          const trials = blockStudy(rows);
          const sizes = [...cuts.map((c) => Math.min(c, rows.length)).sort((a, b) => a - b), rows.length];
          for (const size of sizes)
            for (const chosen of [0, 0, 1, 1, 0]) {
              const current = settings[chosen] as (typeof settings)[number];
              history.sync('s', 'minimize', trials.slice(0, size));
              const split = splitHistory(history, current);
              const kept = groupModel(history, split, block.params, current, caches).below;
              const built = groupModel(history, split, block.params, current).below;
              expectSameDensity(kept, built, `draws ${size} ${chosen}`);
            }
        },
      ),
      { numRuns: 40 },
    );
  });

  test('is rebuilt when the below columns or the settings change, and only then', () => {
    const settings = resolveTpeSettings({ profile: 'parzen' });
    const other = resolveTpeSettings({ profile: 'parzen', belowBandwidth: 0.5 });
    const rows: [number, number, number, number, number][] = Array.from({ length: 60 }, (_, i) => [
      ((i * 7) % 40) / 10 - 2,
      (i % 10) / 10,
      1 + (i % 30),
      (i % 11) / 2,
      i % 3,
    ]);
    const history = new TrialHistory();
    const caches = createModelCaches();
    const belowOf = (size: number, with_ = settings) => {
      history.sync('s', 'minimize', blockStudy(rows.slice(0, size)));
      return groupModel(history, splitHistory(history, with_), block.params, with_, caches).below;
    };
    const first = belowOf(60);
    expect(belowOf(60)).toBe(first);
    // Another settings object (the exploring trials'): another density; back to the first, one built for it.
    const explored = belowOf(60, other);
    expect(explored).not.toBe(first);
    expect(belowOf(60)).not.toBe(explored);
    const again = belowOf(60);
    // A new best trial enters the below set: another density.
    rows.push([0, 0, 10, 0, 0]);
    const next = belowOf(61);
    expect(next).not.toBe(again);
    // A worse one leaves the below set as it was: the density is kept.
    rows.push([1.9, 0.9, 30, 5, 2]);
    expect(belowOf(62)).toBe(next);
  });
});

// Integers, a quantized value and choices, one of them conditional: every one's g(x) is built per decision (from
// the kept above set) and its l(x) kept.
const discrete = compileSpace({
  k: { type: 'randint', low: 0, high: 6 },
  q: { type: 'quniform', low: 0, high: 5, q: 0.5 },
  n: { type: 'uniformint', low: 1, high: 30 },
  c: {
    type: 'choice',
    options: [{ value: 'a', space: { r: { type: 'randint', low: 0, high: 4 } } }, { value: 'b' }, { value: 'c' }],
  },
});

const states = ['complete', 'complete', 'complete', 'pruned', 'failed', 'running'] as const;

/** Rows as trials of `discrete` in a state each (a pruned trial reported one step); `r` only where `c` is 0. */
const discreteStudy = (rows: readonly (readonly [number, number, number, number, number, number])[]): Trial[] =>
  rows.map(([k, q, n, c, r, s], number) => {
    const internal: Record<string, number> = c === 0 ? { k, q, n, c, r } : { k, q, n, c };
    const loss = Math.abs(k - 2) + q / 5 + Math.abs(n - 10) / 10 + c / 3;
    const state = states[s] as (typeof states)[number];
    const base = { study: 's', number, internal, startedAt: '' };
    return state === 'running'
      ? { ...base, state }
      : state === 'failed'
        ? { ...base, state, error: { code: 'X', message: 'x' }, finishedAt: '' }
        : state === 'pruned'
          ? { ...base, state, loss, intermediate: [{ step: 0, value: loss }], finishedAt: '' }
          : { ...base, state, loss, finishedAt: '' };
  });

const discreteRow = fc.tuple(
  fc.integer({ min: 0, max: 5 }),
  fc.integer({ min: 0, max: 10 }).map((i) => i / 2),
  fc.integer({ min: 1, max: 30 }),
  fc.integer({ min: 0, max: 2 }),
  fc.integer({ min: 0, max: 3 }),
  fc.integer({ min: 0, max: states.length - 1 }),
);

describe('univariate g(x) from the kept above set (integers, quantized values, choices)', () => {
  test('g(x) and l(x) equal those built from the split’s observations, draw for draw, as the study grows and its settings change', () => {
    fc.assert(
      fc.property(
        fc.array(discreteRow, { minLength: 12, maxLength: 120 }),
        fc.array(fc.nat({ max: 119 }), { maxLength: 5 }),
        (rows, cuts) => {
          // The randint `k` is options under one and integers in a range (value order) under another.
          const settings = [
            resolveTpeSettings({ profile: 'optuna' }),
            resolveTpeSettings({ profile: 'optuna', randint: 'ordered', constantLiar: 'best' }),
            resolveTpeSettings({ profile: 'optuna', failed: 'worst', gamma: 0.3 }),
            resolveTpeSettings({ profile: 'hyperopt' }),
          ];
          const history = new TrialHistory();
          const caches = createModelCaches();
          const trials = discreteStudy(rows);
          const sizes = [...cuts.map((c) => Math.min(c, rows.length)).sort((a, b) => a - b), rows.length];
          for (const size of sizes)
            for (const chosen of [0, 0, 1, 0, 2, 3, 0]) {
              const current = settings[chosen] as (typeof settings)[number];
              const finished = trials.slice(0, size).filter((t) => t.state !== 'running');
              const running = trials.slice(0, size).filter((t) => t.state === 'running');
              history.sync('s', 'minimize', finished, running, current.pruned);
              const split = splitHistory(history, current);
              for (const param of discrete.params) {
                const kept = paramModel(history, split, param, current, caches);
                const observations = paramObservations(history, split, param.name);
                const built = buildParamModel(param, observations.below, observations.above, current);
                expectSameDensity(kept.above, built.above, `above ${size} ${chosen}`);
                expectSameDensity(kept.below, built.below, `below ${size} ${chosen}`);
              }
            }
        },
      ),
      { numRuns: 25 },
    );
  });
});
