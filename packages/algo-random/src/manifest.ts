import { type AnyPluginManifest, defineSuggester } from '@parzen/engine/plugin';
import {
  createQuasiRandomSuggester,
  type QuasiRandomOptions,
  quasiRandomOptionsSchema,
} from './quasi-random-suggester.js';
import { createRandomSuggester, type RandomOptions, randomOptionsSchema } from './random-suggester.js';

/** `{ "use": "random" }`: random search; it takes no options. */
export const randomSuggesterManifest = defineSuggester<RandomOptions>({
  name: 'random',
  description: "Random search with hyperopt's rand semantics.",
  optionsSchema: randomOptionsSchema,
  create: () => createRandomSuggester(),
});

/** `{ "use": "quasi-random" }`: a scrambled Halton sequence mapped onto the priors. */
export const quasiRandomSuggesterManifest = defineSuggester<QuasiRandomOptions>({
  name: 'quasi-random',
  description: 'Quasi-random search: a scrambled Halton sequence, even coverage from the first trials.',
  optionsSchema: quasiRandomOptionsSchema,
  create: (options) => createQuasiRandomSuggester(options),
});

/** The package's plugins, for a config's composition root: the `random` and `quasi-random` suggesters. */
export const manifests: readonly AnyPluginManifest[] = [randomSuggesterManifest, quasiRandomSuggesterManifest];
