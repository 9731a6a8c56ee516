import {
  assertOptions,
  type CompiledSpace,
  createHaltonSampler,
  type HaltonSampler,
  type Suggester,
} from '@parzen/engine/plugin';

/** Options of the `quasi-random` suggester. */
export interface QuasiRandomOptions {
  /** Random digit permutations and shift, seeded by the study seed (default true). */
  readonly scramble?: boolean;
}

/** The options of `quasi-random`, as a config's JSON Schema and as code checks them (one statement). */
export const quasiRandomOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    scramble: {
      type: 'boolean',
      default: true,
      description:
        'Permute digits and shift, seeded by the study seed (false: the plain Halton sequence, the same points for every seed, its dimensions correlated beyond about ten parameters).',
    },
  },
} as const;

/**
 * Quasi-random search: trial n takes point n of a (scrambled) Halton sequence, one dimension per
 * parameter of the space (conditional ones included), mapped onto each prior by its inverse CDF. The
 * point depends only on the study seed and the trial number, so it is reproducible, resumable and the
 * same across parallel workers. It spreads early trials evenly, which makes it a good start-up sampler.
 */
export const createQuasiRandomSuggester = (options: QuasiRandomOptions = {}): Suggester => {
  assertOptions(quasiRandomOptionsSchema, options, 'quasi-random', 'quasi-random');
  let cached: { space: CompiledSpace; seed: number; sampler: HaltonSampler } | undefined;
  const samplerFor = (space: CompiledSpace, seed: number): HaltonSampler => {
    if (cached === undefined || cached.space !== space || cached.seed !== seed) {
      cached = { space, seed, sampler: createHaltonSampler(space, seed, options.scramble !== false) };
    }
    return cached.sampler;
  };
  return {
    name: 'quasi-random',
    settings: { scramble: options.scramble !== false },
    beginTrial: (context) => {
      const sampler = samplerFor(context.space, context.seed);
      return { sampleParam: (param) => sampler.sample(context.trialNumber, param) };
    },
  };
};
