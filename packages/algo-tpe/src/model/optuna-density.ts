import { type Rng, weightedIndex } from '@parzen/engine/plugin';
import { optunaBinLogPdf, truncatedGaussianSum, truncatedLogPdfAt } from '../math/optuna-density.js';
import { optunaKernelsSorted } from '../math/optuna-kernels.js';
import { sampleTruncatedNormal } from '../math/truncated-normal.js';
import type { TpeSettings } from '../options.js';
import type { OptunaNumericEncoding } from './encoding.js';
import { componentTrials, type ObservationSet, type ParamDensity, sortedModelValues } from './param-density.js';

/**
 * One side of an Optuna-style model of a numeric parameter (tpe-spec 4.3–4.7, Optuna 5.0 line): kernels
 * with neighbour widths, each truncated to the bounds; continuous densities through the windowed sum,
 * discrete ones as bin masses; samples by exact inverse CDF of one kernel, then exp / grid / clip.
 */
export const optunaNumericDensity = (
  encoding: OptunaNumericEncoding,
  obs: ObservationSet,
  settings: Pick<TpeSettings, 'priorWeight' | 'forgetting' | 'bandwidthFloor' | 'bandwidthExponent'>,
): ParamDensity => {
  const sorted = sortedModelValues(obs, encoding.toModel);
  const { bounds, bin } = encoding;
  const mixture = optunaKernelsSorted(sorted.values, sorted.order, bounds, {
    priorWeight: settings.priorWeight,
    forgetting: settings.forgetting === 0 ? Number.POSITIVE_INFINITY : settings.forgetting,
    clipFloor: settings.bandwidthFloor,
    clipExponent: settings.bandwidthExponent,
  });
  const sum = bin === undefined ? truncatedGaussianSum(mixture, bounds) : undefined;
  const logPdf = (values: ArrayLike<number>): Float64Array => {
    const model = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) model[i] = encoding.toModel(values[i] as number);
    if (sum !== undefined) {
      for (let i = 0; i < model.length; i++) model[i] = truncatedLogPdfAt(sum, bounds, model[i] as number);
      return model;
    }
    const edges = Array.from(model, (y) => bin?.(y) ?? [y, y]);
    return optunaBinLogPdf(
      mixture,
      bounds,
      edges.map((edge) => edge[0]),
      edges.map((edge) => edge[1]),
    );
  };
  const sampleOne = (rng: Rng): number => {
    const k = weightedIndex(rng, mixture.weights);
    const y = sampleTruncatedNormal(
      rng,
      mixture.mus[k] as number,
      mixture.sigmas[k] as number,
      bounds.low,
      bounds.high,
    );
    return encoding.fromModel(y);
  };
  return {
    logPdf,
    sample: (rng, count) => {
      const samples = new Float64Array(count);
      for (let i = 0; i < count; i++) samples[i] = sampleOne(rng);
      return samples;
    },
    describe: () => ({
      kind: 'gaussian',
      space: encoding.log ? 'log' : 'linear',
      truncation: 'kernel',
      low: bounds.low,
      high: bounds.high,
      weights: Array.from(mixture.weights),
      mus: Array.from(mixture.mus),
      sigmas: Array.from(mixture.sigmas),
      trials: componentTrials(mixture.sources, obs.numbers),
    }),
  };
};
