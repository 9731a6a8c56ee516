/**
 * Every stable error code (the engine's `ErrorCode` union and the CLI's own codes) is in the CLI README's
 * "Error codes" table, which `--json` users branch on (review 27: no doc listed them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

it('lists every error code in the CLI README', () => {
  const union = /export type ErrorCode =([^;]*);/.exec(read('packages/engine/src/errors.ts'))?.[1] ?? '';
  const engineCodes = [...union.matchAll(/'([A-Z_]+)'/g)].map((match) => match[1]);
  // The CLI's own: CliError's default, every `new CliError(message, exit, 'CODE')`, and the catch-all.
  const cliSources = readdirSync(join(root, 'packages/cli/src'), { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => read(join('packages/cli/src', file)))
    .join('\n');
  const cliCodes = [
    ...cliSources.matchAll(/code = '([A-Z_]+)'/g),
    ...cliSources.matchAll(/new CliError\([^;]*?, (?:EXIT\.\w+|\d), '([A-Z_]+)'\)/g),
    ...cliSources.matchAll(/: '(UNEXPECTED)'/g),
  ].map((match) => match[1]);
  const codes = [...new Set([...engineCodes, ...cliCodes])];
  expect(engineCodes.length).toBeGreaterThan(20);
  expect(cliCodes).toEqual(expect.arrayContaining(['CLI_INPUT', 'OUTPUT_FAILED', 'STUDY_RUN_TWICE', 'UNEXPECTED']));
  const readme = read('packages/cli/README.md');
  const table = readme.slice(readme.indexOf('### Error codes'), readme.indexOf('## The config'));
  expect(codes.filter((code) => !table.includes(`\`${code}\``))).toEqual([]);
});

it("lists every trial error code in the concepts page's table (trial 48: two were missing)", () => {
  const union = /export type TrialErrorCode =([^;]*);/.exec(read('packages/engine/src/domain/trial.ts'))?.[1] ?? '';
  const codes = [...union.matchAll(/'([A-Z_]+)'/g)].map((match) => match[1]);
  expect(codes).toEqual(expect.arrayContaining(['REPORT_FAILED', 'STORE_SALVAGED', 'STALE_TRIAL']));
  const concepts = read('docs/concepts.md');
  const table = concepts.slice(concepts.indexOf("A failed trial's `error.code`"), concepts.indexOf('A **study**'));
  expect(codes.filter((code) => !table.includes(`\`${code}\``))).toEqual([]);
});
