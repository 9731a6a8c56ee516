/**
 * @packageDocumentation
 * `@parzen/engine/version`: the version of the engine a program runs ({@link PARZEN_VERSION}), as `parzen
 * --version` prints it and studies record it. Loads nothing but `node:fs`.
 * @module @parzen/engine/version
 */
import { readFileSync } from 'node:fs';

const versionIn = (file: string, name?: string): string | undefined => {
  try {
    const json = JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as {
      version?: unknown;
      name?: unknown;
    };
    // The package.json beside a bundle is the program's, not the engine's (review 148: an app's 7.7.7 was recorded).
    if (name !== undefined && json.name !== name) return undefined;
    return typeof json.version === 'string' && json.version !== '' ? json.version : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The version of this Parzen build: the `@parzen/engine` package's version, plus the git commit it was built
 * from when built from a git checkout (`0.1.0+6a34edef`, written at build time into `dist/build-version.json`).
 * A study records the version that created it, so that a run by another build can say its suggestions may
 * differ; `parzen --version` prints it. Loads nothing but `node:fs`.
 */
export const PARZEN_VERSION: string =
  // src/ and dist/ are both one folder below the package's root, beside each other.
  versionIn('../dist/build-version.json') ?? versionIn('../package.json', '@parzen/engine') ?? 'unknown';
