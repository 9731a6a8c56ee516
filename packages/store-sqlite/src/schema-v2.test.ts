import { fileURLToPath } from 'node:url';
import type { StudySpec } from '@parzen/engine/plugin';
import { expectEnqueuedTakenOnce, expectReportsSeenIncrementally, useTempDir } from '@parzen/test-kit';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from './schema.js';
import { createSqliteStore } from './sqlite-store.js';

const tempPath = useTempDir('sqlite-v2');
const spec: StudySpec = {
  name: 'v1',
  direction: 'minimize',
  seed: 4,
  space: { x: { type: 'uniform', low: 0, high: 1 } },
};
const versionOf = (path: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT version FROM parzen_schema').pluck().get() as number;
  } finally {
    db.close();
  }
};

const at = '2026-01-01T00:00:00.000Z';

/** A database as a Parzen of schema `version` made it, with the study in it (open: the caller adds rows, closes it). */
const olderDatabase = (file: string, version: number): { readonly path: string; readonly db: Database.Database } => {
  const path = tempPath(file);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  expect(migrate(db, path, MIGRATIONS.slice(0, version))).toBe(version);
  db.prepare('INSERT INTO studies VALUES (?, ?, ?, ?, ?)').run(
    spec.name,
    'minimize',
    4,
    JSON.stringify(spec.space),
    at,
  );
  return { path, db };
};

/** A database made by migration 1 alone (Parzen before version 2), with a complete and a running trial. */
const versionOneDatabase = (): string => {
  const { path, db } = olderDatabase('v1.parzen.db', 1);
  const insert = db.prepare(
    `INSERT INTO trials (study, number, state, params, value, started_at, finished_at, updated_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  insert.run(spec.name, 0, 'complete', '{"x":0.25}', 1.5, at, at, 2);
  insert.run(spec.name, 1, 'running', '{"x":0.5}', null, at, null, 3);
  db.close();
  return path;
};

describe('sqlite schema version 2', () => {
  it('upgrades a version 1 database with trials on open and keeps them', async () => {
    const path = versionOneDatabase();
    // Read-only inspection (`parzen trials`) reads it from a migrated copy and leaves the file as it is.
    const reader = createSqliteStore({ path, readOnly: true });
    expect((await reader.listTrials(spec.name)).map((trial) => trial.state)).toEqual(['complete', 'running']);
    await reader.close();
    expect(versionOf(path)).toBe(1);

    const store = createSqliteStore({ path });
    // Through version 2, version 3 (columns named loss and attrs) and version 4 (the study's suggester).
    expect(versionOf(path)).toBe(4);
    const resumed = await store.openStudy({ ...spec, suggester: { name: 'tpe', settings: { gamma: 0.15 } } });
    expect(resumed.resumed).toBe(true);
    expect(resumed.study.suggester).toBeUndefined(); // a study from before version 4 has none
    const before = await store.listTrials(spec.name);
    expect(before[0]).toMatchObject({ state: 'complete', loss: 1.5, internal: { x: 0.25 } });
    expect(before[1]).toMatchObject({ state: 'running', internal: { x: 0.5 } });
    await store.reportIntermediate(spec.name, 1, 0, 0.75);
    expect(await store.enqueue(spec.name, [{ internal: { x: 0.9 } }])).toBe(1);
    expect((await store.createTrial(spec.name))?.internal).toEqual({ x: 0.9 });
    await store.close();

    const again = createSqliteStore({ path, readOnly: true });
    const trials = await again.listTrials(spec.name);
    expect(trials.map((trial) => trial.number)).toEqual([0, 1, 2]);
    expect(trials[1]?.intermediate).toEqual([{ step: 0, value: 0.75 }]);
    await again.close();

    // Version 3 names the columns as the domain does.
    const db = new Database(path, { readonly: true });
    const columns = (db.prepare('PRAGMA table_info(trials)').all() as { name: string }[]).map((column) => column.name);
    db.close();
    expect(columns).toEqual(expect.arrayContaining(['loss', 'attrs']));
    expect(columns).not.toContain('value');
    expect(columns).not.toContain('attributes');
  });

  it('removes a waiting entry a version 2 database queued with no schema step of its own: its row kept, its key still queued', async () => {
    const { path, db } = olderDatabase('remove-v2.parzen.db', 2);
    // As a Parzen of version 2 queued them: `a` taken by a finished trial, `b` and a keyless one waiting.
    db.prepare(
      `INSERT INTO trials (study, number, state, params, value, started_at, finished_at, updated_seq)
       VALUES (?, 0, 'complete', '{"x":0.1}', 1, ?, ?, 1)`,
    ).run(spec.name, at, at);
    const entry = db.prepare('INSERT INTO enqueued (study, seq, key, params, taken_by) VALUES (?, ?, ?, ?, ?)');
    entry.run(spec.name, 0, 'a', '{"x":0.1}', 0);
    entry.run(spec.name, 1, 'b', '{"x":0.2}', null);
    entry.run(spec.name, 2, null, '{"x":0.3}', null);
    db.close();
    const store = createSqliteStore({ path });
    await store.openStudy(spec);
    expect(await store.removeEnqueued(spec.name, [{ key: 'a' }])).toEqual({ removed: [], missing: [0] });
    expect(await store.removeEnqueued(spec.name, [{ key: 'b' }])).toEqual({
      removed: [{ internal: { x: 0.2 }, key: 'b' }],
      missing: [],
    });
    expect(await store.enqueue(spec.name, [{ internal: { x: 0.2 }, key: 'b' }])).toBe(0);
    expect(await store.listTakenEntries(spec.name)).toEqual([{ trial: 0, internal: { x: 0.1 }, key: 'a' }]);
    expect((await store.createTrial(spec.name))?.internal).toEqual({ x: 0.3 });
    expect((await store.createTrial(spec.name))?.internal).toEqual({});
    await store.close();
    // The schema's own steps only (version 4), and every row as it was but the removed one's mark.
    expect(versionOf(path)).toBe(MIGRATIONS.at(-1)?.version);
    const check = new Database(path, { readonly: true });
    expect(check.prepare('SELECT seq, key, params, taken_by FROM enqueued ORDER BY seq').all()).toEqual([
      { seq: 0, key: 'a', params: '{"x":0.1}', taken_by: 0 },
      { seq: 1, key: 'b', params: '{"x":0.2}', taken_by: -1 },
      { seq: 2, key: null, params: '{"x":0.3}', taken_by: 1 },
    ]);
    check.close();
  });

  it('deletes a study from a version 2 database with no schema step of its own: every row of it, none of the other', async () => {
    const { path, db } = olderDatabase('delete-v2.parzen.db', 2);
    db.prepare('INSERT INTO studies VALUES (?, ?, ?, ?, ?)').run('kept', 'minimize', 1, JSON.stringify(spec.space), at);
    // As a Parzen of version 2 left them: each study a finished trial with an intermediate value, and an entry.
    const trial = db.prepare(
      `INSERT INTO trials (study, number, state, params, value, started_at, finished_at, updated_seq)
       VALUES (?, 0, 'complete', '{"x":0.1}', ?, ?, ?, 1)`,
    );
    const report = db.prepare('INSERT INTO intermediate (study, number, step, value) VALUES (?, 0, 0, ?)');
    const entry = db.prepare('INSERT INTO enqueued (study, seq, key, params) VALUES (?, 0, ?, ?)');
    for (const [name, loss] of [
      [spec.name, 1],
      ['kept', 2],
    ] as const) {
      trial.run(name, loss, at, at);
      report.run(name, loss * 10);
      entry.run(name, 'a', '{"x":0.5}');
    }
    db.close();
    const store = createSqliteStore({ path });
    expect(await store.deleteStudy(spec.name)).toMatchObject({
      study: { name: spec.name },
      trials: { complete: 1, pruned: 0, failed: 0, running: 0 },
      blocking: [],
    });
    await store.close();
    // The schema's own steps only (version 4), and the other study's rows as they were.
    expect(versionOf(path)).toBe(MIGRATIONS.at(-1)?.version);
    const check = new Database(path, { readonly: true });
    const rows = (table: string) => check.prepare(`SELECT * FROM ${table} ORDER BY 1`).all() as { study?: string }[];
    expect(rows('studies').map((row) => (row as { name: string }).name)).toEqual(['kept']);
    for (const table of ['trials', 'intermediate', 'enqueued'])
      expect(rows(table).map((row) => row.study)).toEqual(['kept']);
    expect(check.prepare('SELECT loss FROM trials').pluck().get()).toBe(2);
    expect(check.prepare('SELECT value FROM intermediate').pluck().get()).toBe(20);
    check.close();
  });

  it('shows another connection new intermediate values and imports on its next incremental look', async () => {
    const path = tempPath('shared.parzen.db');
    await expectReportsSeenIncrementally(() => createSqliteStore({ path }));
  });

  it('adds trials all or none: a trial that cannot be written rolls back the whole call', async () => {
    const path = tempPath('atomic.parzen.db');
    const store = createSqliteStore({ path });
    await store.openStudy(spec);
    const unwritable = { n: 10n } as unknown as Record<string, unknown>; // JSON.stringify throws on a BigInt
    await expect(
      store.addTrials(spec.name, [
        { internal: { x: 0.1 }, outcome: { state: 'complete', loss: 1 }, intermediate: [{ step: 0, value: 1 }] },
        { internal: { x: 0.2 }, outcome: { state: 'complete', loss: 2, attrs: unwritable } },
      ]),
    ).rejects.toThrow();
    expect(await store.listTrials(spec.name)).toEqual([]);
    expect((await store.createTrial(spec.name))?.number).toBe(0);
    await store.close();
  });

  it('hands each of 20 entries to exactly one trial across 4 processes', { timeout: 60_000 }, async () => {
    const path = tempPath('race.parzen.db');
    await expectEnqueuedTakenOnce({
      target: {
        kind: 'sqlite',
        path,
        module: fileURLToPath(new URL('../dist/index.js', import.meta.url)),
        factory: 'createSqliteStore',
      },
      open: () => createSqliteStore({ path }),
    });
  });
});
