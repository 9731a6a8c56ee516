import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { heartModule, tempDir, writeIn } from './cli-harness.js';
import { cliIn } from './cli-in-process.js';

// TPE's settings profile is the option `profile`; `compat`, its name in 0.1.0, is still read as it, and a study
// stored with `compat` in its suggester settings resumes, lists and explains as before.

/**
 * A JSONL journal the Parzen before the rename wrote: study `old-profile`, seed 7, TPE with
 * `{"compat": "optuna5", "startupTrials": 3}`, 6 trials; its settings keep `"compat": "optuna5"`.
 */
const FIXTURE = fileURLToPath(new URL('./fixtures/compat-optuna5.parzen.jsonl', import.meta.url));
/** The params that Parzen gave trials #6 to #9 when it resumed the study to 10 trials. */
const NEXT_PARAMS = [
  { x: -1.8144893224690026, y: -1.0876765040188077 },
  { x: -1.3639449678387416, y: 1.2271448643229352 },
  { x: 0.1323429922060451, y: 0.6384974036382243 },
  { x: -0.7380275311165119, y: -1.8161476745596168 },
];

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-profile-option-');
  writeIn(dir, 'heart.mjs', heartModule);
});

/** A config for study `old-profile` with these TPE options, its journal a copy of the fixture (in its own folder). */
const oldStudy = (folder: string, options: Record<string, unknown>, maxTrials = 10): string => {
  const here = join(dir, folder);
  mkdirSync(here, { recursive: true });
  writeIn(here, 'heart.mjs', heartModule);
  copyFileSync(FIXTURE, join(here, 'old-profile.parzen.jsonl'));
  return writeIn(here, 'old-profile.json', {
    name: 'old-profile',
    seed: 7,
    space: { x: { type: 'uniform', low: -2, high: 2 }, y: { type: 'uniform', low: -2, high: 2 } },
    objective: { use: 'module', options: { path: './heart.mjs', isolate: 'none' } },
    suggester: { use: 'tpe', options },
    budget: { maxTrials },
  });
};

const paramsOf = (journal: string): Record<string, unknown>[] =>
  readFileSync(journal, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"op":"params"'))
    .map((line) => (JSON.parse(line) as { params: Record<string, unknown> }).params);

describe("a study stored with TPE's former option name `compat`", () => {
  it('resumes with `profile` given, without a settings change, to the same next trials', async () => {
    const config = oldStudy('resume', { profile: 'optuna5', startupTrials: 3 });
    const ran = await cliIn(join(dir, 'resume'), 'run', config, '--quiet');
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).not.toMatch(/settings than|no such option/);
    expect(paramsOf(join(dir, 'resume', 'old-profile.parzen.jsonl')).slice(6)).toEqual(NEXT_PARAMS);
  });

  it('resumes with `compat` still given: one warning that it is now `profile`, the same next trials', async () => {
    const config = oldStudy('resume-compat', { compat: 'optuna5', startupTrials: 3 });
    const ran = await cliIn(join(dir, 'resume-compat'), 'run', config, '--quiet');
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).not.toMatch(/settings than|no such option/);
    expect(ran.stderr.match(/\/suggester\/options\/compat/g)).toHaveLength(1);
    expect(ran.stderr).toContain('/suggester/options/compat: is now `profile`');
    expect(paramsOf(join(dir, 'resume-compat', 'old-profile.parzen.jsonl')).slice(6)).toEqual(NEXT_PARAMS);
  });

  it('is listed with its profile, as `profile` in --json', async () => {
    const config = oldStudy('list', { profile: 'optuna5', startupTrials: 3 });
    const table = await cliIn(join(dir, 'list'), 'studies', config);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('tpe (optuna5, startupTrials 3)');
    const json = await cliIn(join(dir, 'list'), 'studies', config, '--json');
    expect(json.code, json.stderr).toBe(0);
    const [study] = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(study).toMatchObject({ study: 'old-profile', suggester: 'tpe', profile: 'optuna5' });
    expect(study).not.toHaveProperty('compat');
  });

  it('is explained without a settings change, its explanation naming the `profile`', async () => {
    const config = oldStudy('explain', { profile: 'optuna5', startupTrials: 3 });
    const text = await cliIn(join(dir, 'explain'), 'explain', config);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).not.toMatch(/settings than|no such option/);
    expect(text.stdout).toContain('TPE (profile optuna5)');
    const json = await cliIn(join(dir, 'explain'), 'explain', config, '--json');
    expect(json.code, json.stderr).toBe(0);
    const next = JSON.parse(json.stdout) as { params: Record<string, number>; explanation: Record<string, unknown> };
    expect(next.explanation.profile).toBe('optuna5');
    expect(next.explanation).not.toHaveProperty('compat');
    // What the next run gives trial #6.
    expect(next.params).toEqual(NEXT_PARAMS[0]);
  });

  it('is explained and reported with a config that still gives `compat` (alone: the schema fills in `profile` beside it)', async () => {
    const config = oldStudy('explain-compat', { compat: 'optuna5', startupTrials: 3 });
    const json = await cliIn(join(dir, 'explain-compat'), 'explain', config, '--json');
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).not.toMatch(/settings than|found both/);
    expect((JSON.parse(json.stdout) as { params: Record<string, number> }).params).toEqual(NEXT_PARAMS[0]);
    const report = await cliIn(join(dir, 'explain-compat'), 'report', config, '-o', 'report.html');
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).not.toMatch(/found both/);
  });

  it('an export written before the rename (its header saying `compat`) is imported under `profile`', async () => {
    const config = oldStudy('import-old', { profile: 'optuna5', startupTrials: 3 });
    const here = join(dir, 'import-old');
    expect((await cliIn(here, 'export', config, '-o', 'old.jsonl')).code).toBe(0);
    const [header = '', ...rows] = readFileSync(join(here, 'old.jsonl'), 'utf8').split('\n');
    expect(header).toContain('"profile":"optuna5"');
    writeIn(here, 'older.jsonl', [header.replace('"profile":"optuna5"', '"compat":"optuna5"'), ...rows].join('\n'));
    const moved = join(here, 'moved');
    mkdirSync(moved);
    const target = writeIn(moved, 'old-profile.json', JSON.parse(readFileSync(config, 'utf8')) as object);
    writeIn(moved, 'heart.mjs', heartModule);
    const imported = await cliIn(moved, 'import', target, join(here, 'older.jsonl'));
    expect(imported.code, imported.stderr).toBe(0);
    const study =
      readFileSync(join(moved, 'old-profile.parzen.jsonl'), 'utf8')
        .split('\n')
        .find((line) => line.includes('"suggester"')) ?? '';
    expect(study).toContain('"profile":"optuna5"');
    expect(study).not.toContain('compat');
  });

  it('is exported with its settings under `profile`', async () => {
    const config = oldStudy('export', { profile: 'optuna5', startupTrials: 3 });
    const exported = await cliIn(join(dir, 'export'), 'export', config, '-o', 'old.jsonl');
    expect(exported.code, exported.stderr).toBe(0);
    const header = JSON.parse(readFileSync(join(dir, 'export', 'old.jsonl'), 'utf8').split('\n')[0] ?? '') as {
      study: { suggester: { name: string; settings: Record<string, unknown> } };
    };
    expect(header.study.suggester.settings).toMatchObject({ profile: 'optuna5' });
    expect(header.study.suggester.settings).not.toHaveProperty('compat');
  });
});

describe('a config giving `compat`', () => {
  it('validates, with one warning at /suggester/options/compat that it is now `profile`, read as that profile', async () => {
    const config = oldStudy('validate', { compat: 'optuna5', startupTrials: 3 });
    const result = await cliIn(join(dir, 'validate'), 'validate', config);
    expect(result.code, result.stderr).toBe(0);
    const said = `${result.stdout}${result.stderr}`;
    expect(said).toContain(
      '/suggester/options/compat: is now `profile` (its former name, still read as it): write "profile": "optuna5"',
    );
    expect(said.match(/is now `profile`/g)).toHaveLength(1);
    expect(said).not.toMatch(/settings than/);
    expect(said).toContain('suggester tpe (optuna5, startupTrials 3)');
  });

  it("in a matrix variant, is said at that variant's place in the matrix, where it is written", async () => {
    const here = join(dir, 'matrix');
    mkdirSync(here, { recursive: true });
    writeIn(here, 'heart.mjs', heartModule);
    const base = {
      space: { x: { type: 'uniform', low: -2, high: 2 } },
      objective: { use: 'module', options: { path: './heart.mjs', isolate: 'none' } },
      store: { use: 'memory' },
      budget: { maxTrials: 5 },
    };
    // A whole suggester per variant, and a key into the options: each note points at the value the matrix gave.
    const choices = writeIn(here, 'choices.json', {
      ...base,
      name: 'choices',
      matrix: { suggester: [{ use: 'tpe' }, { use: 'tpe', options: { compat: 'optuna5' } }] },
    });
    const keyed = writeIn(here, 'keyed.json', {
      ...base,
      name: 'keyed',
      suggester: { use: 'tpe' },
      matrix: { 'suggester/options/compat': ['hyperopt', 'optuna'] },
    });
    for (const [config, pointers] of [
      [choices, ['/matrix/suggester/1/options/compat']],
      [keyed, ['/matrix/suggester~1options~1compat/0', '/matrix/suggester~1options~1compat/1']],
    ] as const) {
      const result = await cliIn(here, 'validate', config);
      expect(result.code, result.stderr).toBe(0);
      const said = `${result.stdout}${result.stderr}`;
      for (const pointer of pointers) expect(said).toContain(`${pointer}: is now \`profile\``);
      expect(said.match(/is now `profile`/g)).toHaveLength(pointers.length);
      expect(said).not.toContain('/suggester/options/compat');
    }
  });

  it('giving `profile` too is an error naming both', async () => {
    const config = oldStudy('both', { profile: 'optuna', compat: 'hyperopt' });
    const result = await cliIn(join(dir, 'both'), 'validate', config);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      '/suggester/options/compat: expected only one of /suggester/options/profile and /suggester/options/compat ' +
        '(compat is the former name of profile: write profile alone), found both',
    );
  });

  it('is offered by `parzen schema` as `profile`, `compat` accepted as a deprecated name, not both', async () => {
    const schema = JSON.parse((await cliIn(dir, 'schema')).stdout) as object;
    const text = JSON.stringify(schema);
    expect(text).toContain('"profile":{"enum":["parzen","hyperopt","optuna","optuna5"]');
    expect(text).toContain('"compat":{"enum":["parzen","hyperopt","optuna","optuna5"],"deprecated":true');
    // ajv is the engine's dependency, not the CLI's: loaded from there, for this test only.
    const { Ajv2020 } = createRequire(fileURLToPath(new URL('../../engine/package.json', import.meta.url)))(
      'ajv/dist/2020',
    ) as { Ajv2020: new (options: object) => { compile: (schema: object) => (data: unknown) => boolean } };
    const validate = new Ajv2020({ allowUnionTypes: true, logger: false }).compile(schema);
    const config = (options: object) => ({
      name: 'editor',
      space: { x: { type: 'uniform', low: 0, high: 1 } },
      objective: { use: 'command', options: { command: ['python3', 'train.py'] } },
      suggester: { use: 'tpe', options },
      budget: { maxTrials: 5 },
    });
    expect(validate(config({ profile: 'optuna5' }))).toBe(true);
    expect(validate(config({ compat: 'optuna5' }))).toBe(true);
    expect(validate(config({ profile: 'optuna5', compat: 'optuna5' }))).toBe(false);
  });
});
