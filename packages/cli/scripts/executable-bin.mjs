// Makes the package's `bin` files executable after `tsc -b`, which writes them as plain files (mode 644): a
// `dist/main.js` symlinked onto PATH (or run as `./packages/cli/dist/main.js`) then ran as a command, not exit 126.
// Run by `pnpm build` (the workspace's and this package's); `node executable-bin.mjs FILE...` makes those files
// executable instead. Each one's read bits become its execute bits too (644 gives 755), as `chmod +x` does.
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { bin } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : Object.values(typeof bin === 'string' ? { bin } : bin).map((file) => resolve(root, file));
for (const file of files) {
  const { mode } = statSync(file);
  // The execute bits of whoever may read it (0o444 >> 2 is 0o111).
  chmodSync(file, (mode & 0o7777) | ((mode & 0o444) >> 2));
}
