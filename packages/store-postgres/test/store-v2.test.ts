import { fileURLToPath } from 'node:url';
import type { StudySpec } from '@parzen/engine/plugin';
import { expectEnqueuedTakenOnce, expectReportsSeenIncrementally } from '@parzen/test-kit';
import { describePostgres, freshDatabase, freshSchema } from '@parzen/test-kit/postgres';
import pg from 'pg';
import { expect, it } from 'vitest';
import { createPostgresStore, type PostgresStore } from '../src/index.js';
import { MIGRATIONS, migrate } from '../src/schema.js';

const spec: StudySpec = {
  name: 'v2',
  direction: 'minimize',
  seed: 4,
  space: { x: { type: 'uniform', low: 0, high: 1 } },
};

const withPool = async <T>(url: string, task: (pool: pg.Pool) => Promise<T>): Promise<T> => {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    return await task(pool);
  } finally {
    await pool.end();
  }
};

/** The store's pool, to inject network faults at its boundary. */
const poolOf = (store: PostgresStore): pg.Pool => (store as unknown as { pool: pg.Pool }).pool;
const reset = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

/**
 * From now on, the store's first transaction commits and then its connection drops before the reply to COMMIT
 * arrives (the store retries); returns how many replies were lost.
 */
const loseFirstCommitReply = (store: PostgresStore): (() => number) => {
  const pool = poolOf(store);
  const connect = pool.connect.bind(pool) as (...callback: unknown[]) => Promise<pg.PoolClient>;
  let lost = 0;
  (pool as unknown as { connect: unknown }).connect = async (...callback: unknown[]) => {
    if (callback.length > 0) return connect(...callback); // pool.query's own use
    const client = await connect();
    const clientQuery = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
      if (args[0] !== 'COMMIT' || lost > 0) return clientQuery(...args);
      return clientQuery('COMMIT').then(() => {
        lost++;
        throw reset();
      });
    };
    return client;
  };
  return () => lost;
};

describePostgres('postgres store schema version 2', () => {
  it('upgrades a version 1 database with trials on open and keeps them', async () => {
    const url = await freshSchema('v1');
    await withPool(url, async (pool) => {
      expect(await migrate(pool, 'test', MIGRATIONS.slice(0, 1))).toBe(1);
      await pool.query(`INSERT INTO parzen_studies (name, direction, seed, space, created_at, next_number, last_seq)
        VALUES ('v2', 'minimize', 4, '{"x":{"type":"uniform","low":0,"high":1}}', now(), 2, 3)`);
      await pool.query(`INSERT INTO parzen_trials
        (study_id, number, state, params, value, started_at, finished_at, updated_seq, write_id, created_by) VALUES
        (1, 0, 'complete', '{"x":0.25}', 1.5, now(), now(), 2, gen_random_uuid(), gen_random_uuid()),
        (1, 1, 'running', '{"x":0.5}', NULL, now(), NULL, 3, gen_random_uuid(), gen_random_uuid())`);
    });
    const store = await createPostgresStore({ url });
    // Through version 2, version 3 (the columns named loss and attrs) and version 4 (the study's suggester).
    expect(await withPool(url, async (pool) => (await pool.query('SELECT version FROM parzen_schema')).rows)).toEqual([
      { version: 4 },
    ]);
    const columns = await withPool(url, async (pool) =>
      (
        await pool.query<{ column_name: string }>(
          "SELECT column_name FROM information_schema.columns WHERE table_name = 'parzen_trials'",
        )
      ).rows.map((row) => row.column_name),
    );
    expect(columns).toEqual(expect.arrayContaining(['loss', 'attrs']));
    expect(columns).not.toContain('value');
    expect(columns).not.toContain('attributes');
    const resumed = await store.openStudy({ ...spec, suggester: { name: 'tpe', settings: { gamma: 0.15 } } });
    expect(resumed.resumed).toBe(true);
    expect(resumed.study.suggester).toBeUndefined(); // a study from before version 4 has none
    const before = await store.listTrials(spec.name);
    expect(before[0]).toMatchObject({ state: 'complete', loss: 1.5, internal: { x: 0.25 } });
    expect(before[1]).toMatchObject({ state: 'running', internal: { x: 0.5 } });
    await store.reportIntermediate(spec.name, 1, 0, 0.75);
    expect(await store.enqueue(spec.name, [{ internal: { x: 0.9 } }])).toBe(1);
    expect((await store.createTrial(spec.name))?.internal).toEqual({ x: 0.9 });
    expect((await store.listTrials(spec.name))[1]?.intermediate).toEqual([{ step: 0, value: 0.75 }]);
    await store.close();
  });

  it('says when it upgrades an existing database (trial 63: a fleet of old workers were locked out unsaid)', async () => {
    const url = await freshSchema('said-v3');
    await withPool(url, (pool) => migrate(pool, 'test', MIGRATIONS.slice(0, 3)));
    const warnings: string[] = [];
    await (await createPostgresStore({ url, onWarning: (message) => warnings.push(message) })).close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^PostgreSQL store `.+` was upgraded from format version 3 to 4: Parzen versions that cannot read format version 4 can no longer open it/,
    );
    await (await createPostgresStore({ url, onWarning: (message) => warnings.push(message) })).close();
    expect(warnings).toHaveLength(1);
  });

  it('opened read-only (parzen trials, best, report), reads a version 3 database as it is and never upgrades it', async () => {
    const url = await freshSchema('readonly-v3');
    await withPool(url, async (pool) => {
      expect(await migrate(pool, 'test', MIGRATIONS.slice(0, 3))).toBe(3);
      await pool.query(`INSERT INTO parzen_studies (name, direction, seed, space, created_at, next_number, last_seq)
        VALUES ('v2', 'minimize', 4, '{"x":{"type":"uniform","low":0,"high":1}}', now(), 1, 2)`);
      await pool.query(`INSERT INTO parzen_trials
        (study_id, number, state, params, loss, started_at, finished_at, updated_seq, write_id, created_by) VALUES
        (1, 0, 'complete', '{"x":0.25}', 1.5, now(), now(), 2, gen_random_uuid(), gen_random_uuid())`);
    });
    const reader = await createPostgresStore({ url, readOnly: true });
    expect((await reader.getStudy('v2')).suggester).toBeUndefined();
    // `parzen studies`, and `trials --store` finding the only study: listed without the suggester column.
    expect(await reader.listStudies()).toEqual([await reader.getStudy('v2')]);
    expect((await reader.listTrials('v2')).map((trial) => trial.state)).toEqual(['complete']);
    // Read-only means no writes either.
    await expect(reader.createTrial('v2')).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringContaining('was opened read-only; it cannot createTrial'),
    });
    await reader.close();
    // Still version 3: older workers go on reading it.
    expect(await withPool(url, async (pool) => (await pool.query('SELECT version FROM parzen_schema')).rows)).toEqual([
      { version: 3 },
    ]);
    // A version 1 database is too old to read without upgrading: said, nothing changed.
    const old = await freshSchema('readonly-v1');
    await withPool(old, (pool) => migrate(pool, 'test', MIGRATIONS.slice(0, 1)));
    await expect(createPostgresStore({ url: old, readOnly: true })).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringContaining('has schema version 1, older than this Parzen reads without upgrading it'),
    });
    expect(await withPool(old, async (pool) => (await pool.query('SELECT version FROM parzen_schema')).rows)).toEqual([
      { version: 1 },
    ]);
  });

  it('shows another store new intermediate values and imports on its next incremental look', async () => {
    const url = await freshSchema('reports');
    await expectReportsSeenIncrementally(() => createPostgresStore({ url }));
  });

  it('retries an enqueue and an import whose reply was lost without doing them twice', async () => {
    const url = await freshSchema('lost-v2');
    const store = await createPostgresStore({ url });
    await store.openStudy(spec);
    const pool = poolOf(store);
    const query = pool.query.bind(pool) as (config: { name?: string }) => Promise<unknown>;
    let lost = 0;
    (pool as unknown as { query: unknown }).query = async (config: { name?: string }) => {
      const result = await query(config);
      if (lost === 0 && /enqueue$/.test(config.name ?? '')) {
        lost++;
        throw reset();
      }
      return result;
    };
    // The import's transaction commits, then the connection drops before the reply to COMMIT arrives.
    const connect = pool.connect.bind(pool) as (...callback: unknown[]) => Promise<pg.PoolClient>;
    (pool as unknown as { connect: unknown }).connect = async (...callback: unknown[]) => {
      if (callback.length > 0) return connect(...callback); // pool.query's own use
      const client = await connect();
      const clientQuery = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
        if (args[0] !== 'COMMIT' || lost !== 1) return clientQuery(...args);
        return clientQuery('COMMIT').then(() => {
          lost++;
          throw reset();
        });
      };
      return client;
    };
    expect(await store.enqueue(spec.name, [{ internal: { x: 0.1 } }, { internal: { x: 0.2 } }])).toBe(2);
    const added = await store.addTrials(spec.name, [
      { internal: { x: 0.3 }, outcome: { state: 'complete', loss: 3 }, intermediate: [{ step: 0, value: 4 }] },
      { internal: { x: 0.4 }, outcome: { state: 'failed', error: { code: 'IMPORTED', message: 'x' } } },
    ]);
    expect(lost).toBe(2);
    expect(added.map((trial) => trial.number)).toEqual([0, 1]);
    expect(added[0]).toMatchObject({ state: 'complete', loss: 3, intermediate: [{ step: 0, value: 4 }] });
    expect((await store.listTrials(spec.name)).map((trial) => trial.number)).toEqual([0, 1]);
    expect((await store.createTrial(spec.name))?.internal).toEqual({ x: 0.1 });
    expect((await store.createTrial(spec.name))?.internal).toEqual({ x: 0.2 });
    expect((await store.createTrial(spec.name))?.internal).toEqual({}); // two entries, not four
    await store.close();
  });

  it('removes a waiting entry a version 2 database queued, with no schema step of its own, once though the reply was lost', async () => {
    const url = await freshSchema('remove-v2');
    await withPool(url, async (pool) => {
      expect(await migrate(pool, 'test', MIGRATIONS.slice(0, 2))).toBe(2);
      // As a Parzen of version 2 queued them: `a` taken by a finished trial, `b` and a keyless one waiting.
      await pool.query(`INSERT INTO parzen_studies (name, direction, seed, space, created_at, next_number, last_seq, waiting)
        VALUES ('v2', 'minimize', 4, '{"x":{"type":"uniform","low":0,"high":1}}', now(), 1, 2, 2)`);
      await pool.query(`INSERT INTO parzen_trials
        (study_id, number, state, params, value, started_at, finished_at, updated_seq, write_id, created_by) VALUES
        (1, 0, 'complete', '{"x":0.1}', 1, now(), now(), 2, gen_random_uuid(), gen_random_uuid())`);
      await pool.query(`INSERT INTO parzen_enqueued (study_id, key, params, taken_by, write_id) VALUES
        (1, 'a', '{"x":0.1}', 0, gen_random_uuid()), (1, 'b', '{"x":0.2}', NULL, gen_random_uuid()),
        (1, NULL, '{"x":0.3}', NULL, gen_random_uuid())`);
    });
    const store = await createPostgresStore({ url });
    await store.openStudy(spec);
    expect(await store.removeEnqueued(spec.name, [{ key: 'a' }])).toEqual({ removed: [], missing: [0] });
    // The removal commits, then the connection drops before the reply to COMMIT arrives: the retry finds it done.
    const lost = loseFirstCommitReply(store);
    expect(await store.removeEnqueued(spec.name, [{ key: 'b' }])).toEqual({
      removed: [{ internal: { x: 0.2 }, key: 'b' }],
      missing: [],
    });
    expect(lost()).toBe(1);
    expect(await store.enqueue(spec.name, [{ internal: { x: 0.2 }, key: 'b' }])).toBe(0);
    expect(await store.listTakenEntries(spec.name)).toEqual([{ trial: 0, internal: { x: 0.1 }, key: 'a' }]);
    // The study's waiting count dropped by it: one entry waits.
    const waiting = await withPool(url, async (pool) => (await pool.query('SELECT waiting FROM parzen_studies')).rows);
    expect(waiting).toEqual([{ waiting: 1 }]);
    expect((await store.createTrial(spec.name))?.internal).toEqual({ x: 0.3 });
    expect((await store.createTrial(spec.name))?.internal).toEqual({});
    await store.close();
    // The schema's own steps only, and every row as it was but the removed one's mark.
    const rows = await withPool(url, async (pool) => ({
      version: (await pool.query('SELECT version FROM parzen_schema')).rows,
      entries: (await pool.query('SELECT key, params, taken_by FROM parzen_enqueued ORDER BY seq')).rows,
    }));
    expect(rows).toEqual({
      version: [{ version: MIGRATIONS.at(-1)?.version }],
      entries: [
        { key: 'a', params: { x: 0.1 }, taken_by: 0 },
        { key: 'b', params: { x: 0.2 }, taken_by: -1 },
        { key: null, params: { x: 0.3 }, taken_by: 1 },
      ],
    });
  });

  it('deletes a study from a version 2 database, every row of it and none of the other, once though the reply was lost', async () => {
    const url = await freshSchema('delete-v2');
    await withPool(url, async (pool) => {
      expect(await migrate(pool, 'test', MIGRATIONS.slice(0, 2))).toBe(2);
      // As a Parzen of version 2 left them: each study a finished trial with an intermediate value, and an entry.
      await pool.query(`INSERT INTO parzen_studies (name, direction, seed, space, created_at, next_number, last_seq, waiting)
        VALUES ('v2', 'minimize', 4, '{"x":{"type":"uniform","low":0,"high":1}}', now(), 1, 1, 1),
          ('kept', 'minimize', 1, '{"x":{"type":"uniform","low":0,"high":1}}', now(), 1, 1, 1)`);
      for (const id of [1, 2]) {
        await pool.query(`INSERT INTO parzen_trials
          (study_id, number, state, params, value, started_at, finished_at, updated_seq, write_id, created_by) VALUES
          (${id}, 0, 'complete', '{"x":0.1}', ${id}, now(), now(), 1, gen_random_uuid(), gen_random_uuid())`);
        await pool.query(`INSERT INTO parzen_intermediate VALUES (${id}, 0, 0, ${id * 10})`);
        await pool.query(
          `INSERT INTO parzen_enqueued (study_id, key, params, write_id) VALUES (${id}, 'a', '{"x":0.5}', gen_random_uuid())`,
        );
      }
    });
    const store = await createPostgresStore({ url });
    const lost = loseFirstCommitReply(store);
    expect(await store.deleteStudy(spec.name)).toMatchObject({
      study: { name: spec.name },
      trials: { complete: 1, pruned: 0, failed: 0, running: 0 },
      blocking: [],
    });
    expect(lost()).toBe(1);
    await expect(store.getStudy(spec.name)).rejects.toMatchObject({ code: 'STUDY_NOT_FOUND' });
    expect((await store.listStudies()).map((study) => study.name)).toEqual(['kept']);
    await store.close();
    // The schema's own steps only, and the other study's rows as they were.
    const rows = await withPool(url, async (pool) => ({
      version: (await pool.query('SELECT version FROM parzen_schema')).rows,
      studies: (await pool.query('SELECT id, name FROM parzen_studies')).rows,
      trials: (await pool.query('SELECT study_id, loss FROM parzen_trials')).rows,
      intermediate: (await pool.query('SELECT study_id, value FROM parzen_intermediate')).rows,
      enqueued: (await pool.query('SELECT study_id, key FROM parzen_enqueued')).rows,
    }));
    expect(rows).toEqual({
      version: [{ version: MIGRATIONS.at(-1)?.version }],
      studies: [{ id: 2, name: 'kept' }],
      trials: [{ study_id: 2, loss: 2 }],
      intermediate: [{ study_id: 2, value: 20 }],
      enqueued: [{ study_id: 2, key: 'a' }],
    });
  });

  it('hands each of 20 entries to exactly one trial across 4 processes', { timeout: 60_000 }, async () => {
    const { url } = await freshDatabase('race');
    await expectEnqueuedTakenOnce({
      target: {
        kind: 'postgres',
        path: url,
        module: fileURLToPath(new URL('../dist/index.js', import.meta.url)),
        factory: 'createPostgresStore',
        options: { url },
      },
      open: () => createPostgresStore({ url }),
    });
  });
});
