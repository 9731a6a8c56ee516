/**
 * @packageDocumentation
 * Objective adapters for Parzen configs: `module` (a function exported by a JS/TS file or a package) and
 * `command` (any program; params in on stdin, env and argv, the loss out on stdout, intermediate values as
 * `{"step": n, "value": x}` stdout lines).
 * @module @parzen/objectives
 */
import type { AnyPluginManifest } from '@parzen/engine/plugin';
import { commandObjectiveManifest } from './command-objective.js';
import { moduleObjectiveManifest } from './module-objective.js';

export {
  type CommandObjectiveOptions,
  commandObjectiveManifest,
  commandObjectiveOptionsSchema,
  createCommandObjective,
} from './command-objective.js';
export {
  createModuleObjective,
  type ModuleObjectiveOptions,
  moduleObjectiveManifest,
  moduleObjectiveOptionsSchema,
} from './module-objective.js';

/** The package's plugins, for a config's composition root: the `module` and `command` objectives. */
export const manifests: readonly AnyPluginManifest[] = [moduleObjectiveManifest, commandObjectiveManifest];
