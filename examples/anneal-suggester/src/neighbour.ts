import {
  type Distribution,
  quantize,
  type Rng,
  sampleDistribution,
  standardNormal,
  uniformBetween,
} from '@parzen/engine/plugin';

/** A draw in [low, high] of width `shrinking` times the range, centred on `centre` and cut at the bounds. */
const window = (rng: Rng, centre: number, low: number, high: number, shrinking: number): number => {
  const half = ((high - low) * shrinking) / 2;
  return uniformBetween(rng, Math.max(low, centre - half), Math.min(high, centre + half));
};

const logWindow = (rng: Rng, centre: number, low: number, high: number, shrinking: number): number => {
  const value = Math.exp(window(rng, Math.log(Math.max(centre, low)), Math.log(low), Math.log(high), shrinking));
  return Math.min(high, Math.max(low, value));
};

/** Keeps the good value, or with probability `shrinking` draws again from the prior. */
const keepOrRedraw = (rng: Rng, distribution: Distribution, good: number, shrinking: number): number =>
  rng.next() < shrinking ? sampleDistribution(distribution, rng) : good;

/**
 * One annealing step for a parameter: a value near `good` (a good trial's value), in a neighbourhood that
 * is `shrinking` (in (0, 1]) times the prior's width. Quantized kinds stay on their grid; discrete kinds
 * keep the good value or, with probability `shrinking`, redraw from the prior.
 */
export const sampleNeighbour = (distribution: Distribution, good: number, shrinking: number, rng: Rng): number => {
  switch (distribution.kind) {
    case 'uniform':
      return window(rng, good, distribution.low, distribution.high, shrinking);
    case 'quniform':
      return quantize(window(rng, good, distribution.low, distribution.high, shrinking), distribution.q);
    case 'loguniform':
      return logWindow(rng, good, distribution.low, distribution.high, shrinking);
    case 'qloguniform':
      return quantize(logWindow(rng, good, distribution.low, distribution.high, shrinking), distribution.q);
    case 'normal':
      return good + distribution.sigma * shrinking * standardNormal(rng);
    case 'qnormal':
      return quantize(good + distribution.sigma * shrinking * standardNormal(rng), distribution.q);
    case 'lognormal':
    case 'qlognormal': {
      const centre = good > 0 ? Math.log(good) : distribution.mu;
      const value = Math.exp(centre + distribution.sigma * shrinking * standardNormal(rng));
      return distribution.kind === 'qlognormal' ? quantize(value, distribution.q) : value;
    }
    case 'randint':
    case 'uniformint':
    case 'categorical':
      return keepOrRedraw(rng, distribution, good, shrinking);
  }
};
