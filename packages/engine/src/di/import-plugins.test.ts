import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParzenError } from '../errors.js';
import { loadExperiment } from '../experiment.js';
import { importPluginPackage, missingPluginModule } from './import-plugins.js';

const config = {
  name: 'heart',
  space: { x: { type: 'uniform', low: -2, high: 2 } },
  objective: { use: 'function', options: { name: 'heart' } },
  budget: { maxTrials: 1 },
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parzen-plugin-load-'));
  writeFileSync(join(dir, 'ok.mjs'), 'export const manifests = [];');
  // Installed, but one of its own imports is not.
  const broken = join(dir, 'node_modules', 'parzen-broken-plugin');
  mkdirSync(broken, { recursive: true });
  writeFileSync(
    join(broken, 'package.json'),
    JSON.stringify({ name: 'parzen-broken-plugin', type: 'module', main: 'index.js' }),
  );
  writeFileSync(join(broken, 'index.js'), "import 'parzen-missing-dependency';\nexport const manifests = [];\n");
  // ESM-only: its `exports` answer `import` (and a subpath), never `require`.
  const esm = join(dir, 'node_modules', 'parzen-esm-only-plugin');
  mkdirSync(join(esm, 'dist'), { recursive: true });
  writeFileSync(
    join(esm, 'package.json'),
    JSON.stringify({
      name: 'parzen-esm-only-plugin',
      type: 'module',
      exports: {
        '.': { types: './dist/index.d.ts', import: './dist/index.js' },
        './extra': { import: './dist/extra.js' },
      },
    }),
  );
  writeFileSync(join(esm, 'dist', 'index.js'), 'export const manifests = [];\n');
  writeFileSync(join(esm, 'dist', 'extra.js'), 'export default { manifests: [] };\n');
  // Conditions Node walks past: a nested object with no matching condition, an invalid array item; and a
  // target that leaves the package, which Node refuses.
  const walked = join(dir, 'node_modules', 'parzen-esm-walked');
  mkdirSync(join(walked, 'dist'), { recursive: true });
  writeFileSync(
    join(walked, 'package.json'),
    JSON.stringify({
      name: 'parzen-esm-walked',
      type: 'module',
      exports: {
        '.': { node: { development: './dist/dev.js' }, import: ['bad', { import: './dist/index.js' }] },
        './escape': { import: './../parzen-esm-only-plugin/dist/index.js' },
      },
    }),
  );
  writeFileSync(join(walked, 'dist', 'index.js'), 'export const manifests = [];\n');
  // Installed from its sources, not built: its `exports` name a dist file that is not there.
  const unbuilt = join(dir, 'node_modules', 'parzen-unbuilt-plugin');
  mkdirSync(join(unbuilt, 'src'), { recursive: true });
  writeFileSync(
    join(unbuilt, 'package.json'),
    JSON.stringify({ name: 'parzen-unbuilt-plugin', type: 'module', exports: { '.': './dist/index.js' } }),
  );
  const unbuiltEsm = join(dir, 'node_modules', 'parzen-unbuilt-esm');
  mkdirSync(unbuiltEsm, { recursive: true });
  writeFileSync(
    join(unbuiltEsm, 'package.json'),
    JSON.stringify({ name: 'parzen-unbuilt-esm', type: 'module', exports: { '.': { import: './dist/index.js' } } }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const loadError = async (plugins: string[]): Promise<ParzenError> => {
  const error = await loadExperiment({ ...config, plugins }, { baseDir: dir }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ParzenError);
  return error as ParzenError;
};

describe('a config naming a plugin package', () => {
  it('loads an ESM-only package (exports with only an import condition) and its subpaths from the config folder', async () => {
    expect(await importPluginPackage('parzen-esm-only-plugin', dir)).toEqual({ manifests: [] });
    expect(await importPluginPackage('parzen-esm-only-plugin/extra', dir)).toEqual({ manifests: [] });
    expect(await importPluginPackage('parzen-esm-walked', dir)).toEqual({ manifests: [] });
    await expect(importPluginPackage('parzen-esm-walked/escape', dir)).rejects.toMatchObject({
      code: 'PLUGIN_LOAD_FAILED',
    });
  });

  it('not installed: an issue at its `plugins` entry saying what to do, without Node’s text or the engine’s path', async () => {
    const error = await loadError(['./ok.mjs', 'parzen-no-such-plugin-xyz']);
    expect(error.code).toBe('PLUGIN_LOAD_FAILED');
    expect(error.issues).toEqual([
      {
        pointer: '/plugins/1',
        expected: 'an installed package',
        found: `cannot find package 'parzen-no-such-plugin-xyz' (looked from ${dir}); install it (npm install parzen-no-such-plugin-xyz) or fix the name`,
      },
    ]);
    expect(error.message).toMatch(/^Could not load plugin module `parzen-no-such-plugin-xyz`:\n {2}\/plugins\/1: /);
    expect(error.message).not.toMatch(/imported from|import-plugins|Cannot find package/);
  });

  it("a package's own folder: loads the entry its package.json names, or says what to do", async () => {
    const folder = join(dir, 'own-package');
    mkdirSync(join(folder, 'dist'), { recursive: true });
    writeFileSync(
      join(folder, 'package.json'),
      JSON.stringify({
        name: 'own-package',
        type: 'module',
        exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
      }),
    );
    writeFileSync(join(folder, 'dist', 'index.js'), 'export const manifests = [];\n');
    expect(await importPluginPackage('./own-package', dir, 0)).toEqual({ manifests: [] });
    expect(await importPluginPackage(folder, dir, 0)).toEqual({ manifests: [] });
    // `main` without `exports`.
    const mained = join(dir, 'mained');
    mkdirSync(mained, { recursive: true });
    writeFileSync(join(mained, 'package.json'), JSON.stringify({ name: 'mained', main: 'lib/plugin.mjs' }));
    mkdirSync(join(mained, 'lib'));
    writeFileSync(join(mained, 'lib', 'plugin.mjs'), 'export const manifests = [];\n');
    expect(await importPluginPackage('./mained', dir, 0)).toEqual({ manifests: [] });
    // Not built yet, and a folder that is no package.
    const unbuilt = join(dir, 'unbuilt');
    mkdirSync(unbuilt, { recursive: true });
    writeFileSync(join(unbuilt, 'package.json'), JSON.stringify({ name: 'unbuilt', exports: './dist/index.js' }));
    await expect(importPluginPackage('./unbuilt', dir, 2)).rejects.toMatchObject({
      code: 'PLUGIN_LOAD_FAILED',
      issues: [
        {
          pointer: '/plugins/2',
          found: `a folder, ${unbuilt}; its package.json names ${join(unbuilt, 'dist', 'index.js')}, which does not exist (build the package first?): write its module file, or install the folder as a package (npm install ${unbuilt}) and list the package's name`,
        },
      ],
    });
  });

  it('misspelled: names the installed package close to it', async () => {
    const error = await loadError(['parzen-esm-only-plugn']);
    expect(error.issues).toEqual([
      {
        pointer: '/plugins/0',
        expected: 'an installed package',
        found: `cannot find package 'parzen-esm-only-plugn' (looked from ${dir}) (did you mean \`parzen-esm-only-plugin\`?); install it (npm install parzen-esm-only-plugn) or fix the name`,
      },
    ]);
  });

  it('a file written without ./ : says to write it as a path, not to install it (trial 86)', async () => {
    const error = await loadError(['ok.mjs']);
    expect(error.issues).toEqual([
      {
        pointer: '/plugins/0',
        expected: 'an installed package',
        found: `no installed package 'ok.mjs', but a file ${join(dir, 'ok.mjs')}: a plugin file is a path, write "./ok.mjs"`,
      },
    ]);
  });

  it('a subpath of a scoped package that is not installed: the package to install', async () => {
    const error = await loadError(['@parzen-nope/plugin/sub']);
    expect(error.issues[0]?.pointer).toBe('/plugins/0');
    expect(error.issues[0]?.found).toContain("cannot find package '@parzen-nope/plugin'");
    expect(error.issues[0]?.found).toContain('npm install @parzen-nope/plugin)');
  });

  it('installed, but its entry file is not there (not built): says so, naming the file (trial 70)', async () => {
    for (const name of ['parzen-unbuilt-plugin', 'parzen-unbuilt-esm']) {
      const error = await loadError([name]);
      expect(error.code).toBe('PLUGIN_LOAD_FAILED');
      expect(error.issues).toMatchObject([
        {
          pointer: '/plugins/0',
          expected: 'a package whose entry file exists',
          found: expect.stringMatching(
            new RegExp(
              `^its entry .*${name}/dist/index\\.js does not exist \\(the file its package\\.json's "exports" or "main" names: build the package first\\?\\)$`,
            ),
          ),
        },
      ]);
    }
  });

  it('installed, but something it imports is missing: says so, naming the missing import', async () => {
    const error = await loadError(['parzen-broken-plugin']);
    expect(error.code).toBe('PLUGIN_LOAD_FAILED');
    expect(error.issues).toMatchObject([{ pointer: '/plugins/0', expected: 'a module whose imports are installed' }]);
    expect(error.message).toContain(
      '`parzen-broken-plugin`:\n  /plugins/0: expected a module whose imports are installed, found something it imports is missing',
    );
    expect(error.message).toContain("'parzen-missing-dependency'");
    expect(error.message).not.toContain('npm install');
  });

  it('calls process.exit as it loads (at its top level or from a timer): refused as a module that does not load, not the run ended with its code', async () => {
    writeFileSync(join(dir, 'exits.mjs'), 'process.exit(0);\nexport const manifests = [];\n');
    writeFileSync(
      join(dir, 'exits-later.mjs'),
      'await new Promise((resolve) => setTimeout(() => { process.exit(3); resolve(); }, 5));\nexport const manifests = [];\n',
    );
    for (const [file, code, at] of [
      ['exits.mjs', 0, '1:9'],
      ['exits-later.mjs', 3, '1:59'],
    ] as const) {
      const error = await loadError([`./${file}`]);
      expect(error.code).toBe('PLUGIN_LOAD_FAILED');
      expect(error.message).toBe(
        `Could not load plugin module \`./${file}\`:\n  /plugins/0: expected a module that loads, found an error while it loaded: it called process.exit(${code}) as it loaded, on Parzen's own thread, where it would have ended the run with that exit code. Throw an Error to refuse to load. (at ${join(dir, file)}:${at})`,
      );
    }
  });
});

describe('the check that a plugin module is there, with nothing imported', () => {
  /** What importing it says: its error's issues, or undefined when it loads (or fails only as a module). */
  const imported = async (specifier: string) =>
    importPluginPackage(specifier, dir, 0).then(
      () => undefined,
      (error: unknown) =>
        error instanceof ParzenError && error.code === 'PLUGIN_LOAD_FAILED' ? error.issues : undefined,
    );

  it.each([
    ['a file there', './ok.mjs', false],
    ['a file that is not', './gone.mjs', true],
    ['a file: URL of a file there', 'file-url:ok.mjs', false],
    ['a file: URL of no file', 'file-url:gone.mjs', true],
    ['an installed ESM-only package and its subpath', 'parzen-esm-only-plugin/extra', false],
    ['a package installed but not built', 'parzen-unbuilt-esm', true],
    ['a package not installed', 'parzen-plugin-not-installed', true],
    ["a package found from the engine's own folder, not the config's", '@parzen/engine', false],
    ['a package there whose imports are missing (its import says so)', 'parzen-broken-plugin', false],
  ])('%s: as its import finds it', async (_, written, missing) => {
    const specifier = written.startsWith('file-url:')
      ? pathToFileURL(join(dir, written.slice('file-url:'.length))).href
      : written;
    const problem = missingPluginModule(specifier, dir, 0);
    expect(problem !== undefined).toBe(missing);
    if (missing) expect(problem?.issues).toEqual(await imported(specifier));
    else expect(problem).toBeUndefined();
  });

  it('says a file: URL of no file is no file (not a package to build)', () => {
    const url = pathToFileURL(join(dir, 'gone.mjs')).href;
    expect(missingPluginModule(url, dir, 2)?.issues).toEqual([
      { pointer: '/plugins/2', expected: 'a module file', found: `no file at ${join(dir, 'gone.mjs')}` },
    ]);
  });
});
