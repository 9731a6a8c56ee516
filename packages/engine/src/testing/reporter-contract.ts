import { describe, expect, it } from 'vitest';
import { createFunctionObjective } from '../builtins/function-objective.js';
import { createMemoryStore } from '../builtins/memory-store.js';
import type { Reporter } from '../contracts/reporter.js';
import type { Suggester } from '../contracts/suggester.js';
import { compileSpace } from '../domain/compile-space.js';
import { sampleDistribution } from '../domain/sample-distribution.js';
import type { SpaceDefinition } from '../domain/space-definition.js';
import { isThenable } from '../errors.js';
import { deepFreeze } from '../events/deep-freeze.js';
import type { EngineEvent } from '../events/engine-event.js';
import { runStudy } from '../runtime/run-study.js';
import { CLEANUP_TIMEOUT_MS, settledWithin } from '../runtime/with-cleanup.js';

/** How {@link describeReporterContract} exercises a reporter. */
export interface ReporterContractOptions {
  /** A fresh reporter (or a promise of one: a manifest's `create`). */
  readonly create: () => Reporter | Promise<Reporter>;
}

let recorded: readonly EngineEvent[] | undefined;

/**
 * The events of a small real run, every kind a run gives: a study started, trials started, reporting,
 * pruned, failed and complete, improvements, and the study finished (recorded once, then reused).
 */
const runEvents = async (): Promise<readonly EngineEvent[]> => {
  if (recorded !== undefined) return recorded;
  const events: EngineEvent[] = [];
  const space: SpaceDefinition = {
    x: { type: 'uniform', low: 0, high: 1 },
    model: { type: 'choice', options: ['a', { value: 'b', space: { depth: { type: 'randint', low: 1, high: 5 } } }] },
  };
  const prior: Suggester = {
    name: 'prior',
    beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
  };
  await runStudy({
    spec: { name: 'reporter-contract', direction: 'minimize', seed: 3, space },
    space: compileSpace(space),
    store: createMemoryStore(),
    suggester: prior,
    objective: createFunctionObjective(async (params, context) => {
      if (context.trialNumber % 5 === 3) throw new Error('a failed trial');
      for (let step = 0; step < 3; step++) {
        await context.report(step, (params.x as number) * (3 - step));
        if (context.shouldPrune()) break;
      }
      return params.x as number;
    }),
    pruner: { name: 'every-fourth', shouldPrune: ({ trial, step }) => trial.number % 4 === 1 && step === 1 },
    reporters: [{ name: 'recorder', onEvent: (event) => events.push(structuredClone(event)) }],
    budget: { maxTrials: 12 },
    onWarning: () => undefined,
  });
  recorded = events.map(deepFreeze);
  return recorded;
};

// Trial 127: an async onEvent that rejected, or never settled, passed the suite.
/**
 * What a reporter does wrong with a run's `events`, in words (empty: nothing): no name; an `onEvent` that throws,
 * or whose promise (an async one) rejects or has not settled `waitMs` after the last event, as a run awaits them
 * before `end`; an `end` that throws, rejects or has not settled `waitMs` after it was called.
 */
export const reporterFaults = async (
  reporter: Reporter,
  events: readonly EngineEvent[],
  waitMs = CLEANUP_TIMEOUT_MS,
): Promise<string[]> => {
  const faults: string[] = [];
  const said = (error: unknown) => (error instanceof Error ? error.message : String(error));
  if (typeof reporter.name !== 'string' || reporter.name.trim().length === 0)
    faults.push(`it has no name (found ${JSON.stringify(reporter.name) ?? 'none'}): messages name a reporter by it`);
  const calls: { readonly type: string; readonly call: Promise<unknown> }[] = [];
  for (const event of events) {
    try {
      const returned: unknown = reporter.onEvent(event);
      if (isThenable(returned)) calls.push({ type: event.type, call: Promise.resolve(returned) });
    } catch (error) {
      faults.push(`onEvent(${event.type}) threw: ${said(error)} (a run cuts it off)`);
      break;
    }
  }
  if (
    !(await settledWithin(
      calls.map(({ call }) => call),
      waitMs,
    ))
  )
    faults.push(
      `onEvent calls had not settled ${waitMs / 1000} s after the last event (a run then calls end without them)`,
    );
  else
    (await Promise.allSettled(calls.map(({ call }) => call))).forEach((outcome, index) => {
      if (outcome.status === 'rejected')
        faults.push(`onEvent(${calls[index]?.type}) rejected: ${said(outcome.reason)} (a run cuts it off, as a throw)`);
    });
  try {
    const ending = Promise.resolve(reporter.end?.());
    if (!(await settledWithin([ending], waitMs)))
      faults.push(`end had not settled ${waitMs / 1000} s after it was called (a run ends without it)`);
    else await ending;
  } catch (error) {
    faults.push(`end failed: ${said(error)}`);
  }
  return faults;
};

/**
 * The behaviour every reporter must have: a name; it takes every event of a run, in order, without
 * throwing and without changing it (the events are frozen, here as in a run: other reporters see the same
 * objects), an async `onEvent`'s promises settle without rejecting, and its `end`, when it has one, settles
 * after the last; each settles within the 10 s a run gives it.
 */
export const describeReporterContract = (name: string, options: ReporterContractOptions): void => {
  describe(`reporter contract: ${name}`, () => {
    it(
      'has a name, takes every event of a run unchanged and without throwing, then ends',
      async () => {
        const events = await runEvents();
        const types = new Set(events.map((event) => event.type));
        for (const type of [
          'study.started',
          'trial.started',
          'trial.reported',
          'trial.finished',
          'study.improved',
          'study.finished',
        ])
          expect(types).toContain(type);
        const reporter = await options.create();
        expect(await reporterFaults(reporter, events)).toEqual([]);
      },
      2 * CLEANUP_TIMEOUT_MS + 5_000,
    );
  });
};
