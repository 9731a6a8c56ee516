import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { thrownBy, useTempDir } from '@parzen/test-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from './sqlite-store.js';

const tempPath = useTempDir('sqlite-paths');
const spec = { name: 's', direction: 'minimize', seed: 1, space: { x: { type: 'uniform', low: 0, high: 1 } } } as const;

describe('a sqlite store path through a file', () => {
  it('is STORE_FAILED naming the path (was a raw ENOTDIR)', () => {
    const file = tempPath('plain.txt');
    writeFileSync(file, 'not a folder');
    const path = join(file, 'study.db');
    const error = thrownBy(() => createSqliteStore({ path }));
    expect(error?.code).toBe('STORE_FAILED');
    expect(error?.message).toContain(`SQLite store \`${path}\`: cannot reach it: ENOTDIR`);
    // Read-only (trials, best): no database there, so no study.
    expect(thrownBy(() => createSqliteStore({ path, readOnly: true }))?.code).toBe('STUDY_NOT_FOUND');
  });
});

describe('a sqlite store whose folder cannot be made (trial 104: the bare errno of mkdir)', () => {
  it.skipIf(!existsSync('/proc/self'))('is STORE_FAILED saying the folder and what to do', () => {
    const error = thrownBy(() => createSqliteStore({ path: '/proc/parzen-nope/x.db' }));
    expect(error?.code).toBe('STORE_FAILED');
    expect(error?.message).toMatch(
      /^SQLite store `\/proc\/parzen-nope\/x\.db`: could not create the folder `\/proc\/parzen-nope` for it \(E[A-Z]+: .*\): point the store at a path whose folders exist or can be created there\.$/,
    );
  });
});

describe('a sqlite store path that is a folder', () => {
  it('is STORE_FAILED saying so, for a run and for the read-only commands (was "disk I/O error")', () => {
    const path = tempPath('studies');
    mkdirSync(path);
    for (const readOnly of [false, true]) {
      const error = thrownBy(() => createSqliteStore({ path, readOnly }));
      expect(error?.code).toBe('STORE_FAILED');
      expect(error?.message).toContain(`\`${path}\` is a folder, not a database file`);
    }
  });
});

// File permissions are per process, and root ignores them: the store is opened in a child process, as
// `nobody` when the tests run as root, on the built package.
const built = pathToFileURL(resolve(fileURLToPath(new URL('../dist/index.js', import.meta.url)))).href;
const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
const shared = mkdtempSync(join(tmpdir(), 'parzen-sqlite-folder-'));
afterAll(() => {
  if (existsSync(join(shared, 'archive'))) chmodSync(join(shared, 'archive'), 0o755);
  rmSync(shared, { recursive: true, force: true });
});

describe('a sqlite store in a folder this process may not write', () => {
  it('says the folder must be writable (SQLite said "unable to open database file")', async () => {
    expect(existsSync(fileURLToPath(built)), 'packages/store-sqlite is not built: run `pnpm build` first').toBe(true);
    chmodSync(shared, 0o755);
    const folder = join(shared, 'archive');
    mkdirSync(folder);
    // A study there, then the folder made read-only: a new database and the existing one alike.
    const existing = join(folder, 'study.db');
    const store = createSqliteStore({ path: existing });
    await store.openStudy(spec);
    await store.close();
    rmSync(`${existing}-wal`, { force: true });
    rmSync(`${existing}-shm`, { force: true });
    chmodSync(existing, 0o666);
    chmodSync(folder, 0o555);
    const script = join(shared, 'open.mjs');
    writeFileSync(
      script,
      `import { createSqliteStore } from '${built}';
for (const path of process.argv.slice(2)) {
  try {
    createSqliteStore({ path }).close();
    console.log(JSON.stringify({ path, opened: true }));
  } catch (error) {
    console.log(JSON.stringify({ path, code: error.code, message: error.message }));
  }
}
`,
    );
    chmodSync(script, 0o644);
    const fresh = join(folder, 'new.db');
    const child = spawnSync(process.execPath, [script, fresh, existing], {
      encoding: 'utf8',
      timeout: 30_000,
      ...asUser,
    });
    expect(child.status, child.stderr).toBe(0);
    const results = child.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(results).toHaveLength(2);
    for (const [result, name] of [
      [results[0], 'new.db'],
      [results[1], 'study.db'],
    ]) {
      expect(result.code).toBe('STORE_FAILED');
      expect(result.message).toContain(`may not write in the folder \`${folder}\``);
      expect(result.message).toContain(`\`${name}-wal\``);
    }
  });
});

describe("the sqlite store manifest and the study's clock", () => {
  it("stamps the study's and trials' times with the clock service (it used the system's clock)", async () => {
    const { sqliteStoreManifest } = await import('./manifest.js');
    const { SERVICES } = await import('@parzen/engine/plugin');
    const { testPluginContext } = await import('@parzen/engine/testing');
    const fixed = new Date('2001-02-03T04:05:06.000Z');
    const path = tempPath('clocked.db');
    const context = testPluginContext({ baseDir: tempPath(''), services: [[SERVICES.clock, { now: () => fixed }]] });
    const store = await sqliteStoreManifest.create({ path }, context);
    try {
      const { study } = await store.openStudy(spec);
      expect(study.createdAt).toBe(fixed.toISOString());
      const trial = await store.createTrial('s');
      expect(trial?.startedAt).toBe(fixed.toISOString());
      const finished = await store.finishTrial('s', trial?.number ?? -1, { state: 'complete', loss: 1 });
      expect(finished.finishedAt).toBe(fixed.toISOString());
    } finally {
      await store.close();
    }
  });
});

describe('a read-only store (trials, best) beside no -wal or -shm file (trial 159: left them, failing a clean-tree check)', () => {
  it('removes the two files it made, and leaves the database bytes and time as they were', async () => {
    const path = tempPath('tidy.parzen.db');
    const writer = createSqliteStore({ path });
    await writer.openStudy(spec);
    const trial = await writer.createTrial('s');
    await writer.finishTrial('s', trial?.number ?? 0, { state: 'complete', loss: 0.5 });
    await writer.close();
    expect([existsSync(`${path}-wal`), existsSync(`${path}-shm`)]).toEqual([false, false]);
    const before = { bytes: readFileSync(path), mtime: statSync(path).mtimeMs };
    const reader = createSqliteStore({ path, readOnly: true });
    expect((await reader.listTrials('s')).map((t) => ('loss' in t ? t.loss : undefined))).toEqual([0.5]);
    expect(existsSync(`${path}-shm`)).toBe(true); // SQLite's reader needs it while open
    await reader.close();
    expect([existsSync(`${path}-wal`), existsSync(`${path}-shm`)]).toEqual([false, false]);
    expect(readFileSync(path).equals(before.bytes)).toBe(true);
    expect(statSync(path).mtimeMs).toBe(before.mtime);
  });

  it("leaves them while a writer's connection is open, and the writer goes on", async () => {
    const path = tempPath('busy.parzen.db');
    const writer = createSqliteStore({ path });
    await writer.openStudy(spec);
    const first = await writer.createTrial('s');
    await writer.finishTrial('s', first?.number ?? 0, { state: 'complete', loss: 1 });
    const reader = createSqliteStore({ path, readOnly: true });
    expect(await reader.listTrials('s')).toHaveLength(1);
    await reader.close();
    expect(existsSync(`${path}-shm`)).toBe(true);
    const second = await writer.createTrial('s');
    await writer.finishTrial('s', second?.number ?? 0, { state: 'complete', loss: 2 });
    await writer.close();
    const again = createSqliteStore({ path, readOnly: true });
    expect((await again.listTrials('s')).map((t) => ('loss' in t ? t.loss : undefined))).toEqual([1, 2]);
    await again.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
  });
});
