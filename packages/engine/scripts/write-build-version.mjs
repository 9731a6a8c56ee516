// Writes the version of this build, the package's version plus the git commit it was built from
// (`0.1.0+6a34edef`), or the package's version alone outside a git checkout: as a constant into
// `dist/version-build.js` (replacing tsc's output of src/version-build.ts, so that a bundler inlines it), and into
// `dist/build-version.json` (which the engine run from source reads). A study records it (see src/version.ts), so it
// tells two builds apart where the package's version does not.
// Run by bundle-vendor.mjs (so by `pnpm build`), after `tsc -b`; `node write-build-version.mjs FILE` writes the JSON
// into FILE and the module beside it (FILE with `.js` for `.json`) instead.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
let commit = '';
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
} catch {
  // Not a git checkout (a source tarball, a packed package), or no git: the package's version alone.
}
const file = process.argv[2] ?? `${root}dist/build-version.json`;
mkdirSync(dirname(file), { recursive: true });
// Always 8 digits (`--short=8` gives more where 8 are ambiguous in a clone: one commit, two versions).
const build = /^[0-9a-f]{40,64}$/.test(commit) ? `${version}+${commit.slice(0, 8)}` : version;
writeFileSync(file, `${JSON.stringify({ version: build })}\n`);
const module = process.argv[2] === undefined ? `${root}dist/version-build.js` : file.replace(/(\.json)?$/, '.js');
writeFileSync(
  module,
  `// Written by @parzen/engine/scripts/write-build-version.mjs: this build's version (see src/version-build.ts).\nexport const BUILD_VERSION = ${JSON.stringify(build)};\n`,
);
// tsc's source map describes the module it replaces.
rmSync(`${module}.map`, { force: true });
