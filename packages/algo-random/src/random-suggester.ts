import { type Suggester, sampleDistribution } from '@parzen/engine/plugin';

/**
 * Random search with hyperopt's `rand` semantics: each active parameter is drawn from its prior with the
 * trial's RNG (derived from the study seed and the trial number), so the same seed gives the same trials
 * whatever the concurrency, and nested choices draw only the chosen branch.
 */
export const createRandomSuggester = (): Suggester => ({
  name: 'random',
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
});
