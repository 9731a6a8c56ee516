import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates folder `path` and the folders above it that are missing, as a recursive `mkdirSync` does, but
 * one level at a time: Node 20's recursive `mkdirSync` loops for ever, at full CPU and deaf to SIGTERM,
 * when a folder cannot be made although its parent exists (`/proc/x/study.jsonl`). Here that is the error
 * of the first folder that cannot be made (ENOENT, EACCES, ENOTDIR, ...).
 */
export const makeFolder = (path: string): void => {
  const missing: string[] = [];
  let at = resolve(path);
  while (!existsSync(at)) {
    missing.push(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  // A file where the folder should be: mkdir's own EEXIST, as the recursive call gives.
  if (missing.length === 0 && !statSync(at).isDirectory()) mkdirSync(at);
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i] as string);
    } catch (error) {
      // Made meanwhile by another process; a file there fails at the next level or at the open.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
};

/**
 * What to say of an error {@link makeFolder} threw for a store's file (its `mkdir` failed: `/proc/nope`, a
 * read-only mount), with what to do; undefined for any other error. The folder, the errno and the way out,
 * as one clause: `could not create the folder \`/proc/nope\` for it (ENOENT: ...): point ...`.
 */
export const folderNotMade = (error: unknown): string | undefined => {
  const { syscall, path, message } = (error ?? {}) as { syscall?: unknown; path?: unknown; message?: unknown };
  if (syscall !== 'mkdir' || typeof path !== 'string') return undefined;
  return `could not create the folder \`${path}\` for it (${String(message)}): point the store at a path whose folders exist or can be created there`;
};
