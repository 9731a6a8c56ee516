import { describe, expect, it } from 'vitest';
import { compileSpace } from './compile-space.js';
import { gridSteps } from './distribution.js';
import { activeParamNames, alwaysActiveParams, toExternalParams, toInternalParams, walkSpace } from './params.js';
import { createRng } from './rng.js';
import { quantize } from './rounding.js';
import { sampleDistribution, sampleFromUnit } from './sample-distribution.js';
import {
  choice,
  defineSpace,
  hyperoptLoguniform,
  loguniform,
  option,
  qloguniform,
  quniform,
  randint,
  uniform,
} from './space-builder.js';

const space = compileSpace(
  defineSpace({
    x: uniform(-2, 2),
    model: choice([
      option('svm', { C: loguniform(0.01, 100), kernel: choice(['rbf', option('poly', { degree: randint(2, 5) })]) }),
      option('tree', { depth: randint(1, 10) }),
      'none',
    ]),
    width: quniform(8, 64, 8),
    flag: choice([true, false]),
  }),
);

describe('alwaysActiveParams', () => {
  it('is the top level, and a parameter under every option of an always-active choice (recursively)', () => {
    expect([...alwaysActiveParams(space)]).toEqual(['x', 'model', 'width', 'flag']);
    const c = { C: uniform(0, 1) };
    const both = compileSpace(
      defineSpace({
        model: choice([
          option('svm', { ...c, k: choice([option('a', { d: uniform(0, 1) }), option('b', { d: uniform(0, 1) })]) }),
          option('lr', c),
        ]),
        inner: choice([
          option('p', { q: choice([option('u', { z: uniform(0, 1) }), option('v', { z: uniform(0, 1) })]) }),
          'none',
        ]),
      }),
    );
    // C is under both options of model; k and d only under svm; q only under p, so z (under both of q's) is not always active.
    expect([...alwaysActiveParams(both)].sort()).toEqual(['C', 'inner', 'model']);
    // Checked against every assignment of the choices.
    const choices = both.params.filter((param) => param.optionValues !== undefined);
    const counts = new Map(both.params.map((param) => [param.name, 0]));
    const total = choices.reduce((n, param) => n * (param.optionValues?.length ?? 1), 1);
    for (let code = 0; code < total; code++) {
      let rest = code;
      const assigned: Record<string, number> = {};
      for (const param of choices) {
        const size = param.optionValues?.length ?? 1;
        assigned[param.name] = rest % size;
        rest = Math.floor(rest / size);
      }
      for (const name of activeParamNames(both, assigned)) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    expect(
      [...counts]
        .filter(([, n]) => n === total)
        .map(([name]) => name)
        .sort(),
    ).toEqual(['C', 'inner', 'model']);
  });
});

describe('toInternalParams', () => {
  it('maps option values to indices and round-trips through toExternalParams', () => {
    const external = { x: 0.5, model: 'svm', C: 1, kernel: 'poly', degree: 3, width: 16, flag: false };
    const { internal: params, issues } = toInternalParams(space, external, '/enqueue/0');
    expect(issues).toEqual([]);
    expect(params).toEqual({ x: 0.5, model: 0, C: 1, kernel: 1, degree: 3, width: 16, flag: 1 });
    expect(toExternalParams(space, params)).toEqual(external);
  });

  it('names every problem by pointer: unknown names, out of support, bad options, inactive and missing', () => {
    const { issues } = toInternalParams(
      space,
      { x: 5, model: 'tree', C: 1, width: 12, flag: 'yes', lr: 1 },
      '/enqueue/2',
    );
    expect(issues.map((issue) => issue.pointer).sort()).toEqual(
      [
        '/enqueue/2/C',
        '/enqueue/2/depth',
        '/enqueue/2/flag',
        '/enqueue/2/lr',
        '/enqueue/2/width',
        '/enqueue/2/x',
      ].sort(),
    );
    const byPointer = Object.fromEntries(issues.map((issue) => [issue.pointer, issue]));
    expect(byPointer['/enqueue/2/x']).toMatchObject({ expected: 'a number from -2 to 2', found: '5' });
    expect(byPointer['/enqueue/2/flag']?.expected).toBe('one of true, false');
    expect(byPointer['/enqueue/2/depth']?.found).toContain('missing');
    expect(byPointer['/enqueue/2/C']?.expected).toContain('not used');
  });

  it('says which given choice leaves a parameter out, with its value, and a missing choice once (trial 87)', () => {
    // `degree` is under `kernel` = "poly", which is under `model` = "svm": with `model` = "tree" neither is used,
    // and `kernel` was not given, so the message names `model` (it named `kernel`).
    const nested = toInternalParams(space, { x: 0, model: 'tree', depth: 3, degree: 4, width: 16, flag: true }, '/e');
    expect(nested.issues).toEqual([
      {
        pointer: '/e/degree',
        expected:
          'no value: `degree` is not used with `model` = "tree" (leave it out, or give null; in a CSV file, an empty cell)',
        found: '4',
      },
    ]);
    const direct = toInternalParams(
      space,
      { x: 0, model: 'svm', C: 1, kernel: 'rbf', degree: 4, width: 16, flag: true },
      '/e',
    );
    expect(direct.issues.map((issue) => issue.expected)).toEqual([
      'no value: `degree` is not used with `kernel` = "rbf" (leave it out, or give null; in a CSV file, an empty cell)',
    ]);
    // A choice given a value it has no option for: that is said, and what is under it is left unjudged (review 91:
    // `degree` was said unused "with `model` = "svm"", the branch that uses it).
    for (const partial of [false, true]) {
      const invalid = toInternalParams(
        space,
        { x: 0, model: 'svm', C: 1, kernel: 'linear', degree: 4, width: 16, flag: true },
        '/e',
        { partial },
      );
      expect(invalid.issues.map((issue) => issue.pointer)).toEqual(['/e/kernel']);
      const top = toInternalParams(space, { x: 0, model: 'forest', depth: 3, width: 16, flag: true }, '/e', {
        partial,
      });
      expect(top.issues.map((issue) => issue.pointer)).toEqual(['/e/model']);
    }
    // A choice whose option is null is named with null, not its index.
    const nullable = compileSpace(defineSpace({ n: choice([null, option('on', { k: uniform(0, 1) })]) }));
    expect(toInternalParams(nullable, { n: null, k: 0.5 }, '').issues[0]?.expected).toBe(
      'no value: `k` is not used with `n` = null (leave it out, or give null; in a CSV file, an empty cell)',
    );
    // In an enqueue entry (partial), null under a choice not given is no value either.
    expect(toInternalParams(space, { x: 0, C: null }, '/e', { partial: true }).issues).toEqual([]);
    // null for a parameter the row leaves out is no value, as exporters write an unused column (pandas' to_json).
    const nulls = toInternalParams(
      space,
      { x: 0, model: 'tree', depth: 3, C: null, degree: null, width: 16, flag: true },
      '/e',
    );
    expect(nulls).toEqual({ internal: { x: 0, model: 1, depth: 3, width: 16, flag: 0 }, issues: [] });
    // No `model` at all: that is the problem, said once (its branch's `C` was also said "not used").
    const missing = toInternalParams(space, { x: 0, C: 1, width: 16, flag: true }, '/e');
    expect(missing.issues.map((issue) => issue.pointer)).toEqual(['/e/model']);
  });

  it("names every missing choice above an entry's parameter at once, with the option that uses it", () => {
    const tree = compileSpace(
      defineSpace({
        model: choice([
          'rf',
          option('mlp', {
            hidden: quniform(16, 512, 16),
            optimizer: choice([
              option('adam', { adam_lr: loguniform(1e-5, 1e-2) }),
              option('sgd', { sgd_lr: loguniform(1e-3, 1), momentum: uniform(0, 0.99) }),
            ]),
          }),
        ]),
      }),
    );
    const expected = (entry: Record<string, unknown>) =>
      toInternalParams(tree, entry, '/enqueue/0', { partial: true }).issues.map(({ pointer, expected }) => ({
        pointer,
        expected,
      }));
    expect(expected({ adam_lr: 0.001 })).toEqual([
      {
        pointer: '/enqueue/0/adam_lr',
        expected:
          'the choices above `adam_lr` too: `model` = "mlp", `optimizer` = "adam" (they decide whether it is used)',
      },
    ]);
    expect(expected({ model: 'mlp', momentum: 0.5 })).toEqual([
      {
        pointer: '/enqueue/0/momentum',
        expected: '`optimizer` = "sgd" too (the choice that decides whether `momentum` is used)',
      },
    ]);
    expect(expected({ optimizer: 'adam', adam_lr: 0.001 })).toEqual([
      {
        pointer: '/enqueue/0/optimizer',
        expected: '`model` = "mlp" too (the choice that decides whether `optimizer` is used)',
      },
    ]);
    // A parameter under two options: the path said is one of them.
    const shared = compileSpace(
      defineSpace({ o: choice([option('a', { lr: uniform(0, 1) }), option('b', { lr: uniform(0, 1) }), 'c']) }),
    );
    expect(toInternalParams(shared, { lr: 0.5 }, '', { partial: true }).issues[0]?.expected).toBe(
      '`o` = "a" too (the choice that decides whether `lr` is used, or another option that uses it)',
    );
    // An entry's value for a parameter its choices leave out: no CSV cell to empty (a row's message has one).
    expect(expected({ model: 'rf', hidden: 32 })).toEqual([
      {
        pointer: '/enqueue/0/hidden',
        expected: 'no value: `hidden` is not used with `model` = "rf" (leave it out, or give null)',
      },
    ]);
  });

  it('takes NaN for an inactive parameter of a row to import as no value (pandas and json.dumps write it), not for an active one', () => {
    const row = { x: 0, model: 'tree', depth: 3, C: Number.NaN, kernel: Number.NaN, width: 16, flag: true };
    expect(toInternalParams(space, row, '/params')).toEqual({
      internal: { x: 0, model: 1, depth: 3, width: 16, flag: 0 },
      issues: [],
    });
    expect(toInternalParams(space, { ...row, depth: Number.NaN }, '/params').issues).toEqual([
      { pointer: '/params/depth', expected: 'an integer from 1 to 9', found: 'NaN' },
    ]);
    // An entry to run is not a row: NaN stays a value there.
    expect(toInternalParams(space, { model: 'tree', C: Number.NaN }, '', { partial: true }).issues).toHaveLength(1);
  });

  it('takes a value a rounding away from a continuous bound as the bound (hyperoptLoguniform(Math.log(1e-4), …), trial 30)', () => {
    const space = compileSpace(
      defineSpace({ lr: hyperoptLoguniform(Math.log(1e-4), Math.log(1e-1)), x: uniform(0, 1) }),
    );
    const low = space.byName.get('lr')?.distribution as { low: number; high: number };
    expect(low.low).not.toBe(1e-4); // exp(log(1e-4)) = 1.0000000000000009e-4
    expect(toInternalParams(space, { lr: 1e-4, x: 0 }, '')).toEqual({ internal: { lr: low.low, x: 0 }, issues: [] });
    expect(toInternalParams(space, { lr: 0.1, x: 1 + 1e-15 }, '').internal).toEqual({ lr: 0.1, x: 1 });
    // A bound at 0 takes a rounding below it too (review 30: relative to 0 nothing was near).
    expect(toInternalParams(space, { lr: 0.01, x: -1e-17 }, '').internal).toEqual({ lr: 0.01, x: 0 });
    // Further than rounding is still out of range.
    expect(toInternalParams(space, { lr: 0.99e-4, x: 0.5 }, '').issues).toHaveLength(1);
    expect(toInternalParams(space, { lr: 1e-3, x: 1.000001 }, '').issues).toHaveLength(1);
  });

  it('takes a given −0 as 0, as every durable store keeps it (trial 82)', () => {
    const space = compileSpace(defineSpace({ x: uniform(-1, 1), n: quniform(-4, 4, 1) }));
    const { internal } = toInternalParams(space, { x: -0, n: -0 }, '');
    expect(Object.is(internal.x, 0) && Object.is(internal.n, 0)).toBe(true);
  });

  it('takes nothing but a rounding as a tiny log-scale bound (trial 82: 0 and −5e-16 became 1e-16)', () => {
    const space = compileSpace(defineSpace({ eps: loguniform(1e-16, 1) }));
    for (const eps of [0, -5e-16, 1e-30, 0.9e-16])
      expect(toInternalParams(space, { eps }, '').issues, String(eps)).toMatchObject([
        { pointer: '/eps', expected: 'a number from 1e-16 to 1' },
      ]);
    expect(toInternalParams(space, { eps: 1e-16 * (1 - 1e-15) }, '').internal).toEqual({ eps: 1e-16 });
  });

  it('with partial, leaves absent parameters (and those under them) to the suggester', () => {
    expect(toInternalParams(space, { x: 1 }, '', { partial: true })).toEqual({ internal: { x: 1 }, issues: [] });
    expect(toInternalParams(space, { model: 'tree' }, '', { partial: true }).internal).toEqual({ model: 1 });
    const orphan = toInternalParams(space, { degree: 3 }, '/e', { partial: true });
    expect(orphan.issues).toHaveLength(1);
    expect(orphan.issues[0]).toMatchObject({ pointer: '/e/degree' });
    expect(toInternalParams(space, 'x=1', '/e').issues[0]).toMatchObject({
      pointer: '/e',
      expected: 'an object of parameter values',
    });
  });
});

describe('quantized values', () => {
  it('accepts exactly what the samplers produce: multiples of q between the bounds rounded onto the grid', () => {
    const grid = compileSpace(defineSpace({ d: quniform(1, 10, 4), p: qloguniform(0.5, 1, 0.2) }));
    const drawn = new Set<number>();
    const rng = createRng('grid');
    const d = grid.byName.get('d')?.distribution;
    for (let i = 0; i < 500 && d !== undefined; i++) drawn.add(sampleDistribution(d, rng));
    expect([...drawn].sort((a, b) => a - b)).toEqual([0, 4, 8]);
    const check = (values: Record<string, number>) => toInternalParams(grid, values, '/enqueue/0', { partial: true });
    for (const value of [0, 4, 8]) expect(check({ d: value }).issues).toEqual([]);
    for (const value of [12, 16, -4, 2]) {
      expect(check({ d: value }).issues).toEqual([
        { pointer: '/enqueue/0/d', expected: 'a multiple of 4 from 0 to 8', found: String(value) },
      ]);
    }
    // qloguniform(0.5, 1, 0.2): 0.6 to 1. The bound 0.5 lies halfway between 0.4 and 0.6, and only a draw of
    // exactly 0.5 would round to 0.4: the step is left out (trial 32: TPE's bins drew such steps often).
    expect(check({ p: 0.4 }).issues).toEqual([
      { pointer: '/enqueue/0/p', expected: 'a multiple of 0.2 from 0.6 to 1', found: '0.4' },
    ]);
    expect(check({ p: 0.6000000000000001 }).issues).toEqual([]);
    // A value within rounding of the grid is stored as the samplers write it.
    expect(check({ d: 4.0000000001 }).internal).toEqual({ d: 4 });
    const tenths = compileSpace(defineSpace({ t: quniform(0, 1, 0.1) }));
    expect(toInternalParams(tenths, { t: 0.3 }, '', { partial: true }).internal).toEqual({ t: quantize(0.3, 0.1) });
    expect(check({ p: 0 }).issues).toEqual([
      { pointer: '/enqueue/0/p', expected: 'a multiple of 0.2 from 0.6 to 1', found: '0' },
    ]);
  });

  it("keeps a bound halfway between two steps to the inner step: quniform(0.5, 8.5, 1) is Optuna's suggest_int(1, 8)", () => {
    const layers = quniform(0.5, 8.5, 1);
    expect(gridSteps(layers)).toEqual({ first: 1, last: 8 });
    expect(gridSteps({ low: 1, high: 10, q: 4 })).toEqual({ first: 0, last: 2 });
    expect(gridSteps({ low: 1.5, high: 9.5, q: 1 })).toEqual({ first: 2, last: 9 });
    expect(gridSteps({ low: 0, high: 1, q: 0.1 })).toEqual({ first: 0, last: 10 });
    const space = compileSpace(defineSpace({ layers }));
    expect(toInternalParams(space, { layers: 0 }, '').issues).toEqual([
      { pointer: '/layers', expected: 'a multiple of 1 from 1 to 8', found: '0' },
    ]);
    // A draw at the very bound is kept on the grid: u = 0 gives 1, not 0.
    const compiled = space.byName.get('layers')?.distribution;
    expect(compiled && sampleFromUnit(compiled, 0)).toBe(1);
  });
});

describe('an unknown parameter name (review 67)', () => {
  it('says the same letters in other code points, and a near misspelling, but not for a one-letter name', () => {
    const space = compileSpace({
      'caf\u00e9': { type: 'uniform', low: 0, high: 1 },
      rate: { type: 'uniform', low: 0, high: 1 },
    });
    const found = (params: Record<string, number>) =>
      toInternalParams(space, params, '/enqueue/0', { partial: true }).issues.map((issue) => issue.found);
    expect(found({ 'cafe\u0301': 0.5 })[0]).toContain('looks the same but is written with other Unicode code points');
    expect(found({ rtae: 0.5 })[0]).toContain('(did you mean `rate`?)');
    expect(found({ y: 0.5 })).toEqual(['unknown parameter "y"']);
  });
});

describe('a value missing from a choice of many options (trial 95: a 23 KB message)', () => {
  it('lists the first and last ten options and the count', () => {
    const options = Array.from({ length: 2000 }, (_, i) => `o${i}`);
    const space = compileSpace({ c: { type: 'choice', options } });
    const { issues } = toInternalParams(space, { c: 'o9999' }, '/enqueue/0');
    const listed = (values: string[]) => values.map((value) => JSON.stringify(value)).join(', ');
    expect(issues).toEqual([
      {
        pointer: '/enqueue/0/c',
        expected: `one of its 2000 options (${listed(options.slice(0, 10))}, ..., ${listed(options.slice(-10))})`,
        found: '"o9999"',
      },
    ]);
    // Each listed option cut at 40 characters (review 99: 21 options of 2,000 characters were a 40 KB line).
    const long = compileSpace({
      c: { type: 'choice', options: Array.from({ length: 21 }, (_, i) => `${i}${'x'.repeat(2000)}`) },
    });
    const message = toInternalParams(long, { c: 'z' }, '').issues[0]?.expected ?? '';
    expect(message.length).toBeLessThan(1000);
    expect(message).toContain(`"0${'x'.repeat(37)}…`);
    // Cut by code points: an emoji is never halved (review 100).
    const emoji = compileSpace({
      c: { type: 'choice', options: Array.from({ length: 21 }, (_, i) => `${i}${'😀'.repeat(50)}`) },
    });
    expect(toInternalParams(emoji, { c: 'z' }, '').issues[0]?.expected).not.toMatch(
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/,
    );
    // A small choice lists every option.
    const small = compileSpace({ c: { type: 'choice', options: ['a', 'b'] } });
    expect(toInternalParams(small, { c: 'z' }, '').issues[0]?.expected).toBe('one of "a", "b"');
  });
});

describe("toExternalParams: the space's order (trial 95: `trials --json` in TPE's decision order)", () => {
  it('lists params in the space order whatever order they were decided in, an unknown name last', () => {
    const space = compileSpace({
      a: { type: 'uniform', low: 0, high: 1 },
      c: { type: 'choice', options: ['u', 'v'] },
      z: { type: 'uniform', low: 0, high: 1 },
    });
    const external = toExternalParams(space, { z: 0.5, extra: 3, c: 1, a: 0.25 });
    expect(Object.keys(external)).toEqual(['a', 'c', 'z', 'extra']);
    expect(external).toEqual({ a: 0.25, c: 'v', z: 0.5, extra: 3 });
  });
});

describe('walkSpace', () => {
  it('offers each parameter active under the values decided so far, in evaluation order, and keeps what it is given', () => {
    const space = compileSpace({
      model: {
        type: 'choice',
        options: [
          { value: 'svm', space: { c: { type: 'uniform', low: 0, high: 1 } } },
          { value: 'tree', space: { depth: { type: 'uniformint', low: 1, high: 5 } } },
        ],
      },
      lr: { type: 'uniform', low: 0, high: 1 },
    });
    const offered: string[] = [];
    const decided = walkSpace(space, (param, sofar) => {
      offered.push(`${param.name}${JSON.stringify(sofar)}`);
      // The choice takes `tree`; lr is left unset.
      return param.name === 'model' ? 1 : param.name === 'depth' ? 3 : undefined;
    });
    expect(offered).toEqual(['model{}', 'depth{"model":1}', 'lr{"model":1,"depth":3}']);
    expect(decided).toEqual({ model: 1, depth: 3 });
    // Undecided, a choice opens none of its branches.
    expect(Object.keys(walkSpace(space, () => undefined))).toEqual([]);
    expect(activeParamNames(space, {})).toEqual(['model', 'lr']);
  });
});
