/**
 * @packageDocumentation
 * Objective adapters for Parzen configs: `module` (a function exported by a JS/TS file or a package) and
 * `command` (any program; params in on stdin, env and argv, the loss out on stdout, intermediate values as
 * `{"step": n, "value": x}` stdout lines).
 */
import type { AnyPluginManifest } from '@parzen/engine/plugin';
import { commandObjectiveManifest } from './command-objective.js';
import { moduleObjectiveManifest } from './module-objective.js';

export { expandArgv, formatValue, type TemplateContext, TemplateError } from './argv-template.js';
export { commandEnv, paramEnvName } from './command-env.js';
export {
  type CommandObjectiveOptions,
  commandObjectiveManifest,
  commandObjectiveOptionsSchema,
  createCommandObjective,
  interpretCommandOutcome,
  type ReportOutcome,
} from './command-objective.js';
export { loadModuleExport } from './load-module-export.js';
export {
  createModuleObjective,
  type ModuleObjectiveOptions,
  moduleObjectiveManifest,
  moduleObjectiveOptionsSchema,
} from './module-objective.js';
export { findLossLine, parseJsonWithNonFinite } from './parse-loss.js';
export { importTypeScript, registerTypeScript } from './register-typescript.js';
export { parseReportLine, type Report, type ReportLine } from './report-lines.js';
export { type CommandOutcome, type RunCommandOptions, runCommand } from './run-command.js';
export { routeObjectiveStdout } from './thread-stdio.js';

/** The package's plugins, for a config's composition root: the `module` and `command` objectives. */
export const manifests: readonly AnyPluginManifest[] = [moduleObjectiveManifest, commandObjectiveManifest];
