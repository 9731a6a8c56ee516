import { dirname, resolve } from 'node:path';
import {
  bestTrial,
  expandMatrix,
  formatSummary,
  type LoadedExperiment,
  loadExperiment,
  type MatrixVariant,
  openStoreForReading,
  type PluginChoice,
  type Trial,
} from '@parzen/engine';
import {
  cleanUpQuietly,
  countOf,
  didYouMean,
  STUDY_NAME_PATTERN,
  STUDY_NAME_WORDS,
  shellQuoted,
  summarize,
} from '@parzen/engine/host';
import {
  type CompiledSpace,
  compileSpace,
  defineSuggester,
  type EnqueuedParams,
  formatIssues,
  isStale,
  ParzenError,
  type PluginPackage,
  resolveConfigPath,
  type StudyRecord,
  sameSpace,
  storeUnsupported,
  type TakenEntry,
  type TrialStore,
} from '@parzen/engine/plugin';
import { BUILTIN_PLUGIN_NAMES, defaultStore } from '../builtin-plugins.js';
import { commandOf } from '../command-words.js';
import { ConfigProblems, forConfig } from '../config-problems.js';
import { CliError, EXIT } from '../exit-codes.js';
import { formatNumber } from '../format-number.js';
import {
  type TableColumn,
  type TrialRow,
  tableAttrs,
  trialRows,
  trialsCsvLines,
  trialsTableLines,
} from '../format-trials.js';
import { listNames } from '../list-names.js';
import { legendText, studyNameLegend } from '../matrix-legend.js';
import { missingStudy, missingTogether } from '../missing-study.js';
import { type Output, writeLines } from '../output.js';
import { applyOverrides } from '../overrides.js';
import type { WhereCondition } from '../parse-flags.js';
import {
  perStudyFileName,
  prepareRuns,
  refuseStoreLeftBesideLink,
  storeFile,
  storeKeepsNothing,
  withBatchStore,
} from '../prepare-runs.js';
import { configFolder, readConfigFile } from '../read-config-file.js';
import { builtinStore, missingPluginNotes, readingStores } from '../reading-plugins.js';
import { blameStoreFlag, parseStoreSpec, storeFlag, throwOfStoreFlag } from '../store-spec.js';
import { directionChangedNote, noteStoredTrials, openedStores, storeKey, studyNotHeld } from '../study-trials.js';
import type { SuggesterWords } from '../suggester-label.js';
import { inSpaceOrder, summaryJson } from '../summary-json.js';
import { formatTable } from '../text-table.js';
import { whereText, whereTrials } from './trials-where.js';

/** Flags of `parzen trials` and `parzen best`. */
export interface InspectFlags {
  readonly json?: boolean;
  readonly csv?: boolean;
  /** One JSON object per trial per line (`trials --jsonl`). */
  readonly jsonl?: boolean;
  readonly store?: string;
  readonly study?: string;
  /** Read a damaged JSONL journal or SQLite database anyway (the store's `salvage` option). */
  readonly salvage?: boolean;
  /** Read the enqueued entries waiting too (only `export` says them; the other read commands need not). */
  readonly waiting?: boolean;
  /** `trials --params a,b,attrs.c`: only these columns (parameters, attrs.NAME attributes), in this order (each flag's value, comma-separated). */
  readonly params?: readonly string[];
  /** `trials --state complete,pruned`: only trials in these states. */
  readonly state?: readonly Trial['state'][];
  /** `trials --top N`: the N best complete trials of each study, best first. */
  readonly top?: number;
  /** `trials --where model=mlp`, `best --where ...`: only trials whose parameters have these values, all of them. */
  readonly where?: readonly WhereCondition[];
}

/** Where to read one study: its store (validated), and what the config says of it, if there is one. */
export interface InspectTarget {
  readonly study: string | undefined;
  readonly store: PluginChoice;
  /**
   * The experiment that validated the store choice (the config check's, or a probe of the store alone); its registry
   * creates the store.
   */
  readonly experiment: LoadedExperiment;
  readonly baseDir: string;
  /** The config file and the space it describes, to warn when the stored study's space differs. */
  readonly config?: {
    readonly path: string;
    readonly space: unknown;
    /** The study it describes (a `--study` may name another, which it says nothing of). */
    readonly name: string;
    /** The direction it says (`minimize` when it says none), to warn when the stored study's differs. */
    readonly direction: string;
    /** The study was named by `--study`, not by the config (a run of the config would not make it). */
    readonly studyFlag?: true;
  };
  /** The studies a matrix config names, for a `--study` that is none of them. */
  readonly matrixStudies?: readonly string[];
  /** How the `--store` flag that chose the store is named in messages, when a flag chose it. */
  readonly storeFlag?: string;
  /** The `--store` flag's value as typed, when a flag chose the store. */
  readonly storeSpec?: string;
  /** The matrix variant the config's study is, when the config has a matrix (its values, its labels). */
  readonly variant?: MatrixVariant;
}

// Review 53: `/store/options/url` was named where there is no config.
/**
 * Opens the target's store for reading; a store the `--store` flag chose has its option problems said of
 * the flag.
 */
export const openTargetStore = (target: InspectTarget): Promise<TrialStore> =>
  openStoreForReading(target.experiment, target.store).catch((error: unknown) => {
    throw target.storeFlag === undefined ? error : blameStoreFlag(error, target.storeFlag);
  });

/** A study read from its store: the stored record (space, direction) and its trials. */
interface InspectedStudy {
  readonly record: StudyRecord;
  readonly space: CompiledSpace;
  readonly trials: readonly Trial[];
  /** The enqueued entries waiting (none when none was read; undefined when the store keeps no queue). */
  readonly waiting?: readonly EnqueuedParams[];
  /** The enqueued entry each trial ran, when the store lists them (explain and report replay with them). */
  readonly taken?: readonly TakenEntry[];
  /** What the config's matrix set for this study (`run --json`'s `values`, the seed too), when it is a matrix variant. */
  readonly values?: Readonly<Record<string, unknown>>;
}

/**
 * Validates a store choice and loads the plugins it needs ({@link readingStores}): a store that is not built in
 * brings the config's `plugins` in, only their stores. Nothing else of the config is imported or run (objective
 * modules, suggesters).
 */
const storeRegistry = async (store: PluginChoice, plugins: unknown, baseDir: string, name: string) => {
  const specifiers = Array.isArray(plugins) ? plugins : [];
  const probe = {
    // The study is read by the name given; the probe config only needs a name a config may have (trial 62: a
    // study the API named `a b` could not be read, refused as a config's name).
    name: CONFIG_NAME.test(name) ? name : 'inspect',
    space: { x: { type: 'uniform', low: 0, high: 1 } },
    objective: { use: 'function', options: { name: 'inspect-probe' } },
    suggester: { use: PROBE },
    reporters: [],
    budget: { maxTrials: 1 },
    store,
  };
  const experiment = await loadExperiment(probe, {
    baseDir,
    plugins: [await readingStores(store.use, specifiers, baseDir), probeSuggester],
    defaults: { store: defaultStore },
    functions: { 'inspect-probe': () => 0 },
  });
  return { store: experiment.config.store, experiment };
};

/** What a config's `name` may be (the API names a study anything). */
const CONFIG_NAME = new RegExp(STUDY_NAME_PATTERN);

/** The probe config's suggester: validation needs one; it never runs. */
const PROBE = 'inspect-probe';
const probeSuggester: PluginPackage = {
  manifests: [
    defineSuggester({
      name: PROBE,
      optionsSchema: { type: 'object' },
      create: () => ({
        name: PROBE,
        beginTrial: () => {
          throw new Error('the inspection probe never samples');
        },
      }),
    }),
  ],
};

/**
 * A config's refusal, for a read: with the way to read the study without the config, as its store keeps it, so a
 * config that no longer passes (a typo since, a stricter check after an upgrade) keeps no trial from being read.
 */
const readableWithout = async (error: unknown, raw: unknown, baseDir: string): Promise<unknown> => {
  if (!(error instanceof ConfigProblems)) return error;
  const plugin = await pluginStoreOf(raw);
  // `--store NAME:PATH` of a store plugin is refused without a config, which loads the plugin (a read with the
  // config loads that plugin alone).
  const hint =
    plugin === undefined
      ? `The trials can be read without this config, as the store keeps them: ${readFlags(raw, baseDir)}.`
      : `The store \`${plugin}\` is not built in, and \`--store\` reads without a config only a built-in store (${BUILTIN_PLUGIN_NAMES.store.join(', ')}): fix the config as said above to read its trials.`;
  return new ConfigProblems(
    error.problems.map((problem) => ({
      ...problem,
      error:
        problem.error instanceof ParzenError
          ? new ParzenError(problem.error.code, `${problem.error.message}\n${hint}`, {
              issues: problem.error.issues,
              cause: problem.error,
            })
          : problem.error,
    })),
    error.prepared,
  );
};

/** The configs of a raw config: its matrix's variants' (one, the config itself, when it has none or it does not expand). */
const variantConfigs = (raw: unknown): unknown[] => {
  try {
    if (typeof raw === 'object' && raw !== null && 'matrix' in raw)
      return expandMatrix(raw).map(({ config }) => config);
  } catch {
    // A matrix that does not expand: the config itself.
  }
  return [raw];
};

/** The store of a config (or of a variant of its matrix) that is a plugin of its `plugins`, not a built-in one. */
const pluginStoreOf = async (raw: unknown): Promise<string | undefined> => {
  for (const config of variantConfigs(raw)) {
    const use = ((config as { store?: { use?: unknown } } | null)?.store ?? defaultStore).use;
    if (typeof use === 'string' && !(await builtinStore(use))) return use;
  }
  return undefined;
};

/**
 * The store file of a config's study, as a run keeps it (none when it is no file the config names): its path as a run
 * resolves it (`~` the home folder), or the file a bare `jsonl` or `sqlite` store (the default) gives the study.
 */
const storeFileOf = (config: unknown, baseDir: string): { use: string; file: string } | undefined => {
  const { name, store = defaultStore } = (typeof config === 'object' && config !== null ? config : {}) as {
    name?: unknown;
    store?: { use?: unknown; options?: { path?: unknown } };
  };
  const use = store?.use;
  const path = store?.options?.path;
  if (use !== 'jsonl' && use !== 'sqlite') return undefined;
  if (typeof path === 'string' && path !== '') return { use, file: resolveConfigPath(baseDir, path) };
  return typeof name !== 'string'
    ? undefined
    : { use, file: resolve(baseDir, (perStudyFileName(use) as (study: string) => string)(name)) };
};

/** How many of a matrix's studies a hint lists in full: more are the first three and how to list them all. */
const LISTED_IN_FULL = 5;

/** A matrix's studies in a hint: all of them when few, else the first three, how many more, and `more`. */
const studyList = (items: readonly string[], more: string): string =>
  items.length <= LISTED_IN_FULL ? items.join(', ') : `${listNames(items)} (${more})`;

/**
 * The flags that read a config's study without it (`--store … --study …`), with the values the config gives them
 * where it names its store's file; for a matrix, with its studies' names (each with its own store's when they differ).
 */
const readFlags = (raw: unknown, baseDir: string): string => {
  const studies = variantConfigs(raw).map((config) => {
    const name = (config as { name?: unknown } | null)?.name;
    const file = storeFileOf(config, baseDir);
    return {
      spec: file === undefined ? 'SPEC' : shellQuoted(`${file.use}:${file.file}`),
      file,
      study: typeof name === 'string' ? shellQuoted(name) : 'NAME',
    };
  });
  const such = (spec: string) => (spec === 'SPEC' ? ' (such as --store jsonl:./study.parzen.jsonl)' : '');
  const [one] = studies;
  if (one !== undefined && studies.length === 1)
    return `--store ${one.spec} --study ${one.study}${such(one.spec)} in place of the config`;
  // A matrix: one store for all its studies (its journal), or each its own (a bare sqlite store's file).
  const shared = new Set(studies.map(({ spec }) => spec)).size === 1 ? (one?.spec ?? 'SPEC') : 'SPEC';
  const flags = `--store ${shared} --study NAME`;
  if (studies.length === 0 || studies.some(({ study }) => study === 'NAME'))
    return `${flags}${such(shared)} in place of the config`;
  const names = studies.map(({ study }) => study);
  if (shared !== 'SPEC' || studies.every(({ spec }) => spec === 'SPEC'))
    return `${flags}${such(shared)} in place of the config, NAME one of the matrix's studies: ${studyList(names, `\`parzen studies --store ${shared}\` lists the studies ${shared === 'SPEC' ? 'a' : 'the'} store holds`)}`;
  // Each study in its own file: in one folder, the files there are named after their studies.
  const folders = new Set(studies.map(({ file }) => (file === undefined ? undefined : dirname(file.file))));
  const [folder] = folders;
  const more =
    folders.size === 1 && folder !== undefined
      ? `each in its own file in ${shellQuoted(folder)}, named after the study: \`parzen studies --store ${studies[0]?.file?.use}:FILE\` names the study a file holds`
      : 'each in its own store, as the matrix sets it';
  return `${flags} in place of the config, for each study of the matrix: ${studyList(
    studies.map(({ spec, study }) => `--store ${spec} --study ${study}`),
    more,
  )}`;
};

const configTargets = async (path: string, flags: InspectFlags, how: TargetOptions): Promise<InspectTarget[]> => {
  const baseDir = configFolder(path);
  const overrides = flags.store === undefined ? {} : { store: parseStoreSpec(flags.store) };
  // Read once: the check below is given what was read.
  const written = (how.readConfig ?? readConfigFile)(path);
  const raw = withBatchStore(applyOverrides(written, overrides));
  // A config that `validate`, `explain` and `report` refuse (`"maxTrials": 0`) is refused here too, by the same
  // checks and in the same words, though only its store is opened: its objective is not started, and no plugin a
  // read does not use is loaded (suggesters, objectives, pruners, the config's `plugins`), so their options are
  // left to `validate` and `run` (a config that lists `plugins` is checked too, the names of plugins it chooses
  // that no built-in has taken as theirs).
  const prepared =
    how.checked === false
      ? undefined
      : await prepareRuns([path], {
          overrides,
          reportersIdle: true,
          progress: { force: 'off' },
          forReading: true,
          readConfig: () => written,
        }).catch(async (error: unknown) => {
          throw await readableWithout(error, raw, baseDir);
        });
  let variants = expandMatrix(raw);
  // The check's experiment of each variant (in the matrix's order, as it checked them): its store is the one a probe
  // of the variant's store would validate and create, with the same plugins (see `readingLoadOptions`).
  const checkedRuns = new Map(variants.map((variant, at) => [variant, prepared?.[at]]));
  // A `plugins` entry that is not there (the study read where its plugins are not installed): the read goes on, as
  // it needs none of them but those that give its store (the check above refused it when no other gave it).
  if (how.checked !== false)
    for (const line of missingPluginNotes(path, raw, baseDir))
      (how.note ?? ((said: string) => process.stderr.write(`${said}\n`)))(line);
  // `--study NAME` of a matrix: the variant of that name, else the study in each store the variants use.
  const named = variants.filter((variant) => variant.config.name === flags.study);
  const matrixStudies =
    flags.study !== undefined && named.length === 0 && variants.length > 1
      ? variants.map((variant) => (typeof variant.config.name === 'string' ? variant.config.name : variant.study))
      : undefined;
  if (named.length > 0) variants = named;
  const targets: InspectTarget[] = [];
  const stores = new Set<string>();
  for (const variant of variants) {
    const config = variant.config;
    // A name no config may have would pick a store file no run made (trial 88: `inspect.parzen.jsonl`).
    // No name either (review 91: `study.parzen.jsonl` was read, another config's study if one named `study` ran there).
    if (!(typeof config.name === 'string' && CONFIG_NAME.test(config.name))) {
      const issues = [
        config.name === undefined
          ? { pointer: '/name', expected: 'a value (required)', found: 'nothing' }
          : {
              pointer: '/name',
              // In words, as a run and validate say it.
              expected: STUDY_NAME_WORDS,
              found: JSON.stringify(config.name),
            },
      ];
      throw new ParzenError('CONFIG_INVALID', `Invalid config:\n${formatIssues(issues)}`, { issues });
    }
    const name = typeof config.name === 'string' ? config.name : variant.study;
    const choice = (config.store as PluginChoice | undefined) ?? defaultStore;
    // The config's name picks the store's default file (`<name>.parzen.jsonl`); `--study` only the study in it.
    // Checked, the variant's store was validated and its plugins loaded by the check: its experiment is the one to
    // open the store with. Unchecked (`delete`, which opens it for writing too), a probe of the store alone.
    const checked = checkedRuns.get(variant)?.experiment;
    const { store, experiment } =
      checked !== undefined && checked.config.name === name
        ? { store: checked.config.store, experiment: checked }
        : await storeRegistry(choice, config.plugins, baseDir, name).catch((error: unknown) => {
            return throwOfStoreFlag(flags.store)(error);
          });
    refuseStoreLeftBesideLink(path, experiment, variants.length > 1);
    // A store without a path or URL of its own may keep each study in a file named after it.
    const key = storeKey(store, name, baseDir);
    if (flags.study !== undefined && stores.has(key)) continue;
    stores.add(key);
    targets.push({
      study: flags.study ?? name,
      store,
      experiment,
      baseDir,
      config: {
        path,
        name,
        space: config.space,
        direction: typeof config.direction === 'string' ? config.direction : 'minimize',
        ...(flags.study === undefined ? {} : { studyFlag: true }),
      },
      ...(matrixStudies === undefined ? {} : { matrixStudies }),
      ...(flags.store === undefined ? {} : { storeFlag: storeFlag(flags.store), storeSpec: flags.store }),
      ...(Object.keys(variant.indices).length === 0 ? {} : { variant }),
    });
  }
  return targets;
};

const storeTarget = async (spec: string, flags: InspectFlags): Promise<InspectTarget> => {
  const choice = parseStoreSpec(spec);
  // Without a config a file store has no default path to read (a run puts it beside the config).
  if ((choice.use === 'sqlite' || choice.use === 'jsonl') && choice.options === undefined)
    throw new CliError(
      `--store ${choice.use} without a config needs the file: --store ${choice.use}:PATH (e.g. --store ${choice.use}:./${choice.use === 'sqlite' ? 'study.parzen.db' : 'study.parzen.jsonl'}).`,
    );
  const baseDir = process.cwd();
  try {
    const { store, experiment } = await storeRegistry(choice, [], baseDir, flags.study ?? 'inspect');
    return { study: flags.study, store, experiment, baseDir, storeFlag: storeFlag(spec), storeSpec: spec };
  } catch (error) {
    // No config here: the store choice came from the flag, so the message names the flag, not `/store`.
    throw blameStoreFlag(error, storeFlag(spec));
  }
};

/** The study a store without a named study holds: its only one, else a list to pick from. */
const onlyStudy = (studies: readonly StudyRecord[] | undefined, store: string): StudyRecord => {
  if (studies === undefined) {
    const unsupported = storeUnsupported(store, 'list its studies', 'listStudies', true);
    throw new ParzenError('STORE_UNSUPPORTED', `${unsupported.message} Or name the study with --study NAME.`);
  }
  if (studies.length === 1) return studies[0] as StudyRecord;
  // Said by missingOfTarget, with the store's name.
  if (studies.length === 0) throw new ParzenError('STUDY_NOT_FOUND', 'The store holds no study yet.');
  throw new CliError(
    `The store holds ${studies.length} studies (${studies.map((study) => study.name).join(', ')}); pick one with --study NAME.`,
  );
};

/** Reads the target's study from `store` (opened for the target's store choice; the caller closes it). */
const inspect = async (
  target: InspectTarget,
  store: TrialStore,
  output: Output,
  withWaiting = false,
): Promise<InspectedStudy> => {
  try {
    const record =
      target.study === undefined
        ? onlyStudy(await store.listStudies?.(), target.store.use)
        : await store.getStudy(target.study);
    const trials = await store.listTrials(record.name);
    // None read, or (undefined) a store that keeps no queue.
    const waiting = withWaiting ? await store.listEnqueued?.(record.name) : [];
    const taken = await store.listTakenEntries?.(record.name);
    // What the config says of its own study only (review 53: `--study OTHER` was said to have another direction).
    const config = target.config?.name === record.name ? target.config : undefined;
    if (config !== undefined && !sameSpace(config.space, record.space)) {
      output.note(
        `parzen: warning: study ${record.name} was run with another space than ${config.path} describes now; ` +
          'its trials are shown with the stored space.',
      );
    }
    // Trial 50: a flipped direction was said by run (which refuses it) but not here, where `best` then
    // named the stored direction's best as if it were the config's.
    if (config !== undefined && config.direction !== record.direction) {
      output.note(
        directionChangedNote(
          record.name,
          record.direction,
          config.path,
          config.direction,
          `Its best and ranks are by the stored direction (${record.direction}).`,
        ),
      );
    }
    const space = compileSpace(record.space, '', { stored: true });
    noteStoredTrials(output, record.name, space, trials);
    // A `--study` of a matrix config that names none of its variants has no values.
    const values = target.variant?.study === record.name ? target.variant.values : undefined;
    return {
      record,
      space,
      trials,
      ...(values === undefined ? {} : { values }),
      ...(waiting === undefined ? {} : { waiting }),
      ...(taken === undefined ? {} : { taken }),
    };
  } catch (error) {
    throw await missingOfTarget(error, target, store);
  }
};

// Trials 48 and 72 were told "Run it first." for a `--study` no run of the config would make.
/**
 * A study the target's store does not hold, said as {@link StudyMissing} says it (the study, its store and the
 * studies it holds, the run that starts it); any other error as it is.
 */
export const missingOfTarget = (error: unknown, target: InspectTarget, store?: TrialStore): Promise<unknown> => {
  const { config, variant } = target;
  return missingStudy(
    error,
    {
      studies: target.study === undefined ? [] : [target.study],
      store: target.store,
      // A matrix's store kept per study: a `--study` none of its studies has no file of its own (review 79: another
      // study's was named).
      file:
        target.matrixStudies !== undefined && target.store.options?.path === undefined
          ? undefined
          : storeFile(target.experiment),
      ...(config === undefined
        ? {}
        : {
            config: {
              path: config.path,
              store: target.storeSpec,
              study: variant === undefined ? undefined : target.study,
            },
          }),
      storeFlag: target.storeSpec,
      own: config !== undefined && target.study === config.name,
      matrixStudies: target.matrixStudies,
    },
    store,
  );
};

/** The stores `--salvage` reads past damage: a JSONL journal (its lines), a SQLite database (its trials). */
const SALVAGED_STORES: ReadonlySet<string> = new Set(['jsonl', 'sqlite']);

/**
 * `--salvage`: a store's choice with its `salvage` option set (a JSONL journal read past damaged lines, a SQLite
 * database past damaged trials); refused, with what to do, for a store that has none.
 */
export const salvagedStore = <S extends { readonly use: string; readonly options?: unknown }>(store: S): S => {
  if (!SALVAGED_STORES.has(store.use))
    throw new CliError(
      `--salvage reads past damaged lines of a JSONL journal or damaged trials of a SQLite database; the ${store.use} store has none to skip. Leave --salvage out.`,
    );
  return { ...store, options: { ...(store.options as Record<string, unknown> | undefined), salvage: true } };
};

/** `--salvage`: the target's journal read past damaged lines, or its SQLite database past damaged trials. */
const salvaging = (target: InspectTarget): InspectTarget => ({ ...target, store: salvagedStore(target.store) });

/** The store `--store SPEC` names (with `--salvage`, read past damaged lines), opened for reading and kept open. */
export const openStoreFromFlag = async (flags: InspectFlags & { readonly store: string }): Promise<TrialStore> => {
  const target = await storeTarget(flags.store, flags);
  const chosen = flags.salvage === true ? salvaging(target) : target;
  return openTargetStore(chosen);
};

/**
 * The studies `trials` and `best` show: the config's (each matrix variant's) or, with `--store` and no
 * config, the store's study (`--study NAME`, or the only one it holds). Stores are opened read-only:
 * nothing is created, locked or written, and the config's objective and plugins are not loaded (a store
 * plugin named in `plugins` is). Trials are decoded with the space stored with the study.
 */
export const loadStudies = async (
  path: string | undefined,
  flags: InspectFlags,
  output: Output,
  readConfig?: (path: string) => unknown,
) => (await loadStudySet(path, flags, output, readConfig)).studies;

/**
 * The study `--store SPEC` holds (`study`, or its only one), read as `trials --store` reads it, with the entries
 * waiting in its queue, and the experiment whose store choice a command opens for writing (`parzen queue --store
 * SPEC --remove KEY`).
 */
export const storeFlagStudy = async (spec: string, study: string | undefined, output: Output) => {
  const flags = { store: spec, ...(study === undefined ? {} : { study }), waiting: true };
  const [found] = await loadStudies(undefined, flags, output);
  const { experiment } = await storeTarget(spec, flags);
  return { study: found as InspectedStudy, experiment };
};

/**
 * The study named `study` that the config's store (or `--store`'s) holds, when it is none of the config's
 * own names (an earlier version's name for a matrix variant, which run points to with --study), as `trials`
 * reads it; when the store does not hold it, the store's words (the studies it holds) as trials says them
 * (exit 1). A store's own failure is thrown (see studyNotHeld).
 */
export const heldStudy = async (
  path: string,
  study: string,
  store: string | undefined,
  output: Output,
  /** How the config is read (default: {@link readConfigFile}): a command that has read it passes what it read on. */
  readConfig?: (path: string) => unknown,
) => {
  let notHeld: unknown;
  const held = await loadStudies(path, { study, ...(store === undefined ? {} : { store }) }, output, readConfig).catch(
    (error: unknown) => {
      notHeld = error;
      return studyNotHeld(error);
    },
  );
  // Review 70: report and explain said a name the store does not hold in words of their own, without the
  // studies it holds, which trials and best say (the store's STUDY_NOT_FOUND).
  // Said and exited as trials says it (review 71: exit 2 here, 1 there, for the same words).
  if (held?.length !== 1 && notHeld !== undefined)
    throw notHeld instanceof ConfigProblems ? notHeld : new ConfigProblems([{ path, error: notHeld }]);
  return held?.length === 1 ? held[0] : undefined;
};

/** How {@link inspectTargets} reads a config. */
export interface TargetOptions {
  /** Whether the config is checked as `validate` checks it (default; not for `delete`, which reads the store's name only). */
  readonly checked?: boolean;
  /** How the config file is read (default: {@link readConfigFile}); it is read once. */
  readonly readConfig?: (path: string) => unknown;
  /** Where a note on the config goes (a `plugins` entry that is not there; default: stderr). */
  readonly note?: (line: string) => void;
}

/**
 * What `trials`, `best`, `export` and `studies` read: the config's study (each matrix variant's) or, with
 * `--store` and no config, the store's; with `--salvage`, read past damaged journal lines.
 */
export const inspectTargets = async (
  path: string | undefined,
  flags: InspectFlags,
  how: TargetOptions = {},
): Promise<InspectTarget[]> => {
  if (path === undefined && flags.store === undefined)
    throw new CliError('Give a config, or --store SPEC (e.g. --store jsonl:./study.parzen.jsonl).');
  const targets =
    path === undefined ? [await storeTarget(flags.store as string, flags)] : await configTargets(path, flags, how);
  return flags.salvage === true ? targets.map(salvaging) : targets;
};

/** {@link loadStudies}, and whether the config names several studies (a matrix), however many have run. */
const loadStudySet = async (
  path: string | undefined,
  flags: InspectFlags,
  output: Output,
  /** How the config is read (default: {@link readConfigFile}). */
  readConfig?: (path: string) => unknown,
): Promise<{
  readonly studies: InspectedStudy[];
  readonly several: boolean;
  readonly stores: ReturnType<typeof storeIdentity>[];
}> => {
  const targets = await inspectTargets(path, flags, {
    note: (line) => output.note(line),
    ...(readConfig === undefined ? {} : { readConfig }),
  });
  const studies: InspectedStudy[] = [];
  // The store each study was read from, as `storeIdentity` says it.
  const where: ReturnType<typeof storeIdentity>[] = [];
  const notRun: { study: string; error: unknown }[] = [];
  // The studies of a matrix often share one store: it is opened (a journal read) once, not once per study.
  const stores = openedStores();
  try {
    for (const target of targets) {
      try {
        const store = await stores.get(storeKey(target.store, target.study, target.baseDir), () =>
          openTargetStore(target).catch(async (error: unknown) => {
            throw await missingOfTarget(error, target);
          }),
        );
        studies.push(
          await inspect(target, store, output, flags.waiting === true).catch((error: unknown) => {
            // A --store that holds no study yet: the run that creates it needs the flag too (review 125).
            throw target.storeFlag === undefined ? error : blameStoreFlag(error, target.storeFlag);
          }),
        );
        where.push(storeIdentity(target));
      } catch (error) {
        // A matrix run in part (interrupted, or one variant still to come): show the studies that exist.
        if (targets.length === 1 || !(error instanceof ParzenError) || error.code !== 'STUDY_NOT_FOUND') throw error;
        notRun.push({ study: target.study ?? '?', error });
      }
    }
  } finally {
    await stores.close();
  }
  if (studies.length === 0 && notRun.length > 0) throw missingTogether(notRun.map(({ error }) => error));
  if (notRun.length > 0)
    output.note(
      notRunNote(
        notRun.map(({ study }) => study),
        targets.length,
        'showing the others.',
      ),
    );
  return { studies, several: targets.length > 1, stores: where };
};

/** How many of the studies not run yet a note names (then `and N more`). */
const NOT_RUN_SHOWN = 5;

/**
 * The note that some of a batch's studies have not run yet (`parzen: 4 of the matrix's 36 studies have not run yet
 * (a, b, c, d); showing the others.`), as `best`, `trials`, `studies` and `report` say it on stderr: the first five
 * and how many more unless `shown` says them otherwise (a large matrix's were all on one line).
 */
export const notRunNote = (
  notRun: readonly string[],
  total: number,
  then: string,
  {
    shown = listNames(notRun, NOT_RUN_SHOWN),
    of = "the matrix's",
  }: { readonly shown?: string; readonly of?: string } = {},
): string =>
  `parzen: ${notRun.length} of ${of} ${total} studies ${notRun.length === 1 ? 'has' : 'have'} not run yet (${shown}); ${then}`;

// Review 130: a bare store and its file named were two stores.
/**
 * Which store a target reads, as a key and in words: its file as a run finds it (`storeFile`: a bare `jsonl` or
 * `sqlite` store's default file, symbolic links followed), else its URL (said as the plugin's name: a URL may hold
 * a password), else as `storeKey` says.
 */
export const storeIdentity = (target: InspectTarget): { readonly key: string; readonly shown: string } => {
  const file = storeFile(target.experiment);
  if (file !== undefined) return { key: `path:${file}`, shown: file };
  const { url } = (target.store.options ?? {}) as { url?: unknown };
  const shown = `its \`${target.store.use}\` store`;
  return typeof url === 'string'
    ? { key: `url:${url}`, shown }
    : { key: storeKey(target.store, target.study, target.baseDir), shown };
};

/** The error a config's listing failed with, under its config path. */
const causeOf = (error: unknown): unknown => (error instanceof ConfigProblems ? error.problems[0]?.error : error);

/** What a config's store said of its study that has not run (its message, as one config's listing says it). */
const notRunWords = (error: unknown): string => {
  const cause = causeOf(error);
  return cause instanceof Error ? cause.message : String(cause);
};

/**
 * {@link loadStudySet} of each config given (none: `--store`'s study), one list in the order given: `trials` and
 * `best` compare studies run from separate configs as they compare a matrix's (trial 121: one config only, so a
 * batch of configs sharing a store was listed study by study). A study two configs name in one store (its file,
 * however named) is listed once; studies of one name in two stores are refused (listed together they would read as
 * one). Configs whose study has not run yet are said and left out, as a matrix's are (review 128).
 */
const loadConfigsStudySet = async (
  paths: readonly string[],
  flags: InspectFlags,
  output: Output,
): Promise<{ readonly studies: InspectedStudy[]; readonly several: boolean }> => {
  if (paths.length <= 1) return forConfig(paths[0], () => loadStudySet(paths[0], flags, output));
  if (flags.study !== undefined)
    throw new CliError(
      `--study picks one study of a config's store (or of --store's): give one config with it, not ${paths.length}.`,
    );
  const twice = paths.find((path, index) => paths.findIndex((other) => resolve(other) === resolve(path)) !== index);
  if (twice !== undefined) throw new CliError(`${twice} is given twice: give each config once.`);
  const studies: InspectedStudy[] = [];
  // By study name: the store it was read from and the config that named it first.
  const named = new Map<string, { readonly store: ReturnType<typeof storeIdentity>; readonly path: string }>();
  const notRun: { path: string; error: unknown }[] = [];
  for (const path of paths) {
    let set: Awaited<ReturnType<typeof loadStudySet>>;
    try {
      set = await forConfig(path, () => loadStudySet(path, flags, output));
    } catch (error) {
      if ((causeOf(error) as { code?: unknown } | undefined)?.code !== 'STUDY_NOT_FOUND') throw error;
      notRun.push({ path, error });
      continue;
    }
    set.studies.forEach((study, index) => {
      const store = set.stores[index] as ReturnType<typeof storeIdentity>;
      const earlier = named.get(study.record.name);
      if (earlier === undefined) {
        named.set(study.record.name, { store, path });
        studies.push(study);
      } else if (earlier.store.key !== store.key)
        // Two stores' studies of one name (a copy, an import into another store): listed together they would read
        // as one study (review 130: compared by content, a live run between the two reads refused one store's).
        throw new CliError(
          `${earlier.path} (${earlier.store.shown}) and ${path} (${store.shown}) both name a study ${study.record.name}, in different stores: listed together they would read as one study. Give them one at a time.`,
        );
    });
  }
  if (studies.length === 0 && notRun.length > 0) throw notRun[0]?.error;
  // Each in its own words, as for one config: a memory store's says it keeps nothing after its run (review 129).
  for (const { path, error } of notRun)
    output.note(`parzen: ${path}: ${notRunWords(error)} Left out; the other configs' studies are shown.`);
  return { studies, several: true };
};

/**
 * The trials `trials` lists: those in the `--state` states, or with `--top N` the N best complete ones, best
 * first (ties by number, as `best` breaks them); else all, in number order.
 */
const listedTrials = (trials: readonly Trial[], direction: StudyRecord['direction'], flags: InspectFlags): Trial[] => {
  if (flags.top !== undefined) {
    const sign = direction === 'maximize' ? -1 : 1;
    return trials
      .filter((trial): trial is Extract<Trial, { state: 'complete' }> => trial.state === 'complete')
      .sort((a, b) => sign * (a.loss - b.loss) || a.number - b.number)
      .slice(0, flags.top);
  }
  const { state } = flags;
  return state === undefined ? [...trials] : trials.filter((trial) => state.includes(trial.state));
};

/** The attribute names the studies' trials have, in first-seen order. */
const attrNamesOf = (studies: readonly { readonly trials: readonly Trial[] }[]): string[] => {
  const names = new Set<string>();
  for (const { trials } of studies)
    for (const trial of trials)
      if ((trial.state === 'complete' || trial.state === 'pruned') && trial.attrs !== undefined)
        for (const name of Object.keys(trial.attrs)) names.add(name);
  return [...names];
};

/**
 * `--params`' columns: each a parameter of a listed study's space, or `attrs.NAME`, an attribute some trial of
 * theirs has, as `--csv` and the report name its column (trial 157: the seed a trial trained with could not be
 * shown). A name neither is refused, with the names there are. A whole flag value that is itself a parameter's
 * name, or `attrs.` and an attribute's, is that name, commas and all (a parameter named `attrs.x` too); a list
 * with an empty name (`x,,y`, a comma at either end) is refused.
 */
const chosenColumns = (
  values: readonly string[],
  studies: readonly { readonly space: CompiledSpace; readonly trials: readonly Trial[] }[],
): TableColumn[] => {
  const known = [...new Set(studies.flatMap(({ space }) => space.params.map((param) => param.name)))];
  const attrs = attrNamesOf(studies);
  const whole = (value: string) =>
    known.includes(value) || (value.startsWith('attrs.') && attrs.includes(value.slice('attrs.'.length)));
  // Names with a comma: said with a refusal, as they cannot be part of a list.
  const withComma = [...known, ...attrs.map((name) => `attrs.${name}`)].filter((name) => name.includes(','));
  const commaHint =
    withComma.length === 0
      ? ''
      : ` A name with a comma (${listNames(
          withComma.map((name) => `\`${name}\``),
          3,
        )}) is given in a --params flag of its own: --params x --params ${JSON.stringify(withComma[0])}.`;
  const malformed = values.find((value) => !whole(value) && value.split(',').some((name) => name.trim() === ''));
  if (malformed !== undefined)
    throw new CliError(
      `--params ${JSON.stringify(malformed)}: an empty name (two commas in a row, or a comma at either end); give names separated by single commas, or the flag again for each name.${commaHint}`,
    );
  const names = [
    ...new Set(values.flatMap((value) => (whole(value) ? [value] : value.split(',').map((name) => name.trim())))),
  ];
  const isAttr = (name: string) => !known.includes(name) && name.startsWith('attrs.');
  const unknown = names.filter((name) => !known.includes(name) && !isAttr(name));
  const spaces = studies.length === 1 ? "the study's space" : "the studies' spaces";
  const attrColumns = attrs.map((name) => `\`attrs.${name}\``);
  if (unknown.length > 0) {
    const first = unknown[0] as string;
    // A bare attribute name (`seed` for `attrs.seed`): said how to name it.
    const asAttr = attrs.includes(first)
      ? ` \`${first}\` is an attribute of the trials: name it \`attrs.${first}\`.`
      : '';
    throw new CliError(
      `--params: ${unknown.map((name) => JSON.stringify(name)).join(', ')} ${unknown.length === 1 ? 'is not a parameter' : 'are not parameters'} of ${spaces}${asAttr === '' ? didYouMean(first, known) : ''}; ${studies.length === 1 ? 'it has' : 'they have'} ${listNames(
        known.map((name) => `\`${name}\``),
        12,
      )}${attrs.length === 0 || asAttr !== '' ? '' : `, and the trials have the attributes ${listNames(attrColumns, 12)}`}.${asAttr}${commaHint}`,
    );
  }
  const unknownAttrs = names.filter((name) => isAttr(name) && !attrs.includes(name.slice('attrs.'.length)));
  if (unknownAttrs.length > 0)
    throw new CliError(
      `--params: ${unknownAttrs.map((name) => JSON.stringify(name)).join(', ')} ${unknownAttrs.length === 1 ? 'is not an attribute' : 'are not attributes'} of any trial${
        attrs.length === 0
          ? ` (no trial has attrs: an objective returns them as { loss, attrs: { ... } })`
          : `${didYouMean(
              unknownAttrs[0] as string,
              attrs.map((name) => `attrs.${name}`),
            )}; the trials have ${listNames(attrColumns, 12)}`
      }.${commaHint}`,
    );
  return names.map((name) => (isAttr(name) ? { attr: name.slice('attrs.'.length) } : { param: name }));
};

/** What `trials` says when it lists no trial: none yet, or none of those the flags ask for (review 101). */
const noRowsText = (studies: readonly { readonly trials: readonly Trial[] }[], flags: InspectFlags): string => {
  const held = studies.reduce((sum, { trials }) => sum + trials.length, 0);
  if (held === 0) return 'No trials yet.';
  const asked = flags.top !== undefined ? 'complete' : (flags.state ?? []).join(' or ');
  const where = flags.where === undefined || flags.where.length === 0 ? '' : ` where ${whereText(flags.where)}`;
  return `No ${asked === '' ? '' : `${asked} `}trials${where} (of ${held} ${held === 1 ? 'trial' : 'trials'}).`;
};

/** The `names` of `params` (or attrs) it has, in the order of `names`. */
const pick = (params: Readonly<Record<string, unknown>>, names: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(names.filter((name) => Object.hasOwn(params, name)).map((name) => [name, params[name]]));

/** Each row as one JSON line. */
function* jsonLines(rows: readonly TrialRow[]): Iterable<string> {
  for (const row of rows) yield JSON.stringify(row);
}

/**
 * The rows as one JSON array: one line, or, when that would pass V8's 512 MiB string limit (review 44:
 * trials with megabytes of attrs), the same array a row a line.
 */
function* jsonArray(rows: readonly TrialRow[]): Generator<string> {
  let whole: string | undefined;
  try {
    whole = JSON.stringify(rows);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  if (whole !== undefined) {
    yield whole;
    return;
  }
  for (const [index, row] of rows.entries())
    yield `${index === 0 ? '[' : ','}${JSON.stringify(row)}${index === rows.length - 1 ? ']' : ''}`;
}

/**
 * `parzen trials [config]`: every trial of the study (each matrix variant's), as a table, CSV, one JSON
 * array or JSON lines. The table, the CSV and the JSON lines are written as they are made, and stop when
 * the reader goes away (`| head`).
 */
export const listTrials = async (paths: readonly string[], flags: InspectFlags, output: Output): Promise<number> => {
  const { studies: loaded } = await loadConfigsStudySet(paths, flags, output);
  const studies = whereTrials(loaded, flags.where);
  const chosen = flags.params === undefined ? undefined : chosenColumns(flags.params, studies);
  const chosenParams = chosen?.flatMap((column) => ('param' in column ? [column.param] : []));
  // The attributes named: only they are listed (none named: every attribute, as without --params).
  const chosenAttrs = chosen?.flatMap((column) => ('attr' in column ? [column.attr] : [])) ?? [];
  const narrowed = (row: TrialRow): TrialRow => {
    if (chosenParams === undefined) return row;
    const { attrs, ...rest } = row;
    const kept = chosenAttrs.length === 0 ? attrs : pick(attrs ?? {}, chosenAttrs);
    return {
      ...rest,
      params: pick(row.params, chosenParams),
      ...(kept === undefined || Object.keys(kept).length === 0 ? {} : { attrs: kept }),
    };
  };
  const rows: TrialRow[] = studies.flatMap(({ record, space, trials, taken }) =>
    trialRows(record.name, space, listedTrials(trials, record.direction, flags), {
      ...(taken === undefined ? {} : { taken }),
    }).map(narrowed),
  );
  const spaceNames = chosenParams ?? studies.flatMap(({ space }) => space.params.map((param) => param.name));
  if (flags.json === true) await writeLines(output, jsonArray(rows));
  else if (flags.jsonl === true) await writeLines(output, jsonLines(rows));
  else if (flags.csv === true)
    await writeLines(
      output,
      trialsCsvLines(
        rows,
        spaceNames,
        chosenAttrs,
        new Map(studies.flatMap(({ record, values }) => (values === undefined ? [] : [[record.name, values]]))),
      ),
    );
  else if (rows.length === 0) output.result(noRowsText(loaded, flags));
  else {
    const { long } = tableAttrs(rows);
    if (chosen === undefined && long.length > 0) {
      const named = long.map((name) => `attrs.${name}`);
      output.note(
        `parzen: ${listNames(named, 5)} ${long.length === 1 ? 'is' : 'are'} not shown (${long.length === 1 ? 'its values are' : 'their values are'} long): \`--params ${named.slice(0, 5).join(',')}\` shows ${long.length === 1 ? 'it' : 'them'}, and --csv and --json list every attribute.`,
      );
    }
    // `parzen import`'s words for a rescued result (one config, with the --store and --study of this listing: a
    // matrix config's study needs its --study, review 153).
    const store = flags.store === undefined ? {} : { store: flags.store };
    const importCommand =
      paths.length === 1 && studies.length === 1
        ? commandOf('import', paths[0], { ...store, ...(flags.study === undefined ? {} : { study: flags.study }) })
        : commandOf('import', 'CONFIG', store);
    await writeLines(
      output,
      trialsTableLines(
        rows,
        flags.salvage === true,
        spaceNames,
        chosen,
        importCommand.command,
        flags.top !== undefined,
      ),
    );
  }
  return 0;
};

/** How many of the trials are running with their worker gone (their lease is stale at `now`). */
const workerGoneCount = (trials: readonly Trial[], now: Date): number =>
  trials.filter((trial) => trial.state === 'running' && trial.lease !== undefined && isStale(trial.lease, now, ''))
    .length;

/** `parzen best [config]`: the best trial of the study (of each matrix variant), as text or one JSON line. */
export const showBest = async (paths: readonly string[], flags: InspectFlags, output: Output): Promise<number> => {
  const { studies: loaded, several } = await loadConfigsStudySet(paths, flags, output);
  const studies = whereTrials(loaded, flags.where);
  const where = flags.where === undefined || flags.where.length === 0 ? undefined : whereText(flags.where);
  const summaries = studies.map(({ record, space, trials }) =>
    inSpaceOrder(space, summarize(record.name, record.direction, space, trials)),
  );
  if (flags.json === true) {
    // A matrix variant's with what its matrix set (`run --json`'s `values`, the seed too), to pivot by.
    const json = summaries.map((summary, at) => {
      const values = studies[at]?.values;
      return { ...summaryJson(summary), ...(values === undefined ? {} : { values }) };
    });
    // A matrix gives an array however many of its studies have run (review 26: one object while only one had).
    output.result(JSON.stringify(several ? json : json[0]));
  } else {
    // With --where, the counts are of the matching trials: said on the study's line.
    for (const summary of summaries)
      output.result(
        formatSummary(
          where === undefined ? summary : { ...summary, study: `${summary.study} (trials where ${where})` },
        ),
      );
    // Running trials whose worker is gone, said as `trials --state running` says them (a bare `4 running` after
    // a kill -9, as if they still ran).
    const now = new Date();
    for (const { record, trials } of studies) {
      const running = trials.filter((trial) => trial.state === 'running').length;
      const gone = workerGoneCount(trials, now);
      if (gone > 0)
        output.note(
          `parzen: study ${record.name}: the worker of ${gone === running ? (gone === 1 ? 'its running trial' : `all ${gone} of its running trials`) : `${gone} of its ${running} running trials`} is gone: a run of the study marks ${gone === 1 ? 'it' : 'them'} failed (STALE_TRIAL).`,
        );
    }
  }
  // No best is a failure a script must see (`x=$(parzen best c.json --json | jq .best.params.x)` went on with null),
  // as `parzen run` of such a study exits 1.
  const without = summaries.filter((summary) => summary.best === undefined);
  for (const { study, complete, failed, pruned, running } of without) {
    const total = complete + failed + pruned + running;
    const held = loaded.find(({ record }) => record.name === study)?.trials.length ?? total;
    output.note(
      where === undefined
        ? `parzen: study ${study} has no best: ${
            total === 0
              ? 'it has no trial yet'
              : `none of its ${countOf(total, 'trial')} completed (${failed} failed, ${pruned} pruned, ${running} running)`
          }.`
        : `parzen: study ${study} has no best where ${where}: ${
            held === 0
              ? 'it has no trial yet'
              : total === 0
                ? `none of its ${countOf(held, 'trial')} has ${where}`
                : `none of its ${countOf(total, 'trial')} where ${where} completed (${failed} failed, ${pruned} pruned, ${running} running; ${countOf(held, 'trial')} in all)`
          }.`,
    );
  }
  return without.length > 0 ? EXIT.studyError : EXIT.ok;
};

/** One line of `parzen studies`: a study of the store, its trials by state and its best loss. */
interface StudyLine {
  readonly study: string;
  readonly direction: StudyRecord['direction'];
  readonly seed: number;
  /** Its suggester: its name, profile and the settings off the profile; undefined when the study recorded none. */
  readonly suggester: SuggesterWords | undefined;
  readonly trials: number;
  readonly complete: number;
  readonly pruned: number;
  readonly failed: number;
  readonly running: number;
  /** Of the running trials, those whose worker is gone (a run marks them failed, STALE_TRIAL). */
  readonly workerGone: number;
  readonly best: { readonly number: number; readonly loss: number } | undefined;
  readonly createdAt: string;
  /** The Parzen version that created the study; undefined for one created before stores kept it. */
  readonly parzenVersion: string | undefined;
}

const withoutStudy = ({ study: _, ...flags }: InspectFlags): InspectFlags => flags;

/**
 * `parzen studies [config]`: every study the store holds (the config's store, each store of a matrix, or
 * `--store SPEC`), a line each: name, direction, suggester, trials by state, best loss, creation time.
 * Read-only, as `trials` is.
 */
export const listStoreStudies = async (path: string | undefined, flags: InspectFlags, output: Output) =>
  forConfig(path, async () => {
    // Imported here: its words for TPE's settings import TPE, which `trials` and `best` need not load.
    const { suggesterLabel, suggesterWords } = await import('../suggester-label.js');
    const targets = await inspectTargets(path, withoutStudy(flags), { note: (line) => output.note(line) });
    const lines: StudyLine[] = [];
    const seen = new Set<string>();
    // Not a worker itself, this process owns no lease: any lease whose process is dead or lapsed is gone.
    const now = new Date();
    // A matrix with a store file per study, some not run yet: the others are listed, as `trials` lists them
    // (trial 64: one missing file failed the whole listing).
    const notRun: { study: string; error: unknown }[] = [];
    const keyOf = (target: InspectTarget) => storeKey(target.store, target.study, target.baseDir);
    for (const target of targets) {
      const key = keyOf(target);
      if (seen.has(key)) continue;
      seen.add(key);
      const store = await openTargetStore(target).catch(async (error: unknown) => {
        throw await missingOfTarget(error, { ...target, study: undefined });
      });
      try {
        let studies: readonly StudyRecord[] | undefined;
        try {
          studies = await store.listStudies?.();
        } catch (error) {
          if (targets.length > 1 && error instanceof ParzenError && error.code === 'STUDY_NOT_FOUND') {
            // Every study kept in that store (a matrix without a store keeps all of them in one journal).
            for (const other of targets) if (keyOf(other) === key) notRun.push({ study: other.study ?? '?', error });
            continue;
          }
          throw await missingOfTarget(
            target.storeFlag === undefined ? error : blameStoreFlag(error, target.storeFlag),
            { ...target, study: undefined },
          );
        }
        if (studies === undefined) throw storeUnsupported(target.store.use, 'list its studies', 'listStudies', true);
        for (const record of studies) {
          // Counts and the best loss only: no space to compile (one study's bad stored space must not stop the list).
          const trials = await store.listTrials(record.name);
          // Trials no run stores, said as `best` says them (review 98: a forged best of -Infinity was listed unsaid),
          // unless the stored space does not compile (said by the commands that read that study).
          const space = (() => {
            try {
              return compileSpace(record.space, '', { stored: true });
            } catch {
              return undefined;
            }
          })();
          if (space !== undefined) noteStoredTrials(output, record.name, space, trials);
          const count = (state: Trial['state']) => trials.filter((trial) => trial.state === state).length;
          const best = bestTrial(trials, record.direction);
          lines.push({
            study: record.name,
            direction: record.direction,
            seed: record.seed,
            suggester: record.suggester === undefined ? undefined : suggesterWords(record.suggester),
            trials: trials.length,
            complete: count('complete'),
            pruned: count('pruned'),
            failed: count('failed'),
            running: count('running'),
            // Running trials whose worker is gone, as `trials` says them (trial 117: `running 1` and no more).
            workerGone: workerGoneCount(trials, now),
            best: best === undefined ? undefined : { number: best.number, loss: best.loss },
            createdAt: record.createdAt,
            parzenVersion: record.parzenVersion,
          });
        }
      } finally {
        await cleanUpQuietly(() => store.close(), `the \`${target.store.use}\` store could not be closed`);
      }
    }
    // What a matrix config's studies are: each listed study's matrix values (`--json`), and what their labels stand
    // for (a digest such as `tpe-1985c9` that says nothing of its profile), as `run`'s comparison says it.
    const variants = targets.flatMap((target) => (target.variant === undefined ? [] : [target.variant]));
    const valuesOf = new Map(variants.map((variant) => [variant.study, variant.values]));
    const legend = studyNameLegend(variants.filter((variant) => lines.some((line) => line.study === variant.study)));
    const notRunNames = notRun.map(({ study }) => study);
    const shownNames = listNames(notRunNames, NOT_RUN_SHOWN);
    if (lines.length === 0 && notRun.length > 0)
      throw new ParzenError(
        'STUDY_NOT_FOUND',
        `None of the matrix's ${targets.length} studies has run yet (${shownNames}): \`${commandOf('run', path ?? 'CONFIG', flags.store === undefined ? {} : { store: flags.store }).command}\` runs them.`,
      );
    if (notRun.length > 0)
      output.note(notRunNote(notRunNames, targets.length, 'listing the others.', { shown: shownNames }));
    // The words of `run --json`: `trials` the counts by state, `best` the best trial's number and loss (no
    // params: they would need each study's space compiled). `best` and `suggester` are null, never left
    // out, when there is none (trial 36: a script's d['best'] failed).
    if (flags.json === true)
      output.result(
        JSON.stringify(
          lines.map((line) => ({
            study: line.study,
            direction: line.direction,
            // The seed its trials draw from (trial 58: no --json output gave it, for a script to rerun a study).
            seed: line.seed,
            suggester: line.suggester?.name ?? null,
            // Its profile, as the table shows it (review 109: scripts saw `tpe` for every profile).
            profile: line.suggester?.profile ?? null,
            // What tells a matrix's variants of one profile apart (a user trial: `grouping joint` read `tpe (parzen)`).
            ...(line.suggester === undefined || Object.keys(line.suggester.offProfile).length === 0
              ? {}
              : { offProfile: line.suggester.offProfile }),
            trials: {
              complete: line.complete,
              pruned: line.pruned,
              failed: line.failed,
              running: line.running,
              ...(line.workerGone === 0 ? {} : { workerGone: line.workerGone }),
            },
            best: line.best ?? null,
            createdAt: line.createdAt,
            // The Parzen version that created it ("unknown": its store kept none), to tell builds apart.
            parzenVersion: line.parzenVersion ?? 'unknown',
            // Given a matrix config: what its matrix set for the study (null: a study the matrix does not name).
            ...(variants.length === 0 ? {} : { values: valuesOf.get(line.study) ?? null }),
          })),
        ),
      );
    else if (lines.length === 0)
      // Review 180: "yet" of a memory store, which a run leaves with nothing.
      output.result(
        targets.every((target) => storeKeepsNothing(target.store))
          ? 'The store holds no study: a memory store keeps nothing after its run.'
          : 'The store holds no study yet.',
      );
    else {
      output.result(formatStudyLines(lines, suggesterLabel));
      if (legend.length > 0) output.result(legendText(legend));
    }
    return 0;
  });

const formatStudyLines = (lines: readonly StudyLine[], suggesterLabel: (words: SuggesterWords) => string): string =>
  formatTable(
    ['study', 'direction', 'suggester', 'trials', 'complete', 'pruned', 'failed', 'running', 'best loss', 'created'],
    lines.map((line) => [
      line.study,
      line.direction,
      // With its profile (trial 105: three TPE profiles compared read `tpe` alike), and the settings that differ
      // from the profile's (a user trial: grouping joint, independent and constantLiar false all read `tpe (parzen)`).
      line.suggester === undefined ? '' : suggesterLabel(line.suggester),
      String(line.trials),
      String(line.complete),
      String(line.pruned),
      String(line.failed),
      line.workerGone === 0
        ? String(line.running)
        : `${line.running} (${line.workerGone === line.running ? (line.running === 1 ? 'its' : 'all with their') : line.workerGone === 1 ? '1 with its' : `${line.workerGone} with their`} worker gone)`,
      line.best === undefined ? '' : formatNumber(line.best.loss),
      line.createdAt,
    ]),
    new Set([3, 4, 5, 6, 7, 8]),
  );
