import type { Distribution } from './distribution.js';
import { normalQuantile } from './normal-quantile.js';
import { quantize, roundHalfEven } from './rounding.js';

/** Keeps u strictly inside (0, 1) so quantiles stay finite. */
const open = (u: number): number => Math.min(1 - 1e-12, Math.max(1e-12, u));

/**
 * Maps a number u in [0, 1) onto a distribution's prior by its inverse CDF, with the same semantics as
 * `sampleDistribution` (log kinds uniform in log space, quantised kinds on hyperopt's grid, normal kinds
 * through Φ⁻¹). Quasi-random samplers use it to carry low-discrepancy points into any space.
 */
export const sampleFromUnit = (distribution: Distribution, u: number): number => {
  switch (distribution.kind) {
    case 'uniform':
      return distribution.low + u * (distribution.high - distribution.low);
    case 'quniform':
      return quantize(distribution.low + u * (distribution.high - distribution.low), distribution.q);
    case 'loguniform': {
      const { low, high } = distribution;
      return Math.min(high, Math.max(low, Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low)))));
    }
    case 'qloguniform': {
      const { low, high, q } = distribution;
      return quantize(Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))), q);
    }
    case 'normal':
      return distribution.mu + distribution.sigma * normalQuantile(open(u));
    case 'qnormal':
      return quantize(distribution.mu + distribution.sigma * normalQuantile(open(u)), distribution.q);
    case 'lognormal':
      return Math.exp(distribution.mu + distribution.sigma * normalQuantile(open(u)));
    case 'qlognormal':
      return quantize(Math.exp(distribution.mu + distribution.sigma * normalQuantile(open(u))), distribution.q);
    case 'randint':
      return Math.min(distribution.high - 1, distribution.low + Math.floor(u * (distribution.high - distribution.low)));
    case 'uniformint':
      return roundHalfEven(distribution.low + u * (distribution.high - distribution.low));
    case 'categorical': {
      if (distribution.probabilities === undefined)
        return Math.min(distribution.size - 1, Math.floor(u * distribution.size));
      let cumulative = 0;
      for (let i = 0; i < distribution.probabilities.length; i++) {
        cumulative += distribution.probabilities[i] ?? 0;
        if (u < cumulative) return i;
      }
      return distribution.size - 1;
    }
  }
};
