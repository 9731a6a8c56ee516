import { describe, expect, it } from 'vitest';
import { defineReporter, defineStopper, defineSuggester } from '../contracts/manifest.js';
import { defineService, SERVICES, serviceToken } from '../contracts/services.js';
import { invalidConfig, type ParzenError } from '../errors.js';
import type { EngineEvent } from '../events/engine-event.js';
import { loadExperiment, runLoadedExperiment } from './experiment.js';

/** A service a third-party package contributes: a counter of trials begun, one per study. */
const COUNTER = serviceToken<{ count: number }>('test.counter');
const counterService = defineService({ token: COUNTER, create: () => ({ count: 0 }) });

const created: { counter: { count: number }; storeName: string; rngFirst: number }[] = [];
const counting = defineSuggester<Record<string, never>>({
  name: 'counting',
  optionsSchema: { type: 'object', properties: {} },
  create: (_options, context) => {
    const counter = context.services.get(COUNTER);
    const store = context.services.get(SERVICES.store);
    const rng = context.services.get(SERVICES.rng)('counting');
    created.push({ counter, storeName: store.name, rngFirst: rng.next() });
    return {
      name: 'counting',
      beginTrial: (trial) => {
        counter.count++;
        return { sampleParam: () => trial.rng.next() };
      },
    };
  },
});
const seen: EngineEvent['type'][] = [];
const busListener = defineReporter<Record<string, never>>({
  name: 'bus-listener',
  optionsSchema: { type: 'object', properties: {} },
  // A plugin that asks for the study's bus (the rxjs stream) instead of being a callback reporter.
  create: (_options, context) => {
    context.services.get(SERVICES.bus).events$.subscribe((event) => seen.push(event.type));
    return { name: 'bus-listener', onEvent: () => {} };
  },
});

const config = (name: string, seed: number) => ({
  name,
  seed,
  space: { x: { type: 'uniform', low: 0, high: 1 } },
  objective: { use: 'function', options: { name: 'id' } },
  suggester: { use: 'counting' },
  store: { use: 'memory' },
  reporters: [{ use: 'bus-listener' }],
  budget: { maxTrials: 4 },
});

describe('dependency injection: one child container per study', () => {
  it('gives plugin factories the study services, contributed services once per study, and the store', async () => {
    created.length = 0;
    const options = {
      plugins: [{ manifests: [counting, busListener], services: [counterService] }],
      functions: { id: (params: Readonly<Record<string, unknown>>) => params.x as number },
    };
    const a = await loadExperiment(config('a', 1), options);
    const b = await loadExperiment(config('b', 1), options);
    await runLoadedExperiment(a);
    await runLoadedExperiment(b);
    await runLoadedExperiment(a);
    expect(created).toHaveLength(3);
    // Each run is its own study scope: its own counter, which saw that run's 4 trials (resumes do not share).
    expect(created.map((c) => c.counter.count)).toEqual([4, 4, 4]);
    expect(new Set(created.map((c) => c.counter)).size).toBe(3);
    expect(created.every((c) => c.storeName === 'memory')).toBe(true);
    // The RNG factory is derived from the study seed: same seed and purpose, same stream.
    expect(created[0]?.rngFirst).toBe(created[1]?.rngFirst);
    expect(seen.filter((type) => type === 'trial.finished')).toHaveLength(12);
    expect(seen.filter((type) => type === 'study.finished')).toHaveLength(3);
  });

  // Review 147: `parzen run` built each run's objective before its store opened, only to hear the run's bus.
  it("lets the caller hear the run's events through onEvent, from the run's start to its end, then no more", async () => {
    const heard: EngineEvent['type'][] = [];
    const options = {
      plugins: [{ manifests: [counting, busListener], services: [counterService] }],
      functions: { id: (params: Readonly<Record<string, unknown>>) => params.x as number },
    };
    const experiment = await loadExperiment(config('heard', 2), options);
    await runLoadedExperiment(experiment, { onEvent: (event) => heard.push(event.type) });
    expect(heard[0]).toBe('study.started');
    expect(heard.filter((type) => type === 'trial.finished')).toHaveLength(4);
    expect(heard.at(-1)).toBe('study.finished');
    const count = heard.length;
    await runLoadedExperiment(experiment);
    expect(heard).toHaveLength(count);
  });

  // Review 148: a listener that threw was said as the objective throwing outside its call, then crashed the caller.
  it('cuts off an onEvent that throws, with a warning, and the run goes on', async () => {
    const warnings: string[] = [];
    let calls = 0;
    const options = {
      plugins: [{ manifests: [counting, busListener], services: [counterService] }],
      functions: { id: (params: Readonly<Record<string, unknown>>) => params.x as number },
    };
    const experiment = await loadExperiment(config('thrower', 2), options);
    const result = await runLoadedExperiment(experiment, {
      onEvent: () => {
        calls++;
        throw new Error('listener bug');
      },
      onWarning: (message) => warnings.push(message),
    });
    expect(result.trials.map((trial) => trial.state)).toEqual(['complete', 'complete', 'complete', 'complete']);
    expect(calls).toBe(1);
    expect(warnings).toEqual([expect.stringContaining('threw in onEvent, so it gets no more events')]);
    expect(warnings[0]).toContain('listener bug');
  });

  it('gives a reporter a store that only reads, a bus that only streams, a factory of reporters only: reporters never steer', async () => {
    const attempts: string[] = [];
    const steering = defineReporter<Record<string, never>>({
      name: 'steering',
      optionsSchema: { type: 'object', properties: {} },
      create: (_options, context) => {
        const store = context.services.get(SERVICES.store);
        const plugins = context.services.get(SERVICES.plugins);
        const bus = context.services.get(SERVICES.bus);
        return {
          name: 'steering',
          onEvent: async (event) => {
            if (event.type !== 'trial.finished') return;
            attempts.push(`read ${(await store.listTrials('r')).length}`);
            // A fake best trial, which a reporter once could add (it became the run's best and used up budget).
            try {
              await store.createTrial('r');
            } catch (error) {
              attempts.push((error as Error).message);
            }
            try {
              await plugins.create('store', { use: 'memory' });
            } catch (error) {
              attempts.push((error as Error).message);
            }
            try {
              bus.emit({ ...event, trial: { ...event.trial, number: 99 } });
            } catch (error) {
              attempts.push((error as Error).message);
            }
          },
        };
      },
    });
    const experiment = await loadExperiment(
      { ...config('r', 3), suggester: { use: 'counting' }, reporters: [{ use: 'steering' }], budget: { maxTrials: 3 } },
      { plugins: [{ manifests: [counting, steering], services: [counterService] }], functions: { id: () => 0 } },
    );
    const result = await runLoadedExperiment(experiment);
    expect(result.trials.map((trial) => trial.state)).toEqual(['complete', 'complete', 'complete']);
    expect(attempts[0]).toBe('read 1');
    expect(attempts[1]).toMatch(/A reporter called store\.createTrial\(\): reporters listen, never steer/);
    expect(attempts[2]).toMatch(/A reporter may create other reporters, not a store/);
    expect(attempts[3]).toMatch(/A reporter called bus\.emit\(\): reporters listen, never steer/);
  });

  it('gives a stopper a bus that only streams, and a contributed service a store that only reads (review 74)', async () => {
    const attempts: string[] = [];
    const ending = defineStopper<Record<string, never>>({
      name: 'ending',
      optionsSchema: { type: 'object', properties: {} },
      create: (_options, context) => {
        const bus = context.services.get(SERVICES.bus);
        return {
          name: 'ending',
          shouldStop: () => {
            // It ended every reporter's stream mid-run: they never saw a trial finish or the study end.
            try {
              bus.complete();
            } catch (error) {
              attempts.push((error as Error).message);
            }
            return undefined;
          },
        };
      },
    });
    // A package's service that hands its reporter the study's store and bus.
    const BACKDOOR = serviceToken<{ store: unknown; bus: unknown }>('test.backdoor');
    const backdoor = defineService({
      token: BACKDOOR,
      create: (services) => ({ store: services.get(SERVICES.store), bus: services.get(SERVICES.bus) }),
    });
    const sneaking = defineReporter<Record<string, never>>({
      name: 'sneaking',
      optionsSchema: { type: 'object', properties: {} },
      create: (_options, context) => {
        const door = context.services.get(BACKDOOR) as {
          store: { createTrial(study: string): Promise<unknown> };
          bus: { emit(event: unknown): void };
        };
        return {
          name: 'sneaking',
          onEvent: async (event) => {
            if (event.type !== 'trial.finished' || event.trial.number !== 0) return;
            try {
              await door.store.createTrial('b');
            } catch (error) {
              attempts.push((error as Error).message);
            }
            try {
              door.bus.emit(event);
            } catch (error) {
              attempts.push((error as Error).message);
            }
          },
        };
      },
    });
    seen.length = 0;
    const experiment = await loadExperiment(
      {
        ...config('b', 3),
        reporters: [{ use: 'bus-listener' }, { use: 'sneaking' }],
        stopper: { use: 'ending' },
        budget: { maxTrials: 3 },
      },
      {
        plugins: [{ manifests: [counting, busListener, ending, sneaking], services: [counterService, backdoor] }],
        functions: { id: () => 0 },
      },
    );
    const result = await runLoadedExperiment(experiment);
    // The run's own three trials, none a reporter made; every reporter heard the whole run.
    expect(result.trials.map((trial) => trial.state)).toEqual(['complete', 'complete', 'complete']);
    expect(seen.filter((type) => type === 'trial.finished')).toHaveLength(3);
    expect(seen.at(-1)).toBe('study.finished');
    expect(attempts).toContain(
      "A stopper called bus.complete(): the run alone sends the study's events, so the bus a stopper gets only streams.",
    );
    expect(attempts).toContain(
      "The service `test.backdoor` called store.createTrial(): the run alone writes the study's store, so the store a contributed service gets only reads.",
    );
    expect(attempts).toContain(
      "The service `test.backdoor` called bus.emit(): the run alone sends the study's events, so the bus a contributed service gets only streams.",
    );
  });

  it("says services that need each other, and a service's create() that throws, by name (trial 70)", async () => {
    const A = serviceToken<unknown>('test.a');
    const B = serviceToken<unknown>('test.b');
    const BOOM = serviceToken<unknown>('test.boom');
    const a = defineService({ token: A, create: (services) => ({ b: services.get(B) }) });
    const b = defineService({ token: B, create: (services) => ({ a: services.get(A) }) });
    const boom = defineService({
      token: BOOM,
      create: () => {
        throw new TypeError('boom');
      },
    });
    const asking = (token: typeof A) =>
      defineStopper<Record<string, never>>({
        name: 'asking',
        optionsSchema: { type: 'object', properties: {} },
        create: (_options, context) => {
          context.services.get(token);
          return { name: 'asking', shouldStop: () => undefined };
        },
      });
    const failure = async (token: typeof A) =>
      runLoadedExperiment(
        await loadExperiment(
          { ...config('c', 3), reporters: [], stopper: { use: 'asking' }, budget: { maxTrials: 1 } },
          {
            plugins: [{ manifests: [counting, asking(token)], services: [counterService, a, b, boom] }],
            functions: { id: () => 0 },
          },
        ),
      ).then(
        () => undefined,
        (error: ParzenError) => error,
      );
    // It was inversify's "Circular dependency found: (No dependency trace)", said as the stopper's options.
    expect(await failure(A)).toMatchObject({
      code: 'PLUGIN_INVALID',
      message: expect.stringContaining(
        "The services `test.a` → `test.b` → `test.a` need each other: a service's create() may ask only for services that do not ask for it back.",
      ),
    });
    expect(await failure(BOOM)).toMatchObject({
      code: 'PLUGIN_INVALID',
      message: expect.stringContaining(
        'The service `test.boom` could not be made: its create() threw boom. This is a fault of the plugin package that contributes it',
      ),
    });
  });

  it('closes the services that were made when the run ends, last made first; a close that throws is a warning (trial 70)', async () => {
    const events: string[] = [];
    const FIRST = serviceToken<{ name: string }>('test.first');
    const SECOND = serviceToken<{ name: string }>('test.second');
    const UNUSED = serviceToken<{ name: string }>('test.unused');
    const first = defineService({
      token: FIRST,
      create: () => ({ name: 'first' }),
      close: (service) => {
        events.push(`close ${service.name}`);
        throw new Error('already gone');
      },
    });
    const second = defineService({
      token: SECOND,
      create: (services) => ({ name: `second after ${services.get(FIRST).name}` }),
      close: async (service) => {
        events.push(`close ${service.name}`);
      },
    });
    const unused = defineService({
      token: UNUSED,
      create: () => ({ name: 'unused' }),
      close: () => void events.push('unused'),
    });
    const using = defineStopper<Record<string, never>>({
      name: 'using',
      optionsSchema: { type: 'object', properties: {} },
      create: (_options, context) => {
        context.services.get(SECOND);
        return { name: 'using', shouldStop: () => undefined };
      },
    });
    const warnings: string[] = [];
    const result = await runLoadedExperiment(
      await loadExperiment(
        { ...config('closing', 3), reporters: [], stopper: { use: 'using' }, budget: { maxTrials: 2 } },
        {
          plugins: [{ manifests: [counting, using], services: [counterService, first, second, unused] }],
          functions: { id: () => 0 },
          logger: { info: () => undefined, warn: (message: string) => warnings.push(message) },
        },
      ),
    );
    expect(result.trials).toHaveLength(2);
    expect(events).toEqual(['close second after first', 'close first']);
    expect(warnings).toContain('the service `test.first` could not be closed: already gone');
  });

  it('gives a stopper (and every plugin but a store) a store that only reads (trial 60: one could add trials)', async () => {
    const attempts: string[] = [];
    const writing = defineStopper<Record<string, never>>({
      name: 'writing',
      optionsSchema: { type: 'object', properties: {} },
      create: (_options, context) => {
        const store = context.services.get(SERVICES.store);
        return {
          name: 'writing',
          shouldStop: ({ trials }) => {
            attempts.push(`read ${trials.length}`);
            try {
              void store.enqueue?.('r', [{ internal: { x: 0 } }]);
            } catch (error) {
              attempts.push((error as Error).message);
            }
            // Nor a store of its own (review 63: one on the study's file wrote to it).
            try {
              void context.services.get(SERVICES.plugins).create('store', { use: 'memory' });
            } catch (error) {
              attempts.push((error as Error).message);
            }
            return undefined;
          },
        };
      },
    });
    const experiment = await loadExperiment(
      { ...config('r', 3), reporters: [], stopper: { use: 'writing' }, budget: { maxTrials: 2 } },
      { plugins: [{ manifests: [counting, writing], services: [counterService] }], functions: { id: () => 0 } },
    );
    const result = await runLoadedExperiment(experiment);
    expect(result.trials).toHaveLength(2);
    expect(attempts).toContain(
      "A stopper called store.enqueue(): the run alone writes the study's store, so the store a stopper gets only reads.",
    );
    expect(attempts).toContain(
      "A stopper may not create a store: the run alone writes the study's store, and the store a stopper gets only reads.",
    );
    // A create-time config error of the stopper is said at its slot's pointer.
    const picky = defineStopper<Record<string, never>>({
      name: 'picky',
      optionsSchema: { type: 'object', properties: {} },
      create: () => {
        throw invalidConfig('picky stopper options', [{ pointer: '/file', expected: 'a file', found: 'a folder' }]);
      },
    });
    const refused = await runLoadedExperiment(
      await loadExperiment(
        { ...config('p', 3), reporters: [], stopper: { use: 'picky' } },
        { plugins: [{ manifests: [counting, picky], services: [counterService] }], functions: { id: () => 0 } },
      ),
    ).then(
      () => undefined,
      (error: ParzenError) => error,
    );
    expect(refused?.issues.map((issue) => issue.pointer)).toEqual(['/stopper/options/file']);
    expect(refused?.message).toContain('\n  /stopper/options/file: expected a file, found a folder');
  });

  it('refuses a service nobody provides, naming it', async () => {
    const needy = defineSuggester<Record<string, never>>({
      name: 'needy',
      optionsSchema: { type: 'object', properties: {} },
      create: (_options, context) => {
        context.services.get(serviceToken('nobody.provides.this'));
        return { name: 'needy', beginTrial: () => ({ sampleParam: () => 0 }) };
      },
    });
    const experiment = await loadExperiment(
      { ...config('c', 2), suggester: { use: 'needy' }, reporters: [] },
      { plugins: [{ manifests: [needy] }], functions: { id: () => 0 } },
    );
    await expect(runLoadedExperiment(experiment)).rejects.toThrow(/needy.*could not start.*nobody\.provides\.this/);
  });

  it('offers an injected clock as the `clock` service, and stamps events and memory-store trials with it', async () => {
    const fixed = new Date('2001-02-03T04:05:06.000Z');
    const clock = { now: () => fixed };
    const clocks: unknown[] = [];
    const times: string[] = [];
    const timed = defineReporter<Record<string, never>>({
      name: 'timed',
      optionsSchema: { type: 'object', properties: {} },
      create: (_options, context) => {
        clocks.push(context.services.get(SERVICES.clock));
        return { name: 'timed', onEvent: (event) => times.push(event.at) };
      },
    });
    const experiment = await loadExperiment(
      { ...config('clocked', 3), suggester: { use: 'counting' }, reporters: [{ use: 'timed' }] },
      {
        plugins: [{ manifests: [counting, timed], services: [counterService] }],
        functions: { id: (params: Readonly<Record<string, unknown>>) => params.x as number },
        clock,
      },
    );
    const result = await runLoadedExperiment(experiment);
    expect(clocks).toEqual([clock]);
    expect(times.length).toBeGreaterThan(8);
    expect(new Set(times)).toEqual(new Set([fixed.toISOString()]));
    expect(result.trials).toHaveLength(4);
    for (const trial of result.trials) {
      expect(trial.startedAt).toBe(fixed.toISOString());
      expect(trial.state !== 'running' && trial.finishedAt).toBe(fixed.toISOString());
    }
  });
});

describe("a store plugin's own errors (trial 60)", () => {
  it('are STORE_FAILED errors naming the plugin and the method, the cause kept; ParzenErrors pass as they are', async () => {
    const { createMemoryStore } = await import('../builtins/memory-store.js');
    const { defineStore } = await import('../contracts/manifest.js');
    const { ParzenError } = await import('../errors.js');
    let calls = 0;
    const flaky = defineStore<Record<string, never>>({
      name: 'flaky',
      optionsSchema: { type: 'object', properties: {} },
      create: () => {
        const store = createMemoryStore();
        return {
          ...store,
          name: 'flaky',
          openStudy: (spec) => store.openStudy(spec),
          createTrial: async (study, options) => {
            calls++;
            if (calls === 3) throw new Error('disk on fire');
            return store.createTrial(study, options);
          },
        };
      },
    });
    const experiment = await loadExperiment(
      { ...config('flaky-study', 1), store: { use: 'flaky' } },
      {
        plugins: [{ manifests: [counting, busListener, flaky], services: [counterService] }],
        functions: { id: (params: Readonly<Record<string, unknown>>) => params.x as number },
      },
    );
    const error = await runLoadedExperiment(experiment).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ParzenError);
    expect(error).toMatchObject({
      code: 'STORE_FAILED',
      plugin: 'flaky',
      message: 'The `flaky` store failed (createTrial): disk on fire',
    });
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('passes ParzenErrors and the codes the run loop acts on as they are, converts thenables and synchronous throws, and follows a replaced method (review 61/62)', async () => {
    const { createMemoryStore } = await import('../builtins/memory-store.js');
    const { createPlugin } = await import('./create-plugin.js');
    const { defineStore } = await import('../contracts/manifest.js');
    const { ParzenError } = await import('../errors.js');
    const { createRegistry } = await import('../di/registry.js');
    const raw = createMemoryStore();
    const store = {
      ...raw,
      name: 'odd',
      getStudy: async () => {
        throw new ParzenError('STUDY_NOT_FOUND', 'no such study');
      },
      finishTrial: async () => {
        throw Object.assign(new Error('taken over'), { code: 'TRIAL_ALREADY_FINISHED' });
      },
      listTrials: () => ({
        // biome-ignore lint/suspicious/noThenProperty: a thenable that is no native promise is the point here.
        then: (_: unknown, reject: (error: unknown) => void) => reject(new Error('thenable boom')),
      }),
      renewLease: () => {
        throw new Error('sync boom');
      },
    };
    const registry = createRegistry([
      defineStore<Record<string, never>>({
        name: 'odd',
        optionsSchema: { type: 'object' },
        create: () => store as never,
      }),
    ]);
    const guarded = await createPlugin(registry, { baseDir: '.', study: 's' } as never, 'store', { use: 'odd' });
    await expect(guarded.getStudy('s')).rejects.toMatchObject({ code: 'STUDY_NOT_FOUND', message: 'no such study' });
    await expect(guarded.finishTrial('s', 0, { state: 'complete', loss: 1 })).rejects.toMatchObject({
      code: 'TRIAL_ALREADY_FINISHED',
    });
    await expect(guarded.listTrials('s')).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: 'The `odd` store failed (listTrials): thenable boom',
    });
    expect(() => guarded.renewLease('s', 0, { owner: 'x', expiresAt: '' })).toThrow(
      'The `odd` store failed (renewLease): sync boom',
    );
    // A method the store replaces on itself after first use: the new one is called.
    await expect(guarded.listTrials('s')).rejects.toThrow();
    store.listTrials = (() => Promise.resolve([])) as never;
    await expect(guarded.listTrials('s')).resolves.toEqual([]);
  });
});
