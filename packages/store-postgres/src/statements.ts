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
  'number, state, params, value, attributes, error, lease_owner, lease_expires_at, started_at, finished_at, updated_seq, write_id';
// A running trial, and when this process created it, still the one it created ($5: created_by or NULL).
const OURS_RUNNING =
  "t.study_id = $1 AND t.number = $2 AND t.state = 'running' AND ($5::uuid IS NULL OR t.created_by = $5::uuid)";

// Parameters of the trial writes: $1 study id, $2 number, $3 synchronous_commit (NULL: the server's),
// $4 write id, $5 created_by to check (or NULL), then the statement's own.
const SQL = {
  study: 'SELECT id, name, direction, seed, space, created_at FROM parzen_studies WHERE name = $1',
  insertStudy: `INSERT INTO parzen_studies (name, direction, seed, space, created_at)
    SELECT $1, $2, $3, $4, $5 WHERE set_config('synchronous_commit', COALESCE($6, current_setting('synchronous_commit')), true) IS NOT NULL
    ON CONFLICT (name) DO NOTHING RETURNING id`,
  // Allocates the next number and inserts the trial in one statement: the study's row lock serializes
  // allocations, and the limit ($2) is checked under it. $4 is both the write id and created_by.
  createTrial: `WITH s AS (
      UPDATE parzen_studies SET next_number = next_number + 1, last_seq = last_seq + 1
      WHERE id = $1 AND next_number < $2 AND ${SYNC} RETURNING next_number - 1 AS number, last_seq)
    INSERT INTO parzen_trials
      (study_id, number, state, params, lease_owner, lease_expires_at, started_at, updated_seq, write_id, created_by)
    SELECT $1, number, 'running', '{}', $5, $6, $7, last_seq, $4, $4 FROM s RETURNING ${TRIAL_COLUMNS}`,
  setParams: `${NEXT_SEQ} UPDATE parzen_trials t SET params = $6, updated_seq = s.last_seq, write_id = $4
    FROM s WHERE ${OURS_RUNNING} RETURNING t.number`,
  setLease: `${NEXT_SEQ} UPDATE parzen_trials t SET lease_owner = $6, lease_expires_at = $7, updated_seq = s.last_seq,
    write_id = $4 FROM s WHERE ${OURS_RUNNING} RETURNING t.number`,
  // $11: the params this process set, written again (NULL: keep the row's), so a lost setParams is repaired.
  finish: `${NEXT_SEQ} UPDATE parzen_trials t SET state = $6, value = $7, attributes = $8, error = $9,
    lease_owner = NULL, lease_expires_at = NULL, finished_at = $10, params = COALESCE($11::json, t.params),
    updated_seq = s.last_seq, write_id = $4
    FROM s WHERE ${OURS_RUNNING} RETURNING ${TRIAL_COLUMNS.replace(/(\w+)/g, 't.$1')}`,
  trial: `SELECT ${TRIAL_COLUMNS} FROM parzen_trials WHERE study_id = $1 AND number = $2`,
  trialByWrite: `SELECT ${TRIAL_COLUMNS} FROM parzen_trials WHERE study_id = $1 AND write_id = $2`,
  changedSince: `SELECT ${TRIAL_COLUMNS} FROM parzen_trials WHERE study_id = $1 AND updated_seq > $2 ORDER BY updated_seq`,
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
