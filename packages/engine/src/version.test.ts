import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { versionChange } from './builtins/check-same-study.js';
import { createFunctionObjective } from './builtins/function-objective.js';
import { createMemoryStore } from './builtins/memory-store.js';
import type { Suggester } from './contracts/suggester.js';
import { compileSpace } from './domain/compile-space.js';
import { sampleDistribution } from './domain/sample-distribution.js';
import type { SpaceDefinition } from './domain/space-definition.js';
import { runStudy } from './runtime/run-study.js';
import { Study } from './study.js';
import { PARZEN_VERSION } from './version.js';

const dir = mkdtempSync(join(tmpdir(), 'parzen-version-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tempPath = (name: string) => join(dir, name);
const space: SpaceDefinition = { x: { type: 'uniform', low: 0, high: 1 } };
const suggester: Suggester = {
  name: 'algo',
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
};
const root = new URL('../', import.meta.url);
const packageVersion = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string }).version;
const script = new URL('scripts/write-build-version.mjs', root).pathname;
const written = (file: string, env: NodeJS.ProcessEnv = process.env): string => {
  execFileSync(process.execPath, [script, file], { env });
  const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version: string };
  // And the module the build puts in place of dist/version-build.js: the same version, as a constant.
  expect(readFileSync(file.replace(/\.json$/, '.js'), 'utf8')).toContain(
    `export const BUILD_VERSION = ${JSON.stringify(version)};\n`,
  );
  return version;
};
// esbuild's command line, run in a folder of its own (see packages/objectives/src/bundled.test.ts).
const ESBUILD = createRequire(import.meta.url).resolve('esbuild/bin/esbuild');

describe('the Parzen version a study records', () => {
  it('is the build\'s: the package version and the git commit it was built from (every build was "0.1.0")', () => {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim().slice(0, 8);
    expect(written(tempPath('build-version.json'))).toBe(`${packageVersion}+${commit}`);
    // What the build wrote is what this engine says (the package version alone before a build).
    const built = new URL('dist/build-version.json', root);
    let expected = packageVersion;
    try {
      expected = (JSON.parse(readFileSync(built, 'utf8')) as { version: string }).version;
    } catch {}
    expect(PARZEN_VERSION).toBe(expected);
  });

  it('is the package version alone when not built from a git checkout', () => {
    const env = { ...process.env, GIT_DIR: tempPath('no-such-repository'), GIT_CEILING_DIRECTORIES: '/' };
    expect(written(tempPath('outside.json'), env)).toBe(packageVersion);
  });

  it("is written by the engine package's own build as by the workspace's: tsc, then the script that writes it", () => {
    const scripts = (
      JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    const workspace = (
      JSON.parse(readFileSync(new URL('../../package.json', root), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts.build).toBe('tsc -b && node scripts/bundle-vendor.mjs');
    // The workspace's runs tsc, then the engine's script (other packages' steps may follow it).
    expect(workspace.build).toMatch(/^tsc -b && node packages\/engine\/scripts\/bundle-vendor\.mjs( && |$)/);
    // bundle-vendor.mjs writes the version (write-build-version.mjs) on every build.
    expect(readFileSync(new URL('scripts/bundle-vendor.mjs', root), 'utf8')).toContain(
      "import './write-build-version.mjs';",
    );
  });

  it('is said on resume by another version, naming both; not for the same one, nor for a study that kept none', () => {
    expect(versionChange('s', '0.0.9', '0.1.0+6a34edef')).toBe(
      'study s was created by Parzen 0.0.9; this run is Parzen 0.1.0+6a34edef, whose suggestions may differ from ' +
        'those of 0.0.9 (a change of behaviour between versions, not of settings): the same seed and settings can ' +
        'draw other trials than before. To reproduce the earlier trials, run them with Parzen 0.0.9.',
    );
    expect(versionChange('s', '0.1.0', '0.1.0')).toBeUndefined();
    expect(versionChange('s', undefined, '0.1.0')).toBeUndefined();
    // A build that could not tell its version (a bundle of an earlier build) records and says `unknown`: nothing is
    // said of it, either way (before: "created by Parzen unknown").
    expect(versionChange('s', 'unknown', '0.1.0+6a34edef')).toBeUndefined();
    expect(versionChange('s', '0.1.0+6a34edef', 'unknown')).toBeUndefined();
  });

  it("survives bundling: a bundle of the built engine, with no file beside it, says the build's version", () => {
    const built = new URL('dist/build-version.json', root);
    expect(existsSync(built), 'build the workspace first (pnpm build)').toBe(true);
    const { version } = JSON.parse(readFileSync(built, 'utf8')) as { version: string };
    // `tsc -b` alone re-emits the module that reads the files, once src/version-build.ts changes: the build's step
    // after it puts the constant back.
    expect(
      readFileSync(new URL('dist/version-build.js', root), 'utf8'),
      "dist/version-build.js is tsc's output, not the build's constant: run pnpm build (tsc -b, then the engine's scripts/bundle-vendor.mjs)",
    ).toContain(`export const BUILD_VERSION = ${JSON.stringify(version)};\n`);
    for (const format of ['esm', 'cjs'] as const) {
      const outfile = tempPath(`version.${format === 'esm' ? 'mjs' : 'cjs'}`);
      const bundled = spawnSync(
        process.execPath,
        [ESBUILD, '--bundle', '--platform=node', `--format=${format}`, `--outfile=${outfile}`, '--log-level=warning'],
        {
          cwd: fileURLToPath(root),
          input: "import { PARZEN_VERSION } from './dist/version.js'; console.log(PARZEN_VERSION);",
          encoding: 'utf8',
        },
      );
      // No warning either (a CommonJS bundle of code that reads import.meta.url is warned that it is empty).
      expect([bundled.status, bundled.stderr]).toEqual([0, '']);
      expect(readFileSync(outfile, 'utf8')).not.toContain('readFileSync');
      const run = spawnSync(process.execPath, [outfile], { cwd: dir, encoding: 'utf8' });
      expect(`${run.stdout}${run.stderr}`).toBe(`${version}\n`);
    }
  });

  it('is recorded by a run creating the study and kept on resume; a run of another version warns once', async () => {
    const store = createMemoryStore();
    const warnings: string[] = [];
    const run = (name: string) =>
      runStudy({
        spec: { name, direction: 'minimize', seed: 3, space },
        space: compileSpace(space),
        store,
        suggester,
        objective: createFunctionObjective(({ x }) => x as number),
        budget: { maxTrials: (warnings.length + 1) * 2 },
        onWarning: (message) => warnings.push(message),
      });
    await run('new');
    await run('new');
    expect((await store.getStudy('new')).parzenVersion).toBe(PARZEN_VERSION);
    expect(warnings).toEqual([]);
    await store.openStudy({ name: 'old', direction: 'minimize', seed: 3, space, parzenVersion: '0.0.9' });
    const result = await run('old');
    expect(warnings).toEqual([versionChange('old', '0.0.9', PARZEN_VERSION)]);
    expect(result.trials).toHaveLength(2);
    expect((await store.getStudy('old')).parzenVersion).toBe('0.0.9');
  });

  it('makes Study.open (ask/tell) of a study another version created warn, and record its own on creation', async () => {
    const store = createMemoryStore();
    await store.openStudy({ name: 'old', direction: 'minimize', seed: 0, space, parzenVersion: '0.0.9' });
    const warnings: string[] = [];
    await Study.open({ name: 'old', space, store, suggester, onWarning: (message) => warnings.push(message) });
    expect(warnings).toEqual([versionChange('old', '0.0.9', PARZEN_VERSION)]);
    await Study.open({ name: 'new', space, store, suggester });
    expect((await store.getStudy('new')).parzenVersion).toBe(PARZEN_VERSION);
  });
});
