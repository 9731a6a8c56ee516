import { type FinishedTrial, fmin, type TrialView, uniform } from '@parzen/engine';
import { compileSpace, createRng } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { buildDensity } from '../estimator/density.js';
import { explainJoint } from '../explain/explain-joint.js';
import { explainSuggestion } from '../explain/explain-suggestion.js';
import { TrialHistory } from '../history/trial-history.js';
import { resolveTpeSettings, type TpeOptions } from '../options.js';
import { encodingOf, familyOf } from '../suggest/models.js';
import { createTpeSuggester } from '../tpe-suggester.js';
import { FAILURE_WINDOW, type FailureModel, failureModel, logFinishing } from './failures.js';

const settings = resolveTpeSettings();
const distribution = { kind: 'uniform', low: -5, high: 5 } as const;
const encoding = encodingOf(familyOf(settings), distribution, settings);
const density = (values: number[]) =>
  buildDensity(familyOf(settings), [encoding], [{ values: Float64Array.from(values) }], settings);
const model = (finished: number[], failed: number[]): FailureModel => ({
  finished: density(finished),
  failed: density(failed),
  finishedCount: finished.length,
  failedCount: failed.length,
});
const grid = Float64Array.from({ length: 21 }, (_, i) => -5 + i / 2);

describe('the chance that a trial finishes (failed: "avoid")', () => {
  it('is low where the failures gather and near 1 where only finished trials are', () => {
    const finished = [-4, -3, -2, -1, 0, 0.5, 1, 1.5];
    const failed = [2.5, 3, 3.5, 4, 4.5];
    const p = Array.from(logFinishing(model(finished, failed), [grid]), Math.exp);
    const at = (x: number) => p[grid.indexOf(x)] as number;
    expect(at(4)).toBeLessThan(0.2);
    expect(at(-2)).toBeGreaterThan(0.8);
    // It falls from the finished side to the failed side.
    expect(at(-2)).toBeGreaterThan(at(1));
    expect(at(1)).toBeGreaterThan(at(3));
  });

  it('is the same everywhere when failures fall where the finished trials do (a flaky machine): no region is blamed', () => {
    const values = [-4, -2, -1, 0, 0.5, 1, 3];
    const p = Array.from(logFinishing(model(values, values), [grid]), Math.exp);
    for (const value of p) expect(value).toBeCloseTo(0.5, 10);
    // Weighted by the counts (each with its prior's one): 3 failures for 9 finished trials at the same places.
    const finished = [...values, -3, 2];
    const failedOnes = [-4, 0, 3];
    const weighted = model(finished, failedOnes);
    const alike: FailureModel = { ...weighted, failed: weighted.finished };
    for (const value of Array.from(logFinishing(alike, [grid]), Math.exp)) expect(value).toBeCloseTo(10 / 14, 10);
  });
});

/** x in [-5, 5], (x − 1.5)², throws for x > 2: the optimum lies at the edge of a region that always fails. */
const edge = async (options: TpeOptions, seed: number) =>
  fmin({
    space: { x: uniform(-5, 5) },
    objective: ({ x }) => {
      if (x > 2) throw new Error('diverged');
      return (x - 1.5) ** 2;
    },
    suggester: createTpeSuggester(options),
    maxTrials: 60,
    // `ignore` keeps sampling where trials fail: long runs of failures, which must not stop the study here.
    budget: { maxConsecutiveFailures: 60 },
    seed,
  });
const failedCount = (trials: readonly TrialView[]) => trials.filter((trial) => trial.state === 'failed').length;

describe('TPE where the objective fails on part of the space (trial 30: the default kept sampling there)', () => {
  it('moves away from a region where every trial failed, and still finds the optimum at its edge', async () => {
    for (const seed of [1, 2, 3]) {
      const avoided = await edge({}, seed);
      const ignored = await edge({ failed: 'ignore' }, seed);
      expect(failedCount(avoided.trials)).toBeLessThanOrEqual(15);
      expect(failedCount(ignored.trials)).toBeGreaterThanOrEqual(40);
      expect(avoided.best?.loss).toBeLessThan(1e-3);
    }
  });

  it('leaves start-up after 5 trials however many failed (trial 32: with 9 in 10 failing it drew ~50 at random)', async () => {
    const mostlyFailing = (failed: 'avoid' | 'ignore', seed: number) =>
      fmin({
        space: { x: uniform(0, 1) },
        objective: ({ x }) => {
          if (x > 0.1) throw new Error('out of memory');
          return (x - 0.05) ** 2;
        },
        suggester: createTpeSuggester({ failed }),
        maxTrials: 40,
        // 9 in 10 fail at random: a space like this needs maxConsecutiveFailures raised (default 10).
        budget: { maxConsecutiveFailures: 40 },
        seed,
      });
    for (const seed of [1, 2, 3]) {
      const avoided = failedCount((await mostlyFailing('avoid', seed)).trials);
      const ignored = failedCount((await mostlyFailing('ignore', seed)).trials);
      expect(avoided).toBeLessThan(25);
      expect(ignored).toBeGreaterThan(30);
    }
  });

  it('draws the same trials as `ignore` in a study where no trial failed', async () => {
    const run = (failed: 'avoid' | 'ignore') =>
      fmin({
        space: { x: uniform(-5, 5), y: uniform(0, 1) },
        objective: ({ x, y }) => (x - 1) ** 2 + y,
        suggester: createTpeSuggester({ failed }),
        maxTrials: 30,
        seed: 4,
      });
    const [avoided, ignored] = [await run('avoid'), await run('ignore')];
    expect(avoided.trials.map((trial) => trial.params)).toEqual(ignored.trials.map((trial) => trial.params));
  });
});

describe('explanations where trials failed', () => {
  const space = compileSpace({ x: uniform(-5, 5), y: uniform(-5, 5) });
  const trials: FinishedTrial[] = Array.from({ length: 16 }, (_, number) => {
    const x = -4.5 + (number * 9) / 15;
    const y = ((number * 7) % 16) / 2 - 4;
    const times = { study: 's', number, startedAt: '', finishedAt: '' };
    return x > 2
      ? { ...times, state: 'failed', internal: { x, y }, error: { code: 'OBJECTIVE_THREW', message: 'diverged' } }
      : { ...times, state: 'complete', internal: { x, y }, loss: (x - 1.5) ** 2 + y ** 2 };
  });

  it('carry log P(finishes) on the grid and at the candidates, and the scores include it', async () => {
    for (const grouping of ['independent', 'joint'] as const) {
      const { explanation } = await explainSuggestion({ space, trials, rng: createRng('3'), options: { grouping } });
      for (const param of explanation.params) {
        const { candidates, grid } = param;
        expect(grid.logFinishing).toHaveLength(grid.x.length);
        expect(candidates.logFinishing).toHaveLength(candidates.x.length);
        candidates.score.forEach((score, i) => {
          const expected =
            (candidates.logL[i] as number) -
            param.aboveWeight * (candidates.logG[i] as number) +
            (candidates.logFinishing?.[i] as number);
          expect(score).toBeCloseTo(expected, 9);
        });
      }
      const x = explanation.params.find((param) => param.name === 'x');
      const at = (value: number) => x?.grid.logFinishing?.[x.grid.x.findIndex((v) => v >= value)] as number;
      expect(at(4)).toBeLessThan(at(-2));
    }
    const joint = await explainJoint({ space, trials, rng: createRng('3'), options: { grouping: 'joint' } });
    for (const slice of joint?.slices ?? []) expect(slice.grid.logFinishing).toHaveLength(slice.grid.x.length);
    expect(joint?.slices).toHaveLength(2);
  });

  it('have no log P(finishes) under `ignore`', async () => {
    const { explanation } = await explainSuggestion({
      space,
      trials,
      rng: createRng('3'),
      options: { failed: 'ignore' },
    });
    for (const param of explanation.params) expect(param.grid).not.toHaveProperty('logFinishing');
  });
});

describe('the failure model of a long study', () => {
  const param = { name: 'x', distribution };
  const historyOf = (trials: FinishedTrial[]) => {
    const history = new TrialHistory();
    history.sync('s', 'minimize', trials, [], 'rank');
    return history;
  };
  const trial = (number: number, code?: string): FinishedTrial => {
    const times = { study: 's', number, internal: { x: (number % 97) / 10 - 4.8 }, startedAt: '', finishedAt: '' };
    return code === undefined
      ? { ...times, state: 'complete', loss: number }
      : { ...times, state: 'failed', error: { code, message: '' } };
  };

  it(`holds the latest ${FAILURE_WINDOW} finished or failed trials in one window (the failure rate as it is now)`, () => {
    // Every third trial failed: 3 mod 6 at its params, 0 mod 6 because its worker died (not counted).
    const trials = Array.from({ length: 900 }, (_, number) =>
      trial(number, number % 3 !== 0 ? undefined : number % 6 === 0 ? 'STALE_TRIAL' : 'OBJECTIVE_THREW'),
    );
    const built = failureModel(historyOf(trials), [param], [encoding], settings);
    // 5 counted of every 6 trials (4 finished, 1 failed): the latest 240 trials fill the window.
    expect(built?.finishedCount).toBe(160);
    expect(built?.failedCount).toBe(40);
  });

  it('forgets failures older than the window, and counts none that say nothing of the params', () => {
    const old = Array.from({ length: 600 }, (_, number) => trial(number, number < 100 ? 'OBJECTIVE_THREW' : undefined));
    expect(failureModel(historyOf(old), [param], [encoding], settings)).toBeUndefined();
    const recent = [...old.slice(0, 590), ...old.slice(590).map((t) => trial(t.number, 'OBJECTIVE_THREW'))];
    expect(failureModel(historyOf(recent), [param], [encoding], settings)?.failedCount).toBe(10);
    for (const code of [
      'STALE_TRIAL',
      'INTERRUPTED',
      'SUGGESTER_FAILED',
      'OBJECTIVE_LOAD_FAILED',
      'COMMAND_NOT_STARTED',
    ]) {
      const notParams = [...old.slice(0, 590), ...old.slice(590).map((t) => trial(t.number, code))];
      expect(failureModel(historyOf(notParams), [param], [encoding], settings)).toBeUndefined();
    }
    expect(
      failureModel(historyOf(recent), [param], [encoding], resolveTpeSettings({ failed: 'ignore' })),
    ).toBeUndefined();
  });

  it("counts in a branch's decision only the trials of that branch (a name shared with another branch)", () => {
    // x in branch a (model 0) and b (model 1): b's trials failed at their x, a's all finished.
    const trials = Array.from({ length: 40 }, (_, number): FinishedTrial => {
      const base = trial(number, number % 2 === 1 ? 'OBJECTIVE_THREW' : undefined);
      return { ...base, internal: { ...base.internal, model: number % 2 } };
    });
    const history = historyOf(trials);
    expect(failureModel(history, [param], [encoding], settings)?.failedCount).toBe(20);
    // Branch a's own trials: none failed, so no failure model; branch b's: its 20 failures, none finished.
    expect(failureModel(history, [param], [encoding], settings, { parent: 'model', index: 0 })).toBeUndefined();
    const b = failureModel(history, [param], [encoding], settings, { parent: 'model', index: 1 });
    expect([b?.failedCount, b?.finishedCount]).toEqual([20, 0]);
  });
});
