import {
  type CompiledSpace,
  createHaltonSampler,
  type HaltonSampler,
  isActive,
  type ParamAssignment,
  type ParamNode,
  type SuggestContext,
  sampleDistribution,
} from '@parzen/engine';
import type { StartupSamplerName } from './options.js';

/**
 * What draws the start-up trials before TPE has a model. It sees the whole context (trial number, study
 * seed), so a quasi-random sampler can take point `k` of a scrambled sequence; `sample` covers every
 * active parameter of a trial, `sampleParam` one parameter the engine asks for on its own.
 */
export interface StartupSampler {
  readonly name: StartupSamplerName;
  sample(context: SuggestContext): ParamAssignment;
  sampleParam(context: SuggestContext, param: ParamNode): number;
}

/** Random search: every active parameter from its prior, in evaluation order, with the trial's RNG. */
export const randomStartup: StartupSampler = {
  name: 'random',
  sample: (context) => {
    const decided: Record<string, number> = {};
    for (const param of context.space.params) {
      if (isActive(param, decided)) decided[param.name] = sampleDistribution(param.distribution, context.rng);
    }
    return decided;
  },
  sampleParam: (context, param) => sampleDistribution(param.distribution, context.rng),
};

/**
 * Quasi-random start-up: trial k takes point k of the study's scrambled Halton sequence (the engine's
 * `createHaltonSampler`), so the first trials cover the space evenly instead of clumping.
 */
export const createQuasiRandomStartup = (): StartupSampler => {
  let cached: { space: CompiledSpace; seed: number; sampler: HaltonSampler } | undefined;
  const samplerFor = (context: SuggestContext): HaltonSampler => {
    if (cached === undefined || cached.space !== context.space || cached.seed !== context.seed) {
      cached = { space: context.space, seed: context.seed, sampler: createHaltonSampler(context.space, context.seed) };
    }
    return cached.sampler;
  };
  return {
    name: 'quasi-random',
    sample: (context) => {
      const sampler = samplerFor(context);
      const decided: Record<string, number> = {};
      for (const param of context.space.params) {
        if (isActive(param, decided)) decided[param.name] = sampler.sample(context.trialNumber, param);
      }
      return decided;
    },
    sampleParam: (context, param) => samplerFor(context).sample(context.trialNumber, param),
  };
};

/** A start-up sampler of a name (the options schema only lets known names through); one per suggester. */
export const startupSampler = (name: StartupSamplerName): StartupSampler =>
  name === 'quasi-random' ? createQuasiRandomStartup() : randomStartup;
