import { statSync } from 'node:fs';
import { ParzenError } from '@parzen/engine/plugin';
import type { Database } from 'better-sqlite3';

/** One step of the schema: applied once, in a transaction, to databases at the previous version. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/**
 * The schema's history; append, never edit. `updated_seq` grows with every change of a study's trials
 * (allocated inside the write transaction), so a reader fetches only rows changed since its last look.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'studies and trials',
    sql: `
      CREATE TABLE studies (
        name TEXT PRIMARY KEY,
        direction TEXT NOT NULL CHECK (direction IN ('minimize', 'maximize')),
        seed REAL NOT NULL,
        space TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE trials (
        study TEXT NOT NULL REFERENCES studies (name),
        number INTEGER NOT NULL CHECK (number >= 0),
        state TEXT NOT NULL CHECK (state IN ('running', 'complete', 'failed', 'pruned')),
        params TEXT NOT NULL,
        value REAL,
        attributes TEXT,
        error TEXT,
        lease_owner TEXT,
        lease_expires_at TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        updated_seq INTEGER NOT NULL,
        PRIMARY KEY (study, number)
      ) WITHOUT ROWID;
      -- listTrials: the rows of a study changed since a sequence number; createTrial: the next sequence number.
      CREATE UNIQUE INDEX trials_by_update ON trials (study, updated_seq);
    `,
  },
  {
    version: 2,
    description: 'intermediate values and enqueued params',
    sql: `
      -- Reported while a trial runs; a report also gives the trial the next updated_seq, so readers see it.
      -- value is NULL for NaN (SQLite stores NaN as NULL).
      CREATE TABLE intermediate (
        study TEXT NOT NULL,
        number INTEGER NOT NULL,
        step INTEGER NOT NULL CHECK (step >= 0),
        value REAL,
        PRIMARY KEY (study, number, step),
        FOREIGN KEY (study, number) REFERENCES trials (study, number)
      ) WITHOUT ROWID;
      -- Params queued for trials to come, in seq order; taken_by is the trial that took the entry.
      CREATE TABLE enqueued (
        study TEXT NOT NULL REFERENCES studies (name),
        seq INTEGER NOT NULL,
        key TEXT,
        params TEXT NOT NULL,
        taken_by INTEGER,
        PRIMARY KEY (study, seq)
      ) WITHOUT ROWID;
      -- An entry whose key the study has queued before is skipped (INSERT OR IGNORE).
      CREATE UNIQUE INDEX enqueued_by_key ON enqueued (study, key) WHERE key IS NOT NULL;
      -- createTrial: the oldest waiting entry.
      CREATE INDEX enqueued_waiting ON enqueued (study, seq) WHERE taken_by IS NULL;
    `,
  },
  {
    version: 3,
    description: "a trial's loss and attrs under those names",
    sql: `
      -- The domain calls them loss and attrs; the columns now say so too.
      ALTER TABLE trials RENAME COLUMN value TO loss;
      ALTER TABLE trials RENAME COLUMN attributes TO attrs;
    `,
  },
  {
    version: 4,
    description: 'the suggester a study was created with',
    sql: `
      -- Its name and settings (JSON), so a later run can say when its own differ; NULL for older studies.
      ALTER TABLE studies ADD COLUMN suggester TEXT;
    `,
  },
];

/** A file's size in bytes; undefined when it cannot be looked at (an in-memory database, say). */
const fileSize = (path: string): number | undefined => {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
};

const readVersion = (db: Database): number | undefined => {
  try {
    return (db.prepare('SELECT version FROM parzen_schema').pluck().get() as number | undefined) ?? 0;
  } catch {
    return undefined; // no schema table yet
  }
};

const tooNew = (path: string, version: number, latest: number): ParzenError =>
  new ParzenError(
    'STORE_FAILED',
    `SQLite store \`${path}\` has schema version ${version}; this Parzen knows versions up to ${latest}. Upgrade Parzen to open it.`,
  );

/**
 * For reading without migrating: the database must be a Parzen store at a version this code knows.
 * Returns its version; an older one is read from a migrated copy (see `createSqliteStore`'s `readOnly`).
 *
 * @throws `ParzenError` `STORE_FAILED` naming what was found.
 */
export const checkSchema = (db: Database, path: string, migrations: readonly Migration[] = MIGRATIONS): number => {
  const latest = migrations.at(-1)?.version ?? 0;
  const seen = readVersion(db);
  if (seen === undefined) {
    // An empty database is what a copy of a store's file alone gives while a run writes: its trials are in
    // the -wal file beside it (trial 74: "not a Parzen SQLite store" sent the user the wrong way).
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    // A file of 0 bytes is no copy of a store (a store's file has its header from its creation on): a creation that
    // did not finish (a full disk) leaves one, and so does an open by another program.
    if (tables.n === 0 && fileSize(db.name) === 0)
      throw new ParzenError(
        'STORE_FAILED',
        `\`${path}\` is an empty file (0 bytes): no Parzen store in it, and no trials to lose. A store whose creation did not finish (a full disk?) leaves such a file: \`parzen run\` makes the store in it once there is room (or delete it).`,
      );
    throw new ParzenError(
      'STORE_FAILED',
      tables.n === 0
        ? `\`${path}\` is an empty SQLite database: no Parzen store in it. If it is a copy of a store's file made while a run was writing, the trials are in the store's -wal file, which was not copied: copy the database together with its -wal file (or use \`parzen export\`).`
        : `\`${path}\` is not a Parzen SQLite store (it has no parzen_schema table).`,
    );
  }
  if (seen > latest) throw tooNew(path, seen, latest);
  return seen;
};

/**
 * Brings a database to the latest schema version: a read when it is current, else one `BEGIN IMMEDIATE`
 * transaction that re-reads the version (another process may have migrated meanwhile) and applies the
 * missing steps. A database from a newer Parzen is refused, never downgraded.
 *
 * @throws `ParzenError` `STORE_FAILED` when the database's version is newer than `migrations`.
 */
export const migrate = (
  db: Database,
  path: string,
  migrations: readonly Migration[] = MIGRATIONS,
  /** Called when an existing database (version 1 or more) was upgraded, with the versions before and after. */
  onUpgrade?: (from: number, to: number) => void,
): number => {
  const latest = migrations.at(-1)?.version ?? 0;
  const seen = readVersion(db);
  if (seen !== undefined && seen > latest) throw tooNew(path, seen, latest);
  if (seen === latest) return latest;
  let from = 0;
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS parzen_schema (version INTEGER NOT NULL)');
    const version = readVersion(db) ?? 0;
    from = version;
    if (version > latest) throw tooNew(path, version, latest);
    if (db.prepare('SELECT COUNT(*) FROM parzen_schema').pluck().get() === 0)
      db.exec('INSERT INTO parzen_schema (version) VALUES (0)');
    for (const migration of migrations) if (migration.version > version) db.exec(migration.sql);
    db.prepare('UPDATE parzen_schema SET version = ?').run(latest);
  }).immediate();
  if (from > 0 && from < latest) onUpgrade?.(from, latest);
  return latest;
};
