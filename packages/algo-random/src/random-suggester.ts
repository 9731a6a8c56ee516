import { assertOptions, type ObjectSchemaNode, type Suggester, sampleDistribution } from '@parzen/engine/plugin';

/** The random suggester's options: none (the seed is the study's, as every suggester's). */
export type RandomOptions = Readonly<Record<string, never>>;

/** The random suggester's options schema: an empty object, the only options it takes. */
export const randomOptionsSchema: ObjectSchemaNode = { type: 'object', additionalProperties: false, properties: {} };

/**
 * Random search with hyperopt's `rand` semantics: each active parameter is drawn from its prior with the
 * trial's RNG (derived from the study seed and the trial number), so the same seed gives the same trials
 * whatever the concurrency, and nested choices draw only the chosen branch. It takes no options: any given
 * (from JavaScript, say `{ seed: 1 }`: the seed is the study's) is refused with `CONFIG_INVALID`.
 */
export const createRandomSuggester = (options: RandomOptions = {}): Suggester => {
  assertOptions(randomOptionsSchema, options, 'random suggester', 'random');
  return {
    name: 'random',
    beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
  };
};
