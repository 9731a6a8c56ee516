import type { Database, Statement } from 'better-sqlite3';

/** A trial's intermediate values as a JSON array of `[step, value]`, `[]` when none (`t` is the trial). */
const INTERMEDIATE = `(SELECT json_group_array(json_array(i.step, i.value) ORDER BY i.step) FROM intermediate i
  WHERE i.study = t.study AND i.number = t.number)`;

const SQL = {
  begin: 'BEGIN IMMEDIATE',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  syncFull: 'PRAGMA synchronous = FULL',
  syncNormal: 'PRAGMA synchronous = NORMAL',
  study: 'SELECT name, direction, seed, space, suggester, created_at FROM studies WHERE name = ?',
  studies: 'SELECT name FROM studies ORDER BY created_at, name',
  insertStudy:
    'INSERT INTO studies (name, direction, seed, space, suggester, created_at) VALUES (@name, @direction, @seed, @space, @suggester, @createdAt)',
  // Both seek the primary key or trials_by_update: constant cost, whatever the number of trials.
  nextNumber: 'SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study = ?',
  nextSeq: 'SELECT COALESCE(MAX(updated_seq) + 1, 1) FROM trials WHERE study = ?',
  // A whole listing's check: the study's entries in trials_by_update, counted without reading the table (the listing
  // reads each row through that index, so a damaged table page shows as rows this count has and the listing lacks).
  indexedCount: 'SELECT COUNT(*) FROM trials INDEXED BY trials_by_update WHERE study = ?',
  insertTrial: `INSERT INTO trials (study, number, state, params, lease_owner, lease_expires_at, started_at, updated_seq)
    VALUES (@study, @number, 'running', @params, @owner, @expiresAt, @startedAt, @seq)`,
  insertFinished: `INSERT INTO trials (study, number, state, params, loss, attrs, error, started_at, finished_at, updated_seq)
    VALUES (@study, @number, @state, @params, @loss, @attrs, @error, @startedAt, @finishedAt, @seq)`,
  // A step already reported keeps its first value.
  insertIntermediate:
    'INSERT OR IGNORE INTO intermediate (study, number, step, value) VALUES (@study, @number, @step, @value)',
  touch: 'UPDATE trials SET updated_seq = @seq WHERE study = @study AND number = @number',
  nextEntry: 'SELECT COALESCE(MAX(seq) + 1, 0) FROM enqueued WHERE study = ?',
  insertEntry: 'INSERT OR IGNORE INTO enqueued (study, seq, key, params) VALUES (@study, @seq, @key, @params)',
  // An added trial's key: the entry of that key still waiting is taken by the trial, or else one queued and
  // taken at once (a study moved from another store).
  takeKeyedEntry: 'UPDATE enqueued SET taken_by = @number WHERE study = @study AND key = @key AND taken_by IS NULL',
  insertTakenEntry:
    'INSERT OR IGNORE INTO enqueued (study, seq, key, params, taken_by) VALUES (@study, @seq, @key, @params, @number)',
  // INDEXED BY: without statistics the planner would walk the primary key past every taken entry.
  waitingEntries: 'SELECT seq, key, params FROM enqueued WHERE study = ? AND taken_by IS NULL ORDER BY seq',
  // A removed entry has taken_by -1, no trial's number: never handed out, its key still known, and read as taken
  // by a Parzen from before removal (so it hands the entry out no more than this one does).
  takenEntries: 'SELECT taken_by, key, params FROM enqueued WHERE study = ? AND taken_by >= 0 ORDER BY taken_by',
  removeEntry: 'UPDATE enqueued SET taken_by = -1 WHERE study = @study AND seq = @seq AND taken_by IS NULL',
  removedEntries: 'SELECT key, params FROM enqueued WHERE study = ? AND taken_by = -1 ORDER BY seq',
  oldestWaiting:
    'SELECT seq, params FROM enqueued INDEXED BY enqueued_waiting WHERE study = ? AND taken_by IS NULL ORDER BY seq LIMIT 1',
  takeEntry: 'UPDATE enqueued SET taken_by = @number WHERE study = @study AND seq = @seq',
  // finishTrial of a trial that ended unrun (interrupted, its worker dead): the entry it took waits again.
  giveBackEntry: 'UPDATE enqueued SET taken_by = NULL WHERE study = @study AND taken_by = @number',
  trial: 'SELECT * FROM trials WHERE study = ? AND number = ?',
  setParams: 'UPDATE trials SET params = @params, updated_seq = @seq WHERE study = @study AND number = @number',
  setLease: `UPDATE trials SET lease_owner = @owner, lease_expires_at = @expiresAt, updated_seq = @seq
    WHERE study = @study AND number = @number`,
  finish: `UPDATE trials SET state = @state, loss = @loss, attrs = @attrs, error = @error, lease_owner = NULL,
    lease_expires_at = NULL, finished_at = @finishedAt, updated_seq = @seq WHERE study = @study AND number = @number`,
  // Each changed trial with its intermediate values.
  changedSince: `SELECT t.*, ${INTERMEDIATE} AS intermediate FROM trials t WHERE t.study = ? AND t.updated_seq > ?
    ORDER BY t.updated_seq`,
  trialsFrom: `SELECT t.*, ${INTERMEDIATE} AS intermediate FROM trials t WHERE t.study = ? AND t.number >= ?
    ORDER BY t.number`,
  // A salvage reads each trial on its own, through the primary key (a damaged page loses only the trials on it).
  salvageTrial: `SELECT t.*, ${INTERMEDIATE} AS intermediate FROM trials t WHERE t.study = ? AND t.number = ?`,
  salvageLast: 'SELECT MAX(number) FROM trials INDEXED BY trials_by_update WHERE study = ?',
  intermediateOf: `SELECT ${INTERMEDIATE} FROM trials t WHERE t.study = ? AND t.number = ?`,
  // deleteStudy, in its write transaction: the study's trials by state, its running trials, then every row of it
  // (children first: the foreign keys are on).
  countByState: 'SELECT state, COUNT(*) AS n FROM trials WHERE study = ? GROUP BY state',
  runningTrials: `SELECT t.*, ${INTERMEDIATE} AS intermediate FROM trials t WHERE t.study = ? AND t.state = 'running'
    ORDER BY t.number`,
  // Its enqueued entries, waiting, taken or removed (`onlyEmpty` keeps a study that has one).
  countEntries: 'SELECT COUNT(*) AS n FROM enqueued WHERE study = ?',
  deleteIntermediate: 'DELETE FROM intermediate WHERE study = ?',
  deleteEntries: 'DELETE FROM enqueued WHERE study = ?',
  deleteTrials: 'DELETE FROM trials WHERE study = ?',
  deleteStudy: 'DELETE FROM studies WHERE name = ?',
  // What an import's repeat check compares (no intermediate values): the study's finished trials.
  finishedCompared:
    "SELECT state, params, loss, error, started_at, finished_at FROM trials WHERE study = ? AND state <> 'running'",
} as const;

/** The store's SQL by statement name, for the query plan checks in the tests. */
export const STATEMENTS: Readonly<Record<keyof typeof SQL, string>> = SQL;

/** Statements that return a single value instead of a row. */
const PLUCKED: ReadonlySet<string> = new Set([
  'nextNumber',
  'nextSeq',
  'indexedCount',
  'salvageLast',
  'nextEntry',
  'intermediateOf',
]);

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
