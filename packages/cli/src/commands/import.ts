import { existsSync, fstatSync, statSync } from 'node:fs';
import { isatty } from 'node:tty';
import { installInterruptHandlers, type Trial } from '@parzen/engine';
import {
  checkEnqueued,
  checkImportedRows,
  configEnqueueEntries,
  countOf,
  formatInvalidRows,
  type InvalidRow,
  importInvalid,
  leftOutRepeats,
  openStudyScope,
  presentSuggester,
  reopeningStore,
  settledWithin,
  shellQuoted,
  signalsDelivered,
  spaceDifferences,
  studyReopenedNote,
  studySuggester,
  UNKNOWN_VERSION,
  withCleanup,
  withEnqueueKeys,
} from '@parzen/engine/host';
import {
  addedTrialKey,
  configErrorUnder,
  type FinishedTrial,
  type NewFinishedTrial,
  type ParamAssignment,
  ParzenError,
  repeatsOf,
  type SpaceDefinition,
  type StudySuggester,
  sameSpace,
  storeUnsupported,
  type TrialStore,
} from '@parzen/engine/plugin';
import { commandOf } from '../command-words.js';
import { ConfigProblems } from '../config-problems.js';
import { noRoomCode } from '../disk-full.js';
import { CliError } from '../exit-codes.js';
import type { Output } from '../output.js';
import { storeFileKind } from '../output-file.js';
import { noPickedRun, pickedRun } from '../pick-run.js';
import { prepareRuns, storeFile } from '../prepare-runs.js';
import { withJsonFields } from '../report-error.js';
import { parseStoreSpec, throwOfStoreFlag } from '../store-spec.js';
import { readTrialFile, type TrialFile, trialFileName } from '../trial-file.js';

/** Flags of `parzen import`. */
export interface ImportFlags {
  readonly onInvalid?: string;
  readonly store?: string;
  /** The study of a matrix config to import into (its name). */
  readonly study?: string;
  /** Read an export as plain rows: its header (study, space, direction, seed, suggester) is left aside. */
  readonly ignoreHeader?: boolean;
  /** Import every row, even when none is new (each a copy of the study's own trial, or an untimed repeat: a file imported twice). */
  readonly allowRepeats?: boolean;
  /** Leave out the rows that repeat a trial the study has (same params, state, loss and error): a file imported again. */
  readonly skipRepeats?: boolean;
  /** Print the result as one JSON line last on stdout (the sentences go to stderr). */
  readonly json?: boolean;
}

/** `import --json`'s line: what was added, by trial number, and what was left out, by line of the file. */
interface ImportJson {
  readonly study: string;
  readonly store: string;
  /** The numbers the imported trials got, in the file's order. */
  readonly imported: readonly number[];
  /** Trials the store had running that a rescue file's lines finished (counted once, not added). */
  readonly finished: readonly number[];
  /** Trials a rescue file's lines had finished in an earlier import (passed over). */
  readonly importedBefore: readonly number[];
  /** Trials whose rescued result another process finished first (not imported: import the file again). */
  readonly notImported: readonly number[];
  /**
   * Lines of a rescue file naming a trial this study never ran under their worker (another store's study of the
   * same name, likely), imported as new trials.
   */
  readonly foreign: readonly number[];
  /** Lines left out by `--on-invalid skip`. */
  readonly skipped: readonly number[];
  /** Imported trials that repeat a trial the study had (same params, state, loss and error). */
  readonly repeatsOfStudy: number;
  /** Lines of the file that repeat an earlier line of it. */
  readonly repeatedLines: readonly number[];
  /** Lines left out by `--skip-repeats`: each repeats a trial the study had. */
  readonly skippedRepeats: readonly number[];
  /** Set when a signal came: before the store calls nothing was imported (but `finished`'s trials, if any). */
  readonly interrupted?: string;
  /**
   * Set when this import created the study: true when it took the study out again (it imported nothing: a Ctrl-C, a
   * refusal, a failed write), false when the study stays (with the trials imported, or kept: see the message).
   */
  readonly studyTakenOut?: boolean;
}

/**
 * What an import that imported nothing says of the study it had created (`when`: before what) when its store cannot
 * take it out only while empty (see {@link takeOutMadeStudy}): it stays, with no trials, and the command that removes
 * it. A plain deletion could take trials another import added meanwhile.
 */
const emptyStudyNote = (when: string, config: string, flags: ImportFlags): string =>
  `The import had created the study ${when}: it stays, with no trials (\`parzen studies\` lists it); \`${
    commandOf('delete', config, {
      ...(flags.store === undefined ? {} : { store: flags.store }),
      ...(flags.study === undefined ? {} : { study: flags.study }),
    }).command
  }\` removes it, or import again.`;

/** What became of the study an import made and added nothing to: taken out, or kept as another process added to it. */
type MadeStudy = 'removed' | 'not empty';

/**
 * How long the taking out of a study an import made may wait for its store (for another process's SQLite lock, a
 * PostgreSQL server): past a SQLite store's default 30 s wait, after which the store gives up by itself.
 */
const TAKE_OUT_MS = 40_000;

/**
 * Takes out the study an import made when the import added nothing to it (stopped, refused, a failed write), in the
 * store's atomic step that deletes a study only while it holds no trial and no entry: trials another process added
 * meanwhile keep it (a deletion of the study as it stands could take them). Its own step, before the store is closed,
 * with its own bound (inside the close's 10 s, a deletion waiting for a lock was said as a store that could not
 * be closed). Undefined when the study stays unsaid by this: a store that cannot delete only an empty study
 * (a third-party one), or a deletion that failed or did not finish (warned).
 */
export const takeOutMadeStudy = async (
  store: TrialStore,
  study: string,
  note: (message: string) => void,
  timeoutMs = TAKE_OUT_MS,
): Promise<MadeStudy | undefined> => {
  if (store.deleteStudy === undefined || store.deletesOnlyEmpty !== true) return undefined;
  const warn = (why: string) =>
    note(`parzen: warning: the empty study ${study} this import made could not be taken out: ${why}`);
  const deleting = store.deleteStudy(study, { onlyEmpty: true });
  if (!(await settledWithin([deleting], timeoutMs))) {
    deleting.catch(() => undefined);
    warn(`the ${store.name} store did not answer in ${timeoutMs / 1000} s.`);
    return undefined;
  }
  try {
    const deletion = await deleting;
    return deletion.notEmpty === true || deletion.blocking.length > 0 ? 'not empty' : 'removed';
  } catch (error) {
    warn(error instanceof Error ? error.message : String(error));
    return undefined;
  }
};

/** The most `import -` reads from a pipe (a file by path is read in parts, with no such limit). */
const STDIN_LIMIT = 256 * 2 ** 20;

/**
 * All of standard input's bytes (read as text once they are known to be UTF-8), read as a stream; undefined when
 * `interrupted()` turns true first (checked every 50 ms: Ctrl-C at a terminal, or on a pipe that has not ended).
 */
const readStandardInput = (interrupted: () => boolean): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const stdin = process.stdin;
    const done = () => {
      clearInterval(watch);
      stdin.removeAllListeners('data');
      stdin.removeAllListeners('end');
      stdin.removeAllListeners('error');
      stdin.pause();
    };
    const watch = setInterval(() => {
      if (!interrupted()) return;
      done();
      stdin.destroy();
      resolve(undefined);
    }, 50);
    let size = 0;
    stdin.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past what one string holds (review 62: a 560 MB pipe died with a raw ERR_STRING_TOO_LONG).
      if (size > STDIN_LIMIT) {
        done();
        stdin.destroy();
        reject(
          new CliError(
            `standard input is larger than ${STDIN_LIMIT / 2 ** 20} MiB, more than import reads from a pipe: write it to a file and import the file (read in parts).`,
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    stdin.on('end', () => {
      done();
      resolve(Buffer.concat(chunks));
    });
    stdin.on('error', (error) => {
      done();
      reject(new CliError(`Cannot read standard input: ${error.message}`));
    });
  });

/**
 * An export whose header counts other than the trial lines that follow is refused: a copy or download cut at
 * a line's end imported as a smaller study, exit 0 (trial 74). Nothing is imported.
 */
const checkWhole = (path: string, file: TrialFile): void => {
  if (file.header === undefined || !('trials' in file.header)) return;
  const said: unknown = file.header.trials;
  // Review 81: a hand-edited count that is not one turned the check off, or read "an export of -1 trials".
  if (typeof said !== 'number' || !Number.isSafeInteger(said) || said < 0)
    throw new CliError(
      `${path}: its header's "trials" is ${JSON.stringify(said)}; expected the number of trial lines that follow (the file was edited). Nothing was imported. Set it to the number of trial lines, or remove the field.`,
      2,
    );
  const found = file.rows.length + file.bad.length;
  if (said === found) return;
  throw new CliError(
    `${path} is an export of ${countOf(said, 'trial')}, and holds ${found}: ${found < said ? "it was cut short (a copy or download that stopped at a line's end) or edited" : 'lines were added to it (two exports joined?) or it was edited'}. Nothing was imported. ` +
      'Import a whole copy; for a file changed on purpose, set its header\'s "trials" to the number of trial lines (--ignore-header would also drop the seed, suggester and parameter order it carries).',
    2,
  );
};

/** An export of a study whose space is not the config's is refused: its params would mean other things. */
const checkSameSpace = (path: string, file: TrialFile, config: string, space: unknown): void => {
  const found = file.header?.study.space;
  if (found === undefined || sameSpace(found, space)) return;
  const differences = spaceDifferences(found as SpaceDefinition, space as SpaceDefinition, 'export');
  throw new CliError(
    `${path} is an export of study \`${file.header?.study.name}\` with another space than ${config} ` +
      `(${differences.join('; ')}). ` +
      "Import it with a config that has the space it was run with; or, if you changed the space on purpose and its rows should still fit (a widened bound), pass --ignore-header: each row is then checked against the config's space (--on-invalid skip leaves out those that no longer fit).",
  );
};

/**
 * An export of a study minimized where the config maximizes (or the reverse) is refused: its losses would
 * rank the other way, and the best trial would be the worst (a warm start towards the bad region).
 */
const checkSameDirection = (path: string, file: TrialFile, config: string, direction: string): void => {
  const found: unknown = file.header?.study.direction;
  if (found === undefined || found === direction) return;
  if (found !== 'minimize' && found !== 'maximize')
    throw new CliError(
      `${path}: its header's study direction is ${JSON.stringify(found)}; expected "minimize" or "maximize" (the file is not an export this Parzen wrote, or was edited).`,
    );
  throw new CliError(
    `${path} is an export of study \`${file.header?.study.name}\`, which was ${found === 'maximize' ? 'maximized' : 'minimized'}; ` +
      `${config} ${direction === 'maximize' ? 'maximizes' : 'minimizes'}, so its losses would rank the other way. ` +
      `Import it with a config of the same direction; or, if the rows should count as they are (a loss you now ${direction === 'maximize' ? 'maximize' : 'minimize'}), pass --ignore-header.`,
  );
};

/** Whether a row has both its times, as a run's rescue file writes every line. */
const timed = (trial: NewFinishedTrial): boolean => trial.startedAt !== undefined && trial.finishedAt !== undefined;

/**
 * Whether a STALE_TRIAL message of a store written before its failures named their worker in `details` names
 * `worker`: as its id in parentheses, or as "worker ID," (review 120: by substring, w-1 matched w-12's).
 */
const namesWorker = (message: string, worker: string): boolean =>
  message.includes(`(worker id ${worker})`) || message.includes(`worker ${worker},`);

/** Whether two assignments of internal values are the same: the same parameters, the same values. */
const sameAssignment = (a: ParamAssignment, b: ParamAssignment): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([name, value]) => b[name] === value);

/**
 * Finishes trial `number`, which the store has running, with a rescued result: its intermediate values the store
 * lacks (a step it has keeps its value), then its outcome. Undefined when another process finished it meanwhile
 * (`TRIAL_ALREADY_FINISHED`: a run marked it failed, STALE_TRIAL).
 */
const finishRescued = async (
  store: TrialStore,
  study: string,
  number: number,
  trial: NewFinishedTrial,
  note: (message: string) => void,
): Promise<FinishedTrial | undefined> => {
  try {
    if (store.reportIntermediate !== undefined)
      for (const { step, value } of trial.intermediate ?? [])
        await store.reportIntermediate(study, number, step, value);
    else if ((trial.intermediate ?? []).length > 0)
      // Review 112: a third-party store without it dropped the rescued curve unsaid.
      note(
        `parzen: warning: the ${store.name} store keeps no intermediate values (no reportIntermediate): #${number}'s rescued learning curve (${countOf(trial.intermediate?.length ?? 0, 'point')}) is not kept, its result is.`,
      );
    return await store.finishTrial(study, number, trial.outcome);
  } catch (error) {
    if (error instanceof ParzenError && error.code === 'TRIAL_ALREADY_FINISHED') return undefined;
    throw error;
  }
};

/** The line of each row that repeats an earlier row of the same file (same params, state, loss and error). */
const repeatedRows = (rows: readonly NewFinishedTrial[], lines: readonly number[]): number[] => {
  const seen = new Set<string>();
  const repeated: number[] = [];
  rows.forEach((row, index) => {
    const key = addedTrialKey(row);
    if (seen.has(key)) repeated.push(lines[index] as number);
    seen.add(key);
  });
  return repeated;
};

/** How many runs of numbers {@link numbers} lists before it says how many more there are. */
const SHOWN_RUNS = 10;

// Trial 163: "#45-#55" for #45, #47, ..., #55 (six trials read as eleven).
/** The trials' numbers, a range for each run of consecutive ones: `#4-#7`, `#45, #47, #49`. */
const numbers = (trials: readonly FinishedTrial[]): string => {
  const sorted = trials.map((trial) => trial.number).sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const number of sorted) {
    const run = runs.at(-1);
    if (run !== undefined && number === run[1] + 1) run[1] = number;
    else runs.push([number, number]);
  }
  const shown = runs.slice(0, SHOWN_RUNS).map(([first, last]) => (first === last ? `#${first}` : `#${first}-#${last}`));
  const rest = runs.slice(SHOWN_RUNS).reduce((count, [first, last]) => count + last - first + 1, 0);
  return `${shown.join(', ')}${rest === 0 ? '' : ` and ${rest} more`}`;
};

/** The suggester an export's header names, when it names one the right shape (an older export has none). */
const exportedSuggester = (file: TrialFile): StudySuggester | undefined => {
  const suggester: unknown = file.header?.study?.suggester;
  if (typeof suggester !== 'object' || suggester === null) return undefined;
  const { name, settings } = suggester as { name?: unknown; settings?: unknown };
  if (typeof name !== 'string') return undefined;
  const plain = typeof settings === 'object' && settings !== null && !Array.isArray(settings);
  // Under the settings' present names (an older export's TPE `compat` is `profile`), as the study is then kept.
  return presentSuggester(plain ? { name, settings: settings as Record<string, unknown> } : { name });
};

/** Line numbers a message lists: the first 20, then how many more (trial 71: 10,000 of them on one line). */
const listedLines = (lines: readonly (number | string)[]): string =>
  lines.length <= 20
    ? lines.join(', ')
    : `${lines.slice(0, 20).join(', ')} and ${(lines.length - 20).toLocaleString('en-US')} more; the --json line lists them all`;

/** A worker as a note names it: `host:pid` of a Parzen worker id (`host:pid:uuid:...`), else the id as it is. */
const shortWorker = (worker: string): string => {
  const [host, pid] = worker.split(':');
  return host !== undefined && host !== '' && /^\d+$/.test(pid ?? '') ? `${host}:${pid}` : worker;
};

/**
 * The warning of rescued lines whose trial the study here did not run under their worker (trial 161: it named only a
 * store elsewhere, when the study had been deleted and created anew here, in a sentence that did not parse, with three
 * worker ids of 110 characters). Lines that ran before the study here was created say so first.
 */
const foreignNote = (
  foreign: readonly {
    readonly line: number;
    readonly trial: number;
    readonly worker: string;
    readonly startedAt?: string | undefined;
  }[],
  shown: string,
  study: string,
  createdAt: string | undefined,
  made: boolean,
): string => {
  const one = foreign.length === 1;
  const trials = foreign.slice(0, 20).map(({ trial, worker }) => `#${trial} by ${shortWorker(worker)}`);
  const more = foreign.length > 20 ? ` and ${foreign.length - 20} more` : '';
  const before =
    createdAt !== undefined &&
    foreign.every(({ startedAt }) => startedAt !== undefined && Date.parse(startedAt) < Date.parse(createdAt));
  // Review 153: when this import made the study, "deleted and created anew since" was the first guess, and false.
  const why = made
    ? `This store held no study ${study}: this import created it, so ${one ? 'it is' : 'they are'} of a study of the same name in another store (a run given --store?), it seems, or of one deleted since`
    : before
      ? `${one ? 'It' : 'They'} ran before study ${study} here was created (${createdAt}): the study was deleted and created anew since, it seems, or ${one ? 'it is' : 'they are'} of a study of the same name in another store`
      : `${one ? 'It is' : 'They are'} of a study of the same name in another store, it seems, or of a study ${study} here that was deleted and created anew since`;
  return (
    `parzen: warning: ${countOf(foreign.length, 'rescued line')} of ${shown} (${listedLines(foreign.map(({ line }) => line))}) ${one ? 'is the result of a trial' : 'are the results of trials'} (${trials.join(', ')}${more}) ` +
    `that study ${study} here did not run under ${one ? 'that worker' : 'those workers'}. ${why} (a rescue file is kept per study name). ` +
    `Imported as ${one ? 'a new trial' : 'new trials'}; if ${one ? 'it belongs' : 'they belong'} to another store's study, import ${one ? 'it' : 'them'} there instead.`
  );
};

/**
 * `parzen import <config> <file>`: adds the finished trials of a `parzen export` file, a results JSONL
 * (`{"params": {...}, "loss": n}` a line) or a CSV (parameters and `loss` columns) to the config's study
 * in its store (creating the study if needed), in one store call: all rows or none. Rows that do not fit
 * the space are bad input (exit 2, naming their lines), unless `--on-invalid skip` leaves them out.
 */
export const importTrials = async (config: string, path: string, flags: ImportFlags, output: Output) => {
  // Ctrl-C (SIGTERM, SIGHUP) is heard, not fatal: before the store call nothing is imported; the store
  // call is all or nothing, so once begun it finishes (or a second Ctrl-C gives up a store's wait, nothing
  // imported), and either way the user is told which happened.
  // Once the store call that adds the trials has begun, a store that waits (for a lock, a server) waits on
  // until a second Ctrl-C, as for any write that saves results: said at the first (review 72: silent).
  const phase = { adding: false };
  const interrupts = installInterruptHandlers((name, count) => {
    if (count === 1 && phase.adding)
      output.note(
        `parzen: ${name}: the store call that adds the trials is under way (all or nothing) and goes on; press Ctrl-C again to give up waiting for the store (then nothing is imported).`,
      );
  });
  try {
    return await importWhenAsked(config, path, flags, output, interrupts, phase);
  } finally {
    interrupts.dispose();
  }
};

const importWhenAsked = async (
  config: string,
  path: string,
  flags: ImportFlags,
  output: Output,
  interrupts: ReturnType<typeof installInterruptHandlers>,
  phase: { adding: boolean },
) => {
  const interrupted = (what: string): number | undefined => {
    const code = interrupts.exitCode();
    if (code !== undefined) output.note(`parzen: interrupted (${interrupts.received()}): ${what}`);
    return code;
  };
  const printJson = (result: ImportJson) => {
    if (flags.json === true) output.result(JSON.stringify(result));
  };
  // `-` is standard input (a pipe: `zcat trials.jsonl.gz | parzen import config.json -`).
  const shown = trialFileName(path);
  if (path === '-') {
    // A config read from standard input too would leave no trials to read (`import /dev/stdin -`).
    const input = fstatSync(0);
    const named = statSync(config, { throwIfNoEntry: false });
    if (config === '-' || (named !== undefined && named.dev === input.dev && named.ino === input.ino))
      throw new CliError(
        `${config} and the trials (-) are both standard input, which can be read once: give the config as a file.`,
      );
    // isatty, not process.stdin.isTTY: touching process.stdin makes fd 0 non-blocking, and the synchronous
    // read then fails with EAGAIN on a pipe not yet written to (review 60: `zcat ... | parzen import cfg -`).
    if (isatty(0)) output.note('parzen: reading trials from standard input (end with Ctrl-D).');
  }
  const onInvalid = flags.onInvalid ?? 'reject';
  if (onInvalid !== 'reject' && onInvalid !== 'skip')
    throw new CliError(`--on-invalid ${JSON.stringify(onInvalid)}: expected reject or skip.`);
  if (flags.skipRepeats === true && flags.allowRepeats === true)
    throw new CliError(
      '--skip-repeats and --allow-repeats ask for opposite things: --skip-repeats leaves out the rows that repeat trials the study has, --allow-repeats imports them; give one of them. Nothing was imported.',
    );
  const overrides = flags.store === undefined ? {} : { store: parseStoreSpec(flags.store) };
  const runs = await prepareRuns([config], { overrides, reportersIdle: true });
  const picked = pickedRun(runs, flags.study);
  if (picked === undefined) throw noPickedRun(config, runs, flags.study);
  const { experiment } = picked;
  const { name, direction, seed, space, store: choice } = experiment.config;
  // `--json`'s line when nothing was imported (an empty file, or a signal before the store call).
  const printNone = (signalled: boolean, made: Pick<ImportJson, 'studyTakenOut'> = {}) =>
    printJson({
      study: name,
      store: choice.use,
      imported: [],
      finished: [],
      importedBefore: [],
      notImported: [],
      foreign: [],
      skipped: [],
      repeatsOfStudy: 0,
      repeatedLines: [],
      skippedRepeats: [],
      ...(signalled ? { interrupted: interrupts.received() ?? 'signal' } : {}),
      ...made,
    });
  if (choice.use === 'memory')
    throw new CliError(`${config} keeps its study in a memory store, which keeps nothing: pick another with --store.`);
  // Trial 50: a store's own file (a natural guess when moving a study) gave a page of field errors or binary.
  const kind = path === '-' ? undefined : storeFileKind(path);
  if (kind !== undefined)
    throw new CliError(
      `${shown} is ${kind === 'sqlite' ? 'a SQLite database' : 'a Parzen journal'} (a study store), not a file of trials: ` +
        `export its study first, \`${commandOf('export', undefined, { store: `${kind}:${path}` }).command} -o trials.jsonl\` (with --study NAME if it holds several), ` +
        `then \`${commandOf('import', config, { ...(flags.store === undefined ? {} : { store: flags.store }), ...(flags.study === undefined ? {} : { study: flags.study }) }).command} trials.jsonl\`.`,
    );
  // Standard input is read as a stream, so Ctrl-C is heard while it waits (review 61: a synchronous read at
  // a terminal ignored it until Ctrl-D).
  let piped: Buffer | undefined;
  if (path === '-') {
    piped = await readStandardInput(() => interrupts.exitCode() !== undefined);
    if (piped === undefined) {
      printNone(true);
      return interrupted('nothing was imported.') ?? 130;
    }
  }
  const read = readTrialFile(path, experiment.space, undefined, piped);
  // Trial 50: the way to carry a study's trials into one with an edited space was to cut the header by hand.
  const { header: _left, ...rows } = read;
  const file: TrialFile = flags.ignoreHeader === true && read.kind === 'export' ? { ...rows, kind: 'results' } : read;
  if (file.kind === 'empty') {
    // An empty CSV has no header to check and an empty JSONL no line: both import nothing, store untouched.
    output.note(`Imported no trials: ${shown} is empty.`);
    printNone(false);
    return 0;
  }
  checkSameSpace(shown, file, config, space);
  checkSameDirection(shown, file, config, direction);
  checkWhole(shown, file);
  const checked = checkImportedRows(experiment.space, file.rows, (index) => file.lines[index] ?? index);
  const invalid: InvalidRow[] = [...file.bad, ...checked.invalid].sort((a, b) => a.row - b.row);
  const total = file.rows.length + file.bad.length;
  // Every line invalid: with `skip` too there is nothing to import, and a script must not take it for an
  // import (trial 32: exit 0, and an empty study created). Refused as `reject` refuses, the store untouched.
  if (invalid.length > 0 && (onInvalid === 'reject' || checked.trials.length === 0)) {
    const refused = importInvalid(invalid, total, 'line');
    // The way out, said where it is one (trial 75: only the README named --on-invalid skip).
    const after =
      onInvalid === 'skip'
        ? '\nNot one line could be imported (--on-invalid skip skips some lines, not all): nothing was imported and no study was created.'
        : checked.trials.length === 0
          ? ''
          : `\nMend ${invalid.length === 1 ? 'that line' : 'those lines'}, or pass --on-invalid skip to import the ${countOf(checked.trials.length, 'other line')} and skip ${invalid.length === 1 ? 'it' : 'them'}.`;
    throw new CliError(`${shown}: ${refused.message}${after}`, 2, 'IMPORT_INVALID', {
      file: path,
      issues: refused.issues,
    });
  }
  const scope = await openStudyScope(experiment);
  // Import's warnings are notes, as its others (review 78: a service's failed close went to the logger).
  const importWarning = (message: string) => output.note(`parzen: warning: ${message}`);
  // A store that waits (for a SQLite lock, a PostgreSQL server) sees Ctrl-C as a run's does (trial 68: the
  // import waited out a lock for 30 s whatever the user pressed).
  scope.followStops(interrupts);
  const early = interrupted(`nothing was imported into study ${name}.`);
  if (early !== undefined) {
    await scope.close(importWarning);
    printNone(true);
    return early;
  }
  // The store's file, and whether it was there before the import (review 125: `--store jsonl:./new.jsonl` made a new
  // store and study without a word).
  const storeAt = storeFile(experiment);
  const fileWasThere = storeAt !== undefined && existsSync(storeAt);
  let madeStudy = false;
  // Its config errors where run and validate say them: under /store/options, or of the --store flag.
  const created = await scope.create('store', choice).catch(async (error: unknown) => {
    // The services the store had made are released (review 76).
    await scope.close(importWarning);
    const placed = configErrorUnder('/store/options', error);
    return throwOfStoreFlag(flags.store)(placed);
  });
  // The study as this import opens it (below), to open it again when another import that had made it took it out
  // before this one wrote to it (review 179: this import ended, importing nothing).
  let studySpec: Parameters<TrialStore['openStudy']>[0] | undefined;
  const store = reopeningStore(
    created,
    name,
    () => created.openStudy(studySpec as Parameters<TrialStore['openStudy']>[0]),
    (resumed) => {
      madeStudy = !resumed;
      output.note(`parzen: ${studyReopenedNote(name, 'this import', resumed)}`);
    },
  );
  let added: readonly FinishedTrial[] = [];
  // Trials the store had running that rescued results finished, and the trials to add (the rest).
  const finished: FinishedTrial[] = [];
  // Trials a rescued result was for that another process finished meanwhile (a run marked them failed).
  const raced: number[] = [];
  // Trials a rescue file's line had finished in an earlier import of the file.
  const importedBefore: number[] = [];
  // The file's trials passed over (rescued results that finished a trial, lines imported before).
  const passedOver = new Set<number>();
  let addingIndex: number[] = [];
  // Rescued lines (with their worker) whose trial this study never ran under that worker: another store's study of
  // the same name (rescue files are kept per study name). Their line numbers and what they name.
  const foreign: {
    readonly line: number;
    readonly trial: number;
    readonly worker: string;
    readonly startedAt: string | undefined;
  }[] = [];
  // When the study here was created (a rescued line that ran before it is of a study deleted since, or elsewhere).
  let studyCreatedAt: string | undefined;
  let adding: readonly NewFinishedTrial[] = checked.trials;
  // Whether a rescue file's line is among the trials to add (see below).
  let rescuedAdded = false;
  // Per row to import, whether it repeats a trial the study already had.
  let repeated: boolean[] = [];
  // The lines `--skip-repeats` left out.
  const skippedRepeats: number[] = [];
  // Whether the store leaves out, in its atomic step, the rows that repeat a trial the study has (`--skip-repeats`).
  let atomicSkip = false;
  /** Rows the store left out as repeats (their places among those to add): said by line, and set aside. */
  const leftOut = (places: readonly number[]) => {
    if (places.length === 0) return;
    const out = new Set(places);
    for (const at of places) {
      const index = addingIndex[at] as number;
      skippedRepeats.push(checked.rows[index] ?? index);
      passedOver.add(index);
    }
    skippedRepeats.sort((a, b) => a - b);
    // The places of the rows added among the trials added.
    const placed = new Map<number, number>();
    for (const at of addingIndex.keys()) if (!out.has(at)) placed.set(at, placed.size);
    const kept = (_: unknown, at: number) => !out.has(at);
    adding = adding.filter(kept);
    addingIndex = addingIndex.filter(kept);
    repeated = repeated.filter(kept);
    keyed = {
      trials: keyed.trials.filter(kept),
      answered: keyed.answered.flatMap(([entry, at]) => {
        const place = placed.get(at);
        return place === undefined ? [] : [[entry, place] as const];
      }),
    };
  };
  // The config's enqueue entries the imported trials answer keep their keys with those trials, so a run of
  // the study in this store does not queue them again (trial 35: a study moved by export and import ran them
  // twice). The entries were checked against the space with the config.
  const entries = configEnqueueEntries(
    experiment.config.enqueue,
    checkEnqueued(experiment.space, experiment.config.enqueue).params,
  );
  // Entries the exported study still had waiting: none of its trials ran them (trial 74).
  // From the file's header even with --ignore-header (which sets its space and direction aside, not this).
  const waitingAtSource = new Set(
    Array.isArray(read.header?.enqueued?.waiting)
      ? read.header.enqueued.waiting.filter((key): key is string => typeof key === 'string')
      : [],
  );
  let keyed = withEnqueueKeys(entries, checked.trials, [], new Set(), waitingAtSource);
  // The seed of an export's study (an integer, else none): the study created here keeps it.
  const header = file.header?.study?.seed;
  const exportedSeed = typeof header === 'number' && Number.isSafeInteger(header) ? header : undefined;
  let storedSeed = seed;
  // Whether the store added trials (a failure after that, as a store's account that does not add up, keeps them).
  let wrote = false;
  let takenOut: MadeStudy | undefined;
  /** What an import that imported nothing says of the study it had made (`when`: before what). */
  const madeNote = (when: string): string =>
    takenOut === 'removed'
      ? `The import had created the study ${when}, and has taken it out again, as it held nothing${fileWasThere || storeAt === undefined ? '' : ` (the file it made, ${storeAt}, stays, with no study)`}.`
      : takenOut === 'not empty'
        ? `The import had created the study ${when}; another process has added to it since, so it stays.`
        : emptyStudyNote(when, config, flags);
  // Its store calls: opening the study, reading it, adding the trials.
  const body = async (): Promise<void> => {
    // Said of the config, as run says a store's missing enqueue (trial 127: this one had no file).
    if (store.addTrials === undefined)
      throw new ConfigProblems(
        [{ path: config, error: storeUnsupported(store.name, 'import trials', 'addTrials', true) }],
        [],
      );
    scope.provideStore(store);
    // A study created here keeps a suggester as a run's does, so a later run says when its own differs:
    // the one an export's study was created with, else the config's.
    const suggester: StudySuggester =
      exportedSuggester(file) ??
      studySuggester(
        await scope.create('suggester', experiment.config.suggester).catch((error: unknown) => {
          throw configErrorUnder('/suggester/options', error);
        }),
      );
    // An export's study keeps its order of the parameters (review 41: a config listing them in another
    // order created the study in its own, and the continued study differed); the space is the same.
    const studySpace = (file.header?.study?.space as SpaceDefinition | undefined) ?? space;
    // And its seed (review 42: created with the config's, the study contradicted the warning's advice below).
    const studySeed = exportedSeed ?? seed;
    // And the Parzen version that created it, which drew its trials: none when the export says "unknown" or
    // has none (made before versions were kept), as the study it came from; never this one's. An older Parzen
    // exporting a study a newer one created in SQLite or PostgreSQL writes it inside the suggester, as kept.
    const exported =
      file.header?.study?.parzenVersion ??
      (file.header?.study?.suggester as { parzenVersion?: unknown } | undefined)?.parzenVersion;
    const parzenVersion = typeof exported === 'string' && exported !== UNKNOWN_VERSION ? exported : undefined;
    studySpec = {
      name,
      direction,
      seed: studySeed,
      space: studySpace,
      suggester,
      ...(parzenVersion === undefined ? {} : { parzenVersion }),
    };
    const opened = await store.openStudy(studySpec);
    storedSeed = opened.study.seed;
    studyCreatedAt = opened.study.createdAt;
    madeStudy = !opened.resumed;
    if (checked.trials.length > 0) {
      const existing = await store.listTrials(name);
      // A rescue file's result whose trial the store still has running, with its params and under the lease of
      // the worker the line names: that trial is finished with it, not a new one added beside it (trial 101:
      // both counted toward maxTrials; review 112: without the worker, a live run's trial of the same number in
      // a recreated store was finished with another run's result). A line whose trial has since been finished
      // with it (an earlier import of the file, which grows) was imported: passed over.
      // The study's finished trials by their times: a row with both times is matched against those alone (a search
      // per row over every trial was quadratic: a study of 100,000 trials moved back took minutes).
      const byTimes = new Map<string, Trial[]>();
      const timesOf = (t: { readonly startedAt?: string; readonly finishedAt?: string }) =>
        `${t.startedAt}|${t.finishedAt}`;
      for (const t of existing) {
        if (t.state === 'running') continue;
        const same = byTimes.get(timesOf(t));
        if (same === undefined) byTimes.set(timesOf(t), [t]);
        else same.push(t);
      }
      const rescues: { index: number; trial: NewFinishedTrial; number: number }[] = [];
      const before: number[] = [];
      checked.trials.forEach((trial, index) => {
        const said = checked.unrecorded[index];
        if (said?.study !== name) return;
        const held = existing.find((t) => t.number === said.trial);
        if (
          held?.state === 'running' &&
          said.worker !== undefined &&
          held.lease?.owner === said.worker &&
          sameAssignment(held.internal, trial.internal)
        ) {
          rescues.push({ index, trial, number: held.number });
          return;
        }
        // Its trial has this result, or the trial an earlier import added for it (the line's params, result and
        // times: review 113, another trial of the same params and loss was taken for it, and the line lost):
        // imported before. (Params compared first: a key per stored trial for every line is slow.)
        // A line without both times (not as a run writes one: the store gives the import's) by params and
        // result alone, as any row (review 114: matched by times it was added again at each import).
        const added = (timed(trial) ? (byTimes.get(timesOf(trial)) ?? []) : existing).filter(
          (t) => t.state !== 'running' && sameAssignment(t.internal, trial.internal),
        );
        const twin = [...(held === undefined ? [] : [held]), ...added].find(
          (t) => t.state !== 'running' && repeatsOf([t], [trial])[0] === true,
        );
        if (twin !== undefined) {
          before.push(index);
          importedBefore.push(twin.number);
          return;
        }
        // Its trial ran under the line's worker: running still (other params: another draw), or failed when its
        // worker was gone (the failure's details name the worker; in a store written before they did, its
        // message). Else the line is another store's.
        const ranHere =
          held !== undefined &&
          said.worker !== undefined &&
          ((held.state === 'running' && held.lease?.owner === said.worker) ||
            (held.state === 'failed' &&
              (held.error.details?.worker === said.worker ||
                (held.error.details?.worker === undefined && namesWorker(held.error.message, said.worker)))));
        if (said.worker !== undefined && !ranHere)
          foreign.push({
            line: checked.rows[index] ?? index,
            trial: said.trial,
            worker: said.worker,
            startedAt: trial.startedAt,
          });
      });
      const aside = new Set([...rescues.map(({ index }) => index), ...before]);
      adding = checked.trials.filter((_, index) => !aside.has(index));
      // Each row to add's index among the file's trials, and the file's trials passed over (review 117: notes
      // on the file's lines counted them as imported).
      addingIndex = checked.trials.flatMap((_, index) => (aside.has(index) ? [] : [index]));
      for (const index of aside) passedOver.add(index);
      // A rescued result added as a trial of its own (a line as a run writes it, with its times) is a new
      // evaluation even when its params and loss repeat another trial's (a deterministic objective): not a
      // repeat, neither for the refusal, which is for files imported twice and is decided on the other rows
      // (review 114: one such line let a plain file in again), nor for the note (review 113).
      let rescueRow = checked.trials.flatMap((trial, index) =>
        aside.has(index) ? [] : [checked.unrecorded[index]?.study === name && timed(trial)],
      );
      rescuedAdded = rescueRow.some(Boolean);
      repeated = repeatsOf(existing, adding).map((repeats, at) => repeats && rescueRow[at] !== true);
      // Rows that are copies of the study's own trials (params, result and both times: a study moved to another
      // store and back, with trials run there since): passed over as imported before, the rest added (trial 113:
      // all were added, the study's trials counted twice). Each trial is matched once (review 117).
      let copies = 0;
      let newTimedRepeats = false;
      // With --skip-repeats every repeat is left out below, a copy too.
      if (flags.allowRepeats !== true && flags.skipRepeats !== true) {
        const matched = new Set<number>();
        const copyOf = adding.map((trial, at) => {
          if (repeated[at] !== true || !timed(trial)) return undefined;
          const copy = byTimes
            .get(timesOf(trial))
            ?.find((t) => !matched.has(t.number) && repeatsOf([t], [trial])[0] === true);
          if (copy !== undefined) matched.add(copy.number);
          return copy;
        });
        for (const copy of copyOf) if (copy !== undefined) importedBefore.push(copy.number);
        copies = copyOf.filter((copy) => copy !== undefined).length;
        const kept = (_: unknown, at: number) => copyOf[at] === undefined;
        for (const [at, copy] of copyOf.entries()) if (copy !== undefined) passedOver.add(addingIndex[at] as number);
        adding = adding.filter(kept);
        addingIndex = addingIndex.filter(kept);
        rescueRow = rescueRow.filter(kept);
        repeated = repeated.filter(kept);
        // Rows with times of their own that repeat a result (a deterministic objective run again elsewhere):
        // new evaluations, not an earlier import of this file (review 117: the whole file was refused).
        newTimedRepeats = adding.some((trial, at) => repeated[at] === true && timed(trial));
      }
      // --skip-repeats: the rows that repeat a trial the study has are left out (a file imported again: an idempotent
      // step), by line; the rest are added. The store leaves out in its atomic step those another import added
      // meanwhile (two imports at the same moment that share rows add each once), when it can: not a store
      // without the option, nor an import with a rescued line that repeats a trial (a new evaluation, added).
      const exempt =
        flags.skipRepeats === true &&
        repeatsOf(existing, adding).some((repeats, at) => repeats && repeated[at] !== true);
      atomicSkip = flags.skipRepeats === true && store.skipRepeats === true && !exempt;
      if (flags.skipRepeats === true && !atomicSkip)
        output.note(
          `parzen: warning: ${store.skipRepeats === true ? `a line of ${shown} rescued from a run repeats a trial study ${name} has (a new evaluation, imported), so` : `the \`${choice.use}\` store does not skip repeats in its own atomic step, so`} ` +
            'the rows were compared with the study as read before the add: another import at the same moment that shares rows with this one can add them too. Import such files one at a time.',
        );
      if (flags.skipRepeats === true) {
        const kept = (_: unknown, at: number) => repeated[at] !== true;
        for (const [at, repeats] of repeated.entries())
          if (repeats) {
            const index = addingIndex[at] as number;
            skippedRepeats.push(checked.rows[index] ?? index);
            passedOver.add(index);
          }
        adding = adding.filter(kept);
        addingIndex = addingIndex.filter(kept);
        rescueRow = rescueRow.filter(kept);
        repeated = repeated.filter(kept);
      }
      // Entries the study's own trials ran are theirs, not the imported trials' (trial 67).
      const waiting = new Set((await store.listEnqueued?.(name))?.flatMap((entry) => entry.key ?? []));
      keyed = withEnqueueKeys(entries, adding, existing, waiting, waitingAtSource);
      // Trial 50: a daily warm-start script imported the same file every day, doubling the study each time.
      const refused = () =>
        new CliError(
          `${checked.trials.length === 1 ? 'The one trial' : `Every one of the ${checked.trials.length} trials`} in ${shown} repeats a trial study ${name} already has (same params, state, loss and error): ` +
            'the file was imported before, it seems, or is an export of this very study. Nothing was imported. To import them again anyway (the suggester then counts each twice), pass --allow-repeats; ' +
            'for a step run again (a Makefile), --skip-repeats leaves out the rows the study has and exits 0.' +
            // Review 105: the lines skipped as invalid went unsaid in a refusal.
            (invalid.length === 0
              ? ''
              : ` ${invalid.length === 1 ? 'The other line (line' : `The other ${invalid.length} lines (lines`} ${listedLines(invalid.map(({ row }) => row))}) ${invalid.length === 1 ? 'was' : 'were'} invalid and skipped (--on-invalid skip):\n${formatInvalidRows(invalid, 'line', true)}`),
          2,
          'IMPORT_REPEATED',
          invalid.length === 0 ? { file: path } : { file: path, issues: importInvalid(invalid, total, 'line').issues },
        );
      // A file of nothing but the study's own trials, or of rows that repeat its results without times of their own:
      // imported before, it seems.
      const plain = repeated.filter((_, at) => rescueRow[at] !== true);
      const onlyCopies = copies > 0 && plain.length === 0 && !rescuedAdded;
      const onlyRepeats = plain.length > 0 && plain.every(Boolean) && !newTimedRepeats;
      if (flags.allowRepeats !== true && flags.skipRepeats !== true && (onlyCopies || onlyRepeats)) throw refused();
      // Checked again by the store in the same step as the add (trial 56: two imports of one file at once
      // both passed the check above, and the study was doubled).
      // A signal that came while opening blocked the thread (SQLite's open wait) is delivered now, and
      // nothing is added after it (review 73: the add went on, and the study got the trials).
      await signalsDelivered();
      if (interrupts.exitCode() !== undefined)
        throw new ParzenError('INTERRUPTED', `Stopped before the trials were added to study ${name}.`);
      phase.adding = true;
      try {
        for (const rescue of rescues) {
          const done = await finishRescued(store, name, rescue.number, rescue.trial, output.note);
          if (done === undefined) raced.push(rescue.number);
          else finished.push(done);
        }
        const given = store.enqueue === undefined ? adding : keyed.trials;
        if (adding.length > 0)
          added = await store
            .addTrials(
              name,
              given,
              atomicSkip
                ? { skipRepeats: true }
                : {
                    // Rows with times of their own are judged as copies there (the same times too): a rescued
                    // result or a timed repeat is added once, not refused, and an import of the file at the same
                    // time adds it once (before, the check was off for such a file).
                    refuseRepeats: flags.allowRepeats !== true,
                  },
            )
            .then((made) => {
              wrote = made.length > 0;
              if (atomicSkip) leftOut(leftOutRepeats(store.name, given, made));
              return made;
            })
            .catch((error: unknown): FinishedTrial[] => {
              if (!(error instanceof ParzenError && error.code === 'IMPORT_REPEATED')) throw error;
              if (flags.skipRepeats !== true) throw refused();
              // Another import added them meanwhile (the store judged it in its atomic step): each a repeat now.
              for (const index of addingIndex) {
                skippedRepeats.push(checked.rows[index] ?? index);
                passedOver.add(index);
              }
              skippedRepeats.sort((a, b) => a - b);
              repeated = [];
              return [];
            });
      } finally {
        // The note of a store call under way is for the call only (review 73: said after it, at close).
        phase.adding = false;
      }
    }
  };
  // A store whose close fails says so in a warning; the import's own result or refusal stands (review 50).
  try {
    await withCleanup(
      () =>
        body().catch(async (error: unknown) => {
          // The study this import made and added nothing to, taken out (stopped, refused, a failed write), as its
          // own step before the store is closed.
          if (madeStudy && !wrote && finished.length === 0) takenOut = await takeOutMadeStudy(store, name, output.note);
          throw error;
        }),
      // The store, then the services the import's plugins had made.
      () => store.close().finally(() => scope.close(importWarning)),
      `the \`${choice.use}\` store could not be closed`,
      (message) => output.note(`parzen: warning: ${message}`),
    );
  } catch (error) {
    // Whether the study this import created was taken out again, for a script (review: only stderr said it).
    const takenOutField: Pick<ImportJson, 'studyTakenOut'> = madeStudy ? { studyTakenOut: takenOut === 'removed' } : {};
    // Ctrl-C while the store waited (a lock, a server): nothing was written (a store call is all or nothing).
    if (error instanceof ParzenError && error.code === 'INTERRUPTED' && interrupts.exitCode() !== undefined) {
      output.note(`parzen: ${error.message}`);
      // Rescued results finish their trials one store call each: those done before the stop are said (review 112).
      const done =
        finished.length === 0
          ? ''
          : `${numbers(finished)} ${finished.length === 1 ? 'was' : 'were'} finished with ${finished.length === 1 ? 'its' : 'their'} rescued result${finished.length === 1 ? '' : 's'} before the stop, and nothing else; import the file again for the rest (lines already imported are passed over).`;
      const made = madeStudy ? ` ${madeNote('before the stop')}` : '';
      const code = interrupted(done === '' ? `nothing was imported into study ${name}.${made}` : done) ?? 130;
      if (finished.length === 0) printNone(true, takenOutField);
      else
        printJson({
          study: name,
          store: choice.use,
          imported: [],
          finished: finished.map((trial) => trial.number),
          importedBefore,
          notImported: raced,
          foreign: [],
          skipped: [],
          repeatsOfStudy: 0,
          repeatedLines: [],
          skippedRepeats: [],
          interrupted: interrupts.received() ?? 'signal',
          ...takenOutField,
        });
      return code;
    }
    // A full disk: what was imported (nothing, but rescued results finished before it) and what the file was left.
    if (error instanceof ParzenError && noRoomCode(error) !== undefined) {
      const advice =
        `Nothing was imported into study ${name}${finished.length === 0 ? '' : ` but the rescued results that finished ${numbers(finished)} before it`}: the import's store call is all or nothing.` +
        (choice.use === 'jsonl'
          ? " What the journal got of it is an unfinished last line, which the journal's next write sets aside (it stays in the file, skipped)."
          : '') +
        (madeStudy ? ` ${madeNote('before the failed write')}` : '') +
        ' Free disk space, then import again.';
      throw withJsonFields(
        new ParzenError(error.code, `${error.message.replace(/\.?$/, '.')} ${advice}`, { cause: error, advice }),
        takenOutField,
      );
    }
    // Any other failure (a refusal, a store's): the study it had made, said beside the error (review: it stayed unsaid).
    if (madeStudy && !wrote && finished.length === 0)
      output.note(`parzen: nothing was imported into study ${name}. ${madeNote('before the failure below')}`);
    throw withJsonFields(error, takenOutField);
  }
  const into = `study ${name} (${choice.use} store)`;
  // An export of another study imported into this one: said (trial 119: a study's export went into another unsaid).
  const exportedName = file.kind === 'export' ? file.header?.study?.name : undefined;
  if (typeof exportedName === 'string' && exportedName !== name && (added.length > 0 || finished.length > 0))
    output.note(
      `parzen: note: ${shown} is an export of study ${exportedName}; its trials went into study ${name}, the config's.`,
    );
  const part = file.kind === 'export' ? file.header?.where : undefined;
  if (typeof part === 'string' && added.length > 0)
    output.note(
      `parzen: note: ${shown} holds part of its study, the trials where ${part} (exported with --where): TPE learns from those alone.`,
    );
  // Said beside the result (a note, so that stdout stays the result): where the new study is, and a new file.
  if (madeStudy)
    output.note(
      storeAt === undefined
        ? `parzen: study ${name} is new in the ${choice.use} store: this import made it.`
        : `parzen: study ${name} is new in ${storeAt}: this import made it${fileWasThere ? '' : ', and the file, which was not there'}.`,
    );
  if (added.length > 0 || finished.length === 0)
    output.note(
      added.length === 0
        ? `Imported no trials into ${into}.`
        : `Imported ${countOf(added.length, 'trial')} into ${into} as ${numbers(added)}.`,
    );
  if (skippedRepeats.length > 0)
    output.note(
      `Skipped ${skippedRepeats.length} of ${countOf(total, 'line')} (${listedLines(skippedRepeats)}): ${skippedRepeats.length === 1 ? 'it repeats a trial' : 'each repeats a trial'} study ${name} already had (same params, state, loss and error; --skip-repeats).`,
    );
  if (finished.length > 0)
    output.note(
      `Finished ${numbers(finished)} of ${into} with ${finished.length === 1 ? 'its result' : 'their results'} from ${shown}: the store had ${finished.length === 1 ? 'it' : 'them'} running, as it could not record ${finished.length === 1 ? 'its end' : 'their ends'}, so ${finished.length === 1 ? 'it counts' : 'each counts'} once.`,
    );
  if (importedBefore.length > 0)
    output.note(
      `parzen: ${countOf(importedBefore.length, 'line')} of ${shown} ${importedBefore.length === 1 ? 'was' : 'were'} imported before: ${importedBefore.length === 1 ? 'its trial' : 'their trials'} (${listedLines(importedBefore.map((number) => `#${number}`))}) ${importedBefore.length === 1 ? 'has' : 'have'} ${importedBefore.length === 1 ? 'that result' : 'those results'} already, so ${importedBefore.length === 1 ? 'it was' : 'they were'} passed over.`,
    );
  if (foreign.length > 0) output.note(foreignNote(foreign, shown, name, studyCreatedAt, madeStudy));
  if (raced.length > 0)
    output.note(
      `parzen: warning: ${raced.map((number) => `#${number}`).join(', ')} of ${into} ${raced.length === 1 ? 'was' : 'were'} finished by another process while importing (another import of this file, or a run that marks a trial left running failed, STALE_TRIAL), so ${raced.length === 1 ? 'its' : 'their'} result${raced.length === 1 ? ' was' : 's were'} not imported here: import ${shown} again, which passes over a line already imported and adds one whose trial a run failed as a trial of its own.`,
    );
  // Not for a trial that repeats one the study had (review: importing an export again said it again; the
  // first import recorded those entries as run).
  const fresh = keyed.answered.filter(([, trial]) => repeated[trial] !== true);
  if (store.enqueue !== undefined && fresh.length > 0 && added.length > 0) {
    const answered = fresh.map(([entry, trial]) => `${entry} by #${added[trial]?.number}`);
    output.note(
      `parzen: ${answered.length} ${answered.length === 1 ? 'entry' : 'entries'} of the config's enqueue list (${answered.join(', ')}) ${answered.length === 1 ? 'has' : 'have'} ` +
        'run already, in imported trials with their params: the store records them as run (one it had queued and not yet handed out ' +
        'is taken by the imported trial), so a run of this study does not run them again.',
    );
  }
  // Runs draw with the config's seed: another than the export's draws other streams than the original's
  // (trial 41: the seed changed, unsaid; review 41: compared with the stored one, the advice contradicted run's).
  if (exportedSeed !== undefined && exportedSeed !== seed)
    output.note(
      `parzen: warning: ${shown} is a study with seed ${exportedSeed}; ${config} runs study ${name} with seed ${seed}${storedSeed === seed ? '' : ` (the study here has seed ${storedSeed})`}, so its next trials would draw from other random streams than the exported study's. To continue it as it was, give the config "seed": ${exportedSeed}.`,
    );
  // Rows of `parzen trials --jsonl/--csv` name a trial's last step, not its curve (trial 58: a study moved
  // so lost its learning curves without a word, and a pruner then judged differently).
  // Of the rows imported (review 60: skipped ones were counted too).
  const importedLines = new Set(checked.rows.filter((_, index) => !passedOver.has(index)));
  const stepOnly = file.rows.filter(
    (row, index) =>
      importedLines.has(file.lines[index] ?? index) &&
      typeof row === 'object' &&
      row !== null &&
      (row as { step?: unknown }).step !== undefined &&
      (row as { intermediate?: unknown }).intermediate === undefined,
  ).length;
  if (added.length > 0 && stepOnly > 0)
    output.note(
      `parzen: ${countOf(stepOnly, 'row')} of ${shown} ${stepOnly === 1 ? 'names its' : 'name their'} last step but not ${stepOnly === 1 ? 'its' : 'their'} learning curve (a \`parzen trials\` listing): imported without intermediate values, so a pruner judges other trials without them. \`parzen export\` writes the curves too.`,
    );
  const inFile = repeatedRows(
    checked.trials.filter((_, index) => !passedOver.has(index)),
    checked.rows.filter((_, index) => !passedOver.has(index)),
  );
  if (inFile.length > 0)
    output.note(
      `parzen: ${countOf(inFile.length, 'line')} of ${shown} (${listedLines(inFile)}) ${inFile.length === 1 ? 'repeats' : 'repeat'} an earlier line of it ` +
        '(same params, state, loss and error): imported as trials of their own, so the suggester counts that result more than once.',
    );
  const repeats = repeated.filter(Boolean).length;
  if (repeats > 0) {
    // Trial 161: "Parzen does not delete studies" stood after `parzen delete` came. The way out as commands to paste.
    const source = {
      ...(flags.store === undefined ? {} : { store: flags.store }),
      ...(flags.study === undefined ? {} : { study: flags.study }),
    };
    const { command, password } = commandOf('import', config, source);
    // With the flags this import was given (review 153: without --on-invalid skip or --ignore-header it exited 2).
    const given = [
      ...(flags.onInvalid === 'skip' ? ['--on-invalid skip'] : []),
      ...(flags.ignoreHeader === true ? ['--ignore-header'] : []),
    ];
    const again = [command, ...given, path === '-' ? 'FILE' : shellQuoted(path)].join(' ');
    output.note(
      `parzen: ${repeats} of the ${countOf(added.length, 'imported trial')} ${repeats === 1 ? 'repeats a trial' : 'repeat trials'} ${name} already had (same params, state, loss and error). ` +
        'If this file was imported before, the study now counts them twice and the suggester weighs them double. ' +
        `To start clean, delete the study and import the file once: \`${commandOf('delete', config, source).command}\` (it deletes all the study's trials: export first those the file lacks), then \`${again}\`${password}. ` +
        'Or import the file once into a new study (another "name" in the config, or --store with a new file).',
    );
  }
  if (invalid.length > 0) {
    // The count, then why.
    output.note(
      `Skipped ${invalid.length} of ${countOf(total, 'line')} (${listedLines(invalid.map(({ row }) => row))}).`,
    );
    output.note(
      `parzen: why ${invalid.length === 1 ? 'it was' : 'they were'} skipped:\n${formatInvalidRows(invalid, 'line')}`,
    );
  }
  // Trial 68: a signal during the store call was checked before it was delivered, and the import exited 0.
  await signalsDelivered();
  const signal = interrupted('the import had begun, and a store call is all or nothing, so it finished (above).');
  printJson({
    study: name,
    store: choice.use,
    imported: added.map((trial) => trial.number),
    finished: finished.map((trial) => trial.number),
    importedBefore,
    notImported: raced,
    foreign: foreign.map(({ line }) => line),
    skipped: invalid.map(({ row }) => row),
    repeatsOfStudy: repeats,
    repeatedLines: inFile,
    skippedRepeats,
    ...(signal === undefined ? {} : { interrupted: interrupts.received() ?? 'signal' }),
    ...(madeStudy ? { studyTakenOut: false } : {}),
  });
  return signal ?? 0;
};
