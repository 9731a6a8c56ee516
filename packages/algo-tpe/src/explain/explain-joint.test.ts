import type { Trial } from '@parzen/engine';
import { compileSpace, createRng } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { explainJoint } from './explain-joint.js';
import { explainSuggestion } from './explain-suggestion.js';

const space = compileSpace({
  x: { type: 'uniform', low: -2, high: 2 },
  y: { type: 'uniform', low: -2, high: 2 },
  c: { type: 'choice', options: ['a', 'b'] },
});
const rng = createRng('points');
const trials: Trial[] = Array.from({ length: 30 }, (_, number) => {
  const x = -2 + 4 * rng.next();
  const y = -2 + 4 * rng.next();
  const c = rng.next() < 0.5 ? 0 : 1;
  return {
    study: 's',
    number,
    state: 'complete',
    internal: { x, y, c },
    loss: (x - 1) ** 2 + (y + 1) ** 2 + c,
    startedAt: '',
    finishedAt: '',
  };
});

describe('explainJoint', () => {
  const options = { grouping: 'joint', startupTrials: 5 } as const;
  const input = { space, trials, rng: createRng('joint'), options };

  it('replays the joint choice: the same values the suggestion made with the same random stream', async () => {
    const joint = await explainJoint(input);
    const { params, explanation } = await explainSuggestion({ ...input, rng: createRng('joint') });
    expect(explanation.joint).toEqual(['x', 'y', 'c']);
    expect(joint?.names).toEqual(['x', 'y', 'c']);
    expect(joint?.chosen).toEqual(params);
    // And as the objective gets it: the choice as its option (trial 57: its index only).
    expect(joint?.params).toEqual({ x: params.x, y: params.y, c: ['a', 'b'][params.c as number] });
    // A choice's entry names its options: its values are indices into them (trial 39: indices alone).
    expect(explanation.params.map((param) => param.options)).toEqual([undefined, undefined, ['a', 'b']]);
    const alone = await explainSuggestion({ ...input, options: { startupTrials: 5, grouping: 'independent' } });
    expect(alone.explanation.params.find((param) => param.name === 'c')?.options).toEqual(['a', 'b']);
  });

  it('slices l and g through the chosen point along each parameter', async () => {
    const joint = await explainJoint(input);
    expect(joint?.slices.every((slice) => slice.group.join() === 'x,y,c')).toBe(true);
    const x = joint?.slices.find((s) => s.name === 'x');
    expect(x?.grid.x).toHaveLength(101);
    expect(x?.grid.logL.every(Number.isFinite)).toBe(true);
    expect(x?.value).toBe(joint?.chosen.x);
    const c = joint?.slices.find((s) => s.name === 'c');
    expect(c?.grid.x).toEqual([0, 1]);
    // Good trials have c = 0 (it adds 1 to the loss): through the chosen point, l favours option 0; with
    // l's kernels at the family's widths (belowBandwidth 1) more than g does.
    const [l0, l1] = c?.grid.logL ?? [];
    expect(l0 as number).toBeGreaterThan(l1 as number);
    const wide = await explainJoint({ ...input, options: { ...options, belowBandwidth: 1 } });
    const slice = wide?.slices.find((s) => s.name === 'c');
    const [wl0, wl1] = slice?.grid.logL ?? [];
    const [g0, g1] = slice?.grid.logG ?? [];
    expect((wl0 as number) - (wl1 as number)).toBeGreaterThan((g0 as number) - (g1 as number));
  });

  it("slices the model the trial was decided with: explore's settings for the study's first trials (review 34)", async () => {
    const values = { belowBandwidth: 1, aboveWeight: 1, gamma: 0.5 };
    const explain = (extra: object) =>
      explainJoint({ ...input, rng: createRng('joint'), options: { ...options, ...extra } });
    const explored = await explain({ explore: { trials: 40, ...values } });
    const same = await explain(values);
    // The profile's own settings, its own exploring phase off.
    const plain = await explain({ explore: { trials: 0 } });
    expect(explored?.chosen).toEqual(same?.chosen);
    expect(explored?.slices).toEqual(same?.slices);
    expect(explored?.slices).not.toEqual(plain?.slices);
    // Past the explore trials (this is trial 30), the profile's own settings again.
    const later = await explain({ explore: { trials: 20, ...values } });
    expect(later?.slices).toEqual(plain?.slices);
  });

  it('is undefined for univariate TPE and during start-up', async () => {
    expect(await explainJoint({ ...input, options: { grouping: 'independent', startupTrials: 5 } })).toBeUndefined();
    expect(await explainJoint({ ...input, trials: trials.slice(0, 3) })).toBeUndefined();
  });
});
