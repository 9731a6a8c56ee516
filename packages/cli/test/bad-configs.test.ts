import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { MAX_CONCURRENCY, MAX_SECONDS, MAX_TRIALS, shellQuoted } from '@parzen/engine/host';
import { beforeAll, describe, expect, it } from 'vitest';
import { FLAG_MAX_CONCURRENCY, FLAG_MAX_RUN_SECONDS, FLAG_MAX_TRIALS } from '../src/parse-flags.js';
import { heartConfig, heartModule, lastJsonLine, tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

interface ErrorLine {
  errors: {
    file?: string;
    code: string;
    message: string;
    issues?: { pointer: string; expected: string; found: string }[];
  }[];
}

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-bad-');
  writeIn(dir, 'heart.mjs', heartModule);
});

const reject = async (name: string, config: unknown, args: string[] = []) => {
  const path = writeIn(dir, `${name}.json`, config);
  const run = await cli('run', path, '--json', ...args);
  expect(run.code, run.stderr).toBe(2);
  const { errors } = lastJsonLine(run.stdout) as ErrorLine;
  expect(errors).toHaveLength(1);
  return { run, error: errors[0] as ErrorLine['errors'][number] };
};

const without = (key: string) => {
  const config = heartConfig();
  delete config[key];
  return config;
};

/** [case, config, the JSON pointer that must be reported, a fragment of what was expected]. */
const cases: [string, unknown, string, RegExp][] = [
  ['missing name', without('name'), '/name', /required/],
  [
    'name with a space',
    heartConfig({ name: 'my study' }),
    '/name',
    /ASCII letters \(A–Z, a–z\), digits .* \(no spaces, no other letters\)/,
  ],
  ['fractional seed', heartConfig({ seed: 1.5 }), '/seed', /integer/],
  ['misspelt top-level key', heartConfig({ budgett: { maxTrials: 3 } }), '/budgett', /only the fields/],
  ['empty budget', heartConfig({ budget: {} }), '/budget', /at least one of maxTrials, moreTrials/],
  ['zero maxTrials', heartConfig({ budget: { maxTrials: 0 } }), '/budget/maxTrials', /an integer ≥ 1/],
  // A lease of 1 ms was renewed every third of a millisecond: 130 KB/s of lease lines (user trial 26).
  ['a lease shorter than half a second', heartConfig({ leaseSeconds: 0.001 }), '/leaseSeconds', /a number ≥ 0.5/],
  ['unknown parameter type', heartConfig({ space: { x: { type: 'gaussian', low: 0, high: 1 } } }), '/space/x', /./],
  ['loguniform from zero', heartConfig({ space: { lr: { type: 'loguniform', low: 0, high: 1 } } }), '/space/lr', /./],
  ['choice without options', heartConfig({ space: { m: { type: 'choice', options: [] } } }), '/space/m/options', /./],
  ['unknown suggester', heartConfig({ suggester: { use: 'tpee' } }), '/suggester/use', /suggester plugins: .*random/],
  ['unknown objective', heartConfig({ objective: { use: 'modul', options: {} } }), '/objective/use', /module, command/],
  [
    'module without path',
    heartConfig({ objective: { use: 'module', options: {} } }),
    '/objective/options/path',
    /required/,
  ],
  [
    'unknown module option',
    heartConfig({ objective: { use: 'module', options: { path: './heart.mjs', file: 'x' } } }),
    '/objective/options/file',
    /only the fields path, export/,
  ],
  [
    'empty command',
    heartConfig({ objective: { use: 'command', options: { command: [] } } }),
    '/objective/options/command',
    /at least 1 item/,
  ],
  [
    'negative command timeout',
    heartConfig({ objective: { use: 'command', options: { command: ['node'], timeoutSeconds: -1 } } }),
    '/objective/options/timeoutSeconds',
    /> 0/,
  ],
  [
    'options for random search',
    heartConfig({ suggester: { use: 'random', options: { gamma: 0.2 } } }),
    '/suggester/options/gamma',
    /^no options \(the `random` suggester takes none\) an unknown field `gamma`$/,
  ],
  ['unknown store', heartConfig({ store: { use: 'mongodb' } }), '/store/use', /store plugins: .*memory/],
  [
    'unknown reporter',
    heartConfig({ reporters: [{ use: 'console' }, { use: 'tensorboard' }] }),
    '/reporters/1/use',
    /reporter plugins: .*progress/,
  ],
  [
    'bad progress mode',
    heartConfig({ reporters: [{ use: 'progress', options: { mode: 'fancy' } }] }),
    '/reporters/0/options/mode',
    /"auto"/,
  ],
  ['plugins not an array', heartConfig({ plugins: 'anneal' }), '/plugins', /array/],
  ['empty matrix axis', heartConfig({ matrix: { seed: [] } }), '/matrix/seed', /non-empty array/],
  ['matrix over the name', heartConfig({ matrix: { name: ['a', 'b'] } }), '/matrix/name', /other than name/],
  ['config not an object', [1, 2], '', /an object .* an array/],
];

describe('bad configs are rejected before anything runs, with exit 2 and a JSON pointer', () => {
  it.concurrent.each(cases)('%s', async (name, config, pointer, expected) => {
    const { error } = await reject(name.replaceAll(' ', '-'), config);
    expect(error.code).toBe('CONFIG_INVALID');
    const issue =
      error.issues?.find((item) => item.pointer === pointer) ??
      error.issues?.find((item) => item.pointer.startsWith(`${pointer}/`));
    expect(issue, JSON.stringify(error.issues)).toBeDefined();
    expect(`${issue?.expected} ${issue?.found}`).toMatch(expected);
  });

  it('is refused by the commands that read its study as validate refuses it, the same way (a user trial: trials and best read it)', async () => {
    const path = writeIn(tempDir('parzen-bad-read-'), 'zero.json', heartConfig({ budget: { maxTrials: 0 } }));
    const checked = await cli('validate', path);
    expect(checked.code).toBe(2);
    expect(checked.stderr).toContain('/budget/maxTrials: expected an integer ≥ 1, found 0');
    for (const command of ['explain', 'report']) {
      const read = await cli(command, path);
      expect([command, read.code, read.stderr]).toEqual([command, 2, checked.stderr]);
    }
    // The commands that only read trials say how to read them without the config (a config that no longer passes,
    // a stricter check after an upgrade, keeps no trial from being read).
    for (const command of ['trials', 'best', 'studies', 'export']) {
      const read = await cli(command, path);
      expect([command, read.code]).toEqual([command, 2]);
      expect(read.stderr.startsWith(checked.stderr)).toBe(true);
      expect(read.stderr).toContain(
        'The trials can be read without this config, as the store keeps them: --store SPEC',
      );
    }
    // With a file store, the flags to paste.
    const folder = tempDir('parzen-bad-read-file-');
    const journal = writeIn(
      folder,
      'journal.json',
      heartConfig({
        name: 'kept',
        budget: { maxTrials: 0 },
        store: { use: 'jsonl', options: { path: './kept.jsonl' } },
      }),
    );
    expect((await cli('best', journal)).stderr).toContain(
      `--store ${shellQuoted(`jsonl:${join(folder, 'kept.jsonl')}`)} --study kept in place of the config.`,
    );
  });

  it('lists every problem of a config, each on its own line on stderr', async () => {
    const { run, error } = await reject(
      'three-problems',
      heartConfig({ seed: 'one', concurrency: -1, direction: 'sideways' }),
    );
    expect(error.issues?.map((issue) => issue.pointer).sort()).toEqual(['/concurrency', '/direction', '/seed']);
    expect(run.stderr).toMatch(/\/seed: expected an integer, found "one"/);
    expect(run.stderr).toMatch(/\/concurrency: expected an integer ≥ 1, found -1/);
  });

  it('names the specifier and where it looked for a missing objective module', async () => {
    const { error } = await reject(
      'missing-module',
      heartConfig({ objective: { use: 'module', options: { path: './nowhere.mjs' } } }),
    );
    expect(error.message).toContain(`\`./nowhere.mjs\`, and no file at ${dir}/nowhere.mjs`);
    // A config mistake, at its pointer (it was a plugin fault, PLUGIN_INVALID, with the pointer only in its text).
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues?.map((issue) => issue.pointer)).toEqual(['/objective/options/path']);
  });

  it('says where it looked for a missing program of a command objective', async () => {
    const { error } = await reject(
      'missing-program',
      heartConfig({ objective: { use: 'command', options: { command: ['no-such-tool-xyz'] } } }),
    );
    expect(error.message).toMatch(/`no-such-tool-xyz` is not on PATH \(searched /);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues?.map((issue) => issue.pointer)).toEqual(['/objective/options/command/0']);
    // An empty name is said as one (trial 62: "`` is not on PATH").
    const empty = await reject(
      'empty-program',
      heartConfig({ objective: { use: 'command', options: { command: [''] } } }),
    );
    expect(empty.error.message).toContain('found an empty program name ("")');
    // The script an interpreter runs (trial 34: a misspelt trian.py was valid and failed all 50 trials).
    const script = await reject(
      'missing-script',
      heartConfig({ objective: { use: 'command', options: { command: ['sh', '-e', 'trian.sh', '{x}'] } } }),
    );
    expect(script.error.code).toBe('CONFIG_INVALID');
    expect(script.error.issues).toMatchObject([
      {
        pointer: '/objective/options/command/2',
        expected: 'a script that exists (sh runs it)',
        found: expect.stringMatching(/^nothing at \/.*trian\.sh$/),
      },
    ]);
    // Not a script file: `sh -c code` (`-lc`, `-ec` too: review 32), `python3 -m module` (`-um`) and a
    // templated name are left to the trials; a shell finds a bare script name on PATH as well.
    mkdirSync(join(dir, 'bin'), { recursive: true });
    writeIn(dir, 'bin/onpath.sh', 'echo 1\n');
    for (const [at, command] of [
      ['sh', '-c', 'echo 1'],
      ['bash', '-lc', 'python3 train.py'],
      ['sh', '-ec', 'x.sh'],
      ['python3', '-um', 'tool.py'],
      ['sh', '{x}.sh'],
      ['bash', 'onpath.sh'],
    ].entries()) {
      const env = { PATH: `${join(dir, 'bin')}${delimiter}/usr/bin${delimiter}/bin` };
      const config = heartConfig({ objective: { use: 'command', options: { command, env } } });
      const checked = await cli('validate', writeIn(dir, `script-ok-${at}.json`, config));
      expect(checked.code, `${command.join(' ')}: ${checked.stderr}`).toBe(0);
    }
    const template = await reject(
      'unknown-placeholder',
      heartConfig({ objective: { use: 'command', options: { command: [process.execPath, '-e', '0', '{nope}'] } } }),
    );
    expect(template.error.code).toBe('CONFIG_INVALID');
    expect(template.error.issues).toEqual([
      expect.objectContaining({ pointer: '/objective/options/command/3', found: '`{nope}` in "{nope}"' }),
    ]);
  });

  it('rejects a file that is not JSON, naming the line', async () => {
    const path = writeIn(dir, 'broken.json', '{\n  "name": "x",\n  "seed": ,\n}');
    const run = await cli('validate', path);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/broken\.json: not valid JSON.*"seed": ,/);
  });

  it('validate says a study its store holds with another space or direction, as run would refuse it', async () => {
    const store = { use: 'jsonl', options: { path: './held.parzen.jsonl' } };
    const ran = writeIn(dir, 'held.json', heartConfig({ name: 'held', store, budget: { maxTrials: 2 } }));
    expect((await cli('run', ran, '--quiet')).code).toBe(0);
    const before = readFileSync(join(dir, 'held.parzen.jsonl'));
    const edited = heartConfig({ name: 'held', store, budget: { maxTrials: 2 } });
    const widened = writeIn(dir, 'held-wider.json', {
      ...edited,
      space: { ...(edited.space as object), x: { type: 'uniform', low: -10, high: 10 } },
    });
    const other = writeIn(dir, 'held-other.json', heartConfig({ name: 'held-other', store, budget: { maxTrials: 2 } }));
    const result = await cli('validate', widened, other, '--json');
    expect(result.code).toBe(1);
    expect(lastJsonLine(result.stdout)).toMatchObject({
      // Each place that changed, by its pointer (trial 162: the parameter alone).
      errors: [
        {
          file: widened,
          code: 'STUDY_MISMATCH',
          issues: [
            { pointer: '/space/x/low', expected: '-2', found: '-10' },
            { pointer: '/space/x/high', expected: '2', found: '10' },
          ],
        },
      ],
      valid: [{ file: other, studies: ['held-other'] }],
    });
    // Without --json: the other config was checked with it, so it is valid, not "valid on its own" (review 91),
    // and what it holds is said as for a valid file.
    const text = await cli('validate', widened, other);
    expect(text.stdout).toBe(
      `${other}: valid: study held-other; 2 parameters, objective module, suggester random, store jsonl, budget {"maxTrials":2}`,
    );
    // Unchanged, it is valid; nothing was written to the store.
    expect((await cli('validate', ran)).code).toBe(0);
    expect(readFileSync(join(dir, 'held.parzen.jsonl'))).toEqual(before);
  });

  it('validate --json on a mix lists the valid files beside the errors; a file that is not JSON is CONFIG_INVALID (trial 58)', async () => {
    const broken = writeIn(dir, 'broken-mix.json', '{\n  "name": "x",\n');
    const good = writeIn(dir, 'good-mix.json', heartConfig({ name: 'good-mix' }));
    const run = await cli('validate', broken, good, '--json');
    expect(run.code).toBe(2);
    expect(lastJsonLine(run.stdout)).toEqual({
      errors: [
        {
          file: broken,
          code: 'CONFIG_INVALID',
          message: expect.stringContaining('not valid JSON'),
          issues: [{ pointer: '', expected: 'valid JSON', found: expect.stringContaining('line 3') }],
        },
      ],
      // What the valid file holds, as when every file is valid (it was `{ file }` alone).
      valid: [{ file: good, studies: ['good-mix'] }],
    });
    expect(run.stderr).toMatch(/broken-mix\.json: not valid JSON/);
    // Without --json too (trial 87: only the error was printed, so the others were not known to be checked).
    const text = await cli('validate', broken, good);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(
      new RegExp(
        `^${good.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: valid on its own: study good-mix; 2 parameters, objective module, .* \\(checked with the others once they are valid too\\)$`,
      ),
    );
    expect(text.stderr).toMatch(/broken-mix\.json: not valid JSON/);
  });

  it('validating many configs of one objective loads it once (trial 58: 150 configs started 150 threads, 24 s)', async () => {
    const loads = join(dir, 'loads.txt');
    writeIn(
      dir,
      'counted.mjs',
      `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(loads)}, 'loaded\\n');\nexport default ({ x }) => x;\n`,
    );
    const objective = { use: 'module', options: { path: './counted.mjs' } };
    const paths = [1, 2, 3].map((n) =>
      writeIn(dir, `counted-${n}.json`, heartConfig({ name: `counted-${n}`, objective })),
    );
    const run = await cli('validate', ...paths);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(loads, 'utf8').trim().split('\n')).toHaveLength(1);
    // A command objective's template is still checked against each config's own space.
    const command = { use: 'command', options: { command: [process.execPath, '-e', '1', '--x={x}'] } };
    const good = writeIn(dir, 'template-good.json', heartConfig({ name: 'template-good', objective: command }));
    const other = writeIn(
      dir,
      'template-other.json',
      heartConfig({ name: 'template-other', objective: command, space: { y: { type: 'uniform', low: 0, high: 1 } } }),
    );
    const checked = await cli('validate', good, other);
    expect(checked.code).toBe(2);
    expect(checked.stderr).toContain('{x}');
  });

  it('says where a comment, a NaN or a single-quoted string is, and that JSON has none (user trial 26: no line, no why)', async () => {
    const cases: [string, string, RegExp][] = [
      [
        'comment',
        '{\n  "name": "x", // the name\n  "seed": 1\n}',
        /at line 2, column 16: .*\(JSON has no comments: .* YAML/s,
      ],
      ['top-comment', '// a config\n{}', /at line 1, column 1: .*\(JSON has no comments/s],
      ['nan', '{\n  "name": "x",\n  "seed": NaN\n}', /at line 3, column 11: .*\(JSON has no NaN/s],
      ['quotes', "{\n  'name': 'x'\n}", /at line 2, column 3: .*\(JSON strings take double quotes\)/s],
      // Trial 62: trailing commas, the commonest slip, got no word; in an array, "[1]," before it is not one.
      [
        'comma-array',
        '{\n  "a": [[1], "2,]"],\n  "b": ["x", "y",]\n}',
        /\(JSON has no comma after the last item of an object or array: remove the one at line 3, column 17\)/,
      ],
      [
        'comma-object',
        '{\n  "a": 1,\n}',
        /\(JSON has no comma after the last item .*: remove the one at line 2, column 9\)/,
      ],
      // Only when the commas are what is wrong (review 63: a comment's comma, or one after another mistake).
      ['comma-in-comment', '{\n  "a": 1 // tried: x, y,\n}', /at line 2, column 10: .*\(JSON has no comments/s],
      [
        'quote-then-comma',
        '{\n  \'a\': 1,\n  "b": [1,]\n}',
        /at line 2, column 3: .*\(JSON strings take double quotes\)/s,
      ],
    ];
    for (const [name, text, expected] of cases) {
      const run = await cli('validate', writeIn(dir, `${name}.json`, text));
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(expected);
      if (name.startsWith('comma-in') || name.startsWith('quote')) expect(run.stderr).not.toContain('no comma after');
    }
  });

  it('says a file is empty, binary, too large, a folder, or several YAML documents (trial 62)', async () => {
    const cases: [string, string | Buffer, RegExp][] = [
      ['empty.json', '', /the file is empty; expected a config/],
      ['empty.yaml', '  \n', /the file is empty; expected a config/],
      [
        'binary.json',
        Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0xff, 0xfe]),
        /is not UTF-8 text \(a binary file, or text in another encoding/,
      ],
      ['latin1.json', Buffer.from('{"name": "caf\xe9"}', 'latin1'), /is not UTF-8 text/],
      ['several.yaml', 'name: a\n---\nname: b\n', /a config is one YAML document, and a `---` line starts another/],
    ];
    for (const [name, text, expected] of cases) {
      const path = join(dir, name);
      writeFileSync(path, text);
      const run = await cli('validate', path);
      expect(run.code, name).toBe(2);
      expect(run.stderr).toMatch(expected);
      expect(run.stderr).not.toMatch(/parseAllDocuments|\uFFFD/);
    }
    // A U+FFFD the file holds is text (review 63: refused as a decoding failure).
    const space = {
      x: { type: 'uniform', low: -2, high: 2 },
      y: { type: 'uniform', low: -2, high: 2 },
      unit: { type: 'choice', options: ['°C', '\uFFFD'] },
    };
    const replacement = writeIn(dir, 'fffd.json', heartConfig({ name: 'fffd', space }));
    const valid = await cli('validate', replacement);
    expect(valid.code, valid.stderr).toBe(0);
    const big = join(dir, 'big.json');
    writeFileSync(big, `{"name": "${'x'.repeat(65 * 1024 * 1024)}"}`);
    const huge = await cli('validate', big);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/is larger than 64 MiB/);
    rmSync(big);
    const folder = await cli('validate', dir);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/is a folder, not a config file/);
  });

  it('reads YAML merge keys and top-level x- anchor holders (trial 36: both refused)', async () => {
    const yaml = writeIn(
      dir,
      'anchors.yaml',
      [
        'x-tpe: &tpe { use: tpe, options: { profile: optuna } }',
        'name: anchors',
        'space:',
        '  x: &u { type: uniform, low: -2, high: 2 }',
        '  y: *u',
        'objective: { use: module, options: { path: ./heart.mjs } }',
        'budget: { maxTrials: 4 }',
        'matrix:',
        '  suggester:',
        '    - *tpe',
        '    - { <<: *tpe, options: { profile: hyperopt } }',
        '',
      ].join('\n'),
    );
    const run = await cli('validate', yaml);
    expect(run.code, run.stderr).toBe(0);
  });

  it('rejects bad YAML and a missing file', async () => {
    const yaml = writeIn(dir, 'broken.yaml', 'name: x\nspace: [a\n');
    expect((await cli('run', yaml)).stderr).toMatch(/broken\.yaml: not valid YAML/);
    // With an issue in --json, as every CONFIG_INVALID (review 91); an empty file too.
    const empty = writeIn(dir, 'empty.json', '');
    for (const file of [yaml, empty]) {
      const json = await cli('validate', file, '--json');
      expect(lastJsonLine(json.stdout)).toMatchObject({
        errors: [{ code: 'CONFIG_INVALID', issues: [{ pointer: '', expected: 'a config: one JSON or YAML object' }] }],
      });
    }
    // Written with CRLF line ends: the excerpt without its carriage returns (trial 68: they hid the ^).
    const crlf = writeIn(dir, 'broken-crlf.yaml', 'name: x\r\nspace:\r\n  x: {type: uniform, low: 1\r\n');
    const said = await cli('validate', crlf);
    expect(said.code).toBe(2);
    expect(said.stderr).toContain('not valid YAML');
    expect(said.stderr).not.toContain('\r');
    const missing = await cli('run', join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${join(dir, 'nope.json')}: no such config file.`);
    expect(missing.stderr).not.toContain('looked for');
    // A relative path says where it was looked for (trial 104: `pnpm parzen` runs from the repository root).
    const relative = await cli('run', 'nope-relative.json');
    expect(relative.stderr).toContain(
      `nope-relative.json: no such config file (looked for ${join(process.cwd(), 'nope-relative.json')}, from the folder ${process.cwd()}).`,
    );
    // `run -`: `-` is import's standard input (trial 88); a config from a pipe is read as /dev/stdin.
    const dash = await cli('validate', '-');
    expect(dash.code).toBe(2);
    expect(dash.stderr).toContain(
      '-: no such config file. A config is read from a path: for standard input give /dev/stdin',
    );
  });

  it('rejects bad flags with exit 2', async () => {
    const path = writeIn(dir, 'ok.json', heartConfig());
    const run = await cli('run', path, '--max-trials', 'many');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/expected an integer/);
    expect((await cli('frobnicate')).code).toBe(2);
  });

  it("refuses a flag past the config schema's bound as a bad flag, not as the config (trial 48)", async () => {
    // The flags' bounds are the schema's (written out in the CLI so that parsing flags loads no engine module).
    expect([FLAG_MAX_TRIALS, FLAG_MAX_CONCURRENCY, FLAG_MAX_RUN_SECONDS]).toEqual([
      MAX_TRIALS,
      MAX_CONCURRENCY,
      MAX_SECONDS * 1000,
    ]);
    const path = writeIn(dir, 'bounds.json', heartConfig());
    for (const [flag, value, bound] of [
      ['--concurrency', '1001', '1 to 1,000'],
      ['--max-trials', '2000000000', '1 to 1,000,000,000'],
      // 0 runs no trial: `--more-trials $((want - have))` when the study has them all.
      ['--more-trials', '2000000000', '0 to 1,000,000,000'],
    ] as const) {
      const result = await cli('run', path, flag, value, '--json');
      expect(result.code).toBe(2);
      const [error] = (JSON.parse(result.stdout) as { errors: { code: string; message: string }[] }).errors;
      expect(error?.code).toBe('CLI_INPUT');
      expect(error?.message).toContain(`expected an integer from ${bound}, found ${value}`);
    }
  });

  it('validate refuses a plugin whose create() returns no instance of its kind, as run does (review 27: exit 0)', async () => {
    writeIn(
      dir,
      'hollow-plugins.mjs',
      "export const manifests = [\n  { kind: 'suggester', name: 'hollow', optionsSchema: { type: 'object' }, create: () => ({}) },\n" +
        "  { kind: 'pruner', name: 'nameonly', optionsSchema: { type: 'object' }, create: () => ({ name: 'nameonly' }) },\n];\n",
    );
    for (const [slot, use, expected, options] of [
      ['suggester', 'hollow', 'expected a suggester', undefined],
      ['pruner', 'nameonly', 'expected a pruner', undefined],
      // Wrapped by a plugin that creates it (review 28: validate said valid).
      ['pruner', 'patient', 'expected a pruner', { patience: 2, pruner: { use: 'nameonly' } }],
    ] as const) {
      const path = writeIn(
        dir,
        `hollow-${use}.json`,
        heartConfig({
          plugins: ['./hollow-plugins.mjs'],
          [slot]: { use, ...(options === undefined ? {} : { options }) },
        }),
      );
      for (const command of ['validate', 'run']) {
        const result = await cli(command, path, '--json');
        expect(result.code, `${command} ${slot}: ${result.stderr}`).toBe(2);
        const { errors } = lastJsonLine(result.stdout) as ErrorLine;
        expect(errors[0]).toMatchObject({ code: 'PLUGIN_INVALID', message: expect.stringContaining(expected) });
      }
    }
  });

  it('a misspelt --store is said of the flag, not of a /store the config does not have (user trial 27)', async () => {
    const config = heartConfig();
    delete config.store;
    const path = writeIn(dir, 'no-store.json', config);
    for (const args of [
      ['run', path, '--store', 'sqlit:x.db'],
      ['import', path, join(dir, 'none.csv'), '--store', 'sqlit:x.db'],
      ['trials', path, '--store', 'postgress:x'],
    ]) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(
        /--store "(sqlit:x\.db|postgress:x)": expected one of the store plugins: .*, found "(sqlit|postgress)"/,
      );
      expect(result.stderr).not.toContain('/store/use');
      // A near miss of a built-in store gets its did-you-mean, not the plugin hint (review 135).
      expect(result.stderr).toContain('did you mean');
      expect(result.stderr).not.toContain('a store plugin is known only');
    }
  });

  it('with --json, a bad flag is also the last stdout line {"errors": [...]}, as other errors are', async () => {
    const path = writeIn(dir, 'ok-json.json', heartConfig());
    for (const args of [
      ['run', path, '--json', '--max-trials', 'abc'],
      ['run', path, '--json', '--bogus'],
      ['trials', path, '--json', '--csv'],
    ]) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).toBe(2);
      const last = JSON.parse(result.stdout.trim().split('\n').at(-1) as string);
      expect(last).toEqual({ errors: [{ file: null, code: 'CLI_INPUT', message: expect.any(String), issues: [] }] });
      expect(last.errors[0].message).not.toMatch(/^error:/);
    }
    expect((await cli('run', path, '--max-trials', 'abc')).stdout).toBe('');
  });

  it('validates every config of a batch before running any', async () => {
    const good = writeIn(dir, 'good.json', heartConfig({ name: 'good' }));
    const bad = writeIn(dir, 'bad.json', heartConfig({ name: 'bad', budget: { maxTrials: -1 } }));
    const run = await cli('run', good, bad, '--json');
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/trial #0/);
    expect((lastJsonLine(run.stdout) as ErrorLine).errors.map((error) => error.file)).toEqual([bad]);
  });
});
