import type { Trial } from '@parzen/engine';
import { compileSpace, createRng } from '@parzen/engine/plugin';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { splitHistory } from '../history/history-split.js';
import { paramObservations } from '../history/observations.js';
import { TrialHistory } from '../history/trial-history.js';
import { resolveTpeSettings } from '../options.js';
import { buildParamModel, createModelCaches, paramModel } from './models.js';

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
                const draws = kept.sample(createRng(`draws ${size}`), 24);
                expect(draws).toEqual(built.sample(createRng(`draws ${size}`), 24));
                expect(kept.logPdf(draws, false)).toEqual(built.logPdf(draws, false));
                expect(kept.logPdf(draws, true)).toEqual(built.logPdf(draws, true));
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
