import type { Distribution } from './distribution.js';
import { type Rng, standardNormal, uniformBetween, weightedIndex } from './rng.js';
import { quantize, roundHalfEven } from './rounding.js';

/**
 * One draw from a distribution's prior with hyperopt's `rand` semantics (tpe-spec 1.1): uniform in
 * [low, high), log kinds uniform in log space, quantised kinds rounded half-to-even onto multiples of q,
 * normal kinds unbounded, `uniformint` as quniform(low, high, 1). Returns the internal value (an index
 * for categorical).
 */
export const sampleDistribution = (distribution: Distribution, rng: Rng): number => {
  switch (distribution.kind) {
    case 'uniform':
      return uniformBetween(rng, distribution.low, distribution.high);
    case 'quniform':
      return quantize(uniformBetween(rng, distribution.low, distribution.high), distribution.q);
    case 'loguniform':
      return clampLog(
        Math.exp(uniformBetween(rng, Math.log(distribution.low), Math.log(distribution.high))),
        distribution,
      );
    case 'qloguniform':
      return quantize(
        Math.exp(uniformBetween(rng, Math.log(distribution.low), Math.log(distribution.high))),
        distribution.q,
      );
    case 'normal':
      return distribution.mu + distribution.sigma * standardNormal(rng);
    case 'qnormal':
      return quantize(distribution.mu + distribution.sigma * standardNormal(rng), distribution.q);
    case 'lognormal':
      return Math.exp(distribution.mu + distribution.sigma * standardNormal(rng));
    case 'qlognormal':
      return quantize(Math.exp(distribution.mu + distribution.sigma * standardNormal(rng)), distribution.q);
    case 'randint':
      return Math.min(
        distribution.high - 1,
        distribution.low + Math.floor(rng.next() * (distribution.high - distribution.low)),
      );
    case 'uniformint':
      return roundHalfEven(uniformBetween(rng, distribution.low, distribution.high));
    case 'categorical':
      return distribution.probabilities === undefined
        ? Math.min(distribution.size - 1, Math.floor(rng.next() * distribution.size))
        : weightedIndex(rng, distribution.probabilities);
  }
};

/** exp(log(x)) can land a hair outside [low, high]; keep log-uniform draws inside their bounds. */
const clampLog = (value: number, bounds: { readonly low: number; readonly high: number }): number =>
  Math.min(bounds.high, Math.max(bounds.low, value));
