import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { heartConfig, heartModule, lastJsonLine, repoRoot, requireBuiltCli, tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

interface Row {
  variant: string;
  runs: number;
  medianBest: number | null;
  bestOfRuns: number | null;
  worstOfRuns: number | null;
  studies: string[];
}
interface BatchJson {
  comparison: Row[];
  runs: { study: string; best: { loss: number } | null }[];
}

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = tempDir('parzen-batch-');
  writeIn(dir, 'heart.mjs', heartModule);
});

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** A folder of its own with the heart module and a config `file` of the heart's with `fields`. */
const ownHeartConfig = (prefix: string, file: string, fields: Record<string, unknown>) => {
  const own = tempDir(prefix);
  writeIn(own, 'heart.mjs', heartModule);
  return { own, path: writeIn(own, file, heartConfig(fields)) };
};

describe('batch experiments', () => {
  // Trial 136: they ran as two variants, and the comparison ranked them apart.
  it('refuses two combinations of a matrix that resolve to one config, in validate and run, naming both', async () => {
    const { own, path } = ownHeartConfig('parzen-batch-same-', 'same.json', {
      name: 'same',
      budget: { maxTrials: 1 },
      matrix: { suggester: [{ use: 'tpe' }, { use: 'random' }, { use: 'tpe', options: {} }], seed: [1, 2] },
    });
    for (const command of [['validate'], ['run', '--quiet']]) {
      const refused = await cli(...command, path);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain('Combinations of the matrix resolve to the same config:');
      expect(refused.stderr).toContain(
        '/matrix/suggester/2: expected a combination that resolves to a config of its own: /matrix/suggester/2 resolves to the same config as /matrix/suggester/0',
      );
      expect(refused.stderr).toContain('the first: same.suggester-tpe.seed-1 and same.suggester-tpe-44ce2a.seed-1');
    }
    expect(readdirSync(own).filter((file) => file.endsWith('.jsonl'))).toEqual([]);
  });

  // Trial 136: each study's store read the whole journal again, a minute for a 1,000-study matrix with nothing to run.
  it("reads a matrix's journal from its start a few times per run, not once per study", async () => {
    const { path } = ownHeartConfig('parzen-batch-reads-', 'reads.json', {
      name: 'reads',
      // The journal a matrix without a store keeps its studies in.
      store: undefined,
      // Enough lines that a study's store reading the whole journal again shows beside the 4 KiB it compares.
      budget: { maxTrials: 10 },
      matrix: { seed: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
    });
    const first = await cli('run', path, '--quiet', '--json');
    expect(first.code, first.stderr).toBe(0);
    // The bytes read with fs.readSync (the journal's reads; the built store is Node's own module, so the builtin's
    // export is replaced, as syncBuiltinESMExports lets).
    const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');
    const original = fs.readSync;
    let bytes = 0;
    fs.readSync = ((...args: Parameters<typeof original>) => {
      const count = original(...args);
      bytes += count;
      return count;
    }) as typeof original;
    syncBuiltinESMExports();
    try {
      const again = await cli('run', path, '--quiet', '--json');
      expect(again.code, again.stderr).toBe(0);
      const rows = (run: { stdout: string }) => (lastJsonLine(run.stdout) as { comparison: unknown }).comparison;
      expect(rows(again)).toEqual(rows(first));
    } finally {
      fs.readSync = original;
      syncBuiltinESMExports();
    }
    // Read whole by the checks before the runs and by the first study's store; not once more per study.
    const journal = statSync(join(dirname(path), 'reads.parzen.jsonl')).size;
    expect(bytes).toBeGreaterThan(journal);
    expect(bytes).toBeLessThan(6 * journal);
  });

  it('says that --seed is not used where the matrix sets the seed (trial 36: silently ignored)', async () => {
    const own = tempDir('parzen-batch-seed-');
    writeIn(own, 'heart.mjs', heartModule);
    const path = writeIn(
      own,
      'seeded.json',
      heartConfig({ name: 'sd', budget: { maxTrials: 1 }, matrix: { seed: [1, 2] } }),
    );
    const run = await cli('run', path, '--seed', '5', '--quiet');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('--seed 5 is not used by');
    expect(run.stderr).toContain('its matrix sets the seed of each run');
    // The trial-count flags likewise, where the matrix sets the budget (trial 64).
    const counted = writeIn(
      own,
      'counted.json',
      heartConfig({ name: 'ct', store: { use: 'memory' }, matrix: { 'budget/maxTrials': [1, 2] } }),
    );
    const capped = await cli('run', counted, '--max-trials', '3', '--quiet', '--json');
    expect(capped.code, capped.stderr).toBe(0);
    expect(capped.stderr).toContain(
      `--max-trials 3 is not used by ${counted}: its matrix sets the budget of each run.`,
    );
    const { runs } = JSON.parse(capped.stdout.trim().split('\n').at(-1) as string) as {
      runs: { trials: { complete: number } }[];
    };
    expect(runs.map((r) => r.trials.complete)).toEqual([1, 2]);
    expect((await cli('run', path, '--max-trials', '2', '--quiet')).stderr).not.toContain('is not used by');
    // A key written as a pointer too (review 67).
    const pointed = writeIn(
      own,
      'pointed.json',
      heartConfig({ name: 'pt', store: { use: 'memory' }, matrix: { '/budget/maxTrials': [1, 2] } }),
    );
    expect((await cli('run', pointed, '--max-trials', '3', '--quiet')).stderr).toContain(
      '--max-trials 3 is not used by',
    );
    // And --max-seconds where the matrix sets the time limit (review 148: untested); not where it sets the count.
    const timed = writeIn(
      own,
      'timed.json',
      heartConfig({ name: 'tm', store: { use: 'memory' }, matrix: { 'budget/maxSeconds': [60, 120] } }),
    );
    expect((await cli('run', timed, '--max-seconds', '30', '--quiet')).stderr).toContain(
      `--max-seconds 30 is not used by ${timed}: its matrix sets the budget of each run.`,
    );
    expect((await cli('run', pointed, '--max-seconds', '30', '--quiet')).stderr).not.toContain('is not used by');
  });

  it("studies lists a matrix's studies whose files exist and says which have not run (trial 64: one missing file failed it)", async () => {
    const own = tempDir('parzen-batch-studies-');
    writeIn(own, 'heart.mjs', heartModule);
    const config = (seeds: number[]) =>
      writeIn(
        own,
        'pj.json',
        heartConfig({ name: 'pj', store: { use: 'jsonl' }, budget: { maxTrials: 1 }, matrix: { seed: seeds } }),
      );
    expect((await cli('run', config([1, 2]), '--quiet')).code).toBe(0);
    const listed = await cli('studies', config([1, 2, 3]), '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { study: string }[]).map((line) => line.study)).toEqual([
      'pj.seed-1',
      'pj.seed-2',
    ]);
    expect(listed.stderr).toContain("1 of the matrix's 3 studies has not run yet (pj.seed-3); listing the others.");
    const none = writeIn(
      own,
      'none.json',
      heartConfig({ name: 'nn', store: { use: 'jsonl' }, budget: { maxTrials: 1 }, matrix: { seed: [1, 2] } }),
    );
    const nothing = await cli('studies', none);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain("None of the matrix's 2 studies has run yet (nn.seed-1, nn.seed-2)");
  });

  it("says an objective value a matrix list gave at its place in the list (trial 64: said at the base config's)", async () => {
    const own = tempDir('parzen-batch-objective-');
    writeIn(own, 'heart.mjs', heartModule);
    const path = writeIn(
      own,
      'ex.json',
      heartConfig({
        name: 'ex',
        store: { use: 'memory' },
        matrix: { 'objective/options/path': ['./heart.mjs', './nope.mjs'] },
      }),
    );
    const result = await cli('validate', path, '--json');
    expect(result.code).toBe(2);
    const { errors } = JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as {
      errors: { message: string; issues: { pointer: string }[] }[];
    };
    expect(errors[0]?.issues.map((issue) => issue.pointer)).toEqual(['/matrix/objective~1options~1path/1']);
    expect(errors[0]?.message).toMatch(/^.*Matrix variant ex\.path-/);
    // A mistake of the base config is every variant's: said without one variant's name (review 67).
    const base = writeIn(
      own,
      'base.json',
      heartConfig({
        name: 'bs',
        store: { use: 'memory' },
        objective: { use: 'module', options: { path: './nope.mjs' } },
        matrix: { seed: [1, 2] },
      }),
    );
    const shared = await cli('validate', base);
    expect(shared.code).toBe(2);
    expect(shared.stderr).toContain('/objective/options/path');
    expect(shared.stderr).not.toContain('Matrix variant');
  });

  it('refuses two store kinds on one file before anything runs (trial 64: the second cell failed after the first ran)', async () => {
    const { own, path } = ownHeartConfig('parzen-batch-samefile-', 'sf.json', {
      name: 'sf',
      budget: { maxTrials: 1 },
      matrix: {
        store: [
          { use: 'jsonl', options: { path: 'same.db' } },
          { use: 'sqlite', options: { path: 'same.db' } },
        ],
      },
    });
    for (const command of [['validate'], ['run', '--quiet']]) {
      const result = await cli(...command, path);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /keeps its sqlite store in .*same\.db, where study sf\.store-jsonl-\w+ .* keeps its jsonl store/,
      );
    }
    expect(existsSync(join(own, 'same.db'))).toBe(false);
  });

  // One test per case (they ran as one, up to 54 s on a loaded machine, near the 60 s limit).
  const reorderDir = () => {
    const own = tempDir('parzen-batch-reorder-');
    writeIn(own, 'heart.mjs', heartModule);
    return own;
  };
  const suggesters = [{ use: 'random' }, { use: 'tpe' }];

  it("refuses to start over the studies a matrix holds under its keys' earlier order (trial 64: a 56-study batch reran)", async () => {
    const own = reorderDir();
    const write = (matrix: Record<string, unknown>) =>
      writeIn(own, 'ro.json', heartConfig({ name: 'ro', store: { use: 'jsonl' }, budget: { maxTrials: 1 }, matrix }));
    const suggester = suggesters;
    expect((await cli('run', write({ seed: [1, 2], suggester }), '--quiet')).code).toBe(0);
    const reordered = await cli('run', write({ suggester, seed: [1, 2] }), '--quiet');
    expect(reordered.code).toBe(2);
    expect(reordered.stderr).toContain(
      'ro.suggester-random.seed-1 (held as ro.seed-1.suggester-random, in ro.seed-1.suggester-random.parzen.jsonl)',
    );
    expect(reordered.stderr).toContain('Write the matrix keys in their earlier order to continue');
    // As before, the keys in their order: it goes on (a seed added runs only the new cells).
    const again = await cli('run', write({ seed: [1, 2, 3], suggester }), '--quiet', '--json');
    expect(again.code, again.stderr).toBe(0);
  });

  it("refuses a matrix's keys reordered over the one journal a matrix without a store shares", async () => {
    const own = reorderDir();
    const suggester = suggesters;
    const shared = (matrix: Record<string, unknown>) => {
      const { store: _memory, ...config } = heartConfig({ name: 'sh', budget: { maxTrials: 1 }, matrix });
      return writeIn(own, 'sh.json', config);
    };
    expect((await cli('run', shared({ seed: [1, 2], suggester }), '--quiet')).code).toBe(0);
    const sharedReordered = await cli('run', shared({ suggester, seed: [1, 2] }), '--quiet');
    expect(sharedReordered.code).toBe(2);
    expect(sharedReordered.stderr).toContain('sh.suggester-random.seed-1 (held as sh.seed-1.suggester-random)');
  });

  it('takes new matrix values with dots in them as new variants, not a reorder (review 68: refused)', async () => {
    const own = reorderDir();
    const dotted = (matrix: Record<string, unknown>) => {
      const { store: _memory, ...config } = heartConfig({ name: 'dt', budget: { maxTrials: 1 }, matrix });
      return writeIn(own, 'dt.json', config);
    };
    // (Split at every dot, `maxSeconds-1.5.high-1.25` and `maxSeconds-1.25.high-1.5` have the same words.)
    expect((await cli('run', dotted({ 'budget/maxSeconds': [1.5], 'space/x/high': [1.25] }), '--quiet')).code).toBe(0);
    const swapped = await cli('run', dotted({ 'budget/maxSeconds': [1.25], 'space/x/high': [1.5] }), '--quiet');
    expect(swapped.code, swapped.stderr).toBe(0);
    expect(swapped.stderr).not.toContain('earlier order');
  });

  it('refuses seven matrix keys reordered too (review 69: past six keys it was not looked for)', async () => {
    const own = reorderDir();
    const seven = (order: string[]) => {
      const values: Record<string, unknown[]> = {
        'space/x/low': [-2],
        'space/x/high': [2],
        'space/y/low': [-1.5],
        'space/y/high': [1.5],
        'budget/maxTrials': [1],
        direction: ['minimize'],
        seed: [1],
      };
      const { store: _memory, ...config } = heartConfig({
        name: 'sv',
        matrix: Object.fromEntries(order.map((key) => [key, values[key]])),
      });
      return writeIn(own, 'sv.json', config);
    };
    const keys = [
      'space/x/low',
      'space/x/high',
      'space/y/low',
      'space/y/high',
      'budget/maxTrials',
      'direction',
      'seed',
    ];
    expect((await cli('run', seven(keys), '--quiet')).code).toBe(0);
    const sevenReordered = await cli('run', seven([...keys].reverse()), '--quiet');
    expect(sevenReordered.code).toBe(2);
    expect(sevenReordered.stderr).toContain(
      'held as sv.low--2.high-2.low--1.5.high-1.5.maxTrials-1.direction-minimize.seed-1',
    );
  });

  it('refuses a batch whose stored studies have another space before any runs, and resumes the studies a stopped batch started (trial 72)', async () => {
    const own = tempDir('parzen-batch-space-');
    writeIn(own, 'heart.mjs', heartModule);
    const store = { use: 'jsonl', options: { path: './sp.parzen.jsonl' } };
    const config = (high: number, seeds: number[]) =>
      heartConfig({
        name: 'sp',
        store,
        space: { x: { type: 'uniform', low: -2, high }, y: { type: 'uniform', low: -2, high: 2 } },
        budget: { maxTrials: 2 },
        matrix: { seed: seeds },
      });
    const first = writeIn(own, 'sp.json', config(2, [1, 2]));
    expect((await cli('run', first, '--quiet')).code).toBe(0);
    // The space edited and a seed added: refused whole, and the new variant's study is not created.
    const edited = writeIn(own, 'sp.json', config(3, [1, 2, 3]));
    const refused = await cli('run', edited, '--quiet');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      '2 studies of this batch are stored with another direction or search space (sp.seed-1, sp.seed-2); nothing ran. The first: Study `sp.seed-1` in the store was run with a different search space',
    );
    // With the command that deletes the first's study, after the recipe that keeps its complete trials, as a run of
    // that variant alone says it.
    const recipe = refused.stderr.indexOf('--ignore-header');
    const deletion = refused.stderr.indexOf(
      `To drop the old trials instead, \`parzen delete ${edited} --study sp.seed-1 --yes\` deletes the study (with its 2 complete trials: export first what you keep), and the next run creates it anew with this space.`,
    );
    expect(recipe).toBeGreaterThan(0);
    expect(deletion).toBeGreaterThan(recipe);
    const studies = await cli('studies', edited);
    expect(studies.stdout).not.toContain('sp.seed-3');
    // Beside a config whose store cannot be read, the others are still checked (review 79: the check gave up).
    writeIn(own, 'broken.parzen.jsonl', 'this is not a journal\n');
    const broken = writeIn(
      own,
      'br.json',
      heartConfig({ name: 'br', store: { use: 'jsonl', options: { path: './broken.parzen.jsonl' } } }),
    );
    const beside = await cli('run', broken, edited, '--quiet');
    expect(beside.code).toBe(1);
    expect(beside.stderr).toContain('2 studies of this batch are stored with another direction or search space');
    // Undone, the batch continues; `resume` of a matrix whose batch never started a study resumes the others.
    const more = writeIn(own, 'sp.json', config(2, [1, 2, 3]));
    const resumed = await cli('resume', more, '--quiet', '--max-trials', '3');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(
      `study sp.seed-3 was never started, so it is not resumed: \`parzen run ${more}\` starts it and continues the others.`,
    );
    // The command it gives keeps the run's --store (review 79: it would have started them in another store).
    const elsewhere = join(own, 'elsewhere.parzen.jsonl');
    const two = writeIn(own, 'sp-two.json', config(2, [1, 2]));
    expect((await cli('run', two, '--quiet', '--store', `jsonl:${elsewhere}`)).code).toBe(0);
    const flagged = await cli('resume', more, '--quiet', '--store', `jsonl:${elsewhere}`, '--max-trials', '3');
    expect(flagged.code, flagged.stderr).toBe(0);
    expect(flagged.stderr).toContain(`\`parzen run ${more} --store jsonl:${elsewhere}\` starts it`);
    expect(resumed.stdout).toMatch(/sp\s+2\s/);
    const none = writeIn(own, 'none.json', heartConfig({ name: 'none', store, matrix: { seed: [7, 8] } }));
    const nothing = await cli('resume', none);
    expect(nothing.code).toBe(1);
    // One sentence: which studies, and the command that starts them.
    expect(nothing.stderr).toBe(
      `parzen: ${none}: Nothing to resume: none of the 2 studies (none.seed-7, none.seed-8) is in its jsonl store ${join(own, 'sp.parzen.jsonl')}, which holds \`sp.seed-1\`, \`sp.seed-2\`; \`parzen run ${none}\` starts them.`,
    );
    // A matrix of one variant: validate and run name its study alike, with --study (its name is not the config's).
    const one = writeIn(own, 'sp one.json', { ...config(2, [1]), name: 'one' });
    expect((await cli('run', one, '--quiet')).code).toBe(0);
    writeIn(own, 'sp one.json', { ...config(3, [1]), name: 'one' });
    const oneDeletion = `\`parzen delete '${one}' --study one.seed-1 --yes\``;
    const validated = await cli('validate', one);
    expect(validated.code).toBe(1);
    expect(validated.stdout + validated.stderr).toContain(oneDeletion);
    expect((await cli('run', one, '--quiet')).stderr).toContain(oneDeletion);
  });

  it('says when runs of one variant have different trial counts (trial 36: pooled without a word)', async () => {
    const own = tempDir('parzen-batch-uneven-');
    writeIn(own, 'heart.mjs', heartModule);
    const store = { use: 'jsonl', options: { path: './uneven.parzen.jsonl' } };
    const short = writeIn(
      own,
      'uneven.json',
      heartConfig({ name: 'un', store, budget: { maxTrials: 2 }, matrix: { seed: [1] } }),
    );
    expect((await cli('run', short, '--quiet')).code).toBe(0);
    const both = writeIn(
      own,
      'uneven.json',
      heartConfig({ name: 'un', store, budget: { maxTrials: 2 }, matrix: { seed: [1, 2] } }),
    );
    expect((await cli('run', both, '--quiet', '--more-trials', '1')).code).toBe(0);
    const again = await cli('run', both);
    expect(again.stderr).toContain(
      'runs of unequal length (an interrupted run, a budget changed between runs), their bests not like for like: un (2–3 finished trials)',
    );
    // With --json too: said on stderr, and each row gives its runs' trial counts (trial 64: silent there).
    const json = await cli('run', both, '--json');
    expect(json.stderr).toContain(
      'runs of unequal length (an interrupted run, a budget changed between runs), their bests not like for like: un (2–3 finished trials)',
    );
    const { comparison } = JSON.parse(json.stdout.trim().split('\n').at(-1) as string) as {
      comparison: { variant: string; finishedTrials: unknown }[];
    };
    expect(comparison).toMatchObject([{ variant: 'un', finishedTrials: { min: 2, max: 3 } }]);
    // The table for people goes to stderr with --json (a CI log of a batch lacked it), stdout keeping the one line.
    expect(json.stderr).toMatch(/^variant +runs +median best/m);
    expect(json.stdout).not.toContain('median best');
    // Quartiles for a paper's median [IQR] (trial 64), from the same bests as the median.
    const row = comparison[0] as unknown as { medianBest: number; quartilesBest: [number, number] };
    expect(row.quartilesBest[0]).toBeLessThanOrEqual(row.medianBest);
    expect(row.quartilesBest[1]).toBeGreaterThanOrEqual(row.medianBest);
  });

  it("gives an errored run's code in --json, as errors are given elsewhere (trial 36: only its message)", async () => {
    // A folder of its own: another test lists the journals of the shared one.
    const own = tempDir('parzen-batch-error-');
    writeIn(own, 'heart.mjs', heartModule);
    // A store file that is not a journal: its run fails when it opens the store, the batch goes on.
    writeIn(own, 'broken.parzen.jsonl', 'this is not a journal\n');
    const broken = { use: 'jsonl', options: { path: './broken.parzen.jsonl' } };
    const failing = writeIn(own, 'mm-b.json', heartConfig({ name: 'mm', store: broken, budget: { maxTrials: 2 } }));
    const store = { use: 'jsonl', options: { path: './other.parzen.jsonl' } };
    const fresh = writeIn(own, 'mm-c.json', heartConfig({ name: 'mm-other', store, budget: { maxTrials: 2 } }));
    const run = await cli('run', failing, fresh, '--json');
    expect(run.code).toBe(1);
    const { runs } = lastJsonLine(run.stdout) as { runs: Record<string, unknown>[] };
    // With the config it came from (review 148: file was null in a batch).
    expect(runs[0]).toMatchObject({ study: 'mm', reason: 'error', error: { code: 'STORE_CORRUPT', file: failing } });
    expect(runs[1]).toMatchObject({ study: 'mm-other', reason: 'max-trials' });
  });

  it('runs a matrix (suggesters x seeds) and compares median best per variant', async () => {
    const plugin = join(repoRoot, 'examples/anneal-suggester/src/index.ts');
    const config = heartConfig({
      name: 'cmp',
      plugins: [plugin],
      budget: { maxTrials: 12 },
      matrix: { suggester: [{ use: 'random' }, { use: 'anneal' }], seed: [1, 2, 3] },
    });
    const run = await cli('run', writeIn(dir, 'cmp.json', config), '--json');
    expect(run.code, run.stderr).toBe(0);
    const batch = lastJsonLine(run.stdout) as BatchJson;
    // Each row says what its variant set, seed aside (trial 36).
    expect((batch.comparison as unknown as { values: unknown }[]).map((row) => row.values)).toEqual(
      expect.arrayContaining([{ suggester: { use: 'random' } }, { suggester: { use: 'anneal' } }]),
    );
    expect(batch.runs.map((item) => item.study)).toEqual([
      'cmp.suggester-random.seed-1',
      'cmp.suggester-random.seed-2',
      'cmp.suggester-random.seed-3',
      'cmp.suggester-anneal.seed-1',
      'cmp.suggester-anneal.seed-2',
      'cmp.suggester-anneal.seed-3',
    ]);
    expect(batch.comparison.map((row) => row.variant).sort()).toEqual(['cmp suggester=anneal', 'cmp suggester=random']);
    for (const row of batch.comparison) {
      const bests = batch.runs
        .filter((item) => row.studies.includes(item.study))
        .map((item) => item.best?.loss as number);
      expect(row.runs).toBe(3);
      expect(row.medianBest).toBe(median(bests));
      expect(row.bestOfRuns).toBe(Math.min(...bests));
      expect(row.worstOfRuns).toBe(Math.max(...bests));
    }
    const [first, second] = batch.comparison;
    expect((first?.medianBest as number) <= (second?.medianBest as number)).toBe(true);
  });

  // Trial 157: a gap between variants that differed only in the objective's noise read as an improvement.
  it('tests each variant against the first row: a "vs first" column, its note, and versusFirst in --json', async () => {
    // trialTimeoutSeconds changes nothing: its two variants draw the same trials per seed, so their bests tie.
    const config = heartConfig({
      name: 'sig',
      matrix: { trialTimeoutSeconds: [100, 200], 'budget/maxTrials': [40, 1], seed: [1, 2, 3, 4] },
    });
    const json = await cli('run', writeIn(dir, 'sig.json', config), '--json');
    expect(json.code, json.stderr).toBe(0);
    // The table for people (on stderr with --json, as on stdout without).
    const lines = json.stderr
      .slice(json.stderr.lastIndexOf('\nvariant') + 1)
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(/^variant\s+runs\s+median best\s+best\s+worst\s+vs first\s+complete\s+failed$/);
    const cells = lines.slice(1, 5).map((line) => line.split(/\s{2,}/));
    expect(cells.map((row) => row[5])).toEqual(['-', 'p=1', 'p=0.029', 'p=0.029']);
    expect(lines[5]).toMatch(
      /^vs first: p of a two-sided Mann–Whitney U test of each row's run bests against those of the first row; at 0\.05 or above, the gap may be chance/,
    );
    const { comparison } = lastJsonLine(json.stdout) as {
      comparison: { variant: string; versusFirst: { variant: string; p: number; method: string } | null }[];
    };
    const first = comparison[0]?.variant;
    expect(comparison.map((row) => row.versusFirst)).toEqual([
      null,
      { variant: first, p: 1, method: 'asymptotic' },
      { variant: first, p: expect.closeTo(2 / 70, 12), method: 'exact' },
      { variant: first, p: expect.closeTo(2 / 70, 12), method: 'exact' },
    ]);
  });

  it('a matrix over a space bound: each row its own problem, no "vs first" column, and the table says why (review 149)', async () => {
    const config = heartConfig({
      name: 'bound',
      budget: { maxTrials: 5 },
      matrix: { 'space/x/high': [2, 1], seed: [1, 2, 3, 4] },
    });
    const run = await cli('run', writeIn(dir, 'bound.json', config), '--quiet');
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.slice(run.stdout.lastIndexOf('variant')).trim().split('\n');
    expect(lines[0]).toMatch(/^variant\s+runs\s+median best\s+best\s+worst\s+complete\s+failed$/);
    expect(lines.at(-1)).toMatch(
      /^No "vs first" test: each row is a problem of its own, its objective or search space unlike/,
    );
  });

  // Trial 159: each variant of a matrix over a space bound held a thread of its own from the preflight, and loaded
  // the module again (10 times slower than a matrix over seeds).
  it('a matrix over a space bound with reuseThreads loads the module once, as a matrix over seeds does', async () => {
    const own = tempDir('parzen-batch-reuse-');
    for (const [name, matrix] of [
      ['seeds', { seed: [1, 2, 3, 4, 5] }],
      ['bounds', { 'space/x/high': [2, 1.9, 1.8, 1.7, 1.6] }],
    ] as const) {
      // A module of its own each (threads kept by the first run would serve the second).
      const loads = join(own, `${name}-loads.txt`);
      writeIn(
        own,
        `${name}.mjs`,
        `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(loads)}, 'loaded\\n');\n${heartModule}`,
      );
      const objective = { use: 'module', options: { path: `./${name}.mjs`, reuseThreads: true } };
      const config = heartConfig({ name, objective, store: { use: 'memory' }, budget: { maxTrials: 2 }, matrix });
      const run = await cli('run', writeIn(own, `${name}.json`, config), '--quiet');
      expect(run.code, run.stderr).toBe(0);
      expect(readFileSync(loads, 'utf8'), name).toBe('loaded\n');
    }
  });

  it('runs several configs in turn and prints a comparison table', async () => {
    const a = writeIn(dir, 'a.json', heartConfig({ name: 'alpha', budget: { maxTrials: 5 } }));
    const b = writeIn(dir, 'b.json', heartConfig({ name: 'beta', budget: { maxTrials: 5 }, matrix: { seed: [4, 5] } }));
    const run = await cli('run', a, b);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.match(/^Study (alpha|beta\.seed-4|beta\.seed-5): 5 complete, 0 failed$/gm)).toHaveLength(3);
    const table = run.stdout.slice(run.stdout.lastIndexOf('variant'));
    const lines = table.trim().split('\n');
    expect(lines[0]).toMatch(/^variant\s+runs\s+median best\s+best\s+worst\s+vs first\s+complete\s+failed$/);
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/).slice(0, 2))).toEqual(
      expect.arrayContaining([
        ['alpha', '1'],
        ['beta', '2'],
      ]),
    );
  });

  it('studies of different directions: no comparison table (run), a refused comparison page (report)', async () => {
    const store = { use: 'jsonl', options: { path: './directions/study.parzen.jsonl' } };
    const low = writeIn(dir, 'low.json', heartConfig({ name: 'low', store, budget: { maxTrials: 3 } }));
    const high = writeIn(
      dir,
      'high.json',
      heartConfig({ name: 'high', store, direction: 'maximize', budget: { maxTrials: 3 } }),
    );
    const run = await cli('run', low, high);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'no comparison table: the studies do not share a direction (minimize: low; maximize: high), so their best losses cannot be ranked together.',
    );
    expect(run.stdout).not.toMatch(/^variant\s+runs/m);
    const json = await cli('run', low, high, '--json', '--max-trials', '4');
    expect(lastJsonLine(json.stdout)).toMatchObject({ comparison: [] });
    const many = writeIn(
      dir,
      'many.json',
      heartConfig({ name: 'many', store, budget: { maxTrials: 2 }, matrix: { seed: [1, 2, 3, 4, 5] } }),
    );
    const listed = await cli('run', many, high, '--quiet');
    expect(listed.stderr).toContain('(minimize: many.seed-1, many.seed-2, many.seed-3 and 2 more; maximize: high)');
    const report = await cli('report', low, high, '-o', join(dir, 'directions', 'report.html'));
    expect(report.code).toBe(2);
    expect(report.stderr).toContain("These configs' studies do not share a direction (minimize: low; maximize: high)");
  });

  it('keeps the studies of a matrix without a store in one journal, and best reports each', async () => {
    const config = heartConfig({ name: 'mx', budget: { maxTrials: 3 }, matrix: { seed: [1, 2] } });
    delete config.store;
    const path = writeIn(dir, 'mx.json', config);
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    expect(readdirSync(dir).filter((file) => file.endsWith('.jsonl'))).toEqual(['mx.parzen.jsonl']);
    const best = lastJsonLine((await cli('best', path, '--json')).stdout) as {
      study: string;
      trials: unknown;
    }[];
    expect(best.map((item) => [item.study, item.trials])).toEqual([
      ['mx.seed-1', { complete: 3, failed: 0, pruned: 0, running: 0 }],
      ['mx.seed-2', { complete: 3, failed: 0, pruned: 0, running: 0 }],
    ]);
  });
});

describe('a matrix study named the way earlier versions named it', () => {
  it('is said before the run, with the study this run starts instead and how to read the old one', async () => {
    const { createJsonlStore } = await import('@parzen/store-file');
    const journal = join(dir, 'legacy.parzen.jsonl');
    const store = createJsonlStore({ path: journal });
    // Earlier versions named `{"use": "tpe", "options": {...}}` by its `use` alone.
    await store.openStudy({
      name: 'legacy.suggester-tpe',
      direction: 'minimize',
      seed: 0,
      space: heartConfig().space as never,
    });
    await store.close();
    const config = writeIn(dir, 'legacy.json', {
      ...heartConfig({
        name: 'legacy',
        budget: { maxTrials: 1 },
        store: { use: 'jsonl', options: { path: './legacy.parzen.jsonl' } },
      }),
      matrix: { suggester: [{ use: 'tpe', options: { startupTrials: 2 } }, { use: 'random' }] },
    });
    const run = await cli('run', config, '--quiet');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /the store holds study legacy\.suggester-tpe, the name earlier versions gave this variant; this run starts legacy\.suggester-tpe-[0-9a-f]{6}/,
    );
    // Once the new study exists, nothing more is said.
    expect((await cli('run', config, '--quiet')).stderr).not.toContain('earlier versions');
  });
});

/** A config `name` of the heart's with `fields`, its studies in the journal beside it, run once: its path. */
const ranInJournal = async (name: string, fields: Record<string, unknown>) => {
  // The journal a matrix without a store keeps its studies in.
  const { path } = ownHeartConfig(`parzen-batch-${name}-`, `${name}.json`, { name, store: undefined, ...fields });
  const ran = await cli('run', path, '--quiet');
  expect(ran.code, ran.stderr).toBe(0);
  return path;
};

describe('notes on a matrix config', () => {
  it('are said once by a run of its studies, as validate says them, not once per study', async () => {
    const { own, path } = ownHeartConfig('parzen-batch-empty-', 'empty.json', {
      name: 'empty',
      budget: { maxTrials: 1 },
      plugins: ['./empty.mjs'],
      matrix: { seed: [1, 2, 3] },
    });
    writeIn(own, 'empty.mjs', 'export const manifests = [];');
    const said =
      "/plugins/0: plugin package `./empty.mjs` provides no plugins: its `manifests` is empty (and it has no `services`); list its plugins' manifests there, or leave it out of `plugins`";
    const ran = await cli('run', path, '--quiet');
    expect(ran.code, ran.stderr).toBe(0);
    const notes = ran.stderr.split('\n').filter((line) => line.includes('provides no plugins'));
    expect(notes).toEqual([`parzen: warning: each of 3 studies (empty.seed-1, empty.seed-2, empty.seed-3): ${said}`]);
    const checked = await cli('validate', path);
    expect(checked.stderr.split('\n').filter((line) => line.includes('provides no plugins'))).toEqual([
      `${path}: note: ${said}`,
    ]);
  });
});

describe('validate of a finished matrix', () => {
  it('says a note its studies share once, with how many and which (not once per study)', async () => {
    const path = await ranInJournal('notes', { budget: { maxTrials: 2 }, matrix: { seed: [1, 2, 3, 4, 5] } });
    const checked = await cli('validate', path);
    expect(checked.code, checked.stderr).toBe(0);
    const notes = checked.stderr.split('\n').filter((line) => line.includes(': note: '));
    expect(notes).toEqual([
      `${path}: note: /budget/maxTrials: each of 5 studies (notes.seed-1, notes.seed-2, notes.seed-3 and 2 more) has 2 trials already, so a run of this config adds none (maxTrials 2 counts every trial of the study: raise it, or run with --more-trials N)`,
    ]);
    const json = await cli('validate', path, '--json');
    expect((lastJsonLine(json.stdout) as { valid: { notes: string[] }[] }).valid[0]?.notes).toHaveLength(1);
  });
});

describe('studies of a matrix over TPE options', () => {
  it('lists what tells the variants of one profile apart: the settings that differ from the profile', async () => {
    const path = await ranInJournal('variants', {
      budget: { maxTrials: 1 },
      matrix: {
        suggester: [
          { use: 'tpe' },
          { use: 'tpe', options: { grouping: 'joint' } },
          { use: 'tpe', options: { constantLiar: false } },
          { use: 'tpe', options: { gamma: 0.2 } },
        ],
      },
    });
    const listed = await cli('studies', path);
    expect(listed.code, listed.stderr).toBe(0);
    // The table's lines: after it, what each digest label stands for (`where suggester tpe-… = {...}`).
    const [table, legend] = listed.stdout.trim().split('\nwhere ');
    expect(legend?.split('\n')).toHaveLength(3);
    const cells = (table as string)
      .split('\n')
      .slice(1)
      .map((line) => line.split(/\s{2,}/).slice(0, 3));
    expect(cells.map(([study, , suggester]) => [study?.replace(/-[0-9a-f]{6}$/, '-…'), suggester])).toEqual([
      ['variants.suggester-tpe', 'tpe (parzen)'],
      ['variants.suggester-tpe-…', 'tpe (parzen, grouping joint)'],
      ['variants.suggester-tpe-…', 'tpe (parzen, constantLiar false)'],
      // Its explore phase's own gamma gives way to the one given: not a difference of its own.
      ['variants.suggester-tpe-…', 'tpe (parzen, gamma 0.2)'],
    ]);
    const json = JSON.parse((await cli('studies', path, '--json')).stdout.trim().split('\n').at(-1) as string) as {
      offProfile?: Record<string, unknown>;
    }[];
    expect(json.map((study) => study.offProfile)).toEqual([
      undefined,
      { grouping: 'joint' },
      { constantLiar: false },
      { gamma: 0.2 },
    ]);
  });
});

describe('report of a matrix run in part', () => {
  it('says on stderr which studies have not run yet, as best and trials say it', async () => {
    const path = await ranInJournal('part', { budget: { maxTrials: 2 }, matrix: { seed: [1, 2] } });
    // A seed added since: its study is not in the store.
    writeFileSync(
      path,
      JSON.stringify(
        heartConfig({ name: 'part', store: undefined, budget: { maxTrials: 2 }, matrix: { seed: [1, 2, 3] } }),
      ),
    );
    const said = "parzen: 1 of the matrix's 3 studies has not run yet (part.seed-3); ";
    const best = await cli('best', path);
    expect(best.stderr).toContain(`${said}showing the others.`);
    const page = await cli('report', path, '-o', join(dirname(path), 'part.html'));
    expect(page.code, page.stderr).toBe(0);
    expect(page.stderr).toContain(`${said}the page compares the others.`);
  });
});

describe('a matrix whose studies share one store, in studies and validate', () => {
  it('studies of a matrix none of whose studies ran, all in one journal, names each of them', async () => {
    const { path } = ownHeartConfig('parzen-batch-shared-', 'shared.json', {
      name: 'shared',
      // The one journal a matrix without a store keeps all its studies in: not there before a run.
      store: undefined,
      budget: { maxTrials: 1 },
      matrix: { seed: [1, 2, 3] },
    });
    const listed = await cli('studies', path);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain(
      "None of the matrix's 3 studies has run yet (shared.seed-1, shared.seed-2, shared.seed-3)",
    );
  });

  it("validate's line names each variant's suggester as studies lists it", async () => {
    const path = await ranInJournal('labels', {
      suggester: { use: 'tpe', options: { profile: 'parzen' } },
      budget: { maxTrials: 1 },
      // The first is the parzen profile's own explore phase, the second one of its own.
      matrix: {
        'suggester/options/explore': [{ trials: 50, gamma: 0.15, belowBandwidth: 0.5 }, { trials: 10 }],
      },
    });
    const listed = await cli('studies', path);
    expect(listed.code, listed.stderr).toBe(0);
    const cells = listed.stdout
      .split('\n')
      .slice(1)
      .flatMap((line) => /^\S+\s+minimize\s+(.+?)\s{2,}\d/.exec(line)?.[1] ?? []);
    expect(cells).toHaveLength(2);
    const checked = await cli('validate', path);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toContain(`suggester ${cells.join(' | ')}, store`);
  });
});

describe('run --study: one study of a matrix', () => {
  it('tops up only the study named, and refuses a name the config has not, listing those it has', async () => {
    const path = writeIn(dir, 'one-of.json', {
      ...heartConfig({
        name: 'oneof',
        budget: { maxTrials: 2 },
        store: { use: 'jsonl', options: { path: './oneof.parzen.jsonl' } },
      }),
      matrix: { seed: [1, 2] },
    });
    expect((await cli('run', path, '--quiet')).code).toBe(0);
    const more = await cli('run', path, '--study', 'oneof.seed-2', '--more-trials', '3', '--quiet', '--json');
    expect(more.code, more.stderr).toBe(0);
    const listed = JSON.parse((await cli('studies', path, '--json')).stdout) as {
      study: string;
      trials: { complete: number };
    }[];
    expect(Object.fromEntries(listed.map((study) => [study.study, study.trials.complete]))).toEqual({
      'oneof.seed-1': 2,
      'oneof.seed-2': 5,
    });
    const unknown = await cli('run', path, '--study', 'oneof.seed-9', '--quiet');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      '--study "oneof.seed-9": the config has no study of that name; its studies are oneof.seed-1, oneof.seed-2.',
    );
    const two = await cli('run', path, path, '--study', 'oneof.seed-1', '--quiet');
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('give one config with it, not 2');
  });
});
