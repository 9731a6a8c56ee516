import type { CompiledSpace, Direction, Rng, Trial } from '@parzen/engine';
import { TrialHistory } from '../history/trial-history.js';
import { resolveTpeSettings, type TpeOptions } from '../options.js';
import { startupSampler } from '../startup.js';
import { type Suggestion, suggestTrial } from '../suggest/suggest-trial.js';

/** The inputs of one suggestion, as a suggester context carries them. */
export interface ExplainSuggestionInput {
  readonly space: CompiledSpace;
  /** The study's other trials, ordered by number. */
  readonly trials: readonly Trial[];
  readonly direction?: Direction;
  /** The candidates' random stream (the trial's RNG to replay a study's suggestion). */
  readonly rng: Rng;
  readonly trialNumber?: number;
  readonly options?: TpeOptions;
}

/**
 * Replays one TPE suggestion from its inputs and explains it: per parameter the below/above trial
 * numbers, the mixture components, log l and log g on a grid and at every candidate, and the winner.
 * The suggester publishes the same object when its `explain` option is on.
 */
export const explainSuggestion = (input: ExplainSuggestionInput): Required<Suggestion> => {
  const settings = resolveTpeSettings(input.options);
  const state = {
    history: new TrialHistory(),
    settings,
    startup: startupSampler(settings.startup),
    caches: new WeakMap(),
  };
  const context = {
    study: 'explain',
    direction: input.direction ?? 'minimize',
    seed: 0,
    trialNumber: input.trialNumber ?? input.trials.length,
    space: input.space,
    trials: input.trials,
    rng: input.rng,
  } as const;
  return suggestTrial(state, context, true) as Required<Suggestion>;
};
