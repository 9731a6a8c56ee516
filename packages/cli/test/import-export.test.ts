import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { SpaceDefinition, Trial } from '@parzen/engine';
import { PARZEN_VERSION } from '@parzen/engine/host';
import { createJsonlStore } from '@parzen/store-file';
import { createSqliteStore } from '@parzen/store-sqlite';
import { beforeAll, describe, expect, it } from 'vitest';
import { takeOutMadeStudy } from '../src/commands/import.js';
import { linkEngine, repoRoot, tempDir, writeIn, writeSignallingStore } from './cli-harness.js';
import { cli } from './cli-in-process.js';

const space = {
  x: { type: 'uniform', low: 0, high: 1 },
  model: { type: 'choice', options: ['svm', 'tree'] },
} as const satisfies SpaceDefinition;
const study = { name: 'heart', direction: 'minimize', seed: 7, space } as const;

let dir: string;
/** A config of study `heart` on the given store, its objective never loaded by import or export. */
const config = (file: string, store: unknown, extra: Record<string, unknown> = {}) =>
  writeIn(dir, file, {
    name: 'heart',
    seed: 7,
    space,
    objective: { use: 'module', options: { path: './missing-objective.mjs' } },
    store,
    budget: { maxTrials: 10 },
    ...extra,
  });
/** A config of study `name` in `./<file>.parzen.db` (SQLite) with another space. */
const sqliteConfig = (name: string, space: unknown, file = name) =>
  writeIn(dir, `${file}.json`, {
    name,
    seed: 1,
    space,
    objective: { use: 'module', options: { path: './missing-objective.mjs' } },
    store: { use: 'sqlite', options: { path: `./${file}.parzen.db` } },
    budget: { maxTrials: 10 },
  });
/**
 * A config (`file` in `own`) of study `name` in the store plugin `plugin` (`./<plugin>.mjs`, given `path` when there is
 * one), its objective never loaded.
 */
const pluginStoreConfig = (own: string, file: string, name: string, plugin: string, path?: string) =>
  writeIn(own, file, {
    name,
    space,
    plugins: [`./${plugin}.mjs`],
    objective: { use: 'module', options: { path: './missing-objective.mjs' } },
    store: { use: plugin, ...(path === undefined ? {} : { options: { path } }) },
    budget: { maxTrials: 10 },
  });
/**
 * Writes `<name>.mjs` into `own` (the packages linked there): a store plugin `name` over a jsonl store at its option
 * `path`, whose methods are the store's but where `wrap` (code given `key`, `value`, `target`, `options` and
 * `createJsonlStore`) returns another function.
 */
const writeJsonlProxyStore = (own: string, name: string, wrap: string) => {
  linkEngine(own);
  const link = join(own, 'node_modules', '@parzen', 'store-file');
  if (!existsSync(link)) symlinkSync(join(repoRoot, 'packages', 'store-file'), link, 'dir');
  writeIn(
    own,
    `${name}.mjs`,
    `import { createJsonlStore } from '@parzen/store-file';
let opened = 0;
export const manifests = [{
  kind: 'store',
  name: '${name}',
  optionsSchema: { type: 'object' },
  create: (options = {}) => {
    const store = createJsonlStore({ path: options.path });
    return new Proxy(store, {
      get: (target, key) => {
        const value = Reflect.get(target, key);
        if (typeof value !== 'function') return value;
        ${wrap}
        return value.bind(target);
      },
    });
  },
}];
`,
  );
};
const sqliteTrials = async (path: string, name = 'heart'): Promise<readonly Trial[]> => {
  const store = createSqliteStore({ path, readOnly: true });
  try {
    return await store.listTrials(name);
  } finally {
    await store.close();
  }
};
/** What survives a move between stores: everything but the trial's number. */
const portable = (trial: Trial) => {
  const { number: _, study: __, ...rest } = trial as Trial & { lease?: unknown };
  return rest;
};

let journal: string;
beforeAll(async () => {
  dir = tempDir('parzen-import-export-');
  journal = join(dir, 'heart.parzen.jsonl');
  const store = createJsonlStore({ path: journal });
  await store.openStudy(study);
  const finish = async (params: Record<string, number>, outcome: Parameters<typeof store.finishTrial>[2]) => {
    const trial = await store.createTrial('heart');
    const number = trial?.number ?? -1;
    await store.setParams('heart', number, params);
    if (outcome.state === 'pruned') {
      await store.reportIntermediate('heart', number, 0, 0.9);
      await store.reportIntermediate('heart', number, 3, 0.6);
    }
    await store.finishTrial('heart', number, outcome);
  };
  await finish({ x: 0.25, model: 1 }, { state: 'complete', loss: 0.5, attrs: { epochs: 12, note: 'ok' } });
  await finish({ x: 0.75, model: 0 }, { state: 'pruned', loss: 0.6 });
  await store.createTrial('heart'); // still running: not exported
  await finish({ x: 0.5, model: 0 }, { state: 'failed', error: { code: 'OBJECTIVE_THREW', message: 'diverged' } });
  await finish({ x: 0.125, model: 1 }, { state: 'complete', loss: 0.25 });
  await store.close();
});

describe('parzen export and import', () => {
  it('import refuses a file every row of which the study already has (trial 50), and imports it with --allow-repeats, saying so', async () => {
    const from = config('from-twice.json', { use: 'jsonl', options: { path: './heart.parzen.jsonl' } });
    const exported = join(dir, 'twice-export.jsonl');
    expect((await cli('export', from, '-o', exported)).code).toBe(0);
    const to = config('to-twice.json', { use: 'sqlite', options: { path: './twice.parzen.db' } });
    const first = await cli('import', to, exported);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe(
      `parzen: study heart is new in ${join(dir, 'twice.parzen.db')}: this import made it, and the file, which was not there.\n` +
        'Imported 4 trials into study heart (sqlite store) as #0-#3.',
    );
    const refused = await cli('import', to, exported);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'Every one of the 4 trials in ' +
        exported +
        ' repeats a trial study heart already has (same params, state, loss and error): the file was imported before, it seems, or is an export of this very study. Nothing was imported.',
    );
    expect(await sqliteTrials(join(dir, 'twice.parzen.db'))).toHaveLength(4);
    const second = await cli('import', to, exported, '--allow-repeats');
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain('Imported 4 trials into study heart (sqlite store) as #4-#7.');
    expect(second.stderr).toContain(
      '4 of the 4 imported trials repeat trials heart already had (same params, state, loss and error)',
    );
    // Into the study it made before: nothing new to say.
    expect(second.stderr).not.toContain('is new in');
    // A new study in the file that is there: the study is said, not the file.
    const beside = config(
      'beside-twice.json',
      { use: 'sqlite', options: { path: './twice.parzen.db' } },
      { name: 'beside' },
    );
    const third = await cli('import', beside, exported, '--ignore-header');
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toBe(
      `parzen: study beside is new in ${join(dir, 'twice.parzen.db')}: this import made it.\n` +
        'Imported 4 trials into study beside (sqlite store) as #0-#3.',
    );
    // Without --ignore-header, an export of another study going into this one is said (trial 119: unsaid).
    const renamed = config(
      'renamed-twice.json',
      { use: 'jsonl', options: { path: './renamed.parzen.jsonl' } },
      { name: 'renamed' },
    );
    const fourth = await cli('import', renamed, exported);
    expect(fourth.code, fourth.stderr).toBe(0);
    expect(fourth.stderr).toContain(
      `parzen: note: ${exported} is an export of study heart; its trials went into study renamed, the config's.`,
    );
    expect(first.stderr).not.toContain('is an export of study');
    expect(second.stderr).toContain('the study now counts them twice');
    expect(second.stderr).toContain('import the file once into a new study');
    expect(await sqliteTrials(join(dir, 'twice.parzen.db'))).toHaveLength(8);
  });

  it('two imports of one file at once add it once: the store refuses the second in the same step as the add (trial 56)', async () => {
    const from = config('from-race.json', { use: 'jsonl', options: { path: './heart.parzen.jsonl' } });
    const exported = join(dir, 'race-export.jsonl');
    expect((await cli('export', from, '-o', exported)).code).toBe(0);
    for (const [name, store] of [
      ['race-jsonl', { use: 'jsonl', options: { path: './race.parzen.jsonl' } }],
      ['race-sqlite', { use: 'sqlite', options: { path: './race.parzen.db' } }],
    ] as const) {
      const to = config(`${name}.json`, store);
      // Both read the study (empty) before either adds: only the store's own check can refuse one.
      const both = await Promise.all([cli('import', to, exported), cli('import', to, exported)]);
      expect(both.map((result) => result.code).sort()).toEqual([0, 2]);
      expect(both.find((result) => result.code === 2)?.stderr).toContain(
        `Every one of the 4 trials in ${exported} repeats a trial study heart already has`,
      );
      const listed = await cli('trials', to, '--json');
      expect(JSON.parse(listed.stdout)).toHaveLength(4);
    }
  });

  it('import --skip-repeats leaves out the rows the study has, by line, and exits 0: a step run again (a Makefile)', async () => {
    const rows = ['x,model,loss', '0.1,svm,0.5', '0.2,tree,0.6', '0.2,tree,0.6'];
    const results = writeIn(dir, 'skip-results.csv', `${rows.join('\n')}\n`);
    const target = config('skip.json', { use: 'sqlite', options: { path: './skip.parzen.db' } });
    const first = await cli('import', target, results, '--skip-repeats', '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ imported: [0, 1, 2], skippedRepeats: [], repeatedLines: [4] });
    const again = await cli('import', target, results, '--skip-repeats');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe(
      'Imported no trials into study heart (sqlite store).\n' +
        `Skipped 3 of 3 lines (2, 3, 4): each repeats a trial study heart already had (same params, state, loss and error; --skip-repeats).`,
    );
    // The file grown by a row: that row alone is imported.
    const grown = writeIn(dir, 'skip-grown.csv', `${[...rows, '0.3,svm,0.7'].join('\n')}\n`);
    const more = await cli('import', target, grown, '--skip-repeats', '--json');
    expect(more.code, more.stderr).toBe(0);
    expect(JSON.parse(more.stdout)).toMatchObject({
      imported: [3],
      skippedRepeats: [2, 3, 4],
      repeatsOfStudy: 0,
      repeatedLines: [],
    });
    expect(more.stderr).toContain('Skipped 3 of 4 lines (2, 3, 4): each repeats a trial study heart already had');
    expect(await sqliteTrials(join(dir, 'skip.parzen.db'))).toHaveLength(4);
    // An export imported again: its rows, with their times, are each a copy of a trial the study has.
    const exported = join(dir, 'skip-export.jsonl');
    expect((await cli('export', target, '-o', exported)).code).toBe(0);
    const copies = await cli('import', target, exported, '--skip-repeats', '--json');
    expect(copies.code, copies.stderr).toBe(0);
    expect(JSON.parse(copies.stdout)).toMatchObject({ imported: [], skippedRepeats: [2, 3, 4, 5] });
    expect(await sqliteTrials(join(dir, 'skip.parzen.db'))).toHaveLength(4);
    // Two imports at once: the store's own check (in its step) leaves the second's rows out as repeats.
    const raced = config('skip-race.json', { use: 'jsonl', options: { path: './skip-race.parzen.jsonl' } });
    const both = await Promise.all([
      cli('import', raced, results, '--skip-repeats', '--json'),
      cli('import', raced, results, '--skip-repeats', '--json'),
    ]);
    expect(both.map((result) => result.code)).toEqual([0, 0]);
    expect(both.map((result) => JSON.parse(result.stdout).skippedRepeats).sort()).toEqual([[], [2, 3, 4]]);
    expect(JSON.parse((await cli('trials', raced, '--json')).stdout)).toHaveLength(3);
    // Two different files that share rows, imported at the same moment: the store leaves out in its atomic step
    // the rows the other import added, so each shared row is imported once. Whether the two processes' reads
    // overlap depends on their start-up, so this need not fail on a skip made before the store's step; the store
    // contract suite's two-handle test is the guard of that.
    const firstFile = writeIn(
      dir,
      'skip-first.csv',
      `${[rows[0], '0.4,svm,0.1', '0.5,tree,0.2', '0.6,svm,0.3'].join('\n')}\n`,
    );
    const secondFile = writeIn(
      dir,
      'skip-second.csv',
      `${[rows[0], '0.5,tree,0.2', '0.6,svm,0.3', '0.7,tree,0.4'].join('\n')}\n`,
    );
    for (const kind of ['jsonl', 'sqlite']) {
      const shared = config(`skip-shared-${kind}.json`, {
        use: kind,
        options: { path: `./skip-shared.parzen.${kind}` },
      });
      const [one, two] = await Promise.all([
        cli('import', shared, firstFile, '--skip-repeats', '--json'),
        cli('import', shared, secondFile, '--skip-repeats', '--json'),
      ]);
      expect([one.code, two.code], `${one.stderr}${two.stderr}`).toEqual([0, 0]);
      const [a, b] = [JSON.parse(one.stdout), JSON.parse(two.stdout)];
      expect(a.imported.length + b.imported.length).toBe(4);
      expect(a.skippedRepeats.length + b.skippedRepeats.length).toBe(2);
      const xs = JSON.parse((await cli('trials', shared, '--json')).stdout).map(
        (trial: { params: { x: number } }) => trial.params.x,
      );
      expect(xs.sort()).toEqual([0.4, 0.5, 0.6, 0.7]);
    }
    // Not with --allow-repeats, which asks for the opposite.
    const both2 = await cli('import', target, results, '--skip-repeats', '--allow-repeats', '--json');
    expect(both2.code).toBe(2);
    expect(both2.stderr).toContain(
      'parzen: --skip-repeats and --allow-repeats ask for opposite things: --skip-repeats leaves out the rows that repeat trials the study has, --allow-repeats imports them; give one of them. Nothing was imported.',
    );
    expect(JSON.parse(both2.stdout)).toMatchObject({ errors: [{ code: 'CLI_INPUT' }] });
    // The refusal without either flag names both ways past it.
    const refused = await cli('import', target, results);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'pass --allow-repeats; for a step run again (a Makefile), --skip-repeats leaves out the rows the study has and exits 0.',
    );
  });

  it('says which lines of one file repeat an earlier line of it, and words one repeat as one (user trial 27)', async () => {
    const row = '{"params": {"x": 0.3, "model": "tree"}, "loss": 0.5}';
    const twice = writeIn(
      dir,
      'dup.jsonl',
      [row, '{"params": {"x": 0.4, "model": "tree"}, "loss": 0.6}', row].join('\n'),
    );
    const target = config('dup.json', { use: 'sqlite', options: { path: './dup.parzen.db' } });
    const first = await cli('import', target, twice);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(
      `parzen: 1 line of ${twice} (3) repeats an earlier line of it (same params, state, loss and error): imported as trials of their own`,
    );
    // Two different lines, one of them a trial the study has: a repeat of the study, not within the file.
    const once = writeIn(
      dir,
      'dup-once.jsonl',
      [row, '{"params": {"x": 0.7, "model": "tree"}, "loss": 0.8}'].join('\n'),
    );
    const again = await cli('import', target, once);
    expect(again.stderr).toContain('1 of the 2 imported trials repeats a trial heart already had');
    expect(again.stderr).not.toContain('repeats an earlier line');
  });

  it('closes the services a store had made when the store fails to start (review 76)', async () => {
    const own = tempDir('parzen-import-service-');
    const closed = join(own, 'closed.txt');
    writeIn(
      own,
      'failing-store.mjs',
      `import { writeFileSync } from 'node:fs';
const token = { id: Symbol.for('parzen.service.test.pool') };
export const services = [{ token, create: () => ({ open: true }), close: () => writeFileSync(${JSON.stringify(closed)}, 'closed') }];
export const manifests = [{
  kind: 'store', name: 'failing', optionsSchema: { type: 'object' },
  create: (_options, context) => { context.services.get(token); throw new Error('no database today'); },
}];
`,
    );
    const rows = writeIn(own, 'rows.jsonl', '{"params": {"x": 0.5, "model": "svm"}, "loss": 1}\n');
    const target = writeIn(own, 'failing.json', {
      name: 'failing',
      space,
      plugins: ['./failing-store.mjs'],
      objective: { use: 'module', options: { path: './missing-objective.mjs' } },
      store: { use: 'failing' },
      budget: { maxTrials: 10 },
    });
    const out = await cli('import', target, rows);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('no database today');
    expect(existsSync(closed), 'the service was not closed').toBe(true);
  });

  it('lists the first 20 repeated lines and says how many more (trial 71: 10,000 numbers on one line)', async () => {
    const row = '{"params": {"x": 0.3, "model": "tree"}, "loss": 0.5}';
    const many = writeIn(dir, 'dup-many.jsonl', Array.from({ length: 31 }, () => row).join('\n'));
    const target = config('dup-many.json', { use: 'jsonl', options: { path: './dup-many.parzen.jsonl' } });
    const out = await cli('import', target, many, '--json');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain(
      `parzen: 30 lines of ${many} (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21 and 10 more; the --json line lists them all) repeat an earlier line of it`,
    );
    expect(JSON.parse(out.stdout).repeatedLines).toHaveLength(30);
  });

  it('export -o --json prints what was written and what was left out; --json without -o is refused (stdout holds the export)', async () => {
    const from = config('from-json.json', { use: 'jsonl', options: { path: './heart.parzen.jsonl' } });
    const file = join(dir, 'json-export', 'heart.jsonl');
    const written = await cli('export', from, '-o', file, '--json');
    expect(written.code, written.stderr).toBe(0);
    expect(JSON.parse(written.stdout)).toEqual({
      study: 'heart',
      output: file,
      trials: 4,
      leftOut: { running: [2], salvaged: [] },
      nonFinite: 0,
    });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(5);
    // The sentence a person reads goes with the notes.
    expect(written.stderr).toContain(`Exported 4 trials of study heart to ${file}.`);
    const toStdout = await cli('export', from, '--json');
    expect(toStdout.code).toBe(2);
    // As every --json command says an error: a JSON line on stdout, the sentence on stderr.
    expect(JSON.parse(toStdout.stdout)).toMatchObject({ errors: [{ code: 'CLI_INPUT' }] });
    expect(toStdout.stderr).toContain('--json describes the file export writes');
  });

  it("import says a store's config errors where run says them: under /store/options, or of the --store flag (review 67)", async () => {
    const salvaging = config('salvaging.json', {
      use: 'jsonl',
      options: { path: './salvaged.parzen.jsonl', salvage: true },
    });
    const rows = writeIn(dir, 'one-row.jsonl', '{"params":{"x":0.5,"model":"svm"},"loss":1}\n');
    const refused = await cli('import', salvaging, rows);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('/store/options/salvage: expected salvage only for a command that reads');
    const flagged = await cli('import', salvaging, rows, '--store', 'postgres:postgres://u:pw@localhost/db');
    expect(flagged.code).toBe(2);
    expect(flagged.stderr).toContain(
      '--store "postgres:postgres://u:***@localhost/db": expected a URL without a password',
    );
  });

  it('export -o: creates missing folders, refuses a folder, names the path it cannot write (was a stack trace)', async () => {
    const from = config('from-o.json', { use: 'jsonl', options: { path: './heart.parzen.jsonl' } });
    const nested = join(dir, 'exports', 'deep', 'heart.jsonl');
    const made = await cli('export', from, '-o', nested);
    expect(made.code).toBe(0);
    expect(readFileSync(nested, 'utf8').split('\n')[0]).toContain('"parzen":"export"');
    const folder = await cli('export', from, '-o', join(dir, 'exports'));
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain(`-o: ${join(dir, 'exports')} is a folder; give the file to write`);
    expect(folder.stderr).not.toMatch(/\n\s+at /);
    const throughFile = await cli('export', from, '-o', join(nested, 'x.jsonl'));
    expect(throughFile.code).toBe(2);
    expect(throughFile.stderr).toContain(`-o: cannot write ${join(nested, 'x.jsonl')}`);
    expect(throughFile.stderr).not.toMatch(/\n\s+at /);
    // A full disk is a failure (exit 1), as `parzen trials > /dev/full` exits, not bad input (it was 2).
    if (existsSync('/dev/full')) {
      const full = await cli('export', from, '-o', '/dev/full');
      expect(full.code).toBe(1);
      expect(full.stderr).toContain('-o: cannot write /dev/full: ENOSPC');
    }
  });

  it("keeps a failed trial's error details (OBJECTIVE_BAD_ATTRS keeps its loss there) through export and import, JSONL and CSV, into jsonl and sqlite", async () => {
    const source = join(dir, 'details.parzen.jsonl');
    const store = createJsonlStore({ path: source });
    await store.openStudy(study);
    const error = {
      code: 'OBJECTIVE_BAD_ATTRS',
      message: 'attrs.bad is NaN. The loss (0.5) is kept.',
      details: { loss: 0.5 },
    };
    for (const outcome of [
      { state: 'failed', error },
      { state: 'complete', loss: 0.25 },
    ] as const) {
      const number = (await store.createTrial('heart'))?.number ?? -1;
      await store.setParams('heart', number, { x: 0.5, model: 0 });
      await store.finishTrial('heart', number, outcome);
    }
    await store.close();
    const exported = join(dir, 'details-export.jsonl');
    expect((await cli('export', '--store', `jsonl:${source}`, '-o', exported)).code).toBe(0);
    expect(readFileSync(exported, 'utf8')).toContain('"details":{"loss":0.5}');
    // `trials --csv` writes the details as JSON in a last column, only when a trial has them.
    const csv = join(dir, 'details.csv');
    const listed = await cli('trials', '--store', `jsonl:${source}`, '--csv');
    expect(listed.stdout.split('\n')[0]?.endsWith(',started_at,finished_at,error_details')).toBe(true);
    writeFileSync(csv, `${listed.stdout}\n`);
    for (const [file, kind] of [
      [exported, 'jsonl'],
      [exported, 'sqlite'],
      [csv, 'jsonl'],
      [csv, 'sqlite'],
    ] as const) {
      const target = join(
        dir,
        `details-${kind}-${file === csv ? 'csv' : 'export'}.${kind === 'sqlite' ? 'db' : 'jsonl'}`,
      );
      const into = `${kind}:${target}`;
      const imported = await cli('import', config('details.json', { use: 'memory' }), file, '--store', into);
      expect(imported.code, imported.stderr).toBe(0);
      // The new study and file are said, where they are (review 125: a new store was made without a word).
      expect(imported.stderr).toContain(
        `parzen: study heart is new in ${target}: this import made it, and the file, which was not there.`,
      );
      expect(imported.stderr).toMatch(/^Imported 2 trials into study heart \((jsonl|sqlite) store\) as #0-#1\.$/m);
      const trials = JSON.parse((await cli('trials', '--store', into, '--json')).stdout) as Trial[];
      expect(
        trials.map((trial) => (trial.state === 'failed' ? trial.error : trial.state)),
        `${file} into ${kind}`,
      ).toEqual([error, 'complete']);
    }
    // A listing without details keeps the columns it had.
    const plain = await cli('trials', '--store', `jsonl:${journal}`, '--csv');
    expect(plain.stdout.split('\n')[0]?.endsWith(',error_message,started_at,finished_at')).toBe(true);
    // Details that are no JSON object are refused, named.
    const bad = writeIn(
      dir,
      'bad-details.jsonl',
      `${JSON.stringify({ params: { x: 0.5, model: 'svm' }, state: 'failed', error: { code: 'X', message: 'm', details: 5 } })}\n`,
    );
    const refused = await cli(
      'import',
      config('bad-details.json', { use: 'memory' }),
      bad,
      '--store',
      `sqlite:${join(dir, 'bad-details.db')}`,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('line 1: /error/details: expected an object, found 5');
  });

  it('reads a parameter named error_details from an older CSV, and the details column beside params.error_details (review 50)', async () => {
    const named = { error_details: { type: 'uniform', low: 0, high: 1 } };
    const path = sqliteConfig('named', named, 'named-details');
    // An older Parzen's listing: the parameter under its own name, no details column.
    const older = writeIn(
      dir,
      'named-older.csv',
      'study,number,state,loss,error_details,error_code,error_message,started_at,finished_at\nnamed,0,complete,1.5,0.25,,,,\n',
    );
    const imported = await cli('import', path, older);
    expect(imported.code, imported.stderr).toBe(0);
    // Today's: the parameter as params.error_details, the error's details in error_details.
    const today = writeIn(
      dir,
      'named-today.csv',
      'number,state,loss,params.error_details,error_code,error_message,error_details\n0,failed,,0.75,X,m,"{""loss"":2}"\n',
    );
    expect((await cli('import', path, today)).code).toBe(0);
    const trials = await sqliteTrials(join(dir, 'named-details.parzen.db'), 'named');
    expect(trials.map((trial) => [trial.state, trial.internal.error_details])).toEqual([
      ['complete', 0.25],
      ['failed', 0.75],
    ]);
    expect(trials[1]).toMatchObject({ error: { code: 'X', message: 'm', details: { loss: 2 } } });
  });

  it('moves a study from jsonl to sqlite keeping params, losses, states, attrs, intermediate values and times', async () => {
    const from = config('from.json', { use: 'jsonl', options: { path: './heart.parzen.jsonl' } });
    const exported = join(dir, 'heart-export.jsonl');
    const out = await cli('export', from, '-o', exported);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('left out 1 running trial(s) (#2)');
    const lines = readFileSync(exported, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    // A study its store created without a version (as an older Parzen did) is of an unknown one.
    expect(lines[0]).toEqual({
      parzen: 'export',
      version: 1,
      study: { ...study, parzenVersion: 'unknown' },
      exportedBy: PARZEN_VERSION,
      trials: lines.length - 1,
    });
    expect(lines[1]).toMatchObject({
      params: { x: 0.25, model: 'tree' },
      loss: 0.5,
      state: 'complete',
      attrs: { epochs: 12 },
    });
    expect(lines).toHaveLength(5);

    const to = config('to.json', { use: 'sqlite', options: { path: './heart.parzen.db' } });
    const imported = await cli('import', to, exported);
    expect(imported.stderr).toBe(
      `parzen: study heart is new in ${join(dir, 'heart.parzen.db')}: this import made it, and the file, which was not there.\n` +
        'Imported 4 trials into study heart (sqlite store) as #0-#3.',
    );
    expect(imported.code).toBe(0);
    expect(imported.stdout).toBe('');
    const source = createJsonlStore({ path: journal, readOnly: true });
    const original = (await source.listTrials('heart')).filter((trial) => trial.state !== 'running');
    await source.close();
    const moved = await sqliteTrials(join(dir, 'heart.parzen.db'));
    expect(moved.map(portable)).toEqual(original.map(portable));
    expect(moved[1]?.intermediate).toEqual([
      { step: 0, value: 0.9 },
      { step: 3, value: 0.6 },
    ]);
    // The same export printed on stdout.
    const printed = await cli('export', '--store', `jsonl:${journal}`);
    expect(printed.stdout.split('\n')).toEqual(readFileSync(exported, 'utf8').trim().split('\n'));
    // `trials --jsonl` imports as it is, its running trial a refused row (review 31: its study field was refused).
    const listed = join(dir, 'heart-trials.jsonl');
    writeFileSync(listed, `${(await cli('trials', '--store', `jsonl:${journal}`, '--jsonl')).stdout}\n`);
    const again = config('again.json', { use: 'jsonl', options: { path: './again.parzen.jsonl' } });
    const relisted = await cli('import', again, listed, '--on-invalid', 'skip');
    expect(relisted.code).toBe(0);
    expect(relisted.stderr).toMatch(/^Imported 4 trials into study heart/m);
    expect(relisted.stderr).toContain('/state');
    // Its pruned trial's curve is not in a listing: said (trial 58: the curves were dropped without a word).
    expect(relisted.stderr).toMatch(
      /rows? of .*heart-trials\.jsonl names? (its|their) last step but not (its|their) learning curve/,
    );
    // And of a `trials --csv` listing (trial 59: said for the JSON lines only).
    const listedCsv = join(dir, 'heart-trials.csv');
    writeFileSync(listedCsv, `${(await cli('trials', '--store', `jsonl:${journal}`, '--csv')).stdout}\n`);
    const fromCsv = config('again-csv.json', { use: 'jsonl', options: { path: './again-csv.parzen.jsonl' } });
    const csvImport = await cli('import', fromCsv, listedCsv, '--on-invalid', 'skip');
    expect(csvImport.code, csvImport.stderr).toBe(0);
    expect(csvImport.stderr).toMatch(
      /rows? of .*heart-trials\.csv names? (its|their) last step but not (its|their) learning curve/,
    );
    // Only rows imported are counted, and only a step that is a step (review 60).
    const stepped = writeIn(dir, 'stepped.csv', 'x,model,loss,step\n0.1,svm,1,3\n9,svm,1,4\n0.2,svm,2,abc\n');
    const fromStepped = config('stepped.json', { use: 'jsonl', options: { path: './stepped.parzen.jsonl' } });
    const steppedImport = await cli('import', fromStepped, stepped, '--on-invalid', 'skip');
    expect(steppedImport.code, steppedImport.stderr).toBe(0);
    expect(steppedImport.stderr).toMatch(/parzen: 1 row of .*stepped\.csv names its last step/);
    // Into a study of another seed: said, with how to continue the exported one as it was (trial 41).
    const reseeded = config(
      'reseeded.json',
      { use: 'jsonl', options: { path: './reseeded.parzen.jsonl' } },
      { seed: 99 },
    );
    const note = await cli('import', reseeded, exported);
    expect(note.code).toBe(0);
    expect(note.stderr).toBe(
      `parzen: study heart is new in ${join(dir, 'reseeded.parzen.jsonl')}: this import made it, and the file, which was not there.\n` +
        'Imported 4 trials into study heart (jsonl store) as #0-#3.\n' +
        `parzen: warning: ${exported} is a study with seed 7; ${reseeded} runs study heart with seed 99 (the study here has seed 7), so its next trials would draw from other random streams than the exported study's. To continue it as it was, give the config "seed": 7.`,
    );
    // The study keeps the export's seed (review 42), so the advice holds: a run with seed 7 warns of nothing.
    const header = JSON.parse((await cli('export', reseeded)).stdout.split('\n')[0] ?? '{}');
    expect(header.study.seed).toBe(7);
    // Into a config that lists the parameters in another order: the study keeps the export's (review 41).
    const reordered = config(
      'reordered.json',
      { use: 'jsonl', options: { path: './reordered.parzen.jsonl' } },
      { space: { model: space.model, x: space.x } },
    );
    expect((await cli('import', reordered, exported)).code).toBe(0);
    const reorderedHeader = JSON.parse((await cli('export', reordered)).stdout.split('\n')[0] ?? '{}');
    expect(Object.keys(reorderedHeader.study.space)).toEqual(['x', 'model']);
  });

  it("does not credit an imported trial with an enqueue entry one of the study's trials ran (trial 67)", async () => {
    writeIn(dir, 'quad.mjs', 'export default ({ x }) => (x - 0.3) ** 2;\n');
    const path = config(
      'credit.json',
      { use: 'jsonl', options: { path: './credit.parzen.jsonl' } },
      {
        name: 'credit',
        objective: { use: 'module', options: { path: './quad.mjs' } },
        suggester: { use: 'random' },
        enqueue: [{ x: 0.1 }],
        budget: { maxTrials: 2 },
      },
    );
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    const rows = writeIn(
      dir,
      'credit-rows.jsonl',
      `${JSON.stringify({ params: { x: 0.1, model: 'tree' }, state: 'complete', loss: 0.5 })}\n`,
    );
    const imported = await cli('import', path, rows);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).not.toContain("of the config's enqueue list");
  });

  it('keeps which enqueue entries ran when a study moves by export and import: the new store does not run them again (trial 35)', async () => {
    writeIn(dir, 'quad.mjs', 'export default ({ x }) => (x - 0.3) ** 2;\n');
    const path = config(
      'mig.json',
      { use: 'jsonl', options: { path: './mig.parzen.jsonl' } },
      {
        name: 'mig',
        objective: { use: 'module', options: { path: './quad.mjs' } },
        suggester: { use: 'random' },
        enqueue: [{ x: 0.1 }, { x: 0.2, model: 'tree' }],
        budget: { maxTrials: 3 },
      },
    );
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    const moved = join(dir, 'mig-export.jsonl');
    expect((await cli('export', path, '-o', moved)).code).toBe(0);
    const db = join(dir, 'mig.db');
    const imported = await cli('import', path, moved, '--store', `sqlite:${db}`);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain(
      "2 entries of the config's enqueue list (0 by #0, 1 by #1) have run already, in imported trials with their params: the store records them as run",
    );
    // The same file again: the duplicate warning, not the entries again (trial 49: said twice).
    const again = await cli('import', path, moved, '--store', `sqlite:${db}`, '--allow-repeats');
    expect(again.stderr).toContain('3 of the 3 imported trials repeat trials mig already had');
    expect(again.stderr).not.toContain("of the config's enqueue list");
    expect((await cli('run', path, '--store', `sqlite:${db}`, '--more-trials', '2', '--quiet')).code).toBe(0);
    const store = createSqliteStore({ path: db, readOnly: true });
    try {
      const xs = (await store.listTrials('mig')).map((trial) => trial.internal.x);
      expect(xs.slice(0, 2)).toEqual([0.1, 0.2]);
      expect(xs).toHaveLength(8);
      // The runs' trials (6 and 7) were the entries again before.
      expect(xs.slice(6)).not.toContain(0.1);
      expect(xs.slice(6)).not.toContain(0.2);
    } finally {
      await store.close();
    }
  });

  it('never takes a sampled trial for the run of an entry still waiting when the study was exported, and says that an export leaves waiting entries behind (trial 74)', async () => {
    writeIn(dir, 'kq.mjs', 'export default ({ a, k }) => a * a + (k === "q" ? 1 : 0);\n');
    const base = {
      name: 'wait',
      seed: 4,
      space: { a: { type: 'uniform', low: -3, high: 3 }, k: { type: 'choice', options: ['p', 'q'] } },
      objective: { use: 'module', options: { path: './kq.mjs' } },
      suggester: { use: 'random' },
      budget: { maxTrials: 8 },
    };
    const path = config('wait.json', { use: 'jsonl', options: { path: './wait.parzen.jsonl' } }, base);
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    // Queued once the study is at its limit: it waits, and some sampled trials have k = q.
    const queued = config(
      'wait.json',
      { use: 'jsonl', options: { path: './wait.parzen.jsonl' } },
      {
        ...base,
        enqueue: [{ k: 'q' }],
      },
    );
    expect((await cli('run', queued, '--quiet')).code).toBe(0);
    const moved = join(dir, 'wait-export.jsonl');
    const exported = await cli('export', queued, '-o', moved);
    expect(exported.stderr).toContain(
      '1 enqueued entry waits in study wait ({"k":"q"}): an export carries finished trials only.',
    );
    const db = join(dir, 'wait.db');
    const imported = await cli('import', queued, moved, '--store', `sqlite:${db}`);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).not.toContain('run already');
    expect((await cli('run', queued, '--store', `sqlite:${db}`, '--more-trials', '1', '--quiet')).code).toBe(0);
    const store = createSqliteStore({ path: db, readOnly: true });
    try {
      const trials = await store.listTrials('wait');
      expect(trials.slice(0, 8).some((trial) => trial.internal.k === 1)).toBe(true);
      // The moved study ran the entry, as the original would have.
      expect(trials[8]?.internal.k).toBe(1);
    } finally {
      await store.close();
    }
    // A copy cut at a line's end: refused whole, said; on purpose, --ignore-header takes the rows there are.
    const cut = join(dir, 'wait-cut.jsonl');
    writeFileSync(cut, `${readFileSync(moved, 'utf8').split('\n').slice(0, 5).join('\n')}\n`);
    const short = await cli('import', queued, cut, '--store', `sqlite:${join(dir, 'wait-cut.db')}`);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain(`${cut} is an export of 8 trials, and holds 4: it was cut short`);
    // Lines added, or a count that is none (review 81: "cut short"; the check turned off).
    const lines = readFileSync(moved, 'utf8').trim().split('\n');
    const joined = join(dir, 'wait-joined.jsonl');
    writeFileSync(joined, `${[...lines, ...lines.slice(1, 3)].join('\n')}\n`);
    expect((await cli('import', queued, joined, '--store', `sqlite:${join(dir, 'wait-cut.db')}`)).stderr).toContain(
      'is an export of 8 trials, and holds 10: lines were added to it (two exports joined?) or it was edited',
    );
    const edited = join(dir, 'wait-edited.jsonl');
    const header = { ...JSON.parse(lines[0] as string), trials: '8' };
    writeFileSync(edited, `${[JSON.stringify(header), ...lines.slice(1)].join('\n')}\n`);
    const malformed = await cli('import', queued, edited, '--store', `sqlite:${join(dir, 'wait-cut.db')}`);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('its header\'s "trials" is "8"; expected the number of trial lines that follow');
    const kept = await cli('import', queued, cut, '--store', `sqlite:${join(dir, 'wait-cut.db')}`, '--ignore-header');
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stderr).toContain('Imported 4 trials');
    expect(kept.stderr).not.toContain('run already');
  });

  it('says that a copy exported while a trial runs and later ones have finished would draw again on import (trial 74)', async () => {
    const journal = join(dir, 'gap.parzen.jsonl');
    const source = createJsonlStore({ path: journal });
    await source.openStudy(study);
    const running = await source.createTrial('heart');
    await source.setParams('heart', running?.number ?? -1, { x: 0.5, model: 0 });
    const later = await source.createTrial('heart');
    await source.setParams('heart', later?.number ?? -1, { x: 0.25, model: 1 });
    await source.finishTrial('heart', later?.number ?? -1, { state: 'complete', loss: 0.5 });
    await source.close();
    const out = await cli('export', '--store', `jsonl:${journal}`, '-o', join(dir, 'gap-export.jsonl'));
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain(
      'left out 1 running trial(s) (#0): only finished trials are exported (an enqueued entry one of them runs is in neither: an imported trial with its values would be taken for its run). An import numbers the trials after them anew',
    );
  });

  it("carries the study's suggester through export and import; a CSV's study gets the config's suggester", async () => {
    const kept = { name: 'tpe', settings: { profile: 'parzen', gamma: 0.15 } };
    const source = createJsonlStore({ path: join(dir, 'suggester.parzen.jsonl') });
    await source.openStudy({ ...study, suggester: kept });
    const trial = await source.createTrial('heart');
    await source.setParams('heart', trial?.number ?? -1, { x: 0.5, model: 0 });
    await source.finishTrial('heart', trial?.number ?? -1, { state: 'complete', loss: 0.5 });
    await source.close();
    const exported = join(dir, 'suggester-export.jsonl');
    expect((await cli('export', '--store', `jsonl:${join(dir, 'suggester.parzen.jsonl')}`, '-o', exported)).code).toBe(
      0,
    );
    expect(JSON.parse(readFileSync(exported, 'utf8').split('\n')[0] as string).study.suggester).toEqual(kept);
    const target = config('suggester.json', { use: 'sqlite', options: { path: './suggester.parzen.db' } });
    expect((await cli('import', target, exported)).code).toBe(0);
    const studyOf = async (path: string) => {
      const store = createSqliteStore({ path, readOnly: true });
      try {
        return await store.getStudy('heart');
      } finally {
        await store.close();
      }
    };
    expect((await studyOf(join(dir, 'suggester.parzen.db'))).suggester).toEqual(kept);

    // A CSV names no suggester: the study is created with the config's, as a run would create it.
    const csv = writeIn(dir, 'suggester.csv', 'x,model,loss\n0.5,tree,0.75\n');
    const random = config(
      'suggester-random.json',
      { use: 'sqlite', options: { path: './suggester-csv.parzen.db' } },
      {
        suggester: { use: 'random' },
      },
    );
    expect((await cli('import', random, csv)).code).toBe(0);
    expect((await studyOf(join(dir, 'suggester-csv.parzen.db'))).suggester?.name).toBe('random');
  });

  it('Ctrl-C during the store call: the import finishes and says so (exit 130; trial 68: exit 0, unsaid)', async () => {
    const own = tempDir('parzen-import-signal-');
    // A store whose add blocks the thread while a signal comes: Node delivers it when the event loop turns.
    writeSignallingStore(own, 'signalling', 'addTrials');
    const results = writeIn(own, 'rows.jsonl', '{"params": {"x": 0.5, "model": "svm"}, "loss": 1}\n');
    const target = pluginStoreConfig(own, 'signalled.json', 'signalled', 'signalling');
    const out = await cli('import', target, results, '--json');
    expect(out.code, out.stdout + out.stderr).toBe(130);
    expect(JSON.parse(out.stdout)).toMatchObject({ imported: [0], interrupted: 'SIGINT' });
    expect(out.stderr).toContain('parzen: interrupted (SIGINT): the import had begun');
    // Heard after the call had ended: not said as one under way (review 73).
    expect(out.stderr).not.toContain('is under way');
  });

  it('--skip-repeats with a store whose addTrials does not skip repeats itself: compared before the add, and said', async () => {
    const own = tempDir('parzen-import-skip-unsupported-');
    linkEngine(own);
    // A third-party store written before the option: it has addTrials, and no `skipRepeats: true`.
    writeIn(
      own,
      'older.mjs',
      `import { createMemoryStore } from '@parzen/engine';
export const manifests = [{
  kind: 'store',
  name: 'older',
  optionsSchema: { type: 'object' },
  create: () => Object.assign(Object.create(createMemoryStore()), { name: 'older', skipRepeats: undefined }),
}];
`,
    );
    const results = writeIn(own, 'rows.jsonl', '{"params": {"x": 0.5, "model": "svm"}, "loss": 1}\n');
    const target = pluginStoreConfig(own, 'older.json', 'older', 'older');
    const out = await cli('import', target, results, '--skip-repeats', '--json');
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ imported: [0], skippedRepeats: [] });
    expect(out.stderr).toContain(
      'parzen: warning: the `older` store does not skip repeats in its own atomic step, so the rows were compared with the study as read before the add: ' +
        'another import at the same moment that shares rows with this one can add them too. Import such files one at a time.',
    );
    // Without --skip-repeats, nothing is said of it.
    const plain = await cli('import', target, results, '--json');
    expect(plain.stderr).not.toContain('atomic step');
  });

  it('Ctrl-C while opening the store blocked the thread: nothing is added after it (review 73: all added)', async () => {
    const own = tempDir('parzen-import-open-signal-');
    writeSignallingStore(own, 'blocking-open', 'openStudy');
    const results = writeIn(own, 'rows.jsonl', '{"params": {"x": 0.5, "model": "svm"}, "loss": 1}\n');
    const target = pluginStoreConfig(own, 'opened.json', 'opened', 'blocking-open');
    const out = await cli('import', target, results, '--json');
    expect(out.code, out.stderr).toBe(130);
    expect(JSON.parse(out.stdout)).toMatchObject({ imported: [], interrupted: 'SIGINT' });
    expect(out.stderr).toContain('nothing was imported into study opened');
    expect(out.stderr).not.toContain('under way');
    // The study it had created is taken out again, and said (it stayed, empty).
    expect(out.stderr).toContain(
      'nothing was imported into study opened. The import had created the study before the stop, and has taken it out again, as it held nothing.',
    );
  });

  it('a store that cannot delete a study only while empty keeps the study an import made and stopped: said, with the command that removes it', async () => {
    const own = tempDir('parzen-import-open-kept-');
    writeSignallingStore(own, 'plain', 'openStudy', { without: ['deletesOnlyEmpty'] });
    const results = writeIn(own, 'rows.jsonl', '{"params": {"x": 0.5, "model": "svm"}, "loss": 1}\n');
    const target = pluginStoreConfig(own, 'opened.json', 'opened', 'plain');
    const out = await cli('import', target, results);
    expect(out.code, out.stderr).toBe(130);
    expect(out.stderr).toContain(
      `nothing was imported into study opened. The import had created the study before the stop: it stays, with no trials (\`parzen studies\` lists it); \`parzen delete ${target}\` removes it, or import again.`,
    );
  });

  for (const base of ['jsonl', 'sqlite'] as const)
    it(`an import into a ${base} store that made the study and then stopped or failed takes the study out again (it stayed, empty)`, async () => {
      const own = tempDir(`parzen-import-made-${base}-`);
      const results = writeIn(own, 'rows.jsonl', '{"params": {"x": 0.5, "model": "svm"}, "loss": 1}\n');
      const file = join(own, base === 'jsonl' ? 'made.parzen.jsonl' : 'made.parzen.db');
      const held = async () => {
        const store = base === 'jsonl' ? createJsonlStore({ path: file }) : createSqliteStore({ path: file });
        try {
          return ((await store.listStudies?.()) ?? []).map((study) => study.name);
        } finally {
          await store.close();
        }
      };
      // Ctrl-C heard once the store has made the study, before the trials are added.
      writeSignallingStore(own, 'stopped', 'openStudy', { base });
      const stopped = pluginStoreConfig(own, 'stopped.json', 'made', 'stopped', file);
      const out = await cli('import', stopped, results, '--json');
      expect(out.code, out.stderr).toBe(130);
      expect(JSON.parse(out.stdout)).toMatchObject({ imported: [], interrupted: 'SIGINT' });
      // The store's file it made stays (a journal's deletion is a line of it), said.
      expect(out.stderr).toContain(
        `nothing was imported into study made. The import had created the study before the stop, and has taken it out again, as it held nothing (the file it made, ${file}, stays, with no study).`,
      );
      expect(await held()).toEqual([]);
      // A store call that fails once the study is made (a server gone, a row the store refuses): the same.
      writeSignallingStore(own, 'failing', 'addTrials', { base, throws: 'the disk controller said no' });
      const failing = pluginStoreConfig(own, 'failing.json', 'made', 'failing', file);
      const failed = await cli('import', failing, results);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(
        'parzen: nothing was imported into study made. The import had created the study before the failure below, and has taken it out again, as it held nothing.',
      );
      expect(failed.stderr).toContain('The `failing` store failed (addTrials): the disk controller said no');
      expect(await held()).toEqual([]);
      // A study that was there is left as it was (only a study the import made is taken out).
      const store = base === 'jsonl' ? createJsonlStore({ path: file }) : createSqliteStore({ path: file });
      await store.openStudy({ name: 'made', direction: 'minimize', seed: 7, space });
      await store.close();
      const again = await cli('import', failing, results);
      expect(again.code).toBe(1);
      expect(again.stderr).not.toContain('taken it out');
      expect(await held()).toEqual(['made']);
    });

  /**
   * A jsonl store plugin `racing` whose first `openStudy` is followed by the deletion of the (empty) study through
   * another handle on the same file: as another import that had made it, interrupted, takes it out meanwhile. The
   * study `raced` is made (empty) in its journal, as that other import made it; returns the journal's path.
   */
  const writeRacingStore = async (own: string): Promise<string> => {
    writeJsonlProxyStore(
      own,
      'racing',
      `if (key === 'openStudy')
          return async (spec) => {
            const result = await value.call(target, spec);
            if (opened++ === 0) {
              const other = createJsonlStore({ path: options.path });
              await other.deleteStudy(spec.name, { onlyEmpty: true });
              await other.close();
            }
            return result;
          };`,
    );
    const file = join(own, 'raced.parzen.jsonl');
    const maker = createJsonlStore({ path: file });
    await maker.openStudy({ name: 'raced', direction: 'minimize', seed: 7, space });
    await maker.close();
    return file;
  };
  /** The states of study `raced`'s trials in journal `file`. */
  const racedStates = async (file: string) => {
    const store = createJsonlStore({ path: file, readOnly: true });
    try {
      return (await store.listTrials('raced')).map((trial) => trial.state);
    } finally {
      await store.close();
    }
  };

  it('an import whose study another import made and took out (interrupted) before this one wrote to it makes it again and goes on (review 179: it ended, "was deleted ... parzen delete")', async () => {
    const own = tempDir('parzen-import-raced-');
    // Another import made the study (empty) before this one opened it.
    const file = await writeRacingStore(own);
    const results = writeIn(own, 'rows.jsonl', '{"params": {"x": 0.5, "model": "svm"}, "loss": 1}\n');
    const target = pluginStoreConfig(own, 'raced.json', 'raced', 'racing', file);
    const out = await cli('import', target, results, '--json');
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ imported: [0] });
    expect(out.stderr).not.toContain('parzen delete` or `deleteStudy');
    expect(out.stderr).toContain(
      'parzen: study raced was taken out of the store after this import opened it and before this import wrote to it (another import that had created it was stopped or failed, and took it out again as it held nothing; or `parzen delete`): this import created it again, and goes on.',
    );
    // It made the study, so it says so as an import that made it.
    expect(out.stderr).toContain('this import made it');
    expect(await racedStates(file)).toEqual(['complete']);
  });

  it('a run whose study an interrupted import took out before the run wrote to it makes it again and goes on (review 179: it ended)', async () => {
    const own = tempDir('parzen-run-raced-');
    // Another import made the study (empty) before this one opened it.
    const file = await writeRacingStore(own);
    writeIn(own, 'objective.mjs', 'export default ({ x }) => x;\n');
    const target = writeIn(own, 'raced.json', {
      name: 'raced',
      seed: 7,
      space,
      plugins: ['./racing.mjs'],
      objective: { use: 'module', options: { path: './objective.mjs' } },
      store: { use: 'racing', options: { path: file } },
      budget: { maxTrials: 2 },
    });
    const out = await cli('run', target);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).not.toContain('parzen delete` or `deleteStudy');
    expect(out.stderr).toContain(
      'study raced was taken out of the store after this run opened it and before this run wrote to it (another import that had created it was stopped or failed, and took it out again as it held nothing; or `parzen delete`): this run created it again, and goes on.',
    );
    expect(await racedStates(file)).toEqual(['complete', 'complete']);
  });

  it('the study a failed import made stays when another process added to it meanwhile, and a deletion that fails is warned (both said)', async () => {
    const own = tempDir('parzen-import-made-kept-');
    // addTrials fails; before it does, another handle adds a trial (mode "added"), or deleteStudy fails too ("locked").
    writeJsonlProxyStore(
      own,
      'crossing',
      `if (key === 'addTrials')
          return async (study, trials) => {
            if (options.mode === 'added') {
              const other = createJsonlStore({ path: options.path });
              await other.addTrials(study, trials);
              await other.close();
            }
            throw new Error('the disk controller said no');
          };
        if (key === 'deleteStudy' && options.mode === 'locked')
          return async () => {
            throw new Error('the lock was lost');
          };`,
    );
    const results = writeIn(own, 'rows.jsonl', '{"params": {"x": 0.5, "model": "svm"}, "loss": 1}\n');
    const file = join(own, 'made.parzen.jsonl');
    const target = (mode: string) =>
      writeIn(own, `${mode}.json`, {
        name: mode,
        space,
        plugins: ['./crossing.mjs'],
        objective: { use: 'module', options: { path: './missing-objective.mjs' } },
        store: { use: 'crossing', options: { path: file, mode } },
        budget: { maxTrials: 10 },
      });
    const added = await cli('import', target('added'), results);
    expect(added.code).toBe(1);
    expect(added.stderr).toContain(
      'parzen: nothing was imported into study added. The import had created the study before the failure below; another process has added to it since, so it stays.',
    );
    const locked = await cli('import', target('locked'), results);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain(
      'parzen: warning: the empty study locked this import made could not be taken out: The `crossing` store failed (deleteStudy): the lock was lost',
    );
    expect(locked.stderr).toContain(
      `parzen: nothing was imported into study locked. The import had created the study before the failure below: it stays, with no trials (\`parzen studies\` lists it); \`parzen delete ${target('locked')}\` removes it, or import again.`,
    );
    const store = createJsonlStore({ path: file, readOnly: true });
    try {
      expect((await store.listStudies()).map((study) => study.name).sort()).toEqual(['added', 'locked']);
      expect(await store.listTrials('added')).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it("the taking out of a study an import made has its own bound and message, not the store close step's (review 179)", async () => {
    const notes: string[] = [];
    const hanging = {
      name: 'hanging',
      deletesOnlyEmpty: true,
      deleteStudy: () => new Promise<never>(() => {}),
    } as unknown as Parameters<typeof takeOutMadeStudy>[0];
    expect(await takeOutMadeStudy(hanging, 'made', (note) => notes.push(note), 50)).toBeUndefined();
    expect(notes).toEqual([
      'parzen: warning: the empty study made this import made could not be taken out: the hanging store did not answer in 0.05 s.',
    ]);
  });

  it('Ctrl-C while the store waits for a lock ends the wait: nothing imported, exit 130 (trial 68: 30 s, then STORE_FAILED)', async () => {
    const results = writeIn(dir, 'locked.jsonl', '{"params": {"x": 0.5, "model": "svm"}, "loss": 1}\n');
    const target = config('locked.json', { use: 'sqlite', options: { path: './locked.parzen.db' } });
    // Another connection holds the database, as a sqlite3 shell in a transaction would.
    const holder = createSqliteStore({ path: join(dir, 'locked.parzen.db') });
    const db = (holder as unknown as { db: { exec(sql: string): void } }).db;
    db.exec('BEGIN EXCLUSIVE');
    try {
      // Late enough that the store waits for the lock (review 72: at 500 ms it came before the store call).
      setTimeout(() => process.emit('SIGINT', 'SIGINT'), 2_000);
      const started = Date.now();
      const out = await cli('import', target, results, '--json');
      expect(Date.now() - started).toBeLessThan(6_000);
      expect(out.code, out.stderr).toBe(130);
      expect(JSON.parse(out.stdout)).toMatchObject({ imported: [], interrupted: 'SIGINT' });
      expect(out.stderr).toContain('Stopped while SQLite store');
      expect(out.stderr).toContain('parzen: interrupted (SIGINT): nothing was imported into study heart.');
    } finally {
      db.exec('ROLLBACK');
      await holder.close();
    }
  });

  it('says a CSV name or choice value written in other code points (NFD) as such, not "expected X, found X" (trial 68)', async () => {
    const nfc = 'größe';
    const nfd = nfc.normalize('NFD');
    const target = writeIn(dir, 'unicode.json', {
      name: 'unicode',
      space: { [nfc]: { type: 'choice', options: ['ü', 'a'] } },
      objective: { use: 'module', options: { path: './missing-objective.mjs' } },
      store: { use: 'sqlite', options: { path: './unicode.parzen.db' } },
      budget: { maxTrials: 10 },
    });
    const header = await cli('import', target, writeIn(dir, 'nfd-header.csv', `${nfd},loss\na,0.3\n`));
    expect(header.code).toBe(2);
    expect(header.stderr).toContain(
      `(unknown: ${nfd} (\`${nfc}\` looks the same but is written with other Unicode code points`,
    );
    const value = await cli(
      'import',
      target,
      writeIn(dir, 'nfd-value.csv', `${nfc},loss\n${'ü'.normalize('NFD')},0.3\n`),
    );
    expect(value.code).toBe(2);
    expect(value.stderr).toContain(
      '(`ü` looks the same but is written with other Unicode code points: U+00FC against u U+0308',
    );
  });

  it('Ctrl-C before the store call imports nothing and says so (exit 130); it was silent either way', async () => {
    const results = writeIn(dir, 'interrupted.jsonl', '{"params": {"x": 0.5, "model": "svm"}, "loss": 1}\n');
    const target = config('interrupted.json', { use: 'sqlite', options: { path: './interrupted.parzen.db' } });
    // Ctrl-C as soon as the import listens for it.
    const press = (event: string | symbol) => {
      if (event !== 'SIGINT') return;
      process.off('newListener', press);
      queueMicrotask(() => process.emit('SIGINT', 'SIGINT'));
    };
    process.on('newListener', press);
    const out = await cli('import', target, results);
    expect(out.code).toBe(130);
    expect(out.stderr).toBe('parzen: interrupted (SIGINT): nothing was imported into study heart.');
    expect(existsSync(join(dir, 'interrupted.parzen.db'))).toBe(false);
    // Without a signal the same import goes through, and no handler is left behind.
    expect((await cli('import', target, results)).code).toBe(0);
    expect(process.listenerCount('SIGINT')).toBe(0);
  });

  it('carries the Parzen version that created the study through export and import; none when the export has none', async () => {
    const source = createJsonlStore({ path: join(dir, 'version.parzen.jsonl') });
    const suggester = { name: 'random' };
    await source.openStudy({ ...study, suggester, parzenVersion: '0.0.9' });
    await source.openStudy({ ...study, name: 'older', suggester });
    for (const name of ['heart', 'older']) {
      const trial = await source.createTrial(name);
      await source.setParams(name, trial?.number ?? -1, { x: 0.5, model: 0 });
      await source.finishTrial(name, trial?.number ?? -1, { state: 'complete', loss: 0.5 });
    }
    await source.close();
    const store = `jsonl:${join(dir, 'version.parzen.jsonl')}`;
    const exported = (name: string) => {
      const file = join(dir, `version-${name}.jsonl`);
      return cli('export', '--store', store, '--study', name, '-o', file).then((out) => {
        expect(out.code, out.stderr).toBe(0);
        return file;
      });
    };
    const made = await exported('heart');
    const header = JSON.parse(readFileSync(made, 'utf8').split('\n')[0] as string);
    expect(header.study.parzenVersion).toBe('0.0.9');
    expect(header.exportedBy).toBe(PARZEN_VERSION);
    const older = await exported('older');
    expect(JSON.parse(readFileSync(older, 'utf8').split('\n')[0] as string).study.parzenVersion).toBe('unknown');
    // An export an older Parzen wrote has no version at all.
    const oldest = join(dir, 'version-oldest.jsonl');
    const [first, ...rows] = readFileSync(older, 'utf8').split('\n');
    const { parzenVersion: _, ...bare } = JSON.parse(first as string).study;
    writeFileSync(oldest, [JSON.stringify({ parzen: 'export', version: 1, study: bare }), ...rows].join('\n'));
    // An older Parzen exporting a study a newer one created in SQLite: the version inside the suggester, as kept.
    const inside = join(dir, 'version-inside.jsonl');
    const withInside = { ...bare, suggester: { ...bare.suggester, parzenVersion: '0.0.8' } };
    writeFileSync(inside, [JSON.stringify({ parzen: 'export', version: 1, study: withInside }), ...rows].join('\n'));
    // Imported, a study keeps the version that created it (which drew its trials), and none when its export says
    // "unknown" or nothing (review 147: this Parzen was recorded as its creator).
    const versions: (string | undefined)[] = [];
    for (const [name, file] of [
      ['made', made],
      ['unknown', older],
      ['oldest', oldest],
      ['inside', inside],
    ] as const) {
      const target = config(`version-${name}.json`, {
        use: 'sqlite',
        options: { path: `./version-${name}.parzen.db` },
      });
      const out = await cli('import', target, file);
      expect(out.code, out.stderr).toBe(0);
      const reader = createSqliteStore({ path: join(dir, `version-${name}.parzen.db`), readOnly: true });
      versions.push((await reader.getStudy('heart')).parzenVersion);
      await reader.close();
    }
    expect(versions).toEqual(['0.0.9', undefined, undefined, '0.0.8']);
  });

  it('names every bad line of a results file and imports nothing (exit 2); --on-invalid skip imports the rest', async () => {
    const results = writeIn(
      dir,
      'results.jsonl',
      [
        '{"params": {"x": 0.1, "model": "svm"}, "loss": 1.5}',
        '{"params": {"x": 3, "model": "svm"}, "loss": 1}',
        '',
        'not json',
        '{"params": {"x": 0.2, "model": "forest"}, "loss": 2}',
        '{"params": {"x": 0.3, "model": "tree"}, "loss": 0.5, "attrs": {"auc": 0.9}}',
        // As Python's json.dumps writes NaN: read, then refused for the field that has it (was "invalid JSON").
        '{"params": {"x": 0.4, "model": "tree"}, "loss": NaN}',
        '{"params": {"x": 0.4, "model": "tree"}, "loss": 0.7, "attrs": {"f1": NaN}}',
      ].join('\n'),
    );
    const target = config('results.json', { use: 'sqlite', options: { path: './results.parzen.db' } });
    const rejected = await cli('import', target, results);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toContain('5 of 7 lines cannot be imported, so nothing was imported');
    expect(rejected.stderr).toMatch(/line 7: \/loss: expected a finite number \(a complete trial\), found NaN/);
    expect(rejected.stderr).toMatch(/line 8: \/attrs\/f1: expected JSON values: .*, found NaN/);
    expect(rejected.stderr).toMatch(/line 2: \/params\/x: expected a number from 0 to 1, found 3/);
    expect(rejected.stderr).toMatch(/line 4: \/: expected one JSON object, found invalid JSON/);
    expect(rejected.stderr).toMatch(/line 5: \/params\/model: expected one of "svm", "tree", found "forest"/);
    // The way out is said (trial 75: only the README named it), and --json carries the file and each issue.
    expect(rejected.stderr).toContain(
      'Mend those lines, or pass --on-invalid skip to import the 2 other lines and skip them.',
    );
    const asJson = await cli('import', target, results, '--json');
    expect(asJson.code).toBe(2);
    const [error] = (
      JSON.parse(asJson.stdout.trim().split('\n').at(-1) as string) as { errors: Record<string, unknown>[] }
    ).errors;
    expect(error).toMatchObject({ code: 'IMPORT_INVALID', file: results });
    expect(error?.issues).toContainEqual({
      pointer: '/5/params/model',
      expected: 'one of "svm", "tree"',
      found: '"forest"',
    });
    expect(error?.issues).toHaveLength(5);
    await expect(sqliteTrials(join(dir, 'results.parzen.db'))).rejects.toMatchObject({ code: 'STUDY_NOT_FOUND' });

    // Not one valid line: --on-invalid skip refuses too, and creates no study (trial 32: exit 0, empty study).
    // A trial that finishes before it starts (trial 74: imported with a negative duration).
    const backwards = writeIn(
      dir,
      'backwards.jsonl',
      '{"params": {"x": 0.6, "model": "svm"}, "loss": 0.36, "startedAt": "2026-01-02T00:00:00Z", "finishedAt": "2026-01-01T00:00:00Z"}\n',
    );
    expect((await cli('import', target, backwards)).stderr).toContain(
      'line 1: /finishedAt: expected a time at or after startedAt (2026-01-02T00:00:00.000Z), found "2026-01-01T00:00:00Z"',
    );
    const none = writeIn(dir, 'none-valid.jsonl', '{"params": {"x": 3, "model": "svm"}, "loss": 1}\nnot json\n');
    const nothing = await cli('import', target, none, '--on-invalid', 'skip');
    expect(nothing.code).toBe(2);
    // On a line of its own, not after the last line's issue (trial 48).
    expect(nothing.stderr).toContain('\nNot one line could be imported (--on-invalid skip skips some lines, not all)');
    await expect(sqliteTrials(join(dir, 'results.parzen.db'))).rejects.toMatchObject({ code: 'STUDY_NOT_FOUND' });

    const skipped = await cli('import', target, results, '--on-invalid', 'skip');
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toBe('');
    expect(skipped.stderr).toContain(
      'Imported 2 trials into study heart (sqlite store) as #0-#1.\nSkipped 5 of 7 lines (2, 4, 5, 7, 8).',
    );
    expect(skipped.stderr).toMatch(
      /^parzen: study heart is new in \S+results\.parzen\.db: this import made it, and the file, which was not there\.\nImported 2 trials .*\nSkipped 5 of 7 lines .*\nparzen: why they were skipped:\n {2}line 2: /,
    );
    expect(skipped.stderr).toMatch(/line 5: \/params\/model/);
    const trials = await sqliteTrials(join(dir, 'results.parzen.db'));
    expect(trials.map((trial) => [trial.state, trial.internal])).toEqual([
      ['complete', { x: 0.1, model: 0 }],
      ['complete', { x: 0.3, model: 1 }],
    ]);
    expect(trials[1]).toMatchObject({ loss: 0.5, attrs: { auc: 0.9 } });
    // The best trial's attrs are shown with it (user trial 27: best never showed them).
    const best = await cli('best', target);
    expect(best.stdout).toContain('Best trial #1: loss 0.5  x=0.3 model="tree"\n  attrs: auc=0.9');
    expect(JSON.parse((await cli('best', target, '--json')).stdout)).toMatchObject({
      best: { number: 1, loss: 0.5, attrs: { auc: 0.9 } },
    });

    // Again, into the store --store names: the study there gets the next numbers.
    const again = await cli(
      'import',
      target,
      results,
      '--on-invalid',
      'skip',
      '--store',
      `sqlite:${join(dir, 'other.db')}`,
    );
    expect(again.stderr).toContain('Imported 2 trials into study heart (sqlite store) as #0-#1.');
    const more = await cli('import', target, results, '--on-invalid=skip', '--allow-repeats');
    expect(more.stderr).toContain('as #2-#3.');
    expect(await sqliteTrials(join(dir, 'results.parzen.db'))).toHaveLength(4);
  });

  it('writes a parameter named like a column (loss, state, attrs.x) as params.NAME, and reads it back', async () => {
    // scikit-learn's `loss` is a parameter many spaces have; its column was a second `loss`.
    // And named like the informing columns, study, number and step (review 92: refused as named twice).
    const named = {
      loss: { type: 'choice', options: ['hinge', 'log'] },
      state: { type: 'uniform', low: 0, high: 1 },
      study: { type: 'choice', options: ['a', 'b'] },
      number: { type: 'uniformint', low: 1, high: 9 },
      step: { type: 'uniform', low: 0, high: 1 },
    } as const satisfies SpaceDefinition;
    const journal = join(dir, 'named.parzen.jsonl');
    const source = createJsonlStore({ path: journal });
    await source.openStudy({ name: 'named', direction: 'minimize', seed: 1, space: named });
    const trial = await source.createTrial('named');
    const internal = { loss: 1, state: 0.25, study: 1, number: 7, step: 0.5 };
    await source.setParams('named', trial?.number ?? -1, internal);
    await source.reportIntermediate?.('named', trial?.number ?? -1, 3, 0.9);
    await source.finishTrial('named', trial?.number ?? -1, { state: 'complete', loss: 0.5 });
    await source.close();
    const csv = await cli('trials', '--store', `jsonl:${journal}`, '--csv');
    expect(csv.stdout.split('\n')[0]).toBe(
      'study,number,state,loss,step,params.loss,params.state,params.study,params.number,params.step,error_code,error_message,started_at,finished_at',
    );
    expect(csv.stdout.split('\n')[1]).toMatch(/^named,0,complete,0\.5,3,log,0\.25,b,7,0\.5,/);
    const file = writeIn(dir, 'named.csv', `${csv.stdout}\n`);
    const target = sqliteConfig('named', named);
    const imported = await cli('import', target, file);
    expect(imported.stderr).toBe(
      `parzen: study named is new in ${join(dir, 'named.parzen.db')}: this import made it, and the file, which was not there.\n` +
        'Imported 1 trial into study named (sqlite store) as #0.',
    );
    const store = createSqliteStore({ path: join(dir, 'named.parzen.db'), readOnly: true });
    try {
      expect(await store.listTrials('named')).toMatchObject([{ state: 'complete', loss: 0.5, internal }]);
      // With the params. column first, the plain one (the trial's number) still is not the parameter (review 93).
      const lines = csv.stdout.split('\n');
      const header = (lines[0] as string).split(',');
      const swap = (line: string) => {
        const cells = line.split(',');
        const at = header.indexOf('params.number');
        [cells[1], cells[at]] = [cells[at] as string, cells[1] as string];
        return cells.join(',');
      };
      const swapped = writeIn(dir, 'named-swapped.csv', `${swap(lines[0] as string)}\n${swap(lines[1] as string)}\n`);
      expect((await cli('import', target, swapped, '--allow-repeats')).code).toBe(0);
      expect((await store.listTrials('named')).map((trial) => trial.internal.number)).toEqual([7, 7]);
    } finally {
      await store.close();
    }
  });

  it('reads a CSV with parameter, loss, state and attrs columns', async () => {
    const csv = writeIn(
      dir,
      'results.csv',
      'x,model,loss,state,attrs.epochs\n0.5,tree,0.75,,10\n"0.25",svm,,failed,\n0.125,svm,0.5,pruned,\n',
    );
    const target = config('csv.json', { use: 'sqlite', options: { path: './csv.parzen.db' } });
    const out = await cli('import', target, csv);
    expect(out.code).toBe(0);
    const trials = await sqliteTrials(join(dir, 'csv.parzen.db'));
    expect(trials.map((trial) => trial.state)).toEqual(['complete', 'failed', 'pruned']);
    expect(trials[0]).toMatchObject({ internal: { x: 0.5, model: 1 }, loss: 0.75, attrs: { epochs: 10 } });
    expect(trials[2]).toMatchObject({ internal: { x: 0.125, model: 0 }, loss: 0.5 });

    const bad = writeIn(dir, 'bad.csv', 'x,model,loss\n0.5,tree,oops\n');
    const refused = await cli('import', target, bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/line 2: \/loss: expected a finite number \(a complete trial\), found "oops"/);
    const header = writeIn(dir, 'header.csv', 'x,model,lr\n0.5,tree,0.1\n');
    expect((await cli('import', target, header)).stderr).toMatch(/header must name .*unknown: lr/);
    expect((await sqliteTrials(join(dir, 'csv.parzen.db'))).length).toBe(3);
    // A column named twice (a merge's second `loss`): the last one won without a word (trial 87).
    for (const [file, text, named] of [
      ['twice-loss.csv', 'x,model,loss,loss\n0.5,tree,0.5,9\n', '`loss` (column 3) and `loss` (column 4)'],
      ['twice-param.csv', 'x,model,model,loss\n0.5,tree,svm,0.5\n', '`model` (column 2) and `model` (column 3)'],
      // Two spellings of one field (review 91).
      ['spelled.csv', 'x,params.x,model,loss\n0.5,0.25,tree,0.5\n', '`x` (column 1) and `params.x` (column 2)'],
      [
        'attrs.csv',
        'x,model,loss,attrs.k,user_attrs_k\n0.5,tree,0.5,1,2\n',
        '`attrs.k` (column 4) and `user_attrs_k` (column 5)',
      ],
    ] as const) {
      const twice = await cli('import', target, writeIn(dir, file, text));
      expect(twice.code).toBe(2);
      expect(twice.stderr).toContain(named);
    }
    expect((await sqliteTrials(join(dir, 'csv.parzen.db'))).length).toBe(3);
  });

  it('reads an empty cell of an active choice with a null option as null (trial 40: pandas writes null so)', async () => {
    const nullable = {
      l2: { type: 'choice', options: [null, 0.001] },
      opt: {
        type: 'choice',
        options: ['sgd', { value: 'momentum', space: { m: { type: 'choice', options: [null, 0.9] } } }],
      },
    };
    const target = sqliteConfig('heart', nullable, 'nullable');
    // What pandas' to_csv writes for None, an inactive `m` (sgd) and an active null `m` (momentum) alike.
    const csv = writeIn(dir, 'pandas.csv', 'l2,opt,m,loss\n,sgd,,0.5\n0.001,momentum,,0.25\nnull,momentum,0.9,0.125\n');
    const out = await cli('import', target, csv);
    expect(out.code, out.stderr).toBe(0);
    const trials = await sqliteTrials(join(dir, 'nullable.parzen.db'));
    expect(trials.map((trial) => trial.internal)).toEqual([
      { l2: 0, opt: 0 },
      { l2: 1, opt: 1, m: 0 },
      { l2: 0, opt: 1, m: 1 },
    ]);
    // A choice without a null option is missing when its cell is empty, as before.
    const empty = writeIn(dir, 'pandas-empty.csv', 'l2,opt,m,loss\n0.001,,,0.5\n');
    const refused = await cli('import', target, empty);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/line 2: \/params\/opt: expected one of .*found none \(the parameter is missing\)/);
  });

  it('reads NaN for an inactive parameter as no value, in a CSV (nan, NaN) and a JSONL (json.dumps), and refuses it for an active one', async () => {
    const tree = {
      model: {
        type: 'choice',
        options: [
          { value: 'svm', space: { C: { type: 'loguniform', low: 0.01, high: 100 } } },
          {
            value: 'rf',
            space: {
              depth: { type: 'uniformint', low: 2, high: 20 },
              crit: { type: 'choice', options: ['gini', 'entropy'] },
            },
          },
        ],
      },
    };
    const target = sqliteConfig('heart', tree, 'nan-cells');
    const csv = writeIn(dir, 'nan-cells.csv', 'model,C,depth,crit,loss\nsvm,1,nan,NaN,0.5\nrf,nan,3,gini,0.25\n');
    const jsonl = writeIn(
      dir,
      'nan-cells.jsonl',
      '{"params": {"model": "rf", "C": NaN, "depth": 4, "crit": "entropy"}, "loss": 0.125}\n' +
        '{"params": {"model": "svm", "C": 2, "depth": NaN, "crit": NaN}, "loss": 0.0625}\n',
    );
    for (const file of [csv, jsonl]) {
      const out = await cli('import', target, file);
      expect(out.code, out.stderr).toBe(0);
    }
    expect((await sqliteTrials(join(dir, 'nan-cells.parzen.db'))).map((trial) => trial.internal)).toEqual([
      { model: 0, C: 1 },
      { model: 1, depth: 3, crit: 0 },
      { model: 1, depth: 4, crit: 1 },
      { model: 0, C: 2 },
    ]);
    // Where the parameter is active, NaN is no value it can have: the row is refused, by its line.
    const active = writeIn(dir, 'nan-active.csv', 'model,C,depth,crit,loss\nsvm,nan,,,0.5\nrf,,3,nan,0.25\n');
    const refused = await cli('import', target, active);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/line 2: \/params\/C: expected a number from 0\.01 to 100, found NaN/);
    expect(refused.stderr).toMatch(/line 3: \/params\/crit: expected one of "gini", "entropy", found NaN/);
  });

  it("reads Optuna's trials_dataframe().to_csv() as it is: value, params_, user_attrs_, upper-case states, True/False", async () => {
    // Written by Optuna 3.1 and pandas (Debian's python3-optuna): `model` is a choice whose `svm` option opens
    // `c`, `shuffle` a boolean choice; trial 3 raised, trial 4 was pruned after reporting 0.9.
    const csv = writeIn(
      dir,
      'optuna.csv',
      [
        ',number,value,datetime_start,datetime_complete,duration,params_c,params_model,params_shuffle,params_x,user_attrs_converged,user_attrs_epochs,state',
        '0,0,0.06289958793580627,2026-12-02 09:53:04.054633,2026-12-02 09:53:04.055426,0 days 00:00:00.000793,238.64840361732638,svm,False,0.5507979025745755,True,12,COMPLETE',
        '1,1,0.030420483925996385,2026-12-02 09:53:04.055631,2026-12-02 09:53:04.055995,0 days 00:00:00.000364,0.5508068674169326,svm,True,0.12558531046383625,False,12,COMPLETE',
        '2,2,0.22190156598481833,2026-12-02 09:53:04.056065,2026-12-02 09:53:04.056189,0 days 00:00:00.000124,,tree,True,0.6491440476147607,True,12,COMPLETE',
        '3,3,,2026-12-02 09:53:04.056290,2026-12-02 09:53:04.056418,0 days 00:00:00.000128,,tree,False,0.558854087990882,False,12,FAIL',
        '4,4,0.9,2026-12-02 09:53:04.057689,2026-12-02 09:53:04.057961,0 days 00:00:00.000272,,tree,True,0.4404537176707395,True,12,PRUNED',
        '',
      ].join('\n'),
    );
    const optunaSpace = {
      x: { type: 'uniform', low: 0, high: 1 },
      model: {
        type: 'choice',
        options: [{ value: 'svm', space: { c: { type: 'loguniform', low: 1e-3, high: 1e3 } } }, 'tree'],
      },
      shuffle: { type: 'choice', options: [true, false] },
    };
    const target = config(
      'optuna.json',
      { use: 'sqlite', options: { path: './optuna.parzen.db' } },
      { space: optunaSpace },
    );
    const out = await cli('import', target, csv);
    expect(out.code, out.stderr).toBe(0);
    const trials = await sqliteTrials(join(dir, 'optuna.parzen.db'));
    expect(trials.map((trial) => trial.state)).toEqual(['complete', 'complete', 'complete', 'failed', 'pruned']);
    expect(trials[0]).toMatchObject({
      loss: 0.06289958793580627,
      internal: { x: 0.5507979025745755, model: 0, c: 238.64840361732638, shuffle: 1 },
      attrs: { converged: true, epochs: 12 },
    });
    expect(trials[0]?.startedAt).toBe(new Date(2026, 11, 2, 9, 53, 4, 54).toISOString());
    expect(trials[1]).toMatchObject({ internal: { shuffle: 0 }, attrs: { converged: false } });
    expect(trials[2]?.internal).toEqual({ x: 0.6491440476147607, model: 1, shuffle: 0 });
    // Parzen keeps attrs with complete and pruned trials: the failed trial's are left out, not refused.
    expect(trials[3]).not.toHaveProperty('attrs');
    expect(trials[4]).toMatchObject({ loss: 0.9, attrs: { converged: true, epochs: 12 } });

    // A parameter named as one of Optuna's time columns: the plain column is the time, params_ the parameter.
    const timed = writeIn(
      dir,
      'optuna-timed.csv',
      [
        ',number,value,datetime_start,datetime_complete,duration,params_datetime_start,params_value,params_x,state',
        '0,0,0.25,2026-12-02 09:53:04.054633,2026-12-02 09:53:04.055426,0 days 00:00:00.000793,0.75,0.125,0.5,COMPLETE',
        '',
      ].join('\n'),
    );
    // And one named `value`, Optuna's loss column (review 104: refused as having no loss column).
    const timedSpace = {
      datetime_start: { type: 'uniform', low: 0, high: 1 },
      value: { type: 'uniform', low: 0, high: 1 },
      x: { type: 'uniform', low: 0, high: 1 },
    };
    const timedTarget = config(
      'optuna-timed.json',
      { use: 'sqlite', options: { path: './optuna-timed.parzen.db' } },
      { space: timedSpace },
    );
    const timedOut = await cli('import', timedTarget, timed);
    expect(timedOut.code, timedOut.stderr).toBe(0);
    const [timedTrial] = await sqliteTrials(join(dir, 'optuna-timed.parzen.db'));
    expect(timedTrial).toMatchObject({ loss: 0.25, internal: { datetime_start: 0.75, value: 0.125, x: 0.5 } });
    expect(timedTrial?.startedAt).toBe(new Date(2026, 11, 2, 9, 53, 4, 54).toISOString());
    // Without its params. twin, a column named as a time column is the parameter (as an error column's is).
    const plain = writeIn(dir, 'started.csv', 'started_at,loss\n0.3,1\n');
    const plainTarget = config(
      'started.json',
      { use: 'sqlite', options: { path: './started.parzen.db' } },
      { space: { started_at: { type: 'uniform', low: 0, high: 1 } } },
    );
    const plainOut = await cli('import', plainTarget, plain);
    expect(plainOut.code, plainOut.stderr).toBe(0);
    expect((await sqliteTrials(join(dir, 'started.parzen.db')))[0]).toMatchObject({
      loss: 1,
      internal: { started_at: 0.3 },
    });

    // A user attr as JSON would not write a number stays text (trial 59: "007" became 7).
    const ids = writeIn(
      dir,
      'optuna-ids.csv',
      ',number,value,params_x,params_model,params_shuffle,user_attrs_id,user_attrs_hex,user_attrs_n,state\n0,0,0.5,0.5,tree,True,007,0x10,-1.5e3,COMPLETE\n',
    );
    const idsTarget = config(
      'optuna-ids.json',
      { use: 'sqlite', options: { path: './optuna-ids.parzen.db' } },
      { space: optunaSpace },
    );
    expect((await cli('import', idsTarget, ids)).code).toBe(0);
    const [withIds] = await sqliteTrials(join(dir, 'optuna-ids.parzen.db'));
    expect(withIds?.state === 'complete' && withIds.attrs).toEqual({ id: '007', hex: '0x10', n: -1500 });

    const running = writeIn(
      dir,
      'running.csv',
      ',number,value,params_x,params_model,params_shuffle,state\n0,0,,0.5,tree,True,RUNNING\n',
    );
    const refused = await cli('import', target, running);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /line 2: \/state: expected one of complete, pruned, failed, found "RUNNING": a trial not finished has no result to import; leave its row out/,
    );
  });

  it('an empty CSV or JSONL file imports nothing (exit 0) and leaves the store as it was', async () => {
    const target = config('empty.json', { use: 'sqlite', options: { path: './empty.parzen.db' } });
    for (const [file, text] of [
      ['empty.csv', ''],
      ['empty.jsonl', ''],
      ['blank.csv', '\n  \n'],
    ] as const) {
      const path = writeIn(dir, file, text);
      const out = await cli('import', target, path);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toBe('');
      expect(out.stderr).toBe(`Imported no trials: ${path} is empty.`);
      // --json gives every documented key, empty, so `jq '.finished[]'` in a CI step iterates nothing (it left
      // out finished, importedBefore, notImported and foreign, and jq failed on null).
      const json = await cli('import', target, path, '--json');
      expect(json.code, json.stderr).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual({
        study: 'heart',
        store: 'sqlite',
        imported: [],
        finished: [],
        importedBefore: [],
        notImported: [],
        foreign: [],
        skipped: [],
        repeatsOfStudy: 0,
        repeatedLines: [],
        skippedRepeats: [],
      });
    }
    expect(existsSync(join(dir, 'empty.parzen.db'))).toBe(false);
  });

  it('says that a CSV under another name (results.txt) must be named .csv, instead of failing each line as JSON', async () => {
    const text = writeIn(dir, 'results.txt', 'x,model,loss\n0.5,svm,1\n');
    const target = config('txt.json', { use: 'sqlite', options: { path: './txt.parzen.db' } });
    const out = await cli('import', target, text);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('its first line looks like a CSV header ("x,model,loss")');
    expect(out.stderr).toContain('Rename it to .csv.');
    expect(existsSync(join(dir, 'txt.parzen.db'))).toBe(false);
    // A JSON array (`parzen trials --json`) and a gzip file are said as such (trial 74: "rename it to .csv").
    const array = writeIn(dir, 'trials.json', '[{"params":{"x":0.5,"model":"svm"},"loss":1}]\n');
    expect((await cli('import', target, array)).stderr).toContain(
      'is a JSON array (as `parzen trials --json` writes), and import reads JSON lines',
    );
    const gz = join(dir, 'rows.jsonl.gz');
    writeFileSync(gz, gzipSync('{"params":{"x":0.5,"model":"svm"},"loss":1}\n'));
    expect((await cli('import', target, gz)).stderr).toContain(`${gz} is gzip-compressed`);
  });

  it('lists 20 problems and counts the rest, and names a parameter every line lacks (trial 50: 3,001 lines, no hint)', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => JSON.stringify({ params: { x: i / 25 }, loss: i })).join('\n');
    const target = config('lacks.json', { use: 'sqlite', options: { path: './lacks.parzen.db' } });
    const out = await cli('import', target, writeIn(dir, 'lacks.jsonl', `${rows}\n`));
    expect(out.code).toBe(2);
    const listed = out.stderr.split('\n').filter((line) => /^ {2}line \d+: \/params\/model: expected/.test(line));
    expect(listed).toHaveLength(20);
    expect(out.stderr).toContain('  and 5 more problems (the first 20 are listed: fix those and try again)\n');
    expect(out.stderr).toContain(
      'Every line lacks `model`, which the space asks of these lines: a parameter added to the space since these trials ran, or left out of the file?',
    );
    // Not when only some lines lack it.
    const mixed = await cli(
      'import',
      target,
      writeIn(
        dir,
        'some-lack.jsonl',
        `${rows.split('\n')[0]}\n${JSON.stringify({ params: { x: 0.5, model: 'svm' }, loss: 1 })}\n`,
      ),
    );
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).not.toContain('Every line lacks');
  });

  it('imports a failed trial that never had params (a suggester failure), from JSONL and from its own CSV (trial 52)', async () => {
    const rows = [
      JSON.stringify({ params: { x: 0.5, model: 'svm' }, loss: 1 }),
      JSON.stringify({ params: {}, state: 'failed', error: { code: 'SUGGESTER_OUT_OF_SPACE', message: 'out' } }),
    ];
    const target = config('paramless.json', { use: 'sqlite', options: { path: './paramless.parzen.db' } });
    const imported = await cli('import', target, writeIn(dir, 'paramless.jsonl', `${rows.join('\n')}\n`));
    expect(imported.code, imported.stderr).toBe(0);
    const stored = await sqliteTrials(join(dir, 'paramless.parzen.db'));
    expect(stored.map((trial) => [trial.state, trial.internal])).toEqual([
      ['complete', { x: 0.5, model: 0 }],
      ['failed', {}],
    ]);
    const csv = join(dir, 'paramless.csv');
    writeFileSync(csv, (await cli('trials', target, '--csv')).stdout);
    const again = config('paramless-csv.json', { use: 'sqlite', options: { path: './paramless-csv.parzen.db' } });
    const fromCsv = await cli('import', again, csv);
    expect(fromCsv.code, fromCsv.stderr).toBe(0);
    expect(await sqliteTrials(join(dir, 'paramless-csv.parzen.db'))).toHaveLength(2);
    // Another failure without params is no repeat of the first (review 54: refused as "imported before").
    const other = await cli(
      'import',
      target,
      writeIn(
        dir,
        'paramless-2.jsonl',
        `${JSON.stringify({ params: {}, state: 'failed', error: { code: 'OBJECTIVE_THREW', message: 'other' } })}\n`,
      ),
    );
    expect(other.code, other.stderr).toBe(0);
    expect(other.stderr).not.toContain('repeat');
    // A complete trial without params is still refused: it has a point in the space.
    const complete = await cli(
      'import',
      again,
      writeIn(dir, 'no-params.jsonl', `${JSON.stringify({ params: {}, loss: 1 })}\n`),
    );
    expect(complete.code).toBe(2);
  });

  it("refuses a store's own file, saying to export its study first (trial 50: a page of field errors)", async () => {
    const journal = config('journal.json', { use: 'jsonl', options: { path: './journal-store.parzen.jsonl' } });
    const fits = JSON.stringify({ params: { x: 0.5, model: 'svm' }, loss: 1 });
    expect((await cli('import', journal, writeIn(dir, 'one.jsonl', `${fits}\n`))).code).toBe(0);
    const target = config('into.json', { use: 'sqlite', options: { path: './into.parzen.db' } });
    const fromJournal = await cli('import', target, join(dir, 'journal-store.parzen.jsonl'));
    expect(fromJournal.code).toBe(2);
    expect(fromJournal.stderr).toContain(
      'is a Parzen journal (a study store), not a file of trials: export its study first, `parzen export --store jsonl:',
    );
    expect((await cli('import', target, writeIn(dir, 'one-more.jsonl', `${fits}\n`))).code).toBe(0);
    const fromDatabase = await cli('import', journal, join(dir, 'into.parzen.db'));
    expect(fromDatabase.code).toBe(2);
    expect(fromDatabase.stderr).toContain('is a SQLite database (a study store), not a file of trials');
  });

  it('refuses an export whose study has another space, naming what differs, not both whole spaces', async () => {
    const other = writeIn(
      dir,
      'other-export.jsonl',
      `${JSON.stringify({ parzen: 'export', version: 1, study: { ...study, space: { x: space.x } } })}\n` +
        `${JSON.stringify({ params: { x: 0.5 }, loss: 1 })}\n`,
    );
    const target = config('other.json', { use: 'sqlite', options: { path: './other.parzen.db' } });
    const out = await cli('import', target, other);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('with another space than');
    expect(out.stderr).toContain(
      'other.json (`model` is new in the config ({"options":["svm","tree"],"type":"choice"})).',
    );
    expect(out.stderr).toContain('pass --ignore-header: each row is then checked against the config');
    expect(out.stderr).not.toContain('"high":1,"low":0'); // x is the same in both: not shown
    // Trial 50: the way to carry the rows over was to cut the header by hand.
    const rows = await cli('import', target, other, '--ignore-header');
    expect(rows.code, rows.stderr).toBe(2); // its row has no `model`: checked against the config's space
    expect(rows.stderr).toContain('/params/model');
    const fits = writeIn(
      dir,
      'fits-export.jsonl',
      `${JSON.stringify({ parzen: 'export', version: 1, study: { ...study, name: 'elsewhere', seed: 99, space: { x: space.x } } })}\n` +
        `${JSON.stringify({ params: { x: 0.5, model: 'svm' }, loss: 1 })}\n`,
    );
    const imported = await cli('import', target, fits, '--ignore-header');
    expect(imported.code, imported.stderr).toBe(0);
    const listed = JSON.parse((await cli('trials', target, '--json')).stdout) as { params: unknown }[];
    expect(listed.map((trial) => trial.params)).toEqual([{ x: 0.5, model: 'svm' }]);
    const studies = JSON.parse(
      (await cli('studies', '--store', `sqlite:${join(dir, 'other.parzen.db')}`, '--json')).stdout,
    );
    expect(studies).toEqual([
      expect.objectContaining({ study: 'heart', trials: expect.objectContaining({ complete: 1 }) }),
    ]);
  });

  it("refuses an export of a study of the other direction (its best trial would be the worst), its hint in the config's direction", async () => {
    // Trial 139: the hint read "(a loss you now maximize)" into a config that minimizes too.
    for (const [exported, wanted] of [
      ['minimize', 'maximize'],
      ['maximize', 'minimize'],
    ] as const) {
      const file = writeIn(
        dir,
        `${exported}d-export.jsonl`,
        `${JSON.stringify({ parzen: 'export', version: 1, study: { ...study, direction: exported } })}\n` +
          `${JSON.stringify({ params: { x: 0.5, model: 'svm' }, loss: 1 })}\n`,
      );
      const target = config(
        `${wanted}.json`,
        { use: 'sqlite', options: { path: `./${wanted}.parzen.db` } },
        { direction: wanted },
      );
      const out = await cli('import', target, file);
      expect(out.code).toBe(2);
      expect(out.stderr).toContain(
        `${exported}d-export.jsonl is an export of study \`heart\`, which was ${exported}d; ` +
          `${target} ${wanted}s, so its losses would rank the other way. ` +
          `Import it with a config of the same direction; or, if the rows should count as they are (a loss you now ${wanted}), pass --ignore-header.`,
      );
      expect(existsSync(join(dir, `${wanted}.parzen.db`))).toBe(false);
    }
  });

  it('refuses an export header whose direction is neither minimize nor maximize, saying so (review 28)', async () => {
    const odd = writeIn(
      dir,
      'odd-export.jsonl',
      `${JSON.stringify({ parzen: 'export', version: 1, study: { ...study, direction: 'sideways' } })}\n` +
        `${JSON.stringify({ params: { x: 0.5, model: 'svm' }, loss: 1 })}\n`,
    );
    const target = config('odd.json', { use: 'sqlite', options: { path: './odd.parzen.db' } });
    const out = await cli('import', target, odd);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`its header's study direction is "sideways"; expected "minimize" or "maximize"`);
    // A header without its study or space: said, no TypeError and stack (review 42).
    for (const [header, said] of [
      [{ parzen: 'export', version: 1 }, 'no "study" object'],
      [{ parzen: 'export', version: 1, study: { ...study, space: 5 } }, 'no "study.space" object'],
      [
        { parzen: 'export', version: 1, study: { ...study, name: undefined } },
        '"study.name" missing (expected the study\'s name)',
      ],
      [{ parzen: 'export', version: 1, study: { ...study, name: '' } }, '"study.name" "" (expected the study\'s name)'],
      [{ parzen: 'export', version: 1, study: { ...study, seed: 1.5 } }, '"study.seed" 1.5 (expected an integer)'],
      [
        { parzen: 'export', version: 1, study: { ...study, direction: undefined } },
        '"study.direction" missing (expected "minimize" or "maximize")',
      ],
    ] as const) {
      const cut = writeIn(dir, 'cut-export.jsonl', `${JSON.stringify(header)}\n`);
      const refused = await cli('import', target, cut);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe(
        `parzen: ${cut}: line 1 is a Parzen export header with ${said}; \`parzen export\` writes {"parzen": "export", "version": 1, "study": {"name", "direction", "seed", "space"}}.`,
      );
    }
  });
});

describe('-o refuses to overwrite a study store or the config (trial 44: it wrote over them and said "Wrote")', () => {
  it('export and report refuse the journal, a SQLite database and its -wal file, and the config; any other file is replaced', async () => {
    dir = tempDir('parzen-no-clobber-');
    const target = config('clobber.json', { use: 'jsonl', options: { path: './clobber.parzen.jsonl' } });
    const rows = writeIn(dir, 'rows.jsonl', `${JSON.stringify({ params: { x: 0.5, model: 'svm' }, loss: 1 })}\n`);
    expect((await cli('import', target, rows)).code).toBe(0);
    const journal = join(dir, 'clobber.parzen.jsonl');
    const db = join(dir, 'clobber.parzen.db');
    expect((await cli('import', target, rows, '--store', `sqlite:${db}`)).code).toBe(0);
    const before = [journal, db, target].map((path) => readFileSync(path));
    const refusals: [string[], string][] = [
      [['export', target, '-o', journal], `${journal} is a Parzen journal (a study store)`],
      [['report', target, '-o', journal], `${journal} is a Parzen journal (a study store)`],
      [['export', '--store', `jsonl:${journal}`, '-o', journal], `${journal} is a Parzen journal (a study store)`],
      [['export', target, '-o', target], `${target} is ${target}, this command's config`],
      [['report', target, '-o', target], `${target} is ${target}, this command's config`],
      [['export', '--store', `sqlite:${db}`, '-o', db], `${db} is a SQLite database (a study store)`],
      [
        ['export', '--store', `sqlite:${db}`, '-o', `${db}-wal`],
        `${db}-wal is the wal file of SQLite database ${db} (a study store)`,
      ],
    ];
    for (const [args, said] of refusals) {
      const out = await cli(...args);
      expect(out.code, args.join(' ')).toBe(2);
      expect(out.stderr).toBe(`parzen: -o: ${said}; writing there would destroy it. Give another file.`);
    }
    expect([journal, db, target].map((path) => readFileSync(path))).toEqual(before);
    expect(existsSync(`${db}-wal`)).toBe(false);
    // Journals as leniently as the store reads them: a header torn by a crash, or written in another key
    // order and spacing (review 47: the torn one was overwritten).
    for (const [file, text] of [
      ['torn.parzen.jsonl', '{"op":"jo\n{"op":"repair","line":1,"reason":"torn write"}\n'],
      ['spaced.parzen.jsonl', '{ "format": "parzen-jsonl", "op": "journal", "version": 1 }\n'],
    ] as const) {
      const path = writeIn(dir, file, text);
      const out = await cli('export', target, '-o', path);
      expect(out.code, file).toBe(2);
      expect(out.stderr).toContain('is a Parzen journal (a study store)');
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
    // An earlier export or report is replaced, as -o says.
    const earlier = writeIn(dir, 'earlier.jsonl', 'old\n');
    expect((await cli('export', target, '-o', earlier)).code).toBe(0);
    expect(readFileSync(earlier, 'utf8')).toMatch(/^\{"parzen":"export"/);
  });

  it("export and report refuse the files the config names: its objective module, its command's program and script, its plugins, report's --contour module (user trial)", async () => {
    dir = tempDir('parzen-no-clobber-inputs-');
    const rows = writeIn(dir, 'rows.jsonl', `${JSON.stringify({ params: { x: 0.5, model: 'svm' }, loss: 1 })}\n`);
    const objective = writeIn(dir, 'obj.mjs', 'export default ({ x }) => x;\n');
    const plugin = writeIn(dir, 'my-plugin.mjs', 'export default [];\n');
    mkdirSync(join(dir, 'bin'));
    const program = writeIn(dir, 'bin/train.sh', '#!/bin/sh\necho 1\n');
    const script = writeIn(dir, 'bin/train.py', 'print(1)\n');
    const store = { use: 'jsonl', options: { path: './inputs.parzen.jsonl' } };
    const moduleConfig = config('module.json', store, { objective: { use: 'module', options: { path: './obj.mjs' } } });
    expect((await cli('import', moduleConfig, rows)).code).toBe(0);
    const command = (file: string, argv: string[]) =>
      config(file, store, { objective: { use: 'command', options: { command: argv, cwd: './bin' } } });
    const programConfig = command('program.json', ['./train.sh', '{x}']);
    const commandConfig = command('command.json', ['python3', 'train.py', '--data=data.csv', '--x', '{x}']);
    const data = writeIn(dir, 'bin/data.csv', 'a,b\n');
    const pluginConfig = config('plugins.json', store, { plugins: ['./my-plugin.mjs'] });
    // Trial 108: the events reporter's file, which run appends the explanations to.
    const events = writeIn(dir, 'explain.jsonl', '{"type":"suggestion.explained"}\n');
    const eventsConfig = config('events.json', store, {
      objective: { use: 'module', options: { path: './obj.mjs' } },
      reporters: [{ use: 'console' }, { use: 'events', options: { path: './explain.jsonl' } }],
    });
    const files = [objective, plugin, program, script, data, events];
    const before = files.map((path) => readFileSync(path, 'utf8'));
    const refusals: [string[], string][] = [
      [['export', moduleConfig, '-o', objective], `${objective} is the objective module of ${moduleConfig}`],
      [['report', moduleConfig, '-o', objective], `${objective} is the objective module of ${moduleConfig}`],
      [['export', programConfig, '-o', program], `${program} is the program of ${programConfig}'s command objective`],
      [['export', commandConfig, '-o', script], `${script} is a file of ${commandConfig}'s command objective`],
      // A flag's value given with it (review 50).
      [['export', commandConfig, '-o', data], `${data} is a file of ${commandConfig}'s command objective`],
      [['export', pluginConfig, '-o', plugin], `${plugin} is a plugin module of ${pluginConfig}`],
      [['report', moduleConfig, '--contour', `${plugin}#f`, '-o', plugin], `${plugin} is the --contour module`],
      [['report', eventsConfig, '-o', events], `${events} is the file of ${eventsConfig}'s \`events\` reporter`],
      [['export', eventsConfig, '-o', events], `${events} is the file of ${eventsConfig}'s \`events\` reporter`],
    ];
    for (const [args, said] of refusals) {
      const out = await cli(...args);
      expect(out.code, args.join(' ')).toBe(2);
      expect(out.stderr).toBe(`parzen: -o: ${said}; writing there would destroy it. Give another file.`);
    }
    expect(files.map((path) => readFileSync(path, 'utf8'))).toEqual(before);
    // The events reporter's own file, which exists, is still its to append to: a run is not refused over it.
    const ran = await cli('run', eventsConfig, '--more-trials', '1', '--quiet');
    expect(ran.code, ran.stderr).toBe(0);
    expect(readFileSync(events, 'utf8').startsWith(before[5] as string)).toBe(true);
    expect(readFileSync(events, 'utf8').length).toBeGreaterThan((before[5] as string).length);
    // A program named without a folder is looked up on PATH: a file so named in the command's folder is not it.
    const other = writeIn(dir, 'bin/python3', 'old\n');
    expect((await cli('export', commandConfig, '-o', other)).code).toBe(0);
    expect(readFileSync(other, 'utf8')).toMatch(/^\{"parzen":"export"/);
  });
});

describe('import --json (trial 58: a script parsed the sentence)', () => {
  it('prints what was added by number and what was left out by line, as the last stdout line', async () => {
    const target = config('json-import.json', { use: 'jsonl', options: { path: './json-import.parzen.jsonl' } });
    const rows = writeIn(
      dir,
      'json-rows.jsonl',
      [
        '{"params": {"x": 0.25, "model": "svm"}, "loss": 1}',
        '{"params": {"x": 7, "model": "svm"}, "loss": 2}',
        '{"params": {"x": 0.5, "model": "tree"}, "loss": 3}',
        '{"params": {"x": 0.5, "model": "tree"}, "loss": 3}',
      ].join('\n'),
    );
    const run = await cli('import', target, rows, '--on-invalid', 'skip', '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      study: 'heart',
      store: 'jsonl',
      imported: [0, 1, 2],
      finished: [],
      importedBefore: [],
      notImported: [],
      foreign: [],
      skipped: [2],
      repeatsOfStudy: 0,
      repeatedLines: [4],
      skippedRepeats: [],
      // It created the study, which stays.
      studyTakenOut: false,
    });
    expect(run.stderr).toMatch(/Imported 3 trials into study heart/);
    const again = await cli('import', target, rows, '--on-invalid', 'skip', '--json', '--allow-repeats');
    expect((JSON.parse(again.stdout) as { repeatsOfStudy: number }).repeatsOfStudy).toBe(3);
    const refused = await cli('import', target, rows, '--on-invalid', 'skip', '--json');
    expect(refused.code).toBe(2);
    // The lines skipped as invalid are said and listed in a refusal too (review 105).
    expect((JSON.parse(refused.stdout) as { errors: unknown[] }).errors[0]).toMatchObject({
      code: 'IMPORT_REPEATED',
      file: rows,
      issues: [expect.objectContaining({ pointer: '/2/params/x' })],
      message: expect.stringMatching(
        /The other line \(line 2\) was invalid and skipped \(--on-invalid skip\):\n {2}line 2: \/params\/x: /,
      ),
    });
    const empty = await cli('import', target, writeIn(dir, 'json-empty.jsonl', ''), '--json');
    expect(JSON.parse(empty.stdout)).toMatchObject({ imported: [], skipped: [] });
  });
});

describe('import of a study moved away and back (trial 113: its own trials were added again, counted twice)', () => {
  it("passes over the rows that are copies of the study's trials (params, result, times) and adds the rest", async () => {
    const path = join(dir, 'roundtrip.parzen.jsonl');
    const store = createJsonlStore({ path });
    await store.openStudy(study);
    for (let i = 0; i < 3; i++) {
      await store.createTrial('heart');
      await store.setParams('heart', i, { x: i / 4, model: i % 2 });
      await store.finishTrial('heart', i, { state: 'complete', loss: i });
    }
    await store.close();
    const home = config('roundtrip.json', { use: 'jsonl', options: { path: './roundtrip.parzen.jsonl' } });
    const exported = join(dir, 'roundtrip-export.jsonl');
    expect((await cli('export', home, '-o', exported)).code).toBe(0);
    // Two trials run in the other store since: the export's rows and theirs come back.
    const lines = readFileSync(exported, 'utf8').trim().split('\n');
    const row = JSON.parse(lines.at(-1) as string) as Record<string, unknown>;
    // The second repeats trial #2's params and loss (a deterministic objective): a new evaluation, its own times.
    const later = [
      { params: { x: 0.9, model: 'svm' }, loss: 5 },
      { params: row.params, loss: row.loss },
    ].map((fields, i) =>
      JSON.stringify({
        ...row,
        ...fields,
        startedAt: `2026-12-05T12:0${i}:00.000Z`,
        finishedAt: `2026-12-05T12:0${i}:30.000Z`,
      }),
    );
    // As the other store's export says it: its header counts 5 trials.
    const header = JSON.parse(lines[0] as string) as Record<string, unknown>;
    const moved = [JSON.stringify({ ...header, trials: 5 }), ...lines.slice(1), ...later];
    const back = writeIn(dir, 'roundtrip-back.jsonl', `${moved.join('\n')}\n`);
    const imported = await cli('import', home, back, '--json');
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      imported: [3, 4],
      importedBefore: [0, 1, 2],
      repeatsOfStudy: 1,
      repeatedLines: [],
    });
    expect(imported.stderr).toContain('3 lines of ');
    // The same file again: every row the study has, refused as before.
    const again = await cli('import', home, back);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('repeats a trial study heart already has');
    // Every new row repeating a result, with times of its own (review 117: the whole file was refused).
    const current = join(dir, 'roundtrip-current.jsonl');
    expect((await cli('export', home, '-o', current)).code).toBe(0);
    const now = readFileSync(current, 'utf8').trim().split('\n');
    const rerun = JSON.stringify({
      ...(JSON.parse(now[1] as string) as Record<string, unknown>),
      startedAt: '2026-12-05T13:00:00.000Z',
      finishedAt: '2026-12-05T13:00:30.000Z',
    });
    const counted = JSON.stringify({
      ...(JSON.parse(now[0] as string) as Record<string, unknown>),
      trials: now.length,
    });
    const rerunFile = writeIn(dir, 'roundtrip-rerun.jsonl', `${[counted, ...now.slice(1), rerun].join('\n')}\n`);
    const rerunImport = await cli('import', home, rerunFile, '--json');
    expect(rerunImport.code, rerunImport.stderr).toBe(0);
    expect(JSON.parse(rerunImport.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      imported: [now.length - 1],
      repeatsOfStudy: 1,
    });
  });
});

describe('import of a rescue file (trial 101: the result was added beside its still-running trial, counted twice)', () => {
  /** A lease of worker `owner`, as a run's trials hold one (long lapsed: no run is alive). */
  const leaseOf = (owner = 'w-1') => ({ lease: { owner, expiresAt: '2026-12-05T09:00:00.000Z' } });
  /** A line of a rescue file: a result of study heart's trial `trial`, which worker w-1 ran. */
  const rescueLine = (trial: number, fields: Record<string, unknown>) =>
    `${JSON.stringify({ state: 'complete', ...fields, unrecorded: { study: 'heart', trial, worker: 'w-1' } })}\n`;

  it('--skip-repeats adds a rescued line that repeats a trial (a new evaluation), skipping the plain repeats before the add, and says so', async () => {
    const path = join(dir, 'rescue-skip.parzen.jsonl');
    const store = createJsonlStore({ path });
    await store.openStudy(study);
    await store.createTrial('heart');
    await store.setParams('heart', 0, { x: 0.5, model: 0 });
    await store.finishTrial('heart', 0, { state: 'complete', loss: 0.5 });
    await store.close();
    const times = { startedAt: '2020-12-05T10:00:00.000Z', finishedAt: '2020-12-05T10:01:00.000Z' };
    // Line 1: trial #0's result again, rescued from a run with times of its own; line 2: a plain repeat of it.
    const rescue = writeIn(
      dir,
      'rescue-skip.jsonl',
      rescueLine(7, { params: { x: 0.5, model: 'svm' }, loss: 0.5, ...times }) +
        `${JSON.stringify({ params: { x: 0.5, model: 'svm' }, loss: 0.5 })}\n`,
    );
    const target = config('rescue-skip.json', { use: 'jsonl', options: { path: './rescue-skip.parzen.jsonl' } });
    const imported = await cli('import', target, rescue, '--skip-repeats', '--json');
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      imported: [1],
      skippedRepeats: [2],
    });
    expect(imported.stderr).toContain(
      `parzen: warning: a line of ${rescue} rescued from a run repeats a trial study heart has (a new evaluation, imported), so the rows were compared with the study as read before the add`,
    );
  });

  it('lists the trials it finishes as ranges of consecutive numbers only (trial 163: "#1-#4" for #1, #3, #4)', async () => {
    const path = join(dir, 'ranges.parzen.jsonl');
    const store = createJsonlStore({ path });
    await store.openStudy(study);
    const numbers: number[] = [];
    for (let i = 0; i < 5; i++) {
      const number = (await store.createTrial('heart', leaseOf()))?.number ?? -1;
      await store.setParams('heart', number, { x: i / 10, model: 1 });
      if (i === 0 || i === 2) await store.finishTrial('heart', number, { state: 'complete', loss: i });
      else numbers.push(number);
    }
    await store.close();
    const rescue = writeIn(
      dir,
      'ranges-rescue.jsonl',
      numbers.map((number) => rescueLine(number, { params: { x: number / 10, model: 'tree' }, loss: 0.1 })).join(''),
    );
    const target = config('ranges.json', { use: 'jsonl', options: { path: './ranges.parzen.jsonl' } });
    const imported = await cli('import', target, rescue);
    expect(imported.code, imported.stderr).toBe(0);
    expect(`${imported.stdout}${imported.stderr}`).toContain(
      `Finished #1, #3-#4 of study heart (jsonl store) with their results from ${rescue}`,
    );
  });

  it("finishes the trial the store has running under the line's worker, its curve completed: counted once; a file grown since is imported again", async () => {
    const path = join(dir, 'rescue.parzen.jsonl');
    const store = createJsonlStore({ path });
    await store.openStudy(study);
    const start = async (params: Record<string, number>, owner: string) => {
      const number = (await store.createTrial('heart', leaseOf(owner)))?.number ?? -1;
      await store.setParams('heart', number, params);
      return number;
    };
    const studyCreated = (await store.getStudy('heart')).createdAt;
    const done = await start({ x: 0.5, model: 0 }, 'w-1');
    await store.finishTrial('heart', done, { state: 'complete', loss: 0.5 });
    // #1 ran under w-1, the store took its first report, then failed to record the rest.
    const left = await start({ x: 0.25, model: 1 }, 'w-1');
    await store.reportIntermediate('heart', left, 0, 0.9);
    // #2 has the params of a line that names it, but another worker holds it (a live run in a recreated store).
    const live = await start({ x: 0.75, model: 0 }, 'w-2');
    // #3: the same worker's next trial, whose line the file gains later.
    const later = await start({ x: 0.125, model: 0 }, 'w-1');
    await store.close();
    const line = (params: Record<string, unknown>, trial: number, loss: number) =>
      rescueLine(trial, {
        params,
        loss,
        attrs: { epochs: 2 },
        intermediate: [
          { step: 0, value: 0.9 },
          { step: 1, value: loss },
        ],
        // Before the study here was created: the foreign line's note says that first.
        startedAt: '2020-12-05T10:00:00.000Z',
        finishedAt: '2020-12-05T10:01:00.000Z',
      });
    const rescue = writeIn(
      dir,
      'rescue.jsonl',
      line({ x: 0.25, model: 'tree' }, left, 0.3) + line({ x: 0.75, model: 'svm' }, live, 0.4),
    );
    const target = config('rescue.json', { use: 'jsonl', options: { path: './rescue.parzen.jsonl' } });
    const imported = await cli('import', target, rescue, '--json');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain('Imported 1 trial into study heart (jsonl store) as #4.');
    expect(imported.stderr).toContain(
      `Finished #1 of study heart (jsonl store) with its result from ${rescue}: the store had it running, as it could not record its end, so it counts once.`,
    );
    expect(JSON.parse(imported.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      imported: [4],
      finished: [1],
      importedBefore: [],
      notImported: [],
      foreign: [2],
    });
    // Trial 112: a same-named study of another store writes to the same rescue file; said, not silently added.
    expect(imported.stderr).toContain(
      `parzen: warning: 1 rescued line of ${rescue} (2) is the result of a trial (#2 by w-1) that study heart here did not run under that worker. ` +
        `It ran before study heart here was created (${studyCreated}): the study was deleted and created anew since, it seems, or it is of a study of the same name in another store (a rescue file is kept per study name). ` +
        "Imported as a new trial; if it belongs to another store's study, import it there instead.",
    );
    // Review 153: into a store without the study, which the import creates, the note does not guess it was deleted.
    const fresh = config('rescue-new.json', { use: 'jsonl', options: { path: './rescue-new.parzen.jsonl' } });
    const made = await cli('import', fresh, rescue);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).toContain(
      `This store held no study heart: this import created it, so they are of a study of the same name in another store (a run given --store?), it seems, or of one deleted since (a rescue file is kept per study name).`,
    );
    expect(made.stderr).not.toContain('created anew');
    const listed = async () => {
      const reader = createJsonlStore({ path, readOnly: true });
      const trials = await reader.listTrials('heart');
      await reader.close();
      return trials;
    };
    const first = await listed();
    expect(first.map((trial) => [trial.number, trial.state])).toEqual([
      [0, 'complete'],
      [1, 'complete'],
      [2, 'running'],
      [3, 'running'],
      [4, 'complete'],
    ]);
    expect(first[1]).toMatchObject({
      loss: 0.3,
      attrs: { epochs: 2 },
      intermediate: [{ step: 0 }, { step: 1, value: 0.3 }],
    });
    // The run appends #3's line later (review 112: the grown file was refused, every line "repeating").
    writeFileSync(rescue, readFileSync(rescue, 'utf8') + line({ x: 0.125, model: 'svm' }, later, 0.2));
    const again = await cli('import', target, rescue, '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      finished: [3],
      importedBefore: [1, 4],
      imported: [],
    });
    expect(again.stderr).toContain(
      `2 lines of ${rescue} were imported before: their trials (#1, #4) have those results already, so they were passed over.`,
    );
    const second = await listed();
    expect(second.map((trial) => [trial.number, trial.state])).toEqual([
      [0, 'complete'],
      [1, 'complete'],
      [2, 'running'],
      [3, 'complete'],
      [4, 'complete'],
    ]);
    // A third time: every line imported before, nothing done, no refusal.
    const third = await cli('import', target, rescue);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toContain('Imported no trials into study heart (jsonl store).');
    expect((await listed()).length).toBe(5);
  });

  it('Ctrl-C twice while a rescued result waits for the store: says which trials were finished before the stop (exit 130); the next import does the rest', async () => {
    const own = tempDir('parzen-rescue-stop-');
    linkEngine(own);
    // A memory store holding #0 and #1 running under w-1 (the module is loaded once, so both imports see it); its
    // second finishTrial waits, as a store waiting for a lock, and gives up at the second Ctrl-C.
    writeIn(
      own,
      'stalling.mjs',
      `import { createMemoryStore } from '@parzen/engine';
import { ParzenError, SERVICES } from '@parzen/engine/plugin';
const base = createMemoryStore();
await base.openStudy(${JSON.stringify(study)});
for (const x of [0.25, 0.75]) {
  const trial = await base.createTrial('heart', { lease: { owner: 'w-1', expiresAt: '2026-12-05T09:00:00.000Z' } });
  await base.setParams('heart', trial.number, { x, model: 0 });
}
let finishes = 0;
export const manifests = [{
  kind: 'store',
  name: 'stalling',
  optionsSchema: { type: 'object' },
  create: (_options, context) => {
    const { force } = context.services.get(SERVICES.stopping);
    return Object.assign(Object.create(base), {
      name: 'stalling',
      close: async () => {},
      finishTrial: async (...args) => {
        finishes += 1;
        if (finishes !== 2) return base.finishTrial(...args);
        // Two presses, further apart than one signal sent twice (to a process and its group) is.
        setImmediate(() => process.emit('SIGINT', 'SIGINT'));
        setTimeout(() => process.emit('SIGINT', 'SIGINT'), 300);
        await new Promise((resolve) => force.addEventListener('abort', resolve, { once: true }));
        throw new ParzenError('INTERRUPTED', 'Stopped while the stalling store waited.');
      },
    });
  },
}];
`,
    );
    const line = (trial: number, x: number, loss: number) =>
      rescueLine(trial, {
        params: { x, model: 'svm' },
        loss,
        startedAt: `2026-12-05T10:0${trial}:00.000Z`,
        finishedAt: `2026-12-05T10:0${trial}:30.000Z`,
      });
    const rescue = writeIn(own, 'rescue.jsonl', line(0, 0.25, 0.3) + line(1, 0.75, 0.4));
    const target = writeIn(own, 'stalling.json', {
      ...study,
      plugins: ['./stalling.mjs'],
      objective: { use: 'module', options: { path: './missing-objective.mjs' } },
      store: { use: 'stalling' },
      budget: { maxTrials: 10 },
    });
    const out = await cli('import', target, rescue, '--json');
    expect(out.code, out.stderr).toBe(130);
    expect(JSON.parse(out.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      imported: [],
      finished: [0],
      interrupted: 'SIGINT',
    });
    expect(out.stderr).toContain('parzen: Stopped while the stalling store waited.');
    expect(out.stderr).toContain(
      'parzen: interrupted (SIGINT): #0 was finished with its rescued result before the stop, and nothing else; import the file again for the rest (lines already imported are passed over).',
    );
    // As it says: the same file again finishes #1 and passes over #0's line.
    const again = await cli('import', target, rescue, '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      imported: [],
      finished: [1],
      importedBefore: [0],
    });
  });

  it("tells a line of a trial a run failed under the line's worker from another worker's by the failure's details, not its message", async () => {
    const own = tempDir('parzen-rescue-worker-');
    const path = join(own, 'workers.parzen.jsonl');
    const store = createJsonlStore({ path });
    await store.openStudy(study);
    // #0 failed under w-1; #1 under w-12, whose message names "w-12" and so contains "w-1" (matched by the message
    // before, a line of w-1 naming #1 was taken for this store's).
    for (const owner of ['w-1', 'w-12']) {
      const number = (await store.createTrial('heart', leaseOf(owner)))?.number ?? -1;
      await store.setParams('heart', number, { x: 0.5, model: 0 });
      await store.finishTrial('heart', number, {
        state: 'failed',
        error: {
          code: 'STALE_TRIAL',
          message: `Left running by worker ${owner}, which stopped without finishing it.`,
          details: { worker: owner },
        },
      });
    }
    // #2 and #3 as a store written before the failures' details: w-12's message and w-1's, matched as written
    // (review 120: by substring, the message of w-12 named w-1 too).
    for (const message of [
      'Left running by worker w-12, which stopped without finishing it.',
      'Left running by the process 5 on host h, which stopped without finishing it (worker id w-1).',
    ]) {
      const number = (await store.createTrial('heart', leaseOf('w-x')))?.number ?? -1;
      await store.setParams('heart', number, { x: 0.5, model: 0 });
      await store.finishTrial('heart', number, { state: 'failed', error: { code: 'STALE_TRIAL', message } });
    }
    await store.close();
    const line = (trial: number, loss: number) =>
      rescueLine(trial, {
        params: { x: 0.25, model: 'svm' },
        loss,
        startedAt: `2026-12-05T10:0${trial}:00.000Z`,
        finishedAt: `2026-12-05T10:0${trial}:30.000Z`,
      });
    const rescue = writeIn(own, 'rescue.jsonl', line(0, 3) + line(1, 4) + line(2, 5) + line(3, 6));
    const target = writeIn(own, 'workers.json', {
      ...study,
      objective: { use: 'module', options: { path: './missing-objective.mjs' } },
      store: { use: 'jsonl', options: { path: './workers.parzen.jsonl' } },
      budget: { maxTrials: 10 },
    });
    const out = await cli('import', target, rescue, '--json');
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      imported: [4, 5, 6, 7],
      foreign: [2, 3],
    });
    expect(out.stderr).toContain('(#1 by w-1, #2 by w-1)');
  });

  it('adds a line whose trial a run failed, even when another trial has its params and loss (review 113: passed over as imported)', async () => {
    const own = tempDir('parzen-rescue-twin-');
    const path = join(own, 'twin.parzen.jsonl');
    const store = createJsonlStore({ path });
    await store.openStudy(study);
    for (const outcome of [
      { state: 'complete', loss: 1 },
      { state: 'failed', error: { code: 'STALE_TRIAL', message: 'gone' } },
    ] as const) {
      const number = (await store.createTrial('heart', leaseOf()))?.number ?? -1;
      await store.setParams('heart', number, { x: 0.5, model: 0 });
      await store.finishTrial('heart', number, outcome);
    }
    await store.close();
    // #1's result, which its store could not record; a run then marked #1 failed. #0 has the same params and loss.
    const rescue = writeIn(
      own,
      'rescue.jsonl',
      rescueLine(1, {
        params: { x: 0.5, model: 'svm' },
        loss: 1,
        startedAt: '2026-12-05T10:00:00.000Z',
        finishedAt: '2026-12-05T10:01:00.000Z',
      }),
    );
    const target = writeIn(own, 'twin.json', {
      ...study,
      objective: { use: 'module', options: { path: './missing-objective.mjs' } },
      store: { use: 'jsonl', options: { path: './twin.parzen.jsonl' } },
      budget: { maxTrials: 10 },
    });
    const out = await cli('import', target, rescue, '--json');
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      imported: [2],
      importedBefore: [],
    });
    // Imported again, the trial it added (#2, with the line's times) is its earlier import: passed over.
    const again = await cli('import', target, rescue, '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      imported: [],
      importedBefore: [2],
    });
    // A line without its times (not as a run writes one) is matched as any row is, by params and result: never
    // added twice (review 114: matched by times, it was added at each import).
    const timeless = writeIn(own, 'timeless.jsonl', rescueLine(1, { params: { x: 0.25, model: 'svm' }, loss: 7 }));
    const once = await cli('import', target, timeless, '--json');
    expect(JSON.parse(once.stdout.trim().split('\n').at(-1) as string)).toMatchObject({ imported: [3] });
    const twice = await cli('import', target, timeless, '--json');
    expect(JSON.parse(twice.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      imported: [],
      importedBefore: [3],
    });
    // A plain file imported before stays refused with a rescue line appended (review 114: the line let it in).
    const rows = writeIn(own, 'rows.jsonl', `${JSON.stringify({ params: { x: 0.75, model: 'tree' }, loss: 2 })}\n`);
    expect((await cli('import', target, rows)).code).toBe(0);
    const mixed = writeIn(
      own,
      'mixed.jsonl',
      readFileSync(rows, 'utf8') +
        rescueLine(1, {
          params: { x: 0.5, model: 'svm' },
          loss: 1,
          startedAt: '2026-12-05T11:00:00.000Z',
          finishedAt: '2026-12-05T11:01:00.000Z',
        }),
    );
    const refused = await cli('import', target, mixed);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('repeats a trial study heart already has');
  });

  it('leaves a line whose trial another process finished meanwhile for the next import, and says a curve a store cannot keep is dropped (review 112)', async () => {
    const own = tempDir('parzen-rescue-race-');
    mkdirSync(join(own, 'node_modules', '@parzen'), { recursive: true });
    for (const name of ['engine', 'store-file'])
      symlinkSync(join(repoRoot, 'packages', name), join(own, 'node_modules', '@parzen', name), 'dir');
    // A journal whose finishTrial another process beats (a run marking the trial failed first), or that keeps no
    // intermediate values (a store without reportIntermediate).
    writeIn(
      own,
      'odd-store.mjs',
      `import { createJsonlStore } from '@parzen/store-file';
export const manifests = [{
  kind: 'store', name: 'odd', optionsSchema: { type: 'object' },
  create: ({ path, mode }) => {
    const inner = createJsonlStore({ path });
    return Object.assign(Object.create(inner), {
      name: 'odd',
      reportIntermediate: mode === 'no-reports' ? undefined : inner.reportIntermediate.bind(inner),
      finishTrial: async (study, number, outcome) => {
        if (mode === 'race')
          await inner.finishTrial(study, number, { state: 'failed', error: { code: 'STALE_TRIAL', message: 'gone' } });
        return inner.finishTrial(study, number, outcome);
      },
    });
  },
}];
`,
    );
    const rescue = writeIn(
      own,
      'rescue.jsonl',
      rescueLine(0, { params: { x: 0.25, model: 'tree' }, loss: 0.3, intermediate: [{ step: 0, value: 0.4 }] }),
    );
    const importWith = async (mode: string) => {
      const path = join(own, `${mode}.parzen.jsonl`);
      const store = createJsonlStore({ path });
      await store.openStudy(study);
      await store.createTrial('heart', leaseOf());
      await store.setParams('heart', 0, { x: 0.25, model: 1 });
      await store.close();
      const target = writeIn(own, `${mode}.json`, {
        ...study,
        plugins: ['./odd-store.mjs'],
        objective: { use: 'module', options: { path: './missing-objective.mjs' } },
        store: { use: 'odd', options: { path, mode } },
        budget: { maxTrials: 10 },
      });
      const out = await cli('import', target, rescue, '--json');
      const reader = createJsonlStore({ path, readOnly: true });
      const trials = await reader.listTrials('heart');
      await reader.close();
      return { out, trials };
    };
    const raced = await importWith('race');
    expect(raced.out.code, raced.out.stderr).toBe(0);
    expect(JSON.parse(raced.out.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      imported: [],
      finished: [],
      notImported: [0],
    });
    expect(raced.out.stderr).toContain('#0 of study heart (odd store) was finished by another process while importing');
    expect(raced.trials.map((trial) => trial.state)).toEqual(['failed']);
    const plain = await importWith('no-reports');
    expect(plain.out.code, plain.out.stderr).toBe(0);
    expect(JSON.parse(plain.out.stdout.trim().split('\n').at(-1) as string)).toMatchObject({ finished: [0] });
    expect(plain.out.stderr).toContain(
      "the odd store keeps no intermediate values (no reportIntermediate): #0's rescued learning curve (1 point) is not kept, its result is.",
    );
    expect(plain.trials[0]).toMatchObject({ state: 'complete', loss: 0.3 });
  });
});

describe('a file of trials that is not UTF-8 text, or not separated by commas (trial 183)', () => {
  it('refuses Windows-1252, Latin-1 and UTF-16 files as a config that is not UTF-8 is refused, naming the first bad line; nothing imported', async () => {
    const target = config('enc.json', { use: 'jsonl', options: { path: './enc.parzen.jsonl' } });
    const latin1 = (text: string) => Buffer.from(text, 'latin1');
    const files: [string, Buffer, RegExp][] = [
      // Before: attrs stored with U+FFFD, exit 0.
      [
        'attrs-cp1252.csv',
        latin1('x,model,loss,attrs.note\n0.5,svm,1,fine\n0.25,tree,2,Gr\xfc\xdfe\n'),
        /attrs-cp1252\.csv: is not UTF-8 text \(a binary file, or text in another encoding, such as Windows-1252 or Latin-1: save it as UTF-8\); line 3 is the first that is not\./,
      ],
      // Before: `found "gro�"`.
      [
        'rows-latin1.jsonl',
        latin1(
          '{"params":{"x":0.5,"model":"svm"},"loss":1}\n{"params":{"x":0.5,"model":"svm"},"loss":2,"attrs":{"n":"caf\xe9"}}\n',
        ),
        /rows-latin1\.jsonl: is not UTF-8 text \(.*Windows-1252.*\); line 2 is the first that is not\./,
      ],
      // Before: a header dump full of \u0000.
      [
        'utf16.csv',
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('x,model,loss\n0.5,svm,1\n', 'utf16le')]),
        /utf16\.csv: is not UTF-8 text \(it begins with a UTF-16 byte order mark: text saved as UTF-16/,
      ],
      [
        'utf16-no-mark.jsonl',
        Buffer.from('{"params":{"x":0.5,"model":"svm"},"loss":1}\n', 'utf16le'),
        /utf16-no-mark\.jsonl: is not UTF-8 text \(it holds a NUL byte beside each character, as UTF-16 text does: save it as UTF-8\)/,
      ],
    ];
    for (const [name, bytes, expected] of files) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const out = await cli('import', target, path, '--json');
      expect(out.code, name).toBe(2);
      expect(out.stderr, name).toMatch(expected);
      expect(out.stderr, name).toContain('Nothing was imported.');
      expect(out.stderr, name).not.toMatch(/\uFFFD|\\u0000/);
      expect(JSON.parse(out.stdout.trim().split('\n').at(-1) as string).errors[0].code, name).toBe('CLI_INPUT');
    }
    // No study, no store file.
    expect(existsSync(join(dir, 'enc.parzen.jsonl'))).toBe(false);
    // The config loader's words, from the same function.
    const config1252 = join(dir, 'config-1252.json');
    writeFileSync(config1252, latin1('{"name": "caf\xe9"}\n'));
    expect((await cli('validate', config1252)).stderr).toContain(
      'is not UTF-8 text (a binary file, or text in another encoding, such as Windows-1252 or Latin-1: save it as UTF-8); line 1 is the first that is not. Expected a JSON or YAML config.',
    );
    // UTF-8 with a byte order mark stays accepted, a U+FFFD the file holds too.
    const marked = writeIn(dir, 'marked.csv', '\uFEFFx,model,loss,attrs.note\n0.5,svm,1,Größe \uFFFD\n');
    const out = await cli('import', target, marked);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain('Imported 1 trial into study heart');
  });

  it('says a CSV separated by semicolons (German Excel) is one, not one unknown column', async () => {
    const target = config('semicolon.json', { use: 'jsonl', options: { path: './semicolon.parzen.jsonl' } });
    const out = await cli('import', target, writeIn(dir, 'semicolon.csv', 'x;model;loss\n0,5;svm;1\n'));
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(
      'semicolon.csv: looks separated by semicolons (its header "x;model;loss" is one column), as Excel saves a CSV where the decimal mark is a comma; import reads a CSV separated by commas, with a point as the decimal mark (RFC 4180).',
    );
    expect(out.stderr).not.toContain('unknown:');
    expect(existsSync(join(dir, 'semicolon.parzen.jsonl'))).toBe(false);
  });
});

describe('import --json says whether the study it created was taken out again (review: only stderr said it)', () => {
  /** The last stdout line, parsed. */
  const lastLine = (stdout: string) =>
    JSON.parse(stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>;
  it('"studyTakenOut" after a Ctrl-C and after a failure, only when this import created the study', async () => {
    const own = tempDir('parzen-import-taken-out-');
    const results = writeIn(own, 'rows.jsonl', '{"params": {"x": 0.5, "model": "svm"}, "loss": 1}\n');
    const file = join(own, 'made.parzen.jsonl');
    // Ctrl-C once the store has made the study: taken out.
    writeSignallingStore(own, 'stopped', 'openStudy', { base: 'jsonl' });
    const stopped = await cli(
      'import',
      pluginStoreConfig(own, 'stopped.json', 'made', 'stopped', file),
      results,
      '--json',
    );
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(lastLine(stopped.stdout)).toMatchObject({ imported: [], interrupted: 'SIGINT', studyTakenOut: true });
    // A store that cannot take it out keeps it: false.
    writeSignallingStore(own, 'plain', 'openStudy', { without: ['deletesOnlyEmpty'] });
    const kept = await cli('import', pluginStoreConfig(own, 'plain.json', 'kept', 'plain'), results, '--json');
    expect(kept.code, kept.stderr).toBe(130);
    expect(lastLine(kept.stdout)).toMatchObject({ interrupted: 'SIGINT', studyTakenOut: false });
    // A failed write: the error line has it beside "errors".
    writeSignallingStore(own, 'failing', 'addTrials', { base: 'jsonl', throws: 'the disk controller said no' });
    const failing = pluginStoreConfig(own, 'failing.json', 'made', 'failing', file);
    const failed = await cli('import', failing, results, '--json');
    expect(failed.code).toBe(1);
    const line = lastLine(failed.stdout);
    expect(line.studyTakenOut).toBe(true);
    expect((line.errors as { code: string }[])[0]?.code).toBe('STORE_FAILED');
    // A study that was there: no field, in the error line or the result line.
    const store = createJsonlStore({ path: file });
    await store.openStudy({ name: 'made', direction: 'minimize', seed: 7, space });
    await store.close();
    const again = await cli('import', failing, results, '--json');
    expect(again.code).toBe(1);
    expect(lastLine(again.stdout)).not.toHaveProperty('studyTakenOut');
    const into = pluginStoreConfig(own, 'into.json', 'made', 'failing', file);
    writeIn(own, 'into.json', {
      ...JSON.parse(readFileSync(into, 'utf8')),
      store: { use: 'jsonl', options: { path: file } },
    });
    const imported = await cli('import', into, results, '--json');
    expect(imported.code, imported.stderr).toBe(0);
    expect(lastLine(imported.stdout)).not.toHaveProperty('studyTakenOut');
    // An import that created its study and imported: it stays, false.
    const fresh = config('taken-out-fresh.json', { use: 'jsonl', options: { path: './taken-out-fresh.parzen.jsonl' } });
    const made = await cli('import', fresh, results, '--json');
    expect(made.code, made.stderr).toBe(0);
    expect(lastLine(made.stdout)).toMatchObject({ imported: [0], studyTakenOut: false });
  });
});
