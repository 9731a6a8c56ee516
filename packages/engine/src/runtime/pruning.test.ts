import { describe, expect, it, vi } from 'vitest';
import { createFunctionObjective, type ObjectiveFunction } from '../builtins/function-objective.js';
import { createMemoryStore } from '../builtins/memory-store.js';
import { nonePruner } from '../builtins/none-pruner.js';
import type { ObjectiveAdapter } from '../contracts/objective.js';
import type { PruneContext, Pruner } from '../contracts/pruner.js';
import type { TrialStore } from '../contracts/store.js';
import type { Suggester } from '../contracts/suggester.js';
import { compileSpace } from '../domain/compile-space.js';
import { sampleDistribution } from '../domain/sample-distribution.js';
import type { SpaceDefinition } from '../domain/space-definition.js';
import type { Trial } from '../domain/trial.js';
import { ParzenError } from '../errors.js';
import type { EngineEvent } from '../events/engine-event.js';
import { fmin } from '../fmin.js';
import { Study } from '../study.js';
import { type RunStudyOptions, runStudy } from './run-study.js';

const priorSuggester: Suggester = {
  name: 'prior',
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
};

const space: SpaceDefinition = { x: { type: 'uniform', low: 0, high: 1 } };

/** Prunes a trial whose latest value is above `limit`; records every context it was given. */
const limitPruner = (limit: number, seen: PruneContext[] = []): Pruner => ({
  name: 'limit',
  shouldPrune: (context) => {
    // Kept past the call: copied, as the contract asks (running trials' entries change in place, and this
    // process's running trials' values grow in place).
    const copy = <T extends Trial>(trial: T): T =>
      trial.state === 'running' && trial.intermediate !== undefined
        ? { ...trial, intermediate: trial.intermediate.slice() }
        : trial;
    seen.push({ ...context, trial: copy(context.trial), trials: context.trials.map(copy) });
    return (context.trial.intermediate?.at(-1)?.value ?? 0) > limit;
  },
});

/** A memory store whose every report fails as a store past its retries does (`STORE_FAILED`). */
const failingReports = (message: string): TrialStore => ({
  ...createMemoryStore(),
  reportIntermediate: async () => {
    throw new ParzenError('STORE_FAILED', message);
  },
});

const run = (objective: ObjectiveFunction | ObjectiveAdapter, extra: Partial<RunStudyOptions> = {}) =>
  runStudy({
    spec: { name: 'prune', direction: 'minimize', seed: 7, space },
    space: compileSpace(space),
    store: createMemoryStore(),
    suggester: priorSuggester,
    objective: typeof objective === 'function' ? createFunctionObjective(objective) : objective,
    budget: { maxTrials: 10 },
    ...extra,
  });

/** Reports x·(step + 1) for 10 steps and stops when told; returns the last value. */
const curve: ObjectiveFunction = async (params, context) => {
  const x = params.x as number;
  let value = 0;
  for (let step = 0; step < 10; step++) {
    value = x * (step + 1);
    await context.report(step, value);
    if (context.shouldPrune()) return value;
  }
  return value;
};

describe('pruning in the run loop', () => {
  it('stores every report, stops told trials early and ends them pruned with their last value', async () => {
    const result = await run(curve, { pruner: limitPruner(3) });
    for (const trial of result.trials) {
      const steps = trial.intermediate?.map((point) => point.step) ?? [];
      expect(steps).toEqual(steps.map((_, i) => i));
      const x = trial.internal.x as number;
      if (x * 10 > 3) {
        expect(trial.state).toBe('pruned');
        const last = trial.intermediate?.at(-1);
        expect(last?.value).toBeGreaterThan(3);
        expect(steps.length).toBeLessThan(10);
        expect(trial.state === 'pruned' && trial.loss).toBe(last?.value);
      } else {
        expect(trial.state).toBe('complete');
        expect(steps).toHaveLength(10);
      }
    }
    const pruned = result.trials.filter((trial) => trial.state === 'pruned').length;
    expect(pruned).toBeGreaterThan(0);
    expect(result.summary.pruned).toBe(pruned);
    expect(result.summary.complete + result.summary.pruned).toBe(10);
    expect(result.summary.best === undefined || result.summary.best.state === 'complete').toBe(true);
  });

  it('with 4 trials at a time, each trial is judged on its own curve and sees the others as they report', async () => {
    const seen: PruneContext[] = [];
    const slow: ObjectiveFunction = async (params, context) => {
      const x = params.x as number;
      for (let step = 0; step < 10; step++) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        await context.report(step, x * (step + 1));
        if (context.shouldPrune()) return x * (step + 1);
      }
      return x * 10;
    };
    const result = await run(slow, { pruner: limitPruner(3, seen), concurrency: 4, budget: { maxTrials: 12 } });
    expect(result.trials).toHaveLength(12);
    for (const context of seen) {
      const x = context.trial.internal.x as number;
      expect(context.trial.intermediate).toEqual(
        Array.from({ length: context.step + 1 }, (_, step) => ({ step, value: x * (step + 1) })),
      );
    }
    // Some decision saw another trial running with reports of its own.
    expect(
      seen.some((context) =>
        context.trials.some((t) => t.state === 'running' && t.number !== context.trial.number && t.intermediate),
      ),
    ).toBe(true);
    for (const trial of result.trials) {
      const x = trial.internal.x as number;
      expect(trial.state).toBe(x * 10 > 3 ? 'pruned' : 'complete');
    }
  });

  it('asks the pruner with the study, direction, the trial and every trial of the store', async () => {
    const seen: PruneContext[] = [];
    await run(curve, { pruner: limitPruner(100, seen), spec: { name: 'ctx', direction: 'maximize', seed: 1, space } });
    expect(seen).toHaveLength(100);
    for (const context of seen) {
      expect(context.study).toBe('ctx');
      expect(context.direction).toBe('maximize');
      expect(context.trial.state).toBe('running');
      expect(context.trial.intermediate?.at(-1)?.step).toBe(context.step);
      expect(context.trials.find((t) => t.number === context.trial.number)).toEqual(context.trial);
      // Every earlier trial has finished and is seen with its whole curve.
      const earlier = context.trials.filter((t) => t.number < context.trial.number);
      expect(earlier).toHaveLength(context.trial.number);
      for (const trial of earlier) expect(trial.intermediate).toHaveLength(10);
    }
  });

  it('sees trials other processes add to the store', async () => {
    const store = createMemoryStore();
    const spec = { name: 'shared', direction: 'minimize' as const, seed: 1, space };
    const other = await Study.open({ name: 'shared', space, suggester: priorSuggester, store });
    const foreign = await other.ask();
    await other.report(foreign.number, 0, 0.5);
    const seen: PruneContext[] = [];
    await run(curve, { store, spec, budget: { maxTrials: 2 }, pruner: limitPruner(100, seen) });
    expect(seen[0]?.trials.find((t) => t.number === foreign.number)?.intermediate).toEqual([{ step: 0, value: 0.5 }]);
  });

  it('publishes trial.reported with the decision', async () => {
    const events: EngineEvent[] = [];
    const reporter = { name: 'collect', onEvent: (event: EngineEvent) => void events.push(event) };
    await run(curve, { pruner: limitPruner(3), reporters: [reporter], budget: { maxTrials: 3 } });
    const reported = events.filter((event) => event.type === 'trial.reported');
    const finished = events.filter((event) => event.type === 'trial.finished');
    expect(reported.length).toBe(
      finished.reduce(
        (sum, event) => sum + (event.type === 'trial.finished' ? (event.trial.intermediate?.length ?? 0) : 0),
        0,
      ),
    );
    for (const event of reported) {
      if (event.type !== 'trial.reported') continue;
      expect(event.prune).toBe(event.value > 3);
      expect(event.study).toBe('prune');
    }
  });

  it('ends a told trial pruned whether the objective then returns, throws or fails', async () => {
    const throwing: ObjectiveFunction = async (_params, context) => {
      await context.report(0, 5);
      if (context.shouldPrune()) throw new Error('stopped');
      return 1;
    };
    const killed: ObjectiveAdapter = {
      name: 'killed',
      evaluate: async (_params, context) => {
        await context.report(0, 7);
        await context.report(1, 6);
        return { status: 'failed', error: { code: 'PRUNED', message: 'killed on request' } };
      },
    };
    const threw = await run(throwing, { pruner: limitPruner(3), budget: { maxTrials: 1 } });
    expect(threw.trials[0]).toMatchObject({ state: 'pruned', loss: 5 });
    const failed = await run(killed, { pruner: limitPruner(3), budget: { maxTrials: 1 } });
    expect(failed.trials[0]).toMatchObject({ state: 'pruned', loss: 6 });
    expect(failed.trials[0]).not.toHaveProperty('attrs');
    // The attrs a stopped program printed (a command's result line on SIGTERM, in the PRUNED failure's
    // details) stay with the pruned trial (trial 59); attrs that are not a JSON object do not.
    const printing = (attrs: unknown): ObjectiveAdapter => ({
      name: 'printing',
      evaluate: async (_params, context) => {
        await context.report(0, 7);
        return { status: 'failed', error: { code: 'PRUNED', message: 'stopped', details: { step: 0, attrs } } };
      },
    });
    const kept = await run(printing({ checkpoint: 'ckpt/last.pt' }), {
      pruner: limitPruner(3),
      budget: { maxTrials: 1 },
    });
    expect(kept.trials[0]).toMatchObject({ state: 'pruned', loss: 7, attrs: { checkpoint: 'ckpt/last.pt' } });
    const notJson = await run(printing({ at: Number.NaN }), { pruner: limitPruner(3), budget: { maxTrials: 1 } });
    expect(notJson.trials[0]).not.toHaveProperty('attrs');
    // Attrs the adapter refused (a program's NaN) are said, once a run (review 62).
    const warned: string[] = [];
    const refusing: ObjectiveAdapter = {
      name: 'refusing',
      evaluate: async (_params, context) => {
        await context.report(0, 7);
        return {
          status: 'failed',
          error: {
            code: 'PRUNED',
            message: 'stopped',
            details: {
              attrsRefused:
                'The objective returned attrs that are not JSON: attrs.f1 is NaN. Attrs are stored as JSON.',
            },
          },
        };
      },
    };
    const refused = await run(refusing, { budget: { maxTrials: 2 }, onWarning: (message) => warned.push(message) });
    expect(refused.trials.map((trial) => trial.state)).toEqual(['pruned', 'pruned']);
    expect(warned).toEqual([
      expect.stringMatching(/^trial #0 was pruned, and the attrs it returned were not stored \(attrs\.f1 is NaN\)/),
    ]);
    // Without a prune decision a throw is a failure, as before.
    const untold = await run(throwing, { pruner: limitPruner(10), budget: { maxTrials: 1 } });
    expect(untold.trials[0]?.state).toBe('complete');
  });

  it('ends a trial pruned at its last value when the objective throws TrialPruned, with no pruner (trial 59)', async () => {
    const { TrialPruned } = await import('../errors.js');
    const diverging: ObjectiveFunction = async (params, context) => {
      await context.report(0, 2);
      await context.report(1, 3);
      if ((params.x as number) > -10) throw new TrialPruned('diverged');
      return 1;
    };
    const result = await run(diverging, { budget: { maxTrials: 2 } });
    expect(result.trials.map((trial) => trial.state)).toEqual(['pruned', 'pruned']);
    expect(result.trials[0]).toMatchObject({ loss: 3 });
    // Another Error is a failure, as before.
    const plain = await run(
      async () => {
        throw new Error('diverged');
      },
      { budget: { maxTrials: 1 } },
    );
    expect(plain.trials[0]?.state).toBe('failed');
  });

  it('keeps the attrs a told objective returns with the pruned trial (trial 54: they were dropped)', async () => {
    const withAttrs: ObjectiveFunction = async (_params, context) => {
      await context.report(0, 5);
      if (context.shouldPrune()) return { loss: 5, attrs: { epochs: 1, reason: 'told' } };
      return 1;
    };
    const result = await run(withAttrs, { pruner: limitPruner(3), budget: { maxTrials: 1 } });
    expect(result.trials[0]).toMatchObject({ state: 'pruned', loss: 5, attrs: { epochs: 1, reason: 'told' } });
    // Attrs that are not JSON: the trial is pruned all the same, and that they were not stored is said.
    const warnings: string[] = [];
    const badAttrs: ObjectiveFunction = async (_params, context) => {
      await context.report(0, 5);
      return { loss: 5, attrs: { when: new Date(0) } };
    };
    const bad = await run(badAttrs, {
      pruner: limitPruner(3),
      budget: { maxTrials: 1 },
      onWarning: (message) => warnings.push(message),
    });
    expect(bad.trials[0]).toMatchObject({ state: 'pruned', loss: 5 });
    expect(bad.trials[0]).not.toHaveProperty('attrs');
    expect(warnings).toEqual([
      expect.stringMatching(
        /^trial #0 was pruned, and the attrs it returned were not stored \(\/attrs\/when is .*\): attrs are stored as JSON/,
      ),
    ]);
    expect(warnings[0]).not.toContain('loss');
  });

  it('completes a told trial whose adapter had already finished (finishedBeforePrune), its reports kept', async () => {
    const finishedFirst = (flag: boolean): ObjectiveAdapter => ({
      name: 'buffered',
      evaluate: async (_params, context) => {
        await context.report(0, 7);
        await context.report(1, 6);
        return { status: 'ok', loss: 2, ...(flag ? { finishedBeforePrune: true } : {}) };
      },
    });
    const finished = await run(finishedFirst(true), { pruner: limitPruner(3), budget: { maxTrials: 1 } });
    expect(finished.trials[0]).toMatchObject({ state: 'complete', loss: 2 });
    expect(finished.trials[0]?.intermediate).toHaveLength(2);
    // Without the flag a told trial is pruned whatever it returns, as before.
    const told = await run(finishedFirst(false), { pruner: limitPruner(3), budget: { maxTrials: 1 } });
    expect(told.trials[0]).toMatchObject({ state: 'pruned', loss: 6 });
  });

  it('keeps a trial pruned once told, and judges no more of its reports', async () => {
    const seen: PruneContext[] = [];
    const stubborn: ObjectiveFunction = async (_params, context) => {
      for (let step = 0; step < 5; step++) await context.report(step, step === 1 ? 9 : 0);
      // A value the objective should not return: the pruned outcome stands whatever it returns.
      return (context.shouldPrune() ? 'ignored' : 0) as number;
    };
    const result = await run(stubborn, { pruner: limitPruner(3, seen), budget: { maxTrials: 1 } });
    expect(seen.map((context) => context.step)).toEqual([0, 1]);
    expect(result.trials[0]).toMatchObject({ state: 'pruned', loss: 0 });
    expect(result.trials[0]?.intermediate).toHaveLength(5);
  });

  it('a synchronous loop that does not await its reports: they are stored and judged, the trial keeps its result, said once (trial 54, review 56)', async () => {
    const warned: string[] = [];
    // Optuna's report and should_prune are synchronous; a loop ported as is reads shouldPrune() before any
    // decision has come. Trials above x = 0.3 are told to stop at their first report, too late.
    const synchronous: ObjectiveFunction = (params, context) => {
      const x = params.x as number;
      let value = 0;
      for (let step = 0; step < 5; step++) {
        value = x * (5 - step);
        void context.report(step, value);
        if (context.shouldPrune()) return value;
      }
      if (x > 0.9) throw new Error('diverged');
      return value;
    };
    // Judged on the value at the step asked about (the listing may already hold later steps).
    const atStep: Pruner = {
      name: 'at-step',
      shouldPrune: ({ trial, step }) => (trial.intermediate?.find((point) => point.step === step)?.value ?? 0) > 1.5,
    };
    const events: EngineEvent[] = [];
    const result = await run(synchronous, {
      pruner: atStep,
      budget: { maxTrials: 12 },
      onWarning: (message) => warned.push(message),
      reporters: [{ name: 'events', onEvent: (event) => void events.push(event) }],
    });
    const told = result.trials.filter((trial) => (trial.intermediate?.[0]?.value ?? 0) > 1.5);
    expect(told.length).toBeGreaterThan(2);
    expect(events.filter((event) => event.type === 'trial.reported' && event.prune).length).toBeGreaterThan(2);
    for (const trial of result.trials) {
      // Every report stored; the objective's own result kept, its loss or its error.
      expect(trial.intermediate).toHaveLength(5);
      const x = (trial.intermediate?.[4]?.value ?? 0) as number;
      expect(trial).toMatchObject(
        x > 0.9 ? { state: 'failed', error: { message: 'diverged' } } : { state: 'complete', loss: x },
      );
    }
    expect(warned.filter((message) => message.includes('reports were not awaited'))).toEqual([
      `trial #${told[0]?.number}: the pruner said stop at step 0 only after the objective had ended: its reports were not awaited, so shouldPrune() was still false, and the trial keeps its own result. Await each report (await context.report(step, value)) before asking shouldPrune(), so that trials stop early.`,
    ]);
  });

  it('an objective that never asks shouldPrune() and returns a loss: recorded pruned (a prune is final), said once a run', async () => {
    const warned: string[] = [];
    // Runs every step, awaiting each report, and never asks whether to stop.
    const deaf: ObjectiveFunction = async (params, context) => {
      const x = params.x as number;
      for (let step = 0; step < 5; step++) await context.report(step, x * (step + 1));
      return x * 100;
    };
    const atStep: Pruner = {
      name: 'at-step',
      shouldPrune: ({ trial, step }) =>
        step >= 1 && (trial.intermediate?.find((point) => point.step === step)?.value ?? 0) > 1,
    };
    const result = await run(deaf, { pruner: atStep, onWarning: (message) => warned.push(message) });
    const pruned = result.trials.filter((trial) => trial.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(1);
    // Its value at the last step, not the loss it returned.
    for (const trial of pruned) expect(trial.loss).toBe(trial.intermediate?.[4]?.value);
    const first = pruned[0];
    const toldAt = first?.intermediate?.findIndex((point) => point.step >= 1 && point.value > 1);
    expect(warned.filter((message) => message.includes('shouldPrune()'))).toEqual([
      `trial #${first?.number}: the pruner said stop at step ${toldAt}, and the objective went on to step 4 and returned a loss: it did not ask shouldPrune() once step ${toldAt}'s report was judged, before it reported on (a report not awaited is judged only after the objective has gone on), or went on when it said true. ` +
        'A prune is final: the trial is recorded pruned with its value at step 4, not the loss it returned. ' +
        'Stop when shouldPrune() says true (after each awaited report), or run without a pruner. Said once per run.',
    ]);
    // One that stops when told is not warned of.
    const quiet: string[] = [];
    await run(curve, { pruner: atStep, onWarning: (message) => quiet.push(message) });
    expect(quiet.filter((message) => message.includes('shouldPrune()'))).toEqual([]);
  });

  it('an objective that asks shouldPrune() only after reports it did not await: warned that it asked too late, not that it never asked', async () => {
    const warned: string[] = [];
    // Reports steps 0 to 9 without awaiting them, awaits step 10's, then asks, and returns a loss either way.
    const mixed: ObjectiveFunction = async (params, context) => {
      const x = params.x as number;
      for (let step = 0; step < 10; step++) void context.report(step, x * (step + 1));
      await context.report(10, x * 11);
      return context.shouldPrune() ? x + 9 : x;
    };
    const atStep: Pruner = {
      name: 'at-step',
      shouldPrune: ({ trial, step }) =>
        step === 1 && (trial.intermediate?.find((point) => point.step === step)?.value ?? 0) > 1,
    };
    const result = await run(mixed, { pruner: atStep, onWarning: (message) => warned.push(message) });
    const first = result.trials.find((trial) => trial.state === 'pruned');
    expect(first).toBeDefined();
    expect(warned.filter((message) => message.includes('shouldPrune()'))).toEqual([
      `trial #${first?.number}: the pruner said stop at step 1, and the objective went on to step 10 and returned a loss: it did not ask shouldPrune() once step 1's report was judged, before it reported on (a report not awaited is judged only after the objective has gone on), or went on when it said true. ` +
        'A prune is final: the trial is recorded pruned with its value at step 10, not the loss it returned. ' +
        'Stop when shouldPrune() says true (after each awaited report), or run without a pruner. Said once per run.',
    ]);
  });

  it('stores reports without a pruner, and never prunes', async () => {
    const result = await run(curve, { budget: { maxTrials: 3 } });
    for (const trial of result.trials) {
      expect(trial.state).toBe('complete');
      expect(trial.intermediate).toHaveLength(10);
    }
  });

  it('says once, at the end, that a pruner was never given a value (trial 49), not when trials report or fail', async () => {
    const warningsOf = async (objective: ObjectiveFunction, maxTrials: number, pruner?: Pruner) => {
      const warnings: string[] = [];
      await run(objective, {
        budget: { maxTrials },
        ...(pruner === undefined ? {} : { pruner }),
        onWarning: (line) => warnings.push(line),
      });
      return warnings.filter((line) => line.includes('stopped nothing'));
    };
    expect(await warningsOf((params) => params.x as number, 4, limitPruner(3))).toEqual([
      'study prune: its pruner `limit` stopped nothing: none of the 4 trials this run completed reported an intermediate value, so each ran in full. ' +
        'A trial reports with context.report(step, value) (a function or module objective) or a {"step": n, "value": x} line on stdout (a command).',
    ]);
    // Fewer than three, no pruner, trials that report (even if never pruned), trials that fail: nothing said.
    expect(await warningsOf((params) => params.x as number, 2, limitPruner(3))).toEqual([]);
    expect(await warningsOf((params) => params.x as number, 4)).toEqual([]);
    expect(await warningsOf((params) => params.x as number, 4, nonePruner)).toEqual([]); // named on purpose
    expect(await warningsOf(curve, 4, limitPruner(100))).toEqual([]);
    let calls = 0;
    const firstReports: ObjectiveFunction = async (params, context) => {
      if (calls++ === 0) await context.report(0, params.x as number);
      return params.x as number;
    };
    expect(await warningsOf(firstReports, 5, limitPruner(100))).toEqual([]);
    expect(
      await warningsOf(
        () => {
          throw new Error('no data');
        },
        4,
        limitPruner(3),
      ),
    ).toEqual([]);
  });

  it('rejects a bad step or value with REPORT_INVALID, thrown to the objective', async () => {
    const errors: unknown[] = [];
    const bad: ObjectiveFunction = async (_params, context) => {
      for (const [step, value] of [
        [-1, 1],
        [1.5, 1],
        [0, Number.NaN],
        [0, Number.POSITIVE_INFINITY],
        ['0', 1],
        [2 ** 60, 1],
      ] as const) {
        await context.report(step as number, value).catch((error: unknown) => errors.push(error));
      }
      return 1;
    };
    const result = await run(bad, { budget: { maxTrials: 1 } });
    expect(errors.map((error) => (error as { code: string }).code)).toEqual(Array(6).fill('REPORT_INVALID'));
    // 2^60 is an integer, but past 2^53 − 1 not an exact one: the message says so (it said "must be an integer").
    expect((errors[5] as Error).message).toMatch(/up to 2\^53 − 1; found 1152921504606847000 \(beyond 2\^53 − 1/);
    expect((errors[0] as Error).message).toMatch(/step must be a non-negative integer.*-1\.$/);
    // A fractional step next to an integer value: Optuna's order, report(value, step) (trial 171: no hint).
    expect((errors[1] as Error).message).toBe(
      "report(step, value): step must be a non-negative integer (an epoch, an iteration) up to 2^53 − 1; found 1.5 (the step comes first, then the value: report(step, value), unlike Optuna's report(value, step)).",
    );
    expect((errors[2] as Error).message).toMatch(/value must be a finite number.*NaN/);
    // With issues, as every other invalid input (pointer, expected, found).
    expect(errors.map((error) => (error as { issues: { pointer: string }[] }).issues.map((i) => i.pointer))).toEqual([
      ['/step'],
      ['/step'],
      ['/value'],
      ['/value'],
      ['/step'],
      ['/step'],
    ]);
    expect(result.trials[0]?.intermediate).toBeUndefined();
  });

  it('a report the store fails to record (its server down past its retries) is written when it answers again; the trial goes on (trial 83, review 87)', async () => {
    const store = createMemoryStore();
    let down = false;
    const failing: TrialStore = {
      ...store,
      reportIntermediate: async (...args) => {
        // With the advice the store gives for when the command has ended, which the warning leaves out (trial 161:
        // "do it again: a run resumes the study" inside a warning that said the trial goes on).
        if (down)
          throw new ParzenError(
            'STORE_FAILED',
            'PostgreSQL store `db` failed while reporting an intermediate value: connect ECONNREFUSED (retried for 3 s). Once the server answers again, do it again.',
            { advice: 'Once the server answers again, do it again.' },
          );
        return store.reportIntermediate?.(...args);
      },
    };
    // Trial 0: the store is down for steps 1-2 and back at step 3. Trial 1: down from step 1 to its end,
    // back before it finishes.
    const objective: ObjectiveFunction = async (_params, context) => {
      await context.report(0, 1);
      down = true; // the database goes away for a while
      await context.report(1, 0.5);
      await context.report(2, 0.4);
      if (context.trialNumber === 0) down = false;
      await context.report(3, 0.3);
      if (context.trialNumber === 0)
        // Written before step 3, not only when the trial ends: a crash now would keep them.
        midway = (await store.listTrials('prune'))
          .find((trial) => trial.number === 0)
          ?.intermediate?.map((point) => point.step);
      down = false;
      return 0.25;
    };
    let midway: number[] | undefined;
    const warnings: string[] = [];
    const seen: PruneContext[] = [];
    const result = await run(objective, {
      store: failing,
      budget: { maxTrials: 2 },
      pruner: limitPruner(10, seen),
      onWarning: (line) => warnings.push(line),
    });
    // The objective's work stands: complete with its loss, not OBJECTIVE_THREW, and every value stored.
    expect(result.trials.map((trial) => [trial.state, 'loss' in trial ? trial.loss : undefined])).toEqual([
      ['complete', 0.25],
      ['complete', 0.25],
    ]);
    for (const trial of result.trials) expect(trial.intermediate?.map((point) => point.step)).toEqual([0, 1, 2, 3]);
    expect(midway).toEqual([0, 1, 2, 3]);
    // The pruner was not asked at the steps the store had not recorded.
    expect(seen.map((context) => [context.trial.number, context.step])).toEqual([
      [0, 0],
      [0, 3],
      [1, 0],
    ]);
    expect(warnings.filter((line) => line.includes('could not be stored'))).toEqual(
      [0, 1].map(
        (number) =>
          `trial #${number}'s value at step 1 could not be stored (PostgreSQL store \`db\` failed while reporting an intermediate value: connect ECONNREFUSED (retried for 3 s)); the trial goes on, and its values are written when the store answers again (before its next value, or when it ends). The pruner is not asked at steps the store has not recorded. Said once per trial.`,
      ),
    );
  });

  it('writes each unstored value once, in turn, when reports are not awaited (review 88: values written twice or dropped)', async () => {
    const store = createMemoryStore();
    let down = true;
    const written: number[] = [];
    const flaky: TrialStore = {
      ...store,
      reportIntermediate: async (...args) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (down) throw new ParzenError('STORE_FAILED', 'the server restarts');
        written.push(args[2]);
        return store.reportIntermediate?.(...args);
      },
    };
    // Four values while the store is down, then four more at once when it is back: their flushes overlap.
    const objective: ObjectiveFunction = async (_params, context) => {
      await Promise.all([0, 1, 2, 3].map((step) => context.report(step, 1 / (step + 1))));
      down = false;
      for (let step = 4; step < 8; step++) void context.report(step, 1 / (step + 1));
      return 0.25;
    };
    const result = await run(objective, { store: flaky, budget: { maxTrials: 1 }, onWarning: () => {} });
    expect(result.trials[0]?.intermediate?.map((point) => point.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...written].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]); // each once
  });

  it('lets a trial another worker took over end as before when it had unstored values (review 88: the run failed)', async () => {
    const store = createMemoryStore();
    let calls = 0;
    const lost: TrialStore = {
      ...store,
      reportIntermediate: async (...args) => {
        calls++;
        if (calls === 2) throw new ParzenError('STORE_FAILED', 'the server restarts');
        if (calls >= 3) throw new ParzenError('TRIAL_NOT_FOUND', 'trial #0 is not in the store');
        return store.reportIntermediate?.(...args);
      },
    };
    const objective: ObjectiveFunction = async (_params, context) => {
      await context.report(0, 1);
      await context.report(1, 0.5);
      return 0.25;
    };
    const result = await run(objective, { store: lost, budget: { maxTrials: 2 }, onWarning: () => {} });
    expect(result.trials.map((trial) => trial.state)).toEqual(['complete', 'complete']);
  });

  it('says the values a trial ends with unstored, when the store still fails (review 87)', async () => {
    const failing = failingReports('the disk is full');
    const objective: ObjectiveFunction = async (_params, context) => {
      await context.report(0, 1);
      await context.report(1, 0.5);
      return 0.25;
    };
    const warnings: string[] = [];
    const result = await run(objective, {
      store: failing,
      budget: { maxTrials: 1 },
      onWarning: (line) => warnings.push(line),
    });
    expect(result.trials.map((trial) => trial.state)).toEqual(['complete']);
    expect(warnings.filter((line) => line.includes('not stored'))).toEqual([
      "trial #0 ended with its values at steps 0, 1 not stored: the store still fails. Its result is recorded as the run's finish decides.",
    ]);
  });

  it('a store without reportIntermediate: a pruner is refused before any trial; without one, reports are dropped, said once (trial 45)', async () => {
    const { reportIntermediate: _, ...rest } = createMemoryStore();
    const store: TrialStore = rest;
    const objective: ObjectiveFunction = async (_params, context) => {
      await context.report(0, 1);
      await context.report(1, 0.5);
      return 0.25;
    };
    // Every trial used to fail OBJECTIVE_THREW at its first report, its loss lost.
    await expect(run(objective, { store, budget: { maxTrials: 2 }, pruner: limitPruner(10) })).rejects.toMatchObject({
      code: 'STORE_UNSUPPORTED',
      message: expect.stringContaining('cannot run with the `limit` pruner (it judges the values trials report)'),
    });
    // Refused before the store opened the study: nothing was written (user trial: it was created first).
    await expect(store.getStudy('prune')).rejects.toMatchObject({ code: 'STUDY_NOT_FOUND' });
    // Study.open (ask/tell) too, before any trial (review 47: it failed at the first report).
    await expect(
      Study.open({ space, store, suggester: priorSuggester, pruner: limitPruner(10) }),
    ).rejects.toMatchObject({
      code: 'STORE_UNSUPPORTED',
    });
    const warnings: string[] = [];
    const result = await run(objective, { store, budget: { maxTrials: 2 }, onWarning: (line) => warnings.push(line) });
    expect(result.trials.map((trial) => [trial.state, 'loss' in trial ? trial.loss : undefined])).toEqual([
      ['complete', 0.25],
      ['complete', 0.25],
    ]);
    expect(warnings.filter((line) => line.includes('reportIntermediate'))).toEqual([
      'the `memory` store has no `reportIntermediate` method, so the values trials report are not stored (use a built-in store to keep them).',
    ]);
  });

  it('a store without enqueue: an enqueue list is refused before the study is opened (nothing written)', async () => {
    const { enqueue: _, ...store } = createMemoryStore();
    await expect(run(() => 1, { store, enqueue: [{ x: 0.5 }] })).rejects.toMatchObject({
      code: 'STORE_UNSUPPORTED',
      message: expect.stringContaining('it has no `enqueue` method'),
    });
    await expect(store.getStudy('prune')).rejects.toMatchObject({ code: 'STUDY_NOT_FOUND' });
  });

  it('stops the run with PRUNER_FAILED when the pruner throws, the trial failed with that code', async () => {
    const broken: Pruner = {
      name: 'broken',
      shouldPrune: () => {
        throw new Error('boom');
      },
    };
    const store = createMemoryStore();
    await expect(run(curve, { pruner: broken, store })).rejects.toMatchObject({ code: 'PRUNER_FAILED' });
    const trials = await store.listTrials('prune');
    expect(trials).toHaveLength(1);
    expect(trials[0]).toMatchObject({ state: 'failed', error: { code: 'PRUNER_FAILED' } });
  });

  it('stops the run with PRUNER_FAILED when the pruner answers anything but a boolean (an async pruner pruned every trial)', async () => {
    const unhandled: unknown[] = [];
    const listen = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listen);
    try {
      const answers: [string, unknown, string][] = [
        ['an async shouldPrune', Promise.resolve(false), 'answered a Promise'],
        ['a forgotten return', undefined, 'answered nothing'],
        ['a number', 1, 'answered 1'],
      ];
      for (const [, answer, message] of answers) {
        const odd = { name: 'odd', shouldPrune: () => answer } as unknown as Pruner;
        const store = createMemoryStore();
        await expect(run(curve, { pruner: odd, store })).rejects.toMatchObject({
          code: 'PRUNER_FAILED',
          message: expect.stringContaining(`Pruner \`odd\` ${message} on trial #0 at step 0; expected true or false`),
        });
        const trials = await store.listTrials('prune');
        expect(trials).toHaveLength(1);
        expect(trials[0]).toMatchObject({ state: 'failed', error: { code: 'PRUNER_FAILED' } });
      }
      // Trial 73: one that rejects was refused, then its rejection ended the process as unhandled.
      const rejecting = {
        name: 'odd',
        shouldPrune: () => Promise.reject(new Error('pruner rejects')),
      } as unknown as Pruner;
      await expect(run(curve, { pruner: rejecting })).rejects.toMatchObject({
        code: 'PRUNER_FAILED',
        message: expect.stringContaining('answered a Promise'),
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('unhandledRejection', listen);
    }
    expect(unhandled).toEqual([]);
  });

  it('counts pruned trials in the budget, never as best, and in patience', async () => {
    const result = await run(curve, { pruner: limitPruner(-1), budget: { maxTrials: 50, patience: 4 } });
    expect(result.reason).toBe('patience');
    expect(result.trials).toHaveLength(4);
    expect(result.summary).toMatchObject({ pruned: 4, complete: 0, best: undefined });
  });
});

describe('pruning from fmin and the ask/tell Study', () => {
  it('fmin takes a pruner and gives a function objective report and shouldPrune', async () => {
    const result = await fmin({
      space,
      suggester: priorSuggester,
      objective: curve,
      maxTrials: 10,
      pruner: limitPruner(3),
      seed: 3,
    });
    const pruned = result.trials.filter((trial) => trial.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    for (const trial of pruned) expect(trial.intermediate?.length).toBeLessThan(10);
    expect(result.best === undefined || result.best.loss <= 3).toBe(true);
  });

  it('warns of a report made through a context after its trial ended, instead of dropping it silently', async () => {
    let saved: Parameters<ObjectiveFunction>[1] | undefined;
    const warnings: string[] = [];
    const result = await run(
      async (_params, context) => {
        saved = context;
        await context.report(0, 2);
        return 1;
      },
      { budget: { maxTrials: 1 }, onWarning: (message) => warnings.push(message) },
    );
    // Resolves (a late call nobody awaits must not become an unhandled rejection), and says so.
    await expect(saved?.report(10, 5)).resolves.toBeUndefined();
    await saved?.report(11, 6); // once per trial: a callback reporting every ms would flood stderr
    expect(warnings).toEqual([
      'report(10, 5) came after trial #0 ended; the value was not stored (report before the objective returns; later ones of this trial are dropped without a word).',
    ]);
    expect(result.trials[0]?.intermediate).toEqual([{ step: 0, value: 2 }]);
  });

  it('says nothing of a report after its trial timed out: the run cut it short (trial 133: after a second Ctrl-C it advised reporting before returning)', async () => {
    const warnings: string[] = [];
    let reportedLate: Promise<void> | undefined;
    const result = await run(
      async (_params, context) => {
        await context.report(0, 2);
        // Ignores its signal: reports again after the run has recorded the timeout.
        await new Promise((resolve) => setTimeout(resolve, 150));
        reportedLate = context.report(1, 1);
        await reportedLate;
        return 1;
      },
      { budget: { maxTrials: 1 }, trialTimeoutMs: 40, onWarning: (message) => warnings.push(message) },
    );
    expect(result.trials[0]?.state === 'failed' && result.trials[0].error.code).toBe('TIMEOUT');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(reportedLate).resolves.toBeUndefined();
    expect(warnings.filter((warning) => warning.includes('came after trial'))).toEqual([]);
    expect(result.trials[0]?.intermediate).toEqual([{ step: 0, value: 2 }]);
  });

  it('says nothing of a report after a forced stop interrupted its trial (trial 133: a second Ctrl-C)', async () => {
    const warnings: string[] = [];
    const force = new AbortController();
    let reportedLate: Promise<void> | undefined;
    const result = await run(
      async (_params, context) => {
        await context.report(0, 2);
        force.abort();
        // Ignores its signal: reports again after the run has recorded the interruption.
        await new Promise((resolve) => setTimeout(resolve, 100));
        reportedLate = context.report(1, 1);
        await reportedLate;
        return 1;
      },
      { budget: { maxTrials: 1 }, forceSignal: force.signal, onWarning: (message) => warnings.push(message) },
    );
    expect(result.trials[0]?.state === 'failed' && result.trials[0].error.code).toBe('INTERRUPTED');
    await new Promise((resolve) => setTimeout(resolve, 150));
    await expect(reportedLate).resolves.toBeUndefined();
    expect(warnings.filter((warning) => warning.includes('came after trial'))).toEqual([]);
  });

  it('keeps the first value of a step reported twice and says so once per trial (user trial 27: said nothing)', async () => {
    const warnings: string[] = [];
    const result = await run(
      async (_params, context) => {
        await context.report(0, 0.5);
        await context.report(0, 0.4);
        await context.report(0, 0.3);
        await context.report(1, 0.2);
        return 0.1;
      },
      { budget: { maxTrials: 1 }, onWarning: (message) => warnings.push(message) },
    );
    expect(result.trials[0]?.intermediate).toEqual([
      { step: 0, value: 0.5 },
      { step: 1, value: 0.2 },
    ]);
    expect(warnings).toEqual([
      'report(0, 0.4) of trial #0: step 0 was reported before (0.5), and that value is kept; report each step once (later repeats of this trial are dropped without a word).',
    ]);
  });

  it("Study.optimize prunes with the study's pruner", async () => {
    const study = await Study.open({ space, suggester: priorSuggester, pruner: limitPruner(3), objective: curve });
    const result = await study.optimize({ maxTrials: 10 });
    const pruned = result.trials.filter((trial) => trial.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    for (const trial of pruned) expect(trial.intermediate?.length).toBeLessThan(10);
  });

  /** An ask/tell study pruning at values above 3, and the events it sends. */
  const askTellStudy = async () => {
    const events: EngineEvent[] = [];
    const study = await Study.open({
      space,
      suggester: priorSuggester,
      pruner: limitPruner(3),
      onEvent: (event) => events.push(event),
    });
    return { study, events };
  };

  it('Study.report resolves to the decision and Study.prune ends the trial with its last value', async () => {
    const { study, events } = await askTellStudy();
    const trial = await study.ask();
    expect(await study.report(trial.number, 0, 1)).toBe(false);
    expect(await study.report(trial.number, 1, 4)).toBe(true);
    const pruned = await study.prune(trial.number);
    expect(pruned).toMatchObject({
      state: 'pruned',
      loss: 4,
      intermediate: [
        { step: 0, value: 1 },
        { step: 1, value: 4 },
      ],
    });
    expect(
      events
        .filter((event) => event.type === 'trial.reported')
        .map((event) => event.type === 'trial.reported' && event.prune),
    ).toEqual([false, true]);
    await expect(study.report(trial.number, 2, 1)).rejects.toMatchObject({ code: 'TRIAL_ALREADY_FINISHED' });
    expect(await study.best()).toBeUndefined();
  });

  it('Study.report rejects with the store failure it met: the caller of ask/tell decides (review 88)', async () => {
    const failing = failingReports('the server restarts');
    const study = await Study.open({ space, store: failing, suggester: priorSuggester, pruner: limitPruner(3) });
    const trial = await study.ask();
    await expect(study.report(trial.number, 0, 1)).rejects.toMatchObject({ code: 'STORE_FAILED' });
  });

  it('Study.prune stores the attrs given, and refuses attrs that are not JSON with the trial still running', async () => {
    const { study } = await askTellStudy();
    const trial = await study.ask();
    await study.report(trial.number, 0, 4);
    await expect(study.prune(trial.number, { when: new Date(0) })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('/attrs/when is a Date'),
    });
    await expect(study.prune(trial.number, { when: new Date(0) })).rejects.toMatchObject({
      issues: [expect.objectContaining({ pointer: '/attrs/when' })],
    });
    await expect(study.prune(trial.number, [1] as never)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect((await study.trials())[0]?.state).toBe('running');
    const pruned = await study.prune(trial.number, { epochs: 1, note: undefined });
    expect(pruned).toMatchObject({ state: 'pruned', loss: 4, attrs: { epochs: 1 } });
    expect('attrs' in pruned && pruned.attrs).toEqual({ epochs: 1 });
    // Attrs left with no field are none, as an objective's and addTrials' are.
    const second = await study.ask();
    await study.report(second.number, 0, 5);
    expect(await study.prune(second.number, { gone: undefined })).not.toHaveProperty('attrs');
    expect((await study.trials())[0]).toMatchObject({ state: 'pruned', attrs: { epochs: 1 } });
  });

  it('Study.report keeps the first value of a step reported twice, says so once per trial, and still answers', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const { study, events } = await askTellStudy();
      const first = await study.ask();
      expect(await study.report(first.number, 0, 4)).toBe(true);
      expect(await study.report(first.number, 0, 1)).toBe(true); // judged on the kept 4
      expect(await study.report(first.number, 0, 2)).toBe(true);
      const pruned = await study.prune(first.number);
      expect(pruned.intermediate).toEqual([{ step: 0, value: 4 }]);
      expect(events.filter((event) => event.type === 'trial.reported')).toHaveLength(1);
      const second = await study.ask();
      expect(await study.report(second.number, 0, 1)).toBe(false);
      expect(await study.report(second.number, 0, 2)).toBe(false);
      await study.tell(second.number, 1);
      expect(written).toEqual([
        'parzen: warning: study.report(0, 0, 1): step 0 was reported before (4), and that value is kept; report each step once (later repeats of this trial are dropped without a word).\n',
        'parzen: warning: study.report(1, 0, 2): step 0 was reported before (1), and that value is kept; report each step once (later repeats of this trial are dropped without a word).\n',
      ]);
    } finally {
      spy.mockRestore();
    }
  });
});
