import {
  type BigIntStats,
  closeSync,
  existsSync,
  fstatSync,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inSeconds, ParzenError, processState, thisProcess } from '@parzen/engine/plugin';
import { journalFailed } from './journal-errors.js';

/** What a lock file holds: who took the lock and when. */
interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly at: string;
  /** The holder's start and pid namespace (Linux), so a reused pid or another container is told apart. */
  readonly start?: string | undefined;
  readonly namespace?: string | undefined;
  /** The machine's boot id (Linux): another machine with this host name is told apart. */
  readonly boot?: string | undefined;
}

export interface FileLockOptions {
  /** The lock file, e.g. `study.parzen.jsonl.lock`. */
  readonly path: string;
  /** Give up (`STORE_FAILED`) after waiting this long for another holder, unless it is alive on this host. */
  readonly timeoutMs: number;
  /**
   * A lock older than this is broken when this process cannot tell whether its holder lives (on another host or
   * in another container, or no holder named); a dead holder's is broken at once, a live one's of this host never.
   */
  readonly staleMs: number;
  /** Told once when a wait passes a second (a person may wonder why nothing happens). */
  readonly onLongWait?: (message: string) => void;
}

const HOST = hostname();

/** Inode plus modification time in ns: a new lock file differs even if it reuses a freed inode number. */
const identity = (stats: BigIntStats): string => `${stats.ino}:${stats.mtimeNs}`;

const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

/** This process as a lock file names it. */
const SELF = thisProcess();

/** Whether `holder` is a process of this host that no longer exists. */
const isDeadHere = (holder: LockHolder | undefined): holder is LockHolder =>
  holder !== undefined && holder.pid !== process.pid && processState(holder) === 'dead';

/**
 * Whether `holder` is a live process of this host (a paused one too): its lock is never broken. Only a
 * holder that named its start (this version, on Linux) counts: without it a reused pid would look alive
 * for good, so such a lock is judged by its age, as before.
 */
const isLiveHere = (holder: LockHolder | undefined): boolean =>
  holder !== undefined && holder.start !== undefined && holder.pid !== process.pid && processState(holder) === 'alive';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errno(error) === 'EPERM';
  }
};

const readHolder = (path: string): LockHolder | undefined => {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    return typeof holder.pid === 'number' && typeof holder.host === 'string' ? holder : undefined;
  } catch {
    return undefined; // gone, or not a lock this version wrote
  }
};

let drafts = 0;
/**
 * Draft numbers wrap here (3 characters in base 36 keep the name short): a draft lives only while its lock
 * is taken, and one whose name is in use is passed over.
 */
const DRAFT_NUMBERS = 36 ** 3;

/**
 * The name of a draft beside `path`: at most 94 bytes more than a journal's name (`.lock.break`, a host
 * name of 64 bytes, a 7-digit pid, 3 characters of number), so a study file name of
 * `STUDY_FILE_NAME_BYTES` (160) still leaves it within a file name's 255 (a decimal count would
 * pass it after 10,000 locks taken).
 */
export const draftName = (path: string, host: string, pid: number, count: number): string =>
  `${path}.${host}.${pid}.${(count % DRAFT_NUMBERS).toString(36)}.draft`;

/** Writes this process's {@link LockHolder} into the open file `fd`, closes it, returns the file's identity. */
const writeHolder = (fd: number): string => {
  try {
    writeSync(fd, JSON.stringify({ ...SELF, at: new Date().toISOString() } satisfies LockHolder));
    return identity(fstatSync(fd, { bigint: true }));
  } finally {
    closeSync(fd);
  }
};

/** `link` errors of file systems without hard links (FAT, exFAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Where hard links are not supported: creates `path` with `O_CREAT | O_EXCL`, then writes the holder. A
 * process killed between the two leaves an empty lock that only `staleMs` breaks.
 */
const createExclusive = (path: string, write: (fd: number) => string): string | undefined => {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if (errno(error) === 'EEXIST') return undefined;
    throw error;
  }
  try {
    return write(fd);
  } catch (error) {
    unlinkQuietly(path); // ours, and empty or torn: no lock (a full disk, trial 68)
    throw error;
  }
};

/**
 * Creates `path` holding this process's {@link LockHolder}; undefined when it exists. The holder is
 * written to a draft file first and the draft hard-linked to `path` (`link` fails when `path` exists,
 * atomically, as `O_EXCL` does, and on NFS too), so `path` never exists without its holder: a process
 * killed at any moment leaves no lock or a lock naming a dead pid (broken at once), never an empty one
 * that only its age could break. Returns the identity of the file created. On a file system without
 * hard links it falls back on {@link createExclusive}. `link` and `write` are parameters for the tests.
 */
export const createHeld = (
  path: string,
  link: (from: string, to: string) => void = linkSync,
  write: (fd: number) => string = writeHolder,
): string | undefined => {
  // A name no one else uses: created exclusively, the next number taken when it exists (worker threads of
  // one process count on their own, from 0: review 75).
  let draft = '';
  let fd: number | undefined;
  for (let attempt = 0; fd === undefined; attempt++) {
    draft = draftName(path, HOST, process.pid, drafts++);
    try {
      fd = openSync(draft, 'wx');
    } catch (error) {
      if (errno(error) !== 'EEXIST' || attempt >= DRAFT_NUMBERS) throw error;
    }
  }
  try {
    const created = write(fd);
    try {
      link(draft, path);
      return created;
    } catch (error) {
      const code = errno(error);
      if (code === 'EEXIST') return undefined;
      if (code !== undefined && NO_HARD_LINKS.has(code)) return createExclusive(path, write);
      throw error;
    }
  } finally {
    // Also when the holder could not be written (trial 68: a full disk left a draft per attempt).
    unlinkQuietly(draft);
  }
};

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes the drafts that processes of this host left beside `path` (and its breaker) when they were
 * killed between writing a draft and removing it; a draft of a live process, or of another host, stays.
 * Done when a dead process's lock is broken, and once at a lock's first take.
 */
/** When `file` was last written (ms), or undefined when it cannot be seen. */
const modifiedAt = (file: string): number | undefined => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
};

const removeDeadDrafts = (path: string): void => {
  const pattern = new RegExp(
    `^${escaped(basename(path))}(?:\\.break)?\\.${escaped(HOST)}\\.(\\d+)\\.[0-9a-z]+\\.draft$`,
  );
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  // A draft with this process's pid from before it started is an earlier process's (pids repeat across
  // container restarts): drafts are passed over while they exist, so it would stay (review 76).
  const started = Date.now() - process.uptime() * 1000;
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!Number.isSafeInteger(pid)) continue;
    const file = join(dirname(path), name);
    // A minute's margin: file times may be coarse (FAT: 2 s) or a file server's clock behind (review 78).
    if (pid !== process.pid ? !isAlive(pid) : (modifiedAt(file) ?? started) < started - 60_000) unlinkQuietly(file);
  }
};

/** Back-off between attempts: grows to 16 ms, spread by pid so waiting processes do not retry in step. */
const backoffMs = (attempt: number): number => Math.min(16, 1 + attempt) + ((process.pid + attempt) % 4);

/**
 * An exclusive lock between processes on one host: a lock file created with `O_CREAT | O_EXCL` that
 * holds the holder's pid, host, start and pid namespace and the time. A lock whose holder is a dead process
 * on this host is broken at once; one whose holder lives on this host is never broken (a paused process
 * would append again when resumed); one whose holder is on another host (or in another container) is
 * broken when older than `staleMs`. Breaking happens under a second `.break` lock, so two processes that
 * both find a lock stale cannot delete each other's fresh lock.
 *
 * @remarks `O_EXCL` is atomic on local file systems and on NFSv3+; the pid check works only on the holder's
 * own host, so on a shared file system a crashed holder on another machine blocks others for `staleMs`.
 */
export class FileLock {
  /** Identity (inode and modification time) of the lock file this process created, while it holds it. */
  private held: string | undefined;
  /** Whether this lock has looked for drafts that killed processes left (once, at its first take). */
  private swept = false;

  constructor(private readonly options: FileLockOptions) {}

  /**
   * Takes the lock, waiting (asynchronously) while another process holds it. When `giveUp` aborts during
   * the wait (Ctrl-C), throws `INTERRUPTED` without taking it. Past `timeoutMs` it fails, unless the holder
   * is alive on this host (paused, or slow): its lock is never broken, so the wait goes on (said every
   * `timeoutMs`) rather than fail a write that may be saving a finished trial.
   */
  async acquire(giveUp?: AbortSignal): Promise<void> {
    const started = Date.now();
    let deadline = started + this.options.timeoutMs;
    let told = false;
    for (let attempt = 0; ; attempt++) {
      if (!told && Date.now() - started > 1_000) {
        told = true;
        this.options.onLongWait?.(`waiting for the lock ${this.options.path}${this.holderText()}`);
      }
      if (this.tryCreate()) return;
      // Retry at once after breaking a stale lock, but never past the deadline.
      if (this.breakIfStale() && Date.now() <= deadline) continue;
      if (Date.now() > deadline) {
        if (!isLiveHere(readHolder(this.options.path))) throw this.timedOut();
        deadline = Date.now() + this.options.timeoutMs;
        this.options.onLongWait?.(
          `still waiting for the lock ${this.options.path}${this.holderText()}, a live process of this host (paused?): resume or stop it`,
        );
      }
      if (giveUp?.aborted) throw this.interrupted();
      try {
        await sleep(backoffMs(attempt), undefined, giveUp === undefined ? {} : { signal: giveUp });
      } catch {
        throw this.interrupted();
      }
    }
  }

  /**
   * Whether some process may be writing now: the lock file is there and its holder is not known to be dead. A
   * journal is appended to only under the lock, so without it no write is half done.
   */
  mayBeWriting(): boolean {
    if (!existsSync(this.options.path)) return false;
    return !isDeadHere(readHolder(this.options.path));
  }

  private holderText(): string {
    const holder = readHolder(this.options.path);
    if (holder !== undefined) return ` (held by pid ${holder.pid} on ${holder.host})`;
    // Trial 112: a lock file with no holder in it (empty, or not one Parzen wrote) made a 10 s wait, unexplained.
    const seen = statSync(this.options.path, { throwIfNoEntry: false });
    return seen === undefined || seen.isDirectory()
      ? ''
      : ` (it names no holder: empty, or not written by Parzen, or a process died writing it; it is broken once unchanged for ${inSeconds(this.options.staleMs)}${this.options.timeoutMs <= this.options.staleMs ? `, unless this wait gives up first, after ${inSeconds(this.options.timeoutMs)}` : ''})`;
  }

  private interrupted(): ParzenError {
    return new ParzenError(
      'INTERRUPTED',
      `Stopped while waiting for the lock ${this.options.path}${this.holderText()}.`,
    );
  }

  /** Releases the lock, unless it was broken and taken by another process meanwhile (another file). */
  release(): void {
    const held = this.held;
    this.held = undefined;
    const current = statSync(this.options.path, { bigint: true, throwIfNoEntry: false });
    if (held === undefined || current === undefined || identity(current) !== held) return;
    try {
      unlinkSync(this.options.path);
    } catch (error) {
      if (errno(error) !== 'ENOENT') throw journalFailed(this.options.path, 'could not remove the lock file', error);
    }
  }

  private tryCreate(): boolean {
    let created: string | undefined;
    try {
      created = createHeld(this.options.path);
    } catch (error) {
      // Trial 159: a folder this process may not write was said as a failure to create an internal draft file.
      const code = errno(error);
      if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM')
        throw new ParzenError(
          'STORE_FAILED',
          `Lock file \`${this.options.path}\`: this process may not create files in the folder \`${dirname(this.options.path)}\`, ` +
            'where a writer of the journal takes its lock file (the journal itself may be writable). Make the folder writable, or point ' +
            'the store at a path in a writable folder ' +
            '(to only read a study, `parzen trials`, `best`, `studies`, `explain`, `export` and `report` need no write access).',
          { cause: error },
        );
      // Trial 163: the journal's folder removed under a run was said as an internal draft file not created.
      const folder = dirname(this.options.path);
      if (code === 'ENOENT' && !existsSync(folder))
        throw new ParzenError(
          'STORE_FAILED',
          `The folder \`${folder}\` of the journal was deleted or moved while this store had the journal open: what it ` +
            'records now would be lost. Nothing more is written; if it was moved, move it back and run again.',
          { cause: error },
        );
      throw journalFailed(this.options.path, 'could not create the lock file', error);
    }
    if (created === undefined) return false;
    this.held = created;
    if (!this.swept) {
      // A process killed before its draft was linked left the draft behind, and no lock to break.
      this.swept = true;
      removeDeadDrafts(this.options.path);
    }
    return true;
  }

  private isStale(holder: LockHolder | undefined, mtimeMs: number): boolean {
    if (isDeadHere(holder)) return true;
    // A live holder on this host is slow or paused (SIGSTOP, a suspended terminal), not gone: breaking its
    // lock would let two processes append at once, and the paused one, resumed, would misread the journal.
    if (isLiveHere(holder)) return false;
    return Date.now() - mtimeMs > this.options.staleMs;
  }

  /** Removes a stale lock; true when the lock is gone (retry at once), false when it is live. */
  private breakIfStale(): boolean {
    const { path } = this.options;
    let seen: { ino: number; mtimeMs: number; isDirectory(): boolean };
    try {
      seen = statSync(path);
    } catch (error) {
      if (errno(error) === 'ENOENT') return true;
      throw journalFailed(path, 'could not inspect the lock file', error);
    }
    if (seen.isDirectory()) {
      throw journalFailed(
        path,
        'the lock path is a directory (EISDIR), not a lock file; remove it (or move it away) and run again',
      );
    }
    const holder = readHolder(path);
    if (!this.isStale(holder, seen.mtimeMs)) return false;
    const breaker = `${path}.break`;
    let breaking: string | undefined;
    try {
      breaking = createHeld(breaker);
    } catch (error) {
      throw journalFailed(breaker, 'could not create the lock breaker file', error);
    }
    if (breaking === undefined) {
      // Another process is breaking the lock; its breaker is stale if that process died doing so.
      const other = statSync(breaker, { throwIfNoEntry: false });
      if (other !== undefined && this.isStale(readHolder(breaker), other.mtimeMs)) {
        const still = statSync(breaker, { throwIfNoEntry: false });
        if (still?.ino === other.ino && still.mtimeMs === other.mtimeMs) unlinkQuietly(breaker);
      }
      return false;
    }
    if (isDeadHere(holder)) removeDeadDrafts(path);
    try {
      const now = statSync(path, { throwIfNoEntry: false });
      if (now !== undefined && now.ino === seen.ino && now.mtimeMs === seen.mtimeMs) unlinkQuietly(path);
    } finally {
      unlinkQuietly(breaker);
    }
    // Gone, or replaced by another process's fresh lock; still the same file means it could not be removed.
    const after = statSync(path, { throwIfNoEntry: false });
    return after === undefined || after.ino !== seen.ino || after.mtimeMs !== seen.mtimeMs;
  }

  private timedOut(): Error {
    const holder = readHolder(this.options.path);
    const who =
      holder === undefined ? 'an unknown process' : `process ${holder.pid} on ${holder.host} since ${holder.at}`;
    return journalFailed(
      this.options.path,
      `gave up after waiting ${this.options.timeoutMs} ms for the lock held by ${who}. ` +
        'If no Parzen process uses this journal any more, delete the lock file',
    );
  }
}

const unlinkQuietly = (path: string): void => {
  try {
    unlinkSync(path);
  } catch {
    // already gone: another process removed it first
  }
};
