import {
  assertOptions,
  type CompiledSpace,
  createHaltonSampler,
  firstPrimes,
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
        'about ten parameters or fewer (a run with more warns, once).',
    },
  },
} as const;

/**
 * The most parameters the plain Halton sequence (`scramble: false`) is kept for, as the option's description
 * says ("about ten parameters or fewer"): the 11th has base 31, and a run with more warns once.
 */
export const PLAIN_HALTON_MAX_PARAMS = 10;

/** What a run of the plain Halton sequence over `space` warns of: more than {@link PLAIN_HALTON_MAX_PARAMS} parameters. */
const plainHaltonWarnings = (space: CompiledSpace): string[] => {
  const count = space.params.length;
  if (count <= PLAIN_HALTON_MAX_PARAMS) return [];
  const bases = firstPrimes(count);
  return [
    `quasi-random with scramble: false draws the plain Halton sequence in ${count} dimensions (one per parameter, conditional ones included): while the trials are fewer than a parameter's prime base p, all its values lie in the lowest trials/p of its range and rise with the trial number (the 11th parameter's base is ${bases[PLAIN_HALTON_MAX_PARAMS]}, the ${ordinal(count)}'s ${bases[count - 1]}). Keep scramble: false for ${PLAIN_HALTON_MAX_PARAMS} parameters or fewer; scramble: true (the default) spreads every dimension.`,
  ];
};

/** `11th`, `22nd`, `23rd`, `101st`. */
const ordinal = (n: number): string => {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10];
  return `${n}${suffix ?? 'th'}`;
};

/**
 * Quasi-random search: trial n takes point n of a (scrambled) Halton sequence, one dimension per
 * parameter of the space (conditional ones included), mapped onto each prior by its inverse CDF. The
 * point depends only on the study seed and the trial number, so it is reproducible, resumable and the
 * same across parallel workers. It spreads early trials evenly, which makes it a good start-up sampler.
 */
export const createQuasiRandomSuggester = (options: QuasiRandomOptions = {}): Suggester => {
  assertOptions(quasiRandomOptionsSchema, options, 'quasi-random suggester', 'quasi-random');
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
    ...(options.scramble === false ? { warnings: plainHaltonWarnings } : {}),
    beginTrial: (context) => {
      const sampler = samplerFor(context.space, context.seed);
      return { sampleParam: (param) => sampler.sample(context.trialNumber, param) };
    },
  };
};
