import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTpeSuggester } from '@parzen/algo-tpe';
import { fmin, uniform } from '@parzen/engine';
import { createJsonlStore } from '@parzen/store-file';
import { beforeAll, describe, expect, it } from 'vitest';
import { contourTarget, servedReads, servedStore, shownTrials } from '../src/commands/report.js';
import type { Output } from '../src/output.js';
import { runCli } from '../src/program.js';
import {
  heartConfig,
  heartModule,
  journalHeartConfig,
  requireBuiltCli,
  runParzen,
  tempDir,
  writeIn,
} from './cli-harness.js';

const collect = () => {
  const out = { stdout: [] as string[], stderr: [] as string[] };
  const output: Output = { result: (line) => out.stdout.push(line), note: (line) => out.stderr.push(line) };
  return { out, output };
};

const cli = async (...args: string[]) => {
  const { out, output } = collect();
  const code = await runCli(['node', 'parzen', ...args], output);
  return { code, stdout: out.stdout.join('\n'), stderr: out.stderr.join('\n') };
};

const pageData = (html: string) =>
  JSON.parse(html.split('<script type="application/json" id="parzen-data">')[1]?.split('</script>')[0] ?? '') as {
    sections: { id: string; charts: { id: string; marks: { mark: string; count: number }[] }[] }[];
    table: { rows: unknown[][] };
  };

let dir: string;
let config: string;
beforeAll(async () => {
  dir = tempDir('parzen-report-');
  writeIn(dir, 'heart.mjs', heartModule);
  config = writeIn(
    dir,
    'heart.json',
    heartConfig({
      suggester: { use: 'tpe', options: { startupTrials: 5 } },
      store: { use: 'jsonl', options: { path: './heart.parzen.jsonl' } },
      budget: { maxTrials: 30 },
    }),
  );
  const run = await cli('run', config, '--quiet');
  expect(run.code, run.stderr).toBe(0);
});

/** TPE past a start-up of 5 trials. */
const TPE = { use: 'tpe', options: { startupTrials: 5 } };

/**
 * A journal `<name>.parzen.jsonl` of a TPE study in code: trials #0 to #2, then #3, which failed before it had
 * params (its suggester threw). Returns its path.
 */
const withUnchosenTrial = async (name: string): Promise<string> => {
  const path = join(dir, `${name}.parzen.jsonl`);
  await fmin({
    name,
    space: { x: uniform(-2, 2) },
    objective: ({ x }) => x * x,
    suggester: createTpeSuggester(),
    store: createJsonlStore({ path }),
    maxTrials: 3,
  });
  const store = createJsonlStore({ path });
  const number = (await store.createTrial(name))?.number ?? -1;
  await store.finishTrial(name, number, { state: 'failed', error: { code: 'SUGGESTER_THREW', message: 'x' } });
  await store.close();
  return path;
};

/** The page says every replayed suggestion equals the stored one (so the replay used what ran). */
const expectEveryReplayReproduced = (html: string) => {
  const [, reproduced, total] = /(\d+) of (\d+) replayed suggestions equal the stored params exactly/.exec(html) ?? [];
  expect(Number(total)).toBeGreaterThan(0);
  expect(reproduced).toBe(total);
};

describe('parzen report', () => {
  it("writes one HTML file with the seed's figures, contours from the config's module objective", async () => {
    const out = join(dir, 'report.html');
    const result = await cli('report', config, '-o', out, '--contour');
    expect(result.code, result.stderr).toBe(0);
    // Said on stderr, as export's and import's confirmations are: a script's stdout holds only data.
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`Wrote ${out}`);
    const data = pageData(readFileSync(out, 'utf8'));
    const charts = data.sections.flatMap((s) => s.charts);
    const pair = charts.find((c) => c.id === 'pair-x-y');
    // Each of the 30 trials as its number, or as a dot where its number would cover an earlier one's; the
    // best trial's ring is the one more symbol.
    const count = (mark: string) => pair?.marks.find((m) => m.mark === mark)?.count ?? 0;
    expect(count('text')).toBeGreaterThanOrEqual(5);
    // Each number over its halo (two texts), the dots, and the best's ring.
    expect(count('text') / 2 + count('symbol') - 1).toBe(30);
    expect(pair?.marks.find((m) => m.mark === 'rule')?.count).toBeGreaterThan(100);
    expect(charts.map((c) => c.id)).toEqual(expect.arrayContaining(['history', 'density-x', 'density-y', 'slice']));
    expect(data.table.rows).toHaveLength(30);
  });

  it("replays a partly enqueued trial with its entry's values, so the row is the trial's own (trial 111)", async () => {
    const base = {
      name: 'partly',
      suggester: { use: 'tpe' },
      store: { use: 'jsonl', options: { path: './partly.parzen.jsonl' } },
      budget: { maxTrials: 8 },
    };
    const partly = writeIn(dir, 'partly.json', heartConfig(base));
    expect((await cli('run', partly, '--quiet')).code).toBe(0);
    writeIn(dir, 'partly.json', heartConfig({ ...base, budget: { maxTrials: 9 }, enqueue: [{ x: 0.3 }] }));
    expect((await cli('run', partly, '--quiet')).code).toBe(0);
    const out = join(dir, 'partly.html');
    const result = await cli('report', partly, '-o', out, '--every', '1');
    expect(result.code, result.stderr).toBe(0);
    const said = /Replayed with the study's TPE options[^<]*/.exec(readFileSync(out, 'utf8'))?.[0];
    // Trial 8's snapshot among them: trials 5 to 8, after the start-up phase. The same from the store alone.
    const byStore = await cli(
      'report',
      '--store',
      `jsonl:${join(dir, 'partly.parzen.jsonl')}`,
      '-o',
      out,
      '--every',
      '1',
    );
    expect(byStore.code, byStore.stderr).toBe(0);
    expect(/Replayed with the study's TPE options[^<]*/.exec(readFileSync(out, 'utf8'))?.[0]).toContain(
      '4 of 4 replayed suggestions equal the stored params exactly.',
    );
    expect(said).toContain('4 of 4 replayed suggestions equal the stored params exactly.');
  });

  // Trial 166: there was no way to draw one chosen trial's snapshot, and --every left out the last trial.
  it('replays TPE at the trials given with --trial (repeatable), and explain keeps its one --trial', async () => {
    const out = join(dir, 'trials.html');
    const base = { suggester: { use: 'tpe' }, store: { use: 'jsonl', options: { path: './chosen.parzen.jsonl' } } };
    const chosen = writeIn(dir, 'chosen.json', heartConfig({ ...base, name: 'chosen', budget: { maxTrials: 24 } }));
    expect((await cli('run', chosen, '--quiet')).code).toBe(0);
    const result = await cli('report', chosen, '-o', out, '--trial', '17', '--trial', '21');
    expect(result.code, result.stderr).toBe(0);
    // The rows of "What TPE saw" (the "Next suggestion" section has one of its own, the next trial's).
    const rows = (html: string) =>
      [...JSON.stringify(pageData(html).sections.find((s) => s.id === 'tpe')).matchAll(/"a":(\d+),"x"/g)].map((m) =>
        Number(m[1]),
      );
    expect(new Set(rows(readFileSync(out, 'utf8')))).toEqual(new Set([17, 21]));
    expect(readFileSync(out, 'utf8')).toContain('Snapshots at the trials 17, 21 asked for.');
    const spaced = await cli('report', chosen, '-o', out, '--every', '10', '--trial', '17');
    expect(spaced.code, spaced.stderr).toBe(0);
    expect(new Set(rows(readFileSync(out, 'utf8')))).toEqual(new Set([10, 17, 20, 23]));
    const twice = await cli('explain', chosen, '--trial', '17', '--trial', '21');
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('--trial is given 2 times: give it once');
  });

  it('draws fANOVA importance, or PED-ANOVA with --importance ped-anova; another method is refused', async () => {
    const out = join(dir, 'importance.html');
    const titleOf = () => /Parameter importance \((fANOVA|PED-ANOVA)\)/.exec(readFileSync(out, 'utf8'))?.[1];
    expect((await cli('report', config, '-o', out)).code).toBe(0);
    expect(titleOf()).toBe('fANOVA');
    const ped = await cli('report', config, '-o', out, '--importance', 'ped-anova');
    expect(ped.code, ped.stderr).toBe(0);
    expect(titleOf()).toBe('PED-ANOVA');
    const bad = await cli('report', config, '-o', out, '--importance', 'shap');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected fanova or ped-anova, found "shap"');
    // The same from the store alone (a path of its own in the command).
    const byStore = await cli(
      'report',
      '--store',
      `jsonl:${join(dir, 'heart.parzen.jsonl')}`,
      '-o',
      out,
      '--importance',
      'ped-anova',
    );
    expect(byStore.code, byStore.stderr).toBe(0);
    expect(titleOf()).toBe('PED-ANOVA');
  });

  it("reads a config's damaged journal with --salvage, as trials does (trial 113: refused, though documented)", async () => {
    const lines = readFileSync(join(dir, 'heart.parzen.jsonl'), 'utf8').split('\n');
    lines[12] = '{"op":"garbage';
    writeFileSync(join(dir, 'damaged.parzen.jsonl'), lines.join('\n'));
    const damaged = writeIn(
      dir,
      'damaged.json',
      heartConfig({
        suggester: { use: 'tpe', options: { startupTrials: 5 } },
        store: { use: 'jsonl', options: { path: './damaged.parzen.jsonl' } },
        budget: { maxTrials: 30 },
      }),
    );
    const out = join(dir, 'damaged.html');
    const refused = await cli('report', damaged, '-o', out);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('line 13');
    const salvaged = await cli('report', damaged, '--salvage', '-o', out);
    expect(salvaged.code, salvaged.stderr).toBe(0);
    expect(salvaged.stderr).toContain('line 13');
    expect(existsSync(out)).toBe(true);
    // One study only: a --study the config does not name is said.
    const none = await cli('report', damaged, '--salvage', '--study', 'nope', '-o', out);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--study nope names none of the config's studies");
  });

  it("names a shared-name branch's group among those TPE decided jointly (trial 114: the text left it out)", async () => {
    writeIn(
      dir,
      'branches.mjs',
      'export default (p) => (p.model === "b" ? (Math.log10(p.lr) + 2) ** 2 + (p.extra - 0.5) ** 2 : 1);\n',
    );
    const lr = { type: 'loguniform', low: 0.001, high: 1 };
    const branches = writeIn(dir, 'branches.json', {
      name: 'branches',
      seed: 3,
      space: {
        model: {
          type: 'choice',
          options: [
            { value: 'a', space: { lr } },
            { value: 'b', space: { lr, extra: { type: 'uniform', low: 0, high: 1 } } },
          ],
        },
      },
      objective: { use: 'module', options: { path: './branches.mjs', isolate: 'none' } },
      suggester: { use: 'tpe' },
      store: { use: 'jsonl', options: { path: './branches.parzen.jsonl' } },
      budget: { maxTrials: 16 },
    });
    expect((await cli('run', branches, '--quiet')).code).toBe(0);
    const out = join(dir, 'branches.html');
    expect((await cli('report', branches, '-o', out)).code).toBe(0);
    const said = /TPE decided [^<"]*/.exec(readFileSync(out, 'utf8'))?.[0];
    expect(said).toContain('(lr, extra: the parameters of a branch taken, one of them named in another branch too)');
    // And its charts draw the slices of that group's joint l and g, as the text says (the replay sliced groups only
    // when the study had static ones: here lr's chart drew its marginals).
    expect(readFileSync(out, 'utf8')).toContain('Decided jointly (multivariate TPE): the curves are slices');
  });

  it('--contour-levels draws the levels given, one legend entry each; refused without --contour or with a non-number', async () => {
    const out = join(dir, 'levels.html');
    const result = await cli('report', config, '-o', out, '--contour', '--contour-levels', '20, 1,-0.5,0');
    expect(result.code, result.stderr).toBe(0);
    const pair = pageData(readFileSync(out, 'utf8'))
      .sections.flatMap((s) => s.charts)
      .find((c) => c.id === 'pair-x-y') as unknown as {
      spec: { layer: { data?: { values: { level?: number }[] } }[] };
      description: string;
    };
    const spec = JSON.stringify(pair.spec);
    // 1 and 20 are not reached on the heart's grid: said, and not in the legend (review 58).
    expect(spec).toContain('"domain":[-0.5,0]');
    expect(spec).toContain('"type":"ordinal"');
    // With the grid's range, so the heart's 1 (its value at the origin, between grid points) reads as the
    // grid's limit (trial 96).
    expect(pair.description).toMatch(
      /the levels given \(1, 20 are not reached on this grid, whose values run from -?[\d.]+ to 0\.9\d+\)/,
    );
    const levels = new Set((pair.spec.layer[0]?.data?.values ?? []).map((row) => row.level));
    expect([...levels].every((level) => [-0.5, 0, 1, 20].includes(level as number))).toBe(true);
    const alone = await cli('report', config, '-o', out, '--contour-levels', '1,2');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--contour-levels sets the levels of the contour lines');
    const bad = await cli('report', config, '-o', out, '--contour', '--contour-levels', '1,x,');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected finite numbers separated by commas (-0.5,0,1,20), found "x", "" in "1,x,"');
  });

  it('says there is nothing to draw with --format svg when the study has no trials yet', async () => {
    const { createJsonlStore } = await import('@parzen/store-file');
    const journal = join(dir, 'empty.parzen.jsonl');
    const store = createJsonlStore({ path: journal });
    await store.openStudy({ name: 'empty', direction: 'minimize', seed: 0, space: heartConfig().space as never });
    await store.close();
    const empty = writeIn(
      dir,
      'empty.json',
      heartConfig({ name: 'empty', store: { use: 'jsonl', options: { path: './empty.parzen.jsonl' } } }),
    );
    const out = join(dir, 'empty-svg');
    const result = await cli('report', empty, '--format', 'svg', '-o', out);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Nothing to draw yet: no SVG chart was written to ${out}; its README.md says why`);
    expect(result.stderr).not.toContain('Wrote 0 SVG charts');
    expect(readdirSync(out).filter((name) => name.endsWith('.svg'))).toEqual([]);
  });

  it('writes each chart as an SVG with --format svg, and reads another store with --store', async () => {
    const out = join(dir, 'svg');
    const result = await cli(
      'report',
      config,
      '--format',
      'svg',
      '-o',
      out,
      '--store',
      `jsonl:${join(dir, 'heart.parzen.jsonl')}`,
      '--pair',
      'y,x',
    );
    expect(result.code, result.stderr).toBe(0);
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['history.svg', 'pair-y-x.svg', 'density-x.svg']));
    expect(readFileSync(join(out, 'history.svg'), 'utf8').startsWith('<svg')).toBe(true);
    // Legend labels whole (Vega cut them at 160 px: "log l(x) (good tri…").
    const density = readFileSync(join(out, 'density-x.svg'), 'utf8');
    expect(density).toContain('log l(x) (good trials)');
    expect(density).not.toContain('…');
  });

  it('gives a comparison page for a matrix', async () => {
    // No `store`: a matrix keeps its studies in one journal beside the config.
    const { store: _memory, ...base } = heartConfig({
      name: 'cmp',
      budget: { maxTrials: 10 },
      matrix: { suggester: [{ use: 'random' }, { use: 'tpe', options: { profile: 'optuna5' } }], seed: [1, 2] },
    });
    const matrix = writeIn(dir, 'cmp.json', base);
    expect((await cli('run', matrix, '--quiet')).code).toBe(0);
    const out = join(dir, 'cmp.html');
    const result = await cli('report', matrix, '-o', out);
    expect(result.code, result.stderr).toBe(0);
    // A comparison page has no importance chart: the method is refused, not ignored.
    const method = await cli('report', matrix, '-o', join(dir, 'cmp-importance.html'), '--importance', 'ped-anova');
    expect(method.code).toBe(2);
    expect(method.stderr).toContain("--importance draws one study's report");
    expect(existsSync(join(dir, 'cmp-importance.html'))).toBe(false);
    const page = pageData(readFileSync(out, 'utf8'));
    const charts = page.sections.flatMap((s) => s.charts);
    expect(charts.map((c) => c.id)).toEqual(['regret', 'final']);
    expect(charts[1]?.marks).toEqual([{ mark: 'symbol', count: 4 }]);
    // Titled by the variants it compares, the configs named in a note (trial 34: titled by file names).
    expect((page as unknown as { title: string }).title).toMatch(
      /^Parzen comparison: cmp suggester=random, cmp suggester=tpe-[0-9a-f]{6}$/,
    );
    expect((page as unknown as { notes: string[] }).notes).toContain(`Config: ${matrix}.`);
    // A digest label is explained on the page, as run's table explains it (trial 28).
    expect((page as unknown as { notes: string[] }).notes.join('\n')).toMatch(
      /Variant labels: suggester tpe-[0-9a-f]{6} = \{"use":"tpe","options":\{"profile":"optuna5"\}\}\./,
    );
    // A variant not run yet is left out, and so is its label's explanation (trial 72); one variant is singular.
    const partial = writeIn(dir, 'cmp-partial.json', {
      ...base,
      name: 'cmpp',
      matrix: { suggester: [{ use: 'random' }, { use: 'tpe', options: { profile: 'optuna5' } }], seed: [1] },
    });
    const randomOnly = writeIn(dir, 'cmp-partial-run.json', {
      ...base,
      name: 'cmpp',
      matrix: { suggester: [{ use: 'random' }], seed: [1] },
    });
    expect((await cli('run', randomOnly, '--quiet')).code).toBe(0);
    const partialOut = join(dir, 'cmp-partial.html');
    expect((await cli('report', partial, '-o', partialOut)).code).toBe(0);
    const partialNotes = (pageData(readFileSync(partialOut, 'utf8')) as unknown as { notes: string[] }).notes.join(
      '\n',
    );
    expect(partialNotes).toContain('1 run in 1 variant (minimize).');
    expect(partialNotes).toMatch(/Not run yet \(left out\): cmpp\.suggester-tpe-[0-9a-f]{6}\.seed-1\./);
    expect(partialNotes).not.toContain('Variant labels');
    // A store file that is not there is named, as the flag's (review 79: "None of the 2 studies exists yet").
    const typo = await cli('report', matrix, '--store', `sqlite:${join(dir, 'typo.db')}`, '-o', join(dir, 't.html'));
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain(`is not in its sqlite store ${join(dir, 'typo.db')}, a file not there yet`);

    // --study picks one of the matrix's studies, as trials and best do (trial 32: it was ignored).
    const names = (JSON.parse((await cli('best', matrix, '--json')).stdout) as { study: string }[]).map((b) => b.study);
    const one = join(dir, 'cmp-one.html');
    const single = await cli('report', matrix, '--study', names[0] as string, '-o', one);
    expect(single.code, single.stderr).toBe(0);
    const onePage = pageData(readFileSync(one, 'utf8'));
    expect(onePage.sections.flatMap((s) => s.charts).map((c) => c.id)).toContain('history');
    const unknown = await cli('report', matrix, '--study', 'nope', '-o', join(dir, 'nope.html'));
    expect(unknown.code).toBe(1); // as trials exits for it
    // Said as trials says it, with the studies the store holds (review 70: the config's names only).
    expect(unknown.stderr).toContain('cmp.json: Nothing to report: study `nope` is not in its jsonl store');
    expect(unknown.stderr).toContain(names[0]);
    const unexplained = await cli('explain', matrix, '--study', 'nope');
    expect(unexplained.code).toBe(1);
    expect(unexplained.stderr).toContain('cmp.json: Nothing to explain: study `nope` is not in its jsonl store');
    expect(existsSync(join(dir, 'nope.html'))).toBe(false);
    // A study the matrix's store holds under another name (an earlier version's name for a variant, which run
    // points to with --study): reported as the store keeps it, as trials reads it (trial 63: refused).
    const { store: _mem, ...other } = heartConfig({
      name: 'cmp.suggester-tpe1.seed-1',
      budget: { maxTrials: 3 },
      store: { use: 'jsonl', options: { path: './cmp.parzen.jsonl' } },
    });
    const legacy = writeIn(dir, 'cmp-legacy.json', {
      ...other,
      store: { use: 'jsonl', options: { path: './cmp.parzen.jsonl' } },
    });
    expect((await cli('run', legacy, '--quiet')).code).toBe(0);
    const old = join(dir, 'cmp-old.html');
    const byOldName = await cli('report', matrix, '--study', 'cmp.suggester-tpe1.seed-1', '-o', old, '--json');
    expect(byOldName.code, byOldName.stderr).toBe(0);
    expect(JSON.parse(byOldName.stdout)).toMatchObject({ studies: [{ name: 'cmp.suggester-tpe1.seed-1', trials: 3 }] });
    // And explain, with the same --study (its suggester as the store kept it: random here, which explain says).
    const explained = await cli('explain', matrix, '--study', 'cmp.suggester-tpe1.seed-1');
    expect(explained.stderr).toContain(
      'Study cmp.suggester-tpe1.seed-1 was created with the `random` suggester, as its store recorded it; explain shows how TPE decides, so it expects a study of suggester "tpe".',
    );
    // Served live: one study, which --study picks (trial 64: the message said to give a config without a matrix).
    const served = await cli('report', matrix, '--serve');
    expect(served.code).toBe(2);
    expect(served.stderr).toMatch(
      /these configs name 4 \(a comparison page is written, not served\): pick one with --study NAME \(cmp\.[^,]+, /,
    );
  });

  it('with --study, says a corrupt store as such, not as a study the config does not name (review 69)', async () => {
    const store = { use: 'jsonl', options: { path: './corrupt-shared.parzen.jsonl' } };
    const before = writeIn(dir, 'corrupt-old.json', {
      ...heartConfig({ name: 'corrupt-old', budget: { maxTrials: 3 } }),
      store,
    });
    expect((await cli('run', before, '--quiet')).code).toBe(0);
    const renamed = writeIn(dir, 'corrupt-new.json', {
      ...heartConfig({ name: 'corrupt-new', budget: { maxTrials: 3 } }),
      store,
    });
    const journal = join(dir, 'corrupt-shared.parzen.jsonl');
    const lines = readFileSync(journal, 'utf8').split('\n');
    lines[2] = '{bad';
    writeFileSync(journal, lines.join('\n'));
    const reported = await cli('report', renamed, '--study', 'corrupt-old', '-o', join(dir, 'corrupt.html'));
    expect(reported.code).toBe(1);
    expect(reported.stderr).toContain('is corrupt at line 3');
    expect(reported.stderr).not.toContain('the config names');
    const explained = await cli('explain', renamed, '--study', 'corrupt-old');
    expect(explained.code).toBe(1);
    expect(explained.stderr).toContain('is corrupt at line 3');
  });

  it('says a mistake in --store of the flag as typed, its password masked, as best does (review 70: a bare --store)', async () => {
    const url = 'postgres://u:secret@nonexistent.invalid/d';
    for (const command of [
      ['report', config, '--store', url, '-o', join(dir, 'never.html')],
      ['explain', config, '--store', url],
    ]) {
      const said = await cli(...command);
      expect(said.code, command[0]).toBe(2);
      expect(said.stderr).toContain(
        '--store "postgres://u:***@nonexistent.invalid/d": expected a URL without a password',
      );
      expect(said.stderr).not.toContain('secret');
    }
  });

  it("refuses -o - (standard output) for report and export, with what to do, and writes no file named '-' (trial 68)", async () => {
    const reported = await cli('report', config, '-o', '-');
    expect(reported.code).toBe(2);
    expect(reported.stderr).toContain('-o -: report writes a file');
    const exported = await cli('export', config, '-o', '-');
    expect(exported.code).toBe(2);
    expect(exported.stderr).toContain('-o -: without -o the export goes to standard output');
    expect(existsSync(join(process.cwd(), '-'))).toBe(false);
  });

  it('--json prints the file or folder written, the studies shown with their trial counts, and the notes', async () => {
    const file = join(dir, 'json.html');
    const one = await cli('report', config, '-o', file, '--json');
    expect(one.code, one.stderr).toBe(0);
    const line = JSON.parse(one.stdout) as { format: string; output: string; studies: unknown; notes: string[] };
    expect(line).toMatchObject({ format: 'html', output: file, studies: [{ name: 'heart', trials: 30 }] });
    expect(line.notes.join('\n')).toContain('30 trials');
    expect(existsSync(file)).toBe(true);
    expect(one.stderr).toContain(`Wrote ${file}`);
    const folder = join(dir, 'json-svg');
    const svg = await cli('report', config, '--format', 'svg', '-o', folder, '--json');
    expect(svg.code, svg.stderr).toBe(0);
    const svgLine = JSON.parse(svg.stdout) as { format: string; output: string; files: string[] };
    expect(svgLine.format).toBe('svg');
    expect(svgLine.output).toBe(folder);
    expect(svgLine.files).toContain(join(folder, 'history.svg'));
    expect(svgLine.files.every((path) => existsSync(path))).toBe(true);
    // A comparison page names each study it shows.
    const { store: _memory, ...base } = heartConfig({
      name: 'cmpjson',
      budget: { maxTrials: 4 },
      matrix: { seed: [1, 2] },
    });
    const matrix = writeIn(dir, 'cmpjson.json', base);
    expect((await cli('run', matrix, '--quiet')).code).toBe(0);
    const cmp = await cli('report', matrix, '-o', join(dir, 'cmpjson.html'), '--json');
    expect(cmp.code, cmp.stderr).toBe(0);
    const studies = (JSON.parse(cmp.stdout) as { studies: { name: string; trials: number }[] }).studies;
    expect(studies).toHaveLength(2);
    expect(studies.every((study) => study.trials === 4 && study.name.startsWith('cmpjson'))).toBe(true);
    const served = await cli('report', config, '--serve', '--json');
    expect(served.code).toBe(2);
    expect(served.stderr).toContain('so --json has nothing to describe');
  });

  it('compares a study run with another space than its config now describes only with its own space, and says so (trial 36)', async () => {
    const { store: _memory, ...base } = heartConfig({
      name: 'widened',
      budget: { maxTrials: 6 },
      matrix: { seed: [1, 2] },
    });
    const before = writeIn(dir, 'widened.json', base);
    expect((await cli('run', before, '--quiet')).code).toBe(0);
    // The space widened, and a third seed run with it: seeds 1 and 2 are of the old space. (Run with all three
    // seeds, the batch is refused before any runs: trial 72.)
    const widened = { x: { type: 'uniform', low: -3, high: 2 }, y: { type: 'uniform', low: -2, high: 2 } };
    const third = writeIn(dir, 'widened.json', { ...base, space: widened, matrix: { seed: [3] } });
    expect((await cli('run', third, '--quiet')).code).toBe(0);
    const after = writeIn(dir, 'widened.json', { ...base, space: widened, matrix: { seed: [1, 2, 3] } });
    expect((await cli('run', after, '--quiet')).code).toBe(1); // seeds 1 and 2: STUDY_MISMATCH, nothing ran
    const out = join(dir, 'widened.html');
    const result = await cli('report', after, '-o', out);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/studies widened\.seed-1, widened\.seed-2 were run with another space/);
    const notes = (pageData(readFileSync(out, 'utf8')) as unknown as { notes: string[] }).notes.join(' ');
    expect(notes).toContain('2 problems');
    expect(notes).toContain('Run with another space than their config describes now');
  });

  it('warns when the config now maximizes a study created to minimize (review 53: said nothing)', async () => {
    const flipped = writeIn(
      dir,
      'heart-max.json',
      heartConfig({
        direction: 'maximize',
        suggester: { use: 'tpe', options: { startupTrials: 5 } },
        store: { use: 'jsonl', options: { path: './heart.parzen.jsonl' } },
      }),
    );
    const result = await cli('report', flipped, '-o', join(dir, 'flipped.html'));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      `parzen: warning: study heart was created to minimize; ${flipped} says maximize now. The report ranks its trials by the stored direction (minimize).`,
    );
  });

  it('ranks a comparison by the stored direction when the configs flip it, and says so (review 54)', async () => {
    const { store: _memory, ...base } = heartConfig({
      name: 'flipcmp',
      budget: { maxTrials: 4 },
      matrix: { seed: [1, 2] },
    });
    const path = writeIn(dir, 'flipcmp.json', base);
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    writeIn(dir, 'flipcmp.json', { ...base, direction: 'maximize' });
    const out = join(dir, 'flipcmp.html');
    const result = await cli('report', path, '-o', out);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      'parzen: warning: studies flipcmp.seed-1, flipcmp.seed-2 were created to minimize; the config says otherwise now. The page ranks by the stored direction.',
    );
    expect(readFileSync(out, 'utf8')).not.toContain('maximize');
  });

  it('is bad input (exit 2) when the contour function cannot be loaded or a pair is not numeric', async () => {
    const missing = await cli('report', config, '-o', join(dir, 'x.html'), '--contour', './nowhere.mjs#f');
    expect(missing.code).toBe(2);
    // A file given to --contour is not the objective (trial 48: it was called one).
    expect(missing.stderr).toMatch(/--contour: Contour module `\.\/nowhere\.mjs` not found/);
    const contour = writeIn(dir, 'contour.mjs', 'export const f = ({ x }) => x;\n');
    const unnamed = await cli('report', config, '-o', join(dir, 'x.html'), '--contour', `${contour}#nope`);
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toContain(`--contour: Export \`nope\` of contour module \`${contour}\` is no such export`);
    const pair = await cli('report', config, '-o', join(dir, 'x.html'), '--pair', 'x,z');
    expect(pair.code).toBe(2);
    expect(pair.stderr).toContain(
      '--pair "x,z": expected two different numeric parameters of the space (x, y), found `z`, no parameter of the space',
    );
    const itself = await cli('report', config, '-o', join(dir, 'x.html'), '--pair', 'x,x');
    expect(itself.code).toBe(2);
    expect(itself.stderr).toContain(
      '--pair "x,x": expected two different numeric parameters of the space (x, y), found `x` twice',
    );
    expect(existsSync(join(dir, 'x.html'))).toBe(false);
  });

  it('reads --contour as a whole file name when it names one, # and all (trial 52: it was cut at the #)', () => {
    const hashed = writeIn(dir, 'obj #1.mjs', 'export default ({ x, y }) => x * x + y * y;\n');
    expect(contourTarget(hashed)).toEqual({ path: hashed, exportName: 'default' });
    expect(contourTarget(`${hashed}#f`)).toEqual({ path: hashed, exportName: 'f' });
    expect(contourTarget(join(dir, 'nowhere.mjs#f'))).toEqual({ path: join(dir, 'nowhere.mjs'), exportName: 'f' });
  });

  it("replays TPE with the seed and settings the study was run with, not a config's that differ", async () => {
    const store = { use: 'jsonl', options: { path: './seeded.parzen.jsonl' } };
    const ran = writeIn(
      dir,
      'seeded.json',
      heartConfig({
        seed: 3,
        suggester: { use: 'tpe', options: { profile: 'optuna' } },
        store,
        budget: { maxTrials: 24 },
      }),
    );
    expect((await cli('run', ran, '--quiet')).code).toBe(0);
    // A config written later for the same study: no seed (0), TPE's defaults.
    const later = writeIn(dir, 'seeded-later.json', {
      ...heartConfig({ suggester: { use: 'tpe' }, store }),
      seed: undefined,
    });
    const out = join(dir, 'seeded.html');
    const result = await cli('report', later, '-o', out);
    expect(result.code, result.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('(minimize, seed 3, suggester tpe)');
    // Every replayed suggestion is the stored one (with the config's seed and settings: none was).
    expectEveryReplayReproduced(html);
  });

  it('draws a study with the space it ran with when the config has changed since, and says so (trial 28)', async () => {
    const store = { use: 'jsonl', options: { path: './changed.parzen.jsonl' } };
    const ran = writeIn(
      dir,
      'changed.json',
      heartConfig({ name: 'changed', suggester: { use: 'tpe' }, store, budget: { maxTrials: 24 } }),
    );
    expect((await cli('run', ran, '--quiet')).code).toBe(0);
    // The config later: x on a log scale, y gone, a choice z the study never had.
    const later = writeIn(
      dir,
      'changed-later.json',
      heartConfig({
        name: 'changed',
        suggester: { use: 'tpe' },
        store,
        space: { x: { type: 'loguniform', low: 0.1, high: 20 }, z: { type: 'choice', options: ['a', 'b'] } },
      }),
    );
    const out = join(dir, 'changed.html');
    const result = await cli('report', later, '-o', out);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      `warning: study changed was run with another space than ${later} describes now; the report draws it with the stored space.`,
    );
    const html = readFileSync(out, 'utf8');
    // With the config's space, 0 replayed suggestions matched (and a choice z the study never had was drawn).
    expectEveryReplayReproduced(html);
  });

  it('reports a study made in code from its store alone (--store, no config), with its stored seed and settings', async () => {
    const path = join(dir, 'in-code.parzen.jsonl');
    await fmin({
      name: 'in-code',
      space: { x: uniform(-2, 2), y: uniform(-2, 2) },
      objective: ({ x, y }) => x * x + y * y,
      suggester: createTpeSuggester({ profile: 'optuna', startupTrials: 5 }),
      store: createJsonlStore({ path }),
      maxTrials: 20,
      seed: 3,
    });
    const out = join(dir, 'in-code.html');
    const result = await cli('report', '--store', `jsonl:${path}`, '-o', out);
    expect(result.code, result.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('(minimize, seed 3, suggester tpe)');
    expectEveryReplayReproduced(html);
    // It was "missing required argument 'config'"; with neither, it says what to give.
    expect((await cli('report')).stderr).toContain('Give a config, or --store SPEC');
    // The optional --contour value took the config (trial 88): said so.
    expect((await cli('report', '--contour', 'base.json', '-o', 'r.html')).stderr).toContain(
      "(--contour took `base.json` as its function's file: put the config first, parzen report base.json --contour)",
    );
  });

  it('fails with STUDY_NOT_FOUND (exit 1) for a study that was never run', async () => {
    const fresh = writeIn(
      dir,
      'fresh.json',
      heartConfig({ name: 'fresh', store: { use: 'jsonl', options: { path: './fresh.jsonl' } } }),
    );
    const result = await cli('report', fresh, '-o', join(dir, 'fresh.html'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/fresh/);
  });
});

describe('parzen report: mistakes a user can make, and what they are told', () => {
  it('-o: writes into a folder it creates, and refuses a folder for the HTML file or a file for the SVGs (exit 2, no stack trace)', async () => {
    const nested = join(dir, 'new', 'deeper', 'r.html');
    const made = await cli('report', config, '-o', nested);
    expect(made.code, made.stderr).toBe(0);
    expect(existsSync(nested)).toBe(true);
    const folder = await cli('report', config, '-o', dir);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe(
      `parzen: -o: ${dir} is a folder; give the HTML file to write (such as ${join(dir, 'report.html')}), or --format svg to write one SVG per chart into it.`,
    );
    const file = await cli('report', config, '--format', 'svg', '-o', nested);
    expect(file.code).toBe(2);
    expect(file.stderr).toBe(
      `parzen: -o: ${nested} is a file; --format svg writes one SVG per chart into a folder: give a folder.`,
    );
  });

  it('--trial naming no trial of the study, or one without params, is bad input: which trials it has, no file', async () => {
    const out = join(dir, 'no-such-trial.html');
    const absent = await cli('report', config, '-o', out, '--trial', '99', '--trial', '3', '--trial', '120');
    expect(absent.code).toBe(2);
    expect(absent.stderr).toBe(
      'parzen: --trial 99 --trial 120: study heart has no trials #99, #120 (its trials are #0 to #29). No report was written.',
    );
    expect(absent.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    // The same from the store alone; and a trial that failed before it had params has nothing to draw.
    const path = await withUnchosenTrial('unchosen');
    const stored = await cli('report', '--store', `jsonl:${path}`, '-o', out, '--trial', '3', '--trial', '7');
    expect(stored.code).toBe(2);
    expect(stored.stderr).toBe(
      'parzen: --trial 7: study unchosen has no trial #7 (its trials are #0 to #3). --trial 3: trial #3 of study unchosen has no params (failed before it had any): nothing was chosen there to draw. No report was written.',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('--serve says a failed read once, and when reading works again (trial 113: at every poll, recovery unsaid)', async () => {
    const { out, output } = collect();
    let up = false;
    const reads = servedReads(async () => {
      if (!up) throw new Error('server down');
      return 'study';
    }, output);
    for (let i = 0; i < 3; i++) await reads.load().catch(reads.onError);
    up = true;
    expect(await reads.load()).toBe('study');
    expect(await reads.load()).toBe('study');
    // A page that cannot be built is no read failure (review 118).
    reads.onError(new Error('no chart'));
    expect(out.stderr).toEqual([
      'parzen: reading the study failed: server down (the page keeps what it showed; reading is tried again every interval)',
      'parzen: reading the study works again.',
      'parzen: the report could not be built: no chart (the page keeps what it showed; the build is tried again every fifth interval and when the page is reloaded)',
    ]);
  });

  it('--serve reads the study again once a journal that failed to read is whole (trial 118: the failure stuck)', async () => {
    const path = join(dir, 'shrunk.parzen.jsonl');
    const writer = createJsonlStore({ path });
    await writer.openStudy({ name: 'shrunk', direction: 'minimize', seed: 1, space: { x: uniform(0, 1) } });
    for (let i = 0; i < 3; i++) {
      const trial = await writer.createTrial('shrunk');
      await writer.setParams('shrunk', trial?.number ?? -1, { x: i / 4 });
      await writer.finishTrial('shrunk', trial?.number ?? -1, { state: 'complete', loss: i });
    }
    await writer.close();
    const whole = readFileSync(path, 'utf8');
    let opened = 0;
    const store = servedStore(
      async () => {
        opened++;
        return createJsonlStore({ path, readOnly: true });
      },
      undefined,
      60_000,
    );
    const grown = shownTrials();
    const count = () => store.read(async (read) => grown({ trials: await read.listTrials('shrunk') }).trials.length);
    expect(await count()).toBe(3);
    // Cut short while open, to its first trial: the reader fails, and would fail at every later read.
    writeFileSync(path, whole.slice(0, whole.indexOf('{"op":"trial","study":"shrunk","number":1')));
    await expect(count()).rejects.toThrow(/shrank/);
    // Not opened again within the retry time (trial 119: a torn line said at every poll): the same failure.
    await expect(count()).rejects.toThrow(/shrank/);
    expect(opened).toBe(1);
    // Opened afresh after it, still cut short: fewer trials than the page showed is a failed read, not an empty page.
    const again = servedStore(
      async () => {
        opened++;
        return createJsonlStore({ path, readOnly: true });
      },
      undefined,
      0,
    );
    const recount = () => again.read(async (read) => grown({ trials: await read.listTrials('shrunk') }).trials.length);
    await expect(recount()).rejects.toThrow('the store now holds 1 of the 3 trials the page showed');
    writeFileSync(path, whole);
    expect(await recount()).toBe(3);
    expect(opened).toBe(3);
    await store.close();
    await again.close();
  });

  it('follows a study deleted and created again under its name, with fewer trials (review 152: the page stayed)', () => {
    const grown = shownTrials();
    const trials = (n: number) => ({ trials: Array.from({ length: n }, (_, i) => i) });
    expect(grown(trials(3), '2026-12-06T10:00:00.000Z').trials).toHaveLength(3);
    // The same study with fewer trials: cut short or replaced, refused.
    expect(() => grown(trials(2), '2026-12-06T10:00:00.000Z')).toThrow(/cut short or replaced/);
    // Another study of that name (created since): shown, and it must grow from there.
    expect(grown(trials(2), '2026-12-06T11:00:00.000Z').trials).toHaveLength(2);
    expect(() => grown(trials(1), '2026-12-06T11:00:00.000Z')).toThrow(/2 trials the page showed/);
  });

  it('--serve with -o or --format is refused (they were ignored)', async () => {
    const withOutput = await cli('report', config, '--serve', '-o', join(dir, 'served.html'));
    expect(withOutput.code).toBe(2);
    expect(withOutput.stderr).toBe(
      'parzen: --serve writes no file, so -o has nothing to do: leave it out to serve, or leave out --serve to write the report.',
    );
    const withFormat = await cli('report', config, '--serve', '--format', 'svg');
    expect(withFormat.code).toBe(2);
    expect(withFormat.stderr).toContain('so --format svg has nothing to do');
  });

  it('--port: out of range, or in use, is bad input with a message, not a stack trace', async () => {
    const range = await cli('report', config, '--serve', '--port', '70000');
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('expected a port from 0 to 65535 (0: any free port), found 70000.');
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', () => done()));
    const port = (taken.address() as AddressInfo).port;
    try {
      const busy = await cli('report', config, '--serve', '--port', String(port));
      expect(busy.code).toBe(2);
      expect(busy.stderr).toBe(
        `parzen: --port ${port}: the port is in use on 127.0.0.1; give another port, or leave --port out for any free one.`,
      );
    } finally {
      await new Promise<void>((done) => taken.close(() => done()));
    }
  });

  it('refuses --pair, --contour and --every for a comparison page, which has nothing they could change', async () => {
    const { store: _memory, ...base } = heartConfig({
      name: 'flags',
      matrix: { seed: [1, 2] },
    });
    const matrix = writeIn(dir, 'flags.json', base);
    const out = join(dir, 'flags.html');
    const result = await cli('report', matrix, '-o', out, '--pair', 'x,y', '--contour');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "parzen: --contour, --pair draw one study's report, but these configs give a comparison page of 2 studies (regret curves and final values: no pair plots, TPE replay or importance). Leave them out, or report one study at a time (one config without a matrix).",
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a comparison that names one study twice (trial 88: `a.json ./a.json link.json` counted it 3 times)', async () => {
    const link = join(dir, 'heart-link.json');
    symlinkSync(config, link);
    const out = join(dir, 'twice.html');
    for (const args of [
      [config, join(dir, '.', 'heart.json')],
      [config, link],
    ]) {
      const result = await cli('report', ...args, '-o', out, '--json');
      expect(result.code).toBe(2);
      expect(JSON.parse(result.stdout.split('\n').at(-1) ?? '')).toMatchObject({
        errors: [{ code: 'STUDY_RUN_TWICE' }],
      });
    }
    expect(existsSync(out)).toBe(false);
  });

  // A --contour module loads on Parzen's thread: its top-level process.exit(0) ended the report with exit 0, no
  // file written (a report that looked written).
  it('refuses a --contour module that calls process.exit as it loads, naming it; nothing written', async () => {
    writeIn(dir, 'exits.mjs', 'process.exit(0);\nexport const f = () => 0;\n');
    const out = join(dir, 'exits.html');
    const result = await cli('report', config, '-o', out, '--contour', join(dir, 'exits.mjs#f'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /--contour: Contour module `.*exits\.mjs` failed to load: it called process\.exit\(0\) as it loaded/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('warns on stderr when the --contour function fails, saying where first and why', async () => {
    writeIn(dir, 'broken.mjs', "export const f = ({ x }) => { if (x > -3) throw new Error('no GPU'); return 0; };\n");
    const out = join(dir, 'broken.html');
    const result = await cli('report', config, '-o', out, '--contour', join(dir, 'broken.mjs#f'));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe(
      `parzen: --contour: the function failed (threw or gave no finite number) at 1600 of the 1600 points it was called at (no contour lines); the first time it threw for {"x":-2,"y":-2}: no GPU.\nWrote ${out}`,
    );
    expect(readFileSync(out, 'utf8')).toContain('The contour function failed at 1600 of the 1600 grid points of x × y');
  });

  it("gives the contour function a trial's context (trial 39: an objective that prunes threw at every point)", async () => {
    writeIn(
      dir,
      'pruning.mjs',
      'export const f = async ({ x, y }, context) => { await context.report(0, x); if (context.shouldPrune()) return 1; return x * x + y * y; };\n',
    );
    const out = join(dir, 'pruning.html');
    const result = await cli('report', config, '-o', out, '--contour', join(dir, 'pruning.mjs#f'));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe(`Wrote ${out}`);
    expect(readFileSync(out, 'utf8')).not.toContain('The contour function failed');
  });

  it('names the commonest cause of contour failures when it is not the first (trial 39)', async () => {
    writeIn(
      dir,
      'edge.mjs',
      "export const f = ({ x, y }) => { if (x === -2 && y === -2) return Infinity; throw new Error('no GPU'); };\n",
    );
    const out = join(dir, 'edge.html');
    const result = await cli('report', config, '-o', out, '--contour', join(dir, 'edge.mjs#f'));
    expect(result.stderr).toBe(
      `parzen: --contour: the function failed (threw or gave no finite number) at 1600 of the 1600 points it was called at (no contour lines); the first time it gave Infinity for {"x":-2,"y":-2}; most often (at 1599 points) it threw: no GPU, the first time for {"x":-1.8974358974358974,"y":-2}.\nWrote ${out}`,
    );
  });
});

/** A served page as its reports come (`nextReport`, the server's events of them; `statuses`, its other events). */
interface ServedPage {
  readonly notes: string[];
  readonly table: { rows: unknown[] };
  readonly sections: { id: string; text: string[]; charts: { id: string }[] }[];
}

/** The server-sent events of a served page at `url`: each report as it is pushed, and the `status` events between. */
const pageEvents = async (url: string) => {
  const events = await fetch(`${url}events?version=stale`);
  const reader = (events.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  // Events other than `report` (`status`: a failed read, and when reads work again) may come between reports.
  const statuses: string[] = [];
  let pending = '';
  const nextReport = async (): Promise<ServedPage> => {
    for (;;) {
      let end = pending.indexOf('\n\n');
      while (end < 0) {
        pending += decoder.decode((await reader.read()).value);
        end = pending.indexOf('\n\n');
      }
      const event = pending.slice(0, end);
      pending = pending.slice(end + 2);
      const data =
        event
          .split('\n')
          .find((line) => line.startsWith('data: '))
          ?.slice(6) ?? '';
      if (event.startsWith('event: report')) return JSON.parse(data) as ServedPage;
      if (event.startsWith('event: status')) statuses.push(data);
    }
  };
  return { nextReport, statuses, cancel: () => reader.cancel() };
};

/**
 * `parzen report ARGS --serve --interval 100` as a process, once it serves: its page, its reports as the server
 * pushes them (`nextReport`), and `stop` (Ctrl-C, then how it ended).
 */
const serveProcess = async (args: readonly string[]) => {
  let url = '';
  let stderr = '';
  let child: { kill: (signal: NodeJS.Signals) => boolean } | undefined;
  let finished: (run: { code: number | null; stderr: string }) => void = () => {};
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    finished = resolve;
  });
  await new Promise<void>((resolve) => {
    void runParzen(['report', ...args, '--serve', '--interval', '100'], {
      cwd: dir,
      timeoutMs: 60_000,
      onStart: (process) => {
        child = process;
        process.stderr?.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        process.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
          const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(chunk);
          if (match !== null && url === '') {
            url = match[0];
            resolve();
          }
        });
      },
    }).then((run) => {
      finished(run);
      // Ended without serving: said below with its stderr, not waited for.
      resolve();
    });
  });
  if (url === '') expect((await exited).stderr).toBe('a served page');
  const html = await (await fetch(url)).text();
  const { nextReport, statuses, cancel } = await pageEvents(url);
  const stop = async () => {
    await cancel();
    child?.kill('SIGINT');
    return exited;
  };
  /** Resolves once the server has said `said` on stderr (polled: no fixed wait that a loaded machine outruns). */
  const saidOnStderr = async (said: RegExp) => {
    while (!said.test(stderr)) await new Promise((resolve) => setTimeout(resolve, 25));
  };
  return { html, nextReport, stop, saidOnStderr, statuses };
};

/**
 * `parzen report ARGS --serve --interval 100` in-process, once it serves: its page's reports as the server pushes
 * them, what it said on stderr so far, and `stop` (SIGINT, as Ctrl-C; then its exit code and all it said).
 */
const serveInProcess = async (args: readonly string[]) => {
  const stderr: string[] = [];
  let served: (url: string) => void = () => {};
  const address = new Promise<string>((resolve) => {
    served = resolve;
  });
  const output: Output = {
    result: (line) => {
      if (line.startsWith('http://127.0.0.1:')) served(line);
    },
    note: (line) => stderr.push(line),
  };
  const ended = runCli(['node', 'parzen', 'report', ...args, '--serve', '--interval', '100'], output);
  const url = await Promise.race([
    address,
    ended.then((code): string => {
      throw new Error(`exited ${code} without serving: ${stderr.join('\n')}`);
    }),
  ]);
  const { nextReport, cancel } = await pageEvents(url);
  const stop = async () => {
    await cancel();
    process.emit('SIGINT', 'SIGINT');
    return { code: await ended, stderr: stderr.join('\n') };
  };
  return { nextReport, stderr, stop };
};

describe('parzen report --serve --trial N of a trial the study does not have yet', () => {
  it('serves, says so on stderr and on the page, and draws the trial once the study gets there', async () => {
    const waiting = journalHeartConfig(dir, 'waiting', { suggester: TPE, budget: { maxTrials: 10 } });
    expect((await cli('run', waiting, '--quiet')).code).toBe(0);
    // Written, it is bad input, as before.
    const written = await cli('report', waiting, '-o', join(dir, 'waiting.html'), '--trial', '12');
    expect(written.code).toBe(2);
    expect(written.stderr).toBe(
      'parzen: --trial 12: study waiting has no trial #12 (its trials are #0 to #9). No report was written.',
    );
    const { nextReport, stderr, stop } = await serveInProcess([waiting, '--trial', '12']);
    expect(stderr).toContain(
      'parzen: --trial 12: study waiting has no trial #12 yet (its trials are #0 to #9): the page draws it once the study gets there, and says so till then.',
    );
    const first = await nextReport();
    const awaited =
      'Trial #12, asked for, is not in the study yet (its last trial is #9): this page draws its suggestion once the study gets there, as it reads the study again. No trial is running now: a run of the study brings it.';
    expect(first.notes).toContain(awaited);
    expect(first.sections.find((s) => s.id === 'tpe')?.text).toEqual([awaited]);
    // Where TPE goes next, followed as trials come.
    expect(first.sections.find((s) => s.id === 'next')?.text[0]).toMatch(/^The next trial, #10, would get x = /);
    expect((await cli('run', waiting, '--quiet', '--more-trials', '3')).code).toBe(0);
    let page = first;
    while (page.table.rows.length < 13) page = await nextReport();
    expect(page.notes.join(' ')).not.toContain('not in the study yet');
    const tpe = page.sections.find((s) => s.id === 'tpe');
    expect(tpe?.charts.map((c) => c.id)).toEqual(['density-x', 'density-y']);
    expect(tpe?.text.join(' ')).toContain('Snapshots at the trial 12 asked for');
    expect(page.sections.find((s) => s.id === 'next')?.text[0]).toMatch(/^The next trial, #13, would get x = /);
    const run = await stop();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('report server stopped (SIGINT)');
  });

  it('still refuses a trial that has no params (it never gets any): nothing is served', async () => {
    const path = await withUnchosenTrial('unserved');
    const served = await cli('report', '--store', `jsonl:${path}`, '--serve', '--trial', '3', '--trial', '7');
    expect(served.code).toBe(2);
    expect(served.stdout).toBe('');
    // Refused, so no promise that a page will draw trial 7.
    expect(served.stderr).toBe(
      'parzen: --trial 3: trial #3 of study unserved has no params (failed before it had any): nothing was chosen there to draw. Nothing was served.',
    );
  });
});

describe('parzen report: the next suggestion', () => {
  it('draws the params parzen explain gives the next trial, writes nothing to the store, and --no-next leaves it out', async () => {
    const journal = join(dir, 'heart.parzen.jsonl');
    const before = readFileSync(journal);
    const explained = await cli('explain', config, '--json');
    expect(explained.code, explained.stderr).toBe(0);
    const next = JSON.parse(explained.stdout) as { trialNumber: number; params: { x: number; y: number } };
    const out = join(dir, 'next.html');
    expect((await cli('report', config, '-o', out)).code).toBe(0);
    const section = (pageData(readFileSync(out, 'utf8')) as unknown as ServedPage).sections.find(
      (s) => s.id === 'next',
    );
    const shown = (value: number) => String(Number(value.toPrecision(6)));
    expect(section?.text[0]).toBe(
      `The next trial, #${next.trialNumber}, would get x = ${shown(next.params.x)}, y = ${shown(next.params.y)} (TPE, profile parzen), if no other trial finishes first: computed as \`parzen explain\` computes it (nothing is stored).`,
    );
    // explain's own lines, word for word.
    const text = (await cli('explain', config)).stdout;
    for (const line of section?.text.slice(1, 3) ?? []) expect(text).toContain(line);
    expect(section?.charts.map((c) => c.id)).toEqual(['next-density-x', 'next-density-y']);
    // Read only: the journal is as it was.
    expect(readFileSync(journal).equals(before)).toBe(true);
    const off = join(dir, 'no-next.html');
    expect((await cli('report', config, '-o', off, '--no-next')).code).toBe(0);
    expect(pageData(readFileSync(off, 'utf8')).sections.map((s) => s.id)).not.toContain('next');
  });

  it("takes a config's edited TPE settings and seed, as explain and the next run do, and says so", async () => {
    const edited = journalHeartConfig(dir, 'edited', { suggester: TPE, budget: { maxTrials: 12 } });
    expect((await cli('run', edited, '--quiet')).code).toBe(0);
    const config = JSON.parse(readFileSync(edited, 'utf8')) as Record<string, unknown>;
    writeFileSync(
      edited,
      JSON.stringify({ ...config, seed: 7, suggester: { use: 'tpe', options: { startupTrials: 5, gamma: 0.5 } } }),
    );
    const explained = await cli('explain', edited, '--json');
    expect(explained.code, explained.stderr).toBe(0);
    const next = JSON.parse(explained.stdout) as { params: { x: number; y: number } };
    const out = join(dir, 'edited.html');
    const written = await cli('report', edited, '-o', out);
    expect(written.code, written.stderr).toBe(0);
    const section = (pageData(readFileSync(out, 'utf8')) as unknown as ServedPage).sections.find(
      (s) => s.id === 'next',
    );
    const shown = (value: number) => String(Number(value.toPrecision(6)));
    expect(section?.text[0]).toContain(`would get x = ${shown(next.params.x)}, y = ${shown(next.params.y)} (`);
    expect(section?.text[1]).toBe(
      `The next run takes the config's TPE settings and seed 7 (the study's own: 1), edited since the study began: this is computed with them, as \`parzen explain\` computes it, while "What TPE saw" replays the past trials with the study's own.`,
    );
  });

  it('says an enqueued entry runs the next trial first, as explain says it', async () => {
    const queued = journalHeartConfig(dir, 'queued', { suggester: TPE, budget: { maxTrials: 8 } });
    expect((await cli('run', queued, '--quiet')).code).toBe(0);
    // An entry added to the config after the run: the next run queues it first.
    const edited = JSON.parse(readFileSync(queued, 'utf8')) as Record<string, unknown>;
    writeFileSync(queued, JSON.stringify({ ...edited, enqueue: [{ x: 0.25, y: -1 }] }));
    const explained = await cli('explain', queued);
    // One sentence, the same words in both.
    const sentence =
      "#8, the next trial, runs the enqueued entry that waits (x = 0.25, y = -1) instead: TPE decides only what it leaves out, and the draw shown here is TPE's for #8 without it.";
    expect(explained.stderr).toContain(`parzen: ${sentence}`);
    const out = join(dir, 'queued.html');
    expect((await cli('report', queued, '-o', out)).code).toBe(0);
    const section = (pageData(readFileSync(out, 'utf8')) as unknown as ServedPage).sections.find(
      (s) => s.id === 'next',
    );
    expect(section?.text[0]).toContain(sentence);
  });
});

describe('parzen report --serve (a real process)', () => {
  it.each([
    ['a config', () => [config]],
    ['--store and no config', () => ['--store', `jsonl:${join(dir, 'heart.parzen.jsonl')}`]],
  ])(
    '%s: serves on 127.0.0.1, pushes new trials as server-sent events, and Ctrl-C leaves the study as it is',
    async (_, target) => {
      requireBuiltCli();
      const before = (JSON.parse((await cli('trials', config, '--json')).stdout) as unknown[]).length;
      const { html, nextReport, stop, saidOnStderr, statuses } = await serveProcess(target());
      expect(html).toContain('"live":true');
      expect((await nextReport()).table.rows).toHaveLength(before);
      expect((await cli('run', config, '--quiet', '--more-trials', '2')).code).toBe(0);
      let rows = 0;
      while (rows < before + 2) rows = (await nextReport()).table.rows.length;
      expect(rows).toBe(before + 2);
      // A journal that shrank while served fails the reads; once it is whole again the page reads it (trial 118: the
      // served store kept its failure, and the page never changed again).
      const journal = join(dir, 'heart.parzen.jsonl');
      const whole = readFileSync(journal, 'utf8');
      writeFileSync(journal, whole.slice(0, whole.lastIndexOf('\n', whole.length - 2) + 1));
      await saidOnStderr(/parzen: reading the study failed: /);
      writeFileSync(journal, whole);
      expect((await cli('run', config, '--quiet', '--more-trials', '1')).code).toBe(0);
      while (rows < before + 3) rows = (await nextReport()).table.rows.length;
      // The page was told too (trial 141: only the log said it): the failed read, then that reads work again.
      expect(statuses.length).toBeGreaterThanOrEqual(2);
      expect(statuses[0]).toMatch(/^\{"error":"reading the study failed: /);
      expect(statuses.at(-1)).toBe('{"ok":true}');
      const run = await stop();
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain('parzen: reading the study failed: ');
      expect(run.stderr).toContain('parzen: reading the study works again.');
      expect(run.stderr).toContain('report server stopped (SIGINT)');
      const after = await cli('trials', config, '--json');
      expect((JSON.parse(after.stdout) as unknown[]).length).toBe(before + 3);
    },
  );
});

describe('parzen report --serve before the study runs', () => {
  it('serves a page of no trials that fills in once the store appears', async () => {
    requireBuiltCli();
    const early = writeIn(
      dir,
      'early.json',
      heartConfig({
        name: 'early',
        suggester: { use: 'tpe', options: { startupTrials: 5 } },
        store: { use: 'jsonl', options: { path: './early.parzen.jsonl' } },
        budget: { maxTrials: 6 },
      }),
    );
    expect(existsSync(join(dir, 'early.parzen.jsonl'))).toBe(false);
    const { html, nextReport, stop } = await serveProcess([early]);
    expect(html).toContain('"live":true');
    expect(html).toContain('No trials yet. Study <code>early</code> is not in its jsonl store ');
    const first = await nextReport();
    expect(first.table.rows).toHaveLength(0);
    expect(first.notes[0]).toMatch(/^No trials yet\. Study `early` is not in its jsonl store .*early\.parzen\.jsonl/);
    // A file unreadable for a while, then gone (review 123: the reader of the bad file was kept, and the page
    // stayed empty for good once the run wrote the study).
    const journal = join(dir, 'early.parzen.jsonl');
    writeFileSync(journal, 'garbage not json\n');
    await new Promise((resolve) => setTimeout(resolve, 400));
    rmSync(journal);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await cli('run', early, '--quiet')).code).toBe(0);
    let page = first;
    while (page.table.rows.length < 6) page = await nextReport();
    expect(page.table.rows).toHaveLength(6);
    expect(page.notes.join(' ')).not.toContain('No trials yet');
    const run = await stop();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('The page shows no trials until study early runs, and fills in as it does.');
    expect(run.stderr).toContain('report server stopped (SIGINT)');
  });

  it("says the first trial runs the config's first enqueue entry, as the first run does", async () => {
    requireBuiltCli();
    const queued = writeIn(
      dir,
      'early-queued.json',
      heartConfig({
        name: 'early-queued',
        suggester: { use: 'tpe' },
        store: { use: 'jsonl', options: { path: './early-queued.parzen.jsonl' } },
        enqueue: [
          { x: 0.5, y: 0.5 },
          { x: -1, y: 1 },
        ],
      }),
    );
    const { nextReport, stop } = await serveProcess([queued]);
    const first = (await nextReport()) as unknown as { sections: { id: string; text: string[] }[] };
    expect(first.sections.find((section) => section.id === 'next')?.text[0]).toContain(
      '#0, the next trial, runs the enqueued entry that waits (x = 0.5, y = 0.5) instead:',
    );
    expect((await stop()).code).toBe(0);
  });

  it('still refuses bad input as it is said without --serve: a config that does not validate, a store that is a folder', async () => {
    const bad = writeIn(
      dir,
      'bad-serve.json',
      heartConfig({
        name: 'bad',
        store: { use: 'jsonl', options: { path: './bad.parzen.jsonl' } },
        budget: { maxTrials: -1 },
      }),
    );
    const served = await cli('report', bad, '--serve');
    expect(served.code).toBe(2);
    // The config's path, the pointer, expected and found; no stack trace, and nothing served.
    expect(served.stderr).toBe(
      `parzen: ${bad}: Invalid config:\n  /budget/maxTrials: expected an integer ≥ 1, found -1`,
    );
    expect(served.stdout).toBe('');
    expect(served.stderr).toBe((await cli('report', bad)).stderr);
    const folder = writeIn(
      dir,
      'folder-serve.json',
      heartConfig({ name: 'folder', store: { use: 'jsonl', options: { path: '.' } } }),
    );
    const intoFolder = await cli('report', folder, '--serve');
    expect(intoFolder.code).not.toBe(0);
    expect(intoFolder.stdout).toBe('');
    expect(intoFolder.stderr).toContain('/store/options/path: expected the path of a file');
    expect(intoFolder.stderr).toBe((await cli('report', folder)).stderr);
  });
});
