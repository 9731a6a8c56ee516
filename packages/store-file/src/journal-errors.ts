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

/**
 * What the first line of a file that is not a journal looks like, without quoting it (a config's store
 * path pointed at a `.env` must not print its secret into a CI log): its shape and length.
 */
export const describeForeignLine = (line: string): string => {
  // A byte order mark is invisible: said by name (review 72), and the rest described.
  if (line.startsWith('\uFEFF')) return `a byte order mark, then ${describeForeignLine(line.slice(1))}`;
  const text = line.replace(/\r$/, '');
  const length = `${text.length} ${text.length === 1 ? 'character' : 'characters'}`;
  const trimmed = text.trim();
  if (trimmed === '{' || trimmed === '[') return `\`${trimmed}\` (the start of pretty-printed JSON: a config?)`;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const fields = Object.keys(value);
      const of = `a JSON object of ${fields.length} ${fields.length === 1 ? 'field' : 'fields'}`;
      // Review 98: one with an `op` was said to have none.
      return fields.includes('op')
        ? `${of} whose \`op\` is no journal record's (${length})`
        : `${of}, none of them \`op\` (${length})`;
    }
    if (value === null) return `JSON null (${length})`;
    return `a JSON ${Array.isArray(value) ? 'array' : typeof value} (${length})`;
  } catch {
    // Not JSON: said by its shape below.
  }
  // Text a person or a program wrote (a control character other than a tab: binary data).
  const binary = [...text].some((char) => {
    const code = char.charCodeAt(0);
    return code < 0x20 && char !== '\t' && char !== '\r' && char !== '\f' && char !== '\v';
  });
  return binary ? `binary data (${length})` : `text that is not JSON (${length})`;
};

/** A line in the middle of the journal that is not a record: the file was edited or damaged. */
export const corruptLine = (path: string, line: number, problem: string): ParzenError =>
  new ParzenError(
    'STORE_CORRUPT',
    `Journal \`${path}\` is corrupt at line ${line}: ${problem}. ` +
      'Later lines depend on it, so the journal cannot be read as it is. Restore the file from a backup, or save ' +
      // The CLI's commands, said as such after them: a journal written in code is saved the same way.
      `what is intact: \`parzen export --store jsonl:${path} --salvage -o saved.jsonl\`, then \`parzen import\` it into a new store (the \`parzen\` command of @parzen/cli, for a journal written from code too).`,
  );

/** Any other failure of the journal's file operations. */
export const journalFailed = (path: string, what: string, cause?: unknown): ParzenError =>
  new ParzenError(
    'STORE_FAILED',
    `Journal \`${path}\`: ${what}${cause instanceof Error ? ` (${cause.message})` : ''}`,
    cause === undefined ? {} : { cause },
  );
