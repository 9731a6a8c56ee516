// What a CI step reads of a failure: the `file` of a `--json` error, the same for a flag's mistake in every command.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { heartModule, journalHeartConfig, lastJsonLine, requireBuiltCli, tempDir, writeIn } from './cli-harness.js';
import { cliIn } from './cli-in-process.js';

let dir: string;
beforeAll(async () => {
  requireBuiltCli();
  dir = tempDir('parzen-ci-step-errors-');
  writeIn(dir, 'heart.mjs', heartModule);
  journalHeartConfig(dir, 'exp', { suggester: { use: 'tpe' } });
  mkdirSync(join(dir, 'folder'));
  const run = await cliIn(dir, 'run', 'exp.json', '--quiet');
  expect(run.code, run.stderr).toBe(0);
});

type ErrorLine = { errors: { file: string | null; code: string; message: string }[] };

describe("a flag's mistake in --json errors", () => {
  it.each([
    ['run', []],
    ['best', []],
    ['trials', []],
    ['studies', []],
    ['explain', []],
    ['queue', []],
    ['export', ['-o', 'out.jsonl']],
    ['report', ['-o', 'report.html']],
    ['delete', ['--yes']],
  ])('%s: --store naming a folder has file null, as a mistake in any other flag', async (command, extra) => {
    const said = await cliIn(dir, command, 'exp.json', '--store', 'jsonl:folder', ...extra, '--json');
    expect(said.code, said.stderr).toBe(2);
    const { errors } = lastJsonLine(said.stdout) as ErrorLine;
    expect(errors).toEqual([expect.objectContaining({ file: null, code: 'CLI_INPUT' })]);
    expect(errors[0]?.message).toContain('--store "jsonl:folder": expected the path of a file');
  });

  it('--store misspelt, and a --study the config lacks (run, queue), have file null like explain --trial 999', async () => {
    const cases = [
      ['run', 'exp.json', '--store', 'sqlit:x.db'],
      ['trials', 'exp.json', '--store', 'sqlit:x.db'],
      ['run', 'exp.json', '--study', 'nope'],
      ['queue', 'exp.json', '--study', 'nope'],
      ['explain', 'exp.json', '--trial', '999'],
    ];
    for (const args of cases) {
      const said = await cliIn(dir, ...args, '--json');
      expect(said.code, args.join(' ')).toBe(2);
      const { errors } = lastJsonLine(said.stdout) as ErrorLine;
      expect(
        errors.map((error) => error.file),
        args.join(' '),
      ).toEqual([null]);
    }
  });

  it('one flag mistake found with two configs is one error, its stderr naming each config', async () => {
    journalHeartConfig(dir, 'other');
    const said = await cliIn(dir, 'run', 'exp.json', 'other.json', '--store', 'jsonl:folder', '--json');
    expect(said.code).toBe(2);
    expect((lastJsonLine(said.stdout) as ErrorLine).errors).toEqual([
      expect.objectContaining({ file: null, code: 'CLI_INPUT' }),
    ]);
    expect(said.stderr).toContain('parzen: exp.json: --store "jsonl:folder"');
    expect(said.stderr).toContain('parzen: other.json: --store "jsonl:folder"');
  });
});

describe('--store sqlite: pointed at a file that is no database', () => {
  it('a script: no other store is offered (the jsonl store refuses it too), and no code to a command-line user', async () => {
    writeIn(dir, 'obj.py', 'import json\nprint(json.dumps({"loss": 1}))\n');
    for (const spec of ['sqlite:obj.py', 'jsonl:obj.py']) {
      const said = await cliIn(dir, 'best', 'exp.json', '--store', spec, '--json');
      expect(said.code, spec).toBe(1);
      expect((lastJsonLine(said.stdout) as ErrorLine).errors[0]?.code).toBe('STORE_CORRUPT');
    }
    const said = await cliIn(dir, 'run', 'exp.json', '--store', 'sqlite:obj.py');
    expect(said.code).toBe(1);
    expect(said.stderr).toContain('neither a SQLite database nor a Parzen journal, so no store reads it');
    expect(said.stderr).not.toMatch(/jsonl:|createJsonlStore|in code/);
  });

  it('a journal: the jsonl store, as the command line and a config name it', async () => {
    const journal = join(dir, 'exp.parzen.jsonl');
    const said = await cliIn(dir, 'best', 'exp.json', '--store', `sqlite:${journal}`);
    expect(said.code).toBe(1);
    expect(said.stderr).toContain(
      `read it with the jsonl store (\`"use": "jsonl"\` in a config, \`--store jsonl:${journal}\` on the command line)`,
    );
    expect(said.stderr).not.toContain('createJsonlStore');
    expect((await cliIn(dir, 'best', 'exp.json', '--store', `jsonl:${journal}`)).code).toBe(0);
  });
});

describe('validate, as a lint step before run', () => {
  const storeAt = (use: string, path: string) => ({ store: { use, options: { path } } });

  it.each([
    ['jsonl', 'corrupt.parzen.jsonl'],
    ['sqlite', 'corrupt.parzen.db'],
  ])(
    'fails on a local %s store file that is no store, with the code, message and exit code of run',
    async (use, file) => {
      writeIn(dir, file, 'garbage\n');
      journalHeartConfig(dir, `corrupt-${use}`, storeAt(use, `./${file}`));
      const config = `corrupt-${use}.json`;
      const run = await cliIn(dir, 'run', config, '--json');
      const validate = await cliIn(dir, 'validate', config, '--json');
      expect(run.code).toBe(1);
      expect(validate.code, validate.stderr).toBe(run.code);
      const [ran] = (lastJsonLine(run.stdout) as ErrorLine).errors;
      const [checked] = (lastJsonLine(validate.stdout) as ErrorLine & { valid: unknown[] }).errors;
      expect(checked).toEqual({
        ...ran,
        // The config's pointer to the store, which run leaves out.
        issues: [
          {
            pointer: '/store/options/path',
            expected: expect.stringContaining(`a file the \`${use}\` store can read`),
            found: `\`${join(dir, file)}\`, a file it cannot read`,
          },
        ],
      });
      expect((lastJsonLine(validate.stdout) as { valid: unknown[] }).valid).toEqual([]);
      // Said on stderr as the run says it.
      expect((await cliIn(dir, 'validate', config)).stderr).toBe((await cliIn(dir, 'run', config)).stderr);
    },
  );

  it('passes a store file not made yet in a folder not made yet (the run creates both)', async () => {
    journalHeartConfig(dir, 'later', storeAt('jsonl', './not-yet/later.parzen.jsonl'));
    const said = await cliIn(dir, 'validate', 'later.json', '--json');
    expect(said.code, said.stderr).toBe(0);
    expect(lastJsonLine(said.stdout)).toEqual({ valid: [{ file: 'later.json', studies: ['later'] }] });
  });
});
