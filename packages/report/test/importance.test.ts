import { compileSpace, createRng, normalCdf } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { scottParzenPdf } from '../src/importance.js';
import { type ImportanceObservation, pedAnova } from '../src/index.js';

const sample = (
  n: number,
  seed: string,
  loss: (x: number, y: number, c: number) => number,
): ImportanceObservation[] => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const x = -5 + 10 * rng.next();
    const y = -5 + 10 * rng.next();
    const c = Math.floor(3 * rng.next());
    return { params: { x, y, c }, loss: loss(x, y, c) };
  });
};

const space = compileSpace({
  x: { type: 'uniform', low: -5, high: 5 },
  y: { type: 'uniform', low: -5, high: 5 },
  c: { type: 'choice', options: ['a', 'b', 'c'] },
});

const byName = (result: { name: string; importance: number }[]) =>
  Object.fromEntries(result.map((r) => [r.name, r.importance]));

describe('pedAnova', () => {
  it('gives x nearly all the importance when the loss depends on x only', () => {
    const result = byName(
      pedAnova(
        space,
        sample(400, 'x-only', (x) => x * x),
      ),
    );
    expect(result.x).toBeGreaterThan(0.8);
    expect(result.x).toBeGreaterThan(10 * (result.y as number));
    expect(result.x).toBeGreaterThan(10 * (result.c as number));
  });

  it('finds a categorical parameter that decides the loss', () => {
    const noise = createRng('c-noise'); // seeded, so the test does not depend on the run
    const result = byName(
      pedAnova(
        space,
        sample(400, 'c-only', (_x, _y, c) => (c === 1 ? 0 : 1) + 0.01 * noise.next()),
      ),
    );
    expect(result.c).toBeGreaterThan(0.8);
  });

  it('ranks a strong and a weak parameter in order, importances summing to 1', () => {
    const result = pedAnova(
      space,
      sample(400, 'both', (x, y) => x * x + 0.1 * y * y),
    );
    expect(result.map((r) => r.name).slice(0, 2)).toEqual(['x', 'y']);
    expect(result.reduce((sum, r) => sum + r.importance, 0)).toBeCloseTo(1, 10);
  });

  it('shares importance equally when there are too few trials', () => {
    const result = pedAnova(
      space,
      sample(2, 'few', (x) => x),
    );
    expect(result.map((r) => r.importance)).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('uses only trials where a conditional parameter was active', () => {
    const conditional = compileSpace({
      m: {
        type: 'choice',
        options: [
          { value: 'a', space: { u: { type: 'uniform', low: 0, high: 1 } } },
          { value: 'b', space: { v: { type: 'uniform', low: 0, high: 1 } } },
        ],
      },
    });
    const rng = createRng('cond');
    const observations = Array.from({ length: 300 }, () => {
      const m = rng.next() < 0.5 ? 0 : 1;
      const w = rng.next();
      return m === 0 ? { params: { m, u: w }, loss: (w - 0.2) ** 2 } : { params: { m, v: w }, loss: 1 + rng.next() };
    });
    const result = byName(pedAnova(conditional, observations));
    expect(Object.keys(result).sort()).toEqual(['m', 'u', 'v']);
    expect(result.v).toBe(0); // no good trial ever had v
    expect(result.u).toBeGreaterThan(0);
  });

  it('does not rank first a branch parameter the loss ignores, set in one good trial (trial 87)', () => {
    const models = compileSpace({
      lr: { type: 'loguniform', low: 1e-4, high: 1 },
      model: {
        type: 'choice',
        options: [
          {
            value: 'svm',
            space: {
              kernel: {
                type: 'choice',
                options: [
                  { value: 'rbf', space: { gamma: { type: 'uniform', low: 0, high: 1 } } },
                  { value: 'poly', space: { degree: { type: 'uniformint', low: 2, high: 5 } } },
                ],
              },
            },
          },
          { value: 'tree', space: { depth: { type: 'uniformint', low: 1, high: 10 } } },
          { value: 'mlp', space: { dropout: { type: 'uniform', low: 0, high: 0.5 } } },
        ],
      },
    });
    const rng = createRng('branch-noise');
    const observations: ImportanceObservation[] = [];
    let gammaInTop = 0;
    for (let i = 0; i < 60; i++) {
      const lr = 10 ** (-4 + 4 * rng.next());
      const model = Math.floor(3 * rng.next());
      const params: Record<string, number> = { lr, model };
      if (model === 0) {
        params.kernel = Math.floor(2 * rng.next());
        if (params.kernel === 0) params.gamma = rng.next();
        else params.degree = 2 + Math.floor(4 * rng.next());
      } else if (model === 1) params.depth = 1 + Math.floor(10 * rng.next());
      else params.dropout = 0.5 * rng.next();
      observations.push({ params, loss: (model === 2 ? 10 : 0) + Math.abs(Math.log10(lr) + 2) });
    }
    const losses = observations.map((o) => o.loss).sort((a, b) => a - b);
    const cutoff = losses[5] as number; // the best 10 % of 60
    for (const o of observations) if (o.loss <= cutoff && o.params.gamma !== undefined) gammaInTop++;
    expect(gammaInTop).toBe(1); // the case: one good trial sets gamma
    const result = pedAnova(models, observations);
    const ranked = result.map((r) => r.name);
    expect(ranked[0]).toBe('lr');
    expect(byName(result).gamma).toBe(0);
    expect(byName(result).dropout).toBe(0);
  });

  it("weights a branch parameter's divergence by the share of trials that set it", () => {
    const branchy = compileSpace({
      m: {
        type: 'choice',
        options: [
          { value: 'a', space: { u: { type: 'uniform', low: 0, high: 1 } } },
          { value: 'b', space: {} },
        ],
      },
      x: { type: 'uniform', low: 0, high: 1 },
    });
    const rng = createRng('share');
    // u and x shape the loss alike inside branch a, which a quarter of the trials take.
    const observations = Array.from({ length: 800 }, () => {
      const m = rng.next() < 0.25 ? 0 : 1;
      const [u, x] = [rng.next(), rng.next()];
      return m === 0
        ? { params: { m, u, x }, loss: (u - 0.3) ** 2 + (x - 0.3) ** 2 }
        : { params: { m, x }, loss: 0.2 + (x - 0.3) ** 2 };
    });
    const result = byName(pedAnova(branchy, observations));
    expect(result.u).toBeGreaterThan(0);
    expect(result.u).toBeLessThan(result.x as number);
  });
});

describe('scottParzenPdf', () => {
  it('is a distribution over the bins that peaks where the counts are', () => {
    const counts = new Float64Array(50);
    counts[10] = 20;
    counts[11] = 10;
    const pdf = scottParzenPdf(counts, 1);
    expect(pdf.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 10);
    const peak = pdf.indexOf(Math.max(...pdf));
    expect(peak).toBe(10);
    expect(pdf[40]).toBeGreaterThan(0); // the prior keeps every bin possible
  });

  it("is PED-ANOVA's mixture of discrete normals, each truncated to the bins (by TPE's estimator)", () => {
    // One occupied bin of 4 among 7, prior weight 1: Scott's bandwidth falls to its floor 0.5 / 1.64.
    const counts = new Float64Array(7);
    counts[2] = 4;
    const discrete = (mu: number, sigma: number) => {
      const cdf = (x: number) => normalCdf((x - mu) / sigma);
      const total = cdf(6.5) - cdf(-0.5);
      return Array.from({ length: 7 }, (_, i) => (cdf(i + 0.5) - cdf(i - 0.5)) / total);
    };
    const own = discrete(2, 0.5 / 1.64);
    const prior = discrete(3, 7);
    const expected = own.map((p, i) => (4 / 5) * p + (1 / 5) * (prior[i] as number));
    const pdf = scottParzenPdf(counts, 1);
    for (let i = 0; i < 7; i++) expect(pdf[i]).toBeCloseTo(expected[i] as number, 12);
  });
});

describe('pedAnova at scale', () => {
  it('takes 150,000 trials (bounds found by a loop: Math.min(...values) overflowed the stack)', () => {
    const result = byName(
      pedAnova(
        space,
        sample(150_000, 'large', (x) => x * x),
      ),
    );
    expect(result.x).toBeGreaterThan(0.5);
  });
});
