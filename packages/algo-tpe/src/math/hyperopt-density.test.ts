import { describe, expect, it } from 'vitest';
import { adaptiveParzenNormal } from './adaptive-parzen.js';
import { expectClose, vectors } from './fixtures/vectors.js';
import { gmmLogPdf, type HyperoptSupport, lgmmLogPdf } from './hyperopt-density.js';
import type { GaussianMixture } from './mixture.js';
import { argmax, scoreCandidates } from './score.js';

const LOG_100 = Math.log(100);

interface Case {
  readonly family: 'gmm' | 'lgmm';
  readonly prior: { mu: number; sigma: number };
  readonly support: HyperoptSupport;
  readonly transform: (x: number) => number;
}

const cases: Record<string, Case> = {
  uniform_n10: { family: 'gmm', prior: { mu: 0, sigma: 4 }, support: { low: -2, high: 2 }, transform: (x) => x },
  uniform_n30: { family: 'gmm', prior: { mu: 0, sigma: 4 }, support: { low: -2, high: 2 }, transform: (x) => x },
  quniform: { family: 'gmm', prior: { mu: 0, sigma: 4 }, support: { low: -2, high: 2, q: 0.5 }, transform: (x) => x },
  loguniform: {
    family: 'lgmm',
    prior: { mu: Math.log(1e-3) / 2, sigma: -Math.log(1e-3) },
    support: { low: Math.log(1e-3), high: 0 },
    transform: Math.log,
  },
  qloguniform: {
    family: 'lgmm',
    prior: { mu: LOG_100 / 2, sigma: LOG_100 },
    support: { low: 0, high: LOG_100, q: 1 },
    transform: (x) => Math.log(Math.max(x, 1)),
  },
  normal: { family: 'gmm', prior: { mu: 0, sigma: 1 }, support: {}, transform: (x) => x },
  qnormal: { family: 'gmm', prior: { mu: 0, sigma: 1 }, support: { q: 0.5 }, transform: (x) => x },
  lognormal: { family: 'lgmm', prior: { mu: 0, sigma: 1 }, support: {}, transform: Math.log },
};

const logPdf = (c: Case, mixture: GaussianMixture, xs: number[]) =>
  c.family === 'gmm' ? gmmLogPdf(mixture, xs, c.support) : lgmmLogPdf(mixture, xs, c.support);

describe('hyperopt log densities (GMM1_lpdf / LGMM1_lpdf)', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`reproduces log l, log g and the scores for ${name}`, () => {
      const data = vectors.hyperopt[name];
      const below = adaptiveParzenNormal(data.below.map(c.transform), { ...c.prior, weight: 1 });
      const above = adaptiveParzenNormal(data.above.map(c.transform), { ...c.prior, weight: 1 });
      const logL = logPdf(c, below, data.points);
      const logG = logPdf(c, above, data.points);
      expectClose(logL, data.log_l);
      expectClose(logG, data.log_g);
      expectClose(scoreCandidates(logL, logG), data.score, 1e-8);
    });
  }

  it("scores hyperopt's own 24 candidates and picks index 18, as tpe.suggest did", () => {
    const data = vectors.hyperopt_end_to_end_uniform;
    const c = cases.uniform_n10 as Case;
    const below = adaptiveParzenNormal([0.55], { ...c.prior, weight: 1 });
    const above = adaptiveParzenNormal(
      data.xs.filter((x: number) => x !== 0.55),
      { ...c.prior, weight: 1 },
    );
    const logL = gmmLogPdf(below, data.candidates, c.support);
    const logG = gmmLogPdf(above, data.candidates, c.support);
    expectClose(logL, data.log_l);
    expectClose(logG, data.log_g);
    const scores = scoreCandidates(logL, logG);
    expectClose(scores, data.score, 1e-8);
    expect(argmax(scores)).toBe(data.argmax_index);
    expect(data.candidates[argmax(scores)]).toBe(data.chosen);
  });

  it("scores the conditional space's candidates of a (only trials where a was active)", () => {
    const data = vectors.hyperopt_conditional_split;
    const prior = { mu: 0.5, sigma: 1, weight: 1 };
    const support = { low: 0, high: 1 };
    expectClose(
      gmmLogPdf(adaptiveParzenNormal(data.a_below, prior), data.candidates_a.samples, support),
      data.candidates_a.log_l,
    );
    expectClose(
      gmmLogPdf(adaptiveParzenNormal(data.a_above, prior), data.candidates_a.samples, support),
      data.candidates_a.log_g,
    );
  });
});
