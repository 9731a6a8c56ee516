// Writes `dist/build-version.json`: the version of this build, the package's version plus the git commit it
// was built from (`0.1.0+6a34edef`), or the package's version alone outside a git checkout. A study records it
// (see src/version.ts), so it tells two builds apart where the package's version does not.
// Run by bundle-vendor.mjs (so by `pnpm build`); `node write-build-version.mjs FILE` writes FILE instead.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
let commit = '';
try {
  commit = execFileSync('git', ['rev-parse', '--short=8', 'HEAD'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
} catch {
  // Not a git checkout (a source tarball, a packed package), or no git: the package's version alone.
}
const file = process.argv[2] ?? `${root}dist/build-version.json`;
mkdirSync(dirname(file), { recursive: true });
const build = /^[0-9a-f]{4,40}$/.test(commit) ? `${version}+${commit}` : version;
writeFileSync(file, `${JSON.stringify({ version: build })}\n`);
