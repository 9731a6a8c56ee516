import { describe, expect, it } from 'vitest';
import type { Suggester } from '../contracts/suggester.js';
import { compileSpace } from '../domain/compile-space.js';
import type { SpaceDefinition } from '../domain/space-definition.js';
import { checkSameStudy, checkSameStudyWithDeletion, spaceDifferences, suggesterWarnings } from './check-same-study.js';

const stored = {
  name: 'heart',
  direction: 'minimize' as const,
  seed: 1,
  createdAt: '2026-12-01T00:00:00.000Z',
  space: {
    lr: { type: 'loguniform', low: 1e-5, high: 1 },
    depth: { type: 'randint', low: 1, high: 8 },
    model: { type: 'choice', options: ['svm', 'tree'] },
  } as SpaceDefinition,
};

const messageOf = (space: SpaceDefinition): string => {
  try {
    checkSameStudy(stored, { ...stored, space });
  } catch (error) {
    expect((error as { code?: string }).code).toBe('STUDY_MISMATCH');
    return (error as Error).message;
  }
  return '(no error)';
};

describe('a resumed study whose space changed', () => {
  it('names each parameter that changed, is new, or is gone, with both definitions', () => {
    const message = messageOf({
      lr: { type: 'loguniform', low: 1e-6, high: 1 },
      model: { type: 'choice', options: ['svm', 'tree'] },
      momentum: { type: 'uniform', low: 0, high: 1 },
    } as SpaceDefinition);
    expect(message).toContain('/space/lr/low: 0.00001 in the store, 0.000001 in the config');
    expect(message).toContain("`depth` is in the store's space only");
    expect(message).toContain('`momentum` is new in the config ({"high":1,"low":0,"type":"uniform"})');
    expect(message).not.toContain('`model`');
    expect(message).toContain('undo the change to resume it, or give the study another name (or store)');
    // An added parameter with other changes: still none of the trials fits as it is (review 147).
    expect(message).toContain('Its trials lack `momentum`, so as they are none fits the new space');
    expect(message).not.toContain('carry over the trials that still fit');
    expect(message).toContain(
      'Those that then still do not fit the other changes are left out with --on-invalid skip.',
    );
    // A dropped parameter: an import refuses trials that have it (review 148: the recipe imported none).
    expect(message).toContain(
      'Its trials also have `depth`, which the new space has not: an import refuses them as they are, so take it out of each trial',
    );
  });

  it('says of parameters only added that the trials lack them, and how to give them their values (trial 153)', () => {
    // A definition with its keys in another order is the same one: still an addition only.
    const message = messageOf({
      ...stored.space,
      depth: { high: 8, low: 1, type: 'randint' },
      momentum: { type: 'uniform', low: 0, high: 1 },
      dropout: { type: 'uniform', low: 0, high: 0.5 },
    } as SpaceDefinition);
    expect(message).toContain(
      'Its trials lack `momentum`, `dropout`, so as they are none fits the new space (an import with --on-invalid skip imports none).',
    );
    expect(message).toContain(
      'carry its trials over with the value of `momentum`, `dropout` they ran with: write them with `parzen export`',
    );
    expect(message).toContain("in code, add them to the params of this one's `trials()`");
    expect(message).not.toContain('--on-invalid skip leaves out');
    expect(message).not.toContain('the other changes');
  });

  it("lists each difference as an issue: the pointer, the stored definition, this run's (trial 38: none)", () => {
    let error: unknown;
    try {
      checkSameStudy(stored, {
        ...stored,
        space: {
          lr: { type: 'loguniform', low: 1e-6, high: 1 },
          model: { type: 'choice', options: ['svm', 'tree'] },
          'a/b': { type: 'uniform', low: 0, high: 1 },
        } as SpaceDefinition,
      });
    } catch (thrown) {
      error = thrown;
    }
    expect((error as { issues?: unknown }).issues).toEqual([
      { pointer: '/space/lr/low', expected: '0.00001', found: '0.000001' },
      { pointer: '/space/depth', expected: '{"high":8,"low":1,"type":"randint"}', found: 'nothing' },
      {
        pointer: '/space/a~1b',
        expected: "no such parameter (the stored study's space has none)",
        found: '{"high":1,"low":0,"type":"uniform"}',
      },
    ]);
    try {
      checkSameStudy(stored, { ...stored, direction: 'maximize' });
    } catch (thrown) {
      error = thrown;
    }
    expect((error as { issues?: unknown }).issues).toEqual([
      { pointer: '/direction', expected: 'minimize', found: 'maximize' },
    ]);
  });

  // Final read: the issues compared definitions as shown (cut at 120 characters), so a long choice changed in its
  // last option had no issue, though the message named it.
  it('gives an issue for a long definition changed past what is shown of it', () => {
    const options = Array.from({ length: 40 }, (_, i) => `option-${i}`);
    const long = { ...stored, space: { ...stored.space, model: { type: 'choice', options } } as SpaceDefinition };
    let error: unknown;
    try {
      checkSameStudy(long, {
        ...long,
        space: {
          ...long.space,
          model: { type: 'choice', options: [...options.slice(0, -1), 'other'] },
        } as SpaceDefinition,
      });
    } catch (thrown) {
      error = thrown;
    }
    expect((error as Error).message).toContain(
      '/space/model/options/39: "option-39" in the store, "other" in the config',
    );
    expect((error as { issues?: { pointer: string }[] }).issues?.map((issue) => issue.pointer)).toEqual([
      '/space/model/options/39',
    ]);
  });

  it('lists at most four differences, then how many more', () => {
    const space = Object.fromEntries(
      Array.from({ length: 7 }, (_, i) => [`p${i}`, { type: 'uniform', low: 0, high: 1 }]),
    ) as SpaceDefinition;
    const message = messageOf({ ...stored.space, ...space });
    expect(message.match(/is new in the config/g)).toHaveLength(4);
    expect(message).toContain('and 3 more');
  });

  it('names the place a nested definition changed by its pointer (trial 162: two windows of the whole choice)', () => {
    const branches = (last: number) => ({
      type: 'choice',
      options: ['a', 'b'],
      branches: {
        a: { p: { type: 'uniform', low: 0, high: 1 }, q: { type: 'uniform', low: 0, high: 1 } },
        b: { r: { type: 'loguniform', low: 1e-5, high: 1 }, s: { type: 'randint', low: 1, high: last } },
      },
    });
    const withModel = (last: number) => ({ ...stored.space, model: branches(last) }) as SpaceDefinition;
    let message = '';
    try {
      checkSameStudy({ ...stored, space: withModel(8) }, { ...stored, space: withModel(9) });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('/space/model/branches/b/s/high: 8 in the store, 9 in the config.');
    // A branch added at the end of a choice's options: its index.
    const options = (extra: string[]) => ({
      ...stored.space,
      model: { type: 'choice', options: ['svm', 'tree', ...extra] },
    });
    try {
      checkSameStudy(
        { ...stored, space: options([]) as SpaceDefinition },
        { ...stored, space: options(['knn']) as SpaceDefinition },
      );
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('/space/model/options/2: added in the config ("knn").');
  });

  it("names the study's deletion when the caller gives it: first without a trial with a loss, else after the recipe", () => {
    const typo = { ...stored.space, lr: { type: 'loguniform', low: 1e-6, high: 1 } } as SpaceDefinition;
    const said = (completeTrials: number, prunedTrials = 0) => {
      try {
        checkSameStudyWithDeletion(
          stored,
          { ...stored, space: typo },
          { command: 'parzen delete tune.json --yes', completeTrials, prunedTrials },
        );
      } catch (error) {
        return (error as Error).message;
      }
      return '(no error)';
    };
    expect(said(0)).toMatch(
      /in the config\. It has no complete or pruned trial: `parzen delete tune\.json --yes` deletes it \(its failed trials with it\), and the next run creates it anew with this space\. A study keeps the space it was created with/,
    );
    expect(said(3)).toMatch(
      /\{ onInvalid: 'skip' \}`\)\. To drop the old trials instead, `parzen delete tune\.json --yes` deletes the study \(with its 3 complete trials: export first what you keep\), and the next run creates it anew with this space\.$/,
    );
    expect(said(1)).toContain('(with its 1 complete trial: export');
    // Pruned trials have a loss too: the recipe that keeps them comes first, and the deletion names them.
    expect(said(0, 2)).toMatch(
      /onInvalid: 'skip' \}`\)\. To drop the old trials instead, .*\(with its 2 pruned trials: export/,
    );
    expect(said(1, 1)).toContain('(with its 1 complete trial and 1 pruned trial: export');
    // Without it (a store's own check), as before.
    expect(messageOf(typo)).not.toContain('parzen delete');
  });

  it('says of a space that differs only in Unicode code points (a config saved as NFD) to save the config as NFC (trial 183)', () => {
    const nfc = {
      ...stored,
      space: {
        'Gr\u00f6\u00dfe': { type: 'randint', low: 1, high: 5 },
        opt: { type: 'choice', options: ['caf\u00e9', 'tee'] },
      } as SpaceDefinition,
    };
    const nfd = {
      'Gro\u0308\u00dfe': { type: 'randint', low: 1, high: 5 },
      opt: { type: 'choice', options: ['cafe\u0301', 'tee'] },
    } as SpaceDefinition;
    let message = '';
    try {
      checkSameStudyWithDeletion(
        nfc,
        { ...nfc, space: nfd },
        { command: 'parzen delete x.json --yes', completeTrials: 3, prunedTrials: 0 },
      );
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(
      "`Gr\u00f6\u00dfe` is in the store's space only (`Gro\u0308\u00dfe` looks the same but is written with other Unicode code points: G r o U+0308 U+00DF e against G r U+00F6 U+00DF e;",
    );
    expect(message).toContain(
      '/space/opt/options/0: "caf\u00e9" in the store, "cafe\u0301" in the config (`caf\u00e9` looks the same but is written with other Unicode code points: c a f U+00E9 against c a f e U+0301;',
    );
    expect(message).toContain(
      'write them in the config in Unicode NFC, as the store has them, and the study resumes as it is',
    );
    // An import's header against the config (an export's space) says the same.
    expect(spaceDifferences(nfc.space, nfd, 'export').at(-1)).toContain(
      'the config writes these names or options with other code points than the export',
    );
    // Nothing to carry over or delete: the export/import recipe and the deletion are not offered.
    expect(message).not.toContain('parzen export');
    expect(message).not.toContain('parzen delete');
    // A real change besides keeps the recipe, with the hint on the look-alike name.
    const changed = messageOf({
      'lr\u200B': { type: 'loguniform', low: 1e-5, high: 1 },
      depth: { type: 'randint', low: 1, high: 9 },
      model: { type: 'choice', options: ['svm', 'tree'] },
    } as SpaceDefinition);
    expect(changed).toContain(
      '(`lr\u200B` looks the same but is written with other Unicode code points: l r U+200B against l r;',
    );
    expect(changed).toContain('parzen export');
  });

  it('resumes when only the order of keys differs', () => {
    expect(() =>
      checkSameStudy(stored, {
        ...stored,
        space: {
          model: { options: ['svm', 'tree'], type: 'choice' },
          depth: { high: 8, low: 1, type: 'randint' },
          lr: { high: 1, type: 'loguniform', low: 1e-5 },
        } as SpaceDefinition,
      }),
    ).not.toThrow();
  });
});

describe("a suggester's warnings for the space", () => {
  const space = compileSpace({ x: { type: 'uniform', low: 0, high: 1 } });
  const suggester = (warnings?: Suggester['warnings']): Suggester => ({
    name: 'mine',
    beginTrial: () => ({ sampleParam: () => 0 }),
    ...(warnings === undefined ? {} : { warnings }),
  });

  it('says each of the study, and a warnings() that throws as its fault', () => {
    expect(suggesterWarnings('s', suggester(), space)).toEqual([]);
    expect(
      suggesterWarnings(
        's',
        suggester((given) => [`${given.params.length} parameter`]),
        space,
      ),
    ).toEqual(['study s: 1 parameter']);
    expect(
      suggesterWarnings(
        's',
        suggester(() => {
          throw new Error('boom');
        }),
        space,
      ),
    ).toEqual(["study s: the `mine` suggester's warnings() threw (boom); the run goes on without them."]);
  });
});
