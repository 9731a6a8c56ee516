import { createRng } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { expectClose, vectors } from '../math/fixtures/vectors.js';
import { resolveTpeSettings } from '../options.js';
import { jointDensity } from './joint-density.js';

const data = vectors.optuna_current.multivariate_2d_nbelow3;
const distributions = [
  { kind: 'uniform', low: -2, high: 2 },
  { kind: 'uniform', low: 0, high: 1 },
] as const;
const settings = resolveTpeSettings({ compat: 'optuna' });
const pick = (indices: number[]) => [
  Float64Array.from(indices, (i) => data.xs[i]),
  Float64Array.from(indices, (i) => data.ys[i]),
];
const points = [Float64Array.from(data.points.x), Float64Array.from(data.points.y)];

describe('jointDensity (multivariate TPE, Optuna 5.0 line)', () => {
  it('reproduces log l, log g and the scores of multivariate_2d_nbelow3', () => {
    const l = jointDensity(distributions, pick(data.below_idx), settings).logPdf(points);
    const g = jointDensity(distributions, pick(data.above_idx), settings).logPdf(points);
    expectClose(l, data.log_l, 1e-8);
    expectClose(g, data.log_g, 1e-8);
    expectClose(
      Array.from(l, (x, i) => x - (g[i] as number)),
      data.score,
      1e-8,
    );
  });

  it('draws joint candidates inside the bounds, one shared kernel per candidate', () => {
    const samples = jointDensity(distributions, pick(data.below_idx), settings).sample(createRng('joint'), 200);
    expect(samples).toHaveLength(2);
    for (const x of samples[0] ?? []) expect(Math.abs(x)).toBeLessThanOrEqual(2);
    for (const y of samples[1] ?? []) expect(y >= 0 && y <= 1).toBe(true);
  });

  it('mixes categorical dimensions in with their kernel rows', () => {
    const density = jointDensity(
      [{ kind: 'categorical', size: 3 }, distributions[0]],
      [Float64Array.of(1, 1), Float64Array.of(0.2, 0.4)],
      settings,
    );
    const [a, b] = density.logPdf([Float64Array.of(1, 0), Float64Array.of(0.3, 0.3)]);
    expect(a as number).toBeGreaterThan(b as number);
  });
});
