import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMemoryStore } from '@parzen/engine';
import {
  compileSpace,
  type EvaluationContext,
  ParzenError,
  runStudy,
  type Suggester,
  sampleDistribution,
  strayBetweenTrialsNote,
} from '@parzen/engine/plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModuleExport } from './load-module-export.js';
import { createModuleObjective } from './module-objective.js';
import { createWorkerObjective } from './worker-objective.js';

let dir: string;
const signal = new AbortController().signal;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parzen-module-'));
  writeFileSync(
    join(dir, 'objective.mjs'),
    'export default ({ x }) => x * 2;\nexport const slow = async ({ x }) => ({ loss: x, note: "hi" });\nexport const notFn = 3;\n',
  );
  writeFileSync(
    join(dir, 'unruly.mjs'),
    `export default async ({ mode, x }, { signal }) => {
  if (mode === 'exit') process.exit(7);
  if (mode === 'timer') { setTimeout(() => { throw new Error('late boom'); }, 1); await new Promise((r) => setTimeout(r, 1000)); }
  if (mode === 'timerString') { setTimeout(() => { throw 'late'; }, 1); await new Promise((r) => setTimeout(r, 1000)); }
  if (mode === 'spin') for (;;) {}
  if (mode === 'stray') { Promise.reject(new Error('left behind')); return x; }
  if (mode === 'throw') throw new Error('plain boom');
  if (mode === 'typo') return x.toFixed(2).foo.bar;
  if (mode === 'function') return { loss: x, callback: () => 1 };
  if (mode === 'attrs') return { loss: x, attrs: { f: () => 1 } };
  if (mode === 'lossFn') return { loss: () => x };
  if (mode === 'classAttrs') return { loss: x, attrs: { model: new (class Model { constructor() { this.k = 1; } })() } };
  if (mode === 'bigMessage') throw new Error('shape mismatch: ' + '[0.1234, '.repeat(200000));
  if (mode === 'undefined') throw undefined;
  if (mode === 'symbol') throw Symbol('sym');
  if (mode === 'polite') await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('stopped politely'))));
  return x * 2;
};\n`,
  );
  writeFileSync(
    join(dir, 'curve.mjs'),
    `let kept;
export default async ({ x, mode }, { report, shouldPrune }) => {
  if (mode === 'keep') { kept = report; return x; }
  if (mode === 'late') { await kept(7, 1); return { loss: x, late: true }; }
  if (mode === 'refusedUnawaited') {
    report(0, x); report(-1, x);
    return x;
  }
  if (mode === 'unawaited') {
    report(0, x); report(1, x + 1); report(2, x + 2);
    return x;
  }
  if (mode === 'refused') {
    try { await report(-1, 0); } catch (error) { return { loss: 99, refused: error.message, code: error.code, isError: error instanceof Error }; }
  }
  for (let step = 0; step < 10; step++) {
    await report(step, x / (step + 1));
    if (shouldPrune()) {
      if (mode === 'throw') throw new Error('stopped at step ' + step);
      return { loss: x / (step + 1), stoppedAt: step };
    }
  }
  return { loss: x / 10, stoppedAt: 10 };
};\n`,
  );
  writeFileSync(join(dir, 'typed.ts'), 'export const train = (p: { x: number }): number => p.x + 0.5;\n');
  writeFileSync(
    join(dir, 'uses-typed.mjs'),
    "import { train } from './typed.ts';\nexport default (p) => train(p) * 10;\n",
  );
  writeFileSync(join(dir, 'legacy.cjs'), 'module.exports = { default: (p) => p.x - 1, other: (p) => -p.x };\n');
  mkdirSync(join(dir, 'node_modules', 'my-objective'), { recursive: true });
  writeFileSync(
    join(dir, 'node_modules', 'my-objective', 'package.json'),
    '{"name":"my-objective","type":"module","exports":{"import":"./index.js"}}',
  );
  writeFileSync(join(dir, 'node_modules', 'my-objective', 'index.js'), 'export default ({ x }) => x ** 2;\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Loading is the same code in both modes; these run on this thread (`isolate: "none"`), and the worker
// thread has its own tests below (from sources each worker thread starts tsx, which takes a while).
const run = async (path: string, exportName = 'default', params = { x: 3 }) =>
  (await createModuleObjective({ path, export: exportName, isolate: 'none' }, dir)).evaluate(params, {
    trialNumber: 0,
    seed: 1,
    signal,
    report: async () => {},
    shouldPrune: () => false,
  });

describe('module objective', () => {
  it('calls the default export when code names none, as a config does (review 156)', async () => {
    const bare = await createModuleObjective({ path: 'my-objective', isolate: 'none' }, dir);
    const context = { trialNumber: 0, seed: 1, signal, report: async () => {}, shouldPrune: () => false };
    expect(await bare.evaluate({ x: 3 }, context)).toMatchObject({ status: 'ok', loss: 9 });
  });

  it('calls a JS export, sync or async, with the params', async () => {
    expect(await run('./objective.mjs')).toEqual({ status: 'ok', loss: 6 });
    expect(await run('objective.mjs', 'slow')).toEqual({ status: 'ok', loss: 3, attrs: { note: 'hi' } });
  });

  it('compiles a TypeScript file on the fly', async () => {
    expect(await run('./typed.ts', 'train')).toEqual({ status: 'ok', loss: 3.5 });
  });

  it('reads CommonJS exports', async () => {
    expect(await run('./legacy.cjs')).toEqual({ status: 'ok', loss: 2 });
    expect(await run('./legacy.cjs', 'other')).toEqual({ status: 'ok', loss: -3 });
  });

  it('resolves a package from the config folder', async () => {
    expect(await run('my-objective')).toEqual({ status: 'ok', loss: 9 });
  });

  it('names a file in the folder whose name looks the same but is written in NFD (trial 183: copied from macOS)', async () => {
    writeFileSync(join(dir, 'cafe\u0301.mjs'), 'export default () => 1;\n');
    await expect(run('./caf\u00e9.mjs')).rejects.toThrow(
      `and no file at ${join(dir, 'caf\u00e9.mjs')} (\`cafe\u0301.mjs\` looks the same but is written with other Unicode code points: c a f e U+0301 . m j s against c a f U+00E9 . m j s; names are compared code point for code point; ${dir} has that one (a name copied from macOS may be in NFD): write it so in the config, or rename it)`,
    );
    // In a missing folder's name too.
    mkdirSync(join(dir, 'mo\u0308del'));
    await expect(run('./m\u00f6del/x.mjs')).rejects.toThrow('`mo\u0308del` looks the same');
  });

  it('names the specifier and where it looked when the module is missing', async () => {
    await expect(run('./missing.mjs')).rejects.toThrow(`\`./missing.mjs\`, and no file at ${join(dir, 'missing.mjs')}`);
    // A missing package is the config's mistake too, at its option, in a worker thread as in-process (review 128:
    // a plugin that could not start).
    const missingPackage = {
      code: 'CONFIG_INVALID',
      issues: [
        {
          pointer: '/path',
          found: `\`no-such-package\`, and no package of that name in node_modules of ${dir} or its parent folders`,
        },
      ],
    };
    await expect(run('no-such-package')).rejects.toMatchObject(missingPackage);
    await expect(createModuleObjective({ path: 'no-such-package', export: 'default' }, dir)).rejects.toMatchObject(
      missingPackage,
    );
    // A package found whose own import is missing is that package's failure to load, naming what it imports.
    mkdirSync(join(dir, 'node_modules', 'broken-objective'), { recursive: true });
    writeFileSync(
      join(dir, 'node_modules', 'broken-objective', 'package.json'),
      '{"name":"broken-objective","type":"module","exports":{"import":"./index.js"}}',
    );
    writeFileSync(
      join(dir, 'node_modules', 'broken-objective', 'index.js'),
      "import 'not-installed-dependency';\nexport default () => 1;\n",
    );
    const broken = await run('broken-objective').catch((error: unknown) => error);
    expect(broken).not.toMatchObject({ code: 'CONFIG_INVALID' });
    expect((broken as Error).message).toContain(
      "Objective module `broken-objective` failed to load: Cannot find package 'not-installed-dependency'",
    );
  });

  it("says a folder given as the module is a folder, at its option (trial 86: Node's internal refusal)", async () => {
    mkdirSync(join(dir, 'a-folder'), { recursive: true });
    await expect(run('./a-folder')).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [
        { pointer: '/path', found: `\`./a-folder\`, a folder (${join(dir, 'a-folder')}); name the module file in it` },
      ],
    });
  });

  it('refuses a Python program or a JSON file at its option, naming the command objective (trial 162: a frame of tsx)', async () => {
    writeFileSync(join(dir, 'train.py'), 'print(0.5)\n');
    writeFileSync(join(dir, 'data.json'), '{}\n');
    const refused = await run('./train.py').catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [
        {
          pointer: '/path',
          expected: "a .js/.mjs/.cjs/.ts/.mts file (relative to the config's folder) or a package name",
          found:
            '`./train.py`, a Python program, which does not load as a module (it runs as a `command` objective: { "use": "command", "options": { "command": ["python3", "./train.py"] } })',
        },
      ],
    });
    expect((refused as Error).message).not.toContain('tsx');
    await expect(run('./data.json')).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [
        {
          pointer: '/path',
          found: expect.stringContaining('`./data.json`, a .json file, not a JavaScript or TypeScript module'),
        },
      ],
    });
  });

  it('points at the export option, naming the exported functions, when the export is missing or not a function', async () => {
    await expect(run('./objective.mjs', 'train')).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [
        {
          pointer: '/export',
          expected: 'the name of a function that objective module `./objective.mjs` exports: "default", "slow"',
          found: '"train" (no such export)',
        },
      ],
    });
    await expect(run('./objective.mjs', 'notFn')).rejects.toMatchObject({
      issues: [{ pointer: '/export', found: '"notFn" (a number)' }],
    });
    // A CommonJS module's functions are named too (review 51: "it exports none").
    await expect(run('./legacy.cjs', 'objectiv')).rejects.toMatchObject({
      issues: [
        {
          expected: 'the name of a function that objective module `./legacy.cjs` exports: "default", "other"',
          found: '"objectiv" (no such export)',
        },
      ],
    });
  });

  it('says where a module that throws while it loads threw, on this thread and in a worker thread (trial 48)', async () => {
    writeFileSync(
      join(dir, 'thrower.mjs'),
      "const helper = () => {\n  throw new Error('load failed here');\n};\nhelper();\n",
    );
    for (const isolate of ['none', 'worker'] as const) {
      const refused = await createModuleObjective({ path: './thrower.mjs', export: 'default', isolate }, dir).catch(
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(ParzenError);
      // A code to branch on, as a missing file's CONFIG_INVALID; its cause is what the module threw, with its own
      // stack (the module's place, not Parzen's).
      expect(refused).toMatchObject({ code: 'PLUGIN_INVALID', plugin: 'module' });
      expect((refused as Error).message).toBe(
        `Objective module \`./thrower.mjs\` failed to load: load failed here (at ${join(dir, 'thrower.mjs')}:2:9)`,
      );
      expect((refused as Error & { cause: Error }).cause.stack).toMatch(
        /^Error: load failed here\n\s+at helper .*thrower\.mjs:2:9/,
      );
    }
  });

  it('says a module that throws a value that is no Error while it loads, and cuts a huge message, in both modes', async () => {
    writeFileSync(join(dir, 'string-thrower.mjs'), "throw 'no GPU';\n");
    writeFileSync(join(dir, 'long-thrower.mjs'), "throw new Error('x'.repeat(5000));\n");
    for (const isolate of ['none', 'worker'] as const) {
      const refused = await createModuleObjective(
        { path: './string-thrower.mjs', export: 'default', isolate },
        dir,
      ).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'PLUGIN_INVALID', plugin: 'module' });
      expect((refused as Error).message).toBe(
        'Objective module `./string-thrower.mjs` failed to load: it threw "no GPU"',
      );
      for (const [file, said] of [
        ['null-thrower.mjs', 'null'],
        ['undefined-thrower.mjs', 'undefined'],
      ] as const) {
        writeFileSync(join(dir, file), `throw ${said};\n`);
        await expect(createModuleObjective({ path: `./${file}`, export: 'default', isolate }, dir)).rejects.toThrow(
          `Objective module \`./${file}\` failed to load: it threw ${said}`,
        );
      }
      const long = await createModuleObjective({ path: './long-thrower.mjs', export: 'default', isolate }, dir).catch(
        (error: unknown) => error,
      );
      expect((long as Error).message).toMatch(
        /^Objective module `\.\/long-thrower\.mjs` failed to load: x{1000}… \(4000 more characters cut\) \(at .*long-thrower\.mjs:1:7\)$/,
      );
    }
  });

  it('refuses a module that calls process.exit as it loads on this thread, as one that failed to load: at its top level, caught, or from a timer of a top-level await', async () => {
    writeFileSync(join(dir, 'exits-at-load.mjs'), 'process.exit(0);\nexport default ({ x }) => x;\n');
    writeFileSync(
      join(dir, 'exits-at-load.ts'),
      'const code: number = 3;\nprocess.exit(code);\nexport default () => 1;\n',
    );
    writeFileSync(join(dir, 'exit-caught.mjs'), 'try { process.exit(0); } catch {}\nexport default ({ x }) => x;\n');
    writeFileSync(
      join(dir, 'exit-in-timer.mjs'),
      'await new Promise((resolve) => setTimeout(() => { process.exit(4); resolve(); }, 5));\nexport default ({ x }) => x;\n',
    );
    writeFileSync(
      join(dir, 'throw-in-timer.mjs'),
      "await new Promise(() => setTimeout(() => { throw new Error('no GPU'); }, 5));\nexport default ({ x }) => x;\n",
    );
    const said = (code: number) =>
      `failed to load: it called process.exit(${code}) as it loaded, on Parzen's own thread, where it would have ended the run with that exit code. Throw an Error to refuse to load.`;
    for (const [file, message] of [
      ['exits-at-load.mjs', `${said(0)} (at ${join(dir, 'exits-at-load.mjs')}:1:9)`],
      ['exit-caught.mjs', `${said(0)} (at ${join(dir, 'exit-caught.mjs')}:1:15)`],
      ['exit-in-timer.mjs', `${said(4)} (at ${join(dir, 'exit-in-timer.mjs')}:1:59)`],
      [
        'throw-in-timer.mjs',
        `failed to load: a timer or callback it started threw as it loaded: no GPU (at ${join(dir, 'throw-in-timer.mjs')}:1:50)`,
      ],
    ] as const) {
      const refused = await createModuleObjective({ path: `./${file}`, isolate: 'none' }, dir).catch(
        (error: unknown) => error,
      );
      expect(refused).toMatchObject({ code: 'PLUGIN_INVALID', plugin: 'module' });
      expect((refused as Error).message).toBe(`Objective module \`./${file}\` ${message}`);
    }
    // A TypeScript module too (its place is the .ts file's where source maps are on, as in the CLI; none here).
    await expect(createModuleObjective({ path: './exits-at-load.ts', isolate: 'none' }, dir)).rejects.toThrow(
      `Objective module \`./exits-at-load.ts\` ${said(3)}`,
    );
    // Outside a load (and a run) process.exit is Node's own again.
    expect(process.exit.name).not.toBe('exitInstead');
  });

  it('says what the module exports where the export is loaded outside an objective', async () => {
    await expect(loadModuleExport('./objective.mjs', 'train', dir)).rejects.toThrow(
      /`train` .* is no such export; expected a function\. The module exports: default, notFn, slow\./,
    );
    // Each kind of value with its article (trial 94: "a object").
    writeFileSync(join(dir, 'values.mjs'), 'export const o = {};\nexport const n = null;\nexport const s = "x";\n');
    await expect(loadModuleExport('./values.mjs', 'o', dir)).rejects.toThrow(
      '`o` of objective module `./values.mjs` is an object;',
    );
    await expect(loadModuleExport('./values.mjs', 'n', dir)).rejects.toThrow('is null;');
    await expect(loadModuleExport('./values.mjs', 's', dir)).rejects.toThrow('is a string;');
  });
});

/**
 * Writes `<name>.mjs`, a module whose every load after the first (counted in `<name>.count`, whose path is returned)
 * takes `ms`; a trial of it takes 20 ms.
 */
const slowLaterLoads = (name: string, ms: number): string => {
  const count = join(dir, `${name}.count`);
  writeFileSync(count, '');
  writeFileSync(
    join(dir, `${name}.mjs`),
    `import { appendFileSync, readFileSync } from 'node:fs';
const loads = readFileSync(${JSON.stringify(count)}, 'utf8').length;
appendFileSync(${JSON.stringify(count)}, '1');
if (loads > 0) await new Promise((resolve) => setTimeout(resolve, ${ms}));
export default async ({ x }) => { await new Promise((resolve) => setTimeout(resolve, 20)); return x; };
`,
  );
  return count;
};

/** A study of one uniform param run with `objective` and `options` (concurrency, budget, a trial limit). */
const runSlowLoads = (
  objective: Awaited<ReturnType<typeof createModuleObjective>>,
  options: Pick<Parameters<typeof runStudy>[0], 'concurrency' | 'budget' | 'trialTimeoutMs'>,
) => {
  const definition = { x: { type: 'uniform', low: 0, high: 1 } } as const;
  const prior: Suggester = {
    name: 'prior',
    beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
  };
  return runStudy({
    spec: { name: 'slow-loads', direction: 'minimize', seed: 1, space: definition },
    space: compileSpace(definition),
    store: createMemoryStore(),
    suggester: prior,
    objective,
    ...options,
  });
};

describe('module objective in a worker thread (the default)', () => {
  const abortAfter = (ms: number) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), ms);
    return controller.signal;
  };

  it('ends a load that a stop interrupted, and closes at once (review 83: the close waited 120 s for it)', async () => {
    // Loads once; a second load (the thread a timeout ended, replaced) never ends, beating while it waits.
    const flag = join(dir, 'loaded-once.flag');
    const beat = join(dir, 'hang-second-load.beat');
    writeFileSync(beat, '');
    writeFileSync(
      join(dir, 'hang-second-load.mjs'),
      `import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
if (existsSync(${JSON.stringify(flag)})) {
  setInterval(() => appendFileSync(${JSON.stringify(beat)}, '.'), 20);
  await new Promise(() => {});
}
writeFileSync(${JSON.stringify(flag)}, '1');
export default async () => new Promise(() => {});
`,
    );
    const objective = await createModuleObjective({ path: './hang-second-load.mjs', export: 'default' }, dir);
    const definition = { x: { type: 'uniform', low: 0, high: 1 } } as const;
    const prior: Suggester = {
      name: 'prior',
      beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
    };
    // The second trial's load is outside its time limit (with a bound of 60 s): a forced stop ends it.
    const force = new AbortController();
    const result = runStudy({
      spec: { name: 'hang-load', direction: 'minimize', seed: 1, space: definition },
      space: compileSpace(definition),
      store: createMemoryStore(),
      suggester: prior,
      objective,
      trialTimeoutMs: 200,
      budget: { maxTrials: 2 },
      forceSignal: force.signal,
    });
    // The stop once the second load beats (a fixed 1.5 s came before it on a loaded machine).
    const beating = setInterval(() => {
      if (readFileSync(beat, 'utf8').length > 0) {
        clearInterval(beating);
        force.abort();
      }
    }, 20);
    expect((await result).trials.map((trial) => trial.state === 'failed' && trial.error.code)).toEqual([
      'TIMEOUT',
      'INTERRUPTED',
    ]);
    await objective.close?.(); // within the test's time limit: the loading thread is ended, not waited for
    // The stop ended the loading thread (review 85: left loading, a programmatic run never exited).
    const beats = readFileSync(beat, 'utf8').length;
    expect(beats).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readFileSync(beat, 'utf8').length).toBe(beats);
  });

  it("keeps a thread's load out of the trial's time limit (trial 76: later threads' loads failed their trials)", async () => {
    // Every load after the first takes 700 ms; a trial takes 20 ms, under a 300 ms limit.
    const count = slowLaterLoads('slow-load', 700);
    const objective = await createModuleObjective({ path: './slow-load.mjs', export: 'default' }, dir);
    try {
      const result = await runSlowLoads(objective, { trialTimeoutMs: 300, concurrency: 3, budget: { maxTrials: 6 } });
      expect(result.trials.map((trial) => trial.state)).toEqual(Array(6).fill('complete'));
      expect(readFileSync(count, 'utf8').length).toBe(3); // one thread per trial running at once, no more
    } finally {
      await objective.close?.();
    }
  });

  it("bounds every thread's load by loadTimeoutSeconds, with or without a trial limit (a later thread's was the limit or 60 s, or none)", async () => {
    // Every load after the first takes 1.5 s, past a loadTimeoutSeconds of 0.5.
    const count = slowLaterLoads('slower-load', 1500);
    for (const trialTimeoutMs of [undefined, 5000]) {
      writeFileSync(count, '');
      const objective = await createModuleObjective({ path: './slower-load.mjs', loadTimeoutSeconds: 0.5 }, dir);
      try {
        const result = await runSlowLoads(objective, {
          ...(trialTimeoutMs === undefined ? {} : { trialTimeoutMs }),
          concurrency: 2,
          budget: { maxTrials: 2 },
        });
        const failed = result.trials.filter((trial) => trial.state === 'failed');
        expect(failed.map((trial) => trial.state === 'failed' && trial.error)).toEqual([
          {
            code: 'OBJECTIVE_LOAD_FAILED',
            message: expect.stringMatching(
              /^Objective module `\.\/slower-load\.mjs` did not finish loading in 0\.5 s: .*so its thread was ended\. If its import is slow on purpose, raise the module objective's loadTimeoutSeconds;/,
            ),
          },
        ]);
      } finally {
        await objective.close?.();
      }
    }
  });

  it('isolates the objective: exits, stray throws and endless loops fail only their trial', async () => {
    const objective = await createModuleObjective({ path: './unruly.mjs', export: 'default' }, dir);
    const evaluate = (params: Record<string, unknown>, trialSignal = signal) =>
      objective.evaluate(params as { x: number }, {
        trialNumber: 1,
        seed: 1,
        signal: trialSignal,
        report: async () => {},
        shouldPrune: () => false,
      });
    try {
      expect(await evaluate({ mode: 'ok', x: 4 })).toEqual({ status: 'ok', loss: 8 });
      expect(await evaluate({ mode: 'throw', x: 1 })).toMatchObject({
        error: { code: 'OBJECTIVE_THREW', message: 'plain boom' },
      });
      // Where the error came from crosses the thread too (trial 54: its message alone did), as in process.
      const typo = await evaluate({ mode: 'typo', x: 1 });
      expect(typo).toMatchObject({
        error: {
          code: 'OBJECTIVE_THREW',
          message: "Cannot read properties of undefined (reading 'bar')",
          details: {
            errorName: 'TypeError',
            stack: expect.stringMatching(
              /^TypeError: Cannot read properties of undefined \(reading 'bar'\)\n\s+at .*unruly\.mjs/,
            ),
          },
        },
      });
      expect(typo.status === 'failed' && typo.error.details?.thrownAt).toMatch(/\/unruly\.mjs:8:\d+$/);
      // What cannot leave the thread fails as on Parzen's own thread (`isolate: "none"`), not as a throw.
      const inProcess = await createModuleObjective({ path: './unruly.mjs', export: 'default', isolate: 'none' }, dir);
      for (const mode of ['function', 'attrs', 'lossFn', 'classAttrs']) {
        const result = await evaluate({ mode, x: 1 });
        expect(result).toEqual(
          await inProcess.evaluate({ mode, x: 1 } as never, {
            trialNumber: 1,
            seed: 1,
            signal,
            report: async () => {},
            shouldPrune: () => false,
          }),
        );
        expect(result).toMatchObject({
          error: { code: mode === 'lossFn' ? 'OBJECTIVE_NOT_A_NUMBER' : 'OBJECTIVE_BAD_ATTRS' },
        });
      }
      expect(await evaluate({ mode: 'attrs', x: 1 })).toMatchObject({
        error: { code: 'OBJECTIVE_BAD_ATTRS', message: /\/attrs\/f is a function/ },
      });
      expect(await evaluate({ mode: 'exit', x: 1 })).toMatchObject({ error: { code: 'OBJECTIVE_EXITED' } });
      expect(await evaluate({ mode: 'ok', x: 5 })).toEqual({ status: 'ok', loss: 10 });
      expect(await evaluate({ mode: 'timer', x: 1 })).toMatchObject({
        error: { code: 'OBJECTIVE_CRASHED', message: /late boom/ },
      });
      // A value that is no Error, said as it is (trial 53: `undefined`).
      expect(await evaluate({ mode: 'timerString', x: 1 })).toMatchObject({
        error: {
          code: 'OBJECTIVE_CRASHED',
          message: 'The objective threw outside the trial\'s call (in a timer or callback?): it threw "late"',
        },
      });
      const started = Date.now();
      expect(await evaluate({ mode: 'spin', x: 1 }, abortAfter(200))).toMatchObject({ error: { code: 'INTERRUPTED' } });
      expect(Date.now() - started).toBeLessThan(3000);
      // A stop that comes while the thread replacing the ended one loads ends that load.
      expect(await evaluate({ mode: 'ok', x: 1 }, abortAfter(5))).toMatchObject({
        error: {
          code: 'INTERRUPTED',
          message: 'The objective was stopped while its worker thread was loading the module.',
        },
      });
      expect(await evaluate({ mode: 'ok', x: 5 })).toEqual({ status: 'ok', loss: 10 });
      expect(await evaluate({ mode: 'polite', x: 1 }, abortAfter(50))).toMatchObject({
        error: { code: 'OBJECTIVE_THREW', message: 'stopped politely' },
      });
      expect(await evaluate({ mode: 'ok', x: 6 })).toEqual({ status: 'ok', loss: 12 });
    } finally {
      await objective.close?.();
    }
  });

  /** What `unruly.mjs` gives for `mode` in a worker thread and on this thread (`isolate: "none"`). */
  const inBoth = async (mode: string) => {
    const context = { trialNumber: 1, seed: 1, signal, report: async () => {}, shouldPrune: () => false };
    const inWorker = await createModuleObjective({ path: './unruly.mjs', export: 'default' }, dir);
    const inProcess = await createModuleObjective({ path: './unruly.mjs', export: 'default', isolate: 'none' }, dir);
    try {
      return [
        await inWorker.evaluate({ mode, x: 1 } as never, context),
        await inProcess.evaluate({ mode, x: 1 } as never, context),
      ];
    } finally {
      await inWorker.close?.();
    }
  };

  it("cuts a thrown message of megabytes (a tensor's repr) to its first 1,000 characters, saying how much was cut, in a worker and on this thread", async () => {
    for (const result of await inBoth('bigMessage')) {
      const message = result?.status === 'failed' ? result.error.message : '';
      expect(message).toMatch(/^shape mismatch: \[0\.1234, .*… \(1799016 more characters cut\)$/);
      expect(message.length).toBeLessThan(1100);
      expect(JSON.stringify(result).length).toBeLessThan(6000);
    }
  });

  it('words `throw undefined` and `throw Symbol("sym")` alike in a worker and on this thread, the symbol with its description', async () => {
    const threw = (message: string) => ({ status: 'failed', error: { code: 'OBJECTIVE_THREW', message } });
    expect(await inBoth('undefined')).toEqual([
      threw('The objective threw undefined'),
      threw('The objective threw undefined'),
    ]);
    expect(await inBoth('symbol')).toEqual([
      threw('The objective threw Symbol(sym)'),
      threw('The objective threw Symbol(sym)'),
    ]);
  });

  it('does not fail the next trial for a stray rejection a returned trial left behind', async () => {
    const warnings: string[] = [];
    const objective = await createModuleObjective({ path: './unruly.mjs', export: 'default' }, dir, (message) =>
      warnings.push(message),
    );
    const evaluate = (params: Record<string, unknown>, trialNumber: number) =>
      objective.evaluate(params as { x: number }, {
        trialNumber,
        seed: 1,
        signal,
        report: async () => {},
        shouldPrune: () => false,
      });
    try {
      // The rejection is made during trial 0's call and found as its result is handed over: which of the two comes
      // to this thread first is the worker's timing (a loaded machine's CI run saw the crash first). Either way
      // trial 0 is the one it is said of, and trial 1 is not blamed and does run.
      const first = await evaluate({ mode: 'stray', x: 3 }, 0);
      if (first.status === 'ok') {
        expect(first).toEqual({ status: 'ok', loss: 3 });
      } else {
        expect(first).toMatchObject({ status: 'failed', error: { code: 'OBJECTIVE_CRASHED', message: /left behind/ } });
      }
      expect(await evaluate({ mode: 'ok', x: 4 }, 1)).toEqual({ status: 'ok', loss: 8 });
      expect(await evaluate({ mode: 'ok', x: 5 }, 2)).toEqual({ status: 'ok', loss: 10 });
      // Found after trial 0 returned: a warning naming trial 0, and the thread goes on.
      if (first.status === 'ok')
        expect(warnings).toEqual([
          "an error was thrown by a timer or callback trial #0's objective left behind, after that trial ended (no trial failed for it): left behind",
        ]);
    } finally {
      await objective.close?.();
    }
  });

  it('loads a JavaScript objective that imports a TypeScript file (through tsx, as a .ts objective)', async () => {
    const objective = await createModuleObjective({ path: './uses-typed.mjs', export: 'default' }, dir);
    try {
      expect(
        await objective.evaluate(
          { x: 1 },
          { trialNumber: 0, seed: 1, signal, report: async () => {}, shouldPrune: () => false },
        ),
      ).toEqual({ status: 'ok', loss: 15 });
    } finally {
      await objective.close?.();
    }
  });

  it('checks options given in code: a misspelt option and a wrong isolate are CONFIG_INVALID by path', async () => {
    await expect(
      createModuleObjective(
        { path: './objective.mjs', export: 'default', isolated: true, isolate: 'thread' } as never,
        dir,
      ),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [
        expect.objectContaining({
          pointer: '/isolated',
          found: 'an unknown option `isolated` (did you mean `isolate`?)',
        }),
        { pointer: '/isolate', expected: 'one of "worker", "none"', found: '"thread"' },
      ],
    });
  });

  // A process of its own: whether it exits is the point. It runs this package's sources through tsx (as
  // the objective's threads do from sources): importing the build tested whatever was last built, and
  // passed with the fix taken out of the sources.
  it('with reuseThreads, a program ends by itself once its objectives are closed (trial 134: the kept thread held it)', () => {
    // The trial waits (the reused thread must hold the process while it runs: else Node ends the
    // script's unsettled top-level await, exit 13), leaves a timer that prints once the thread is idle
    // and kept, and an interval that keeps the thread's own loop busy for good.
    writeFileSync(
      join(dir, 'square.mjs'),
      `setInterval(() => {}, 1000);
export default async ({ x }, { trialNumber }) => {
  console.log("x", x);
  setTimeout(() => console.log("idle", trialNumber), 300);
  await new Promise((resolve) => setTimeout(resolve, 100));
  return x * x;
};
`,
    );
    const source = fileURLToPath(new URL('./index.ts', import.meta.url));
    const script = `import { createModuleObjective } from ${JSON.stringify(pathToFileURL(source).href)};
const signal = new AbortController().signal;
for (let study = 0; study < 2; study++) {
  const context = { trialNumber: study, seed: 1, signal, report: async () => {}, shouldPrune: () => false };
  const objective = await createModuleObjective({ path: './square.mjs', export: 'default', reuseThreads: true }, ${JSON.stringify(dir)});
  const result = await objective.evaluate({ x: 3 }, context);
  await objective.close?.();
  console.log('loss', result.status === 'ok' ? result.loss : result.status);
  // The kept thread's timer prints while the program still runs: relayed, not lost.
  await new Promise((resolve) => setTimeout(resolve, 1500));
}
`;
    writeFileSync(join(dir, 'reuse-exits.mjs'), script);
    const started = Date.now();
    const run = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(dir, 'reuse-exits.mjs')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.signal, `killed after ${Date.now() - started} ms: the process did not end by itself`).toBeNull();
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.match(/^loss 9$/gm)).toHaveLength(2);
    expect(run.stdout.match(/^x 3$/gm)).toHaveLength(2);
    // Each printed by a kept, idle thread: after its study's loss.
    expect(run.stdout.match(/^(loss|idle) .*$/gm)).toEqual(['loss 9', 'idle 0', 'loss 9', 'idle 1']);
  });

  it('lets a program end that made an objective and never closed it (one fmin refused held the program open)', () => {
    writeFileSync(join(dir, 'unclosed.mjs'), 'export default ({ x }) => { console.log("x", x); return x * x; };\n');
    const source = fileURLToPath(new URL('./index.ts', import.meta.url));
    // One objective never used (as one that fmin refused), one that ran a trial; neither is closed.
    const script = `import { createModuleObjective } from ${JSON.stringify(pathToFileURL(source).href)};
const made = await createModuleObjective({ path: './unclosed.mjs' }, ${JSON.stringify(dir)});
const used = await createModuleObjective({ path: './unclosed.mjs' }, ${JSON.stringify(dir)});
const signal = new AbortController().signal;
const context = { trialNumber: 0, seed: 1, signal, report: async () => {}, shouldPrune: () => false };
const result = await used.evaluate({ x: 3 }, context);
console.log('loss', result.status === 'ok' ? result.loss : result.status, made.name);
`;
    writeFileSync(join(dir, 'unclosed-exits.mjs'), script);
    const started = Date.now();
    const run = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(dir, 'unclosed-exits.mjs')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(run.signal, `killed after ${Date.now() - started} ms: the process did not end by itself`).toBeNull();
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('x 3\nloss 9 module');
  });

  it('with reuseThreads, hands the idle thread of a closed objective to the next one of the same unchanged module', async () => {
    // The loss is the thread's id, plus how many trials its loaded module has run.
    const source = (offset: number) =>
      `import { threadId } from 'node:worker_threads';\nlet calls = 0;\nexport default ({ mode }) => { if (mode === 'exit') process.exit(3); calls++; return threadId * 1000 + calls + ${offset}; };\n`;
    writeFileSync(join(dir, 'kept.mjs'), source(0));
    const context = { trialNumber: 0, seed: 1, signal, report: async () => {}, shouldPrune: () => false };
    const lossOf = async (params: Record<string, unknown> = {}, reuseThreads = true) => {
      const objective = await createModuleObjective({ path: './kept.mjs', export: 'default', reuseThreads }, dir);
      try {
        const result = await objective.evaluate(params as { x: number }, context);
        return result.status === 'ok' ? result.loss : result.error.code;
      } finally {
        await objective.close?.();
      }
    };
    const first = (await lossOf()) as number;
    expect(first % 1000).toBe(1);
    expect(await lossOf()).toBe(first + 1); // the same thread, its module loaded once
    // Without the option (the default) a study never takes a kept thread, and keeps none.
    const own = (await lossOf({}, false)) as number;
    expect(own % 1000).toBe(1);
    expect(Math.floor(own / 1000)).not.toBe(Math.floor(first / 1000));
    expect(await lossOf()).toBe(first + 2);
    // The file edited since: a thread of its own, the module loaded afresh.
    writeFileSync(join(dir, 'kept.mjs'), source(100));
    const edited = (await lossOf()) as number;
    expect(Math.floor(edited / 1000)).not.toBe(Math.floor(first / 1000));
    expect(edited % 1000).toBe(101);
    // Environment variables changed since: a new thread, which starts with the new ones.
    process.env.PARZEN_KEPT_TEST = '1';
    let changedEnv: number;
    try {
      changedEnv = (await lossOf()) as number;
    } finally {
      delete process.env.PARZEN_KEPT_TEST;
    }
    expect(changedEnv % 1000).toBe(101);
    // A thread that ended in a trial is never kept.
    expect(await lossOf({ mode: 'exit' })).toBe('OBJECTIVE_EXITED');
    const fresh = (await lossOf()) as number;
    expect([first, edited].map((loss) => Math.floor(loss / 1000))).not.toContain(Math.floor(fresh / 1000));
    expect(fresh % 1000).toBe(101);
  });

  it('a kept thread handed to study after study gathers no listeners (trial 64: a leak warning after 10 studies)', async () => {
    writeFileSync(join(dir, 'kept-many.mjs'), 'export default () => 1;\n');
    const context = { trialNumber: 0, seed: 1, signal, report: async () => {}, shouldPrune: () => false };
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      for (let study = 0; study < 14; study++) {
        const objective = await createModuleObjective(
          { path: './kept-many.mjs', export: 'default', reuseThreads: true },
          dir,
        );
        try {
          expect(await objective.evaluate({ x: 0 } as never, context)).toMatchObject({ status: 'ok', loss: 1 });
        } finally {
          await objective.close?.();
        }
      }
      // A warning is emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('ends a first load whose top-level code never ends (a loop), naming the module, after saying it is still loading', async () => {
    writeFileSync(join(dir, 'spins.mjs'), 'for (;;) {}\nexport default () => 1;\n');
    const warned: string[] = [];
    const started = Date.now();
    await expect(
      createWorkerObjective(
        { path: './spins.mjs', exportName: 'default', baseDir: dir },
        { reuseThreads: false, warn: (message) => warned.push(message), loadBoundMs: 1500 },
      ),
    ).rejects.toThrow(
      /^Objective module `\.\/spins\.mjs` did not finish loading in 1\.5 s: its top-level code was still running \(a loop that never ends\?\), so its thread was ended\./,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(warned).toEqual([expect.stringMatching(/^objective module `\.\/spins\.mjs` is still loading after 0\.2 s/)]);
    // A config's loadTimeoutSeconds sets that bound (a module whose import is slow on purpose), and the message
    // names it.
    const configured = Date.now();
    await expect(
      createModuleObjective({ path: './spins.mjs', export: 'default', loadTimeoutSeconds: 1.2 }, dir, () => {}),
    ).rejects.toThrow(/did not finish loading in 1\.2 s: .* raise the module objective's loadTimeoutSeconds;/);
    expect(Date.now() - configured).toBeLessThan(5000);
    for (const loadTimeoutSeconds of [0, 3_000_000])
      await expect(
        createModuleObjective({ path: './spins.mjs', export: 'default', loadTimeoutSeconds }, dir),
      ).rejects.toThrow(/loadTimeoutSeconds/);
  });

  it('with "isolate": "none", refuses a load still awaiting after loadTimeoutSeconds, naming the module, after saying it is still loading (it had no bound)', async () => {
    writeFileSync(
      join(dir, 'awaits.mjs'),
      'await new Promise((resolve) => setTimeout(resolve, 1e8));\nexport default () => 1;\n',
    );
    const warned: string[] = [];
    const started = Date.now();
    const refused = await createModuleObjective(
      { path: './awaits.mjs', isolate: 'none', loadTimeoutSeconds: 0.5 },
      dir,
      (message) => warned.push(message),
    ).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'PLUGIN_INVALID', plugin: 'module' });
    expect((refused as Error).message).toBe(
      "Objective module `./awaits.mjs` did not finish loading in 0.5 s: its top-level code was still running (an await that settles late, or never?). If its import is slow on purpose, raise the module objective's loadTimeoutSeconds; or do slow work inside the exported function (once, on its first call), where the trial time limit bounds it.",
    );
    expect(Date.now() - started).toBeLessThan(4000);
    expect(warned).toEqual([
      'objective module `./awaits.mjs` is still loading after 0.1 s: its top-level code awaits (a slow import or download?); it is refused if it has not loaded after 0.5 s.',
    ]);
  });

  it('says where a syntax error is (file:line, the line and a caret), which import() alone does not', async () => {
    writeFileSync(join(dir, 'broken.mjs'), 'const ok = 1;\nexport default (p => ;\n');
    // In a worker thread, as a config's module objective loads (this thread's import() is vitest's).
    await expect(createModuleObjective({ path: './broken.mjs', export: 'default' }, dir)).rejects.toThrow(
      `Objective module \`./broken.mjs\` failed to load: Unexpected token ';' at\n${join(dir, 'broken.mjs')}:2\nexport default (p => ;\n`,
    );
    const refused = await createModuleObjective({ path: './broken.mjs', export: 'default' }, dir).catch(
      (error: unknown) => error,
    );
    const { code, cause } = refused as Error & { code: string; cause: Error };
    expect([code, cause.stack]).toEqual([
      'PLUGIN_INVALID',
      expect.stringMatching(/^SyntaxError: Unexpected token ';'/),
    ]);
  });

  it('shows only the place of a syntax error in a minified file, not its megabyte line', async () => {
    writeFileSync(
      join(dir, 'minified.mjs'),
      `${'const a0=1;'.repeat(5000)}export default (p => ;${'let z=2;'.repeat(5000)}\n`,
    );
    const error = await createModuleObjective({ path: './minified.mjs', export: 'default' }, dir).then(
      () => undefined,
      (failure: Error) => failure,
    );
    expect(error?.message).toMatch(/minified\.mjs:1 \(column \d+\)\n…/);
    expect(error?.message.length).toBeLessThan(1000);
  });

  it('reports a missing export before any trial, at the export option, as on this thread', async () => {
    await expect(createModuleObjective({ path: './objective.mjs', export: 'notFn' }, dir)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [
        {
          pointer: '/export',
          expected: 'the name of a function that objective module `./objective.mjs` exports: "default", "slow"',
          found: '"notFn" (a number)',
        },
      ],
    });
  });
});

/**
 * A fake evaluation context: records reports (each takes a few ms, so a report that resolved early would
 * show), refuses a negative step, and says "prune" once `pruneAt` has been reported.
 */
const recorder = (pruneAt = Number.POSITIVE_INFINITY) => {
  const reports: [number, number][] = [];
  const context: EvaluationContext = {
    trialNumber: 2,
    seed: 1,
    signal,
    report: async (step, value) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (step < 0)
        throw new ParzenError('REPORT_INVALID', `step must be a non-negative integer; found ${step}`, {
          issues: [{ pointer: '/step', expected: 'a non-negative integer', found: String(step) }],
        });
      reports.push([step, value]);
    },
    shouldPrune: () => (reports.at(-1)?.[0] ?? -1) >= pruneAt,
  };
  return { context, reports };
};

describe('a report the objective did not await, refused after its trial returned', () => {
  it("is said in a worker thread as on Parzen's thread (it was dropped without a word), and the thread lives on", async () => {
    const warned: string[] = [];
    const objective = await createModuleObjective({ path: './curve.mjs', export: 'default' }, dir, (message) =>
      warned.push(message),
    );
    try {
      const refused = recorder();
      expect(await objective.evaluate({ x: 5, mode: 'refusedUnawaited' }, refused.context)).toEqual({
        status: 'ok',
        loss: 5,
      });
      expect(refused.reports).toEqual([[0, 5]]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(warned).toEqual([
        'a report(step, value) the objective did not await was refused between trials: step must be a non-negative integer; found -1',
      ]);
      expect(warned[0]).toBe(
        strayBetweenTrialsNote(new ParzenError('REPORT_INVALID', 'step must be a non-negative integer; found -1')),
      );
      expect(await objective.evaluate({ x: 12 }, recorder().context)).toMatchObject({ status: 'ok', loss: 1.2 });
    } finally {
      await objective.close?.();
    }
  });
});

describe.each(['none', 'worker'] as const)('module objective reports (isolate: %s)', (isolate) => {
  it('passes report and shouldPrune to the function; a pruned function returns or throws as usual', async () => {
    const warned: string[] = [];
    const objective = await createModuleObjective({ path: './curve.mjs', export: 'default', isolate }, dir, (message) =>
      warned.push(message),
    );
    try {
      const pruned = recorder(3);
      expect(await objective.evaluate({ x: 12 }, pruned.context)).toEqual({
        status: 'ok',
        loss: 3,
        attrs: { stoppedAt: 3 }, // shouldPrune() saw the decision of the report it had just awaited
      });
      expect(pruned.reports).toEqual([
        [0, 12],
        [1, 6],
        [2, 4],
        [3, 3],
      ]);

      const thrown = recorder(1);
      expect(await objective.evaluate({ x: 1, mode: 'throw' }, thrown.context)).toMatchObject({
        status: 'failed',
        error: { code: 'OBJECTIVE_THREW', message: 'stopped at step 1' },
      });

      const full = recorder();
      expect(await objective.evaluate({ x: 10 }, full.context)).toEqual({
        status: 'ok',
        loss: 1,
        attrs: { stoppedAt: 10 },
      });
      expect(full.reports.map(([step]) => step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

      const unawaited = recorder();
      expect(await objective.evaluate({ x: 5, mode: 'unawaited' }, unawaited.context)).toEqual({
        status: 'ok',
        loss: 5,
      });
      if (isolate === 'worker') {
        // Across the thread the trial's result waits for its reports, which arrive in order.
        expect(unawaited.reports).toEqual([
          [0, 5],
          [1, 6],
          [2, 7],
        ]);
        // Told to stop at step 1, which the objective never saw: nothing was stopped, its result stands,
        // said once (review 56: it was stored pruned at its last report, without a word).
        const late = recorder(1);
        for (const x of [5, 6])
          expect(await objective.evaluate({ x, mode: 'unawaited' }, late.context)).toEqual({
            status: 'ok',
            loss: x,
            finishedBeforePrune: true,
          });
        expect(warned).toEqual([
          'trial #2: the pruner said stop at step 1 only after the objective had ended: its reports were not awaited, so shouldPrune() was still false, and the trial keeps its own result. Await each report (await context.report(step, value)) before asking shouldPrune(), so that trials stop early.',
        ]);
      }

      // A report kept past its trial and awaited in the next: settled at once, not stored, said once by the host
      // as in-process (review 133: in a worker nobody answered it, and the next trial hung).
      expect(await objective.evaluate({ x: 3, mode: 'keep' }, recorder().context)).toEqual({ status: 'ok', loss: 3 });
      const late = recorder();
      const next = objective.evaluate({ x: 4, mode: 'late' }, late.context);
      const hung = new Promise((resolve) => setTimeout(() => resolve('hung'), 3000));
      expect(await Promise.race([next, hung])).toEqual({ status: 'ok', loss: 4, attrs: { late: true } });
      if (isolate === 'worker')
        expect(warned).toContainEqual(
          'report(7, 1) came after trial #2 ended; the value was not stored (report before the objective returns; later ones of this trial are dropped without a word).',
        );

      const refused = recorder();
      expect(await objective.evaluate({ x: 1, mode: 'refused' }, refused.context)).toMatchObject({
        status: 'ok',
        // With its code across the thread too (review 132: a plain Error in a worker).
        attrs: { refused: 'step must be a non-negative integer; found -1', code: 'REPORT_INVALID', isError: true },
      });
    } finally {
      await objective.close?.();
    }
  });
});
