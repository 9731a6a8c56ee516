import type { ConfigNote } from '@parzen/engine/plugin';
import { TPE_PROFILES, type TpeOptions, tpeSettingsOf } from './options.js';

/**
 * The options a config wrote that do nothing in the setting the others make (`bandwidthFloor` with the hyperopt kernel,
 * `frame` with `grouping: "independent"`, `explore.trials` within the start-up trials), which would otherwise be
 * accepted without a word. `options`: with the profile's defaults filled in; `written`: as the config wrote them (a
 * default cannot be told from a value written equal to it, so only written options are noted). Pointers are below the
 * options (`/bandwidthFloor`).
 */
export const tpeOptionNotes = (options: TpeOptions, written: Readonly<Record<string, unknown>>): ConfigNote[] =>
  optionNotesIn(options, written, 'config');

/**
 * {@link tpeOptionNotes} for options a config (`config`) or code (`code`, given to `createTpeSuggester`) wrote: what
 * turns explanations on is worded for where they were written.
 */
export const optionNotesIn = (
  options: TpeOptions,
  written: Readonly<Record<string, unknown>>,
  where: 'config' | 'code',
): ConfigNote[] => {
  const settings = tpeSettingsOf(options, where);
  const notes: ConfigNote[] = [];
  const wrote = (key: string) => Object.hasOwn(written, key) && written[key] !== undefined;
  const note = (pointer: string, message: string) => notes.push({ pointer, message });
  // Where a setting came from, when the config did not write it: the profile (review 56: named also when the
  // config had written the setting itself).
  const given = (setting: string) =>
    wrote(setting) || (settings.profile === 'parzen' && !wrote('profile') && !wrote('compat'))
      ? ''
      : ` (profile "${settings.profile}")`;
  // The option's former name, read as `profile` (the schema refuses both).
  if (wrote('compat'))
    note(
      '/compat',
      `is now \`profile\` (its former name, still read as it): write ${where === 'config' ? `"profile": ${JSON.stringify(written.compat)}` : `profile: ${JSON.stringify(written.compat).replaceAll('"', "'")}`}`,
    );
  if (settings.kernel === 'hyperopt')
    for (const key of ['bandwidthFloor', 'bandwidthExponent'])
      if (wrote(key))
        note(
          `/${key}`,
          `does nothing with kernel "hyperopt"${given('kernel')}: its adaptive Parzen widths have no floor; the "optuna" kernel uses it`,
        );
  if (settings.grouping === 'independent')
    for (const key of ['frame', 'maxGroupSize'])
      if (wrote(key))
        note(
          `/${key}`,
          `does nothing with grouping "independent"${given('grouping')}: each parameter is decided on its own, and it shapes joint decisions ("joint" or "groups")`,
        );
  if (settings.startupTrials === 0 && wrote('startup'))
    note('/startup', 'does nothing with startupTrials 0: no trial comes from the start-up suggester');
  if (!settings.explain && wrote('explainGrid'))
    note('/explainGrid', 'does nothing with explain false: no suggestion is explained');
  // Trial 109: `"explain": true` written here, with an events reporter, gave an empty file and no word.
  if (settings.explain && written.explain === true)
    note(
      '/explain',
      `turns no explanation on: ${where === 'config' ? 'the config\'s own "explain": true does (beside "name")' : "the study's `explain: true` does (`createStudy`, `Study.open`)"}; this option only lets the suggester refuse one (false)`,
    );
  const explore = written.explore as Readonly<Record<string, unknown>> | undefined;
  if (typeof explore === 'object' && explore !== null) {
    const { trials } = settings.explore;
    const values = ['belowBandwidth', 'aboveWeight', 'gamma'].filter((key) => explore[key] !== undefined);
    if (trials === 0)
      for (const key of values) note(`/explore/${key}`, 'does nothing with explore.trials 0: no trial is explored');
    else if (trials <= settings.startupTrials)
      note(
        '/explore/trials',
        `${trials} decides no trial with explore's settings: the first ${settings.startupTrials} trials (startupTrials${given('startupTrials')}) come from the start-up suggester, so explore.trials must be above ${settings.startupTrials} to explore`,
      );
    else {
      // A written explore replaces the profile's phase: the phase's settings it leaves out (and the config does not
      // write at the top level) are the later trials' in its trials too, which `{"trials": 30}` alone gave silently.
      const { trials: _, ...phase } = TPE_PROFILES[settings.profile].explore;
      const dropped = Object.entries(phase).filter(([key]) => explore[key] === undefined && !wrote(key));
      if (dropped.length > 0)
        note(
          '/explore',
          `replaces the profile's explore phase (profile "${settings.profile}": ${dropped.map(([key, value]) => `${key} ${value}`).join(', ')} for its first ${TPE_PROFILES[settings.profile].explore.trials} trials): its first ${trials} trials get ${dropped.map(([key]) => `${key} ${settings[key as keyof typeof phase]}`).join(', ')}, as every later trial; write ${dropped.length === 1 ? 'it' : 'them'} in explore to explore with ${dropped.length === 1 ? 'it' : 'them'}`,
        );
      else if (values.length === 0)
        note(
          '/explore',
          `gives no setting of its own: its first ${trials} trials are decided as every later trial; write gamma, belowBandwidth or aboveWeight in it to explore with them`,
        );
    }
  }
  return notes;
};
