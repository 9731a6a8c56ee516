import type { Distribution } from '@parzen/engine/plugin';
import type { ObservationSet } from '../model/param-density.js';
import { buildParamModel, type ParamModel } from '../model/param-model.js';
import { resolveTpeSettings, type TpeOptions } from '../options.js';
import { type ParamDecision, scoreParamCandidates } from '../suggest/decide-param.js';
import { explainGrid } from './explain-grid.js';
import type { ParamExplanation } from './explanation.js';

/** Everything {@link explainParameter} needs: the parameter, its split observations, the candidates. */
export interface ExplainParameterInput {
  readonly name: string;
  readonly distribution: Distribution;
  readonly below: ObservationSet;
  readonly above: ObservationSet;
  /** Candidate values to score (internal values; e.g. drawn from l(x) or chosen by hand). */
  readonly candidates: ArrayLike<number>;
  readonly options?: TpeOptions;
}

/** Builds a parameter's explanation from a model and a decision already made with it. */
export const describeDecision = (
  name: string,
  distribution: Distribution,
  model: ParamModel,
  observations: { readonly below: ObservationSet; readonly above: ObservationSet },
  decision: ParamDecision,
  gridSize: number,
): ParamExplanation => {
  const exact = scoreParamCandidates(model, decision.candidates, true);
  const grid = explainGrid(distribution, gridSize);
  return {
    name,
    kind: distribution.kind,
    below: Array.from(observations.below.numbers),
    above: Array.from(observations.above.numbers),
    l: model.below.describe(),
    g: model.above.describe(),
    grid: {
      x: grid,
      logL: Array.from(model.below.logPdf(grid, true)),
      logG: Array.from(model.above.logPdf(grid, true)),
    },
    candidates: {
      x: Array.from(exact.candidates),
      logL: Array.from(exact.logL),
      logG: Array.from(exact.logG),
      score: Array.from(exact.scores),
    },
    winner: { index: decision.index, value: decision.value, score: exact.scores[decision.index] as number },
  };
};

/**
 * Explains how TPE decides one parameter, as a pure function of its below and above observations and
 * the candidates: the mixture components of l and g, log l and log g over a grid and at every candidate,
 * the scores and the winner (first of tied maxima).
 *
 * @example
 * explainParameter({
 *   name: 'x', distribution: { kind: 'uniform', low: -2, high: 2 },
 *   below: { values: Float64Array.of(0.55), numbers: Int32Array.of(4) },
 *   above: { values: Float64Array.of(-1.6, 1.3), numbers: Int32Array.of(0, 6) },
 *   candidates: [0, 0.5, 1], options: { compat: 'hyperopt' },
 * }).winner; // { index: 1, value: 0.5, score: … }
 */
export const explainParameter = (input: ExplainParameterInput): ParamExplanation => {
  const settings = resolveTpeSettings(input.options);
  const model = buildParamModel(input.distribution, input.below, input.above, settings);
  const decision = scoreParamCandidates(model, Float64Array.from(input.candidates), true);
  return describeDecision(input.name, input.distribution, model, input, decision, settings.explainGrid);
};
