import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { heartModule, journalHeartConfig, tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-user-trial-batch-');
  writeIn(dir, 'heart.mjs', heartModule);
});

/** A heart config of random search on this thread, kept in a journal beside it unless `extra` says otherwise. */
const config = (name: string, extra: Record<string, unknown> = {}): string => journalHeartConfig(dir, name, extra);

describe('command templates with parameter names that are not identifiers', () => {
  it('fill {learning rate} and a conditional {depth level?}, and leave code in braces alone', async () => {
    // The shell program's own braces are code, not placeholders; it prints its argument count and arguments.
    const program = 'printf \'{"loss": 1, "argv": "%s:%s"}\\n\' "$#" "$*"';
    const path = config('spaced-names', {
      space: {
        'learning rate': { type: 'uniform', low: 0, high: 1 },
        größe: { type: 'uniformint', low: 1, high: 1 },
        model: {
          type: 'choice',
          options: [{ value: 'a', space: { 'depth level': { type: 'randint', high: 1 } } }, 'b'],
        },
      },
      objective: {
        use: 'command',
        options: { command: ['sh', '-c', program, 'sh', '{learning rate}', '{größe}', '--d={depth level?}'] },
      },
      enqueue: [
        { 'learning rate': 0.5, model: 'a' },
        { 'learning rate': 0.25, model: 'b' },
      ],
      budget: { maxTrials: 2 },
    });
    expect((await cli('validate', path)).code).toBe(0);
    const run = await cli('run', path, '--quiet');
    expect(run.code, run.stderr).toBe(0);
    const trials = JSON.parse((await cli('trials', path, '--json')).stdout) as { attrs: { argv: string } }[];
    expect(trials.map((trial) => trial.attrs.argv)).toEqual(['3:0.5 1 --d=0', '2:0.25 1']);
  });
});

describe('import of files with a byte order mark', () => {
  it('reads a results JSONL and a CSV with a quoted header that start with one (CRLF line ends too)', async () => {
    const target = config('bom');
    const jsonl = writeIn(dir, 'bom.jsonl', `\uFEFF${JSON.stringify({ params: { x: 0.5, y: 0.25 }, loss: 1 })}\r\n`);
    const fromJsonl = await cli('import', target, jsonl);
    expect(fromJsonl.code, fromJsonl.stderr).toBe(0);
    expect(fromJsonl.stderr).toContain('Imported 1 trial into study bom');
    const csv = writeIn(dir, 'bom.csv', '\uFEFF"x","y","loss"\r\n0.125,"-0.5",2\r\n');
    const fromCsv = await cli('import', target, csv);
    expect(fromCsv.code, fromCsv.stderr).toBe(0);
    const trials = JSON.parse((await cli('trials', target, '--json')).stdout) as { params: unknown; loss: number }[];
    expect(trials.map(({ params, loss }) => ({ params, loss }))).toEqual([
      { params: { x: 0.5, y: 0.25 }, loss: 1 },
      { params: { x: 0.125, y: -0.5 }, loss: 2 },
    ]);
  });
});

describe('validate and config errors of batches', () => {
  it('a mistyped top-level key is told every key a config may have, `matrix` included', async () => {
    const path = config('matrx', { matrx: { seed: [1, 2] } });
    const result = await cli('validate', path, '--json');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /\/matrx: expected only the fields \$schema, name, .*, explain, matrix, found an unknown field `matrx`/,
    );
    const { errors } = JSON.parse(result.stdout) as { errors: { issues: { expected: string }[] }[] };
    expect(errors[0]?.issues[0]?.expected).toMatch(/, matrix$/);
  });

  it("validate of a matrix names each variant's suggester and budget, not only the first variant's", async () => {
    const path = config('matrix-summary', {
      matrix: {
        suggester: [{ use: 'random' }, { use: 'tpe' }, { use: 'tpe', options: { profile: 'optuna5' } }],
        'budget/maxTrials': [2, 4],
        seed: [1, 2],
      },
    });
    const result = await cli('validate', path);
    expect(result.code, result.stderr).toBe(0);
    // Three names and how many more (trial 72: 1000 variants on one line).
    expect(result.stdout).toMatch(/12 matrix variants \([^()]+ and 9 more\)/);
    // TPE's profile too, as `studies` shows it (trial 121: the default and optuna5 read the same).
    expect(result.stdout).toContain(
      '2 parameters, objective module, suggester random | tpe (parzen) | tpe (optuna5), store jsonl, budget {"maxTrials":2} | {"maxTrials":4}',
    );
  });
});

describe('a run in which every trial failed', () => {
  const failing = 'export default () => { throw new Error("C must be positive"); };';

  it("names the first failure, and where to list the rest (with the run's --store)", async () => {
    writeIn(dir, 'failing.mjs', failing);
    const objective = { use: 'module', options: { path: './failing.mjs', isolate: 'none' } };
    const path = config('all-failed', { objective });
    const run = await cli('run', path, '--quiet', '--store', `jsonl:${dir}/elsewhere.jsonl`);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `every trial of study all-failed in this run failed (the first to fail, #0: OBJECTIVE_THREW C must be positive (at ${dir}/failing.mjs:1:`,
    );
    expect(run.stderr).toContain(`); see \`parzen trials ${path} --store jsonl:${dir}/elsewhere.jsonl\`.`);
    const listed = await cli('trials', path, '--store', `jsonl:${dir}/elsewhere.jsonl`);
    expect(listed.stdout).toContain('C must be positive');
    const memory = await cli('run', config('all-failed-memory', { objective, store: { use: 'memory' } }), '--quiet');
    expect(memory.stderr).toContain(
      `(the first to fail, #0: OBJECTIVE_THREW C must be positive (at ${dir}/failing.mjs:1:30)); its memory store kept nothing to list.`,
    );
  });
});

describe('--help', () => {
  it('help asked for exits 0; no command at all is bad input, exit 2, the usage on stderr (trial 69: exit 0)', async () => {
    for (const asked of [['--help'], ['help'], ['help', 'run']])
      expect((await cli(...asked)).code, asked.join(' ')).toBe(0);
    // With the exit codes, which a script needs (trial 125: only docs/cli-reference.md had them).
    expect((await cli('--help')).stdout.replaceAll('\n', ' ')).toMatch(
      /Exit codes: 0 done .* 1 study error .* 2 bad input .* the shell's \$\? is 130, 143 or 129\./,
    );
    const bare = await cli();
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: parzen');
    expect(bare.stdout).toBe('');
  });

  // Trial 157: "best" was never defined; under noise it is the luckiest draw, not the best setting.
  it('`parzen best --help` says which trial is the best: the lowest observed loss, the luckiest under noise', async () => {
    const help = await cli('best', '--help');
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      "Show the study's best trial: the complete trial with the lowest observed loss (the highest when maximizing); with a noisy objective, its luckiest draw (read-only).",
    );
  });

  // A user trial read "time limit of this run" as the whole batch's: it is each study's.
  it('`parzen run --help` says --max-seconds limits each study of a batch, not the whole batch', async () => {
    const help = await cli('run', '--help');
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      "time limit of each study's run, in seconds, not of the whole batch: each study of a matrix or of several configs gets its own",
    );
  });

  it.each(['run', 'resume', 'trials', 'best', 'export', 'import', 'report'])(
    '`parzen %s --help` says what a --store SPEC may be',
    async (command) => {
      const help = await cli(command, '--help');
      expect(help.code).toBe(0);
      const store = help.stdout.slice(help.stdout.indexOf('--store <spec>')).replace(/\s+/g, ' ');
      expect(store).toMatch(
        /^--store <spec> .*jsonl\[:PATH\], sqlite:PATH, postgres:postgres:\/\/USER@HOST\/DB \(the password from PGPASSWORD\), or NAME:PATH for a store plugin/,
      );
    },
  );
});

describe('a batch runs each study once', () => {
  it('refuses two configs that name the same study in the same store, before anything runs (exit 2)', async () => {
    const tpe = config('same-name', { suggester: { use: 'tpe' } });
    const random = writeIn(dir, 'same-name-random.json', JSON.parse(readFileSync(tpe, 'utf8')));
    for (const command of ['run', 'validate']) {
      const result = await cli(command, tpe, random, '--json');
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `${random}: study same-name is also run by ${tpe}, in the same jsonl store ${join(realpathSync(dir), 'same-name.parzen.jsonl')}: in one batch the second run would continue`,
      );
      expect(JSON.parse(result.stdout)).toMatchObject({ errors: [{ file: random, code: 'STUDY_RUN_TWICE' }] });
    }
    expect(existsSync(join(dir, 'same-name.parzen.jsonl'))).toBe(false);
    const twice = await cli('run', tpe, tpe);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`${tpe} is given twice: a batch runs each config once`);
  });

  it('sees the same config or journal through a symbolic link, and a default journal named by its path', async () => {
    const folder = join(dir, 'real');
    mkdirSync(folder);
    writeIn(folder, 'heart.mjs', heartModule);
    const original = journalHeartConfig(folder, 'linked');
    symlinkSync(folder, join(dir, 'link'));
    const linked = join(dir, 'link', 'linked.json');
    const viaLink = await cli('run', original, linked);
    expect(viaLink.code).toBe(2);
    expect(viaLink.stderr).toContain(`${linked} is given twice`);
    const named = writeIn(dir, 'link/linked-named.json', {
      ...JSON.parse(readFileSync(original, 'utf8')),
      store: { use: 'jsonl', options: { path: '../real/linked.parzen.jsonl' } },
    });
    const byPath = await cli('run', original, named);
    expect(byPath.code).toBe(2);
    expect(byPath.stderr).toContain(`study linked is also run by ${original}`);
    expect(existsSync(join(folder, 'linked.parzen.jsonl'))).toBe(false);
  });

  it('gives same-named configs of different files rows of their own when kept in memory', async () => {
    const tpe = config('memory-name', { suggester: { use: 'tpe' }, store: { use: 'memory' } });
    const random = writeIn(dir, 'memory-name-random.json', { ...JSON.parse(readFileSync(tpe, 'utf8')), seed: 2 });
    const result = await cli('run', tpe, random, '--quiet', '--json');
    expect(result.code, result.stderr).toBe(0);
    const { comparison } = JSON.parse(result.stdout) as { comparison: { variant: string; runs: number }[] };
    expect(comparison.map(({ variant, runs }) => [variant, runs]).sort()).toEqual([
      [`memory-name (${random})`, 1],
      [`memory-name (${tpe})`, 1],
    ]);
  });
});
