import type { Writable } from 'node:stream';
import { isReaderGone } from '@parzen/engine/host';
import { exitBySignal, signalOfCode } from './early-signals.js';
import { flushStream, markStdoutGone } from './output.js';

/** Whether writing to stdout failed (not a reader that went away): the command's output is incomplete. */
let stdoutFailed = false;

/**
 * Exits with `code` after stdout and stderr have written everything queued on them; with 1 instead of 0
 * when stdout could not be written (a full disk): `parzen export > backup.jsonl && …` must not go on
 * with a truncated backup. A signal's code (130, 143, 129) ends the process by that signal ({@link exitBySignal}).
 */
export const exitAfterFlush = async (code: number): Promise<never> => {
  await Promise.all([flushStream(process.stdout), flushStream(process.stderr)]);
  // A command a signal stopped ends by that signal, so that a shell script around it stops too.
  const signal = signalOfCode(code);
  if (signal !== undefined) exitBySignal(signal);
  process.exit(code === 0 && stdoutFailed ? 1 : code);
};

/** The streams {@link tolerateClosedReaders} listens to. */
const tolerated = new WeakSet<Writable>();

/**
 * Lets the reader of stdout or stderr go away quietly: `parzen trials --csv | head -1` closes the pipe
 * after one line, and what is left to print has nobody to read it. The command goes on (a study keeps
 * running and keeps its trials in its store) and exits with its own code, without a stack trace. Any
 * other error of a stream (a full disk under `> out.json`: ENOSPC) is said once, in one line on stderr
 * (when it is stdout that failed), and the command goes on, but exits 1 if it would have exited 0
 * ({@link exitAfterFlush}): its output is incomplete. Returns what takes its listeners off again (`runCli`
 * does when it returns, so a calling program's own stdout behaves as Node's after it); nothing for a stream
 * another call already listens to.
 */
export const tolerateClosedReaders = (
  streams: readonly Writable[] = [process.stdout, process.stderr],
): (() => void) => {
  const undo: (() => void)[] = [];
  for (const stream of streams) {
    // Once per stream: `runCli` asks each time it is called, and the binary before it.
    if (tolerated.has(stream)) continue;
    tolerated.add(stream);
    // Each worker thread of a `module` objective pipes its output into these: at concurrency 12 that is
    // more than Node's 10 listeners, and its "possible memory leak" warning would be no leak.
    const maxListeners = stream.getMaxListeners();
    stream.setMaxListeners(0);
    let said = false;
    const onError = (error: NodeJS.ErrnoException) => {
      // A terminal that hung up (its window or ssh session closed) answers EIO: its reader is gone too.
      if (isReaderGone(error) || (error.code === 'EIO' && (stream as { isTTY?: boolean }).isTTY === true)) {
        if (stream === process.stdout) markStdoutGone();
        return;
      }
      if (said) return;
      said = true;
      if (stream === process.stdout) stdoutFailed = true;
      if (stream === process.stderr) return;
      try {
        process.stderr.write(
          `parzen: cannot write to ${stream === process.stdout ? 'stdout' : 'a stream'}: ${error.message}\n`,
        );
      } catch {
        // stderr cannot be written either: nothing is left to say it on.
      }
    };
    stream.on('error', onError);
    undo.push(() => {
      stream.off('error', onError);
      stream.setMaxListeners(maxListeners);
      tolerated.delete(stream);
    });
  }
  return () => {
    for (const one of undo.splice(0)) one();
  };
};
