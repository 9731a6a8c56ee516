import { accessSync, constants, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** tsx's disk cache of compiled files: `<temp folder>/tsx-<uid>` (tsx's own rule). */
export const tsxCacheFolder = (): string =>
  join(tmpdir(), `tsx-${typeof process.geteuid === 'function' ? process.geteuid() : userInfo().username}`);

/** Whether something is at `path` (a path through a file, ENOTDIR, is nothing). */
const exists = (path: string): boolean => {
  try {
    return statSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
};

/** Whether this process can write in `folder` (an existing folder). */
const writable = (folder: string): boolean => {
  try {
    if (!statSync(folder).isDirectory()) return false;
    accessSync(folder, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Whether tsx can keep its cache: its folder is there and writable, or the temp folder is, to make it in. A temp
 * folder that does not exist is not made (tsx would make the whole path, as root, wherever TMPDIR points).
 */
export const tsxCacheUsable = (): boolean => {
  const cache = tsxCacheFolder();
  return exists(cache) ? writable(cache) : writable(tmpdir());
};

/**
 * tsx's API (`tsx/esm/api`), with its disk cache turned off (`TSX_DISABLE_CACHE`, in this thread's environment,
 * which the loader thread tsx starts copies) when the cache cannot be written: a read-only temp folder (a
 * container's `readOnlyRootFilesystem`) or a TMPDIR that is gone. tsx then compiles each TypeScript file in
 * memory, each time a thread loads it; with the cache on it failed with its own `EACCES: mkdir` instead,
 * blamed on the objective's module.
 */
// Found by trial 159 (a CI container's read-only root).
export const importTsx = async (): Promise<typeof import('tsx/esm/api')> => {
  if (process.env.TSX_DISABLE_CACHE === undefined && !tsxCacheUsable()) process.env.TSX_DISABLE_CACHE = '1';
  return import('tsx/esm/api');
};
