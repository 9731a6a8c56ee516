import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// esbuild's command line, run with a working folder of its own: this test's process may be left in a folder
// another test file removed (the in-process CLI tests change folders), and a child cannot start there.
const ESBUILD = createRequire(import.meta.url).resolve('esbuild/bin/esbuild');
const packageDir = (name: string): string => fileURLToPath(new URL(`../../${name}/`, import.meta.url));

// Bundling is what is tested here (a program inlines the built packages), so the bundles run in processes.
const dir = mkdtempSync(join(tmpdir(), 'parzen-bundled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bundles `source` (resolved from the package `from`) for Node in `format`, runs it, returns its output. */
const bundleAndRun = async (source: string, from: string, format: 'cjs' | 'esm'): Promise<string> => {
  const outfile = join(dir, `bundle-${Math.random().toString(36).slice(2)}.${format === 'cjs' ? 'cjs' : 'mjs'}`);
  const bundled = spawnSync(
    process.execPath,
    [
      ESBUILD,
      '--bundle',
      '--platform=node',
      `--format=${format}`,
      `--outfile=${outfile}`,
      '--log-level=error',
      '--external:better-sqlite3',
    ],
    { cwd: packageDir(from), input: source, encoding: 'utf8', timeout: 60_000 },
  );
  expect(bundled.status, bundled.stderr).toBe(0);
  const run = spawnSync(process.execPath, [outfile], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  return `${run.stdout}${run.stderr}`;
};

describe('Parzen bundled into a program (trial 80)', () => {
  it('a module objective in a bundle says that its worker script was left out, not that the user module failed', async () => {
    writeFileSync(join(dir, 'objective.mjs'), 'export default ({ x }) => x;\n');
    const source = `import { createModuleObjective } from '@parzen/objectives';
createModuleObjective({ path: ${JSON.stringify(join(dir, 'objective.mjs'))} }, '/').then(
  () => console.log('loaded'),
  (error) => console.log('refused: ' + error.message),
);`;
    for (const format of ['esm', 'cjs'] as const) {
      const output = await bundleAndRun(source, 'objectives', format);
      expect(output).toMatch(
        /^refused: Parzen's worker script \(module-worker\.js of @parzen\/objectives\) is not beside its code/,
      );
      expect(output).toContain('esbuild --external');
    }
  });

  it('a CommonJS bundle that imports the SQLite store starts (it crashed at import, SQLite used or not)', async () => {
    const source = `import { createSqliteStore } from '@parzen/store-sqlite';
console.log(typeof createSqliteStore);`;
    expect((await bundleAndRun(source, 'store-sqlite', 'cjs')).trim()).toBe('function');
    // One that opens a store is told what to do (it has no import.meta.url to load better-sqlite3 from).
    const opens = `import { createSqliteStore } from '@parzen/store-sqlite';
const say = (error) => console.log(error.code + ': ' + error.message);
try {
  createSqliteStore({ path: ${JSON.stringify(join(dir, 'bundled.db'))} })
    .openStudy({ name: 's', direction: 'minimize', seed: 1, space: {} })
    .then(() => console.log('opened'), say);
} catch (error) {
  say(error);
}`;
    expect((await bundleAndRun(opens, 'store-sqlite', 'cjs')).trim()).toMatch(
      /^STORE_FAILED: The SQLite store cannot load better-sqlite3 from a program bundled to CommonJS .*bundle as ESM/,
    );
  });
});
