import type { Trial } from '@parzen/engine';
import { compileSpace, type ParamNode } from '@parzen/engine/plugin';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { splitHistory } from '../../history/history-split.js';
import { paramObservations } from '../../history/observations.js';
import { TrialHistory } from '../../history/trial-history.js';
import { resolveTpeSettings } from '../../options.js';
import { buildParamModel, createModelCaches, groupModel, paramModel } from '../../suggest/models.js';

const space = compileSpace({
  x: { type: 'uniform', low: -2, high: 2 },
  lr: { type: 'loguniform', low: 1e-4, high: 1 },
  y: { type: 'normal', mu: 0, sigma: 1 },
});

/** The points as the space's internal columns (x, lr, y), as the densities take them. */
const columnsOf = (points: readonly (readonly [number, number, number])[]): Float64Array[] => [
  Float64Array.from(points, (p) => p[0]),
  Float64Array.from(points, (p) => 10 ** (4 * p[1] - 4)),
  Float64Array.from(points, (p) => Math.max(-3, Math.min(3, p[2]))),
];

/** The study sizes a property syncs the history at: the cuts in order (each at most `n`), then all `n` rows. */
const syncSizes = (cuts: readonly number[], n: number): number[] => [
  ...cuts.map((c) => Math.min(c, n)).sort((a, b) => a - b),
  n,
];

/** The cached backend's log densities equal the reference's within 1e-9 (relative above 1). */
const expectClose = (fast: Float64Array, reference: Float64Array): void =>
  reference.forEach((value, i) => {
    expect(Math.abs((fast[i] as number) - value)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(value)));
  });

/**
 * Each parameter's cached above density equals the one built from its observations, at the points `xs`
 * (`exact`: with the constants hyperopt's non-exact densities leave out on both paths).
 */
const expectParamsClose = (
  history: TrialHistory,
  settings: ReturnType<typeof resolveTpeSettings>,
  caches: ReturnType<typeof createModelCaches>,
  xs: readonly Float64Array[],
  exact: boolean,
): void => {
  const split = splitHistory(history, settings);
  space.params.forEach((param, j) => {
    const fast = paramModel(history, split, param, settings, caches).above;
    const observations = paramObservations(history, split, param.name);
    const slow = buildParamModel(param, observations.below, observations.above, settings).above;
    expectClose(fast.logPdf([xs[j] as Float64Array], exact), slow.logPdf([xs[j] as Float64Array], exact));
  });
};

const row = fc.tuple(
  fc.double({ min: -2, max: 2, noNaN: true }),
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.double({ min: -4, max: 4, noNaN: true }),
);

/** The rows as trials, the last `running` of them still running. */
const studyOf = (rows: readonly (readonly [number, number, number])[], running: number): Trial[] =>
  rows.map(([x, u, y], number) => {
    const internal = { x, lr: 10 ** (4 * u - 4), y };
    return number >= rows.length - running
      ? { study: 's', number, state: 'running', internal, startedAt: '' }
      : { study: 's', number, state: 'complete', internal, loss: x * x + y * y, startedAt: '', finishedAt: '' };
  });

describe('incremental joint above backend (multivariate g(x) updated per finished trial)', () => {
  test('equals the reference estimator built from scratch, as the study grows, with running trials in g', () => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 2, maxLength: 260 }),
        fc.array(fc.nat({ max: 259 }), { maxLength: 4 }),
        fc.nat({ max: 3 }),
        fc.constantFrom(0, 25),
        fc.constantFrom(0.5, 1),
        fc.constantFrom(0.5, 1, 3),
        fc.array(row, { minLength: 1, maxLength: 6 }),
        (rows, cuts, running, forgetting, gamma, priorWeight, points) => {
          const settings = resolveTpeSettings({ profile: 'parzen', grouping: 'joint', forgetting, gamma, priorWeight });
          const trials = studyOf(rows, running);
          const history = new TrialHistory();
          const caches = createModelCaches();
          const xs = columnsOf(points);
          // The cache follows the study through several syncs (trials arrive in batches).
          for (const cut of syncSizes(cuts, rows.length)) {
            history.sync('s', 'minimize', trials.slice(0, cut));
            const split = splitHistory(history, settings);
            const fast = groupModel(history, split, space.params, settings, caches).above;
            const slow = groupModel(history, split, space.params, settings).above;
            expectClose(fast.logPdf(xs, true), slow.logPdf(xs, true));
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('incremental univariate above backend (sorted sum over the cached sorted kernels)', () => {
  test('equals the reference estimator for both families, with linear forgetting and running trials', () => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 2, maxLength: 260 }),
        fc.array(fc.nat({ max: 259 }), { maxLength: 3 }),
        fc.nat({ max: 3 }),
        fc.constantFrom('optuna', 'hyperopt'),
        fc.constantFrom(0.5, 1, 3),
        fc.array(row, { minLength: 1, maxLength: 6 }),
        (rows, cuts, running, profile, priorWeight, points) => {
          const settings = resolveTpeSettings({ profile, priorWeight });
          const trials = studyOf(rows, running);
          const history = new TrialHistory();
          const caches = createModelCaches();
          const xs = columnsOf(points);
          for (const cut of syncSizes(cuts, rows.length)) {
            history.sync('s', 'minimize', trials.slice(0, cut));
            // hyperopt's non-exact densities leave out the same constant on both paths.
            expectParamsClose(history, settings, caches, xs, false);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

/** The rows as finished trials with 3-step learning curves, every third one pruned after 1 or 2 steps. */
const prunedStudyOf = (rows: readonly (readonly [number, number, number])[]): Trial[] =>
  rows.map(([x, u, y], number) => {
    const internal = { x, lr: 10 ** (4 * u - 4), y };
    const loss = x * x + y * y;
    const curve = [loss + 2 + u, loss + 1 + x / 4, loss].map((value, step) => ({ step, value }));
    const base = { study: 's', number, internal, startedAt: '', finishedAt: '' };
    return number % 3 === 2
      ? { ...base, state: 'pruned', intermediate: curve.slice(0, 1 + (number % 2)), loss: curve[number % 2]?.value }
      : { ...base, state: 'complete', intermediate: curve, loss };
  }) as Trial[];

describe('the incremental above backends with pruned trials in the below set', () => {
  test('equal the reference estimator, joint and one parameter at a time, under both pruned policies', () => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 6, maxLength: 200 }),
        fc.array(fc.nat({ max: 199 }), { maxLength: 3 }),
        fc.constantFrom('rank', 'impute'),
        fc.constantFrom('minimize', 'maximize'),
        fc.array(row, { minLength: 1, maxLength: 6 }),
        (rows, cuts, pruned, direction, points) => {
          const trials = prunedStudyOf(rows);
          const xs = columnsOf(points);
          for (const grouping of ['joint', 'independent'] as const) {
            const settings = resolveTpeSettings({ grouping, pruned, gamma: 0.5 });
            const history = new TrialHistory();
            const caches = createModelCaches();
            for (const cut of syncSizes(cuts, rows.length)) {
              history.sync('s', direction, trials.slice(0, cut), [], pruned);
              if (grouping === 'independent') {
                expectParamsClose(history, settings, caches, xs, true);
                continue;
              }
              const split = splitHistory(history, settings);
              const fast = groupModel(history, split, space.params, settings, caches).above;
              expectClose(
                fast.logPdf(xs, true),
                groupModel(history, split, space.params, settings).above.logPdf(xs, true),
              );
            }
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

/** A space with every kind the joint backend follows: continuous, integer, quantized, choices. */
const mixedSpace = compileSpace({
  x: { type: 'uniform', low: -2, high: 2 },
  n: { type: 'randint', low: 0, high: 12 },
  q: { type: 'quniform', low: 0, high: 5, q: 0.5 },
  k: { type: 'uniformint', low: 1, high: 40 },
  c: { type: 'choice', options: ['a', 'b', 'c'] },
  p: {
    type: 'pchoice',
    options: [
      { p: 0.2, value: 'u' },
      { p: 0.5, value: 'v' },
      { p: 0.3, value: 'w' },
    ],
  },
});

/** Unit draws → one internal row of the mixed space (integers, grid values and option indices). */
const mixedRow = fc.tuple(
  fc.double({ min: -2, max: 2, noNaN: true }),
  fc.nat({ max: 11 }),
  fc.nat({ max: 10 }),
  fc.integer({ min: 1, max: 40 }),
  fc.nat({ max: 2 }),
  fc.nat({ max: 2 }),
);
type MixedRow = [number, number, number, number, number, number];
const mixedInternal = ([x, n, q, k, c, p]: MixedRow) => ({ x, n, q: q / 2, k, c, p });

/** The groups the property decides: all kinds, two binned (the index on bins), one numeric, choices only. */
const mixedGroups = [
  ['x', 'n', 'q', 'k', 'c', 'p'],
  ['q', 'k'],
  ['k', 'c'],
  ['c', 'p', 'n'],
  ['n', 'x'],
].map((names) => names.map((name) => mixedSpace.params.find((param) => param.name === name) as ParamNode));

/** Within 1e-10 (relative above 1); −∞ where the reference is. */
const expectExact = (fast: Float64Array, reference: Float64Array): void =>
  reference.forEach((value, i) => {
    if (!Number.isFinite(value)) expect(fast[i]).toBe(value);
    else expect(Math.abs((fast[i] as number) - value)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(value)));
  });

describe('incremental joint above backend with integers, quantized values and choices', () => {
  test('equals the reference estimator as the study grows, with running trials in g', () => {
    fc.assert(
      fc.property(
        // Lengths up to the maximum (fast-check's default keeps arrays short): the clip narrows with n.
        fc.array(mixedRow, { minLength: 2, maxLength: 220, size: 'max' }),
        fc.array(fc.nat({ max: 219 }), { maxLength: 4 }),
        fc.nat({ max: 3 }),
        fc.constantFrom(0, 25),
        fc.constantFrom(0.2, 0.5),
        fc.constantFrom(0.5, 1, 3),
        fc.constantFrom('ordered', 'unordered'),
        fc.boolean(),
        fc.array(mixedRow, { minLength: 1, maxLength: 16 }),
        (rows, cuts, running, forgetting, gamma, priorWeight, randint, concentrated, points) => {
          const settings = resolveTpeSettings({
            profile: 'parzen',
            grouping: 'joint',
            forgetting,
            gamma,
            priorWeight,
            randint,
          });
          const trials: Trial[] = rows.map((r, number) => {
            // Concentrated: the trials share their integers and grid value, so those kernels are as narrow as
            // the clip allows and a bin's distance to them decides what the index may skip.
            const internal = mixedInternal(concentrated ? [r[0], 6, 5, 20, r[4], r[5]] : (r as MixedRow));
            const loss = (internal.x - 0.5) ** 2 + (internal.n - 4) ** 2 / 10 + internal.c;
            return number >= rows.length - running
              ? { study: 's', number, state: 'running', internal, startedAt: '' }
              : { study: 's', number, state: 'complete', internal, loss, startedAt: '', finishedAt: '' };
          });
          const history = new TrialHistory();
          const caches = createModelCaches();
          // Concentrated studies get candidates in and next to the shared bins (a narrow kernel's mass on its neighbour bin).
          const candidates = points.map((r) =>
            mixedInternal(
              concentrated ? [r[0], 5 + (r[1] % 3), 4 + (r[2] % 3), 19 + (r[3] % 3), r[4], r[5]] : (r as MixedRow),
            ),
          );
          for (const cut of syncSizes(cuts, rows.length)) {
            history.sync('s', 'minimize', trials.slice(0, cut));
            const split = splitHistory(history, settings);
            for (const group of mixedGroups) {
              const xs = group.map((param) =>
                Float64Array.from(candidates, (c) => c[param.name as keyof typeof c] as number),
              );
              const fast = groupModel(history, split, group, settings, caches).above;
              const slow = groupModel(history, split, group, settings).above;
              expectExact(fast.logPdf(xs, true), slow.logPdf(xs, true));
            }
          }
        },
      ),
      // No shrinking: studies of a few hundred trials shrink for minutes; the failing study is reported as drawn.
      { numRuns: 30, endOnFailure: true },
    );
  });
});

describe('incremental joint above backend, many trials at once (a resumed study)', () => {
  // Values on a coarse grid, so that kernels tie, and two learning rates one unit in the last place apart
  // whose logarithms are equal: the larger trial number has the smaller rate, so the column's order by value
  // is not the order by (model value, trial number).
  const rates = [0.1, 0.1 + 1.3877787807814457e-17, 1e-3, 0.3];
  const trials: Trial[] = Array.from({ length: 300 }, (_, number) => {
    const internal = {
      x: -2 + ((number * 7) % 9) * 0.5,
      lr: rates[(300 - number) % rates.length] as number,
      y: ((number * 5) % 11) / 4 - 1.25,
    };
    return {
      study: 's',
      number,
      state: 'complete',
      internal,
      loss: (number * 37) % 101,
      startedAt: '',
      finishedAt: '',
    };
  });
  const settings = resolveTpeSettings({ profile: 'parzen', grouping: 'joint' });
  const xs = columnsOf(Array.from({ length: 40 }, (_, i) => [-2 + i / 10, (i % 9) / 8, (i % 7) / 2 - 1.5] as const));
  /** g(x) at `xs` after syncing the study at each of `sizes` with one cache. */
  const aboveAfter = (sizes: readonly number[]): Float64Array => {
    const history = new TrialHistory();
    const caches = createModelCaches();
    let split = splitHistory(history, settings);
    for (const size of sizes) {
      history.sync('s', 'minimize', trials.slice(0, size));
      split = splitHistory(history, settings);
      groupModel(history, split, space.params, settings, caches);
    }
    return groupModel(history, split, space.params, settings, caches).above.logPdf(xs, true);
  };

  test('gives the same g(x), to the last bit, as folding the trials in one at a time', () => {
    const oneByOne = aboveAfter(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(aboveAfter([300])).toEqual(oneByOne);
    // A cache that already holds some trials takes the rest at once too.
    expect(aboveAfter([30, 300])).toEqual(oneByOne);
    const history = new TrialHistory();
    history.sync('s', 'minimize', trials);
    const split = splitHistory(history, settings);
    expectClose(oneByOne, groupModel(history, split, space.params, settings).above.logPdf(xs, true));
  });
});
