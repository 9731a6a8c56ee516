import { ParzenError, storeUpgradeNote, warnOnStderr } from '@parzen/engine/plugin';
import type { Pool } from 'pg';
import {
  type ConnectionPlan,
  type PostgresStoreOptions,
  parsingQuietly,
  planConnection,
  sslModeNote,
} from './connection-options.js';
import {
  classify,
  interrupted,
  notUtf8Database,
  storeError,
  unreachableServer,
  unusableConnection,
} from './pg-errors.js';
import { withRetry } from './retry.js';
import { migrate, readableVersion, readVersion } from './schema.js';

// At open, only the server's "not now" answers are retried (starting up, too many connections): a
// refused or timed-out connection is a wrong URL or a stopped server, reported at once.
const retryAtOpen = (error: unknown): boolean =>
  classify(error) === 'transient' && /^(57P03|53300|40001|40P01)$/.test((error as { code?: string }).code ?? '');

/** Encodings that keep every character a study may hold: UTF8, and SQL_ASCII, which stores the bytes as they are. */
const WHOLE_ENCODINGS: ReadonlySet<string> = new Set(['UTF8', 'SQL_ASCII']);

/**
 * Refuses a database that cannot store every character (LATIN1) before the store makes its tables there; one that
 * already holds them (a store that worked with ASCII names) is opened with a warning, once (review 181: refusing it
 * stopped every run of a working store).
 */
const checkEncoding = async (pool: Pool, plan: ConnectionPlan, warn: (message: string) => void): Promise<void> => {
  const { rows } = await pool.query<{ server_encoding: string }>('SHOW server_encoding');
  const encoding = rows[0]?.server_encoding;
  if (encoding === undefined || WHOLE_ENCODINGS.has(encoding.toUpperCase())) return;
  const error = notUtf8Database(plan, encoding);
  if (((await readVersion(pool)) ?? 0) === 0) throw error;
  warn(
    `${error.message} It already holds Parzen's tables, so it is opened: a name, option or attr with a character ${encoding} lacks fails its write (22P05).`,
  );
};

/**
 * Loads `pg`, opens a pool on the planned connection and brings the schema up to date; a failure closes
 * the pool and says whether the config (exit 2) or the store is to blame.
 */
export const openPool = async (
  options: PostgresStoreOptions,
): Promise<{ pool: Pool; plan: ConnectionPlan; version: number }> => {
  const [{ default: pg }, { parseIntoClientConfig }] = await Promise.all([
    import('pg'),
    import('pg-connection-string'),
  ]);
  let aliased = false;
  const plan = planConnection(
    options,
    parsingQuietly(parseIntoClientConfig, () => {
      aliased = true;
    }),
  );
  if (aliased) (options.onWarning ?? warnOnStderr)(sslModeNote(plan));
  const pool = new pg.Pool(plan.pool);
  // An idle connection that the server closes (a restart) errors on the pool: the pool drops it and the
  // next query opens a new one. Without a listener, Node would treat the event as an uncaught error.
  pool.on('error', () => undefined);
  // And one the server closes while the store holds it (a restart, pg_terminate_backend): a checked-out
  // connection has no pool listener, and its 'error' event ended the process (trial 83). The statement in
  // flight fails as well, a transient failure the store retries; the broken connection leaves the pool.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  try {
    const version = await withRetry(
      async () => {
        if (options.readOnly === true) return readableVersion(pool, plan.where);
        // A read-only open writes nothing, so a database in another encoding is still read.
        await checkEncoding(pool, plan, options.onWarning ?? warnOnStderr);
        return migrate(pool, plan.where, undefined, (from, to) =>
          (options.onWarning ?? warnOnStderr)(storeUpgradeNote(`PostgreSQL store \`${plan.where}\``, from, to)),
        );
      },
      options.connectTimeoutMs ?? 10_000,
      {
        retryable: retryAtOpen,
        giveUp: options.stopping?.stop,
        stopped: (error) => interrupted(plan, 'opening it', error),
      },
    );
    return { pool, plan, version };
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof ParzenError) throw error;
    const trouble = classify(error);
    throw trouble === 'other'
      ? storeError(plan, error, 'opening it')
      : trouble === 'transient'
        ? unreachableServer(plan, error)
        : unusableConnection(plan, error);
  }
};
