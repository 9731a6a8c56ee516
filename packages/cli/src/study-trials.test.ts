import { createRandomSuggester, randomSuggesterManifest } from '@parzen/algo-random';
import { createMemoryStore, fmin, loadExperiment, ParzenError } from '@parzen/engine';
import { defineStore } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { readStudiesTrials } from './study-trials.js';

describe('readStudiesTrials (report comparison pages, review 30)', () => {
  it('opens each store once for the studies that share it, and once per study where each has its own file', async () => {
    const shared = createMemoryStore();
    const space = { x: { type: 'uniform', low: 0, high: 1 } } as const;
    for (const name of ['a', 'b'])
      await fmin({
        name,
        space,
        objective: ({ x }) => x,
        store: shared,
        maxTrials: 3,
        suggester: createRandomSuggester(),
      });
    let opens = 0;
    const counting = defineStore<Record<string, unknown>>({
      name: 'counting',
      optionsSchema: { type: 'object' },
      create: () => {
        opens++;
        return { ...shared, name: 'counting', close: async () => {} };
      },
    });
    const experiment = (name: string, options: Record<string, unknown>) =>
      loadExperiment(
        {
          name,
          space,
          objective: { use: 'function', options: { name: 'f' } },
          suggester: { use: 'random' },
          store: { use: 'counting', options },
          budget: { maxTrials: 3 },
        },
        { baseDir: '/tmp', functions: { f: () => 0 }, plugins: [{ manifests: [counting, randomSuggesterManifest] }] },
      );
    const located = await Promise.all(['a', 'b', 'c'].map((name) => experiment(name, { path: './one.journal' })));
    const read = await readStudiesTrials(located);
    expect(opens).toBe(1);
    expect(read.slice(0, 2).map((found) => (found as { trials: readonly unknown[] }).trials.length)).toEqual([3, 3]);
    expect(read[2]).toBeInstanceOf(ParzenError);
    opens = 0;
    await readStudiesTrials(await Promise.all(['a', 'b'].map((name) => experiment(name, {}))));
    expect(opens).toBe(2);
  });
});
