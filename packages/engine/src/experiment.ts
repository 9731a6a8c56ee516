import { checkApiOptions } from './api-options.js';
import type {
  ExperimentResult,
  LoadExperimentOptions,
  LoadedExperiment,
  RunControls,
  StartedObjective,
} from './composition/experiment.js';
import type { StudyScope } from './composition/study-scope.js';
import type { PluginChoice } from './config/experiment-config.js';
import type { TrialStore } from './contracts/store.js';
import type { ConfigIssue } from './errors.js';

// The composition root loads inversify and ajv (and the bus, rxjs); these wrappers load it on first use,
// so a program that only calls `fmin` or asks `--version` never does.
const composition = () => import('./composition/experiment.js');

/**
 * The composition root: loads the plugin packages (given ones and the config's `plugins`), builds the
 * registry with inversify, and validates the config against it. Nothing runs yet.
 *
 * @param raw The config as an object (a config file's parsed JSON; {@link ExperimentConfigInput} types one),
 *   not a path: `JSON.parse(readFileSync(path, 'utf8'))` reads a file.
 * @throws `ParzenError` `CONFIG_INVALID` listing every problem of the config (each with its JSON pointer, what
 *   was expected and what was found) or of the options; `CONFIG_UNKNOWN_PLUGIN` for a `use` no plugin offered
 *   has, listing the names there are; `PLUGIN_LOAD_FAILED` for a `plugins` module that cannot be loaded,
 *   `PLUGIN_INVALID` for one that exports no valid `manifests`.
 */
export const loadExperiment = async (raw: unknown, options?: LoadExperimentOptions): Promise<LoadedExperiment> => {
  checkApiOptions('loadExperiment', options ?? {});
  return (await composition()).loadExperiment(raw, options);
};

/**
 * Runs a loaded experiment in a study scope of its own (a child container with the study's services):
 * creates its plugins, runs the study, closes the store and objective. The result's trials have their
 * `params` as the objective saw them (a choice by its option's value), beside their `internal` values.
 */
export const runLoadedExperiment = async (
  experiment: LoadedExperiment,
  controls?: RunControls,
): Promise<ExperimentResult> => (await composition()).runLoadedExperiment(experiment, controls);

/**
 * Opens a study scope of a loaded experiment and creates its objective there, so a missing module or
 * program is found before anything runs; pass the result to {@link runLoadedExperiment} as `started`.
 */
export const startObjective = async (experiment: LoadedExperiment): Promise<StartedObjective> =>
  (await composition()).startObjective(experiment);

/**
 * Loads, validates and runs an experiment config in one call. A config without `reporters` gets the `console`
 * reporter, as `parzen run` does: a line per finished trial and the summary on stdout; `"reporters": []` runs
 * silently (the result is returned either way). The result's `trials` have their `params` as the objective saw
 * them (a choice by its option's value, as `parzen trials --json` lists them) beside their `internal` values
 * (a choice's option index, as the store keeps them).
 *
 * @param raw The config as an object (a config file's parsed JSON; {@link ExperimentConfigInput} types one), not
 *   a path. One study: a config with `matrix` is refused (`expandMatrix` gives its studies' configs).
 * @throws `ParzenError` as {@link loadExperiment} does, before anything runs; a trial's error does not throw, it
 *   is recorded with the trial.
 */
export const runExperiment = async (
  raw: unknown,
  options?: LoadExperimentOptions & Omit<RunControls, 'started' | 'configFile'>,
): Promise<ExperimentResult> => (await composition()).runExperiment(raw, options);

/** A study scope of a loaded experiment (a child container): create its plugins with the study's services. */
export const openStudyScope = async (experiment: LoadedExperiment): Promise<StudyScope> =>
  (await composition()).openStudyScope(experiment);

/**
 * Opens a loaded experiment's store (or `choice`, another store) for reading only: it never creates, locks
 * or writes anything, and fails with `STUDY_NOT_FOUND` when there is nothing to read. Needs no container.
 */
export const openStoreForReading = async (experiment: LoadedExperiment, choice?: PluginChoice): Promise<TrialStore> =>
  (await composition()).openStoreForReading(experiment, choice);

/**
 * What the loaded experiment's store plugin finds wrong with its options (its `check`, if it has one)
 * for a run, with no effect: nothing is opened. `parzen validate` says these; a run refuses them too.
 */
export const checkStoreOptions = async (experiment: LoadedExperiment): Promise<readonly ConfigIssue[]> =>
  (await composition()).checkStoreOptions(experiment);

/**
 * What the loaded experiment's reporter plugins find wrong with their options (their `check`, for those that
 * have one), one entry per reporter that finds something (its issues, or the fault of a check that throws),
 * with no effect: nothing is started. `parzen
 * validate` says these; a run refuses them too.
 */
export const checkReporterOptions = async (
  experiment: LoadedExperiment,
): Promise<
  readonly {
    /** The reporter's plugin name, as the config's `use` names it. */
    readonly use: string;
    /** Its issues, their pointers into the config (`/reporters/1/options/path`); empty when its check threw. */
    readonly issues: readonly ConfigIssue[];
    /** What its `check` threw (the plugin's fault, not the config's); absent when it returned issues. */
    readonly fault?: unknown;
  }[]
> => (await composition()).checkReporterOptions(experiment);

/**
 * What a config's `budget` as written breaks of the config schema (empty when it is valid), with pointers from
 * `/budget`: a host whose flags replace a budget's rules checks the budget they replace with it.
 */
export const budgetIssues = async (budget: unknown): Promise<readonly ConfigIssue[]> =>
  (await import('./config/validate-config.js')).budgetIssues(budget);

/** The JSON Schema of configs with the loaded plugins' options (for `parzen schema`). */
export const configSchemaFor = async (registry: LoadedExperiment['registry']): Promise<object> =>
  (await import('./config/experiment-schema.js')).composeConfigSchema(registry);

export type { ExperimentTrial } from './composition/experiment.js';
export type { ExperimentResult, LoadExperimentOptions, LoadedExperiment, RunControls, StartedObjective, StudyScope };
