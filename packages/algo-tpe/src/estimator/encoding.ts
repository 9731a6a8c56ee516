import { type Distribution, gridSteps, quantizeInGrid, roundHalfEven } from '@parzen/engine/plugin';
import type { DimensionPoints } from './parzen-estimator.js';

/** hyperopt's floor for widths and for log arguments. */
export const EPS = 1e-12;

/** An unordered parameter: option index = value − offset (randint keeps its low as offset). */
export interface CategoricalEncoding {
  /** Always `categorical`: tells it from a {@link NumericEncoding}. */
  readonly kind: 'categorical';
  /** The number of options (of integers, for a `randint`). */
  readonly size: number;
  /** The value of option 0: a `randint`'s low, 0 for a choice. */
  readonly offset: number;
  /** The choice's prior probability of each option, when it has some; else the prior is uniform. */
  readonly probabilities?: readonly number[];
}

/**
 * How a family models a numeric parameter: its model space (log for log kinds), support there, how
 * observations and candidates map into it and how draws map back.
 */
export interface NumericEncoding {
  /** Always `numeric`: tells it from a {@link CategoricalEncoding}. */
  readonly kind: 'numeric';
  /** Support in model space; ±∞ when unbounded. */
  readonly low: number;
  /** The support's upper end in model space; +∞ when unbounded. */
  readonly high: number;
  /** Whether the model space is the log of the values (log kinds). */
  readonly log: boolean;
  /** Candidates are bins (discrete kinds): densities are bin masses. */
  readonly binned: boolean;
  /** The exact density carries the −ln x Jacobian (hyperopt's continuous log kinds). */
  readonly jacobian: boolean;
  /** The prior kernel's centre and width (hyperopt; Optuna's is mid-range and range). */
  readonly prior: {
    /** The prior kernel's centre, in model space. */
    readonly mu: number;
    /** Its width, in model space. */
    readonly sigma: number;
  };
  /** Observation → model space. */
  readonly toModel: (x: number) => number;
  /** Model space → a value of the distribution (exp, grid, clip). */
  readonly fromModel: (y: number) => number;
  /** Candidates → evaluation points (a point, or a bin in model space). */
  readonly points: (values: ArrayLike<number>) => DimensionPoints;
}

/** How a family models a distribution. */
export type Encoding = NumericEncoding | CategoricalEncoding;

/**
 * Normal priors have no bounds; the Optuna kernels need some: μ ± this many σ (tpe-spec 1.3 leaves k open). Beyond
 * it only the start-up draws (from the whole normal) go. 3, not the 4 the peers' harness gives Optuna: with 4 the
 * kernels, whose widths follow the range, are wider, and the median regret on optima within 2.5σ was 1.0 to 2.7
 * times higher (bench/results/tpe-normal-span.md); an optimum beyond 3σ needs `profile: "hyperopt"` (unbounded).
 */
export const NORMAL_SPAN = 3;

type CategoricalKind = Extract<Distribution, { kind: 'randint' | 'categorical' }>;

const categoricalOf = (distribution: CategoricalKind): CategoricalEncoding => {
  if (distribution.kind === 'randint') {
    return { kind: 'categorical', size: distribution.high - distribution.low, offset: distribution.low };
  }
  const { size, probabilities } = distribution;
  return probabilities === undefined
    ? { kind: 'categorical', size, offset: 0 }
    : { kind: 'categorical', size, offset: 0, probabilities };
};

/** The categorical kernels' prior row p0: uniform unless the parameter has prior probabilities. */
export const categoricalPrior = (encoding: CategoricalEncoding): Float64Array => {
  const prior = new Float64Array(encoding.size);
  const { probabilities } = encoding;
  for (let c = 0; c < prior.length; c++) prior[c] = probabilities?.[c] ?? 1 / encoding.size;
  return prior;
};

/**
 * The categorical kernels' shared parts: the prior p0 ({@link categoricalPrior}) and the option of each
 * observation, then −1 for the prior component (last).
 */
export const categoricalOptions = (
  encoding: CategoricalEncoding,
  values: Float64Array,
): { readonly prior: Float64Array; readonly options: Int32Array } => {
  const n = values.length;
  const { offset } = encoding;
  const prior = categoricalPrior(encoding);
  const options = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) options[i] = (values[i] as number) - offset;
  options[n] = -1;
  return { prior, options };
};

/** Option indices of categorical candidates. */
export const categoricalPoints = (encoding: CategoricalEncoding, values: ArrayLike<number>): DimensionPoints => {
  const at = new Float64Array(values.length);
  for (let i = 0; i < at.length; i++) at[i] = (values[i] as number) - encoding.offset;
  return { at };
};

const mapped = (values: ArrayLike<number>, f: (x: number) => number): Float64Array => {
  const out = new Float64Array(values.length);
  for (let i = 0; i < out.length; i++) out[i] = f(values[i] as number);
  return out;
};

const identity = (x: number): number => x;

/** x rounded onto the multiples of q, kept within the grid steps of [low, high] when both are finite. */
const onGrid = (x: number, low: number, high: number, q: number): number =>
  Number.isFinite(low) && Number.isFinite(high) ? quantizeInGrid(x, { low, high, q }) : roundHalfEven(x / q) * q;
const clamp = (x: number, low: number, high: number): number => Math.min(high, Math.max(low, x));

/** hyperopt's encoding of a linear primitive (GMM): bins [x ± q/2] cut at the bounds when quantized. */
const hyperoptLinear = (mu: number, sigma: number, low: number, high: number, q?: number): NumericEncoding => ({
  kind: 'numeric',
  low,
  high,
  log: false,
  binned: q !== undefined,
  jacobian: false,
  prior: { mu, sigma },
  toModel: identity,
  fromModel: q === undefined ? identity : (y) => onGrid(y, low, high, q),
  points:
    q === undefined
      ? (values) => ({ at: mapped(values, identity) })
      : (values) => ({
          at: mapped(values, (x) => Math.max(x - q / 2, low)),
          upper: mapped(values, (x) => Math.min(x + q / 2, high)),
        }),
});

/** hyperopt's encoding of a log primitive (LGMM): model space ln x; bins in natural units when quantized. */
const hyperoptLog = (
  mu: number,
  sigma: number,
  low: number,
  high: number,
  floor: number,
  q?: number,
): NumericEncoding => {
  const [naturalLow, naturalHigh] = [Math.exp(low), Math.exp(high)];
  const bounded = Number.isFinite(low);
  return {
    kind: 'numeric',
    low,
    high,
    log: true,
    binned: q !== undefined,
    jacobian: q === undefined,
    prior: { mu, sigma },
    toModel: (x) => Math.log(Math.max(x, floor)),
    fromModel: (y) => {
      // exp(log(x)) may land an ulp outside the real-valued bounds.
      const x = bounded ? clamp(Math.exp(y), naturalLow, naturalHigh) : Math.exp(y);
      return q === undefined ? x : onGrid(x, naturalLow, naturalHigh, q);
    },
    points:
      q === undefined
        ? (values) => ({ at: mapped(values, Math.log) })
        : (values) => ({
            at: mapped(values, (x) => Math.log(Math.max(EPS, x - q / 2, bounded ? naturalLow : 0))),
            upper: mapped(values, (x) => Math.log(Math.max(EPS, Math.min(x + q / 2, naturalHigh)))),
          }),
  };
};

/** hyperopt's encoding of each primitive (tpe-spec 3.5); randint and choices are categorical, uniformint is quniform(q = 1). */
export const hyperoptEncoding = (distribution: Distribution): Encoding => {
  const unbounded = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY] as const;
  switch (distribution.kind) {
    case 'randint':
    case 'categorical':
      return categoricalOf(distribution);
    case 'uniform':
    case 'quniform':
    case 'uniformint': {
      const { low, high } = distribution;
      const q = distribution.kind === 'quniform' ? distribution.q : distribution.kind === 'uniformint' ? 1 : undefined;
      return hyperoptLinear(0.5 * (low + high), high - low, low, high, q);
    }
    case 'loguniform':
    case 'qloguniform': {
      const low = Math.log(distribution.low);
      const high = Math.log(distribution.high);
      const q = distribution.kind === 'qloguniform' ? distribution.q : undefined;
      return hyperoptLog(0.5 * (low + high), high - low, low, high, Math.max(EPS, distribution.low), q);
    }
    case 'normal':
    case 'qnormal':
      return hyperoptLinear(
        distribution.mu,
        distribution.sigma,
        ...unbounded,
        distribution.kind === 'qnormal' ? distribution.q : undefined,
      );
    case 'lognormal':
    case 'qlognormal':
      return hyperoptLog(
        distribution.mu,
        distribution.sigma,
        ...unbounded,
        EPS,
        distribution.kind === 'qlognormal' ? distribution.q : undefined,
      );
  }
};

/** A continuous Optuna kernel on [low, high]. */
const linearEncoding = (low: number, high: number): NumericEncoding => ({
  kind: 'numeric',
  low,
  high,
  log: false,
  binned: false,
  jacobian: false,
  prior: { mu: 0.5 * (low + high), sigma: high - low },
  toModel: (x) => clamp(x, low, high),
  fromModel: (y) => clamp(y, low, high),
  points: (values) => ({ at: mapped(values, (x) => clamp(x, low, high)) }),
});

/** A grid of multiples of q (anchored at 0, as hyperopt's) from `low` to `high`, as Optuna's stepped kernels. */
const gridEncoding = (low: number, high: number, q: number): NumericEncoding => {
  const { first, last } = gridSteps({ low, high, q });
  const [modelLow, modelHigh] = [first * q - q / 2, last * q + q / 2];
  const toModel = (x: number) => clamp(x, first * q, last * q);
  return {
    kind: 'numeric',
    low: modelLow,
    high: modelHigh,
    log: false,
    binned: true,
    jacobian: false,
    prior: { mu: 0.5 * (modelLow + modelHigh), sigma: modelHigh - modelLow },
    toModel,
    fromModel: (y) => clamp(roundHalfEven(y / q), first, last) * q,
    points: (values) => ({
      at: mapped(values, (x) => toModel(x) - q / 2),
      upper: mapped(values, (x) => toModel(x) + q / 2),
    }),
  };
};

/** A continuous log-space Optuna kernel on [low, high] (natural units); with q, draws are rounded onto multiples of q. */
const logEncoding = (low: number, high: number, q?: number): NumericEncoding => {
  const [modelLow, modelHigh] = [Math.log(low), Math.log(high)];
  const toModel = (x: number) => Math.log(clamp(x, low, high));
  return {
    kind: 'numeric',
    low: modelLow,
    high: modelHigh,
    log: true,
    binned: false,
    jacobian: false,
    prior: { mu: 0.5 * (modelLow + modelHigh), sigma: modelHigh - modelLow },
    toModel,
    fromModel: (y) => {
      const x = clamp(Math.exp(y), low, high);
      return q === undefined ? x : onGrid(x, low, high, q);
    },
    points: (values) => ({ at: mapped(values, toModel) }),
  };
};

/**
 * The Optuna-kernel encoding of each primitive (tpe-spec 4.3): uniform → Float, loguniform → Float(log),
 * quantized → a stepped Float on hyperopt's 0-anchored grid, uniformint → Int, randint and choices →
 * categorical. Kinds Optuna lacks are approximated: normal priors on μ ± 3σ, qloguniform as a log Float
 * rounded to q.
 */
export const optunaEncoding = (distribution: Distribution): Encoding => {
  switch (distribution.kind) {
    case 'randint':
    case 'categorical':
      return categoricalOf(distribution);
    case 'uniform':
      return linearEncoding(distribution.low, distribution.high);
    case 'quniform':
      return gridEncoding(distribution.low, distribution.high, distribution.q);
    case 'uniformint':
      return gridEncoding(distribution.low, distribution.high, 1);
    case 'loguniform':
      return logEncoding(distribution.low, distribution.high);
    case 'qloguniform':
      return logEncoding(distribution.low, distribution.high, distribution.q);
    case 'normal':
      return linearEncoding(
        distribution.mu - NORMAL_SPAN * distribution.sigma,
        distribution.mu + NORMAL_SPAN * distribution.sigma,
      );
    case 'qnormal':
      return gridEncoding(
        distribution.mu - NORMAL_SPAN * distribution.sigma,
        distribution.mu + NORMAL_SPAN * distribution.sigma,
        distribution.q,
      );
    case 'lognormal':
    case 'qlognormal': {
      const { mu, sigma } = distribution;
      const q = distribution.kind === 'qlognormal' ? distribution.q : undefined;
      return logEncoding(Math.exp(mu - NORMAL_SPAN * sigma), Math.exp(mu + NORMAL_SPAN * sigma), q);
    }
  }
};
