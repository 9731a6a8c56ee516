import { resolve } from 'node:path';
import { loadExperiment } from '@parzen/engine';
import { composeConfigSchema } from '@parzen/engine/host';
import type { Output } from '../output.js';
import { cliLoadOptions, enableTypeScriptPlugins } from '../prepare-runs.js';
import { configFolder, readConfigFile } from '../read-config-file.js';

/** The `matrix` key the CLI adds to configs (it is expanded before the engine sees a config). */
export const matrixSchema = {
  type: 'object',
  description:
    'Batch: run one variant per combination of these values (cartesian product). Keys are config keys or slash paths (budget/maxTrials); runs that differ only in seed form one row of the comparison.',
  minProperties: 1,
  // A config's own keys: the CLI leaves top-level `x-` keys out, but not in a matrix (review 51).
  propertyNames: { not: { pattern: '^x-' } },
  additionalProperties: { type: 'array', minItems: 1 },
};

/** Top-level `x-...` keys, which the CLI leaves out of a config (YAML anchors, notes). */
const EXTENSION_KEY = {
  description:
    'Not a config field: left out (in YAML, a key holding anchors for the rest of the file, as `x-common: &common {...}`).',
};

/**
 * `parzen schema [config]`: the composed JSON Schema of a config (base, space grammar, every built-in
 * plugin's options, and those of the plugins the given config lists) plus `matrix`, for editors.
 */
export const printSchema = async (path: string | undefined, output: Output): Promise<number> => {
  const plugins = path === undefined ? [] : ((readConfigFile(resolve(path)) as { plugins?: unknown }).plugins ?? []);
  await enableTypeScriptPlugins({ plugins });
  // The registry comes from the composition root; it needs a valid config, so give it a minimal one.
  const probe = {
    name: 'schema',
    space: { x: { type: 'uniform', low: 0, high: 1 } },
    objective: { use: 'module', options: { path: 'schema-probe' } },
    budget: { maxTrials: 1 },
    plugins,
  };
  const { registry, notes } = await loadExperiment(
    probe,
    await cliLoadOptions(path === undefined ? process.cwd() : configFolder(path)),
  );
  // A loaded plugin's broken options schema (trial 103: printed into the schema without a word).
  for (const note of notes ?? []) output.note(`parzen: note: ${path ?? 'config'}${note.pointer}: ${note.message}`);
  output.result(JSON.stringify(editorSchema(composeConfigSchema(registry)), null, 2));
  return 0;
};

/**
 * The matrix keys that supply a needed key whole: the key itself, or one of its own alternatives that makes
 * it valid (a budget rule, from the budget schema's `anyOf`; review 90: `space/x/high` does not make a space,
 * `budget/maxTrials` makes a budget).
 */
const supplies = (key: string, property: unknown): string => {
  const alternatives = ((property as { anyOf?: readonly { required?: readonly string[] }[] }).anyOf ?? []).flatMap(
    (alternative) => alternative.required ?? [],
  );
  return alternatives.length === 0 ? `^/?${key}$` : `^/?${key}(/(${alternatives.join('|')}))?$`;
};

/**
 * The config schema as an editor checks a file: with `matrix`, whose keys name config keys (a slash path
 * below one, `budget/maxTrials`), and whose values may supply the keys a config otherwise needs (so
 * a matrix setting `budget/maxTrials` is not marked wrong in the editor, and `"sugester"` is).
 */
export const editorSchema = (schema: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const base = schema.properties as Record<string, unknown>;
  const settable = Object.keys(base).filter((key) => !['name', '$schema', 'plugins'].includes(key));
  const required = (schema.required as readonly string[] | undefined) ?? [];
  const matrix = {
    ...matrixSchema,
    propertyNames: {
      ...matrixSchema.propertyNames,
      pattern: `^/?(${settable.map((key) => key.replace(/[$]/g, '\\$&')).join('|')})(/.*)?$`,
    },
  };
  return {
    ...schema,
    properties: { ...base, matrix },
    patternProperties: { '^x-': EXTENSION_KEY },
    required: required.filter((key) => !settable.includes(key)),
    // Each key the config needs, unless a matrix key supplies it whole (review 89: with any matrix, none was
    // needed, so `{ "name", "matrix": { "seed": [...] } }` passed).
    allOf: [
      ...((schema.allOf as readonly unknown[] | undefined) ?? []),
      ...required
        .filter((key) => settable.includes(key))
        .map((key) => ({
          if: {
            required: ['matrix'],
            properties: { matrix: { not: { propertyNames: { not: { pattern: supplies(key, base[key]) } } } } },
          },
          else: { required: [key] },
        })),
    ],
  };
};
