import { accessSync, closeSync, constants, existsSync, openSync, readSync } from 'node:fs';
import { ParzenError, shellQuoted } from '@parzen/engine/plugin';

const CORRUPT_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);
const BUSY_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_BUSY_RECOVERY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_TIMEOUT',
  'SQLITE_LOCKED',
]);

/** The first bytes of a file (up to `bytes`), or undefined when it cannot be read. */
const headOf = (path: string, bytes: number): Buffer | undefined => {
  try {
    const fd = openSync(path, 'r');
    const buffer = Buffer.alloc(bytes);
    try {
      return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
};

/** Whether a file starts like text (JSON, a journal), which a damaged database never does. */
const looksLikeText = (path: string): boolean => {
  const head = headOf(path, 64)?.toString('latin1');
  return head !== undefined && (/^\s*[{[]/.test(head) || /^[\t\n\r\x20-\x7e]*$/.test(head));
};

/**
 * Whether a text file is a Parzen JSONL journal: its first line with text a JSON object with a string `op`, as
 * every journal record is (the jsonl store's own test is stricter; this one only picks the advice).
 */
const looksLikeJournal = (path: string): boolean => {
  const text =
    headOf(path, 64 * 1024)
      ?.toString('utf8')
      .replace(/^\uFEFF/, '') ?? '';
  const first = text.split('\n').find((line) => line.trim() !== '') ?? '';
  try {
    const record: unknown = JSON.parse(first);
    return typeof record === 'object' && record !== null && typeof (record as { op?: unknown }).op === 'string';
  } catch {
    // A header cut short by a crash (`{"op":"journal",...` with no end) still names itself.
    return /^\s*\{\s*"op"\s*:\s*"journal"/.test(first);
  }
};

/**
 * Who made the store, so its advice names what they write: `code` (`createSqliteStore`) or `config` (a config's
 * `"use": "sqlite"`, or the `parzen` command's `--store sqlite:PATH`, which is one).
 */
export type Audience = 'code' | 'config';

/**
 * What to do with a text file the sqlite store was pointed at: a journal is read by the jsonl store (said as the
 * `audience` makes a store); any other (a config, a script, a CSV) by no store, so no store is offered.
 */
const textFileNextStep = (path: string, audience: Audience): string =>
  looksLikeJournal(path)
    ? `It is a Parzen JSONL journal, not a SQLite database: read it with the jsonl store (${
        audience === 'code'
          ? '`createJsonlStore({ path })`'
          : `\`"use": "jsonl"\` in a config, \`--store ${shellQuoted(`jsonl:${path}`)}\` on the command line`
      }), or point the sqlite store at another file.`
    : `It is a text file (a config, a script, a CSV?), neither a SQLite database nor a Parzen journal, so no store reads it: a wrong path? Point the store at the SQLite database (${audience === 'code' ? 'a file a sqlite store made' : 'a file the sqlite store made, `<study>.parzen.db` by default'}), or at a file not there yet for a new one.`;

/** Whether this process may write `file` (by its permissions, as the system decides them for this user). */
const writable = (file: string): boolean => {
  try {
    accessSync(file, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

// Trial 126: SQLITE_READONLY blamed the writable database, its side files left 0444. Review 134: judged by the
// owner's write bit, it named a file another user owns and missed the ones this process may not write.
/**
 * The database's files (itself and its WAL side files) this process may not write, as a clause naming them:
 * SQLite gives the side files it creates the database's mode, so a database once read-only can leave them so
 * after it was made writable again. Empty when none (another cause: a read-only file system).
 */
export const unwritableFiles = (path: string, canWrite: (file: string) => boolean = writable): string => {
  const unwritable = [path, `${path}-wal`, `${path}-shm`].filter((file) => existsSync(file) && !canWrite(file));
  if (unwritable.length === 0) return '';
  const named = unwritable.map((file) => `\`${file}\``).join(', ');
  return ` (${named} ${unwritable.length === 1 ? 'is' : 'are'} not writable by this process: SQLite writes the database and its -wal and -shm side files, which it creates with the database's mode; make ${unwritable.length === 1 ? 'it' : 'them'} writable, and keep the side files: the -wal file may hold committed trials)`;
};

/** What a damaged database's messages tell its user to do. */
export const corruptNextStep = (path: string): string =>
  'Restore it from a backup, or point the store at another file. To save what is still readable: ' +
  `\`parzen export --store ${shellQuoted(`sqlite:${path}`)} --salvage -o saved.jsonl\`, then \`parzen import\` it into a new store (the \`parzen\` command of @parzen/cli).`;

/** Control characters (C0, DEL, C1): what a terminal obeys instead of showing. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it matches.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** Text read from a damaged file, on one line and safe to print: its control characters escaped (`\u001f`). */
export const printable = (text: string): string =>
  text.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** A text cell that holds no JSON (a damaged page, a hand edit), named by where it is. */
export class DamagedCell extends Error {
  constructor(
    /** Where the cell is: which column of which trial. */
    readonly where: string,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** A cell's JSON, parsed; else a {@link DamagedCell} naming `where` it is. */
export const parseCell = (text: string, where: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DamagedCell(where, error);
  }
};

const codeOf = (error: unknown): string | undefined => (error as { code?: unknown })?.code as string | undefined;

/** Whether SQLite gave up waiting for another connection (retrying later may succeed). */
export const isBusy = (error: unknown): boolean => BUSY_CODES.has(codeOf(error) ?? '');

/**
 * What to do when better-sqlite3, the native module under the store, cannot be loaded (trial 94: an install
 * with `--ignore-scripts` failed with "Could not locate the bindings file" and 13 paths tried), else undefined.
 */
const nativeModuleProblem = (code: string | undefined, message: string): string | undefined => {
  const first = message.split('\n')[0]?.trim() ?? '';
  if (code === 'MODULE_NOT_FOUND' && /'better-sqlite3'/.test(first))
    return `${first}. better-sqlite3, the native module the SQLite store runs on, is not installed where this program can load it (a bundle?): install it beside the program (npm install better-sqlite3), or use the jsonl store, which needs no native module.`;
  const bindings = first.startsWith('Could not locate the bindings file');
  if (bindings || code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION/.test(message)) {
    // The paths tried are left out; Node's own words on a module built for another Node are kept (review 98).
    const said = bindings ? first.replace(/\s*Tried:$/, '') : message.replace(/\s+/g, ' ').trim();
    return `${said.replace(/\.$/, '')}. better-sqlite3, the native module the SQLite store runs on, is not built for this Node (installed with --ignore-scripts, or for another Node version?): run \`npm rebuild better-sqlite3\` in the project (pnpm: \`pnpm rebuild better-sqlite3\`, after \`pnpm approve-builds\` where it blocks install scripts), or use the jsonl store, which needs no native module.`;
  }
  return undefined;
};

/**
 * Turns a better-sqlite3 error into a {@link ParzenError} naming the database file, its advice in the words of
 * `audience` (default `code`).
 */
export const storeError = (path: string, error: unknown, doing: string, audience: Audience = 'code'): ParzenError => {
  if (error instanceof ParzenError) return error;
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && CORRUPT_CODES.has(code)) {
    // A file that does not start as a SQLite database (SQLITE_NOTADB) cannot be salvaged either: a salvage opens
    // it the same way and fails alike, so it is not offered.
    const next = looksLikeText(path)
      ? textFileNextStep(path, audience)
      : code === 'SQLITE_NOTADB'
        ? 'It does not start as a SQLite database does, so it is no Parzen SQLite store and no salvage can read it: a wrong path, or a file of another kind (an archive, an encrypted database)? Restore it from a backup, or point the store at the right file.'
        : corruptNextStep(path);
    return new ParzenError(
      'STORE_CORRUPT',
      `SQLite store \`${path}\` is not a readable database (${code}: ${message}) while ${doing}. ${next}`,
      { cause: error },
    );
  }
  // JSON.parse of a cell: what a damaged page (or a hand edit) gives where the store wrote JSON.
  if (error instanceof DamagedCell || error instanceof SyntaxError)
    return new ParzenError(
      'STORE_CORRUPT',
      `SQLite store \`${path}\` is damaged: ${error instanceof DamagedCell ? error.where : 'a text cell'} is not valid JSON (${printable(message)}) while ${doing}. ` +
        `Nothing was written. ${corruptNextStep(path)}`,
      { cause: error },
    );
  const native = nativeModuleProblem(code, message);
  if (native !== undefined)
    return new ParzenError('STORE_FAILED', `SQLite store \`${path}\` failed while ${doing}: ${native}`, {
      cause: error,
    });
  // The -shm file could not be grown, or a write found no room: say what that usually means.
  const full =
    code === 'SQLITE_FULL'
      ? ' (the disk or file system is full: the write was undone, and what the database held before it is intact)'
      : code === 'SQLITE_IOERR_SHMSIZE'
        ? ' (is the disk or file system full?)'
        : code === 'SQLITE_IOERR_WRITE'
          ? // SQLite says a full disk (ENOSPC) as SQLITE_FULL; a write refused otherwise (EFBIG, EDQUOT, EIO) as this.
            ' (the write was refused: a file size limit (`ulimit -f`) or a disk quota reached, or a failing disk?)'
          : (code ?? '').startsWith('SQLITE_READONLY')
            ? unwritableFiles(path)
            : '';
  return new ParzenError(
    'STORE_FAILED',
    `SQLite store \`${path}\` failed while ${doing}: ${code === undefined || message.startsWith(code) ? '' : `${code}: `}${message}${full}`,
    {
      cause: error,
    },
  );
};

/**
 * A store made from a config (or `--store`) that could not open `path`: its error with the advice of a text file in
 * a config's words (see {@link Audience}); any other error as it is.
 */
export const saidForConfig = (path: string, error: unknown): unknown =>
  error instanceof ParzenError &&
  error.code === 'STORE_CORRUPT' &&
  looksLikeText(path) &&
  !(error.cause instanceof ParzenError)
    ? storeError(path, error.cause, 'opening it', 'config')
    : error;
