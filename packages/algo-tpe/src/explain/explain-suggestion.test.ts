import { createMemoryStore, type EngineEvent, type Reporter, type Trial } from '@parzen/engine';
import { compileSpace, createFunctionObjective, createRng, runStudy } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { curveTrial } from '../history/fixtures.js';
import { vectors } from '../math/fixtures/vectors.js';
import { createTpeSuggester } from '../tpe-suggester.js';
import { explainSuggestion } from './explain-suggestion.js';
import { isTpeExplanation, type TpeExplanation } from './explanation.js';

const conditional = vectors.hyperopt_conditional_split;
const space = compileSpace({
  c: {
    type: 'choice',
    options: [
      { value: 'A', space: { a: { type: 'uniform', low: 0, high: 1 } } },
      { value: 'B', space: { b: { type: 'uniform', low: 0, high: 1 } } },
    ],
  },
});
const trials: Trial[] = conditional.points.map((params: Record<string, number>, number: number) => ({
  study: 's',
  number,
  state: 'complete',
  internal: params,
  loss: conditional.losses[number],
  startedAt: '',
  finishedAt: '',
}));

describe('explainSuggestion', async () => {
  const { params, explanation } = await explainSuggestion({
    space,
    trials,
    rng: createRng('explain'),
    options: { profile: 'hyperopt', startupTrials: 10 },
  });

  it('splits all 17 trials once (n_below = 2: trials 8 and 16) and decides c before its branch', () => {
    expect(explanation).toMatchObject({
      suggester: 'tpe',
      profile: 'hyperopt',
      phase: 'model',
      observed: 17,
      nBelow: 2,
    });
    expect(explanation.below).toEqual([8, 16]);
    expect(explanation.params.map((p) => p.name)).toEqual(['c', params.c === 0 ? 'a' : 'b']);
    expect(explanation.params[0]?.winner.value).toBe(params.c);
  });

  it("models a only from the trials where a was active (the vectors' a below/above)", () => {
    // c = 0 scores log(.75/.47) against log(.25/.53) for 1, so any candidate 0 wins (as in the vectors).
    expect(params.c).toBe(0);
    const a = explanation.params.find((p) => p.name === 'a');
    if (a === undefined) throw new Error('a was decided');
    expect(a.below.map((n) => conditional.points[n].a)).toEqual(conditional.a_below);
    expect(a.above.map((n) => conditional.points[n].a)).toEqual(conditional.a_above);
    expect(a.candidates.x).toHaveLength(24);
    expect(a.winner.score).toBe(Math.max(...a.candidates.score));
  });

  // Trial 166: running trials joined g(x) under the constant liar, and nothing in the explanation said which or how.
  it('names the running trials and the constant liar that says what they count as, with the split rule', async () => {
    const running: Trial = { study: 's', number: 17, state: 'running', internal: { c: 0, a: 0.5 }, startedAt: '' };
    const worst = await explainSuggestion({
      space,
      trials: [...trials, running],
      rng: createRng('explain'),
      options: { profile: 'optuna5', startupTrials: 10 },
    });
    expect(worst.explanation).toMatchObject({ running: [17], constantLiar: 'worst', observed: 17 });
    expect(worst.explanation.params[0]?.above).toContain(17);
    expect(explanation).toMatchObject({ gamma: 0.25, split: 'sqrt' });
    expect(explanation.running).toBeUndefined();
    expect(explanation.constantLiar).toBeUndefined();
  });

  it('reports the start-up phase while too few trials are observed', async () => {
    const early = await explainSuggestion({
      space,
      trials: trials.slice(0, 5),
      rng: createRng('early'),
      options: { profile: 'hyperopt' },
    });
    expect(early.explanation).toMatchObject({ phase: 'startup', observed: 5, startupTrials: 20, params: [] });
  });
});

describe('the explain option', () => {
  it('publishes one suggestion.explained event per trial when the run asks for explanations', async () => {
    const events: EngineEvent[] = [];
    const collector: Reporter = {
      name: 'collector',
      onEvent: (event) => events.push(event),
    };
    const spec = {
      name: 'x',
      direction: 'minimize' as const,
      seed: 3,
      space: { x: { type: 'uniform', low: -2, high: 2 } } as const,
    };
    await runStudy({
      spec,
      space: compileSpace(spec.space),
      store: createMemoryStore(),
      suggester: createTpeSuggester({ explain: true, startupTrials: 3 }),
      objective: createFunctionObjective((p) => ((p.x as number) - 0.4) ** 2),
      budget: { maxTrials: 8 },
      explain: true,
      reporters: [collector],
    });
    const explained = events.flatMap((e) => (e.type === 'suggestion.explained' ? [e] : []));
    expect(explained.map((e) => e.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Read without a cast through the guard (trial 38); anything else is not TPE's.
    const phases = explained.map((e) => (isTpeExplanation(e.explanation) ? e.explanation.phase : 'not tpe'));
    expect(phases).toEqual(['startup', 'startup', 'startup', 'model', 'model', 'model', 'model', 'model']);
    expect(
      [undefined, null, {}, { suggester: 'tpe' }, { suggester: 'anneal', params: [] }].map(isTpeExplanation),
    ).toEqual([false, false, false, false, false]);
    const last = explained[7]?.explanation as TpeExplanation;
    expect(last.params[0]?.grid.x).toHaveLength(101);
    expect(last.params[0]?.candidates.x).toHaveLength(24);
  });
});

describe('explaining a group decided jointly (the default grouping)', () => {
  it('gives every group member an entry: marginal l and g, the joint candidates and the same winner', async () => {
    const flat = compileSpace({ x: { type: 'uniform', low: -2, high: 2 }, y: { type: 'uniform', low: 0, high: 1 } });
    const rng = createRng('flat');
    const history: Trial[] = Array.from({ length: 12 }, (_, number) => {
      const params = { x: 4 * rng.next() - 2, y: rng.next() };
      return {
        study: 's',
        number,
        state: 'complete',
        internal: params,
        loss: params.x ** 2 + params.y,
        startedAt: '',
        finishedAt: '',
      };
    });
    const { params, explanation } = await explainSuggestion({ space: flat, trials: history, rng: createRng('pick') });
    expect(explanation.groups).toEqual([['x', 'y']]);
    expect(explanation.params.map((p) => [p.name, p.group])).toEqual([
      ['x', ['x', 'y']],
      ['y', ['x', 'y']],
    ]);
    const [x, y] = explanation.params;
    if (x === undefined || y === undefined || x.l.kind !== 'gaussian') throw new Error('two numeric entries');
    expect(x.winner.value).toBe(params.x);
    expect(y.winner.value).toBe(params.y);
    expect(x.candidates.score).toEqual(y.candidates.score);
    expect(x.winner.score).toBe(Math.max(...x.candidates.score));
    // The marginal l(x) has one kernel per below trial plus the prior, and integrates to about 1 on the grid.
    expect(x.l.trials.filter((t) => t !== null)).toHaveLength(explanation.nBelow);
    const step = (x.grid.x[1] as number) - (x.grid.x[0] as number);
    const mass = x.grid.logL.reduce((sum, v) => sum + Math.exp(v) * step, 0);
    expect(mass).toBeGreaterThan(0.95);
    expect(mass).toBeLessThan(1.05);
  });
});

describe('pruned trials in a suggestion', () => {
  // Three complete trials (offset at step 1: −3), and #3 pruned at step 1 while doing better than all.
  const study = [
    curveTrial(0, 'complete', [10, 8, 5], 0),
    curveTrial(1, 'complete', [12, 9, 6], 0.1),
    curveTrial(2, 'complete', [14, 10, 7], 0.2),
    curveTrial(3, 'pruned', [11, 7], 0.3),
  ];
  const below = async (pruned: 'rank' | 'impute') =>
    (
      await explainSuggestion({
        space: compileSpace({ x: { type: 'uniform', low: 0, high: 1 } }),
        trials: study,
        rng: createRng('pruned'),
        options: { startupTrials: 0, gamma: 0.25, pruned },
      })
    ).explanation.below;

  it('the best complete trial is the good one under Optuna’s ranking; the pruned one at its estimate', async () => {
    expect(await below('rank')).toEqual([0]);
    expect(await below('impute')).toEqual([3]);
  });
});

describe('explaining a decision made in a frame (the default on two continuous parameters)', async () => {
  // A valley x + y = 30 in a box far from 0: the turned kernels' own coordinates lie near 0, the
  // parameters' near 10–20, so an explanation that showed the former would be plain to see.
  const valley = compileSpace({ x: { type: 'uniform', low: 10, high: 20 }, y: { type: 'uniform', low: 10, high: 20 } });
  const rng = createRng('valley-trials');
  const history: Trial[] = Array.from({ length: 30 }, (_, number) => {
    const x = 10 + 10 * rng.next();
    const y = 10 + 10 * rng.next();
    return {
      study: 's',
      number,
      state: 'complete',
      internal: { x, y },
      loss: (x + y - 30) ** 2 + 0.01 * (x - y) ** 2,
      startedAt: '',
      finishedAt: '',
    };
  });
  const { explanation } = await explainSuggestion({ space: valley, trials: history, rng: createRng('explain') });

  it("shows each parameter's l as its marginal on its own axis, in the parameter's range", () => {
    expect(explanation.params.map((p) => p.group)).toEqual([
      ['x', 'y'],
      ['x', 'y'],
    ]);
    for (const param of explanation.params) {
      if (param.l.kind !== 'gaussian') throw new Error('gaussian');
      expect([param.l.low, param.l.high]).toEqual([10, 20]);
      for (const mu of param.l.mus) {
        expect(mu).toBeGreaterThanOrEqual(9);
        expect(mu).toBeLessThanOrEqual(21);
      }
      const winner = param.winner.value;
      expect(winner).toBeGreaterThanOrEqual(10);
      expect(winner).toBeLessThanOrEqual(20);
    }
  });
});
