import { describe, expect, it } from 'vitest';
import { ParzenError } from '../errors.js';
import { expandMatrix, inVariant, sameConfigVariants, variantLegend } from './matrix.js';

const base = { name: 'cmp', seed: 0, budget: { maxTrials: 10 }, suggester: { use: 'random' } };

describe('expandMatrix', () => {
  it('gives one variant for a config without matrix', () => {
    expect(expandMatrix(base)).toEqual([{ config: base, study: 'cmp', variant: 'cmp', values: {}, indices: {} }]);
  });

  it('expands the cartesian product in order, naming studies and grouping runs that differ only in seed', () => {
    const variants = expandMatrix({
      ...base,
      matrix: { suggester: [{ use: 'random' }, { use: 'tpe', options: { gamma: 0.2 } }], seed: [1, 2] },
    });
    // A plugin choice with options is named by its `use` and a digest of the whole value.
    expect(variants.map((variant) => variant.study)).toEqual([
      'cmp.suggester-random.seed-1',
      'cmp.suggester-random.seed-2',
      'cmp.suggester-tpe-ac6b16.seed-1',
      'cmp.suggester-tpe-ac6b16.seed-2',
    ]);
    expect(variants.map((variant) => variant.variant)).toEqual([
      'cmp suggester=random',
      'cmp suggester=random',
      'cmp suggester=tpe-ac6b16',
      'cmp suggester=tpe-ac6b16',
    ]);
    expect(variants[3]?.config).toEqual({
      name: 'cmp.suggester-tpe-ac6b16.seed-2',
      seed: 2,
      budget: { maxTrials: 10 },
      suggester: { use: 'tpe', options: { gamma: 0.2 } },
    });
    expect('matrix' in (variants[0]?.config ?? {})).toBe(false);
    // The seed's key written as a pointer groups the same way (review 68: each seed was a variant of its own).
    const pointed = expandMatrix({ ...base, matrix: { suggester: [{ use: 'random' }], '/seed': [1, 2] } });
    expect(pointed.map((variant) => variant.variant)).toEqual(['cmp suggester=random', 'cmp suggester=random']);
  });

  it('sets slash paths inside the config without touching the original', () => {
    const raw = { ...base, matrix: { 'budget/maxTrials': [5, 20], 'suggester/options/gamma': [0.1] } };
    const variants = expandMatrix(raw);
    expect(variants.map((variant) => variant.config.budget)).toEqual([{ maxTrials: 5 }, { maxTrials: 20 }]);
    expect(variants[0]?.config.suggester).toEqual({ use: 'random', options: { gamma: 0.1 } });
    expect(variants[1]?.study).toBe('cmp.maxTrials-20.gamma-0.1');
    expect(raw.budget).toEqual({ maxTrials: 10 });
  });

  it('sets an element of an array by its index, keeping the array (trial 36: it became an object)', () => {
    const raw = {
      ...base,
      objective: { use: 'command', options: { command: ['python3', 'a.py'] } },
      matrix: { 'objective/options/command/1': ['a.py', 'b.py'] },
    };
    const variants = expandMatrix(raw);
    expect(variants.map((variant) => (variant.config.objective as { options: unknown }).options)).toEqual([
      { command: ['python3', 'a.py'] },
      { command: ['python3', 'b.py'] },
    ]);
    expect(raw.objective.options.command).toEqual(['python3', 'a.py']);
  });

  it('labels a number that needs an exponent sign by a digest, so the study name stays valid (trial 36)', () => {
    const variants = expandMatrix({ ...base, matrix: { 'suggester/options/gamma': [1e21, 0.5] } });
    expect(variants[0]?.study).toMatch(/^cmp\.gamma-[A-Za-z0-9._-]+$/);
    expect(variants[0]?.study).not.toContain('+');
    expect(variants[1]?.study).toBe('cmp.gamma-0.5');
  });

  it('names each value by itself alone (its place and the other values never matter), and says what each label stands for', () => {
    const variants = expandMatrix({
      ...base,
      matrix: { suggester: [{ use: 'tpe' }, { use: 'tpe', options: { gamma: 0.5 } }, { use: 'random' }], seed: [1, 2] },
    });
    expect(variants.map((variant) => variant.study)).toEqual([
      'cmp.suggester-tpe.seed-1',
      'cmp.suggester-tpe.seed-2',
      'cmp.suggester-tpe-7ee657.seed-1',
      'cmp.suggester-tpe-7ee657.seed-2',
      'cmp.suggester-random.seed-1',
      'cmp.suggester-random.seed-2',
    ]);
    // Plain values (seeds, a lone `use`) need no legend; optioned ones and labels with a digest do.
    expect(variantLegend(variants)).toEqual(['suggester tpe-7ee657 = {"use":"tpe","options":{"gamma":0.5}}']);
    // A list reordered or cut keeps each value's study: the names were by position (tpe1, tpe2), and a
    // user trial found an edited list filing one variant's trials under another's study.
    const studyOf = (suggesters: unknown[]) =>
      Object.fromEntries(
        expandMatrix({ ...base, matrix: { suggester: suggesters } }).map((variant) => [
          JSON.stringify(variant.values.suggester),
          variant.study,
        ]),
      );
    const all = studyOf([
      { use: 'tpe' },
      { use: 'tpe', options: { gamma: 0.5 } },
      { use: 'tpe', options: { gamma: 0.1 } },
    ]);
    const cut = studyOf([{ use: 'tpe', options: { gamma: 0.1 } }, { use: 'tpe' }]);
    for (const [value, study] of Object.entries(cut)) expect(all[value]).toBe(study);
    // Review 26: cut to one value, a list once named by collisions gave it the plain name another value
    // then took (`tpe`), and the two studies mixed. Each value keeps its own name.
    expect(studyOf([{ use: 'tpe', options: { gamma: 0.5 } }])).toEqual({
      '{"use":"tpe","options":{"gamma":0.5}}': 'cmp.suggester-tpe-7ee657',
    });
    expect(studyOf([{ use: 'tpe' }])).toEqual({ '{"use":"tpe"}': 'cmp.suggester-tpe' });
    // Paths that read alike once made name-safe (`./a/b.mjs`, `./a_b.mjs`) get digests too.
    const paths = expandMatrix({ ...base, matrix: { 'objective/options/path': ['./a/b.mjs', './a_b.mjs'] } });
    expect(new Set(paths.map((variant) => variant.study)).size).toBe(2);
    expect(paths[0]?.study).toMatch(/^cmp\.path-\._a_b\.mjs-[0-9a-f]{6}$/);
    expect(variantLegend(expandMatrix({ ...base, matrix: { seed: [1, 2], suggester: [{ use: 'random' }] } }))).toEqual(
      [],
    );
  });

  it('reports a malformed matrix with JSON pointers', () => {
    const issues = (raw: unknown) => {
      try {
        expandMatrix(raw);
      } catch (error) {
        return (error as ParzenError).issues.map((issue) => issue.pointer);
      }
      return [];
    };
    expect(issues({ ...base, matrix: [] })).toEqual(['/matrix']);
    expect(issues({ ...base, matrix: {} })).toEqual(['/matrix']);
    expect(issues({ ...base, matrix: { seed: 3, name: ['a'], 'a/b': [] } })).toEqual([
      '/matrix/seed',
      '/matrix/name',
      '/matrix/a~1b',
    ]);
    expect(issues('text')).toEqual(['']);
    expect(() => expandMatrix(null)).toThrow(ParzenError);
  });

  // Trial 167: a matrix config without a string name ran as `study.*`; `""` was refused once per variant, at a
  // name the config never wrote (`.suggester-random`).
  it('refuses a missing or invalid name once, at /name as written, with the matrix issues', () => {
    const said = (raw: unknown) => {
      try {
        expandMatrix(raw);
      } catch (error) {
        return (error as ParzenError).issues.map(
          (issue) => `${issue.pointer}: ${issue.expected}, found ${issue.found}`,
        );
      }
      return [];
    };
    const { name: _, ...nameless } = base;
    const matrix = { seed: [1, 2] };
    expect(said({ ...nameless, matrix })).toEqual(['/name: a value (required), found nothing']);
    for (const [name, found] of [
      [7, '7'],
      [null, 'null'],
      [[], '[]'],
      [{}, '{}'],
    ] as const)
      expect(said({ ...base, name, matrix })).toEqual([`/name: a string, found ${found}`]);
    for (const name of ['', 'a b'])
      expect(said({ ...base, name, matrix })).toEqual([
        `/name: a name of ASCII letters (A–Z, a–z), digits (0–9), \`.\`, \`_\` and \`-\` (no spaces, no other letters), starting with a letter or digit, found ${JSON.stringify(name)}`,
      ]);
    expect(said({ ...base, name: 7, matrix: { seed: 3 } }).map((line) => line.split(':')[0])).toEqual([
      '/name',
      '/matrix/seed',
    ]);
  });

  it('shortens a long value it shows, as every config message does (review 74: 300 characters in full)', () => {
    try {
      expandMatrix({ ...base, matrix: { seed: { long: 'x'.repeat(300) } } });
      expect.unreachable();
    } catch (error) {
      const [issue] = (error as ParzenError).issues;
      expect(issue?.pointer).toBe('/matrix/seed');
      expect(issue?.found.length).toBeLessThanOrEqual(90);
      expect(issue?.found).toMatch(/^\{"long":"x+\.\.\./);
    }
  });

  it('refuses a value listed twice (it would run one study twice and count it twice), naming both places', () => {
    const refused = (() => {
      try {
        expandMatrix({ ...base, matrix: { seed: [11, 1, 1], suggester: [{ use: 'tpe' }, { use: 'tpe' }] } });
      } catch (error) {
        return (error as ParzenError).issues;
      }
      return [];
    })();
    expect(refused).toEqual([
      {
        pointer: '/matrix/seed/2',
        expected: 'a value not listed before in this array (/matrix/seed/1 is the same)',
        found: '1',
      },
      {
        pointer: '/matrix/suggester/1',
        expected: 'a value not listed before in this array (/matrix/suggester/0 is the same)',
        found: '{"use":"tpe"}',
      },
    ]);
    // Options in another key order are the same value.
    expect(() =>
      expandMatrix({
        ...base,
        matrix: {
          suggester: [
            { use: 'tpe', options: {} },
            { options: {}, use: 'tpe' },
          ],
        },
      }),
    ).toThrow(/\/matrix\/suggester\/1/);
  });

  it('refuses two keys that set one place (trial 72: a "gamma 0.5" row ran gamma 0.1 and 0.2), and crosses a deeper key with values that leave its place unset', () => {
    const refused = (matrix: Record<string, unknown>) => {
      try {
        expandMatrix({ ...base, matrix });
      } catch (error) {
        return (error as ParzenError).issues.map(({ pointer, expected }) => [pointer, expected.slice(0, 40)]);
      }
      return [];
    };
    expect(
      refused({
        suggester: [{ use: 'tpe' }, { use: 'tpe', options: { gamma: 0.5 } }],
        'suggester/options/gamma': [0.1, 0.2],
      }),
    ).toEqual([['/matrix/suggester/1', 'a value that leaves options/gamma unset,']]);
    expect(refused({ seed: [1, 2], '/seed': [3] })).toEqual([
      ['/matrix/~1seed', 'a key for a place no other key sets (/ma'],
    ]);
    // Values that leave the deeper key's place unset cross with it: each variant runs what its name says.
    const crossed = expandMatrix({
      ...base,
      matrix: {
        suggester: [{ use: 'tpe' }, { use: 'tpe', options: { grouping: 'joint' } }],
        'suggester/options/gamma': [0.1, 0.2],
      },
    });
    expect(crossed.map((variant) => variant.config.suggester)).toEqual([
      { use: 'tpe', options: { gamma: 0.1 } },
      { use: 'tpe', options: { gamma: 0.2 } },
      { use: 'tpe', options: { grouping: 'joint', gamma: 0.1 } },
      { use: 'tpe', options: { grouping: 'joint', gamma: 0.2 } },
    ]);
    // Written deeper key first, the same configs (review 79: the outer key replaced the gamma, unsaid).
    const reversed = expandMatrix({
      ...base,
      matrix: {
        'suggester/options/gamma': [0.1, 0.2],
        suggester: [{ use: 'tpe' }, { use: 'tpe', options: { grouping: 'joint' } }],
      },
    });
    expect(reversed.map((variant) => variant.config.suggester)).toEqual([
      { use: 'tpe', options: { gamma: 0.1 } },
      { use: 'tpe', options: { grouping: 'joint', gamma: 0.1 } },
      { use: 'tpe', options: { gamma: 0.2 } },
      { use: 'tpe', options: { grouping: 'joint', gamma: 0.2 } },
    ]);
    // A plugin written as its name: the deeper key would replace it by an object (review 79).
    expect(refused({ suggester: ['tpe', { use: 'random' }], 'suggester/options/seed': [1, 2] })).toEqual([
      ['/matrix/suggester/0', 'an object the matrix key "suggester/opti'],
    ]);
  });

  it("says a mistake in a place a key made (no parameter `z` for `space/z/high`) as the key's (trial 72: at /space/z/type)", () => {
    const [variant] = expandMatrix({
      ...base,
      space: { x: {} },
      matrix: { 'space/z/high': [3], 'budget/maxTrials': [5] },
    });
    const error = new ParzenError(
      'CONFIG_INVALID',
      'Invalid config:\n  /space/z/type: expected one of uniform, choice, found nothing\n  /seed: expected a number, found "a"',
      {
        issues: [
          { pointer: '/space/z/type', expected: 'one of uniform, choice', found: 'nothing' },
          { pointer: '/seed', expected: 'a number', found: '"a"' },
        ],
      },
    );
    const said = inVariant(error, variant as never) as ParzenError;
    expect(said.issues).toEqual([
      {
        pointer: '/matrix/space~1z~1high',
        expected:
          'a key into a place the config has (it has nothing at /space/z, which this key makes; there /space/z/type expected one of uniform, choice)',
        found: '"space/z/high"',
      },
      { pointer: '/seed', expected: 'a number', found: '"a"' },
    ]);
    expect(said.message).toContain('  /matrix/space~1z~1high: expected a key into a place the config has');
    // `budget/maxTrials` sets a field of an object the config has: nothing made above it.
    expect(variant?.created).toEqual({ 'space/z/high': { pointer: '/space/z' } });
    // A value the key replaces by an object (a plugin written as its name): said at the key too (review 79).
    const [shorthand] = expandMatrix({ ...base, suggester: 'tpe', matrix: { 'suggester/options/gamma': [0.1] } });
    const missingUse = new ParzenError(
      'CONFIG_INVALID',
      'Invalid config:\n  /suggester/use: expected a value, found nothing',
      {
        issues: [{ pointer: '/suggester/use', expected: 'a value', found: 'nothing' }],
      },
    );
    expect((inVariant(missingUse, shorthand as never) as ParzenError).issues).toEqual([
      {
        pointer: '/matrix/suggester~1options~1gamma',
        expected:
          'a key into a place the config has (it has "tpe" at /suggester, which this key replaces by an object; a plugin is then written in full, {"use": NAME}; there /suggester/use expected a value)',
        found: '"suggester/options/gamma"',
      },
    ]);
  });

  it("says a mistake in a deeper key's value at that key, the outer key written first (review 80)", () => {
    const variants = expandMatrix({
      ...base,
      matrix: { suggester: [{ use: 'tpe' }], 'suggester/options/gamma': [0.1, -1] },
    });
    const error = new ParzenError(
      'CONFIG_INVALID',
      'Invalid config:\n  /suggester/options/gamma: expected a number > 0, found -1',
      {
        issues: [{ pointer: '/suggester/options/gamma', expected: 'a number > 0', found: '-1' }],
      },
    );
    expect((inVariant(error, variants[1] as never) as ParzenError).issues[0]?.pointer).toBe(
      '/matrix/suggester~1options~1gamma/1',
    );
  });
});

// Trial 136: two combinations that resolve to one config ran as two variants, unsaid.
describe('sameConfigVariants', () => {
  it('names the value sets of two combinations that resolve to one config, once per pair of value sets', () => {
    const variants = expandMatrix({
      ...base,
      matrix: { suggester: [{ use: 'tpe' }, { use: 'random' }, { use: 'tpe', options: {} }], seed: [1, 2] },
    });
    // As loaded: the plugins' defaults filled in, so `{"use": "tpe"}` and `{"use": "tpe", "options": {}}` are one.
    const loaded = variants.map(({ config }) => {
      const { use } = config.suggester as { use: string };
      return { ...config, suggester: { use, options: use === 'tpe' ? { startupTrials: 5 } : {} } };
    });
    expect(sameConfigVariants(variants, loaded)).toEqual([
      {
        pointer: '/matrix/suggester/2',
        expected:
          "a combination that resolves to a config of its own: /matrix/suggester/2 resolves to the same config as /matrix/suggester/0 (the plugins' defaults filled in), so 2 pairs of studies would each run the same thing (the first: cmp.suggester-tpe.seed-1 and cmp.suggester-tpe-44ce2a.seed-1), and the comparison would rank as two what is one; keep one of them",
        found: '{"use":"tpe","options":{}} beside {"use":"tpe"}',
      },
    ]);
    expect(
      sameConfigVariants(
        variants,
        variants.map(({ config }) => config),
      ),
    ).toEqual([]);
  });

  it('spells a combination by each of its keys whose value differs', () => {
    const variants = expandMatrix({ ...base, matrix: { 'budget/maxTrials': [1, 2], concurrency: [1, 2] } });
    // (1, 2) and (2, 1) made alike, as a config whose keys add up would.
    const loaded = variants.map(({ config, indices }) => ({
      ...config,
      total: (indices['budget/maxTrials'] ?? 0) + (indices.concurrency ?? 0),
      budget: {},
      concurrency: 0,
    }));
    expect(
      sameConfigVariants(variants, loaded).map((issue) => [issue.pointer, issue.expected.split(' (the')[0]]),
    ).toEqual([
      [
        '/matrix/budget~1maxTrials/1',
        'a combination that resolves to a config of its own: /matrix/budget~1maxTrials/1 × /matrix/concurrency/0 resolves to the same config as /matrix/budget~1maxTrials/0 × /matrix/concurrency/1',
      ],
    ]);
  });
});
