import { fmin } from '@parzen/engine';
import { compileSpace, createRng, type SuggestContext, type Suggester } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { resolveTpeSettings } from '../options.js';
import { createTpeSuggester } from '../tpe-suggester.js';
import { splitGroup } from './blocks.js';

const names = Array.from({ length: 13 }, (_, i) => `x${i}`);

describe('splitGroup', () => {
  it('leaves a group that fits, and any group when the limit is 0, whole', () => {
    expect(splitGroup(['a', 'b', 'c'], 3, 1)).toEqual([['a', 'b', 'c']]);
    expect(splitGroup(names, 0, 1)).toEqual([names]);
  });

  it('splits a larger group into near-equal blocks that cover every parameter once', () => {
    const blocks = splitGroup(names, 4, 7);
    expect(blocks.map((block) => block.length)).toEqual([4, 3, 3, 3]);
    expect(blocks.flat().sort()).toEqual([...names].sort());
    expect(splitGroup(names, 8, 7).map((block) => block.length)).toEqual([7, 6]);
  });

  it('draws the blocks from the study seed and the group: the same for the same study, others for another seed', () => {
    expect(splitGroup(names, 4, 7)).toEqual(splitGroup(names, 4, 7));
    const seeds = new Set(Array.from({ length: 6 }, (_, seed) => JSON.stringify(splitGroup(names, 4, seed))));
    expect(seeds.size).toBeGreaterThan(1);
  });
});

describe('maxGroupSize in the suggester', () => {
  const space = compileSpace(
    Object.fromEntries(names.map((name) => [name, { type: 'uniform', low: -1, high: 1 }])) as Record<
      string,
      { type: 'uniform'; low: number; high: number }
    >,
  );
  const context = (seed: number, trialNumber: number): SuggestContext => ({
    study: 's',
    direction: 'minimize',
    seed,
    trialNumber,
    space,
    history: [],
    running: [],
    rng: createRng(`blocks:${seed}:${trialNumber}`),
  });
  const groupsOf = async (options: Parameters<typeof createTpeSuggester>[0], seed: number, trialNumber = 0) => {
    const sampler = await createTpeSuggester({ startupTrials: 0, ...options }).beginTrial(context(seed, trialNumber));
    return (sampler.groups ?? []).map((group) => [...group]);
  };

  it('is 8 in the default profile and 0 (no limit) in the hyperopt, optuna and optuna5 profiles', () => {
    expect(resolveTpeSettings().maxGroupSize).toBe(8);
    for (const profile of ['hyperopt', 'optuna', 'optuna5'] as const) {
      expect(resolveTpeSettings({ profile }).maxGroupSize).toBe(0);
    }
  });

  it('decides 13 always-active parameters as two joint blocks by default, one group with 0', async () => {
    const blocks = await groupsOf({}, 3);
    expect(blocks.map((block) => block.length).sort()).toEqual([6, 7]);
    expect(blocks.flat().sort()).toEqual([...names].sort());
    expect(await groupsOf({ maxGroupSize: 0 }, 3)).toEqual([names]);
    expect(await groupsOf({ profile: 'optuna5', grouping: 'groups' }, 3)).toEqual([names]);
  });

  it('keeps the same blocks in every trial and in every worker of a study (a fresh suggester, same seed)', async () => {
    const first = await groupsOf({ maxGroupSize: 4 }, 11, 0);
    expect(await groupsOf({ maxGroupSize: 4 }, 11, 57)).toEqual(first);
    expect(first.map((block) => block.length)).toEqual([4, 3, 3, 3]);
  });

  it('with blocks of one, decides every parameter on its own (no joint groups)', async () => {
    expect(await groupsOf({ maxGroupSize: 1 }, 3)).toEqual([]);
  });

  it('runs a study with the blocks (a 13-dimensional bowl): after start-up every trial decides its blocks, none larger than 4', async () => {
    const bowl = (p: Readonly<Record<string, unknown>>) =>
      names.reduce((sum, name, i) => sum + ((p[name] as number) - 0.05 * i) ** 2, 0);
    const tpe = createTpeSuggester({ maxGroupSize: 4 });
    const decided: number[][] = [];
    const watched: Suggester = {
      name: tpe.name,
      beginTrial: async (trial) => {
        const sampler = await tpe.beginTrial(trial);
        const sizes: number[] = [];
        decided.push(sizes);
        const sampleGroup = sampler.sampleGroup?.bind(sampler);
        if (sampleGroup !== undefined) {
          sampler.sampleGroup = (group, values) => {
            sizes.push(group.length);
            return sampleGroup(group, values);
          };
        }
        return sampler;
      },
    };
    const result = await fmin({
      objective: bowl,
      space: space.definition,
      suggester: watched,
      maxTrials: 30,
      seed: 2,
      name: 'blocks',
    });
    expect(result.trials).toHaveLength(30);
    const startup = resolveTpeSettings().startupTrials;
    expect(decided.slice(0, startup).every((sizes) => sizes.length === 0)).toBe(true);
    for (const sizes of decided.slice(startup)) expect(sizes.sort()).toEqual([3, 3, 3, 4]);
  });

  it('rejects a negative or fractional maxGroupSize, naming the option', () => {
    expect(() => createTpeSuggester({ maxGroupSize: -1 })).toThrow(/maxGroupSize/);
    expect(() => createTpeSuggester({ maxGroupSize: 2.5 })).toThrow(/maxGroupSize/);
  });
});
