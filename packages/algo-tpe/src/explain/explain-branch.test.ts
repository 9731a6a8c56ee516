import type { Trial } from '@parzen/engine';
import { compileSpace, createRng } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { explainSuggestion } from './explain-suggestion.js';

// Two models that share `optimizer`, whose options share `lr`; a third model with a branch of its own.
const branch = (extra: Record<string, unknown>) => ({
  ...extra,
  optimizer: {
    type: 'choice',
    options: [
      { value: 'adam', space: { lr: { type: 'loguniform', low: 1e-5, high: 1 } } },
      {
        value: 'sgd',
        space: { lr: { type: 'loguniform', low: 1e-5, high: 1 }, momentum: { type: 'uniform', low: 0, high: 1 } },
      },
    ],
  },
});
const space = compileSpace({
  scale: { type: 'choice', options: ['standard', 'minmax'] },
  model: {
    type: 'choice',
    options: [
      { value: 'mlp', space: branch({ hidden: { type: 'uniformint', low: 8, high: 256 } }) },
      { value: 'cnn', space: branch({ filters: { type: 'uniformint', low: 8, high: 128 } }) },
      {
        value: 'svm',
        space: {
          kernel: {
            type: 'choice',
            options: [{ value: 'rbf', space: { gamma: { type: 'loguniform', low: 1e-4, high: 1 } } }, 'linear'],
          },
        },
      },
    ],
  },
} as never);

/** Trial i: model i mod 3, optimizer or kernel by (i / 3) mod 2, the rest spread over their ranges. */
const trials: Trial[] = Array.from({ length: 36 }, (_, number) => {
  const model = number % 3;
  const second = Math.floor(number / 3) % 2;
  const u = ((number * 7919) % 97) / 97;
  const internal: Record<string, number> = { scale: Math.floor(number / 6) % 2, model };
  if (model === 0) internal.hidden = 8 + Math.round(u * 248);
  if (model === 1) internal.filters = 8 + Math.round(u * 120);
  if (model < 2) {
    internal.optimizer = second;
    internal.lr = 10 ** (-5 + 5 * u);
    if (second === 1) internal.momentum = u;
  } else {
    internal.kernel = second;
    if (second === 0) internal.gamma = 10 ** (-4 + 4 * u);
  }
  return {
    study: 's',
    number,
    state: 'complete',
    internal,
    loss: ((number * 31) % 37) / 37,
    startedAt: '',
    finishedAt: '',
  };
});

/** Whether trial `number` took every option of `steps`. */
const meets = (number: number, steps: readonly { readonly name: string; readonly index: number }[]) =>
  steps.every((step) => trials[number]?.internal[step.name] === step.index);

describe("a tree space's explanation says the branch each parameter was decided in", () => {
  it.each(['independent', 'groups', 'joint'] as const)(
    'under grouping %s: the branch, and the trials its good/others are',
    async (grouping) => {
      for (let seed = 0; seed < 12; seed++) {
        const { params, explanation } = await explainSuggestion({
          space,
          trials,
          rng: createRng(`branch-${seed}`),
          options: { grouping, startupTrials: 10 },
        });
        const names = explanation.params.map((param) => param.name);
        // In the order decided: each choice before the parameters its option makes active.
        for (const param of explanation.params)
          for (const step of param.given ?? [])
            expect(names.indexOf(step.name)).toBeLessThan(names.indexOf(param.name));
        for (const param of explanation.params) {
          const node = space.byName.get(param.name);
          if (node?.conditions.length === 0) {
            expect(param.given).toBeUndefined();
            expect(param.trialsGiven).toBeUndefined();
            continue;
          }
          const given = param.given ?? [];
          const trialsGiven = param.trialsGiven ?? [];
          // The options the trial took on its way to the parameter, outermost first, with their values.
          expect(given.length).toBeGreaterThan(0);
          for (const step of given) expect(params[step.name]).toBe(step.index);
          expect(given.at(-1)?.name).toBe(node?.conditions.find((c) => params[c.parent] === c.index)?.parent);
          expect(given.map((step) => step.value)).toEqual(
            given.map((step) => space.byName.get(step.name)?.optionValues?.[step.index]),
          );
          expect(given.slice(given.length - trialsGiven.length)).toEqual(trialsGiven);
          // Every trial counted meets trialsGiven; when that is all of given, the counted ones are that branch's.
          for (const number of [...param.below, ...param.above]) expect(meets(number, trialsGiven)).toBe(true);
          if (trialsGiven.length === given.length) {
            expect(param.below).toEqual(explanation.below.filter((number) => meets(number, given)));
            const others = trials.filter((t) => !explanation.below.includes(t.number) && meets(t.number, given));
            expect([...param.above].sort((a, b) => a - b)).toEqual(others.map((t) => t.number));
          } else {
            // Said only where it is so: a trial of another branch was counted.
            expect([...param.below, ...param.above].some((number) => !meets(number, given))).toBe(true);
          }
        }
      }
    },
  );

  it('says a shared choice and a shared name count the trials of every branch that holds them', async () => {
    for (let seed = 0; seed < 20; seed++) {
      const { params, explanation } = await explainSuggestion({
        space,
        trials,
        rng: createRng(`shared-${seed}`),
        options: { grouping: 'independent', startupTrials: 10 },
      });
      if (params.model !== 0) continue;
      const byName = new Map(explanation.params.map((param) => [param.name, param]));
      const model = { name: 'model', index: 0, value: 'mlp' };
      expect(byName.get('hidden')).toMatchObject({ given: [model], trialsGiven: [model] });
      // `optimizer` is a parameter of mlp and cnn: its trials are both models'.
      expect(byName.get('optimizer')).toMatchObject({ given: [model], trialsGiven: [] });
      const optimizer = { name: 'optimizer', index: params.optimizer, value: params.optimizer === 0 ? 'adam' : 'sgd' };
      // `lr` is a parameter of both optimizers' branches: any trial with an lr.
      expect(byName.get('lr')).toMatchObject({ given: [model, optimizer], trialsGiven: [] });
      if (params.optimizer === 1)
        expect(byName.get('momentum')).toMatchObject({ given: [model, optimizer], trialsGiven: [optimizer] });
      return;
    }
    throw new Error('no seed chose mlp');
  });
});
