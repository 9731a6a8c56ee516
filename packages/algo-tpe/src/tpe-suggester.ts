import type { Suggester } from '@parzen/engine';
import { TrialHistory } from './history/trial-history.js';
import { resolveTpeSettings, type TpeOptions } from './options.js';
import { startupSampler } from './startup.js';
import { suggestParam, suggestTrial } from './suggest/suggest-trial.js';

/**
 * The Tree-structured Parzen Estimator. `compat` picks hyperopt's TPE, Optuna's univariate TPE (5.0 line)
 * or our default; every other option overrides the profile (see `tpeOptionsSchema`). The whole trial is
 * decided in `sampleJoint`, parameter by parameter in evaluation order.
 *
 * @remarks Keeps an incremental history between calls (finished trials are immutable, keyed by number
 * and state); results depend only on the context, so a seed reproduces a study. When the run asks for
 * explanations (the config's `"explain": true` gives suggesters `context.explain`), each suggestion's
 * {@link TpeExplanation} goes there, unless the option `explain` is false.
 *
 * @example
 * const result = await fmin({ objective, space, algorithm: createTpeSuggester({ compat: 'hyperopt' }), maxTrials: 100 });
 */
export const createTpeSuggester = (options: TpeOptions = {}): Suggester => {
  const settings = resolveTpeSettings(options);
  const state = {
    history: new TrialHistory(),
    settings,
    startup: startupSampler(settings.startup),
    caches: new WeakMap(),
  };
  return {
    name: 'tpe',
    sampleJoint: (context) => {
      const explain = settings.explain && context.explain !== undefined;
      const suggestion = suggestTrial(state, context, explain);
      if (suggestion.explanation !== undefined) context.explain?.(suggestion.explanation);
      return suggestion.params;
    },
    sampleIndependent: (context, param) => suggestParam(state, context, param),
  };
};
