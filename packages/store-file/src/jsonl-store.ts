import { fstatSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type AddTrialsOptions,
  addIntermediate,
  assertOptions,
  type Clock,
  type CreateTrialOptions,
  checkSameStudy,
  countByState,
  deletionGoesOn,
  type EnqueuedParams,
  type EnqueuedRemoval,
  type EnqueuedSelector,
  endedUnrun,
  type FinishedTrial,
  type IntermediateValue,
  invalidConfig,
  type Lease,
  type NewFinishedTrial,
  type ParamAssignment,
  ParzenError,
  type RunningTrial,
  type Stopping,
  type StudyDeletion,
  type StudyDeletionOptions,
  type StudyRecord,
  type StudySpec,
  stopSignal,
  storeClosed,
  storedEntry,
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
  trialsChangedSince,
  trialsToAdd,
  warnOnStderr,
} from '@parzen/engine/plugin';
import { FileLock } from './file-lock.js';
import { type FsyncPolicy, JournalFile } from './journal-file.js';
import { JournalReader, readAt } from './journal-reader.js';
import {
  encodeRecord,
  type JournalAddedTrial,
  type JournalRecord,
  journalHeader,
  recordVersion,
} from './journal-records.js';
import { JSONL_OPTIONS_SCHEMA } from './options-schema.js';
import { Replica, type ReplicaStudy } from './replica.js';
import { createSerialQueue } from './serial-queue.js';

/**
 * Options of {@link createJsonlStore}. A config's `jsonl` store takes `path`, `fsync` and `salvage` of them (the
 * config reference's Stores section); the others are for code only.
 */
export interface JsonlStoreOptions {
  /** The journal file; created with its folder if missing. One file may hold several studies. */
  readonly path: string;
  /**
   * When the journal calls `fsync`. `'finish'` (default): after each finished trial, new study, intermediate value,
   * enqueue and import, before the call resolves; a finished trial survives a crash of the process or the machine,
   * the lines written before it (trial created, params, leases) flushed with it, and lines after the last fsync
   * (only running trials, which would have been stale anyway) may be lost with the machine. `'always'`: after every
   * line; running trials survive a power loss too, at a disk flush per write. `'never'`: flushing is left to the
   * operating system; survives process crashes, not power loss.
   */
  readonly fsync?: FsyncPolicy;
  /** Told about torn lines that were skipped. Default: a line on stderr. Also kept in `warnings`. */
  readonly onWarning?: (message: string) => void;
  /**
   * How long a write waits for another process's lock before failing with `STORE_FAILED`. Default 30 s. When the
   * holder is a live process of this host (paused, or slow) the wait goes on instead, said every `lockTimeoutMs`,
   * so a write that saves a finished trial is not lost. Code only (a config's `jsonl` store has no such key).
   */
  readonly lockTimeoutMs?: number;
  /**
   * The age after which a lock whose holder this process cannot see (on another host or in another container, or
   * a lock file that names no holder) is broken. Default 10 s. A lock whose holder is a dead process of this host
   * is broken at once; one whose holder is a live process of this host is never broken, however long it is held.
   * Code only (a config's `jsonl` store has no such key).
   */
  readonly staleLockMs?: number;
  /**
   * The run's stop signals: a wait for the lock gives up (`INTERRUPTED`) at the first Ctrl-C when the
   * write saves nothing (a new trial, params, a lease), and at the second one for any write.
   */
  readonly stopping?: Stopping;
  /**
   * Inspection only: open an existing journal for reading (no lock, no append handle, nothing created);
   * a missing file is `STUDY_NOT_FOUND`, and every write is refused.
   */
  readonly readOnly?: boolean;
  /**
   * With `readOnly`: read a damaged journal anyway, skipping each line that is not a record or that
   * contradicts the ones before it (a warning names each), so that its intact trials can be listed and
   * exported (`parzen export --salvage`). Refused without `readOnly`: nothing is written to such a file.
   */
  readonly salvage?: boolean;
  /** Stamps studies' and trials' times (the study's `clock` service from a config). Default: the system's. */
  readonly clock?: Clock;
}

/**
 * A {@link TrialStore} over a JSONL journal, with every optional method, the file's path and the warnings
 * reading it gave (a store that took over a closed store's reading, under {@link keepClosedJournals}, has only
 * the warnings of what it read since: each is said once a process).
 */
export interface JsonlStore extends TrialStore {
  reportIntermediate: NonNullable<TrialStore['reportIntermediate']>;
  enqueue: NonNullable<TrialStore['enqueue']>;
  listEnqueued: NonNullable<TrialStore['listEnqueued']>;
  listTakenEntries: NonNullable<TrialStore['listTakenEntries']>;
  removeEnqueued: NonNullable<TrialStore['removeEnqueued']>;
  deleteStudy: NonNullable<TrialStore['deleteStudy']>;
  listRemovedEntries: NonNullable<TrialStore['listRemovedEntries']>;
  addTrials: NonNullable<TrialStore['addTrials']>;
  /** The journal file's path, as {@link JsonlStoreOptions.path} gave it. */
  readonly path: string;
  /** Every study the journal holds, in the order they were created. */
  listStudies(): Promise<readonly StudyRecord[]>;
  /** The warnings this store has given so far, in order, each also told to `onWarning`; empty when none. */
  readonly warnings: readonly string[];
}

/** Appends a record; `needs` raises the format version it is declared under (see {@link recordVersion}). */
type Append = (record: JournalRecord, durable: boolean, needs?: number) => void;

class JsonlTrialStore implements JsonlStore {
  readonly name = 'jsonl';
  readonly onlyEnqueued = true;
  readonly skipRepeats = true;
  readonly deletesOnlyEmpty = true;
  readonly warnings: string[] = [];
  private file: JournalFile | undefined;
  private closed = false;
  private readonly fsync: FsyncPolicy;
  // Replaced by a closed store's, when one left this file as it read it (see `takeOver`).
  private replica: Replica;
  private reader: JournalReader;
  private readonly salvage: boolean;
  private readonly warnHere: (message: string) => void;
  private readonly lock: FileLock;
  private readonly queue = createSerialQueue();
  private readonly readOnly: boolean;
  private readonly stopping: Stopping | undefined;
  private readonly clock: Clock;
  private readonly onWarning: (message: string) => void;
  /**
   * The study of each name as this store first saw it (opened, read or written): when the journal's study of that
   * name is no longer that one (deleted, perhaps created anew since), a call naming it is refused (`studyDeleted`)
   * until `openStudy` takes the study as it is now.
   */
  private readonly seen = new Map<string, ReplicaStudy>();

  constructor(
    readonly path: string,
    options: JsonlStoreOptions,
  ) {
    this.fsync = options.fsync ?? 'finish';
    this.readOnly = options.readOnly === true;
    this.stopping = options.stopping;
    this.clock = options.clock ?? systemClock;
    const onWarning = options.onWarning ?? warnOnStderr;
    this.onWarning = onWarning;
    this.salvage = options.salvage === true;
    this.replica = new Replica(options.salvage === true && options.readOnly === true);
    this.warnHere = (message) => {
      this.warnings.push(message);
      onWarning(message);
    };
    this.reader = new JournalReader(path, this.replica, this.warnHere, options.salvage === true);
    this.lock = new FileLock({
      path: `${path}.lock`,
      timeoutMs: options.lockTimeoutMs ?? 30_000,
      staleMs: options.staleLockMs ?? 10_000,
      onLongWait: (message) => onWarning(`${message}; Ctrl-C stops`),
    });
  }

  async openStudy(spec: StudySpec): Promise<{ readonly study: StudyRecord; readonly resumed: boolean }> {
    return this.write((append, file) => {
      this.reader.checkTail(file.fd);
      const existing = this.replica.study(spec.name);
      if (existing !== undefined) {
        checkSameStudy(existing.record, spec);
        // Opened, the study as it is now is the one this store knows by the name (one created anew included).
        this.seen.set(spec.name, existing);
        return { study: existing.record, resumed: true };
      }
      const { name, direction, seed, space, suggester, parzenVersion } = spec;
      const createdAt = this.clock.now().toISOString();
      // `parzenVersion` is a field of the study line that older readers read past: the journal's version stays.
      append(
        {
          op: 'study',
          study: {
            name,
            direction,
            seed,
            space,
            ...(suggester === undefined ? {} : { suggester }),
            ...(parzenVersion === undefined ? {} : { parzenVersion }),
            createdAt,
          },
        },
        true,
      );
      // The new study is the one this store knows by the name from now on (a deleted one's calls stay refused).
      this.seen.delete(spec.name);
      return { study: this.study(spec.name).record, resumed: false };
    });
  }

  async getStudy(name: string): Promise<StudyRecord> {
    this.refresh();
    return this.study(name).record;
  }

  async createTrial(study: string, options: CreateTrialOptions = {}): Promise<RunningTrial | undefined> {
    return this.write((append) => {
      const { trials, queue } = this.study(study);
      // The oldest waiting entry no added trial took.
      const taken = queue.next();
      if (options.limit !== undefined && trials.length >= options.limit) return undefined;
      if (options.onlyEnqueued === true && taken >= queue.entries.length) return undefined;
      const number = trials.length;
      const startedAt = this.clock.now().toISOString();
      append(
        {
          op: 'trial',
          study,
          number,
          startedAt,
          ...(options.lease === undefined ? {} : { lease: options.lease }),
          ...(taken < queue.entries.length ? { entry: taken } : {}),
        },
        false,
      );
      return trials[number] as RunningTrial;
    });
  }

  async setParams(study: string, number: number, params: ParamAssignment): Promise<void> {
    await this.write((append) => {
      this.running(study, number);
      append({ op: 'params', study, number, params }, false);
    });
  }

  async renewLease(study: string, number: number, lease: Lease): Promise<void> {
    await this.write((append) => {
      this.running(study, number);
      append({ op: 'lease', study, number, lease }, false);
    });
  }

  async finishTrial(study: string, number: number, outcome: TrialOutcome): Promise<FinishedTrial> {
    return this.write((append) => {
      this.running(study, number);
      // Version 4: the finish of a trial that ended unrun gives back the entry it took (review 36: read by
      // the rule of the version its line is written under, so journals written before it keep theirs).
      const givesBack = endedUnrun(outcome) && this.study(study).queue.holds(number);
      const finish = { op: 'finish', study, number, finishedAt: this.clock.now().toISOString(), outcome } as const;
      append(finish, true, givesBack ? 4 : 1);
      return this.study(study).trials[number] as FinishedTrial;
    }, true);
  }

  async reportIntermediate(study: string, number: number, step: number, value: number): Promise<void> {
    await this.write((append) => {
      // Checked on the replica as it is (a running trial's snapshot takes its reports when next read): a
      // report costs O(1), not a copy of its curve.
      const found = this.known(study, this.replica.peek(study));
      this.running(study, number, found);
      // A step already reported keeps its first value: nothing to write.
      if (this.replica.hasStep(found, number, step)) return;
      append({ op: 'report', study, number, step, value }, true);
    }, true);
  }

  async enqueue(study: string, entries: readonly EnqueuedParams[]): Promise<number> {
    return this.write((append) => {
      const { queue } = this.study(study);
      const accepted = queue
        .accepted(entries)
        .map(({ internal: params, key }) => (key === undefined ? { params } : { params, key }));
      if (accepted.length > 0) append({ op: 'enqueue', study, entries: accepted }, true);
      return accepted.length;
    });
  }

  /** One `remove` line takes out every entry picked (format version 5: an older Parzen refuses the journal then). */
  async removeEnqueued(study: string, which: readonly EnqueuedSelector[]): Promise<EnqueuedRemoval> {
    return this.write((append) => {
      const { positions, entries, missing } = this.study(study).queue.pick(which);
      if (missing.length > 0) return { removed: [], missing };
      append({ op: 'remove', study, entries: positions }, true);
      return { removed: entries.map(storedEntry), missing: [] };
    }, true);
  }

  /**
   * One `delete` line deletes the study, under the lock, after the check of its running trials (format version 6:
   * an older Parzen refuses the journal there instead of showing the study). Its lines stay in the file.
   */
  async deleteStudy(study: string, options?: StudyDeletionOptions): Promise<StudyDeletion> {
    return this.write((append) => {
      const { record, trials, queue } = this.study(study);
      const running = trials.filter((trial): trial is RunningTrial => trial.state === 'running');
      const deletion = studyDeletion(record, countByState(trials), running, options, queue.entries.length);
      if (!deletionGoesOn(deletion)) return deletion;
      append({ op: 'delete', study }, true);
      this.seen.delete(study);
      return deletion;
    }, true);
  }

  /** One `add` line holds every trial: a torn line loses them all, so the import is all or none. */
  async addTrials(
    study: string,
    given: readonly NewFinishedTrial[],
    options?: AddTrialsOptions,
  ): Promise<readonly FinishedTrial[]> {
    return this.write((append) => {
      const { trials } = this.study(study);
      const number = trials.length;
      if (given.length === 0) return [];
      // Under the journal's lock, with every process's lines read: two imports of one file add it once, and two
      // that share trials each shared trial once.
      const added = trialsToAdd(study, trials, given, options);
      if (added.length === 0) return [];
      const at = this.clock.now().toISOString();
      append({ op: 'add', study, number, at, trials: added.map(journalAdded) }, true);
      return trials.slice(number) as FinishedTrial[];
    }, true);
  }

  async listStudies(): Promise<readonly StudyRecord[]> {
    this.refresh();
    return this.replica.studies();
  }

  async listEnqueued(study: string): Promise<readonly EnqueuedParams[]> {
    this.refresh();
    return this.study(study).queue.waiting().map(storedEntry);
  }

  async listRemovedEntries(study: string): Promise<readonly EnqueuedParams[]> {
    this.refresh();
    return this.study(study).queue.removedEntries().map(storedEntry);
  }

  async listTakenEntries(study: string): Promise<readonly TakenEntry[]> {
    this.refresh();
    return this.study(study)
      .queue.takenEntries()
      .map(({ trial, params, key }) => ({ trial, internal: { ...params }, ...(key === undefined ? {} : { key }) }));
  }

  async listTrials(study: string): Promise<readonly Trial[]> {
    this.refresh();
    return [...this.study(study).trials];
  }

  /** The trials this store's replica created or replaced since `cursor` (a position in its change log). */
  async listTrialsSince(study: string, cursor?: string): Promise<TrialChanges> {
    this.refresh();
    const found = this.study(study);
    return trialsChangedSince(found.changes, found.trials, cursor);
  }

  async close(): Promise<void> {
    await this.queue(() => {
      // Review 144: a second close cleared the replica it had left, which the next store had taken over (that store
      // then saw no study while its reader stood at the journal's end). Closed once, a close does nothing more.
      if (this.closed) return;
      this.closed = true;
      const file = this.file;
      this.file = undefined;
      // What it read is left to the next store of this process on this file (see `keepClosedJournals`); else let go.
      const left = file !== undefined && keeping() && this.handsOn() ? leftAsRead(file.fd, this.reader) : undefined;
      file?.close();
      if (left === undefined) this.replica.clear();
      else park(resolve(this.path), { ...left, reader: this.reader, replica: this.replica });
    });
  }

  /** Whether this store's reading may be handed on or taken over: a writer's, not a salvage's or a failed one's. */
  private handsOn(): boolean {
    return !this.readOnly && !this.salvage && !this.reader.failed;
  }

  private open(): JournalFile {
    if (this.closed) throw storeClosed(`JSONL store \`${this.path}\``);
    if (this.file === undefined) {
      this.file = this.readOnly ? JournalFile.openForReading(this.path) : JournalFile.open(this.path, this.fsync);
      this.takeOver(this.file.fd);
    }
    return this.file;
  }

  /**
   * Before its first read, takes over the replica a closed store of this process left of this journal, when the
   * file is still as that store left it (see {@link keepClosedJournals}).
   */
  private takeOver(fd: number): void {
    if (!this.handsOn() || this.reader.position !== 0) return;
    const parked = unpark(resolve(this.path), fd);
    if (parked === undefined) return;
    parked.reader.warnTo(this.warnHere);
    this.reader = parked.reader;
    this.replica = parked.replica;
  }

  /** Applies what other processes appended since the last look; no lock needed to read whole lines. */
  private refresh(): void {
    const { fd } = this.open();
    this.reader.catchUp(fd);
    // A reader takes no lock: a torn last line is said when no writer can be in the middle of it.
    if (this.readOnly) this.reader.noteTornTail(fd, () => this.lock.mayBeWriting());
  }

  /**
   * Runs a change under the in-process queue and the file lock, after catching up with every other
   * process's lines: checks happen against the latest state, so numbers are never allocated twice.
   * The lock is released before fsync; the call resolves after it.
   */
  private write<T>(task: (append: Append, file: JournalFile) => T, saves = false): Promise<T> {
    if (this.readOnly)
      return Promise.reject(new ParzenError('STORE_FAILED', `The journal \`${this.path}\` was opened read-only.`));
    return this.queue(async () => {
      const file = this.open();
      await this.lock.acquire(stopSignal(this.stopping, saves));
      let sync = false;
      let result: T;
      try {
        file.checkStillAtPath();
        this.reader.catchUp(file.fd);
        if (this.reader.endsWithWholeRecord(file.fd)) {
          // Its record counts in what this change decides (the trial numbers, what has finished, the repeats).
          file.append('\n');
          this.reader.catchUp(file.fd);
        }
        const append: Append = (record, durable, needs = 1) => {
          const version = Math.max(recordVersion(record), needs);
          // The first record of a newer format version comes after a header naming that version.
          const header = version > (this.replica.version ?? 1) ? `${journalHeader(version)}\n` : '';
          // Said when the journal's maker may not read the new version (trial 63: unsaid, and older builds were then
          // refused it); not when its first header says its maker reads it (review 67: a batch's journal, begun by
          // its first study; trial 117: a fleet's journal, begun minutes before by a worker of the same build).
          if (header !== '' && (this.replica.beganReading ?? 1) < version)
            this.onWarning(
              storeUpgradeNote(`JSONL journal \`${this.path}\``, this.replica.version ?? 1, version, true),
            );
          const prefix = this.reader.appendPrefix(file.fd) + header;
          const line = `${encodeLine(record, this.path)}\n`;
          file.append(prefix + line);
          this.reader.appended(file.fd, prefix, line);
          sync ||= this.fsync === 'always' || (durable && this.fsync === 'finish');
        };
        result = task(append, file);
      } finally {
        this.lock.release();
      }
      if (sync) file.sync();
      return result;
    });
  }

  private study(name: string): ReplicaStudy {
    return this.known(name, this.replica.study(name));
  }

  /** `found`, the journal's study of that name, when it is the one this store saw under it (see {@link seen}). */
  private known(name: string, found: ReplicaStudy | undefined): ReplicaStudy {
    const seen = this.seen.get(name);
    if (seen !== undefined && found !== seen) throw studyDeleted(name);
    if (found === undefined) throw studyNotFound(name);
    if (seen === undefined) this.seen.set(name, found);
    return found;
  }

  /** Trial `number` of `study`, refused unless it is running (`found`: the study as read, settled by default). */
  private running(study: string, number: number, found: ReplicaStudy = this.study(study)): RunningTrial {
    const trial = found.trials[number];
    if (trial === undefined) throw trialNotFound(study, number);
    if (trial.state !== 'running') throw trialAlreadyFinished(study, number);
    return trial;
  }
}

/** A journal as a closed store left it: the file (device, inode, size, times) and the last bytes it had read. */
interface LeftJournal {
  readonly identity: string;
  readonly tail: Buffer;
}

/** A closed store's reading of a journal, kept for the next store of this process on that file. */
interface Parked extends LeftJournal {
  readonly path: string;
  readonly reader: JournalReader;
  readonly replica: Replica;
}

/** How many of the last bytes read are compared, besides the file's identity, before a replica is taken over. */
const TAIL_BYTES = 4096;

/** How many holds of {@link keepClosedJournals} are on. */
let holds = 0;

/** The one replica a closed store left while a hold is on (one journal's at most: the last closed). */
let parked: Parked | undefined;

const fileIdentity = (fd: number): string => {
  const { dev, ino, size, mtimeNs, ctimeNs } = fstatSync(fd, { bigint: true });
  return `${dev}:${ino}:${size}:${mtimeNs}:${ctimeNs}`;
};

const tailRead = (fd: number, end: number): Buffer => {
  const start = Math.max(0, end - TAIL_BYTES);
  return readAt(fd, start, end - start);
};

/** The file as a store leaves it, with what its reader had read; undefined when it cannot be looked at. */
const leftAsRead = (fd: number, reader: JournalReader): LeftJournal | undefined => {
  try {
    return { identity: fileIdentity(fd), tail: tailRead(fd, reader.position) };
  } catch {
    return undefined;
  }
};

const letGo = (): void => {
  parked?.replica.clear();
  parked = undefined;
};

/**
 * While the hold this returns is on, a `jsonl` store of this process that closes leaves what it read of its
 * journal (its replica) to the next store opened on that file, which then reads only what was appended since
 * instead of the whole file, if the file is as the closed store left it (its device, inode, size, modification
 * and change times, and its last 4 KiB). For a host that runs studies of one journal one after another
 * (`parzen run` over a matrix: a finished 1,000-study matrix took a minute to rerun doing nothing, each study
 * reading the whole journal again). One
 * journal's replica is kept at a time (the last closed); calling the returned function ends the hold, and the
 * last hold's end lets go of it. Without a hold, a store lets go of what it read at `close()`.
 */
// Trial 136 found the minute-long rerun of a finished matrix.
export const keepClosedJournals = (): (() => void) => {
  holds += 1;
  let on = true;
  return () => {
    if (!on) return;
    on = false;
    holds -= 1;
    if (holds === 0) letGo();
  };
};

/** Whether a closed store leaves its replica (see {@link keepClosedJournals}). */
const keeping = (): boolean => holds > 0;

/** Keeps a closed store's reading of the journal at `path`, letting go of any kept before. */
const park = (path: string, left: Omit<Parked, 'path'>): void => {
  letGo();
  parked = { ...left, path };
};

/**
 * The reading a closed store left of the journal at `path`, taken (no other store gets it), when the file open at
 * `fd` is the one it left, unchanged since: same device and inode, same size, same modification and change times,
 * and its last bytes read the same. Else undefined, and the store reads the file from its start, as ever. Stores
 * only append, which changes the size; an edit in place that keeps the size changes the times on a file system with
 * fine-grained timestamps (ext4 on Linux 6.13 and later, in every one of 2,000 tries), but within one tick of a
 * coarse clock, with the last 4 KiB unchanged, it would go unseen.
 */
const unpark = (path: string, fd: number): Pick<Parked, 'reader' | 'replica'> | undefined => {
  const kept = parked;
  if (kept === undefined || kept.path !== path) return undefined;
  parked = undefined;
  const now = leftAsRead(fd, kept.reader);
  if (now !== undefined && now.identity === kept.identity && now.tail.equals(kept.tail)) return kept;
  kept.replica.clear();
  return undefined;
};

/**
 * A record as one journal line; a record past V8's string limit (about 512 MiB: an import of large attrs)
 * is refused as a store error that says what to do, not a bare RangeError with a stack (review 45).
 */
const encodeLine = (record: JournalRecord, path: string): string => {
  try {
    return encodeRecord(record);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const what =
      record.op === 'add'
        ? `these ${record.trials.length} trials (an import is one line, all or none)`
        : `its ${record.op} record`;
    throw new ParzenError(
      'STORE_FAILED',
      `Journal \`${path}\`: ${what} would make a line longer than a JavaScript string can be (about 512 MiB); nothing was written. Import them in parts of under 512 MiB each, or into a SQLite or PostgreSQL store.`,
    );
  }
};

/** An added trial as the journal keeps it: its internal values as `params`, its intermediate values in step order, one per step. */
const journalAdded = ({ internal, ...trial }: NewFinishedTrial): JournalAddedTrial => {
  if (trial.intermediate === undefined) return { ...trial, params: internal };
  const intermediate: IntermediateValue[] = [];
  for (const point of trial.intermediate) addIntermediate(intermediate, point.step, point.value);
  return { ...trial, params: internal, intermediate };
};

/** The options `createJsonlStore` takes in code: a config's (the plugin schema), the path required, and
 * those only code can give. */
const JSONL_API_OPTIONS = {
  ...JSONL_OPTIONS_SCHEMA,
  required: ['path'],
  properties: {
    ...JSONL_OPTIONS_SCHEMA.properties,
    onWarning: {},
    lockTimeoutMs: { type: 'number', exclusiveMinimum: 0 },
    staleLockMs: { type: 'number', exclusiveMinimum: 0 },
    stopping: {},
    readOnly: { type: 'boolean' },
    salvage: { type: 'boolean' },
    clock: {},
  },
};

/**
 * A store that keeps studies in an append-only JSONL journal: one line per operation (study created,
 * trial created with its number and lease, params set, lease renewed, trial finished). The file is the
 * study; each store keeps an in-memory replica and reads only the bytes appended since it last looked.
 *
 * @remarks
 * - Several processes on one host may share a journal: every write happens under a lock file
 *   (`<path>.lock`, see the README) after replaying what the others appended, so trial numbers are
 *   allocated once and `limit` holds across processes.
 * - A finished trial is on disk before `finishTrial` resolves (with the default fsync policy).
 * - A torn last line (a crash in the middle of a write) is skipped with a warning; the next append first
 *   terminates it and records a `repair` line. Any other unreadable line is `STORE_CORRUPT`, naming it.
 * - Network file systems: not supported for several writers. NFS does not make `O_APPEND` atomic across
 *   clients and caches file sizes, so lines can overlap or be missed; the dead-process check only works on
 *   the lock holder's own host. Use one process per journal there, or the SQLite store on a local disk.
 *
 * @throws `ParzenError` `CONFIG_INVALID` for options it refuses (no `path`, an unknown key, a wrong type), naming
 * each.
 * @example
 * ```ts
 * const store = createJsonlStore({ path: 'heart.parzen.jsonl' });
 * const { resumed } = await store.openStudy({ name: 'heart', direction: 'minimize', seed: 1, space });
 * ```
 */
export const createJsonlStore = (options: JsonlStoreOptions): JsonlStore => {
  // Checked here for callers TypeScript does not check: without it a missing path surfaced as "Journal
  // `undefined`" at the first write. A config's options are checked against the plugin schema first.
  assertOptions(JSONL_API_OPTIONS, options, 'jsonl store', 'jsonl');
  if (options.salvage === true && options.readOnly !== true)
    throw invalidConfig('options for the jsonl store', [
      {
        pointer: '/salvage',
        expected: 'salvage only with readOnly: a damaged journal is read, never written to',
        found: 'salvage: true without readOnly',
      },
    ]);
  return new JsonlTrialStore(options.path, options);
};
