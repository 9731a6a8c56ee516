import { type Distribution, roundHalfEven } from '@parzen/engine/plugin';
import { EPS, type HyperoptSupport } from '../math/hyperopt-density.js';
import type { KernelBounds } from '../math/optuna-kernels.js';

/** An unordered parameter: option index = value − offset (randint keeps its low as offset). */
export interface CategoricalEncoding {
  readonly kind: 'categorical';
  readonly size: number;
  readonly offset: number;
  readonly probabilities?: readonly number[];
}

/** How hyperopt models a numeric primitive (tpe-spec 3.5): prior, family, log-space support, grid. */
export interface HyperoptNumericEncoding {
  readonly kind: 'hyperopt';
  readonly family: 'gmm' | 'lgmm';
  readonly prior: { readonly mu: number; readonly sigma: number };
  readonly support: HyperoptSupport;
  /** Observation → model space (log for lgmm, floored as hyperopt does). */
  readonly toModel: (x: number) => number;
}

/** How the Optuna kernels model a numeric parameter (tpe-spec 4.3): transformed, widened bounds and bins. */
export interface OptunaNumericEncoding {
  readonly kind: 'optuna';
  readonly bounds: KernelBounds;
  readonly log: boolean;
  /** Observation → model space, clamped into the bounds. */
  readonly toModel: (x: number) => number;
  /** Bin of a value in model space, for discrete parameters. */
  readonly bin?: (x: number) => readonly [number, number];
  /** Model space → a value of the distribution (exp, grid, clip). */
  readonly fromModel: (y: number) => number;
}

/** How hyperopt's TPE models a distribution: numeric (GMM / LGMM) or categorical. */
export type HyperoptEncoding = HyperoptNumericEncoding | CategoricalEncoding;
/** How the Optuna kernels model a distribution: numeric (transformed, maybe binned) or categorical. */
export type OptunaEncoding = OptunaNumericEncoding | CategoricalEncoding;

/** Normal priors have no bounds; the Optuna kernels need some: μ ± this many σ (tpe-spec 1.3). */
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

const identity = (x: number): number => x;

/** hyperopt's encoding of each primitive; randint and choices are categorical, uniformint is quniform(q = 1). */
export const hyperoptEncoding = (distribution: Distribution): HyperoptEncoding => {
  const gmm = (low: number, high: number, q?: number): HyperoptNumericEncoding => ({
    kind: 'hyperopt',
    family: 'gmm',
    prior: { mu: 0.5 * (low + high), sigma: high - low },
    support: q === undefined ? { low, high } : { low, high, q },
    toModel: identity,
  });
  const lgmm = (mu: number, sigma: number, support: HyperoptSupport, floor: number): HyperoptNumericEncoding => ({
    kind: 'hyperopt',
    family: 'lgmm',
    prior: { mu, sigma },
    support,
    toModel: (x) => Math.log(Math.max(x, floor)),
  });
  switch (distribution.kind) {
    case 'randint':
    case 'categorical':
      return categoricalOf(distribution);
    case 'uniform':
      return gmm(distribution.low, distribution.high);
    case 'quniform':
      return gmm(distribution.low, distribution.high, distribution.q);
    case 'uniformint':
      return gmm(distribution.low, distribution.high, 1);
    case 'loguniform':
    case 'qloguniform': {
      const low = Math.log(distribution.low);
      const high = Math.log(distribution.high);
      const q = distribution.kind === 'qloguniform' ? { q: distribution.q } : {};
      return lgmm(0.5 * (low + high), high - low, { low, high, ...q }, Math.max(EPS, distribution.low));
    }
    case 'normal':
    case 'qnormal': {
      const { mu, sigma } = distribution;
      const support = distribution.kind === 'qnormal' ? { q: distribution.q } : {};
      return { kind: 'hyperopt', family: 'gmm', prior: { mu, sigma }, support, toModel: identity };
    }
    case 'lognormal':
    case 'qlognormal': {
      const { mu, sigma } = distribution;
      return lgmm(mu, sigma, distribution.kind === 'qlognormal' ? { q: distribution.q } : {}, EPS);
    }
  }
};

const clamp = (x: number, low: number, high: number): number => Math.min(high, Math.max(low, x));

/** A continuous kernel on [low, high]. */
const linearEncoding = (low: number, high: number): OptunaNumericEncoding => ({
  kind: 'optuna',
  bounds: { low, high },
  log: false,
  toModel: (x) => clamp(x, low, high),
  fromModel: (y) => clamp(y, low, high),
});

/** A grid of multiples of q (anchored at 0, as hyperopt's) from `low` to `high`, as Optuna's stepped kernels. */
const gridEncoding = (low: number, high: number, q: number): OptunaNumericEncoding => {
  const first = roundHalfEven(low / q);
  const last = Math.max(first, roundHalfEven(high / q));
  return {
    kind: 'optuna',
    bounds: { low: first * q - q / 2, high: last * q + q / 2 },
    log: false,
    toModel: (x) => clamp(x, first * q, last * q),
    bin: (x) => [x - q / 2, x + q / 2],
    fromModel: (y) => clamp(roundHalfEven(y / q), first, last) * q,
  };
};

/** A log-space kernel on [low, high] (natural units); with q, samples are rounded onto multiples of q. */
const logEncoding = (low: number, high: number, q?: number): OptunaNumericEncoding => ({
  kind: 'optuna',
  bounds: { low: Math.log(low), high: Math.log(high) },
  log: true,
  toModel: (x) => Math.log(clamp(x, low, high)),
  fromModel: (y) => {
    const x = clamp(Math.exp(y), low, high);
    return q === undefined ? x : roundHalfEven(x / q) * q;
  },
});

/**
 * The Optuna-kernel encoding of each primitive: uniform → Float, loguniform → Float(log), quantised →
 * a stepped Float on hyperopt's 0-anchored grid, uniformint → Int, randint and choices → categorical.
 * Kinds Optuna lacks are approximated: normal priors on μ ± 3σ, qloguniform as a log Float rounded to q.
 */
export const optunaEncoding = (distribution: Distribution): OptunaEncoding => {
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
