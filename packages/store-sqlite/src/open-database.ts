import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { FsyncPolicy } from '@parzen/engine/plugin';
import { folderNotMade, makeFolder, ParzenError } from '@parzen/engine/plugin';
import type BetterSqlite3 from 'better-sqlite3';
import { BUSY_SLICE_MS, retryBusySync } from './busy-retry.js';
import { checkSchema, MIGRATIONS, migrate } from './schema.js';

export type { FsyncPolicy };

// better-sqlite3 is a native module: loaded on the first open, so importing this package (the CLI does,
// to list its plugins) costs nothing until a SQLite store is used. The loader is made then too: a program
// bundled to CommonJS has no import.meta.url, and making it at import crashed every such program that
// imported `parzen`, SQLite used or not (trial 80).
let loaded: typeof BetterSqlite3 | undefined;
const database = (): typeof BetterSqlite3 => {
  if (loaded !== undefined) return loaded;
  const here = (import.meta as { url?: string }).url;
  if (here === undefined)
    throw new ParzenError(
      'STORE_FAILED',
      'The SQLite store cannot load better-sqlite3 from a program bundled to CommonJS (it has no import.meta.url): bundle as ESM (esbuild --format=esm), or keep @parzen/store-sqlite and better-sqlite3 outside the bundle (--external).',
    );
  loaded = createRequire(here)('better-sqlite3') as typeof BetterSqlite3;
  return loaded;
};

const UNWRITABLE_FOLDER = new Set(['SQLITE_READONLY_DIRECTORY', 'SQLITE_CANTOPEN', 'SQLITE_READONLY_CANTINIT']);

/** Opens (or creates, with its folder) the database in WAL mode and brings its schema up to date. */
export const openDatabase = (
  path: string,
  busyTimeoutMs: number,
  fsync: FsyncPolicy,
  onUpgrade?: (from: number, to: number) => void,
  /** Said once when opening waits for another process's lock past 3 s. */
  onSlowWait?: (waitedMs: number) => void,
): BetterSqlite3.Database => {
  refuseFolder(path);
  try {
    makeFolder(dirname(path));
  } catch (error) {
    // Its folder could not be made (trial 104: the bare errno of mkdir, for a path under /proc).
    const unmade = folderNotMade(error);
    throw unmade === undefined
      ? error
      : new ParzenError('STORE_FAILED', `SQLite store \`${path}\`: ${unmade}.`, { cause: error });
  }
  const Database = database();
  let db: BetterSqlite3.Database;
  try {
    // Each call waits a slice in SQLite's busy handler; the retry loops wait out the rest of busyTimeoutMs.
    db = new Database(path, { timeout: Math.min(busyTimeoutMs, BUSY_SLICE_MS) });
  } catch (error) {
    throw unwritableFolder(path, error) ?? error;
  }
  try {
    retryBusySync(
      () => {
        db.pragma('journal_mode = WAL');
        db.pragma(`synchronous = ${fsync === 'always' ? 'FULL' : 'NORMAL'}`);
        db.pragma('foreign_keys = ON');
        migrate(db, path, MIGRATIONS, onUpgrade);
      },
      busyTimeoutMs,
      onSlowWait,
    );
    return db;
  } catch (error) {
    db.close();
    throw unwritableFolder(path, error) ?? error;
  }
};

/**
 * A folder where the database should be: SQLite's own error is a bare "unable to open database file"
 * (or, read-only, "disk I/O error").
 */
const refuseFolder = (path: string): void => {
  let found: ReturnType<typeof statSync>;
  try {
    found = statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    // A parent that is a file (ENOTDIR) or a folder this process may not search (EACCES).
    throw new ParzenError('STORE_FAILED', `SQLite store \`${path}\`: cannot reach it: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (found?.isDirectory() !== true) return;
  throw new ParzenError(
    'STORE_FAILED',
    `SQLite store \`${path}\` is a folder, not a database file: point the store at a file (such as a \`.parzen.db\` file inside it).`,
  );
};

/**
 * SQLite cannot create the database, or its `-wal` and `-shm` files, when the folder is not writable; its
 * own message ("unable to open database file", "attempt to write a readonly database") does not say so.
 */
const unwritableFolder = (path: string, error: unknown): ParzenError | undefined => {
  if (!UNWRITABLE_FOLDER.has((error as { code?: string }).code ?? '')) return undefined;
  const folder = dirname(path);
  try {
    accessSync(folder, constants.W_OK);
    return undefined;
  } catch {
    const name = basename(path);
    return new ParzenError(
      'STORE_FAILED',
      `SQLite store \`${path}\`: this process may not write in the folder \`${folder}\`, where SQLite ` +
        `creates the database and its \`${name}-wal\` and \`${name}-shm\` files. Make the folder writable, or point ` +
        'the store at a path in a writable folder (to only read a study, `parzen trials`, `best`, `studies`, `explain`, `export` and `report` need no write access).',
      { cause: error },
    );
  }
};

/**
 * Opens an existing database for reading; `copyDir` is set when it had to be copied to be read: its folder
 * is not writable (SQLite's WAL needs a `-shm` file beside it), or its schema is older than this code's
 * (the copy is migrated; the database itself is left as it is).
 */
export const openReadOnly = (
  path: string,
  busyTimeoutMs: number,
): { db: BetterSqlite3.Database; copyDir?: string; madeSideFiles?: true } => {
  if (!existsSync(path))
    throw new ParzenError(
      'STUDY_NOT_FOUND',
      `No study at ${path}: the database file does not exist (has the study run yet? \`parzen run CONFIG\` creates it; else check the store's path).`,
    );
  refuseFolder(path);
  const open = (file: string) => {
    const Database = database();
    const db = new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
    try {
      db.prepare('SELECT COUNT(*) FROM sqlite_master').get(); // fails here when the folder is not writable
      return { db, current: checkSchema(db, path) === MIGRATIONS.at(-1)?.version };
    } catch (error) {
      db.close();
      throw error;
    }
  };
  // A reader in WAL mode makes the `-wal` and `-shm` files when they are not there, and, read-only, leaves them
  // (trial 159: a CI job's clean-tree check failed after `parzen best`): see tidyAfterRead.
  const hadSideFiles = existsSync(`${path}-wal`) || existsSync(`${path}-shm`);
  try {
    const opened = open(path);
    if (opened.current) return { db: opened.db, ...(hadSideFiles ? {} : { madeSideFiles: true as const }) };
    opened.db.close();
    if (!hadSideFiles) tidyAfterRead(path);
  } catch (error) {
    if (!UNWRITABLE_FOLDER.has((error as { code?: string }).code ?? '')) throw error;
  }
  const copyDir = mkdtempSync(join(tmpdir(), 'parzen-sqlite-read-'));
  const copy = join(copyDir, basename(path));
  try {
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
    openDatabase(copy, busyTimeoutMs, 'never').close(); // brings the copy to the latest schema
    return { db: open(copy).db, copyDir };
  } catch (error) {
    rmSync(copyDir, { recursive: true, force: true });
    throw error;
  }
};

/**
 * After a read-only connection that found no `-wal` or `-shm` beside the database, and made them, is closed:
 * removes them as SQLite removes them, by opening and closing a connection that may write (it writes nothing: the
 * last connection to close in WAL mode checkpoints, a no-op on the empty `-wal` a read leaves, then deletes both
 * files). Only when the `-wal` is empty. Another process's connection keeps them, which SQLite decides under
 * its own locks (a file deleted from under a live connection would corrupt the database); so does a folder or a
 * file this process may not write, where the connection is refused and nothing is done.
 */
export const tidyAfterRead = (path: string): void => {
  try {
    if (statSync(`${path}-wal`).size !== 0) return;
    const Database = database();
    const db = new Database(path, { fileMustExist: true, timeout: 0 });
    try {
      db.prepare('SELECT COUNT(*) FROM sqlite_master').get(); // a connection that never read leaves the WAL unopened
    } finally {
      db.close();
    }
  } catch {
    // Left as they are: the files are SQLite's, harmless beside the database.
  }
};
