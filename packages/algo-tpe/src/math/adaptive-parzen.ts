import { DEFAULT_FORGETTING, linearForgettingWeight } from './linear-forgetting.js';
import { type GaussianMixture, normalise, sortedOrder } from './mixture.js';

/** The prior of hyperopt's adaptive Parzen estimator: its kernel's mean, width and weight. */
export interface ParzenPrior {
  readonly mu: number;
  readonly sigma: number;
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

/** Widths: the larger gap to a neighbour (one-sided at the ends), clipped to [σp / min(100, n + 2), σp]. */
const parzenSigmas = (mus: Float64Array, p: number, priorSigma: number, n: number): Float64Array => {
  const size = mus.length;
  const sigmas = new Float64Array(size);
  if (n === 1) {
    sigmas[p] = priorSigma;
    sigmas[1 - p] = priorSigma / 2;
  } else if (n >= 2) {
    sigmas[0] = (mus[1] as number) - (mus[0] as number);
    sigmas[size - 1] = (mus[size - 1] as number) - (mus[size - 2] as number);
    for (let i = 1; i < size - 1; i++) {
      const m = mus[i] as number;
      sigmas[i] = Math.max(m - (mus[i - 1] as number), (mus[i + 1] as number) - m);
    }
  }
  const minSigma = priorSigma / Math.min(100, 1 + size);
  for (let i = 0; i < size; i++) sigmas[i] = Math.min(priorSigma, Math.max(minSigma, sigmas[i] as number));
  sigmas[p] = priorSigma;
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
