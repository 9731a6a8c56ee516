import { DEFAULT_FORGETTING, linearForgettingWeight } from './linear-forgetting.js';
import { type GaussianMixture, normalise, sortedOrder } from './mixture.js';

/** The prior of hyperopt's adaptive Parzen estimator: its kernel's mean, width and weight. */
export interface ParzenPrior {
  /** The prior kernel's centre, in model space. */
  readonly mu: number;
  /** Its width; also the largest width an observation's kernel gets. */
  readonly sigma: number;
  /** Its weight beside the observations' before normalising (the `priorWeight` setting). */
  readonly weight: number;
}

/**
 * hyperopt's `adaptive_parzen_normal` on observations already sorted ascending (`order[i]` = arrival
 * index of the i-th smallest, ties by arrival). Components come out in sorted order with the prior
 * inserted left of observations equal to its mean (right of a single one, as hyperopt does).
 * Linear forgetting weighs observations by arrival when there are more than `lf`.
 */
export const adaptiveParzenSorted = (
  sorted: Float64Array,
  order: Int32Array,
  prior: ParzenPrior,
  lf = DEFAULT_FORGETTING,
): GaussianMixture => {
  const n = sorted.length;
  let p = 0;
  if (n === 1) p = prior.mu < (sorted[0] as number) ? 0 : 1;
  else while (p < n && (sorted[p] as number) < prior.mu) p++;
  const size = n + 1;
  const mus = new Float64Array(size);
  const sources = new Int32Array(size);
  const weights = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const j = i < p ? i : i - 1;
    if (i === p) {
      mus[i] = prior.mu;
      sources[i] = -1;
      weights[i] = prior.weight;
    } else {
      mus[i] = sorted[j] as number;
      sources[i] = order[j] as number;
      weights[i] = n > lf ? linearForgettingWeight(order[j] as number, n, lf) : 1;
    }
  }
  const sigmas = parzenSigmas(mus, p, prior.sigma, n);
  return { weights: normalise(weights), mus, sigmas, sources };
};

/** hyperopt's smallest width among n observations: σp / min(100, n + 2) (tpe-spec 3.4). */
export const hyperoptMinimumWidth = (priorSigma: number, n: number): number => priorSigma / Math.min(100, n + 2);

/**
 * hyperopt's width of one kernel at y among sorted observations, given its observed neighbours (undefined
 * at an end): the prior mean counts as one more neighbour (left of observations equal to it), the larger
 * gap to a neighbour is taken (one-sided at the ends) and clipped to [minSigma, σp] (tpe-spec 3.4).
 */
export const hyperoptNeighbourWidth = (
  prior: { readonly mu: number; readonly sigma: number },
  y: number,
  previous: number | undefined,
  next: number | undefined,
  minSigma: number,
): number => {
  let left = previous;
  let right = next;
  if (prior.mu <= y) left = left === undefined ? prior.mu : Math.max(left, prior.mu);
  else right = right === undefined ? prior.mu : Math.min(right, prior.mu);
  const gap =
    left === undefined ? (right as number) - y : right === undefined ? y - left : Math.max(y - left, right - y);
  return Math.min(prior.sigma, Math.max(minSigma, gap));
};

/**
 * Widths of the sorted components (the prior at p): {@link hyperoptNeighbourWidth} of each observation;
 * with one observation, hyperopt gives it half the prior's width.
 */
const parzenSigmas = (mus: Float64Array, p: number, priorSigma: number, n: number): Float64Array => {
  const size = mus.length;
  const sigmas = new Float64Array(size);
  sigmas[p] = priorSigma;
  if (n === 1) {
    sigmas[1 - p] = Math.max(hyperoptMinimumWidth(priorSigma, n), priorSigma / 2);
    return sigmas;
  }
  const prior = { mu: mus[p] as number, sigma: priorSigma };
  const minSigma = hyperoptMinimumWidth(priorSigma, n);
  for (let i = 0; i < size; i++) {
    if (i === p) continue;
    // The observed neighbours: the components beside i, the prior's place skipped.
    const before = i - 1 === p ? i - 2 : i - 1;
    const after = i + 1 === p ? i + 2 : i + 1;
    const previous = before >= 0 ? (mus[before] as number) : undefined;
    const next = after < size ? (mus[after] as number) : undefined;
    sigmas[i] = hyperoptNeighbourWidth(prior, mus[i] as number, previous, next, minSigma);
  }
  return sigmas;
};

/**
 * hyperopt's `adaptive_parzen_normal(obs, prior_weight, prior_mu, prior_sigma, LF)` (tpe-spec 3.4):
 * observations in arrival order in, mixture in sorted order with the prior inserted out.
 *
 * @example
 * adaptiveParzenNormal([1], { mu: 0, sigma: 4, weight: 1 }); // weights [.5, .5], mus [0, 1], sigmas [4, 2]
 */
export const adaptiveParzenNormal = (
  obs: ArrayLike<number>,
  prior: ParzenPrior,
  lf = DEFAULT_FORGETTING,
): GaussianMixture => {
  const order = sortedOrder(obs);
  const sorted = Float64Array.from(order, (i) => obs[i] as number);
  return adaptiveParzenSorted(sorted, order, prior, lf);
};
