import { accessSync, closeSync, constants, existsSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  type ConsoleReporterSettings,
  expandMatrix,
  type LoadExperimentOptions,
  type LoadedExperiment,
  loadExperiment,
  type MatrixVariant,
  ParzenError,
  type PluginChoice,
  type Suggester,
} from '@parzen/engine';
import {
  budgetIssues,
  checkReporterOptions,
  checkStoreOptions,
  cleanUpQuietly,
  didYouMean,
  inVariant,
  notesInVariant,
  openStudyScope,
  type StartedObjective,
  sameConfigVariants,
  seedIgnoredNotes,
  segments,
  shellQuoted,
  startObjective,
  studySuggester,
  withMatrixKey,
} from '@parzen/engine/host';
import {
  type ConfigIssue,
  type ConfigNote,
  endsWithSeparator,
  escapePointer,
  formatIssues,
  issuesUnder,
  type Logger,
  passwordMasked,
  resolveConfigPath,
  type StudySuggester,
} from '@parzen/engine/plugin';
import { defaultJournalName } from '@parzen/store-file';
import { defaultDatabaseName } from '@parzen/store-sqlite/default-path';
import { cliDefaults, defaultStore, defaultSuggester, loadBuiltinPlugins } from './builtin-plugins.js';
import { commandOf } from './command-words.js';
import { type ConfigProblem, ConfigProblems } from './config-problems.js';
import { CliError, EXIT } from './exit-codes.js';
import { listNames } from './list-names.js';
import { longNameOfMatrix } from './long-study-name.js';
import { configInputs, type InputFile, wouldDestroy } from './output-file.js';
import { applyOverrides, type ConfigOverrides, withoutBudgetFlags } from './overrides.js';
import { enableTypeScriptPlugins, importPluginModule } from './plugin-imports.js';
import { type ProgressSettings, progressReporterManifest } from './progress-reporter.js';
import { configFolder, readConfigFile } from './read-config-file.js';
import { type ReadingUses, readingLoadOptions } from './reading-plugins.js';
import { blameStoreFlag, storeFlagLabel, typedSpec } from './store-spec.js';

/** One validated run: which file it came from, its matrix variant and the loaded experiment. */
export interface PreparedRun {
  readonly configPath: string;
  readonly variant: MatrixVariant;
  readonly experiment: LoadedExperiment;
  /**
   * Its objective, created by the preflight in the study scope the run then uses (so it is built once);
   * absent without preflight, and for a variant whose objective an earlier run already checked.
   */
  readonly started?: StartedObjective;
  /** Its suggester as its study records it (name and settings), made by the preflight; absent without one. */
  readonly suggester?: StudySuggester;
}

/** How {@link prepareRuns} treats the configs. */
export interface PrepareOptions {
  readonly overrides?: ConfigOverrides;
  readonly progress?: ProgressSettings;
  /** What the run's flags impose on the config's `console` reporters. */
  readonly console?: ConsoleReporterSettings;
  /** Also start (and close) each objective, so a missing module or program is bad input up front. */
  readonly preflight?: boolean;
  /**
   * Refuse two runs of one study in one store (a config given twice, or two configs with the same `name`
   * and store): in a batch the second would continue the first's study instead of running its own.
   * `compare`: the same for a comparison page, where the study would count twice.
   */
  readonly oneRunPerStudy?: boolean | 'compare';
  /** Where the studies' plugins' notes go (default: stderr). */
  readonly logger?: Logger;
  /**
   * The command runs no trial, so no reporter writes (`report`, `explain`, `import`): an events reporter's file
   * is not checked (a reader of the study who cannot write that file is not refused).
   */
  // Trial 108: a teammate who could read the study but not write its events file was refused.
  readonly reportersIdle?: boolean;
  /** Only the study of this name: one variant of a matrix (`run --study`); a config with none of that name is refused. */
  readonly study?: string;
  /**
   * The command only reads the studies (`trials`, `best`, `export`, `studies`; `explain` and `report`, which use the
   * plugins named, see {@link ReadingUses}): each config is checked as `validate` checks it with only the plugins a
   * read uses loaded (see {@link readingLoadOptions}). Not with `preflight`.
   */
  readonly forReading?: boolean | ReadingUses;
  /** How a config file is read (default: {@link readConfigFile}): a command that has read it already passes it on. */
  readonly readConfig?: (path: string) => unknown;
}

export { enableTypeScriptPlugins } from './plugin-imports.js';

/** What `loadExperiment` gets from the CLI: the built-in plugins, the progress reporter and the defaults. */
export const cliLoadOptions = async (
  baseDir: string,
  progress: ProgressSettings = {},
): Promise<LoadExperimentOptions> => ({
  plugins: [...(await loadBuiltinPlugins()), { manifests: [progressReporterManifest(progress)] }],
  baseDir,
  defaults: cliDefaults,
  importModule: importPluginModule,
});

/**
 * A matrix without a `store` keeps all its studies in one journal beside the config,
 * `<name>.parzen.jsonl`, instead of one file per variant.
 */
export const withBatchStore = (raw: unknown): unknown => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const config = raw as Record<string, unknown>;
  if (!('matrix' in config) || 'store' in config || typeof config.name !== 'string') return raw;
  return { ...config, store: { ...defaultStore, options: { path: `./${defaultJournalName(config.name)}` } } };
};

/** A file's path with its folder's symbolic links resolved (the file itself may not exist yet). */
const canonicalFile = (path: string): string => {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
};

/**
 * Closes the objectives the preflight started and no run took (validate, or a run that stopped early), then
 * their scopes: the services they had made are released (by `validate` too).
 */
export const closeStarted = async (
  runs: readonly PreparedRun[],
  /** Told of a close that failed: every run is still closed, and the command's own result stands. */
  warn: (message: string) => void = (message) => process.stderr.write(`parzen: warning: ${message}\n`),
): Promise<void> => {
  for (const run of runs) {
    if (run.started === undefined) continue;
    const { objective, scope } = run.started;
    await cleanUpQuietly(
      async () => objective.close?.(),
      `the \`${run.experiment.config.objective.use}\` objective could not be closed`,
      warn,
    );
    await scope.close(warn);
  }
};

/**
 * A matrix that sets options of the suggester (`suggester/options/gamma`) in a config without `suggester`
 * sets them on the default suggester, as the config would get it.
 */
export const withMatrixDefaults = (raw: unknown): unknown => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const config = raw as Record<string, unknown>;
  const matrix = config.matrix;
  if ('suggester' in config || typeof matrix !== 'object' || matrix === null) return raw;
  const keys = Object.keys(matrix);
  return keys.some((key) => /^\/?suggester\//.test(key)) ? { ...config, suggester: defaultSuggester } : raw;
};

/** The plugin slots whose factories check their options when created, with no side effects to undo. */
const CHECKED_SLOTS = ['suggester', 'pruner', 'stopper'] as const;

/** Whether the error, or one it was caused by, is the engine's "create() returned no instance of its kind". */
const hollowInstance = (error: unknown): boolean => {
  for (let at = error, depth = 0; at instanceof Error && depth < 10; at = at.cause, depth++)
    if (at instanceof ParzenError && at.code === 'PLUGIN_INVALID' && at.cause === undefined) return true;
  return false;
};

/** JavaScript's own messages for a bug: what a plugin's create() raises when it crashes. */
const CRASH_MESSAGES =
  /^Cannot (read|set) properties of (undefined|null)|is not a function$|is not iterable|is not a constructor$|^Cannot access '.*' before initialization$|is not defined$/;

const isCrash = (error: unknown): error is Error =>
  (error instanceof TypeError || error instanceof ReferenceError) && CRASH_MESSAGES.test(error.message);

/**
 * The plugin choices (`{ "use": name, ... }`) a plugin's options hold, as `patient`'s `/pruner` does, each with
 * its place below the options, outermost first.
 */
const wrappedChoices = (options: unknown, at = ''): { readonly use: string; readonly at: string }[] => {
  if (typeof options !== 'object' || options === null) return [];
  const use = (options as { use?: unknown }).use;
  const here = at !== '' && typeof use === 'string' ? [{ use, at }] : [];
  return [
    ...here,
    ...Object.entries(options).flatMap(([key, value]) => wrappedChoices(value, `${at}/${escapePointer(key)}`)),
  ];
};

/** A plugin's refusal of its options, as `validate` says it. */
interface Refusal {
  readonly plugin: string;
  readonly said: string;
  readonly issues: readonly ConfigIssue[];
  /** The plugin's own exception behind a refusal, for `PARZEN_DEBUG=1` (trial 103: a bug in create() had no stack). */
  readonly cause?: unknown;
}

/**
 * What the error of a suggester's, pruner's or stopper's create() in the preflight is: a fault of the plugin
 * (no instance of its kind made, a crash), a refusal of its options (named as the innermost plugin it
 * concerns, at that plugin's options), or undefined for Parzen's other errors (a service it asked for,
 * Ctrl-C), left to the run.
 */
const createFailure = (
  slot: (typeof CHECKED_SLOTS)[number],
  choice: PluginChoice,
  error: unknown,
): { readonly fault: unknown } | Refusal | undefined => {
  // What a create() returned is not the kind's instance (this plugin's, or one it wraps, as `patient`
  // wraps a pruner): a fault of the plugin, said now as the run would.
  if (hollowInstance(error)) return { fault: error };
  // The factory's own error, or the cause of the engine's "could not start" around it, through every
  // "could not start" (a plugin `patient` wraps is made inside patient's: trial 66, it passed), naming
  // the innermost plugin (review 70: `patient` was blamed for the plugin it wraps). A cause that leads
  // back to an error already seen ends the walk (review 70: a cycle hung validate).
  let own: unknown = error instanceof ParzenError && error.code !== 'CONFIG_INVALID' ? error.cause : error;
  let culprit = choice.use;
  const seen = new Set<unknown>([error]);
  while (own instanceof ParzenError && own.code === 'PLUGIN_INVALID' && own.cause !== undefined && !seen.has(own)) {
    seen.add(own);
    if (own.plugin !== undefined) culprit = own.plugin;
    own = own.cause;
  }
  // Where the culprit's options are: the slot's, or, for a plugin another wraps, its place in them. A
  // refusal with issues names the innermost wrapped plugin whose options hold them all (review 71: a
  // wrapped hyperband's bootstrapCount was said to be patient's).
  const wrapped = wrappedChoices(choice.options);
  const placed =
    own instanceof ParzenError && own.code === 'CONFIG_INVALID' && own.issues.length > 0
      ? issuesUnder(`/${slot}/options`, own.issues).filter((issue) => issue.absolute !== true)
      : [];
  const holder = wrapped
    .filter(
      ({ at }) =>
        placed.length > 0 && placed.every((issue) => issue.pointer.startsWith(`/${slot}/options${at}/options`)),
    )
    .at(-1);
  if (holder !== undefined) culprit = holder.use;
  const place = culprit === choice.use ? undefined : wrapped.find(({ use }) => use === culprit)?.at;
  const options = place === undefined ? `/${slot}/options` : `/${slot}/options${place}/options`;
  const wrapper = culprit === choice.use ? '' : ` (which \`${choice.use}\` wraps)`;
  const named = `\`${culprit}\`${wrapper}`;
  // The plugin's name, then its kind: one pattern for every kind, in code too (trial 171: three ways).
  const heading = `Invalid options for the \`${culprit}\` ${slot}${wrapper}`;
  // An error JavaScript itself raises in buggy code (reading a property of undefined, calling what is no
  // function, an undeclared name) is the plugin's crash, not a refusal of the options (trial 33: it was
  // said to be the config's fault). A TypeError the plugin throws itself to refuse an option stays one.
  if (isCrash(own))
    return {
      fault: new ParzenError(
        'PLUGIN_INVALID',
        `The ${slot} plugin ${named} crashed while it started: ${own.name}: ${own.message}. ` +
          'This is a fault of the plugin, not of the config (PARZEN_DEBUG=1 shows its stack).',
        { plugin: culprit, cause: own },
      ),
    };
  // A factory that throws a plain error (a third-party plugin refusing its options, say) is reported
  // at its options; Parzen's other errors (a service it asked for, Ctrl-C) are left to the run.
  const refused = (found: string) => [{ pointer: options, expected: `options the ${slot} plugin accepts`, found }];
  const issues =
    own instanceof ParzenError
      ? own.code === 'CONFIG_INVALID'
        ? own.issues.length > 0
          ? issuesUnder(`/${slot}/options`, own.issues)
          : // A refusal without issues is still the options' (trial 66: validate passed it, run refused).
            refused(`its create() refused them: ${own.message}`)
        : []
      : own instanceof Error
        ? refused(
            `its create() threw: ${own.message} (if that is about where it runs, not its options, the fault is there)`,
          )
        : [];
  if (issues.length === 0) return undefined;
  return {
    plugin: culprit,
    said: `${heading}:\n${formatIssues(issues)}`,
    issues,
    ...(own === undefined ? {} : { cause: own }),
  };
};

/**
 * Creates the experiment's suggester, pruner and stopper in a study scope of their own (thrown away),
 * so options a plugin checks only when it is created (hyperband's `bootstrapCount`) are bad input up
 * front, with pointers into the config; a factory that returns no instance of its kind is the run's
 * `PLUGIN_INVALID` now. Other failures are left to the run, which reports them. Gives the suggester as a study
 * would record it (undefined when it could not be made: left to the run).
 */
const checkPluginOptions = async (experiment: LoadedExperiment): Promise<StudySuggester | undefined> => {
  // The store is not created (that opens files or connects): its plugin's own check says what a run would
  // refuse at once (trial 48: a postgres URL with a password, salvage in a jsonl config).
  // Every plugin that refuses its options is said, not only the first (trial 66: fixing one showed the next).
  const refusals: Refusal[] = [];
  let recorded: StudySuggester | undefined;
  // Faults of plugins (a crash, a check() that throws, no instance made): said with the refusals, not instead
  // of them (review 71: a crashing pruner hid a store's and two reporters' refusals).
  const faults: unknown[] = [];
  const fault = (error: unknown): readonly never[] => {
    if (!(error instanceof ParzenError) || error.code !== 'PLUGIN_INVALID') throw error;
    faults.push(error);
    return [];
  };
  const storeIssues = await checkStoreOptions(experiment).catch(fault);
  if (storeIssues.length > 0)
    refusals.push({
      plugin: experiment.config.store.use,
      said: `Invalid options for the \`${experiment.config.store.use}\` store:\n${formatIssues(storeIssues)}`,
      issues: storeIssues,
    });
  for (const { use, issues, fault: broken } of await checkReporterOptions(experiment)) {
    if (broken !== undefined) {
      fault(broken);
      continue;
    }
    refusals.push({
      plugin: use,
      said: `Invalid options for the \`${use}\` reporter:\n${formatIssues(issues)}`,
      issues,
    });
  }
  const scope = await openStudyScope(experiment);
  try {
    for (const slot of CHECKED_SLOTS) {
      const choice = experiment.config[slot];
      if (choice === undefined) continue;
      let made: unknown;
      try {
        made = await scope.create(slot, choice);
      } catch (error) {
        const judged = createFailure(slot, choice, error);
        if (judged === undefined) continue;
        if ('fault' in judged) faults.push(judged.fault);
        else refusals.push(judged);
        continue;
      }
      // A suggester's settings a study would keep: settings that are not JSON data are refused as a run refuses
      // them, before any trial (validate passed `[1, undefined]` that the run then refused).
      if (slot === 'suggester')
        try {
          recorded = studySuggester(made as Suggester);
        } catch (error) {
          fault(error);
        }
    }
  } finally {
    // The checking instances are dropped: the services they had made are released.
    await scope.close();
  }
  const [first] = refusals;
  const [broken] = faults;
  // One fault alone is thrown as it is (review 72: wrapped, PARZEN_DEBUG printed it twice).
  if (faults.length === 1 && refusals.length === 0) throw broken;
  if (broken instanceof ParzenError)
    throw new ParzenError(
      broken.code,
      [...faults.map((error) => (error as Error).message), ...refusals.map((refusal) => refusal.said)].join('\n'),
      {
        ...(broken.plugin === undefined ? {} : { plugin: broken.plugin }),
        cause: broken,
        issues: refusals.flatMap((refusal) => refusal.issues),
      },
    );
  if (first !== undefined) {
    const cause = refusals.find((refusal) => refusal.cause !== undefined)?.cause;
    throw new ParzenError('CONFIG_INVALID', refusals.map((refusal) => refusal.said).join('\n'), {
      plugin: first.plugin,
      issues: refusals.flatMap((refusal) => refusal.issues),
      ...(cause === undefined ? {} : { cause }),
    });
  }
  return recorded;
};

/**
 * The variants to check and run: a budget flag replaces rules of a valid budget, never an invalid one (trial 167:
 * `run --more-trials 1` ran a config whose `"budget": "x"` validate refused): a variant whose budget as written
 * (the matrix's included) is not valid is checked as written, so a run refuses what validate refuses.
 */
const budgetAsWritten = async (
  written: unknown,
  overrides: ConfigOverrides,
  flagged: readonly MatrixVariant[],
): Promise<readonly MatrixVariant[]> => {
  const others = withoutBudgetFlags(overrides);
  if (others === undefined) return flagged;
  const plain = expandMatrix(withMatrixDefaults(withBatchStore(applyOverrides(written, others))));
  const budgetOf = (config: unknown) =>
    typeof config === 'object' && config !== null ? (config as Record<string, unknown>).budget : undefined;
  return Promise.all(
    flagged.map(async (variant, at) => {
      const asWritten = plain[at];
      return asWritten !== undefined && (await budgetIssues(budgetOf(asWritten.config))).length > 0
        ? asWritten
        : variant;
    }),
  );
};

/** The variant named `study` (all when undefined); none of that name is a config error listing the names there are. */
const onlyStudy = <V extends { readonly config: unknown }>(variants: readonly V[], study: string | undefined): V[] => {
  if (study === undefined) return [...variants];
  const nameOf = (variant: V) => (variant.config as { name?: unknown }).name;
  const named = variants.filter((variant) => nameOf(variant) === study);
  if (named.length > 0) return named;
  const names = variants.map(nameOf).filter((name): name is string => typeof name === 'string');
  const shown =
    names.length > FEW_NAMES ? [...names.slice(0, FEW_NAMES), `and ${names.length - FEW_NAMES} more`] : names;
  // The flag's mistake (its `--json` error names no file), with the code and exit code of a config error.
  throw new CliError(
    `--study ${JSON.stringify(study)}: the config has no study of that name${didYouMean(study, names)}; its ${names.length === 1 ? 'study is' : 'studies are'} ${shown.join(', ')}.`,
    EXIT.badInput,
    'CONFIG_INVALID',
    { flag: '--study' },
  );
};

/** How many study names a refusal of `--study` lists before "and N more". */
const FEW_NAMES = 5;

const prepareFile = async (
  path: string,
  options: PrepareOptions,
  batch: readonly string[] = [path],
  /** The objectives checked for earlier configs of the command (see the preflight below). */
  checkedObjectives = new Map<string, unknown>(),
): Promise<PreparedRun[]> => {
  // The files an events reporter may not write: every config of the command and the files they name,
  // read once per file (review 57: per variant, a 1,000-variant matrix took 38 s).
  let inputs: InputFile[] | undefined;
  const batchInputs = () => {
    inputs ??= configInputs(batch);
    return inputs;
  };
  const absolute = resolve(path);
  const written = (options.readConfig ?? readConfigFile)(path);
  const overrides = options.overrides ?? {};
  const raw = withMatrixDefaults(withBatchStore(applyOverrides(written, overrides)));
  const forReading = options.forReading === true ? {} : options.forReading === false ? undefined : options.forReading;
  if (forReading !== undefined && options.preflight === true)
    throw new Error('prepareRuns: a config checked for reading is not preflighted');
  if (forReading === undefined) await enableTypeScriptPlugins(raw);
  const variants = onlyStudy(await budgetAsWritten(written, overrides, expandMatrix(raw)), options.study);
  // A comparison groups its studies by their objective, as its schema fills in its options.
  const uses: ReadingUses | undefined =
    forReading?.objective === 'several'
      ? { ...forReading, objective: batch.length > 1 || variants.length > 1 }
      : forReading;
  const runs: PreparedRun[] = [];
  // Every invalid variant is said at once (trial 36: one CI round per mistake).
  const invalid = new InvalidVariants();
  // The --store note said once (a matrix's variants share the flag's store).
  let flaggedSaid = false;
  for (const variant of variants) {
    try {
      // The progress bar names the command that lists this run's trials.
      const study = (variant.config as { name?: unknown }).name;
      const typed = overrides.store === undefined ? undefined : typedSpec(overrides.store);
      const { command: trialsCommand } = commandOf('trials', path, {
        ...(typed === undefined ? {} : { store: typed }),
        ...(Object.keys(variant.indices).length > 0 && typeof study === 'string' ? { study } : {}),
      });
      const progress = { ...options.progress, trialsCommand };
      const reading =
        uses === undefined
          ? undefined
          : await readingLoadOptions(variant.config, configFolder(absolute), progress, uses);
      const loaded = await loadExperiment(reading?.config ?? variant.config, {
        ...(reading?.options ?? (await cliLoadOptions(configFolder(absolute), progress))),
        ...(options.console === undefined ? {} : { console: options.console }),
        ...(options.logger === undefined ? {} : { logger: options.logger }),
      });
      // A note on a value the matrix set is said at the variant's place in the matrix, as an issue there is.
      const experiment =
        loaded.notes === undefined ? loaded : { ...loaded, notes: notesInVariant(loaded.notes, variant) };
      if (options.reportersIdle !== true) refuseEventsOverInputs(experiment, batchInputs);
      // A --store path is the working folder's (the same either way); a bare `--store jsonl` is beside the config.
      refuseStoreLeftBesideLink(path, experiment, Object.keys(variant.values).length > 0);
      const suggester = options.preflight === true ? await checkPluginOptions(experiment) : undefined;
      // A store the --store flag chose has its own note (trial 117: one worker's mistyped --store split the
      // study), once for a matrix (its own store: the journal its variants share when it names none; review 125).
      // The other not for a matrix's variants (review 113: its import advice was wrong there: one file for all).
      const matrix = Object.keys(variant.values).length > 0;
      const moved =
        options.reportersIdle === true
          ? undefined
          : options.overrides?.store !== undefined
            ? flaggedSaid
              ? undefined
              : studyBesideFlaggedStore(experiment, withBatchStore(written))
            : matrix
              ? undefined
              : studyInOtherStore(experiment, path);
      if (moved !== undefined && options.overrides?.store !== undefined) flaggedSaid = true;
      runs.push({
        configPath: path,
        variant,
        experiment: moved === undefined ? experiment : { ...experiment, notes: [...(experiment.notes ?? []), moved] },
        ...(suggester === undefined ? {} : { suggester }),
      });
    } catch (error) {
      // A store the --store flag chose: its problem is the flag's (the config may have no `store`).
      const store = options.overrides?.store;
      const blamed = store === undefined ? error : blameStoreFlag(error, storeFlagLabel(store));
      invalid.add(inVariant(longNameOfMatrix(withMatrixKey(blamed), variant), variant));
    }
  }
  invalid.throwIfAny();
  // Two combinations of one config: a run or validate refuses them, before any objective starts (a report reads
  // what ran).
  const same =
    options.oneRunPerStudy === true
      ? sameConfigVariants(
          runs.map((run) => run.variant),
          runs.map((run) => run.experiment.config),
        )
      : [];
  if (same.length > 0)
    throw new ParzenError(
      'CONFIG_INVALID',
      `Combinations of the matrix resolve to the same config:\n${formatIssues(same)}`,
      { issues: same },
    );
  // Studies that differ in a seed their suggester ignores: said by a run and validate, once per variant.
  if (options.oneRunPerStudy === true)
    for (const { at, note } of seedIgnoredNotes(
      runs.map((run) => run.variant),
      runs.map((run) => run.experiment.config),
    )) {
      const run = runs[at] as PreparedRun;
      runs[at] = { ...run, experiment: { ...run.experiment, notes: [...(run.experiment.notes ?? []), note] } };
    }
  if (options.preflight !== true) return runs;
  // An objective checked for an earlier variant or config (the same options and space, from the same folder)
  // is not started again: its run builds its own when it runs (trial 58: validating 150 configs of one module
  // started 150 worker threads, 24 s).
  const seen = checkedObjectives;
  const checked: PreparedRun[] = [];
  // Every variant's objective is checked before any is said (trial 72: a missing program, then on the next
  // run a missing script, one round per mistake).
  const failed = new InvalidVariants();
  try {
    for (const run of runs) {
      // The space too, for an objective checked against it when it is made (a command objective's template), not
      // for the `module` objective, which reads none: variants that differ in a space bound check it once, as
      // variants that differ in their seed do, and their runs take the threads the run before left with
      // `reuseThreads` (trial 159: each held a thread of its own from here on, and loaded the module again).
      const { baseDir, config } = run.experiment;
      const space = (await readsNoSpace(run.experiment)) ? '' : JSON.stringify(config.space);
      const key = `${baseDir}\0${JSON.stringify(config.objective)}\0${space}`;
      // A mistake in an objective or space the matrix set is said with its variant, at its place in the list
      // (trial 64: at the base's; review 79: two blocks at one pointer, neither named); one in the base
      // config's is every variant's, said without one variant's name (review 67).
      const said = (error: unknown) =>
        matrixSets(run, ['objective', 'space']) ? inVariant(error, run.variant) : error;
      if (seen.has(key)) {
        const error = seen.get(key);
        // Each variant its objective fails is counted, said once (review 79: "2 of" 6 variants).
        if (error === undefined) checked.push(run);
        else failed.add(said(error));
        continue;
      }
      try {
        checked.push({ ...run, started: await startObjective(run.experiment) });
        seen.set(key, undefined);
      } catch (error) {
        seen.set(key, error);
        failed.add(said(error));
      }
    }
    failed.throwIfAny();
  } catch (error) {
    await closeStarted(checked);
    throw error;
  }
  return checked;
};

/** Whether the experiment's objective plugin is the built-in `module` objective, whose creation reads no space. */
const readsNoSpace = async ({ config, registry }: LoadedExperiment): Promise<boolean> =>
  registry.get('objective', config.objective.use) === (await import('@parzen/objectives')).moduleObjectiveManifest;

/** Whether a run's matrix set anything under these top-level config keys (a key may start with `/`). */
const matrixSets = (run: PreparedRun, fields: readonly string[]): boolean =>
  Object.keys(run.variant.values).some((key) => fields.includes(segments(key)[0] ?? ''));

/**
 * The variants of a matrix found invalid, said together once all are checked: the same mistake in variants
 * that differ in another value (each seed) once, and how many variants it took (trial 72: "2 matrix variants
 * are invalid" of 8). An error that is not a config mistake is thrown at once.
 */
class InvalidVariants {
  private readonly distinct: ParzenError[] = [];
  private variants = 0;

  add(error: unknown): void {
    if (!(error instanceof ParzenError) || !error.code.startsWith('CONFIG_')) throw error;
    this.variants++;
    const key = JSON.stringify(error.issues);
    if (error.issues.length === 0 || !this.distinct.some((other) => JSON.stringify(other.issues) === key))
      this.distinct.push(error);
  }

  throwIfAny(): void {
    const [first] = this.distinct;
    if (first === undefined) return;
    if (this.distinct.length === 1 && this.variants === 1) throw first;
    const code = this.distinct.every((error) => error.code === first.code) ? first.code : 'CONFIG_INVALID';
    const count =
      this.distinct.length === this.variants
        ? `${this.variants} matrix variants are invalid`
        : `${this.variants} matrix variants are invalid, ${this.distinct.length === 1 ? 'all in the same way' : `in ${this.distinct.length} different ways`}`;
    throw new ParzenError(code, `${count}:\n${this.distinct.map((error) => error.message).join('\n')}`, {
      issues: this.distinct.flatMap((error) => error.issues),
      cause: first,
    });
  }
}

/**
 * The file name a bare `jsonl` or `sqlite` store gives each study beside the config; undefined for other
 * stores. The SQLite rule comes from its package's dependency-free `default-path` entry, so the read commands
 * of other stores do not load the SQLite package (loaded on first use, it would not be there yet
 * for the check of an events file against the first config's database, which would then pass).
 */
export const perStudyFileName = (use: string): ((study: string) => string) | undefined =>
  use === 'jsonl' ? defaultJournalName : use === 'sqlite' ? defaultDatabaseName : undefined;

/** The file a run's store keeps its study in (a JSONL journal, a SQLite database), when it is a file. */
export const storeFile = ({ config, baseDir }: LoadedExperiment): string | undefined => {
  const { use, options = {} } = config.store;
  if (storeKeepsNothing(config.store)) return undefined;
  if (typeof options.path === 'string') return canonicalFile(resolveConfigPath(baseDir, options.path));
  // A bare `sqlite` too (review 68: the link check missed it, and the run started over).
  const named = perStudyFileName(use);
  return named === undefined ? undefined : canonicalFile(resolve(baseDir, named(config.name)));
};

/** Whether a store keeps nothing after its run: the memory store, and SQLite's `:memory:` database. */
export const storeKeepsNothing = (store: PluginChoice): boolean =>
  store.use === 'memory' || (store.options as { path?: unknown } | undefined)?.path === ':memory:';

// Trial 163: another study's store file copied over the study's own was said valid, and the run started the study
// anew in it with no more than "Starting" for "Resuming".
/**
 * A note when a study's own store file (a bare `jsonl` or `sqlite` store keeps it in a file named after the study)
 * holds other studies (`held`) but not this one: a file copied from another study's, most likely.
 */
export const foreignStoreFileNote = (experiment: LoadedExperiment, held: readonly string[]): string | undefined => {
  const { config } = experiment;
  const file = storeFile(experiment);
  if (held.length === 0 || held.includes(config.name) || typeof config.store.options?.path === 'string')
    return undefined;
  if (file === undefined || perStudyFileName(config.store.use) === undefined) return undefined;
  const them = held.length === 1 ? 'it' : 'them';
  return (
    `${file}, the ${config.store.use} store file named after study ${config.name}, holds ${held.length === 1 ? 'study' : 'studies'} ` +
    `${listNames(held)} but not ${config.name} (a file copied from another study's?): a run starts study ${config.name} anew in it, beside ${them}`
  );
};

/**
 * A note when the store holds no study of the config's name but one whose name differs from it only in case (trial
 * 167: "First" started a second study beside "first" without a word; on a disk that ignores case, as macOS's and
 * Windows' do, the files named after them are one).
 */
export const caseVariantNote = (name: string, held: readonly string[]): string | undefined => {
  const variants = held.filter((other) => other !== name && other.toLowerCase() === name.toLowerCase());
  if (variants.length === 0 || held.includes(name)) return undefined;
  const one = variants.length === 1;
  return `the store holds ${one ? 'study' : 'studies'} ${listNames(variants)}, whose ${one ? 'name differs' : 'names differ'} from ${name} only in case (a typo?): a run of this config starts study ${name} beside ${one ? 'it' : 'them'}`;
};

/**
 * A note when the run's store file is not there yet while the other file store's file for the study is, beside
 * the config: a config switched from jsonl to sqlite (or back) starts the study afresh in the new file, and its
 * earlier trials seemed lost (trial 110: "Starting study (0 trials so far)", nothing more).
 */
const studyInOtherStore = (experiment: LoadedExperiment, path: string): ConfigNote | undefined => {
  const { config, baseDir } = experiment;
  const store = storeFile(experiment);
  if (store === undefined || existsSync(store)) return undefined;
  const other = config.store.use === 'jsonl' ? 'sqlite' : config.store.use === 'sqlite' ? 'jsonl' : undefined;
  const named = other === undefined ? undefined : perStudyFileName(other);
  if (other === undefined || named === undefined) return undefined;
  const earlier = resolve(baseDir, named(config.name));
  if (!existsSync(earlier)) return undefined;
  return {
    pointer: '/store',
    message:
      `the study starts afresh in ${store}, which is not there yet, while ${earlier} beside the config is a ${other} store ` +
      `that may hold its earlier trials (the store was changed?): to carry them over, \`${commandOf('export', undefined, { store: `${other}:${earlier}` }).command} -o trials.jsonl\` ` +
      `then \`${commandOf('import', path, {}).command} trials.jsonl\`, before running`,
  };
};

/**
 * A note when the store the --store flag chose is not there yet while the config's own store file is: the run starts
 * the study afresh in the flag's store, beside the trials the config's store may hold (trial 117: a worker given a
 * mistyped --store ran a second copy of the study, unsaid).
 */
const studyBesideFlaggedStore = (experiment: LoadedExperiment, written: unknown): ConfigNote | undefined => {
  const own = typeof written === 'object' && written !== null ? (written as { store?: unknown }).store : undefined;
  const choice = own === undefined ? defaultStore : own;
  if (typeof choice !== 'object' || choice === null || typeof (choice as PluginChoice).use !== 'string')
    return undefined;
  const ownFile = storeFile({ ...experiment, config: { ...experiment.config, store: choice as PluginChoice } });
  const flagFile = storeFile(experiment);
  if (ownFile === undefined || flagFile === undefined || ownFile === flagFile) return undefined;
  if (existsSync(flagFile) || !existsSync(ownFile)) return undefined;
  return {
    pointer: '/store',
    message: `--store puts study ${experiment.config.name} in ${flagFile}, which is not there yet, while the config's own store ${ownFile} is there and may hold its trials: this run starts the study afresh in ${flagFile}; leave out --store to go on with it there (or, to move it, \`parzen export CONFIG -o trials.jsonl\` then \`parzen import CONFIG trials.jsonl --store SPEC\` before running)`,
  };
};

/**
 * Refuses a run whose store file is not there when the file its path names from the folder the config was
 * reached through (a linked file or folder) is: where Parzen before 2026-12-03 kept it, since paths are now
 * resolved from the config's real folder (otherwise an upgraded run would start the study over, unsaid, and the
 * read-only commands would ask whether it had run).
 */
export const refuseStoreLeftBesideLink = (path: string, experiment: LoadedExperiment, matrix = false): void => {
  const store = storeFile(experiment);
  const linkFolder = dirname(resolve(path));
  if (store === undefined || linkFolder === experiment.baseDir || existsSync(store)) return;
  const earlier = storeFile({ ...experiment, baseDir: linkFolder });
  if (earlier === undefined || earlier === store || !existsSync(earlier)) return;
  const kind = experiment.config.store.use;
  throw new ParzenError(
    'CONFIG_INVALID',
    `The store this config names is ${store}, which is not there, but ${earlier} is: the same path read from the folder the config was reached through (${linkFolder}), where Parzen before 2026-12-03 kept it. ` +
      `Paths in a config are read from its real folder now. To go on with that study, move the file to ${store}` +
      // One file per study of a matrix: a --store file would hold every variant (review 67: they started over in it).
      `${matrix && typeof experiment.config.store.options?.path !== 'string' ? ' (and each other study of the matrix its file likewise)' : `, or name it with --store ${shellQuoted(`${kind}:${earlier}`)}`}.`,
    {
      issues: [
        {
          pointer: typeof experiment.config.store.options?.path === 'string' ? '/store/options/path' : '/store',
          expected: `the study's ${kind} file at ${store}`,
          found: `nothing there, and a ${kind} file at ${earlier}`,
        },
      ],
    },
  );
};

/** The files a run's store keeps its study in, there or not yet: its journal or database, and SQLite's side files. */
const storeFiles = (experiment: LoadedExperiment): string[] => {
  const store = storeFile(experiment);
  if (store === undefined) return [];
  const sqlite = experiment.config.store.use === 'sqlite';
  return [store, ...(sqlite ? ['-wal', '-shm', '-journal'].map((end) => store + end) : [])];
};

/** A run's `events` reporters: their index, the path as written, and the file it names. */
const eventsFiles = (experiment: LoadedExperiment): { index: number; file: string; path: string }[] =>
  experiment.config.reporters.flatMap((choice, index) => {
    const file = (choice.options as { path?: unknown } | undefined)?.path;
    return choice.use === 'events' && typeof file === 'string'
      ? [{ index, file, path: canonicalFile(resolveConfigPath(experiment.baseDir, file)) }]
      : [];
  });

/** A path that is not there: nothing at it (`ENOENT`), or a file where a folder of it should be (`ENOTDIR`). */
const MISSING = new Set(['ENOENT', 'ENOTDIR']);

/** What keeps the events from being appended at `path`, as far as a look tells (nothing is created): a folder there, or above it a file or a folder this process may not write. */
const notAppendable = (path: string): string | undefined => {
  const problem = (error: unknown) =>
    `which cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  try {
    if (statSync(path).isDirectory()) return 'a folder';
    accessSync(path, constants.W_OK);
    return undefined;
  } catch (error) {
    if (!MISSING.has((error as NodeJS.ErrnoException).code ?? '')) return problem(error);
  }
  // Not there yet: the nearest folder that is must let it be made (the run makes the folders in between).
  for (let above = dirname(path); ; above = dirname(above)) {
    try {
      if (!statSync(above).isDirectory()) return `under ${above}, which is a file, not a folder`;
      accessSync(above, constants.W_OK);
      return undefined;
    } catch (error) {
      if (!MISSING.has((error as NodeJS.ErrnoException).code ?? '') || dirname(above) === above) return problem(error);
    }
  }
};

/**
 * What a file at an events reporter's path holds when it is not events (trial 167: another experiment's config
 * was appended to, and no longer parsed): its first line is no JSON object with a `type`. Undefined for a file that
 * is not there, is empty, or starts with an event (or a line too long to tell).
 */
const notEventsFile = (path: string): string | undefined => {
  let head: string;
  try {
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(64 * 1024);
      head = buffer.toString('utf8', 0, readSync(fd, buffer, 0, buffer.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const end = head.indexOf('\n');
  if (head.trim() === '' || (end < 0 && head.length === 64 * 1024)) return undefined;
  const first = (end < 0 ? head : head.slice(0, end)).trim();
  try {
    const event: unknown = JSON.parse(first);
    if (typeof event === 'object' && event !== null && typeof (event as { type?: unknown }).type === 'string')
      return undefined;
  } catch {
    // Not an event: said below.
  }
  return first === '{' || first === '['
    ? 'a file whose first line is `{`, the start of pretty-printed JSON (a config?), not events'
    : 'a file that holds something else than events (its first line is no JSON event, an object with a `type`)';
};

/** The config error of an events file that would destroy `what`, or where events cannot be appended. */
const eventsRefused = (
  events: readonly { index: number; file: string; what: string; appendable?: false }[],
): ParzenError => {
  const issues: ConfigIssue[] = events.map(({ index, file, what, appendable }) => ({
    pointer: `/reporters/${index}/options/path`,
    expected:
      appendable === false
        ? 'a file the events can be appended to'
        : "a file of its own for the events (not a study's store, a config or a file it names)",
    found: `${JSON.stringify(file)}, ${what}`,
  }));
  return new ParzenError('CONFIG_INVALID', `Invalid config:\n${formatIssues(issues)}`, { issues });
};

/**
 * Refuses an `events` reporter whose file is the study's store, the config or a file it names (trial 53: a
 * copy-paste slip appended the events to the study's journal, which the next run found corrupt; to the
 * config, which no longer parsed), as `-o` refuses them: bad input, before anything runs.
 */
const refuseEventsOverInputs = (experiment: LoadedExperiment, configInputsOf: () => InputFile[]): void => {
  const events = eventsFiles(experiment);
  if (events.length === 0) return;
  const owned = storeFiles(experiment);
  const store = owned[0];
  const storeName = `the study's ${experiment.config.store.use} store`;
  // Reporters' files are what the events may share (the events reporter's own file, which it appends to).
  const inputs: InputFile[] = [
    ...configInputsOf().filter((input) => input.reporter !== true),
    ...(store === undefined ? [] : [{ path: store, what: storeName }]),
  ];
  const refused = events.flatMap(({ index, file, path }) => {
    // Where events cannot be appended, said by validate too (trial 62: a folder passed validate, and run
    // refused it at `/options/path`).
    // A path written with a trailing slash names a folder (trial 86: `sub/dir/` made a file `dir`).
    const blocked = endsWithSeparator(file) ? "a folder's path (it ends with a slash)" : notAppendable(path);
    if (blocked !== undefined) return [{ index, file, what: blocked, appendable: false as const }];
    let what: string | undefined;
    try {
      what = owned.includes(path)
        ? path === store
          ? storeName
          : `a side file of ${storeName}`
        : (wouldDestroy(path, inputs) ?? notEventsFile(path));
    } catch (error) {
      // A path that cannot be looked at is the events file's problem, said at its pointer (review 57: "-o:").
      what = `which cannot be looked at (${(error as Error).message.replace(/^-o: cannot write [^:]*: /, '')})`;
    }
    return what === undefined ? [] : [{ index, file, what }];
  });
  if (refused.length > 0) throw eventsRefused(refused);
};

/**
 * An events file that is another run's store, in a batch or a matrix (review 57: `run a.json b.json` with a's
 * events at b's first-run journal turned it into an events file): a problem of the run that names it.
 */
const eventsOverOtherStores = (runs: readonly PreparedRun[]): ConfigProblem[] => {
  const owners = new Map<string, PreparedRun>();
  for (const run of runs) for (const file of storeFiles(run.experiment)) if (!owners.has(file)) owners.set(file, run);
  return runs.flatMap((run) =>
    eventsFiles(run.experiment).flatMap(({ index, file, path }) => {
      const owner = owners.get(path);
      if (owner === undefined || owner === run) return [];
      const what = `the store of study ${owner.experiment.config.name} (${owner.configPath})`;
      return [{ path: run.configPath, error: eventsRefused([{ index, file, what }]) }];
    }),
  );
};

/**
 * Where a run keeps its study, as a key: the store plugin and its file or URL (a default file lies beside
 * the config, named after the study). Undefined for a `memory` store: each run has its own.
 */
const storeKey = (experiment: LoadedExperiment): string | undefined => {
  const { use, options = {} } = experiment.config.store;
  if (use === 'memory') return undefined;
  const file = storeFile(experiment);
  if (file !== undefined) return `${use} store ${file}`;
  if (typeof options.url === 'string') return `${use} store ${passwordMasked(options.url)}`;
  return `${use} store beside ${canonicalFile(experiment.baseDir)}`;
};

const runTwice = (path: string, message: string): ConfigProblem => ({
  path,
  error: new CliError(message, EXIT.badInput, 'STUDY_RUN_TWICE'),
});

/** A config file given twice, or the first run that keeps the same study in the same store as an earlier one. */
const studyRunTwice = (
  paths: readonly string[],
  runs: readonly PreparedRun[],
  compare = false,
): ConfigProblem | undefined => {
  const files = paths.map((path) => canonicalFile(resolve(path)));
  const again = files.findIndex((file, index) => files.indexOf(file) !== index);
  if (again >= 0) {
    const path = paths[again] as string;
    return runTwice(
      path,
      compare
        ? `${path} is given twice: a comparison page counts each study once (its runs are its matrix's variants).`
        : `${path} is given twice: a batch runs each config once (a matrix runs its variants).`,
    );
  }
  const seen = new Map<string, PreparedRun>();
  for (const run of runs) {
    const where = storeKey(run.experiment);
    if (where === undefined) continue;
    const study = run.experiment.config.name;
    const key = `${study}\u0000${where}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, run);
      continue;
    }
    return runTwice(
      run.configPath,
      compare
        ? `study ${study} is also ${first.configPath}'s, in the same ${where}: a comparison page would count it twice. Give each study once.`
        : `study ${study} is also run by ${first.configPath}, in the same ${where}: in one batch the second run ` +
            "would continue the first one's study (and the comparison count it twice) instead of running its own. " +
            'Give each config its own `name` or store.',
    );
  }
  return undefined;
};

/**
 * The first run whose store file another run of the batch opens with another store plugin (a JSONL journal
 * and a SQLite database at one path): the second would refuse the first's file only once it ran (trial 64).
 */
const fileOfTwoStores = (runs: readonly PreparedRun[]): ConfigProblem | undefined => {
  const owners = new Map<string, PreparedRun>();
  for (const run of runs) {
    const file = storeFile(run.experiment);
    if (file === undefined) continue;
    const owner = owners.get(file);
    if (owner === undefined) {
      owners.set(file, run);
      continue;
    }
    const [mine, theirs] = [run, owner].map((one) => one.experiment.config.store.use);
    if (mine === theirs) continue;
    return {
      path: run.configPath,
      error: new CliError(
        `study ${run.experiment.config.name} keeps its ${mine} store in ${file}, where study ${owner.experiment.config.name} (${owner.configPath}) keeps its ${theirs} store: one file holds one kind of store. Give each its own path.`,
      ),
    };
  }
  return undefined;
};

/**
 * Reads, expands (matrix) and validates every config before anything runs. Throws
 * {@link ConfigProblems} listing each file that is unreadable or invalid.
 */
export const prepareRuns = async (paths: readonly string[], options: PrepareOptions = {}): Promise<PreparedRun[]> => {
  const runs: PreparedRun[] = [];
  const problems: ConfigProblem[] = [];
  // By objective, what its check found: undefined when it started, else its error (review 79: a second
  // config with the same broken objective passed as checked).
  const checkedObjectives = new Map<string, unknown>();
  for (const path of paths) {
    try {
      runs.push(...(await prepareFile(path, options, paths, checkedObjectives)));
    } catch (error) {
      problems.push({ path, error });
    }
  }
  const twice =
    options.oneRunPerStudy && problems.length === 0
      ? studyRunTwice(paths, runs, options.oneRunPerStudy === 'compare')
      : undefined;
  if (twice !== undefined) problems.push(twice);
  const twoStores = problems.length === 0 ? fileOfTwoStores(runs) : undefined;
  if (twoStores !== undefined) problems.push(twoStores);
  if (problems.length === 0) problems.push(...eventsOverOtherStores(runs));
  if (problems.length > 0) {
    await closeStarted(runs);
    throw new ConfigProblems(problems, runs);
  }
  return runs;
};
