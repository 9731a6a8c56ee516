import { randomBytes } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  openSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { expandMatrix } from '@parzen/engine';
import { makeFolder, resolveConfigPath } from '@parzen/engine/plugin';
import { isJournalFile } from '@parzen/store-file';
import { CliError, EXIT } from './exit-codes.js';
import { configFolder, readConfigFile } from './read-config-file.js';

/** A file `-o` must not overwrite, and what to call it when it refuses. */
export interface InputFile {
  readonly path: string;
  readonly what: string;
  /** A file a reporter writes (its events reporter's own file is no input to refuse it over). */
  readonly reporter?: true;
}

/** An existing file (not a folder) at `path`. */
export const isFile = (path: string): boolean => {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    return false;
  }
};

/** Whether an element of an argv names a file, not a flag, a placeholder or a program looked up on PATH. */
const maybeFile = (element: unknown): element is string =>
  typeof element === 'string' && element !== '' && !element.startsWith('-') && !/\{[^}]*\}/.test(element);

/**
 * The files one variant of a config names (trial 46: `-o obj.mjs` overwrote the objective): a `module`
 * objective's `path`; the existing files a `command` objective's argv names (its program when given as a
 * path, a script or data file after it, a flag's value given as `--flag=FILE`), read from the command's
 * `cwd`; the files of `plugins`; the existing files a reporter's options name (an `events` reporter's `path`).
 * Nothing is parsed as a shell would: an element that is an existing file there counts.
 */
const namedFiles = (config: string, variant: unknown): InputFile[] => {
  const base = configFolder(config);
  const { objective, plugins, reporters } = (variant ?? {}) as {
    objective?: unknown;
    plugins?: unknown;
    reporters?: unknown;
  };
  const { use, options = {} } = (objective ?? {}) as { use?: unknown; options?: Record<string, unknown> };
  const files: InputFile[] = [];
  if (use === 'module' && typeof options.path === 'string')
    files.push({ path: resolveConfigPath(base, options.path), what: `the objective module of ${config}` });
  if (use === 'command' && Array.isArray(options.command)) {
    const cwd = typeof options.cwd === 'string' ? resolveConfigPath(base, options.cwd) : base;
    for (const [index, word] of options.command.entries()) {
      // A flag's value given with it (`--data=train.csv`, review 50) counts as the file it names.
      const element = typeof word === 'string' && /^--?[^=\s]+=/.test(word) ? word.slice(word.indexOf('=') + 1) : word;
      if (!maybeFile(element)) continue;
      // The program itself only when given as a path (`./train.sh`), not a name looked up on PATH (`python3`).
      if (index === 0 && !isAbsolute(element) && !/[\\/]/.test(element)) continue;
      const path = resolve(cwd, element);
      if (isFile(path))
        files.push({ path, what: `${index === 0 ? 'the program' : 'a file'} of ${config}'s command objective` });
    }
  }
  // A reporter's file (trial 108: `-o explain.jsonl` replaced the events reporter's recorded explanations):
  // any option of a reporter that names an existing file.
  if (Array.isArray(reporters))
    for (const reporter of reporters) {
      const { use: name, options: given } = (reporter ?? {}) as { use?: unknown; options?: unknown };
      if (typeof given !== 'object' || given === null) continue;
      for (const value of Object.values(given))
        if (maybeFile(value) && isFile(resolveConfigPath(base, value)))
          files.push({
            path: resolveConfigPath(base, value),
            what: `the file of ${config}'s \`${String(name)}\` reporter`,
            reporter: true,
          });
    }
  if (Array.isArray(plugins))
    for (const plugin of plugins)
      if (maybeFile(plugin) && isFile(resolve(base, plugin)))
        files.push({ path: resolve(base, plugin), what: `a plugin module of ${config}` });
  return files;
};

/**
 * The files `-o` must leave alone for these configs: each config, and the files it names ({@link namedFiles}),
 * in every matrix variant, each config as `read` reads it (default: {@link readConfigFile}; a command that has read
 * it already passes what it read on). A config that cannot be read names none (the command then says what is wrong).
 */
export const configInputs = (
  configs: readonly string[],
  read: (path: string) => unknown = readConfigFile,
): InputFile[] =>
  configs.flatMap((config) => {
    const own = { path: config, what: `${config}, this command's config` };
    let raw: unknown;
    try {
      raw = read(config);
    } catch {
      return [own];
    }
    let variants: unknown[];
    try {
      variants = expandMatrix(raw).map((variant) => variant.config);
    } catch {
      variants = [raw];
    }
    return [own, ...variants.flatMap((variant) => namedFiles(config, variant))];
  });

/** What `-o`'s path is now (undefined when nothing is there); a path that cannot be looked at is refused, named. */
export const existingOutput = (path: string): Stats | undefined => {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    throw new CliError(`-o: cannot write ${path}: ${(error as Error).message}`);
  }
};

/** The first bytes of a file (fewer when it is shorter); empty when it cannot be read. */
const headOf = (path: string, bytes: number): string => {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(bytes);
    return buffer.toString('latin1', 0, readSync(fd, buffer, 0, bytes, 0));
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
};

const isSqlite = (path: string): boolean => headOf(path, 16) === 'SQLite format 3\0';

/** The store a file is (a SQLite database, a JSONL journal), by its first bytes; undefined for any other file. */
export const storeFileKind = (path: string): 'sqlite' | 'jsonl' | undefined =>
  isSqlite(path) ? 'sqlite' : isJournalFile(path) ? 'jsonl' : undefined;

/**
 * What the file already at `-o`'s path is, when `-o` must not overwrite it: one of this command's inputs
 * (`inputs`: its configs and the files they name, see {@link configInputs}), a study store (a JSONL journal, a SQLite database or its `-wal`, `-shm` or
 * `-journal` file). Trial 44: `report -o study.parzen.jsonl` and `export -o study.parzen.jsonl` replaced
 * the study (and every other study of a shared journal) and said "Wrote".
 */
const preciousFile = (path: string, found: Stats, inputs: readonly InputFile[]): string | undefined => {
  for (const input of inputs) {
    const other = statSync(input.path, { throwIfNoEntry: false });
    if (other !== undefined && other.dev === found.dev && other.ino === found.ino) return input.what;
  }
  if (isSqlite(path)) return 'a SQLite database (a study store)';
  if (isJournalFile(path)) return 'a Parzen journal (a study store)';
  return companionOf(path);
};

/** The `-wal`, `-shm` or `-journal` file of a SQLite database (there or not yet: SQLite makes it when it opens). */
const companionOf = (path: string): string | undefined => {
  const companion = /^(.*)-(wal|shm|journal)$/.exec(path);
  return companion !== null && isSqlite(companion[1] as string)
    ? `the ${companion[2]} file of SQLite database ${companion[1]} (a study store)`
    : undefined;
};

/**
 * Refuses `-o`'s path when a file there must not be overwritten (see {@link preciousFile}); any other
 * file is replaced, as `-o` says.
 */
export const refuseOverwritingInputs = (path: string, inputs: readonly InputFile[] = []): void => {
  const what = wouldDestroy(path, inputs);
  if (what !== undefined)
    throw new CliError(`-o: ${path} is ${what}; writing there would destroy it. Give another file.`);
};

/** What writing at `path` would destroy (see {@link preciousFile}): undefined for any other file, or none. */
export const wouldDestroy = (path: string, inputs: readonly InputFile[] = []): string | undefined => {
  const found = existingOutput(path);
  if (found !== undefined && !found.isFile()) return undefined;
  return found === undefined ? companionOf(path) : preciousFile(path, found, inputs);
};

/**
 * Errors of the write, not of the path given: the command failed (exit 1), the input was fine. A full disk
 * or an I/O error, and a pipe or socket whose reader went away while it was written (`-o fifo`, `-o
 * /dev/stdout | head`: EPIPE, ECONNRESET): the path could be opened, the reader left.
 */
const WRITE_FAILURES = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EFBIG', 'EPIPE', 'ECONNRESET']);

/** Whether `file` is inside the folder `folder` (not the folder itself). */
const isInside = (folder: string, file: string): boolean => {
  const rest = relative(resolve(folder), resolve(file));
  return rest !== '' && !rest.startsWith('..') && !isAbsolute(rest);
};

/**
 * Runs a write to `-o`'s path, turning a file-system error into one that names the path: bad input (exit
 * 2) for a path that cannot be written (a folder, no permission), a failure (exit 1, `OUTPUT_FAILED`) for
 * a full disk, an I/O error or a reader that went away, as `parzen trials > /dev/full` exits.
 */
export const writingOutput = async <T>(path: string, write: () => T | Promise<T>): Promise<T> => {
  try {
    return await write();
  } catch (error) {
    const { code, path: failed } = error as NodeJS.ErrnoException;
    if (code === undefined) throw error;
    // A file the command writes inside `-o`'s folder (an SVG report's chart) named as that file, not as `-o`: the
    // folder was made (trial 183: `-o: cannot write svg: ENAMETOOLONG` for a chart named after a long parameter).
    const inside = failed !== undefined && isInside(path, failed);
    const message = inside
      ? `cannot write ${failed}, a file parzen writes in -o ${path}: ${(error as Error).message}`
      : `-o: cannot write ${path}: ${(error as Error).message}`;
    throw WRITE_FAILURES.has(code) ? new CliError(message, EXIT.studyError, 'OUTPUT_FAILED') : new CliError(message);
  }
};

/** Writes `content` to an open file in pieces of about a mebibyte, each line with its newline. */
const writePieces = (fd: number, content: string | Iterable<string>): void => {
  if (typeof content === 'string') {
    writeFileSync(fd, content);
    return;
  }
  let piece = '';
  for (const line of content) {
    piece += `${line}\n`;
    if (piece.length >= 1 << 20) {
      writeFileSync(fd, piece);
      piece = '';
    }
  }
  writeFileSync(fd, piece);
};

/** Writes `content` to an open file and closes it; `sync`: flushed to the disk first. */
const writeThrough = (fd: number, content: string | Iterable<string>, sync: boolean): void => {
  try {
    writePieces(fd, content);
    if (sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

/** Where a dangling link points (review 56: it was replaced by a file), else the path itself. */
const linkTarget = (path: string): string => {
  try {
    return lstatSync(path).isSymbolicLink() ? resolve(dirname(path), readlinkSync(path)) : path;
  } catch {
    return path;
  }
};

/** Errors of creating a file in a folder the user may not write to, though the file there is writable. */
const FOLDER_REFUSED = new Set(['EACCES', 'EPERM']);

/**
 * Writes `content` to `-o`'s file, creating its parent folders. Lines are written in pieces of about a
 * mebibyte, each line with its newline: joined, a large study's export passed V8's 512 MiB string limit.
 * The content goes to a temporary file beside the target, synced and renamed over it once
 * complete (written in place, an `export -o backup.jsonl` on a full disk truncated the previous backup and
 * left a partial file under its name): a write that fails leaves the file that was there as it was, and no
 * partial one. A file reached through a link is replaced where it is, keeping its permissions. A path that
 * is not a regular file (`/dev/stdout`, a FIFO), or a file in a folder that refuses a new file, is written
 * in place, as before.
 */
export const writeOutputFile = (path: string, content: string | Iterable<string>): Promise<void> =>
  writingOutput(path, () => {
    makeFolder(dirname(path));
    const found = statSync(path, { throwIfNoEntry: false });
    // A device or a FIFO, or a path into /dev or /proc (`-o /dev/stdout`, a regular file when stdout is
    // redirected to one, whose shell keeps writing to the inode: review 56), is written where it is.
    if ((found !== undefined && !found.isFile()) || /^\/(dev|proc)\//.test(resolve(path)))
      return writeThrough(openSync(path, 'w'), content, false);
    // A file the user may not write is refused as writing it in place was (review 56: it was replaced).
    if (found !== undefined) accessSync(path, constants.W_OK);
    const target = found === undefined ? linkTarget(path) : realpathSync(path);
    const name = basename(target);
    // A name near the file system's limit gets a short temporary name (review 56: ENAMETOOLONG).
    const temporary = join(
      dirname(target),
      `.${name.length > 200 ? 'parzen' : name}.${process.pid}-${randomBytes(4).toString('hex')}.partial`,
    );
    let fd: number;
    try {
      fd = openSync(temporary, 'wx', found === undefined ? 0o666 : found.mode & 0o7777);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (found !== undefined && code !== undefined && FOLDER_REFUSED.has(code))
        return writeThrough(openSync(target, 'w'), content, false);
      // The temporary file is ours, not the user's: the message names the file asked for.
      if (error instanceof Error) error.message = error.message.replaceAll(temporary, path);
      throw error;
    }
    try {
      writeThrough(fd, content, true);
      if (found !== undefined) chmodSync(temporary, found.mode & 0o7777);
      renameSync(temporary, target);
    } catch (error) {
      rmSync(temporary, { force: true });
      if (error instanceof Error) error.message = error.message.replaceAll(temporary, path);
      throw error;
    }
  });
