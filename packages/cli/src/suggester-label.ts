import { createTpeSuggester, type TpeProfile } from '@parzen/algo-tpe';
import { presentSuggester } from '@parzen/engine/host';
import { canonicalJson, type StudySuggester } from '@parzen/engine/plugin';

/** A suggester as a study records it, in the words `studies` and `validate` say it in. */
export interface SuggesterWords {
  readonly name: string;
  /** The profile its settings name (tpe's `hyperopt`, `optuna`, ...; `compat`, its former name, in an older study). */
  readonly profile?: string;
  /** Its settings that differ from those its profile gives, in the order the settings keep them. */
  readonly offProfile: Readonly<Record<string, unknown>>;
}

/**
 * The settings that differ from those the profile gives (a TPE study of a matrix over `grouping`, or
 * `constantLiar`), in the order `settings` keeps them; empty when none do, or when the suggester is not TPE or
 * names no profile this Parzen knows.
 */
const settingsOffProfile = (name: string, settings: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const profile = settings.profile;
  if (name !== 'tpe' || typeof profile !== 'string') return {};
  let given: Record<string, unknown>;
  try {
    given = JSON.parse(JSON.stringify(createTpeSuggester({ profile: profile as TpeProfile }).settings)) as Record<
      string,
      unknown
    >;
  } catch {
    return {};
  }
  const named = new Set(
    Object.entries(settings)
      .filter(([key, value]) => canonicalJson(value) !== canonicalJson(given[key]))
      .map(([key]) => key),
  );
  // An `explore` that is the profile's but for the entries it lost to settings of those names above it (TPE drops
  // the explore phase's `gamma` when `gamma` is given, at the profile's value too): those settings are named.
  const explore = settings.explore;
  const profileExplore = given.explore;
  if (named.has('explore') && isRecord(explore) && isRecord(profileExplore)) {
    const lost = Object.keys(profileExplore).filter((key) => !Object.hasOwn(explore, key));
    const rest = Object.fromEntries(Object.entries(profileExplore).filter(([key]) => Object.hasOwn(explore, key)));
    if (
      lost.length > 0 &&
      lost.every((key) => Object.hasOwn(settings, key)) &&
      canonicalJson(rest) === canonicalJson(explore)
    ) {
      named.delete('explore');
      for (const key of lost) named.add(key);
    }
  }
  return Object.fromEntries(Object.entries(settings).filter(([key]) => named.has(key)));
};

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A suggester as a study records it (its name and settings), in words: its profile and the settings off it. */
export const suggesterWords = (suggester: StudySuggester): SuggesterWords => {
  const settings = presentSuggester(suggester).settings;
  const profile = settings?.profile;
  return {
    name: suggester.name,
    ...(typeof profile === 'string' ? { profile } : {}),
    offProfile: settings === undefined ? {} : settingsOffProfile(suggester.name, settings),
  };
};

/**
 * A suggester as `studies` lists it and `validate` says it: `tpe (parzen, grouping joint)`, its profile and then
 * the settings off the profile; its name alone when its settings name no profile.
 */
export const suggesterLabel = (words: SuggesterWords): string => {
  if (words.profile === undefined) return words.name;
  const off = Object.entries(words.offProfile).map(
    ([key, value]) => `${key} ${typeof value === 'string' ? value : JSON.stringify(value)}`,
  );
  return `${words.name} (${[words.profile, ...off].join(', ')})`;
};
