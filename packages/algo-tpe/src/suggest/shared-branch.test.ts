import type { Trial } from '@parzen/engine';
import { compileSpace, createRng } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { explainSuggestion } from '../explain/explain-suggestion.js';

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
      } else {
        // Branch a holds lr alone: decided alone, as before.
        expect(decided.group).toBeUndefined();
        expect(params.extra).toBeUndefined();
      }
    }
  });
});
