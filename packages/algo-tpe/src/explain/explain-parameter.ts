import type { Distribution } from '@parzen/engine/plugin';
import {
  type Density,
  describeEstimator,
  estimatorDensity,
  type ObservationSet,
  strongestKernel,
} from '../estimator/density.js';
import type { Encoding } from '../estimator/encoding.js';
import type { ParzenEstimator } from '../estimator/parzen-estimator.js';
import { argmax } from '../math/score.js';
import { resolveTpeSettings, type TpeOptions } from '../options.js';
import { type Decision, decisionScores, scoreModelCandidates } from '../suggest/decide.js';
import { logFinishing } from '../suggest/failures.js';
import { buildParamModel, type Model } from '../suggest/models.js';
import { explainGrid } from './explain-grid.js';
import type { ParamExplanation } from './explanation.js';

/** Everything {@link explainParameter} needs: the parameter, its split observations, the candidates. */
export interface ExplainParameterInput {
  /** The parameter's name, as the explanation gives it. */
  readonly name: string;
  /** Its distribution: the range and kind the model is built over. */
  readonly distribution: Distribution;
  /** The below (good) trials' values and numbers, which l(x) is built from. */
  readonly below: ObservationSet;
  /** The above trials' values and numbers, which g(x) is built from. */
  readonly above: ObservationSet;
  /** Candidate values to score (internal values; e.g. drawn from l(x) or chosen by hand). */
  readonly candidates: ArrayLike<number>;
  /** The TPE options the model is built with (default: the `parzen` profile's settings). */
  readonly options?: TpeOptions;
}

/** Builds a parameter's explanation from a model and a decision already made with it. */
export const describeDecision = (
  model: Model,
  observations: { readonly below: ObservationSet; readonly above: ObservationSet },
  decision: Decision,
  gridSize: number,
): ParamExplanation => {
  const [param] = model.params;
  const [encoding] = model.encodings;
  if (param === undefined || encoding === undefined || model.params.length !== 1) {
    throw new Error('describeDecision explains one parameter');
  }
  const { distribution } = param;
  const exact = perLogUnit(model, scoreModelCandidates(model, decision.candidates, true));
  const grid = explainGrid(distribution, gridSize);
  const finishing = model.failures === undefined ? undefined : logFinishing(model.failures, [grid]);
  return {
    name: param.name,
    kind: distribution.kind,
    ...(param.optionValues === undefined ? {} : { options: param.optionValues }),
    below: Array.from(observations.below.numbers),
    above: Array.from(observations.above.numbers),
    l: describeEstimator(model.below.estimator(), encoding, observations.below.numbers),
    g: describeEstimator(model.above.estimator(), encoding, observations.above.numbers),
    grid: {
      x: grid,
      logL: Array.from(logPerLogUnit(encoding, grid, model.below.logPdf([grid], true))),
      logG: Array.from(logPerLogUnit(encoding, grid, model.above.logPdf([grid], true))),
      ...(finishing === undefined ? {} : { logFinishing: Array.from(finishing) }),
    },
    candidates: {
      x: Array.from(exact.candidates[0] as Float64Array),
      logL: Array.from(exact.logL),
      logG: Array.from(exact.logG),
      ...finishingOf(exact),
      score: Array.from(exact.scores),
    },
    aboveWeight: model.aboveWeight,
    winner: {
      index: decision.index,
      value: decision.values[0] as number,
      score: exact.scores[decision.index] as number,
      ...kernelOf(model, decision, observations.below.numbers),
    },
    ...(decision.skippedRepeats ? { skippedRepeats: decision.skippedRepeats } : {}),
    ...(decision.repeated ? { repeated: true as const } : {}),
  };
};

/**
 * Log densities of a log-scale parameter per unit of log x, as the model, the decision's scores and a log
 * axis see them: hyperopt's exact densities of its continuous log kinds are per unit of x (they carry
 * −ln x), so on the report's log axis its l(x) peaked at the lower bound, away from the good trials
 * (trial 77), and with an `aboveWeight` other than 1 the scores shown were not those that decided.
 */
const logPerLogUnit = (encoding: Encoding, x: ArrayLike<number>, logs: Float64Array): Float64Array =>
  encoding.kind === 'numeric' && encoding.jacobian ? logs.map((v, i) => v + Math.log(x[i] as number)) : logs;

/** A one-parameter decision's log l, log g and scores per unit of log x (see {@link logPerLogUnit}). */
const perLogUnit = (model: Model, decision: Decision): Decision => {
  const [encoding] = model.encodings;
  const [x] = decision.candidates;
  if (encoding === undefined || x === undefined || !(encoding.kind === 'numeric' && encoding.jacobian)) return decision;
  const logL = logPerLogUnit(encoding, x, decision.logL);
  const logG = logPerLogUnit(encoding, x, decision.logG);
  return { ...decision, logL, logG, scores: decisionScores(logL, logG, model.aboveWeight, decision.logFinishing) };
};

/** The kernel of l(x) with the largest share at the decision's chosen point, as the winner's `kernel` field. */
const kernelOf = (
  model: Model,
  decision: Decision,
  numbers: Int32Array,
): { kernel?: NonNullable<ReturnType<typeof strongestKernel>> } => {
  const kernel = strongestKernel(model.below, decision.values, numbers);
  return kernel === undefined ? {} : { kernel };
};

/** A decision's log P(finishes) at its candidates, as an explanation field (none when failures did not count). */
const finishingOf = (decision: Decision): { logFinishing?: number[] } =>
  decision.logFinishing === undefined ? {} : { logFinishing: Array.from(decision.logFinishing) };

/** Dimension j of a joint estimator on its own: the same weights, that dimension's kernels (its marginal). */
const marginal = (estimator: ParzenEstimator, j: number): ParzenEstimator => ({
  weights: estimator.weights,
  dimensions: [estimator.dimensions[j] as ParzenEstimator['dimensions'][number]],
  truncation: estimator.truncation,
  sources: estimator.sources,
});

/**
 * Explains a group decided jointly, one entry per parameter: l and g are the marginals of the joint
 * estimators in that parameter (the same weights, its kernels), the grid curves are those marginals, and
 * the candidates' log l, log g and scores are the joint ones that decided (`group` names the group).
 */
export const describeGroupDecision = (
  model: Model,
  observations: { readonly below: ObservationSet; readonly above: ObservationSet },
  decision: Decision,
  gridSize: number,
): ParamExplanation[] => {
  const exact = scoreModelCandidates(model, decision.candidates, true);
  const group = model.params.map((param) => param.name);
  const below = model.below.estimator();
  const above = model.above.estimator();
  const kernel = kernelOf(model, decision, observations.below.numbers);
  return model.params.map((param, j) => {
    const encoding = model.encodings[j] as Model['encodings'][number];
    const grid = explainGrid(param.distribution, gridSize);
    const l: Density = estimatorDensity(marginal(below, j), [encoding]);
    const g: Density = estimatorDensity(marginal(above, j), [encoding]);
    const { failures } = model;
    const finishing =
      failures === undefined
        ? undefined
        : logFinishing(
            {
              ...failures,
              finished: estimatorDensity(marginal(failures.finished.estimator(), j), [encoding]),
              failed: estimatorDensity(marginal(failures.failed.estimator(), j), [encoding]),
            },
            [grid],
          );
    return {
      name: param.name,
      kind: param.distribution.kind,
      ...(param.optionValues === undefined ? {} : { options: param.optionValues }),
      group,
      below: Array.from(observations.below.numbers),
      above: Array.from(observations.above.numbers),
      l: describeEstimator(marginal(below, j), encoding, observations.below.numbers),
      g: describeEstimator(marginal(above, j), encoding, observations.above.numbers),
      grid: {
        x: grid,
        logL: Array.from(l.logPdf([grid], true)),
        logG: Array.from(g.logPdf([grid], true)),
        ...(finishing === undefined ? {} : { logFinishing: Array.from(finishing) }),
      },
      candidates: {
        x: Array.from(exact.candidates[j] as Float64Array),
        logL: Array.from(exact.logL),
        logG: Array.from(exact.logG),
        ...finishingOf(exact),
        score: Array.from(exact.scores),
      },
      aboveWeight: model.aboveWeight,
      winner: {
        index: decision.index,
        value: decision.values[j] as number,
        score: exact.scores[decision.index] as number,
        ...kernel,
      },
      ...(decision.skippedRepeats ? { skippedRepeats: decision.skippedRepeats } : {}),
      ...(decision.repeated ? { repeated: true as const } : {}),
    };
  });
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
 *   candidates: [0, 0.5, 1],
 * }).winner; // { index: 1, value: 0.5, score: -0.1301… } (with options: { profile: 'hyperopt' }, its wider kernels pick index 0)
 */
export const explainParameter = (input: ExplainParameterInput): ParamExplanation => {
  const settings = resolveTpeSettings(input.options);
  const model = buildParamModel(input, input.below, input.above, settings);
  // Decided per unit of log x, as the suggester decides (see logPerLogUnit).
  const scored = perLogUnit(model, scoreModelCandidates(model, [Float64Array.from(input.candidates)], true));
  const index = Math.max(0, argmax(scored.scores));
  const decision = { ...scored, index, values: scored.candidates.map((column) => column[index] as number) };
  return describeDecision(model, input, decision, settings.explainGrid);
};
