import { type ConfigFile, type LoadedExperiment, ParzenError, type StudyRecord, type Trial } from '@parzen/engine';
import { checkSameStudyWithDeletion, type SpaceMismatchDeletion, studyCommand } from '@parzen/engine/host';
import { openStudyRecord } from './study-trials.js';

/** The deletion a space mismatch names: the command for the config's study, and how many trials with a loss it has. */
export const studyDeletion = (file: ConfigFile, trials: readonly Trial[]): SpaceMismatchDeletion => ({
  command: `${studyCommand('delete', file)} --yes`,
  completeTrials: trials.filter((trial) => trial.state === 'complete').length,
  prunedTrials: trials.filter((trial) => trial.state === 'pruned').length,
});

/**
 * The store's `STUDY_MISMATCH` for another search space, said again with the `parzen delete` command for the
 * config's study: first when the study has no complete trial (a space typo failed them all), else after the
 * recipe that carries trials over. Any other error, or a study that cannot be read now, is returned as it was.
 */
export const withStudyDeletion = async (
  error: unknown,
  experiment: LoadedExperiment,
  file: ConfigFile,
): Promise<unknown> => {
  if (!(error instanceof ParzenError) || error.code !== 'STUDY_MISMATCH') return error;
  let held: { readonly study: StudyRecord; readonly trials: readonly Trial[] };
  try {
    held = await openStudyRecord(experiment);
  } catch {
    return error;
  }
  const { name, direction, space, seed } = experiment.config;
  try {
    checkSameStudyWithDeletion(held.study, { name, direction, space, seed }, studyDeletion(file, held.trials));
  } catch (amended) {
    // The same refusal (another direction is worded as before): its message with the deletion.
    if (amended instanceof ParzenError && amended.code === 'STUDY_MISMATCH') return amended;
  }
  return error;
};
