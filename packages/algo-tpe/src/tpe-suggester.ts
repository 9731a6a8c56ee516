import { createQuasiRandomSuggester, createRandomSuggester } from '@parzen/algo-random';
import { assertOptions, type Suggester } from '@parzen/engine/plugin';
import { DENSITY_FAMILIES } from './estimator/families.js';
import { TrialHistory } from './history/trial-history.js';
import { optionNotesIn } from './option-notes.js';
import { type TpeOptions, type TpeSettings, tpeSettingsOf } from './options.js';
import { tpeOptionsSchema } from './options-schema.js';
import { createModelCaches } from './suggest/models.js';
import { beginTpeTrial, type SuggestState } from './suggest/suggest-trial.js';

/** Fresh per-suggester state: an empty history, the start-up suggester, empty caches. */
export const createSuggestState = (settings: TpeSettings): SuggestState => {
  // A name outside the registry failed at the first model trial with "Invalid value used as weak map key" (trial 81).
  if (!Object.hasOwn(DENSITY_FAMILIES, settings.kernel))
    throw new Error(
      `TPE's kernel is ${JSON.stringify(settings.kernel)}, which is no density family; expected one of ${Object.keys(
        DENSITY_FAMILIES,
      )
        .map((name) => JSON.stringify(name))
        .join(', ')} (a new family is a file in packages/algo-tpe/src/estimator/families/, named in DENSITY_FAMILIES).`,
    );
  return {
    history: new TrialHistory(),
    settings,
    startup: settings.startup === 'quasi-random' ? createQuasiRandomSuggester() : createRandomSuggester(),
    caches: createModelCaches(),
  };
};

/**
 * The Tree-structured Parzen Estimator. `profile` picks hyperopt's TPE, Optuna's univariate TPE (5.0 line)
 * or our default; every other option overrides the profile (each option's hover in {@link TpeSettings} gives its
 * default in every profile; a config's form is {@link tpeOptionsSchema}). Each trial begins
 * once: the start-up suggester (`random` or `quasi-random`) draws the first trials, then TPE decides
 * each parameter as the engine walks the space.
 *
 * @remarks Keeps an incremental history between calls (finished trials are immutable, keyed by number
 * and state); results depend only on the context, so a seed reproduces a study. When the run asks for
 * explanations (the config's `"explain": true` gives suggesters `context.explain`), each suggestion's
 * `TpeExplanation` goes there, unless the option `explain` is false.
 *
 * @example
 * const result = await fmin({ objective, space, suggester: createTpeSuggester({ profile: 'hyperopt' }), maxTrials: 100 });
 * @throws `ParzenError` `CONFIG_INVALID` for options the schema refuses (an unknown key such as `gama`, a wrong type
 *   such as `gamma: "0.2"`), naming each, for both `profile` and its former name `compat`, and for `grouping` other
 *   than `"independent"` with `kernel: "hyperopt"`.
 */
export const createTpeSuggester = (options: TpeOptions = {}): Suggester => tpeSuggesterOf(options, 'code');

/**
 * {@link createTpeSuggester} for options a config (`config`, whose validation says their notes) or code (`code`: the
 * suggester's `warnings` say them, when a study opens or a run starts) wrote. The notes are {@link optionNotesIn}'s:
 * one account of an option that does nothing where it is (`bandwidthFloor` with the hyperopt kernel), in both.
 */
export const tpeSuggesterOf = (options: TpeOptions, from: 'config' | 'code'): Suggester => {
  // Configs are checked against the schema before they get here; options given in code are checked
  // here, so a typo (`gama`) or a wrong kind (`gamma: "0.2"`) is an error, not a silent default.
  assertOptions(tpeOptionsSchema, options, 'tpe suggester', 'tpe');
  // `compat` is `profile`'s former name: both given in code are refused, as the schema refuses them in a config
  // (whose `profile` here may be the schema's default, filled in beside the `compat` written).
  const state = createSuggestState(tpeSettingsOf(options, from));
  const stateOf = perStudy(state);
  // What decides suggestions, as a study keeps it (explanations change nothing, so they are left out).
  const { explain: _explain, explainGrid: _explainGrid, ...settings } = state.settings;
  // Trial 171: `createTpeSuggester({ profile: 'hyperopt', bandwidthFloor: 0.1 })` was silent, where a config got a note.
  const said =
    from === 'code'
      ? optionNotesIn(options, options, 'code').map(
          ({ pointer, message }) => `the tpe suggester's \`${pointer.slice(1).replaceAll('/', '.')}\` ${message}`,
        )
      : [];
  return {
    name: 'tpe',
    settings,
    ...(said.length === 0 ? {} : { warnings: () => said }),
    beginTrial: (context) => {
      const explain = state.settings.explain ? context.explain : undefined;
      return beginTpeTrial(stateOf(context.study), context, explain);
    },
  };
};

/** Studies whose history and caches one suggester keeps at once (the most recently asked). */
const KEPT_STUDIES = 8;

/**
 * A history and caches per study for one suggester given to several (a batch in one process, studies asked at
 * once): one shared by all was rebuilt at every switch between them. The most recently asked {@link KEPT_STUDIES}
 * are kept; two studies of one name (in two stores) share theirs, which each trial syncs to its own trials.
 */
const perStudy = (first: SuggestState): ((study: string) => SuggestState) => {
  const states = new Map<string, SuggestState>();
  return (study) => {
    let state = states.get(study);
    if (state === undefined) {
      state = states.size === 0 ? first : createSuggestState(first.settings);
      if (states.size >= KEPT_STUDIES) states.delete(states.keys().next().value as string);
    } else states.delete(study);
    states.set(study, state);
    return state;
  };
};
