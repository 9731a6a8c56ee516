import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A trial's log file (the `command` objective's `logFile`): the program's stdout and stderr appended as they
 * come, in the order they were read, between a line that opens the trial and one that closes it, so a file
 * several trials share (no `{trial}` in its name, or a trial run again on resume) still tells them apart.
 * Written synchronously, chunk by chunk: what the program printed is on disk when it is read (`tail -f`
 * follows a running trial), and a program that prints fast holds no growing buffer in Parzen.
 *
 * A file that cannot be written costs the log only, never the trial: the first error is kept (see `problem`)
 * and nothing more is written.
 */
export interface TrialLog {
  readonly path: string;
  write(chunk: string): void;
  /** Writes the closing line and closes the file. */
  close(footer: string): void;
  /** Why the log could not be written (opened, or written to), undefined while it could. */
  readonly problem: string | undefined;
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Opens (appends to) the log at `path`, its folder made if missing, and writes `header` as its first line. */
export const openTrialLog = (path: string, header: string): TrialLog => {
  let fd: number | undefined;
  let problem: string | undefined;
  const fail = (what: string, error: unknown) => {
    problem ??= `${what} ${path}: ${describe(error)}`;
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already reported the first error
      }
      fd = undefined;
    }
  };
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'a');
  } catch (error) {
    fail('could not open', error);
  }
  const write = (text: string) => {
    if (fd === undefined) return;
    try {
      writeSync(fd, text);
    } catch (error) {
      fail('could not write to', error);
    }
  };
  write(`${header}\n`);
  let atLineStart = true;
  return {
    path,
    write(chunk) {
      if (chunk.length === 0) return;
      write(chunk);
      atLineStart = chunk.endsWith('\n');
    },
    close(footer) {
      write(`${atLineStart ? '' : '\n'}${footer}\n`);
      if (fd === undefined) return;
      try {
        closeSync(fd);
      } catch (error) {
        fail('could not close', error);
      }
      fd = undefined;
    },
    get problem() {
      return problem;
    },
  };
};
