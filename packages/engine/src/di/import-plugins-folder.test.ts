import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPluginPackage } from './import-plugins.js';

// A package's folder listed in `plugins` should load what Node loads for that package (as `npm install ./folder`
// then its name would): `main` is resolved with Node's legacy rules (extensions, a folder's index.js).
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parzen-plugin-folder-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pkg = (name: string, json: object, files: Record<string, string>): string => {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name, ...json }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(folder, file, '..'), { recursive: true });
    writeFileSync(join(folder, file), text);
  }
  return folder;
};

describe("a package's folder in plugins whose main Node resolves", () => {
  it('main without its extension (dist/index for dist/index.js), a built CommonJS package', async () => {
    const folder = pkg('noext', { main: 'dist/index' }, { 'dist/index.js': 'exports.manifests = [];\n' });
    // Node itself loads it.
    expect(createRequire(join(dir, 'x.js'))(folder)).toEqual({ manifests: [] });
    await expect(importPluginPackage('./noext', dir, 0)).resolves.toMatchObject({ manifests: [] });
  });

  it('main naming a folder (lib, with lib/index.js)', async () => {
    const folder = pkg('libdir', { main: 'lib' }, { 'lib/index.js': 'exports.manifests = [];\n' });
    expect(createRequire(join(dir, 'x.js'))(folder)).toEqual({ manifests: [] });
    await expect(importPluginPackage('./libdir', dir, 0)).resolves.toMatchObject({ manifests: [] });
  });

  it('exports with conditions: the file loading it by name gives (require before import, as for an installed one)', async () => {
    const files = {
      'dist/index.cjs': 'exports.manifests = []; exports.which = "require";\n',
      'dist/index.mjs': 'export const manifests = []; export const which = "import";\n',
    };
    const json = { exports: { '.': { import: './dist/index.mjs', require: './dist/index.cjs' } } };
    pkg('conditional', json, files);
    const installed = pkg('node_modules/conditional', json, files);
    const byName = await importPluginPackage('conditional', dir, 0, (url) => import(url));
    expect(byName).toMatchObject({ manifests: [] });
    const seen: string[] = [];
    const record = (url: string) => {
      seen.push(url);
      return import(url);
    };
    await importPluginPackage('conditional', dir, 0, record);
    await importPluginPackage('./conditional', dir, 0, record);
    expect(seen.map((url) => url.replace(installed, '').replace(join(dir, 'conditional'), ''))).toEqual([
      expect.stringMatching(/\/dist\/index\.cjs$/),
      expect.stringMatching(/\/dist\/index\.cjs$/),
    ]);
    // ESM-only (`import` and `default` alone, which require refuses): its import target.
    pkg(
      'esm-only',
      { type: 'module', exports: { import: './x.mjs', default: './x.mjs' } },
      {
        'x.mjs': 'export const manifests = [];\n',
      },
    );
    pkg('esm-import', { exports: { '.': { import: './y.mjs' } } }, { 'y.mjs': 'export const manifests = [];\n' });
    await expect(importPluginPackage('./esm-only', dir, 0)).resolves.toMatchObject({ manifests: [] });
    await expect(importPluginPackage('./esm-import', dir, 0)).resolves.toMatchObject({ manifests: [] });
  });

  it('neither main nor exports: its index.js; not a file beside the folder named like it', async () => {
    pkg('plain', {}, { 'index.js': 'exports.manifests = [];\n' });
    writeFileSync(join(dir, 'plain.js'), 'throw new Error("the file beside the folder");\n');
    await expect(importPluginPackage('./plain', dir, 0)).resolves.toMatchObject({ manifests: [] });
  });

  it('no entry at all: says so, without claiming package.json names a file', async () => {
    pkg('empty', {}, { 'README.md': 'nothing\n' });
    await expect(importPluginPackage('./empty', dir, 1)).rejects.toMatchObject({
      issues: [
        {
          pointer: '/plugins/1',
          found: `a folder, ${join(dir, 'empty')}; its package.json names no entry ("exports" or "main"), and it has no index.js: write its module file, or install the folder as a package (npm install ${join(dir, 'empty')}) and list the package's name`,
        },
      ],
    });
    // A main not built yet: the file it names.
    pkg('unbuilt-main', { main: 'dist/index' }, {});
    await expect(importPluginPackage('./unbuilt-main', dir, 1)).rejects.toMatchObject({
      issues: [
        {
          found: expect.stringContaining(
            `its package.json names ${join(dir, 'unbuilt-main', 'dist', 'index')}, which does not exist (build the package first?)`,
          ),
        },
      ],
    });
  });
});

describe("a package's folder that loads nothing, by a path with a space", () => {
  it('gives the npm install command quoted, as a shell reads it back', async () => {
    pkg('my plugin', {}, { 'README.md': 'nothing\n' });
    const error = (await importPluginPackage('./my plugin', dir, 0).catch((caught: unknown) => caught)) as {
      issues: { found: string }[];
    };
    expect(error.issues[0]?.found).toContain(`(npm install '${join(dir, 'my plugin')}')`);
  });
});

describe('did-you-mean among installed packages', () => {
  it('does not offer another plugin of the same scope for a package that is simply not installed', async () => {
    const installed = join(dir, 'node_modules', '@acme', 'parzen-tpe');
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: '@acme/parzen-tpe', main: 'index.js' }));
    writeFileSync(join(installed, 'index.js'), 'exports.manifests = [];\n');
    // `@acme/parzen-gp` is another plugin, not a misspelling of `@acme/parzen-tpe` (two of its 15 letters differ
    // only because the scope is shared).
    await expect(importPluginPackage('@acme/parzen-gp', dir, 0)).rejects.toMatchObject({
      issues: [{ found: expect.not.stringContaining('did you mean') }],
    });
  });

  it.each([
    ['@parzen/algo-cmaes', '@parzen/algo-tpe', undefined],
    ['parzen-plugin-foo', 'parzen-plugin-bar', undefined],
    ['parzen-plugin', 'parzen-plugin-bar', undefined],
    ['@parzen/algo-tep', '@parzen/algo-tpe', '@parzen/algo-tpe'],
    ['parzen-plugn-bar', 'parzen-plugin-bar', 'parzen-plugin-bar'],
  ])('%s with %s installed: offered %s (a likely misspelling only)', async (wanted, present, offered) => {
    const installed = join(dir, 'node_modules', present);
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: present, main: 'index.js' }));
    writeFileSync(join(installed, 'index.js'), 'exports.manifests = [];\n');
    const error = await importPluginPackage(wanted, dir, 0).then(
      () => undefined,
      (thrown: unknown) => thrown as { issues: { found: string }[] },
    );
    const found = error?.issues[0]?.found ?? '';
    if (offered === undefined) expect(found).not.toContain('did you mean');
    else expect(found).toContain(`(did you mean \`${offered}\`?)`);
    rmSync(installed, { recursive: true, force: true });
  });
});
