import type { CompleteTrial, Trial } from '@parzen/engine';
import { compileSpace, createRng, suggestParams } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { explainJoint } from '../explain/explain-joint.js';
import { explainSuggestion } from '../explain/explain-suggestion.js';
import { createTpeSuggester } from '../tpe-suggester.js';

// `lr` in both branches (one name, one definition), `extra` in b only: with a name of its own, b's lr would be
// decided with extra, from b's trials only; so it must be with the shared name (trial 107: the default ended in
// the worse branch, lr modelled from a's trials and decided alone).
const lr = { type: 'loguniform', low: 0.001, high: 1 } as const;
const space = compileSpace({
  model: {
    type: 'choice',
    options: [
      { value: 'a', space: { lr } },
      { value: 'b', space: { lr, extra: { type: 'uniform', low: 0, high: 1 } } },
    ],
  },
});
// Branch a good near lr = 0.1, branch b better near lr = 0.01 with extra = 0.5.
const trials: Trial[] = Array.from({ length: 16 }, (_, number) => {
  const inB = number % 2 === 1;
  const lrValue = 10 ** (-3 + (3 * ((number * 7) % 16)) / 15);
  const extra = ((number * 5) % 16) / 15;
  const loss = inB ? Math.log10(lrValue / 0.01) ** 2 + (extra - 0.5) ** 2 : 0.1 + Math.log10(lrValue / 0.1) ** 2;
  return {
    study: 's',
    number,
    state: 'complete',
    internal: inB ? { model: 1, lr: lrValue, extra } : { model: 0, lr: lrValue },
    loss,
    startedAt: '',
    finishedAt: '',
  };
});

/** b's trials, the best ones, with lr near 0.001; a's with lr near 0.5. */
const lopsided: CompleteTrial[] = Array.from({ length: 20 }, (_, number) => {
  const inB = number % 2 === 1;
  const lrValue = inB ? 0.001 * (1 + (number % 7) / 7) : 0.5 * (1 + (number % 5) / 5);
  return {
    study: 's',
    number,
    state: 'complete' as const,
    internal: inB ? { model: 1, lr: lrValue, extra: 0.5 } : { model: 0, lr: lrValue },
    loss: inB ? 0.01 * number : 1 + 0.01 * number,
    startedAt: '',
    finishedAt: '',
  };
});

/** The context of the trial after `history`, at `seed`. */
const contextOf = (history: readonly CompleteTrial[], seed: number) => ({
  study: 's',
  direction: 'minimize' as const,
  seed,
  trialNumber: history.length,
  space,
  history,
  running: [],
  rng: createRng(`lone-${seed}`),
});

describe('a parameter name shared by two branches, under grouping: "groups" (the default)', () => {
  it("decides a branch's parameters together, the shared one with them, from that branch's trials only", async () => {
    for (const model of [0, 1]) {
      // The branch fixed (as an enqueued entry fixes it), TPE deciding its parameters.
      const { params, explanation } = await explainSuggestion({
        space,
        trials,
        rng: createRng(`shared-${model}`),
        fixed: { model },
      });
      const decided = explanation.params.find((param) => param.name === 'lr');
      if (decided === undefined) throw new Error('lr was decided');
      if (params.model === 1) {
        expect(decided.group).toEqual(['lr', 'extra']);
        expect(explanation.params.find((param) => param.name === 'extra')?.group).toEqual(['lr', 'extra']);
        // Built from b's trials (odd numbers) only.
        expect([...decided.below, ...decided.above].every((number) => number % 2 === 1)).toBe(true);
        expect(decided.below.length + decided.above.length).toBe(8);
        // And the explanation's groups name it, though no static group holds it (it listed none).
        expect(explanation.groups).toEqual([['lr', 'extra']]);
      } else {
        // Branch a holds lr alone: decided alone, from a's trials (even numbers) only, as `lr_a` would be
        // (a user's trial: adam's lr was drawn from sgd's best trials).
        expect(decided.group).toBeUndefined();
        expect(explanation.groups).toBeUndefined();
        expect(params.extra).toBeUndefined();
        expect([...decided.below, ...decided.above].every((number) => number % 2 === 0)).toBe(true);
        expect(decided.below.length + decided.above.length).toBe(8);
      }
    }
  });

  it("draws a branch's lone shared name from that branch's trials, not from a better branch's (a user's trial)", async () => {
    // b's trials, the best ones, all have lr near 0.001; a's near 0.5. Deciding a's lr from every trial drew
    // b's learning rates for a (the kernels of b's best trials: 0.0031-0.0037 at these seeds). From a's trials
    // alone, none of which is in the below set, l(x) is the prior and g(x) a's trials, as for `lr_a` of its own:
    // the draw is away from both (0.027-0.035).
    for (let seed = 0; seed < 8; seed++) {
      const context = contextOf(lopsided, seed);
      const params = await suggestParams(createTpeSuggester(), context, { model: 0 });
      expect(params.lr).toBeGreaterThan(0.01);
    }
  });

  it("decides a branch's group of names another branch holds too from that branch's trials (a{lr, m} beside b{lr, m, k})", async () => {
    const m = { type: 'uniform', low: 0, high: 1 } as const;
    const nested = compileSpace({
      model: {
        type: 'choice',
        options: [
          { value: 'a', space: { lr, m } },
          { value: 'b', space: { lr, m, k: { type: 'uniform', low: 0, high: 1 } } },
        ],
      },
    });
    const history: Trial[] = trials.map((trial) => ({
      ...trial,
      internal:
        trial.internal.model === 1
          ? { ...trial.internal, m: (trial.number % 4) / 4, k: (trial.number % 3) / 3 }
          : { ...trial.internal, m: (trial.number % 5) / 5 },
    }));
    for (const model of [0, 1]) {
      const { explanation } = await explainSuggestion({
        space: nested,
        trials: history,
        rng: createRng('am'),
        fixed: { model },
      });
      const decided = explanation.params.find((param) => param.name === 'lr');
      expect(decided?.group).toEqual(model === 0 ? ['lr', 'm'] : ['lr', 'm', 'k']);
      // a's from a's trials (even numbers), not from b's too, which have lr and m as well.
      const numbers = [...(decided?.below ?? []), ...(decided?.above ?? [])];
      expect(numbers.length).toBe(8);
      expect(numbers.every((number) => number % 2 === model)).toBe(true);
    }
    // And the draw: b's trials, the best ones, have lr near 0.001, a's near 0.5 (as in the lone-name case above).
    const drawn = lopsided.map((trial) => ({
      ...trial,
      internal: { ...trial.internal, m: 0.5, ...(trial.internal.model === 1 ? { k: 0.5 } : {}) },
    }));
    for (let seed = 0; seed < 8; seed++) {
      const context = { ...contextOf(drawn, seed), space: nested };
      const params = await suggestParams(createTpeSuggester(), context, { model: 0 });
      expect(params.lr).toBeGreaterThan(0.01);
    }
  });

  it("slices the branch's group in the joint explanation, as the report draws it (review 118: left out)", async () => {
    const joint = await explainJoint({ space, trials, rng: createRng('shared-1'), fixed: { model: 1 } });
    expect(joint?.names).toEqual(['lr', 'extra']);
    expect(joint?.slices.every((slice) => slice.group.join() === 'lr,extra')).toBe(true);
  });

  it('leaves out of the group a value an enqueued entry fixes later in the walk (review 115: TPE decided it)', async () => {
    const { params, explanation } = await explainSuggestion({
      space,
      trials,
      rng: createRng('fixed'),
      fixed: { model: 1, extra: 0.9 },
    });
    expect(params.extra).toBe(0.9);
    expect(explanation.params.map((param) => param.name)).toEqual(['lr']);
    expect(explanation.params[0]?.winner.value).toBe(params.lr);
    expect(explanation.groups).toBeUndefined();
  });

  it("lists a branch's group whose shared name an entry fixed among the explanation's groups (review 120: left out)", async () => {
    const wide = compileSpace({
      model: {
        type: 'choice',
        options: [
          { value: 'a', space: { lr } },
          {
            value: 'b',
            space: { lr, extra: { type: 'uniform', low: 0, high: 1 }, extra2: { type: 'uniform', low: 0, high: 1 } },
          },
        ],
      },
    });
    const history = trials.map((trial) =>
      trial.internal.model === 1
        ? { ...trial, internal: { ...trial.internal, extra2: (trial.number % 5) / 5 } }
        : trial,
    );
    const { explanation } = await explainSuggestion({
      space: wide,
      trials: history,
      rng: createRng('fixed-lr'),
      fixed: { model: 1, lr: 0.01 },
    });
    expect(explanation.params.map((param) => [param.name, param.group])).toEqual([
      ['extra', ['extra', 'extra2']],
      ['extra2', ['extra', 'extra2']],
    ]);
    expect(explanation.groups).toEqual([['extra', 'extra2']]);
  });

  it('decides a name shared by branches of two choices once (review 115: twice, the first value dropped)', async () => {
    // wd in model = a and in opt = sgd: a trial taking both decides it with lr, and mom without it.
    const wd = { type: 'loguniform', low: 1e-6, high: 1e-2 } as const;
    const two = compileSpace({
      model: { type: 'choice', options: [{ value: 'a', space: { lr, wd } }, 'b'] },
      opt: {
        type: 'choice',
        options: [{ value: 'sgd', space: { mom: { type: 'uniform', low: 0, high: 1 }, wd } }, 'adam'],
      },
    });
    const history: Trial[] = Array.from({ length: 12 }, (_, number) => {
      const internal: Record<string, number> = { model: number % 2, opt: Math.floor(number / 2) % 2 };
      if (internal.model === 0) internal.lr = 10 ** (-3 + (number % 4));
      if (internal.model === 0 || internal.opt === 0) internal.wd = 10 ** (-6 + (number % 5));
      if (internal.opt === 0) internal.mom = (number % 7) / 7;
      return { study: 's', number, state: 'complete', internal, loss: number % 5, startedAt: '', finishedAt: '' };
    });
    const { params, explanation } = await explainSuggestion({
      space: two,
      trials: history,
      rng: createRng('two'),
      fixed: { model: 0, opt: 0 },
    });
    expect(explanation.params.map((param) => [param.name, param.group])).toEqual([
      ['lr', ['lr', 'wd']],
      ['wd', ['lr', 'wd']],
      ['mom', undefined],
    ]);
    for (const param of explanation.params) expect(param.winner.value).toBe(params[param.name]);
  });
});
