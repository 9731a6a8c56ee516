import { randomUUID } from 'node:crypto';
import type { ErrorInfo } from '@parzen/engine';
import {
  type AddTrialsOptions,
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
  inSeconds,
  keptSuggester,
  type Lease,
  type NewFinishedTrial,
  type ParamAssignment,
  ParzenError,
  pickWaiting,
  type RunningTrial,
  type Stopping,
  type StudyDeletion,
  type StudyDeletionOptions,
  type StudyRecord,
  type StudySpec,
  stopSignal,
  storeClosed,
  studyDeleted,
  studyDeletion,
  studyNotFound,
  systemClock,
  type TakenEntry,
  type Trial,
  type TrialChanges,
  type TrialOutcome,
  type TrialState,
  type TrialStore,
  trialAlreadyFinished,
  trialNotFound,
  trialsToAdd,
  warnOnStderr,
} from '@parzen/engine/plugin';
import type { Pool, QueryResultRow } from 'pg';
import type { ConnectionPlan, PostgresStoreOptions } from './connection-options.js';
import { giveUpHere, guardedClient } from './cut-wait.js';
import { POSTGRES_OPTIONS_SCHEMA } from './manifest.js';
import { openPool } from './open-pool.js';
import { classify, describeFailure, interrupted, storeError } from './pg-errors.js';
import { withRetry } from './retry.js';
import { MIGRATIONS } from './schema.js';
import { type StatementName, statement } from './statements.js';
import { inTransaction, type Query } from './transaction.js';
import { addedColumns, outcomeValues, rowToTrial, type TrialRow } from './trial-rows.js';

/**
 * A {@link TrialStore} over a PostgreSQL database, with every optional method and a password-free
 * description of the server.
 */
export interface PostgresStore extends TrialStore {
  /** `user@host:port/database`. */
  readonly where: string;
  listStudies: NonNullable<TrialStore['listStudies']>;
  reportIntermediate: NonNullable<TrialStore['reportIntermediate']>;
  enqueue: NonNullable<TrialStore['enqueue']>;
  removeEnqueued: NonNullable<TrialStore['removeEnqueued']>;
  deleteStudy: NonNullable<TrialStore['deleteStudy']>;
  listRemovedEntries: NonNullable<TrialStore['listRemovedEntries']>;
  listTakenEntries: NonNullable<TrialStore['listTakenEntries']>;
  listEnqueued: NonNullable<TrialStore['listEnqueued']>;
  listTrialsSince: NonNullable<TrialStore['listTrialsSince']>;
  addTrials: NonNullable<TrialStore['addTrials']>;
}

interface StudyRow {
  readonly id: number;
  readonly name: string;
  readonly direction: Direction;
  readonly seed: number;
  readonly space: StudySpec['space'];
  /** The suggester's JSON, with the Parzen version that created the study inside it (see keptSuggester). */
  readonly suggester: Readonly<Record<string, unknown>> | null;
  readonly created_at: Date;
}

interface KnownStudy {
  readonly id: number;
  readonly record: StudyRecord;
}

/** What this process has read of a study's trials: snapshots by number, and the last change seen. */
interface TrialCache {
  readonly trials: Trial[];
  seq: string;
}

const NO_LIMIT = 2_147_483_647;

/**
 * A trial this worker created whose row is now another trial's: a server crash undid its unflushed
 * creation and another worker (or an import) was given the number. For this worker its trial is gone,
 * as when the number is still free: `TRIAL_NOT_FOUND`, on which the run keeps the result as a new trial.
 */
const lostTrial = (where: string, study: string, number: number): ParzenError =>
  new ParzenError(
    'TRIAL_NOT_FOUND',
    `Trial #${number} of study \`${study}\` in PostgreSQL store \`${where}\` is no longer the one this worker ` +
      'created: the server lost its creation (a crash before the commit was flushed) and gave the number to ' +
      'another trial, which is left as it is.',
  );

const toKnown = (row: StudyRow): KnownStudy => ({
  id: row.id,
  record: Object.freeze({
    name: row.name,
    direction: row.direction,
    seed: row.seed,
    space: row.space,
    ...fromKeptSuggester(row.suggester),
    createdAt: row.created_at.toISOString(),
  }),
});

/**
 * A trial this process created and is running: who created it, the params it set (as JSON), and whether
 * it reported intermediate values (only then does finishing read them back).
 */
interface OwnTrial {
  readonly createdBy: string;
  params?: string;
  reported?: boolean;
}

/** The writes that save a result: only a second Ctrl-C gives up their retries. */
const SAVES: ReadonlySet<StatementName> = new Set(['finish', 'finishUnrun', 'report']);

/** `synchronous_commit` of a write: `off`, or null for the server's own setting. */
type Sync = 'off' | null;

class PostgresTrialStore implements PostgresStore {
  readonly name = 'postgres';
  readonly onlyEnqueued = true;
  readonly skipRepeats = true;
  readonly deletesOnlyEmpty = true;
  readonly where: string;
  private readonly readOnly: boolean;
  private readonly studies = new Map<string, KnownStudy>();
  private readonly caches = new Map<string, TrialCache>();
  private readonly own = new Map<string, OwnTrial>();
  private readonly retryTimeoutMs: number;
  private readonly stopping: Stopping | undefined;
  private readonly clock: Clock;
  private readonly onWarning: (message: string) => void;
  /** Durability of the writes that finish trials or create studies, and of the others. */
  private readonly durable: Sync;
  private readonly cheap: Sync;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly plan: ConnectionPlan,
    options: PostgresStoreOptions,
    /** The schema version read (an older one only when opened read-only). */
    private readonly version = MIGRATIONS.at(-1)?.version ?? 0,
  ) {
    this.where = plan.where;
    this.readOnly = options.readOnly === true;
    this.retryTimeoutMs = options.retryTimeoutMs ?? 60_000;
    this.probeMs = Math.min(5000, plan.pool.connectionTimeoutMillis ?? 5000);
    this.stopping = options.stopping;
    this.clock = options.clock ?? systemClock;
    this.onWarning = options.onWarning ?? warnOnStderr;
    const fsync = options.fsync ?? 'finish';
    this.durable = fsync === 'never' ? 'off' : null;
    this.cheap = fsync === 'always' ? null : 'off';
    // When a connection was last handed to a statement: a long wait after it is the server holding the
    // statement, before it a connection still being made (review 72: a hanging connect was said as a lock).
    pool.on('acquire', () => {
      this.acquiredAt = performance.now();
    });
  }

  private acquiredAt = Number.NEGATIVE_INFINITY;
  /** How long a new connection may take to answer before a held statement is said as a server that froze. */
  private readonly probeMs: number;
  /**
   * Whether an operation gave up on the server after retrying for `retryTimeoutMs`, and none has succeeded since: an
   * operation that does not save a result tries once meanwhile (trial 161: after a failed finish, a worker retried
   * "listing trials" for its summary for another `retryTimeoutMs`, and ended after twice it).
   */
  private gaveUp = false;

  async openStudy(spec: StudySpec): Promise<{ readonly study: StudyRecord; readonly resumed: boolean }> {
    this.writable('openStudy');
    const createdAt = this.clock.now().toISOString();
    return this.retrying('opening the study', async () => {
      // Read afresh: the study this store knew by the name may have been deleted, and one created anew since.
      let known = await this.findStudy(spec.name, true);
      if (known === undefined) {
        // The Parzen version that creates the study is kept inside the suggester's JSON: no column of its own.
        const kept = keptSuggester(spec);
        const suggester = kept === undefined ? null : JSON.stringify(kept);
        const values = [
          spec.name,
          spec.direction,
          spec.seed,
          JSON.stringify(spec.space),
          createdAt,
          this.durable,
          suggester,
        ];
        await this.query('insertStudy', values);
        known = await this.findStudy(spec.name, true); // ours, or a concurrent worker's that won the insert
      }
      if (known === undefined) throw new ParzenError('STORE_FAILED', `Study \`${spec.name}\` vanished while opening.`);
      checkSameStudy(known.record, spec);
      // A retry after a lost reply may find the study this call created: the timestamp tells.
      return { study: known.record, resumed: known.record.createdAt !== createdAt };
    });
  }

  async getStudy(name: string): Promise<StudyRecord> {
    const known = await this.requireStudy(name);
    // Still there: a study deleted since this store first read it is said so.
    await this.refuseGone(name, known.id);
    return known.record;
  }

  /** Every study in the database, oldest first (ties by name), as the SQLite store lists them. */
  async listStudies(): Promise<readonly StudyRecord[]> {
    // Before version 4 a study has no `suggester` column (read-only opening of an older database).
    const rows = await this.retrying('listing studies', () =>
      this.query<StudyRow>(this.version < 4 ? 'studiesV3' : 'studies', []),
    );
    return rows.map((row) => {
      // A study never changes once created: the record getStudy returns, read once. One created anew under a name
      // this store knows another study by is listed, and not taken for that one (see findStudy).
      const cached = this.studies.get(row.name);
      if (cached?.id === row.id) return cached.record;
      const known = toKnown(row);
      if (cached === undefined) this.studies.set(row.name, known);
      return known.record;
    });
  }

  async createTrial(study: string, options: CreateTrialOptions = {}): Promise<RunningTrial | undefined> {
    this.writable('createTrial');
    const { id } = await this.requireStudy(study);
    const { lease, limit, onlyEnqueued = false } = options;
    const writeId = randomUUID();
    // Trial numbers are 32-bit: a larger limit is no limit.
    const values = [
      id,
      Math.min(limit ?? NO_LIMIT, NO_LIMIT),
      this.cheap,
      writeId,
      lease?.owner ?? null,
      lease?.expiresAt ?? null,
      this.clock.now(),
    ];
    const row = await this.retrying('creating a trial', async (attempt) => {
      const earlier = attempt > 0 ? await this.query<TrialRow>('trialByWrite', [id, writeId]) : [];
      if (earlier[0] !== undefined) return earlier[0];
      if (onlyEnqueued) return this.takeEntry(values, true);
      return (await this.query<TrialRow>('createTrial', values))[0] ?? (await this.takeEntry(values, false));
    });
    if (row === undefined) {
      // At the limit, or no entry waits; or the study is gone, its row with it (every statement found nothing).
      await this.refuseGone(study, id);
      return undefined;
    }
    this.own.set(`${id}:${row.number}`, { createdBy: writeId });
    return rowToTrial(study, row) as RunningTrial;
  }

  /**
   * `createTrial` when the one-statement path returned nothing (an entry waits, or the limit is reached):
   * in a transaction that holds the study's row lock, allocates the number and takes the oldest waiting
   * entry, so every entry is taken once, in order. `values` are `createTrial`'s. `only`: nothing when no
   * entry waits (checked under the lock).
   */
  private takeEntry(values: readonly unknown[], only: boolean): Promise<TrialRow | undefined> {
    const [id, limit, sync, writeId, owner, expiresAt, startedAt] = values;
    return this.transaction(async (query) => {
      if (only) {
        await query('lockStudy', [id]);
        if ((await query('entryWaits', [id])).length === 0) return undefined;
      }
      const [allocated] = await query<{ number: number; last_seq: string }>('allocateTrial', [id, limit, sync]);
      if (allocated === undefined) return undefined; // the limit
      const { number, last_seq: seq } = allocated;
      return (await query<TrialRow>('takeEntry', [id, number, seq, writeId, owner, expiresAt, startedAt]))[0];
    });
  }

  async reportIntermediate(study: string, number: number, step: number, value: number): Promise<void> {
    this.writable('reportIntermediate');
    await this.updateRow(study, number, 'report', this.durable, [step, value], 'reporting an intermediate value');
    const own = this.own.get(`${(await this.requireStudy(study)).id}:${number}`);
    if (own !== undefined) own.reported = true;
  }

  async enqueue(study: string, entries: readonly EnqueuedParams[]): Promise<number> {
    this.writable('enqueue');
    const { id } = await this.requireStudy(study);
    const json = JSON.stringify(entries.map(({ internal: params, key }) => ({ key: key ?? null, params })));
    const writeId = randomUUID();
    return this.retrying('enqueueing params', async (attempt) => {
      // A retry after a lost reply: the first try's entries, if it committed.
      const [earlier] = attempt > 0 ? await this.query<{ queued: number }>('enqueuedByWrite', [id, writeId]) : [];
      if (earlier !== undefined && earlier.queued > 0) return earlier.queued;
      const [done] = await this.query<{ queued: number }>('enqueue', [id, json, this.durable, writeId]).catch(
        (error: unknown) => this.goneInstead(study, id, error),
      );
      if (done === undefined) await this.refuseGone(study, id);
      return done?.queued ?? 0;
    });
  }

  async listEnqueued(study: string): Promise<readonly EnqueuedParams[]> {
    const { id } = await this.requireStudy(study);
    const rows = await this.retrying('listing enqueued params', () => this.query<EntryRow>('waitingEntries', [id]));
    return listed(study, rows, 'params').map(entryOfRow);
  }

  async removeEnqueued(study: string, which: readonly EnqueuedSelector[]): Promise<EnqueuedRemoval> {
    this.writable('removeEnqueued');
    const { id } = await this.requireStudy(study);
    const writeId = randomUUID();
    return this.retrying('removing enqueued params', async (attempt) => {
      // A retry after a lost reply: what the first try removed, if it committed.
      const earlier = attempt > 0 ? await this.query<EntryRow>('removedByWrite', [id, writeId]) : [];
      if (earlier.length > 0) return { removed: earlier.map(entryOfRow), missing: [] };
      return this.transaction(async (query) => {
        // The study's row lock first: no trial takes an entry between the read and the removal.
        if ((await query('lockStudy', [id])).length === 0) throw studyDeleted(study);
        const waiting = listed(study, await query<EntryRow & { readonly seq: string }>('waitingEntries', [id]), 'seq');
        const entries = waiting.map(entryOfRow);
        const { picked, missing } = pickWaiting(entries, which);
        if (missing.length > 0) return { removed: [], missing };
        const seqs = picked.map((at) => (waiting[at] as { readonly seq: string }).seq);
        await query('removeEntries', [id, seqs, this.durable, writeId]);
        return { removed: picked.map((at) => entries[at] as EnqueuedParams), missing: [] };
      });
    });
  }

  async listRemovedEntries(study: string): Promise<readonly EnqueuedParams[]> {
    const { id } = await this.requireStudy(study);
    const rows = await this.retrying('listing removed entries', () => this.query<EntryRow>('removedEntries', [id]));
    return listed(study, rows, 'params').map(entryOfRow);
  }

  async listTakenEntries(study: string): Promise<readonly TakenEntry[]> {
    const { id } = await this.requireStudy(study);
    const rows = await this.retrying('listing taken entries', () =>
      this.query<{ taken_by: number | null; key: string | null; params: ParamAssignment }>('takenEntries', [id]),
    );
    return listed(study, rows, 'taken_by').map(({ taken_by, key, params }) => ({
      trial: taken_by,
      internal: params,
      ...(key === null ? {} : { key }),
    }));
  }

  async addTrials(
    study: string,
    given: readonly NewFinishedTrial[],
    options?: AddTrialsOptions,
  ): Promise<readonly FinishedTrial[]> {
    this.writable('addTrials');
    if (given.length === 0) return [];
    const { id } = await this.requireStudy(study);
    const writeId = randomUUID();
    const at = this.clock.now().toISOString();
    const all = addedColumns(study, given, at);
    const stored = await this.retrying(
      'adding trials',
      async (attempt) => {
        const earlier = attempt > 0 ? await this.query<TrialRow>('trialByWrite', [id, writeId]) : [];
        if (earlier.length > 0) return earlier;
        return this.transaction(async (query) => {
          // Two imports of one file add it once, and two that share trials each shared trial once: the study's
          // finished trials are read, then its row is locked and only what changed meanwhile is read again, so the
          // lock is held briefly (reading a 30,000-trial study under it stalled every worker 6.4 s).
          let columns = all;
          let added = given;
          if (options?.refuseRepeats === true || options?.skipRepeats === true) {
            const [seen] = await query<{ last_seq: string }>('studySeq', [id]);
            const before = await query<FinishedColumns>('finishedSince', [id, '0']);
            await query('lockStudy', [id]);
            const since = await query<FinishedColumns>('finishedSince', [id, seen?.last_seq ?? '0']);
            added = trialsToAdd(study, [...before, ...since].map(comparedTrial), given, options);
            if (added.length === 0) return [];
            if (added.length < given.length) columns = addedColumns(study, added, at);
          }
          const [reserved] = await query<{ first: number; seq: string }>('reserveTrials', [
            id,
            added.length,
            this.durable,
          ]);
          if (reserved === undefined) throw studyDeleted(study);
          await query('insertAdded', [id, reserved.first, reserved.seq, writeId, ...columns.trials]);
          await query('insertAddedIntermediate', [id, reserved.first, ...columns.points]);
          if (columns.keys[0]?.length) await query('insertAddedKeys', [id, reserved.first, writeId, ...columns.keys]);
          return query<TrialRow>('trialByWrite', [id, writeId]);
        });
      },
      true,
    );
    return stored.map((row) => rowToTrial(study, row) as FinishedTrial);
  }

  async setParams(study: string, number: number, params: ParamAssignment): Promise<void> {
    this.writable('setParams');
    const json = JSON.stringify(params);
    await this.updateRow(study, number, 'setParams', this.cheap, [json], 'setting params');
    const own = this.own.get(`${(await this.requireStudy(study)).id}:${number}`);
    if (own !== undefined) own.params = json;
  }

  async renewLease(study: string, number: number, lease: Lease): Promise<void> {
    this.writable('renewLease');
    await this.updateRow(study, number, 'setLease', this.cheap, [lease.owner, lease.expiresAt], 'renewing a lease');
  }

  async finishTrial(study: string, number: number, outcome: TrialOutcome): Promise<FinishedTrial> {
    this.writable('finishTrial');
    const { id } = await this.requireStudy(study);
    const key = `${id}:${number}`;
    const own = this.own.get(key);
    const values = [...outcomeValues(outcome), this.clock.now(), own?.params ?? null];
    try {
      const statement = endedUnrun(outcome) ? 'finishUnrun' : 'finish';
      const row = await this.updateRow(study, number, statement, this.durable, values, 'finishing a trial');
      // Intermediate values are read back only when there may be some: the trial reported here, or
      // another process ran it.
      if (own !== undefined && own.reported !== true) return rowToTrial(study, row) as FinishedTrial;
      const [read] = await this.retrying(
        'finishing a trial',
        () => this.query<Pick<TrialRow, 'intermediate'>>('intermediateOf', [id, number]),
        true,
      );
      return rowToTrial(study, { ...row, intermediate: read?.intermediate ?? null }) as FinishedTrial;
    } finally {
      this.own.delete(key);
    }
  }

  /** Fetches only the rows changed since this process last looked (by `updated_seq`). */
  async listTrials(study: string): Promise<readonly Trial[]> {
    let cache = this.caches.get(study);
    if (cache === undefined) {
      cache = { trials: [], seq: '0' };
      this.caches.set(study, cache);
    }
    const changes = await this.listTrialsSince(study, cache.seq);
    // A call that read less than one already applied (they overlap) has nothing newer to add.
    if (BigInt(changes.cursor) > BigInt(cache.seq)) {
      for (const trial of changes.trials) cache.trials[trial.number] = trial;
      cache.seq = changes.cursor;
    }
    return [...cache.trials];
  }

  /** The rows changed since `cursor` (an `updated_seq`), without touching the listing cache. */
  async listTrialsSince(study: string, cursor?: string): Promise<TrialChanges> {
    const { id } = await this.requireStudy(study);
    const rows = listed(
      study,
      await this.retrying('listing trials', () => this.query<TrialRow>('changedSince', [id, cursor ?? '0'])),
      'number',
    );
    const trials = rows.map((row) => rowToTrial(study, row)).sort((a, b) => a.number - b.number);
    return { trials, cursor: rows.at(-1)?.updated_seq ?? cursor ?? '0' };
  }

  /**
   * Deletes the study's rows (intermediate values, enqueued entries, trials, the study) in one transaction that
   * holds the study's row lock, after the check of its running trials in that same transaction: no worker starts
   * a trial in between. A retry after a lost reply that finds the study gone answers what its first try decided.
   */
  async deleteStudy(study: string, options?: StudyDeletionOptions): Promise<StudyDeletion> {
    this.writable('deleteStudy');
    const { id, record } = await this.requireStudy(study);
    let decided: StudyDeletion | undefined;
    const deletion = await this.retrying('deleting the study', async () =>
      this.transaction(async (query) => {
        if ((await query('lockStudy', [id])).length === 0) {
          if (decided !== undefined) return decided;
          throw studyDeleted(study);
        }
        const counts = countByState([]);
        for (const { state, n } of await query<{ state: TrialState; n: number }>('countByState', [id]))
          counts[state] = n;
        const running = (await query<TrialRow>('runningTrials', [id])).map(
          (row) => rowToTrial(study, row) as RunningTrial,
        );
        const [entries] = await query<{ n: number }>('countEntries', [id]);
        const answer = studyDeletion(record, counts, running, options, entries?.n ?? 0);
        if (!deletionGoesOn(answer)) return answer;
        for (const name of ['deleteIntermediate', 'deleteEntries', 'deleteTrials'] as const) await query(name, [id]);
        await query('deleteStudyRow', [id, this.durable]);
        decided = answer;
        return answer;
      }),
    );
    if (deletionGoesOn(deletion)) this.forget(study, id);
    return deletion;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  /**
   * One write to a running trial, tagged with a fresh `write_id`. A retry first reads the row: if it
   * carries this write's id, the lost first try committed and its row is the answer. A trial this
   * process created is written only while it is still that trial (`created_by`): after a server crash
   * undid its creation, its number may belong to another worker's trial (then `TRIAL_NOT_FOUND`, as when the
   * number is free, never `TRIAL_ALREADY_FINISHED` for the other trial's end).
   */
  private async updateRow(
    study: string,
    number: number,
    name: StatementName,
    sync: Sync,
    values: readonly unknown[],
    doing: string,
  ): Promise<TrialRow> {
    const { id } = await this.requireStudy(study);
    const createdBy = this.own.get(`${id}:${number}`)?.createdBy ?? null;
    const writeId = randomUUID();
    return this.retrying(
      doing,
      async (attempt) => {
        if (attempt > 0) {
          const [current] = await this.query<TrialRow>('trial', [id, number]);
          if (current?.write_id === writeId) return current;
        }
        const [updated] = await this.query<TrialRow>(name, [id, number, sync, writeId, createdBy, ...values]);
        if (updated !== undefined) return updated;
        const [current] = await this.query<TrialRow>('trial', [id, number]);
        if (current === undefined) {
          await this.refuseGone(study, id);
          throw trialNotFound(study, number);
        }
        // Running or finished, a row another write created is not this worker's trial.
        if (createdBy !== null && current.created_by !== createdBy) throw lostTrial(this.where, study, number);
        throw trialAlreadyFinished(study, number);
      },
      SAVES.has(name),
    );
  }

  /** Opened read-only (`readOnly`): every write is refused, before it reaches the database. */
  private writable(method: string): void {
    if (this.readOnly)
      throw new ParzenError(
        'STORE_FAILED',
        `PostgreSQL store \`${this.where}\` was opened read-only; it cannot ${method} (open it without readOnly to write).`,
      );
  }

  /**
   * The study of that name: the one this store knows by it (its id), or with `fresh` the database's now, which
   * it then knows by the name (a study created anew: the listing kept of the one before is dropped).
   */
  private async findStudy(name: string, fresh = false): Promise<KnownStudy | undefined> {
    const cached = this.studies.get(name);
    if (cached !== undefined && !fresh) return cached;
    // Before version 4 a study has no `suggester` column (read-only opening of an older database).
    const [row] = await this.query<StudyRow>(this.version < 4 ? 'studyV3' : 'study', [name]);
    if (row === undefined) return undefined;
    if (cached?.id === row.id) return cached;
    const known = toKnown(row);
    if (cached !== undefined) this.forget(name, cached.id);
    this.studies.set(name, known);
    return known;
  }

  /** Forgets what this store kept of the study of that name and id (deleted, or replaced by a new one). */
  private forget(name: string, id: number): void {
    if (this.studies.get(name)?.id === id) this.studies.delete(name);
    this.caches.delete(name);
    for (const key of this.own.keys()) if (key.startsWith(`${id}:`)) this.own.delete(key);
  }

  /**
   * Refuses a study whose row is gone (`studyDeleted`): a statement that found nothing of it (no trial made, no
   * row changed since) may have found nothing because it was deleted since this store first read it.
   */
  private async refuseGone(study: string, id: number): Promise<void> {
    const found = await this.retrying('reading the study', () => this.query('studyExists', [id]));
    if (found.length === 0) throw studyDeleted(study);
  }

  /** `error` of a write, or `studyDeleted` when it is a foreign key's refusal because the study's row is gone. */
  private async goneInstead(study: string, id: number, error: unknown): Promise<never> {
    if ((error as { code?: unknown }).code === '23503') await this.refuseGone(study, id);
    throw error;
  }

  private async requireStudy(name: string): Promise<KnownStudy> {
    const found = this.studies.get(name) ?? (await this.retrying('reading the study', () => this.findStudy(name)));
    if (found === undefined) throw studyNotFound(name);
    return found;
  }

  private async query<R extends QueryResultRow>(name: StatementName, values: readonly unknown[]): Promise<R[]> {
    if (this.closed) throw storeClosed(`PostgreSQL store \`${this.where}\``);
    const signal = giveUpHere.getStore();
    if (signal === undefined) return (await this.pool.query<R>(statement(name, values))).rows;
    // On a connection of its own, so a statement the server holds can be cancelled when the wait is given up.
    const client = await this.pool.connect();
    const guard = guardedClient(client, signal, this.cancelBackend);
    let failed = false;
    try {
      return (await guard.send(() => client.query<R>(statement(name, values)))).rows;
    } catch (error) {
      failed = true; // as the pool's own query does: a connection whose statement failed is not reused
      throw error;
    } finally {
      guard.release(failed);
    }
  }

  private transaction<T>(task: (query: Query) => Promise<T>): Promise<T> {
    if (this.closed) throw storeClosed(`PostgreSQL store \`${this.where}\``);
    return inTransaction(this.pool, task, giveUpHere.getStore(), this.cancelBackend);
  }

  /**
   * Asks the server to cancel what backend `pid` runs, from a connection of its own; one that cannot be asked
   * (no connection left for the role, say) is said, and the statement ends as the server lets it.
   */
  private readonly cancelBackend = async (pid: number): Promise<void> => {
    const client = await this.ownClient(5000);
    try {
      await client.connect();
      const [answer] = (await client.query<{ sent: boolean }>('SELECT pg_cancel_backend($1) AS sent', [pid])).rows;
      // False: no server process of that number (a pooler in between has its own numbers; review 64).
      if (answer?.sent !== true)
        throw new Error(`the server has no process ${pid} to cancel (a connection pooler in between?)`);
    } catch (error) {
      this.onWarning(
        `PostgreSQL store \`${this.where}\`: could not ask the server to cancel the statement Ctrl-C stopped waiting for (${error instanceof Error ? error.message : String(error)}); it ends as the server lets it, and Parzen waits for that.`,
      );
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  /** A connection of its own, outside the pool, that gives up connecting after `timeoutMs`. */
  private async ownClient(timeoutMs: number): Promise<import('pg').Client> {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ ...this.plan.pool, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
    client.on('error', () => undefined);
    return client;
  }

  // Trial 161: a server whose processes were stopped (a frozen host, a network that drops packets) was said as another
  // session's lock, with advice to ask pg_stat_activity, which could not be asked either.
  /**
   * Whether the server answers a new connection, asked when a statement has waited long on it: `true` when it
   * does (or refuses it in words of its own, a server error: too many clients, say), else what the try met.
   */
  private readonly answersAnew = async (): Promise<true | string> => {
    const client = await this.ownClient(this.probeMs);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch (error) {
      return typeof (error as { code?: unknown }).code === 'string' &&
        /^[0-9A-Z]{5}$/.test((error as { code: string }).code)
        ? true
        : describeFailure(error);
    } finally {
      // Not awaited: a server that does not answer need not answer the goodbye either.
      void client.end().catch(() => undefined);
    }
  };

  /**
   * Runs `task` with retries; Ctrl-C ends the retries and cancels a statement the server holds (the second
   * Ctrl-C, for a write that `saves` a result).
   * An operation still waiting on the server after {@link LONG_WAIT_NOTE_MS} is said, and again every
   * {@link LONG_WAIT_REPEAT_MS} (trial 56: a worker blocked by another session's lock waited in silence,
   * where the SQLite store says so).
   */
  private async retrying<T>(doing: string, task: (attempt: number) => Promise<T>, saves = false): Promise<T> {
    const started = performance.now();
    // The last try's failure, when the wait is retries (a server down or restarting), not one statement held;
    // a try whose statement has had its connection for a second is one the server holds, whatever failed
    // before it (review 71).
    let failed: unknown;
    let trying: number | undefined;
    let over = false;
    const again = () => {
      if (over) return;
      timer = setTimeout(note, LONG_WAIT_REPEAT_MS);
      timer.unref();
    };
    const isHeld = () =>
      trying !== undefined && this.acquiredAt >= trying && performance.now() - this.acquiredAt > STATEMENT_HELD_MS;
    const note = () => {
      const waited = Math.round((performance.now() - started) / 1000);
      const held = isHeld();
      if (failed !== undefined && !held) {
        // Trial 67: a stopped server was said to be a lock, and pg_stat_activity could not be asked.
        this.onWarning(
          `PostgreSQL store \`${this.where}\`: still retrying after ${waited} s (${doing}): the server does not answer (${describeFailure(failed)}); stopped, restarting or out of reach? Parzen retries for up to ${Math.round(this.retryTimeoutMs / 1000)} s in all.`,
        );
        again();
        return;
      }
      // A statement the server holds: a lock, or a server that answers nothing at all, which a new connection tells.
      void this.answersAnew().then((answer) => {
        if (over) return;
        this.onWarning(
          answer === true
            ? `PostgreSQL store \`${this.where}\`: still waiting after ${waited} s for the server (${doing}); another session may hold a lock on this study (a transaction left open in psql or a database tool?), or the server is overloaded. Parzen waits for it; ask the database what blocks (pg_stat_activity, pg_locks).`
            : `PostgreSQL store \`${this.where}\`: still waiting after ${waited} s for the server (${doing}), which does not answer: a new connection got no answer either (${answer}), so it is no lock but a server or host that froze, or a network that drops packets. Parzen waits for it; check the database host and the network between.`,
        );
        again();
      });
    };
    let timer = setTimeout(note, LONG_WAIT_NOTE_MS);
    timer.unref();
    // Trial 161: after a Ctrl-C the run said "up to 30 s, the grace period", then waited ~55 s more on a result the
    // server did not take. A save goes on past the first stop: said when the stop comes while it waits (or when it
    // first fails after the stop), with how long it may still take and how to give up.
    let stopSaid = false;
    const sayStopWait = () => {
      const { stopping } = this;
      if (!saves || stopSaid || over || stopping === undefined || !stopping.stop.aborted || stopping.force.aborted)
        return;
      const held = isHeld();
      if (failed === undefined && !held) return;
      stopSaid = true;
      const left = Math.max(0, this.retryTimeoutMs - (performance.now() - started));
      const kept = doing === 'finishing a trial' ? ', its result kept in the rescue file' : '';
      this.onWarning(
        held
          ? `PostgreSQL store \`${this.where}\`: the stop does not cut ${doing}, a write that saves a result, which the server holds without an answer: Parzen waits for it past the grace period, for as long as the server holds it. Press Ctrl-C again to give up now${kept}.`
          : `PostgreSQL store \`${this.where}\`: the stop does not cut ${doing}, a write that saves a result, which the server has not taken (${describeFailure(failed)}): Parzen retries it for up to ${inSeconds(left)} more (retryTimeoutMs is ${inSeconds(this.retryTimeoutMs)}), past the grace period; if the retries run out, it ends with the store's error (exit 1)${kept}. Press Ctrl-C again to give up now.`,
      );
    };
    this.stopping?.stop.addEventListener('abort', sayStopWait, { once: true });
    const giveUp = stopSignal(this.stopping, saves);
    let tries = 0;
    const tried = async (attempt: number) => {
      tries++;
      trying = performance.now();
      try {
        return await task(attempt);
      } catch (error) {
        failed = error;
        sayStopWait();
        throw error;
      } finally {
        trying = undefined;
      }
    };
    // A result is still saved for as long as retryTimeoutMs allows; anything else, once an operation gave up, is tried
    // once until the server answers again.
    const once = !saves && this.gaveUp;
    const attempts = () =>
      withRetry(tried, once ? 0 : this.retryTimeoutMs, {
        giveUp,
        stopped: (error) => interrupted(this.plan, doing, error),
      });
    try {
      // The signal also cuts a statement the server holds (a lock), not only the pauses between tries.
      const done = await (giveUp === undefined ? attempts() : giveUpHere.run(giveUp, attempts));
      this.gaveUp = false;
      return done;
    } catch (error) {
      // Said only when the operation was tried again (not a first try that failed past the deadline, review 106).
      const retried = tries > 1 ? { forMs: performance.now() - started, limitMs: this.retryTimeoutMs } : undefined;
      if (retried !== undefined && classify(error) === 'transient') this.gaveUp = true;
      throw storeError(this.plan, error, doing, retried, once ? { limitMs: this.retryTimeoutMs } : undefined);
    } finally {
      over = true;
      clearTimeout(timer);
      this.stopping?.stop.removeEventListener('abort', sayStopWait);
    }
  }
}

/**
 * The rows of a listing that says whether the study is there (see `changedSince` in statements.ts): none when it is
 * gone, deleted since this store first read it (`studyDeleted`); one row with `column` NULL when it has none.
 */
const listed = <R, K extends keyof R>(
  study: string,
  rows: readonly R[],
  column: K,
): (R & { readonly [P in K]: NonNullable<R[K]> })[] => {
  if (rows.length === 0) throw studyDeleted(study);
  return rows.filter((row): row is R & { readonly [P in K]: NonNullable<R[K]> } => row[column] !== null);
};

/** An enqueued entry's row, as the listings read it. */
interface EntryRow {
  readonly key: string | null;
  readonly params: ParamAssignment;
}

const entryOfRow = ({ key, params }: EntryRow): EnqueuedParams => ({
  internal: params,
  ...(key === null ? {} : { key }),
});

/** The columns of a finished trial an import's repeat check compares. */
interface FinishedColumns {
  readonly state: TrialState;
  readonly params: ParamAssignment;
  readonly loss: number | null;
  readonly error: ErrorInfo | null;
  readonly started_at: Date;
  readonly finished_at: Date | null;
}

/** A finished trial as the repeat check reads it (params, state, loss, error, times; the rest is not compared). */
const comparedTrial = (row: FinishedColumns): ComparedTrial => ({
  state: row.state,
  internal: row.params,
  ...(row.loss === null ? {} : { loss: row.loss }),
  ...(row.error === null ? {} : { error: row.error }),
  startedAt: row.started_at.toISOString(),
  ...(row.finished_at === null ? {} : { finishedAt: row.finished_at.toISOString() }),
});

/** How long an operation waits on the server before the store says so, and how often it says so again. */
const LONG_WAIT_NOTE_MS = 3000;
const LONG_WAIT_REPEAT_MS = 30_000;
/** How long a try may take before a long wait is said as a statement the server holds rather than retries. */
const STATEMENT_HELD_MS = 1000;

/** The options `createPostgresStore` takes in code: a config's (the plugin schema) and the stop signals. */
const POSTGRES_API_OPTIONS = {
  ...POSTGRES_OPTIONS_SCHEMA,
  properties: {
    ...POSTGRES_OPTIONS_SCHEMA.properties,
    stopping: {},
    readOnly: { type: 'boolean' },
    clock: {},
    onWarning: {},
  },
};

/**
 * A store in a PostgreSQL database, shared by worker processes on any number of machines. Connects,
 * checks the schema version and applies missing migrations before it resolves.
 *
 * @remarks
 * - Trial numbers come from the study's row (`next_number`), incremented in the statement that inserts
 *   the trial and checks `limit`: numbers are dense and unique across processes, and `maxTrials` holds.
 * - Every write to a study's trials takes the study's row lock and its next change number, so
 *   `listTrials` fetches only rows changed since the last call (index `parzen_trials_by_update`).
 * - Transient errors (connection reset or refused, the server restarting, serialization failures) are
 *   retried with backoff for `retryTimeoutMs`; a retried write checks whether its first try committed.
 * - `fsync: 'finish'` (default): finishing a trial and creating a study wait for the server's flush
 *   (`synchronous_commit` as the server sets it); creating a trial, setting params and renewing a lease
 *   do not. A server crash may undo those: finishing writes the params again, and a trial whose creation
 *   was undone is never written to, nor the trial that took its number since (`created_by`): writing it
 *   fails with `TRIAL_NOT_FOUND`, and a run keeps the result as a new trial. `'always'`: every write waits;
 *   `'never'`: none does (a server crash may lose the last finished trials).
 * - `pg` is loaded on the first call, so importing this package costs nothing until a store is opened.
 *
 * @throws `ParzenError` `CONFIG_INVALID` for options it refuses (an unknown key, a wrong type), a bad URL, a password in it, failed authentication, a
 * missing database, missing privileges or SSL that does not fit the server; `STORE_FAILED` for a server it
 * cannot reach (a refused connection, a host name that does not resolve) and a schema from a newer Parzen.
 * @example
 * ```ts
 * const store = await createPostgresStore({ url: 'postgres://parzen@db.example/parzen' }); // PGPASSWORD set
 * ```
 */
export const createPostgresStore = async (options: PostgresStoreOptions): Promise<PostgresStore> => {
  // Options given in code are checked before connecting (a config's against the plugin schema first).
  assertOptions(POSTGRES_API_OPTIONS, options, 'postgres store', 'postgres');
  const { pool, plan, version } = await openPool(options);
  return new PostgresTrialStore(pool, plan, options, version);
};
