import { describe, expect, it } from 'vitest';
import { createFunctionObjective } from '../builtins/function-objective.js';
import { createMemoryStore } from '../builtins/memory-store.js';
import {
  createNoImprovementStopper,
  noImprovement,
  stopperOfRule,
  stopWhenOf,
} from '../builtins/no-improvement-stopper.js';
import type { StopContext, Stopper } from '../contracts/stopper.js';
import type { TrialStore } from '../contracts/store.js';
import type { Suggester } from '../contracts/suggester.js';
import { compileSpace } from '../domain/compile-space.js';
import { sampleDistribution } from '../domain/sample-distribution.js';
import type { Direction, Trial } from '../domain/trial.js';
import { fmin } from '../fmin.js';
import { runStudy } from './run-study.js';

const at = '2026-01-01T00:00:00.000Z';
const trials = (losses: readonly (number | 'failed' | 'running')[]): Trial[] =>
  losses.map((loss, number) =>
    loss === 'failed'
      ? {
          study: 's',
          number,
          state: 'failed',
          internal: {},
          startedAt: at,
          finishedAt: at,
          error: { code: 'X', message: 'x' },
        }
      : loss === 'running'
        ? { study: 's', number, state: 'running', internal: {}, startedAt: at }
        : { study: 's', number, state: 'complete', internal: {}, startedAt: at, finishedAt: at, loss },
  );
const context = (list: Trial[], direction: Direction = 'minimize'): StopContext => ({
  study: 's',
  direction,
  trial: list.at(-1) as StopContext['trial'],
  trials: list,
  best: undefined,
});

describe('the no-improvement stopper', () => {
  const stopper = createNoImprovementStopper({ trials: 3, minDelta: 0.1 });

  it('stops after `trials` finished trials without an improvement of minDelta (relative), naming the rule', () => {
    expect(stopper.shouldStop(context(trials([10, 9.5, 9.2, 9.1])))).toBe('no improvement of 10% in 3 trials');
    // 8 improves on 10 by 20%: the count restarts there.
    expect(stopper.shouldStop(context(trials([10, 9.5, 8, 7.5, 7.4])))).toBeUndefined();
    // Failed trials count as trials without improvement; running ones do not count.
    expect(stopper.shouldStop(context(trials([10, 'failed', 'running', 'failed', 'failed'])))).toBeDefined();
    expect(stopper.shouldStop(context(trials([10, 'failed', 'running', 'running'])))).toBeUndefined();
    // Nothing completed yet: the failed trials count, from the run's start (trial 165: it never stopped), as the
    // budget's patience counts them.
    expect(stopper.shouldStop(context(trials(['failed', 'failed', 'failed', 'failed'])))).toBe(
      'no trial completed in 3 trials',
    );
    const fromRun = (list: Trial[], runFrom: number) => ({ ...context(list), runFrom });
    expect(stopper.shouldStop(fromRun(trials(['failed', 'failed', 'failed', 'failed']), 2))).toBeUndefined();
    expect(stopper.shouldStop(fromRun(trials(['failed', 'failed', 'failed', 'failed', 'failed']), 2))).toBeDefined();
    // A complete trial before the run sets the best: every trial after it counts.
    expect(stopper.shouldStop(fromRun(trials([10, 'failed', 'failed', 'failed']), 3))).toBeDefined();
  });

  it('takes minDelta as an amount of loss when not relative, and follows the direction', () => {
    const absolute = createNoImprovementStopper({ trials: 2, minDelta: 1, relative: false });
    expect(absolute.shouldStop(context(trials([10, 9.5, 9.1])))).toBe('no improvement of 1 in 2 trials');
    expect(absolute.shouldStop(context(trials([10, 8.9, 8.5])))).toBeUndefined();
    // An improvement of exactly minDelta counts, relative or not (review 131: it did not, as documented).
    expect(absolute.shouldStop(context(trials([10, 9, 9.5])))).toBeUndefined();
    expect(createNoImprovementStopper({ trials: 2 }).shouldStop(context(trials([100, 99, 99.5])))).toBeUndefined();
    expect(createNoImprovementStopper({ trials: 2 }).shouldStop(context(trials([100, 99.01, 99.5])))).toBeDefined();
    // Whatever the rounding: 0.3 - 0.2 is 0.0999...98 in binary, and 0.27 is 0.1 below 0.3 relative.
    const tenth = createNoImprovementStopper({ trials: 2, minDelta: 0.1, relative: false });
    expect(tenth.shouldStop(context(trials([0.3, 0.2, 0.25])))).toBeUndefined();
    expect(tenth.shouldStop(context(trials([0.3, 0.2000001, 0.25])))).toBeDefined();
    // Across 0, the rounding of the larger loss (review 133: the best's alone refused -0.007 to -0.077 by 0.07).
    const across = createNoImprovementStopper({ trials: 2, minDelta: 0.07, relative: false });
    expect(across.shouldStop(context(trials([-0.007, -0.077, -0.07])))).toBeUndefined();
    expect(across.shouldStop(context(trials([0.007, 0.077, 0.07]), 'maximize'))).toBeUndefined();
    // A tolerance of the rounding only: a drop of one unit in the last place of 1e6 is no improvement of 1e-9.
    const fine = createNoImprovementStopper({ trials: 2, minDelta: 1e-9, relative: false });
    expect(fine.shouldStop(context(trials([1e6, 1e6 - 1.1641532182693481e-10, 1e6])))).toBeDefined();
    const relativeTenth = createNoImprovementStopper({ trials: 2, minDelta: 0.1 });
    expect(relativeTenth.shouldStop(context(trials([0.3, 0.27, 0.28])))).toBeUndefined();
    // A loss equal to the best is no improvement, however small minDelta is against it (review 132: a plateau of
    // 2.5e11 with minDelta 1e-6 never stopped, the best minus minDelta rounding back to the best).
    const tiny = createNoImprovementStopper({ trials: 2, minDelta: 1e-6, relative: false });
    expect(tiny.shouldStop(context(trials([2.5e11, 2.5e11, 2.5e11])))).toBeDefined();
    expect(
      createNoImprovementStopper({ trials: 2, minDelta: 1e-17 }).shouldStop(context(trials([1, 1, 1]))),
    ).toBeDefined();
    const maximize = createNoImprovementStopper({ trials: 2, minDelta: 0 });
    expect(maximize.shouldStop(context(trials([1, 2, 3]), 'maximize'))).toBeUndefined();
    expect(maximize.shouldStop(context(trials([3, 2, 1]), 'maximize'))).toBeDefined();
  });
});

const prior: Suggester = {
  name: 'prior',
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
};
const space = { x: { type: 'uniform', low: -2, high: 2 } } as const;

describe('stopping on your own rule', () => {
  it('fmin stops when stopWhen answers, with reason `stopper` and its message; running trials finish', async () => {
    const result = await fmin({
      objective: (params) => params.x ** 2,
      space,
      suggester: prior,
      maxTrials: 100,
      concurrency: 2,
      stopWhen: ({ trials: seen, best }) =>
        seen.filter((trial) => trial.state === 'complete').length >= 7 && best !== undefined
          ? `seven trials are enough (best ${best.loss.toFixed(2)})`
          : undefined,
    });
    expect(result.reason).toBe('stopper');
    expect(result.stopMessage).toMatch(/^seven trials are enough/);
    expect(result.trials.length).toBeGreaterThanOrEqual(7);
    expect(result.trials.length).toBeLessThan(10);
    expect(result.trials.every((trial) => trial.state === 'complete')).toBe(true);
  });

  it("a rule's trials are made once per trial, and again when one changes (review 105: every trial decoded at every call)", async () => {
    const calls: { states: string[]; views: object[] }[] = [];
    const result = await fmin({
      objective: async (params) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        return params.x ** 2;
      },
      space,
      suggester: prior,
      maxTrials: 12,
      concurrency: 3,
      stopWhen: ({ trials: seen }) => {
        calls.push({ states: seen.map((trial) => trial.state), views: [...seen] });
        return undefined;
      },
    });
    const last = calls.at(-1) as { states: string[]; views: object[] };
    // A trial seen running in one call and ended in a later one is seen as it ended then (not its old view).
    const changed = calls.flatMap((call, at) =>
      call.states.flatMap((state, k) => {
        const later = calls.slice(at + 1).find((next) => next.states[k] === 'complete');
        return state === 'running' && later !== undefined ? [{ before: call.views[k], after: later.views[k], k }] : [];
      }),
    );
    expect(changed.length).toBeGreaterThan(0);
    for (const { before, after, k } of changed) {
      expect(after).not.toBe(before);
      expect(after).toMatchObject({ state: 'complete', loss: (result.trials[k] as { loss: number }).loss });
    }
    // A finished trial keeps its view from call to call.
    const first = calls.find((call) => call.states[0] === 'complete') as { views: object[] };
    expect(last.views[0]).toBe(first.views[0]);
  });

  it('noImprovement() is the no-improvement stopper as a stopWhen rule in code, its options checked (trial 99)', async () => {
    const result = await fmin({
      objective: () => 1,
      space,
      suggester: prior,
      maxTrials: 100,
      stopWhen: noImprovement({ trials: 4, minDelta: 0.01 }),
    });
    expect(result.reason).toBe('stopper');
    expect(result.stopMessage).toBe('no improvement of 1% in 4 trials');
    expect(result.trials).toHaveLength(5);
    // Asked as the config's stopper, with the trials as stored: no trial's params decoded (review 105: the
    // decoding of every trial at every finished trial took 19 s more at 6,000 trials).
    const rule = noImprovement({ trials: 4 });
    const stopper = stopperOfRule(rule) as Stopper;
    expect(stopper.name).toBe('no-improvement');
    expect(stopperOfRule(() => undefined)).toBeUndefined();
    const decoded: boolean[] = [];
    const ask = stopper.shouldStop.bind(stopper);
    (stopper as { shouldStop: Stopper['shouldStop'] }).shouldStop = (asked) => {
      decoded.push(asked.trials.some((trial) => 'params' in trial));
      return ask(asked);
    };
    const again = await fmin({ objective: () => 1, space, suggester: prior, maxTrials: 100, stopWhen: rule });
    expect(again.reason).toBe('stopper');
    expect(decoded.length).toBeGreaterThan(0);
    expect(decoded.every((found) => !found)).toBe(true);
    expect(() => noImprovement({ trials: 0, minDeltaa: 1 } as never)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        issues: [
          expect.objectContaining({ pointer: '/trials' }),
          expect.objectContaining({ pointer: '/minDeltaa', found: expect.stringContaining('did you mean `minDelta`') }),
        ],
      }),
    );
    // One wording for one rule, out of range or of the wrong kind (trial 129: "a number ≥ 1" beside "a value of
    // type integer ≥ 1 and ≤ 1000000000").
    for (const [trials, expected] of [
      [0, 'an integer ≥ 1'],
      [2.5, 'an integer ≥ 1 and ≤ 1000000000'],
      ['5', 'an integer ≥ 1 and ≤ 1000000000'],
    ] as const)
      expect(() => noImprovement({ trials } as never)).toThrow(
        expect.objectContaining({ issues: [{ pointer: '/trials', expected, found: JSON.stringify(trials) }] }),
      );
  });

  it('stopWhenOf(stopper) asks a stopper written as a plugin with the trials as stored, as a config does (trial 103)', async () => {
    // A stopper that reads the internal params, as one tested with its contract suite does: it stops at the
    // first trial with x above 1, asked with the trials as stored (no trial's params decoded at every call).
    const asked: unknown[] = [];
    const above: Stopper = {
      name: 'above',
      shouldStop: ({ trial, trials }) => {
        expect(trials.some((stored) => 'params' in stored)).toBe(false);
        asked.push(trial.internal);
        return (trial.internal.x as number) > 1 ? `x ${trial.internal.x} above 1` : undefined;
      },
    };
    const rule = stopWhenOf(above);
    expect(stopperOfRule(rule)).toBe(above);
    const result = await fmin({ objective: () => 1, space, suggester: prior, maxTrials: 200, stopWhen: rule });
    expect(result.reason).toBe('stopper');
    expect(result.stopMessage).toMatch(/^x [\d.]+ above 1$/);
    expect(asked.every((internal) => typeof (internal as { x?: unknown }).x === 'number')).toBe(true);
    // A stopper without a name, or no stopper, is refused (review 108: the stop message said "undefined").
    expect(() => stopWhenOf({ shouldStop: () => true } as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('a stopper with a `name`') }),
    );
    expect(() => stopWhenOf((() => true) as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('the method `shouldStop`') }),
    );
  });

  it('a rerun of a study its stopper ended stops before a new trial; a stopper that lets it go on runs it (trial 33)', async () => {
    const store = createMemoryStore();
    const run = (trials: number) =>
      fmin({
        name: 'ended',
        objective: () => 1,
        space,
        suggester: prior,
        maxTrials: 100,
        store,
        stopWhen: (context) => createNoImprovementStopper({ trials }).shouldStop(context),
      });
    const first = await run(3);
    expect(first).toMatchObject({ reason: 'stopper', stopMessage: 'no improvement of 1% in 3 trials' });
    expect(first.trials).toHaveLength(4);
    // Each rerun used to run one more trial before asking: 5, then 6.
    for (let rerun = 0; rerun < 2; rerun++) {
      const again = await run(3);
      expect(again).toMatchObject({ reason: 'stopper', stopMessage: 'no improvement of 1% in 3 trials' });
      expect(again.trials).toHaveLength(4);
    }
    // A patience the study has not used up yet: it goes on.
    expect((await run(5)).trials).toHaveLength(6);
  });

  it("the budget's patience counts over the study: a rerun of a study that used it up stops at once (trial 35)", async () => {
    const store = createMemoryStore();
    let calls = 0;
    const run = (patience: number) =>
      fmin({
        name: 'patient',
        objective: () => (calls++ === 0 ? 0 : 1),
        space,
        suggester: prior,
        maxTrials: 100,
        budget: { patience },
        store,
      });
    const first = await run(3);
    expect(first.reason).toBe('patience');
    expect(first.trials).toHaveLength(4);
    // Each rerun counted afresh and ran three more trials.
    const again = await run(3);
    expect(again.reason).toBe('patience');
    expect(again.trials).toHaveLength(4);
    // A patience the study has not used up yet: two more trials.
    expect((await run(5)).trials).toHaveLength(6);
  });

  /** A study in one store whose objective throws until `mend()`, run with `options`, up to 100 trials. */
  const mendable = (options: Pick<Parameters<typeof fmin>[0], 'budget' | 'stopWhen'>) => {
    const store = createMemoryStore();
    let broken = true;
    return {
      mend: () => {
        broken = false;
      },
      run: () =>
        fmin({
          name: 'mendable',
          objective: () => {
            if (broken) throw new Error('not yet');
            return 1;
          },
          space,
          suggester: prior,
          maxTrials: 100,
          store,
          ...options,
        }),
    };
  };

  it('patience starts with the run while no trial has a loss: a study whose trials all failed runs again (review 35)', async () => {
    const { run, mend } = mendable({ budget: { patience: 3 } });
    expect((await run()).trials).toHaveLength(3);
    mend();
    const mended = await run();
    expect(mended.trials.filter((trial) => trial.state === 'complete')).toHaveLength(4);
  });

  it("noImprovement counts failed trials from the run's start while none completed, as patience does (trial 165)", async () => {
    const { run, mend } = mendable({
      budget: { maxConsecutiveFailures: 1000 },
      stopWhen: noImprovement({ trials: 3 }),
    });
    // It ran all 100 trials: a study none of whose trials completed never stopped.
    const first = await run();
    expect(first).toMatchObject({ reason: 'stopper', stopMessage: 'no trial completed in 3 trials' });
    expect(first.trials).toHaveLength(3);
    // Counted from the run's start: a rerun is not stopped before it begins by the earlier failures.
    const second = await run();
    expect(second.reason).toBe('stopper');
    expect(second.trials).toHaveLength(6);
    mend();
    const mended = await run();
    expect(mended).toMatchObject({ reason: 'stopper', stopMessage: 'no improvement of 1% in 3 trials' });
    expect(mended.trials.filter((trial) => trial.state === 'complete')).toHaveLength(4);
  });

  it('says when the patience or lossThreshold was reached before the run, and still runs what it enqueued (review 35)', async () => {
    const store = createMemoryStore();
    const warnings: string[] = [];
    const run = (budget: object, enqueue?: Record<string, unknown>[]) =>
      runStudy({
        spec: { name: 'used-up', direction: 'minimize', seed: 1, space },
        space: compileSpace(space),
        store,
        suggester: prior,
        objective: createFunctionObjective((p) => (p.x === 0.5 ? 0 : 1)),
        budget: { maxTrials: 100, ...budget },
        onWarning: (message) => warnings.push(message),
        ...(enqueue === undefined ? {} : { enqueue }),
      });
    await run({ patience: 2 }, [{ x: 0.5 }]);
    expect(warnings).toEqual([]);
    const again = await run({ patience: 2 }, [{ x: 0.25 }]);
    expect(again.reason).toBe('patience');
    expect(again.trials.map((trial) => trial.internal.x)).toContain(0.25);
    expect(again.trials).toHaveLength(4);
    expect(warnings).toEqual([
      "study used-up: its budget's patience (2) was used up before this run began: 2 finished trials since its best (#0), so only the entry this run enqueued (and any entry an earlier run left waiting) is evaluated; a larger patience lets it go on.",
    ]);
    const reached = await run({ lossThreshold: 0 });
    expect(reached.trials).toHaveLength(4);
    expect(warnings[1]).toBe(
      "study used-up: its best loss (0, #0) had reached the budget's lossThreshold (0) before this run began, so no new trial runs (bar enqueued entries an earlier run left waiting).",
    );
  });

  it("a study that ended before the run still runs the entries left waiting: an interrupted trial's, one queued in code", async () => {
    const store = createMemoryStore();
    const run = () =>
      runStudy({
        spec: { name: 'left', direction: 'minimize', seed: 1, space },
        space: compileSpace(space),
        store,
        suggester: prior,
        objective: createFunctionObjective((p) => (p.x === 0.5 ? 0 : 1)),
        budget: { maxTrials: 100, patience: 2 },
        onWarning: () => undefined,
        enqueue: [{ x: 0.5 }],
      });
    expect(await run()).toMatchObject({ reason: 'patience', trials: { length: 3 } });
    // What a Ctrl-C past the grace period leaves: the entry's trial ended unrun, the entry given back.
    const enqueue = store.enqueue?.bind(store);
    await enqueue?.('left', [{ internal: { x: 0.25 }, key: 'cut' }]);
    const cut = await store.createTrial('left');
    await store.finishTrial('left', cut?.number ?? -1, {
      state: 'failed',
      error: { code: 'INTERRUPTED', message: 'x' },
    });
    await enqueue?.('left', [{ internal: { x: 0.75 } }]);
    const again = await run();
    expect(again.reason).toBe('patience');
    expect(again.trials.slice(4).map((trial) => trial.internal)).toEqual([{ x: 0.25 }, { x: 0.75 }]);
    expect(await run()).toMatchObject({ reason: 'patience', trials: { length: 6 } });
  });

  it("a store that does not honour onlyEnqueued gets the older rule: this run's entries, counted (review 40)", async () => {
    const memory = createMemoryStore();
    // A plugin store written before the option: it passes on the lease and the limit only.
    const store: TrialStore = {
      ...memory,
      onlyEnqueued: false,
      createTrial: (study, options) =>
        memory.createTrial(study, {
          ...(options?.lease === undefined ? {} : { lease: options.lease }),
          ...(options?.limit === undefined ? {} : { limit: options.limit }),
        }),
    };
    const warnings: string[] = [];
    const run = (enqueue: Record<string, unknown>[]) =>
      runStudy({
        spec: { name: 'old', direction: 'minimize', seed: 1, space },
        space: compileSpace(space),
        store,
        suggester: prior,
        objective: createFunctionObjective((p) => (p.x === 0.5 ? 0 : 1)),
        budget: { maxTrials: 40, patience: 2 },
        onWarning: (message) => warnings.push(message),
        enqueue,
      });
    expect(await run([{ x: 0.5 }])).toMatchObject({ reason: 'patience', trials: { length: 3 } });
    expect(await run([{ x: 0.5 }])).toMatchObject({ reason: 'patience', trials: { length: 3 } });
    const again = await run([{ x: 0.25 }]);
    expect(again).toMatchObject({ reason: 'patience', trials: { length: 4 } });
    expect(again.trials[3]?.internal).toEqual({ x: 0.25 });
    expect(warnings[0]).toContain('so no new trial runs; a larger patience');
    expect(warnings[1]).toContain('so only the entry this run enqueued is evaluated;');
  });

  it('patience does not count trials imported with times before the best (review 35: counted by number)', async () => {
    const store = createMemoryStore();
    let calls = 0;
    // Every trial better than the last: the study's own trials never use its patience up.
    const run = (maxTrials: number) =>
      fmin({
        name: 'warm',
        objective: () => -calls++,
        space,
        suggester: prior,
        maxTrials,
        budget: { patience: 3 },
        store,
      });
    expect((await run(4)).trials).toHaveLength(4);
    // Earlier work, worse than anything here, imported afterwards: its trials get the next numbers.
    const old = { state: 'complete' as const, loss: 99 };
    await store.addTrials?.(
      'warm',
      Array.from({ length: 5 }, () => ({ internal: { x: 1 }, outcome: old, finishedAt: '2020-01-01T00:00:00.000Z' })),
    );
    const again = await run(12);
    expect(again.reason).toBe('max-trials');
    expect(again.trials).toHaveLength(12);
  });

  it("patience counts the study's trials, other workers' improvements included (review 35)", async () => {
    const store = createMemoryStore();
    let calls = 0;
    const result = await fmin({
      name: 'shared',
      objective: async () => {
        calls++;
        // Another worker finishes a better trial while this one runs its third, which ends after it (by 5 ms:
        // in the same millisecond the trial number would order them, and a loaded machine flipped this test).
        if (calls === 3) {
          await store.addTrials?.('shared', [{ internal: { x: 0.5 }, outcome: { state: 'complete', loss: -1 } }]);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        return calls === 1 ? 0 : 1;
      },
      space,
      suggester: prior,
      maxTrials: 100,
      budget: { patience: 3 },
      store,
    });
    // #0 best, #1 worse, #3 the other worker's better one; #2 finished after it, then #4 and #5: three.
    expect(result.reason).toBe('patience');
    expect(result.trials).toHaveLength(6);
  });

  it("patience: a worker's own improvement that is no improvement of the study does not restart the count (trial 56)", async () => {
    const store = createMemoryStore();
    let calls = 0;
    const result = await fmin({
      name: 'fleet',
      // Each trial of this worker beats its own last one: 5, 4, 3, ..., each worse than -10, the study's best
      // for good, which another worker finishes during this one's first trial.
      objective: async () => {
        if (calls === 0)
          await store.addTrials?.('fleet', [{ internal: { x: 0.5 }, outcome: { state: 'complete', loss: -10 } }]);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return 5 - calls++;
      },
      space,
      suggester: prior,
      maxTrials: 100,
      budget: { patience: 3 },
      store,
    });
    expect(result.reason).toBe('patience');
    expect(calls).toBe(3);
  });

  it('lossThreshold: reached by another worker while this one runs, the run stops at its next trial (trial 56)', async () => {
    const store = createMemoryStore();
    let calls = 0;
    const result = await fmin({
      name: 'threshold',
      objective: async () => {
        calls++;
        if (calls === 2)
          await store.addTrials?.('threshold', [{ internal: { x: 0.5 }, outcome: { state: 'complete', loss: 0 } }]);
        return 1;
      },
      space,
      suggester: prior,
      maxTrials: 50,
      budget: { lossThreshold: 0.001 },
      store,
    });
    expect(result.reason).toBe('loss-threshold');
    expect(calls).toBe(2);
  });

  it('`true` stops with a plain message; a throwing rule is STOPPER_FAILED', async () => {
    const plain = await fmin({ objective: (p) => p.x, space, suggester: prior, maxTrials: 50, stopWhen: () => true });
    expect(plain).toMatchObject({ reason: 'stopper', stopMessage: 'stopWhen said stop' });
    expect(plain.trials).toHaveLength(1);
    const blank = await fmin({ objective: (p) => p.x, space, suggester: prior, maxTrials: 50, stopWhen: () => ' \t ' });
    expect(blank).toMatchObject({ reason: 'stopper', stopMessage: 'stopWhen said stop' });
    await expect(
      fmin({
        objective: (p) => p.x,
        space,
        suggester: prior,
        maxTrials: 5,
        stopWhen: () => {
          throw new Error('my rule broke');
        },
      }),
    ).rejects.toMatchObject({ code: 'STOPPER_FAILED', message: expect.stringContaining('my rule broke') });
  });

  it('names what a rule answered that is no answer, and that a rule is synchronous', async () => {
    const answered = (stopWhen: () => unknown) =>
      fmin({ objective: (p) => p.x, space, suggester: prior, maxTrials: 5, stopWhen: stopWhen as () => undefined });
    await expect(answered(() => 1)).rejects.toMatchObject({
      code: 'STOPPER_FAILED',
      message:
        'Stopper `stopWhen` answered 1; expected a reason to stop (a non-empty string) or true to stop, undefined, false or "" to go on.',
    });
    await expect(answered(async () => 'done')).rejects.toMatchObject({
      message: expect.stringContaining('answered a Promise (a rule is synchronous)'),
    });
    // A rule's promise that rejects is handled with the refusal: no unhandled rejection ends the process
    // after the caller has handled STOPPER_FAILED (trial 73: a service crashed).
    const unhandled: unknown[] = [];
    const listen = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listen);
    try {
      await expect(
        answered(async () => {
          throw new Error('db down');
        }),
      ).rejects.toMatchObject({ code: 'STOPPER_FAILED' });
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('unhandledRejection', listen);
    }
    expect(unhandled).toEqual([]);
  });

  it("fmin's error carries the trials finished before a throwing rule stopped it (the memory store has them nowhere else)", async () => {
    const error = await fmin({
      objective: (p) => p.x,
      space,
      suggester: prior,
      maxTrials: 10,
      stopWhen: ({ trials: seen }) => {
        if (seen.length === 6) throw new Error('bug in my callback');
      },
    }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'STOPPER_FAILED', message: expect.stringContaining('bug in my callback') });
    const kept = (error as { trials: readonly { state: string; loss: number; params: { x: number } }[] }).trials;
    expect(kept).toHaveLength(6);
    for (const trial of kept) expect(trial).toMatchObject({ state: 'complete', loss: trial.params.x });
  });

  it('a rule may keep the trials it was shown: later trials do not change them', async () => {
    const seen: (readonly unknown[])[] = [];
    await fmin({
      objective: (p) => p.x,
      space,
      suggester: prior,
      maxTrials: 4,
      stopWhen: ({ trials }) => {
        seen.push(trials);
        return undefined;
      },
    });
    expect(seen.map((trials) => trials.length)).toEqual([1, 2, 3, 4]);
  });
});

describe('asking the stopper', () => {
  it('shows it the study from the run loop mirror: the store is not listed in full after every trial', async () => {
    const memory = createMemoryStore();
    let listings = 0;
    const store: TrialStore = {
      ...memory,
      listTrials: (study) => {
        listings++;
        return memory.listTrials(study);
      },
    };
    const seen: number[][] = [];
    const result = await runStudy({
      spec: { name: 's', direction: 'minimize', seed: 1, space },
      space: compileSpace(space),
      store,
      suggester: prior,
      objective: createFunctionObjective((params) => params.x as number),
      budget: { maxTrials: 20 },
      concurrency: 2,
      stopper: {
        name: 'watcher',
        shouldStop: ({ trials: all, trial, best }) => {
          seen.push(all.map((one) => one.number));
          expect(all.find((one) => one.number === trial.number)?.state).toBe('complete');
          expect(best).toBeDefined();
          return undefined;
        },
      },
    });
    expect(result.trials).toHaveLength(20);
    expect(seen).toHaveLength(20);
    // Every trial the store had, in number order (the other worker's running one too).
    for (const numbers of seen) expect(numbers).toEqual([...numbers.keys()]);
    expect(seen.at(-1)).toHaveLength(20);
    // Once at the start (stale trials, the budget) and once for the summary.
    expect(listings).toBe(2);
  });
});
