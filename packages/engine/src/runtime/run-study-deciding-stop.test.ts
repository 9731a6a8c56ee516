import { describe, expect, it, vi } from 'vitest';
import { createFunctionObjective } from '../builtins/function-objective.js';
import { createMemoryStore } from '../builtins/memory-store.js';
import type { Suggester } from '../contracts/suggester.js';
import { compileSpace } from '../domain/compile-space.js';
import { sampleDistribution } from '../domain/sample-distribution.js';
import type { SpaceDefinition } from '../domain/space-definition.js';
import { runStudy } from './run-study.js';

// The first stop ends a trial whose params the suggester is still deciding: with concurrency > 1 and an enqueued
// entry that still asks the suggester, nothing is left running, no trial is doubled, and the entry waits again.
const space: SpaceDefinition = {
  x: { type: 'uniform', low: -2, high: 2 },
  y: { type: 'uniform', low: -2, high: 2 },
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a stop while the suggester decides', () => {
  it('concurrency 3, a partial enqueued entry: every trial INTERRUPTED, none running, the entry waits again', async () => {
    const store = createMemoryStore();
    const caller = new AbortController();
    let asked = 0;
    let settledLate = 0;
    const slow: Suggester = {
      name: 'slow',
      beginTrial: async (context) => {
        asked++;
        setTimeout(() => caller.abort(), 10);
        await sleep(200);
        settledLate++;
        return { sampleParam: (param) => sampleDistribution(param.distribution, context.rng) };
      },
    };
    const objective = vi.fn(() => 1);
    const run = () =>
      runStudy({
        spec: { name: 's', direction: 'minimize', seed: 1, space },
        space: compileSpace(space),
        store,
        suggester: slow,
        objective: createFunctionObjective(objective),
        budget: { maxTrials: 6 },
        signal: caller.signal,
        concurrency: 3,
        enqueue: [{ x: 0.5 }],
      });
    const started = Date.now();
    const result = await run();
    expect(Date.now() - started).toBeLessThan(150);
    expect(result.reason).toBe('interrupted');
    expect(objective).not.toHaveBeenCalled();
    expect(asked).toBe(1);
    const trials = await store.listTrials('s');
    expect(trials.filter((trial) => trial.state === 'running')).toEqual([]);
    expect(new Set(trials.map((trial) => trial.number)).size).toBe(trials.length);
    for (const trial of trials) expect(trial).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED' } });
    // The entry the first trial took waits again, no attempt used.
    expect((await store.listEnqueued?.('s'))?.length).toBe(1);
    await sleep(250);
    expect(settledLate).toBe(1);
    // The suggestion that settled after the stop wrote nothing.
    expect((await store.listTrials('s')).map((trial) => trial.state)).toEqual(trials.map((trial) => trial.state));
  });
});
