import { type Stats, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import type { ConfigIssue } from '../errors.js';

/**
 * `~` alone or at the start of `~/…` (also `~\…` on Windows) replaced by the home folder, as a shell expands
 * it; any other path as it is (`~name/…`, a `~` further on). A shell leaves `--store jsonl:~/x.jsonl` and a
 * config's text alone, and the path then named a folder called `~` in the working or config folder.
 */
export const expandHome = (path: string): string =>
  path === '~' || path.startsWith('~/') || (sep === '\\' && path.startsWith('~\\')) ? homedir() + path.slice(1) : path;

/**
 * Resolves a path from a config against the config's folder; a path starting with `~/` is in the home
 * folder (see {@link expandHome}).
 */
export const resolveConfigPath = (baseDir: string, path: string): string => {
  const expanded = expandHome(path);
  return isAbsolute(expanded) ? expanded : resolve(baseDir, expanded);
};

/**
 * The most bytes a store's file named after its study may have: 255, a file name's limit on common file
 * systems, less room for the names made beside it (a journal's lock draft `.lock.break.<host>.<pid>.<n>.draft`,
 * at most 94 bytes with a host name of 64, for which 180 leaves too little; a database's `-journal`).
 */
export const STUDY_FILE_NAME_BYTES = 160;

/**
 * A store path written as a URL or in the `--store` flag's NAME:PATH spelling, said with the config that was meant
 * (trial 167: `postgres://u@localhost/db` made a SQLite file in the folders `postgres:/u@localhost`, and
 * `sqlite:./x.db` a journal in a folder `sqlite:.`). Undefined for a path.
 */
const otherSpelling = (written: string): string | undefined => {
  const url = /^([A-Za-z][A-Za-z0-9+.-]+):\/\//.exec(written);
  if (url !== null && /^postgres(ql)?$/i.test(url[1] as string))
    return `a PostgreSQL URL: a PostgreSQL database is the postgres store, {"use": "postgres", "options": {"url": ${JSON.stringify(written)}}}`;
  if (url !== null)
    return `a URL, not a file path${/^file$/i.test(url[1] as string) ? ` (write the path itself, ${JSON.stringify(written.replace(/^file:\/\//i, ''))})` : ''}`;
  const flag = /^(jsonl|sqlite|memory|postgres):(.*)$/.exec(written);
  if (flag !== null)
    return `the --store flag's spelling (${flag[1]}:PATH): in a config the store is named by "use", {"use": "${flag[1]}", "options": {"path": ${JSON.stringify(flag[2])}}}`;
  return undefined;
};

/** What a file that is neither a regular file nor a folder is, in words. */
const specialFileKind = (stat: Stats): string =>
  stat.isCharacterDevice()
    ? 'a character device'
    : stat.isBlockDevice()
      ? 'a block device'
      : stat.isFIFO()
        ? 'a named pipe (FIFO)'
        : stat.isSocket()
          ? 'a socket'
          : 'not a regular file';

/**
 * For a store's `check()` (see `PluginManifest.check`): an issue at the config's `/name` when the file the
 * store names after the study (`fileName`, e.g. `<name>.parzen.jsonl`) would be too long for the file
 * system (so a 250-character name fails validate, not run with ENAMETOOLONG).
 */
export const studyFileNameIssues = (fileName: string, study: string): readonly ConfigIssue[] => {
  const bytes = Buffer.byteLength(fileName);
  if (bytes <= STUDY_FILE_NAME_BYTES) return [];
  const room = STUDY_FILE_NAME_BYTES - (bytes - Buffer.byteLength(study));
  return [
    {
      pointer: '/name',
      expected: `a study name of at most ${room} characters for a store that keeps the study in a file named after it (${fileName.slice(study.length)}), or a "path" for the store`,
      found: `${Buffer.byteLength(study)} characters`,
      absolute: true,
    },
  ];
};

/**
 * Whether a path as written ends with a folder separator (`/`, and `\\` on Windows, where it is one; on Linux
 * `ev\\` is a file name): it names a folder, never a file.
 */
export const endsWithSeparator = (written: string): boolean =>
  written.endsWith('/') || (sep === '\\' && written.endsWith('\\'));

/** The file's status, or undefined when it cannot be seen (missing, or a file where a folder should be). */
const statOf = (path: string) => {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
};

/**
 * For a store's `check()`: an issue at `pointer` when the store's file `path` cannot be one: it is a
 * folder or no regular file (a device, a FIFO), or the nearest part of it that exists is a file, not a folder
 * (`results.csv/study.db`). A missing folder is no issue (the store makes it). Said by `parzen validate` with the config's pointer, not at the
 * run's first write as a store failure (exit 1, `ENOTDIR: not a directory, stat ...`). `written`, the path as
 * the config wrote it, is refused when it ends with a slash.
 */
export const storeFilePathIssues = (path: string, pointer = '/path', written?: string): readonly ConfigIssue[] => {
  // A path written with a trailing slash names a folder (trial 86: `./out/` made a journal file `out`).
  if (written !== undefined && endsWithSeparator(written))
    return [
      {
        pointer,
        expected: 'the path of a file the store keeps the study in',
        found: `\`${written}\`, a folder's path (it ends with a slash)`,
      },
    ];
  const spelled = written === undefined ? undefined : otherSpelling(written);
  if (spelled !== undefined)
    return [
      { pointer, expected: 'the path of a file the store keeps the study in', found: `\`${written}\`, ${spelled}` },
    ];
  const stat = statOf(path);
  if (stat?.isDirectory() === true)
    return [{ pointer, expected: 'the path of a file the store keeps the study in', found: `\`${path}\`, a folder` }];
  // A device, a FIFO or a socket reads as empty or blocks (trial 167: a journal at /dev/null ran as a study the
  // store did not have).
  if (stat !== undefined && !stat.isFile())
    return [
      {
        pointer,
        expected: 'the path of a regular file the store keeps the study in',
        found: `\`${path}\`, ${specialFileKind(stat)}`,
      },
    ];
  for (let folder = dirname(path); ; folder = dirname(folder)) {
    const found = statOf(folder);
    if (found !== undefined)
      return found.isDirectory()
        ? []
        : [
            {
              pointer,
              expected: 'a path whose folders are folders',
              found: `\`${path}\`, under \`${folder}\`, which is a file`,
            },
          ];
    if (dirname(folder) === folder) return [];
  }
};
