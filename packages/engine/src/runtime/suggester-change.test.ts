import { describe, expect, it, vi } from 'vitest';
import { presentSuggester, studySuggester, suggesterChange } from '../builtins/check-same-study.js';
import { createFunctionObjective } from '../builtins/function-objective.js';
import { createMemoryStore } from '../builtins/memory-store.js';
import type { Suggester } from '../contracts/suggester.js';
import { compileSpace } from '../domain/compile-space.js';
import { sampleDistribution } from '../domain/sample-distribution.js';
import type { SpaceDefinition } from '../domain/space-definition.js';
import { Study } from '../study.js';
import { runStudy } from './run-study.js';

const space: SpaceDefinition = { x: { type: 'uniform', low: 0, high: 1 } };
/** A prior-draw suggester that reports the settings it was given, as a plugin with options does. */
const withSettings = (settings?: Record<string, unknown>, name = 'algo'): Suggester => ({
  name,
  ...(settings === undefined ? {} : { settings }),
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
});

describe('suggesterChange', () => {
  it('is silent when nothing changed (keys in another order too)', () => {
    const stored = { name: 'tpe', settings: { gamma: 0.15, explore: { trials: 0, gamma: 0.1 } } };
    const same = { name: 'tpe', settings: { explore: { gamma: 0.1, trials: 0 }, gamma: 0.15 } };
    expect(suggesterChange('s', stored, same)).toBeUndefined();
  });

  it('says that a study whose store kept no suggester may have drawn with other settings (trial 97)', () => {
    expect(suggesterChange('s', undefined, { name: 'tpe', settings: { gamma: 0.15 } })).toMatch(
      /^study s has no record of the suggester its trials were drawn with \(Parzen before 2026-12-02 kept none, nor does every store\): this run's `tpe` uses its present settings, which may not be those .* a copy made with `parzen export` and `parzen import` into a new store records the config's suggester \(the one it is imported with\) and is not\.$/,
    );
    // A suggester without settings has none that could have changed.
    expect(suggesterChange('s', undefined, { name: 'random' })).toBeUndefined();
  });

  it('says when another suggester continues the study', () => {
    expect(suggesterChange('s', { name: 'tpe', settings: { gamma: 0.15 } }, { name: 'random' })).toBe(
      'study s was created with suggester `tpe`; this run uses `random` and adds its trials to the same study. ' +
        'To compare the two, give this run another study name (or another store).',
    );
  });

  it("names each changed setting and the options that restore the study's", () => {
    const message = suggesterChange(
      'heart',
      { name: 'tpe', settings: { gamma: 0.15, randint: 'unordered', startupTrials: 5 } },
      { name: 'tpe', settings: { gamma: 0.15, randint: 'ordered', startupTrials: 10, frame: 'principal' } },
    );
    expect(message).toBe(
      'study heart was created with other `tpe` settings than this run\'s: `randint` was "unordered", now "ordered"; ' +
        '`startupTrials` was 5, now 10; `frame` is "principal" (the study\'s settings had no such option). ' +
        'This run uses its own. To go on as the study began, give the suggester these options: ' +
        '{"randint":"unordered","startupTrials":5}. An option the study\'s settings lack is newer than the study: ' +
        "its plugin's documentation gives the value that keeps the earlier behaviour (`tpe`'s: docs/tpe.md, " +
        '"A study started before these defaults changed").',
    );
  });

  it('restores with a setting the restored one is phased by (review 121: explore left out, warned again)', () => {
    const explore = { trials: 50, gamma: 0.15, belowBandwidth: 0.5 };
    const message = suggesterChange(
      's',
      { name: 'tpe', settings: { belowBandwidth: 0.25, randint: 'ordered', explore } },
      { name: 'tpe', settings: { belowBandwidth: 0.35, randint: 'ordered', explore } },
    );
    expect(message).toContain(
      `give the suggester these options: {"belowBandwidth":0.25,"explore":${JSON.stringify(explore)}}.`,
    );
    // Not one that names no restored setting (trial 162: `explore` came with a restored `grouping`) ...
    const off = suggesterChange(
      's',
      { name: 'tpe', settings: { gamma: 0.2, grouping: 'groups', explore: { trials: 0 } } },
      { name: 'tpe', settings: { gamma: 0.1, grouping: 'joint', explore: { trials: 0 } } },
    );
    expect(off).toContain('give the suggester these options: {"gamma":0.2,"grouping":"groups"}.');
    // ... unless the profile that picks the defaults is restored: then every setting the two share (review 122:
    // `{"trials": 0}` was left out, and came back as the profile's).
    const profile = suggesterChange(
      's',
      { name: 'tpe', settings: { profile: 'optuna', randint: 'ordered', explore: { trials: 0 } } },
      { name: 'tpe', settings: { profile: 'parzen', randint: 'ordered', explore: { trials: 0 } } },
    );
    expect(profile).toContain(
      'give the suggester these options: {"profile":"optuna","randint":"ordered","explore":{"trials":0}}.',
    );
    // Not one this version no longer has (the plugin would refuse it).
    const gone = suggesterChange(
      's',
      { name: 'tpe', settings: { gamma: 0.2, schedule: { every: 3 } } },
      { name: 'tpe', settings: { gamma: 0.1 } },
    );
    expect(gone).toContain('give the suggester these options: {"gamma":0.2}.');
  });

  it("says which of an object setting's entries gave way to settings above it, or came back (trial 119, review 128)", () => {
    const explore = { trials: 50, gamma: 0.15, belowBandwidth: 0.5 };
    const { gamma: _, ...withoutGamma } = explore;
    // A `gamma` written above TPE's `explore` takes the place of its `gamma`, whatever its value.
    const written = suggesterChange(
      's',
      { name: 'tpe', settings: { gamma: 0.1, explore } },
      { name: 'tpe', settings: { gamma: 0.3, explore: withoutGamma } },
    );
    expect(written).toContain(
      '`explore` was {"belowBandwidth":0.5,"gamma":0.15,"trials":50}, now {"belowBandwidth":0.5,"trials":50}, its `gamma` giving way to the top-level `gamma`.',
    );
    const same = suggesterChange(
      's',
      { name: 'tpe', settings: { gamma: 0.1, explore } },
      { name: 'tpe', settings: { gamma: 0.1, explore: withoutGamma } },
    );
    expect(same).toContain('now {"belowBandwidth":0.5,"trials":50}, its `gamma` giving way to the top-level `gamma`.');
    // Both written: `explore` is off, both entries said.
    const both = suggesterChange(
      's',
      { name: 'tpe', settings: { gamma: 0.1, belowBandwidth: 0.35, explore } },
      { name: 'tpe', settings: { gamma: 0.3, belowBandwidth: 0.7, explore: { trials: 0 } } },
    );
    expect(both).toContain('now {"trials":0}, its `belowBandwidth` and `gamma` giving way to the top-level ones.');
    // And back, when the config no longer writes it.
    const back = suggesterChange(
      's',
      { name: 'tpe', settings: { gamma: 0.3, explore: withoutGamma } },
      { name: 'tpe', settings: { gamma: 0.1, explore } },
    );
    expect(back).toContain('now {"belowBandwidth":0.5,"gamma":0.15,"trials":50}, with a `gamma` of its own.');
    // An entry no setting above has is said as the object's own change.
    const own = suggesterChange(
      's',
      { name: 'tpe', settings: { gamma: 0.1, explore } },
      { name: 'tpe', settings: { gamma: 0.1, explore: { trials: 50, gamma: 0.15 } } },
    );
    expect(own).toContain('now {"gamma":0.15,"trials":50}.');
  });

  it('offers no options to restore when options appeared or went away (the plugin would refuse one it lacks)', () => {
    const message = suggesterChange('s', { name: 'tpe', settings: {} }, { name: 'tpe', settings: { frame: 'axes' } });
    expect(message).toContain('`frame` is "axes"');
    expect(message).not.toContain('give the suggester');
    expect(message).toContain('newer than the study');
    const removed = suggesterChange('s', { name: 'tpe', settings: { old: 1 } }, { name: 'tpe', settings: {} });
    expect(removed).toContain('`old` was 1 (this version has no such option)');
    expect(removed).not.toContain('give the suggester');
  });

  // Review 146: "newer than the study" was said of an option this run's settings hold as undefined (listed as no
  // change), and pointed a suggester other than TPE at TPE's documentation.
  it("says an option is newer than the study only of one listed so, and names TPE's page for tpe only", () => {
    const unset = suggesterChange(
      's',
      { name: 'tpe', settings: { gamma: 0.1 } },
      { name: 'tpe', settings: { gamma: 0.2, frame: undefined } },
    );
    expect(unset).toContain('`gamma` was 0.1, now 0.2');
    expect(unset).not.toContain('frame');
    expect(unset).not.toContain('newer than the study');
    const other = suggesterChange(
      's',
      { name: 'quasi-random', settings: {} },
      { name: 'quasi-random', settings: { scramble: true } },
    );
    expect(other).toContain('newer than the study');
    expect(other).not.toContain('tpe');
  });

  it('keeps a copy of the settings, as JSON', () => {
    const settings = { nested: { a: 1 } };
    const kept = studySuggester(withSettings(settings));
    settings.nested.a = 2;
    expect(kept).toEqual({ name: 'algo', settings: { nested: { a: 1 } } });
    expect(studySuggester(withSettings())).toEqual({ name: 'algo' });
  });
});

describe('a resumed run and the suggester its study was created with', () => {
  const runWith = (
    store: ReturnType<typeof createMemoryStore>,
    suggester: Suggester,
    warnings: string[],
    maxTrials = 2,
  ) =>
    runStudy({
      spec: { name: 'kept', direction: 'minimize', seed: 3, space },
      space: compileSpace(space),
      store,
      suggester,
      objective: createFunctionObjective(({ x }) => x as number),
      budget: { maxTrials },
      onWarning: (message) => warnings.push(message),
    });

  it('stores the suggester when the study is created, and warns on resume when its settings differ', async () => {
    const store = createMemoryStore();
    const warnings: string[] = [];
    await runWith(store, withSettings({ randint: 'unordered', gamma: 0.15 }), warnings);
    expect((await store.getStudy('kept')).suggester).toEqual({
      name: 'algo',
      settings: { randint: 'unordered', gamma: 0.15 },
    });
    expect(warnings).toEqual([]);

    // The same settings: silent. New defaults (say, after an upgrade): one warning, and the run goes on.
    await runWith(store, withSettings({ gamma: 0.15, randint: 'unordered' }), warnings, 4);
    expect(warnings).toEqual([]);
    const result = await runWith(store, withSettings({ randint: 'ordered', gamma: 0.15 }), warnings, 6);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('`randint` was "unordered", now "ordered"');
    expect(warnings[0]).toContain('{"randint":"unordered"}');
    expect(result.trials).toHaveLength(6);
    // The study keeps what it was created with.
    expect((await store.getStudy('kept')).suggester?.settings).toEqual({ randint: 'unordered', gamma: 0.15 });
  });

  it('warns on resuming a study whose store kept no suggester (an older Parzen wrote it: trial 97)', async () => {
    const store = createMemoryStore();
    // The study record as versions before 2026-12-02 wrote it: no suggester.
    await store.openStudy({ name: 'kept', direction: 'minimize', seed: 3, space });
    const warnings: string[] = [];
    const result = await runWith(store, withSettings({ gamma: 0.15 }), warnings);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^study kept has no record of the suggester its trials were drawn with/);
    expect(result.trials).toHaveLength(2);
  });
});

describe('Study.open (ask/tell) and the suggester its study was created with', () => {
  it('warns once when it opens a study created with other settings; optimize does not say it again', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const store = createMemoryStore();
      await Study.open({ space, store, suggester: withSettings({ gamma: 0.15 }) });
      expect(written).toEqual([]);
      const again = await Study.open({ space, store, suggester: withSettings({ gamma: 0.25 }) });
      await again.optimize({ maxTrials: 2, objective: ({ x }) => x as number });
      expect(written).toEqual([
        "parzen: warning: study study was created with other `algo` settings than this run's: `gamma` was 0.15, now 0.25. " +
          'This run uses its own. To go on as the study began, give the suggester these options: {"gamma":0.15}.\n',
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses settings that are not JSON, naming the suggester', async () => {
    await expect(Study.open({ space, suggester: withSettings({ big: 1n }) })).rejects.toMatchObject({
      code: 'PLUGIN_INVALID',
      message: expect.stringContaining('Suggester `algo` has settings that are not JSON data'),
    });
    // What JSON would change without a word (trial 70: NaN stored as null, a function dropped).
    for (const [settings, said] of [
      [{ a: Number.NaN }, '`/a` is NaN'],
      [{ nested: { f: () => 1 } }, '`/nested/f` is a function'],
      [{ list: [1, Number.POSITIVE_INFINITY] }, '`/list/1` is Infinity'],
      [{ list: [1, undefined] }, '`/list/1` is undefined'],
      [
        { table: new Map() },
        '`/table` is a Map of 0 entries, which JSON writes as {}: give `Object.fromEntries(map)` for string keys',
      ],
    ] as const)
      await expect(Study.open({ space, suggester: withSettings(settings) })).rejects.toMatchObject({
        code: 'PLUGIN_INVALID',
        message: expect.stringContaining(`has settings that are not JSON data (${said})`),
      });
    // A setting left undefined is left out.
    await expect(Study.open({ space, suggester: withSettings({ a: 1, b: undefined }) })).resolves.toBeDefined();
  });
});

describe("a study's suggester settings kept under a former name (TPE's `compat`, now `profile`)", () => {
  const kept = { name: 'tpe', settings: { gamma: 0.1, compat: 'optuna5', pruned: 'rank' } };

  it('are read under the present name, in their order, for tpe only', () => {
    const present = presentSuggester(kept);
    expect(present).toEqual({ name: 'tpe', settings: { gamma: 0.1, profile: 'optuna5', pruned: 'rank' } });
    expect(Object.keys(present.settings ?? {})).toEqual(['gamma', 'profile', 'pruned']);
    const other = { name: 'mine', settings: { compat: 'x' } };
    expect(presentSuggester(other)).toBe(other);
    // Both names kept (no Parzen wrote that): the present one stands.
    expect(presentSuggester({ name: 'tpe', settings: { compat: 'hyperopt', profile: 'optuna5' } })).toEqual({
      name: 'tpe',
      settings: { profile: 'optuna5' },
    });
  });

  it('are no change on resume when the run gives the same settings under the present name', () => {
    expect(
      suggesterChange('s', kept, { name: 'tpe', settings: { gamma: 0.1, profile: 'optuna5', pruned: 'rank' } }),
    ).toBeUndefined();
    expect(
      suggesterChange('s', kept, { name: 'tpe', settings: { gamma: 0.1, profile: 'optuna', pruned: 'rank' } }),
    ).toBe(
      'study s was created with other `tpe` settings than this run\'s: `profile` was "optuna5", now "optuna". ' +
        'This run uses its own. To go on as the study began, give the suggester these options: ' +
        '{"profile":"optuna5","gamma":0.1,"pruned":"rank"}.',
    );
  });
});
