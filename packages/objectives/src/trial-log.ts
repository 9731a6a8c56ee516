import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeFolder } from '@parzen/engine/plugin';

/**
 * A trial's log file (the `command` objective's `logFile`): the program's stdout and stderr appended, byte for
 * byte, between a line that opens the trial and one that closes it, so a file several trials share (no `{trial}`
 * in its name, or a study run again from its start) still tells them apart. Each stream is written a whole line
 * at a time (a line the program has not ended waits for its end, or for the trial's), so stdout's and stderr's
 * lines, and in a shared file different trials' lines, never run into one another; in a shared file each line
 * is marked with its trial (`prefix`). Written synchronously: what the program printed is on disk when it is
 * read (`tail -f` follows a running trial), and a program that prints fast holds no growing buffer in Parzen.
 *
 * A file that cannot be written costs the log only, never the trial: the first error is kept (see `problem`)
 * and nothing more is written.
 */
export interface TrialLog {
  readonly path: string;
  /** Some bytes of the program's output on one of its streams. */
  write(bytes: Uint8Array, stream: 'stdout' | 'stderr'): void;
  /** Writes what each stream left unended (ended by a newline), the closing line, and closes the file. */
  close(footer: string): void;
  /** Why the log could not be written (opened, or written to), undefined while it could. */
  readonly problem: string | undefined;
}

/** A line longer than this is written in pieces (a progress bar redrawn with `\r` for hours). */
const LONGEST_HELD_LINE = 65_536;
const NEWLINE = 0x0a;

/**
 * Where to cut `text` so that no UTF-8 character is split: before the last character when its bytes run to the
 * end (its continuation bytes, 10xxxxxx, and its lead byte), else at the end. Bytes that are no UTF-8 are cut
 * anywhere.
 */
const characterBoundary = (text: Buffer): number => {
  let at = text.length;
  while (at > 0 && at > text.length - 4 && ((text[at - 1] as number) & 0xc0) === 0x80) at--;
  const lead = text[at - 1];
  if (lead === undefined || lead < 0xc0) return text.length;
  const size = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  return text.length - (at - 1) < size ? at - 1 : text.length;
};

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Opens (appends to) the log at `path`, its folder made if missing, and writes `header` as its first line.
 * `prefix`, when given, begins each line of the program's output (a file the trials share).
 */
export const openTrialLog = (path: string, header: string, prefix?: string): TrialLog => {
  let fd: number | undefined;
  let problem: string | undefined;
  const fail = (what: string, error: unknown) => {
    problem ??= `${what} ${path}: ${describe(error)}`;
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // the first error is the one said
      }
      fd = undefined;
    }
  };
  try {
    // Not mkdirSync's recursive form, which never returns for a path under /proc (trial 160: the run spun).
    makeFolder(dirname(path));
    fd = openSync(path, 'a');
  } catch (error) {
    fail('could not open', error);
  }
  const put = (bytes: Uint8Array | string) => {
    if (fd === undefined) return;
    try {
      writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
    } catch (error) {
      fail('could not write to', error);
    }
  };
  const marker = prefix === undefined ? undefined : Buffer.from(prefix);
  /** Whole lines (each ending in a newline), each marked when the file is shared. */
  const putLines = (bytes: Buffer) => {
    if (marker === undefined) {
      put(bytes);
      return;
    }
    const pieces: Buffer[] = [];
    for (let start = 0; start < bytes.length; ) {
      const end = bytes.indexOf(NEWLINE, start);
      const stop = end === -1 ? bytes.length : end + 1;
      pieces.push(marker, bytes.subarray(start, stop));
      start = stop;
    }
    put(Buffer.concat(pieces));
  };
  const held = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  put(`${header}\n`);
  return {
    path,
    write(bytes, stream) {
      if (bytes.length === 0 || fd === undefined) return;
      const text = held[stream].length === 0 ? Buffer.from(bytes) : Buffer.concat([held[stream], bytes]);
      const last = text.lastIndexOf(NEWLINE);
      if (last === -1 && text.length < LONGEST_HELD_LINE) {
        held[stream] = text;
        return;
      }
      const upTo = last === -1 ? characterBoundary(text) : last + 1;
      held[stream] = text.subarray(upTo);
      // A piece of an overlong line is ended here, so that the next line (the other stream's) starts on its own;
      // it ends between two UTF-8 characters, never inside one.
      putLines(last === -1 ? Buffer.concat([text.subarray(0, upTo), Buffer.from('\n')]) : text.subarray(0, upTo));
    },
    close(footer) {
      for (const stream of ['stdout', 'stderr'] as const)
        if (held[stream].length > 0) putLines(Buffer.concat([held[stream], Buffer.from('\n')]));
      held.stdout = Buffer.alloc(0);
      held.stderr = Buffer.alloc(0);
      put(`${footer}\n`);
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
