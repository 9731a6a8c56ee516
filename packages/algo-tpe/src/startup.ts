import {
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

const STARTUP_SAMPLERS: Readonly<Record<StartupSamplerName, StartupSampler>> = { random: randomStartup };

/** The start-up sampler of a name (the options schema only lets known names through). */
export const startupSampler = (name: StartupSamplerName): StartupSampler => STARTUP_SAMPLERS[name];
