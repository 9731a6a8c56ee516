import { createAjv, defaultIssues, notObjectIssues, validateWith } from '../config/ajv-issues.js';
import type { AnyPluginManifest } from '../contracts/manifest.js';
import { type ConfigIssue, formatIssues } from '../errors.js';

/**
 * Validates options against a plugin's schema as a config's `options` are validated (ajv, defaults
 * filled in): `{ value }` with the defaults, or `{ issues }` with JSON pointers. For tests of a schema.
 * The pointers are relative to the plugin's choice, `{ use, options }` (`/options/keep`), as the `plugins`
 * service gives them; the issues a plugin's own `check` or `create` returns are relative to its options (`/keep`).
 * It first checks the schema itself against JSON Schema's meta-schema, which a run leaves out (to start
 * faster), and throws if the schema is not valid JSON Schema, does not describe an object, or refuses one of its
 * own defaults.
 */
export const validatePluginOptions = (
  manifest: Pick<AnyPluginManifest, 'optionsSchema'>,
  options: unknown,
): {
  /** The options with the schema's defaults filled in; absent when there are issues. */
  readonly value?: unknown;
  /** What the schema refuses, each pointer below the choice (`/options/keep`); empty when the options fit. */
  readonly issues: readonly ConfigIssue[];
} => {
  const ajv = createAjv();
  if (ajv.validateSchema(manifest.optionsSchema) !== true) {
    throw new Error(`The options schema is not valid JSON Schema: ${ajv.errorsText(ajv.errors)}`);
  }
  const notObject = notObjectIssues(manifest.optionsSchema);
  if (notObject.length > 0)
    throw new Error(`The options schema does not describe an object (options are one):\n${formatIssues(notObject)}`);
  const validate = ajv.compile(manifest.optionsSchema);
  const refused = defaultIssues(validate);
  if (refused.length > 0)
    throw new Error(`The options schema has a default it refuses itself:\n${formatIssues(refused)}`);
  const value = structuredClone(options ?? {});
  const issues = validateWith(validate, value, '/options');
  return issues.length === 0 ? { value, issues } : { issues };
};
