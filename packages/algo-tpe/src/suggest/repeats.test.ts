import { type FinishedTrial, fmin, type ParamAssignment, type Trial } from '@parzen/engine';
import { type CompiledSpace, compileSpace, createRng, suggestParams } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import type { TpeExplanation } from '../explain/explanation.js';
import { completionCount, finishesWalk } from '../history/completions.js';
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

/** Complete trials with the given (a, b) settings, loss a + b. */
const settings = (pairs: readonly (readonly [number, number])[]): FinishedTrial[] =>
  pairs.map(([a, b], number) => ({
    study: 's',
    number,
    state: 'complete',
    internal: { a, b },
    loss: a + b,
    startedAt: '',
    finishedAt: '',
  }));

/** The context of the trial after `history`, with a seeded RNG. */
const contextFor = (
  space: CompiledSpace,
  history: readonly FinishedTrial[],
  seed: number,
  trialNumber = history.length,
) => ({
  study: 's',
  direction: 'minimize' as const,
  seed,
  trialNumber,
  space,
  history,
  running: [],
  rng: createRng(`repeats:${seed}`),
});

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

  it('counts the settings that complete a partial assignment, and knows when the walk is finished', () => {
    const space = compileSpace({
      model: {
        type: 'choice',
        options: [
          {
            value: 'knn',
            space: { k: { type: 'randint', low: 1, high: 5 }, w: { type: 'choice', options: ['u', 'd'] } },
          },
          { value: 'tree', space: { depth: { type: 'quniform', low: 1, high: 3, q: 1 } } },
        ],
      },
    });
    // knn: 4 × 2; tree: 3 grid points (counted with a margin of 2 for rounding at the bounds).
    expect(completionCount(space, {})).toBe(8 + 5);
    expect(completionCount(space, { model: 0 })).toBe(8);
    expect(completionCount(space, { model: 0, k: 2 })).toBe(2);
    expect(completionCount(space, { model: 0, k: 2, w: 1 })).toBe(1);
    expect(finishesWalk(space, { model: 0, k: 2, w: 1 })).toBe(true);
    expect(finishesWalk(space, { model: 0, k: 2 })).toBe(false);
    expect(finishesWalk(space, { model: 1, depth: 2 })).toBe(true);
    const mixed = compileSpace({ a: { type: 'choice', options: [0, 1] }, x: { type: 'uniform', low: 0, high: 1 } });
    expect(completionCount(mixed, { a: 1 })).toBe(Number.POSITIVE_INFINITY);
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

  it('does not repeat a running trial either', async () => {
    // Every setting but two is finished; a third trial runs with one of the two left.
    const space = compileSpace({ a: { type: 'choice', options: [0, 1, 2] }, b: { type: 'choice', options: [0, 1] } });
    const history = settings([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    for (const [left, running] of [
      [
        { a: 2, b: 0 },
        { a: 2, b: 1 },
      ],
      [
        { a: 2, b: 1 },
        { a: 2, b: 0 },
      ],
    ] as const) {
      for (let seed = 0; seed < 5; seed++) {
        // No constant liar: only the repeat check keeps TPE off the running trial's setting.
        const params = await suggestParams(createTpeSuggester({ startupTrials: 3, constantLiar: false }), {
          ...contextFor(space, history, seed),
          running: [{ study: 's', number: history.length, state: 'running', internal: running, startedAt: '' }],
          trialNumber: history.length + 1,
        });
        expect(params).toEqual(left);
      }
    }
  });

  it('does not repeat a failed trial either, with values no complete trial has', async () => {
    // Every setting but two is complete; the third of a = 2's settings failed, so one setting is left.
    const space = compileSpace({ a: { type: 'choice', options: [0, 1, 2] }, b: { type: 'choice', options: [0, 1] } });
    for (const [left, failed] of [
      [
        { a: 2, b: 0 },
        { a: 2, b: 1 },
      ],
      [
        { a: 2, b: 1 },
        { a: 2, b: 0 },
      ],
    ] as const) {
      const history: FinishedTrial[] = [
        ...settings([
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ]),
        {
          study: 's',
          number: 4,
          state: 'failed',
          internal: failed,
          error: { code: 'OBJECTIVE_THREW', message: 'out of memory' },
          startedAt: '',
          finishedAt: '',
        },
      ];
      for (let seed = 0; seed < 5; seed++) {
        const params = await suggestParams(
          createTpeSuggester({ startupTrials: 3, failed: 'ignore' }),
          contextFor(space, history, seed),
        );
        expect(params).toEqual(left);
      }
    }
  });

  it('avoids repeats one parameter at a time too, in a conditional space (grouping "independent")', async () => {
    const space = {
      model: {
        type: 'choice',
        options: [
          {
            value: 'knn',
            space: { k: { type: 'randint', low: 1, high: 21 }, w: { type: 'choice', options: ['u', 'd'] } },
          },
          { value: 'tree', space: { depth: { type: 'randint', low: 1, high: 11 } } },
        ],
      },
    } as const;
    const conditionalLoss = (p: Readonly<Record<string, unknown>>) =>
      p.model === 'knn'
        ? Math.abs((p.k as number) - 7) / 10 + (p.w === 'd' ? 0 : 0.05)
        : 0.3 + (p.depth as number) / 50;
    for (let seed = 0; seed < 6; seed++) {
      const run = async (avoidRepeats: boolean) =>
        (
          await fmin({
            objective: conditionalLoss,
            space,
            suggester: createTpeSuggester({ avoidRepeats, grouping: 'independent' }),
            maxTrials: 30,
            seed,
            name: 'c',
          })
        ).trials;
      expect(firstRepeat(await run(true), 5)).toBeUndefined();
      expect(firstRepeat(await run(false), 5)).toBeDefined();
    }
  });

  it('is not misled by a trial with only some of its values (a failed enqueued entry, a trial being sampled)', async () => {
    // {model: knn} alone is not a setting of this space (knn needs k); it must not rule knn out.
    const space = compileSpace({
      model: {
        type: 'choice',
        options: [
          { value: 'knn', space: { k: { type: 'randint', low: 1, high: 30 } } },
          { value: 'svm', space: { C: { type: 'uniform', low: 0, high: 1 } } },
        ],
      },
    });
    const history: FinishedTrial[] = Array.from({ length: 12 }, (_, number) => ({
      study: 's',
      number,
      state: 'complete',
      internal: number % 2 === 0 ? { model: 0, k: number + 1 } : { model: 1, C: number / 12 },
      loss: number % 2 === 0 ? 0.1 : 0.9,
      startedAt: '',
      finishedAt: '',
    }));
    const partial: FinishedTrial = {
      study: 's',
      number: 12,
      state: 'failed',
      internal: { model: 0 },
      error: { code: 'SUGGESTER_FAILED', message: 'the sampler threw' },
      startedAt: '',
      finishedAt: '',
    };
    for (let seed = 0; seed < 10; seed++) {
      const without = await suggestParams(createTpeSuggester({}), contextFor(space, history, seed, 13));
      const withPartial = await suggestParams(
        createTpeSuggester({}),
        contextFor(space, [...history, partial], seed, 13),
      );
      expect(withPartial).toEqual(without);
    }
  });

  it('counts a quantized setting once, however an imported trial wrote it', async () => {
    // Every (a, v) is tried but (0, 0.5); imported rows wrote 0.3 and 0.6, not the grid's 3 × 0.1 and 6 × 0.1.
    const space = compileSpace({
      a: { type: 'choice', options: [0, 1] },
      v: { type: 'quniform', low: 0, high: 0.7, q: 0.1 },
    });
    const tried: ParamAssignment[] = [];
    for (const a of [0, 1]) for (let k = 0; k <= 7; k++) if (a === 1 || k !== 5) tried.push({ a, v: k * 0.1 });
    tried.push({ a: 0, v: 0.3 }, { a: 0, v: 0.6 });
    const history: FinishedTrial[] = tried.map((internal, number) => ({
      study: 's',
      number,
      state: 'complete',
      internal,
      loss: (internal.a as number) + Math.abs((internal.v as number) - 0.5),
      startedAt: '',
      finishedAt: '',
    }));
    for (let seed = 0; seed < 6; seed++) {
      const params = await suggestParams(
        createTpeSuggester({ grouping: 'independent' }),
        contextFor(space, history, seed),
      );
      expect(params).toEqual({ a: 0, v: 0.5 });
    }
  });

  it('keeps a repeat, and says so, when every candidate repeats a tried trial', async () => {
    const space = compileSpace({ a: { type: 'choice', options: [0, 1] }, b: { type: 'choice', options: [0, 1] } });
    const explanations: TpeExplanation[] = [];
    const history = settings([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    const params = await suggestParams(createTpeSuggester({ startupTrials: 3 }), {
      ...contextFor(space, history, 0),
      explain: (explanation) => {
        explanations.push(explanation as TpeExplanation);
      },
    });
    expect(history.some((trial) => assignmentKey(trial.internal) === assignmentKey(params))).toBe(true);
    expect(explanations[0]?.params.map((param) => [param.repeated, param.skippedRepeats])).toEqual([
      [true, undefined],
      [true, undefined],
    ]);
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
