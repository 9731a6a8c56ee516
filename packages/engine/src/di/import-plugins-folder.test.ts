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
