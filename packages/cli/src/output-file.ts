import { closeSync, openSync, readSync, type Stats, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeFolder } from '@parzen/engine/plugin';
import { isJournalFile } from '@parzen/store-file';
import { CliError, EXIT } from './exit-codes.js';

/** What `-o`'s path is now (undefined when nothing is there); a path that cannot be looked at is refused, named. */
export const existingOutput = (path: string): Stats | undefined => {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    throw new CliError(`-o: cannot write ${path}: ${(error as Error).message}`);
  }
};

/** The first bytes of a file (fewer when it is shorter); empty when it cannot be read. */
const headOf = (path: string, bytes: number): string => {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(bytes);
    return buffer.toString('latin1', 0, readSync(fd, buffer, 0, bytes, 0));
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
};

const isSqlite = (path: string): boolean => headOf(path, 16) === 'SQLite format 3\0';

/**
 * What the file already at `-o`'s path is, when `-o` must not overwrite it: one of this command's inputs
 * (`inputs`: its configs), a study store (a JSONL journal, a SQLite database or its `-wal`, `-shm` or
 * `-journal` file). Trial 44: `report -o study.parzen.jsonl` and `export -o study.parzen.jsonl` replaced
 * the study (and every other study of a shared journal) and said "Wrote".
 */
const preciousFile = (path: string, found: Stats, inputs: readonly string[]): string | undefined => {
  for (const input of inputs) {
    const other = statSync(input, { throwIfNoEntry: false });
    if (other !== undefined && other.dev === found.dev && other.ino === found.ino)
      return `${input}, this command's config`;
  }
  if (isSqlite(path)) return 'a SQLite database (a study store)';
  if (isJournalFile(path)) return 'a Parzen journal (a study store)';
  return companionOf(path);
};

/** The `-wal`, `-shm` or `-journal` file of a SQLite database (there or not yet: SQLite makes it when it opens). */
const companionOf = (path: string): string | undefined => {
  const companion = /^(.*)-(wal|shm|journal)$/.exec(path);
  return companion !== null && isSqlite(companion[1] as string)
    ? `the ${companion[2]} file of SQLite database ${companion[1]} (a study store)`
    : undefined;
};

/**
 * Refuses `-o`'s path when a file there must not be overwritten (see {@link preciousFile}); any other
 * file is replaced, as `-o` says.
 */
export const refuseOverwritingInputs = (path: string, inputs: readonly string[] = []): void => {
  const found = existingOutput(path);
  if (found !== undefined && !found.isFile()) return;
  const what = found === undefined ? companionOf(path) : preciousFile(path, found, inputs);
  if (what !== undefined)
    throw new CliError(`-o: ${path} is ${what}; writing there would destroy it. Give another file.`);
};

/** Errors of the disk, not of the path given: the command failed (exit 1), the input was fine. */
const DISK_FAILURES = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EFBIG']);

/**
 * Runs a write to `-o`'s path, turning a file-system error into one that names the path: bad input (exit
 * 2) for a path that cannot be written (a folder, no permission), a failure (exit 1) for a full disk or
 * an I/O error, as `parzen trials > /dev/full` exits.
 */
export const writingOutput = async <T>(path: string, write: () => T | Promise<T>): Promise<T> => {
  try {
    return await write();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    const message = `-o: cannot write ${path}: ${(error as Error).message}`;
    throw DISK_FAILURES.has(code) ? new CliError(message, EXIT.studyError, 'OUTPUT_FAILED') : new CliError(message);
  }
};

/**
 * Writes `content` to `-o`'s file, creating its parent folders. Lines are written in pieces of about a
 * mebibyte, each line with its newline: joined, a large study's export passed V8's 512 MiB string limit
 * (review 44).
 */
export const writeOutputFile = (path: string, content: string | readonly string[]): Promise<void> =>
  writingOutput(path, () => {
    makeFolder(dirname(path));
    if (typeof content === 'string') {
      writeFileSync(path, content);
      return;
    }
    const fd = openSync(path, 'w');
    try {
      let piece = '';
      for (const line of content) {
        piece += `${line}\n`;
        if (piece.length >= 1 << 20) {
          writeFileSync(fd, piece);
          piece = '';
        }
      }
      writeFileSync(fd, piece);
    } finally {
      closeSync(fd);
    }
  });
