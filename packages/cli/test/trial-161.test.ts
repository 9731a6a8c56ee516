// What a user trial of a shared PostgreSQL store found wrong or confusing (trial 161); the store's own findings are
// tested in packages/store-postgres/test.

import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cliPath,
  heartModule,
  journalHeartConfig,
  lastJsonLine,
  requireBuiltCli,
  runParzen,
  tempDir,
  writeIn,
} from './cli-harness.js';

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = tempDir('parzen-trial-161-');
});

/** Runs a command line as a user pastes it into a shell, `parzen` being the built CLI. */
const pasted = (line: string, cwd: string): string =>
  execFileSync('sh', ['-c', `parzen() { "${process.execPath}" "${cliPath}" "$@"; }\n${line}`], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

describe('import of a file whose trials the study already has (W1)', () => {
  it('says the way out with `parzen delete`, as commands that work when pasted, not "Parzen does not delete studies"', async () => {
    const work = join(dir, "it's here");
    mkdirSync(work);
    writeIn(work, 'heart.mjs', heartModule);
    const config = journalHeartConfig(work, 'twice');
    expect((await runParzen(['run', config, '--quiet'], { cwd: work })).code).toBe(0);
    const file = join(work, 'an export.jsonl');
    expect((await runParzen(['export', config, '-o', file], { cwd: work })).code).toBe(0);
    const again = await runParzen(['import', config, file, '--allow-repeats'], { cwd: work });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('does not delete');
    const commands = [...again.stderr.matchAll(/`(parzen (?:delete|import) [^`]+)`/g)].map((match) => match[1]);
    expect(commands).toEqual([
      `parzen delete '${config.replaceAll("'", "'\\''")}'`,
      `parzen import '${config.replaceAll("'", "'\\''")}' '${file.replaceAll("'", "'\\''")}'`,
    ]);
    // Pasted (with --yes, as a script answers), they leave the study with the file's trials once.
    pasted(`${commands[0]} --yes && ${commands[1]}`, dir);
    const trials = await runParzen(['trials', config, '--json'], { cwd: work });
    expect(lastJsonLine(trials.stdout)).toHaveLength(3);
  });
});
