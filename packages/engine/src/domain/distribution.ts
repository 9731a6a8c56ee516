import { roundHalfEven } from './rounding.js';

/**
 * What a suggester sees of one parameter: every hyperopt primitive with its own kind, so TPE can give
 * each the right prior (normal priors are unbounded, log kinds work in log space, quantized kinds keep
 * their grid). Bounds are real values (a `loguniform` from 1e-5 to 1 has `low: 1e-5`).
 * A choice is `categorical`: suggesters work with option indices, never with option values.
 */
export type Distribution =
  | {
      /** A real value, uniform over [low, high]. */
      readonly kind: 'uniform';
      /** The lower bound, included. */
      readonly low: number;
      /** The upper bound, included. */
      readonly high: number;
    }
  | {
      /** A real value, uniform over [low, high], rounded onto multiples of `q` (up to q/2 outside the range). */
      readonly kind: 'quniform';
      /** The lower bound, included. */
      readonly low: number;
      /** The upper bound, included. */
      readonly high: number;
      /** The step: values are rounded (half to even) onto its multiples. */
      readonly q: number;
    }
  | {
      /** A positive real value whose log is uniform over [log low, log high]. */
      readonly kind: 'loguniform';
      /** The lower bound, included: a real value > 0, not its log. */
      readonly low: number;
      /** The upper bound, included: a real value, not its log. */
      readonly high: number;
    }
  | {
      /** A log-uniform value rounded onto multiples of `q`. */
      readonly kind: 'qloguniform';
      /** The lower bound, included: a real value > 0, not its log. */
      readonly low: number;
      /** The upper bound, included: a real value, not its log. */
      readonly high: number;
      /** The step: values are rounded (half to even) onto its multiples. */
      readonly q: number;
    }
  | {
      /** A real value from a normal distribution (unbounded). */
      readonly kind: 'normal';
      /** The mean. */
      readonly mu: number;
      /** The standard deviation (> 0). */
      readonly sigma: number;
    }
  | {
      /** A normal value rounded onto multiples of `q`. */
      readonly kind: 'qnormal';
      /** The mean. */
      readonly mu: number;
      /** The standard deviation (> 0). */
      readonly sigma: number;
      /** The step: values are rounded (half to even) onto its multiples. */
      readonly q: number;
    }
  | {
      /** `exp` of a normal value (values > 0). */
      readonly kind: 'lognormal';
      /** The mean of the log. */
      readonly mu: number;
      /** The standard deviation of the log (> 0). */
      readonly sigma: number;
    }
  | {
      /** A log-normal value rounded onto multiples of `q`. */
      readonly kind: 'qlognormal';
      /** The mean of the log. */
      readonly mu: number;
      /** The standard deviation of the log (> 0). */
      readonly sigma: number;
      /** The step: values are rounded (half to even) onto its multiples. */
      readonly q: number;
    }
  | {
      /** Integers in [low, high): high is exclusive, as in hyperopt and numpy. */
      readonly kind: 'randint';
      /** The lowest integer, included (0 when the definition gives none). */
      readonly low: number;
      /** The bound above, excluded. */
      readonly high: number;
    }
  | {
      /** Integers in [low, high] drawn as hyperopt's quniform(low, high, 1): the ends get half the mass. */
      readonly kind: 'uniformint';
      /** The lowest integer, included. */
      readonly low: number;
      /** The highest integer, included. */
      readonly high: number;
    }
  | {
      /** An option index in [0, size), for `choice` and `pchoice`. */
      readonly kind: 'categorical';
      /** How many options the choice has. */
      readonly size: number;
      /** Each option's probability, by index: set for a `pchoice`, absent for a `choice` (each as likely). */
      readonly probabilities?: readonly number[];
    };

/** A distribution's `kind`. */
export type DistributionKind = Distribution['kind'];

/** Relative slack when checking that a quantized value sits on its grid. */
const GRID_TOLERANCE = 1e-9;

const onGrid = (value: number, q: number): boolean => {
  const steps = value / q;
  return Math.abs(steps - roundHalfEven(steps)) <= GRID_TOLERANCE * Math.max(1, Math.abs(steps));
};

/**
 * The grid steps a bounded quantized kind can produce: its values are k·q for k from `first` to `last`,
 * the k whose rounding interval [(k − ½)q, (k + ½)q) meets [low, high] in more than a point (the bounds
 * rounded onto the grid, as the samplers round: `quniform(1, 10, 4)` gives 0, 4 and 8). A bound exactly
 * halfway between two steps keeps only the inner one: `quniform(0.5, 8.5, 1)`, Optuna's `suggest_int(1,
 * 8)`, gives 1 to 8 (rounding half to even would add 0, which a draw reaches only at exactly 0.5 and TPE's
 * bins reached often).
 */
export const gridSteps = (distribution: {
  readonly low: number;
  readonly high: number;
  readonly q: number;
}): {
  /** The lowest step k: the lowest value is k·q. */
  readonly first: number;
  /** The highest step k, at least `first`: the highest value is k·q. */
  readonly last: number;
} => {
  const { low, high, q } = distribution;
  const first = Math.floor(low / q - 0.5) + 1;
  return { first, last: Math.max(first, Math.ceil(high / q + 0.5) - 1) };
};

/** x rounded onto a bounded quantized kind's grid: the nearest multiple of q, kept within {@link gridSteps}. */
export const quantizeInGrid = (
  x: number,
  distribution: { readonly low: number; readonly high: number; readonly q: number },
): number => {
  const { first, last } = gridSteps(distribution);
  return Math.min(last, Math.max(first, roundHalfEven(x / distribution.q))) * distribution.q;
};

/**
 * Whether `value` is one the distribution can produce (the internal value: an index for categorical).
 * Bounded quantized kinds produce the multiples of q between their bounds rounded onto the grid
 * (`gridSteps`), which may lie up to q/2 past a bound, as in hyperopt.
 */
export const isInSupport = (distribution: Distribution, value: number): boolean => {
  if (!Number.isFinite(value)) return false;
  switch (distribution.kind) {
    case 'uniform':
    case 'loguniform':
      return value >= distribution.low && value <= distribution.high;
    case 'quniform':
    case 'qloguniform': {
      const { first, last } = gridSteps(distribution);
      const step = roundHalfEven(value / distribution.q);
      return onGrid(value, distribution.q) && step >= first && step <= last;
    }
    case 'normal':
      return true;
    case 'lognormal':
      return value >= 0;
    case 'qnormal':
      return onGrid(value, distribution.q);
    case 'qlognormal':
      return value >= 0 && onGrid(value, distribution.q);
    case 'randint':
      return Number.isInteger(value) && value >= distribution.low && value < distribution.high;
    case 'uniformint':
      return Number.isInteger(value) && value >= distribution.low && value <= distribution.high;
    case 'categorical':
      return Number.isInteger(value) && value >= 0 && value < distribution.size;
  }
};

/** True for kinds whose values are integers (their internal and external value is an integer). */
export const isIntegerKind = (distribution: Distribution): boolean =>
  distribution.kind === 'randint' || distribution.kind === 'uniformint' || distribution.kind === 'categorical';
