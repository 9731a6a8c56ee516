import { fc, test } from '@fast-check/vitest';
import type { Trial } from '@parzen/engine';
import { compileSpace } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { splitHistory } from '../../history/history-split.js';
import { paramObservations } from '../../history/observations.js';
import { TrialHistory } from '../../history/trial-history.js';
import { resolveTpeSettings } from '../../options.js';
import { buildParamModel, createModelCaches, hermiteAbove } from '../../suggest/models.js';

const space = compileSpace({
  x: { type: 'uniform', low: -2, high: 2 },
  lr: { type: 'loguniform', low: 1e-4, high: 1 },
});
const settings = resolveTpeSettings({ compat: 'parzen', forgetting: 0, constantLiar: 'worst' });

const trial = (number: number, x: number, lr: number, state: 'complete' | 'running' = 'complete'): Trial =>
  state === 'running'
    ? { study: 's', number, state, params: { x, lr }, startedAt: '' }
    : {
        study: 's',
        number,
        state,
        params: { x, lr },
        loss: (x - 0.3) ** 2 + Math.log10(lr) ** 2 / 10,
        startedAt: '',
        finishedAt: '',
      };

const compare = (trials: Trial[], points: number[]) => {
  const history = new TrialHistory();
  const caches = createModelCaches();
  history.sync('s', 'minimize', trials);
  const split = splitHistory(history, settings);
  for (const param of space.params) {
    const fast = hermiteAbove(history, split, param, settings, caches);
    expect(fast, 'the Hermite backend applies').toBeDefined();
    const observations = paramObservations(history, split, param.name);
    const slow = buildParamModel(param, observations.below, observations.above, settings).above;
    const xs = param.name === 'x' ? points : points.map((p) => 10 ** (2 * p - 4) * 0.999);
    const a = fast?.logPdf([xs], true) ?? new Float64Array();
    const b = slow.logPdf([xs], true);
    xs.forEach((_, i) => {
      expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThanOrEqual(
        1e-10 * Math.max(1, Math.abs(b[i] as number)),
      );
    });
  }
};

describe('Hermite above backend (incremental cache + corrections) equals the reference estimator', () => {
  test.prop(
    [
      fc.array(fc.tuple(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), {
        minLength: 130,
        maxLength: 400,
      }),
      fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 10 }),
      fc.nat({ max: 3 }),
    ],
    { numRuns: 30 },
  )('equals the directly built g(x) to 1e-10, with running trials in g', (rows, points, running) => {
    const trials = rows.map(([x, u], n) =>
      trial(n, x, 10 ** (4 * u - 4), n >= rows.length - running ? 'running' : 'complete'),
    );
    compare(
      trials,
      points.map((p) => (p + 2) / 4),
    );
  });

  it('follows a growing study and clustered data (many kernels wider than h)', () => {
    const trials: Trial[] = [];
    for (let n = 0; n < 600; n++) {
      const x = n % 3 === 0 ? -1.9 + (n % 7) * 1e-3 : 0.3 + Math.sin(n) * 0.05;
      trials.push(trial(n, x, 10 ** (-4 + (n % 40) / 10)));
      if (n > 120 && n % 97 === 0) compare(trials, [0, 0.1, 0.5, 0.575, 0.9, 1]);
    }
  });
});
