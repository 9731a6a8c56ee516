// What a sweep of bad input found wrong or confusing (trial 167): configs, flags, objectives and stores that a run
// took where validate refused them, or refused with a message that sent the user elsewhere.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { heartModule, lastJsonLine, requireBuiltCli, tempDir, writeIn } from './cli-harness.js';
import { cliIn } from './cli-in-process.js';

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = tempDir('parzen-trial-167-');
  writeIn(dir, 'heart.mjs', heartModule);
});

const config = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  space: { x: { type: 'uniform', low: -2, high: 2 }, y: { type: 'uniform', low: -2, high: 2 } },
  objective: { use: 'module', options: { path: './heart.mjs', isolate: 'none' } },
  budget: { maxTrials: 2 },
  ...extra,
});

describe('a budget flag over an invalid budget (WRONG 1)', () => {
  // Written as text: 1e309 is Infinity once parsed.
  it.each([
    ['"x"', '/budget: expected an object, found "x"'],
    ['null', '/budget: expected an object, found null'],
    ['[]', '/budget: expected an object, found []'],
    ['{"maxTrials": true}', '/budget/maxTrials: expected an integer ≥ 1 and ≤ 1000000000, found true'],
    ['{"maxTrials": 1e309}', '/budget/maxTrials: expected a finite number, found Infinity'],
    ['{"maxSeconds": -1}', '/budget/maxSeconds: expected a number > 0, found -1'],
    ['{}', '/budget'],
  ])('run with a budget flag refuses "budget": %s as validate does', async (budget, said) => {
    const text = JSON.stringify(config('w1', { budget: '@' })).replace('"@"', budget);
    writeIn(dir, 'w1.json', text);
    const validate = await cliIn(dir, 'validate', 'w1.json');
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain(said);
    for (const flag of ['--more-trials', '--max-trials', '--max-seconds']) {
      const run = await cliIn(dir, 'run', 'w1.json', flag, '1', '--store', 'memory', '--quiet');
      expect(run.code, `${flag}: ${run.stdout}`).toBe(2);
      expect(run.stderr).toBe(validate.stderr);
    }
  });

  it('a config without a budget is refused, as validate refuses it', async () => {
    const { budget: _, ...unbudgeted } = config('w1n');
    writeIn(dir, 'w1n.json', unbudgeted);
    const run = await cliIn(dir, 'run', 'w1n.json', '--max-trials', '2', '--store', 'memory', '--quiet');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/budget: expected a value (required), found nothing');
  });

  it('a flag still replaces a valid budget value', async () => {
    writeIn(dir, 'w1ok.json', config('w1ok', { store: { use: 'memory' } }));
    const run = await cliIn(dir, 'run', 'w1ok.json', '--max-trials', '3', '--quiet');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('3 complete');
    expect(existsSync(join(dir, 'w1ok.parzen.jsonl'))).toBe(false);
  });
});

describe('a store path that is no regular file (WRONG 2)', () => {
  it.each([
    ['jsonl', '/dev/null', 'a character device'],
    ['sqlite', '/dev/null', 'a character device'],
    ['jsonl', 'fifo', 'a named pipe (FIFO)'],
  ])('the %s store at %s is refused by validate and run, naming what it is', async (use, path, kind) => {
    if (path === 'fifo' && !existsSync(join(dir, 'fifo'))) execFileSync('mkfifo', [join(dir, 'fifo')]);
    writeIn(dir, 'w2.json', config('w2', { store: { use, options: { path: path === 'fifo' ? './fifo' : path } } }));
    const shown = path === 'fifo' ? join(dir, 'fifo') : path;
    const said = `/store/options/path: expected the path of a regular file the store keeps the study in, found \`${shown}\`, ${kind}`;
    for (const command of ['validate', 'run']) {
      const result = await cliIn(dir, command, 'w2.json');
      expect(result.code, command).toBe(2);
      expect(result.stderr).toContain(said);
    }
    const flagged = await cliIn(dir, 'trials', '--store', `${use}:${path === 'fifo' ? './fifo' : path}`);
    expect(flagged.code).toBe(2);
    expect(flagged.stderr).toContain(`found \`${shown}\`, ${kind}`);
  });
});

describe('a matrix config without a valid name (WRONG 3, CONFUSING 4)', () => {
  it.each([
    ['no name', undefined, '/name: expected a value (required), found nothing'],
    ['name {}', {}, '/name: expected a string, found {}'],
    ['name 7', 7, '/name: expected a string, found 7'],
    ['name ""', '', 'starting with a letter or digit, found ""'],
  ])('%s: refused once by validate and run, and nothing runs', async (_, name, said) => {
    const { name: __, ...nameless } = config('w3', { matrix: { seed: [1, 2] } });
    writeIn(dir, 'w3.json', name === undefined ? nameless : { ...nameless, name });
    for (const command of ['validate', 'run']) {
      const result = await cliIn(dir, command, 'w3.json');
      expect(result.code, command).toBe(2);
      expect(result.stderr).toContain(said);
      expect(result.stderr.split(said).length, result.stderr).toBe(2);
      expect(result.stderr).not.toContain('study.seed');
    }
    expect(existsSync(join(dir, 'study.seed-1.parzen.jsonl'))).toBe(false);
    expect(existsSync(join(dir, 'w3.parzen.jsonl'))).toBe(false);
  });
});

describe("a user's mistake is said at the user's file and line, not Parzen's (WRONG 4)", () => {
  const moduleConfig = (name: string, path: string, options: Record<string, unknown> = {}) =>
    writeIn(
      dir,
      `${name}.json`,
      config(name, { objective: { use: 'module', options: { path, ...options } }, store: { use: 'memory' } }),
    );

  it('a TypeScript syntax error: the file, line and a caret, no frame of esbuild', async () => {
    writeIn(dir, 'bad.ts', 'export default (p: { x: number }): number => {\n  return p.x +;\n};\n');
    moduleConfig('w4ts', './bad.ts');
    const result = await cliIn(dir, 'validate', 'w4ts.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `Objective module \`./bad.ts\` failed to load: Unexpected ";" at\n${join(dir, 'bad.ts')}:2\n  return p.x +;\n              ^`,
    );
    expect(result.stderr).not.toMatch(/esbuild|main\.js|Transform failed/);
  });

  it('an objective exported as a class is refused by validate', async () => {
    writeIn(dir, 'cls.mjs', 'export default class K {}\n');
    moduleConfig('w4cls', './cls.mjs');
    const result = await cliIn(dir, 'validate', 'w4cls.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/objective/options/export:');
    expect(result.stderr).toContain('found "default" (a class, which only `new` may call');
  });

  it.each(['worker', 'none'])('report() misused (isolate %s): thrown at the line of the call', async (isolate) => {
    writeIn(dir, 'rep.mjs', 'export default async ({ x }, ctx) => {\n  await ctx.report(-1, 0.5);\n  return x;\n};\n');
    moduleConfig('w4rep', './rep.mjs', isolate === 'none' ? { isolate } : {});
    const result = await cliIn(dir, 'run', 'w4rep.json', '--max-trials', '1', '--json');
    expect(result.stderr).toContain('step must be a non-negative integer');
    expect(result.stderr).toContain(`(ParzenError at ${join(dir, 'rep.mjs')}:2:`);
    expect(result.stderr).not.toMatch(/module-worker|pruning\.js/);
  });
});

describe('parameter names whose PARZEN_PARAM_ variables collide (WRONG 5)', () => {
  const x = { type: 'uniform', low: 0, high: 1 };
  // The program reads the params from stdin and says whether any PARZEN_PARAM_ variable was set.
  const program =
    "let s = ''; process.stdin.on('data', (d) => (s += d)).on('end', () => { const p = JSON.parse(s); console.log(p.lr + p.LR + 100 * Object.keys(process.env).filter((k) => k.startsWith('PARZEN_PARAM')).length); });";
  const write = (paramsInEnv: boolean) =>
    writeIn(
      dir,
      'w5.json',
      config('w5', {
        space: { lr: x, LR: x },
        objective: { use: 'command', options: { command: [process.execPath, '-e', program], paramsInEnv } },
        store: { use: 'memory' },
      }),
    );

  it('with "paramsInEnv": false they are valid and run, and no variable is set', async () => {
    write(false);
    const validate = await cliIn(dir, 'validate', 'w5.json');
    expect(validate.code, validate.stderr).toBe(0);
    const run = await cliIn(dir, 'run', 'w5.json', '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('leaves out');
    const summary = lastJsonLine(run.stdout) as { trials: { complete: number }; best: { loss: number } };
    expect(summary.trials.complete).toBe(2);
    expect(summary.best.loss).toBeLessThan(100);
  });

  it('where the params go into the environment, the refusal names the option that avoids it', async () => {
    write(true);
    const result = await cliIn(dir, 'validate', 'w5.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `all passed as PARZEN_PARAM_LR (rename one of them, or set the objective's "paramsInEnv": false`,
    );
  });
});

describe('a file given as the config that is no config (CONFUSING 1)', () => {
  it('a module, a program, a journal, a SQLite database and JSON Lines are each said as what they are', async () => {
    writeIn(dir, 'c1.json', config('c1', { store: { use: 'jsonl' } }));
    expect((await cliIn(dir, 'run', 'c1.json', '--quiet')).code).toBe(0);
    writeIn(dir, 'c1db.json', config('c1db', { store: { use: 'sqlite' } }));
    expect((await cliIn(dir, 'run', 'c1db.json', '--quiet')).code).toBe(0);
    writeIn(dir, 'train.py', 'print(1)\n');
    writeIn(dir, 'lines.jsonl', '{"params": {"x": 1}}\n{"params": {"x": 2}}\n');
    for (const [file, said] of [
      [
        'heart.mjs',
        'heart.mjs: is a JavaScript module, not a config: expected a JSON or YAML config (.json, .yaml or .yml), which names its objective module in "objective" ({"use": "module", "options": {"path": "./heart.mjs"}}).',
      ],
      ['train.py', 'train.py: is a Python program, not a config'],
      [
        'c1.parzen.jsonl',
        'c1.parzen.jsonl: is a Parzen journal (a study store), not a config: list its studies with `parzen studies --store jsonl:c1.parzen.jsonl`',
      ],
      ['c1db.parzen.db', 'c1db.parzen.db: is a SQLite database (a study store), not a config'],
      ['lines.jsonl', 'lines.jsonl: is JSON Lines (a JSON value on each line'],
    ]) {
      const result = await cliIn(dir, 'validate', file as string);
      expect(result.code, file).toBe(2);
      expect(result.stderr).toContain(said);
      expect(result.stderr).not.toMatch(/YAML:|unknown field|expected a value \(required\)/);
    }
  });
});

describe('import of a missing file or a folder (CONFUSING 2)', () => {
  it("says it as run says a config it cannot read, not in Node's errno words", async () => {
    writeIn(dir, 'c2.json', config('c2', { store: { use: 'jsonl' } }));
    const missing = await cliIn(dir, 'import', 'c2.json', 'nope.jsonl');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `parzen: nope.jsonl: no such file of trials (looked for ${join(dir, 'nope.jsonl')}, from the folder ${dir}).`,
    );
    const folder = await cliIn(dir, 'import', 'c2.json', '.');
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe('parzen: .: is a folder, not a file of trials (JSON lines or a .csv file).');
    const csv = await cliIn(dir, 'import', 'c2.json', 'nope.csv');
    expect(csv.stderr).toContain('nope.csv: no such file of trials');
  });
});

describe('queue --remove of an entry that is not waiting, with --json (CONFUSING 7)', () => {
  it('names the flag in each issue, with no pointer that reads as a place in the config', async () => {
    writeIn(dir, 'c7.json', config('c7', { store: { use: 'jsonl' } }));
    expect((await cliIn(dir, 'run', 'c7.json', '--quiet')).code).toBe(0);
    const result = await cliIn(dir, 'queue', 'c7.json', '--remove', 'nope', '--json');
    expect(result.code).toBe(2);
    const { errors } = lastJsonLine(result.stdout) as {
      errors: { file: string; code: string; issues: { pointer: string; found: string }[] }[];
    };
    expect(errors[0]?.code).toBe('ENTRY_NOT_WAITING');
    expect(errors[0]?.issues.map((issue) => issue.pointer)).toEqual(['']);
    expect(errors[0]?.issues[0]?.found).toMatch(/^--remove nope: key `nope`: /);
  });
});

describe('an events reporter at a file that holds something else (CONFUSING 8)', () => {
  const withEvents = (path: string) =>
    writeIn(
      dir,
      'c8.json',
      config('c8', { store: { use: 'memory' }, reporters: [{ use: 'events', options: { path } }] }),
    );

  it("another experiment's config, or any file that is not events, is refused and left as it was", async () => {
    const other = writeIn(dir, 'other.json', config('other'));
    const before = readFileSync(other, 'utf8');
    writeIn(dir, 'notes.txt', 'lr 0.1 was best\n');
    for (const [path, said] of [
      ['./other.json', 'a file whose first line is `{`, the start of pretty-printed JSON (a config?), not events'],
      ['./notes.txt', 'a file that holds something else than events'],
    ]) {
      withEvents(path as string);
      for (const command of ['validate', 'run']) {
        const result = await cliIn(dir, command, 'c8.json');
        expect(result.code, `${command} ${path}`).toBe(2);
        expect(result.stderr).toContain(`/reporters/0/options/path: expected a file of its own for the events`);
        expect(result.stderr).toContain(said);
      }
    }
    expect(readFileSync(other, 'utf8')).toBe(before);
  });

  it('an events file is appended to, run after run', async () => {
    withEvents('./c8.events.jsonl');
    expect((await cliIn(dir, 'run', 'c8.json', '--quiet')).code).toBe(0);
    expect((await cliIn(dir, 'run', 'c8.json', '--quiet')).code).toBe(0);
    const types = readFileSync(join(dir, 'c8.events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types.filter((type) => type === 'study.started')).toHaveLength(2);
  });
});

describe('a store path written as a URL or in the --store spelling (CONFUSING 5)', () => {
  it.each([
    ['sqlite', 'postgres://u@localhost/db', 'a PostgreSQL URL: a PostgreSQL database is the postgres store'],
    ['jsonl', 'sqlite:./x.db', `the --store flag's spelling (sqlite:PATH): in a config the store is named by "use"`],
  ])('the %s store at %s is refused before anything is made', async (use, path, said) => {
    writeIn(dir, 'c5.json', config('c5', { store: { use, options: { path } } }));
    for (const command of ['validate', 'run']) {
      const result = await cliIn(dir, command, 'c5.json');
      expect(result.code, command).toBe(2);
      expect(result.stderr).toContain(`/store/options/path: expected the path of a file the store keeps the study in`);
      expect(result.stderr).toContain(said);
    }
    expect(existsSync(join(dir, 'postgres:'))).toBe(false);
    expect(existsSync(join(dir, 'sqlite:.'))).toBe(false);
  });
});

describe('a study name that differs only in case from one in the store (CONFUSING 3)', () => {
  const named = (name: string) =>
    writeIn(
      dir,
      `c3-${name}.json`,
      config(name, { store: { use: 'sqlite', options: { path: './c3.db' } }, budget: { maxTrials: 1 } }),
    );
  const said =
    'the store holds study c3, whose name differs from C3 only in case (a typo?): a run of this config starts study C3 beside it';

  it('validate and run note it; a run of the same name says nothing of it', async () => {
    named('c3');
    named('C3');
    const first = await cliIn(dir, 'run', 'c3-c3.json', '--quiet');
    expect(first.code).toBe(0);
    expect(first.stderr).not.toContain('only in case');
    const validate = await cliIn(dir, 'validate', 'c3-C3.json');
    expect(validate.code).toBe(0);
    expect(validate.stderr).toContain(`c3-C3.json: note: /name: ${said}`);
    const run = await cliIn(dir, 'run', 'c3-C3.json', '--quiet');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`parzen: note: c3-C3.json: ${said}.`);
    const again = await cliIn(dir, 'run', 'c3-c3.json', '--quiet', '--more-trials', '1');
    expect(again.stderr).not.toContain('only in case');
  });
});
