import { readFileSync } from 'node:fs';

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
