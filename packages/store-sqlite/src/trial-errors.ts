import { ParzenError } from '@parzen/engine';

/** `STUDY_NOT_FOUND`, worded as the engine's memory store words it. */
export const studyNotFound = (study: string): ParzenError =>
  new ParzenError('STUDY_NOT_FOUND', `The store has no study named \`${study}\`. Run it first.`);

/** `TRIAL_NOT_FOUND` for a trial number the study never allocated. */
export const trialNotFound = (study: string, number: number): ParzenError =>
  new ParzenError('TRIAL_NOT_FOUND', `Study \`${study}\` has no trial #${number}.`);

/** `TRIAL_ALREADY_FINISHED`: finished trials are immutable. */
export const trialAlreadyFinished = (study: string, number: number): ParzenError =>
  new ParzenError('TRIAL_ALREADY_FINISHED', `Trial #${number} of study \`${study}\` has already finished.`);
