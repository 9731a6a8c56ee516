import type { Trial } from '@parzen/engine';
import { compileSpace, createRng } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { explainSuggestion } from '../explain/explain-suggestion.js';
import type { ParamExplanation } from '../explain/explanation.js';
import type { TpeOptions } from '../options.js';

// A choice, an integer and a continuous parameter, always active together.
const space = compileSpace({
  model: { type: 'choice', options: ['a', 'b', 'c'] },
  k: { type: 'randint', low: 1, high: 6 },
  x: { type: 'uniform', low: 0, high: 1 },
});
const trials: Trial[] = Array.from({ length: 30 }, (_, number) => {
  const model = number % 3;
  const k = 1 + ((number * 7) % 5);
  const x = ((number * 0.37) % 1) as number;
  return {
    study: 's',
    number,
    state: 'complete',
    internal: { model, k, x },
    loss: model + Math.abs(k - 3) + (x - 0.3) ** 2,
    startedAt: '',
    finishedAt: '',
  };
});

const explain = async (options: TpeOptions) =>
  (await explainSuggestion({ space, trials, rng: createRng('discrete-weight'), options })).explanation;

/** Every candidate's score is log l − w · log g with the entry's own w. */
const expectScoredWith = (entry: ParamExplanation, w: number) => {
  expect(entry.aboveWeight).toBe(w);
  entry.candidates.score.forEach((score, i) => {
    const expected = (entry.candidates.logL[i] as number) - w * (entry.candidates.logG[i] as number);
    expect(score).toBeCloseTo(expected, 9);
  });
  expect(entry.winner.score).toBe(Math.max(...entry.candidates.score));
};
const entry = (params: readonly ParamExplanation[], name: string): ParamExplanation => {
  const found = params.find((p) => p.name === name);
  if (found === undefined) throw new Error(`${name} was not decided`);
  return found;
};

describe('discreteAboveWeight: the score weight of decisions over choices and integers only', () => {
  it('defaults to 1 in the parzen profile, while continuous decisions keep aboveWeight (0.65)', async () => {
    // The profile models a randint as ordered integers (option `randint`): it is scored as numbers are.
    const explanation = await explain({ grouping: 'independent' });
    expect(explanation.aboveWeight).toBe(0.65);
    expectScoredWith(entry(explanation.params, 'model'), 1);
    expectScoredWith(entry(explanation.params, 'k'), 0.65);
    expectScoredWith(entry(explanation.params, 'x'), 0.65);
    const unordered = await explain({ grouping: 'independent', randint: 'unordered' });
    expectScoredWith(entry(unordered.params, 'k'), 1);
  });

  it('is an option of its own, and a joint decision with a continuous parameter uses aboveWeight', async () => {
    const independent = await explain({ grouping: 'independent', discreteAboveWeight: 0.3 });
    expectScoredWith(entry(independent.params, 'model'), 0.3);
    expectScoredWith(entry(independent.params, 'x'), 0.65);
    const joint = await explain({ grouping: 'joint' });
    for (const name of ['model', 'k', 'x']) expectScoredWith(entry(joint.params, name), 0.65);
  });

  it('leaves the library profiles at the ratio l/g everywhere', async () => {
    for (const profile of ['hyperopt', 'optuna5'] as const) {
      const explanation = await explain({ profile, startupTrials: 10 });
      for (const p of explanation.params) expectScoredWith(p, 1);
    }
  });
});
