import type { Database, Statement } from 'better-sqlite3';

const SQL = {
  begin: 'BEGIN IMMEDIATE',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  syncFull: 'PRAGMA synchronous = FULL',
  syncNormal: 'PRAGMA synchronous = NORMAL',
  study: 'SELECT name, direction, seed, space, created_at FROM studies WHERE name = ?',
  studies: 'SELECT name FROM studies ORDER BY created_at, name',
  insertStudy:
    'INSERT INTO studies (name, direction, seed, space, created_at) VALUES (@name, @direction, @seed, @space, @createdAt)',
  // Both seek the primary key or trials_by_update: constant cost, whatever the number of trials.
  nextNumber: 'SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study = ?',
  nextSeq: 'SELECT COALESCE(MAX(updated_seq) + 1, 1) FROM trials WHERE study = ?',
  insertTrial: `INSERT INTO trials (study, number, state, params, lease_owner, lease_expires_at, started_at, updated_seq)
    VALUES (@study, @number, 'running', '{}', @owner, @expiresAt, @startedAt, @seq)`,
  trial: 'SELECT * FROM trials WHERE study = ? AND number = ?',
  setParams: 'UPDATE trials SET params = @params, updated_seq = @seq WHERE study = @study AND number = @number',
  setLease: `UPDATE trials SET lease_owner = @owner, lease_expires_at = @expiresAt, updated_seq = @seq
    WHERE study = @study AND number = @number`,
  finish: `UPDATE trials SET state = @state, value = @value, attributes = @attributes, error = @error, lease_owner = NULL,
    lease_expires_at = NULL, finished_at = @finishedAt, updated_seq = @seq WHERE study = @study AND number = @number`,
  changedSince: 'SELECT * FROM trials WHERE study = ? AND updated_seq > ? ORDER BY updated_seq',
} as const;

/** Statements that return a single value instead of a row. */
const PLUCKED: ReadonlySet<string> = new Set(['nextNumber', 'nextSeq']);

/** The store's prepared statements, by name. */
export type Statements = { readonly [K in keyof typeof SQL]: Statement };

/** Compiles the store's statements once per connection. */
export const prepareStatements = (db: Database): Statements =>
  Object.fromEntries(
    Object.entries(SQL).map(([name, sql]) => {
      const statement = db.prepare(sql);
      return [name, PLUCKED.has(name) ? statement.pluck() : statement];
    }),
  ) as Statements;
