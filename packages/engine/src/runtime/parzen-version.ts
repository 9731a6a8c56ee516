import { readFileSync } from 'node:fs';
import type { StudyRecord } from '../domain/study.js';
import type { DrawnUnder } from '../domain/trial.js';

/**
 * The version of this engine package (`@parzen/engine`), read from its package.json: a study records the
 * version that created it, so a later run by another version can say its suggestions may differ. "unknown"
 * when the file cannot be read (a bundled copy of the engine without it).
 */
export const PARZEN_VERSION: string = (() => {
  try {
    // src/runtime/ and dist/runtime/ are both two folders below the package's root.
    const json = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof json.version === 'string' ? json.version : 'unknown';
  } catch {
    return 'unknown';
  }
})();

/**
 * What a run of `study` with `seed` draws its trials under, where it is not the study's (see
 * `TrialBase.drawnUnder`): another seed, or another Parzen version than the one that created the study (or
 * any, when the study records none). Undefined when both are the study's.
 */
export const drawnUnderOf = (study: StudyRecord, seed: number): DrawnUnder | undefined => {
  const other = seed !== study.seed;
  const newer = study.parzenVersion !== PARZEN_VERSION;
  if (!other && !newer) return undefined;
  return { ...(other ? { seed } : {}), ...(newer ? { parzenVersion: PARZEN_VERSION } : {}) };
};
