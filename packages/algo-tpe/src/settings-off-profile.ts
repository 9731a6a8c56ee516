import { canonicalJson as canonical } from '@parzen/engine/plugin';
import type { TpeProfile } from './options.js';
import { createTpeSuggester } from './tpe-suggester.js';

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The settings of a TPE suggester, as a study records them (`suggester.settings`), that differ from those its
 * profile gives, in the order `settings` keeps them: what tells a matrix's variants of one profile apart
 * (`grouping`, `constantLiar`). Empty when none differ, or when they name no profile this version knows. An
 * `explore` that is the profile's but for the entries settings of the same names replaced (TPE drops the explore
 * phase's `gamma` when `gamma` is given, at the profile's value too) is said as those settings, not as `explore`.
 */
export const settingsOffProfile = (settings: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const profile = settings.profile;
  if (typeof profile !== 'string') return {};
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
      .filter(([key, value]) => canonical(value) !== canonical(given[key]))
      .map(([key]) => key),
  );
  const explore = settings.explore;
  const profileExplore = given.explore;
  if (named.has('explore') && isRecord(explore) && isRecord(profileExplore)) {
    const lost = Object.keys(profileExplore).filter((key) => !Object.hasOwn(explore, key));
    const rest = Object.fromEntries(Object.entries(profileExplore).filter(([key]) => Object.hasOwn(explore, key)));
    if (
      lost.length > 0 &&
      lost.every((key) => Object.hasOwn(settings, key)) &&
      canonical(rest) === canonical(explore)
    ) {
      named.delete('explore');
      for (const key of lost) named.add(key);
    }
  }
  return Object.fromEntries(Object.entries(settings).filter(([key]) => named.has(key)));
};
