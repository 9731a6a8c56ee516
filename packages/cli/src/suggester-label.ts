import { settingsOffProfile } from '@parzen/algo-tpe';
import { presentSuggester } from '@parzen/engine/host';
import type { StudySuggester } from '@parzen/engine/plugin';

/** A suggester as a study records it, in the words `studies` and `validate` say it in. */
export interface SuggesterWords {
  readonly name: string;
  /** The profile its settings name (tpe's `hyperopt`, `optuna`, ...; `compat`, its former name, in an older study). */
  readonly profile?: string;
  /** Its settings that differ from those its profile gives, in the order the settings keep them. */
  readonly offProfile: Readonly<Record<string, unknown>>;
}

/** A suggester as a study records it (its name and settings), in words: its profile and the settings off it. */
export const suggesterWords = (suggester: StudySuggester): SuggesterWords => {
  const settings = presentSuggester(suggester).settings;
  const profile = settings?.profile;
  return {
    name: suggester.name,
    ...(typeof profile === 'string' ? { profile } : {}),
    // TPE's profiles are TPE's to read: another suggester's settings name none here.
    offProfile: settings === undefined || suggester.name !== 'tpe' ? {} : settingsOffProfile(settings),
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
