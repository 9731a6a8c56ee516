import { createAjv, validateWith } from '../config/ajv-issues.js';
import type { AnyPluginManifest } from '../contracts/manifest.js';
import type { ConfigIssue } from '../errors.js';

/**
 * Validates options against a plugin's schema as a config's `options` are validated (ajv, defaults
 * filled in): `{ value }` with the defaults, or `{ issues }` with JSON pointers. For tests of a schema.
 * It first checks the schema itself against JSON Schema's meta-schema, which a run leaves out (to start
 * faster), and throws if the schema is not valid JSON Schema.
 */
export const validatePluginOptions = (
  manifest: Pick<AnyPluginManifest, 'optionsSchema'>,
  options: unknown,
): { readonly value?: unknown; readonly issues: readonly ConfigIssue[] } => {
  const ajv = createAjv();
  if (ajv.validateSchema(manifest.optionsSchema) !== true) {
    throw new Error(`The options schema is not valid JSON Schema: ${ajv.errorsText(ajv.errors)}`);
  }
  const value = structuredClone(options ?? {});
  const issues = validateWith(ajv.compile(manifest.optionsSchema), value, '/options');
  return issues.length === 0 ? { value, issues } : { issues };
};
