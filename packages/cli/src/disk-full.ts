import { type LoadedExperiment, ParzenError } from '@parzen/engine';
import { countOf } from '@parzen/engine/host';
import { openStudyRecord } from './study-trials.js';

/** Error codes of a write that found no room: the file system's, and SQLite's. */
const NO_ROOM = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'SQLITE_FULL']);

/**
 * The code of the write that found no room in `error` (or an error it was caused by): a full disk, a quota, a size
 * limit; undefined for any other error.
 */
export const noRoomCode = (error: unknown): string | undefined => {
  for (let at: unknown = error, depth = 0; at instanceof Error && depth < 5; at = at.cause, depth += 1) {
    const code = String((at as { code?: unknown }).code);
    if (NO_ROOM.has(code)) return code;
  }
  return undefined;
};

/** How to make room, by the code of the write that found none. */
const MAKE_ROOM: Readonly<Record<string, string>> = {
  EDQUOT: 'free space under your disk quota',
  EFBIG: 'raise the file size limit (`ulimit -f`)',
};

/**
 * A run's store error that found no room, with what it left (its study's finished trials, read back from the store)
 * and what to do: make room, then run again, which resumes. Any other error is returned as it is.
 */
export const saidWithTrialsKept = async (error: unknown, experiment: LoadedExperiment): Promise<unknown> => {
  const code = noRoomCode(error);
  if (!(error instanceof ParzenError) || code === undefined) return error;
  let kept: string;
  try {
    const { trials } = await openStudyRecord(experiment);
    const finished = trials.filter((trial) => trial.state !== 'running').length;
    kept = `Study ${experiment.config.name} has ${countOf(finished, 'finished trial')} in its store, safe`;
  } catch {
    kept = `The trials of study ${experiment.config.name} that finished are safe in its store`;
  }
  const advice = `${kept}: ${MAKE_ROOM[code] ?? 'free disk space'}, then run the same command again to resume.`;
  return new ParzenError(error.code, `${error.message.replace(/\.?$/, '.')} ${advice}`, {
    cause: error,
    advice,
    ...(error.plugin === undefined ? {} : { plugin: error.plugin }),
  });
};
