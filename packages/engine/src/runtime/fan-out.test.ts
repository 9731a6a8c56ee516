import { describe, expect, it } from 'vitest';
import { createFunctionObjective } from '../builtins/function-objective.js';
import { createMemoryStore } from '../builtins/memory-store.js';
import type { Suggester } from '../contracts/suggester.js';
import { compileSpace } from '../domain/compile-space.js';
import type { SpaceDefinition } from '../domain/space-definition.js';
import { runStudy } from './run-study.js';

const suggester: Suggester = { name: 'half', beginTrial: () => ({ sampleParam: () => 0.5 }) };
const space: SpaceDefinition = { x: { type: 'uniform', low: 0, high: 1 } };

describe('fan-out (issue 9)', () => {
  it.each([
    [1000, 3, 0],
    [50, 10, 8],
  ])(
    'concurrency %i with maxTrials %i (%i existing) starts only as many workers as trials are left',
    async (concurrency, maxTrials, existing) => {
      const store = createMemoryStore();
      let asks = 0;
      let running = 0;
      let most = 0;
      const counted = {
        ...store,
        createTrial: (...args: Parameters<typeof store.createTrial>) => {
          asks += 1;
          return store.createTrial(...args);
        },
      };
      const options = {
        spec: { name: 'fan', direction: 'minimize' as const, seed: 1, space },
        space: compileSpace(space),
        store: counted,
        suggester,
        objective: createFunctionObjective(async () => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          running -= 1;
          return 1;
        }),
      };
      if (existing > 0) await runStudy({ ...options, budget: { maxTrials: existing } });
      asks = 0;
      most = 0;
      const result = await runStudy({ ...options, budget: { maxTrials }, concurrency });
      expect(result.summary.complete).toBe(maxTrials);
      const left = maxTrials - existing;
      expect(most).toBe(left);
      // A worker asks once per trial it runs, and at most once more to learn the budget is spent.
      expect(asks).toBeGreaterThan(left);
      expect(asks).toBeLessThanOrEqual(left * 2);
    },
  );
});
