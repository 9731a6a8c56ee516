import { type LoadedExperiment, openStoreForReading, ParzenError, type PluginChoice, type Trial } from '@parzen/engine';
import { canonicalJson, type StudyRecord, type TrialStore } from '@parzen/engine/plugin';

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
 * The trials of each experiment's study, each store opened once (a matrix's studies often share one
 * journal: reading it per study read it again for each). A study its store does not have is
 * `STUDY_NOT_FOUND` in its place.
 */
export const readStudiesTrials = async (
  experiments: readonly LoadedExperiment[],
): Promise<(readonly Trial[] | ParzenError)[]> => {
  const opened = new Map<string, TrialStore>();
  try {
    const found: (readonly Trial[] | ParzenError)[] = [];
    for (const experiment of experiments) {
      const { config } = experiment;
      const key = storeKey(config.store, config.name, experiment.baseDir);
      let store = opened.get(key);
      if (store === undefined) {
        store = await openStoreForReading(experiment);
        opened.set(key, store);
      }
      try {
        await store.getStudy(config.name);
        found.push(await store.listTrials(config.name));
      } catch (error) {
        if (!(error instanceof ParzenError && error.code === 'STUDY_NOT_FOUND')) throw error;
        found.push(memoryHint(error, config.store.use) as ParzenError);
      }
    }
    return found;
  } finally {
    for (const store of opened.values()) await store.close();
  }
};

/**
 * Reads a study's trials from its store without running anything, creating or writing anything (the
 * store is opened read-only). Throws `STUDY_NOT_FOUND` when the store has no such study (a `memory`
 * store never has one: it lives only while a run does).
 */
export const openStudyTrials = async (experiment: LoadedExperiment): Promise<readonly Trial[]> =>
  (await openStudyRecord(experiment)).trials;

/** The study as its store keeps it, and its trials (read-only; the same errors as {@link openStudyTrials}). */
export const openStudyRecord = async (
  experiment: LoadedExperiment,
): Promise<{ readonly study: StudyRecord; readonly trials: readonly Trial[] }> => {
  const { config } = experiment;
  const store = await openStoreForReading(experiment);
  try {
    const study = await store.getStudy(config.name);
    return { study, trials: await store.listTrials(config.name) };
  } catch (error) {
    throw memoryHint(error, config.store.use);
  } finally {
    await store.close();
  }
};

/** A `STUDY_NOT_FOUND` from a `memory` store says why: it keeps nothing after its run. */
export const memoryHint = (error: unknown, store: string): unknown =>
  error instanceof ParzenError && error.code === 'STUDY_NOT_FOUND' && store === 'memory'
    ? new ParzenError(
        'STUDY_NOT_FOUND',
        `${error.message} (A \`memory\` store keeps nothing after its run; use jsonl or sqlite.)`,
      )
    : error;
