import { ParzenError } from '@parzen/engine/plugin';

const MAX_SHOWN = 60;

/** A line shortened for a message, with control characters (NUL padding after a power loss) visible. */
export const showLine = (text: string): string => {
  // A byte order mark is invisible: shown by name (review 72: a line "﻿" of 1 character).
  const shown = JSON.stringify(text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}...` : text).replaceAll(
    '\uFEFF',
    '\\uFEFF',
  );
  return `${shown} (${text.length} ${text.length === 1 ? 'character' : 'characters'})`;
};

/** A line in the middle of the journal that is not a record: the file was edited or damaged. */
export const corruptLine = (path: string, line: number, problem: string): ParzenError =>
  new ParzenError(
    'STORE_CORRUPT',
    `Journal \`${path}\` is corrupt at line ${line}: ${problem}. ` +
      'Later lines depend on it, so the journal cannot be read as it is. Restore the file from a backup, or read out ' +
      `what is intact (\`parzen export --store jsonl:${path} --salvage -o saved.jsonl\`, then \`parzen import\` it into a new store).`,
  );

/** Any other failure of the journal's file operations. */
export const journalFailed = (path: string, what: string, cause?: unknown): ParzenError =>
  new ParzenError(
    'STORE_FAILED',
    `Journal \`${path}\`: ${what}${cause instanceof Error ? ` (${cause.message})` : ''}`,
    cause === undefined ? {} : { cause },
  );
