import { describe, expect, it } from 'vitest';
import { createFunctionObjective } from '../builtins/function-objective.js';
import { createMemoryStore } from '../builtins/memory-store.js';
import type { Suggester } from '../contracts/suggester.js';
import { compileSpace } from '../domain/compile-space.js';
import { sampleDistribution } from '../domain/sample-distribution.js';
import type { SpaceDefinition } from '../domain/space-definition.js';
import { fmin } from '../fmin.js';
import { Study } from '../study.js';
import { runStudy } from './run-study.js';

/** Draws each parameter from its prior, in the walk's order: the order of the space decides the draws. */
const prior: Suggester = {
  name: 'prior',
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
};
const inOrder = {
  x: { type: 'uniform', low: -1, high: 1 },
  lr: { type: 'loguniform', low: 1e-5, high: 0.1 },
  model: { type: 'choice', options: ['svm', 'tree'] },
} as const satisfies SpaceDefinition;
const reversed = { model: inOrder.model, lr: inOrder.lr, x: inOrder.x } as const satisfies SpaceDefinition;
const loss = (params: Readonly<Record<string, unknown>>) => (params.x as number) ** 2;

describe('a resumed study whose config lists its parameters in another order (trial 41)', () => {
  it('draws in the order the study was created with, so its trials are those of an unbroken run', async () => {
    const whole = await fmin({ name: 's', space: inOrder, objective: loss, suggester: prior, maxTrials: 10 });
    const store = createMemoryStore();
    await fmin({ name: 's', space: inOrder, objective: loss, suggester: prior, maxTrials: 5, store });
    const resumed = await fmin({ name: 's', space: reversed, objective: loss, suggester: prior, maxTrials: 10, store });
    expect(resumed.trials.map((trial) => trial.internal)).toEqual(whole.trials.map((trial) => trial.internal));
    // Through ask and tell as well.
    const study = await Study.open({ name: 's', space: reversed, suggester: prior, store });
    const asked = await study.ask();
    const more = await fmin({ name: 's', space: inOrder, objective: loss, suggester: prior, maxTrials: 11 });
    expect(asked.params).toEqual(more.trials[10]?.params);
  });

  it("the same through runStudy, the CLI's path (review 41: only fmin and Study were tested)", async () => {
    const whole = await fmin({ name: 's', space: inOrder, objective: loss, suggester: prior, maxTrials: 8 });
    const store = createMemoryStore();
    const run = (space: SpaceDefinition, maxTrials: number) =>
      runStudy({
        spec: { name: 's', direction: 'minimize', seed: 0, space },
        space: compileSpace(space),
        store,
        suggester: prior,
        objective: createFunctionObjective(loss),
        budget: { maxTrials },
      });
    await run(inOrder, 4);
    const resumed = await run(reversed, 8);
    expect(resumed.trials.map((trial) => trial.internal)).toEqual(whole.trials.map((trial) => trial.internal));
    expect(resumed.space.params.map((param) => param.name)).toEqual(['x', 'lr', 'model']);
    expect(Object.keys(resumed.summary.bestParams ?? {})).toEqual(['x', 'lr', 'model']);
  });

  it('a new study draws in its own order: the order is part of the space', async () => {
    const first = await fmin({ name: 'a', space: inOrder, objective: loss, suggester: prior, maxTrials: 3 });
    const other = await fmin({ name: 'a', space: reversed, objective: loss, suggester: prior, maxTrials: 3 });
    expect(other.trials.map((trial) => trial.internal)).not.toEqual(first.trials.map((trial) => trial.internal));
  });
});
