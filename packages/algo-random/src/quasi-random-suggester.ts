import type { CompiledSpace, Suggester } from '@parzen/engine';
import { sampleFromUnit } from '@parzen/engine';
import { createHaltonScramble, firstPrimes, type HaltonScramble, haltonCoordinate } from './halton.js';

export interface QuasiRandomOptions {
  /** Random digit permutations and shift, seeded by the study seed (default true). */
  readonly scramble?: boolean;
}

/**
 * Quasi-random search: trial n takes point n of a (scrambled) Halton sequence, one dimension per
 * parameter of the space (conditional ones included), mapped onto each prior by its inverse CDF. The
 * point depends only on the study seed and the trial number, so it is reproducible, resumable and the
 * same across parallel workers. It spreads early trials evenly, which makes it a good start-up sampler.
 */
export const createQuasiRandomSuggester = (options: QuasiRandomOptions = {}): Suggester => {
  let cached: { space: CompiledSpace; seed: number; bases: number[]; scramble: HaltonScramble | undefined } | undefined;
  const layout = (space: CompiledSpace, seed: number) => {
    if (cached === undefined || cached.space !== space || cached.seed !== seed) {
      const dimensions = space.params.length;
      cached = {
        space,
        seed,
        bases: firstPrimes(dimensions),
        scramble: options.scramble === false ? undefined : createHaltonScramble(dimensions, String(seed)),
      };
    }
    return cached;
  };
  return {
    name: 'quasi-random',
    sampleIndependent: (context, param) => {
      const { bases, scramble } = layout(context.space, context.seed);
      const dimension = context.space.params.indexOf(param);
      const u = haltonCoordinate(context.trialNumber, dimension, bases, scramble);
      return sampleFromUnit(param.distribution, u);
    },
  };
};
