import { closeSync, existsSync, fstatSync, fsyncSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { FsyncPolicy } from '@parzen/engine/plugin';
import { folderNotMade, makeFolder, ParzenError } from '@parzen/engine/plugin';
import { journalFailed } from './journal-errors.js';

export type { FsyncPolicy };

/** The journal file open for reading and appending (`O_APPEND`: every write lands at the current end). */
/** A journal path that is a folder, said with what to do. */
const journalIsFolder = (path: string) =>
  journalFailed(
    path,
    'this is a folder, not a journal file; point the store at a file (such as a `.parzen.jsonl` file inside it)',
  );

export class JournalFile {
  readonly fd: number;

  /** The path resolved when the file was opened: a later `process.chdir` does not move it. */
  private readonly absolute: string;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
    this.absolute = resolve(path);
  }

  /** Opens (or creates, with its folder) the journal; a new file's folder entry is flushed unless `never`. */
  static open(path: string, fsync: FsyncPolicy): JournalFile {
    try {
      makeFolder(dirname(path));
      const created = !existsSync(path);
      const file = new JournalFile(path, openSync(path, 'a+'));
      if (created && fsync !== 'never') syncFolder(dirname(path));
      return file;
    } catch (error) {
      // Said as the read-only commands say it (trial 44: a bare EISDIR for `run`).
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EISDIR') throw journalIsFolder(path);
      // Its folder could not be made (trial 104: the bare errno of mkdir, for a path under /proc).
      const unmade = folderNotMade(error);
      if (unmade !== undefined)
        throw new ParzenError('STORE_FAILED', `Journal \`${path}\`: ${unmade}.`, { cause: error });
      // As the SQLite store says it (trial 68: a bare EROFS for the journal, a hint for the database).
      if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM')
        throw journalFailed(
          path,
          'this process may not write the journal file or create it in its folder. Make them writable, or point ' +
            'the store at a path in a writable folder (to only read a study, `parzen trials`, `best`, `studies`, `explain`, `export` and `report` need no write access)',
          error,
        );
      throw journalFailed(path, 'could not open the journal file', error);
    }
  }

  /** Opens an existing journal for reading only; a missing file is `STUDY_NOT_FOUND` ("no study at"). */
  static openForReading(path: string): JournalFile {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new ParzenError(
          'STUDY_NOT_FOUND',
          `No study at ${path}: the journal file does not exist (has the study run yet? \`parzen run CONFIG\` creates it; else check the store's path).`,
        );
      throw journalFailed(path, 'could not open the journal file for reading', error);
    }
    // Opening a folder for reading succeeds; reading it would fail with a bare EISDIR.
    if (fstatSync(fd).isDirectory()) {
      closeSync(fd);
      throw journalIsFolder(path);
    }
    return new JournalFile(path, fd);
  }

  /** Appends text in one `write` call (looping only if the kernel writes part of it). */
  append(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    } catch (error) {
      // A newline alone ends a last line that an earlier write left unfinished: said as such, not as "could not
      // append 1 bytes" (a run started again on a disk still full).
      throw journalFailed(
        this.path,
        text === '\n'
          ? `could not end its last line, which an earlier write that failed left unfinished${whyNotWritten(error).replace('(the disk is full)', '(the disk is still full)')}`
          : `could not append ${bytes.length} byte${bytes.length === 1 ? '' : 's'}${whyNotWritten(error)}`,
        error,
      );
    }
  }

  /**
   * Refuses to write once the path no longer names this open file (the journal deleted, or moved,
   * while a run goes on: it would append to the removed file and end "15 complete", exit 0, its trials lost;
   * a worker started then would make a new journal at the path and number from #0). A path that cannot be
   * looked at says nothing: the write goes on.
   */
  checkStillAtPath(): void {
    let atPath: ReturnType<typeof statSync>;
    try {
      atPath = statSync(this.absolute, { throwIfNoEntry: false });
    } catch {
      return;
    }
    const open = fstatSync(this.fd);
    if (atPath !== undefined && atPath.ino === open.ino && atPath.dev === open.dev) return;
    throw journalFailed(
      this.path,
      atPath === undefined
        ? 'the journal file was deleted or moved while this store had it open: what it records now would go into the removed file and be lost. Nothing more is written; if it was moved, move it back and run again'
        : 'the journal file was replaced by another file while this store had it open (a copy, a checkout, a new study): nothing more is written to the old one; run again to go on with the file now there',
    );
  }

  sync(): void {
    try {
      fsyncSync(this.fd);
    } catch (error) {
      throw journalFailed(this.path, 'fsync failed', error);
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

// Trial 163: a journal made read-only (EPERM) was said as "(disk full?)".
/** The likely cause of a failed write, from its error code (nothing when it does not say). */
export const whyNotWritten = (error: unknown): string => {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOSPC':
      return ' (the disk is full)';
    case 'EDQUOT':
      return ' (the disk quota is used up)';
    case 'EFBIG':
      return ' (the file is at its size limit: `ulimit -f`?)';
    case 'EROFS':
      return ' (its file system is read-only now)';
    case 'EACCES':
    case 'EPERM':
      return ' (this process may no longer write the file: it was made read-only or immutable?)';
    default:
      return '';
  }
};

const syncFolder = (folder: string): void => {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};
