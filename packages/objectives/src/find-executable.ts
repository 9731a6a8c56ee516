import { accessSync, closeSync, constants, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename, delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { shellQuoted } from '@parzen/engine/plugin';

const isExecutableFile = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** The folders of a search path, empty entries left out. */
const pathFolders = (path: string | undefined): string[] =>
  (path ?? '').split(delimiter).filter((folder) => folder !== '');

/**
 * The folders execvp searches for a bare program name when the environment has no PATH, as `child_process.spawn`
 * does (libuv runs execvp in the child on Linux; on macOS it searches `_PATH_DEFPATH` itself): glibc's
 * `confstr(_CS_PATH)`, `/bin:/usr/bin`; musl's `/usr/local/bin:/bin:/usr/bin`; macOS's and the BSDs' `/usr/bin:/bin`.
 */
export const defaultSearchPath = (
  platform: NodeJS.Platform = process.platform,
  glibc: () => boolean = runsOnGlibc,
): string => (platform !== 'linux' ? '/usr/bin:/bin' : glibc() ? '/bin:/usr/bin' : '/usr/local/bin:/bin:/usr/bin');

let glibcRuntime: boolean | undefined;
/** Whether this Node runs on glibc (its diagnostic report names the glibc it runs with; musl's has none). */
const runsOnGlibc = (): boolean => {
  glibcRuntime ??=
    (process.report?.getReport() as { header?: { glibcVersionRuntime?: unknown } } | undefined)?.header
      ?.glibcVersionRuntime !== undefined;
  return glibcRuntime;
};

/**
 * Where a bare program name is looked for, as spawn (execvp) looks: the folders of `path`, an empty entry being the
 * command's folder `cwd` (a PATH of "" is that folder alone); without a PATH, {@link defaultSearchPath}. With the
 * words that say which path that was.
 */
const searchPathOf = (
  path: string | undefined,
  cwd: string,
): { readonly folders: readonly string[]; readonly notFound: (program: string) => string } => {
  if (path === undefined) {
    const fallback = defaultSearchPath();
    return {
      folders: fallback.split(delimiter),
      notFound: (program) =>
        `\`${program}\` is not on the default search path ${fallback} (PATH is not set, so a program is looked for there, as spawn and execvp do)`,
    };
  }
  // A relative entry is the program's working folder's, as the spawn (in `cwd`) reads it (review 43).
  const folders = path.split(delimiter).map((folder) => resolve(cwd, folder));
  return {
    folders,
    notFound: (program) =>
      path === ''
        ? `\`${program}\` is not in the command's folder ${cwd} (PATH is empty, so a program is looked for there alone, as spawn and execvp do)`
        : `\`${program}\` is not on PATH (searched ${folders.join(delimiter)})`,
  };
};

/** Whether `file` (a bare name) is in one of `path`'s folders, as a shell finds a script it is told to run. */
export const onPath = (file: string, path: string | undefined): boolean =>
  pathFolders(path).some((folder) => existsSync(join(folder, file)));

/**
 * Where the program of a command lives, or a message saying where it was looked for. A name with a `/`
 * is a path (relative to `cwd`); a bare name is searched on `PATH`, as the shell would.
 */
export const findExecutable = (
  program: string,
  cwd: string,
  path: string | undefined,
): { found: string } | { problem: string } => {
  // Trial 62: `command: [""]` was "`` is not on PATH".
  if (program.trim() === '')
    return {
      problem: `an empty program name (${JSON.stringify(program)}): the first element of the command names the program`,
    };
  if (program.includes('/')) {
    const full = isAbsolute(program) ? program : resolve(cwd, program);
    if (isExecutableFile(full)) return { found: full };
    const where = isAbsolute(program) ? '' : ` (relative to the command's cwd ${cwd})`;
    // A script that exists without its executable bit (trial 40: "no executable file" sent users looking).
    const file = existsSync(full) && statSync(full).isFile();
    return {
      problem: file
        ? `a file that may not be executed at ${full}${where}: make it executable (chmod +x ${shellQuoted(full)}), or name its interpreter first (${JSON.stringify(interpreterOf(full))}, ${JSON.stringify(program)})`
        : `no executable file at ${full}${where}`,
    };
  }
  const searched = searchPathOf(path, cwd);
  for (const folder of searched.folders) {
    const candidate = join(folder, program);
    if (isExecutableFile(candidate)) return { found: candidate };
  }
  return { problem: searched.notFound(program) };
};

/** The interpreter a script names on its `#!` line (`env`'s program), else the one its extension suggests. */
const interpreterOf = (file: string): string => {
  const line = /^#!\s*(\S+)(.*)/.exec(head(file).split('\n')[0] ?? '');
  if (line !== null) {
    if (basename(line[1] as string) !== 'env') return line[1] as string;
    // `#!/usr/bin/env -S python3 -u` (review 41): the first word that is no option of env's.
    const word = (line[2] ?? '')
      .split(/\s+/)
      .find((part) => part !== '' && !part.startsWith('-') && !/^[^=/]+=/.test(part));
    if (word !== undefined) return word;
  }
  const extension = /\.(\w+)$/.exec(file)?.[1] ?? '';
  return (
    {
      py: 'python3',
      sh: 'sh',
      bash: 'bash',
      js: 'node',
      mjs: 'node',
      cjs: 'node',
      R: 'Rscript',
      rb: 'ruby',
      pl: 'perl',
    }[extension] ?? 'its interpreter'
  );
};

/** The first bytes of a file (a script's `#!` line); empty when it cannot be read. */
const head = (file: string, bytes = 256): string => {
  try {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0)).toString('latin1');
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
};

/**
 * What would keep a script from starting though it exists and is executable: a `#!` line with Windows
 * line endings (the kernel looks for `/bin/sh\r`), or naming an interpreter that is not there (directly,
 * or through `/usr/bin/env NAME` on PATH, which env searches from the command's folder `cwd`). Undefined when
 * nothing is wrong, or the file is no script. The spawn would say only `ENOENT` for the script, which exists.
 */
export const shebangProblem = (file: string, path: string | undefined, cwd = dirname(file)): string | undefined => {
  const text = head(file);
  if (!text.startsWith('#!')) return undefined;
  const line = text.slice(2).split('\n')[0] ?? '';
  if (line.endsWith('\r'))
    return `${file} has Windows line endings (CRLF): its #! line names \`${line.trim()}\\r\`, which does not exist; convert it (dos2unix, or save with LF endings)`;
  const [interpreter = '', ...args] = line.trim().split(/\s+/);
  if (interpreter === '') return undefined;
  if (!isExecutableFile(interpreter))
    return `the interpreter \`${interpreter}\` on the #! line of ${file} does not exist`;
  const named = args.find((arg) => !arg.startsWith('-'));
  if (interpreter.endsWith('/env') && named !== undefined && !named.includes('=')) {
    // env looks it up as spawn does (execvp): without a PATH, on the system's default path.
    const found = findExecutable(named, cwd, path);
    if ('problem' in found) return `the #! line of ${file} runs \`${named}\` through env, and ${found.problem}`;
  }
  return undefined;
};
