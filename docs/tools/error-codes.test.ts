/**
 * Every stable error code (the engine's `ErrorCode` union and the CLI's own codes) is in the CLI README's
 * "Error codes" table, which `--json` users branch on (review 27: no doc listed them).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

it('lists every error code in the CLI README', () => {
  const union = /export type ErrorCode =([^;]*);/.exec(read('packages/engine/src/errors.ts'))?.[1] ?? '';
  const engineCodes = [...union.matchAll(/'([A-Z_]+)'/g)].map((match) => match[1]);
  const cliCodes = [...read('packages/cli/src/exit-codes.ts').matchAll(/code = '([A-Z_]+)'/g)].map((m) => m[1]);
  const outputCodes = [...read('packages/cli/src/output-file.ts').matchAll(/EXIT\.studyError, '([A-Z_]+)'/g)].map(
    (m) => m[1],
  );
  const codes = [...engineCodes, ...cliCodes, ...outputCodes];
  expect(engineCodes.length).toBeGreaterThan(20);
  expect(cliCodes).toContain('CLI_INPUT');
  expect(outputCodes).toContain('OUTPUT_FAILED');
  const readme = read('packages/cli/README.md');
  const table = readme.slice(readme.indexOf('### Error codes'), readme.indexOf('## The config'));
  expect(codes.filter((code) => !table.includes(`\`${code}\``))).toEqual([]);
});
