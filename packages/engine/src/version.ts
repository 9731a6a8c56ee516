/**
 * @packageDocumentation
 * `@parzen/engine/version`: the version of the engine a program runs ({@link PARZEN_VERSION}), as `parzen
 * --version` prints it and studies record it. Loads nothing (built; run from source, it reads the version from
 * files with `node:fs`).
 * @module @parzen/engine/version
 */
import { BUILD_VERSION } from './version-build.js';

/**
 * The version of this Parzen build: the `@parzen/engine` package's version, plus the git commit it was built
 * from when built from a git checkout (`0.1.0+6a34edef`, written at build time into the built code, so that a
 * bundle keeps it). A study records the version that created it, so that a run by another build can say its
 * suggestions may differ; `parzen --version` prints it. `unknown` where no version could be found (source
 * without its package.json).
 */
export const PARZEN_VERSION: string = BUILD_VERSION;
