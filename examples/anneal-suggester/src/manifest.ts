import { type AnyPluginManifest, defineSuggester } from '@parzen/engine/plugin';
import { type AnnealOptions, createAnnealSuggester, defaultAnnealOptions } from './anneal-suggester.js';

/** `{ "use": "anneal", "options": { "avgBestIndex": 2, "shrinkCoefficient": 0.1 } }`. */
export const annealManifest = defineSuggester<AnnealOptions>({
  name: 'anneal',
  description: "Simulated annealing around good trials, like hyperopt's anneal (a third-party example plugin).",
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      avgBestIndex: {
        type: 'number',
        minimum: 1,
        default: defaultAnnealOptions.avgBestIndex,
        description: 'Mean rank (1 = always the best) of the trial a new value starts from.',
      },
      shrinkCoefficient: {
        type: 'number',
        exclusiveMinimum: 0,
        default: defaultAnnealOptions.shrinkCoefficient,
        description: 'Neighbourhood width is 1 / (1 + observations * shrinkCoefficient) of the prior range.',
      },
    },
  },
  create: (options) => createAnnealSuggester(options),
});

/** What Parzen's plugin loader reads from a module listed under a config's `plugins`. */
export const manifests: readonly AnyPluginManifest[] = [annealManifest];
