import { isAbsolute, resolve } from 'node:path';
import type { ConfigIssue } from '../errors.js';

/** Resolves a path from a config against the config's folder. */
export const resolveConfigPath = (baseDir: string, path: string): string =>
  isAbsolute(path) ? path : resolve(baseDir, path);

/**
 * The most bytes a store's file named after its study may have: 255, a file name's limit on common file
 * systems, less room for the names made beside it (a journal's `.lock.<host>.<pid>.<n>.draft`, 89 bytes
 * with a host name of 64: review 72, 180 left too little for a long host name; a database's `-journal`).
 */
export const STUDY_FILE_NAME_BYTES = 160;

/**
 * For a store's `check()` (see `PluginManifest.check`): an issue at the config's `/name` when the file the
 * store names after the study (`fileName`, e.g. `<name>.parzen.jsonl`) would be too long for the file
 * system (trial 68: a 250-character name passed validate, and run failed with ENAMETOOLONG).
 */
export const studyFileNameIssues = (fileName: string, study: string): readonly ConfigIssue[] => {
  const bytes = Buffer.byteLength(fileName);
  if (bytes <= STUDY_FILE_NAME_BYTES) return [];
  const room = STUDY_FILE_NAME_BYTES - (bytes - Buffer.byteLength(study));
  return [
    {
      pointer: '/name',
      expected: `a study name of at most ${room} characters for a store that keeps the study in a file named after it (${fileName.slice(study.length)}), or a "path" for the store`,
      found: `${Buffer.byteLength(study)} characters`,
      absolute: true,
    },
  ];
};
