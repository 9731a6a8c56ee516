import { ParzenError } from '@parzen/engine/plugin';
import type { Pool, PoolClient } from 'pg';

/** One step of the schema: applied once, in a transaction, to databases at the previous version. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/**
 * The schema's history; append, never edit. Every change of a study's trials takes the study's row lock
 * and the next `last_seq` (so changes commit in sequence order), and a reader fetches only the rows
 * changed since its last look. `write_id` names the write that last changed a row, so a write retried
 * after a lost connection can tell whether its first try committed; `created_by` names the write that
 * created it, so a process never writes to a trial that a server crash took from it and gave to another.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'studies and trials',
    sql: `
      CREATE TABLE parzen_studies (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL UNIQUE,
        direction text NOT NULL CHECK (direction IN ('minimize', 'maximize')),
        seed double precision NOT NULL,
        space json NOT NULL,
        created_at timestamptz NOT NULL,
        next_number integer NOT NULL DEFAULT 0,
        last_seq bigint NOT NULL DEFAULT 0
      );
      CREATE TABLE parzen_trials (
        study_id integer NOT NULL REFERENCES parzen_studies (id),
        number integer NOT NULL CHECK (number >= 0),
        state text NOT NULL CHECK (state IN ('running', 'complete', 'failed', 'pruned')),
        params json NOT NULL,
        value double precision,
        attributes json,
        error json,
        lease_owner text,
        lease_expires_at timestamptz,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        updated_seq bigint NOT NULL,
        write_id uuid NOT NULL,
        created_by uuid NOT NULL,
        PRIMARY KEY (study_id, number)
      );
      -- listTrials: the rows of a study changed since a sequence number.
      CREATE UNIQUE INDEX parzen_trials_by_update ON parzen_trials (study_id, updated_seq);
      -- A retried createTrial: did the lost first try commit?
      CREATE INDEX parzen_trials_by_write ON parzen_trials (study_id, write_id);
    `,
  },
  {
    version: 2,
    description: 'intermediate values and enqueued params',
    sql: `
      -- Reported while a trial runs, one row per step (the first value kept); a report also gives the
      -- trial the next updated_seq, so readers fetch it again.
      CREATE TABLE parzen_intermediate (
        study_id integer NOT NULL,
        number integer NOT NULL,
        step bigint NOT NULL CHECK (step >= 0),
        value double precision NOT NULL,
        PRIMARY KEY (study_id, number, step),
        FOREIGN KEY (study_id, number) REFERENCES parzen_trials (study_id, number)
      );
      -- Params queued for trials to come, oldest (lowest seq) first; taken_by is the trial that took one.
      -- write_id names the enqueue call, so a retried call can tell whether its first try committed.
      CREATE TABLE parzen_enqueued (
        study_id integer NOT NULL REFERENCES parzen_studies (id),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        key text,
        params json NOT NULL,
        taken_by integer,
        write_id uuid NOT NULL,
        PRIMARY KEY (study_id, seq)
      );
      -- An entry whose key the study has queued before is skipped (ON CONFLICT DO NOTHING).
      CREATE UNIQUE INDEX parzen_enqueued_by_key ON parzen_enqueued (study_id, key) WHERE key IS NOT NULL;
      -- createTrial: is an entry waiting, and which is the oldest.
      CREATE INDEX parzen_enqueued_waiting ON parzen_enqueued (study_id, seq) WHERE taken_by IS NULL;
      CREATE INDEX parzen_enqueued_by_write ON parzen_enqueued (study_id, write_id);
      -- How many of the study's entries wait, kept under the study's row lock: while none does, a trial
      -- is created in one statement.
      ALTER TABLE parzen_studies ADD COLUMN waiting integer NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 3,
    description: "a trial's loss and attrs under those names",
    sql: `
      -- The domain calls them loss and attrs; the columns now say so too.
      ALTER TABLE parzen_trials RENAME COLUMN value TO loss;
      ALTER TABLE parzen_trials RENAME COLUMN attributes TO attrs;
    `,
  },
  {
    version: 4,
    description: 'the suggester a study was created with',
    sql: `
      -- Its name and settings (JSON), so a later run can say when its own differ; NULL for older studies.
      ALTER TABLE parzen_studies ADD COLUMN suggester json;
    `,
  },
];

/**
 * Indexes for reads outside the run loop (each on tables of schema version `since`), made with every schema step (a
 * new database's first included), never as a step of their own: a step is a new version, which the workers of an
 * older Parzen cannot open, too much for a rare read. A database made before one was added gets it at its next step,
 * and the reads work without it. IF NOT EXISTS: made once, and one made by hand is left as it is. Never dropped.
 */
export const OPTIONAL_INDEXES: readonly { readonly since: number; readonly sql: string }[] = [
  // listRemovedEntries (parzen validate): the entries taken out of the queue, in queue order.
  {
    since: 2,
    sql: 'CREATE INDEX IF NOT EXISTS parzen_enqueued_removed ON parzen_enqueued (study_id, seq) WHERE taken_by = -1',
  },
];

// Serializes migrations between processes (pg_advisory_xact_lock key; "parz" in ASCII).
const MIGRATION_LOCK = 0x7061727a;

type Queryable = Pool | PoolClient;

export const readVersion = async (db: Queryable): Promise<number | undefined> => {
  try {
    const { rows } = await db.query<{ version: number }>('SELECT version FROM parzen_schema');
    return rows[0]?.version ?? 0;
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return undefined; // no schema table yet
    throw error;
  }
};

const tooNew = (where: string, version: number, latest: number): ParzenError =>
  new ParzenError(
    'STORE_FAILED',
    `PostgreSQL store \`${where}\` has schema version ${version}; this Parzen knows versions up to ${latest}. Upgrade Parzen to open it.`,
  );

/** Brings the schema to the latest version in the client's transaction; returns the version it found. */
const applyMissing = async (client: PoolClient, where: string, migrations: readonly Migration[]): Promise<number> => {
  const latest = migrations.at(-1)?.version ?? 0;
  await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  await client.query('CREATE TABLE IF NOT EXISTS parzen_schema (version integer NOT NULL)');
  const version = (await readVersion(client)) ?? 0;
  if (version > latest) throw tooNew(where, version, latest);
  const { rowCount } = await client.query('SELECT 1 FROM parzen_schema');
  if (rowCount === 0) await client.query('INSERT INTO parzen_schema (version) VALUES (0)');
  for (const migration of migrations) if (migration.version > version) await client.query(migration.sql);
  if (version < latest) for (const index of OPTIONAL_INDEXES) if (latest >= index.since) await client.query(index.sql);
  await client.query('UPDATE parzen_schema SET version = $1', [latest]);
  return version;
};

/** The oldest schema version a read-only store reads as it is (version 4 only added a nullable column). */
export const OLDEST_READABLE = 3;

/**
 * For reading without upgrading: the database's schema version, when this Parzen can read it as it is.
 *
 * @throws `ParzenError` `STUDY_NOT_FOUND` for a database without Parzen's tables; `STORE_FAILED` for a
 *   version from a newer Parzen, or one too old to read without upgrading (saying what to do).
 */
export const readableVersion = async (
  pool: Pool,
  where: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number> => {
  const latest = migrations.at(-1)?.version ?? 0;
  const seen = await readVersion(pool);
  // No schema table, or one a first migration left empty: no study was ever stored there.
  if (seen === undefined || seen === 0)
    throw new ParzenError(
      'STUDY_NOT_FOUND',
      `PostgreSQL store \`${where}\` holds no Parzen study (it has no Parzen tables).`,
    );
  if (seen > latest) throw tooNew(where, seen, latest);
  if (seen < OLDEST_READABLE)
    throw new ParzenError(
      'STORE_FAILED',
      `PostgreSQL store \`${where}\` has schema version ${seen}, older than this Parzen reads without upgrading it. ` +
        'A `parzen run` of this version upgrades it (stop the workers of the older Parzen first); or read it with the Parzen that wrote it.',
    );
  return seen;
};

/**
 * Brings a database to the latest schema version: one read when it is current (every open checks), else
 * one transaction that takes an advisory lock, re-reads the version (another worker may have migrated
 * meanwhile) and applies the missing steps. A database from a newer Parzen is refused, never downgraded.
 *
 * @throws `ParzenError` `STORE_FAILED` when the database's version is newer than `migrations`.
 */
export const migrate = async (
  pool: Pool,
  where: string,
  migrations: readonly Migration[] = MIGRATIONS,
  /** Called when an existing database (version 1 or more) was upgraded, with the versions before and after. */
  onUpgrade?: (from: number, to: number) => void,
): Promise<number> => {
  const latest = migrations.at(-1)?.version ?? 0;
  const seen = await readVersion(pool);
  if (seen !== undefined && seen > latest) throw tooNew(where, seen, latest);
  if (seen === latest) return latest;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const from = await applyMissing(client, where, migrations);
    await client.query('COMMIT');
    if (from > 0 && from < latest) onUpgrade?.(from, latest);
    return latest;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};
