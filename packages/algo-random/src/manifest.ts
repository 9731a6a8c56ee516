import { defineSuggester, pluginModule } from '@parzen/engine';
import { createRandomSuggester } from './random-suggester.js';

/** `{ "use": "random" }`: random search; it takes no options. */
export const randomSuggesterManifest = defineSuggester<Record<string, never>>({
  name: 'random',
  description: "Random search with hyperopt's rand semantics.",
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: () => createRandomSuggester(),
});

/** The package's ContainerModule: contributes the `random` suggester. */
export const randomModule = pluginModule(randomSuggesterManifest);
