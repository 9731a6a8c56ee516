import { choice, createMemoryStore, loguniform, quniform, randint, Study, uniform } from '@parzen/engine';
import { describe, expect, it } from 'vitest';
import type { TpeOptions } from './options.js';
import { createTpeSuggester } from './tpe-suggester.js';

// One suggester given to several studies (or asked by one study several times at once): its history is one object,
// and another trial's begin synced it to its own trials between a trial's begin and its decisions, which were then
// made from the other trials (a study beside another diverged from the 6th or 11th suggestion on).
const spaceA = {
  a: quniform(0, 20, 1),
  b: uniform(0, 1),
  c: randint(0, 7),
  d: choice(['x', 'y', 'z']),
  e: loguniform(1e-3, 1),
};
const spaceB = { p: quniform(-5, 5, 0.5), q: randint(0, 30), r: uniform(-1, 1) };
const loss = (params: Record<string, unknown>): number =>
  Object.values(params).reduce<number>(
    (sum, v) => sum + (typeof v === 'number' ? Math.sin(v * 3.1) : String(v).length),
    0,
  );

const suggestionsOfA = async (
  options: TpeOptions,
  beside: readonly (readonly [string, object])[],
): Promise<string[]> => {
  const suggester = createTpeSuggester(options);
  const open = (name: string, space: object) =>
    Study.open({ name, space: space as typeof spaceA, seed: 7, store: createMemoryStore(), suggester });
  const study = await open('A', spaceA);
  const others = await Promise.all(beside.map(([name, space]) => open(name, space)));
  const seen: string[] = [];
  for (let i = 0; i < 16; i++) {
    // Asked at once: the others' begins come between A's begin and its decisions.
    const [trial, ...theirs] = await Promise.all([study.ask(), ...others.map((other) => other.ask())]);
    seen.push(JSON.stringify(trial.params));
    await study.tell(trial.number, loss(trial.params));
    await Promise.all(theirs.map((their, k) => others[k]?.tell(their.number, -loss(their.params))));
  }
  return seen;
};

describe('one TPE suggester shared by studies asked at once', () => {
  it.each([
    ['the default', {}],
    ['optuna, joint', { profile: 'optuna', grouping: 'joint' }],
  ] as const)('%s: a study suggests what it suggests alone', async (_, options) => {
    const alone = await suggestionsOfA(options, []);
    expect(await suggestionsOfA(options, [['B', spaceB]])).toEqual(alone);
    expect(await suggestionsOfA(options, [['C', spaceA]])).toEqual(alone);
  });
});
