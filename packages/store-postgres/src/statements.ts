import type { QueryConfig } from 'pg';

/** Increments the study's change counter under its row lock; every write to its trials starts with it. */
const NEXT_SEQ = 'WITH s AS (UPDATE parzen_studies SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq)';
const TRIAL_COLUMNS =
  'number, state, params, value, attributes, error, lease_owner, lease_expires_at, started_at, finished_at, updated_seq, write_id';
const RUNNING = "t.study_id = $1 AND t.number = $2 AND t.state = 'running'";

const SQL = {
  study: 'SELECT id, name, direction, seed, space, created_at FROM parzen_studies WHERE name = $1',
  insertStudy: `INSERT INTO parzen_studies (name, direction, seed, space, created_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (name) DO NOTHING RETURNING id`,
  // Allocates the next number and inserts the trial in one statement (one transaction): the study's row
  // lock serializes allocations, and the limit is checked under it.
  createTrial: `WITH s AS (
      UPDATE parzen_studies SET next_number = next_number + 1, last_seq = last_seq + 1
      WHERE id = $1 AND next_number < $2 RETURNING next_number - 1 AS number, last_seq)
    INSERT INTO parzen_trials (study_id, number, state, params, lease_owner, lease_expires_at, started_at, updated_seq, write_id)
    SELECT $1, number, 'running', '{}', $3, $4, $5, last_seq, $6 FROM s RETURNING ${TRIAL_COLUMNS}`,
  setParams: `${NEXT_SEQ} UPDATE parzen_trials t SET params = $3, updated_seq = s.last_seq, write_id = $4
    FROM s WHERE ${RUNNING} RETURNING t.number`,
  setLease: `${NEXT_SEQ} UPDATE parzen_trials t SET lease_owner = $3, lease_expires_at = $4, updated_seq = s.last_seq,
    write_id = $5 FROM s WHERE ${RUNNING} RETURNING t.number`,
  finish: `${NEXT_SEQ} UPDATE parzen_trials t SET state = $3, value = $4, attributes = $5, error = $6,
    lease_owner = NULL, lease_expires_at = NULL, finished_at = $7, updated_seq = s.last_seq, write_id = $8
    FROM s WHERE ${RUNNING} RETURNING ${TRIAL_COLUMNS.replace(/(\w+)/g, 't.$1')}`,
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
