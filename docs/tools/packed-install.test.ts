/**
 * "Using Parzen from your project", as written: pack the packages with pnpm, install the tarballs with
 * npm in a fresh folder outside the repository, run the page's experiment with `npx parzen run` and its
 * `fmin` program with `node`. The files are the page's own `file=` blocks. Spawning processes is the
 * point here: nothing else shows that the published packages resolve without the workspace.
 *
 * Needs the packages built (`pnpm build`, as the README's test command does first) and the npm registry
 * for the third-party dependencies. One speed-up that the page does not need: better-sqlite3's install
 * script first looks for a local prebuilt binary (prebuild-install's `local-prebuilds`), so the test hands
 * it the one the workspace already compiled instead of compiling it again for a minute or two. Without
 * that binary the install compiles, as it does for a user.
 *
 * The installed project is kept between runs, keyed by the tarballs' bytes (pnpm packs deterministically)
 * and the Node and npm versions: while nothing published changes, a rerun reuses it instead of installing
 * the same 189 packages again (about 11 s of CPU on 2 cores). A clean machine installs; any change to a
 * package's files installs. `PARZEN_TEST_FRESH_INSTALL=1` always installs.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFiles } from './snippets.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const page = readFileSync(join(root, 'docs/using-parzen-from-your-project.md'), 'utf8');
const PACK = "-r --filter './packages/*' --filter '!@parzen/test-kit' pack --pack-destination";

/** The environment of a user's shell: without the npm_* variables pnpm and vitest set for this process. */
const userEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith('npm_') || key === 'npm_config_nodedir') env[key] = value;
  }
  return { ...env, ...extra };
};

/** A prebuild-install archive of the workspace's compiled better-sqlite3, if there is one. */
const localPrebuild = async (dir: string): Promise<Record<string, string>> => {
  const require = createRequire(join(root, 'packages/store-sqlite/package.json'));
  const packageJson = require.resolve('better-sqlite3/package.json');
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const binary = join(dirname(packageJson), 'build/Release/better_sqlite3.node');
  if (!existsSync(binary)) return {};
  const archive = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  mkdirSync(dir, { recursive: true });
  await run('tar', ['-czf', join(dir, archive), '-C', dirname(packageJson), 'build/Release/better_sqlite3.node']);
  return { npm_config_better_sqlite3_local_prebuilds: dir };
};

/** The page's `npm init -y` and `npm install` of the tarballs in a folder of their own, kept between runs. */
const cachedInstall = async (packed: readonly string[], env: NodeJS.ProcessEnv): Promise<string> => {
  const { stdout: npmVersion } = await run('npm', ['--version'], { env });
  const hash = createHash('sha256').update(
    `${process.version} ${npmVersion.trim()} ${process.platform}-${process.arch}`,
  );
  for (const file of packed) hash.update(readFileSync(file));
  const prefix = 'parzen-packed-install-';
  const kept = join(tmpdir(), `${prefix}${hash.digest('hex').slice(0, 20)}`);
  if (existsSync(join(kept, 'node_modules')) && process.env.PARZEN_TEST_FRESH_INSTALL !== '1') return kept;
  const staging = mkdtempSync(join(tmpdir(), `${prefix}staging-`));
  try {
    const options = { cwd: staging, env, maxBuffer: 16 * 1024 * 1024 };
    await run('npm', ['init', '-y'], { ...options, timeout: 60_000 });
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...packed], {
      ...options,
      timeout: 240_000,
    });
    // Older installs (of packages that have changed since) go; a concurrent run's rename wins.
    for (const name of readdirSync(tmpdir())) {
      if (name.startsWith(prefix) && !name.startsWith(`${prefix}staging-`)) {
        rmSync(join(tmpdir(), name), { recursive: true, force: true });
      }
    }
    renameSync(staging, kept);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(kept, 'node_modules'))) throw error;
  }
  return kept;
};

describe('using Parzen from a project outside the repository (packed tarballs, npm)', () => {
  const work = mkdtempSync(join(tmpdir(), 'parzen-packed-'));
  const tarballs = join(work, 'parzen-tarballs');
  const project = join(work, 'my-study');
  let env: NodeJS.ProcessEnv = {};
  let installed = '';
  const inProject = (file: string, args: readonly string[]) =>
    run(file, [...args], { cwd: project, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });

  beforeAll(async () => {
    env = userEnv(await localPrebuild(join(work, 'prebuilds')));
    await run('npx', ['--yes', 'pnpm@12.4.2', ...PACK.replace(/'/g, '').split(' '), tarballs], {
      cwd: root,
      env,
      timeout: 120_000,
    });
    mkdirSync(project);
    const packed = readdirSync(tarballs)
      .sort()
      .map((name) => join(tarballs, name));
    installed = await cachedInstall(packed, env);
    // The project as `npm init -y` and `npm install` left it; node_modules is the kept install (a link:
    // Node resolves it to its real path, outside the repository, as a plain install would be).
    for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(installed, file), join(project, file));
    symlinkSync(join(installed, 'node_modules'), join(project, 'node_modules'), 'dir');
    for (const file of extractFiles(page)) writeFileSync(join(project, file.name), file.code);
  }, 360_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('packs one tarball per published package, with workspace dependencies rewritten to versions', () => {
    expect(page).toContain(`npx --yes pnpm@12.4.2 ${PACK} ~/parzen-tarballs`);
    expect(page).toContain('npm install ~/parzen-tarballs/*.tgz');
    const published = readdirSync(join(root, 'packages'))
      .map((dir) => JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')))
      .filter((manifest: { private?: boolean }) => manifest.private !== true)
      .map(
        (manifest: { name: string; version: string }) =>
          `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`,
      );
    expect(readdirSync(tarballs).sort()).toEqual(published.sort());
    expect(published).toHaveLength(11); // "eleven tarballs" on the page
    // Nothing of the build's own bookkeeping ships (tsc's build info differs from build to build).
    for (const name of published) {
      const entries = execFileSync('tar', ['-tzf', join(tarballs, name)], { encoding: 'utf8' }).split('\n');
      expect(
        entries.filter((entry) => entry.endsWith('.tsbuildinfo')),
        name,
      ).toEqual([]);
    }
    const installed = JSON.parse(readFileSync(join(project, 'node_modules/@parzen/cli/package.json'), 'utf8'));
    expect(installed.dependencies['@parzen/engine']).toBe(installed.version);
  });

  it("runs the page's experiment with `npx parzen run` into a SQLite store", async () => {
    expect(page).toContain('npx parzen run parzen.config.json');
    const { stdout } = await inProject('npx', ['parzen', 'run', 'parzen.config.json']);
    expect(stdout).toContain('Study quadratic: 20 complete, 0 failed');
    const best = /Best trial #(\d+): loss ([\d.e-]+)/.exec(stdout);
    expect(Number(best?.[2])).toBeLessThan(0.5);
    expect(existsSync(join(project, 'quadratic.parzen.db'))).toBe(true);
  });

  it("runs the page's fmin program with node, and finds the CLI's best trial (same seed)", async () => {
    expect(page).toContain('node tune.mjs');
    const { stdout } = await inProject('node', ['tune.mjs']);
    const fromCode = JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null');
    const { stdout: bestJson } = await inProject('npx', ['parzen', 'best', 'parzen.config.json', '--json']);
    const fromCli = JSON.parse(bestJson.trim().split('\n').at(-1) ?? 'null');
    expect(fromCode.loss).toBeLessThan(0.5);
    expect(fromCli.best).toEqual(fromCode);
  });

  it('type-checks a TypeScript consumer of every package root with skipLibCheck false', async () => {
    // What a TypeScript user's project does: strict, NodeNext, the packages' own .d.ts files (and those
    // of their dependencies) checked.
    writeFileSync(
      join(project, 'consumer.ts'),
      [
        "import { createStudy, createMedianPruner, uniform, choice, type Trial } from 'parzen';",
        "import { defineSuggester, type Suggester } from '@parzen/engine/plugin';",
        "import { createTpeSuggester } from '@parzen/algo-tpe';",
        "import { createRandomSuggester } from '@parzen/algo-random';",
        "import { createJsonlStore } from '@parzen/store-file';",
        "import { createSqliteStore } from '@parzen/store-sqlite';",
        "import { createPostgresStore } from '@parzen/store-postgres';",
        "import { createMedianPruner as median } from '@parzen/pruners';",
        "import { createCommandObjective } from '@parzen/objectives';",
        "import { buildReport } from '@parzen/report';",
        "import { runCli } from '@parzen/cli';",
        "const space = { x: uniform(-2, 2), kind: choice(['a', 'b']) };",
        "const study = await createStudy({ space, pruner: createMedianPruner(), store: createJsonlStore({ path: 's.jsonl' }) });",
        'const asked = await study.ask();',
        "const kind: 'a' | 'b' = asked.params.kind;",
        'const suggesters: Suggester[] = [createTpeSuggester(), createRandomSuggester()];',
        'export const all: unknown[] = [kind, suggesters, defineSuggester, createSqliteStore, createPostgresStore, median, createCommandObjective, buildReport, runCli];',
        'export type Seen = Trial;',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          // No DOM: a Node project's library; TypeScript's own lib files are not what this checks.
          lib: ['ES2022'],
          skipDefaultLibCheck: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          // Kept beside the kept install: while the packages and this file are unchanged, a rerun reuses
          // the diagnostics of every .d.ts file instead of checking them again (tsc re-checks any changed file).
          incremental: true,
          tsBuildInfoFile: join(installed, 'consumer.tsbuildinfo'),
          types: ['node'],
          typeRoots: [join(root, 'node_modules/@types')],
        },
        files: ['consumer.ts'],
      }),
    );
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ ...JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')), type: 'module' }, null, 2),
    );
    const tsc = join(root, 'node_modules/.bin/tsc');
    const result = await inProject(tsc, ['-p', 'tsconfig.json']).then(
      () => ({ ok: true, out: '' }),
      (error: { stdout?: string }) => ({ ok: false, out: error.stdout ?? String(error) }),
    );
    expect(result.out).toBe('');
    expect(result.ok).toBe(true);
  });
});
