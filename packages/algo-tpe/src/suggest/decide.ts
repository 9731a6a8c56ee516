import type { Rng } from '@parzen/engine/plugin';
import { argmax, scoreCandidates } from '../math/score.js';
import type { Model } from './models.js';

/** How a group of parameters was decided: the candidates, their log l, log g and scores, and the winner. */
export interface Decision {
  /** Candidate values, one array per parameter of the group. */
  readonly candidates: readonly Float64Array[];
  readonly logL: Float64Array;
  readonly logG: Float64Array;
  readonly scores: Float64Array;
  /** Index of the winning candidate (the first of tied maxima). */
  readonly index: number;
  /** The winner's value of each parameter. */
  readonly values: readonly number[];
}

/**
 * Scores given candidates under a model and picks the best: the deterministic half of a TPE step,
 * callable on injected candidates. `exact` adds the constants that do not move the argmax.
 */
export const scoreModelCandidates = (model: Model, candidates: readonly Float64Array[], exact = false): Decision => {
  const logL = model.below.logPdf(candidates, exact);
  const logG = model.above.logPdf(candidates, exact);
  const scores = scoreCandidates(logL, logG, model.aboveWeight);
  const index = Math.max(0, argmax(scores));
  return { candidates, logL, logG, scores, index, values: candidates.map((column) => column[index] as number) };
};

/** A full TPE step: `count` candidates drawn from l(x), then the argmax of log l − w · log g. */
export const decide = (model: Model, rng: Rng, count: number, exact = false): Decision =>
  scoreModelCandidates(model, model.below.sample(rng, count), exact);
