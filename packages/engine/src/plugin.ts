/**
 * @packageDocumentation
 * For plugin authors (suggesters, stores, objectives, reporters, pruners, stoppers): the contracts, the
 * manifest helpers, the study's services, and the helpers the built-in plugins use (sampling, spaces,
 * trial builders, store errors, the run loop). What only Parzen's CLI and report use is in
 * `@parzen/engine/host`. Loads neither inversify, rxjs nor ajv.
 * @module @parzen/engine/plugin
 */

export {
  assertOptions,
  definedOptions,
  type ObjectSchemaNode,
  optionIssues,
  type SchemaNode,
} from './api-options.js';
export { trialsChangedSince } from './builtins/change-log.js';
export { checkSameStudy } from './builtins/check-same-study.js';
export {
  createFunctionObjective,
  type FunctionObjectiveOptions,
  type FunctionObjectiveSource,
  functionObjectiveManifest,
  type ObjectiveFunction,
  type ObjectiveResult,
} from './builtins/function-objective.js';
export { memoryStoreManifest } from './builtins/memory-store.js';
export {
  createNoImprovementStopper,
  type NoImprovementOptions,
  noImprovementStopperManifest,
} from './builtins/no-improvement-stopper.js';
export { nonePruner, nonePrunerManifest } from './builtins/none-pruner.js';
export {
  clippedText,
  inSeconds,
  KEPT_TEXT_CHARS,
  lastStderrLine,
  passwordMasked,
  printable,
  shellQuoted,
} from './builtins/words.js';
export type { ExperimentConfig, PluginChoice } from './config/experiment-config.js';
export {
  endsWithSeparator,
  expandHome,
  resolveConfigPath,
  STUDY_FILE_NAME_BYTES,
  storeFilePathIssues,
  studyFileNameIssues,
} from './config/paths.js';
export type { ConfigDefaults } from './config/validate-config.js';
export {
  type AnyPluginManifest,
  type ConfigNote,
  defineObjective,
  definePruner,
  defineReporter,
  defineStopper,
  defineStore,
  defineSuggester,
  type ManifestInput,
  type NotesContext,
  PLUGIN_KINDS,
  type PluginCheckContext,
  type PluginContext,
  type PluginInstances,
  type PluginKind,
  type PluginManifest,
  type PluginPackage,
  type StoreCheckContext,
} from './contracts/manifest.js';
export type { MaybePromise } from './contracts/maybe-promise.js';
export type { AdapterContext, EvaluationContext, EvaluationResult, ObjectiveAdapter } from './contracts/objective.js';
export type { PruneContext, Pruner } from './contracts/pruner.js';
export type { Reporter } from './contracts/reporter.js';
export {
  type Clock,
  defineService,
  type Logger,
  type PluginFactory,
  type RngFactory,
  SERVICES,
  type ServiceProvider,
  type Services,
  type ServiceToken,
  type Stopping,
  serviceToken,
  stopSignal,
  systemClock,
} from './contracts/services.js';
export type { StopContext, Stopper } from './contracts/stopper.js';
export type {
  AddTrialsOptions,
  CreateTrialOptions,
  EnqueuedParams,
  EnqueuedRemoval,
  EnqueuedSelector,
  FsyncPolicy,
  NewFinishedTrial,
  StudyDeletion,
  StudyDeletionOptions,
  TakenEntry,
  TrialChanges,
  TrialStore,
} from './contracts/store.js';
export type { SuggestContext, Suggester, TrialSampler } from './contracts/suggester.js';
export { packageName } from './di/import-plugins.js';
export type { PluginRegistry } from './di/registry.js';
export { canonicalJson, canonicalSpace, sameSpace } from './domain/canonical-json.js';
export {
  type ActivationCondition,
  type CompiledSpace,
  compileSpace,
  inStudyOrder,
  type ParamNode,
} from './domain/compile-space.js';
export {
  type Distribution,
  type DistributionKind,
  gridSteps,
  isInSupport,
  isIntegerKind,
  quantizeInGrid,
} from './domain/distribution.js';
export { EntryQueue, pickWaiting, storedEntry } from './domain/entry-queue.js';
export { createHaltonSampler, firstPrimes, type HaltonSampler } from './domain/halton.js';
export { erf, erfc, erfcx, logErfc } from './domain/normal/erf.js';
export { ndtriExp } from './domain/normal/ndtri.js';
export { LOG_SQRT_2PI, logGaussMass, logNormalCdf, normalCdf, normalLogPdf, SQRT_2PI } from './domain/normal/normal.js';
export { normalQuantile } from './domain/normal/normal-quantile.js';
export { ownEntry } from './domain/own-entry.js';
export {
  activeParamNames,
  activeTogether,
  alwaysActiveParams,
  type ExternalParams,
  type InternalParamsResult,
  isActive,
  type ParamAssignment,
  type RequiredChoices,
  requiredChoices,
  toExternalParams,
  toInternalParams,
  walkSpace,
} from './domain/params.js';
export {
  addedTrialKey,
  type ComparedTrial,
  refuseRepeatedTrials,
  repeatsOf,
  trialsToAdd,
} from './domain/repeated-trials.js';
export {
  createRng,
  deriveRng,
  objectiveSeed,
  type Rng,
  standardNormal,
  trialRng,
  uniformBetween,
  weightedIndex,
} from './domain/rng.js';
export { quantize, roundHalfEven } from './domain/rounding.js';
export { sampleDistribution, sampleFromUnit } from './domain/sample-distribution.js';
// The type-level helpers of ParamsOf and EnqueueParams (the root exports those two): exported so that a declaration
// naming them can be read, and kept off the user's reference.
export type {
  BranchKeys,
  BranchParams,
  BranchSpacesOf,
  ChoiceBranchParams,
  ExactParams,
  NestedParams,
  OptionSpace,
  OptionValue,
  ParamNames,
  ParamPlaces,
  ParamsChoiceCount,
  ParamsChoicesCount,
  ParamsCount,
  ParamsCountOver,
  ParamsOptionsCount,
  ParamsTally,
  ParamsTallyOf,
  ParamsTallyPlus,
  ParamsTallyTimes,
  SpacedOptionOf,
  SubSpacesOf,
  UnionMember,
  UnionToIntersection,
  UnmetDeciders,
  ValueOf,
} from './domain/space-builder.js';
export type { SpaceDefinition } from './domain/space-definition.js';
export { checkStoredTrials, storedTrialsNote } from './domain/stored-trials.js';
export {
  fromKeptSuggester,
  keptStudy,
  keptSuggester,
  type StudyRecord,
  type StudySpec,
  type StudySuggester,
} from './domain/study.js';
export { countByState, deletionGoesOn, studyDeletion } from './domain/study-deletion.js';
export {
  bestTrial,
  type CompleteTrial,
  type Direction,
  type ErrorInfo,
  endedUnrun,
  type FailedTrial,
  type FinishedTrial,
  failedAtParams,
  type IntermediateValue,
  isBetter,
  type Lease,
  lastIntermediate,
  lossToMinimize,
  type OutcomeFields,
  outcomeFields,
  outcomeFromFields,
  type PrunedTrial,
  prunedOutcome,
  type RunningTrial,
  type Trial,
  type TrialErrorCode,
  type TrialOutcome,
  type TrialState,
} from './domain/trial.js';
export {
  addedTrial,
  addIntermediate,
  copyParams,
  finishedTrial,
  hasStep,
  runningTrial,
  salvagedTrial,
  stepIndex,
  withIntermediate,
} from './domain/trial-builders.js';
export {
  type Closeness,
  type ConfigIssue,
  configErrorUnder,
  describeValue,
  didYouMean,
  type ErrorCode,
  errorFacts,
  escapePointer,
  formatIssues,
  invalidConfig,
  issuesUnder,
  lookAlikeKey,
  ParzenError,
  type ParzenErrorDetails,
  sameTextHint,
  storeClosed,
  storeUnsupported,
  studyDeleted,
  studyNotFound,
  TrialPruned,
  thrownAt,
  trialAlreadyFinished,
  trialNotFound,
} from './errors.js';
export type {
  EngineEvent,
  EngineEventType,
  EventOf,
  StudySummary,
  StudyTrialCounts,
} from './events/engine-event.js';
export type { EventBus } from './events/event-bus.js';
export { streamReporter } from './events/stream-reporter.js';
export { SET_UP_BOUND_MS } from './runtime/evaluate-trial.js';
export type { ImportedTrialRow } from './runtime/imported-trials.js';
export { describeThrown, failedResult, interpretObjectiveValue, thrownErrorInfo } from './runtime/interpret-result.js';
export { lookAlikeFileHint } from './runtime/look-alike-file.js';
export { folderNotMade, makeFolder } from './runtime/make-folder.js';
export { inModuleLoad, ModuleLoadRefused, NEVER_SETTLED } from './runtime/process-exits.js';
export { lateReportNote } from './runtime/pruning.js';
export {
  earlierTrialsEnded,
  failedRun,
  lateStopNote,
  type RunResult,
  type RunStudyOptions,
  runStudy,
} from './runtime/run-study.js';
export {
  isStale,
  type ProcessRecord,
  processState,
  staleness,
  staleTrialOutcome,
  statFields,
  thisProcess,
} from './runtime/stale-trials.js';
export { strayBetweenTrialsNote } from './runtime/stray-errors.js';
export { suggestParams } from './runtime/suggest-params.js';
export { storeUpgradeNote, warnOnStderr } from './runtime/warn-on-stderr.js';
