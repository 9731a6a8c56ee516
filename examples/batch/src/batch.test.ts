import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '@parzen/cli';
import { describe, expect, it } from 'vitest';

const example = join(dirname(fileURLToPath(import.meta.url)), '..');
const configs = ['heart.json', 'iris.json'].map((file) => join(example, file));

interface ComparisonRow {
  variant: string;
  runs: number;
  erroredRuns: number;
  completeTrials: number;
  failedTrials: number;
  medianBest: number;
  bestOfRuns: number;
  worstOfRuns: number;
  studies: string[];
}

/** Runs the `parzen` CLI in-process; returns the exit code and the last result line (stdout) as JSON. */
const parzen = async (...args: string[]) => {
  const lines: string[] = [];
  const code = await runCli(['node', 'parzen', ...args], { result: (line) => lines.push(line), note: () => {} });
  return { code, last: JSON.parse(lines.at(-1) ?? 'null') };
};

describe('the batch example', () => {
  it('expands to four suggesters over ten seeds (heart) and five seeds (iris)', async () => {
    const check = await parzen('validate', ...configs, '--json');
    expect(check.code).toBe(0);
    const counts = (check.last.valid as { studies: string[] }[]).map((entry) => entry.studies.length);
    expect(counts).toEqual([40, 20]);
  });

  // The iris batch is only validated here: 20 cross-validations are too slow for a unit test, and its
  // objective is the classifier example's, which that example's test runs.
  it('runs every heart variant and compares them: one row per suggester, best first', async () => {
    const run = await parzen('run', configs[0] ?? '', '--max-trials', '5', '--store', 'memory', '--json', '--quiet');
    expect(run.code).toBe(0);
    const rows = run.last.comparison as ComparisonRow[];
    expect(rows.map((row) => row.variant).sort()).toEqual(
      ['anneal', 'quasi-random', 'random', 'tpe'].map((name) => `heart suggester=${name}`),
    );
    for (const row of rows) {
      expect(row).toMatchObject({ runs: 10, erroredRuns: 0, completeTrials: 50, failedTrials: 0 });
      expect(row.studies).toHaveLength(10);
      expect(row.bestOfRuns).toBeLessThanOrEqual(row.medianBest);
      expect(row.medianBest).toBeLessThanOrEqual(row.worstOfRuns);
    }
    const medians = rows.map((row) => row.medianBest);
    expect(medians).toEqual([...medians].sort((a, b) => a - b));
    expect(run.last.runs).toHaveLength(40);
  });
});
