import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

const isExecutableFile = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/**
 * Where the program of a command lives, or a message saying where it was looked for. A name with a `/`
 * is a path (relative to `cwd`); a bare name is searched on `PATH`, as the shell would.
 */
export const findExecutable = (
  program: string,
  cwd: string,
  path: string | undefined,
): { found: string } | { problem: string } => {
  if (program.includes('/')) {
    const full = isAbsolute(program) ? program : resolve(cwd, program);
    return isExecutableFile(full)
      ? { found: full }
      : { problem: `no executable file at ${full} (relative to the command's cwd ${cwd})` };
  }
  const folders = (path ?? '').split(delimiter).filter((folder) => folder !== '');
  for (const folder of folders) {
    const candidate = join(folder, program);
    if (isExecutableFile(candidate)) return { found: candidate };
  }
  return { problem: `\`${program}\` is not on PATH (searched ${folders.join(delimiter) || 'nothing: PATH is empty'})` };
};
