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
  // A relative entry is the program's working folder's, as the spawn (in `cwd`) reads it (review 43).
  const folders = pathFolders(path).map((folder) => resolve(cwd, folder));
  for (const folder of folders) {
    const candidate = join(folder, program);
    if (isExecutableFile(candidate)) return { found: candidate };
  }
  return { problem: `\`${program}\` is not on PATH (searched ${folders.join(delimiter) || 'nothing: PATH is empty'})` };
};

/** The search path `env` falls back on when PATH is unset or empty (POSIX's default, as glibc's). */
const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

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
 * or through `/usr/bin/env NAME` on PATH). Undefined when nothing is wrong, or the file is no script.
 * The spawn would say only `ENOENT` for the script, which exists.
 */
export const shebangProblem = (file: string, path: string | undefined): string | undefined => {
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
    // With no PATH, env searches the system's default path, as the shell's `command -v` would.
    const found = findExecutable(named, dirname(file), path === undefined || path === '' ? DEFAULT_PATH : path);
    if ('problem' in found) return `the #! line of ${file} runs \`${named}\` through env, and ${found.problem}`;
  }
  return undefined;
};
