import { type Distribution, quantizeInGrid } from './distribution.js';
import { normalQuantile } from './normal/normal-quantile.js';
import { type Rng, standardNormal, weightedIndexAt } from './rng.js';
import { quantize, roundHalfEven } from './rounding.js';

type NormalKind = Extract<Distribution, { kind: 'normal' | 'qnormal' | 'lognormal' | 'qlognormal' }>;
type UniformKind = Exclude<Distribution, NormalKind>;

const isNormalKind = (distribution: Distribution): distribution is NormalKind =>
  distribution.kind === 'normal' ||
  distribution.kind === 'qnormal' ||
  distribution.kind === 'lognormal' ||
  distribution.kind === 'qlognormal';

/** exp(log(x)) can land a hair outside [low, high]; keep log-uniform draws inside their bounds. */
const clampLog = (value: number, bounds: { readonly low: number; readonly high: number }): number =>
  Math.min(bounds.high, Math.max(bounds.low, value));

/**
 * The prior's value at u in [0, 1) for the kinds drawn from one uniform number (tpe-spec 1.1): uniform in
 * [low, high), log kinds uniform in log space, quantized kinds rounded half-to-even onto multiples of q,
 * `uniformint` as quniform(low, high, 1), a choice by its weights. The one statement of these priors.
 */
const fromUniform = (distribution: UniformKind, u: number): number => {
  switch (distribution.kind) {
    case 'uniform':
      return distribution.low + u * (distribution.high - distribution.low);
    case 'quniform':
      return quantizeInGrid(distribution.low + u * (distribution.high - distribution.low), distribution);
    case 'loguniform': {
      const low = Math.log(distribution.low);
      return clampLog(Math.exp(low + u * (Math.log(distribution.high) - low)), distribution);
    }
    case 'qloguniform': {
      const low = Math.log(distribution.low);
      return quantizeInGrid(Math.exp(low + u * (Math.log(distribution.high) - low)), distribution);
    }
    case 'randint':
      return Math.min(distribution.high - 1, distribution.low + Math.floor(u * (distribution.high - distribution.low)));
    case 'uniformint':
      return roundHalfEven(distribution.low + u * (distribution.high - distribution.low));
    case 'categorical':
      return distribution.probabilities === undefined
        ? Math.min(distribution.size - 1, Math.floor(u * distribution.size))
        : weightedIndexAt(distribution.probabilities, u);
  }
};

/** The prior's value at a standard normal z for the normal kinds (log kinds exponentiated, q kinds rounded). */
const fromStandardNormal = (distribution: NormalKind, z: number): number => {
  const x = distribution.mu + distribution.sigma * z;
  switch (distribution.kind) {
    case 'normal':
      return x;
    case 'qnormal':
      return quantize(x, distribution.q);
    case 'lognormal':
      return Math.exp(x);
    case 'qlognormal':
      return quantize(Math.exp(x), distribution.q);
  }
};

/**
 * One draw from a distribution's prior with hyperopt's `rand` semantics (tpe-spec 1.1): one uniform
 * number for the uniform kinds, a standard normal (Box-Muller) for the normal kinds, normal kinds
 * unbounded. Returns the internal value (an index for categorical).
 */
export const sampleDistribution = (distribution: Distribution, rng: Rng): number =>
  isNormalKind(distribution)
    ? fromStandardNormal(distribution, standardNormal(rng))
    : fromUniform(distribution, rng.next());

/** Keeps u strictly inside (0, 1) so quantiles stay finite. */
const open = (u: number): number => Math.min(1 - 1e-12, Math.max(1e-12, u));

/**
 * Maps a number u in [0, 1) onto a distribution's prior by its inverse CDF, with the same priors as
 * {@link sampleDistribution} (normal kinds through Φ⁻¹). Quasi-random samplers use it to carry
 * low-discrepancy points into any space.
 */
export const sampleFromUnit = (distribution: Distribution, u: number): number =>
  isNormalKind(distribution) ? fromStandardNormal(distribution, normalQuantile(open(u))) : fromUniform(distribution, u);
