import { type AnyPluginManifest, defineSuggester } from '@parzen/engine/plugin';
import { tpeOptionNotes } from './option-notes.js';
import type { TpeOptions } from './options.js';
import { tpeOptionsSchema } from './options-schema.js';
import { tpeSuggesterOf } from './tpe-suggester.js';

/** `{ "use": "tpe", "options": { "profile": "hyperopt" } }`: the Tree-structured Parzen Estimator. */
export const tpeSuggesterManifest = defineSuggester<TpeOptions>({
  name: 'tpe',
  description: 'Tree-structured Parzen Estimator: hyperopt- and Optuna-compatible profiles and our default.',
  optionsSchema: tpeOptionsSchema,
  // The config's notes are said by its validation (`notes`), not again by the suggester.
  create: (options) => tpeSuggesterOf(options, 'config'),
  notes: tpeOptionNotes,
});

/** The package's plugins, for a config's composition root: the `tpe` suggester. */
export const manifests: readonly AnyPluginManifest[] = [tpeSuggesterManifest];
