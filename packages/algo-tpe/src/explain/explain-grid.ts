import { type Distribution, gridSteps, roundHalfEven } from '@parzen/engine/plugin';

/**
 * Normal priors are drawn over μ ± 4σ: the hyperopt profile models them unbounded, and the Optuna-kernel ones on
 * μ ± 3σ (`NORMAL_SPAN` of the encodings), where their densities beyond are 0 (−∞ in the logs).
 */
const NORMAL_SPAN = 4;

const linear = (low: number, high: number, size: number): number[] =>
  Array.from({ length: size }, (_, i) => low + ((high - low) * i) / (size - 1));

const logarithmic = (low: number, high: number, size: number): number[] =>
  linear(Math.log(low), Math.log(high), size).map((y, i) => (i === 0 ? low : i === size - 1 ? high : Math.exp(y)));

/** Multiples of q from low to high (at most `size`, evenly thinned), as quantized kinds produce them. */
const onGrid = (low: number, high: number, q: number, size: number): number[] => {
  const { first, last } = gridSteps({ low, high, q });
  const count = last - first + 1;
  if (count <= size) return Array.from({ length: count }, (_, i) => (first + i) * q);
  return [...new Set(linear(first, last, size).map((k) => roundHalfEven(k) * q))];
};

/** Integers from low to high inclusive (at most `size`, evenly thinned). */
const integers = (low: number, high: number, size: number): number[] => onGrid(low, high, 1, size);

/**
 * Where an explanation evaluates log l and log g: `size` points over the range (log-spaced for log kinds,
 * μ ± 4σ for normal priors), the grid values of quantized kinds, every option of categorical ones.
 */
export const explainGrid = (distribution: Distribution, size: number): number[] => {
  switch (distribution.kind) {
    case 'uniform':
      return linear(distribution.low, distribution.high, size);
    case 'loguniform':
      return logarithmic(distribution.low, distribution.high, size);
    case 'quniform':
    case 'qloguniform':
      return onGrid(distribution.low, distribution.high, distribution.q, size);
    case 'normal':
      return linear(
        distribution.mu - NORMAL_SPAN * distribution.sigma,
        distribution.mu + NORMAL_SPAN * distribution.sigma,
        size,
      );
    case 'qnormal':
      return onGrid(
        distribution.mu - NORMAL_SPAN * distribution.sigma,
        distribution.mu + NORMAL_SPAN * distribution.sigma,
        distribution.q,
        size,
      );
    case 'lognormal':
    case 'qlognormal': {
      const low = Math.exp(distribution.mu - NORMAL_SPAN * distribution.sigma);
      const high = Math.exp(distribution.mu + NORMAL_SPAN * distribution.sigma);
      if (distribution.kind === 'lognormal') return logarithmic(low, high, size);
      // Its multiples of q above 0: a log axis cannot place 0 (trial 95: the report's chart collapsed onto its
      // left edge). A trial's 0 (a draw below q/2) is still a trial; only the curve starts at q.
      // Spaced evenly in log, as the axis is, then put on the grid (thinned evenly in x, it skipped the lowest decades).
      const { q } = distribution;
      const onQ = logarithmic(Math.max(low, q), Math.max(high, q), size).map((value) => roundHalfEven(value / q) * q);
      return [...new Set(onQ)].filter((value) => value > 0);
    }
    case 'randint':
      return integers(distribution.low, distribution.high - 1, size);
    case 'uniformint':
      return integers(distribution.low, distribution.high, size);
    case 'categorical':
      return Array.from({ length: distribution.size }, (_, i) => i);
  }
};
