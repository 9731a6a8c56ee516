import { type LoadedExperiment, openStoreForReading, ParzenError, type PluginChoice, type Trial } from '@parzen/engine';
import { cleanUpQuietly, withCleanup } from '@parzen/engine/host';
import {
  type CompiledSpace,
  canonicalJson,
  type EnqueuedParams,
  type StudyRecord,
  storedTrialsNote,
  type TakenEntry,
  type TrialStore,
} from '@parzen/engine/plugin';
import { type AskedBy, missingOfExperiment } from './missing-study.js';
import type { Output } from './output.js';

/**
 * Which opened store reads a study: its store choice and the config's folder (relative paths resolve
 * there), and the study's name when the choice names no file or URL (such a store keeps each study in a
 * file named after it: `{"use": "jsonl"}` in a matrix). Commands that read several studies open each
 * store once by this key.
 */
export const storeKey = (store: PluginChoice, study: string | undefined, baseDir: string): string => {
  const located = store.options?.path !== undefined || store.options?.url !== undefined;
  return canonicalJson(located ? { store, baseDir } : { store, study, baseDir });
};

/**
 * Stores opened for reading by a command that reads several studies, each once by its {@link storeKey}
 * (a matrix's studies often share one journal: reading it per study read it again for each).
 */
export const openedStores = () => {
  const opened = new Map<string, TrialStore>();
  return {
    /** The store of `key`, opened by `open` the first time. */
    async get(key: string, open: () => Promise<TrialStore>): Promise<TrialStore> {
      let store = opened.get(key);
      if (store === undefined) {
        store = await open();
        opened.set(key, store);
      }
      return store;
    },
    /** Closes every store opened. */
    async close(): Promise<void> {
      for (const store of opened.values())
        await cleanUpQuietly(() => store.close(), `the \`${store.name}\` store could not be closed`);
    },
  };
};

/**
 * The warning that a config now says another direction than its study was created with:
 * `consequence` says what the command does about it.
 */
export const directionChangedNote = (
  study: string,
  stored: string,
  configPath: string,
  now: string,
  consequence: string,
): string => `parzen: warning: study ${study} was created to ${stored}; ${configPath} says ${now} now. ${consequence}`;

/** A study as its store keeps it, its trials, and (when asked for) the enqueued entries waiting and taken. */
interface StudyRead {
  readonly study: StudyRecord;
  readonly trials: readonly Trial[];
  readonly waiting?: readonly EnqueuedParams[] | undefined;
  /** The enqueued entry each trial ran (asked for with the waiting ones), when the store lists them. */
  readonly taken?: readonly TakenEntry[] | undefined;
  /** The entries taken out of the queue (asked for with the waiting ones), when the store lists them. */
  readonly removed?: readonly EnqueuedParams[] | undefined;
}

/** The study of `experiment` as `store` keeps it, and its trials; one not there said as {@link StudyMissing} says it. */
const readStudy = async (
  store: TrialStore,
  experiment: LoadedExperiment,
  withWaiting: boolean,
  by: AskedBy | undefined,
): Promise<StudyRead> => {
  const { config } = experiment;
  try {
    const study = await store.getStudy(config.name);
    const trials = await store.listTrials(config.name);
    if (!withWaiting) return { study, trials };
    const waiting = await store.listEnqueued?.(config.name);
    const taken = await store.listTakenEntries?.(config.name);
    return { study, trials, waiting, taken, removed: await store.listRemovedEntries?.(config.name) };
  } catch (error) {
    throw await missingOfExperiment(error, experiment, by, store);
  }
};

/**
 * What `read` gives for each experiment's study, each store opened once. A study the store does not have is
 * `STUDY_NOT_FOUND` in its place. `everyError`: any error, a store that cannot be opened included, is put in
 * its experiment's place (a check that reads many stores, which one bad store must not stop); else the first
 * other error, or a store that cannot be opened (a journal file not there: "check the store's path", review
 * 79), is thrown.
 */
const readEach = async <T>(
  experiments: readonly LoadedExperiment[],
  read: (store: TrialStore, experiment: LoadedExperiment, by: AskedBy | undefined) => Promise<T>,
  everyError: boolean,
  /** The config each experiment was asked for by, in the order of `experiments` (none: not said). */
  by: readonly (AskedBy | undefined)[] = [],
): Promise<Read<T>[]> => {
  const stores = openedStores();
  try {
    const found: Read<T>[] = [];
    for (const [at, experiment] of experiments.entries()) {
      const { config } = experiment;
      // A store file not there yet is the study not there (the store's STUDY_NOT_FOUND), said as one.
      const open = () =>
        stores
          .get(storeKey(config.store, config.name, experiment.baseDir), () => openStoreForReading(experiment))
          .catch(async (error: unknown) => {
            throw await missingOfExperiment(error, experiment, by[at]);
          });
      try {
        found.push({ value: await read(everyError ? await open() : await open().catch(rethrow), experiment, by[at]) });
      } catch (error) {
        if (error instanceof OpenFailed) throw error.cause;
        if (!everyError && !(error instanceof ParzenError && error.code === 'STUDY_NOT_FOUND')) throw error;
        found.push({ error });
      }
    }
    return found;
  } finally {
    await stores.close();
  }
};

/** What {@link readEach} found for one study: its value, or the error in its place. */
export type Read<T> = { readonly value: T; readonly error?: undefined } | { readonly error: unknown };

/** A store that could not be opened, thrown past `readEach`'s per-study catch. */
class OpenFailed extends Error {}
const rethrow = (error: unknown): never => {
  throw new OpenFailed('the store could not be opened', { cause: error });
};

/**
 * The trials of each experiment's study, each store opened once. A study its store does not have is
 * `STUDY_NOT_FOUND` in its place; a store that cannot be opened is thrown.
 */
export const readStudiesTrials = (
  experiments: readonly LoadedExperiment[],
  by?: readonly (AskedBy | undefined)[],
): Promise<({ readonly study: StudyRecord; readonly trials: readonly Trial[] } | ParzenError)[]> =>
  readEach(experiments, (store, experiment, asked) => readStudy(store, experiment, false, asked), false, by).then(
    (reads) => reads.map((read) => ('value' in read ? read.value : (read.error as ParzenError))),
  );

/**
 * Each experiment's study as its store keeps it (not its trials), each store opened once; in the place of one
 * that cannot be read, the error: `STUDY_NOT_FOUND` for a study not made yet (a store file not made yet
 * included), or why its store cannot be read (that store's studies only: the others are read).
 */
export const readStudyRecords = (
  experiments: readonly LoadedExperiment[],
  by?: readonly (AskedBy | undefined)[],
): Promise<Read<StudyRecord>[]> =>
  readEach(
    experiments,
    async (store, experiment, asked) => {
      try {
        return await store.getStudy(experiment.config.name);
      } catch (error) {
        throw await missingOfExperiment(error, experiment, asked, store);
      }
    },
    true,
    by,
  );

/** {@link readStudyRecords} with each study's trials too (and, for a config that enqueues, its entries). */
export const readStudiesHeld = (experiments: readonly LoadedExperiment[]): Promise<Read<StudyRead>[]> =>
  // The entries waiting and taken too (validate says how many of the config's already ran, and those waiting that
  // it no longer lists: trial 119).
  readEach(experiments, (store, experiment, by) => readStudy(store, experiment, true, by), true);

/**
 * Reads a study's trials from its store without running anything, creating or writing anything (the
 * store is opened read-only). Throws `STUDY_NOT_FOUND` when the store has no such study (a `memory`
 * store never has one: it lives only while a run does).
 */
export const openStudyTrials = async (experiment: LoadedExperiment): Promise<readonly Trial[]> =>
  (await openStudyRecord(experiment)).trials;

/**
 * The study as its store keeps it, and its trials (read-only; the same errors as {@link openStudyTrials});
 * with `withWaiting`, the enqueued entries waiting too (undefined when the store keeps no queue).
 */
export const openStudyRecord = async (
  experiment: LoadedExperiment,
  withWaiting = false,
  /** Another choice of store than the config's (the config's with `salvage`, say). */
  choice?: PluginChoice,
  /** The config the study was asked for by, to say the run that starts a study not there. */
  by?: AskedBy,
): Promise<StudyRead> => {
  const store = await openStoreForReading(experiment, choice).catch(async (error: unknown) => {
    throw await missingOfExperiment(error, experiment, by);
  });
  // A close that fails is warned of; it never replaces what was read, or the error reading it.
  return withCleanup(
    () => readStudy(store, experiment, withWaiting, by),
    () => store.close(),
    `the \`${experiment.config.store.use}\` store could not be closed`,
  );
};

/**
 * For a `.catch` of a read by `--study`: undefined when the store does not hold the study, so the caller says
 * what the config names; a store's own failure (locked, damaged, unreachable) is thrown, said as it is
 * (not swallowed into "the config names ...").
 */
export const studyNotHeld = (error: unknown): undefined => {
  if (error instanceof ParzenError && error.code === 'STUDY_NOT_FOUND') return undefined;
  throw error;
};

/**
 * Warns that the study holds trials no run stores, shown as they are by a read-only command (a forged
 * journal line would otherwise show a best of -Infinity without a word); `run` and `resume` refuse such a study.
 */
export const noteStoredTrials = (
  output: Output,
  study: string,
  space: CompiledSpace,
  trials: readonly Trial[],
): void => {
  const note = storedTrialsNote(study, space, trials);
  if (note !== undefined) output.note(`parzen: warning: ${note}`);
};
