// `parzen` driven from shell scripts, Make and CI: what a script reads on stdout, stderr and in the exit code.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { STUDY_NAME_WORDS } from '@parzen/engine/host';
import { beforeAll, describe, expect, it } from 'vitest';
import { heartModule, lastJsonLine, requireBuiltCli, tempDir, writeIn } from './cli-harness.js';
import { cli, cliIn } from './cli-in-process.js';

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = tempDir('parzen-scripting-');
  writeIn(dir, 'heart.mjs', heartModule);
  writeIn(dir, 'fails.mjs', "export default () => { throw new Error('no loss today'); };\n");
});

/** A config of random search on the heart function (run on Parzen's thread), kept in `<name>.parzen.jsonl`. */
const config = (name: string, extra: Record<string, unknown> = {}, file = `${name}.json`) =>
  writeIn(dir, file, {
    name,
    seed: 1,
    space: { x: { type: 'uniform', low: -2, high: 2 }, y: { type: 'uniform', low: -2, high: 2 } },
    objective: { use: 'module', options: { path: './heart.mjs', isolate: 'none' } },
    suggester: { use: 'random' },
    budget: { maxTrials: 2 },
    ...extra,
  });

type Json = Record<string, unknown>;

describe('a study name no config may have', () => {
  it('is said in words by every command that reads a config, in --json too', async () => {
    const path = config('spacey ü', {}, 'spacey.json');
    const commands = [
      ['run'],
      ['validate'],
      ['trials'],
      ['best'],
      ['studies'],
      ['export', '-o', join(dir, 'spacey.export.jsonl')],
      ['queue'],
      ['delete', '--yes'],
    ];
    for (const [command, ...flags] of commands) {
      const out = await cli(command as string, path, ...flags, '--json');
      expect(out.code, `${command}: ${out.stderr}`).toBe(2);
      expect(out.stderr, command).toContain(`/name: expected ${STUDY_NAME_WORDS}, found "spacey ü"`);
      const [error] = (lastJsonLine(out.stdout) as { errors: { issues: Json[] }[] }).errors;
      expect(error?.issues, command).toContainEqual({
        pointer: '/name',
        expected: STUDY_NAME_WORDS,
        found: '"spacey ü"',
      });
    }
  });
});

describe('a config from standard input', () => {
  it('`run -` points at /dev/stdin, and says where its relative paths then resolve', async () => {
    const out = await cliIn(dir, 'run', '-');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('for standard input give /dev/stdin');
    expect(out.stderr).toContain('relative paths (store, objective) then resolve from the working folder');
  });
});

describe('--more-trials 0 (a computed count when the study has them all)', () => {
  it('runs nothing, says so, prints the study as it is and exits 0', async () => {
    const path = config('nomore');
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    // (Its progress line says `--more-trials 0: nothing to run`: see the progress reporter's tests.)
    const out = await cli('run', path, '--more-trials', '0');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('Study nomore: 2 complete, 0 failed');
    const json = await cli('run', path, '--more-trials', '0', '--json', '--quiet');
    expect(json.code, json.stderr).toBe(0);
    expect(lastJsonLine(json.stdout)).toMatchObject({ existingTrials: 2, trials: { complete: 2 }, resumed: true });
    // A new study: nothing runs either, and nothing is created.
    const fresh = await cli('run', config('nomore-new'), '--more-trials', '0', '--json');
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(lastJsonLine(fresh.stdout)).toMatchObject({ existingTrials: 0, trials: { complete: 0 }, best: null });
  });

  it('creates no study that does not exist yet: says so on stderr, prints no summary, and exits 0', async () => {
    const path = config('nomore-absent');
    const out = await cli('run', path, '--more-trials', '0');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain(
      'parzen: study nomore-absent does not exist yet, and --more-trials 0 runs no trial: nothing ran, and the study was not created.',
    );
    expect(existsSync(join(dir, 'nomore-absent.parzen.jsonl'))).toBe(false);
    const json = await cli('run', path, '--more-trials', '0', '--json');
    expect(json.code, json.stderr).toBe(0);
    expect(lastJsonLine(json.stdout)).toEqual({
      study: 'nomore-absent',
      trials: { complete: 0, failed: 0, pruned: 0, running: 0 },
      best: null,
      reason: 'max-trials',
      resumed: false,
      existingTrials: 0,
    });
    const studies = await cli('studies', path);
    expect(studies.code).toBe(1);
    expect(studies.stderr).toContain('Nothing to list: its jsonl store');
    // A store that holds another study: still none of this one.
    const shared = { store: { use: 'jsonl', options: { path: './nomore-shared.jsonl' } } };
    expect((await cli('run', config('nomore-held', shared), '--quiet')).code).toBe(0);
    const batch = await cli(
      'run',
      config('nomore-held', shared),
      config('nomore-other', shared),
      '--more-trials',
      '0',
      '--json',
    );
    expect(batch.code, batch.stderr).toBe(0);
    expect(batch.stderr).toContain('parzen: study nomore-other does not exist yet');
    const { runs } = lastJsonLine(batch.stdout) as { runs: Json[] };
    expect(runs.map((run) => [run.study, run.existingTrials])).toEqual([
      ['nomore-held', 2],
      ['nomore-other', 0],
    ]);
    const held = await cli('studies', config('nomore-other', shared), '--json');
    expect((JSON.parse(held.stdout) as Json[]).map((study) => study.study)).toEqual(['nomore-held']);
  });

  it('says a study kept in memory, which no run finds, is so: not that it "was not created"', async () => {
    const out = await cli('run', config('nomore-memory', { store: { use: 'memory' } }), '--more-trials', '0');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain(
      'parzen: study nomore-memory is kept in memory, where nothing outlasts a run: each run starts it empty, and --more-trials 0 runs no trial, so nothing ran (a store such as --store jsonl keeps a study for --more-trials to add to).',
    );
    expect(out.stderr).not.toContain('not created');
  });

  it('runs nothing in matrix variants that set only their maxTrials, and says unused only where the matrix sets the count', async () => {
    // A variant setting `/budget/maxTrials` keeps the flag's count: it ran the stand-in 1 trial, "the 1 more asked for".
    const limits = config('nomore-limit', { budget: { maxTrials: 5 }, matrix: { '/budget/maxTrials': [4, 5] } });
    // (Studies that exist: `--more-trials 0` leaves out one not made yet.)
    expect((await cli('run', limits, '--more-trials', '1', '--quiet')).code).toBe(0);
    const out = await cli('run', limits, '--more-trials', '0', '--json', '--quiet');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toBe('');
    const rows = ((lastJsonLine(out.stdout) as Json).runs as Json[]).map((run) => run.trials);
    expect(rows).toEqual([expect.objectContaining({ complete: 1 }), expect.objectContaining({ complete: 1 })]);
    // A variant that sets its own moreTrials runs them, and the flag is said to be unused there.
    const counts = config('nomore-count', { matrix: { '/budget/moreTrials': [1] } });
    const own = await cli('run', counts, '--more-trials', '0');
    expect(own.code, own.stderr).toBe(0);
    expect(own.stderr).toContain('--more-trials 0 is not used by');
    expect(own.stdout).toContain('1 complete, 0 failed');
  });

  it("--max-trials 0 stays refused, as a config's budget.maxTrials of 0 is, pointing at --more-trials 0", async () => {
    const out = await cli('run', config('nomax'), '--max-trials', '0');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(
      "expected an integer of at least 1, as a config's budget.maxTrials, found 0: --more-trials 0 runs no trial",
    );
  });
});

describe('data on stdout, messages on stderr', () => {
  it('import and delete say what they did on stderr; with --json stdout has the JSON line alone', async () => {
    const path = config('moved', { store: { use: 'jsonl', options: { path: './moved.parzen.jsonl' } } });
    const rows = writeIn(dir, 'moved.csv', 'x,y,loss\n0.5,0.5,1\n-0.5,0.25,2\n');
    const imported = await cli('import', path, rows);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toBe('');
    expect(imported.stderr).toContain('Imported 2 trials into study moved (jsonl store) as #0-#1.');
    const deleted = await cli('delete', path, '--yes');
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe('');
    expect(deleted.stderr).toContain('Deleted study moved from JSONL journal');
  });

  it('`store` in --json is the store kind for import and delete alike', async () => {
    const path = config('kind');
    const rows = writeIn(dir, 'kind.csv', 'x,y,loss\n0.5,0.5,1\n');
    const imported = await cli('import', path, rows, '--json');
    expect(JSON.parse(imported.stdout)).toMatchObject({ study: 'kind', store: 'jsonl' });
    const deleted = await cli('delete', path, '--yes', '--json');
    expect(JSON.parse(deleted.stdout)).toEqual({
      study: 'kind',
      store: 'jsonl',
      deleted: true,
      trials: { complete: 1, pruned: 0, failed: 0, running: 0 },
    });
  });

  it('--json --quiet leaves stderr to warnings and errors: no human summary there', async () => {
    const one = await cli('run', config('hush', { store: { use: 'memory' } }), '--json', '--quiet');
    expect(one.code, one.stderr).toBe(0);
    expect(one.stderr).toBe('');
    expect(lastJsonLine(one.stdout)).toMatchObject({ study: 'hush', trials: { complete: 2 } });
    const batch = await cli(
      'run',
      config('hush-a', { store: { use: 'memory' } }),
      config('hush-b', { store: { use: 'memory' } }),
      '--json',
      '--quiet',
    );
    expect(batch.code, batch.stderr).toBe(0);
    expect(batch.stderr).toBe('');
    expect(lastJsonLine(batch.stdout)).toHaveProperty('comparison');
  });
});

describe('what a script reads', () => {
  it('a JSON syntax error says where once, as a line and column', async () => {
    const path = writeIn(dir, 'broken.json', '{\n  x: 1\n}\n');
    const out = await cli('validate', path, '--json');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${path}: not valid JSON at line 2, column 3: Expected property name or '}'`);
    expect(out.stderr).not.toContain('position');
    const [error] = (lastJsonLine(out.stdout) as { errors: { issues: Json[] }[] }).errors;
    expect(error?.issues).toEqual([
      { pointer: '', expected: 'valid JSON', found: "Expected property name or '}' at line 2, column 3" },
    ]);
  });

  it('best of a study no trial of which completed exits 1, saying so, as run of it does', async () => {
    const path = config('nobest', { objective: { use: 'module', options: { path: './fails.mjs', isolate: 'none' } } });
    expect((await cli('run', path, '--quiet')).code).toBe(1);
    const best = await cli('best', path, '--json');
    expect(best.code).toBe(1);
    expect(lastJsonLine(best.stdout)).toMatchObject({ study: 'nobest', best: null });
    expect(best.stderr).toContain(
      'parzen: study nobest has no best: none of its 2 trials completed (2 failed, 0 pruned, 0 running).',
    );
    const text = await cli('best', path);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('No trial completed.');
    // A study with a complete trial still exits 0.
    const fine = config('hasbest');
    expect((await cli('run', fine, '--quiet')).code).toBe(0);
    expect((await cli('best', fine)).code).toBe(0);
  });

  it('--help is wrapped at 80 columns throughout, the exit codes too', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 done');
    const long = help.stdout.split('\n').filter((line) => line.length > 80);
    expect(long).toEqual([]);
  });

  it("--help lists each command in at most three lines; the command's own --help says it in full", async () => {
    const help = (await cli('--help')).stdout;
    const listing = help.slice(help.indexOf('Commands:'), help.indexOf('Exit codes:')).split('\n').slice(1);
    // A command's entry starts at column 2; its wrapped lines are indented further.
    const entries: string[][] = [];
    for (const line of listing.filter((text) => text.trim() !== '')) {
      if (/^ {2}\S/.test(line)) entries.push([line]);
      else entries.at(-1)?.push(line);
    }
    expect(entries.length).toBeGreaterThanOrEqual(13);
    expect(entries.filter((entry) => entry.length > 3).map((entry) => entry[0])).toEqual([]);
    // The details the listing leaves out stay in the command's own help.
    expect((await cli('validate', '--help')).stdout.replace(/\s+/g, ' ')).toContain('a maxTrials already spent');
  });

  it('a batch row whose runs found no best has the nulls the README gives it', async () => {
    const half = config('half', { store: { use: 'memory' } });
    const none = config('none', {
      store: { use: 'memory' },
      objective: { use: 'module', options: { path: './fails.mjs', isolate: 'none' } },
    });
    const out = await cli('run', half, none, '--json', '--quiet');
    expect(out.code).toBe(1);
    const { comparison } = lastJsonLine(out.stdout) as { comparison: Json[] };
    // Another objective: each row is the first of its own problem, so neither is tested.
    expect(comparison.map((row) => [row.variant, row.versusFirst])).toEqual([
      ['half', null],
      ['none', null],
    ]);
    expect(comparison[1]).toMatchObject({ medianBest: null, bestOfRuns: null, worstOfRuns: null, quartilesBest: null });
  });
});
