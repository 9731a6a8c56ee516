import { createTpeSuggester } from '@parzen/algo-tpe';
import { studySuggester, suggesterChange } from '@parzen/engine/host';
import { describe, expect, it } from 'vitest';

type Options = Record<string, unknown>;

const settingsOf = (options: Options) => studySuggester(createTpeSuggester(options as never));

/** The options a change's warning says restore the study, as JSON; undefined when it offers none. */
const restoreOf = (message: string | undefined): Options | undefined => {
  const json = message?.match(/give the suggester these options: (\{.*\})\.(?: An option the study|$)/)?.[1];
  return json === undefined ? undefined : (JSON.parse(json) as Options);
};

/** Every combination of the values, each option left out too. */
const combinations = (values: Readonly<Record<string, readonly unknown[]>>): Options[] =>
  Object.entries(values).reduce<Options[]>(
    (all, [key, choices]) =>
      all.flatMap((options) => [options, ...choices.map((value) => ({ ...options, [key]: value }))]),
    [{}],
  );

describe("the options that restore a study's tpe settings", () => {
  // Trial 162: only `grouping` changed, and the warning also gave the `explore` object the study had by default.
  it('are only those that changed when no other setting is worked out from them', () => {
    const message = suggesterChange('models', settingsOf({}), settingsOf({ grouping: 'joint' }));
    expect(restoreOf(message)).toEqual({ grouping: 'groups' });
  });

  it('restore the study when given beside the config’s options: no change is left to warn of', () => {
    const all = combinations({
      gamma: [0.2],
      grouping: ['joint'],
      profile: ['optuna'],
      explore: [{ trials: 0 }, { trials: 10, gamma: 0.3 }],
      randint: ['ordered'],
    });
    let restored = 0;
    for (const study of all)
      for (const config of all) {
        const restore = restoreOf(suggesterChange('s', settingsOf(study), settingsOf(config)));
        if (restore === undefined) continue;
        const again = suggesterChange('s', settingsOf(study), settingsOf({ ...config, ...restore }));
        expect(again, `study ${JSON.stringify(study)}, config ${JSON.stringify(config)}`).toBeUndefined();
        restored++;
      }
    expect(restored).toBeGreaterThan(500);
  });
});
