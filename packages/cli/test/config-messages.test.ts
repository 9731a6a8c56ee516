import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PARZEN_VERSION } from '@parzen/engine/version';
import { beforeAll, describe, expect, it } from 'vitest';
import { heartConfig, heartModule, lastJsonLine, tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

interface ErrorLine {
  errors: { code: string; message: string; issues?: { pointer: string; expected: string; found: string }[] }[];
}

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-messages-');
  writeIn(dir, 'heart.mjs', heartModule);
});

/** `parzen validate --json` of a heart config with `extra`: exit code, stderr and the one error's issues. */
const validate = async (name: string, extra: Record<string, unknown>) => {
  const run = await cli('validate', writeIn(dir, `${name}.json`, heartConfig(extra)), '--json');
  const { errors } = lastJsonLine(run.stdout) as ErrorLine;
  expect(errors).toHaveLength(1);
  const [error] = errors as [ErrorLine['errors'][number]];
  return { code: run.code, stderr: run.stderr, error, issues: error.issues ?? [] };
};

/** Why TPE's univariate kernel takes no joint grouping, and what to write instead. */
const UNIVARIATE =
  ' (a kernel that models one parameter at a time, which profile "hyperopt" sets when no kernel is given: for "joint" or "groups", give "kernel": "optuna", or another profile)';

/** ajv's own words for its combining keywords. */
const JARGON = /must match|anyOf|oneOf|"then"|schema/;

describe('config errors from the built-in plugins: one line per mistake, no ajv jargon', () => {
  it('a threshold pruner without bounds', async () => {
    const { code, stderr, issues } = await validate('threshold', { pruner: { use: 'threshold' } });
    expect(code).toBe(2);
    expect(issues).toEqual([
      { pointer: '/pruner/options', expected: 'at least one of lower and upper', found: 'neither' },
    ]);
    expect(stderr).not.toMatch(JARGON);
  });

  it("Optuna's class names for a pruner and a suggester point to ours (trial 59)", async () => {
    const pruner = await validate('median-pruner', { pruner: { use: 'MedianPruner' } });
    expect(pruner.code).toBe(2);
    expect(pruner.issues[0]?.pointer).toBe('/pruner/use');
    expect(pruner.issues[0]?.found).toBe('"MedianPruner" (did you mean `median`?)');
    const sampler = await validate('tpe-sampler', { suggester: { use: 'TPESampler' } });
    expect(sampler.issues[0]?.found).toBe('"TPESampler" (did you mean `tpe`?)');
    const dotted = await validate('dotted', { pruner: { use: 'optuna.pruners.HyperbandPruner' } });
    expect(dotted.issues[0]?.found).toBe('"optuna.pruners.HyperbandPruner" (did you mean `hyperband`?)');
  });

  it('a misspelt "auto" of successive halving', async () => {
    const { issues } = await validate('halving', {
      pruner: { use: 'successive-halving', options: { minResource: 'autp' } },
    });
    expect(issues).toEqual([
      {
        pointer: '/pruner/options/minResource',
        expected: 'exactly "auto", or an integer ≥ 1',
        found: '"autp" (did you mean `auto`?)',
      },
    ]);
  });

  it("TPE's hyperopt kernel with joint grouping", async () => {
    const univariate = `exactly "independent" when kernel is "hyperopt"${UNIVARIATE}`;
    const { stderr, issues } = await validate('tpe-joint', {
      suggester: { use: 'tpe', options: { grouping: 'joint', kernel: 'hyperopt' } },
    });
    expect(issues).toEqual([{ pointer: '/suggester/options/grouping', expected: univariate, found: '"joint"' }]);
    // The kernel of profile "hyperopt", not written: the profile and the fix are named.
    const byProfile = await validate('tpe-joint-profile', {
      suggester: { use: 'tpe', options: { profile: 'hyperopt', grouping: 'joint' } },
    });
    expect(byProfile.issues).toEqual([
      { pointer: '/suggester/options/grouping', expected: univariate, found: '"joint"' },
    ]);
    expect(stderr).not.toMatch(JARGON);
    // The profile's default grouping, not written in the config, is said to be one (trial 51).
    const byDefault = await validate('tpe-default-grouping', {
      suggester: { use: 'tpe', options: { kernel: 'hyperopt' } },
    });
    expect(byDefault.issues).toEqual([
      {
        pointer: '/suggester/options/grouping',
        expected: univariate,
        found: '"groups" (a default: the config does not set it)',
      },
    ]);
  });

  it('the same mistakes in the pruner a patient pruner wraps', async () => {
    const wrapped = (name: string, pruner: unknown) =>
      validate(name, { pruner: { use: 'patient', options: { patience: 2, pruner } } });
    const halving = await wrapped('patient-halving', { use: 'successive-halving', options: { minResource: 'autp' } });
    expect(halving.issues).toEqual([
      {
        pointer: '/pruner/options/pruner/options/minResource',
        expected: 'exactly "auto", or an integer ≥ 1',
        found: '"autp" (did you mean `auto`?)',
      },
    ]);
    const threshold = await wrapped('patient-threshold', { use: 'threshold', options: { lower: 'x' } });
    expect(threshold.issues).toEqual([
      { pointer: '/pruner/options/pruner/options/lower', expected: 'a number', found: '"x"' },
    ]);
    expect(halving.stderr + threshold.stderr).not.toMatch(JARGON);
  });

  it('a wrapped threshold pruner without bounds: the check its factory makes points into the wrapped options', async () => {
    const { code, issues } = await validate('patient-threshold-bare', {
      pruner: { use: 'patient', options: { patience: 2, pruner: { use: 'threshold' } } },
    });
    expect(code).toBe(2);
    expect(issues).toEqual([
      { pointer: '/pruner/options/pruner/options', expected: 'at least one of lower and upper', found: 'neither' },
    ]);
  });
});

describe("a time limit in a store's options", () => {
  it("is not said to be a trial's time limit: a journal's lock, not a trial, is what a store would wait on", async () => {
    const { issues } = await validate('store-timeout', {
      store: { use: 'jsonl', options: { path: 'heart.parzen.jsonl', timeoutMs: 5000 } },
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.found).toContain('an unknown field `timeoutMs`');
    expect(issues[0]?.found).not.toContain("a trial's time limit");
  });
});

describe('a study name too long for the file a bare jsonl or sqlite store names after it (trial 68)', () => {
  it('is refused at /name by validate, as run refuses it, not an ENAMETOOLONG at run', async () => {
    const name = 'a'.repeat(250);
    for (const use of ['jsonl', 'sqlite']) {
      const { code, issues } = await validate(`long-${use}`, { name, store: { use } });
      expect(code).toBe(2);
      expect(issues).toEqual([
        expect.objectContaining({
          pointer: '/name',
          found: '250 characters',
          expected: expect.stringMatching(/^a study name of at most 1\d\d characters/),
        }),
      ]);
    }
    // A name that fits, or a store given a path, is fine.
    const fits = writeIn(dir, 'long-ok.json', heartConfig({ name: 'a'.repeat(120), store: { use: 'jsonl' } }));
    expect((await cli('validate', fits)).code).toBe(0);
  });
});

describe('several plugins that refuse their options', () => {
  it('are all said at once (a store and a pruner)', async () => {
    const { code, stderr, error, issues } = await validate('all-refuse', {
      store: { use: 'jsonl', options: { salvage: true } },
      // Each passes the schema and is refused by its plugin's check or create().
      pruner: { use: 'hyperband', options: { bootstrapCount: 2 } },
    });
    expect(code).toBe(2);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(issues.map((issue) => issue.pointer)).toEqual(['/store/options/salvage', '/pruner/options/bootstrapCount']);
    for (const said of ['`jsonl` store', '`hyperband` pruner'])
      expect(stderr).toContain(`Invalid options for the ${said}:`);
  });
});

describe("a store's options that the store refuses before it opens anything (trial 48)", () => {
  it('validate says what run would refuse: salvage in a jsonl config, a postgres URL with a password or another scheme', async () => {
    const salvage = await validate('salvage', { name: 'salvage', store: { use: 'jsonl', options: { salvage: true } } });
    expect(salvage.code).toBe(2);
    expect(salvage.issues).toEqual([
      expect.objectContaining({
        pointer: '/store/options/salvage',
        found: 'true for a command that writes to the journal',
      }),
    ]);
    expect(existsSync(join(dir, 'salvage.parzen.jsonl'))).toBe(false);

    // No server is needed: nothing connects (an unused port, and pg is never asked).
    const secret = await validate('secret', {
      store: {
        use: 'postgres',
        options: { url: 'postgres://alice:hunter2@127.0.0.1:1/x', passwordEnv: 'PARZEN_TEST_UNSET_PW' },
      },
    });
    expect(secret.code).toBe(2);
    expect(secret.issues.map((issue) => issue.pointer)).toEqual(['/store/options/url', '/store/options/passwordEnv']);
    expect(secret.issues[0]?.expected).toContain('PGPASSWORD');
    expect(secret.stderr).toContain(
      'Invalid options for the `postgres` store:\n  /store/options/url: expected a URL without a password',
    );
    expect(`${secret.stderr}${JSON.stringify(secret.issues)}`).not.toContain('hunter2');

    const scheme = await validate('scheme', {
      store: { use: 'postgres', options: { url: 'mysql://alice@127.0.0.1:1/x' } },
    });
    expect(scheme.issues).toEqual([
      expect.objectContaining({ pointer: '/store/options/url', found: 'mysql://alice@127.0.0.1:1/x' }),
    ]);
  });

  it('run refuses them the same way, before the store is opened', async () => {
    const run = await cli(
      'run',
      writeIn(
        dir,
        'salvage-run.json',
        heartConfig({ name: 'salvage-run', store: { use: 'jsonl', options: { salvage: true } } }),
      ),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/store/options/salvage: expected salvage only for a command that reads');
    expect(existsSync(join(dir, 'salvage-run.parzen.jsonl'))).toBe(false);
  });
});

describe('a plugin package that is not installed', () => {
  it('points at its `plugins` entry and says what to do, without Node’s text or the engine’s files', async () => {
    const { code, stderr, error, issues } = await validate('missing-plugin', {
      plugins: ['parzen-no-such-plugin-package'],
    });
    expect(code).toBe(2);
    expect(error.code).toBe('PLUGIN_LOAD_FAILED');
    expect(issues).toEqual([
      {
        pointer: '/plugins/0',
        expected: 'an installed package',
        found: `cannot find package 'parzen-no-such-plugin-package' (looked from ${dir}); install it (npm install parzen-no-such-plugin-package) or fix the name`,
      },
    ]);
    expect(stderr).toContain('Could not load plugin module `parzen-no-such-plugin-package`:\n  /plugins/0: expected');
    expect(stderr).not.toMatch(/imported from|packages\/engine/);
  });
});

describe('flag mistakes', () => {
  it('say `parzen:` as every other error does, with the did-you-mean and the usage hint, exit 2', async () => {
    // The command's own help (`parzen --help`); another tool's flag gets what does it here, not the
    // nearest spelling (`--sort` was "--store?").
    const cases: [string[], string[]][] = [
      [
        ['run', 'x.json', '--max-evals', '3'],
        ["parzen: unknown option '--max-evals'", '(Did you mean --max-trials?)', '(run `parzen run --help` for usage)'],
      ],
      [
        ['trials', 'x.json', '--sort', 'loss'],
        [
          "parzen: unknown option '--sort'",
          '(trials are listed by number; `--top N` lists the N best complete trials, best first, and `parzen best` the best one)',
          '(run `parzen trials --help` for usage)',
        ],
      ],
    ];
    for (const [args, lines] of cases) {
      const said = await cli(...args);
      expect(said.code).toBe(2);
      expect(said.stderr.split('\n')).toEqual(lines);
    }
    expect((await cli('--bogus')).stderr).toContain('(run `parzen --help` for usage)');
    const command = await cli('frob');
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/^parzen: unknown command 'frob'/);
    const value = await cli('run', 'x.json', '--seed', 'abc');
    expect(value.stderr).toMatch(/^parzen: option '--seed <n>' argument 'abc' is invalid/);
    expect(value.stderr).not.toMatch(/^error:/m);
  });
});

describe('options that do nothing where they are (trial 51)', () => {
  it('validate notes them by pointer and still says the config is valid (exit 0); a run warns once', async () => {
    const path = writeIn(
      dir,
      'inert.json',
      heartConfig({
        suggester: { use: 'tpe', options: { profile: 'hyperopt', bandwidthFloor: 0.2 } },
        store: { use: 'memory' },
        budget: { maxTrials: 2 },
      }),
    );
    const note =
      '/suggester/options/bandwidthFloor: does nothing with kernel "hyperopt" (profile "hyperopt"): its adaptive Parzen widths have no floor; the "optuna" kernel uses it';
    const checked = await cli('validate', path);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain('inert.json: valid: study');
    expect(checked.stderr.trim().split('\n')).toEqual([`${path}: note: ${note}`]);
    // In --json too, with the file (review 56: only on stderr).
    const json = await cli('validate', path, '--json');
    expect(lastJsonLine(json.stdout)).toEqual({ valid: [{ file: path, studies: ['heart'], notes: [note] }] });
    // Beside a file that fails, its notes still come (review 97: only --json had them then).
    const broken = writeIn(dir, 'inert-broken.json', '{');
    const mixed = await cli('validate', broken, path);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain(`${path}: note: ${note}`);
    expect(mixed.stdout).toContain(`${path}: valid on its own: study heart;`);
    const run = await cli('run', path, '--quiet');
    expect(run.code).toBe(0);
    expect(run.stderr.split('\n').filter((line) => line.includes('bandwidthFloor'))).toEqual([
      `parzen: warning: study heart: ${note}`,
    ]);
  });
});

describe('a command element whose braces the `}}` escape unbalances (trial 59: inline code lost a brace, unsaid)', () => {
  it('validate notes it by pointer, with `{{` in it too; escapes used on purpose are not noted (review 62)', async () => {
    const path = writeIn(
      dir,
      'braces.json',
      heartConfig({
        objective: {
          use: 'command',
          options: {
            command: [
              'python3',
              '-c',
              "print({'loss': {x}, 'attrs': {'a': 1}})",
              '{{literal}}',
              '--opt={x}}}',
              "d = {{}}; print({'a': {'b': 1}})",
            ],
          },
        },
      }),
    );
    const checked = await cli('validate', path);
    expect(checked.code, checked.stderr).toBe(0);
    const notes = checked.stderr.trim().split('\n');
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(
      /^.*braces\.json: note: \/objective\/options\/command\/2: has `}}`, which the template turns into `}` .*so the program gets unbalanced braces/,
    );
    expect(notes[1]).toMatch(/^.*braces\.json: note: \/objective\/options\/command\/5: has `}}`/);
  });
});

describe('validate on a study its store holds (trials 104 and 110: run warned, validate said nothing)', () => {
  it('notes another suggester than the one the study was created with, and a trial budget already spent', async () => {
    const base = heartConfig({
      name: 'held',
      store: { use: 'jsonl' },
      suggester: { use: 'tpe' },
      budget: { maxTrials: 2 },
    });
    const first = writeIn(dir, 'held.json', base);
    expect((await cli('run', first, '--quiet')).code).toBe(0);
    const spent = await cli('validate', first);
    expect(spent.code, spent.stderr).toBe(0);
    expect(spent.stderr).toContain(
      '/budget/maxTrials: study held has 2 trials already, so a run of this config adds none (maxTrials 2 counts every trial of the study: raise it, or run with --more-trials N)',
    );
    expect(spent.stderr).not.toContain('/suggester:');
    // Beside a file that fails too, in text and --json (trial 125: only the config's own notes came).
    const broken = writeIn(dir, 'held-broken.json', '{');
    const mixed = await cli('validate', first, broken);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain(`${first}: note: /budget/maxTrials: study held has 2 trials already`);
    const mixedJson = await cli('validate', first, broken, '--json');
    expect(mixedJson.stderr).toContain(`${first}: note: /budget/maxTrials: study held has 2 trials already`);
    expect((lastJsonLine(mixedJson.stdout) as { valid: unknown }).valid).toEqual([
      {
        file: first,
        studies: ['held'],
        notes: [expect.stringMatching(/^\/budget\/maxTrials: study held has 2 trials/)],
      },
    ]);
    const other = writeIn(dir, 'held-random.json', { ...base, suggester: { use: 'random' }, budget: { maxTrials: 5 } });
    const changed = await cli('validate', other);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stderr).toContain(
      '/suggester: study held was created with suggester `tpe`; a run of this config uses `random` and adds its trials to the same study',
    );
    expect(changed.stderr).not.toContain('/budget/maxTrials');
    // TPE's own settings changed (trial 113, and stops before: said by run only).
    const tuned = writeIn(dir, 'held-gamma.json', {
      ...base,
      suggester: { use: 'tpe', options: { gamma: 0.3 } },
      budget: { maxTrials: 5 },
    });
    const settings = await cli('validate', tuned);
    expect(settings.code, settings.stderr).toBe(0);
    expect(settings.stderr).toContain(
      '/suggester/options: study held was created with other `tpe` settings than the config\'s: `gamma` was 0.1, now 0.3; `explore` was {"belowBandwidth":0.5,"gamma":0.15,"trials":50}, now {"belowBandwidth":0.5,"trials":50}, its `gamma` giving way to the top-level `gamma`. A run of this config uses the config\'s. To go on as the study began, give the suggester these options: {"gamma":0.1,"explore":{"trials":50,"gamma":0.15,"belowBandwidth":0.5}}.',
    );
  });

  it("notes the changed settings of any suggester, not TPE's alone (a quasi-random study's scramble changed unsaid)", async () => {
    const base = heartConfig({
      name: 'held-qr',
      store: { use: 'jsonl' },
      suggester: { use: 'quasi-random' },
      budget: { maxTrials: 2 },
    });
    expect((await cli('run', writeIn(dir, 'held-qr.json', base), '--quiet')).code).toBe(0);
    const same = await cli('validate', writeIn(dir, 'held-qr-same.json', { ...base, budget: { maxTrials: 5 } }));
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).not.toContain('/suggester');
    const plain = writeIn(dir, 'held-qr-plain.json', {
      ...base,
      suggester: { use: 'quasi-random', options: { scramble: false } },
      budget: { maxTrials: 5 },
    });
    const noted = await cli('validate', plain);
    expect(noted.code, noted.stderr).toBe(0);
    expect(noted.stderr).not.toContain('/seed');
    // Another seed is noted as a run warns of it (trial 117: validate said nothing).
    const reseeded = await cli(
      'validate',
      writeIn(dir, 'held-qr-seed.json', { ...base, seed: 99, budget: { maxTrials: 5 } }),
    );
    expect(reseeded.stderr).toContain(
      `/seed: study held-qr was started with seed ${String(base.seed)}; a run of this config uses seed 99, so its trials draw from other random streams than the earlier ones (set "seed": ${String(base.seed)} to continue them)`,
    );
    expect(noted.stderr).toContain(
      '/suggester/options: study held-qr was created with other `quasi-random` settings than the config\'s: `scramble` was true, now false. A run of this config uses the config\'s. To go on as the study began, give the suggester these options: {"scramble":true}.',
    );
  });
});

describe('a study another Parzen build created (trial 154: validate said nothing, and every build was "0.1.0")', () => {
  it('is noted by validate and warned of once by run, naming both builds; the same build says nothing', async () => {
    const base = heartConfig({ name: 'held-v', store: { use: 'jsonl' }, budget: { maxTrials: 2 } });
    const config = writeIn(dir, 'held-v.json', base);
    expect((await cli('run', config, '--quiet')).code).toBe(0);
    const same = await cli('validate', config);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).not.toContain('created by Parzen');
    // As a build of another version would have created it.
    const journal = join(dir, 'held-v.parzen.jsonl');
    const recorded = `"parzenVersion":${JSON.stringify(PARZEN_VERSION)}`;
    expect(readFileSync(journal, 'utf8')).toContain(recorded);
    writeFileSync(journal, readFileSync(journal, 'utf8').replace(recorded, '"parzenVersion":"0.0.9"'));
    const rest = `whose suggestions may differ from those of 0.0.9 (a change of behaviour between versions, not of settings): the same seed and settings can draw other trials than before. To reproduce the earlier trials, run them with Parzen 0.0.9.`;
    const noted = await cli('validate', config);
    expect(noted.code, noted.stderr).toBe(0);
    expect(noted.stderr).toContain(
      `/store: study held-v was created by Parzen 0.0.9; a run of this config is Parzen ${PARZEN_VERSION}, ${rest}`,
    );
    const run = await cli('run', config, '--more-trials', '2', '--quiet');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.split('created by Parzen')).toHaveLength(2);
    expect(run.stderr).toContain(
      `study held-v was created by Parzen 0.0.9; this run is Parzen ${PARZEN_VERSION}, ${rest}`,
    );
  });
});

describe('a config whose store changed from jsonl to sqlite (trial 110: the study started afresh, unsaid)', () => {
  it('is noted by validate and run while the new file is not there and the other store file beside the config is', async () => {
    const first = heartConfig({ name: 'switched', store: { use: 'jsonl' }, budget: { maxTrials: 2 } });
    const jsonl = writeIn(dir, 'switched.json', first);
    expect((await cli('run', jsonl, '--quiet')).code).toBe(0);
    const sqlite = writeIn(dir, 'switched-sqlite.json', { ...first, store: { use: 'sqlite' } });
    const said = `/store: the study starts afresh in ${join(dir, 'switched.parzen.db')}, which is not there yet, while ${join(dir, 'switched.parzen.jsonl')} beside the config is a jsonl store that may hold its earlier trials (the store was changed?): to carry them over, \`parzen export --store jsonl:${join(dir, 'switched.parzen.jsonl')} -o trials.jsonl\` then \`parzen import ${sqlite} trials.jsonl\`, before running`;
    const checked = await cli('validate', sqlite);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stderr).toContain(said);
    const ran = await cli('run', sqlite, '--quiet');
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toContain(said);
    // Once the new file is there, the study is the run's own: nothing said.
    const again = await cli('run', sqlite, '--quiet', '--more-trials', '1');
    expect(again.stderr).not.toContain('starts afresh');
    // Nor for the first store: its own file is there.
    expect((await cli('validate', jsonl)).stderr).not.toContain('starts afresh');
    // A store the --store flag chose, not there yet, is said as the flag's (review 113: the import this note
    // advised went back to the jsonl store; trial 117: one worker's mistyped --store split the study unsaid).
    const flag = join(dir, 'switched.parzen.db.flag');
    const flagged = await cli('run', jsonl, '--store', `sqlite:${flag}`, '--quiet');
    expect(flagged.code, flagged.stderr).toBe(0);
    expect(flagged.stderr).not.toContain('beside the config is a jsonl store');
    expect(flagged.stderr).toContain(
      `/store: --store puts study switched in ${flag}, which is not there yet, while the config's own store ${join(dir, 'switched.parzen.jsonl')} is there and may hold its trials: this run starts the study afresh in ${flag}; leave out --store to go on with it there (or, to move it, \`parzen export CONFIG -o trials.jsonl\` then \`parzen import CONFIG trials.jsonl --store SPEC\` before running)`,
    );
    // Once there, the flag's store is the study's: nothing said.
    const flaggedAgain = await cli('run', jsonl, '--store', `sqlite:${flag}`, '--quiet', '--more-trials', '1');
    expect(flaggedAgain.stderr).not.toContain('--store puts study');
    // A matrix that names no store keeps its variants in one journal beside it: the note, once (review 125).
    const { store: _, ...matrixBase } = heartConfig({ name: 'mx', budget: { maxTrials: 2 }, matrix: { seed: [1, 2] } });
    const matrix = writeIn(dir, 'mx.json', matrixBase);
    expect((await cli('run', matrix, '--quiet')).code).toBe(0);
    const typo = join(dir, 'mx.parzen.jsnl');
    const split = await cli('run', matrix, '--store', `jsonl:${typo}`, '--quiet');
    expect(split.code, split.stderr).toBe(0);
    expect(split.stderr.split('--store puts study')).toHaveLength(2);
    expect(split.stderr).toContain(
      `in ${typo}, which is not there yet, while the config's own store ${join(dir, 'mx.parzen.jsonl')} is there`,
    );
  });
});

describe("an events reporter's file (trial 53: it appended to the study's journal and to the config)", () => {
  it('is not checked by commands that run no trial: report, explain and import read the study (trial 108)', async () => {
    const study = (reporters: unknown[]) =>
      heartConfig({
        name: 'events-idle',
        store: { use: 'jsonl', options: { path: './events-idle.parzen.jsonl' } },
        suggester: { use: 'tpe' },
        budget: { maxTrials: 12 },
        reporters,
      });
    expect(
      (await cli('run', writeIn(dir, 'events-idle-first.json', study([{ use: 'console' }])), '--quiet')).code,
    ).toBe(0);
    // The same study with an events file run cannot append to (a teammate's copy of the config, say).
    const path = writeIn(dir, 'events-idle.json', study([{ use: 'events', options: { path: 'idle/dir/' } }]));
    const run = await cli('run', path);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/reporters/0/options/path: expected a file the events can be appended to');
    const explained = await cli('explain', path);
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.stdout).toContain('the next trial, #12, would get');
    const reported = await cli('report', path, '-o', join(dir, 'events-idle.html'));
    expect(reported.code, reported.stderr).toBe(0);
    expect(existsSync(join(dir, 'events-idle.html'))).toBe(true);
    const imported = await cli('import', path, writeIn(dir, 'events-idle-rows.jsonl', ''));
    expect(imported.code, imported.stderr).toBe(0);
    expect(existsSync(join(dir, 'idle'))).toBe(false);
  });

  it("where events cannot be appended is said by validate and run at the reporter's pointer (trial 62)", async () => {
    writeIn(dir, 'a-file', 'x');
    for (const [file, found] of [
      ['.', `".", a folder`],
      ['a-file/events.jsonl', `"a-file/events.jsonl", under ${join(dir, 'a-file')}, which is a file, not a folder`],
      // A folder's path (trial 86: `sub/dir/` made a file named `dir`).
      ['sub/dir/', `"sub/dir/", a folder's path (it ends with a slash)`],
    ]) {
      const path = writeIn(
        dir,
        'events-where.json',
        heartConfig({
          name: 'events-where',
          store: { use: 'memory' },
          reporters: [{ use: 'console' }, { use: 'events', options: { path: file } }],
        }),
      );
      for (const command of ['validate', 'run']) {
        const said = await cli(command, path);
        expect(said.code, said.stderr).toBe(2);
        expect(said.stderr).toContain(
          `/reporters/1/options/path: expected a file the events can be appended to, found ${found}`,
        );
      }
    }
  });

  it("may not be the study's store, the config or a file the config names: exit 2 before anything runs", async () => {
    const cases: [string, string][] = [
      ['events-store.parzen.jsonl', "the study's jsonl store"],
      ['events-self.json', "this command's config"],
      ['heart.mjs', 'the objective module of'],
    ];
    for (const [file, what] of cases) {
      const name = file === 'events-self.json' ? 'events-self' : 'events-store';
      const path = writeIn(
        dir,
        `${name}.json`,
        heartConfig({ name, store: { use: 'jsonl' }, reporters: [{ use: 'events', options: { path: file } }] }),
      );
      const run = await cli('run', path);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(
        `/reporters/0/options/path: expected a file of its own for the events (not a study's store, a config or a file it names), found "${file}", `,
      );
      expect(run.stderr).toContain(what);
      expect(existsSync(join(dir, 'events-store.parzen.jsonl'))).toBe(false);
    }
    const fine = writeIn(
      dir,
      'events-fine.json',
      heartConfig({
        name: 'events-fine',
        store: { use: 'memory' },
        budget: { maxTrials: 2 },
        reporters: [{ use: 'events', options: { path: 'events.jsonl' } }],
      }),
    );
    expect((await cli('run', fine)).code).toBe(0);
    // Another config of the same command, and a SQLite store's side file before the database exists (review 57).
    const other = writeIn(dir, 'events-other.json', heartConfig({ name: 'events-other', budget: { maxTrials: 1 } }));
    const slip = writeIn(
      dir,
      'events-slip.json',
      heartConfig({ name: 'events-slip', reporters: [{ use: 'events', options: { path: 'events-other.json' } }] }),
    );
    const batch = await cli('run', slip, other);
    expect(batch.code).toBe(2);
    expect(batch.stderr).toContain(`found "events-other.json", ${other}, this command's config`);
    // Another config's store, before it exists (review 57: its first-run journal became an events file).
    const storeOwner = writeIn(
      dir,
      'events-owner.json',
      heartConfig({ name: 'events-owner', store: { use: 'jsonl' } }),
    );
    const intoStore = writeIn(
      dir,
      'events-into.json',
      heartConfig({
        name: 'events-into',
        reporters: [{ use: 'events', options: { path: 'events-owner.parzen.jsonl' } }],
      }),
    );
    const stores = await cli('run', intoStore, storeOwner);
    expect(stores.code).toBe(2);
    expect(stores.stderr).toContain(
      `found "events-owner.parzen.jsonl", the store of study events-owner (${storeOwner})`,
    );
    expect(existsSync(join(dir, 'events-owner.parzen.jsonl'))).toBe(false);
    const wal = writeIn(
      dir,
      'events-wal.json',
      heartConfig({
        name: 'events-wal',
        store: { use: 'sqlite', options: { path: './events-wal.db' } },
        reporters: [{ use: 'events', options: { path: 'events-wal.db-wal' } }],
      }),
    );
    const walRun = await cli('run', wal);
    expect(walRun.code).toBe(2);
    expect(walRun.stderr).toContain('found "events-wal.db-wal", a side file of the study\'s sqlite store');
    // A bare sqlite store's database (<name>.parzen.db) and its side file, the config alone (review 70: passed).
    for (const [events, said] of [
      ['bare-sqlite.parzen.db', "the study's sqlite store"],
      ['bare-sqlite.parzen.db-wal', "a side file of the study's sqlite store"],
    ]) {
      const bare = writeIn(
        dir,
        'bare-sqlite.json',
        heartConfig({
          name: 'bare-sqlite',
          store: { use: 'sqlite' },
          reporters: [{ use: 'events', options: { path: events } }],
        }),
      );
      const checked = await cli('validate', bare);
      expect(checked.code).toBe(2);
      expect(checked.stderr).toContain(`found "${events}", ${said}`);
    }
    expect(existsSync(join(dir, 'bare-sqlite.parzen.db'))).toBe(false);
  });
});

// Trial 162: a flag kept without its value when `{optimizer?}` is left out was a warning of `run` alone.
describe('a command template risk', () => {
  it('validate notes a bare flag before another parameter’s {x?} at its element; a run says it once', async () => {
    const config = writeIn(dir, 'kept-flag.json', {
      name: 'kept-flag',
      space: {
        model: {
          type: 'choice',
          options: [{ value: 'mlp', space: { optimizer: { type: 'choice', options: ['adam', 'sgd'] } } }, 'svm'],
        },
      },
      objective: {
        use: 'command',
        options: { command: [process.execPath, '-e', 'console.log(1)', '--opt', '{optimizer?}'] },
      },
      store: { use: 'memory' },
      budget: { maxTrials: 2 },
    });
    const note =
      "/objective/options/command/3: the command keeps `--opt` when {optimizer?} is left out (the parameter is inactive): only a flag of the parameter's own name goes with it (`--optimizer`). If `--opt` is that parameter's flag, write the two as one element, `--opt={optimizer?}`.";
    const checked = await cli('validate', config);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stderr).toContain(`${config}: note: ${note}`);
    const json = await cli('validate', config, '--json');
    expect(lastJsonLine(json.stdout)).toMatchObject({ valid: [{ notes: [note] }] });
    const ran = await cli('run', config, '--quiet');
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr.match(/the command keeps `--opt`/g)).toHaveLength(1);
  });

  it('validate and run refuse an element whose conditional placeholders are never active together', async () => {
    const config = writeIn(dir, 'never-together.json', {
      name: 'never-together',
      space: {
        optimizer: {
          type: 'choice',
          options: [
            { value: 'adam', space: { adam_lr: { type: 'loguniform', low: 1e-5, high: 0.1 } } },
            { value: 'sgd', space: { sgd_lr: { type: 'loguniform', low: 1e-4, high: 1 } } },
          ],
        },
      },
      objective: {
        use: 'command',
        options: { command: [process.execPath, '-e', 'console.log(1)', '--lr={adam_lr?}{sgd_lr?}'] },
      },
      store: { use: 'memory' },
      budget: { maxTrials: 2 },
    });
    for (const command of ['validate', 'run']) {
      const refused = await cli(command, config);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(
        '/objective/options/command/3: expected placeholders that are active in the same trial',
      );
      expect(refused.stderr).toContain('("--lr={adam_lr?}", "--lr={sgd_lr?}")');
    }
  });
});
