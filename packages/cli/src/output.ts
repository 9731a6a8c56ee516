import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { isatty } from 'node:tty';
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
  /**
   * Resolves once the results written so far are handed on (a pipe's reader took them), or their reader went away
   * ({@link Output.readerGone} then says so): a command whose result must arrive checks after its last line. Absent:
   * results are taken as they are written.
   */
  flushResults?(): Promise<void>;
  /**
   * Asks the person at the terminal (the question on stderr, the answer a line of stdin): resolves to the line,
   * or to undefined when they stop with Ctrl-C; returns undefined itself when no one can be asked (stdin or stderr
   * is no terminal: a script, a pipe; or a CI job, `CI` set, whose pseudo-terminal no one reads). Absent: no one
   * can be asked.
   */
  ask?(question: string): Promise<string | undefined> | undefined;
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

/** Whether a person can be asked at this process's terminal (see {@link Output.ask}). */
export const canAsk = (env: NodeJS.ProcessEnv = process.env): boolean =>
  isatty(0) && isatty(2) && ['', '0', 'false'].includes((env.CI ?? '').toLowerCase());

/** {@link Output.ask} at this process's terminal: Ctrl-C answers undefined, Ctrl-D (no line) an empty answer. */
const askAtTerminal = (question: string): Promise<string | undefined> | undefined => {
  if (!canAsk()) return undefined;
  const terminal = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  return new Promise<string | undefined>((resolve) => {
    let answered = false;
    const end = (answer: string | undefined) => {
      if (answered) return;
      answered = true;
      terminal.close();
      // Let go of stdin, so that the command ends when it is done (readline left it reading).
      process.stdin.pause();
      resolve(answer);
    };
    terminal.on('SIGINT', () => {
      process.stderr.write('\n');
      end(undefined);
    });
    terminal.on('close', () => end(''));
    terminal.question(question, (answer) => end(answer));
  });
};

/**
 * Resolves once everything written so far to `stream` has been handed to the operating system.
 * `process.stdout` on a pipe queues what the pipe cannot take at once (64 KiB on Linux) and writes it
 * as the reader drains it; `process.exit` drops that queue. A zero-length write completes after every
 * write before it, so its callback is the moment the queue is empty. A stream that is closed or broken
 * (the reader went away: EPIPE) resolves at once; there is nobody left to write to.
 */
export const flushStream = (stream: Writable): Promise<void> =>
  new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded) {
      resolve();
      return;
    }
    const done = (): void => {
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('error', done);
    stream.once('close', done);
    stream.write('', () => done());
  });

/** The real streams: stdout for results, stderr for notes, the terminal (when there is one) for questions. */
export const processOutput: Output = {
  result: (line) => {
    process.stdout.write(`${line}\n`);
  },
  note: (line) => {
    process.stderr.write(`${line}\n`);
  },
  readerGone: () => stdoutGone,
  flushResults: async () => {
    await flushStream(process.stdout);
    // A closed pipe's error event comes a tick after the write's callback: heard before the caller asks.
    await new Promise<void>((resolve) => setImmediate(resolve));
  },
  ask: askAtTerminal,
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
