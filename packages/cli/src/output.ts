import type { Logger } from '@parzen/engine/plugin';
/** Where a command writes: results on stdout, progress and notes on stderr. */
export interface Output {
  /** A line of the command's result (stdout); several lines joined by newlines when written in a batch. */
  result(line: string): void;
  /** A line for people (stderr). */
  note(line: string): void;
  /**
   * Whether the reader of the results went away (`parzen trials | head` after its lines): a command that
   * writes many lines stops there. Absent: the reader stays.
   */
  readerGone?(): boolean;
}

/**
 * The study's logger (the `logger` service plugins warn through) writing to `output`'s notes, as the run's
 * own warnings do (not to stderr, past an in-process caller's output); `before`
 * runs first (the run clears its progress bars).
 */
export const notesLogger = (output: Output, before?: () => void): Logger => ({
  info: (message) => {
    before?.();
    output.note(message);
  },
  warn: (message) => {
    before?.();
    output.note(`parzen: warning: ${message}`);
  },
});

/** Set once stdout's reader has gone away (EPIPE), by the handler of `tolerateClosedReaders`. */
let stdoutGone = false;

/** Told the first time stdout's reader goes away. */
const goneListeners = new Set<() => void>();

/** Notes that stdout's reader went away (the first time, tells {@link onStdoutGone}'s listeners). */
export const markStdoutGone = (): void => {
  if (stdoutGone) return;
  stdoutGone = true;
  for (const listener of [...goneListeners]) listener();
};

/** Calls `listener` when stdout's reader goes away, until the returned function is called. */
export const onStdoutGone = (listener: () => void): (() => void) => {
  goneListeners.add(listener);
  return () => {
    goneListeners.delete(listener);
  };
};

/** The real streams: stdout for results, stderr for notes. */
export const processOutput: Output = {
  result: (line) => {
    process.stdout.write(`${line}\n`);
  },
  note: (line) => {
    process.stderr.write(`${line}\n`);
  },
  readerGone: () => stdoutGone,
};

/** Lines per write of {@link writeLines}. */
const BATCH = 500;
/** Characters per write at most (past one line): 500 lines of megabytes of attrs passed V8's 512 MiB string limit. */
const BATCH_CHARS = 16 * 1024 * 1024;

/**
 * Writes `lines` as results, a batch at a time, as they are produced: the first lines of a long listing
 * reach its reader before the last are formatted, and the listing stops once the reader has gone away
 * (a broken pipe is only reported between batches, so each batch yields once).
 */
export const writeLines = async (output: Output, lines: Iterable<string>): Promise<void> => {
  let batch: string[] = [];
  let chars = 0;
  const flush = async (): Promise<boolean> => {
    if (batch.length > 0) output.result(batch.join('\n'));
    batch = [];
    chars = 0;
    await new Promise<void>((resolve) => setImmediate(resolve));
    return output.readerGone?.() === true;
  };
  for (const line of lines) {
    batch.push(line);
    chars += line.length;
    if ((batch.length >= BATCH || chars >= BATCH_CHARS) && (await flush())) return;
  }
  await flush();
};
