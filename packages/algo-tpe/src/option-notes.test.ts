import { describe, expect, it } from 'vitest';
import { tpeOptionNotes } from './option-notes.js';
import { TPE_PROFILES, type TpeOptions } from './options.js';

/** The notes for options as a config wrote them, the profile's defaults filled in as the schema fills them. */
const notesFor = (written: TpeOptions) => {
  const profile = written.profile ?? 'parzen';
  return tpeOptionNotes({ ...TPE_PROFILES[profile], profile, ...written } as TpeOptions, written);
};

describe('tpeOptionNotes (options that do nothing where they are, trial 51)', () => {
  it('notes nothing for a profile alone, or for options that act', () => {
    for (const profile of ['parzen', 'hyperopt', 'optuna', 'optuna5'] as const)
      expect(notesFor({ profile })).toEqual([]);
    expect(
      notesFor({
        bandwidthFloor: 0.05,
        frame: 'axes',
        maxGroupSize: 4,
        explore: { trials: 20, gamma: 0.3, belowBandwidth: 0.5 },
      }),
    ).toEqual([]);
  });

  it("notes explain: true written in the suggester's options, which turns nothing on (trial 109: an empty events file)", () => {
    expect(notesFor({ explain: true })).toEqual([
      {
        pointer: '/explain',
        message:
          'turns no explanation on: the config\'s own "explain": true does (beside "name"); this option only lets the suggester refuse one (false)',
      },
    ]);
    expect(notesFor({ explain: false })).toEqual([]);
  });

  it('notes the width floor with the hyperopt kernel, whose adaptive Parzen widths have none', () => {
    expect(notesFor({ profile: 'hyperopt', bandwidthFloor: 0.2, bandwidthExponent: 0.5 })).toEqual([
      {
        pointer: '/bandwidthFloor',
        message:
          'does nothing with kernel "hyperopt" (profile "hyperopt"): its adaptive Parzen widths have no floor; the "optuna" kernel uses it',
      },
      expect.objectContaining({ pointer: '/bandwidthExponent' }),
    ]);
  });

  it('notes frame and maxGroupSize when each parameter is decided on its own', () => {
    const notes = notesFor({ grouping: 'independent', frame: 'axes', maxGroupSize: 3 });
    expect(notes.map((note) => note.pointer)).toEqual(['/frame', '/maxGroupSize']);
    expect(notes[0]?.message).toBe(
      'does nothing with grouping "independent": each parameter is decided on its own, and it shapes joint decisions ("joint" or "groups")',
    );
    // The optuna profile decides alone by default: its frame is noted too, naming the profile.
    expect(notesFor({ profile: 'optuna', frame: 'principal' })[0]?.message).toContain('(profile "optuna")');
    expect(notesFor({ profile: 'optuna5', frame: 'principal' })).toEqual([]);
    // The profile is named only for a setting the config did not write.
    expect(notesFor({ profile: 'optuna5', grouping: 'independent', frame: 'principal' })[0]?.message).toMatch(
      /^does nothing with grouping "independent": /,
    );
  });

  it("notes an explore that leaves out the profile's phase settings, which its trials then do not get", () => {
    expect(notesFor({ explore: { trials: 30 } })).toEqual([
      {
        pointer: '/explore',
        message:
          'replaces the profile\'s explore phase (profile "parzen": gamma 0.15, belowBandwidth 0.5 for its first 50 trials): its first 30 trials get gamma 0.1, belowBandwidth 0.35, as every later trial; write them in explore to explore with them',
      },
    ]);
    expect(notesFor({ explore: { trials: 40, gamma: 0.2 } })[0]?.message).toContain(
      'its first 40 trials get belowBandwidth 0.35, as every later trial; write it in explore',
    );
    // A setting written at the top level is every trial's anyway (the profile's phase drops it too); the other
    // profiles have no phase to replace.
    expect(notesFor({ belowBandwidth: 0.3, explore: { trials: 40, gamma: 0.2 } })).toEqual([]);
    expect(notesFor({ profile: 'optuna', explore: { trials: 40, gamma: 0.2 } })).toEqual([]);
    // An explore with no setting at all explores with nothing, whatever the profile (review 123).
    for (const written of [
      { profile: 'optuna', explore: { trials: 40 } },
      { gamma: 0.2, belowBandwidth: 0.4, explore: { trials: 40 } },
    ] as const)
      expect(notesFor(written)).toEqual([
        {
          pointer: '/explore',
          message:
            'gives no setting of its own: its first 40 trials are decided as every later trial; write gamma, belowBandwidth or aboveWeight in it to explore with them',
        },
      ]);
  });

  it('notes explore settings that decide no trial, and a start-up sampler with no start-up trials', () => {
    expect(notesFor({ explore: { trials: 5, gamma: 0.5 } })).toEqual([
      {
        pointer: '/explore/trials',
        message:
          "5 decides no trial with explore's settings: the first 5 trials (startupTrials) come from the start-up suggester, so explore.trials must be above 5 to explore",
      },
    ]);
    expect(notesFor({ explore: { trials: 6, gamma: 0.5, belowBandwidth: 0.4 } })).toEqual([]);
    expect(notesFor({ explore: { trials: 0, gamma: 0.5, aboveWeight: 1 } }).map((note) => note.pointer)).toEqual([
      '/explore/aboveWeight',
      '/explore/gamma',
    ]);
    expect(notesFor({ startupTrials: 0, startup: 'random' })).toEqual([
      { pointer: '/startup', message: 'does nothing with startupTrials 0: no trial comes from the start-up suggester' },
    ]);
    expect(notesFor({ explain: false, explainGrid: 11 })).toEqual([
      { pointer: '/explainGrid', message: 'does nothing with explain false: no suggestion is explained' },
    ]);
  });
});
