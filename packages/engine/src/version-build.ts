import { readFileSync } from 'node:fs';
import { UNKNOWN_VERSION } from './version-unknown.js';

// This build's version, for src/version.ts. The build (scripts/write-build-version.mjs) replaces this module's
// output, dist/version-build.js, with the version as a constant, which a bundler inlines: read from files beside the
// module at run time, a bundled Parzen's version was "unknown" (a bundle has no such files beside it, and a CommonJS
// bundle no import.meta.url). Run from source (or built by `tsc -b` alone) it reads what the build last wrote,
// dist/build-version.json, else the package's version.

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

/** The version of this build (see `PARZEN_VERSION`), or `unknown`. */
export const BUILD_VERSION: string =
  // src/ and dist/ are both one folder below the package's root, beside each other.
  versionIn('../dist/build-version.json') ?? versionIn('../package.json', '@parzen/engine') ?? UNKNOWN_VERSION;
