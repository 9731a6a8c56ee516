/**
 * An argument as a POSIX shell reads it back: as it is when it is only safe characters, else in single
 * quotes (so `python3 my scripts/train me.py it's` can be pasted to rerun the trial).
 */
export const shellQuoted = (argument: string): string =>
  /^[\w@%+=:,./-]+$/u.test(argument) ? argument : `'${argument.replaceAll("'", "'\\''")}'`;
