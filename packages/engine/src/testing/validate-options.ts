import { createAjv, validateWith } from '../config/ajv-issues.js';
import type { AnyPluginManifest } from '../contracts/manifest.js';
import type { ConfigIssue } from '../errors.js';

/**
 * Validates options against a plugin's schema as a config's `options` are validated (ajv, defaults
 * filled in): `{ value }` with the defaults, or `{ issues }` with JSON pointers. For tests of a schema.
 */
export const validatePluginOptions = (
  manifest: Pick<AnyPluginManifest, 'optionsSchema'>,
  options: unknown,
): { readonly value?: unknown; readonly issues: readonly ConfigIssue[] } => {
  const value = structuredClone(options ?? {});
  const issues = validateWith(createAjv().compile(manifest.optionsSchema), value, '/options');
  return issues.length === 0 ? { value, issues } : { issues };
};
