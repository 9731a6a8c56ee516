/**
 * @packageDocumentation
 * The Tree-structured Parzen Estimator for Parzen: hyperopt's TPE (`compat: "hyperopt"`), Optuna's
 * univariate TPE on the 5.0 line (`compat: "optuna"`) and our default (`compat: "parzen"`), with
 * explanations of every suggestion and the pure math they are made of.
 */

export { explainGrid } from './explain/explain-grid.js';
export { explainJoint, type JointExplanation, type JointSlice } from './explain/explain-joint.js';
export { describeDecision, type ExplainParameterInput, explainParameter } from './explain/explain-parameter.js';
export { type ExplainSuggestionInput, explainSuggestion } from './explain/explain-suggestion.js';
export type { DensityCurve, ParamExplanation, TpeExplanation } from './explain/explanation.js';
export { belowCount, type HistorySplit, observedCount, splitHistory } from './history/history-split.js';
export { type ParamObservations, paramObservations } from './history/observations.js';
export { TrialHistory } from './history/trial-history.js';
export { manifests, tpeSuggesterManifest } from './manifest.js';
export { adaptiveParzenNormal, adaptiveParzenSorted, type ParzenPrior } from './math/adaptive-parzen.js';
export { erf, erfc, erfcx, logErfc } from './math/erf.js';
export { fastExpNonPositive } from './math/fast-exp.js';
export { type GaussianSum, logGaussianSum, prepareGaussianSum } from './math/gaussian-sum.js';
export { HERMITE_TERMS, HermiteMoments } from './math/hermite-moments.js';
export { hyperoptCategorical } from './math/hyperopt-categorical.js';
export {
  EPS,
  gaussianSumOf,
  gmmLogPdf,
  type HyperoptSupport,
  lgmmLogPdf,
  logAcceptance,
} from './math/hyperopt-density.js';
export { DEFAULT_FORGETTING, linearForgettingWeight, linearForgettingWeights } from './math/linear-forgetting.js';
export { logSumExp } from './math/log-sum-exp.js';
export { type GaussianMixture, normalise, sortedOrder } from './math/mixture.js';
export { ndtri, ndtriExp } from './math/ndtri.js';
export { LOG_SQRT_2PI, logGaussMass, logNormalCdf, normalCdf, normalLogPdf } from './math/normal.js';
export {
  type CategoricalKernels,
  categoricalMixtureProbabilities,
  optunaCategoricalKernels,
} from './math/optuna-categorical.js';
export {
  logKernelMass,
  optunaBinLogPdf,
  optunaLogPdf,
  optunaProductLogPdf,
  type ProductDimension,
  sortMixture,
  truncatedGaussianSum,
  truncatedLogPdfAt,
} from './math/optuna-density.js';
export {
  type KernelBounds,
  type OptunaKernelSettings,
  optunaKernelsSorted,
  optunaNumericKernels,
  optunaSigmasSorted,
} from './math/optuna-kernels.js';
export { argmax, scoreCandidates } from './math/score.js';
export {
  compareLoss,
  hyperoptBelowCount,
  type LossEntry,
  type OptunaSplitEntry,
  optunaBelowCount,
  type Split,
  splitByLoss,
  splitOptuna,
} from './math/split.js';
export { sampleTruncatedNormal, truncatedNormalQuantile } from './math/truncated-normal.js';
export {
  type CategoricalEncoding,
  type HyperoptEncoding,
  type HyperoptNumericEncoding,
  hyperoptEncoding,
  NORMAL_SPAN,
  type OptunaEncoding,
  type OptunaNumericEncoding,
  optunaEncoding,
} from './model/encoding.js';
export type {
  CategoricalComponents,
  ComponentsDescription,
  GaussianComponents,
  ObservationSet,
  ParamDensity,
} from './model/param-density.js';
export { buildDensity, buildParamModel, type ParamModel } from './model/param-model.js';
export {
  type FailedTrialPolicy,
  type RunningTrialPolicy,
  resolveTpeSettings,
  type StartupSamplerName,
  TPE_PROFILES,
  type TpeCompat,
  type TpeKernel,
  type TpeOptions,
  type TpeSettings,
  type TpeSplitRule,
} from './options.js';
export { tpeOptionsSchema } from './options-schema.js';
export { decideParam, type ParamDecision, scoreParamCandidates } from './suggest/decide-param.js';
export { beginTpeTrial, type Suggestion, type SuggestState } from './suggest/suggest-trial.js';
export { createSuggestState, createTpeSuggester } from './tpe-suggester.js';
