import { describe, expect, it } from 'vitest';
import type { SuggestContext, Suggester, TrialSampler } from '../contracts/suggester.js';
import { compileSpace } from '../domain/compile-space.js';
import type { ParamAssignment } from '../domain/params.js';
import { createRng } from '../domain/rng.js';
import type { SpaceDefinition } from '../domain/space-definition.js';
import { suggestParams } from './suggest-params.js';

const space: SpaceDefinition = {
  x: { type: 'uniform', low: 0, high: 1 },
  y: { type: 'uniform', low: 0, high: 1 },
  model: {
    type: 'choice',
    options: [
      { value: 'svm', space: { c: { type: 'uniform', low: 0, high: 1 }, k: { type: 'uniform', low: 0, high: 1 } } },
      { value: 'tree', space: { depth: { type: 'randint', low: 1, high: 5 } } },
    ],
  },
};
const compiled = compileSpace(space);

const context = (): SuggestContext => ({
  study: 's',
  direction: 'minimize',
  seed: 1,
  trialNumber: 0,
  space: compiled,
  history: [],
  running: [],
  rng: createRng('walk'),
});

/** A sampler that records the engine's calls and gives fixed values. */
const recording = (sampler: Partial<TrialSampler>, model = 0) => {
  const calls: string[] = [];
  let begun = 0;
  let ended: ParamAssignment | undefined;
  const suggester: Suggester = {
    name: 'rec',
    beginTrial: () => {
      begun++;
      return {
        ...sampler,
        sampleParam: (param, decided) => {
          calls.push(`param ${param.name} after [${Object.keys(decided).join(',')}]`);
          return param.name === 'model' ? model : param.name === 'depth' ? 2 : 0.5;
        },
        ...(sampler.sampleGroup === undefined
          ? {}
          : {
              sampleGroup: (group, decided) => {
                calls.push(`group ${group.map((p) => p.name).join('+')} after [${Object.keys(decided).join(',')}]`);
                return (sampler.sampleGroup as NonNullable<TrialSampler['sampleGroup']>)(group, decided);
              },
            }),
        end: (params) => {
          ended = params;
        },
      };
    },
  };
  return { suggester, calls, begun: () => begun, ended: () => ended };
};

describe('suggestParams: the engine walks the space, the suggester begins the trial once', () => {
  it('asks every active parameter once, a choice before its sub-space, and ends the trial', async () => {
    const r = recording({}, 1);
    const params = await suggestParams(r.suggester, context());
    expect(params).toEqual({ x: 0.5, y: 0.5, model: 1, depth: 2 });
    expect(r.begun()).toBe(1);
    expect(r.calls).toEqual([
      'param x after []',
      'param y after [x]',
      'param model after [x,y]',
      'param depth after [x,y,model]',
    ]);
    expect(r.ended()).toEqual(params);
  });

  it('samples a group once, when the walk reaches its first parameter, and the rest one by one', async () => {
    const r = recording({ groups: [['y', 'model']], sampleGroup: () => ({ y: 0.25, model: 0 }) });
    const params = await suggestParams(r.suggester, context());
    expect(params).toEqual({ x: 0.5, y: 0.25, model: 0, c: 0.5, k: 0.5 });
    expect(r.calls).toEqual([
      'param x after []',
      'group y+model after [x]',
      'param c after [x,y,model]',
      'param k after [x,y,model,c]',
    ]);
  });

  it('samples a conditional group only when its branch is chosen', async () => {
    const svm = recording({ groups: [['c', 'k']], sampleGroup: () => ({ c: 0.1, k: 0.2 }) }, 0);
    expect(await suggestParams(svm.suggester, context())).toEqual({ x: 0.5, y: 0.5, model: 0, c: 0.1, k: 0.2 });
    const tree = recording({ groups: [['c', 'k']], sampleGroup: () => ({ c: 0.1, k: 0.2 }) }, 1);
    expect(await suggestParams(tree.suggester, context())).toEqual({ x: 0.5, y: 0.5, model: 1, depth: 2 });
    expect(tree.calls.some((call) => call.startsWith('group'))).toBe(false);
  });

  it('samples the group groupAt names where the walk is, without members decided or fixed; alone, sampleParam', async () => {
    const groupAt = (param: { name: string }) => (param.name === 'c' ? ['k', 'c', 'x'] : undefined);
    const sampleGroup = (group: readonly { name: string }[]) => Object.fromEntries(group.map((p) => [p.name, 0.25]));
    const r = recording({ groupAt, sampleGroup });
    expect(await suggestParams(r.suggester, context())).toEqual({ x: 0.5, y: 0.5, model: 0, c: 0.25, k: 0.25 });
    expect(r.calls).toEqual([
      'param x after []',
      'param y after [x]',
      'param model after [x,y]',
      'group c+k after [x,y,model]',
    ]);
    // k fixed by an entry: c is left alone, so sampleParam decides it, after k's value is known.
    const fixedK = recording({ groupAt, sampleGroup });
    expect(await suggestParams(fixedK.suggester, context(), { k: 0.75 })).toEqual({
      x: 0.5,
      y: 0.5,
      model: 0,
      c: 0.5,
      k: 0.75,
    });
    expect(fixedK.calls.at(-1)).toBe('param c after [x,y,model,k]');
  });

  it('rejects a groupAt answer that is not names: a promise (review 116: ignored, sampleParam asked)', async () => {
    const sampler = { sampleGroup: () => ({}), groupAt: () => Promise.resolve(['x', 'y']) };
    const r = recording(sampler as unknown as Partial<TrialSampler>);
    await expect(suggestParams(r.suggester, context())).rejects.toThrow(
      'its groupAt gave a promise at `x`; it must give parameter names (an array, not a promise) or undefined.',
    );
  });

  it('rejects a groupAt group naming an unknown or grouped parameter, or leaving its own out', async () => {
    const sampleGroup = () => ({});
    const at = (names: string[], groups: string[][] = []) =>
      suggestParams(
        recording({ groups, sampleGroup, groupAt: (param) => (param.name === 'x' ? names : undefined) }).suggester,
        context(),
      );
    await expect(at(['x', 'nope'])).rejects.toThrow('its group at `x` names `nope`, not in the space.');
    await expect(at(['x', 'c'], [['c', 'k']])).rejects.toThrow('names `c`, which is in one of its groups.');
    await expect(at(['y', 'c'])).rejects.toThrow(
      'its group at `x` leaves `x` out (give undefined for no group there).',
    );
    await expect(at(['y'])).rejects.toThrow('its group at `x` leaves `x` out');
    const noSampler: Suggester = {
      name: 'bad',
      beginTrial: () => ({ groupAt: (param) => (param.name === 'x' ? ['x', 'y'] : undefined), sampleParam: () => 0.5 }),
    };
    await expect(suggestParams(noSampler, context())).rejects.toThrow(
      'its groupAt named a group at `x`, but it has no sampleGroup.',
    );
    await expect(at(['x', 'c'])).rejects.toThrow('`c` is not active together with `x` in its group.');
  });

  it('rejects a group whose parameters are not active together, naming them', async () => {
    const r = recording({ groups: [['x', 'c']], sampleGroup: () => ({ x: 0.1, c: 0.2 }) });
    await expect(suggestParams(r.suggester, context())).rejects.toMatchObject({
      code: 'SUGGESTER_BAD_GROUP',
      message: expect.stringContaining('`c` is not active together with `x`'),
    });
  });

  it('rejects unknown and duplicated group members and a group without sampleGroup', async () => {
    const unknown = recording({ groups: [['x', 'nope']], sampleGroup: () => ({}) });
    await expect(suggestParams(unknown.suggester, context())).rejects.toMatchObject({ code: 'SUGGESTER_BAD_GROUP' });
    const twice = recording({ groups: [['x'], ['x', 'y']], sampleGroup: () => ({}) });
    await expect(suggestParams(twice.suggester, context())).rejects.toThrow('in two groups');
    const noSampler: Suggester = { name: 'bad', beginTrial: () => ({ groups: [['x']], sampleParam: () => 0 }) };
    await expect(suggestParams(noSampler, context())).rejects.toThrow('no sampleGroup');
  });

  it('says a beginTrial that gives no TrialSampler against the contract, not with a TypeError (trial 89)', async () => {
    for (const [given, said] of [
      [undefined, 'beginTrial gave nothing'],
      [{}, 'beginTrial gave {}'],
    ] as const) {
      const bad: Suggester = { name: 'bad', beginTrial: () => given as never };
      await expect(suggestParams(bad, context())).rejects.toMatchObject({
        code: 'SUGGESTER_FAILED',
        message: expect.stringContaining(`Suggester \`bad\`: ${said}`),
      });
    }
  });

  it('rejects a sampleGroup() answer that is no object of values by name, saying what it is', async () => {
    const listed = recording({ groups: [['x', 'y']], sampleGroup: () => [0.5, 0.5] as never });
    await expect(suggestParams(listed.suggester, context())).rejects.toMatchObject({
      code: 'SUGGESTER_OUT_OF_SPACE',
      message: expect.stringMatching(
        /: its sampleGroup\(\) returned an array \(\[0\.5,0\.5\]\); expected an object of values by member name \(x: \.\.\., y: \.\.\.\)\.$/,
      ),
    });
    const nothing = recording({ groups: [['x', 'y']], sampleGroup: () => undefined as never });
    await expect(suggestParams(nothing.suggester, context())).rejects.toMatchObject({
      message: expect.stringContaining(
        'its sampleGroup() returned nothing; expected an object of values by member name',
      ),
    });
  });

  it('rejects a sampleGroup() answer with values for parameters it was not given, instead of dropping them', async () => {
    const typo = recording({ groups: [['x', 'y']], sampleGroup: () => ({ x: 0.5, y: 0.5, z: 0.5 }) });
    await expect(suggestParams(typo.suggester, context())).rejects.toMatchObject({
      code: 'SUGGESTER_OUT_OF_SPACE',
      message: expect.stringMatching(
        /: its sampleGroup\(\) gave a value for `z` \(not in the space\); expected values for exactly the members it was given \(x, y\)\.$/,
      ),
    });
    // A member an enqueued entry fixes is left out of the group it is asked for; its value is the entry's.
    const whole = recording({ groups: [['x', 'y']], sampleGroup: () => ({ x: 0.5, y: 0.5 }) });
    await expect(suggestParams(whole.suggester, context(), { x: 0.25 })).rejects.toMatchObject({
      message: expect.stringContaining(
        'gave a value for `x` (an enqueued entry fixes it: its value is in `decided`); expected values for exactly the members it was given (y).',
      ),
    });
    // A parameter of the space outside the group is said as that, with nothing of entries.
    const other = recording({ groups: [['x']], sampleGroup: () => ({ x: 0.5, y: 0.5 }) });
    await expect(suggestParams(other.suggester, context())).rejects.toMatchObject({
      message: expect.stringMatching(
        /gave a value for `y` \(not in this group\); expected values for exactly the members it was given \(x\)\.$/,
      ),
    });
    // A key set to undefined is no value.
    const unset = recording({ groups: [['x', 'y']], sampleGroup: () => ({ x: 0.5, y: 0.5, z: undefined }) as never });
    await expect(suggestParams(unset.suggester, context())).resolves.toMatchObject({ x: 0.5, y: 0.5 });
  });

  it('rejects a group value outside the support or missing', async () => {
    const wild = recording({ groups: [['x', 'y']], sampleGroup: () => ({ x: 3, y: 0.5 }) });
    await expect(suggestParams(wild.suggester, context())).rejects.toMatchObject({
      code: 'SUGGESTER_OUT_OF_SPACE',
      message: expect.stringContaining('`x` the value 3'),
    });
    // Saying what it may be: the grid, an integer, an option index (trial 89).
    const gridded = compileSpace({
      w: { type: 'quniform', low: 0, high: 10, q: 2 },
      k: { type: 'choice', options: ['a', 'b'] },
    });
    for (const [values, said] of [
      [{ w: 3, k: 0 }, 'the value 3, outside its quniform distribution (expected a multiple of 2 from 0 to 10)'],
      [
        { w: 2, k: 2 },
        'the value 2, outside its categorical distribution (expected an option index, an integer from 0 to 1)',
      ],
    ] as const) {
      const off: Suggester = {
        name: 'off',
        beginTrial: () => ({ sampleParam: (param) => values[param.name as 'w' | 'k'] }),
      };
      await expect(suggestParams(off, { ...context(), space: gridded })).rejects.toMatchObject({
        message: expect.stringContaining(said),
      });
    }
    const unset = recording({ groups: [['x', 'y']], sampleGroup: () => ({ x: 0.5, y: undefined }) as never });
    await expect(suggestParams(unset.suggester, context())).rejects.toMatchObject({
      message: expect.stringContaining('gave no value for `y`'),
    });
    const missing = recording({ groups: [['x', 'y']], sampleGroup: () => ({ x: 0.5 }) });
    await expect(suggestParams(missing.suggester, context())).rejects.toMatchObject({
      code: 'SUGGESTER_OUT_OF_SPACE',
      // Trial 70: "gave parameter `y` the value nothing".
      message: expect.stringMatching(
        /: its sampleGroup\(\) gave no value for `y`; expected one for each member it was given \(x, y\)\.$/,
      ),
    });
  });
});
