/**
 * @packageDocumentation
 * The Tree-structured Parzen Estimator for Parzen: hyperopt's TPE (`profile: "hyperopt"`), Optuna's TPE on
 * the 5.0 line (`profile: "optuna"` univariate, `profile: "optuna5"` its default sampler) and our default
 * (`profile: "parzen"`), with explanations of every suggestion. The estimator, its density families and
 * backends, and the pure math are under `@parzen/algo-tpe/plugin`.
 * @module @parzen/algo-tpe
 */

export type {
  CategoricalComponents,
  ComponentsDescription,
  GaussianComponents,
  ObservationSet,
} from './estimator/density.js';
export { explainGrid } from './explain/explain-grid.js';
export { explainJoint, type JointExplanation, type JointSlice } from './explain/explain-joint.js';
export { type ExplainParameterInput, explainParameter } from './explain/explain-parameter.js';
export { type ExplainSuggestionInput, explainSuggestion } from './explain/explain-suggestion.js';
export {
  type BranchCondition,
  type DensityCurve,
  isTpeExplanation,
  type ParamExplanation,
  type TpeExplanation,
} from './explain/explanation.js';
export { manifests, tpeSuggesterManifest } from './manifest.js';
export {
  type BoundaryTies,
  type ConstantLiar,
  type FailedTrialPolicy,
  type ProfileSettings,
  type PrunedTrialPolicy,
  resolveTpeSettings,
  type StartupSuggesterName,
  TPE_PROFILES,
  type TpeCompat,
  type TpeExplore,
  type TpeFrame,
  type TpeGrouping,
  type TpeKernel,
  type TpeOptions,
  type TpeProfile,
  type TpeSettings,
  type TpeSplitRule,
} from './options.js';
export { tpeOptionsSchema } from './options-schema.js';
export { settingsOffProfile } from './settings-off-profile.js';
export type { Suggestion } from './suggest/suggest-trial.js';
export { createTpeSuggester } from './tpe-suggester.js';
