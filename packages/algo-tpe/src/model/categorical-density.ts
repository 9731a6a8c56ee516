import { type Rng, weightedIndex } from '@parzen/engine/plugin';
import { hyperoptCategorical } from '../math/hyperopt-categorical.js';
import { categoricalMixtureProbabilities, optunaCategoricalKernels } from '../math/optuna-categorical.js';
import type { TpeSettings } from '../options.js';
import type { CategoricalEncoding } from './encoding.js';
import type { ObservationSet, ParamDensity } from './param-density.js';

/**
 * The categorical side of a model: hyperopt's smoothed counts (kernel `hyperopt`) or the probabilities
 * Optuna's categorical kernels amount to (kernel `optuna`). Values are `offset + option index`.
 */
export const categoricalDensity = (
  encoding: CategoricalEncoding,
  obs: ObservationSet,
  settings: Pick<TpeSettings, 'kernel' | 'priorWeight' | 'forgetting'>,
): ParamDensity => {
  const indices = obs.values.map((value) => value - encoding.offset);
  const lf = settings.forgetting === 0 ? Number.POSITIVE_INFINITY : settings.forgetting;
  const probabilities =
    settings.kernel === 'hyperopt'
      ? hyperoptCategorical(indices, encoding.size, settings.priorWeight, encoding.probabilities, lf)
      : categoricalMixtureProbabilities(
          optunaCategoricalKernels(indices, encoding.size, settings.priorWeight, encoding.probabilities, lf),
        );
  const logProbabilities = probabilities.map(Math.log);
  return {
    logPdf: (values) =>
      Float64Array.from({ length: values.length }, (_, i) => {
        const index = (values[i] as number) - encoding.offset;
        return logProbabilities[index] ?? Number.NEGATIVE_INFINITY;
      }),
    sample: (rng: Rng, count: number) =>
      Float64Array.from({ length: count }, () => encoding.offset + weightedIndex(rng, probabilities)),
    describe: () => ({ kind: 'categorical', offset: encoding.offset, probabilities: Array.from(probabilities) }),
  };
};
