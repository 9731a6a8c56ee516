import { fmin, Study } from '@parzen/engine';
import { compileSpace, createRng, type ParamNode, type SuggestContext, type Suggester } from '@parzen/engine/plugin';
import { describeSuggesterContract, testPluginContext } from '@parzen/engine/testing';
import { describe, expect, it } from 'vitest';
import { quasiRandomSuggesterManifest } from './manifest.js';
import { createQuasiRandomSuggester } from './quasi-random-suggester.js';

// Through its manifest, as a config creates it (create() may return a promise: trial 33).
describeSuggesterContract('quasi-random', {
  create: () => quasiRandomSuggesterManifest.create({}, testPluginContext()),
});

describe('createQuasiRandomSuggester checks options given in code', () => {
  it('keeps its settings for the study (scrambled unless told not to)', () => {
    expect(createQuasiRandomSuggester().settings).toEqual({ scramble: true });
    expect(createQuasiRandomSuggester({ scramble: false }).settings).toEqual({ scramble: false });
  });

  it('a misspelt option and a wrong kind are CONFIG_INVALID by path', () => {
    expect(() => createQuasiRandomSuggester({ scrambled: true, scramble: 'no' } as never)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        issues: [
          expect.objectContaining({
            pointer: '/scrambled',
            found: 'an unknown option `scrambled` (did you mean `scramble`?)',
          }),
          { pointer: '/scramble', expected: 'true or false', found: '"no"' },
        ],
      }),
    );
  });
});

describe('the points quasi-random gives', () => {
  const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 }, y: { type: 'uniform', low: 0, high: 1 } });
  const [x, y] = space.params as [ParamNode, ParamNode];
  /** The (x, y) values of trials 0…count−1 for `seed`, from the one suggester given. */
  const points = async (suggester: Suggester, seed: number, count = 3) => {
    const study = { study: 's', direction: 'minimize', seed, space, history: [], running: [] } as const;
    const values: number[][] = [];
    for (let trialNumber = 0; trialNumber < count; trialNumber++) {
      // The rng is the trial's; quasi-random draws nothing from it.
      const context: SuggestContext = { ...study, trialNumber, rng: createRng(`unused:${trialNumber}`) };
      const sampler = await suggester.beginTrial(context);
      values.push([await sampler.sampleParam(x, {}), await sampler.sampleParam(y, {})]);
    }
    return values;
  };

  it('scramble: false walks the plain Halton sequence (bases 2 and 3), whatever the seed', async () => {
    const plain = [
      [1 / 2, 1 / 3],
      [1 / 4, 2 / 3],
      [3 / 4, 1 / 9],
    ];
    expect(await points(createQuasiRandomSuggester({ scramble: false }), 1)).toEqual(plain);
    expect(await points(createQuasiRandomSuggester({ scramble: false }), 2)).toEqual(plain);
    expect(await points(createQuasiRandomSuggester(), 1)).not.toEqual(plain);
  });

  it('one suggester follows the seed of each study it serves (seed 1, then 2, then 1 again)', async () => {
    const shared = createQuasiRandomSuggester();
    const first = await points(shared, 1);
    const second = await points(shared, 2);
    expect(second).not.toEqual(first);
    expect(second).toEqual(await points(createQuasiRandomSuggester(), 2));
    expect(await points(shared, 1)).toEqual(first);
  });
});

describe('scramble: false in many dimensions (review 162: documented as poor, run unsaid)', () => {
  const space = (count: number) =>
    Object.fromEntries(
      Array.from({ length: count }, (_, i) => [`p${i}`, { type: 'uniform', low: 0, high: 1 } as const]),
    );

  it('warns once per run, through the run warnings, above ten parameters only', async () => {
    const warned = async (count: number, scramble: boolean) => {
      const messages: string[] = [];
      await fmin({
        objective: () => 0,
        space: space(count),
        suggester: createQuasiRandomSuggester({ scramble }),
        maxTrials: 4,
        name: 'wide',
        onWarning: (message) => messages.push(message),
      });
      return messages;
    };
    expect(await warned(14, false)).toEqual([
      "study wide: quasi-random with scramble: false draws the plain Halton sequence in 14 dimensions (one per parameter, conditional ones included): while the trials are fewer than a parameter's prime base p, all its values lie in the lowest trials/p of its range and rise with the trial number (the 11th parameter's base is 31, the 14th's 43). Keep scramble: false for 10 parameters or fewer; scramble: true (the default) spreads every dimension.",
    ]);
    expect(await warned(10, false)).toEqual([]);
    expect(await warned(14, true)).toEqual([]);
  });

  it('is said by Study.open for ask and tell, once', async () => {
    const messages: string[] = [];
    const study = await Study.open({
      space: space(11),
      suggester: createQuasiRandomSuggester({ scramble: false }),
      onWarning: (message) => messages.push(message),
    });
    await study.ask();
    await study.optimize({ objective: () => 0, maxTrials: 3 });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(
      "in 11 dimensions (one per parameter, conditional ones included): while the trials are fewer than a parameter's prime base p",
    );
  });
});
