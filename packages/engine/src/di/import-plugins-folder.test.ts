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
});
