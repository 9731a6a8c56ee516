import { type FinishedTrial, fmin, type ParamAssignment, type Trial } from '@parzen/engine';
import { compileSpace, createRng, suggestParams } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import type { TpeExplanation } from '../explain/explanation.js';
import { assignmentKey, TrialHistory } from '../history/trial-history.js';
import { argmaxWhere } from '../math/score.js';
import { createTpeSuggester } from '../tpe-suggester.js';

/** 3 × 5 × 3 = 45 settings, smooth in each parameter. */
const discrete = {
  a: { type: 'choice', options: ['x', 'y', 'z'] },
  b: { type: 'randint', low: 0, high: 4 },
  c: { type: 'choice', options: [1, 2, 3] },
} as const;
const loss = (p: Readonly<Record<string, unknown>>) =>
  ['x', 'y', 'z'].indexOf(p.a as string) + Math.abs((p.b as number) - 1) + 0.5 * Math.abs((p.c as number) - 2);

/** The number of the first trial whose internal values equal an earlier trial's, among those from `from`. */
const firstRepeat = (trials: readonly Trial[], from: number): number | undefined => {
  const seen = new Set<string>();
  for (const trial of [...trials].sort((p, q) => p.number - q.number)) {
    const key = assignmentKey(trial.internal);
    if (seen.has(key) && trial.number >= from) return trial.number;
    seen.add(key);
  }
  return undefined;
};

describe('avoidRepeats', () => {
  it('picks the best candidate that passes the test, or −1 when none does', () => {
    expect(argmaxWhere([3, 5, 4, 5], (i) => i !== 1)).toBe(3);
    expect(argmaxWhere([3, 5, 4], (i) => i === 0)).toBe(0);
    expect(argmaxWhere([3, 5], () => false)).toBe(-1);
  });

  it('keys an assignment by its names and values, whatever their order', () => {
    expect(assignmentKey({ a: 1, b: 2 })).toBe(assignmentKey({ b: 2, a: 1 }));
    expect(assignmentKey({ a: 1, b: 2 })).not.toBe(assignmentKey({ a: 1, b: 3 }));
    expect(assignmentKey({ a: 1 })).not.toBe(assignmentKey({ a: 1, b: 2 }));
  });

  it('knows the finished and running trials it holds, and forgets another study', () => {
    const history = new TrialHistory();
    const done = (number: number, internal: ParamAssignment): Trial => ({
      study: 's',
      number,
      state: 'complete',
      internal,
      loss: number,
      startedAt: '',
      finishedAt: '',
    });
    const running: Trial = { study: 's', number: 2, state: 'running', internal: { a: 5 }, startedAt: '' };
    history.sync('s', 'minimize', [done(0, { a: 1 }), done(1, { a: 2, b: 0 })], [running]);
    expect(history.tried(assignmentKey({ a: 1 }))).toBe(true);
    expect(history.tried(assignmentKey({ b: 0, a: 2 }))).toBe(true);
    expect(history.tried(assignmentKey({ a: 5 }))).toBe(true);
    expect(history.tried(assignmentKey({ a: 2 }))).toBe(false);
    history.sync('s', 'minimize', [done(0, { a: 1 }), done(1, { a: 2, b: 0 })], []);
    expect(history.tried(assignmentKey({ a: 5 }))).toBe(false);
    history.sync('t', 'minimize', [done(0, { a: 3 })], []);
    expect(history.tried(assignmentKey({ a: 1 }))).toBe(false);
    expect(history.tried(assignmentKey({ a: 3 }))).toBe(true);
  });

  it('never repeats a trial after the start-up phase in a discrete space; without it TPE repeats soon', async () => {
    for (let seed = 0; seed < 8; seed++) {
      const run = async (avoidRepeats: boolean) =>
        (
          await fmin({
            objective: loss,
            space: discrete,
            suggester: createTpeSuggester({ avoidRepeats }),
            maxTrials: 30,
            seed,
            name: 'd',
          })
        ).trials;
      // Trials 0–4 are the start-up phase: random draws, which may repeat by chance.
      expect(firstRepeat(await run(true), 5)).toBeUndefined();
      expect(firstRepeat(await run(false), 5)).toBeLessThan(12);
    }
  });

  it('does not repeat a running trial either: 4 workers, 30 trials', async () => {
    for (let seed = 0; seed < 4; seed++) {
      const { trials } = await fmin({
        objective: async (params) => {
          await new Promise((resolve) => setTimeout(resolve, 1 + (seed % 3)));
          return loss(params);
        },
        space: discrete,
        suggester: createTpeSuggester({}),
        maxTrials: 30,
        concurrency: 4,
        seed,
        name: 'd',
      });
      expect(firstRepeat(trials, 8)).toBeUndefined();
    }
  });

  it('changes nothing where nothing can repeat: continuous parameters give the same trials either way', async () => {
    const space = { x: { type: 'uniform', low: -2, high: 2 }, y: { type: 'loguniform', low: 1e-3, high: 1 } } as const;
    const run = async (avoidRepeats: boolean) =>
      (
        await fmin({
          objective: (p) => (p.x as number) ** 2 + Math.log(p.y as number) ** 2,
          space,
          suggester: createTpeSuggester({ avoidRepeats }),
          maxTrials: 40,
          seed: 3,
          name: 'c',
        })
      ).trials.map((trial) => trial.internal);
    expect(await run(true)).toEqual(await run(false));
  });

  it('says in the explanation how many better-scoring candidates it passed over', async () => {
    // Every setting but one is tried; the next trial must be the one left, whatever scores best.
    const space = compileSpace({ a: { type: 'choice', options: [0, 1, 2] }, b: { type: 'choice', options: [0, 1] } });
    const history: FinishedTrial[] = [];
    for (const [a, b] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [2, 0],
      [0, 0],
      [1, 0],
    ] as const) {
      history.push({
        study: 's',
        number: history.length,
        state: 'complete',
        internal: { a, b },
        loss: a + b,
        startedAt: '',
        finishedAt: '',
      });
    }
    const explanations: TpeExplanation[] = [];
    const params = await suggestParams(createTpeSuggester({ startupTrials: 5 }), {
      study: 's',
      direction: 'minimize',
      seed: 0,
      trialNumber: history.length,
      space,
      history,
      running: [],
      rng: createRng('repeats'),
      explain: (explanation) => {
        explanations.push(explanation as TpeExplanation);
      },
    });
    expect(params).toEqual({ a: 2, b: 1 });
    const [explained] = explanations;
    expect(explained?.params.length).toBe(2);
    expect(explained?.params.every((param) => (param.skippedRepeats ?? 0) > 0)).toBe(true);
  });
});
