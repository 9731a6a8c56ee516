import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../builtins/memory-store.js';
import { type AnyPluginManifest, defineStore, type PluginContext } from '../contracts/manifest.js';
import { SERVICES } from '../contracts/services.js';
import { ParzenError } from '../errors.js';
import { checkStoreOptions, loadExperiment, openStoreForReading, runLoadedExperiment } from './experiment.js';

const contexts: PluginContext[] = [];
/** What the probe's factory throws with `throws`. */
const thrown: Record<string, unknown> = {
  corrupt: new ParzenError('STORE_CORRUPT', 'The journal /tmp/x.jsonl is corrupt at line 3.'),
  interrupted: new ParzenError('INTERRUPTED', 'Stopped waiting for the lock.'),
  null: null,
  plain: new TypeError('boom'),
};

/** A store that records its context; with `wantBus` it asks for the event bus, with `throws` it throws. */
const probeStore = defineStore<{ wantBus?: boolean; throws?: string }>({
  name: 'probe',
  optionsSchema: { type: 'object', properties: { wantBus: { type: 'boolean' }, throws: { type: 'string' } } },
  create: (options, context) => {
    contexts.push(context);
    if (options.wantBus === true) context.services.get(SERVICES.bus);
    if (options.throws !== undefined) throw thrown[options.throws];
    return createMemoryStore();
  },
});

const fixedSuggester = {
  kind: 'suggester' as const,
  name: 'fixed',
  optionsSchema: { type: 'object' },
  create: () => ({ name: 'fixed', beginTrial: () => ({ sampleParam: () => 0.5 }) }),
};

/** An experiment whose store is the probe (or `store`), with `options`. */
const load = (options: Record<string, unknown> = {}, store: AnyPluginManifest = probeStore) =>
  loadExperiment(
    {
      name: 'read',
      seed: 3,
      space: { x: { type: 'uniform', low: 0, high: 1 } },
      objective: { use: 'function', options: { name: 'f' } },
      suggester: { use: 'fixed' },
      store: { use: store.name, options },
      budget: { maxTrials: 1 },
    },
    { plugins: [{ manifests: [store, fixedSuggester] }], functions: { f: () => 0 } },
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

  it("passes a store's own ParzenError through unchanged and names the plugin for anything else it throws", async () => {
    for (const open of [
      async (options: Record<string, unknown>) => openStoreForReading(await load(options)),
      async (options: Record<string, unknown>) => runLoadedExperiment(await load(options)),
    ]) {
      await expect(open({ throws: 'corrupt' })).rejects.toBe(thrown.corrupt);
      // A Ctrl-C while the store waited: still INTERRUPTED, so the CLI exits 130.
      await expect(open({ throws: 'interrupted' })).rejects.toBe(thrown.interrupted);
      await expect(open({ throws: 'null' })).rejects.toMatchObject({
        code: 'PLUGIN_INVALID',
        message: 'The store plugin `probe` could not start: its factory threw null',
      });
      await expect(open({ throws: 'plain' })).rejects.toMatchObject({
        code: 'PLUGIN_INVALID',
        message: 'The store plugin `probe` could not start: boom',
        cause: thrown.plain,
      });
    }
  });
});

describe("a store plugin's `check` (trial 48: validate passed what run refused)", () => {
  /** Refuses `bad: true` unless reading; records each call; `checkThrows` makes the check itself crash. */
  const checked: { readOnly?: boolean }[] = [];
  const created: string[] = [];
  const checkingStore = defineStore<{ bad?: boolean; checkThrows?: boolean }>({
    name: 'checking',
    optionsSchema: { type: 'object', properties: { bad: { type: 'boolean' }, checkThrows: { type: 'boolean' } } },
    check: (options, context) => {
      checked.push({ ...(context.readOnly === undefined ? {} : { readOnly: context.readOnly }) });
      if (options.checkThrows === true) throw new Error('check crashed');
      return options.bad === true && context.readOnly !== true
        ? [{ pointer: '/bad', expected: 'bad only when reading', found: 'true for a run' }]
        : [];
    },
    create: () => {
      created.push('checking');
      return createMemoryStore();
    },
  });
  const loadChecking = (options: Record<string, unknown>) => load(options, checkingStore);

  it('is asked before create: a run refuses its issues without creating the store', async () => {
    created.length = 0;
    const experiment = await loadChecking({ bad: true });
    expect(checkStoreOptions(experiment)).toEqual([
      { pointer: '/store/options/bad', expected: 'bad only when reading', found: 'true for a run' },
    ]);
    await expect(runLoadedExperiment(experiment)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message:
        'Invalid options for the `checking` store:\n  /store/options/bad: expected bad only when reading, found true for a run',
      issues: [{ pointer: '/store/options/bad' }],
    });
    expect(created).toEqual([]);
  });

  it('takes a check that throws a CONFIG_INVALID with issues as its issues, as the docs allow (trial 66)', async () => {
    const throwing = defineStore<Record<string, never>>({
      name: 'throwing-check',
      optionsSchema: { type: 'object' },
      check: () => {
        throw new ParzenError('CONFIG_INVALID', 'Invalid options', {
          issues: [{ pointer: '/url', expected: 'a URL', found: 'nothing' }],
        });
      },
      create: () => createMemoryStore(),
    });
    expect(checkStoreOptions(await load({}, throwing))).toEqual([
      { pointer: '/store/options/url', expected: 'a URL', found: 'nothing' },
    ]);
    // Without issues: a refusal of the options as a whole, not a fault of the plugin (review 70).
    const bare = defineStore<Record<string, never>>({
      name: 'bare-check',
      optionsSchema: { type: 'object' },
      check: () => {
        throw new ParzenError('CONFIG_INVALID', 'bare-check needs a url');
      },
      create: () => createMemoryStore(),
    });
    expect(checkStoreOptions(await load({}, bare))).toEqual([
      {
        pointer: '/store/options',
        expected: 'options the store plugin accepts',
        found: 'its check() refused them: bare-check needs a url',
      },
    ]);
  });

  it('knows a store opened for reading, and a check that throws is the plugin fault', async () => {
    checked.length = 0;
    const store = await openStoreForReading(await loadChecking({ bad: true }));
    await store.close();
    expect(checked).toEqual([{ readOnly: true }]);
    const crashing = await loadChecking({ checkThrows: true });
    expect(() => checkStoreOptions(crashing)).toThrow(
      'The store plugin `checking` could not check its options: check crashed. This is a fault of the plugin, not of the config.',
    );
    await expect(runLoadedExperiment(crashing)).rejects.toMatchObject({ code: 'PLUGIN_INVALID' });
    // An async check (review 53: its issues were dropped, the run went on).
    const asyncCheck = defineStore<Record<string, never>>({
      name: 'async-check',
      optionsSchema: { type: 'object' },
      check: (async () => [{ pointer: '', expected: 'x', found: 'y' }]) as never,
      create: () => createMemoryStore(),
    });
    await expect(runLoadedExperiment(await load({}, asyncCheck))).rejects.toMatchObject({
      code: 'PLUGIN_INVALID',
      message: expect.stringContaining('its check() returned a promise; expected an array of issues, returned at once'),
    });
  });
});
