import { createMemoryStore, type EngineEvent, Study } from '@parzen/engine';
import { compileSpace, createFunctionObjective, createHaltonSampler, createRng, runStudy } from '@parzen/engine/plugin';
import { describeSuggesterContract, validatePluginOptions } from '@parzen/engine/testing';
import { describe, expect, it } from 'vitest';
import { explainSuggestion } from './explain/explain-suggestion.js';
import { tpeSuggesterManifest } from './manifest.js';
import { resolveTpeSettings } from './options.js';
import { createSuggestState, createTpeSuggester } from './tpe-suggester.js';

describeSuggesterContract('tpe (parzen)', { create: () => createTpeSuggester() });
describeSuggesterContract('tpe (hyperopt)', { create: () => createTpeSuggester({ profile: 'hyperopt' }), trials: 40 });
describeSuggesterContract('tpe (optuna)', { create: () => createTpeSuggester({ profile: 'optuna' }) });
describeSuggesterContract('tpe (optuna5)', { create: () => createTpeSuggester({ profile: 'optuna5' }) });
describeSuggesterContract('tpe (parzen, grouping groups, mean lie)', {
  create: () => createTpeSuggester({ grouping: 'groups', constantLiar: 'mean' }),
});

describeSuggesterContract('tpe (parzen, quasi-random start-up)', {
  create: () => createTpeSuggester({ startup: 'quasi-random' }),
});

describe('the settings a study keeps', () => {
  it('are every resolved option that decides suggestions (not the explanation switches), as JSON', () => {
    const { settings } = createTpeSuggester({ gamma: 0.2, explain: false });
    const { explain: _explain, explainGrid: _grid, ...expected } = resolveTpeSettings({ gamma: 0.2 });
    expect(settings).toEqual(expected);
    expect(settings).toMatchObject({ profile: 'parzen', gamma: 0.2, randint: 'ordered', startupTrials: 5 });
    expect(settings).not.toHaveProperty('explain');
    expect(JSON.parse(JSON.stringify(settings))).toEqual(settings);
    expect(createTpeSuggester({ profile: 'hyperopt' }).settings).toMatchObject({ randint: 'unordered', gamma: 0.25 });
  });
});

describe('quasi-random start-up', () => {
  const space = { x: { type: 'uniform', low: -2, high: 2 }, y: { type: 'uniform', low: -2, high: 2 } } as const;
  const compiled = compileSpace(space);
  const internals = async (options: Parameters<typeof createTpeSuggester>[0]) => {
    const result = await runStudy({
      spec: { name: 'q', direction: 'minimize', seed: 11, space },
      space: compiled,
      store: createMemoryStore(),
      suggester: createTpeSuggester(options),
      objective: createFunctionObjective((p) => (p.x as number) ** 2 + (p.y as number) ** 2),
      budget: { maxTrials: 10 },
    });
    return result.trials.map((trial) => trial.internal);
  };
  const halton = createHaltonSampler(compiled, 11);
  const haltonPoint = (number: number) =>
    Object.fromEntries(compiled.params.map((param) => [param.name, halton.sample(number, param)]));

  it("takes the study's Halton points for the start-up trials, then models", async () => {
    const params = await internals({ startup: 'quasi-random', startupTrials: 6 });
    expect(params.slice(0, 6)).toEqual([0, 1, 2, 3, 4, 5].map(haltonPoint));
    expect(params.slice(6)).not.toEqual([6, 7, 8, 9].map(haltonPoint));
  });

  it('counts finished trials only, whatever the lie: trials run in parallel are start-up ones (trial 81)', async () => {
    // Eight trials at once from the start, each taking a while: none has finished when the first eight
    // are asked, so all eight are start-up trials, then more until five have finished.
    for (const constantLiar of ['infinite', 'mean', 'best', 3, 'worst', false] as const) {
      const explained: { number: number; phase: string }[] = [];
      const result = await runStudy({
        spec: { name: 'q', direction: 'minimize', seed: 11, space },
        space: compiled,
        store: createMemoryStore(),
        suggester: createTpeSuggester({ constantLiar }),
        objective: createFunctionObjective(async (p) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return (p.x as number) ** 2 + (p.y as number) ** 2;
        }),
        concurrency: 8,
        budget: { maxTrials: 12 },
        explain: true,
        reporters: [
          {
            name: 'phases',
            onEvent: (event) => {
              if (event.type === 'suggestion.explained')
                explained.push({
                  number: event.number,
                  phase: (event.explanation as { phase: string }).phase,
                });
            },
          },
        ],
      });
      const internal = result.trials.map((trial) => trial.internal);
      expect(internal.slice(0, 8), String(constantLiar)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map(haltonPoint));
      expect(
        explained.filter((entry) => entry.number < 8).map((entry) => entry.phase),
        String(constantLiar),
      ).toEqual(Array(8).fill('startup'));
    }
  });

  it('is the parzen default (its 5 start-up trials); the library profiles start with random search', async () => {
    expect((await internals({})).slice(0, 5)).toEqual([0, 1, 2, 3, 4].map(haltonPoint));
    for (const profile of ['hyperopt', 'optuna', 'optuna5'] as const) {
      expect((await internals({ profile })).slice(0, 5)).not.toEqual([0, 1, 2, 3, 4].map(haltonPoint));
    }
    expect((await internals({ startup: 'random' })).slice(0, 5)).not.toEqual([0, 1, 2, 3, 4].map(haltonPoint));
  });
});

describe('explanations', () => {
  const run = async (options: Parameters<typeof createTpeSuggester>[0], explain: boolean) => {
    const events: EngineEvent[] = [];
    const space = { x: { type: 'uniform', low: -2, high: 2 } } as const;
    await runStudy({
      spec: { name: 'e', direction: 'minimize', seed: 2, space },
      space: compileSpace(space),
      store: createMemoryStore(),
      suggester: createTpeSuggester(options),
      objective: createFunctionObjective((p) => p.x as number),
      budget: { maxTrials: 7 },
      explain,
      reporters: [{ name: 'collect', onEvent: (event) => events.push(event) }],
    });
    return events.filter((event) => event.type === 'suggestion.explained').length;
  };

  it('are published when the run asks, without a TPE option, and never with explain: false', async () => {
    expect(await run({}, true)).toBe(7);
    expect(await run({ explain: false }, true)).toBe(0);
    expect(await run({}, false)).toBe(0);
  });
});

describe('createSuggestState (for a suggester built on TPE)', () => {
  it('refuses a kernel that names no density family, by name (trial 81: a weak map key error at trial #5)', () => {
    expect(() => createSuggestState({ ...resolveTpeSettings({}), kernel: 'wide' as never })).toThrow(
      'TPE\'s kernel is "wide", which is no density family; expected one of "hyperopt", "optuna"',
    );
    expect(createSuggestState(resolveTpeSettings({ profile: 'hyperopt' })).settings.kernel).toBe('hyperopt');
  });
});

describe('createTpeSuggester checks options given in code against the plugin schema', () => {
  const issues = (options: unknown) => {
    try {
      createTpeSuggester(options as never);
    } catch (error) {
      expect(error).toMatchObject({ code: 'CONFIG_INVALID', plugin: 'tpe' });
      return (error as { issues: unknown[] }).issues;
    }
    return [];
  };

  it('a typo, a wrong kind, an out-of-range number and an unknown lie, each by path', () => {
    expect(issues({ gama: 0.2, gamma: '0.2', candidates: 0, grouping: 'jiont', constantLiar: 'sometimes' })).toEqual([
      {
        pointer: '/gama',
        expected: expect.stringContaining('one of profile, startup, startupTrials'),
        found: 'an unknown option `gama` (did you mean `gamma`?)',
      },
      { pointer: '/gamma', expected: 'a number > 0', found: '"0.2"' },
      { pointer: '/candidates', expected: 'an integer ≥ 1', found: '0' },
      { pointer: '/grouping', expected: 'one of "independent", "joint", "groups"', found: '"jiont"' },
      {
        pointer: '/constantLiar',
        expected: 'one of false, "worst", "infinite", "mean", "best", or a number',
        found: '"sometimes"',
      },
    ]);
  });

  it('checks the nested explore option by path, as a config does (trial 51: gamma -3 ran, a below set of -15)', () => {
    expect(issues({ explore: { trials: 9, gamma: -3, aboveWeight: -1, belowBandwidth: 'x', foo: 1 } })).toEqual([
      { pointer: '/explore/gamma', expected: 'a number > 0', found: '-3' },
      { pointer: '/explore/aboveWeight', expected: 'a number ≥ 0', found: '-1' },
      { pointer: '/explore/belowBandwidth', expected: 'a number > 0', found: '"x"' },
      {
        pointer: '/explore/foo',
        expected: 'one of trials, belowBandwidth, aboveWeight, gamma',
        found: 'an unknown option `foo`',
      },
    ]);
    expect(issues({ explore: {} })).toEqual([expect.objectContaining({ pointer: '/explore/trials' })]);
    expect(issues({ explore: { trials: 10, gamma: 0.3 } })).toEqual([]);
  });

  it('accepts every profile, a numeric lie and undefined options', () => {
    expect(issues({ profile: 'hyperopt', constantLiar: 0.5, gamma: undefined })).toEqual([]);
    expect(issues({ profile: 'optuna5', startup: 'quasi-random', explainGrid: 51 })).toEqual([]);
  });
});

describe('options given in code that do nothing where they are (trial 171: a config got a note, code nothing)', () => {
  const floor =
    'the tpe suggester\'s `bandwidthFloor` does nothing with kernel "hyperopt" (profile "hyperopt"): its adaptive Parzen widths have no floor; the "optuna" kernel uses it';

  it('are warned of when the study opens, in the words of the config notes', async () => {
    const warnings: string[] = [];
    await Study.open({
      name: 'floor',
      space: { x: { type: 'uniform', low: 0, high: 1 } },
      suggester: createTpeSuggester({ profile: 'hyperopt', bandwidthFloor: 0.1 }),
      onWarning: (message) => warnings.push(message),
    });
    expect(warnings).toEqual([`study floor: ${floor}`]);
    expect(createTpeSuggester({ profile: 'hyperopt' }).warnings).toBeUndefined();
    expect(
      createTpeSuggester({ explore: { trials: 0, gamma: 0.3 } }).warnings?.(
        compileSpace({ x: { type: 'uniform', low: 0, high: 1 } }),
      ),
    ).toEqual(["the tpe suggester's `explore.gamma` does nothing with explore.trials 0: no trial is explored"]);
  });

  it("a config's suggester leaves them to the config's notes, said once", async () => {
    const made = await tpeSuggesterManifest.create({ profile: 'hyperopt', bandwidthFloor: 0.1 }, {} as never);
    expect(made.warnings).toBeUndefined();
  });
});

describe("`compat`, the profile's former name, given in code", () => {
  const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 } });

  it('is read as `profile`: the same settings (kept as `profile`), with one warning that it is now `profile`', () => {
    const old = createTpeSuggester({ compat: 'hyperopt', bandwidthFloor: 0.1 });
    expect(old.settings).toEqual(createTpeSuggester({ profile: 'hyperopt', bandwidthFloor: 0.1 }).settings);
    expect(old.settings).toMatchObject({ profile: 'hyperopt', kernel: 'hyperopt' });
    expect(old.settings).not.toHaveProperty('compat');
    expect(old.warnings?.(space)).toEqual([
      "the tpe suggester's `compat` is now `profile` (its former name, still read as it): write profile: 'hyperopt'",
      'the tpe suggester\'s `bandwidthFloor` does nothing with kernel "hyperopt" (profile "hyperopt"): its adaptive Parzen widths have no floor; the "optuna" kernel uses it',
    ]);
  });

  it('with `profile` too is refused, naming both', () => {
    expect(() => createTpeSuggester({ profile: 'optuna', compat: 'optuna' })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        issues: [
          {
            pointer: '/compat',
            expected: 'only one of /profile and /compat (compat is the former name of profile: write profile alone)',
            found: 'both',
          },
        ],
      }),
    );
  });

  it('with `profile` too is refused by resolveTpeSettings and explainSuggestion as well, in the same words', async () => {
    // `compat` won there, where the engine's reading of a stored study lets `profile` win: neither guesses now.
    const both = { profile: 'optuna', compat: 'hyperopt' } as const;
    const refusal = expect.objectContaining({
      code: 'CONFIG_INVALID',
      message:
        'Invalid options for the tpe suggester:\n  /compat: expected only one of /profile and /compat (compat is the former name of profile: write profile alone), found both',
    });
    expect(() => resolveTpeSettings(both)).toThrow(refusal);
    await expect(explainSuggestion({ space, trials: [], rng: createRng('both'), options: both })).rejects.toThrow(
      refusal,
    );
    // `compat` alone is still read as the profile.
    expect(resolveTpeSettings({ compat: 'hyperopt' })).toEqual(resolveTpeSettings({ profile: 'hyperopt' }));
  });

  it("in a config, fills the profile's defaults as `profile` does (the schema's `profile` default aside)", async () => {
    const filled = (options: Record<string, unknown>) =>
      validatePluginOptions(tpeSuggesterManifest, options).value as Record<string, unknown>;
    const { profile: _, ...compat } = filled({ compat: 'optuna5' });
    const { profile, ...given } = filled({ profile: 'optuna5' });
    expect(profile).toBe('optuna5');
    expect(compat).toEqual({ ...given, compat: 'optuna5' });
    const made = await tpeSuggesterManifest.create(filled({ compat: 'optuna5' }) as never, {} as never);
    expect(made.settings).toEqual(createTpeSuggester({ profile: 'optuna5' }).settings);
    expect(validatePluginOptions(tpeSuggesterManifest, { profile: 'optuna5', compat: 'optuna5' }).issues).toEqual([
      {
        pointer: '/options/compat',
        expected:
          'only one of /options/profile and /options/compat (compat is the former name of profile: write profile alone)',
        found: 'both',
      },
    ]);
  });
});
