import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { sameTextHint } from '../errors.js';

/**
 * For a path with no file at it: ` (`café.mjs` looks the same but is written with other Unicode code points: ...;
 * the folder ... has it ...)` when the folder of its first missing part holds a name that looks the same (a file
 * copied from macOS named in NFD, `café.mjs` as e and an accent, while the config writes it in NFC; or a
 * name with an invisible character); empty otherwise. Said wherever Parzen says a file is missing.
 */
export const lookAlikeFileHint = (path: string): string => {
  let missing = path;
  // The first part of the path that is not there: a folder copied from macOS may be the one named otherwise.
  while (!existsSync(dirname(missing)) && dirname(missing) !== missing) missing = dirname(missing);
  const folder = dirname(missing);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return '';
  }
  const hint = sameTextHint(basename(missing), names);
  return hint === ''
    ? ''
    : `${hint.slice(0, -1)}; ${folder} has that one (a name copied from macOS may be in NFD): write it so in the config, or rename it)`;
};
