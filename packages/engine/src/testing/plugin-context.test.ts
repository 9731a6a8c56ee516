import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../builtins/memory-store.js';
import type { PluginChoice } from '../config/experiment-config.js';
import { defineSuggester } from '../contracts/manifest.js';
import { SERVICES } from '../contracts/services.js';
import { sampleDistribution } from '../domain/sample-distribution.js';
import { testPluginContext } from './plugin-context.js';
import { describeSuggesterContract } from './suggester-contract.js';

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

  it('has an event bus, as a run has (trial 133: a plugin subscribing to it could not be tested)', () => {
    const context = testPluginContext();
    const bus = context.services.get(SERVICES.bus);
    const heard: string[] = [];
    const subscription = bus.events$.subscribe((event) => heard.push(event.type));
    bus.emit({ type: 'study.started', at: '2026-01-01T00:00:00.000Z', study: 'test', resumed: false } as never);
    subscription.unsubscribe();
    expect(heard).toEqual(['study.started']);
    // A reporter's bus only streams, as in a run.
    const reporterBus = testPluginContext({ kind: 'reporter' }).services.get(SERVICES.bus);
    expect(() => reporterBus.emit({ type: 'study.started' } as never)).toThrow(/reporter/i);
  });
});

// A suggester plugin that makes its inner one through the plugins service, as docs/writing-a-plugin.md shows.
const inner = defineSuggester({
  name: 'inner',
  optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
  create: () => ({
    name: 'inner',
    beginTrial: ({ rng }) => ({ sampleParam: (param) => sampleDistribution(param.distribution, rng) }),
  }),
});
const wrapping = defineSuggester<{ inner: PluginChoice }>({
  name: 'wrapping',
  optionsSchema: { type: 'object', properties: { inner: { type: 'object' } }, required: ['inner'] },
  create: async (options, context) => {
    const made = await context.services.get(SERVICES.plugins).create('suggester', options.inner);
    return { name: 'wrapping', beginTrial: (trial) => made.beginTrial(trial) };
  },
});
const packs = [{ manifests: [inner, wrapping] }];

describe('testPluginContext({ plugins })', () => {
  it("creates the packages' plugins through the plugins service, their options checked as a config's (trial 89)", async () => {
    const context = testPluginContext({ plugins: packs });
    expect(context.services.get(SERVICES.plugins).names('suggester')).toEqual(['inner', 'wrapping']);
    await expect(
      context.services.get(SERVICES.plugins).create('suggester', { use: 'inner', options: { extra: 1 } }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(context.services.get(SERVICES.plugins).create('suggester', { use: 'nope' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('nope'),
    });
  });
});

describeSuggesterContract('a suggester that wraps another through the plugins service', {
  create: () => wrapping.create({ inner: { use: 'inner' } }, testPluginContext({ plugins: packs })),
  trials: 12,
});
