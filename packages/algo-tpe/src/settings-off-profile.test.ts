import { describe, expect, it } from 'vitest';
import { settingsOffProfile } from './settings-off-profile.js';
import { createTpeSuggester } from './tpe-suggester.js';

/** The settings a study records for these options, as JSON (what a store gives back). */
const recorded = (options: Parameters<typeof createTpeSuggester>[0]): Record<string, unknown> =>
  JSON.parse(JSON.stringify(createTpeSuggester(options).settings)) as Record<string, unknown>;

describe('settingsOffProfile: what tells variants of one profile apart', () => {
  it('is empty for a profile as it is, and names the settings that differ from it, in the recorded order', () => {
    expect(settingsOffProfile(recorded({}))).toEqual({});
    expect(settingsOffProfile(recorded({ profile: 'optuna5' }))).toEqual({});
    const varied = settingsOffProfile(recorded({ grouping: 'joint', constantLiar: false }));
    expect(varied).toEqual({ grouping: 'joint', constantLiar: false });
    expect(Object.keys(varied)).toEqual(
      Object.keys(recorded({ grouping: 'joint', constantLiar: false })).filter((key) => key in varied),
    );
  });

  it('names a gamma given beside the profile, not the explore phase that lost its own gamma to it', () => {
    // The profile's own gamma, written: the explore phase's gamma is dropped, so explore differs; gamma is said.
    expect(settingsOffProfile(recorded({ gamma: 0.1 }))).toEqual({ gamma: 0.1 });
    expect(settingsOffProfile(recorded({ gamma: 0.2 }))).toEqual({ gamma: 0.2 });
  });

  it('is empty for settings that name no profile this version knows', () => {
    expect(settingsOffProfile({ profile: 'future', gamma: 0.5 })).toEqual({});
    expect(settingsOffProfile({ gamma: 0.5 })).toEqual({});
  });
});
