import { isActive, type ParamAssignment, type ParamNode, type SuggestContext } from '@parzen/engine';
import { describeDecision } from '../explain/explain-parameter.js';
import type { ParamExplanation, TpeExplanation } from '../explain/explanation.js';
import { type HistorySplit, observedCount, splitHistory } from '../history/history-split.js';
import { paramObservations } from '../history/observations.js';
import type { TrialHistory } from '../history/trial-history.js';
import { buildParamModel } from '../model/param-model.js';
import type { TpeSettings } from '../options.js';
import type { StartupSampler } from '../startup.js';
import { decideParam } from './decide-param.js';
import { decideJoint, relativeSearchSpace } from './joint-decision.js';
import { type KdeCaches, modelOf } from './param-models.js';

/** A suggestion: the values of every active parameter, and its explanation when one was asked for. */
export interface Suggestion {
  readonly params: ParamAssignment;
  readonly explanation?: TpeExplanation;
}

/** What one suggestion works with: the synced history, the settings, the start-up sampler and caches. */
export interface SuggestState {
  readonly history: TrialHistory;
  readonly settings: TpeSettings;
  readonly startup: StartupSampler;
  readonly caches: KdeCaches;
}

const decide = (
  state: SuggestState,
  split: HistorySplit,
  context: SuggestContext,
  param: ParamNode,
  explained?: ParamExplanation[],
): number => {
  if (explained === undefined) {
    const model = modelOf(state.history, split, param, state.settings, state.caches);
    return decideParam(model, context.rng, state.settings.candidates).value;
  }
  const observations = paramObservations(state.history, split, param.name);
  const model = buildParamModel(param.distribution, observations.below, observations.above, state.settings);
  const decision = decideParam(model, context.rng, state.settings.candidates);
  const { explainGrid } = state.settings;
  explained.push(describeDecision(param.name, param.distribution, model, observations, decision, explainGrid));
  return decision.value;
};

const inStartup = (state: SuggestState, context: SuggestContext): boolean => {
  state.history.sync(context.study, context.direction, context.trials);
  return observedCount(state.history, state.settings) < state.settings.startupTrials;
};

/**
 * One TPE suggestion (hyperopt's `tpe.suggest` walk): sync the history, fall back to the start-up sampler
 * while too few trials are observed, else split once and decide every active parameter in evaluation
 * order, each from the trials where it was active, so a choice is decided before its sub-space.
 */
export const suggestTrial = (state: SuggestState, context: SuggestContext, explain: boolean): Suggestion => {
  const { settings, history } = state;
  const startup = inStartup(state, context);
  const base = {
    algorithm: 'tpe',
    compat: settings.compat,
    trialNumber: context.trialNumber,
    startupTrials: settings.startupTrials,
  } as const;
  const observed = observedCount(history, settings);
  if (startup) {
    const params = state.startup.sample(context);
    const explanation: TpeExplanation = { ...base, phase: 'startup', observed, nBelow: 0, below: [], params: [] };
    return explain ? { params, explanation } : { params };
  }
  const split = splitHistory(history, settings);
  const explained: ParamExplanation[] | undefined = explain ? [] : undefined;
  const decided: Record<string, number> = {};
  const group =
    settings.multivariate && settings.kernel === 'optuna' ? relativeSearchSpace(history, context.space.params) : [];
  if (group.length > 1) Object.assign(decided, decideJoint(history, split, group, settings, context.rng));
  for (const param of context.space.params) {
    if (!(param.name in decided) && isActive(param, decided)) {
      decided[param.name] = decide(state, split, context, param, explained);
    }
  }
  if (explained === undefined) return { params: decided };
  const explanation: TpeExplanation = {
    ...base,
    ...(group.length > 1 ? { joint: group.map((param) => param.name) } : {}),
    phase: 'model',
    observed,
    nBelow: split.nBelow,
    below: split.below,
    params: explained,
  };
  return { params: decided, explanation };
};

/** One parameter the engine asks for on its own (outside the joint sample). */
export const suggestParam = (state: SuggestState, context: SuggestContext, param: ParamNode): number => {
  if (inStartup(state, context)) return state.startup.sampleParam(context, param);
  return decide(state, splitHistory(state.history, state.settings), context, param);
};
