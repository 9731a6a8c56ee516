/**
 * @packageDocumentation
 * The Parzen engine, user API: search spaces, studies (`fmin`, ask/tell), trials, experiments from a
 * JSON config, events and errors. Plugin authors find contracts and helpers in `@parzen/engine/plugin`,
 * contract suites in `@parzen/engine/testing`.
 *
 * Importing this entry loads neither inversify, rxjs nor ajv: the composition root (configs) loads
 * them on first use.
 * @module @parzen/engine
 */

export {
  type ConsoleReporterOptions,
  type ConsoleReporterSettings,
  createConsoleReporter,
  formatSummary,
} from './builtins/console-reporter.js';
export { createEventsReporter, type EventsReporterOptions } from './builtins/events-reporter.js';
export type { ObjectiveFunction, ObjectiveResult } from './builtins/function-objective.js';
export { createMemoryStore } from './builtins/memory-store.js';
export { type NoImprovementOptions, noImprovement, stopWhenOf } from './builtins/no-improvement-stopper.js';
export type {
  ExperimentConfig,
  ExperimentConfigInput,
  ExperimentConfigRequiredKey,
  PluginChoice,
} from './config/experiment-config.js';
export { expandMatrix, type MatrixVariant } from './config/matrix.js';
// The types of what runExperiment and events hand a user (trial 80: only @parzen/engine/plugin had them).
export type { ConfigNote, PluginPackage } from './contracts/manifest.js';
export type { MaybePromise } from './contracts/maybe-promise.js';
export type { EvaluationContext } from './contracts/objective.js';
export type { PruneContext, Pruner } from './contracts/pruner.js';
export type { Reporter } from './contracts/reporter.js';
export type { Clock, Logger } from './contracts/services.js';
export type { StopContext, Stopper } from './contracts/stopper.js';
export type { TrialStore } from './contracts/store.js';
export type { Suggester } from './contracts/suggester.js';
export type { ImportModule } from './di/import-plugins.js';
// A space checked and flattened as a run checks it, as a store keeps it and the report takes it (review 156: a user
// building a report from code needed /plugin for it).
export { type CompiledSpace, compileSpace } from './domain/compile-space.js';
export type { ExternalParams, ParamAssignment } from './domain/params.js';
// The builders and the params types a user names; the type-level helpers of ParamsOf are in /plugin (trial 164:
// twenty of them crowded this entry's reference).
export {
  type AnyOption,
  type AnyParams,
  choice,
  defineSpace,
  type EnqueueParams,
  hyperoptLoguniform,
  hyperoptQloguniform,
  lognormal,
  loguniform,
  type MaxParamsMembers,
  normal,
  type OptionalParams,
  option,
  type ParamsOf,
  pchoice,
  qlognormal,
  qloguniform,
  qnormal,
  quniform,
  randint,
  uniform,
  uniformint,
  type WideParams,
} from './domain/space-builder.js';
export type {
  ChoiceLiteral,
  ChoiceOptionDefinition,
  ParameterDefinition,
  ParameterType,
  SpaceDefinition,
  WeightedOptionDefinition,
} from './domain/space-definition.js';
export type { StudyRecord } from './domain/study.js';
export {
  bestTrial,
  type CompleteTrial,
  type Direction,
  type ErrorInfo,
  type FailedTrial,
  type FinishedTrial,
  type IntermediateValue,
  lastIntermediate,
  type PrunedTrial,
  type RunningTrial,
  type Trial,
  type TrialBase,
  type TrialErrorCode,
  type TrialState,
} from './domain/trial.js';
export { type ConfigIssue, type ErrorCode, ParzenError, type ParzenErrorDetails, TrialPruned } from './errors.js';
export type {
  At,
  EngineEvent,
  EngineEventType,
  EventOf,
  StopReason,
  StudySummary,
  StudyTrialCounts,
} from './events/engine-event.js';
export {
  type ExperimentResult,
  type ExperimentTrial,
  type LoadExperimentOptions,
  type LoadedExperiment,
  loadExperiment,
  openStoreForReading,
  type RunControls,
  runExperiment,
  runLoadedExperiment,
} from './experiment.js';
export { type FminOptions, type FminResult, fmin } from './fmin.js';
export type { Budget } from './runtime/budget.js';
export { type DeletedStudy, type DeleteStudyOptions, deleteStudy } from './runtime/delete-study.js';
export type { ConfigFile } from './runtime/enqueue.js';
export type { ImportedTrialRow, InvalidRow } from './runtime/imported-trials.js';
export { type InterruptHandlers, installInterruptHandlers, SIGNAL_EXIT_CODES } from './runtime/interrupts.js';
export type { RunResult } from './runtime/run-study.js';
export type { AskedTrial } from './runtime/study-session.js';
export {
  type AddTrialsResult,
  type AskOptions,
  type BestTrial,
  type EnqueuedChoice,
  type EnqueuedEntry,
  type OptimizeOptions,
  type StopWhen,
  type StopWhenContext,
  Study,
  type StudyObjective,
  type StudyOptions,
  type StudyTrial,
  type TrialView,
} from './study.js';
