import { createFunctionObjective, defineObjective, type ObjectiveAdapter } from '@parzen/engine/plugin';
import { loadModuleExport } from './load-module-export.js';

/** Options of the `module` objective. */
export interface ModuleObjectiveOptions {
  /** A JS or TS file (relative to the config's folder) or a package name. */
  readonly path: string;
  /** The export to call; default `default`. */
  readonly export: string;
}

/** The options' JSON Schema; ajv fills the defaults. */
export const moduleObjectiveOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: {
      type: 'string',
      minLength: 1,
      description: "A .js/.mjs/.cjs/.ts/.mts file relative to the config's folder, or a package name.",
    },
    export: { type: 'string', minLength: 1, default: 'default', description: 'The exported function to call.' },
  },
} as const;

/**
 * Loads the function and wraps it: it gets the params object (and `{ trialNumber, signal }`), returns a
 * number or `{ loss, ... }`, maybe async. A throw, NaN or a non-number is a failed trial.
 */
export const createModuleObjective = async (
  options: ModuleObjectiveOptions,
  baseDir: string,
): Promise<ObjectiveAdapter> =>
  createFunctionObjective(await loadModuleExport(options.path, options.export, baseDir), 'module');

/** `{ "use": "module", "options": { "path": "./objective.mjs", "export": "default" } }`. */
export const moduleObjectiveManifest = defineObjective<ModuleObjectiveOptions>({
  name: 'module',
  description: 'Calls an exported function of a JS/TS file or a package with the params object.',
  optionsSchema: moduleObjectiveOptionsSchema,
  create: (options, context) => createModuleObjective(options, context.baseDir),
});
