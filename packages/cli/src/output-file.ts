import { mkdirSync, type Stats, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CliError } from './exit-codes.js';

/** What `-o`'s path is now (undefined when nothing is there); a path that cannot be looked at is refused, named. */
export const existingOutput = (path: string): Stats | undefined => {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    throw new CliError(`-o: cannot write ${path}: ${(error as Error).message}`);
  }
};

/** Runs a write to `-o`'s path, turning a file-system error into one that names the path. */
export const writingOutput = async <T>(path: string, write: () => T | Promise<T>): Promise<T> => {
  try {
    return await write();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    throw new CliError(`-o: cannot write ${path}: ${(error as Error).message}`);
  }
};

/** Writes `content` to `-o`'s file, creating its parent folders. */
export const writeOutputFile = (path: string, content: string): Promise<void> =>
  writingOutput(path, () => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  });
