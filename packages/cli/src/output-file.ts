import { closeSync, openSync, type Stats, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeFolder } from '@parzen/engine/plugin';
import { CliError, EXIT } from './exit-codes.js';

/** What `-o`'s path is now (undefined when nothing is there); a path that cannot be looked at is refused, named. */
export const existingOutput = (path: string): Stats | undefined => {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    throw new CliError(`-o: cannot write ${path}: ${(error as Error).message}`);
  }
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
