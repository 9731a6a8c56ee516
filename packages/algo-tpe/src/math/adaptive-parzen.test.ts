import { describe, expect, it } from 'vitest';
import { adaptiveParzenNormal } from './adaptive-parzen.js';
import { expectClose, vectors } from './fixtures/vectors.js';

const hyperopt = vectors.hyperopt;

describe('adaptiveParzenNormal', () => {
  const edgeCases = hyperopt['adaptive_parzen_normal_edge_cases(prior_mu=0,prior_sigma=4,prior_weight=1)'];
  for (const [key, model] of Object.entries<{ weights: number[]; mus: number[]; sigmas: number[] }>(edgeCases)) {
    it(`matches hyperopt on the edge case ${key}`, () => {
      const mixture = adaptiveParzenNormal(JSON.parse(key), { mu: 0, sigma: 4, weight: 1 });
      expectClose(mixture.weights, model.weights);
      expectClose(mixture.mus, model.mus);
      expectClose(mixture.sigmas, model.sigmas);
    });
  }

  it('puts the prior left of observations equal to its mean, but right of a single one', () => {
    expect(Array.from(adaptiveParzenNormal([0, 0], { mu: 0, sigma: 4, weight: 1 }).sources)).toEqual([-1, 0, 1]);
    expect(Array.from(adaptiveParzenNormal([0], { mu: 0, sigma: 4, weight: 1 }).sources)).toEqual([0, -1]);
  });

  const cases: [string, (obs: number[]) => number[]][] = [
    ['uniform_n10', (obs) => obs],
    ['uniform_n30', (obs) => obs],
    ['quniform', (obs) => obs],
    ['normal', (obs) => obs],
    ['qnormal', (obs) => obs],
    ['loguniform', (obs) => obs.map(Math.log)],
    ['lognormal', (obs) => obs.map(Math.log)],
    ['qloguniform', (obs) => obs.map((x) => Math.log(Math.max(x, 1)))],
  ];
  const priors: Record<string, { mu: number; sigma: number }> = {
    quniform: { mu: 0, sigma: 4 },
    normal: { mu: 0, sigma: 1 },
    qnormal: { mu: 0, sigma: 1 },
    lognormal: { mu: 0, sigma: 1 },
    qloguniform: { mu: Math.log(100) / 2, sigma: Math.log(100) },
  };
  for (const [name, transform] of cases) {
    it(`reproduces hyperopt's below and above models for ${name}`, () => {
      const data = hyperopt[name];
      const prior = priors[name] ?? { mu: data.prior_mu, sigma: data.prior_sigma };
      for (const [obs, model] of [
        [data.below, data.below_model],
        [data.above, data.above_model],
      ]) {
        const mixture = adaptiveParzenNormal(transform(obs), { ...prior, weight: 1 });
        expectClose(mixture.weights, model.weights);
        expectClose(mixture.mus, model.mus);
        expectClose(mixture.sigmas, model.sigmas);
      }
    });
  }
});
