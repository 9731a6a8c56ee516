import type { QueryConfig } from 'pg';

/*
 * Every write takes the study's row lock and its next change number first (so changes commit in sequence
 * order), in the same statement as the write itself: one round trip, one implicit transaction.
 *
 * `set_config('synchronous_commit', ..., true)` sets the durability of that transaction alone: `off` for
 * writes whose loss after a server crash the store repairs (see postgres-store.ts), NULL for the server's
 * own setting (finishing a trial, creating a study).
 */
const SYNC = "set_config('synchronous_commit', COALESCE($3, current_setting('synchronous_commit')), true) IS NOT NULL";
const NEXT_SEQ = `WITH s AS (UPDATE parzen_studies SET last_seq = last_seq + 1 WHERE id = $1 AND ${SYNC} RETURNING last_seq)`;
const TRIAL_COLUMNS =
  'number, state, params, loss, attrs, error, lease_owner, lease_expires_at, started_at, finished_at, updated_seq, write_id';
/** A trial's intermediate values as a JSON array of `[step, value]` (NULL when none); `t` is the trial. */
const INTERMEDIATE = `(SELECT json_agg(json_build_array(i.step, i.value) ORDER BY i.step) FROM parzen_intermediate i
  WHERE i.study_id = t.study_id AND i.number = t.number) AS intermediate`;
const T_COLUMNS = TRIAL_COLUMNS.replace(/(\w+)/g, 't.$1');
// A running trial, and when this process created it, still the one it created ($5: created_by or NULL).
const OURS_RUNNING =
  "t.study_id = $1 AND t.number = $2 AND t.state = 'running' AND ($5::uuid IS NULL OR t.created_by = $5::uuid)";

// Parameters of the trial writes: $1 study id, $2 number, $3 synchronous_commit (NULL: the server's),
// $4 write id, $5 created_by to check (or NULL), then the statement's own.
const SQL = {
  study: 'SELECT id, name, direction, seed, space, suggester, created_at FROM parzen_studies WHERE name = $1',
  studyV3: 'SELECT id, name, direction, seed, space, NULL AS suggester, created_at FROM parzen_studies WHERE name = $1',
  // Every study, oldest first (ties by name, byte order), as the SQLite store lists them. Not in the loop:
  // `parzen studies`, and `parzen trials --store` finding the store's only study.
  studies: `SELECT id, name, direction, seed, space, suggester, created_at FROM parzen_studies
    ORDER BY created_at, name COLLATE "C"`,
  studiesV3: `SELECT id, name, direction, seed, space, NULL AS suggester, created_at FROM parzen_studies
    ORDER BY created_at, name COLLATE "C"`,
  insertStudy: `INSERT INTO parzen_studies (name, direction, seed, space, created_at, suggester)
    SELECT $1, $2, $3, $4, $5, $7::json WHERE set_config('synchronous_commit', COALESCE($6, current_setting('synchronous_commit')), true) IS NOT NULL
    ON CONFLICT (name) DO NOTHING RETURNING id`,
  // Allocates the next number and inserts the trial in one statement: the study's row lock serializes
  // allocations, and the limit ($2) is checked under it. $4 is both the write id and created_by. Only
  // while no enqueued entry waits: else (or at the limit) it returns nothing and the store takes the entry
  // in a transaction (allocateTrial, takeEntry).
  createTrial: `WITH s AS (
      UPDATE parzen_studies SET next_number = next_number + 1, last_seq = last_seq + 1
      WHERE id = $1 AND next_number < $2 AND waiting = 0 AND ${SYNC} RETURNING next_number - 1 AS number, last_seq)
    INSERT INTO parzen_trials
      (study_id, number, state, params, lease_owner, lease_expires_at, started_at, updated_seq, write_id, created_by)
    SELECT $1, number, 'running', '{}', $5, $6, $7, last_seq, $4, $4 FROM s RETURNING ${TRIAL_COLUMNS}`,
  setParams: `${NEXT_SEQ} UPDATE parzen_trials t SET params = $6, updated_seq = s.last_seq, write_id = $4
    FROM s WHERE ${OURS_RUNNING} RETURNING t.number`,
  setLease: `${NEXT_SEQ} UPDATE parzen_trials t SET lease_owner = $6, lease_expires_at = $7, updated_seq = s.last_seq,
    write_id = $4 FROM s WHERE ${OURS_RUNNING} RETURNING t.number`,
  // $11: the params this process set, written again (NULL: keep the row's), so a lost setParams is repaired.
  finish: `${NEXT_SEQ} UPDATE parzen_trials t SET state = $6, loss = $7, attrs = $8, error = $9,
    lease_owner = NULL, lease_expires_at = NULL, finished_at = $10, params = COALESCE($11::json, t.params),
    updated_seq = s.last_seq, write_id = $4
    FROM s WHERE ${OURS_RUNNING} RETURNING ${T_COLUMNS}`,
  // The same for a trial that ended unrun (interrupted, its worker dead): the enqueued entry it took waits
  // again, and the study's waiting count grows by it (in the study's own update: one row, one update).
  finishUnrun: `WITH s AS (UPDATE parzen_studies SET last_seq = last_seq + 1, waiting = waiting +
        (SELECT count(*) FROM parzen_enqueued q JOIN parzen_trials t ON t.study_id = q.study_id AND t.number = q.taken_by
          WHERE q.study_id = $1 AND q.taken_by = $2 AND ${OURS_RUNNING})
      WHERE id = $1 AND ${SYNC} RETURNING last_seq),
    f AS (UPDATE parzen_trials t SET state = $6, loss = $7, attrs = $8, error = $9,
      lease_owner = NULL, lease_expires_at = NULL, finished_at = $10, params = COALESCE($11::json, t.params),
      updated_seq = s.last_seq, write_id = $4
      FROM s WHERE ${OURS_RUNNING} RETURNING ${T_COLUMNS}),
    g AS (UPDATE parzen_enqueued SET taken_by = NULL WHERE study_id = $1 AND taken_by = $2 AND EXISTS (SELECT 1 FROM f))
    SELECT * FROM f`,
  // $6 step, $7 value: a step already reported keeps its first value (the trial is touched all the same).
  report: `${NEXT_SEQ}, touched AS (UPDATE parzen_trials t SET updated_seq = s.last_seq, write_id = $4
      FROM s WHERE ${OURS_RUNNING} RETURNING t.number),
    stored AS (INSERT INTO parzen_intermediate (study_id, number, step, value)
      SELECT $1, number, $6::bigint, $7::float8 FROM touched ON CONFLICT DO NOTHING)
    SELECT number FROM touched`,
  // With created_by: whether the row is still the trial this process created (see updateRow).
  trial: `SELECT ${T_COLUMNS}, t.created_by, ${INTERMEDIATE} FROM parzen_trials t WHERE t.study_id = $1 AND t.number = $2`,
  intermediateOf: `SELECT ${INTERMEDIATE} FROM parzen_trials t WHERE t.study_id = $1 AND t.number = $2`,
  trialByWrite: `SELECT ${T_COLUMNS}, ${INTERMEDIATE} FROM parzen_trials t WHERE t.study_id = $1 AND t.write_id = $2
    ORDER BY t.number`,
  // The listings below say in the same round trip whether the study is there (a store that used it tells a deleted
  // study from an empty answer): none of their rows when it is gone, one row of NULLs when it is there with none.
  changedSince: `SELECT ${T_COLUMNS}, ${INTERMEDIATE} FROM parzen_studies s
    LEFT JOIN parzen_trials t ON t.study_id = s.id AND t.updated_seq > $2 WHERE s.id = $1 ORDER BY t.updated_seq`,
  // In a transaction: $1 study id, $2 limit, $3 synchronous_commit. Holds the study's row lock until the
  // commit, so the entry the next statement (with a snapshot taken after the lock) takes is the oldest one
  // no other trial took; it takes one exactly when one waits.
  allocateTrial: `UPDATE parzen_studies SET next_number = next_number + 1, last_seq = last_seq + 1,
      waiting = GREATEST(waiting - 1, 0)
    WHERE id = $1 AND next_number < $2 AND ${SYNC} RETURNING next_number - 1 AS number, last_seq`,
  // In a transaction, before allocateTrial, for a trial only from an enqueued entry: the study's row lock
  // first, so the next statement (a snapshot taken after it) sees every entry other trials took.
  lockStudy: 'SELECT id FROM parzen_studies WHERE id = $1 FOR UPDATE',
  // What an import's repeat check compares (no intermediate values): the finished trials changed after $2.
  studySeq: 'SELECT last_seq FROM parzen_studies WHERE id = $1',
  finishedSince: `SELECT state, params, loss, error, started_at, finished_at FROM parzen_trials
    WHERE study_id = $1 AND state <> 'running' AND updated_seq > $2`,
  entryWaits: 'SELECT seq FROM parzen_enqueued WHERE study_id = $1 AND taken_by IS NULL ORDER BY seq LIMIT 1',
  waitingEntries: `SELECT q.seq, q.key, q.params FROM parzen_studies s
    LEFT JOIN parzen_enqueued q ON q.study_id = s.id AND q.taken_by IS NULL WHERE s.id = $1 ORDER BY q.seq`,
  // A removed entry has taken_by -1, no trial's number: never handed out, its key still known, and read as taken
  // by a Parzen from before removal (so it hands the entry out no more than this one does).
  takenEntries: `SELECT q.taken_by, q.key, q.params FROM parzen_studies s
    LEFT JOIN parzen_enqueued q ON q.study_id = s.id AND q.taken_by >= 0 WHERE s.id = $1 ORDER BY q.taken_by`,
  // In a transaction, under the study's row lock: $2 the seqs of the waiting entries to remove, $3
  // synchronous_commit, $4 write id (a retry finds what its first try removed). The waiting count drops by them.
  removeEntries: `WITH r AS (UPDATE parzen_enqueued SET taken_by = -1, write_id = $4
      WHERE study_id = $1 AND seq = ANY($2::bigint[]) AND taken_by IS NULL AND ${SYNC} RETURNING 1)
    UPDATE parzen_studies SET waiting = GREATEST(waiting - (SELECT count(*) FROM r), 0) WHERE id = $1
    RETURNING (SELECT count(*) FROM r)::int AS removed`,
  // Index parzen_enqueued_removed, where the database has it (see OPTIONAL_INDEXES).
  removedEntries: `SELECT q.key, q.params FROM parzen_studies s
    LEFT JOIN parzen_enqueued q ON q.study_id = s.id AND q.taken_by = -1 WHERE s.id = $1 ORDER BY q.seq`,
  removedByWrite:
    'SELECT key, params FROM parzen_enqueued WHERE study_id = $1 AND write_id = $2 AND taken_by = -1 ORDER BY seq',
  // $2 number, $3 its updated_seq, $4 write id and created_by, $5 lease owner, $6 lease expiry, $7 start.
  takeEntry: `WITH e AS (UPDATE parzen_enqueued SET taken_by = $2 WHERE study_id = $1 AND seq =
      (SELECT seq FROM parzen_enqueued WHERE study_id = $1 AND taken_by IS NULL ORDER BY seq LIMIT 1) RETURNING params)
    INSERT INTO parzen_trials
      (study_id, number, state, params, lease_owner, lease_expires_at, started_at, updated_seq, write_id, created_by)
    SELECT $1, $2, 'running', COALESCE((SELECT params FROM e), '{}'::json), $5, $6, $7, $3, $4, $4
    RETURNING ${TRIAL_COLUMNS}`,
  // Whether the study of this id is still there (a store that used it tells a deleted study from an empty answer).
  studyExists: 'SELECT 1 FROM parzen_studies WHERE id = $1',
  // deleteStudy, in a transaction under the study's row lock (lockStudy): its trials by state, its running trials,
  // then every row of it, children first; the study's row last, with $2 the transaction's synchronous_commit
  // (NULL: the server's).
  countByState: 'SELECT state, count(*)::int AS n FROM parzen_trials WHERE study_id = $1 GROUP BY state',
  runningTrials: `SELECT ${T_COLUMNS}, ${INTERMEDIATE} FROM parzen_trials t WHERE t.study_id = $1 AND t.state = 'running'
    ORDER BY t.number`,
  // Its enqueued entries, waiting, taken or removed (`onlyEmpty` keeps a study that has one).
  countEntries: 'SELECT count(*)::int AS n FROM parzen_enqueued WHERE study_id = $1',
  deleteIntermediate: 'DELETE FROM parzen_intermediate WHERE study_id = $1',
  deleteEntries: 'DELETE FROM parzen_enqueued WHERE study_id = $1',
  deleteTrials: 'DELETE FROM parzen_trials WHERE study_id = $1',
  deleteStudyRow: `DELETE FROM parzen_studies WHERE id = $1
    AND set_config('synchronous_commit', COALESCE($2, current_setting('synchronous_commit')), true) IS NOT NULL`,
  // $2: the entries as a JSON array of {key, params}, queued in order; $3 synchronous_commit; $4 write id.
  // The study's waiting count grows by the entries queued, under its row lock.
  enqueue: `WITH queued AS (INSERT INTO parzen_enqueued (study_id, key, params, write_id)
      SELECT $1, e.entry->>'key', e.entry->'params', $4 FROM json_array_elements($2::json) WITH ORDINALITY AS e(entry, n)
      WHERE ${SYNC} ORDER BY e.n
      ON CONFLICT (study_id, key) WHERE key IS NOT NULL DO NOTHING RETURNING 1)
    UPDATE parzen_studies SET waiting = waiting + (SELECT count(*) FROM queued) WHERE id = $1
    RETURNING (SELECT count(*) FROM queued)::int AS queued`,
  enqueuedByWrite: 'SELECT count(*)::int AS queued FROM parzen_enqueued WHERE study_id = $1 AND write_id = $2',
  // In a transaction: $2 how many trials, $3 synchronous_commit. Numbers and change numbers for them all.
  reserveTrials: `UPDATE parzen_studies SET next_number = next_number + $2, last_seq = last_seq + $2
    WHERE id = $1 AND ${SYNC} RETURNING next_number - $2 AS first, last_seq - $2 AS seq`,
  // $2 first number, $3 first updated_seq minus one, $4 write id, then one array per column.
  insertAdded: `INSERT INTO parzen_trials (study_id, number, state, params, loss, attrs, error, started_at,
      finished_at, updated_seq, write_id, created_by)
    SELECT $1, $2::int + a.n::int - 1, a.state, a.params, a.loss, a.attrs, a.error, a.started_at, a.finished_at,
      $3::bigint + a.n, $4, $4
    FROM unnest($5::text[], $6::json[], $7::float8[], $8::json[], $9::json[], $10::timestamptz[], $11::timestamptz[])
      WITH ORDINALITY AS a(state, params, loss, attrs, error, started_at, finished_at, n)`,
  // $2 first number, $3 write id; then each key's trial (counted from $2), key and params: entries queued and
  // taken at once (a study moved from another store keeps which of its config's entries ran).
  // An entry of such a key still waiting is taken by the trial (and the study's waiting count drops).
  insertAddedKeys: `WITH k AS (SELECT * FROM unnest($4::int[], $5::text[], $6::json[]) WITH ORDINALITY
      AS k(trial, key, params, n)),
    taken AS (UPDATE parzen_enqueued e SET taken_by = $2::int + k.trial FROM k
      WHERE e.study_id = $1 AND e.key = k.key AND e.taken_by IS NULL RETURNING e.key),
    added AS (INSERT INTO parzen_enqueued (study_id, key, params, taken_by, write_id)
      SELECT $1, k.key, k.params, $2::int + k.trial, $3 FROM k ORDER BY k.n
      ON CONFLICT (study_id, key) WHERE key IS NOT NULL DO NOTHING)
    UPDATE parzen_studies SET waiting = GREATEST(waiting - (SELECT count(*) FROM taken), 0) WHERE id = $1`,
  // $2 first number; then each point's trial (counted from $2), step and value.
  insertAddedIntermediate: `INSERT INTO parzen_intermediate (study_id, number, step, value)
    SELECT $1, $2::int + p.trial, p.step, p.value FROM unnest($3::int[], $4::bigint[], $5::float8[]) AS p(trial, step, value)
    ON CONFLICT DO NOTHING`,
} as const;

/** The store's statement names. */
export type StatementName = keyof typeof SQL;

/** The store's SQL, for the index checks in the tests. */
export const STATEMENTS: Readonly<Record<StatementName, string>> = SQL;

/** A named (prepared once per connection) query of the store. */
export const statement = (name: StatementName, values: readonly unknown[]): QueryConfig => ({
  name: `parzen_${name}`,
  text: SQL[name],
  values: values as unknown[],
});
