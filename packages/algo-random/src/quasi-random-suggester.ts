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
        "Permute each dimension's digits (0 kept in place) and shift it, both drawn from the study seed. The first " +
        'dimensions have few permutations (base 2: none; base 3: two), so there another seed mostly shifts the same ' +
        'points: related designs, not independent repeats (unlike Owen-style scrambling, as in scipy). false: the plain ' +
        'Halton sequence, the same points for every seed (a matrix over seeds repeats one run); a parameter whose prime ' +
        'base p exceeds the trials so far has all its values in the lowest trials/p of its range, rising with the trial ' +
        'number (the 11th parameter has base 31, the 50th base 229: 30 trials in its lowest 13 %), so keep it for ' +
        'about ten parameters or fewer.',
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
