/**
 * @packageDocumentation
 * The Parzen engine: search spaces, trials, plugin contracts, the run loop, the event bus and the
 * composition root that turns a JSON config into a running study.
 */

export { checkSameStudy } from './builtins/check-same-study.js';
export {
  type ConsoleReporterOptions,
  consoleReporterManifest,
  createConsoleReporter,
  formatSummary,
} from './builtins/console-reporter.js';
export {
  createFunctionObjective,
  type FunctionObjectiveOptions,
  functionObjectiveManifest,
  type ObjectiveFunction,
} from './builtins/function-objective.js';
export { createMemoryStore, memoryStoreManifest } from './builtins/memory-store.js';
export { ajvIssues, createAjv } from './config/ajv-issues.js';
export type { ExperimentConfig, PluginChoice } from './config/experiment-config.js';
export {
  baseConfigSchema,
  composeConfigSchema,
  MAX_CONCURRENCY,
  MAX_SECONDS,
  MAX_TRIALS,
} from './config/experiment-schema.js';
export { type ConfigDefaults, validateConfig } from './config/validate-config.js';
export {
  type AnyPluginManifest,
  defineObjective,
  defineReporter,
  defineStore,
  defineSuggester,
  type ManifestInput,
  PLUGIN_KINDS,
  type PluginContext,
  type PluginInstances,
  type PluginKind,
  type PluginManifest,
} from './contracts/manifest.js';
export type { MaybePromise } from './contracts/maybe-promise.js';
export type { EvaluationContext, EvaluationResult, ObjectiveAdapter } from './contracts/objective.js';
export type { Reporter } from './contracts/reporter.js';
export type { CreateTrialOptions, TrialStore } from './contracts/store.js';
export type { SuggestContext, Suggester, TrialSampler } from './contracts/suggester.js';
export { importPluginManifests } from './di/import-plugins.js';
export { engineModule, pluginModule } from './di/plugin-module.js';
export { createRegistry, manifestProblem, type PluginRegistry } from './di/registry.js';
export { PLUGIN_MANIFEST, PLUGIN_REGISTRY } from './di/tokens.js';
export { canonicalJson } from './domain/canonical-json.js';
export { type ActivationCondition, type CompiledSpace, compileSpace, type ParamNode } from './domain/compile-space.js';
export { type Distribution, type DistributionKind, isInSupport, isIntegerKind } from './domain/distribution.js';
export {
  createHaltonSampler,
  createHaltonScramble,
  firstPrimes,
  type HaltonSampler,
  type HaltonScramble,
  haltonCoordinate,
} from './domain/halton.js';
export { normalQuantile } from './domain/normal-quantile.js';
export {
  activeParamNames,
  type ExternalParams,
  isActive,
  type ParamAssignment,
  toExternalParams,
} from './domain/params.js';
export { createRng, deriveRng, type Rng, standardNormal, uniformBetween, weightedIndex } from './domain/rng.js';
export { quantize, roundHalfEven } from './domain/rounding.js';
export { sampleDistribution } from './domain/sample-distribution.js';
export { sampleFromUnit } from './domain/sample-from-unit.js';
export * from './domain/space-builder.js';
export {
  type ChoiceLiteral,
  type ChoiceOptionDefinition,
  type ParameterDefinition,
  type ParameterType,
  type SpaceDefinition,
  spaceJsonSchema,
  type WeightedOptionDefinition,
} from './domain/space-definition.js';
export type { StudyRecord, StudySpec } from './domain/study.js';
export {
  bestTrial,
  type CompleteTrial,
  type Direction,
  type ErrorInfo,
  type FailedTrial,
  type FinishedTrial,
  isBetter,
  type Lease,
  lossToMinimize,
  type PrunedTrial,
  type RunningTrial,
  type Trial,
  type TrialOutcome,
  type TrialState,
} from './domain/trial.js';
export { copyParams, finishedTrial, runningTrial } from './domain/trial-builders.js';
export {
  type ConfigIssue,
  describeValue,
  type ErrorCode,
  formatIssues,
  ParzenError,
  type ParzenErrorDetails,
  studyNotFound,
  trialAlreadyFinished,
  trialNotFound,
} from './errors.js';
export {
  type At,
  type EngineEvent,
  type EngineEventType,
  type EventOf,
  ofType,
  type StopReason,
  type StudySummary,
} from './events/engine-event.js';
export { connectReporters, createEventBus, type EventBus } from './events/event-bus.js';
export { observeEvents } from './events/observe-events.js';
export { type FminOptions, type FminResult, fmin } from './fmin.js';
export {
  createPlugin,
  engineBuiltinsModule,
  type LoadExperimentOptions,
  type LoadedExperiment,
  loadExperiment,
  type RunControls,
  resolveConfigPath,
  runExperiment,
  runLoadedExperiment,
} from './run-experiment.js';
export { type Budget, BudgetTracker, trialLimit } from './runtime/budget.js';
export { type EvaluateOptions, evaluateTrial } from './runtime/evaluate-trial.js';
export { interpretObjectiveValue } from './runtime/interpret-result.js';
export { type InterruptHandlers, installInterruptHandlers, SIGNAL_EXIT_CODES } from './runtime/interrupts.js';
export { type RunResult, type RunStudyOptions, runStudy } from './runtime/run-study.js';
export { createWorkerId, failStaleTrials, isStale } from './runtime/stale-trials.js';
export { type AskedTrial, askTrial, type StudySession, tellTrial } from './runtime/study-session.js';
export { suggestParams } from './runtime/suggest-params.js';
export { summarize } from './runtime/summarize.js';
export { Study, type StudyOptions } from './study.js';
