/** `pnpm docs:reference`: rewrites docs/config-reference.md and docs/cli-reference.md. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderReferences } from './reference.js';

const docs = fileURLToPath(new URL('..', import.meta.url));
for (const { file, content } of await renderReferences()) {
  writeFileSync(join(docs, file), content);
  process.stdout.write(`wrote docs/${file}\n`);
}
