import { SQRT_2PI } from '@parzen/engine/plugin';
import { type GaussianSum, logGaussianSum, prepareGaussianSum } from '../../math/gaussian-sum.js';
import { type DimensionPoints, logKernelMass, logMixtureMass, type ParzenEstimator } from '../parzen-estimator.js';

/**
 * For μ in [low, high] and σ ≤ high − low a kernel keeps at least Φ(1) − Φ(0) = 0.34 of its mass, so
 * −log Z ≤ 1.08: the slack that lets block bounds be computed before the normalisers.
 */
const NORMALISER_SLACK = 1.08;

/** Whether the sorted-sum backend applies: one continuous numeric dimension, components sorted by μ. */
export const sortedSumApplies = (estimator: ParzenEstimator, points: readonly DimensionPoints[]): boolean => {
  const [dimension] = estimator.dimensions;
  if (estimator.dimensions.length !== 1 || dimension?.kind !== 'numeric' || points[0]?.upper !== undefined)
    return false;
  return ascending(dimension.mus);
};

/** Whether kernel centres are in ascending order (the windowed backends' precondition). */
export const ascending = (mus: Float64Array): boolean => {
  for (let k = 1; k < mus.length; k++) if ((mus[k] as number) < (mus[k - 1] as number)) return false;
  return true;
};

/**
 * The sorted-sum backend: a univariate continuous estimator as a windowed {@link GaussianSum} (blocks of
 * 32 components by μ; only blocks that can matter are visited), with Optuna's per-kernel truncation
 * normalisers filled lazily per block. Without `exact` it leaves out hyperopt's mixture normaliser
 * (a candidate-independent constant, O(n) erf calls).
 */
export const sortedSumBackend = (estimator: ParzenEstimator) => {
  const dimension = estimator.dimensions[0];
  if (dimension?.kind !== 'numeric') throw new Error('sortedSumBackend needs one numeric dimension');
  const { mus, sigmas, low, high } = dimension;
  const { weights } = estimator;
  const size = mus.length;
  const upper = new Float64Array(size);
  for (let k = 0; k < size; k++) upper[k] = (weights[k] as number) / ((sigmas[k] as number) * SQRT_2PI);
  const kernelTruncated = estimator.truncation === 'kernel';
  const sum: GaussianSum = kernelTruncated
    ? prepareGaussianSum(
        mus,
        sigmas,
        upper,
        (start, end, coefs) => {
          for (let k = start; k < end; k++) {
            const logMass = logKernelMass(mus[k] as number, sigmas[k] as number, low, high);
            if (logMass !== 0) coefs[k] = (upper[k] as number) * Math.exp(-logMass);
          }
        },
        NORMALISER_SLACK,
      )
    : prepareGaussianSum(mus, sigmas, upper);
  let normaliser: number | undefined;
  return (points: readonly DimensionPoints[], exact: boolean): Float64Array => {
    const at = (points[0] as DimensionPoints).at;
    const out = new Float64Array(at.length);
    if (estimator.truncation === 'mixture' && exact) normaliser ??= logMixtureMass(estimator);
    const shift = estimator.truncation === 'mixture' && exact ? (normaliser as number) : 0;
    for (let i = 0; i < at.length; i++) {
      const x = at[i] as number;
      out[i] = kernelTruncated && (x < low || x > high) ? Number.NEGATIVE_INFINITY : logGaussianSum(sum, x) - shift;
    }
    return out;
  };
};
