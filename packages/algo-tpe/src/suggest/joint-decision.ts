import type { ParamNode, Rng, Trial } from '@parzen/engine/plugin';
import type { HistorySplit } from '../history/history-split.js';
import type { TrialHistory } from '../history/trial-history.js';
import { argmax, scoreCandidates } from '../math/score.js';
import { jointAbove } from '../model/joint-above.js';
import { type JointDensity, jointDensity } from '../model/joint-density.js';
import type { TpeSettings } from '../options.js';

/**
 * Optuna's relative search space: the parameters every observed (complete or pruned) trial has, in
 * evaluation order. Conditional parameters drop out as soon as one trial lacked them.
 */
export const relativeSearchSpace = (history: TrialHistory, params: readonly ParamNode[]): ParamNode[] => {
  const observed = history.complete.size + history.pruned.size;
  if (observed === 0) return [];
  return params.filter((param) => history.column(param.name).byNumber.size === observed);
};

/** Observations of the group, one array per parameter, for trials that have every group parameter. */
const groupValues = (
  group: readonly ParamNode[],
  entries: readonly { number: number; read: (name: string) => number | undefined }[],
) => {
  const rows = entries
    .map((entry) => ({ number: entry.number, values: group.map((param) => entry.read(param.name)) }))
    .filter((row) => row.values.every((value) => value !== undefined))
    .sort((a, b) => a.number - b.number);
  return group.map((_, j) => Float64Array.from(rows, (row) => row.values[j] as number));
};

/** Complete and pruned trials outside the below set. */
const observedNumbers = (history: TrialHistory, split: HistorySplit): number[] => {
  const numbers: number[] = [];
  for (const pairs of [history.complete, history.pruned]) {
    const tags = pairs.tags;
    for (let i = 0; i < pairs.size; i++) if (split.isBelow[tags[i] as number] !== 1) numbers.push(tags[i] as number);
  }
  return numbers;
};

const fromTrial = (trial: Trial) => ({ number: trial.number, read: (name: string) => trial.params[name] });

/** The joint l (over the below trials) and g (over the rest) of a group, as {@link decideJoint} builds them. */
export const jointModels = (
  history: TrialHistory,
  split: HistorySplit,
  group: readonly ParamNode[],
  settings: TpeSettings,
): { readonly l: JointDensity; readonly g: Pick<JointDensity, 'logPdf'> } => {
  const finished = (number: number) => ({ number, read: (name: string) => history.valueOf(name, number) });
  const below = groupValues(group, split.below.map(finished));
  const distributions = group.map((param) => param.distribution);
  const l = jointDensity(distributions, below, settings);
  const g =
    jointAbove(history, split, group, settings) ??
    jointDensity(
      distributions,
      groupValues(group, [...observedNumbers(history, split).map(finished), ...split.extras.map(fromTrial)]),
      settings,
    );
  return { l, g };
};

/**
 * Decides the group's parameters together (multivariate TPE, Optuna 5.0 line): joint kernels over the
 * below and above trials that have every group parameter, candidates drawn with one shared component
 * index, argmax of log l − log g (first on ties). Returns the chosen internal values by name.
 */
export const decideJoint = (
  history: TrialHistory,
  split: HistorySplit,
  group: readonly ParamNode[],
  settings: TpeSettings,
  rng: Rng,
): Record<string, number> => {
  const { l, g } = jointModels(history, split, group, settings);
  const candidates = l.sample(rng, settings.candidates);
  const best = Math.max(0, argmax(scoreCandidates(l.logPdf(candidates), g.logPdf(candidates))));
  return Object.fromEntries(group.map((param, j) => [param.name, candidates[j]?.[best] as number]));
};
