import { observedCount, splitHistory } from '../history/history-split.js';
import { TrialHistory } from '../history/trial-history.js';
import { resolveTpeSettings } from '../options.js';
import { decideJoint, jointModels, relativeSearchSpace } from '../suggest/joint-decision.js';
import { explainGrid } from './explain-grid.js';
import type { ExplainSuggestionInput } from './explain-suggestion.js';
import type { DensityCurve } from './explanation.js';

/** One jointly decided parameter: log l and log g along it, the other group parameters at the chosen point. */
export interface JointSlice {
  readonly name: string;
  readonly kind: string;
  readonly grid: DensityCurve;
  /** The value chosen for this parameter. */
  readonly value: number;
}

/** How multivariate TPE decided its group: the chosen point and a slice of l and g through it per parameter. */
export interface JointExplanation {
  readonly names: readonly string[];
  readonly chosen: Readonly<Record<string, number>>;
  readonly slices: readonly JointSlice[];
}

/**
 * Explains a multivariate TPE suggestion (the same inputs as `explainSuggestion`): replays the joint
 * decision with the same random stream, then evaluates the joint l and g along each group parameter
 * with the others fixed at the chosen point. Undefined when the suggestion had no joint group (start-up
 * phase, univariate settings, or fewer than two parameters every observed trial has).
 */
export const explainJoint = (input: ExplainSuggestionInput): JointExplanation | undefined => {
  const settings = resolveTpeSettings(input.options);
  if (!settings.multivariate || settings.kernel !== 'optuna') return undefined;
  const history = new TrialHistory();
  history.sync('explain', input.direction ?? 'minimize', input.trials);
  if (observedCount(history, settings) < settings.startupTrials) return undefined;
  const split = splitHistory(history, settings);
  const group = relativeSearchSpace(history, input.space.params);
  if (group.length < 2) return undefined;
  const chosen = decideJoint(history, split, group, settings, input.rng);
  const { l, g } = jointModels(history, split, group, settings);
  const slices = group.map((param, j) => {
    const x = explainGrid(param.distribution, settings.explainGrid);
    const points = group.map((other, k) =>
      k === j ? Float64Array.from(x) : new Float64Array(x.length).fill(chosen[other.name] as number),
    );
    return {
      name: param.name,
      kind: param.distribution.kind,
      grid: { x, logL: Array.from(l.logPdf(points)), logG: Array.from(g.logPdf(points)) },
      value: chosen[param.name] as number,
    };
  });
  return { names: group.map((param) => param.name), chosen, slices };
};
