import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../builtins/memory-store.js';
import { defineStore, type PluginContext } from '../contracts/manifest.js';
import { SERVICES } from '../contracts/services.js';
import { loadExperiment, openStoreForReading } from './experiment.js';

const contexts: PluginContext[] = [];
/** A store that records its context and, with `wantBus`, asks for the event bus. */
const probeStore = defineStore<{ wantBus?: boolean }>({
  name: 'probe',
  optionsSchema: { type: 'object', properties: { wantBus: { type: 'boolean' } } },
  create: (options, context) => {
    contexts.push(context);
    if (options.wantBus === true) context.services.get(SERVICES.bus);
    return createMemoryStore();
  },
});

const fixedSuggester = {
  kind: 'suggester' as const,
  name: 'fixed',
  optionsSchema: { type: 'object' },
  create: () => ({ name: 'fixed', beginTrial: () => ({ sampleParam: () => 0.5 }) }),
};

/** An experiment whose store is the probe, with `options`. */
const load = (options: Record<string, unknown> = {}) =>
  loadExperiment(
    {
      name: 'read',
      seed: 3,
      space: { x: { type: 'uniform', low: 0, high: 1 } },
      objective: { use: 'function', options: { name: 'f' } },
      suggester: { use: 'fixed' },
      store: { use: 'probe', options },
      budget: { maxTrials: 1 },
    },
    { plugins: [{ manifests: [probeStore, fixedSuggester] }], functions: { f: () => 0 } },
  );

describe('openStoreForReading', () => {
  it('creates the store read-only with the clock, the logger and the RNG factory', async () => {
    const experiment = await load();
    const store = await openStoreForReading(experiment);
    const context = contexts.at(-1) as PluginContext;
    expect(context).toMatchObject({ study: 'read', readOnly: true });
    expect(context.services.has(SERVICES.clock)).toBe(true);
    expect(typeof context.services.get(SERVICES.rng)('x').next()).toBe('number');
    expect(context.services.has(SERVICES.bus)).toBe(false);
    await store.close();
  });

  it('says plainly that a store opened for reading gets no event bus', async () => {
    const experiment = await load({ wantBus: true });
    const opening = openStoreForReading(experiment);
    await expect(opening).rejects.toThrow(
      /store plugin `probe` could not start: No service `parzen.service.bus` is available to a store opened for reading/,
    );
    await expect(opening).rejects.toMatchObject({ code: 'PLUGIN_INVALID' });
  });
});
