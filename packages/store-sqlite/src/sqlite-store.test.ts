import { renameSync } from 'node:fs';
import { describeStoreContract } from '@parzen/engine/testing';
import { useTempDir } from '@parzen/test-kit';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteStore, type SqliteStore } from './sqlite-store.js';

const tempPath = useTempDir('sqlite-contract');

describeStoreContract('sqlite', {
  create: () => createSqliteStore({ path: tempPath('study.parzen.db') }),
  reopen: (store) => createSqliteStore({ path: (store as SqliteStore).path }),
  keepsParzenVersion: true,
});

describe('createSqliteStore checks options given in code', () => {
  it('a missing path is CONFIG_INVALID by path, not a Node argument error from the driver', () => {
    expect(() => createSqliteStore({ busyTimeout: 10 } as never)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        issues: [
          { pointer: '/path', expected: 'a value (required)', found: 'nothing' },
          expect.objectContaining({
            pointer: '/busyTimeout',
            found: 'an unknown option `busyTimeout` (did you mean `busyTimeoutMs`?)',
          }),
        ],
      }),
    );
  });
});

describe('a database deleted, moved or replaced under an open store (review 57)', () => {
  it('refuses the next write with STORE_FAILED instead of writing into a file nobody will read', async () => {
    const path = tempPath('gone.db');
    const store = createSqliteStore({ path });
    const spec = {
      name: 'gone',
      direction: 'minimize' as const,
      seed: 1,
      space: { x: { type: 'uniform' as const, low: 0, high: 1 } },
    };
    await store.openStudy(spec);
    const trial = await store.createTrial('gone');
    renameSync(path, `${path}.moved`);
    const refused = await store.finishTrial('gone', trial?.number ?? 0, { state: 'complete', loss: 1 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: 'STORE_FAILED' });
    expect((refused as Error).message).toBe(
      `SQLite store \`${path}\`: the database file was deleted or moved while this store had it open: what it records now would be lost. Nothing more is written; if it was moved, move it back (with its -wal file) and run again.`,
    );
    renameSync(`${path}.moved`, path);
    await store.finishTrial('gone', trial?.number ?? 0, { state: 'complete', loss: 1 });
    expect((await store.listTrials('gone'))[0]).toMatchObject({ state: 'complete', loss: 1 });
    await store.close();
  });
});

describe('a failed row without an error (a hand edit)', () => {
  it('reads as the engine says it, as the PostgreSQL store reads one (review 74: it read {})', async () => {
    const path = tempPath('no-error.db');
    const spec = {
      name: 'edited',
      direction: 'minimize' as const,
      seed: 1,
      space: { x: { type: 'uniform' as const, low: 0, high: 1 } },
    };
    const store = createSqliteStore({ path });
    await store.openStudy(spec);
    await store.createTrial('edited');
    await store.setParams('edited', 0, { x: 0.5 });
    await store.finishTrial('edited', 0, { state: 'failed', error: { code: 'OBJECTIVE_THREW', message: 'boom' } });
    await store.close();
    const db = new Database(path);
    db.prepare('UPDATE trials SET error = NULL').run();
    db.close();
    const reader = createSqliteStore({ path, readOnly: true });
    expect((await reader.listTrials('edited'))[0]).toMatchObject({
      state: 'failed',
      error: { code: 'UNKNOWN', message: 'the store holds no error for this failed trial' },
    });
    await reader.close();
  });
});

describe('a store kept for many studies (trial 73: it held every trial it had listed, closed or not)', () => {
  it('keeps the listings of the last studies listed only, and lists an older one whole again, right', async () => {
    const store = createSqliteStore({ path: tempPath('many.db') });
    const kept = () => (store as unknown as { caches: Map<string, unknown> }).caches.size;
    const space = { x: { type: 'uniform' as const, low: 0, high: 1 } };
    const names = () => [...(store as unknown as { caches: Map<string, unknown> }).caches.keys()];
    for (let index = 0; index < 36; index++) {
      const name = `s${index}`;
      await store.openStudy({ name, direction: 'minimize', seed: 1, space });
      for (let n = 0; n <= index % 3; n++) {
        const trial = await store.createTrial(name);
        await store.finishTrial(name, trial?.number ?? 0, { state: 'complete', loss: n });
      }
      expect(await store.listTrials(name)).toHaveLength((index % 3) + 1);
      // s1, listed again each time, stays: the least recently listed go first (review 80).
      if (index > 1) await store.listTrials('s1');
    }
    expect(kept()).toBe(32);
    expect(names()).toContain('s1');
    expect(names()).not.toContain('s0');
    expect(names()).not.toContain('s2');
    // s0 was forgotten: a trial added since and the old one are both listed.
    const trial = await store.createTrial('s0');
    await store.finishTrial('s0', trial?.number ?? 0, { state: 'complete', loss: 5 });
    expect((await store.listTrials('s0')).map((t) => (t.state === 'complete' ? t.loss : undefined))).toEqual([0, 5]);
    await store.close();
    expect(kept()).toBe(0);
  });
});

// Review 147: a version kept in columns of its own made read-only commands copy every database an older Parzen
// wrote (without them) to /tmp, on each read, until a writer added them.
describe('the Parzen version a study was created by', () => {
  it("is kept inside the suggester's JSON: no new column, read in place read-only, unknown for an older study", async () => {
    const path = tempPath('versions.db');
    const space = { x: { type: 'uniform' as const, low: 0, high: 1 } };
    const suggester = { name: 'tpe', settings: { gamma: 0.15 } };
    const writer = createSqliteStore({ path });
    // As an older Parzen created it: no version.
    await writer.openStudy({ name: 'older', direction: 'minimize', seed: 1, space, suggester });
    await writer.openStudy({ name: 'made', direction: 'minimize', seed: 1, space, suggester, parzenVersion: '0.0.9' });
    await writer.close();
    const db = new Database(path, { readonly: true });
    const columns = (db.prepare('PRAGMA table_info(studies)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(['name', 'direction', 'seed', 'space', 'created_at', 'suggester']);
    // What an older Parzen reads as the suggester: the same name and settings (it passes over the version and the
    // study's uid).
    const raw = db.prepare("SELECT suggester FROM studies WHERE name = 'made'").get() as { suggester: string };
    expect(JSON.parse(raw.suggester)).toEqual({ ...suggester, parzenVersion: '0.0.9', studyUid: expect.any(String) });
    db.close();
    const reader = createSqliteStore({ path, readOnly: true });
    expect((reader as unknown as { copyDir?: string }).copyDir).toBeUndefined();
    const listed = (await reader.listStudies?.()) ?? [];
    // Sorted: studies created in the same millisecond are listed by name.
    expect(listed.map((study) => [study.name, study.suggester, study.parzenVersion]).sort()).toEqual([
      ['made', suggester, '0.0.9'],
      ['older', suggester, undefined],
    ]);
    await reader.close();
  });
});

describe('a study deleted and created anew within one millisecond', () => {
  it('is another study to a store that used the deleted one: refused as deleted, nothing written into the new one', async () => {
    const path = tempPath('same-ms.db');
    // One clock for both handles, stopped: the two studies have the same creation time.
    const clock = { now: () => new Date('2026-03-01T12:00:00.000Z') };
    const space = { x: { type: 'uniform' as const, low: 0, high: 1 } };
    const spec = { name: 'again', direction: 'minimize' as const, seed: 1, space, suggester: { name: 'random' } };
    const worker = createSqliteStore({ path, clock });
    const other = createSqliteStore({ path, clock });
    const first = await worker.openStudy(spec);
    await worker.createTrial(spec.name);
    await other.deleteStudy(spec.name);
    const created = await other.openStudy(spec);
    expect([created.resumed, created.study.createdAt]).toEqual([false, first.study.createdAt]);
    await other.createTrial(spec.name);
    for (const call of [
      worker.finishTrial(spec.name, 0, { state: 'complete', loss: 1 }),
      worker.createTrial(spec.name),
      worker.listTrials(spec.name),
    ])
      await expect(call).rejects.toMatchObject({ code: 'STUDY_NOT_FOUND', message: expect.stringMatching(/deleted/) });
    expect((await other.listTrials(spec.name)).map((trial) => [trial.number, trial.state])).toEqual([[0, 'running']]);
    await worker.close();
    await other.close();
  });
});
