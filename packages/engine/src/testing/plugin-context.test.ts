import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../builtins/memory-store.js';
import { SERVICES } from '../contracts/services.js';
import { testPluginContext } from './plugin-context.js';

describe('testPluginContext', () => {
  it("guards a reporter's store and bus as a run does when told the kind (trial 70: a writing reporter passed)", async () => {
    const store = createMemoryStore();
    const reporter = testPluginContext({ kind: 'reporter', services: [[SERVICES.store, store]] });
    expect(() => reporter.services.get(SERVICES.store).openStudy({} as never)).toThrow(
      /A reporter called store\.openStudy\(\): reporters listen, never steer/,
    );
    const pruner = testPluginContext({ kind: 'pruner', services: [[SERVICES.store, store]] });
    expect(() => pruner.services.get(SERVICES.store).createTrial('s')).toThrow(
      /A pruner called store\.createTrial\(\): the run alone writes the study's store/,
    );
    // Reading goes through, and a store plugin gets the store as it is; unset, nothing is guarded.
    expect(await pruner.services.get(SERVICES.store).listStudies?.()).toEqual([]);
    expect(testPluginContext({ kind: 'store', services: [[SERVICES.store, store]] }).services.get(SERVICES.store)).toBe(
      store,
    );
    expect(testPluginContext({ services: [[SERVICES.store, store]] }).services.get(SERVICES.store)).toBe(store);
    expect(reporter.logged).toEqual([]);
  });
});
