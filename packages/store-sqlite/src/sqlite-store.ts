import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import {
  addedTrial,
  type CreateTrialOptions,
  checkSameStudy,
  type Direction,
  type EnqueuedParams,
  type FinishedTrial,
  type Lease,
  type NewFinishedTrial,
  type ParamAssignment,
  ParzenError,
  type RunningTrial,
  runningTrial,
  type StudyRecord,
  type StudySpec,
  studyNotFound,
  type Trial,
  type TrialOutcome,
  type TrialStore,
  trialAlreadyFinished,
  trialNotFound,
} from '@parzen/engine/plugin';
import type BetterSqlite3 from 'better-sqlite3';

// better-sqlite3 is a native module: loaded on the first open, so importing this package (the CLI does,
// to list its plugins) costs nothing until a SQLite store is used.
const require = createRequire(import.meta.url);
let loaded: typeof BetterSqlite3 | undefined;
const database = (): typeof BetterSqlite3 => {
  loaded ??= require('better-sqlite3') as typeof BetterSqlite3;
  return loaded;
};

import { retryBusy, retryBusySync } from './busy-retry.js';
import { checkSchema, MIGRATIONS, migrate } from './schema.js';
import { storeError } from './sqlite-errors.js';
import { prepareStatements, type Statements } from './statements.js';

import { outcomeColumns, rowToTrial, type TrialRow } from './trial-rows.js';

/**
 * When SQLite flushes to disk (the WAL is always used):
 * - `'finish'` (default): commits that finish a trial or create a study run with `synchronous = FULL`
 *   (the WAL is fsynced, with every change before it); other commits with `NORMAL`.
 * - `'always'`: every commit is fsynced. `'never'`: `NORMAL` throughout; survives process crashes, a
 *   power loss may undo the last commits (the database stays consistent).
 */
export type FsyncPolicy = 'finish' | 'always' | 'never';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file; created with its folder if missing. `-wal` and `-shm` files appear beside it. */
  readonly path: string;
  /** How long a write waits for other processes' transactions before failing. Default 30 s. */
  readonly busyTimeoutMs?: number;
  readonly fsync?: FsyncPolicy;
  /**
   * Inspection only: open an existing database read-only (nothing created or migrated); a missing file is
   * `STUDY_NOT_FOUND`. A database in a folder this process cannot write is read from a temporary copy
   * (SQLite's WAL needs a writable `-shm` file beside the database).
   */
  readonly readOnly?: boolean;
}

/** A {@link TrialStore} over a SQLite database, with every optional method and the file's path. */
export interface SqliteStore extends TrialStore {
  readonly path: string;
  reportIntermediate: NonNullable<TrialStore['reportIntermediate']>;
  enqueue: NonNullable<TrialStore['enqueue']>;
  addTrials: NonNullable<TrialStore['addTrials']>;
}

interface StudyRow {
  readonly name: string;
  readonly direction: Direction;
  readonly seed: number;
  readonly space: string;
  readonly created_at: string;
}

/** What this connection has read of a study's trials: snapshots by number, and the last change seen. */
interface TrialCache {
  readonly trials: Trial[];
  seq: number;
}

const openDatabase = (path: string, busyTimeoutMs: number, fsync: FsyncPolicy): BetterSqlite3.Database => {
  mkdirSync(dirname(path), { recursive: true });
  const Database = database();
  const db = new Database(path, { timeout: busyTimeoutMs });
  try {
    retryBusySync(() => {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${fsync === 'always' ? 'FULL' : 'NORMAL'}`);
      db.pragma('foreign_keys = ON');
      migrate(db, path);
    }, busyTimeoutMs);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};

const UNWRITABLE_FOLDER = new Set(['SQLITE_READONLY_DIRECTORY', 'SQLITE_CANTOPEN', 'SQLITE_READONLY_CANTINIT']);

/**
 * Opens an existing database for reading; `copyDir` is set when it had to be copied to be read: its folder
 * is not writable (SQLite's WAL needs a `-shm` file beside it), or its schema is older than this code's
 * (the copy is migrated; the database itself is left as it is).
 */
const openReadOnly = (path: string, busyTimeoutMs: number): { db: BetterSqlite3.Database; copyDir?: string } => {
  if (!existsSync(path))
    throw new ParzenError('STUDY_NOT_FOUND', `No study at ${path}: the database file does not exist.`);
  const open = (file: string) => {
    const Database = database();
    const db = new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
    try {
      db.prepare('SELECT COUNT(*) FROM sqlite_master').get(); // fails here when the folder is not writable
      return { db, current: checkSchema(db, path) === MIGRATIONS.at(-1)?.version };
    } catch (error) {
      db.close();
      throw error;
    }
  };
  try {
    const opened = open(path);
    if (opened.current) return { db: opened.db };
    opened.db.close();
  } catch (error) {
    if (!UNWRITABLE_FOLDER.has((error as { code?: string }).code ?? '')) throw error;
  }
  const copyDir = mkdtempSync(join(tmpdir(), 'parzen-sqlite-read-'));
  const copy = join(copyDir, basename(path));
  try {
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
    openDatabase(copy, busyTimeoutMs, 'never').close(); // brings the copy to the latest schema
    return { db: open(copy).db, copyDir };
  } catch (error) {
    rmSync(copyDir, { recursive: true, force: true });
    throw error;
  }
};

class SqliteTrialStore implements SqliteStore {
  readonly name = 'sqlite';
  private readonly db: BetterSqlite3.Database;
  private readonly sql: Statements;
  private readonly busyTimeoutMs: number;
  private readonly fsync: FsyncPolicy;
  private readonly studies = new Map<string, StudyRecord>();
  private readonly caches = new Map<string, TrialCache>();
  private readonly copyDir: string | undefined;

  constructor(
    readonly path: string,
    options: SqliteStoreOptions,
  ) {
    this.busyTimeoutMs = options.busyTimeoutMs ?? 30_000;
    this.fsync = options.fsync ?? 'finish';
    try {
      if (options.readOnly === true) {
        const opened = openReadOnly(path, this.busyTimeoutMs);
        this.db = opened.db;
        this.copyDir = opened.copyDir;
      } else this.db = openDatabase(path, this.busyTimeoutMs, this.fsync);
      this.sql = prepareStatements(this.db);
    } catch (error) {
      throw storeError(path, error, 'opening it');
    }
  }

  async openStudy(spec: StudySpec): Promise<{ readonly study: StudyRecord; readonly resumed: boolean }> {
    return this.write('opening the study', true, () => {
      const existing = this.findStudy(spec.name);
      if (existing !== undefined) {
        checkSameStudy(existing, spec);
        return { study: existing, resumed: true };
      }
      const study: StudyRecord = Object.freeze({ ...spec, createdAt: new Date().toISOString() });
      this.sql.insertStudy.run({ ...study, space: JSON.stringify(spec.space) });
      return { study, resumed: false };
    });
  }

  async getStudy(name: string): Promise<StudyRecord> {
    return this.read('reading the study', () => this.requireStudy(name));
  }

  async createTrial(study: string, options: CreateTrialOptions = {}): Promise<RunningTrial | undefined> {
    return this.write('creating a trial', false, () => {
      this.requireStudy(study);
      const number = this.sql.nextNumber.get(study) as number;
      if (options.limit !== undefined && number >= options.limit) return undefined;
      const { lease } = options;
      const startedAt = new Date().toISOString();
      const seq = this.sql.nextSeq.get(study);
      const entry = this.sql.oldestWaiting.get(study) as { seq: number; params: string } | undefined;
      if (entry !== undefined) this.sql.takeEntry.run({ study, seq: entry.seq, number });
      const params = entry?.params ?? '{}';
      this.sql.insertTrial.run({
        study,
        number,
        params,
        owner: lease?.owner ?? null,
        expiresAt: lease?.expiresAt ?? null,
        startedAt,
        seq,
      });
      return Object.freeze(
        runningTrial({ study, number, params: Object.freeze(JSON.parse(params)), startedAt, lease }),
      );
    });
  }

  async setParams(study: string, number: number, params: ParamAssignment): Promise<void> {
    await this.write('setting params', false, () => {
      this.runningRow(study, number);
      this.sql.setParams.run({ study, number, params: JSON.stringify(params), seq: this.sql.nextSeq.get(study) });
    });
  }

  async renewLease(study: string, number: number, lease: Lease): Promise<void> {
    await this.write('renewing a lease', false, () => {
      this.runningRow(study, number);
      this.sql.setLease.run({ study, number, ...lease, seq: this.sql.nextSeq.get(study) });
    });
  }

  async finishTrial(study: string, number: number, outcome: TrialOutcome): Promise<FinishedTrial> {
    return this.write('finishing a trial', true, () => {
      const row = this.runningRow(study, number);
      const columns = outcomeColumns(outcome);
      const finishedAt = new Date().toISOString();
      const seq = this.sql.nextSeq.get(study) as number;
      this.sql.finish.run({ study, number, ...columns, finishedAt, seq });
      const finished: TrialRow = {
        ...row,
        ...columns,
        intermediate: this.sql.intermediateOf.get(study, number) as string,
        lease_owner: null,
        lease_expires_at: null,
        finished_at: finishedAt,
        updated_seq: seq,
      };
      return rowToTrial(finished) as FinishedTrial;
    });
  }

  async reportIntermediate(study: string, number: number, step: number, value: number): Promise<void> {
    await this.write('reporting an intermediate value', true, () => {
      this.runningRow(study, number);
      const { changes } = this.sql.insertIntermediate.run({ study, number, step, value });
      // A new value changes the trial: the next updated_seq makes readers fetch it again.
      if (changes > 0) this.sql.touch.run({ study, number, seq: this.sql.nextSeq.get(study) });
    });
  }

  async enqueue(study: string, entries: readonly EnqueuedParams[]): Promise<number> {
    return this.write('enqueueing params', true, () => {
      this.requireStudy(study);
      let seq = this.sql.nextEntry.get(study) as number;
      let queued = 0;
      for (const { params, key } of entries) {
        const { changes } = this.sql.insertEntry.run({ study, seq, key: key ?? null, params: JSON.stringify(params) });
        seq += changes;
        queued += changes;
      }
      return queued;
    });
  }

  async addTrials(study: string, added: readonly NewFinishedTrial[]): Promise<readonly FinishedTrial[]> {
    return this.write('adding trials', true, () => {
      this.requireStudy(study);
      const first = this.sql.nextNumber.get(study) as number;
      const seq = this.sql.nextSeq.get(study) as number;
      const now = new Date().toISOString();
      for (const [index, entry] of added.entries()) {
        const number = first + index;
        const { startedAt, finishedAt } = addedTrial(study, number, entry, now);
        const params = JSON.stringify(entry.params);
        const row = { study, number, params, ...outcomeColumns(entry.outcome), startedAt, finishedAt };
        this.sql.insertFinished.run({ ...row, seq: seq + index });
        for (const { step, value } of entry.intermediate ?? [])
          this.sql.insertIntermediate.run({ study, number, step, value });
      }
      return (this.sql.trialsFrom.all(study, first) as TrialRow[]).map((row) => rowToTrial(row) as FinishedTrial);
    });
  }

  /** Fetches only the rows changed since this connection last looked (by `updated_seq`). */
  async listTrials(study: string): Promise<readonly Trial[]> {
    return this.read('listing trials', () => {
      let cache = this.caches.get(study);
      if (cache === undefined) {
        this.requireStudy(study);
        cache = { trials: [], seq: 0 };
        this.caches.set(study, cache);
      }
      for (const row of this.sql.changedSince.iterate(study, cache.seq) as IterableIterator<TrialRow>) {
        cache.trials[row.number] = rowToTrial(row);
        cache.seq = row.updated_seq;
      }
      return [...cache.trials];
    });
  }

  async listStudies(): Promise<readonly StudyRecord[]> {
    return this.read('listing studies', () =>
      (this.sql.studies.all() as StudyRow[]).map((row) => this.findStudy(row.name) as StudyRecord),
    );
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
    if (this.copyDir !== undefined) rmSync(this.copyDir, { recursive: true, force: true });
  }

  private findStudy(name: string): StudyRecord | undefined {
    const cached = this.studies.get(name);
    if (cached !== undefined) return cached;
    const row = this.sql.study.get(name) as StudyRow | undefined;
    if (row === undefined) return undefined;
    const { created_at: createdAt, space, ...rest } = row;
    const record: StudyRecord = Object.freeze({ ...rest, space: JSON.parse(space), createdAt });
    this.studies.set(name, record);
    return record;
  }

  private requireStudy(name: string): StudyRecord {
    const found = this.findStudy(name);
    if (found === undefined) throw studyNotFound(name);
    return found;
  }

  private runningRow(study: string, number: number): TrialRow {
    const row = this.sql.trial.get(study, number) as TrialRow | undefined;
    if (row === undefined) {
      this.requireStudy(study);
      throw trialNotFound(study, number);
    }
    if (row.state !== 'running') throw trialAlreadyFinished(study, number);
    return row;
  }

  private async read<T>(doing: string, task: () => T): Promise<T> {
    try {
      return await retryBusy(task, this.busyTimeoutMs);
    } catch (error) {
      throw storeError(this.path, error, doing);
    }
  }

  /** Runs `task` in a `BEGIN IMMEDIATE` transaction (the write lock first: no deadlocks between readers). */
  private async write<T>(doing: string, durable: boolean, task: () => T): Promise<T> {
    const flush = durable && this.fsync === 'finish';
    return this.read(doing, () => {
      if (flush) this.sql.syncFull.run();
      this.sql.begin.run();
      try {
        const result = task();
        this.sql.commit.run();
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.sql.rollback.run();
        throw error;
      } finally {
        if (flush) this.sql.syncNormal.run();
      }
    });
  }
}

/**
 * A store in a SQLite database (WAL mode), shared safely by many processes on one machine.
 *
 * @remarks
 * - Trial numbers are allocated in a `BEGIN IMMEDIATE` transaction that also checks `limit`, so two
 *   processes never share a number and `maxTrials` holds across processes.
 * - Every write takes the write lock first and waits up to `busyTimeoutMs` for it (plus a retry loop for
 *   the `SQLITE_BUSY` cases SQLite's busy handler does not cover), so parallel workers do not see
 *   "database is locked".
 * - `listTrials` reads only rows changed since the last call (a per-study `updated_seq`).
 * - Network file systems: SQLite's WAL needs shared memory between processes on one host; do not put the
 *   database on NFS or SMB.
 *
 * @throws `ParzenError` `STORE_CORRUPT` when the file is not a SQLite database, `STORE_FAILED` when
 * its schema is newer than this version knows.
 * @example
 * ```ts
 * const store = createSqliteStore({ path: 'heart.parzen.db' });
 * ```
 */
export const createSqliteStore = (options: SqliteStoreOptions): SqliteStore =>
  new SqliteTrialStore(options.path, options);
