import { rmSync, writeFileSync } from 'node:fs';
import { testPluginContext } from '@parzen/engine/testing';
import { thrownBy, useTempDir } from '@parzen/test-kit';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqliteStoreManifest } from './manifest.js';
import { MIGRATIONS, migrate } from './schema.js';
import { storeError, unwritableFiles } from './sqlite-errors.js';
import { createSqliteStore } from './sqlite-store.js';
import { STATEMENTS } from './statements.js';

const tempPath = useTempDir('sqlite-schema');
const versionOf = (db: Database.Database) => db.prepare('SELECT version FROM parzen_schema').pluck().get();

describe('sqlite schema', () => {
  it('creates the latest schema in WAL mode and records its version', async () => {
    const path = tempPath('fresh.db');
    await createSqliteStore({ path }).close();
    const db = new Database(path);
    expect(versionOf(db)).toBe(MIGRATIONS.at(-1)?.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('applies only the missing steps, once, and leaves a current database alone', () => {
    const path = tempPath('upgrade.db');
    const db = new Database(path);
    expect(migrate(db, path)).toBe(4);
    const next = [...MIGRATIONS, { version: 5, description: 'test step', sql: 'CREATE TABLE extra (x INTEGER)' }];
    expect(migrate(db, path, next)).toBe(5);
    expect(migrate(db, path, next)).toBe(5); // would fail with "table extra already exists" if re-applied
    expect(versionOf(db)).toBe(5);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'extra'").pluck().get()).toBe(1);
    db.close();
  });

  it('says when it upgrades an existing database, a step older Parzen versions cannot follow (trial 63: unsaid)', async () => {
    const path = tempPath('said.db');
    const db = new Database(path);
    expect(migrate(db, path, MIGRATIONS.slice(0, 3))).toBe(3);
    db.close();
    const warnings: string[] = [];
    await createSqliteStore({ path, onWarning: (message) => warnings.push(message) }).close();
    expect(warnings).toEqual([
      `SQLite store \`${path}\` was upgraded from format version 3 to 4: Parzen versions that cannot read format version 4 can no longer open it (nothing to do when every worker that shares it runs this Parzen; update those that do not).`,
    ]);
    // Once: current now; and a new database is made, not upgraded.
    await createSqliteStore({ path, onWarning: (message) => warnings.push(message) }).close();
    await createSqliteStore({ path: tempPath('new.db'), onWarning: (message) => warnings.push(message) }).close();
    expect(warnings).toHaveLength(1);
  });

  it('refuses a database from a newer version with STORE_FAILED', () => {
    const path = tempPath('newer.db');
    const db = new Database(path);
    migrate(db, path);
    db.prepare('UPDATE parzen_schema SET version = 99').run();
    db.close();
    const error = thrownBy(() => createSqliteStore({ path }));
    expect(error?.code).toBe('STORE_FAILED');
    expect(error?.message).toContain('schema version 99');
  });

  it('reports a file that is not a database as STORE_CORRUPT naming it', () => {
    const path = tempPath('garbage.db');
    writeFileSync(path, 'this is not a database, just text that is long enough to have a header '.repeat(20));
    const error = thrownBy(() => createSqliteStore({ path }));
    expect(error?.code).toBe('STORE_CORRUPT');
    expect(error?.message).toContain(path);
    // Text that is no journal either: no other store is offered (the jsonl store refuses it too).
    expect(error?.message).toContain('It is a text file (a config, a script, a CSV?), neither a SQLite database nor');
    expect(error?.message).not.toContain('jsonl');
    // A journal: the jsonl store, as code makes it, to a caller in code.
    const journal = tempPath('journal.db');
    writeFileSync(journal, '{"op":"journal","format":"parzen-jsonl","version":1}\n');
    expect(thrownBy(() => createSqliteStore({ path: journal }))?.message).toContain(
      'It is a Parzen JSONL journal, not a SQLite database: read it with the jsonl store (`createJsonlStore({ path })`), or point',
    );
    // A damaged database (binary) is told to be restored, not re-pointed at the jsonl store.
    const binary = tempPath('damaged.db');
    writeFileSync(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 1) % 256)));
    expect(thrownBy(() => createSqliteStore({ path: binary }))?.message).toContain('Restore it from a backup');
  });

  it('says what to do with a text file as a config or the parzen command names a store, when made from one', () => {
    const make = (path: string) =>
      thrownBy(() => sqliteStoreManifest.create({ path }, { ...testPluginContext({ study: 's' }), readOnly: true }));
    const script = tempPath('obj.py');
    writeFileSync(script, 'import json\nprint(json.dumps({"loss": 1}))\n');
    const said = make(script);
    expect(said?.code).toBe('STORE_CORRUPT');
    // No `--store jsonl:...` (the jsonl store refuses a script too), no code to a command-line user.
    expect(said?.message).not.toMatch(/jsonl|createJsonlStore|in code/);
    expect(said?.message).toContain('a wrong path? Point the store at the SQLite database');
    const journal = tempPath('study.db');
    writeFileSync(journal, '{"op":"journal","format":"parzen-jsonl","version":1}\n');
    const message = make(journal)?.message ?? '';
    expect(message).toContain(
      `read it with the jsonl store (\`"use": "jsonl"\` in a config, \`--store jsonl:${journal}\` on the command line)`,
    );
    expect(message).not.toContain('createJsonlStore');
  });

  it("serves the loop's queries from indexes, not table scans", () => {
    const path = tempPath('plan.db');
    const db = new Database(path);
    migrate(db, path);
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('s', 0) as { detail: string }[]).map((row) => row.detail).join('; ');
    expect(plan('SELECT * FROM trials WHERE study = ? AND updated_seq > ? ORDER BY updated_seq')).toMatch(
      /USING INDEX trials_by_update/,
    );
    expect(plan('SELECT MAX(updated_seq) FROM trials WHERE study = ? AND ? = 0')).toMatch(
      /USING COVERING INDEX trials_by_update/,
    );
    expect(plan('SELECT MAX(number) FROM trials WHERE study = ? AND ? = 0')).toMatch(/USING PRIMARY KEY/);
    expect(plan('SELECT * FROM trials WHERE study = ? AND number = ?')).toMatch(
      /USING PRIMARY KEY \(study=\? AND number=\?\)/,
    );
    // Version 2, the store's own statements: the oldest waiting entry, the next entry number, the
    // intermediate values of a trial and of the changed trials.
    const planOf = (name: keyof typeof STATEMENTS, ...args: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${STATEMENTS[name]}`).all(...args) as { detail: string }[])
        .map((row) => row.detail)
        .join('; ');
    expect(planOf('oldestWaiting', 's')).toMatch(/USING INDEX enqueued_waiting \(study=\?\)/);
    expect(planOf('nextEntry', 's')).toMatch(/USING PRIMARY KEY/);
    expect(planOf('intermediateOf', 's', 0)).toMatch(/SEARCH i USING PRIMARY KEY \(study=\? AND number=\?\)/);
    expect(planOf('changedSince', 's', 0)).toMatch(
      /USING INDEX trials_by_update .*SEARCH i USING PRIMARY KEY \(study=\? AND number=\?\)/,
    );
    expect(planOf('changedSince', 's', 0)).not.toMatch(/SCAN/);
    // A listing's checks read other paths than the listing's lookups: the table's primary key (its highest number)
    // and the index alone (its count), so a damaged page of either one shows as a difference.
    expect(planOf('nextNumber', 's')).toMatch(/SEARCH trials USING PRIMARY KEY \(study=\?\)/);
    expect(planOf('indexedCount', 's')).toMatch(/SEARCH trials USING COVERING INDEX trials_by_update \(study=\?\)/);
    db.close();
  });
});

describe('store errors', () => {
  it('say that a full disk is the likely cause of SQLITE_FULL and SQLITE_IOERR_SHMSIZE', () => {
    const error = (code: string) =>
      storeError('/x.db', Object.assign(new Error('disk I/O error'), { code }), 'opening it');
    expect(error('SQLITE_IOERR_SHMSIZE').message).toBe(
      'SQLite store `/x.db` failed while opening it: SQLITE_IOERR_SHMSIZE: disk I/O error (is the disk or file system full?)',
    );
    expect(error('SQLITE_FULL').message).toContain(
      '(the disk or file system is full: the write was undone, and what the database held before it is intact)',
    );
    expect(error('SQLITE_IOERR').message).not.toContain('full');
  });

  it('say what a refused write (SQLITE_IOERR_WRITE) may be: a file size limit or a quota, which SQLite does not say as SQLITE_FULL', () => {
    const error = storeError(
      '/x.db',
      Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' }),
      'a write',
    );
    expect(error.message).toBe(
      'SQLite store `/x.db` failed while a write: SQLITE_IOERR_WRITE: disk I/O error (the write was refused: a file size limit (`ulimit -f`) or a disk quota reached, or a failing disk?)',
    );
  });

  it('name the database files this process may not write behind SQLITE_READONLY (trial 126: side files left 0444)', () => {
    const path = tempPath('readonly.db');
    for (const file of [path, `${path}-wal`, `${path}-shm`]) writeFileSync(file, '');
    const readonly = Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' });
    // Which files this process may write is the system's answer (review 134: not the owner's write bit); here a
    // user who may write the database but not its side files.
    const sideFilesNot = (file: string) => file === path;
    const clause = unwritableFiles(path, sideFilesNot);
    expect(clause).toContain(`(\`${path}-wal\`, \`${path}-shm\` are not writable by this process: SQLite writes`);
    expect(clause).toContain('make them writable, and keep the side files');
    expect(clause).not.toContain(`\`${path}\`,`);
    // A side file SQLite has not made is not named.
    rmSync(`${path}-shm`);
    expect(unwritableFiles(path, sideFilesNot)).toContain(`(\`${path}-wal\` is not writable by this process`);
    // Through storeError: SQLITE_READONLY gets the clause for a file no process may write (a read-only kernel
    // setting, root included), and names it alone (its side files do not exist).
    const kernel = '/proc/sys/kernel/ostype';
    expect(storeError(kernel, readonly, 'opening the study').message).toBe(
      `SQLite store \`${kernel}\` failed while opening the study: SQLITE_READONLY: attempt to write a readonly database (\`${kernel}\` is not writable by this process: SQLite writes the database and its -wal and -shm side files, which it creates with the database's mode; make it writable, and keep the side files: the -wal file may hold committed trials)`,
    );
    // This process may write them all (another cause, a read-only file system): nothing named, by storeError too.
    expect(unwritableFiles(path)).toBe('');
    expect(storeError(path, readonly, 'opening the study').message).toBe(
      `SQLite store \`${path}\` failed while opening the study: SQLITE_READONLY: attempt to write a readonly database`,
    );
  });

  it('say how to build or install better-sqlite3 when it cannot be loaded, without the paths tried (trial 94)', () => {
    const bindings = new Error(
      'Could not locate the bindings file. Tried:\n → /p/build/better_sqlite3.node\n → /p/build/Debug/better_sqlite3.node',
    );
    const built = storeError('/x.db', bindings, 'opening it').message;
    expect(built).toBe(
      'SQLite store `/x.db` failed while opening it: Could not locate the bindings file. better-sqlite3, the native module the SQLite store runs on, is not built for this Node (installed with --ignore-scripts, or for another Node version?): run `npm rebuild better-sqlite3` in the project (pnpm: `pnpm rebuild better-sqlite3`, after `pnpm approve-builds` where it blocks install scripts), or use the jsonl store, which needs no native module.',
    );
    const otherNode = Object.assign(
      new Error(
        "The module '/p/better_sqlite3.node' was compiled against a different Node.js version using\nNODE_MODULE_VERSION 115.",
      ),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    expect(storeError('/x.db', otherNode, 'opening it').message).toContain(
      "The module '/p/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. better-sqlite3,",
    );
    expect(storeError('/x.db', otherNode, 'opening it').message).toContain('`npm rebuild better-sqlite3`');
    const missing = Object.assign(new Error("Cannot find module 'better-sqlite3'\nRequire stack:\n- /p/a.js"), {
      code: 'MODULE_NOT_FOUND',
    });
    expect(storeError('/x.db', missing, 'opening it').message).toBe(
      "SQLite store `/x.db` failed while opening it: Cannot find module 'better-sqlite3'. better-sqlite3, the native module the SQLite store runs on, is not installed where this program can load it (a bundle?): install it beside the program (npm install better-sqlite3), or use the jsonl store, which needs no native module.",
    );
  });
});

describe('reading a database that holds no store (trial 74)', () => {
  it('says an empty one may be a copy made without its -wal file, and another one is not a store', () => {
    // An empty file (0 bytes), as a creation on a full disk leaves: no copy of a store, nothing to lose.
    const nothing = tempPath('nothing.db');
    new Database(nothing).close();
    expect(thrownBy(() => createSqliteStore({ path: nothing, readOnly: true }))).toMatchObject({
      code: 'STORE_FAILED',
      message: `\`${nothing}\` is an empty file (0 bytes): no Parzen store in it, and no trials to lose. A store whose creation did not finish (a full disk?) leaves such a file: \`parzen run\` makes the store in it once there is room (or delete it).`,
    });
    // A database with its header and no tables, as a copy of a store's file alone can be.
    const empty = tempPath('empty.db');
    const made = new Database(empty);
    made.pragma('user_version = 1');
    made.close();
    expect(thrownBy(() => createSqliteStore({ path: empty, readOnly: true }))).toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringContaining(
        "is an empty SQLite database: no Parzen store in it. If it is a copy of a store's file made while a run was writing, the trials are in the store's -wal file",
      ),
    });
    const other = tempPath('other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE notes (text TEXT)');
    db.close();
    expect(thrownBy(() => createSqliteStore({ path: other, readOnly: true }))).toMatchObject({
      message: expect.stringContaining('is not a Parzen SQLite store (it has no parzen_schema table)'),
    });
  });
});
