import type { Rng } from '@parzen/engine/plugin';
import { argmax, scoreCandidates } from '../math/score.js';
import type { ParamModel } from '../model/param-model.js';

/** How one parameter was decided: the candidates, their log l, log g and scores, and the winner. */
export interface ParamDecision {
  readonly candidates: Float64Array;
  readonly logL: Float64Array;
  readonly logG: Float64Array;
  readonly scores: Float64Array;
  /** Index of the winning candidate (the first of tied maxima). */
  readonly index: number;
  readonly value: number;
}

/**
 * Scores given candidates under a parameter's model and picks the best: the deterministic half of a TPE
 * step, callable on injected candidates. `exact` adds the constants that do not move the argmax.
 */
export const scoreParamCandidates = (model: ParamModel, candidates: Float64Array, exact = false): ParamDecision => {
  const logL = model.below.logPdf(candidates, exact);
  const logG = model.above.logPdf(candidates, exact);
  const scores = scoreCandidates(logL, logG);
  const index = Math.max(0, argmax(scores));
  return { candidates, logL, logG, scores, index, value: candidates[index] as number };
};

/** A full TPE step for one parameter: `count` candidates drawn from l(x), then the argmax of log l − log g. */
export const decideParam = (model: ParamModel, rng: Rng, count: number, exact = false): ParamDecision =>
  scoreParamCandidates(model, model.below.sample(rng, count), exact);
