import type { SpaceDefinition } from '../domain/space-definition.js';
import type { Direction } from '../domain/trial.js';
import type { Budget } from '../runtime/budget.js';

/** `{ "use": name, "options": {...} }`: picks a plugin by name; its options are checked against its schema. */
export interface PluginChoice {
  readonly use: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

/**
 * An experiment as written in a config file. The top-level names are a contract other tools rely on:
 * `name`, `seed`, `direction`, `space`, `objective`, `suggester`, `store`, `reporters`, `pruner`,
 * `stopper`, `enqueue`, `budget`, `concurrency`, `plugins`.
 */
export interface ExperimentConfig {
  readonly $schema?: string;
  readonly name: string;
  readonly seed: number;
  readonly direction: Direction;
  readonly space: SpaceDefinition;
  readonly objective: PluginChoice;
  readonly suggester: PluginChoice;
  readonly store: PluginChoice;
  readonly reporters: readonly PluginChoice[];
  /** Stops unpromising trials early from their intermediate values. None when absent (`{ "use": "none" }`). */
  readonly pruner?: PluginChoice;
  /** Ends the study on a rule of its own; none by default. */
  readonly stopper?: PluginChoice;
  /**
   * Params (as the objective receives them, possibly only some parameters) to run first, each once across
   * workers and resumes.
   */
  readonly enqueue: readonly Readonly<Record<string, unknown>>[];
  readonly budget: Budget;
  readonly concurrency: number;
  readonly plugins: readonly string[];
  /** Per-trial time limit in seconds (none by default). */
  readonly trialTimeoutSeconds?: number;
  /** Lease of a running trial; a trial not renewed for this long belongs to a dead worker. Default 60. */
  readonly leaseSeconds: number;
  /** After Ctrl-C, how long running trials may finish before they are recorded as interrupted. Default 30. */
  readonly gracePeriodSeconds: number;
  /** Publish suggesters' explanations as events (for reports). Default false. */
  readonly explain: boolean;
}
