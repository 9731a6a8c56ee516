import type { PluginChoice, StudyRecord } from '@parzen/engine';
import { studySuggester, suggesterChange } from '@parzen/engine/host';

/**
 * What changed between the TPE settings a study was created with and those a config's `tpe` suggester runs with, said
 * as a run says it (`uses`: what the command does with them); undefined when nothing did, or either is not TPE. TPE
 * is built to read its settings (the one suggester a read-only command builds: the others need their plugins).
 */
export const tpeSettingsChange = async (
  study: StudyRecord,
  suggester: PluginChoice,
  uses: string,
): Promise<string | undefined> => {
  if (suggester.use !== 'tpe' || study.suggester?.name !== 'tpe') return undefined;
  const { createTpeSuggester } = await import('@parzen/algo-tpe');
  const given = (suggester.options ?? {}) as NonNullable<Parameters<typeof createTpeSuggester>[0]>;
  // A config's options: a `profile` beside `compat` (its former name) is the schema's default, filled in (the
  // config's validation refuses both written), which the code entry point would refuse as both given.
  const { profile: _filled, ...withoutProfile } = given;
  const options = given.compat === undefined ? given : withoutProfile;
  return suggesterChange(study.name, study.suggester, studySuggester(createTpeSuggester(options)), {
    than: "the config's",
    uses,
  });
};
