import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { ParzenError } from '../errors.js';
import { compileSpace } from './compile-space.js';
import { activeParamNames, toExternalParams } from './params.js';
import { createRng } from './rng.js';
import { sampleDistribution } from './sample-distribution.js';
import {
  choice,
  defineSpace,
  hyperoptLoguniform,
  loguniform,
  option,
  type ParamsOf,
  randint,
  uniform,
} from './space-builder.js';
import type { SpaceDefinition } from './space-definition.js';

const nested = defineSpace({
  x: uniform(-2, 2),
  model: choice([
    option('svm', { C: loguniform(0.01, 100), kernel: choice(['rbf', option('poly', { degree: randint(2, 5) })]) }),
    option('tree', { depth: randint(1, 10) }),
    'none',
  ]),
  flag: choice([true, false]),
});

const issuesOf = (space: unknown): { pointer: string; expected: string; found: string }[] => {
  try {
    compileSpace(space, '/space');
  } catch (error) {
    if (error instanceof ParzenError) return [...error.issues];
    throw error;
  }
  return [];
};

/** Walks the space like the engine: decide each active parameter in order. */
const sampleTree = (seed: string) => {
  const space = compileSpace(nested);
  const rng = createRng(seed);
  const params: Record<string, number> = {};
  for (const name of space.params.map((param) => param.name)) {
    const param = space.byName.get(name);
    if (param === undefined || !activeParamNames(space, params).includes(name)) continue;
    params[name] = sampleDistribution(param.distribution, rng);
  }
  return { space, params };
};

describe('compileSpace', () => {
  it('says which field a misspelt one resembles, in a parameter and in a choice option (review 32)', () => {
    const issues = (space: unknown) => {
      try {
        compileSpace(space as never);
      } catch (error) {
        return (error as { issues: { pointer: string; found: string }[] }).issues;
      }
      return [];
    };
    expect(issues({ x: { type: 'uniform', lo: 0, high: 1 } })).toContainEqual(
      expect.objectContaining({ pointer: '/x/lo', found: 'an unknown field `lo` (did you mean `low`?)' }),
    );
    // Trial 43: Optuna's log=True is a type here, not a misspelt `low`.
    expect(issues({ lr: { type: 'uniform', low: 1e-5, high: 1, log: true } })).toContainEqual(
      expect.objectContaining({
        pointer: '/lr/log',
        found:
          'an unknown field `log` (Optuna\'s log=True is a type here: "loguniform", or "qloguniform" with a step q)',
      }),
    );
    expect(issues({ lr: { type: 'float', low: 1e-5, high: 1, log: true } })).toContainEqual(
      expect.objectContaining({
        pointer: '/lr/type',
        found: '"float" (did you mean `loguniform`? Optuna\'s float with log=True)',
      }),
    );
    // A missing type: the field that holds a type's name is named as the one meant; else the fields read.
    expect(issues({ x: { kind: 'uniform', low: 0, high: 1 } })).toEqual([
      {
        pointer: '/x/type',
        expected: expect.any(String),
        found: 'nothing (`kind` is "uniform": did you mean `type`?)',
      },
    ]);
    expect(issues({ x: { low: 0, high: 1 } })).toEqual([
      { pointer: '/x/type', expected: expect.any(String), found: 'nothing (its fields: `low`, `high`)' },
    ]);
    expect(issues({ x: {} })).toEqual([{ pointer: '/x/type', expected: expect.any(String), found: 'nothing' }]);
    // Review 95: `type` itself (undefined) is not listed; other casings and tools' words are named too.
    expect(issues({ x: { type: undefined, low: 0 } })).toMatchObject([{ found: 'nothing (its fields: `low`)' }]);
    expect(issues({ x: { kind: 'Uniform', low: 0, high: 1 } })).toMatchObject([
      { found: 'nothing (`kind` is "Uniform": did you mean `type`?)' },
    ]);
    expect(issues({ x: { kind: 'float', low: 0, high: 1 } })).toMatchObject([
      { found: 'nothing (`kind` is "float": did you mean `type`?)' },
    ]);
    // Trial 62: Optuna's `choices` and hyperopt's `hp.uniform`.
    expect(issues({ m: { type: 'choice', choices: ['a', 'b'] } })).toContainEqual(
      expect.objectContaining({ pointer: '/m/choices', found: 'an unknown field `choices` (did you mean `options`?)' }),
    );
    // Trial 162: `values` for `options`, a step on a kind without one, a branch's parameters beside its value.
    expect(issues({ m: { type: 'choice', values: ['a', 'b'] } })).toContainEqual(
      expect.objectContaining({ pointer: '/m/values', found: 'an unknown field `values` (did you mean `options`?)' }),
    );
    expect(issues({ C: { type: 'loguniform', low: 1e-3, high: 1, q: 1 } })).toEqual([
      expect.objectContaining({
        pointer: '/C/q',
        found: 'an unknown field `q` (a quantized loguniform is its own type: "qloguniform")',
      }),
    ]);
    // A starting value, as other tools write one: the queue is the way (it said only "an unknown field").
    expect(issues({ lr: { type: 'loguniform', low: 1e-4, high: 1, default: 0.01 } })).toEqual([
      expect.objectContaining({
        pointer: '/lr/default',
        found: expect.stringMatching(
          /^an unknown field `default` \(a parameter has no default: to try a value first, enqueue it/,
        ),
      }),
    ]);
    const C = { type: 'uniform', low: 0, high: 1 };
    expect(issues({ m: { type: 'choice', options: [{ value: 'svm', C }, 'rf'] } })).toEqual([
      expect.objectContaining({
        pointer: '/m/options/0/C',
        found:
          'an unknown field `C` (a branch\'s parameters go in the option\'s `space`: { "value": "svm", "space": { "C": {...} } })',
      }),
    ]);
    expect(issues({ x: { type: 'hp.uniform', low: 0, high: 1 } })).toContainEqual(
      expect.objectContaining({ pointer: '/x/type', found: '"hp.uniform" (did you mean `uniform`?)' }),
    );
    expect(issues({ lr: { type: 'float', low: 0, high: 1 } })).toContainEqual(
      expect.objectContaining({ pointer: '/lr/type', found: '"float" (did you mean `uniform`?)' }),
    );
    expect(issues({ m: { type: 'choice', options: [{ value: 'a', spce: {} }] } })).toContainEqual(
      expect.objectContaining({
        pointer: '/m/options/0/spce',
        found: 'an unknown field `spce` (did you mean `space`?)',
      }),
    );
  });

  it("says what is wrong inside a choice's option object: its value, or that it has none (trial 86)", () => {
    expect(issuesOf({ y: { type: 'choice', options: [{ value: { a: 1 } }, 'b'] } })).toEqual([
      { pointer: '/space/y/options/0/value', expected: 'a string, number, boolean or null', found: '{"a":1}' },
    ]);
    expect(issuesOf({ y: { type: 'choice', options: [{ space: {} }, 'b'] } })).toEqual([
      {
        pointer: '/space/y/options/0',
        expected:
          'an option with a `value`: { "value": V, "space": {...} }, its branch\'s parameters in `space` (in code, `option(V, {...})`)',
        found: '{"space":{}}, without `value`',
      },
    ]);
  });

  it('shows hyperopt\'s nested choice option in the form it takes here (only "without `value`")', () => {
    const mlp = { type: 'mlp', layers: { type: 'quniform', low: 1, high: 3, q: 1 } };
    expect(issuesOf({ clf: { type: 'choice', options: [mlp, 'svm'] } })).toEqual([
      {
        pointer: '/space/clf/options/0',
        expected:
          'an option with a `value`: { "value": V, "space": {...} }, its branch\'s parameters in `space` (in code, `option(V, {...})`)',
        found: `${JSON.stringify(mlp)}, without \`value\` (hyperopt's nested option? here it is { "value": "mlp", "space": { "layers": {...} } })`,
      },
    ]);
  });

  it('says that hyperopt\'s label is the parameter\'s key, for a label-first call (`found "x"` alone)', () => {
    // uniform('x', -2, 2) and choice('m', [...]) as hyperopt writes them, in code.
    expect(
      issuesOf({
        x: { type: 'uniform', low: 'x', high: -2 },
        m: { type: 'choice', options: 'm' },
        'a b': { type: 'normal', mu: 'a b', sigma: 0 },
      }),
    ).toEqual([
      {
        pointer: '/space/x/low',
        expected: 'a finite number',
        found:
          '"x" (hyperopt\'s label, its first argument? Here a parameter\'s name is its key in the space: hp.uniform("x", ...) is `x: uniform(...)`)',
      },
      {
        pointer: '/space/m/options',
        expected: 'a non-empty array of options',
        found:
          '"m" (hyperopt\'s label, its first argument? Here a parameter\'s name is its key in the space: hp.choice("m", [...]) is `m: choice([...])`)',
      },
      {
        pointer: '/space/a b/mu',
        expected: 'a finite number',
        found:
          '"a b" (hyperopt\'s label, its first argument? Here a parameter\'s name is its key in the space: hp.normal("a b", ...) is `"a b": normal(...)`)',
      },
    ]);
    // A number written as a string, or a later field, is no label.
    expect(issuesOf({ x: { type: 'uniform', low: '0.5', high: 'y' } }).map((issue) => issue.found)).toEqual([
      '"0.5"',
      '"y"',
    ]);
  });

  it('names hyperoptLoguniform for a negative log bound, as hyperoptQloguniform is named', () => {
    expect(
      issuesOf({
        lr: { type: 'loguniform', low: Math.log(1e-4), high: Math.log(0.1) },
        n: { type: 'qloguniform', low: -1, high: 3, q: 1 },
        z: { type: 'loguniform', low: 0, high: 1 },
      }),
    ).toEqual([
      {
        pointer: '/space/lr/low',
        expected:
          "a number greater than 0 (bounds are real values, not logs: hyperopt's hp.loguniform takes logs, and e^-9.21034 is 0.0001; in code, hyperoptLoguniform(logLow, logHigh) converts them)",
        found: String(Math.log(1e-4)),
      },
      {
        pointer: '/space/n/low',
        expected:
          "a number greater than 0 (bounds are real values, not logs: hyperopt's hp.qloguniform takes logs, and e^-1 is 0.367879; in code, hyperoptQloguniform(logLow, logHigh, q) converts them)",
        found: '-1',
      },
      { pointer: '/space/z/low', expected: 'a number greater than 0 (bounds are real values, not logs)', found: '0' },
    ]);
  });

  it('refuses ranges whose draws would overflow to Infinity, naming the field (trial 37: valid, then every run failed)', () => {
    expect(issuesOf({ x: { type: 'uniform', low: -1.7e308, high: 1.7e308 } })).toMatchObject([
      { pointer: '/space/x/high', expected: expect.stringContaining('high − low overflows') },
    ]);
    // Or underflow (trial 76: uniform(0, 5e-324) passed, then TPE failed with a RangeError).
    expect(issuesOf({ x: { type: 'uniform', low: 0, high: 5e-324 } })).toMatchObject([
      { pointer: '/space/x/high', expected: expect.stringContaining('a narrower range underflows') },
    ]);
    expect(issuesOf({ x: { type: 'quniform', low: 1, high: 1 + 1e-301, q: 1e-302 } })).toMatchObject([
      { pointer: '/space/x/high' },
    ]);
    expect(issuesOf({ x: { type: 'uniform', low: 0, high: 1e-299 } })).toEqual([]);
    // A normal prior too narrow for doubles (trial 91: sigma 5e-324 valid, then TPE failed with a RangeError; a
    // lognormal's e^(mu ± 3·sigma) equal at sigma 1e-20, and TPE suggested NaN).
    expect(issuesOf({ v: { type: 'normal', mu: 0, sigma: 5e-324 } })).toMatchObject([
      { pointer: '/space/v/sigma', expected: expect.stringContaining('a narrower prior underflows') },
    ]);
    expect(issuesOf({ v: { type: 'lognormal', mu: 0, sigma: 1e-20 } })).toMatchObject([
      {
        pointer: '/space/v/sigma',
        expected: expect.stringContaining('e^(mu − 3·sigma) and e^(mu + 3·sigma) are distinct numbers'),
      },
    ]);
    expect(issuesOf({ v: { type: 'qlognormal', mu: 5, sigma: 1e-300, q: 1 } })).toMatchObject([
      { pointer: '/space/v/sigma' },
    ]);
    expect(
      issuesOf({ v: { type: 'normal', mu: 0, sigma: 1e-299 }, w: { type: 'lognormal', mu: 0, sigma: 1e-10 } }),
    ).toEqual([]);
    // Review 95: e^(mu − 3·sigma) underflowing to 0 passed (an infinite width), then TPE suggested NaN; a large mu
    // was told to scale up, where it needs centring.
    expect(issuesOf({ v: { type: 'lognormal', mu: -745, sigma: 1 } })).toMatchObject([
      { pointer: '/space/v/mu', expected: expect.stringContaining('e^(mu − 3·sigma) is above 0') },
    ]);
    expect(issuesOf({ v: { type: 'qlognormal', mu: -740, sigma: 3, q: 1e-300 } })).toMatchObject([
      { pointer: '/space/v/mu' },
    ]);
    expect(issuesOf({ v: { type: 'normal', mu: 1e17, sigma: 1 } })).toMatchObject([
      { pointer: '/space/v/sigma', expected: expect.stringContaining('centre the parameter near 0') },
    ]);
    expect(
      issuesOf({ v: { type: 'lognormal', mu: -700, sigma: 1 }, w: { type: 'normal', mu: 1e6, sigma: 1e-6 } }),
    ).toEqual([]);
    expect(issuesOf({ x: { type: 'lognormal', mu: 0, sigma: 300 } })).toMatchObject([
      { pointer: '/space/x/sigma', expected: expect.stringContaining('mu + 10·sigma at most 709.8') },
    ]);
    expect(issuesOf({ x: { type: 'normal', mu: 0, sigma: 1e308 } })).toMatchObject([{ pointer: '/space/x/sigma' }]);
    expect(
      issuesOf({ x: { type: 'uniform', low: -1e307, high: 1e307 }, y: { type: 'lognormal', mu: 600, sigma: 10 } }),
    ).toEqual([]);
  });

  it('refuses integers and quantized steps past what a number holds exactly (trial 52: valid, then the run failed)', () => {
    expect(issuesOf({ n: { type: 'randint', low: 9007199254740990, high: 9007199254741000 } })).toMatchObject([
      {
        pointer: '/space/n/high',
        expected: expect.stringContaining('an integer from −9007199254740991 to 9007199254740991'),
      },
    ]);
    expect(issuesOf({ n: { type: 'uniformint', low: -1e17, high: 0 } })).toMatchObject([{ pointer: '/space/n/low' }]);
    expect(issuesOf({ v: { type: 'quniform', low: 0, high: 1e300, q: 1e-300 } })).toMatchObject([
      { pointer: '/space/v/q', expected: expect.stringContaining('value / q must stay an integer') },
    ]);
    expect(issuesOf({ v: { type: 'qnormal', mu: 1e300, sigma: 1, q: 0.1 } })).toMatchObject([
      { pointer: '/space/v/q' },
    ]);
    expect(issuesOf({ v: { type: 'qlognormal', mu: 30, sigma: 1, q: 1e-6 } })).toMatchObject([
      { pointer: '/space/v/q' },
    ]);
    // Its spread counts too (review 55: sigma 1e200 by q 1e-200 passed, then failed at its first trial).
    expect(issuesOf({ v: { type: 'qnormal', mu: 0, sigma: 1e200, q: 1e-200 } })).toMatchObject([
      { pointer: '/space/v/q' },
    ]);
    // At the edge, and everyday spaces: fine.
    expect(
      issuesOf({
        n: { type: 'randint', low: -9007199254740991, high: 9007199254740991 },
        q: { type: 'quniform', low: -1e6, high: 1e6, q: 1e-9 },
        l: { type: 'qloguniform', low: 1e-5, high: 1e3, q: 1e-6 },
        g: { type: 'qnormal', mu: 0, sigma: 1, q: 0.01 },
        // Review 54: its tails reach e^40, ten sigmas out, which no draw comes near.
        w: { type: 'qlognormal', mu: 0, sigma: 4, q: 1 },
        v: { type: 'qlognormal', mu: 4.6, sigma: 3.5, q: 1 },
      }),
    ).toEqual([]);
    // A study stored before these rules is read as it was (its trials stay readable).
    const old = {
      n: { type: 'randint', low: 0, high: 2 ** 60 },
      v: { type: 'quniform', low: 0, high: 1e300, q: 1e-300 },
    };
    expect(() => compileSpace(old)).toThrow(/2\^53/);
    expect(compileSpace(old, '', { stored: true }).params.map((param) => param.name)).toEqual(['n', 'v']);
    // Still an integer, stored or not (review 55).
    expect(() => compileSpace({ n: { type: 'randint', low: 0.5, high: 3 } }, '', { stored: true })).toThrow(
      /an integer/,
    );
  });

  it('refuses a q larger than the range at its field (trial 55: hyperopt log bounds gave a grid of 0 and 10)', () => {
    const issues = issuesOf({
      n: { type: 'qloguniform', low: Math.log(10), high: Math.log(500), q: 10 },
      u: { type: 'quniform', low: 1, high: 2, q: 10 },
    });
    expect(issues.map((issue) => issue.pointer)).toEqual(['/space/n/q', '/space/u/q']);
    expect(issues[0]?.expected).toBe(
      "a step no larger than the range (high − low = 3.91202): a larger one leaves at most two values, maybe outside the bounds; low and high are the values themselves, not their logs as in hyperopt's hp.qloguniform (in code, hyperoptQloguniform takes logs)",
    );
    // A q equal to the range, by the range's rounding too (review 57: 0.3 − 0.1 is 0.19999999999999998).
    expect(
      issuesOf({
        a: { type: 'quniform', low: 0.1, high: 0.3, q: 0.2 },
        b: { type: 'quniform', low: 0, high: 1, q: 1 },
      }),
    ).toEqual([]);
    expect(compileSpace({ u: { type: 'quniform', low: 1, high: 2, q: 10 } }, '', { stored: true }).params).toHaveLength(
      1,
    );
  });

  it('flattens nested choices in evaluation order with their conditions', () => {
    const space = compileSpace(nested);
    expect(space.params.map((param) => param.name)).toEqual(['x', 'model', 'C', 'kernel', 'degree', 'depth', 'flag']);
    expect(space.byName.get('degree')?.conditions).toEqual([{ parent: 'kernel', index: 1 }]);
    expect(space.byName.get('model')?.optionValues).toEqual(['svm', 'tree', 'none']);
  });

  test('nested choices yield only active parameters', () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        const { space, params } = sampleTree(seed);
        const external = toExternalParams(space, params);
        const model = external.model;
        const expected = ['x', 'model', 'flag'];
        if (model === 'svm') expected.push('C', 'kernel', ...(external.kernel === 'poly' ? ['degree'] : []));
        if (model === 'tree') expected.push('depth');
        expect(Object.keys(external).sort()).toEqual(expected.sort());
        expect(['svm', 'tree', 'none']).toContain(model);
        expect(typeof external.flag).toBe('boolean');
        if (external.depth !== undefined) expect(Number.isInteger(external.depth)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips: the builder gives plain JSON that compiles to the same space', () => {
    const json = JSON.parse(JSON.stringify(nested)) as SpaceDefinition;
    expect(json).toEqual(nested);
    expect(compileSpace(json).params).toEqual(compileSpace(nested).params);
  });

  it("converts hyperopt's log-space bounds to real bounds", () => {
    const converted = hyperoptLoguniform(Math.log(1e-5), 0);
    expect(converted.low).toBeCloseTo(1e-5, 15);
    expect(converted.high).toBe(1);
  });

  it('infers the params type from the space', () => {
    const params: ParamsOf<typeof nested> = { x: 1, model: 'tree', depth: 3, flag: true };
    // @ts-expect-error a choice gives one of its option values only
    const wrong: ParamsOf<typeof nested> = { x: 1, model: 'forest', flag: true };
    expect(params.model).toBe('tree');
    expect(wrong.x).toBe(1);
  });

  it('allows the same parameter in two branches when the definitions agree', () => {
    const space = compileSpace({
      kind: {
        type: 'choice',
        options: [
          { value: 'a', space: { lr: { type: 'uniform', low: 0, high: 1 } } },
          { value: 'b', space: { lr: { type: 'uniform', low: 0, high: 1 } } },
        ],
      },
    });
    expect(space.byName.get('lr')?.conditions).toEqual([
      { parent: 'kind', index: 0 },
      { parent: 'kind', index: 1 },
    ]);
  });

  it('places a parameter shared by branches of two different choices after both, so either can activate it', () => {
    const space = compileSpace({
      A: {
        type: 'choice',
        options: [{ value: 'a', space: { x: { type: 'uniform', low: 0, high: 1 } } }, 'b'],
      },
      B: {
        type: 'choice',
        options: ['c', { value: 'd', space: { x: { type: 'uniform', low: 0, high: 1 } } }],
      },
    });
    expect(space.params.map((param) => param.name)).toEqual(['A', 'B', 'x']);
    expect(activeParamNames(space, { A: 1, B: 1 })).toEqual(['A', 'B', 'x']);
    expect(activeParamNames(space, { A: 0, B: 0 })).toEqual(['A', 'B', 'x']);
    expect(activeParamNames(space, { A: 1, B: 0 })).toEqual(['A', 'B']);
  });

  it('says why a name used twice is refused, and where two branch definitions differ (trial 95)', () => {
    const issuesOf = (space: Record<string, unknown>) => {
      try {
        compileSpace(space as never);
        return [];
      } catch (error) {
        return (error as { issues: { pointer: string; expected: string; found: string }[] }).issues;
      }
    };
    const branch = (high: number) => ({
      b: { type: 'choice', options: [{ value: 'u', space: { c: { type: 'uniform', low: 0, high } } }, 'v'] },
    });
    expect(
      issuesOf({
        a: {
          type: 'choice',
          options: [
            { value: 'x', space: branch(1) },
            { value: 'y', space: branch(2) },
          ],
        },
      }),
    ).toEqual([
      {
        pointer: '/a/options/1/space/b/options/0/space/c/high',
        expected: 'the same definition as `b` at /a/options/0/space/b (branches that share a name share one parameter)',
        // Both values, and names of their own after each branch's option (trial 162: neither was said).
        found:
          '2, where /a/options/0/space/b/options/0/space/c/high has 1; for a parameter of its own in each branch, name them apart (`b_x` there and `b_y` here, say)',
      },
    ]);
    // Options that are no words name the choice and the option's index.
    const sgd = (low: number) => ({ lr: { type: 'loguniform', low, high: 1 } });
    expect(
      issuesOf({
        opt: {
          type: 'choice',
          options: [
            { value: 'adam', space: sgd(1e-5) },
            { value: 'plain sgd', space: sgd(1e-4) },
          ],
        },
      }),
    ).toEqual([
      expect.objectContaining({
        pointer: '/opt/options/1/space/lr/low',
        found:
          '0.0001, where /opt/options/0/space/lr/low has 0.00001; for a parameter of its own in each branch, name them apart (`lr_adam` there and `lr_opt1` here, say)',
      }),
    ]);
    const lr = { type: 'uniform', low: 0, high: 1 };
    expect(issuesOf({ lr, a: { type: 'choice', options: [{ value: 'x', space: { lr } }, 'y'] } })).toEqual([
      {
        pointer: '/a/options/0/space/lr',
        expected:
          'a name not used elsewhere: `lr` at /lr is always active, and a name is one parameter across the space (only branches may share one, with the same definition)',
        found: '`lr` again',
      },
    ]);
    // Branches may share a name with the same definition, whatever the order of its keys (review 100: refused as
    // "another definition").
    for (const second of [lr, { high: 1, low: 0, type: 'uniform' }])
      expect(
        issuesOf({
          a: {
            type: 'choice',
            options: [
              { value: 'x', space: { lr } },
              { value: 'y', space: { lr: second } },
            ],
          },
        }),
      ).toEqual([]);
  });

  it('names five repeats and counts the rest (review 99: 2,000 repeats were 2,000 lines)', () => {
    let issues: readonly { pointer: string; found: string }[] = [];
    try {
      compileSpace({ x: { type: 'choice', options: Array(2000).fill('a') } });
    } catch (error) {
      issues = (error as { issues: typeof issues }).issues;
    }
    expect(issues).toHaveLength(6);
    expect(issues.at(-1)).toEqual({
      pointer: '/x/options',
      expected: 'distinct option values',
      found: '1994 more options that repeat an earlier one',
    });
  });

  it('names the option that repeats another, and which (trial 95: the list was cut before the repeat)', () => {
    const options = [...Array.from({ length: 2000 }, (_, i) => `o${i}`), 'o1500', 0, -0];
    let issues: readonly { pointer: string; expected: string; found: string }[] = [];
    try {
      compileSpace({ x: { type: 'choice', options } });
    } catch (error) {
      issues = (error as { issues: typeof issues }).issues;
    }
    expect(issues).toEqual([
      {
        pointer: '/x/options/2000',
        expected: 'distinct option values',
        found: '"o1500", the value of option 1500 too',
      },
      {
        pointer: '/x/options/2002',
        expected: 'distinct option values',
        found: '0, the value of option 2001 too (0 and -0 are one value)',
      },
    ]);
  });

  it.each([
    [{ x: { type: 'uniform', low: 2, high: 1 } }, '/space/x/high'],
    [{ x: { type: 'uniform', low: 0 } }, '/space/x/high'],
    [{ x: { type: 'gaussian', mu: 0 } }, '/space/x/type'],
    [{ x: { type: 'loguniform', low: 0, high: 1 } }, '/space/x/low'],
    [{ x: { type: 'quniform', low: 0, high: 1, q: 0 } }, '/space/x/q'],
    [{ x: { type: 'normal', mu: 0, sigma: -1 } }, '/space/x/sigma'],
    [{ x: { type: 'randint', low: 1.5, high: 4 } }, '/space/x/low'],
    [{ x: { type: 'randint', low: 4, high: 4 } }, '/space/x/high'],
    [{ x: { type: 'uniform', low: 0, high: 1, step: 2 } }, '/space/x/step'],
    [{ x: { type: 'choice', options: [] } }, '/space/x/options'],
    [{ x: { type: 'choice', options: ['a', 'a'] } }, '/space/x/options/1'],
    [{ x: { type: 'choice', options: [{ nope: 1 }] } }, '/space/x/options/0'],
    [
      {
        x: {
          type: 'pchoice',
          options: [
            { p: 0.5, value: 'a' },
            { p: 0.2, value: 'b' },
          ],
        },
      },
      '/space/x/options',
    ],
    [
      { m: { type: 'choice', options: [{ value: 'a', space: { y: { type: 'uniform', low: 1, high: 0 } } }] } },
      '/space/m/options/0/space/y/high',
    ],
    [
      {
        x: { type: 'uniform', low: 0, high: 1 },
        m: { type: 'choice', options: [{ value: 'a', space: { x: { type: 'normal', mu: 0, sigma: 1 } } }] },
      },
      '/space/m/options/0/space/x',
    ],
    [{ x: 3 }, '/space/x'],
    [{}, '/space'],
  ])('rejects %j naming %s', (space, pointer) => {
    const issues = issuesOf(space);
    expect(issues.map((issue) => issue.pointer)).toContain(pointer);
    for (const issue of issues) {
      expect(issue.expected.length).toBeGreaterThan(0);
      expect(issue.found.length).toBeGreaterThan(0);
    }
  });
});
