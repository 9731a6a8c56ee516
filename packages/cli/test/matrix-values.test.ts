import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  heartConfig,
  heartModule,
  journalHeartConfig,
  lastJsonLine,
  requireBuiltCli,
  tempDir,
  writeIn,
} from './cli-harness.js';
import { cli } from './cli-in-process.js';

beforeAll(() => {
  requireBuiltCli();
});

/** A folder of its own with the heart module, and a config `file` of the heart's with `fields` in it. */
const ownHeartConfig = (prefix: string, file: string, fields: Record<string, unknown>) => {
  const own = tempDir(prefix);
  writeIn(own, 'heart.mjs', heartModule);
  return { own, path: writeIn(own, file, heartConfig(fields)) };
};

const optuna5 = { use: 'tpe', options: { profile: 'optuna5' } };
const joint = { use: 'tpe', options: { grouping: 'joint' } };

/** A matrix of three suggesters (two of them TPE with an option: digest labels) and two seeds, in one journal. */
const pivotConfig = () =>
  ownHeartConfig('parzen-matrix-values-', 'pv.json', {
    name: 'pv',
    store: undefined,
    objective: { use: 'module', options: { path: './heart.mjs', isolate: 'none' } },
    budget: { maxTrials: 2 },
    matrix: { suggester: [{ use: 'random' }, optuna5, joint], seed: [1, 2] },
  });

describe("a matrix config's values in the read commands' output", () => {
  // A user trial pivoted the results by variant and seed: only `run --json` had the matrix values, so the study
  // names had to be split by hand.
  it('trials --csv has a matrix.KEY column per matrix key after the others; run --json runs, best --json and studies --json have values', async () => {
    const { own, path } = pivotConfig();
    const run = await cli('run', path, '--quiet', '--json');
    expect(run.code, run.stderr).toBe(0);
    const runs = (lastJsonLine(run.stdout) as { runs: { study: string; values: unknown }[] }).runs;
    const studies = runs.map((r) => r.study);
    expect(studies).toHaveLength(6);
    const optunaStudy = studies[2] as string;
    expect(optunaStudy).toMatch(/^pv\.suggester-tpe-[0-9a-f]{6}\.seed-1$/);

    const csv = await cli('trials', path, '--csv');
    expect(csv.code, csv.stderr).toBe(0);
    const [header, ...lines] = csv.stdout.split('\n');
    expect(header).toBe(
      'study,number,state,loss,x,y,error_code,error_message,started_at,finished_at,matrix.suggester,matrix.seed',
    );
    expect(lines).toHaveLength(12);
    const row = lines.find((line) => line.startsWith(`${optunaStudy},0,`)) as string;
    expect(row.endsWith(',"{""use"":""tpe"",""options"":{""profile"":""optuna5""}}",1')).toBe(true);

    const best = await cli('best', path, '--json');
    expect(best.code, best.stderr).toBe(0);
    const bests = JSON.parse(best.stdout) as { study: string; values: unknown }[];
    expect(bests.map((entry) => entry.values)).toEqual([
      { suggester: { use: 'random' }, seed: 1 },
      { suggester: { use: 'random' }, seed: 2 },
      { suggester: optuna5, seed: 1 },
      { suggester: optuna5, seed: 2 },
      { suggester: joint, seed: 1 },
      { suggester: joint, seed: 2 },
    ]);
    // As run --json's runs have them.
    expect(runs.map((r) => r.values)).toEqual(bests.map((entry) => entry.values));

    // A study the journal holds that the matrix does not name (an earlier variant's) has values null.
    const old = journalHeartConfig(own, 'pv.old', { store: { use: 'jsonl', options: { path: './pv.parzen.jsonl' } } });
    expect((await cli('run', old, '--quiet')).code).toBe(0);
    const listed = await cli('studies', path, '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const lines2 = JSON.parse(listed.stdout) as { study: string; values: unknown }[];
    expect(Object.fromEntries(lines2.map((line) => [line.study, line.values]))).toEqual({
      'pv.old': null,
      ...Object.fromEntries(studies.map((study, at) => [study, bests[at]?.values])),
    });

    // A config without a matrix: no values, no matrix columns (as before).
    const single = await cli('best', old, '--json');
    expect(Object.keys(JSON.parse(single.stdout) as object)).not.toContain('values');
    expect((await cli('trials', old, '--csv')).stdout.split('\n')[0]).not.toContain('matrix.');
  });

  it('a trials --csv listing with matrix columns imports as before (they only inform)', async () => {
    const { own, path } = pivotConfig();
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    const listed = join(own, 'listed.csv');
    writeFileSync(listed, `${(await cli('trials', path, '--csv', '--study', 'pv.suggester-random.seed-1')).stdout}\n`);
    expect(readFileSync(listed, 'utf8').split('\n')[0]).toContain(',matrix.suggester,matrix.seed');
    const into = writeIn(own, 'into.json', heartConfig({ name: 'into', store: { use: 'jsonl' } }));
    const imported = await cli('import', into, listed);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/^Imported 2 trials into study into/m);
  });

  // A user trial: `pv.suggester-tpe-1985c9.seed-2` said nothing of the profile it ran; only run's comparison did.
  it('validate and studies say what a digest label stands for, once each', async () => {
    const { path } = pivotConfig();
    const validated = await cli('validate', path);
    expect(validated.code, validated.stderr).toBe(0);
    const where = [
      `where suggester tpe-${digestOf(validated.stdout, 'optuna5')} = {"use":"tpe","options":{"profile":"optuna5"}}`,
      `      suggester tpe-${digestOf(validated.stdout, 'grouping')} = {"use":"tpe","options":{"grouping":"joint"}}`,
    ].join('\n');
    expect(validated.stdout).toContain(`\n${where}`);
    const json = await cli('validate', path, '--json');
    expect((lastJsonLine(json.stdout) as { valid: { legend: string[] }[] }).valid[0]?.legend).toEqual([
      expect.stringContaining('"profile":"optuna5"'),
      expect.stringContaining('"grouping":"joint"'),
    ]);
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    const listed = await cli('studies', path);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`\n${where}`);
    expect(listed.stdout.match(/profile/g)).toHaveLength(1);
  });

  // A user trial: keys `space/x/high` × `space/y/high` gave `lblclash.high-2.high-3`: which one is x?
  it('says which key each part of a study name is where two keys end in the same segment; the names stay', async () => {
    const { path } = ownHeartConfig('parzen-matrix-clash-', 'lc.json', {
      name: 'lc',
      matrix: { 'space/x/high': [2, 3], '/space/y/high': [2, 3] },
    });
    const validated = await cli('validate', path);
    expect(validated.code, validated.stderr).toBe(0);
    expect(validated.stdout).toContain('(lc.high-2.high-2, lc.high-2.high-3, lc.high-3.high-2 and 1 more)');
    expect(validated.stdout).toContain(
      '\nwhere high-… in study names = space/x/high, then space/y/high, in that order',
    );
    // Keys that end apart need no such line.
    const { path: apart } = ownHeartConfig('parzen-matrix-apart-', 'ap.json', {
      name: 'ap',
      matrix: { 'space/x/high': [2, 3], seed: [1, 2] },
    });
    expect((await cli('validate', apart)).stdout).not.toContain('where');
  });

  // A user trial: a 300-character value failed with per-study files as "/name: expected … at most 150 characters",
  // a key the config never wrote so.
  it("says a study name too long for a store's file at the matrix value that made it long", async () => {
    // 300 characters that name heart.mjs.
    const long = `${'./'.repeat(146)}heart.mjs`;
    const { path } = ownHeartConfig('parzen-matrix-long-', 'ln.json', {
      name: 'ln',
      store: { use: 'jsonl' },
      matrix: { 'objective/options/path': ['./heart.mjs', long], seed: [1] },
    });
    const refused = await cli('validate', path);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      '/matrix/objective~1options~1path/1: expected a value whose part of the study name is shorter: `path-._._',
    );
    expect(refused.stderr).toMatch(
      /\(\d+ characters\) makes the name \d+ characters long, and a store that keeps each study in a file named after it \(\.parzen\.jsonl\) takes at most \d+; or give the store a "path"/,
    );
    expect(refused.stderr).not.toContain('  /name: expected');
    // A name long by the config's own `name`, its labels short: said at /name, as without a matrix.
    const { path: named } = ownHeartConfig('parzen-matrix-long-name-', 'nm.json', {
      name: 'n'.repeat(160),
      store: { use: 'jsonl' },
      matrix: { seed: [1] },
    });
    const byName = await cli('validate', named);
    expect(byName.code).toBe(2);
    expect(byName.stderr).toContain('  /name: expected a study name of at most');
  });
});

/** The six hex digits of the digest label whose legend line has `word`, as `validate` printed it. */
const digestOf = (stdout: string, word: string): string =>
  new RegExp(`suggester tpe-([0-9a-f]{6}) = [^\\n]*${word}`).exec(stdout)?.[1] ?? 'none';
