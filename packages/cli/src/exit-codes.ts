import { type ConfigIssue, ParzenError } from '@parzen/engine';

/** The exit codes of `parzen` (documented in the README). */
export const EXIT = {
  /** The command did what was asked (a study ran to its budget). */
  ok: 0,
  /**
   * A study could not run or finish: a store, suggester or study error (such as resuming a missing
   * study), or every trial the run started failed (or, when it started none, every trial of the study).
   */
  studyError: 1,
  /**
   * Bad input: unreadable or invalid config, unknown plugin, missing objective module, bad flags, a store
   * plugin without what the config asks of it.
   */
  badInput: 2,
  /**
   * Stopped by Ctrl-C (SIGINT) / SIGTERM; the summary was printed and the store is complete. What `runCli` returns:
   * the `parzen` binary then ends by the signal itself, which a shell's `$?` shows as this code.
   */
  sigint: 130,
  /** Stopped by SIGTERM (`kill`, a container or job scheduler stopping it): handled like Ctrl-C. */
  sigterm: 143,
  /** SIGHUP (the terminal or ssh session closed): handled like SIGTERM. */
  sighup: 129,
} as const;

/** The width `--help` is written in: commander's, for output that is no terminal. */
const HELP_WIDTH = 80;

/** `text` in lines of at most `width` characters, broken at spaces (a longer word keeps a line of its own). */
const wrapped = (text: string, width = HELP_WIDTH): string[] => {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
};

/**
 * The exit codes as `parzen --help` ends with them and docs/cli-reference.md says them, wrapped as commander wraps
 * the rest of the help (at 80 columns).
 */
export const EXIT_CODES_HELP: readonly string[] = [
  'Exit codes: 0 done (a run that reached its budget, or stopped early by maxSeconds, lossThreshold, patience or its stopper), ' +
    '1 study error (or every trial of the run failed, or of the study when the run had none to run, or its trials kept failing: ' +
    'maxConsecutiveFailures; a batch: some run did; best: no trial completed), 2 bad input (config, flags). ' +
    'Stopped by Ctrl-C (SIGINT), SIGTERM or SIGHUP, a command ends by that signal once it has stopped gracefully, ' +
    "so that a shell script or loop around it stops too: the shell's $? is 130, 143 or 129.",
  '`report --serve` runs until stopped, so Ctrl-C, SIGTERM or SIGHUP ends it with 0.',
].flatMap((paragraph) => wrapped(paragraph));

/** An error of the CLI itself (a file it cannot read, a flag it cannot use) with its exit code. */
export class CliError extends Error {
  /** Always `CliError`, as a printed error names it. */
  override readonly name = 'CliError';
  /**
   * An error of the CLI with its exit code, code and place.
   * @param message - What went wrong and what to do, in words a user can act on.
   * @param exitCode - The code `parzen` exits with ({@link EXIT}); default 2, bad input.
   * @param code - A stable code to tell it apart by (a `--json` error's `code`); default `CLI_INPUT`.
   * @param place - The file the error is about and its problems; default none.
   */
  constructor(
    message: string,
    /** The code `parzen` exits with for it ({@link EXIT}): 2 (bad input) unless given. */
    readonly exitCode: number = EXIT.badInput,
    /** A stable code to tell it apart by, the `code` of its `--json` error: `CLI_INPUT` unless given. */
    readonly code = 'CLI_INPUT',
    /** The file the error is about, and where in it (`--json` errors carry them, as config errors do). */
    readonly place: {
      /** The file, as the command was given it (a config, say). */
      readonly file?: string;
      /** Each problem in the file: its JSON pointer, what was expected and what was found. */
      readonly issues?: readonly ConfigIssue[];
      /**
       * The flag the mistake is in (`--store`, `--study`): a flag's mistake is no config file's, so its `--json`
       * error has `file` null even when it was found while a config was checked.
       */
      readonly flag?: string;
    } = {},
  ) {
    super(message);
  }
}

const BAD_INPUT_CODES = new Set([
  'CONFIG_INVALID',
  'CONFIG_UNKNOWN_PLUGIN',
  'SPACE_INVALID',
  'PLUGIN_INVALID',
  'PLUGIN_LOAD_FAILED',
  'PLUGIN_DUPLICATE',
  // A store plugin without what the config (a pruner, an `enqueue` list) or the command (import) asks of it:
  // the choice of store is the mistake, refused before any trial runs.
  'STORE_UNSUPPORTED',
  // `queue --remove` of an entry that does not wait (a trial took it, or none has that key): nothing removed.
  'ENTRY_NOT_WAITING',
]);

/** The error and its causes (at most 10), down to the first that is not an object (`cause: null` ends it too). */
const causes = (error: unknown): unknown[] => {
  const chain: unknown[] = [];
  for (
    let current = error;
    typeof current === 'object' && current !== null && chain.length < 10;
    current = (current as { cause?: unknown }).cause
  ) {
    chain.push(current);
  }
  return chain;
};

/** The exit code for an error: 2 for bad input (unless a store or study error lies beneath), else 1. */
export const exitCodeFor = (error: unknown): number => {
  if (error instanceof CliError) return error.exitCode;
  const chain = causes(error);
  const storeTrouble = chain.some(
    (item) =>
      item instanceof ParzenError && item.code !== 'STORE_UNSUPPORTED' && /^(STORE|STUDY|TRIAL)_/.test(item.code),
  );
  if (!storeTrouble && error instanceof ParzenError && BAD_INPUT_CODES.has(error.code)) return EXIT.badInput;
  return EXIT.studyError;
};
