import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explainNext } from '../src/commands/explain.js';
import { inspectTargets } from '../src/commands/inspect.js';
import { reportConfigs } from '../src/commands/report.js';
import { heartConfig, heartModule, linkEngine, runParzen, tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

/** A folder with the heart objective and a config `kept.json` whose study (`kept`, in `kept.jsonl`) has run. */
const ranStudy = async (): Promise<{ folder: string; config: (more: Record<string, unknown>) => string }> => {
  const folder = tempDir('parzen-read-check-');
  writeIn(folder, 'heart.mjs', heartModule);
  const base = { name: 'kept', store: { use: 'jsonl', options: { path: './kept.jsonl' } }, budget: { maxTrials: 3 } };
  expect((await cli('run', writeIn(folder, 'kept.json', heartConfig(base)), '--quiet')).code).toBe(0);
  return { folder, config: (more) => writeIn(folder, 'changed.json', heartConfig({ ...base, ...more })) };
};

/** A third-party suggester plugin module that loads (it is never asked for a suggestion here). */
const annealPlugin = `export const manifests = [{ kind: 'suggester', name: 'anneal', optionsSchema: { type: 'object' }, create: () => { throw new Error('not here'); } }];\n`;

/** The first error of `--json` output. */
const jsonError = (stdout: string) =>
  (JSON.parse(stdout) as { errors: { code: string; message: string; issues: unknown[] }[] }).errors[0];

/**
 * A resolve hook that records every module a spawned CLI in `folder` loads: `env` for the spawn, `read()` the URLs so
 * far (a line each).
 */
const recordingLoads = (folder: string): { readonly env: NodeJS.ProcessEnv; readonly read: () => string } => {
  const loads = join(folder, 'loads.txt');
  writeFileSync(loads, '');
  writeFileSync(
    join(folder, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';\nexport const resolve = async (specifier, context, next) => { const found = await next(specifier, context); appendFileSync(${JSON.stringify(loads)}, found.url + '\\n'); return found; };\n`,
  );
  writeFileSync(
    join(folder, 'record-loads.mjs'),
    `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${join(folder, 'hooks.mjs')}`)});\n`,
  );
  return {
    env: { NODE_OPTIONS: `--import ${join(folder, 'record-loads.mjs')}` },
    read: () => readFileSync(loads, 'utf8'),
  };
};

/** The modules loaded of the Parzen packages `packages` matches (SQLite's dependency-free file naming is no plugin). */
const pluginsLoaded = (loaded: string, packages: RegExp): string[] =>
  loaded
    .split('\n')
    .filter((url) => new RegExp(`/(${packages.source})/(dist|src)/`).test(url))
    .filter((url) => !/\/store-sqlite\/(dist|src)\/default-path\.[jt]s$/.test(url));

describe('the read commands check a config as validate does, with only the plugins a read uses', () => {
  it('read the config file once, and check what they read', async () => {
    const folder = tempDir('parzen-read-once-');
    // No file there: only the reader has the config, so a second read of the file would fail.
    const path = join(folder, 'absent.json');
    const read: string[] = [];
    const targets = await inspectTargets(
      path,
      {},
      {
        readConfig: (file) => {
          read.push(file);
          return heartConfig({ store: { use: 'jsonl' } });
        },
      },
    );
    expect(read).toEqual([path]);
    expect(targets.map((target) => target.study)).toEqual(['heart']);
    // What was read is what is checked: a mistake in it is refused.
    await expect(
      inspectTargets(path, {}, { readConfig: () => heartConfig({ budget: { maxTrials: 0 } }) }),
    ).rejects.toThrow(/\/budget\/maxTrials: expected an integer ≥ 1, found 0/);
  });

  it('load no suggester, objective or pruner package to check it (TPE alone took tens of milliseconds)', async () => {
    const { folder, config } = await ranStudy();
    const path = config({ suggester: { use: 'tpe' }, pruner: { use: 'median' } });
    const loads = recordingLoads(folder);
    for (const command of ['best', 'trials']) {
      const run = await runParzen([command, path], { cwd: folder, env: loads.env });
      expect([command, run.code, run.stderr]).toEqual([command, 0, '']);
    }
    const loaded = loads.read();
    // The hook saw the CLI's modules (the store's package among them) ...
    expect(loaded).toMatch(/\/store-file\/(dist|src)\//);
    // ... and none of the plugins a read does not use (SQLite's dependency-free file naming is no plugin).
    expect(pluginsLoaded(loaded, /algo-tpe|algo-random|objectives|pruners|store-sqlite|store-postgres/)).toEqual([]);
  });

  it.each([
    ['an unknown store option', { store: { use: 'jsonl', options: { path: './kept.jsonl', pathh: 'x' } } }],
    ['an unknown suggester', { suggester: { use: 'tpee' } }],
    ['a budget of no trials, in a config that lists plugins', { budget: { maxTrials: 0 } }],
    [
      'a store option of the wrong type, in a config that lists plugins',
      { store: { use: 'jsonl', options: { path: './kept.jsonl', fsync: 'x' } } },
    ],
  ])('refuse %s as validate does: the same code, issues and message', async (name, more) => {
    const { folder, config } = await ranStudy();
    writeIn(folder, 'anneal.mjs', annealPlugin);
    const plugins = name.endsWith('lists plugins') ? { plugins: ['./anneal.mjs'], suggester: { use: 'anneal' } } : {};
    const path = config({ ...plugins, ...more });
    const checked = await cli('validate', path, '--json');
    const refused = jsonError(checked.stdout);
    expect(refused?.issues.length).toBeGreaterThan(0);
    const said = (await cli('validate', path)).stderr;
    for (const command of ['best', 'trials', 'export', 'studies']) {
      const text = await cli(command, path);
      expect([command, text.code, text.stderr.startsWith(said)]).toEqual([command, checked.code, true]);
      if (command === 'export') continue;
      const read = await cli(command, path, '--json');
      expect([command, read.code]).toEqual([command, checked.code]);
      const error = jsonError(read.stdout);
      expect({ code: error?.code, issues: error?.issues }).toEqual({ code: refused?.code, issues: refused?.issues });
      // The same message, then how to read the study without the config.
      expect(error?.message.startsWith(`${refused?.message}\nThe trials can be read without this config`)).toBe(true);
      expect(error?.message).toContain(`--study kept in place of the config.`);
    }
  });

  it('read a study whose config lists a plugin that is not installed, and say what validate will say of it', async () => {
    const { folder, config } = await ranStudy();
    const path = config({ plugins: ['parzen-plugin-not-installed'], suggester: { use: 'anneal' } });
    const checked = await cli('validate', path);
    expect(checked.code).not.toBe(0);
    const missing = `cannot find package 'parzen-plugin-not-installed' (looked from ${folder})`;
    expect(checked.stderr).toContain(`/plugins/0: expected an installed package, found ${missing}`);
    const read = await cli('best', path);
    expect(read.code).toBe(0);
    expect(read.stdout).toMatch(/^Study kept: 3 complete/);
    expect(read.stderr).toBe(
      `parzen: note: ${path}: /plugins/0 (parzen-plugin-not-installed): ${missing}; install it (npm install parzen-plugin-not-installed) or fix the name. The trials are read without it ` +
        "(a read loads no plugin of a config's `plugins` but its store's), but `parzen validate` and `parzen run` refuse the config until it is there.",
    );
    // A plugin file that is not there, likewise.
    const file = config({ plugins: ['./gone.mjs'], suggester: { use: 'anneal' } });
    const trials = await cli('trials', file);
    expect(trials.code).toBe(0);
    expect(trials.stderr).toContain(`/plugins/0 (./gone.mjs): no file at ${join(folder, 'gone.mjs')}. The trials`);
  });

  it('read a study whose config sets options of a plugin a read does not use wrongly: validate and run refuse it', async () => {
    const { config } = await ranStudy();
    const path = config({ suggester: { use: 'tpe', options: { gamma: 'x' } } });
    expect((await cli('validate', path)).stderr).toContain('/suggester/options/gamma: expected a number > 0');
    const read = await cli('best', path);
    expect([read.code, read.stderr]).toEqual([0, '']);
    expect(read.stdout).toMatch(/^Study kept: 3 complete/);
  });
});

/**
 * A folder with the heart objective, the engine and the JSONL store installed, a plugin module `mystore.mjs` (a store
 * `myjsonl`, a suggester `anneal` that takes only `t`), and a study `mine` run with them (`config` writes a changed
 * config of it).
 */
const ranPluginStudy = async (): Promise<{ folder: string; config: (more: Record<string, unknown>) => string }> => {
  const folder = tempDir('parzen-read-plugin-store-');
  linkEngine(folder);
  symlinkSync(
    resolve(import.meta.dirname, '../../store-file'),
    join(folder, 'node_modules', '@parzen', 'store-file'),
    'dir',
  );
  writeIn(folder, 'heart.mjs', heartModule);
  writeIn(
    folder,
    'mystore.mjs',
    `import { createJsonlStore } from '@parzen/store-file';
export const manifests = [
  { kind: 'store', name: 'myjsonl', optionsSchema: { type: 'object', additionalProperties: false, properties: { path: { type: 'string' } } }, create: ({ path }) => createJsonlStore({ path }) },
  { kind: 'suggester', name: 'anneal', optionsSchema: { type: 'object', additionalProperties: false, properties: { t: { type: 'number' } } }, create: () => { throw new Error('not here'); } },
];
`,
  );
  const base = {
    name: 'mine',
    store: { use: 'myjsonl', options: { path: join(folder, 'mine.jsonl') } },
    plugins: ['./mystore.mjs'],
    budget: { maxTrials: 3 },
  };
  const ran = await cli('run', writeIn(folder, 'mine.json', heartConfig(base)), '--quiet');
  expect([ran.code, ran.stderr]).toEqual([0, '']);
  return { folder, config: (more) => writeIn(folder, 'changed.json', heartConfig({ ...base, ...more })) };
};

describe('a read of a config whose store is a plugin of its `plugins`', () => {
  it.each([
    ['a built-in suggester', { suggester: { use: 'tpe', options: { gama: 0.2 } } }],
    ['a suggester of the same plugin module', { suggester: { use: 'anneal', options: { tt: 1 } } }],
  ])('does not check the options of %s, as a read of a built-in store does not', async (_, more) => {
    const { config } = await ranPluginStudy();
    const path = config(more);
    expect((await cli('validate', path)).code).toBe(2);
    const read = await cli('best', path);
    expect([read.code, read.stderr]).toEqual([0, '']);
    expect(read.stdout).toMatch(/^Study mine: 3 complete/);
  });

  it('reads the study when another entry of `plugins` is not there, and notes it', async () => {
    const { folder, config } = await ranPluginStudy();
    const path = config({ plugins: ['./gone.mjs', './mystore.mjs'] });
    const read = await cli('trials', path);
    expect(read.code).toBe(0);
    expect(read.stderr).toContain(
      `/plugins/0 (./gone.mjs): no file at ${join(folder, 'gone.mjs')}. The trials are read`,
    );
    // The store's own module not there: refused as validate refuses it (the store may have been its).
    const gone = config({ plugins: ['./gone.mjs'] });
    const refused = await cli('best', gone);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain((await cli('validate', gone)).stderr.trim());
  });

  it('says how to read the trials of a refused config without suggesting `--store`, which needs the config', async () => {
    const { folder, config } = await ranPluginStudy();
    const path = config({ store: { use: 'myjsonl', options: { path: join(folder, 'mine.jsonl'), pathh: 1 } } });
    const read = await cli('best', path);
    expect(read.code).toBe(2);
    expect(read.stderr).toContain('/store/options/pathh');
    expect(read.stderr).not.toContain('--store SPEC');
    expect(read.stderr).toContain(
      'The store `myjsonl` is not built in, and `--store` reads without a config only a built-in store (jsonl, sqlite, postgres): fix the config as said above to read its trials.',
    );
  });

  it.each([
    ['a store that is no plugin choice', { store: 'jsonl:./kept.jsonl' }],
    ['a store no plugin has', { store: { use: 'nope' } }],
  ])("lists the config's plugin stores when it refuses %s, as validate does", async (_, more) => {
    const { config } = await ranPluginStudy();
    const path = config(more);
    const checked = jsonError((await cli('validate', path, '--json')).stdout);
    expect(JSON.stringify(checked?.issues)).toContain('memory, jsonl, sqlite, postgres, myjsonl');
    for (const command of ['best', 'trials', 'export', 'studies']) {
      if (command === 'export') {
        expect((await cli(command, path)).stderr).toContain('memory, jsonl, sqlite, postgres, myjsonl');
        continue;
      }
      const read = await cli(command, path, '--json');
      expect([command, jsonError(read.stdout)?.issues]).toEqual([command, checked?.issues]);
    }
  });
});

describe("the note on a config's `plugins` entry a read does not load", () => {
  it('is said only of an entry validate cannot find (as the engine finds it: a file: URL, a package found from the CLI)', async () => {
    const { folder, config } = await ranStudy();
    writeIn(folder, 'anneal.mjs', annealPlugin);
    const url = config({ plugins: [pathToFileURL(join(folder, 'anneal.mjs')).href] });
    expect((await cli('validate', url)).code).toBe(0);
    expect(await cli('best', url)).toMatchObject({ code: 0, stderr: '' });
    // Found (from the CLI's own folder), and refused for what it exports: validate's to say.
    const engine = config({ plugins: ['@parzen/engine'] });
    expect((await cli('validate', engine)).stderr).toContain('no `manifests` export');
    expect(await cli('best', engine)).toMatchObject({ code: 0, stderr: '' });
    // A file: URL of no file: noted, in validate's words.
    const gone = pathToFileURL(join(folder, 'gone.mjs')).href;
    const missing = config({ plugins: [gone] });
    expect((await cli('validate', missing)).stderr).toContain(`found no file at ${join(folder, 'gone.mjs')}`);
    expect((await cli('best', missing)).stderr).toContain(
      `/plugins/0 (${gone}): no file at ${join(folder, 'gone.mjs')}.`,
    );
  });
});

describe('explain and report check a config as validate does, with only the plugins they use', () => {
  it("load the store's and the suggester's packages, and no objective, pruner, other store or Vega", async () => {
    const { folder, config } = await ranStudy();
    const path = config({ suggester: { use: 'tpe' }, pruner: { use: 'median' } });
    const loads = recordingLoads(folder);
    for (const args of [
      ['explain', path],
      ['report', path, '-o', join(folder, 'page.html')],
    ]) {
      const run = await runParzen(args, { cwd: folder, env: loads.env });
      expect([args[0], run.code]).toEqual([args[0], 0]);
    }
    const loaded = loads.read();
    // TPE, whose settings they replay, and the store's package ...
    expect(loaded).toMatch(/\/algo-tpe\/(dist|src)\//);
    expect(loaded).toMatch(/\/store-file\/(dist|src)\//);
    // ... and none of the plugins they do not use, nor Vega, which draws SVGs (the page inlines its browser bundle).
    expect(pluginsLoaded(loaded, /objectives|pruners|store-sqlite|store-postgres/)).toEqual([]);
    expect(loaded.split('\n').filter((url) => /\/node_modules\/vega(-lite)?\//.test(url))).toEqual([]);
  });

  it('refuse the options of the plugins they use as validate does', async () => {
    const { folder, config } = await ranStudy();
    const tpe = config({ suggester: { use: 'tpe', options: { gamma: 'x' } } });
    const said = (await cli('validate', tpe)).stderr;
    expect(said).toContain('/suggester/options/gamma: expected a number > 0');
    for (const args of [
      ['explain', tpe],
      ['report', tpe, '-o', join(folder, 'page.html')],
    ]) {
      const refused = await cli(...args);
      expect([args[0], refused.code, refused.stderr]).toEqual([args[0], 2, said]);
    }
    // --contour evaluates the config's module objective: its options are checked.
    const objective = config({ objective: { use: 'module', options: {} } });
    const contour = await cli('report', objective, '--contour', '-o', join(folder, 'page.html'));
    expect([contour.code, contour.stderr]).toEqual([2, (await cli('validate', objective)).stderr]);
  });

  it('read a study whose config lists a plugin that is not there, and say so as trials does', async () => {
    const { folder, config } = await ranStudy();
    const path = config({ plugins: ['./gone.mjs'], suggester: { use: 'tpe' } });
    const note = `parzen: note: ${path}: /plugins/0 (./gone.mjs): no file at ${join(folder, 'gone.mjs')}. The trials are read without it`;
    expect((await cli('trials', path)).stderr).toContain(note);
    for (const args of [
      ['explain', path],
      ['report', path, '-o', join(folder, 'page.html')],
    ]) {
      const read = await cli(...args);
      expect([args[0], read.code]).toEqual([args[0], 0]);
      expect(read.stderr).toContain(note);
    }
  });

  it('read the config file once', async () => {
    const { folder } = await ranStudy();
    // No file there: only the reader has the config, so a second read of the file would fail.
    const path = join(folder, 'absent.json');
    const config = heartConfig({
      name: 'kept',
      suggester: { use: 'tpe' },
      store: { use: 'jsonl', options: { path: './kept.jsonl' } },
    });
    const output = { result: () => undefined, note: () => undefined };
    const read: string[] = [];
    const readConfig = (file: string) => {
      read.push(file);
      return config;
    };
    expect(await reportConfigs([path], { output: join(folder, 'page.html') }, output, { readConfig })).toBe(0);
    expect(read).toEqual([path]);
    read.length = 0;
    expect(await explainNext(path, {}, output, { readConfig })).toBe(0);
    expect(read).toEqual([path]);
    // What -o must not overwrite is what was read: the objective module that config names.
    await expect(
      reportConfigs([path], { output: join(folder, 'heart.mjs') }, output, { readConfig: () => config }),
    ).rejects.toThrow(`-o: ${join(folder, 'heart.mjs')} is the objective module of ${path}`);
  });
});

describe('the targets of a read', () => {
  it("open each study's store with the experiment the config's check made, unless the config is not checked", async () => {
    const { config } = await ranStudy();
    const path = config({ matrix: { seed: [1, 2] } });
    const targets = await inspectTargets(path, {});
    // The check's experiments: the config's own objective and seeds (not a probe of the store alone).
    expect(targets.map(({ experiment }) => [experiment.config.objective.use, experiment.config.seed])).toEqual([
      ['module', 1],
      ['module', 2],
    ]);
    // Unchecked (`delete`): a probe of the store alone, which opens the same store.
    const unchecked = await inspectTargets(path, {}, { checked: false });
    expect(unchecked.map(({ experiment }) => experiment.config.objective.use)).toEqual(['function', 'function']);
    expect(unchecked.map(({ store }) => store)).toEqual(targets.map(({ store }) => store));
  });
});
