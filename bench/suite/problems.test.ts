import { compileSpace, toInternalParams } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { checkTestPoints, type ProblemParameter, spaceOf } from '../problem-file.js';
import { loadProblems } from '../tpe-problems.js';
import { loadSuite, standardNoise, suiteDefinitions, suiteLosses } from './problems.js';

describe('bench suite problems', () => {
  it('reproduce every test point of problems.json to 1e-9 (observed and noise-free losses)', () => {
    const suite = loadSuite();
    expect(suite.length).toBeGreaterThanOrEqual(22);
    expect(suite.map((p) => p.name)).toEqual(suiteDefinitions().map((d) => d.name));
  });

  it('put every known optimum inside its space, on its grid (qlearn_f once had hidden 768 above 512)', () => {
    const suite = new Map(loadSuite().map((problem) => [problem.name, problem]));
    const outside = suiteDefinitions().flatMap((definition) => {
      const space = compileSpace((suite.get(definition.name) as { space: Parameters<typeof compileSpace>[0] }).space);
      const argmins = (definition.known_min as { argmin?: readonly Record<string, unknown>[] }).argmin ?? [];
      return argmins.flatMap((argmin) =>
        toInternalParams(space, argmin, `/${definition.name}`).issues.map(
          (issue) => `${issue.pointer}: ${issue.found}`,
        ),
      );
    });
    expect(outside).toEqual([]);
  });

  it('refuses an implementation that misses a test point', () => {
    const definition = suiteDefinitions().find((d) => d.name === 'ml_ridge');
    if (definition === undefined) throw new Error('ml_ridge missing');
    const { loss } = suiteLosses(definition);
    expect(() => checkTestPoints(definition.name, definition.test_points, (p) => loss(p) * (1 + 1e-8))).toThrow(
      /ml_ridge: test point .* expected/,
    );
  });

  it('split every family across train and heldout, add a fresh problem to every family after them, then the fresh2 to fresh17 ones, and the noisy problems really are noisy', () => {
    const definitions = suiteDefinitions();
    const firstFresh = definitions.findIndex((d) => d.half === 'fresh');
    const firstFresh2 = definitions.findIndex((d) => d.half === 'fresh2');
    const firstFresh3 = definitions.findIndex((d) => d.half === 'fresh3');
    const firstFresh4 = definitions.findIndex((d) => d.half === 'fresh4');
    const firstFresh5 = definitions.findIndex((d) => d.half === 'fresh5');
    const firstFresh6 = definitions.findIndex((d) => d.half === 'fresh6');
    const firstFresh7 = definitions.findIndex((d) => d.half === 'fresh7');
    const firstFresh8 = definitions.findIndex((d) => d.half === 'fresh8');
    const firstFresh9 = definitions.findIndex((d) => d.half === 'fresh9');
    const firstFresh10 = definitions.findIndex((d) => d.half === 'fresh10');
    const firstFresh11 = definitions.findIndex((d) => d.half === 'fresh11');
    const firstFresh12 = definitions.findIndex((d) => d.half === 'fresh12');
    const firstFresh13 = definitions.findIndex((d) => d.half === 'fresh13');
    const firstFresh14 = definitions.findIndex((d) => d.half === 'fresh14');
    const firstFresh15 = definitions.findIndex((d) => d.half === 'fresh15');
    const firstFresh16 = definitions.findIndex((d) => d.half === 'fresh16');
    const firstFresh17 = definitions.findIndex((d) => d.half === 'fresh17');
    expect([
      firstFresh,
      firstFresh2,
      firstFresh3,
      firstFresh4,
      firstFresh5,
      firstFresh6,
      firstFresh7,
      firstFresh8,
      firstFresh9,
      firstFresh10,
      firstFresh11,
      firstFresh12,
      firstFresh13,
      firstFresh14,
      firstFresh15,
      firstFresh16,
      firstFresh17,
      definitions.length,
    ]).toEqual([32, 42, 52, 56, 66, 76, 88, 100, 112, 124, 136, 148, 160, 173, 186, 199, 212, 225]);
    expect(definitions.slice(firstFresh, firstFresh2).every((d) => d.half === 'fresh')).toBe(true);
    expect(definitions.slice(firstFresh2, firstFresh3).every((d) => d.half === 'fresh2')).toBe(true);
    expect(definitions.slice(firstFresh3, firstFresh4).every((d) => d.half === 'fresh3')).toBe(true);
    expect(definitions.slice(firstFresh4, firstFresh5).every((d) => d.half === 'fresh4')).toBe(true);
    expect(definitions.slice(firstFresh5, firstFresh6).every((d) => d.half === 'fresh5')).toBe(true);
    expect(definitions.slice(firstFresh6, firstFresh7).every((d) => d.half === 'fresh6')).toBe(true);
    expect(definitions.slice(firstFresh7, firstFresh8).every((d) => d.half === 'fresh7')).toBe(true);
    expect(definitions.slice(firstFresh8, firstFresh9).every((d) => d.half === 'fresh8')).toBe(true);
    expect(definitions.slice(firstFresh9, firstFresh10).every((d) => d.half === 'fresh9')).toBe(true);
    expect(definitions.slice(firstFresh10, firstFresh11).every((d) => d.half === 'fresh10')).toBe(true);
    expect(definitions.slice(firstFresh11, firstFresh12).every((d) => d.half === 'fresh11')).toBe(true);
    expect(definitions.slice(firstFresh12, firstFresh13).every((d) => d.half === 'fresh12')).toBe(true);
    expect(definitions.slice(firstFresh13, firstFresh14).every((d) => d.half === 'fresh13')).toBe(true);
    expect(definitions.slice(firstFresh14, firstFresh15).every((d) => d.half === 'fresh14')).toBe(true);
    expect(definitions.slice(firstFresh15, firstFresh16).every((d) => d.half === 'fresh15')).toBe(true);
    expect(definitions.slice(firstFresh16, firstFresh17).every((d) => d.half === 'fresh16')).toBe(true);
    expect(definitions.slice(firstFresh17).every((d) => d.half === 'fresh17')).toBe(true);
    for (const family of new Set(definitions.map((d) => d.family))) {
      const halves = new Set(
        definitions
          .filter(
            (d) =>
              d.family === family &&
              ![
                'fresh2',
                'fresh3',
                'fresh4',
                'fresh5',
                'fresh6',
                'fresh7',
                'fresh8',
                'fresh9',
                'fresh10',
                'fresh11',
                'fresh12',
                'fresh13',
                'fresh14',
                'fresh15',
                'fresh16',
                'fresh17',
              ].includes(d.half),
          )
          .map((d) => d.half),
      );
      expect([family, [...halves].sort()]).toEqual([family, ['fresh', 'heldout', 'train']]);
    }
    // fresh3: every parameter discrete, so exact repeats are possible (what avoidRepeats is about).
    const finite = new Set(['choice', 'randint', 'quniform', 'qloguniform']);
    const params = (space: readonly Record<string, unknown>[]): Record<string, unknown>[] =>
      space.flatMap((p) => [
        p,
        ...Object.values((p.branches ?? {}) as Record<string, Record<string, unknown>[]>).flatMap(params),
      ]);
    for (const d of definitions.slice(firstFresh3, firstFresh4)) {
      expect([d.name, params(d.space as never).every((p) => finite.has(p.kind as string))]).toEqual([d.name, true]);
    }
    // fresh4: 9-20 parameters always active together, where TPE's maxGroupSize (8) splits the group.
    for (const d of definitions.slice(firstFresh4, firstFresh5)) {
      const count = params(d.space as never).length;
      expect([d.name, count >= 9 && count <= 20]).toEqual([d.name, true]);
    }
    // fresh5: flat spaces of 2-8 parameters and one conditional space (where TPE's frame turns a joint
    // decision), most of them coupled.
    const fresh5 = definitions.slice(firstFresh5, firstFresh6);
    for (const d of fresh5.filter((definition) => definition.family !== 'conditional')) {
      const count = params(d.space as never).length;
      expect([d.name, count >= 2 && count <= 8]).toEqual([d.name, true]);
    }
    expect(fresh5.filter((d) => d.coupled).length).toBeGreaterThanOrEqual(6);
    // fresh6 (and fresh7 to fresh17 in the same mix): where more exploitation can hurt (multimodal, noisy) beside
    // where it helps (coupled valleys), a conditional and a mixed space.
    for (const half of [
      definitions.slice(firstFresh6, firstFresh7),
      definitions.slice(firstFresh7, firstFresh8),
      definitions.slice(firstFresh8, firstFresh9),
      definitions.slice(firstFresh9, firstFresh10),
      definitions.slice(firstFresh10, firstFresh11),
      definitions.slice(firstFresh11, firstFresh12),
      definitions.slice(firstFresh12, firstFresh13),
      definitions.slice(firstFresh13, firstFresh14),
      definitions.slice(firstFresh14, firstFresh15),
      definitions.slice(firstFresh15, firstFresh16),
      definitions.slice(firstFresh16, firstFresh17),
      definitions.slice(firstFresh17),
    ]) {
      for (const family of ['multimodal', 'noisy', 'ill-conditioned', 'conditional', 'mixed']) {
        expect([family, half.some((d) => d.family === family)]).toEqual([family, true]);
      }
    }
    const noisy = definitions.filter((d) => d.noise !== undefined);
    expect(noisy.length).toBeGreaterThanOrEqual(2);
    for (const d of noisy) {
      const point = d.test_points[1];
      expect(point?.clean).toBeDefined();
      expect(point?.loss).not.toBe(point?.clean);
    }
  });

  it('seeded noise is a fixed function of params and seed with unit variance', () => {
    const draws = Array.from({ length: 1000 }, (_, i) => standardNoise({ x: i / 7, flag: i % 2 === 0, kind: 'a' }, 3));
    const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
    const variance = draws.reduce((s, v) => s + (v - mean) ** 2, 0) / draws.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(variance).toBeGreaterThan(0.85);
    expect(variance).toBeLessThan(1.15);
    expect(standardNoise({ x: 0.25 }, 3)).toBe(standardNoise({ x: 0.25 }, 3));
    expect(standardNoise({ x: 0.25 }, 3)).not.toBe(standardNoise({ x: 0.25 }, 4));
  });

  it('the original four problems still reproduce their test points through the shared loader', () => {
    expect(loadProblems().map((p) => p.name)).toEqual(['heart', 'branin', 'hartmann6', 'conditional_models']);
  });
});

describe('spaceOf (a problem file as a Parzen space)', () => {
  it("keeps a boolean option's branch, keyed by its text as JSON keys are (trial 107: it was dropped)", () => {
    const space = spaceOf([
      {
        name: 'opt',
        kind: 'choice',
        options: [true, false, 'x'],
        branches: { true: [{ name: 'lr', kind: 'uniform', low: 0, high: 1 }], x: [] },
      },
    ]);
    expect(space.opt).toEqual({
      type: 'choice',
      options: [{ value: true, space: { lr: { type: 'uniform', low: 0, high: 1 } } }, false, { value: 'x', space: {} }],
    });
  });

  it('refuses what the schema does not allow, naming the parameter, instead of running another space', () => {
    const refused: [ProblemParameter[], string][] = [
      [
        [{ name: 'a', kind: 'uniform', low: 0 }],
        'parameter a (uniform): expected a finite number high, found undefined',
      ],
      [[{ name: 'b', kind: 'quniform', low: 0, high: 4 }], 'parameter b (quniform): expected a finite number q'],
      [[{ name: 'c', kind: 'normal', mu: 0 }], 'parameter c (normal): expected a finite number sigma'],
      [[{ name: 'd', kind: 'beta' as ProblemParameter['kind'] }], 'parameter d: unknown kind "beta"'],
      [[{ name: 'e', kind: 'choice', options: [] }], 'parameter e (choice): expected a non-empty list of options'],
      [
        [{ name: 'h', kind: 'choice', options: [true, 'true'] }],
        'parameter h (choice): options [true,"true"] repeat a text, which would key two branches alike',
      ],
      [
        [{ name: 'f', kind: 'choice', options: ['a'], branches: { b: [] } }],
        'parameter f (choice): branches b name no option (options: a)',
      ],
      [
        [
          { name: 'g', kind: 'uniform', low: 0, high: 1 },
          { name: 'g', kind: 'uniform', low: 0, high: 2 },
        ],
        'parameter g is given twice in one list',
      ],
    ];
    for (const [parameters, message] of refused) expect(() => spaceOf(parameters)).toThrow(message);
  });
});
