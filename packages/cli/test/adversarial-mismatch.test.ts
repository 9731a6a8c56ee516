import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-adversarial-mismatch-');
  writeIn(dir, 'one.mjs', 'export default () => 1;\n');
});

const space = {
  x: { type: 'uniform', low: 0, high: 1 },
  model: { type: 'choice', options: ['svm', 'tree'] },
};

const config = (name: string, extra: Record<string, unknown> = {}) =>
  writeIn(dir, `${name}-${Math.random().toString(36).slice(2)}.json`, {
    name,
    seed: 1,
    space,
    // On this thread: these tests are about the study, not about isolating the objective.
    objective: { use: 'module', options: { path: './one.mjs', isolate: 'none' } },
    suggester: { use: 'random' },
    store: { use: 'jsonl', options: { path: `./${name}.jsonl` } },
    budget: { maxTrials: 2 },
    ...extra,
  });

describe('resuming with another seed warns, naming both seeds', () => {
  it('warns on another seed and not on the same one', async () => {
    expect((await cli('run', config('seeded'), '--quiet')).code).toBe(0);
    const same = await cli('run', config('seeded'), '--quiet', '--max-trials', '3');
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).not.toMatch(/warning/);
    const other = await cli('run', config('seeded', { seed: 7 }), '--quiet', '--max-trials', '4');
    expect(other.code, other.stderr).toBe(0);
    expect(other.stderr).toMatch(/warning: study seeded was started with seed 1; this run uses seed 7/);
    const flag = await cli('run', config('seeded'), '--quiet', '--seed', '9', '--max-trials', '5');
    expect(flag.stderr).toMatch(/started with seed 1; this run uses seed 9/);
  });
});

describe('resuming with other suggester settings warns, naming the change and how to undo it', () => {
  it('warns when an option (or a default) changed, not when the config only spells the same settings', async () => {
    const tpe = (options: Record<string, unknown>) => ({ suggester: { use: 'tpe', options } });
    const first = await cli('run', config('tuned', tpe({ randint: 'unordered' })), '--quiet');
    expect(first.code, first.stderr).toBe(0);
    // The profile's defaults spelt out are the same settings: no warning.
    const spelt = await cli(
      'run',
      config('tuned', tpe({ randint: 'unordered', candidates: 24 })),
      '--quiet',
      '--max-trials',
      '3',
    );
    expect(spelt.code, spelt.stderr).toBe(0);
    expect(spelt.stderr).not.toMatch(/warning/);
    // As after an upgrade whose default differs from what the study ran with.
    const changed = await cli('run', config('tuned', tpe({})), '--quiet', '--max-trials', '4');
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stderr).toContain(
      'parzen: warning: study tuned was created with other `tpe` settings than this run\'s: `randint` was "unordered", now "ordered". ' +
        'This run uses its own. To go on as the study began, give the suggester these options: {"randint":"unordered"}.',
    );
    // Those options alone restore it (trial 162: an unchanged `explore` came with them): no warning.
    const back = await cli('run', config('tuned', tpe({ randint: 'unordered' })), '--quiet', '--max-trials', '5');
    expect(back.code, back.stderr).toBe(0);
    expect(back.stderr).not.toMatch(/warning/);
    // The options a warning gives restore the study: resumed with them, no warning (review 121: a study made with
    // its own belowBandwidth was told to give it alone, which changed the phase the profile's explore keeps).
    const phase = { trials: 50, gamma: 0.15, belowBandwidth: 0.5 };
    const own = await cli(
      'run',
      config('phased', tpe({ belowBandwidth: 0.25, explore: phase })),
      '--quiet',
      '--max-trials',
      '6',
    );
    expect(own.code, own.stderr).toBe(0);
    const plain = await cli('run', config('phased', tpe({})), '--quiet', '--max-trials', '7');
    const restore = /give the suggester these options: (\{.*\})\.$/m.exec(plain.stderr)?.[1];
    expect(restore, plain.stderr).toBeDefined();
    const restored = await cli(
      'run',
      config('phased', tpe(JSON.parse(restore as string))),
      '--quiet',
      '--max-trials',
      '8',
    );
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stderr).not.toMatch(/warning/);
    // Another suggester (a config edited to compare two) would mix their trials in one study: said too.
    const random = await cli('run', config('tuned'), '--quiet', '--max-trials', '5');
    expect(random.code, random.stderr).toBe(0);
    expect(random.stderr).toContain(
      'parzen: warning: study tuned was created with suggester `tpe`; this run uses `random` and adds its trials to the same study.',
    );
  });
});

describe('spaces are compared canonically', () => {
  it('reordered keys (of the space and of a definition) resume the same study', async () => {
    expect((await cli('run', config('ordered'), '--quiet')).code).toBe(0);
    const reordered = {
      model: { options: ['svm', 'tree'], type: 'choice' },
      x: { high: 1, type: 'uniform', low: 0 },
    };
    const again = await cli('run', config('ordered', { space: reordered }), '--quiet', '--max-trials', '3', '--json');
    expect(again.code, again.stderr).toBe(0);
    // The summary in the study's order, as its trial lines, `trials` and `best` (review 41).
    const summary = JSON.parse(again.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(summary.trials.complete).toBe(3);
    expect(Object.keys(summary.best.params)).toEqual(['x', 'model']);
  });

  it('reordered choice options are another space (their indices are stored)', async () => {
    expect((await cli('run', config('options'), '--quiet')).code).toBe(0);
    const swapped = { ...space, model: { type: 'choice', options: ['tree', 'svm'] } };
    const path = config('options', { space: swapped });
    const again = await cli('run', path, '--quiet', '--max-trials', '3');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/different search space/);
    // The error names the config it came from, in text and in --json.
    expect(again.stderr).toContain(`parzen: ${path}: `);
    const json = await cli('run', path, '--quiet', '--max-trials', '3', '--json');
    const [error] = (JSON.parse(json.stdout.trim().split('\n').at(-1) ?? '{}') as { errors: { file: string }[] })
      .errors;
    expect(error?.file).toBe(path);
    // Its complete trials are kept by the recipe; deleting the study, to drop them, comes after it.
    const recipe = again.stderr.indexOf('--ignore-header');
    const deletion = again.stderr.indexOf(
      `To drop the old trials instead, \`parzen delete ${path} --yes\` deletes the study (with its 2 complete trials: export first what you keep), and the next run creates it anew with this space.`,
    );
    expect(recipe).toBeGreaterThan(0);
    expect(deletion).toBeGreaterThan(recipe);
  });

  it('puts `parzen delete` first when the stored study has no complete trial (a space typo failed them all)', async () => {
    writeIn(dir, 'fails.mjs', 'export default () => { throw new Error("KeyError: dropout"); };\n');
    const typo = { dropuot: { type: 'uniform', low: 0, high: 0.5 } };
    const failing = { objective: { use: 'module', options: { path: './fails.mjs', isolate: 'none' } } };
    expect((await cli('run', config('typo', { space: typo, ...failing }), '--quiet')).code).toBe(1);
    const fixed = config('typo', { space: { dropout: typo.dropuot }, ...failing });
    for (const args of [
      ['run', fixed, '--quiet'],
      ['validate', fixed],
      // A batch, refused before any of its studies runs, says it as the run of that config alone does.
      ['run', fixed, config('bystander'), '--quiet'],
    ]) {
      const again = await cli(...args);
      expect(again.code, again.stderr).toBe(1);
      expect(again.stderr).toContain(
        `is new in the config ({"high":0.5,"low":0,"type":"uniform"}). It has no complete or pruned trial: \`parzen delete ${fixed} --yes\` deletes it (its failed trials with it), and the next run creates it anew with this space. Its trials lack \`dropout\``,
      );
    }
  });
});

describe('parameters that share an environment variable', () => {
  it.each([
    ['a-b', 'a_b', 'PARZEN_PARAM_A_B'],
    ['lr', 'LR', 'PARZEN_PARAM_LR'],
    ['x.y', 'x y', 'PARZEN_PARAM_X_Y'],
  ])('%s and %s are refused: a program may read that variable (review 40)', async (first, second, variable) => {
    const path = config('env', {
      space: { [first]: space.x, [second]: space.x },
      objective: { use: 'command', options: { command: [process.execPath, '-e', 'console.log(1)'] } },
    });
    const result = await cli('validate', path);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`/space: expected parameter names that the command objective passes in different`);
    expect(result.stderr).toContain(`found \`${first}\` and \`${second}\`, all passed as ${variable}`);
  });

  it.each([
    ['α', 'λ', 'PARZEN_PARAM__'],
    ['größe', 'grüße', 'PARZEN_PARAM_GR_SSE'],
  ])(
    '%s and %s (trial 40: refused): the variable is left out, said once, the values come through PARZEN_PARAMS',
    async (first, second, variable) => {
      const program = `const p = JSON.parse(process.env.PARZEN_PARAMS); console.log(JSON.stringify({ loss: p[${JSON.stringify(first)}] + p[${JSON.stringify(second)}], set: process.env[${JSON.stringify(variable)}] !== undefined }))`;
      const path = config('env', {
        space: { [first]: space.x, [second]: space.x },
        objective: { use: 'command', options: { command: [process.execPath, '-e', program] } },
        store: { use: 'memory' },
      });
      const result = await cli('run', path, '--json');
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr.match(/leaves out/g)).toHaveLength(1);
      expect(result.stderr).toContain(
        `the command objective leaves out ${variable} (\`${first}\` and \`${second}\` map to it): one value would hide the others.`,
      );
      const summary = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
      expect(summary).toMatchObject({ trials: { complete: 2 }, best: { attrs: { set: false } } });
    },
  );
});

describe("a loss line with Python's NaN and Infinity tokens", () => {
  it.each([
    ['{"loss": NaN}', 'OBJECTIVE_NAN'],
    ['{"loss": Infinity, "note": "NaN"}', 'OBJECTIVE_INFINITE'],
    ['{"loss": -Infinity}', 'OBJECTIVE_INFINITE'],
  ])('%s fails the trial with %s, not as missing', async (line, code) => {
    const name = `nan-${code}-${line.length}`;
    const path = config(name, {
      objective: {
        use: 'command',
        options: { command: [process.execPath, '-e', `console.log(${JSON.stringify(line)})`] },
      },
      budget: { maxTrials: 1 },
    });
    expect((await cli('run', path, '--quiet')).code).toBe(1);
    const trials = JSON.parse((await cli('trials', path, '--json')).stdout) as { error: { code: string } }[];
    expect(trials.map((trial) => trial.error.code)).toEqual([code]);
  });
});

describe('a store holding trials no run stores (trial 93: a forged journal line)', () => {
  it('is refused before anything is written, naming the trial, its values and how to go on', async () => {
    const path = config('forged');
    expect((await cli('run', path, '--quiet', '--max-trials', '3')).code).toBe(0);
    const journal = join(dir, 'forged.jsonl');
    const lines = readFileSync(journal, 'utf8').split('\n');
    // Trial #1's params: the choice index 99 of two options and x beyond its bounds; its loss below -1e308.
    const params = lines.findIndex((line) => line.includes('"op":"params"') && line.includes('"number":1'));
    const finish = lines.findIndex((line) => line.includes('"op":"finish"') && line.includes('"number":1'));
    lines[params] = JSON.stringify({ op: 'params', study: 'forged', number: 1, params: { x: 2.5, model: 99 } });
    lines[finish] = (lines[finish] as string).replace(/"loss":[^,}]+/, '"loss":-1e400');
    writeFileSync(journal, lines.join('\n'));
    const before = readFileSync(journal);
    for (const command of ['run', 'resume']) {
      const refused = await cli(command, path, '--quiet', '--max-trials', '6');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        'Study forged: its store holds a trial that no run stores (a hand edit, or a damaged file?), so it is not run: ' +
          'trial #1: `x` = 2.5, outside its uniform distribution (expected a number from 0 to 1); `model` = 99, ' +
          'outside its categorical distribution (expected an option index from 0 to 1); loss -Infinity, not a finite number.',
      );
      expect(refused.stderr).toContain('import the export into a new store with `--on-invalid skip`');
      expect(readFileSync(journal)).toEqual(before);
    }
    // What run would refuse, validate and explain refuse (review 97: valid, and TPE blamed for the index 99).
    for (const command of ['validate', 'explain']) {
      const refused = await cli(command, path);
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toContain('trial #1: `x` = 2.5, outside its uniform distribution');
    }
    // The read-only commands show the trials as they are, and say so.
    const warning =
      'parzen: warning: study forged: its store holds a trial that no run stores (a hand edit, or a damaged file?): trial #1: `x` = 2.5';
    for (const args of [
      ['best', path],
      ['trials', path],
      ['report', path, '-o', join(dir, 'forged.html')],
      ['studies', '--store', `jsonl:${journal}`],
    ]) {
      const shown = await cli(...(args as [string, ...string[]]));
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stderr).toContain(warning);
      expect(shown.stderr).toContain('`run` and `resume` refuse the study until then');
    }
    expect(readFileSync(journal)).toEqual(before);
  });
});

describe('text from an objective that a terminal would obey (trial 93)', () => {
  it('is shown escaped in the run, its summary and the trials table; --json keeps it as it was', async () => {
    writeIn(
      dir,
      'escapes.mjs',
      "export default () => { throw new Error('boom \\u001b]0;PWNED\\u0007\\u001b[2J\\nnext \\u202eX'); };\n",
    );
    const path = config('escapes', {
      objective: { use: 'module', options: { path: './escapes.mjs', isolate: 'none' } },
    });
    const ran = await cli('run', path, '--max-trials', '1');
    expect(ran.code).toBe(1);
    expect(ran.stdout + ran.stderr).not.toContain('\u001b');
    expect(ran.stderr).toContain('boom \\u001b]0;PWNED\\u0007\\u001b[2J');
    const table = await cli('trials', path);
    for (const raw of ['\u001b', '\u0007', '\u202e']) expect(table.stdout).not.toContain(raw);
    expect(table.stdout).toContain('OBJECTIVE_THREW: boom \\u001b]0;PWNED\\u0007\\u001b[2J\\u000anext \\u202eX');
    // One line a trial: the header and trial #0.
    expect(table.stdout.trim().split('\n')).toHaveLength(2);
    const json = await cli('trials', path, '--json');
    expect((JSON.parse(json.stdout) as { error: { message: string } }[])[0]?.error.message).toBe(
      'boom \u001b]0;PWNED\u0007\u001b[2J\nnext \u202eX',
    );
  });
});

describe("a study's name from a hand-edited journal (review 98: export printed it raw)", () => {
  it('is shown escaped by export and in the stored-trial warning', async () => {
    const path = config('renamed');
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    const journal = join(dir, 'renamed.jsonl');
    writeFileSync(journal, readFileSync(journal, 'utf8').replaceAll('"renamed"', '"re\\u001b[2Jnamed"'));
    const out = join(dir, 'renamed-export.jsonl');
    const exported = await cli('export', '--store', `jsonl:${journal}`, '--study', 're\u001b[2Jnamed', '-o', out);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain('of study re\\u001b[2Jnamed to ');
    expect(exported.stderr).not.toContain('\u001b');
  });
});

describe('--quiet says a study the run started (trial 104: a misspelt store folder started one, and nothing said so)', () => {
  it('on the summary line of a new study in a kept store, not of a resumed one nor of a memory store', async () => {
    const path = config('fresh', { store: { use: 'jsonl', options: { path: './nodir/sub/fresh.jsonl' } } });
    const first = await cli('run', path, '--quiet');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Study fresh: 2 complete, 0 failed \(a new study: this run started it\)\n/);
    const again = await cli('run', path, '--quiet', '--more-trials', '1');
    expect(again.stdout).toMatch(/^Study fresh: 3 complete, 0 failed\n/);
    const loud = await cli('run', config('loud'));
    expect(loud.stdout).not.toContain('a new study');
    const memory = await cli('run', config('kept-nowhere', { store: { use: 'memory' } }), '--quiet');
    expect(memory.stdout).toMatch(/^Study kept-nowhere: 2 complete, 0 failed\n/);
    // SQLite's `:memory:` database keeps nothing either (review 108).
    const sqliteMemory = await cli(
      'run',
      config('in-sqlite-memory', { store: { use: 'sqlite', options: { path: ':memory:' } } }),
      '--quiet',
    );
    expect(sqliteMemory.code, sqliteMemory.stderr).toBe(0);
    expect(sqliteMemory.stdout).toMatch(/^Study in-sqlite-memory: 2 complete, 0 failed\n/);
  });
});

describe('parzen studies names a suggester with its profile (trial 105: three TPE profiles read `tpe` alike)', () => {
  it('tpe (hyperopt) in the table, profile in --json, a suggester without a profile as it is', async () => {
    const path = config('profiled', {
      suggester: { use: 'tpe', options: { profile: 'hyperopt' } },
      store: { use: 'jsonl', options: { path: './profiled.jsonl' } },
    });
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    const listed = await cli('studies', path);
    expect(listed.stdout.split('\n')[1]).toMatch(/^profiled\s+minimize\s+tpe \(hyperopt\)\s+2\s/);
    const json = JSON.parse((await cli('studies', path, '--json')).stdout) as { suggester: string; profile: unknown }[];
    expect(json).toEqual([expect.objectContaining({ suggester: 'tpe', profile: 'hyperopt' })]);
    const plain = config('plain-random', { store: { use: 'jsonl', options: { path: './plain-random.jsonl' } } });
    expect((await cli('run', plain, '--quiet')).code).toBe(0);
    expect((await cli('studies', plain)).stdout.split('\n')[1]).toMatch(/^plain-random\s+minimize\s+random\s+2\s/);
    expect(JSON.parse((await cli('studies', plain, '--json')).stdout)).toEqual([
      expect.objectContaining({ suggester: 'random', profile: null }),
    ]);
  });
});

describe('validate says how many of the enqueued entries the study already ran', () => {
  const enqueue = [{ x: 0.1 }, { x: 0.2 }, { x: 0.3 }];

  it('counts them by the keys a run queues them with: ran, not yet run, and an edited entry as new', async () => {
    const before = await cli('validate', config('queued', { enqueue }));
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toMatch(/, 3 enqueued trials$/m);
    expect((await cli('run', config('queued', { enqueue }), '--quiet')).code).toBe(0);
    const part = await cli('validate', config('queued', { enqueue }));
    expect(part.code, part.stderr).toBe(0);
    expect(part.stdout).toMatch(/, 3 enqueued trials, 1 not yet run \(2 already ran in study queued\)$/m);
    // An entry whose values changed is another entry: the run queues it anew.
    const edited = await cli('validate', config('queued', { enqueue: [{ x: 0.1 }, { x: 0.25 }, { x: 0.3 }] }));
    expect(edited.stdout).toMatch(/, 3 enqueued trials, 2 not yet run \(1 already ran in study queued\)$/m);
    expect((await cli('run', config('queued', { enqueue }), '--quiet', '--max-trials', '3')).code).toBe(0);
    const all = await cli('validate', config('queued', { enqueue }));
    expect(all.stdout).toMatch(/, 3 enqueued trials \(all 3 already ran in study queued\)$/m);
    // A second copy of an entry is its own entry (a list naming the same params twice runs them twice).
    const twice = await cli('validate', config('queued', { enqueue: [...enqueue, { x: 0.1 }] }));
    expect(twice.stdout).toMatch(/, 4 enqueued trials, 1 not yet run \(3 already ran in study queued\)$/m);
  });

  it('does not count an entry whose trial the suggester failed on: it was queued again and runs next (review 126)', async () => {
    writeIn(
      dir,
      'broken-suggester.mjs',
      "export const manifests = [{ kind: 'suggester', name: 'broken', optionsSchema: { type: 'object' }, create: () => ({ name: 'broken', beginTrial: () => { throw new Error('plugin bug'); } }) }];\n",
    );
    const broken = { plugins: ['./broken-suggester.mjs'], suggester: { use: 'broken' }, enqueue: [{ x: 0.1 }] };
    const run = await cli('run', config('requeued', broken), '--quiet');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('plugin bug. The enqueued entry the trial took ({"x":0.1}) is queued again');
    const result = await cli('validate', config('requeued', broken));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/, 1 enqueued trial \(none ran yet in study requeued\)$/m);
    // Mended, the run takes the copy first: from then on it ran (review 127: still "none ran yet").
    const mended = { enqueue: [{ x: 0.1 }], budget: { maxTrials: 3 } };
    expect((await cli('run', config('requeued', mended), '--quiet')).code).toBe(0);
    const trials = JSON.parse((await cli('trials', config('requeued', mended), '--json')).stdout) as {
      params: { x: number };
    }[];
    expect(trials[1]?.params.x).toBe(0.1);
    const ran = await cli('validate', config('requeued', mended));
    expect(ran.stdout).toMatch(/, 1 enqueued trial \(it already ran in study requeued\)$/m);
  });

  it("says of its config a suggester that fails when made a second time, and keeps the other configs' results (review 127)", async () => {
    writeIn(
      dir,
      'second-fails.mjs',
      "export const manifests = [{ kind: 'suggester', name: 'moody', optionsSchema: { type: 'object' }, create: () => { globalThis.parzenMade = (globalThis.parzenMade ?? 0) + 1; if (globalThis.parzenFailSecond === true && globalThis.parzenMade === 2) throw new Error('made twice'); return { name: 'moody', settings: { a: 1 }, beginTrial: () => ({ sampleParam: (param) => (param.distribution.kind === 'categorical' ? 0 : 0.5) }) }; } }];\n",
    );
    const moody = config('moody', { plugins: ['./second-fails.mjs'], suggester: { use: 'moody' } });
    const first = await cli('run', moody, '--quiet');
    expect(first.code, first.stderr).toBe(0);
    const plain = config('plain-beside');
    const made = globalThis as { parzenMade?: number; parzenFailSecond?: boolean };
    made.parzenMade = 0;
    made.parzenFailSecond = true;
    const checked = await cli('validate', plain, moody, '--json');
    made.parzenFailSecond = false;
    expect(checked.code, checked.stderr).toBe(0);
    expect((JSON.parse(checked.stdout) as { valid: unknown[] }).valid).toHaveLength(2);
    expect(checked.stderr).toContain(
      'note: /suggester/options: the settings of suggester `moody` could not be compared with those study moody was created with: The suggester plugin `moody` could not start: made twice',
    );
  });

  it('notes an entry an earlier config queued, still waiting, that this config no longer lists (trial 119)', async () => {
    const listed = { enqueue: [{ x: 0.2 }, { x: 0.3 }], budget: { maxTrials: 1 } };
    expect((await cli('run', config('leftover', listed), '--quiet')).code).toBe(0);
    const dropped = await cli('validate', config('leftover', { enqueue: [], budget: { maxTrials: 5 } }));
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(dropped.stderr).toContain(
      'note: /enqueue: study leftover: an entry an earlier run\'s `enqueue` list queued waits and runs first, though this run\'s list does not have it: {"x":0.3}.',
    );
    // Still listed: nothing to say.
    const kept = await cli('validate', config('leftover', { ...listed, budget: { maxTrials: 5 } }));
    expect(kept.stderr).not.toContain('/enqueue');
  });

  it('says none ran yet of a study whose trials ran none of them', async () => {
    expect((await cli('run', config('sampled'), '--quiet')).code).toBe(0);
    const result = await cli('validate', config('sampled', { enqueue: [{ x: 0.5 }] }));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/, 1 enqueued trial \(none ran yet in study sampled\)$/m);
  });
});
