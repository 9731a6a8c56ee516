import { type Rng, roundHalfEven, standardNormal, weightedIndex } from '@parzen/engine/plugin';
import { adaptiveParzenSorted } from '../math/adaptive-parzen.js';
import { logGaussianSum } from '../math/gaussian-sum.js';
import { gaussianSumOf, gmmLogPdf, lgmmLogPdf, logAcceptance } from '../math/hyperopt-density.js';
import type { GaussianMixture } from '../math/mixture.js';
import type { TpeSettings } from '../options.js';
import type { HyperoptNumericEncoding } from './encoding.js';
import { componentTrials, type ObservationSet, type ParamDensity, sortedModelValues } from './param-density.js';

/** Rejection draws before giving up on a bounded mixture (its kernels all sit inside, so never reached). */
const MAX_REJECTIONS = 100_000;

/**
 * hyperopt's `GMM1` / `LGMM1` sampling: pick a kernel by weight, draw from it, and when bounded redraw
 * until low ≤ d < high (model space); then exp for log kinds and round half-to-even onto q.
 */
const sampleMixture = (mixture: GaussianMixture, encoding: HyperoptNumericEncoding, rng: Rng): number => {
  const { low, high, q } = encoding.support;
  let draw = Number.NaN;
  for (let attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
    const k = weightedIndex(rng, mixture.weights);
    draw = (mixture.mus[k] as number) + (mixture.sigmas[k] as number) * standardNormal(rng);
    if ((low === undefined || draw >= low) && (high === undefined || draw < high)) break;
  }
  let value = draw;
  if (encoding.family === 'lgmm') {
    value = Math.exp(draw);
    // exp(log(x)) may land an ulp outside the real-valued bounds.
    if (low !== undefined && high !== undefined) value = Math.min(Math.exp(high), Math.max(Math.exp(low), value));
  }
  return q === undefined ? value : roundHalfEven(value / q) * q;
};

/**
 * One side of hyperopt's model of a numeric parameter: the adaptive Parzen estimator over the
 * observations (tpe-spec 3.4) with the truncated-mixture densities of 3.6. Continuous densities go
 * through the windowed Gaussian sum; the truncation normaliser is only added when `exact`.
 */
export const hyperoptNumericDensity = (
  encoding: HyperoptNumericEncoding,
  obs: ObservationSet,
  settings: Pick<TpeSettings, 'priorWeight' | 'forgetting'>,
): ParamDensity => {
  const sorted = sortedModelValues(obs, encoding.toModel);
  const lf = settings.forgetting === 0 ? Number.POSITIVE_INFINITY : settings.forgetting;
  const mixture = adaptiveParzenSorted(
    sorted.values,
    sorted.order,
    { ...encoding.prior, weight: settings.priorWeight },
    lf,
  );
  const { support } = encoding;
  const sum = support.q === undefined ? gaussianSumOf(mixture) : undefined;
  let normaliser: number | undefined;
  const logPdf = (values: ArrayLike<number>, exact: boolean): Float64Array => {
    if (sum === undefined) {
      return encoding.family === 'gmm' ? gmmLogPdf(mixture, values, support) : lgmmLogPdf(mixture, values, support);
    }
    if (encoding.family === 'lgmm') {
      return Float64Array.from({ length: values.length }, (_, i) => {
        const x = values[i] as number;
        return logGaussianSum(sum, Math.log(x)) - Math.log(x);
      });
    }
    if (exact && normaliser === undefined) normaliser = logAcceptance(mixture, support);
    const shift = exact ? (normaliser ?? 0) : 0;
    return Float64Array.from({ length: values.length }, (_, i) => logGaussianSum(sum, values[i] as number) - shift);
  };
  return {
    logPdf,
    sample: (rng, count) => Float64Array.from({ length: count }, () => sampleMixture(mixture, encoding, rng)),
    describe: () => ({
      kind: 'gaussian',
      space: encoding.family === 'lgmm' ? 'log' : 'linear',
      truncation: support.low === undefined ? 'none' : 'mixture',
      ...(support.low === undefined ? {} : { low: support.low }),
      ...(support.high === undefined ? {} : { high: support.high }),
      weights: Array.from(mixture.weights),
      mus: Array.from(mixture.mus),
      sigmas: Array.from(mixture.sigmas),
      trials: componentTrials(mixture.sources, obs.numbers),
    }),
  };
};
