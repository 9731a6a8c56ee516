import {
  type CompiledSpace,
  type Direction,
  type FinishedTrial,
  type ParamAssignment,
  type Rng,
  type RunningTrial,
  suggestParams,
  type Trial,
} from '@parzen/engine/plugin';
import type { TpeOptions } from '../options.js';
import type { Suggestion } from '../suggest/suggest-trial.js';
import { tpeSuggesterOf } from '../tpe-suggester.js';
import type { TpeExplanation } from './explanation.js';

/** The inputs of one suggestion, as a suggester context carries them. */
export interface ExplainSuggestionInput {
  /** The study's space, compiled: `compileSpace(space)` from `parzen` (or `@parzen/engine`). */
  readonly space: CompiledSpace;
  /** The study's other trials, ordered by number (finished and running). */
  readonly trials: readonly Trial[];
  /** The study's direction (default `minimize`). */
  readonly direction?: Direction;
  /**
   * The candidates' random stream. To replay the suggestion of a study's trial N, give the RNG the run gave it:
   * `trialRng(study.seed, N, suggesterName)` from `@parzen/engine/plugin` (`suggesterName` as the study stored
   * it, `"tpe"` for the built-in). Any seeded stream (`createRng(seed)`, the same entry) asks "what else might
   * it have drawn".
   */
  readonly rng: Rng;
  /** The number of the trial whose suggestion this is (default: the number of `trials`, i.e. the next one). */
  readonly trialNumber?: number;
  /**
   * TPE's options as the study's config writes them (`suggester.options`); omitted ones take their defaults.
   * `profile` and its former name `compat` both given are refused, as a config's validation refuses them.
   */
  readonly options?: TpeOptions;
  /**
   * The study's seed (default 0). TPE draws the blocks of a group of more than `maxGroupSize` parameters
   * from it, so a replay of a study's suggestion needs the study's seed.
   */
  readonly seed?: number;
  /**
   * Internal values the trial was given rather than sampled (an enqueued entry's, possibly only some
   * parameters): the walk keeps them, as a run does, and TPE decides the rest.
   */
  readonly fixed?: ParamAssignment;
}

/**
 * Replays one TPE suggestion from its inputs and explains it: per parameter the below/above trial
 * numbers, the mixture components, log l and log g on a grid and at every candidate, and the winner.
 * The suggester publishes the same object when its `explain` option is on. The engine's own walk
 * decides the parameters, so the replay is the suggestion a study would have made.
 * @throws `ParzenError` `CONFIG_INVALID` for options `createTpeSuggester` refuses: among them `profile` and
 *   its former name `compat` both given, said as a config's validation says it.
 */
export const explainSuggestion = async (input: ExplainSuggestionInput): Promise<Required<Suggestion>> => {
  // As given in code: `profile` and its former name `compat` both given are refused, as a config refuses them
  // (the report passes a config's options without the `profile` its validation fills in beside a `compat`).
  const suggester = tpeSuggesterOf({ ...input.options, explain: true }, 'code');
  let explanation: TpeExplanation | undefined;
  const params = await suggestParams(
    suggester,
    {
      study: 'explain',
      direction: input.direction ?? 'minimize',
      seed: input.seed ?? 0,
      trialNumber: input.trialNumber ?? input.trials.length,
      space: input.space,
      history: input.trials.filter((trial): trial is FinishedTrial => trial.state !== 'running'),
      running: input.trials.filter((trial): trial is RunningTrial => trial.state === 'running'),
      rng: input.rng,
      explain: (value) => {
        explanation = value as TpeExplanation;
      },
    },
    input.fixed,
  );
  return { params, explanation: explanation as TpeExplanation };
};
