import type { SpaceDefinition } from '../domain/space-definition.js';
import type { Direction } from '../domain/trial.js';
import type { Budget } from '../runtime/budget.js';

/** `{ "use": name, "options": {...} }`: picks a plugin by name; its options are checked against its schema. */
export interface PluginChoice {
  /** The plugin's name among those of the slot's kind (`tpe`, `sqlite`, `median`). */
  readonly use: string;
  /** Its options; absent: `{}`, the schema's defaults filled in. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/**
 * An experiment config after validation ({@link LoadedExperiment}'s `config`): every default filled in, each
 * plugin's options checked against its schema (and given its schema's defaults). To type a config you write (a
 * config file's JSON, or the object given to `runExperiment`), use {@link ExperimentConfigInput}. The top-level
 * names are a contract other tools rely on: the keys of the config schema (`parzen schema`, the config reference).
 */
export interface ExperimentConfig {
  /** Path or URL of the config schema, for editors (`parzen schema > parzen.schema.json`); ignored by Parzen. */
  readonly $schema?: string;
  /** The study name: the key under which the store keeps its trials. Running the same name again continues the study. */
  readonly name: string;
  /** The study seed: every trial draws from a random stream derived from it, the trial number and the suggester. Default 0. */
  readonly seed: number;
  /** Whether a lower loss (`minimize`, the default) or a higher one (`maximize`) is better. */
  readonly direction: Direction;
  /** The search space: parameter name → parameter definition (`{ "type": "uniform", "low": 0, "high": 1 }`). */
  readonly space: SpaceDefinition;
  /** What evaluates params: `function` (a function given in code), or `module` and `command` (`@parzen/objectives`). */
  readonly objective: PluginChoice;
  /**
   * The search algorithm. A config that names none gets `tpe` from the CLI and from `parzen`'s `runExperiment`,
   * `random` from the engine's (`defaults.suggester` of {@link LoadExperimentOptions} sets it).
   */
  readonly suggester: PluginChoice;
  /**
   * Where trials are kept. A config that names none gets `jsonl` from the CLI, `memory` from `runExperiment`
   * (`defaults.store` of {@link LoadExperimentOptions} sets it).
   */
  readonly store: PluginChoice;
  /** Who listens to the run. A config without `reporters` gets `[{ "use": "console" }]`; `[]` runs silently. */
  readonly reporters: readonly PluginChoice[];
  /** Stops unpromising trials early from their intermediate values. None when absent (`{ "use": "none" }`). */
  readonly pruner?: PluginChoice;
  /** Ends the study on a rule of its own; none by default. */
  readonly stopper?: PluginChoice;
  /**
   * Params (as the objective receives them, possibly only some parameters) to run first, each once across
   * workers and resumes. Empty when absent.
   */
  readonly enqueue: readonly Readonly<Record<string, unknown>>[];
  /** When the run stops: at least one rule (`maxTrials`, `moreTrials`, `maxSeconds`, `lossThreshold`, `patience`). */
  readonly budget: Budget;
  /** Trials this process evaluates at once. Default 1. */
  readonly concurrency: number;
  /** Third-party plugin packages (or files, or a package's folder: the entry its package.json names) to load, each exporting `manifests`. Default none. */
  readonly plugins: readonly string[];
  /** Per-trial time limit in seconds (none by default); `trialTimeoutMs` of `fmin` and `study.optimize`. */
  readonly trialTimeoutSeconds?: number;
  /**
   * Lease of a running trial in seconds; a trial not renewed for this long belongs to a dead worker. Default 60;
   * `leaseMs` of `fmin` and `Study.open`.
   */
  readonly leaseSeconds: number;
  /**
   * After Ctrl-C, how long running trials may finish (in seconds) before they are recorded as interrupted.
   * Default 30; `gracePeriodMs` of `fmin` and `study.optimize`.
   */
  readonly gracePeriodSeconds: number;
  /** Publish suggesters' explanations as events (for reports). Default false. */
  readonly explain: boolean;
}

/** The keys a config must have (the config schema's `required`); it fills in or leaves out every other. */
export type ExperimentConfigRequiredKey = 'name' | 'space' | 'objective' | 'budget';

/**
 * An experiment config as you write it: a config file's JSON, or the object given to `runExperiment` and
 * `loadExperiment`. `name`, `space`, `objective` and `budget` are required; every other key has a default (see
 * {@link ExperimentConfig}, the validated form, for each one).
 *
 * @example
 * ```ts
 * const config: ExperimentConfigInput = {
 *   name: 'quadratic',
 *   space: { x: { type: 'uniform', low: -2, high: 2 } },
 *   objective: { use: 'function', options: { name: 'f' } },
 *   pruner: { use: 'median' },
 *   budget: { maxTrials: 20 },
 * };
 * ```
 */
export interface ExperimentConfigInput
  extends Pick<ExperimentConfig, ExperimentConfigRequiredKey>,
    Partial<Omit<ExperimentConfig, ExperimentConfigRequiredKey>> {
  /**
   * A batch of studies: each key a top-level key (`seed`, `suggester`) or a slash path into the config
   * (`suggester/options/gamma`), each value the list of values it takes; one study per combination. `parzen run`
   * runs the batch; in code, `expandMatrix(config)` gives each study's config (`runExperiment` runs one study, and
   * refuses a config with `matrix`).
   */
  readonly matrix?: Readonly<Record<string, readonly unknown[]>>;
}
