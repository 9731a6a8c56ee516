import { type LoadedExperiment, openStudyScope, ParzenError, type Trial } from '@parzen/engine';

/**
 * Reads a study's trials from its store without running anything. Throws `STUDY_NOT_FOUND` when the
 * store has no such study (a `memory` store never has one: it lives only while a run does).
 */
export const openStudyTrials = async (experiment: LoadedExperiment): Promise<readonly Trial[]> => {
  const { config } = experiment;
  const store = await (await openStudyScope(experiment)).create('store', config.store);
  try {
    await store.getStudy(config.name);
    return await store.listTrials(config.name);
  } catch (error) {
    if (error instanceof ParzenError && error.code === 'STUDY_NOT_FOUND' && config.store.use === 'memory') {
      throw new ParzenError(
        'STUDY_NOT_FOUND',
        `${error.message} (A \`memory\` store keeps nothing after its run; use jsonl or sqlite.)`,
      );
    }
    throw error;
  } finally {
    await store.close();
  }
};
