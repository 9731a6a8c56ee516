import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../builtins/memory-store.js';
import type { Suggester } from '../contracts/suggester.js';
import { Study } from '../study.js';
import { compileSpace } from './compile-space.js';
import { sampleDistribution } from './sample-distribution.js';
import { checkStoredTrials, storedTrialsNote } from './stored-trials.js';
import type { TrialOutcome } from './trial.js';
import { addedTrial } from './trial-builders.js';

const space = compileSpace({
  x: { type: 'uniform', low: 0, high: 1 },
  n: { type: 'uniformint', low: 1, high: 4 },
  q: { type: 'quniform', low: 0, high: 10, q: 2.5 },
  c: { type: 'choice', options: ['a', 'b'] },
});
const NOW = '2026-12-05T00:00:00.000Z';
const stored = (
  number: number,
  internal: Record<string, number>,
  outcome: TrialOutcome = { state: 'complete', loss: 1 },
) => addedTrial('s', number, { internal, outcome }, NOW);
const problemsOf = (trials: Parameters<typeof checkStoredTrials>[2]): string => {
  try {
    checkStoredTrials('s', space, trials);
    return 'none';
  } catch (error) {
    expect(error).toMatchObject({ code: 'STORE_CORRUPT' });
    return (error as Error).message;
  }
};

describe('trials no run stores (trial 93: a forged journal line)', () => {
  it('takes what runs store: values in bounds, failed trials without loss, a q value an older rounding left off the grid', () => {
    const failed: TrialOutcome = { state: 'failed', error: { code: 'OBJECTIVE_THREW', message: 'x' } };
    const trials = [
      stored(0, { x: 0, n: 4, q: 10, c: 1 }),
      stored(1, { x: 1, n: 1, q: 2.5000000001, c: 0 }, failed),
      // A step past the grid's ends, as an older rounding of bounds halfway between two steps stored (review 97).
      stored(4, { q: -2.5 }),
      stored(5, { q: 12.5 }),
      stored(2, {}, failed),
      stored(3, { x: 0.5 }, { state: 'pruned' }),
    ];
    expect(problemsOf(trials)).toBe('none');
    // Optuna's suggest_int(1, 8) as the docs map it: older versions stored 0 (review 97).
    const halfway = compileSpace({ k: { type: 'quniform', low: 0.5, high: 8.5, q: 1 } });
    expect(() => checkStoredTrials('s', halfway, [stored(0, { k: 0 }), stored(1, { k: 9 })])).not.toThrow();
    expect(() => checkStoredTrials('s', halfway, [stored(0, { k: 11 })])).toThrow(/`k` = 11/);
  });

  it('names each trial and each value outside its parameter, an unknown parameter and a loss that is no finite number', () => {
    const message = problemsOf([
      stored(0, { x: 0.5, n: 2, q: 5, c: 0 }),
      stored(1, { x: Number.POSITIVE_INFINITY, n: 2.5, q: 15, c: 99 }, { state: 'complete', loss: Number.NaN }),
      stored(2, { x: 0.5, z: 3 }, { state: 'pruned', loss: Number.NEGATIVE_INFINITY }),
    ]);
    expect(message).toContain(
      'Study s: its store holds 2 trials that no run stores (a hand edit, or a damaged file?), so it is not run: ' +
        'trial #1: `x` = Infinity, outside its uniform distribution (expected a number from 0 to 1); ' +
        '`n` = 2.5, outside its uniformint distribution (expected an integer from 1 to 4); ' +
        '`q` = 15, outside its quniform distribution (expected a multiple of 2.5 from 0 to 10); ' +
        '`c` = 99, outside its categorical distribution (expected an option index from 0 to 1); loss NaN, not a finite number. ' +
        'trial #2: a parameter `z` the space does not have; loss -Infinity, not a finite number.',
    );
  });

  it('shows a forged name as a terminal can (review 98: it was printed raw)', () => {
    expect(problemsOf([stored(0, { 'z\u001b[2J': 1 })])).toContain('a parameter `z\\u001b[2J` the space does not have');
  });

  it('names the first five and counts the rest', () => {
    const message = problemsOf(Array.from({ length: 8 }, (_, i) => stored(i, { c: 7 })));
    expect(message).toContain('trial #4: `c` = 7');
    expect(message).not.toContain('trial #5');
    expect(message).toContain('. And 3 more. Correct or remove those records');
  });

  it('Study.open refuses such a study as a run does', async () => {
    const store = createMemoryStore();
    const definition = space.definition;
    const prior: Suggester = {
      name: 'prior',
      beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
    };
    const study = await Study.open({ name: 's', space: definition, suggester: prior, store });
    await study.addTrials([{ params: { x: 0.5, n: 2, q: 5, c: 'a' }, loss: 1 }]);
    expect((await Study.open({ name: 's', space: definition, suggester: prior, store })).name).toBe('s');
    // A store that lists a trial no run stores (a damaged file read by another store plugin).
    const listTrials = store.listTrials.bind(store);
    store.listTrials = async (name: string) => [...(await listTrials(name)), stored(1, { c: 99 })];
    await expect(Study.open({ name: 's', space: definition, suggester: prior, store })).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
      message: expect.stringContaining('trial #1: `c` = 99'),
    });
  });
});

describe('a listing with a hole (a store that read a damaged file short)', () => {
  it('is STORE_CORRUPT for runs and read-only commands alike, not a TypeError', () => {
    const holed = [stored(0, { x: 0 }), undefined, stored(2, { x: 0 })] as unknown as Parameters<
      typeof checkStoredTrials
    >[2];
    const said = 'Study s: its store listed 3 trials with none at position 1 (a damaged store, read short?).';
    expect(problemsOf(holed)).toContain(said);
    expect(() => storedTrialsNote('s', space, holed)).toThrow(said);
    // What saves the rest, for the stores that can read past damage.
    expect(() => checkStoredTrials('s', space, holed)).toThrow(
      "to save what is still readable of a JSONL journal or a SQLite database, read it with its `salvage` option (the read-only commands' `--salvage`: `parzen export --store SPEC --salvage -o saved.jsonl`",
    );
  });
});
