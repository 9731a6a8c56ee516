import { randomUUID } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type AddTrialsOptions,
  addedTrial,
  assertOptions,
  type Clock,
  type ComparedTrial,
  type CreateTrialOptions,
  checkSameStudy,
  countByState,
  type Direction,
  deletionGoesOn,
  type EnqueuedParams,
  type EnqueuedRemoval,
  type EnqueuedSelector,
  endedUnrun,
  type FinishedTrial,
  fromKeptSuggester,
  invalidConfig,
  keptStudy,
  keptSuggester,
  type Lease,
  type NewFinishedTrial,
  type ParamAssignment,
  ParzenError,
  pickWaiting,
  type RunningTrial,
  runningTrial,
  type Stopping,
  type StudyDeletion,
  type StudyDeletionOptions,
  type StudyRecord,
  type StudySpec,
  salvagedTrial,
  stopSignal,
  storeClosed,
  storeUpgradeNote,
  studyDeleted,
  studyDeletion,
  studyNotFound,
  systemClock,
  type TakenEntry,
  type Trial,
  type TrialChanges,
  type TrialOutcome,
  type TrialStore,
  trialAlreadyFinished,
  trialNotFound,
  trialsToAdd,
  warnOnStderr,
} from '@parzen/engine/plugin';
import type BetterSqlite3 from 'better-sqlite3';

import { retryBusy } from './busy-retry.js';
import { damagedListing, listingGap, numberRanges } from './listing-check.js';
import { type FsyncPolicy, openDatabase, openReadOnly, tidyAfterRead } from './open-database.js';
import { SQLITE_OPTIONS_SCHEMA } from './options-schema.js';
import { storeError } from './sqlite-errors.js';
import { prepareStatements, type Statements } from './statements.js';

import { outcomeColumns, rowToTrial, type TrialRow } from './trial-rows.js';

export type { FsyncPolicy } from './open-database.js';

/**
 * Options of {@link createSqliteStore}. A config's `sqlite` store takes `path`, `busyTimeoutMs` and `fsync` of them
 * (the config reference's Stores section); the others are for code only.
 */
export interface SqliteStoreOptions {
  /** The database file; created with its folder if missing. `-wal` and `-shm` files appear beside it. */
  readonly path: string;
  /** How long a write waits for other processes' transactions before failing. Default 30 s. */
  readonly busyTimeoutMs?: number;
  /**
   * When SQLite flushes to disk (the WAL is always used). `'finish'` (default): commits that finish a trial or
   * create a study run with `synchronous = FULL` (the WAL is fsynced, with every change before it), other commits
   * with `NORMAL`. `'always'`: every commit is fsynced. `'never'`: `NORMAL` throughout; survives process crashes, a
   * power loss may undo the last commits (the database stays consistent).
   */
  readonly fsync?: FsyncPolicy;
  /**
   * Inspection only: open an existing database read-only (nothing created or migrated); a missing file is
   * `STUDY_NOT_FOUND`. A database in a folder this process cannot write is read from a temporary copy
   * (SQLite's WAL needs a writable `-shm` file beside the database).
   */
  readonly readOnly?: boolean;
  /**
   * With `readOnly`: read a damaged database anyway. Each trial is read on its own, through the table; one that
   * cannot be read (its page damaged, its JSON broken) is kept in its place as a failed `STORE_SALVAGED` trial with no
   * params (`salvagedTrial`, as a JSONL salvage keeps lost trials), and a warning names them, so that the others can
   * be listed and exported (`parzen export --salvage`, which leaves the salvaged ones out). Refused without
   * `readOnly`: nothing is written to such a file.
   */
  readonly salvage?: boolean;
  /**
   * The run's stop signals (the `stopping` service): a wait for another process's write gives up at the
   * first Ctrl-C (`INTERRUPTED`), except for writes that save a result (finishing a trial, reporting a
   * value, adding trials), which give up only at the second.
   */
  readonly stopping?: Stopping;
  /** Stamps studies' and trials' times (the study's `clock` service from a config). Default: the system's. */
  readonly clock?: Clock;
  /**
   * Where a write that saves a result and still waits after `busyTimeoutMs` says so (each `busyTimeoutMs`).
   * Default: a `parzen: warning:` line on stderr.
   */
  readonly onWarning?: (message: string) => void;
}

/** A file's device and inode, or undefined when nothing is there (or it cannot be looked at). */
const fileIdentity = (path: string): { readonly dev: number; readonly ino: number } | undefined => {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats === undefined ? undefined : { dev: stats.dev, ino: stats.ino };
  } catch {
    return undefined;
  }
};

/** A {@link TrialStore} over a SQLite database, with every optional method and the file's path. */
export interface SqliteStore extends TrialStore {
  /** The database file's path, as {@link SqliteStoreOptions.path} gave it. */
  readonly path: string;
  reportIntermediate: NonNullable<TrialStore['reportIntermediate']>;
  enqueue: NonNullable<TrialStore['enqueue']>;
  removeEnqueued: NonNullable<TrialStore['removeEnqueued']>;
  deleteStudy: NonNullable<TrialStore['deleteStudy']>;
  listRemovedEntries: NonNullable<TrialStore['listRemovedEntries']>;
  listTakenEntries: NonNullable<TrialStore['listTakenEntries']>;
  addTrials: NonNullable<TrialStore['addTrials']>;
}

interface StudyRow {
  readonly name: string;
  readonly direction: Direction;
  readonly seed: number;
  readonly space: string;
  readonly suggester: string | null;
  readonly created_at: string;
}

/** A study as read, with what tells it apart from another of its name (see `seen`). */
interface FoundStudy {
  readonly record: StudyRecord;
  readonly uid: string;
  /** The row's suggester JSON, as read. */
  readonly suggester: string | null;
}

/** The uid of a study whose row keeps none: its creation time. */
const createdUid = (createdAt: string): string => `created ${createdAt}`;

/** What this connection has read of a study's trials: snapshots by number, and the last change seen. */
interface TrialCache {
  readonly trials: Trial[];
  /** How many of `trials` are set (a listing with holes has fewer than its length). */
  count: number;
  seq: number;
}

/** The columns of a finished trial an import's repeat check compares. */
interface ComparedRow {
  readonly state: string;
  readonly params: string;
  readonly loss: number | null;
  readonly error: string | null;
  readonly started_at: string;
  readonly finished_at: string | null;
}

/** A finished trial as the repeat check reads it (params, state, loss, error, times). */
const comparedTrial = (row: ComparedRow): ComparedTrial => ({
  state: row.state,
  internal: JSON.parse(row.params),
  ...(row.loss === null ? {} : { loss: row.loss }),
  ...(row.error === null ? {} : { error: JSON.parse(row.error) }),
  startedAt: row.started_at,
  ...(row.finished_at === null ? {} : { finishedAt: row.finished_at }),
});

/** How many studies' listings a store keeps (see `listTrials`). */
const LISTINGS_KEPT = 32;

class SqliteTrialStore implements SqliteStore {
  readonly name = 'sqlite';
  readonly onlyEnqueued = true;
  readonly skipRepeats = true;
  readonly deletesOnlyEmpty = true;
  private readonly db: BetterSqlite3.Database;
  private readonly sql: Statements;
  private readonly busyTimeoutMs: number;
  private readonly onWarning: (message: string) => void;
  private readonly stopping: Stopping | undefined;
  private readonly fsync: FsyncPolicy;
  private readonly studies = new Map<string, FoundStudy>();
  /**
   * The uid of the study this store first saw under each name (opened, read or written): when the database's study
   * of that name is no longer that one (deleted, perhaps created anew by another process), a call naming it is
   * refused (`studyDeleted`) until `openStudy` takes the study as it is now. A random uid, not the creation time:
   * a study deleted and created anew within one millisecond has the same creation time. The uid is kept inside the
   * suggester's JSON (`studyUid`, as the Parzen version): no column, so no schema step. A study without one (created
   * by an older Parzen, or with no suggester) is told apart by its creation time.
   */
  private readonly seen = new Map<string, string>();
  private readonly caches = new Map<string, TrialCache>();
  private readonly copyDir: string | undefined;
  /** A read-only store whose open made the `-wal` and `-shm` files: they are removed at close (tidyAfterRead). */
  private readonly madeSideFiles: boolean = false;
  private readonly clock: Clock;
  private readonly salvage: boolean;

  constructor(
    readonly path: string,
    options: SqliteStoreOptions,
  ) {
    this.absolute = resolve(path);
    this.busyTimeoutMs = options.busyTimeoutMs ?? 30_000;
    this.onWarning = options.onWarning ?? warnOnStderr;
    this.stopping = options.stopping;
    this.clock = options.clock ?? systemClock;
    this.fsync = options.fsync ?? 'finish';
    this.salvage = options.salvage === true;
    try {
      if (options.readOnly === true) {
        const opened = openReadOnly(path, this.busyTimeoutMs);
        this.db = opened.db;
        this.copyDir = opened.copyDir;
        this.madeSideFiles = opened.madeSideFiles === true;
      } else
        this.db = openDatabase(
          path,
          this.busyTimeoutMs,
          this.fsync,
          (from, to) => this.onWarning(storeUpgradeNote(`SQLite store \`${this.absolute}\``, from, to)),
          (waitedMs) =>
            this.onWarning(
              this.slowWaitNote('opening the database', waitedMs).replace(
                'or press Ctrl-C to stop.',
                'or press Ctrl-C: this wait blocks, so it is heard once the wait ends.',
              ),
            ),
        );
      this.sql = prepareStatements(this.db);
    } catch (error) {
      throw storeError(path, error, 'opening it');
    }
    if (options.readOnly !== true) this.opened = fileIdentity(this.absolute);
  }

  /** The database file's path, resolved once (a later `process.chdir` does not move it). */
  private readonly absolute: string;
  /** The file the database was opened as (device and inode), to notice it deleted or replaced. */
  private readonly opened: { readonly dev: number; readonly ino: number } | undefined;

  /**
   * Refuses to write once the path no longer names the database this store opened (review 57: a database
   * deleted under a run took every later trial with it, "20 complete", exit 0, as a JSONL journal did).
   */
  private checkStillAtPath(): void {
    if (this.opened === undefined) return;
    const now = fileIdentity(this.absolute);
    if (now !== undefined && now.dev === this.opened.dev && now.ino === this.opened.ino) return;
    throw new ParzenError(
      'STORE_FAILED',
      `SQLite store \`${this.path}\`: the database file was ${now === undefined ? 'deleted or moved' : 'replaced by another file'} while this store had it open: ` +
        'what it records now would be lost. Nothing more is written; if it was moved, move it back (with its -wal file) and run again.',
    );
  }

  async openStudy(spec: StudySpec): Promise<{ readonly study: StudyRecord; readonly resumed: boolean }> {
    return this.write('opening the study', true, () => {
      const existing = this.findStudy(spec.name);
      if (existing !== undefined) {
        checkSameStudy(existing.record, spec);
        this.know(spec.name, existing.uid);
        return { study: existing.record, resumed: true };
      }
      const study: StudyRecord = Object.freeze(keptStudy(spec, this.clock.now().toISOString()));
      // The Parzen version that creates the study and its uid are kept inside the suggester's JSON: no columns of
      // their own (an older Parzen reads past them).
      const kept = keptSuggester(spec);
      const studyUid = randomUUID();
      const suggester = kept === undefined ? null : JSON.stringify({ ...kept, studyUid });
      this.sql.insertStudy.run({ ...study, space: JSON.stringify(spec.space), suggester });
      this.know(spec.name, kept === undefined ? createdUid(study.createdAt) : studyUid);
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
      const entry = this.sql.oldestWaiting.get(study) as { seq: number; params: string } | undefined;
      if (entry === undefined && options.onlyEnqueued === true) return undefined;
      const { lease } = options;
      const startedAt = this.clock.now().toISOString();
      const seq = this.sql.nextSeq.get(study);
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
        runningTrial({ study, number, internal: Object.freeze(JSON.parse(params)), startedAt, lease }),
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
    return this.write(
      'finishing a trial',
      true,
      () => {
        const row = this.runningRow(study, number);
        const columns = outcomeColumns(outcome);
        const finishedAt = this.clock.now().toISOString();
        const seq = this.sql.nextSeq.get(study) as number;
        this.sql.finish.run({ study, number, ...columns, finishedAt, seq });
        if (endedUnrun(outcome)) this.sql.giveBackEntry.run({ study, number });
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
      },
      true,
    );
  }

  async reportIntermediate(study: string, number: number, step: number, value: number): Promise<void> {
    await this.write(
      'reporting an intermediate value',
      true,
      () => {
        this.runningRow(study, number);
        const { changes } = this.sql.insertIntermediate.run({ study, number, step, value });
        // A new value changes the trial: the next updated_seq makes readers fetch it again.
        if (changes > 0) this.sql.touch.run({ study, number, seq: this.sql.nextSeq.get(study) });
      },
      true,
    );
  }

  async enqueue(study: string, entries: readonly EnqueuedParams[]): Promise<number> {
    return this.write('enqueueing params', true, () => {
      this.requireStudy(study);
      let seq = this.sql.nextEntry.get(study) as number;
      let queued = 0;
      for (const { internal: params, key } of entries) {
        const { changes } = this.sql.insertEntry.run({ study, seq, key: key ?? null, params: JSON.stringify(params) });
        seq += changes;
        queued += changes;
      }
      return queued;
    });
  }

  async addTrials(
    study: string,
    given: readonly NewFinishedTrial[],
    options?: AddTrialsOptions,
  ): Promise<readonly FinishedTrial[]> {
    return this.write(
      'adding trials',
      true,
      () => {
        this.requireStudy(study);
        // In the write transaction: two imports of one file add it once, and two that share trials each shared trial
        // once. The compared columns only, so the write lock is held briefly (the intermediate values of a large
        // study are not read).
        const added =
          (options?.refuseRepeats === true || options?.skipRepeats === true) && given.length > 0
            ? trialsToAdd(
                study,
                (this.sql.finishedCompared.all(study) as ComparedRow[]).map(comparedTrial),
                given,
                options,
              )
            : given;
        if (added.length === 0) return [];
        const first = this.sql.nextNumber.get(study) as number;
        const seq = this.sql.nextSeq.get(study) as number;
        const now = this.clock.now().toISOString();
        let entrySeq = this.sql.nextEntry.get(study) as number;
        for (const [index, entry] of added.entries()) {
          const number = first + index;
          const { startedAt, finishedAt } = addedTrial(study, number, entry, now);
          const params = JSON.stringify(entry.internal);
          const row = { study, number, params, ...outcomeColumns(entry.outcome), startedAt, finishedAt };
          this.sql.insertFinished.run({ ...row, seq: seq + index });
          if (entry.key !== undefined && this.sql.takeKeyedEntry.run({ study, key: entry.key, number }).changes === 0)
            entrySeq += this.sql.insertTakenEntry.run({
              study,
              seq: entrySeq,
              key: entry.key,
              params: entry.entry === undefined ? params : JSON.stringify(entry.entry),
              number,
            }).changes;
          for (const { step, value } of entry.intermediate ?? [])
            this.sql.insertIntermediate.run({ study, number, step, value });
        }
        return (this.sql.trialsFrom.all(study, first) as TrialRow[]).map((row) => rowToTrial(row) as FinishedTrial);
      },
      true,
    );
  }

  /**
   * Fetches only the rows changed since this connection last looked (by `updated_seq`). The listings of the
   * {@link LISTINGS_KEPT} studies listed last are kept; an older one is read whole again when listed (trial 73:
   * a store kept by a service for days held every trial of every study it had listed).
   */
  async listTrials(study: string): Promise<readonly Trial[]> {
    if (this.salvage) return this.salvageListing(study);
    let cache = this.caches.get(study);
    // The most recently listed last: a Map keeps insertion order.
    this.caches.delete(study);
    if (cache === undefined) cache = { trials: [], count: 0, seq: 0 };
    this.caches.set(study, cache);
    for (const oldest of this.caches.keys()) {
      if (this.caches.size <= LISTINGS_KEPT) break;
      this.caches.delete(oldest);
    }
    const changes = await this.readListing(study, cache.seq);
    // A call that read less than one already applied (they overlap) has nothing newer to add.
    if (Number(changes.cursor) > cache.seq) {
      for (const trial of changes.trials) {
        if (cache.trials[trial.number] === undefined) cache.count += 1;
        cache.trials[trial.number] = trial;
      }
      cache.seq = Number(changes.cursor);
      // The listing as it is now must hold every number below the table's next one, read in the same snapshot (a
      // whole read was checked in readListing, against the index too).
      if (cache.count !== changes.nextNumber || cache.trials.length !== changes.nextNumber) {
        this.caches.delete(study);
        const numbers = cache.trials.flatMap((trial) => (trial === undefined ? [] : [trial.number]));
        const gap = listingGap({ numbers, nextNumber: changes.nextNumber }) ?? {
          read: numbers.length,
          total: changes.nextNumber,
          missing: [],
        };
        throw damagedListing(this.path, study, gap, this.quickCheck());
      }
    }
    return [...cache.trials];
  }

  /** The rows changed since `cursor` (an `updated_seq`), without touching the listing cache. */
  async listTrialsSince(study: string, cursor?: string): Promise<TrialChanges> {
    // A salvage reads the whole study once; nothing changes in a database only read.
    if (this.salvage)
      return { trials: cursor === undefined || cursor === '0' ? await this.salvageListing(study) : [], cursor: '1' };
    const { trials, cursor: next } = await this.readListing(study, cursor === undefined ? 0 : Number(cursor));
    return { trials, cursor: next };
  }

  /**
   * The rows changed since `since`, and one past the table's highest trial number, read in one snapshot. A whole
   * listing (`since` 0) is checked at once: a damaged page can make SQLite read fewer rows without an error
   * (`listingGap`), which the engine would take as a smaller study, or as holes among its trials.
   */
  private async readListing(
    study: string,
    since: number,
  ): Promise<{ readonly trials: Trial[]; readonly cursor: string; readonly nextNumber: number }> {
    return this.read('listing trials', () =>
      this.db.transaction(() => {
        this.requireStudy(study);
        let seq = since;
        const trials: Trial[] = [];
        for (const row of this.sql.changedSince.iterate(study, since) as IterableIterator<TrialRow>) {
          trials.push(rowToTrial(row));
          seq = row.updated_seq;
        }
        const nextNumber = this.sql.nextNumber.get(study) as number;
        if (since === 0) {
          const indexed = this.sql.indexedCount.get(study) as number;
          const gap = listingGap({ numbers: trials.map((trial) => trial.number), nextNumber, indexed });
          if (gap !== undefined) throw damagedListing(this.path, study, gap, this.quickCheck());
        }
        return { trials: trials.sort((a, b) => a.number - b.number), cursor: String(seq), nextNumber };
      })(),
    );
  }

  /**
   * The study's trials that can still be read, each on its own through the table's primary key, up to the highest
   * number the table or the index knows; a warning names those left out (see {@link SqliteStoreOptions.salvage}).
   */
  private async salvageListing(study: string): Promise<readonly Trial[]> {
    return this.read('salvaging trials', () => {
      this.requireStudy(study);
      const highest = (statement: BetterSqlite3.Statement, fallback: number): number => {
        try {
          return (statement.get(study) as number | null) ?? fallback;
        } catch {
          return fallback;
        }
      };
      const last = Math.max(highest(this.sql.nextNumber, 0) - 1, highest(this.sql.salvageLast, -1));
      const trials: Trial[] = [];
      const lost: number[] = [];
      for (let number = 0; number <= last; number += 1) {
        try {
          const row = this.sql.salvageTrial.get(study, number) as TrialRow | undefined;
          if (row !== undefined) {
            trials.push(rowToTrial(row));
            continue;
          }
        } catch {
          // Damaged: kept in its place below, as a row not found is.
        }
        lost.push(number);
        trials.push(
          salvagedTrial(study, number, 'Its row could not be read from a damaged database (read with salvage).'),
        );
      }
      if (lost.length > 0)
        this.onWarning(
          `SQLite store \`${this.path}\`: salvage read ${last + 1 - lost.length} of the ${last + 1} trials of study \`${study}\`; ` +
            `trial${lost.length === 1 ? '' : 's'} ${numberRanges(lost)} could not be read (damaged or missing): ${lost.length === 1 ? 'it is' : 'they are'} kept in ${lost.length === 1 ? 'its place' : 'their places'} as ${lost.length === 1 ? 'a failed STORE_SALVAGED trial' : 'failed STORE_SALVAGED trials'} with no params, which \`parzen export --salvage\` leaves out.`,
        );
      return trials;
    });
  }

  /** SQLite's `PRAGMA quick_check` of the database, its first lines (for a listing found short). */
  private quickCheck(): string {
    try {
      // Its lines, without the header that names the schema (`*** in database main ***`).
      return (this.db.pragma('quick_check(3)') as { quick_check: string }[])
        .flatMap((row) => row.quick_check.split('\n'))
        .filter((line) => !line.startsWith('*** in database'))
        .join('; ');
    } catch (error) {
      return `failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  async listEnqueued(study: string): Promise<readonly EnqueuedParams[]> {
    return this.read('listing enqueued params', () => {
      this.requireStudy(study);
      return this.waiting(study).map(({ entry }) => entry);
    });
  }

  async removeEnqueued(study: string, which: readonly EnqueuedSelector[]): Promise<EnqueuedRemoval> {
    return this.write('removing enqueued params', true, () => {
      this.requireStudy(study);
      const waiting = this.waiting(study);
      const { picked, missing } = pickWaiting(
        waiting.map(({ entry }) => entry),
        which,
      );
      if (missing.length > 0) return { removed: [], missing };
      const removed = picked.map((at) => waiting[at] as (typeof waiting)[number]);
      for (const { seq } of removed) this.sql.removeEntry.run({ study, seq });
      return { removed: removed.map(({ entry }) => entry), missing: [] };
    });
  }

  /**
   * Deletes the study's rows (intermediate values, enqueued entries, trials, the study) in one write transaction,
   * after the check of its running trials in that same transaction: no worker starts a trial in between.
   */
  async deleteStudy(study: string, options?: StudyDeletionOptions): Promise<StudyDeletion> {
    return this.write('deleting the study', true, () => {
      const record = this.requireStudy(study);
      const counts = countByState([]);
      for (const { state, n } of this.sql.countByState.all(study) as { state: keyof typeof counts; n: number }[])
        counts[state] = n;
      const running = (this.sql.runningTrials.all(study) as TrialRow[]).map((row) => rowToTrial(row) as RunningTrial);
      const { n: entries } = this.sql.countEntries.get(study) as { n: number };
      const deletion = studyDeletion(record, counts, running, options, entries);
      if (!deletionGoesOn(deletion)) return deletion;
      for (const statement of [
        this.sql.deleteIntermediate,
        this.sql.deleteEntries,
        this.sql.deleteTrials,
        this.sql.deleteStudy,
      ])
        statement.run(study);
      this.seen.delete(study);
      this.studies.delete(study);
      this.caches.delete(study);
      return deletion;
    });
  }

  async listRemovedEntries(study: string): Promise<readonly EnqueuedParams[]> {
    return this.read('listing removed entries', () => {
      this.requireStudy(study);
      return (this.sql.removedEntries.all(study) as { key: string | null; params: string }[]).map(
        ({ key, params }) => ({
          internal: JSON.parse(params),
          ...(key === null ? {} : { key }),
        }),
      );
    });
  }

  /** The study's waiting entries, in the order they are handed out, each with its row's `seq`. */
  private waiting(study: string): { readonly seq: number; readonly entry: EnqueuedParams }[] {
    return (this.sql.waitingEntries.all(study) as { seq: number; key: string | null; params: string }[]).map(
      ({ seq, key, params }) => ({ seq, entry: { internal: JSON.parse(params), ...(key === null ? {} : { key }) } }),
    );
  }

  async listTakenEntries(study: string): Promise<readonly TakenEntry[]> {
    return this.read('listing taken entries', () => {
      this.requireStudy(study);
      return (this.sql.takenEntries.all(study) as { taken_by: number; key: string | null; params: string }[]).map(
        ({ taken_by, key, params }) => ({
          trial: taken_by,
          internal: JSON.parse(params),
          ...(key === null ? {} : { key }),
        }),
      );
    });
  }

  async listStudies(): Promise<readonly StudyRecord[]> {
    return this.read('listing studies', () =>
      (this.sql.studies.all() as StudyRow[]).map((row) => (this.findStudy(row.name) as FoundStudy).record),
    );
  }

  async close(): Promise<void> {
    // What it kept of the studies goes with it (trial 73: a closed store still held them).
    this.caches.clear();
    this.studies.clear();
    if (this.db.open) {
      this.db.close();
      if (this.madeSideFiles) tidyAfterRead(this.path);
    }
    if (this.copyDir !== undefined) rmSync(this.copyDir, { recursive: true, force: true });
  }

  /** The database's study of that name as it is now (a primary key read; the record is parsed once). */
  private findStudy(name: string): FoundStudy | undefined {
    const row = this.sql.study.get(name) as StudyRow | undefined;
    if (row === undefined) return undefined;
    const cached = this.studies.get(name);
    // The same JSON is the same study: its uid is inside (or, without one, the creation time tells).
    if (cached !== undefined && cached.suggester === row.suggester && cached.record.createdAt === row.created_at)
      return cached;
    const { created_at: createdAt, space, suggester, ...rest } = row;
    const { studyUid, ...kept } = suggester === null ? {} : (JSON.parse(suggester) as Record<string, unknown>);
    const record: StudyRecord = Object.freeze({
      ...rest,
      space: JSON.parse(space),
      ...fromKeptSuggester(suggester === null ? null : kept),
      createdAt,
    });
    const uid = typeof studyUid === 'string' ? studyUid : createdUid(createdAt);
    const found = { record, uid, suggester };
    this.studies.set(name, found);
    return found;
  }

  /** The study of that name, when it is the one this store first saw under it (see {@link seen}). */
  private requireStudy(name: string): StudyRecord {
    const found = this.findStudy(name);
    const seen = this.seen.get(name);
    if (seen !== undefined && found?.uid !== seen) throw studyDeleted(name);
    if (found === undefined) throw studyNotFound(name);
    if (seen === undefined) this.seen.set(name, found.uid);
    return found.record;
  }

  /** Takes the study of that uid as the one of that name (`openStudy`), forgetting another one's trials. */
  private know(name: string, uid: string): void {
    if (this.seen.get(name) !== uid) this.caches.delete(name);
    this.seen.set(name, uid);
  }

  private runningRow(study: string, number: number): TrialRow {
    this.requireStudy(study);
    const row = this.sql.trial.get(study, number) as TrialRow | undefined;
    if (row === undefined) throw trialNotFound(study, number);
    if (row.state !== 'running') throw trialAlreadyFinished(study, number);
    return row;
  }

  /** What a wait for another process's transaction that passed 3 s says (`doing`: what waits). */
  private slowWaitNote(doing: string, waitedMs: number): string {
    return (
      `SQLite store \`${this.path}\`: waiting for another process's transaction (${doing}) for ${(waitedMs / 1000).toFixed(1)} s; ` +
      `Parzen gives up after ${Math.round(this.busyTimeoutMs / 1000)} s (busyTimeoutMs). End that transaction (an open sqlite3 shell or database browser?), or press Ctrl-C to stop.`
    );
  }

  /** Runs `task`, retrying while the database is busy; Ctrl-C ends the wait (the second, if it `saves`). */
  private async read<T>(doing: string, task: () => T, saves = false): Promise<T> {
    // Said as such (trial 164: "failed while listing trials: The database connection is not open", STORE_FAILED).
    if (!this.db.open) throw storeClosed(`SQLite store \`${this.path}\``, doing);
    const stopped = () =>
      new ParzenError(
        'INTERRUPTED',
        `Stopped while SQLite store \`${this.path}\` waited for another process (${doing}).`,
      );
    try {
      const onLongWait = (waitedMs: number) =>
        this.onWarning(
          `SQLite store \`${this.path}\`: still waiting after ${waitedMs < 10_000 ? (waitedMs / 1000).toFixed(1) : Math.round(waitedMs / 1000)} s for another process's transaction to save a result (${doing}); ` +
            'end that transaction (an open sqlite3 shell or database browser?), or press Ctrl-C twice to give up the result.',
        );
      const onSlowWait = (waitedMs: number) =>
        saves ? onLongWait(waitedMs) : this.onWarning(this.slowWaitNote(doing, waitedMs));
      return await retryBusy(
        task,
        this.busyTimeoutMs,
        stopSignal(this.stopping, saves),
        stopped,
        saves ? onLongWait : undefined,
        onSlowWait,
      );
    } catch (error) {
      throw storeError(this.path, error, doing);
    }
  }

  /** Runs `task` in a `BEGIN IMMEDIATE` transaction (the write lock first: no deadlocks between readers). */
  private async write<T>(doing: string, durable: boolean, task: () => T, saves = false): Promise<T> {
    if (!this.db.open) throw storeClosed(`SQLite store \`${this.path}\``, doing);
    this.checkStillAtPath();
    const flush = durable && this.fsync === 'finish';
    return this.read(
      doing,
      () => {
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
      },
      saves,
    );
  }
}

/** The options `createSqliteStore` takes in code: a config's (the plugin schema), the path required, and
 * those only code can give. */
const SQLITE_API_OPTIONS = {
  ...SQLITE_OPTIONS_SCHEMA,
  required: ['path'],
  properties: {
    ...SQLITE_OPTIONS_SCHEMA.properties,
    readOnly: { type: 'boolean' },
    salvage: { type: 'boolean' },
    stopping: {},
    clock: {},
    onWarning: {},
  },
};

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
 * @throws `ParzenError` `CONFIG_INVALID` for options it refuses (no `path`, an unknown key, `busyTimeoutMs: -5`),
 * naming each; `STORE_CORRUPT` when the file is not a SQLite database, `STORE_FAILED` when
 * its schema is newer than this version knows.
 * @example
 * ```ts
 * const store = createSqliteStore({ path: 'heart.parzen.db' });
 * ```
 */
export const createSqliteStore = (options: SqliteStoreOptions): SqliteStore => {
  // Options given in code are checked here (a config's against the plugin schema first): a missing path
  // was a Node argument error from inside the driver.
  assertOptions(SQLITE_API_OPTIONS, options, 'sqlite store', 'sqlite');
  if (options.salvage === true && options.readOnly !== true)
    throw invalidConfig('options for the sqlite store', [
      {
        pointer: '/salvage',
        expected: 'salvage only with readOnly: a damaged database is read, never written to',
        found: 'salvage: true without readOnly',
      },
    ]);
  return new SqliteTrialStore(options.path, options);
};
