// What a user trial of Parzen in CI containers and scripts found wrong or confusing (trial 159).

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  heartConfig,
  heartModule,
  journalHeartConfig,
  lastJsonLine,
  requireBuiltCli,
  runParzen,
  tempDir,
  writeIn,
} from './cli-harness.js';
import { cli } from './cli-in-process.js';

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = tempDir('parzen-trial-159-');
  writeIn(dir, 'heart.mjs', heartModule);
});

describe('a store path starting with ~/ (F3)', () => {
  it('is in the home folder, in a config and in --store, for jsonl and sqlite (a folder named ~ was made)', async () => {
    const home = join(dir, 'home');
    const work = join(dir, 'work');
    mkdirSync(home);
    mkdirSync(work);
    const env = { HOME: home };
    for (const [use, file] of [
      ['jsonl', 'cfg/a.jsonl'],
      ['sqlite', 'cfg/a.db'],
    ] as const) {
      const config = writeIn(
        dir,
        `tilde-${use}.json`,
        heartConfig({ name: `tilde-${use}`, store: { use, options: { path: `~/${file}` } }, budget: { maxTrials: 2 } }),
      );
      const run = await runParzen(['run', config, '--quiet'], { cwd: work, env });
      expect(run.code, run.stderr).toBe(0);
      expect(existsSync(join(home, file))).toBe(true);
      const best = await runParzen(['best', config], { cwd: work, env });
      expect(best.stdout).toContain('2 complete');
      const flagged = await runParzen(['run', config, '--quiet', '--store', `${use}:~/flag/${use}`], {
        cwd: work,
        env,
      });
      expect(flagged.code, flagged.stderr).toBe(0);
      expect(existsSync(join(home, 'flag', use))).toBe(true);
    }
    expect(existsSync(join(dir, '~'))).toBe(false);
    expect(existsSync(join(work, '~'))).toBe(false);
  });

  it("a module objective's path and an events reporter's path starting with ~/ are in the home folder too", async () => {
    const home = join(dir, 'home-module');
    mkdirSync(home);
    writeIn(home, 'heart-at-home.mjs', heartModule);
    const config = writeIn(
      dir,
      'tilde-module.json',
      heartConfig({
        name: 'tilde-module',
        objective: { use: 'module', options: { path: '~/heart-at-home.mjs' } },
        reporters: [{ use: 'events', options: { path: '~/events.jsonl' } }],
        budget: { maxTrials: 2 },
      }),
    );
    const run = await runParzen(['run', config, '--quiet'], { cwd: dir, env: { HOME: home } });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(home, 'events.jsonl'))).toBe(true);
  });
});

describe("--json errors about a config's study name the config in `file` (F4)", () => {
  it('report of a study not run yet, and explain of a random-search study, as best and trials do (was null)', async () => {
    const missing = journalHeartConfig(dir, 'never-run');
    const matrix = journalHeartConfig(dir, 'never-run-matrix', { matrix: { seed: [1, 2] } });
    for (const args of [
      ['best', missing],
      ['report', missing, '-o', join(dir, 'never.html')],
      ['report', matrix, '-o', join(dir, 'never-matrix.html')],
    ]) {
      const said = await cli(...args, '--json');
      expect(said.code, said.stderr).toBe(1);
      expect(lastJsonLine(said.stdout), args.join(' ')).toMatchObject({
        errors: [{ file: args[1], code: 'STUDY_NOT_FOUND' }],
      });
    }
    const random = journalHeartConfig(dir, 'random-search');
    expect((await cli('run', random, '--quiet')).code).toBe(0);
    const explained = await cli('explain', random, '--json');
    expect(explained.code).toBe(2);
    expect(lastJsonLine(explained.stdout)).toMatchObject({ errors: [{ file: random, code: 'CONFIG_INVALID' }] });
    expect(explained.stderr).toContain(
      `parzen: ${random}: /suggester/use: expected "tpe" (explain shows how TPE decides), found "random". Study random-search was created with it too.`,
    );
  });
});

describe('a TypeScript objective when the temp folder cannot hold tsx cache (F7)', () => {
  it('loads and runs, in a worker and on this thread, when TMPDIR cannot be made (it failed: EACCES or ENOTDIR, mkdir)', async () => {
    writeIn(dir, 'heart-ts.ts', 'export default ({ x, y }: { x: number; y: number }): number => x * x + y * y;\n');
    // A path under a file: no one can make it, root included (a read-only folder stops only other users).
    const file = writeIn(dir, 'not-a-folder.txt', 'x');
    for (const isolate of ['worker', 'none']) {
      const config = writeIn(
        dir,
        `ts-${isolate}.json`,
        heartConfig({
          name: `ts-${isolate}`,
          objective: { use: 'module', options: { path: './heart-ts.ts', isolate } },
          budget: { maxTrials: 2 },
        }),
      );
      const run = await runParzen(['run', config, '--quiet'], { cwd: dir, env: { TMPDIR: join(file, 'tmp') } });
      expect(run.stderr).not.toContain('mkdir');
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('2 complete, 0 failed');
    }
  });
});
