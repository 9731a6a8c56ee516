import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type EvaluationContext,
  type ExternalParams,
  type LoadedExperiment,
  openStoreForReading,
  ParzenError,
  type Trial,
  type TrialStore,
} from '@parzen/engine';
import { presentSuggester, printable, variantLegend } from '@parzen/engine/host';
import {
  type CompiledSpace,
  compileSpace,
  describeValue,
  type EnqueuedParams,
  inStudyOrder,
  type ParamAssignment,
  type PluginChoice,
  type StudyRecord,
  sameSpace,
  type TakenEntry,
} from '@parzen/engine/plugin';
import type { ContourFunction, ReportOptions, ReportStudy } from '@parzen/report';
import { mixedDirections } from '../comparison.js';
import { configEntries } from '../config-entries.js';
import { ConfigProblems } from '../config-problems.js';
import { CliError } from '../exit-codes.js';
import { listNames } from '../list-names.js';
import { askedByRun, missingOfExperiment, missingTogether } from '../missing-study.js';
import { notesLogger, type Output } from '../output.js';
import {
  configInputs,
  existingOutput,
  type InputFile,
  isFile,
  refuseOverwritingInputs,
  writeOutputFile,
  writingOutput,
} from '../output-file.js';
import { type PreparedRun, prepareRuns } from '../prepare-runs.js';
import { problemKey } from '../problem-key.js';
import { configFolder, readingOnce } from '../read-config-file.js';
import { missingPluginNotes } from '../reading-plugins.js';
import { blameStoreFlag, parseStoreSpec, storeFlag, throwOfStoreFlag } from '../store-spec.js';
import { directionChangedNote, noteStoredTrials, openStudyRecord, readStudiesTrials } from '../study-trials.js';
import { tpeSettingsChange } from '../tpe-settings-change.js';
import { heldStudy, loadStudies, notRunNote, openStoreFromFlag, salvagedStore } from './inspect.js';

/** Flags of `parzen report`. */
export interface ReportFlags {
  readonly output?: string;
  readonly store?: string;
  readonly format?: string;
  /** `true` (flag alone): the config's `module` objective; a string: `FILE#EXPORT`. */
  readonly contour?: boolean | string;
  readonly pair?: readonly string[];
  /** `--contour-levels`: the contour levels to draw. */
  readonly contourLevels?: readonly number[];
  readonly every?: number;
  /** `--trial`: trials to replay TPE at, by number. */
  readonly trial?: readonly number[];
  /** `--importance`: how parameter importance is measured (default fANOVA). */
  readonly importance?: 'fanova' | 'ped-anova';
  /** `--no-next` sets it false: leave out the "Next suggestion" section. */
  readonly next?: boolean;
  readonly serve?: boolean;
  readonly port?: number;
  readonly interval?: number;
  /** With `--store` and no config: the study to report (default: the store's only one). */
  readonly study?: string;
  /** With `--store` and no config: read a damaged JSONL journal or SQLite database anyway. */
  readonly salvage?: boolean;
  /** Print what was written as one JSON line last on stdout (see {@link ReportJson}). */
  readonly json?: boolean;
}

/** `report --json`'s line: what was written, of which studies. */
export interface ReportJson {
  readonly format: 'html' | 'svg';
  /** The HTML file, or the folder of SVG charts (absolute). */
  readonly output: string;
  /** With `--format svg`: the chart files written (absolute), each beside its Vega-Lite spec (`.vl.json`). */
  readonly files?: readonly string[];
  /** The studies the page shows (several: a comparison page), with their trial counts. */
  readonly studies: readonly { readonly name: string; readonly trials: number }[];
  /** The page's notes (what was left out or capped, the variant labels of a comparison). */
  readonly notes: readonly string[];
}

/**
 * Which trials a study has, for a `--trial` that names another: `its trials are #0 to #13` (`with gaps`
 * when some numbers in between are not its), or `it has no trial yet`.
 */
export const trialsHeld = (trials: readonly Trial[]): string => {
  if (trials.length === 0) return 'it has no trial yet';
  // Not Math.min(...numbers): a study of a million trials overflows the call's arguments.
  const [low, high] = trials.reduce(
    ([min, max], trial) => [Math.min(min, trial.number), Math.max(max, trial.number)],
    [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
  );
  return `its trials are #${low} to #${high}${new Set(trials.map((trial) => trial.number)).size === high - low + 1 ? '' : ', with gaps'}`;
};

/**
 * Refuses `--trial N` for a trial the study does not have, or one without params (it failed before it had
 * any: nothing was chosen to draw), as bad input is refused: before any page is built or written. A served page
 * (`serving`, with `output` to say it) awaits a trial the study does not have yet: it is drawn once the study gets
 * there, and said so on stderr and on the page; one without params is refused all the same (it never gets any).
 */
const checkAskedTrials = (
  name: string,
  trials: readonly Trial[],
  asked: readonly number[] | undefined,
  serving?: Output,
): void => {
  if (asked === undefined) return;
  const byNumber = new Map(trials.map((trial) => [trial.number, trial]));
  const absent = [...new Set(asked.filter((number) => !byNumber.has(number)))];
  const empty = [...new Set(asked)].filter((number) => {
    const trial = byNumber.get(number);
    return trial !== undefined && Object.keys(trial.internal).length === 0;
  });
  const flags = (numbers: readonly number[]) => numbers.map((number) => `--trial ${number}`).join(' ');
  const numbered = (numbers: readonly number[]) => numbers.map((number) => `#${number}`).join(', ');
  const one = (numbers: readonly number[], word: string) => (numbers.length === 1 ? word : `${word}s`);
  // Refused first: the note that the page will wait for absent trials is for a page that is served.
  if (serving !== undefined && absent.length > 0 && empty.length === 0)
    serving.note(
      `parzen: ${flags(absent)}: study ${name} has no ${one(absent, 'trial')} ${numbered(absent)} yet (${trialsHeld(trials)}): the page draws ${absent.length === 1 ? 'it' : 'them'} once the study gets there, and says so till then.`,
    );
  const refused = serving === undefined ? absent : [];
  if (refused.length === 0 && empty.length === 0) return;
  const said = [
    ...(refused.length === 0
      ? []
      : [
          `${flags(refused)}: study ${name} has no ${one(refused, 'trial')} ${numbered(refused)} (${trialsHeld(trials)}).`,
        ]),
    ...(empty.length === 0
      ? []
      : [
          `${flags(empty)}: ${one(empty, 'trial')} ${numbered(empty)} of study ${name} ${empty.length === 1 ? 'has' : 'have'} no params (failed before ${empty.length === 1 ? 'it' : 'they'} had any): nothing was chosen there to draw.`,
        ]),
  ];
  throw new CliError(`${said.join(' ')} ${serving === undefined ? 'No report was written.' : 'Nothing was served.'}`);
};

/**
 * The study as the report replays it: the seed and the suggester settings the store kept with the study
 * (what ran, whatever the config says now); the config's suggester, when given, for a study stored without
 * settings (by an older version, or created by `import` from a file that names none) or created with
 * another suggester than the config's.
 */
export const reportStudy = (
  record: StudyRecord,
  trials: readonly Trial[],
  space: CompiledSpace,
  configured?: PluginChoice,
): ReportStudy => {
  // Its settings under their present names (TPE's `compat` is `profile`), which the replay's TPE reads.
  const kept = record.suggester === undefined ? undefined : presentSuggester(record.suggester);
  const chosen =
    kept !== undefined && (configured === undefined || (kept.settings !== undefined && kept.name === configured.use))
      ? { use: kept.name, options: kept.settings }
      : configured === undefined
        ? undefined
        : { use: configured.use, options: configured.options as Readonly<Record<string, unknown>> | undefined };
  return {
    name: record.name,
    direction: record.direction,
    seed: record.seed,
    space,
    trials,
    ...(kept === undefined ? {} : { createdWith: kept.name }),
    ...(chosen === undefined
      ? {}
      : { suggester: { use: chosen.use, ...(chosen.options === undefined ? {} : { options: chosen.options }) } }),
  };
};

/**
 * A served study's reads: a failure said once until reading works again, which is said too; a page that could not
 * be built is said as such.
 */
// Trial 113: said at every poll, and the recovery not at all. Review 118: a build failure read as a read failure.
export const servedReads = <T>(
  load: () => Promise<T>,
  output: Output,
): { readonly load: () => Promise<T>; readonly onError: (error: unknown) => void } => {
  let failing = false;
  const readFailures = new WeakSet<object>();
  return {
    load: async () => {
      let study: T;
      try {
        study = await load();
      } catch (error) {
        if (!failing)
          output.note(
            `parzen: reading the study failed: ${(error as Error).message} (the page keeps what it showed; reading is tried again every interval)`,
          );
        failing = true;
        if (typeof error === 'object' && error !== null) readFailures.add(error);
        throw error;
      }
      if (failing) output.note('parzen: reading the study works again.');
      failing = false;
      return study;
    },
    onError: (error) => {
      if (typeof error === 'object' && error !== null && readFailures.has(error)) return;
      output.note(
        `parzen: the report could not be built: ${(error as Error).message} (the page keeps what it showed; the build is tried again every fifth interval and when the page is reloaded)`,
      );
    },
  };
};

// Trial 118: a JSONL reader keeps its failure (a journal that shrank while open), and a page served from it never
// read the study again once the file was whole. Trial 119: a journal cut short and left so, opened afresh at every
// poll, said its torn line at every poll (35 times in 10 s).
/**
 * The store a served page reads: opened at the first read (or given, opened already) and kept open; after a read
 * fails, closed and opened afresh, at the next read while none has worked yet (a store not made yet), else at most
 * once per `retryMs`.
 */
export const servedStore = (open: () => Promise<TrialStore>, opened?: TrialStore, retryMs = 5000) => {
  let store = opened;
  let worked = false;
  let failed: { readonly at: number; readonly error: unknown } | undefined;
  return {
    read: async <T>(use: (store: TrialStore) => Promise<T>): Promise<T> => {
      if (store === undefined && worked && failed !== undefined && Date.now() - failed.at < retryMs) throw failed.error;
      try {
        store ??= await open();
        const value = await use(store);
        worked = true;
        failed = undefined;
        return value;
      } catch (error) {
        failed = { at: Date.now(), error };
        const closing = store;
        store = undefined;
        await closing?.close().catch(() => undefined);
        throw error;
      }
    },
    close: async (): Promise<void> => {
      const open = store;
      store = undefined;
      await open?.close();
    },
  };
};

// Trial 119: a journal cut short, read afresh, gave an empty page that said the study was never run, and "reading
// works again".
// Review 152: after a delete and a new study of that name, the page stayed on the deleted study's trials.
/**
 * The trials a served page showed last: a read with fewer is refused (a store only grows), unless the study read
 * is another one (`createdAt`, its record's: the study was deleted and one of that name created since).
 */
export const shownTrials = () => {
  let shown = 0;
  let shownStudy: string | undefined;
  return <S extends { readonly trials: readonly unknown[] }>(study: S, createdAt?: string): S => {
    if (createdAt !== undefined && shownStudy !== undefined && createdAt !== shownStudy) shown = 0;
    if (study.trials.length < shown)
      throw new ParzenError(
        'STORE_FAILED',
        `the store now holds ${study.trials.length} of the ${shown} trials the page showed: it was cut short or replaced`,
      );
    shown = study.trials.length;
    shownStudy = createdAt ?? shownStudy;
    return study;
  };
};

/**
 * With `--salvage`: the run's store read past damage (a JSONL journal's or SQLite database's `salvage` option, as
 * `trials --salvage` reads it); undefined without.
 */
const salvaged = (run: PreparedRun, flags: ReportFlags): PluginChoice | undefined => {
  if (flags.salvage !== true) return undefined;
  return salvagedStore(run.experiment.config.store);
};

/** The study with the enqueued entries its trials ran, when the store lists them: the replay keeps a partial entry's values. */
const withTaken = (study: ReportStudy, taken: readonly TakenEntry[] | undefined): ReportStudy =>
  taken === undefined ? study : { ...study, takenEntries: taken };

/**
 * The study with the enqueued entries waiting to run, the store's first, then the config's no trial ran (`unrun`):
 * the next trial runs the first, which the page's "Next suggestion" says, as `parzen explain` says it.
 */
const withWaiting = (
  study: ReportStudy,
  waiting: readonly EnqueuedParams[] | undefined,
  unrun: readonly ParamAssignment[] = [],
): ReportStudy => {
  const all = [...(waiting ?? []).map((entry) => entry.internal), ...unrun];
  return all.length === 0 ? study : { ...study, waiting: all };
};

/**
 * A config's study with what its next run takes that the study was not created with (the config's TPE settings,
 * changed since as run warns, and its seed): the page's "Next suggestion" is computed with them, as `parzen explain
 * CONFIG` computes it, and says so.
 */
const withNextRun = async (study: ReportStudy, run: PreparedRun, stored: StudyRecord): Promise<ReportStudy> => {
  const { config } = run.experiment;
  const settings = (await tpeSettingsChange(stored, config.suggester, '')) !== undefined;
  const seed = config.seed !== stored.seed;
  if (!settings && !seed) return study;
  const options = config.suggester.options as Readonly<Record<string, unknown>> | undefined;
  return {
    ...study,
    nextRun: {
      ...(seed ? { seed: config.seed } : {}),
      ...(settings ? { suggester: { use: config.suggester.use, ...(options === undefined ? {} : { options }) } } : {}),
    },
  };
};

/** A config's study as the report replays it ({@link reportStudy} with the config's suggester). */
export const studyOf = (
  run: PreparedRun,
  trials: readonly Trial[],
  stored: StudyRecord,
  space: CompiledSpace,
): ReportStudy => reportStudy(stored, trials, space, run.experiment.config.suggester);

/**
 * The space the study ran with: the config's while it describes the stored one, else the stored one, with a
 * warning (as `parzen trials` says): a config changed after the run drew its trials on axes, parameters and
 * a replay that never were (a bar chart of a choice the study never had, and replays that match none of its trials).
 */
export const spaceOf = (run: PreparedRun, stored: StudyRecord, output: Output): CompiledSpace => {
  // The report ranks by the stored direction, as `parzen best` does; a config that flips it is said (review 53).
  if (run.experiment.config.direction !== stored.direction)
    output.note(
      directionChangedNote(
        stored.name,
        stored.direction,
        run.configPath,
        run.experiment.config.direction,
        `The report ranks its trials by the stored direction (${stored.direction}).`,
      ),
    );
  // In the study's own order (a config that lists the parameters in another order is the same study, and
  // its runs drew in the stored order).
  if (sameSpace(stored.space, run.experiment.config.space)) return inStudyOrder(run.experiment.space, stored.space);
  output.note(
    `parzen: warning: study ${stored.name} was run with another space than ${run.configPath} describes now; ` +
      'the report draws it with the stored space.',
  );
  return compileSpace(stored.space, '', { stored: true });
};

/** The contour function: `FILE#EXPORT` from the flag, or the config's `module` objective for a bare flag. */
const contourFunction = async (
  flag: boolean | string | undefined,
  experiment: LoadedExperiment | undefined,
): Promise<ContourFunction | undefined> => {
  if (flag === undefined || flag === false) return undefined;
  if (experiment === undefined && typeof flag !== 'string')
    throw new CliError(
      "--contour without a value evaluates the config's objective, and there is no config: give a cheap function of the params, --contour ./file.mjs#exportName.",
    );
  let path: string;
  let exportName: string;
  let baseDir = experiment?.baseDir ?? process.cwd();
  if (typeof flag === 'string') {
    ({ path, exportName } = contourTarget(flag));
    baseDir = process.cwd();
  } else {
    const objective = (experiment as LoadedExperiment).config.objective;
    if (objective.use !== 'module') {
      throw new CliError(
        `--contour without a value evaluates the config's \`module\` objective, but this config's objective is \`${objective.use}\`. ` +
          'Give a cheap function of the params instead: --contour ./file.mjs#exportName.',
      );
    }
    const options = (objective.options ?? {}) as { path: string; export?: string };
    path = options.path;
    exportName = options.export ?? 'default';
  }
  let fn: (...args: unknown[]) => unknown;
  try {
    // A file given to --contour is not the objective (trial 48: it was called one).
    // Imported here: a report without --contour loads no objective.
    const { LOADER_FILE, loadModuleExport } = await import('@parzen/objectives/host');
    const { inModuleLoad } = await import('@parzen/engine/plugin');
    const what = typeof flag === 'string' ? 'Contour module' : 'Objective module';
    // Its top-level code runs on Parzen's thread: a process.exit() in it, or an await that never settles, ended the
    // report with its exit code (0: a report that was never written looked written) or Node's silent exit 13.
    fn = await inModuleLoad(`${what} \`${path}\``, () => loadModuleExport(path, exportName, baseDir, what), {
      loader: LOADER_FILE,
    });
  } catch (error) {
    throw new CliError(`--contour: ${(error as Error).message}`);
  }
  return async (params: ExternalParams) => {
    // A trial's context (trial 39: an objective that prunes, as the docs show, threw at every point without
    // shouldPrune): reports go nowhere, and no point is pruned. One seed for every point: a noisy objective
    // seeded with it draws the same noise everywhere, so the contours show its shape, not its noise.
    const context: EvaluationContext = {
      trialNumber: -1,
      seed: 0,
      signal: new AbortController().signal,
      report: async () => undefined,
      shouldPrune: () => false,
    };
    const result = await fn(params, context);
    // The loss of a `{ loss }` result, else the value as it came: anything but a finite number is a failure
    // the messages show as it is (`"abc"`, not the NaN it would turn into).
    const value =
      typeof result === 'object' && result !== null && !Array.isArray(result) && 'loss' in result
        ? result.loss
        : result;
    return value as number;
  };
};

/** How often the contour function was called, how often it failed, the first failure, and each cause's count. */
interface ContourCalls {
  calls: number;
  failed: number;
  first?: string;
  /** Per cause (`it threw: …`, `it gave …`): how many points, and the params of the first. */
  readonly causes: Map<string, { count: number; readonly at: string }>;
}

/** The contour function, counting the points where it threw or gave no finite number, for a warning. */
const countingFailures = (fn: ContourFunction) => {
  const seen: ContourCalls = { calls: 0, failed: 0, causes: new Map() };
  const fail = (cause: string, params: ExternalParams) => {
    seen.failed++;
    const known = seen.causes.get(cause);
    if (known === undefined) seen.causes.set(cause, { count: 1, at: JSON.stringify(params) });
    else known.count++;
  };
  const counted: ContourFunction = async (params) => {
    seen.calls++;
    try {
      const value = await fn(params);
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        const gave = `it gave ${describeValue(value)}`;
        fail(gave, params);
        seen.first ??= `${gave} for ${JSON.stringify(params)}`;
      }
      return value;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      fail(`it threw: ${why}`, params);
      seen.first ??= `it threw for ${JSON.stringify(params)}: ${why}`;
      throw error;
    }
  };
  return { counted, seen };
};

const pairsOf = (flags: ReportFlags): [string, string][] | undefined =>
  flags.pair?.map((text) => {
    const names = text.split(',').map((name) => name.trim());
    if (names.length !== 2 || names.some((name) => name.length === 0))
      throw new CliError(`--pair expects two parameter names separated by a comma, found ${JSON.stringify(text)}`);
    return names as [string, string];
  });

const reportOptions = async (
  flags: ReportFlags,
  space: CompiledSpace,
  experiment?: LoadedExperiment,
): Promise<{ options: ReportOptions; contourCalls?: ContourCalls }> => {
  const loaded = await contourFunction(flags.contour, experiment);
  const counting = loaded === undefined ? undefined : countingFailures(loaded);
  const contour = counting?.counted;
  const pairs = pairsOf(flags);
  // buildReport's own check, said before anything is built, of the flag as given.
  const [issue] = pairs === undefined ? [] : (await import('@parzen/report')).pairIssues(space, pairs);
  if (issue !== undefined) {
    const text = flags.pair?.[Number(issue.pointer.split('/').at(-1))] ?? '';
    throw new CliError(`--pair ${JSON.stringify(text)}: expected ${issue.expected}, found ${issue.found}`);
  }
  if (flags.contourLevels !== undefined && contour === undefined)
    throw new CliError(
      '--contour-levels sets the levels of the contour lines, and there are none without --contour: add --contour.',
    );
  return {
    options: {
      ...(contour === undefined ? {} : { contour }),
      ...(flags.contourLevels === undefined ? {} : { contourLevels: flags.contourLevels }),
      ...(pairs === undefined ? {} : { pairs }),
      ...(flags.every === undefined ? {} : { every: flags.every }),
      ...(flags.trial === undefined ? {} : { trials: flags.trial }),
      ...(flags.importance === undefined ? {} : { importance: flags.importance }),
      ...(flags.next === false ? { next: false } : {}),
      // Served, the page follows the study: a trial asked for that it does not have yet is drawn once it comes.
      ...(flags.serve === true ? { awaitTrials: true } : {}),
    },
    ...(counting === undefined ? {} : { contourCalls: counting.seen }),
  };
};

/** The module `--contour FILE#EXPORT` names (relative to the working directory), which `-o` must not overwrite. */
const contourInput = (flag: boolean | string | undefined): InputFile[] =>
  typeof flag !== 'string' ? [] : [{ path: resolve(contourTarget(flag).path), what: 'the --contour module' }];

/**
 * `--contour FILE#EXPORT`: the file and export (`default` without a `#`). A whole flag that names a file
 * is that file's default export, `#` and all (`obj #1.mjs` is not cut at its `#`).
 */
export const contourTarget = (flag: string): { readonly path: string; readonly exportName: string } => {
  const at = flag.lastIndexOf('#');
  if (at < 0 || isFile(resolve(flag))) return { path: flag, exportName: 'default' };
  return { path: flag.slice(0, at), exportName: flag.slice(at + 1) };
};

/** `-o`: refuses a path of the wrong kind before anything is built (a folder for the HTML file, a file for the SVGs). */
const outputPath = (
  format: 'html' | 'svg',
  flags: ReportFlags,
  configs: readonly string[] = [],
  /** How the configs are read (the command's reader, which has read them). */
  readConfig?: (path: string) => unknown,
): string => {
  const flag = flags.output;
  const path = resolve(flag ?? (format === 'svg' ? 'report-svg' : 'report.html'));
  const existing = existingOutput(path);
  if (format === 'html' && existing?.isDirectory() === true)
    throw new CliError(
      `-o: ${path} is a folder; give the HTML file to write (such as ${resolve(path, 'report.html')}), or --format svg to write one SVG per chart into it.`,
    );
  if (format === 'svg' && existing !== undefined && !existing.isDirectory())
    throw new CliError(`-o: ${path} is a file; --format svg writes one SVG per chart into a folder: give a folder.`);
  refuseOverwritingInputs(path, [...configInputs(configs, readConfig), ...contourInput(flags.contour)]);
  return path;
};

/**
 * A config's study read from its open store at a served page's poll: its trials, the enqueued entries they ran and
 * those waiting (with the config's no trial ran), and what the next run takes that the study was not created with.
 */
const servedStudy = async (
  run: PreparedRun,
  opened: TrialStore,
  stored: StudyRecord,
  space: CompiledSpace,
): Promise<ReportStudy> => {
  const { name } = run.experiment.config;
  return configStudy(run, stored, space, {
    trials: await opened.listTrials(name),
    taken: await opened.listTakenEntries?.(name),
    waiting: await opened.listEnqueued?.(name),
  });
};

/**
 * A config's study as the report draws it: its trials, the enqueued entries they ran (`taken`) and those waiting
 * (the store's, then the config's no trial ran), and what the next run takes that the study was not created with.
 */
const configStudy = (
  run: PreparedRun,
  stored: StudyRecord,
  space: CompiledSpace,
  read: {
    readonly trials: readonly Trial[];
    readonly taken: readonly TakenEntry[] | undefined;
    readonly waiting: readonly EnqueuedParams[] | undefined;
  },
): Promise<ReportStudy> =>
  withNextRun(
    withWaiting(
      withTaken(studyOf(run, read.trials, stored, space), read.taken),
      read.waiting,
      configEntries(run.experiment, read.trials, read.taken).unrun,
    ),
    run,
    stored,
  );

/** A config's study, served until SIGINT, SIGTERM or SIGHUP; the store is opened for reading only. */
const serve = async (
  run: PreparedRun,
  space: CompiledSpace,
  options: ReportOptions,
  flags: ReportFlags,
  output: Output,
): Promise<number> => {
  const { config } = run.experiment;
  // Opened for reading: an archived (read-only) study can be served, and nothing is written or locked.
  const open = () => openStoreForReading(run.experiment).catch(throwOfStoreFlag(flags.store));
  const store = servedStore(open, await open());
  const grown = shownTrials();
  return serveStudy(
    config.name,
    {
      load: () =>
        store.read(async (opened) => {
          const stored = await opened.getStudy(config.name);
          return grown(await servedStudy(run, opened, stored, space), stored?.createdAt);
        }),
      close: store.close,
    },
    options,
    flags,
    output,
  );
};

/**
 * Whether a study that could not be read may be stored later, so `--serve` waits for it: its store or the study in it
 * does not exist yet (`STUDY_NOT_FOUND`), and the store keeps studies (a `memory` store never holds one to read).
 */
const storedLater = (error: unknown, run: PreparedRun): boolean =>
  error instanceof ParzenError && error.code === 'STUDY_NOT_FOUND' && run.experiment.config.store.use !== 'memory';

/**
 * `--serve` started before the study (its store not created yet, or without the study): a page of no trials that
 * says so, the store tried again at each interval, and filled in as {@link serve} serves it once the study is stored.
 */
const serveBeforeStudy = async (
  run: PreparedRun,
  missing: ParzenError,
  options: ReportOptions,
  flags: ReportFlags,
  output: Output,
): Promise<number> => {
  const { config } = run.experiment;
  // The store's note names the run that creates it: with --store, that run needs the flag too (as the other
  // commands say it; a store opened but read later is blamed here).
  const told = (message: string) =>
    flags.store === undefined
      ? message
      : (blameStoreFlag(new ParzenError('STUDY_NOT_FOUND', message), storeFlag(flags.store)) as Error).message;
  output.note(
    `parzen: ${told(missing.message)} The page shows no trials until study ${config.name} runs, and fills in as it does.`,
  );
  checkAskedTrials(config.name, [], flags.trial, output);
  // The config's enqueue entries, which the first run queues and runs first (the page said trial #0 got
  // TPE's start-up draw, where #0 ran the first entry).
  const empty: ReportStudy = withWaiting(
    {
      name: config.name,
      direction: config.direction,
      seed: config.seed,
      space: run.experiment.space,
      trials: [],
      suggester: {
        use: config.suggester.use,
        ...(config.suggester.options === undefined
          ? {}
          : { options: config.suggester.options as Readonly<Record<string, unknown>> }),
      },
    },
    undefined,
    configEntries(run.experiment, [], undefined).unrun,
  );
  // Opened for reading once it exists, and kept open, as serve keeps it. Until the study is read once, each poll
  // opens the store afresh, as after any failed read: a reader kept from a file that was unreadable then (or
  // replaced since) would never see the study the run writes (review 123).
  const store = servedStore(() => openStoreForReading(run.experiment).catch(throwOfStoreFlag(flags.store)));
  const grown = shownTrials();
  let space: CompiledSpace | undefined;
  let waiting: string | undefined = told(missing.message);
  let read = false;
  return serveStudy(
    config.name,
    {
      load: async () => {
        try {
          return await store.read(async (opened) => {
            const stored = await opened.getStudy(config.name);
            space ??= spaceOf(run, stored, output);
            const study = grown(await servedStudy(run, opened, stored, space), stored?.createdAt);
            waiting = undefined;
            read = true;
            return study;
          });
        } catch (error) {
          if (!read) space = undefined;
          if (!storedLater(error, run)) throw error;
          // Said as when the page was first served: the study, its store, and the run that starts it.
          const missingNow = await missingOfExperiment(error, run.experiment, askedByRun(run, flags));
          waiting = told((missingNow as ParzenError).message);
          return empty;
        }
      },
      close: store.close,
      waiting: () => waiting,
    },
    options,
    flags,
    output,
  );
};

/** Serves a study's report, read again by `source.load` at each interval, until SIGINT, SIGTERM or SIGHUP. */
const serveStudy = async (
  name: string,
  source: {
    readonly load: () => Promise<ReportStudy>;
    readonly close: () => Promise<void>;
    /** Why the study has no trials to show yet (not stored yet), said first on the page; undefined once it is stored. */
    readonly waiting?: () => string | undefined;
  },
  options: ReportOptions,
  flags: ReportFlags,
  output: Output,
): Promise<number> => {
  const report = await import('@parzen/report');
  let server: Awaited<ReturnType<typeof report.serveReport>>;
  const reads = servedReads(source.load, output);
  try {
    server = await report.serveReport({
      load: reads.load,
      build: async (study) => {
        const page = await report.buildReport(study, options);
        const waiting = source.waiting?.();
        return waiting === undefined
          ? page
          : {
              ...page,
              notes: [`No trials yet. ${waiting} This page fills in as the study runs.`, ...page.notes],
            };
      },
      ...(flags.port === undefined ? {} : { port: flags.port }),
      ...(flags.interval === undefined ? {} : { intervalMs: flags.interval }),
      onError: reads.onError,
    });
  } catch (error) {
    await source.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES')
      throw new CliError(
        `--port ${flags.port}: ${code === 'EADDRINUSE' ? 'the port is in use on 127.0.0.1' : 'not allowed to listen on that port'}; give another port, or leave --port out for any free one.`,
      );
    throw error;
  }
  output.result(server.url);
  output.note(`parzen: serving the report of ${name} at ${server.url} (Ctrl-C stops; the study is left as it is)`);
  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
    // A closed terminal (trial 88: SIGHUP killed it by the signal, 129, where the others end it with 0).
    process.once('SIGHUP', () => done('SIGHUP'));
  });
  await server.close();
  await source.close();
  output.note(`parzen: report server stopped (${signal})`);
  return 0;
};

const noteContourFailures = (contourCalls: ContourCalls | undefined, output: Output): void => {
  if (contourCalls === undefined || contourCalls.failed === 0) return;
  // The commonest cause too, when it is not the first (trial 39: a real Infinity at the grid's edge came
  // first, and the error that failed every other point was left out).
  const [cause, most] = [...contourCalls.causes].reduce((a, b) => (b[1].count > a[1].count ? b : a));
  const first = [...contourCalls.causes.keys()][0];
  const commonest =
    cause === first ? '' : `; most often (at ${most.count} points) ${cause}, the first time for ${most.at}`;
  output.note(
    `parzen: --contour: the function failed (threw or gave no finite number) at ${contourCalls.failed} of the ${contourCalls.calls} points it was called at${contourCalls.failed === contourCalls.calls ? ' (no contour lines)' : ''}; the first time ${contourCalls.first}${commonest}.`,
  );
};

/** Writes a built page as the flags ask: one HTML file, or one SVG per chart; with --json, the line saying so. */
const writePage = async (
  page: Awaited<ReturnType<typeof import('@parzen/report')['buildReport']>>,
  format: 'html' | 'svg',
  file: string,
  shown: ReportJson['studies'],
  flags: ReportFlags,
  output: Output,
): Promise<number> => {
  const report = await import('@parzen/report');
  // What was written is a message, on stderr as export's and import's are: stdout is for data (the JSON line).
  const say = (line: string) => output.note(line);
  let files: string[] | undefined;
  if (format === 'svg') {
    let undrawn = 0;
    files = await writingOutput(file, () =>
      report.writeSvgs(page, file, (chart, error) => {
        undrawn++;
        output.note(
          printable(
            `parzen: warning: chart ${chart.id} ("${chart.title}") could not be drawn (${error instanceof Error ? error.message : String(error)}); its spec is in ${chart.id}.vl.json, and README.md says so.`,
          ),
        );
      }),
    );
    say(
      files.length === 0
        ? undrawn > 0
          ? `Wrote no SVG chart to ${file}: ${undrawn === 1 ? 'the chart' : `each of the ${undrawn} charts`} could not be drawn (said above); ${undrawn === 1 ? 'its Vega-Lite spec (.vl.json) is' : 'their Vega-Lite specs (.vl.json) are'} there, and README.md says so`
          : `Nothing to draw yet: no SVG chart was written to ${file}; its README.md says why (the page's notes)`
        : `Wrote ${files.length === 1 ? '1 SVG chart' : `${files.length} SVG charts`} to ${file}, ${files.length === 1 ? 'with its' : 'each with its'} Vega-Lite spec (.vl.json), ${files.length === 1 ? 'its caption' : 'their captions'} and the page's notes in README.md`,
    );
  } else {
    await writeOutputFile(file, report.renderHtml(page));
    say(`Wrote ${file}`);
  }
  if (flags.json === true) {
    const line: ReportJson = {
      format,
      output: resolve(file),
      ...(files === undefined ? {} : { files: files.map((path) => resolve(path)) }),
      studies: shown,
      notes: page.notes,
    };
    output.result(JSON.stringify(line));
  }
  return 0;
};

/**
 * `parzen report --store SPEC [--study NAME]`, no config: a study as its store keeps it (one made in
 * code with `createStudy` or `fmin`, say), replayed with the space, seed and suggester settings stored
 * with it. Contours need a function of the params (`--contour FILE#EXPORT`); there is no config objective.
 */
const reportStore = async (
  flags: ReportFlags & { readonly store: string },
  format: 'html' | 'svg',
  output: Output,
): Promise<number> => {
  const storeFlags = {
    store: flags.store,
    ...(flags.study === undefined ? {} : { study: flags.study }),
    ...(flags.salvage === true ? { salvage: true } : {}),
  };
  // With the entries waiting in its queue: the next trial runs the first (the page's "Next suggestion" says so).
  const [found] = (await loadStudies(undefined, { ...storeFlags, waiting: true }, output)) as [
    Awaited<ReturnType<typeof loadStudies>>[number],
  ];
  const { record, space } = found;
  const { options, contourCalls } = await reportOptions(flags, space);
  if (flags.serve === true) {
    checkAskedTrials(record.name, found.trials, flags.trial, output);
    // One store, opened for reading and kept open, read again at each interval (reopened, a salvaged
    // journal repeated its warnings every interval), opened afresh only after a failed read.
    const open = () => openStoreFromFlag(storeFlags);
    const store = servedStore(open, await open());
    const grown = shownTrials();
    const reload = () =>
      store.read(async (opened) => {
        const stored = await opened.getStudy(record.name);
        return grown(
          withWaiting(
            withTaken(
              reportStudy(stored, await opened.listTrials(record.name), space),
              await opened.listTakenEntries?.(record.name),
            ),
            await opened.listEnqueued?.(record.name),
          ),
          stored?.createdAt,
        );
      });
    return serveStudy(record.name, { load: reload, close: store.close }, options, flags, output);
  }
  return writeStoredStudy(found, options, contourCalls, flags, format, outputPath(format, flags), output);
};

/** One study's report as its store keeps it (the seed and suggester settings stored with it), written as asked. */
const writeStoredStudy = async (
  { record, space, trials, taken, waiting }: Awaited<ReturnType<typeof loadStudies>>[number],
  options: ReportOptions,
  contourCalls: ContourCalls | undefined,
  flags: ReportFlags,
  format: 'html' | 'svg',
  file: string,
  output: Output,
): Promise<number> => {
  checkAskedTrials(record.name, trials, flags.trial);
  const report = await import('@parzen/report');
  const page = await report.buildReport(
    withWaiting(withTaken(reportStudy(record, trials, space), taken), waiting),
    options,
  );
  noteContourFailures(contourCalls, output);
  return writePage(page, format, file, [{ name: record.name, trials: trials.length }], flags, output);
};

/**
 * An error about the one config's studies (not stored yet, a store that cannot be read) named with that config, as
 * `trials` and `best` name it (trial 159: `file` was null in --json); with several configs, as it is.
 */
const ofOneConfig = (paths: readonly string[], error: unknown): unknown =>
  paths.length === 1 && !(error instanceof ConfigProblems)
    ? new ConfigProblems([{ path: paths[0] as string, error }])
    : error;

/** How `parzen report` reads its configs. */
export interface ReportConfigOptions {
  /** How a config file is read (default: `readConfigFile`); each is read once. */
  readonly readConfig?: (path: string) => unknown;
}

/**
 * `parzen report <config...>`: one study gives its report (the seed's TPE figures, the study plots, the
 * trial table) as one self-contained HTML file, or each chart as an SVG (`--format svg`), or served live
 * (`--serve`). Several configs or a matrix give a comparison page of their studies.
 */
export const reportConfigs = async (
  paths: readonly string[],
  flags: ReportFlags,
  output: Output,
  how: ReportConfigOptions = {},
): Promise<number> => {
  // Each config read once: for the check, its `plugins` note and the files -o must not overwrite.
  const readConfig = readingOnce(how.readConfig);
  const format = flags.format ?? 'html';
  if (format !== 'html' && format !== 'svg')
    throw new CliError(`--format expects html or svg, found ${JSON.stringify(format)}`);
  // (--format defaults to html: only svg, which writes files, says the user meant a file.)
  const serving = [flags.port === undefined ? '' : '--port', flags.interval === undefined ? '' : '--interval'].filter(
    (flag) => flag !== '',
  );
  if (flags.serve !== true && serving.length > 0)
    throw new CliError(
      `${serving.join(' and ')} ${serving.length === 1 ? 'is' : 'are'} for --serve, which serves the report live: add --serve, or leave ${serving.length === 1 ? 'it' : 'them'} out to write the file.`,
    );
  if (flags.output === '-')
    throw new CliError(
      '-o -: report writes a file (the HTML page) or a folder (--format svg), not standard output: give -o a name, or leave it out for report.html.',
    );
  // (A file there already is said by the -o check, as a file.)
  if (format === 'svg' && flags.output !== undefined && /\.html?$/i.test(flags.output) && !existsSync(flags.output))
    throw new CliError(
      `--format svg writes a folder of SVG files, and -o ${flags.output} names an HTML file: give -o a folder, or leave out --format svg for the one HTML file.`,
    );
  if (flags.serve === true && flags.json === true)
    throw new CliError(
      '--serve prints its address alone on stdout and writes no file, so --json has nothing to describe: leave one out.',
    );
  if (flags.serve === true && (flags.output !== undefined || format === 'svg'))
    throw new CliError(
      `--serve writes no file, so ${flags.output !== undefined ? '-o' : '--format svg'} has nothing to do: leave it out to serve, or leave out --serve to write the report.`,
    );
  if (paths.length > 0 && flags.salvage === true && (paths.length > 1 || flags.serve === true))
    throw new CliError(
      `--salvage reads one config's damaged journal into one report${flags.serve === true ? ', not served' : ''}: parzen report CONFIG --salvage -o FILE, or parzen report --store jsonl:PATH --salvage (or salvage it with parzen export --salvage, then import it).`,
    );
  if (paths.length === 0) {
    if (flags.store === undefined) {
      // `report --contour base.json`: the optional value took the config (trial 88).
      const took =
        typeof flags.contour === 'string' && /\.(json|ya?ml)$/i.test(flags.contour)
          ? ` (--contour took \`${flags.contour}\` as its function's file: put the config first, parzen report ${flags.contour} --contour)`
          : '';
      throw new CliError(
        `Give a config, or --store SPEC (e.g. --store jsonl:./study.parzen.jsonl) to report a study as its store keeps it${took}.`,
      );
    }
    return reportStore({ ...flags, store: flags.store }, format, output);
  }
  // Checked as validate checks them, with the plugins a report uses loaded: the store's, the suggester's (whose
  // settings the TPE panels and the next suggestion are drawn with, as its schema fills them in), and the objective's
  // for a bare --contour (which evaluates it) or a comparison (which groups its studies by their objective); the
  // others (pruners, the config's `plugins` but its store's) are stand-ins whose options are left to validate and run,
  // as for the other read commands.
  const prepared = await prepareRuns(paths, {
    progress: { force: 'off' },
    reportersIdle: true,
    forReading: { suggester: true, objective: flags.contour === true ? true : 'several' },
    readConfig,
    // The stores' notes (a torn last line, what --salvage skipped) said as trials says them (trial 113: unsaid).
    logger: notesLogger(output),
    // One study given twice (`a.json ./a.json`, a link) counted it twice in the comparison (trial 88).
    ...(paths.length > 1 ? { oneRunPerStudy: 'compare' as const } : {}),
    ...(flags.store === undefined ? {} : { overrides: { store: parseStoreSpec(flags.store) } }),
  });
  for (const path of paths)
    for (const line of missingPluginNotes(path, readConfig(path), configFolder(path))) output.note(line);
  // `--study NAME` with configs: that one of their studies (a matrix variant), as `trials` and `best` take it
  // (trial 32: it was ignored, and the config's study or the whole comparison was written instead).
  const runs =
    flags.study === undefined ? prepared : prepared.filter((run) => run.experiment.config.name === flags.study);
  if (flags.salvage === true && runs.length !== 1)
    throw new CliError(
      `--salvage reads one study's damaged journal: ${runs.length === 0 ? `--study ${flags.study} names none of the config's studies` : `the config describes ${runs.length} studies; pick one with --study NAME`}, or read the journal with parzen report --store jsonl:PATH --salvage.`,
    );
  if (runs.length === 0) {
    // A study the config's store holds under another name (an earlier version's name for a matrix variant,
    // which run points to with --study): reported as the store keeps it, as trials and best read it (trial 63).
    const found =
      paths.length === 1 && flags.serve !== true
        ? await heldStudy(paths[0] as string, flags.study as string, flags.store, output, readConfig)
        : undefined;
    if (found !== undefined) {
      const { options, contourCalls } = await reportOptions(flags, found.space);
      return writeStoredStudy(
        found,
        options,
        contourCalls,
        flags,
        format,
        outputPath(format, flags, paths, readConfig),
        output,
      );
    }
    throw new CliError(
      `--study ${flags.study}: the config${paths.length === 1 ? '' : 's'} name${paths.length === 1 ? 's' : ''} ${prepared.map((run) => `\`${run.experiment.config.name}\``).join(', ')}.`,
    );
  }
  const report = await import('@parzen/report');
  const file = flags.serve === true ? '' : outputPath(format, flags, paths, readConfig);
  let page: Awaited<ReturnType<typeof report.buildReport>>;
  let pageStudies: ReportJson['studies'];
  if (runs.length === 1) {
    const run = runs[0] as PreparedRun;
    // A store the --store flag chose: its problem is the flag's (review 68: said at the config's /store).
    const read = await openStudyRecord(run.experiment, true, salvaged(run, flags), askedByRun(run, flags))
      .catch(throwOfStoreFlag(flags.store))
      // Served before the study runs: a page of no trials, filled in once it does.
      .catch((error: unknown) => {
        if (flags.serve === true && storedLater(error, run)) return error as ParzenError;
        throw ofOneConfig(paths, error);
      });
    if (read instanceof ParzenError) {
      const { options } = await reportOptions(flags, run.experiment.space, run.experiment);
      return serveBeforeStudy(run, read, options, flags, output);
    }
    const { study, trials, taken, waiting } = read;
    const space = spaceOf(run, study, output);
    noteStoredTrials(output, study.name, space, trials);
    // A served page follows the study as it grows: a trial asked for may come later (its page says so till then).
    checkAskedTrials(study.name, trials, flags.trial, flags.serve === true ? output : undefined);
    const { options, contourCalls } = await reportOptions(flags, space, run.experiment);
    if (flags.serve === true) return serve(run, space, options, flags, output);
    page = await report.buildReport(await configStudy(run, study, space, { trials, taken, waiting }), options);
    noteContourFailures(contourCalls, output);
    pageStudies = [{ name: study.name, trials: trials.length }];
  } else {
    if (flags.serve === true)
      throw new CliError(
        `--serve shows one study, live, and these configs name ${runs.length} (a comparison page is written, not served): pick one with --study NAME (${listNames(runs.map((run) => run.experiment.config.name))}), or leave out --serve for the comparison page.`,
      );
    const oneStudyFlags = [
      flags.contour === undefined || flags.contour === false ? [] : ['--contour'],
      flags.pair === undefined ? [] : ['--pair'],
      flags.contourLevels === undefined ? [] : ['--contour-levels'],
      flags.every === undefined ? [] : ['--every'],
      flags.trial === undefined ? [] : ['--trial'],
      flags.importance === undefined ? [] : ['--importance'],
    ].flat();
    if (oneStudyFlags.length > 0)
      throw new CliError(
        `${oneStudyFlags.join(', ')} ${oneStudyFlags.length === 1 ? 'draws' : 'draw'} one study's report, but these configs give a comparison page of ${runs.length} studies (regret curves and final values: no pair plots, TPE replay or importance). Leave ${oneStudyFlags.length === 1 ? 'it' : 'them'} out, or report one study at a time (one config without a matrix).`,
      );
    const studies: ReturnType<typeof report.comparisonRunFromTrials>[] = [];
    const missing: string[] = [];
    // Each store read once (review 30: once per study of a matrix sharing one journal).
    const read = await readStudiesTrials(
      runs.map((run) => run.experiment),
      runs.map((run) => askedByRun(run, flags)),
    )
      .catch(throwOfStoreFlag(flags.store))
      .catch((error: unknown) => {
        throw ofOneConfig(paths, error);
      });
    const otherSpace: string[] = [];
    // Ranked by each study's stored direction, as `parzen best` ranks it (review 54: a flipped config's was used).
    const flipped: string[] = [];
    pageStudies = runs.flatMap((run, at) => {
      const found = read[at];
      return found instanceof ParzenError || found === undefined
        ? []
        : [{ name: run.experiment.config.name, trials: found.trials.length }];
    });
    const stored = runs.flatMap((run, at) => {
      const found = read[at];
      return found instanceof ParzenError || found === undefined
        ? []
        : [{ study: run.experiment.config.name, direction: found.study.direction }];
    });
    const mixedStored = mixedDirections(stored);
    if (mixedStored !== undefined)
      throw new CliError(
        `These configs' studies do not share a direction (${mixedStored}): a comparison page ranks their values together. Report them in groups of one direction.`,
      );
    runs.forEach((run, at) => {
      const found = read[at];
      const { config } = run.experiment;
      if (found instanceof ParzenError) missing.push(config.name);
      else if (found !== undefined) {
        if (found.study.direction !== config.direction) flipped.push(config.name);
        // A study run with another space than its config's now is another problem (trial 36: pooled silently).
        if (!sameSpace(found.study.space, config.space)) otherSpace.push(config.name);
        studies.push(
          report.comparisonRunFromTrials(
            run.variant.variant,
            config.seed,
            found.study.direction,
            found.trials,
            // One problem: the same objective over the same space (a matrix varying the objective has several).
            problemKey(found.study.space, config.objective),
          ),
        );
      }
    });
    if (flipped.length > 0)
      output.note(
        `parzen: warning: ${flipped.length === 1 ? 'study' : 'studies'} ${listNames(flipped, 20)} ${flipped.length === 1 ? 'was' : 'were'} created to ${stored[0]?.direction}; ${new Set(paths).size === 1 ? 'the config says' : 'their configs say'} otherwise now. The page ranks by the stored direction.`,
      );
    if (otherSpace.length > 0)
      output.note(
        `parzen: warning: ${otherSpace.length === 1 ? 'study' : 'studies'} ${listNames(otherSpace, 20)} ${otherSpace.length === 1 ? 'was' : 'were'} run with another space than ${otherSpace.length === 1 ? 'its config describes' : 'their configs describe'} now; ` +
          "the page compares each with the runs of its own space (its regret from that problem's best).",
      );
    if (studies.length === 0) throw ofOneConfig(paths, missingTogether(read));
    // Titled by what it compares, as its table and run's comparison table name them (trial 34: by file names).
    // Labels that repeat (two configs of one study name) do not tell the studies apart: then the files do.
    const unique = [...new Set(studies.map((study) => study.variant))];
    const labels = unique.length === studies.length || paths.length < 2 ? unique : paths;
    const shown = listNames(labels, 4);
    page = report.buildComparison(studies, { title: `Parzen comparison: ${shown}` });
    page = { ...page, notes: [...page.notes, `Config${paths.length === 1 ? '' : 's'}: ${paths.join(', ')}.`] };
    // What a digest label stands for (`suggester tpe-b21b04 = {...}`), as run's comparison table says it.
    // Only the labels of variants on the page (trial 72: a study not run yet was explained).
    const legend = variantLegend(
      runs.filter((run) => !missing.includes(run.experiment.config.name)).map((run) => run.variant),
    );
    if (legend.length > 0) page = { ...page, notes: [...page.notes, `Variant labels: ${legend.join('; ')}.`] };
    if (missing.length > 0) {
      page = { ...page, notes: [...page.notes, `Not run yet (left out): ${listNames(missing, 20)}.`] };
      // On stderr too, as `best` and `trials` say it (a user trial found it only inside the page).
      output.note(
        notRunNote(missing, runs.length, 'the page compares the others.', {
          shown: listNames(missing, 20),
          of: new Set(paths).size === 1 ? "the matrix's" : "the configs'",
        }),
      );
    }
    if (otherSpace.length > 0)
      page = {
        ...page,
        notes: [
          ...page.notes,
          `Run with another space than their config describes now (compared with the runs of their own space): ${listNames(otherSpace, 20)}.`,
        ],
      };
  }
  return writePage(page, format, file, pageStudies, flags, output);
};
