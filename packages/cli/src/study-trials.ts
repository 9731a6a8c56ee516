import { type LoadedExperiment, openStoreForReading, ParzenError, type Trial } from '@parzen/engine';
import type { StudyRecord } from '@parzen/engine/plugin';

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
