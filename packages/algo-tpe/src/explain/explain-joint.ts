import { toExternalParams } from '@parzen/engine/plugin';
import { splitHistory, startupCount } from '../history/history-split.js';
import { TrialHistory } from '../history/trial-history.js';
import { resolveTpeSettings, trialSettings } from '../options.js';
import { logFinishing, withFailures } from '../suggest/failures.js';
import { groupModel } from '../suggest/models.js';
import { explainGrid } from './explain-grid.js';
import { type ExplainSuggestionInput, explainSuggestion } from './explain-suggestion.js';
import type { DensityCurve } from './explanation.js';

/** One jointly decided parameter: log l and log g (and log P(finishes)) along it, the rest of its group at the chosen point. */
export interface JointSlice {
  /** The parameter's name. */
  readonly name: string;
  /** Its distribution's kind (`uniform`, `loguniform`, `categorical`, ...). */
  readonly kind: string;
  /** log l and log g (and log P(finishes)) over a grid of its range, the group's others at the chosen point. */
  readonly grid: DensityCurve;
  /** The value chosen for this parameter. */
  readonly value: number;
  /** The names of the group it was decided with. */
  readonly group: readonly string[];
}

/** How TPE decided its joint groups: the chosen point and a slice of l and g through it per parameter. */
export interface JointExplanation {
  /** Every jointly decided parameter, group by group. */
  readonly names: readonly string[];
  /** The chosen point in TPE's own values (a choice as its option's index, as the slices' x axes are). */
  readonly chosen: Readonly<Record<string, number>>;
  /** The chosen point as the objective gets it (a choice as its option's value, not only its index). */
  readonly params: Readonly<Record<string, unknown>>;
  /** One slice per jointly decided parameter, in the order of `names`. */
  readonly slices: readonly JointSlice[];
}

/**
 * Explains the joint part of a TPE suggestion (the same inputs as `explainSuggestion`): replays the
 * suggestion with the same random stream, then evaluates each group's joint l and g along each of its
 * parameters with the group's other parameters fixed at the chosen point. Undefined when the suggestion
 * decided no group jointly (start-up phase, `grouping: "independent"`, or no group of two or more).
 */
export const explainJoint = async (input: ExplainSuggestionInput): Promise<JointExplanation | undefined> => {
  // The trial's own settings, as the suggester decides it (`explore`'s for the study's first trials).
  const settings = trialSettings(resolveTpeSettings(input.options), input.trialNumber ?? input.trials.length);
  if (settings.grouping === 'independent') return undefined;
  const history = new TrialHistory();
  history.sync('explain', input.direction ?? 'minimize', input.trials, [], settings.pruned);
  if (startupCount(history, settings) < settings.startupTrials) return undefined;
  // The groups the suggestion decided, as its explanation names them: the study's groups (their blocks) and a
  // branch with a shared parameter name, which only the walk can tell (review 118: those were left out).
  const { params: chosen, explanation } = await explainSuggestion(input);
  const named = new Map<string, readonly string[]>();
  for (const param of explanation.params)
    if (param.group !== undefined && param.group.length > 1) named.set(param.group.join('\u0000'), param.group);
  const groups = [...named.values()].map((names) =>
    names.map((name) => input.space.byName.get(name)).filter((param) => param !== undefined),
  );
  if (groups.length === 0) return undefined;
  const split = splitHistory(history, settings);
  const slices: JointSlice[] = [];
  for (const group of groups) {
    if (group.some((param) => chosen[param.name] === undefined)) continue; // a branch this trial did not take
    const model = withFailures(groupModel(history, split, group, settings), history, settings);
    const names = group.map((param) => param.name);
    group.forEach((param, j) => {
      const x = explainGrid(param.distribution, settings.explainGrid);
      const points = group.map((other, k) =>
        k === j ? Float64Array.from(x) : new Float64Array(x.length).fill(chosen[other.name] as number),
      );
      slices.push({
        name: param.name,
        kind: param.distribution.kind,
        grid: {
          x,
          logL: Array.from(model.below.logPdf(points, true)),
          logG: Array.from(model.above.logPdf(points, true)),
          ...(model.failures === undefined ? {} : { logFinishing: Array.from(logFinishing(model.failures, points)) }),
        },
        value: chosen[param.name] as number,
        group: names,
      });
    });
  }
  if (slices.length === 0) return undefined;
  const names = slices.map((slice) => slice.name);
  const external = toExternalParams(input.space, chosen);
  return {
    names,
    chosen: Object.fromEntries(names.map((name) => [name, chosen[name] as number])),
    params: Object.fromEntries(names.map((name) => [name, external[name]])),
    slices,
  };
};
