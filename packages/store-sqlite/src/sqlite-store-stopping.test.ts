import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICES } from '@parzen/engine/plugin';
import { testPluginContext } from '@parzen/engine/testing';
import { useTempDir } from '@parzen/test-kit';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqliteStoreManifest } from './manifest.js';
import { createSqliteStore, type SqliteStore } from './sqlite-store.js';

const tempPath = useTempDir('sqlite-stopping');
const spec = { name: 's', direction: 'minimize', seed: 1, space: { x: { type: 'uniform', low: 0, high: 1 } } } as const;

/** Another connection that holds the database's write lock until `release()`. */
const holdWriteLock = (path: string) => {
  const other = new Database(path);
  other.exec('BEGIN IMMEDIATE');
  return {
    release: () => {
      other.exec('COMMIT');
      other.close();
    },
  };
};

const settle = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ value, error: undefined }),
    (error: { code?: string; message?: string }) => ({ value: undefined, error }),
  );

describe('sqlite store waits and Ctrl-C', () => {
  it('gives up a wait for another process at the first stop, long before its busy timeout', async () => {
    const path = tempPath('stop.db');
    const stop = new AbortController();
    const force = new AbortController();
    const store = (await sqliteStoreManifest.create(
      { path, busyTimeoutMs: 60_000 },
      testPluginContext({ services: [[SERVICES.stopping, { stop: stop.signal, force: force.signal }]] }),
    )) as SqliteStore;
    await store.openStudy(spec);
    const lock = holdWriteLock(path);
    const started = Date.now();
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 50);
    const creating = settle(store.createTrial(spec.name));
    setTimeout(() => stop.abort(), 600);
    const { error } = await creating;
    clearInterval(ticking);
    expect(error).toMatchObject({ code: 'INTERRUPTED' });
    expect(error?.message).toContain(path);
    expect(Date.now() - started).toBeLessThan(5_000);
    // The wait was asynchronous: timers ran while it lasted (SQLite's own wait blocks the thread, after which an
    // interval fires once at most). About 12 ticks on an idle machine; 3 under a load average of 8 (trial 65).
    expect(ticks).toBeGreaterThan(1);
    lock.release();
    expect(await store.listTrials(spec.name)).toEqual([]);
    await store.close();
  });

  it('keeps waiting to save a result at the first stop, and gives up at the second', async () => {
    const path = tempPath('save.db');
    const stop = new AbortController();
    const force = new AbortController();
    const store = createSqliteStore({
      path,
      busyTimeoutMs: 60_000,
      stopping: { stop: stop.signal, force: force.signal },
    });
    await store.openStudy(spec);
    await store.createTrial(spec.name);
    await store.createTrial(spec.name);
    await store.setParams(spec.name, 0, { x: 0.5 });
    await store.setParams(spec.name, 1, { x: 0.25 });

    let lock = holdWriteLock(path);
    stop.abort();
    const saving = settle(store.finishTrial(spec.name, 0, { state: 'complete', loss: 1 }));
    setTimeout(() => lock.release(), 500);
    expect((await saving).value).toMatchObject({ number: 0, state: 'complete', loss: 1 });

    lock = holdWriteLock(path);
    const forced = settle(store.finishTrial(spec.name, 1, { state: 'complete', loss: 2 }));
    setTimeout(() => force.abort(), 300);
    expect((await forced).error).toMatchObject({ code: 'INTERRUPTED' });
    lock.release();
    const trials = await store.listTrials(spec.name);
    expect(trials.map((trial) => trial.state)).toEqual(['complete', 'running']);
    await store.close();
  });

  it('waits past busyTimeoutMs to save a result, saying so, while other writes fail at it (review 44)', async () => {
    const path = tempPath('long.db');
    const warnings: string[] = [];
    const store = createSqliteStore({ path, busyTimeoutMs: 300, onWarning: (message) => warnings.push(message) });
    await store.openStudy(spec);
    await store.createTrial(spec.name);
    await store.setParams(spec.name, 0, { x: 0.5 });
    const lock = holdWriteLock(path);
    // A write that saves nothing yet fails at the timeout, as before.
    expect((await settle(store.createTrial(spec.name))).error).toMatchObject({ code: 'STORE_FAILED' });
    const saving = settle(store.finishTrial(spec.name, 0, { state: 'complete', loss: 1 }));
    setTimeout(() => lock.release(), 1_800);
    expect((await saving).value).toMatchObject({ number: 0, state: 'complete', loss: 1 });
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(warnings[0]).toMatch(
      /^SQLite store `.*long\.db`: still waiting after 0\.\d s for another process's transaction to save a result/,
    );
    // At most one note a second, whatever busyTimeoutMs (review 45: 300 ms gave five in two seconds).
    const waited = warnings.map((warning) => Number(/after ([\d.]+) s/.exec(warning)?.[1]));
    for (let i = 1; i < waited.length; i++)
      expect((waited[i] as number) - (waited[i - 1] as number)).toBeGreaterThanOrEqual(0.95);
    expect(warnings[0]).toContain('press Ctrl-C twice to give up the result');
    await store.close();
  });

  it('says a wait that passes 3 s and when it gives up, also for a write that saves nothing (trial 68: 30 s silent)', async () => {
    const path = tempPath('slow.db');
    const warnings: string[] = [];
    const store = createSqliteStore({ path, busyTimeoutMs: 20_000, onWarning: (message) => warnings.push(message) });
    await store.openStudy(spec);
    const lock = holdWriteLock(path);
    setTimeout(() => lock.release(), 3_600);
    expect((await store.createTrial(spec.name))?.number).toBe(0);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^SQLite store `.*slow\.db`: waiting for another process's transaction \(creating a trial\) for 3\.\d s; Parzen gives up after 20 s \(busyTimeoutMs\)\. End that transaction .*press Ctrl-C to stop\.$/,
      ),
    ]);
    await store.close();
  }, 15_000);

  it('says a wait to open a database another process holds once it passes 3 s (review 72: silent)', async () => {
    const path = tempPath('open-wait.db');
    new Database(path).close();
    // Another process (a sqlite3 shell in a transaction): opening blocks this thread, so a timer here could not let go.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(${JSON.stringify(path)}); db.exec('BEGIN EXCLUSIVE'); db.exec('CREATE TABLE t (a)'); console.log('held'); setTimeout(() => { db.exec('ROLLBACK'); db.close(); }, 3600);`,
      ],
      { cwd: dirname(fileURLToPath(import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise((resolve) => holder.stdout.once('data', resolve));
    const warnings: string[] = [];
    const store = createSqliteStore({ path, busyTimeoutMs: 20_000, onWarning: (message) => warnings.push(message) });
    await store.openStudy(spec);
    expect(warnings).toEqual([
      expect.stringMatching(
        /waiting for another process's transaction \(opening the database\) for \d+\.\d s; Parzen gives up after 20 s/,
      ),
    ]);
    // Said once the wait has passed 3 s; how far past depends on the machine's load (the holder lets go at 3.6 s).
    expect(Number(/for (\d+\.\d) s;/.exec(warnings[0] as string)?.[1])).toBeGreaterThanOrEqual(3);
    await store.close();
    await new Promise((resolve) => holder.once('close', resolve));
  }, 15_000);

  it('without stop signals, waits for the lock and then writes', async () => {
    const path = tempPath('wait.db');
    const store = createSqliteStore({ path, busyTimeoutMs: 60_000 });
    await store.openStudy(spec);
    const lock = holdWriteLock(path);
    setTimeout(() => lock.release(), 700);
    const trial = await store.createTrial(spec.name);
    expect(trial?.number).toBe(0);
    await store.close();
  });
});
