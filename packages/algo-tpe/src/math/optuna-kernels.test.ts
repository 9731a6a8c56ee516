import { describe, expect, it } from 'vitest';
import { expectClose, vectors } from './fixtures/vectors.js';
import { categoricalMixtureProbabilities, optunaCategoricalKernels } from './optuna-categorical.js';
import { optunaBinLogPdf, optunaLogPdf, optunaProductLogPdf } from './optuna-density.js';
import { type KernelBounds, optunaNumericKernels } from './optuna-kernels.js';
import { scoreCandidates } from './score.js';

const current = vectors.optuna_current;

interface NumericCase {
  readonly bounds: KernelBounds;
  readonly transform: (x: number) => number;
  /** Bin edges in the transformed space for discrete parameters. */
  readonly bin?: (x: number) => [number, number];
}

const cases: Record<string, NumericCase> = {
  uniform_n10: { bounds: { low: -2, high: 2 }, transform: (x) => x },
  uniform_n30: { bounds: { low: -2, high: 2 }, transform: (x) => x },
  'float_step0.5': { bounds: { low: -2.25, high: 2.25 }, transform: (x) => x, bin: (x) => [x - 0.25, x + 0.25] },
  'float_log_1e-3_1': { bounds: { low: Math.log(1e-3), high: 0 }, transform: Math.log },
  int_1_10: { bounds: { low: 0.5, high: 10.5 }, transform: (x) => x, bin: (x) => [x - 0.5, x + 0.5] },
  int_log_1_100: {
    bounds: { low: Math.log(0.5), high: Math.log(100.5) },
    transform: Math.log,
    bin: (x) => [Math.log(x - 0.5), Math.log(x + 0.5)],
  },
};

describe('Optuna (5.0 line) univariate numeric kernels and densities', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`reproduces the models, log l, log g and scores for ${name}`, () => {
      const data = current[name];
      const models = [
        [data.below, data.below_model],
        [data.above, data.above_model],
      ].map(([obs, model]) => {
        const mixture = optunaNumericKernels(obs.map(c.transform), c.bounds, { priorWeight: 1 });
        expectClose(mixture.weights, model.weights);
        expectClose(mixture.mus, model.per_param.x.mus);
        expectClose(mixture.sigmas, model.per_param.x.sigmas);
        return mixture;
      });
      const [logL, logG] = models.map((mixture) => {
        if (c.bin === undefined) return optunaLogPdf(mixture, c.bounds, data.points.map(c.transform));
        const edges: [number, number][] = data.points.map(c.bin);
        return optunaBinLogPdf(
          mixture,
          c.bounds,
          edges.map((e) => e[0]),
          edges.map((e) => e[1]),
        );
      }) as [Float64Array, Float64Array];
      expectClose(logL, data.log_l, 1e-8);
      expectClose(logG, data.log_g, 1e-8);
      expectClose(scoreCandidates(logL, logG), data.score, 1e-8);
    });
  }

  it('gives log 0 (−∞) outside the bounds', () => {
    const mixture = optunaNumericKernels([0.5], { low: 0, high: 1 }, { priorWeight: 1 });
    expect(Array.from(optunaLogPdf(mixture, { low: 0, high: 1 }, [-0.1, 1.1]))).toEqual([-Infinity, -Infinity]);
  });
});

describe('Optuna categorical kernels', () => {
  it('reproduces categorical_abc', () => {
    const data = current.categorical_abc;
    const index = (c: string) => ['a', 'b', 'c'].indexOf(c);
    const [logL, logG] = [
      [data.below, data.below_model],
      [data.above, data.above_model],
    ].map(([obs, model]) => {
      const kernels = optunaCategoricalKernels(obs.map(index), 3, 1);
      expectClose(kernels.weights, model.weights);
      kernels.rows.forEach((row, k) => {
        expectClose(row, model.per_param.x.categorical_weights[k]);
      });
      const p = categoricalMixtureProbabilities(kernels);
      return data.points.map((c: string) => Math.log(p[index(c)] as number));
    }) as [number[], number[]];
    expectClose(logL, data.log_l);
    expectClose(logG, data.log_g);
    expectClose(scoreCandidates(logL, logG), data.score, 1e-8);
  });
});

describe('Optuna multivariate (product kernel) density', () => {
  it('reproduces multivariate_2d_nbelow3 of the 5.0 line (per-dimension neighbour widths)', () => {
    const data = current.multivariate_2d_nbelow3;
    const bounds = { x: { low: -2, high: 2 }, y: { low: 0, high: 1 } };
    const [logL, logG] = [
      [data.below_idx, data.below_model],
      [data.above_idx, data.above_model],
    ].map(([indices, model]) => {
      const dims = (['x', 'y'] as const).map((name) => {
        const obs = indices.map((i: number) => data[`${name}s`][i]);
        const mixture = optunaNumericKernels(obs, bounds[name], { priorWeight: 1 });
        expectClose(mixture.mus, model.per_param[name].mus);
        expectClose(mixture.sigmas, model.per_param[name].sigmas);
        return { mus: mixture.mus, sigmas: mixture.sigmas, bounds: bounds[name], weights: mixture.weights };
      });
      expectClose(dims[0]?.weights ?? [], model.weights);
      return optunaProductLogPdf(dims[0]?.weights ?? new Float64Array(), dims, [data.points.x, data.points.y]);
    }) as [Float64Array, Float64Array];
    expectClose(logL, data.log_l, 1e-8);
    expectClose(logG, data.log_g, 1e-8);
  });
});
