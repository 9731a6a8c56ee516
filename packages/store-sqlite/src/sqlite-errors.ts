import { ParzenError } from '@parzen/engine/plugin';

const CORRUPT_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);
const BUSY_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_BUSY_RECOVERY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_TIMEOUT',
  'SQLITE_LOCKED',
]);

const codeOf = (error: unknown): string | undefined => (error as { code?: unknown })?.code as string | undefined;

/** Whether SQLite gave up waiting for another connection (retrying later may succeed). */
export const isBusy = (error: unknown): boolean => BUSY_CODES.has(codeOf(error) ?? '');

/** Turns a better-sqlite3 error into a {@link ParzenError} naming the database file. */
export const storeError = (path: string, error: unknown, doing: string): ParzenError => {
  if (error instanceof ParzenError) return error;
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && CORRUPT_CODES.has(code)) {
    return new ParzenError(
      'STORE_CORRUPT',
      `SQLite store \`${path}\` is not a readable database (${code}: ${message}) while ${doing}. ` +
        'Restore it from a backup, or point the store at another file.',
      { cause: error },
    );
  }
  return new ParzenError(
    'STORE_FAILED',
    `SQLite store \`${path}\` failed while ${doing}: ${code === undefined ? '' : `${code}: `}${message}`,
    {
      cause: error,
    },
  );
};
