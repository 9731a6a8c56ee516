import { adminQuery, describePostgres, freshSchema } from '@parzen/test-kit/postgres';
import pg from 'pg';
import { expect, it } from 'vitest';
import { createPostgresStore } from '../src/index.js';
import { MIGRATIONS, migrate } from '../src/schema.js';
import { STATEMENTS, type StatementName } from '../src/statements.js';

const withPool = async <T>(url: string, task: (pool: pg.Pool) => Promise<T>): Promise<T> => {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    return await task(pool);
  } finally {
    await pool.end();
  }
};
const schemaOf = (url: string): string => /search_path=(\w+)/.exec(decodeURIComponent(url))?.[1] ?? '';
const indexesIn = async (url: string): Promise<string[]> =>
  withPool(url, async (pool) =>
    (await pool.query('SELECT indexname FROM pg_indexes WHERE schemaname = $1', [schemaOf(url)])).rows.map(
      (row) => row.indexname,
    ),
  );
const versionIn = async (url: string): Promise<number> =>
  withPool(url, async (pool) => (await pool.query('SELECT version FROM parzen_schema')).rows[0]?.version);

// Sample arguments for each statement, so EXPLAIN EXECUTE can plan it.
const SAMPLE: Readonly<Record<StatementName, readonly unknown[]>> = {
  study: ['s'],
  studyV3: ['s'],
  studies: [],
  studiesV3: [],
  insertStudy: ['s', 'minimize', 1, '{}', new Date(), null, null],
  createTrial: [1, 10, 'off', '00000000-0000-4000-8000-000000000000', 'w', new Date(), new Date()],
  lockStudy: [1],
  studySeq: [1],
  finishedSince: [1, 19_990],
  entryWaits: [1],
  waitingEntries: [1],
  takenEntries: [1],
  removedEntries: [1],
  removeEntries: [1, '{19995,19996}', 'off', '00000000-0000-4000-8000-000000000000'],
  removedByWrite: [1, '00000000-0000-4000-8000-000000000000'],
  setParams: [1, 2, 'off', '00000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000000', '{}'],
  setLease: [1, 2, null, '00000000-0000-4000-8000-000000000000', null, 'w', new Date()],
  finish: [
    1,
    2,
    null,
    '00000000-0000-4000-8000-000000000000',
    '00000000-0000-4000-8000-000000000000',
    'complete',
    1,
    null,
    null,
    new Date(),
    '{}',
  ],
  finishUnrun: [
    1,
    2,
    null,
    '00000000-0000-4000-8000-000000000000',
    '00000000-0000-4000-8000-000000000000',
    'failed',
    null,
    null,
    '{"code":"INTERRUPTED","message":"x"}',
    new Date(),
    '{}',
  ],
  trial: [1, 2],
  trialByWrite: [1, '00000000-0000-4000-8000-000000000000'],
  changedSince: [1, 19_990],
  intermediateOf: [1, 2],
  report: [1, 2, null, '00000000-0000-4000-8000-000000000000', null, 3, 0.5],
  allocateTrial: [1, 30_000, 'off'],
  takeEntry: [1, 20_000, 20_001, '00000000-0000-4000-8000-000000000000', 'w', new Date(), new Date()],
  enqueue: [1, '[{"key":"k","params":{}}]', null, '00000000-0000-4000-8000-000000000000'],
  enqueuedByWrite: [1, '00000000-0000-4000-8000-000000000000'],
  reserveTrials: [1, 2, null],
  insertAdded: [
    1,
    20_000,
    20_000,
    '00000000-0000-4000-8000-000000000000',
    '{complete}',
    '{"{}"}',
    '{1}',
    '{NULL}',
    '{NULL}',
    `{"${new Date().toISOString()}"}`,
    `{"${new Date().toISOString()}"}`,
  ],
  insertAddedIntermediate: [1, 2, '{0}', '{1}', '{0.5}'],
  insertAddedKeys: [1, 20_000, '00000000-0000-4000-8000-000000000000', '{0}', '{k-new}', '{"{}"}'],
  studyExists: [1],
  countByState: [1],
  countEntries: [1],
  runningTrials: [1],
  deleteIntermediate: [1],
  deleteEntries: [1],
  deleteTrials: [1],
  deleteStudyRow: [1, null],
};

/** The statements `deleteStudy` runs before one, in its transaction (the foreign keys refuse it alone). */
const BEFORE: Partial<Record<StatementName, readonly StatementName[]>> = {
  deleteTrials: ['deleteIntermediate'],
  deleteStudyRow: ['deleteIntermediate', 'deleteEntries', 'deleteTrials'],
};

describePostgres('postgres schema', () => {
  it('creates the latest schema at open and records its version', async () => {
    const url = await freshSchema('fresh');
    await (await createPostgresStore({ url })).close();
    expect(await versionIn(url)).toBe(MIGRATIONS.at(-1)?.version);
    const tables = await adminQuery(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = '${schemaOf(url)}' ORDER BY 1`,
      new URL(url).pathname.slice(1),
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual([
      'parzen_enqueued',
      'parzen_intermediate',
      'parzen_schema',
      'parzen_studies',
      'parzen_trials',
    ]);
    // With the optional indexes (OPTIONAL_INDEXES): made with a schema step, as the new database's first is.
    expect(await indexesIn(url)).toContain('parzen_enqueued_removed');
  });

  // The index for listRemovedEntries is no step of its own (a new version, which an older Parzen cannot open):
  // a database at the latest version is opened as it is, and gets it at its next step.
  it('makes an optional index with a schema step only, once, and a store reads without it', async () => {
    const url = await freshSchema('optional');
    await (await createPostgresStore({ url })).close();
    await withPool(url, (pool) => pool.query('DROP INDEX parzen_enqueued_removed'));
    const store = await createPostgresStore({ url });
    await store.openStudy({ name: 's', direction: 'minimize', seed: 1, space: {} });
    await store.enqueue('s', [{ internal: {}, key: 'a' }]);
    await store.removeEnqueued('s', [{ key: 'a' }]);
    expect(await store.listRemovedEntries('s')).toEqual([{ internal: {}, key: 'a' }]);
    await store.close();
    expect(await indexesIn(url)).not.toContain('parzen_enqueued_removed');
    await withPool(url, async (pool) => {
      const next = [...MIGRATIONS, { version: 5, description: 'test step', sql: 'SELECT 1' }];
      expect(await migrate(pool, 'test', next)).toBe(5);
    });
    expect(await indexesIn(url)).toContain('parzen_enqueued_removed');
  });

  it('migrates once when many workers open a new database at the same moment', async () => {
    const url = await freshSchema('race');
    const stores = await Promise.all(Array.from({ length: 6 }, () => createPostgresStore({ url, poolSize: 1 })));
    await Promise.all(stores.map((store) => store.close()));
    expect(await versionIn(url)).toBe(MIGRATIONS.at(-1)?.version);
    expect(
      await withPool(
        url,
        async (pool) => (await pool.query('SELECT count(*)::int AS n FROM parzen_schema')).rows[0]?.n,
      ),
    ).toBe(1);
  });

  it('applies only the missing steps, once, and leaves a current database alone', async () => {
    const url = await freshSchema('upgrade');
    await withPool(url, async (pool) => {
      expect(await migrate(pool, 'test')).toBe(4);
      const next = [...MIGRATIONS, { version: 5, description: 'test step', sql: 'CREATE TABLE extra (x integer)' }];
      expect(await migrate(pool, 'test', next)).toBe(5);
      expect(await migrate(pool, 'test', next)).toBe(5); // would fail with "relation extra already exists"
      expect((await pool.query('SELECT version FROM parzen_schema')).rows).toEqual([{ version: 5 }]);
    });
  });

  it('refuses a database from a newer version with STORE_FAILED', async () => {
    const url = await freshSchema('newer');
    await (await createPostgresStore({ url })).close();
    await withPool(url, (pool) => pool.query('UPDATE parzen_schema SET version = 99'));
    await expect(createPostgresStore({ url })).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringContaining('schema version 99'),
    });
  });

  it('serves every query of the loop from an index that finds its rows, never a scan', async () => {
    const url = await freshSchema('plans');
    await (await createPostgresStore({ url })).close();
    await withPool(url, async (pool) => {
      const client = await pool.connect();
      try {
        // A study with 20,000 trials, analysed, and sequential scans priced out. A statement without a
        // fitting index shows a Seq Scan, or an index scan that reads and drops the study's other rows.
        await client.query(`INSERT INTO parzen_studies (name, direction, seed, space, created_at, next_number, last_seq)
          VALUES ('s', 'minimize', 1, '{}', now(), 20000, 20000)`);
        await client.query(`INSERT INTO parzen_trials (study_id, number, state, params, started_at, updated_seq, write_id, created_by)
          SELECT 1, n, 'running', '{}', now(), n + 1, gen_random_uuid(), '00000000-0000-4000-8000-000000000000'
          FROM generate_series(0, 19999) AS n`);
        // 20,000 enqueued entries, the last 10 waiting; 5 intermediate values per trial.
        await client.query(`INSERT INTO parzen_enqueued (study_id, key, params, taken_by, write_id)
          SELECT 1, 'k' || n, '{}', CASE WHEN n < 19990 THEN n END, gen_random_uuid() FROM generate_series(0, 19999) AS n`);
        await client.query(`INSERT INTO parzen_intermediate (study_id, number, step, value)
          SELECT 1, n, s, 0.5 FROM generate_series(0, 19999) AS n, generate_series(0, 4) AS s`);
        await client.query('ANALYZE');
        await client.query('SET enable_seqscan = off');
        for (const [name, sql] of Object.entries(STATEMENTS)) {
          await client.query(`PREPARE ${name} AS ${sql}`);
          const values = (SAMPLE[name as StatementName] ?? []).map((value) =>
            value instanceof Date ? `'${value.toISOString()}'` : value === null ? 'NULL' : `'${value}'`,
          );
          await client.query('BEGIN');
          for (const before of BEFORE[name as StatementName] ?? []) await client.query(STATEMENTS[before], [1]);
          const args = values.length === 0 ? '' : `(${values.join(', ')})`; // `EXECUTE name()` is a syntax error
          const plan = await client.query(`EXPLAIN ANALYZE EXECUTE ${name}${args}`);
          await client.query('ROLLBACK');
          const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
          // Not in the loop: it finishes a trial that was interrupted or whose worker died, and reads the
          // study's enqueued entries for the one that trial took (an index for it would be a schema step
          // that every worker must upgrade to, for a statement run once per lost trial).
          if (name === 'finishUnrun') continue;
          // Not in the loop either: they read every study (`parzen studies`), a scan by nature.
          if (name === 'studies' || name === 'studiesV3') continue;
          // Nor this: an import's repeat check reads the study's finished trials, all of them the first time.
          if (name === 'finishedSince') continue;
          // Nor this: explain and report read every entry the study's trials ran, once per read.
          if (name === 'takenEntries') continue;
          expect(text, `${name}:\n${text}`).not.toMatch(/Seq Scan/);
          const dropped = [...text.matchAll(/Rows Removed by Filter: (\d+)/g)].map((match) => Number(match[1]));
          expect(Math.max(0, ...dropped), `${name}:\n${text}`).toBeLessThanOrEqual(1);
        }
      } finally {
        client.release();
      }
    });
  });
});
