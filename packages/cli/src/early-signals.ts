/**
 * Ctrl-C (SIGTERM, SIGHUP) in the first tenths of a second of `parzen run`, while the CLI itself still
 * loads (commander, the engine: about 50 ms after Node's own start-up): Node's default would end the
 * process with 130 and not a word. This module imports nothing of the CLI's, so `main` installs its listeners
 * before the rest loads; they only remember the signal, and `run` takes it when its own handling starts
 * ({@link takeEarlySignal}) and handles it as one that came then. A second such signal ends the process at once.
 */
import { isatty } from 'node:tty';

type SignalName = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

const CODES: Readonly<Record<SignalName, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** The signal whose exit code `code` is (130 SIGINT, 143 SIGTERM, 129 SIGHUP), if it is one's. */
export const signalOfCode = (code: number): SignalName | undefined =>
  (Object.keys(CODES) as SignalName[]).find((name) => CODES[name] === code);

/**
 * Ends the process by `signal`, once the command stopped by it has done its cleaning up (its output flushed, its
 * stores closed): a program a signal stopped ends by that signal, its default action, so that the shell running it
 * sees "killed by SIGINT" and stops too (bash and dash stop a script, or a `while` loop, whose foreground command
 * died of the Ctrl-C they also received; an exit with 130 instead lets the script go on to its next command). The
 * shell's `$?` is 130 (143, 129) either way. What Node's own exit does first is done here too: the standard
 * streams are made blocking again (Node made them non-blocking, and a pipe or terminal shared with the parent must
 * not stay so), and the `exit` listeners run (a `command` objective's process groups are stopped there).
 * Should the signal not end the process (it is blocked), the process exits with the signal's code.
 */
export const exitBySignal = (signal: SignalName): never => {
  const code = CODES[signal];
  // Standard input only at a terminal (process.stdin made at a pipe would start reading it).
  const streams = [process.stdout, process.stderr, ...(isatty(0) ? [process.stdin] : [])];
  for (const stream of streams)
    (stream as { _handle?: { setBlocking?: (blocking: boolean) => unknown } })._handle?.setBlocking?.(true);
  process.exitCode = code;
  process.emit('exit', code);
  // No listener left: the default action applies, which ends the process.
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
  return process.exit(code);
};

let received: SignalName | undefined;
const listeners = new Map<SignalName, () => void>();

/** Remembers the first SIGINT, SIGTERM or SIGHUP until {@link takeEarlySignal}; a second one ends the process by the first. */
export const watchEarlySignals = (): void => {
  for (const name of Object.keys(CODES) as SignalName[]) {
    const listener = (): void => {
      if (received !== undefined) exitBySignal(received);
      received = name;
    };
    listeners.set(name, listener);
    process.on(name, listener);
  }
};

/** Removes the early listeners and returns the signal they heard, if any (none when they were never installed). */
export const takeEarlySignal = (): SignalName | undefined => {
  for (const [name, listener] of listeners) process.off(name, listener);
  listeners.clear();
  const signal = received;
  received = undefined;
  return signal;
};

/** The one config the command was given, named by {@link sayInterrupts}'s `--json` line (null: none, or several). */
let commandConfig: string | null = null;

/** Tells {@link sayInterrupts} the configs the command reads (as `run` names its config when stopped). */
export const configsOfCommand = (configs: readonly string[]): void => {
  commandConfig = configs.length === 1 ? (configs[0] as string) : null;
};

/**
 * For the commands without signal handling of their own (`report`, `export`, `trials`, `best`, `explain`,
 * `validate`, ...): Ctrl-C (SIGTERM, SIGHUP) is said, and with `--json` as the error line a script parses,
 * then the process ends by the signal ({@link exitBySignal}: `$?` 130, and with `--json` its line). Their
 * `-o` files are written whole or not at all (written synchronously, then renamed), so none is left half done.
 */
export const sayInterrupts = (command: string, json: boolean): void => {
  // Whether stdout is at the start of a line: the error line goes on a line of its own, without an empty
  // line before it that a script reading JSON lines would choke on (review 73: always a newline first).
  let lineStart = true;
  if (json) {
    const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? chunk : undefined;
      if (text !== undefined && text.length > 0)
        lineStart = typeof text === 'string' ? text.endsWith('\n') : text[text.length - 1] === 0x0a;
      return write(chunk, ...rest);
    }) as typeof process.stdout.write;
  }
  for (const name of Object.keys(CODES) as SignalName[])
    process.once(name, () => {
      // The -o clause for the commands that have -o (review 72: said by validate and trials too).
      const writes = command === 'export' || command === 'report';
      const message = `interrupted (${name}): ${command} stopped${writes ? '; a file it writes with -o is written whole or left as it was' : ''}.`;
      process.stderr.write(`parzen: ${message}\n`);
      const exit = () => exitBySignal(name);
      if (!json) {
        process.stderr.write('', exit);
        return;
      }
      // On a line of its own, should the command have written part of one (review 72).
      const line = JSON.stringify({ errors: [{ file: commandConfig, code: 'INTERRUPTED', message, issues: [] }] });
      process.stdout.write(`${lineStart ? '' : '\n'}${line}\n`, exit);
    });
};
