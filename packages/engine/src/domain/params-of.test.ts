// ParamsOf as a union by branch (trial 137: after `if (p.model === 'tree')`, `p.depth` stayed optional). The
// types are checked by `tsc -p tsconfig.test.json` (expectTypeOf and @ts-expect-error fail it when the narrowing
// breaks); the runtime tests check that what the objective receives is what the type says, member by member.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Suggester } from '../contracts/suggester.js';
import { fmin } from '../fmin.js';
import { Study } from '../study.js';
import { sampleDistribution } from './sample-distribution.js';
import {
  type AnyParams,
  choice,
  defineSpace,
  loguniform,
  type OptionalParams,
  option,
  type ParamsOf,
  pchoice,
  randint,
  uniform,
} from './space-builder.js';
import type { ParameterDefinition, SpaceDefinition } from './space-definition.js';

const prior: Suggester = {
  name: 'prior',
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
};

/** The plugin author's space: a choice between two branches, each with its own parameter. */
const models = defineSpace({
  x: uniform(-2, 2),
  model: choice([option('tree', { depth: randint(1, 10) }), option('linear', { alpha: loguniform(1e-4, 1) })]),
});

/** Nested choices, a name two branches share, options without a space, null, and a pchoice of booleans. */
const nested = defineSpace({
  x: uniform(-2, 2),
  model: choice([
    option('svm', { C: loguniform(0.01, 100), kernel: choice(['linear', option('poly', { degree: randint(2, 5) })]) }),
    option('tree', { depth: randint(1, 10), lr: uniform(0, 1) }),
    option('boost', { lr: uniform(0, 1) }),
    'none',
    null,
  ]),
  scale: pchoice([
    { p: 0.5, value: true, space: { factor: uniform(1, 2) } },
    { p: 0.5, value: false },
  ]),
});

type Flat<T> = T extends unknown ? { -readonly [K in keyof T]: T[K] } : never;
type ModelBranches =
  | { model: 'svm'; C: number; kernel: 'poly'; degree: number; depth?: never; lr?: never }
  | { model: 'svm'; C: number; kernel: 'linear'; degree?: never; depth?: never; lr?: never }
  | { model: 'tree'; depth: number; lr: number; C?: never; kernel?: never; degree?: never }
  | { model: 'boost'; lr: number; C?: never; kernel?: never; degree?: never; depth?: never }
  | { model: 'none' | null; C?: never; kernel?: never; degree?: never; depth?: never; lr?: never };
type ScaleBranches = { scale: true; factor: number } | { scale: false; factor?: never };
/** What the objective gets for `nested`: one member per combination of a model branch and a scale branch. */
type NestedParams = Flat<{ x: number } & ModelBranches & ScaleBranches>;

/** The keys a member of `NestedParams` has, from its discriminants: the runtime side of the type above. */
const nestedKeys = (params: Readonly<Record<string, unknown>>): string[] => {
  const model: Record<string, string[]> = {
    svm: params.kernel === 'poly' ? ['C', 'kernel', 'degree'] : ['C', 'kernel'],
    tree: ['depth', 'lr'],
    boost: ['lr'],
    none: [],
    null: [],
  };
  return ['x', 'model', ...(model[String(params.model)] ?? ['?']), 'scale', ...(params.scale ? ['factor'] : [])];
};

describe('ParamsOf', () => {
  it('is a union by branch: checking the choice narrows to its parameters', () => {
    expectTypeOf<ParamsOf<typeof models>>().toEqualTypeOf<
      | { x: number; model: 'tree'; depth: number; alpha?: never }
      | { x: number; model: 'linear'; alpha: number; depth?: never }
    >();
    const objective = (p: ParamsOf<typeof models>): number => {
      // A name of another branch reads as possibly undefined until the choice is checked.
      expectTypeOf(p.depth).toEqualTypeOf<number | undefined>();
      // @ts-expect-error `depth` is there only when model is 'tree'
      const unchecked: number = p.depth;
      if (p.model === 'tree') {
        expectTypeOf(p.depth).toEqualTypeOf<number>();
        expectTypeOf(p.alpha).toEqualTypeOf<undefined>();
        return p.depth + p.x + unchecked;
      }
      expectTypeOf(p.alpha).toEqualTypeOf<number>();
      return p.alpha;
    };
    expect(objective({ x: 1, model: 'tree', depth: 2 })).toBe(5);
    // @ts-expect-error the objective never gets a branch's parameter with another branch chosen
    const mixed: ParamsOf<typeof models> = { x: 1, model: 'tree', depth: 2, alpha: 0.1 };
    // @ts-expect-error nor a branch without its parameter
    const missing: ParamsOf<typeof models> = { x: 1, model: 'linear' };
    expect([mixed, missing]).toHaveLength(2);
  });

  it('spreads nested choices, shared names and pchoice into one member per combination', () => {
    expectTypeOf<ParamsOf<typeof nested>>().toEqualTypeOf<NestedParams>();
    const degree = (p: ParamsOf<typeof nested>): number => {
      if (p.model === 'svm' && p.kernel === 'poly') {
        expectTypeOf(p.degree).toEqualTypeOf<number>();
        expectTypeOf(p.C).toEqualTypeOf<number>();
        return p.degree;
      }
      // `lr` is in two branches: either one narrows to it.
      if (p.model === 'tree' || p.model === 'boost') expectTypeOf(p.lr).toEqualTypeOf<number>();
      if (p.scale) expectTypeOf(p.factor).toEqualTypeOf<number>();
      if (p.model === null || p.model === 'none') expectTypeOf(p.kernel).toEqualTypeOf<undefined>();
      return 0;
    };
    expect(degree({ x: 0, model: 'svm', C: 1, kernel: 'poly', degree: 3, scale: false })).toBe(3);
  });

  it('gives the objective objects of exactly one member, and every member occurs', async () => {
    const seen = new Set<string>();
    const { trials } = await fmin({
      space: nested,
      suggester: prior,
      maxTrials: 300,
      seed: 7,
      objective: (params) => {
        expect(Object.keys(params).sort()).toEqual(nestedKeys(params).sort());
        for (const name of ['x', 'C', 'degree', 'depth', 'lr', 'factor'] as const)
          if (name in params) expect(typeof params[name]).toBe('number');
        seen.add(nestedKeys(params).join()); // each member has its own keys ('none' and null share one)
        return params.x ** 2;
      },
    });
    expect(trials.filter((trial) => trial.state === 'complete')).toHaveLength(300);
    // 5 model branches (the two `svm` kernels apart) by 2 scale branches: the union's 10 members.
    expect(seen.size).toBe(10);
    for (const trial of trials) expect(Object.keys(trial.params).sort()).toEqual(nestedKeys(trial.params).sort());
  });

  it("types enqueued params by branch, as the run checks them (another branch's parameter is refused)", async () => {
    const study = await Study.open({ space: models, suggester: prior, seed: 1 });
    expect(await study.enqueue({ model: 'tree', depth: 3 })).toBe(true);
    // @ts-expect-error `alpha` is not used with model 'tree'
    await expect(study.enqueue({ model: 'tree', alpha: 0.1 })).rejects.toMatchObject({ code: 'PARAMS_INVALID' });
    const asked = await study.ask();
    expect(asked.params).toEqual({ x: expect.any(Number), model: 'tree', depth: 3 });
    if (asked.params.model === 'tree') expectTypeOf(asked.params.depth).toEqualTypeOf<number>();
  });

  it('types an enqueued branch parameter as needing the choices that decide it, as the run refuses it without', async () => {
    const study = await Study.open({ space: nested, suggester: prior, seed: 1 });
    const refused = { code: 'PARAMS_INVALID' };
    // @ts-expect-error `C` needs `model` (it compiled, and only the run said "expected a value for `model` too")
    await expect(study.enqueue({ C: 50 })).rejects.toMatchObject(refused);
    // @ts-expect-error `degree` needs `kernel` as well as `model`
    await expect(study.enqueue({ model: 'svm', degree: 3 })).rejects.toMatchObject(refused);
    // @ts-expect-error a name two branches share needs the choice too
    await expect(study.enqueue({ x: 0, lr: 0.5 })).rejects.toMatchObject(refused);
    // @ts-expect-error `factor` is under the pchoice `scale`
    await expect(study.enqueue({ factor: 1.5 })).rejects.toMatchObject(refused);
    // @ts-expect-error an unknown name beside known ones is still refused
    await expect(study.enqueue({ x: 0, kinds: 1 })).rejects.toMatchObject(refused);
    expect(await study.enqueue({ model: 'svm', C: 50 })).toBe(true);
    expect(await study.enqueue({ model: 'svm', kernel: 'poly', degree: 3 })).toBe(true);
    expect(await study.enqueue({ model: 'tree', lr: 0.5, scale: true, factor: 1.5 })).toBe(true);
    expect(await study.enqueue({ x: 0 })).toBe(true);
    expect(await study.enqueue({})).toBe(true);
    // Params typed by the space, not a literal: checked as before.
    const typed: Partial<ParamsOf<typeof nested>> = { model: 'boost', lr: 0.1 };
    expect(await study.enqueue(typed)).toBe(true);
    // A space typed as any SpaceDefinition: any name, left to the run.
    const wide = await Study.open({ space: nested as SpaceDefinition, suggester: prior, seed: 1 });
    await expect(wide.enqueue({ C: 50 })).rejects.toMatchObject(refused);
  });

  it('cannot narrow on option values that are not literal types: a parameter test does', () => {
    const kinds: string[] = ['svm', 'knn'];
    const space = defineSpace({
      model: choice([
        option(kinds[0] as string, { C: uniform(0, 1) }),
        option(kinds[1] as string, { k: randint(1, 9) }),
      ]),
    });
    // `string` twice: the members differ only by their parameters.
    expectTypeOf<ParamsOf<typeof space>>().toEqualTypeOf<
      { model: string; C: number; k?: never } | { model: string; k: number; C?: never }
    >();
    const read = (p: ParamsOf<typeof space>): number => {
      if (p.C !== undefined) {
        expectTypeOf(p).toEqualTypeOf<{ model: string; C: number; k?: never }>();
        return p.C;
      }
      return p.k;
    };
    expect(read({ model: 'knn', k: 3 })).toBe(3);
  });

  it("types a space built at run time by its definitions' values: a uniform's as number", async () => {
    // `Record<string, ReturnType<typeof uniform>>` gave every name `string | number | boolean | null`.
    const dynamic: Record<string, ReturnType<typeof uniform>> = {};
    for (const name of ['a', 'b']) dynamic[name] = uniform(0, 1);
    expectTypeOf<ParamsOf<typeof dynamic>>().toEqualTypeOf<{ [name: string]: number }>();
    const { best } = await fmin({
      space: dynamic,
      suggester: prior,
      maxTrials: 3,
      objective: (p) => (p.a ?? 0) + (p.b ?? 0),
    });
    expect(typeof best?.params.a).toBe('number');
    const kinds: Record<string, ReturnType<typeof choice<['x', 'y']>> | ReturnType<typeof randint>> = {
      k: choice(['x', 'y']),
      n: randint(0, 3),
    };
    expectTypeOf<ParamsOf<typeof kinds>>().toEqualTypeOf<{ [name: string]: 'x' | 'y' | number }>();
    // A choice of branches may bring names of its own: any value, as before.
    const branched: Record<string, typeof models.model> = { model: models.model };
    expectTypeOf<ParamsOf<typeof branched>>().toEqualTypeOf<AnyParams>();
  });

  it('is one object for a space without choices of branches, as before', () => {
    const flat = { x: uniform(0, 1), kind: choice(['a', 'b', 3, null]) };
    expectTypeOf<ParamsOf<typeof flat>>().toEqualTypeOf<{ x: number; kind: 'a' | 'b' | 3 | null }>();
    // An option with an empty sub-space is a branch of its own, with no parameters.
    const empty = { kind: choice([option('a', {}), option('b', { y: uniform(0, 1) })]) };
    expectTypeOf<ParamsOf<typeof empty>>().toEqualTypeOf<{ kind: 'a'; y?: never } | { kind: 'b'; y: number }>();
  });

  it('is any name for a space typed as any SpaceDefinition, and the optional form past MaxParamsMembers', () => {
    expectTypeOf<ParamsOf<SpaceDefinition>>().toEqualTypeOf<AnyParams>();
    expectTypeOf<ParamsOf<Record<string, ParameterDefinition>>>().toEqualTypeOf<AnyParams>();
    const branches = choice([option('a', { a: uniform(0, 1) }), option('b', { b: uniform(0, 1) }), 'c']);
    // 3^5 = 243 combinations: a union still.
    const five = { c0: branches, c1: branches, c2: branches, c3: branches, c4: branches };
    expectTypeOf<Extract<ParamsOf<typeof five>, { c0: 'a'; c1: 'b' }>>().toHaveProperty('a').toEqualTypeOf<number>();
    // 3^6 = 729: past 256, the one-object form, where a branch's parameters are optional.
    const six = { ...five, c5: branches };
    expectTypeOf<ParamsOf<typeof six>>().toEqualTypeOf<OptionalParams<typeof six>>();
    expectTypeOf<ParamsOf<typeof six>['a']>().toEqualTypeOf<number | undefined>();
  });
});
