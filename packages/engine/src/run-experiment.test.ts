import { getEventListeners } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from './builtins/memory-store.js';
import { definePruner, defineReporter, defineStopper, defineStore, defineSuggester } from './contracts/manifest.js';
import type { TrialStore } from './contracts/store.js';
import { sampleDistribution } from './domain/sample-distribution.js';
import type { ParzenError } from './errors.js';
import { loadExperiment, runExperiment } from './experiment.js';

const prior = defineSuggester<Record<string, never>>({
  name: 'prior',
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: () => ({
    name: 'prior',
    beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
  }),
});

const config = {
  name: 'heart',
  seed: 3,
  space: { x: { type: 'uniform', low: -2, high: 2 }, y: { type: 'uniform', low: -2, high: 2 } },
  objective: { use: 'function', options: { name: 'heart' } },
  suggester: { use: 'prior' },
  reporters: [],
  budget: { maxTrials: 25 },
};
const functions = {
  heart: (p: Readonly<Record<string, unknown>>) => {
    const x = p.x as number;
    const y = p.y as number;
    return -((x ** 2 + y ** 2 - 1) ** 3 - x ** 2 * y ** 3);
  },
};

/** A store plugin `shared` that hands every study the one memory store given (it survives the run). */
const memoryOnce = (store: TrialStore) =>
  defineStore<Record<string, never>>({
    name: 'shared',
    optionsSchema: { type: 'object' },
    create: () => ({ ...store, name: 'shared', close: async () => {} }),
  });

/** For `.then(noFailure, (error) => error)`: the error a call rejected with, or undefined. */
const noFailure = (): undefined => undefined;

const made: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-engine-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('runExperiment (the composition root)', () => {
  it('says once that "explain": true is heard by no reporter of the config (trial 51), not when one writes the events', async () => {
    const warned: string[] = [];
    const logger = { info: () => undefined, warn: (message: string) => warned.push(message) };
    const run = (reporters: unknown[]) =>
      runExperiment(
        { ...config, explain: true, budget: { maxTrials: 2 }, reporters },
        { plugins: [{ manifests: [prior] }], functions, logger, baseDir: tempDir() },
      );
    await run([{ use: 'console', options: { trials: false, stream: 'stderr' } }]);
    expect(warned.filter((line) => line.includes('"explain": true'))).toEqual([
      'study heart: "explain": true has the suggester explain every suggestion (about three times TPE\'s work), and no reporter of this config receives the explanations (progress and console do not show them): add { "use": "events", "options": { "path": "events.jsonl" } } to "reporters", or leave "explain" out.',
    ]);
    warned.length = 0;
    await run([{ use: 'events', options: { path: 'events.jsonl' } }]);
    await run([{ use: 'events', options: { path: 'e2.jsonl', types: ['trial.finished'] } }]);
    // Only the second, naming what leaves them out: its events reporter's types, not a missing reporter.
    expect(warned.filter((line) => line.includes('"explain": true'))).toEqual([
      'study heart: "explain": true has the suggester explain every suggestion (about three times TPE\'s work), and no reporter of this config receives the explanations: the "types" of its events reporter (/reporters/0) leaves out "suggestion.explained": add it to the list, or leave "explain" out.',
    ]);
  });

  it("warns of a q parameter whose grid passes a bound on runExperiment's onWarning, as the run's other warnings", async () => {
    const warned: string[] = [];
    const logged: string[] = [];
    const logger = { info: () => undefined, warn: (message: string) => logged.push(message) };
    await runExperiment(
      {
        ...config,
        space: { ...config.space, n: { type: 'quniform', low: 10, high: 500, q: 100 } },
        budget: { maxTrials: 1 },
      },
      { plugins: [{ manifests: [prior] }], functions, logger, onWarning: (message) => warned.push(message) },
    );
    expect(warned).toEqual([expect.stringMatching(/^study heart: \/space\/n: quniform can give 0, below low \(10\)/)]);
    expect(logged).toEqual([]);
  });

  it("warns once per run of the options a plugin's notes say do nothing, with pointers into the config (trial 51)", async () => {
    const warned: string[] = [];
    const logger = { info: () => undefined, warn: (message: string) => warned.push(message) };
    const noting = defineSuggester<{ mode: string; width?: number }>({
      name: 'noting',
      optionsSchema: {
        type: 'object',
        additionalProperties: false,
        properties: { mode: { type: 'string', default: 'narrow' }, width: { type: 'number' } },
      },
      create: () => ({
        name: 'noting',
        beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
      }),
      // The filled options (mode's default) and only what the config wrote.
      notes: (options, written) =>
        options.mode === 'narrow' && 'width' in written
          ? [{ pointer: '/width', message: `does nothing with mode "${options.mode}" (wrote ${Object.keys(written)})` }]
          : [],
    });
    const options = { plugins: [{ manifests: [noting] }], functions, logger, baseDir: tempDir() };
    const loaded = await loadExperiment({ ...config, suggester: { use: 'noting', options: { width: 2 } } }, options);
    expect(loaded.notes).toEqual([
      { pointer: '/suggester/options/width', message: 'does nothing with mode "narrow" (wrote width)' },
    ]);
    await runExperiment(
      { ...config, budget: { maxTrials: 2 }, suggester: { use: 'noting', options: { width: 2 } } },
      options,
    );
    expect(warned).toEqual(['study heart: /suggester/options/width: does nothing with mode "narrow" (wrote width)']);
    warned.length = 0;
    await runExperiment(
      { ...config, budget: { maxTrials: 2 }, suggester: { use: 'noting', options: { width: 2, mode: 'wide' } } },
      options,
    );
    expect(warned).toEqual([]);
  });

  it("a plugin's notes that throw or return no notes are the plugin's fault (PLUGIN_INVALID), not the config's", async () => {
    const faulty = (notes: () => unknown) =>
      defineSuggester<Record<string, never>>({
        name: 'faulty',
        optionsSchema: { type: 'object' },
        create: () => ({ name: 'faulty', beginTrial: () => ({ sampleParam: () => 0 }) }),
        notes: notes as () => [],
      });
    const load = (notes: () => unknown) =>
      loadExperiment(
        { ...config, suggester: { use: 'faulty' } },
        { plugins: [{ manifests: [faulty(notes)] }], functions, baseDir: tempDir() },
      ).then(noFailure, (error) => error);
    const thrown = await load(() => {
      throw new Error('boom');
    });
    expect(thrown).toMatchObject({ code: 'PLUGIN_INVALID', plugin: 'faulty' });
    expect(thrown.message).toContain("The suggester plugin `faulty`'s notes() threw: boom;");
    const odd = await load(() => ['a string']);
    expect(odd).toMatchObject({ code: 'PLUGIN_INVALID' });
    expect(odd.message).toContain('notes() returned');
    expect(await load(() => [])).toBeUndefined();
  });

  it('writes the events a config asks for to a file, explanations included (trial 39: "explain" showed nowhere)', async () => {
    const dir = tempDir();
    const explaining = defineSuggester<Record<string, never>>({
      name: 'explaining',
      optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
      create: () => ({
        name: 'explaining',
        beginTrial: (context) => {
          context.explain?.({ why: 'the prior', worst: Number.NEGATIVE_INFINITY });
          return { sampleParam: (param) => sampleDistribution(param.distribution, context.rng) };
        },
      }),
    });
    await runExperiment(
      {
        ...config,
        explain: true,
        suggester: { use: 'explaining' },
        budget: { maxTrials: 3 },
        reporters: [
          { use: 'events', options: { path: './out/events.jsonl', types: ['suggestion.explained', 'trial.finished'] } },
        ],
      },
      { plugins: [{ manifests: [explaining] }], functions, baseDir: dir },
    );
    const lines = readFileSync(join(dir, 'out', 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((event) => `${event.type} ${event.number ?? event.trial.number}`)).toEqual([
      'suggestion.explained 0',
      'trial.finished 0',
      'suggestion.explained 1',
      'trial.finished 1',
      'suggestion.explained 2',
      'trial.finished 2',
    ]);
    expect(lines[0].explanation).toEqual({ why: 'the prior', worst: '-Infinity' });
    const refused = await loadExperiment(
      { ...config, reporters: [{ use: 'events', options: { types: ['trial.done'] } }] },
      { functions },
    ).then(noFailure, (error: Error) => error);
    expect(refused?.message).toMatch(/\/reporters\/0\/options\/path: expected a value \(required\)/);
    expect(refused?.message).toMatch(
      /\/reporters\/0\/options\/types\/0: expected one of "study.started", .*found "trial.done"/,
    );
    // A folder where the file should be is the option's fault, said as such (review 40: Node's EISDIR).
    const folder = await runExperiment(
      { ...config, reporters: [{ use: 'events', options: { path: './out' } }] },
      { functions, plugins: [{ manifests: [prior] }], baseDir: dir },
    ).then(noFailure, (error: Error) => error);
    // At the reporter's own pointer, of several (trial 62: said at `/options/path`, which the config does not have).
    expect(folder?.message).toContain(
      `\n  /reporters/0/options/path: expected a file the events can be appended to, found a folder at ${join(dir, 'out')}`,
    );
    expect((folder as ParzenError).issues.map((issue) => issue.pointer)).toEqual(['/reporters/0/options/path']);
  });

  it('ends the reporters it made when a later plugin fails to start (review 42: their files stayed open)', async () => {
    let ended = 0;
    const ending = defineReporter<Record<string, never>>({
      name: 'ending',
      optionsSchema: { type: 'object' },
      // An end that throws at once does not hide why the run stopped.
      create: () => ({
        name: 'ending',
        onEvent: () => undefined,
        end: () => {
          ended++;
          throw new Error('cannot close');
        },
      }),
    });
    const failing = defineReporter<Record<string, never>>({
      name: 'failing',
      optionsSchema: { type: 'object' },
      create: () => {
        throw new Error('no socket');
      },
    });
    const failed = await runExperiment(
      { ...config, reporters: [{ use: 'ending' }, { use: 'failing' }] },
      { plugins: [{ manifests: [prior, ending, failing] }], functions },
    ).then(noFailure, (error: Error) => error);
    expect(failed?.message).toContain('no socket');
    expect(ended).toBe(1);
    // The same when the stopper fails to start, after every reporter (review 43).
    const stopping = defineStopper<Record<string, never>>({
      name: 'stopping',
      optionsSchema: { type: 'object' },
      create: () => {
        throw new Error('no rule');
      },
    });
    const refused = await runExperiment(
      { ...config, reporters: [{ use: 'ending' }], stopper: { use: 'stopping' } },
      { plugins: [{ manifests: [prior, ending, stopping] }], functions },
    ).then(noFailure, (error: Error) => error);
    expect(refused?.message).toContain('no rule');
    expect(ended).toBe(2);
  });

  it('says a TIMEOUT in seconds, naming the config key that set it (review 156: "took longer than 50 ms")', async () => {
    const slow = { heart: () => new Promise<number>((resolve) => setTimeout(() => resolve(1), 2000)) };
    const result = await runExperiment(
      { ...config, budget: { maxTrials: 1 }, trialTimeoutSeconds: 0.05 },
      { plugins: [{ manifests: [prior] }], functions: slow },
    );
    expect(result.trials[0]).toMatchObject({
      state: 'failed',
      error: {
        code: 'TIMEOUT',
        message: 'The objective ran past its time limit of 0.05 s (`trialTimeoutSeconds: 0.05`).',
      },
    });
  });

  it('turns a plain config into a finished study', async () => {
    const result = await runExperiment(config, { plugins: [{ manifests: [prior] }], functions });
    expect(result.trials).toHaveLength(25);
    expect(result.summary.best?.loss).toBeLessThan(0);
  });

  // Trial 136: the trials carried their internal values only, a choice's option index.
  it("lists each trial with its params as the objective saw them (a choice's value) beside its internal values", async () => {
    const seen: Readonly<Record<string, unknown>>[] = [];
    const result = await runExperiment(
      {
        ...config,
        space: {
          model: {
            type: 'choice',
            options: [{ value: 'svm', space: { c: { type: 'uniform', low: 1, high: 2 } } }, 'tree', 3],
          },
        },
        objective: { use: 'function', options: { name: 'seen' } },
        budget: { maxTrials: 12 },
      },
      {
        plugins: [{ manifests: [prior] }],
        functions: {
          seen: (params) => {
            seen.push(params);
            return 1;
          },
        },
      },
    );
    expect(result.trials.map((trial) => trial.params)).toEqual(seen);
    for (const trial of result.trials) {
      const value = trial.params.model;
      expect(['svm', 'tree', 3]).toContain(value);
      expect(trial.internal.model).toBe(['svm', 'tree', 3].indexOf(value as string | number));
      expect('c' in trial.params).toBe(value === 'svm');
    }
  });

  it('refuses options it does not know, saying where run settings go (trial 73: gracePeriodMs ignored, a 30 s stop)', async () => {
    const refused = await runExperiment(config, {
      plugins: [{ manifests: [prior] }],
      functions,
      gracePeriodMs: 2500,
      bogus: 1,
      trialTimeoutSeconds: 90,
      maxTrials: 50,
    } as never).catch((error: unknown) => error as { code: string; issues: { pointer: string; expected: string }[] });
    expect(refused).toMatchObject({ code: 'CONFIG_INVALID' });
    const { issues } = refused as { issues: { pointer: string; expected: string }[] };
    expect(issues.map((issue) => issue.pointer)).toEqual([
      '/gracePeriodMs',
      '/bogus',
      '/trialTimeoutSeconds',
      '/maxTrials',
    ]);
    // The value given, in the config's unit and syntax; a config's own name is said to go there.
    expect(issues[0]?.expected).toContain(
      '(the run\'s `gracePeriodMs` is the config\'s `gracePeriodSeconds`, in seconds: `gracePeriodMs: 2500` is `"gracePeriodSeconds": 2.5` there)',
    );
    expect(issues[2]?.expected).toContain('(`trialTimeoutSeconds` goes in the config: `"trialTimeoutSeconds": 90`)');
    // A budget key, with the value given as the config writes it.
    expect(issues[3]?.expected).toContain(
      '(the run\'s `maxTrials` is the config\'s `budget.maxTrials`: `"budget": {"maxTrials": 50}`)',
    );
  });

  // Review 155: a package's bare `manifests` array in `plugins` was a TypeError stack trace from the loader.
  it("refuses a plugins list with a bare manifests array, at the item, as a config's bad `plugins` entry is", async () => {
    const refused = await runExperiment(config, {
      plugins: [{ manifests: [prior] }, [prior]],
      functions,
    } as never).catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [
        {
          pointer: '/plugins/1',
          expected:
            "a plugin package: a module's exports with a `manifests` array (`import * as objectives from '@parzen/objectives'`)",
          found: 'an array: pass the package, not its `manifests`',
        },
      ],
    });
    // Each bad item at its own place.
    const other = await runExperiment(config, {
      plugins: [{ manifests: [prior] }, 'objectives', null],
      functions,
    } as never).catch((error: unknown) => error as { issues: { pointer: string; found: string }[] });
    expect((other as { issues: { pointer: string; found: string }[] }).issues).toMatchObject([
      { pointer: '/plugins/1', found: '"objectives", without a `manifests` array' },
      { pointer: '/plugins/2', found: 'null, without a `manifests` array' },
    ]);
    // Not an array at all: the option itself.
    await expect(runExperiment(config, { plugins: {}, functions } as never)).rejects.toMatchObject({
      issues: [{ pointer: '/plugins', expected: expect.stringContaining('an array of plugin packages') }],
    });
    // loadExperiment, the same options' loading half, the same (it crashed with the TypeError).
    const loaded = await loadExperiment(config, { plugins: [[prior]], functions } as never).catch(
      (error: unknown) => error,
    );
    expect(loaded).toMatchObject({ code: 'CONFIG_INVALID', issues: [{ pointer: '/plugins/0' }] });
    // And an option it does not know (a typo), as runExperiment refuses one; a run's options are let through.
    await expect(loadExperiment(config, { functions, plugin: [] } as never)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
    const loadedWithSignal = await loadExperiment(config, {
      plugins: [{ manifests: [prior] }],
      functions,
      signal: new AbortController().signal,
    } as never);
    expect(loadedWithSignal.config.name).toBe(config.name);
  });

  // A batch runs many studies on one Ctrl-C signal: a listener left per study warned of a leak
  // (MaxListenersExceededWarning) from the eleventh study of `parzen run` with a matrix on.
  it("leaves no listener on the run's stop signals once a study ends (a batch shares them)", async () => {
    const stop = new AbortController();
    const force = new AbortController();
    for (let seed = 1; seed <= 12; seed++) {
      await runExperiment(
        { ...config, seed, budget: { maxTrials: 2 } },
        { plugins: [{ manifests: [prior] }], functions, signal: stop.signal, forceSignal: force.signal },
      );
    }
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(force.signal, 'abort')).toHaveLength(0);
  });

  it('switches plugins by name only: an unknown one lists the known names', async () => {
    await expect(
      loadExperiment({ ...config, suggester: { use: 'tpe' } }, { plugins: [{ manifests: [prior] }], functions }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [
        {
          pointer: '/suggester/use',
          expected:
            'one of the suggester plugins: prior; `tpe` is in @parzen/algo-tpe, not loaded: list that package in "plugins" beside the others the config uses (in code, runExperiment\'s plugins option: with the parzen package, `[...plugins, thatPackage]`)',
          found: '"tpe"',
        },
      ],
    });
  });

  it('loads a third-party plugin module named in "plugins", relative to the config folder', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'plugin.mjs'),
      `export const manifests = [{ kind: 'suggester', name: 'lowest', optionsSchema: { type: 'object' },
        create: () => ({ name: 'lowest', beginTrial: () => ({ sampleParam: (param) => param.distribution.low ?? 0 }) }) }];`,
    );
    const result = await runExperiment(
      { ...config, plugins: ['./plugin.mjs'], suggester: { use: 'lowest' }, budget: { maxTrials: 2 } },
      { baseDir: dir, functions },
    );
    expect(result.trials.map((trial) => trial.internal)).toEqual([
      { x: -2, y: -2 },
      { x: -2, y: -2 },
    ]);
    expect(result.summary.best?.loss).toBe(-375);
  });

  it('notes a plugin package that provides nothing (`manifests = []`), which loads without a fault', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'empty.mjs'), 'export const manifests = [];');
    writeFileSync(
      join(dir, 'services.mjs'),
      `export const manifests = []; export const services = [{ token: { id: Symbol('clock') }, create: () => ({}) }];`,
    );
    const loaded = await loadExperiment(
      { ...config, plugins: ['./services.mjs', './empty.mjs'] },
      {
        baseDir: dir,
        functions,
        plugins: [{ manifests: [prior] }],
      },
    );
    expect(loaded.notes).toEqual([
      {
        pointer: '/plugins/1',
        message:
          "plugin package `./empty.mjs` provides no plugins: its `manifests` is empty (and it has no `services`); list its plugins' manifests there, or leave it out of `plugins`",
      },
    ]);
    // Listed twice, it is refused as a module with plugins listed twice is, not noted twice.
    await expect(
      loadExperiment({ ...config, plugins: ['./empty.mjs', './empty.mjs'] }, { baseDir: dir, functions }),
    ).rejects.toMatchObject({
      code: 'PLUGIN_DUPLICATE',
      message: expect.stringMatching(/^A plugin module is listed twice:/),
      issues: [
        { pointer: '/plugins/1', expected: 'each module listed once', found: './empty.mjs again (it is /plugins/0)' },
      ],
    });
  });

  it('refuses a plugin whose options schema is malformed, naming the plugin and the keyword', async () => {
    // Schemas are not checked against the meta-schema first (it costs ~45 ms per process); one that does
    // not compile is, to say where in it the fault is, what was expected there and what was found.
    for (const [schema, issue] of [
      [
        { type: 'object', properties: { step: { minimum: '3' } } },
        '/optionsSchema/properties/step/minimum: expected a number, found "3"',
      ],
      [{ type: 'object', required: 'step' }, '/optionsSchema/required: expected an array, found "step"'],
      [
        { type: 'strng' },
        '/optionsSchema/type: expected one of "array", "boolean", "integer", "null", "number", "object", "string", found "strng"',
      ],
    ] as const) {
      const broken = { ...prior, name: 'broken', optionsSchema: schema } as unknown as typeof prior;
      await expect(
        loadExperiment({ ...config, suggester: { use: 'broken' } }, { plugins: [{ manifests: [broken] }], functions }),
      ).rejects.toMatchObject({
        code: 'PLUGIN_INVALID',
        message: expect.stringMatching(
          new RegExp(
            `^Plugin \`broken\` has an options schema that is not valid JSON Schema .*:\\n.*${issue.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
          ),
        ),
      });
    }
  });

  it("refuses a plugin whose schema refuses its own default, as the plugin's fault (trial 33: blamed on the config)", async () => {
    const optionsSchema = {
      type: 'object',
      properties: { cap: { type: 'number', default: '0.5' }, keep: { default: 1 } },
    };
    const broken = { ...prior, name: 'broken', optionsSchema } as unknown as typeof prior;
    await expect(
      loadExperiment({ ...config, suggester: { use: 'broken' } }, { plugins: [{ manifests: [broken] }], functions }),
    ).rejects.toMatchObject({
      code: 'PLUGIN_INVALID',
      message:
        'Plugin `broken` has a default its own options schema refuses (a fault of the plugin, not of the config):\n' +
        '  /optionsSchema/properties/cap/default: expected a number, found "0.5"',
    });
  });

  it('says where a plugin module failed to load: the line that threw, or the command that finds a syntax error (trial 33)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'syntax.mjs'), 'export const x = (;\n');
    writeFileSync(join(dir, 'throws.mjs'), 'const a = 1;\nundefinedFn(a);\nexport const manifests = [];\n');
    // As Node's import() fails (Vitest's own import would transform the module first and say otherwise).
    const importModule = async (url: string): Promise<never> => {
      if (url.endsWith('syntax.mjs')) throw new SyntaxError("Unexpected token ';'");
      const error = new ReferenceError('undefinedFn is not defined');
      // The module the plugin imports threw (a CommonJS one, as Node writes its frames).
      error.stack = `ReferenceError: undefinedFn is not defined\n    at Object.<anonymous> (${join(dir, 'dep.cjs')}:3:7)\n    at ${url}:1:1\n    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)`;
      throw error;
    };
    const load = (plugin: string) => loadExperiment({ ...config, plugins: [plugin] }, { baseDir: dir, importModule });
    await expect(load('./syntax.mjs')).rejects.toMatchObject({
      code: 'PLUGIN_LOAD_FAILED',
      issues: [
        { found: `a syntax error: Unexpected token ';' (\`node --check ${join(dir, 'syntax.mjs')}\` shows where)` },
      ],
    });
    await expect(load('./throws.mjs')).rejects.toMatchObject({
      code: 'PLUGIN_LOAD_FAILED',
      issues: [{ found: `an error while it loaded: undefinedFn is not defined (at ${join(dir, 'dep.cjs')}:3:7)` }],
    });
  });

  it('says each plugins entry that names no module at its own place, before any is loaded (trial 62)', async () => {
    const imported: string[] = [];
    const importModule = async (url: string): Promise<never> => {
      imported.push(url);
      throw new Error('not reached');
    };
    const refused = await loadExperiment(
      { ...config, plugins: ['./fine.mjs', '', ' ', 5] },
      { baseDir: tempDir(), importModule },
    ).then(noFailure, (error: ParzenError) => error);
    expect(refused).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(refused?.issues.map((issue) => [issue.pointer, issue.found])).toEqual([
      ['/plugins/1', '"", an empty name'],
      ['/plugins/2', '" ", an empty name'],
      ['/plugins/3', '5'],
    ]);
    expect(imported).toEqual([]);
  });

  it('reports a broken plugin module clearly', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'none.mjs'), 'export const other = 1;');
    writeFileSync(join(dir, 'bad.mjs'), "export const manifests = [{ kind: 'algorithm', name: 'x' }];");
    await expect(loadExperiment({ ...config, plugins: ['./missing.mjs'] }, { baseDir: dir })).rejects.toMatchObject({
      code: 'PLUGIN_LOAD_FAILED',
      message: expect.stringContaining(`/plugins/0: expected a module file`),
      issues: [expect.objectContaining({ pointer: '/plugins/0', found: `no file at ${join(dir, 'missing.mjs')}` })],
    });
    await expect(
      loadExperiment({ ...config, plugins: ['./none.mjs', './none.mjs'] }, { baseDir: dir }),
    ).rejects.toMatchObject({
      code: 'PLUGIN_INVALID',
      issues: [
        {
          pointer: '/plugins/0',
          expected: 'a module exporting `manifests`, an array of plugin manifests',
          found: 'no `manifests` export (it exports other)',
        },
      ],
    });
    writeFileSync(join(dir, 'object.mjs'), 'export const manifests = { a: 1 };');
    await expect(loadExperiment({ ...config, plugins: ['./object.mjs'] }, { baseDir: dir })).rejects.toMatchObject({
      issues: [expect.objectContaining({ found: '`manifests` = {"a":1}' })],
    });
    writeFileSync(join(dir, 'syntax.mjs'), 'export const manifests = [;');
    await expect(loadExperiment({ ...config, plugins: ['./syntax.mjs'] }, { baseDir: dir })).rejects.toMatchObject({
      code: 'PLUGIN_LOAD_FAILED',
      // Node says `a syntax error: Unexpected token ';'`; under Vitest its own loader words it.
      issues: [expect.objectContaining({ pointer: '/plugins/0', found: expect.stringMatching(/syntax/i) })],
    });
    await expect(loadExperiment({ ...config, plugins: ['.'] }, { baseDir: dir })).rejects.toMatchObject({
      code: 'PLUGIN_LOAD_FAILED',
      issues: [
        expect.objectContaining({
          pointer: '/plugins/0',
          found: `a folder, ${dir}: write its module file, or install the folder as a package (npm install ${dir}) and list the package's name`,
        }),
      ],
    });
    await expect(loadExperiment({ ...config, plugins: ['./bad.mjs'] }, { baseDir: dir })).rejects.toMatchObject({
      code: 'PLUGIN_INVALID',
      message: expect.stringContaining('"kind" must be one of suggester, store, objective, reporter'),
    });
    await expect(
      loadExperiment({ ...config, plugins: ['no-such-package-xyz'] }, { baseDir: dir }),
    ).rejects.toMatchObject({
      code: 'PLUGIN_LOAD_FAILED',
      message: expect.stringContaining('no-such-package-xyz'),
    });
  });

  it("refuses a plugin whose create returns no instance of its kind, naming it (it crashed with a TypeError's stack)", async () => {
    const nothing = defineSuggester<Record<string, never>>({ ...prior, name: 'nothing', create: () => null as never });
    await expect(
      runExperiment({ ...config, suggester: { use: 'nothing' } }, { plugins: [{ manifests: [nothing] }], functions }),
    ).rejects.toMatchObject({
      code: 'PLUGIN_INVALID',
      plugin: 'nothing',
      message:
        'The suggester plugin `nothing` could not start: its create() returned null; expected a suggester (an object with the method `beginTrial`). This is a fault of the plugin, not of the config.',
    });
    // A reporter without onEvent was dropped without a word; one without a name had its failures said of
    // reporter `unnamed` (trial 127).
    for (const [instance, said] of [
      [{ name: 'silent' }, 'its create() returned an object with the keys name; expected a reporter'],
      [
        { onEvent: () => undefined },
        'its create() returned a reporter without a `name`; expected a string naming the reporter',
      ],
    ] as const) {
      const silent = defineReporter<Record<string, never>>({
        name: 'silent',
        optionsSchema: { type: 'object' },
        create: () => instance as never,
      });
      await expect(
        runExperiment(
          { ...config, reporters: [{ use: 'silent' }] },
          { plugins: [{ manifests: [prior, silent] }], functions },
        ),
      ).rejects.toMatchObject({ code: 'PLUGIN_INVALID', plugin: 'silent', message: expect.stringContaining(said) });
    }
  });

  it('refuses a suggester plugin whose suggester carries another name than the plugin (trial 33: the study recorded that one)', async () => {
    const alias = defineSuggester<Record<string, never>>({ ...prior, name: 'alias' });
    await expect(
      runExperiment({ ...config, suggester: { use: 'alias' } }, { plugins: [{ manifests: [alias] }], functions }),
    ).rejects.toMatchObject({
      code: 'PLUGIN_INVALID',
      plugin: 'alias',
      message:
        'The suggester plugin `alias` could not start: its create() returned a suggester named "prior"; expected the plugin\'s own name, "alias" (the study records it and its random streams derive from it). This is a fault of the plugin, not of the config.',
    });
  });

  it('refuses a store plugin whose store has no name (trial 48: messages then spoke of "The `undefined` store")', async () => {
    const { name: _, ...unnamed } = createMemoryStore();
    const nameless = defineStore<Record<string, never>>({
      name: 'nameless',
      optionsSchema: { type: 'object' },
      create: () => unnamed as never,
    });
    await expect(
      runExperiment(
        { ...config, store: { use: 'nameless' } },
        { plugins: [{ manifests: [prior, nameless] }], functions },
      ),
    ).rejects.toMatchObject({
      code: 'PLUGIN_INVALID',
      plugin: 'nameless',
      message:
        'The store plugin `nameless` could not start: its create() returned a store without a `name`; expected a string naming the store (messages and `parzen trials` name it; the plugin\'s own name, "nameless", is usual). This is a fault of the plugin, not of the config.',
    });
  });

  it('refuses a pruner or stopper plugin whose instance has no name (trial 103: "Pruner `undefined` failed")', async () => {
    const noname = definePruner<Record<string, never>>({
      name: 'noname',
      optionsSchema: { type: 'object' },
      create: () => ({ shouldPrune: () => false }) as never,
    });
    const numbered = defineStopper<Record<string, never>>({
      name: 'numbered',
      optionsSchema: { type: 'object' },
      create: () => ({ name: 42, shouldStop: () => undefined }) as never,
    });
    const plugins = [{ manifests: [prior, noname, numbered] }];
    await expect(runExperiment({ ...config, pruner: { use: 'noname' } }, { plugins, functions })).rejects.toMatchObject(
      {
        code: 'PLUGIN_INVALID',
        plugin: 'noname',
        message:
          'The pruner plugin `noname` could not start: its create() returned a pruner without a `name`; expected a string naming the pruner (messages name it; the plugin\'s own name, "noname", is usual). This is a fault of the plugin, not of the config.',
      },
    );
    await expect(
      runExperiment({ ...config, stopper: { use: 'numbered' } }, { plugins, functions }),
    ).rejects.toMatchObject({
      code: 'PLUGIN_INVALID',
      message: expect.stringContaining(
        'its create() returned a stopper whose `name` is 42; expected a string naming the stopper',
      ),
    });
  });

  it('several clashes of one entry: counted in the headline, each said once below it', async () => {
    const dir = tempDir();
    const load = (plugins: string[]) => loadExperiment({ ...config, plugins }, { baseDir: dir, functions });
    writeFileSync(
      join(dir, 'many.mjs'),
      `export const manifests = [${['suggester', 'pruner', 'stopper']
        .map((kind) => `{ kind: '${kind}', name: 'dup', optionsSchema: { type: 'object' }, create: () => ({}) }`)
        .join(', ')}];`,
    );
    writeFileSync(join(dir, 'many2.mjs'), "export * from './many.mjs';");
    const many = await load(['./many.mjs', './many2.mjs']).catch((error: unknown) => error as ParzenError);
    expect(many).toMatchObject({ code: 'PLUGIN_DUPLICATE' });
    expect((many as ParzenError).message).toBe(
      '3 plugins or services of /plugins/1 (./many2.mjs) have the names of others loaded (each below), so they could not be told apart:\n' +
        '  /plugins/1: expected a suggester plugin named other than `dup`, found a second `dup`, besides the one of /plugins/0 (./many.mjs)\n' +
        '  /plugins/1: expected a pruner plugin named other than `dup`, found a second `dup`, besides the one of /plugins/0 (./many.mjs)\n' +
        '  /plugins/1: expected a stopper plugin named other than `dup`, found a second `dup`, besides the one of /plugins/0 (./many.mjs)',
    );
  });

  it('names the config entries behind two plugins with one name, and a module listed twice (trial 33)', async () => {
    const dir = tempDir();
    const module = (name: string) =>
      `export const manifests = [{ kind: 'suggester', name: '${name}', optionsSchema: { type: 'object' },
        create: () => ({ name: '${name}', beginTrial: () => ({ sampleParam: () => 0 }) }) }];`;
    writeFileSync(join(dir, 'a.mjs'), module('lowest'));
    writeFileSync(join(dir, 'b.mjs'), module('lowest'));
    writeFileSync(join(dir, 'prior.mjs'), module('prior'));
    const load = (plugins: string[]) =>
      loadExperiment({ ...config, plugins }, { baseDir: dir, functions, plugins: [{ manifests: [prior] }] });
    await expect(load(['./a.mjs', './b.mjs'])).rejects.toMatchObject({
      code: 'PLUGIN_DUPLICATE',
      message: expect.stringMatching(
        /^The suggester plugin `lowest` of \/plugins\/1 \(\.\/b\.mjs\) has the name of the one of \/plugins\/0 \(\.\/a\.mjs\); a config could not tell them apart:/,
      ),
      issues: [{ pointer: '/plugins/1', expected: 'a suggester plugin named other than `lowest`' }],
    });
    await expect(load(['./prior.mjs'])).rejects.toMatchObject({
      code: 'PLUGIN_DUPLICATE',
      issues: [{ pointer: '/plugins/0', found: 'a second `prior`, besides a built-in one' }],
    });
    await expect(load(['./a.mjs', './a.mjs'])).rejects.toMatchObject({
      code: 'PLUGIN_DUPLICATE',
      message: expect.stringMatching(/^A plugin module is listed twice:/),
      issues: [{ pointer: '/plugins/1', found: './a.mjs again (it is /plugins/0)' }],
    });
    // Two spellings of one file (review 31: called two plugins with one name).
    await expect(load(['./a.mjs', join(dir, 'a.mjs')])).rejects.toMatchObject({
      message: expect.stringMatching(/^A plugin module is listed twice:/),
    });
  });

  it("names the config entries behind two services with one name, or one named as Parzen's own (trial 70)", async () => {
    const dir = tempDir();
    // serviceToken(name) is Symbol.for('parzen.service.' + name): one name, one token, across packages.
    const service = (name: string) =>
      `export const manifests = [];
export const services = [{ token: { id: Symbol.for('parzen.service.${name}') }, create: () => ({}) }];`;
    writeFileSync(join(dir, 'a.mjs'), service('cache'));
    writeFileSync(join(dir, 'b.mjs'), service('cache'));
    writeFileSync(join(dir, 'logger.mjs'), service('logger'));
    writeFileSync(
      join(dir, 'twice.mjs'),
      `export const manifests = [];
const token = { id: Symbol.for('parzen.service.twice') };
export const services = [{ token, create: () => 1 }, { token, create: () => 2 }];`,
    );
    const load = (plugins: string[]) =>
      loadExperiment({ ...config, plugins }, { baseDir: dir, functions, plugins: [{ manifests: [prior] }] });
    // It was inversify's "Ambiguous bindings found for service" at the first plugin that asked, blamed on it.
    await expect(load(['./a.mjs', './b.mjs'])).rejects.toMatchObject({
      code: 'PLUGIN_DUPLICATE',
      message: expect.stringMatching(
        /^The service `cache` of \/plugins\/1 \(\.\/b\.mjs\) has the name of the one of \/plugins\/0 \(\.\/a\.mjs\); plugins that ask for it could not tell them apart:/,
      ),
      issues: [{ pointer: '/plugins/1', expected: 'a service named other than `cache`' }],
    });
    await expect(load(['./logger.mjs'])).rejects.toMatchObject({
      code: 'PLUGIN_DUPLICATE',
      issues: [{ pointer: '/plugins/0', found: 'a service `logger`' }],
    });
    await expect(load(['./twice.mjs'])).rejects.toMatchObject({
      issues: [{ pointer: '/plugins/0', found: 'the service `twice` twice in its services' }],
    });
    // A module listed twice is said once, as such.
    await expect(load(['./a.mjs', './a.mjs'])).rejects.toMatchObject({
      message: expect.stringMatching(/^A plugin module is listed twice:/),
    });
    await expect(load(['./a.mjs'])).resolves.toBeDefined();
    // A package given in code is checked too (review 76: an API package's `cache` beside a config's, or
    // its own `logger`, still met inversify's "Ambiguous bindings").
    const given = (name: string) => ({
      manifests: [prior],
      services: [{ token: { id: Symbol.for(`parzen.service.${name}`) }, create: () => ({}) }],
    });
    const inCode = (pkg: ReturnType<typeof given>, plugins: string[] = []) =>
      loadExperiment({ ...config, plugins }, { baseDir: dir, functions, plugins: [pkg] });
    await expect(inCode(given('cache'), ['./b.mjs'])).rejects.toMatchObject({
      code: 'PLUGIN_DUPLICATE',
      message: expect.stringContaining(
        'The service `cache` of /plugins/0 (./b.mjs) has the name of the one of a plugin package given in code',
      ),
      issues: [{ pointer: '/plugins/0' }],
    });
    await expect(inCode(given('logger'))).rejects.toMatchObject({
      code: 'PLUGIN_DUPLICATE',
      message:
        "The service `logger` of a plugin package given in code has the name of Parzen's own; plugins that ask for it could not tell them apart.",
    });
    // A module listed twice with a service named as Parzen's own is said to be listed twice.
    await expect(load(['./logger.mjs', './logger.mjs'])).rejects.toMatchObject({
      issues: expect.arrayContaining([
        { pointer: '/plugins/1', expected: 'each module listed once', found: './logger.mjs again (it is /plugins/0)' },
      ]),
    });
  });

  it('a study its stopper ended runs no new trial on a rerun, says so, and runs the params that rerun enqueued (review 31)', async () => {
    const dir = tempDir();
    const flat = {
      ...config,
      name: 'flat',
      objective: { use: 'function', options: { name: 'flat' } },
      store: { use: 'shared' },
      stopper: { use: 'no-improvement', options: { trials: 3 } },
      budget: { maxTrials: 100 },
    };
    const warnings: string[] = [];
    const plugins = [{ manifests: [prior, memoryOnce(createMemoryStore())] }];
    const run = (extra: Record<string, unknown> = {}) =>
      runExperiment(
        { ...flat, ...extra },
        { baseDir: dir, functions: { flat: () => 1 }, plugins, onWarning: (w) => warnings.push(w) },
      );
    expect((await run()).trials).toHaveLength(4);
    expect(warnings).toEqual([]);
    const again = await run();
    expect(again).toMatchObject({ reason: 'stopper', stopMessage: 'no improvement of 1% in 3 trials' });
    expect(again.trials).toHaveLength(4);
    expect(warnings).toEqual([
      'study flat: its stopper said stop before this run began (no improvement of 1% in 3 trials), so no new trial runs (bar enqueued entries an earlier run left waiting); a stopper whose rule the study has not met yet (or none) lets it go on.',
    ]);
    const enqueued = await run({
      enqueue: [
        { x: 0.5, y: 0.5 },
        { x: -0.5, y: 0.25 },
      ],
    });
    expect(enqueued.trials.slice(4).map((trial) => trial.internal)).toEqual([
      { x: 0.5, y: 0.5 },
      { x: -0.5, y: 0.25 },
    ]);
    expect(enqueued).toMatchObject({ reason: 'stopper', stopMessage: 'no improvement of 1% in 3 trials' });
    expect(warnings[1]).toContain(
      'only the 2 entries this run enqueued (and any entry an earlier run left waiting) are evaluated',
    );
  });

  it('refuses a check() on a plugin kind that has none, which would never be called (trial 70)', async () => {
    const checked = { ...prior, name: 'checked', check: () => [] } as never;
    await expect(
      loadExperiment(config, { plugins: [{ manifests: [prior, checked] }], functions }),
    ).rejects.toMatchObject({
      code: 'PLUGIN_INVALID',
      message: expect.stringContaining(
        'suggester plugin `checked`: "check" is for store and reporter plugins; a suggester refuses its options in create()',
      ),
    });
  });

  it('rejects two plugins with one name', async () => {
    await expect(
      loadExperiment(config, { plugins: [{ manifests: [prior] }, { manifests: [prior] }], functions }),
    ).rejects.toMatchObject({ code: 'PLUGIN_DUPLICATE' });
  });
});
