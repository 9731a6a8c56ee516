import { fc, test } from '@fast-check/vitest';
import { compileSpace, type Trial } from '@parzen/engine/plugin';
import { describe, expect } from 'vitest';
import { splitHistory } from '../history/history-split.js';
import { TrialHistory } from '../history/trial-history.js';
import { resolveTpeSettings } from '../options.js';
import { jointAbove } from './joint-above.js';
import { jointDensity } from './joint-density.js';

const space = compileSpace({
  x: { type: 'uniform', low: -2, high: 2 },
  lr: { type: 'loguniform', low: 1e-4, high: 1 },
  y: { type: 'normal', mu: 0, sigma: 1 },
});

describe('jointAbove (g of multivariate TPE from the history columns)', () => {
  test.prop(
    [
      fc.array(
        fc.tuple(
          fc.double({ min: -2, max: 2, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: -4, max: 4, noNaN: true }),
        ),
        {
          minLength: 2,
          maxLength: 150,
        },
      ),
      fc.nat({ max: 3 }),
      fc.constantFrom(0, 25),
      fc.array(
        fc.tuple(
          fc.double({ min: -2, max: 2, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: -3, max: 3, noNaN: true }),
        ),
        { minLength: 1, maxLength: 6 },
      ),
    ],
    { numRuns: 40 },
  )('equals the directly built joint density', (rows, running, forgetting, points) => {
    const settings = resolveTpeSettings({ compat: 'parzen', multivariate: true, forgetting });
    const trials: Trial[] = rows.map(([x, u, y], number) => {
      const params = { x, lr: 10 ** (4 * u - 4), y };
      return number >= rows.length - running
        ? { study: 's', number, state: 'running', params, startedAt: '' }
        : { study: 's', number, state: 'complete', params, value: x * x + y * y, startedAt: '', finishedAt: '' };
    });
    const history = new TrialHistory();
    history.sync('s', 'minimize', trials);
    const split = splitHistory(history, settings);
    const fast = jointAbove(history, split, space.params, settings);
    expect(fast).toBeDefined();
    const above = trials.filter((t) => !split.below.includes(t.number));
    const values = space.params.map((p) => Float64Array.from(above, (t) => t.params[p.name] as number));
    const slow = jointDensity(
      space.params.map((p) => p.distribution),
      values,
      settings,
    );
    const xs = [
      Float64Array.from(points, (p) => p[0]),
      Float64Array.from(points, (p) => 10 ** (4 * p[1] - 4)),
      Float64Array.from(points, (p) => p[2]),
    ];
    const a = fast?.logPdf(xs) ?? new Float64Array();
    const b = slow.logPdf(xs);
    b.forEach((value, i) => {
      expect(Math.abs((a[i] as number) - value)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(value)));
    });
  });
});
