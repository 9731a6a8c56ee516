import { definePruner } from '../contracts/manifest.js';
import type { Pruner } from '../contracts/pruner.js';

/** The pruner that never prunes: every trial runs to its end. */
export const nonePruner: Pruner = { name: 'none', shouldPrune: () => false };

/** `{ "use": "none" }`, the default pruner. */
export const nonePrunerManifest = definePruner<Record<string, never>>({
  name: 'none',
  description: 'Never prunes: every trial runs to its end (the default).',
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: () => nonePruner,
});
