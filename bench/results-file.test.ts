import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  commitOf,
  describeRecord,
  endRecord,
  READINGS_MARK,
  sliceRefusal,
  startRecord,
  withReadings,
} from './results-file.js';

const root = new URL('..', import.meta.url);
const folders: string[] = [];
const folder = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-results-file-'));
  folders.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** Runs a bench script from the repository root, as bench/README.md's commands do. */
const bench = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--conditions=@parzen/source', '--import', 'tsx', `bench/${script}.ts`, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('the record of a run: day, commit, machine and load', () => {
  it('names the commit, with +dirty once a tracked file changes, and unknown outside git', () => {
    const dir = folder();
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' });
    git('init', '-q');
    writeFileSync(join(dir, 'a.txt'), 'one\n');
    git('add', 'a.txt');
    git('commit', '-qm', 'one');
    const hash = git('rev-parse', '--short', 'HEAD').trim();
    expect(commitOf(dir)).toBe(hash);
    // An untracked file (a results file being written) is not a change to the code.
    writeFileSync(join(dir, 'new.md'), 'x\n');
    expect(commitOf(dir)).toBe(hash);
    writeFileSync(join(dir, 'a.txt'), 'two\n');
    expect(commitOf(dir)).toBe(`${hash}+dirty`);
    expect(commitOf(folder())).toBe('unknown');
  });

  it('says the day, commit, machine and the load at the start and the end', () => {
    const record = {
      date: '2026-12-07',
      commit: 'abc1234+dirty',
      machine: '2 cores (CPU), node v20',
      load: { start: [1, 2.25, 3] },
    };
    expect(describeRecord(record)).toBe(
      '2026-12-07, commit abc1234+dirty; 2 cores (CPU), node v20; load average 1.0 / 2.3 / 3.0 at the start',
    );
    expect(describeRecord({ ...record, load: { start: [1, 2, 3], end: [4, 5, 6] } })).toMatch(
      /load average 1\.0 \/ 2\.0 \/ 3\.0 at the start, 4\.0 \/ 5\.0 \/ 6\.0 at the end$/,
    );
    const now = endRecord(startRecord());
    expect(now.date).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(now.commit).toMatch(/^[0-9a-f]{7,}(\+dirty)?$/);
    expect(now.machine).toMatch(/^\d+ cores \(.*\), node v\d+/);
    expect(now.load.start).toHaveLength(3);
    expect(now.load.end).toHaveLength(3);
  });
});

describe('--write of a slice without --out', () => {
  it('is refused, naming the file it would replace and what was cut', () => {
    expect(
      sliceRefusal('results/tpe-suite-train.md', [
        { flag: '--problems', chosen: 2, whole: 17, what: 'problems of --half train' },
        { flag: '--seeds', chosen: 10, whole: 30, what: 'seeds' },
      ]),
    ).toBe(
      "--write without --out would replace results/tpe-suite-train.md, a full run's file, with a slice (--problems: 2 of 17 problems of --half train, --seeds: 10 of 30 seeds): give --out FILE for the slice's own file, or leave out --problems and --seeds",
    );
  });

  it('is not refused for the whole: every problem named, or more seeds than the file holds', () => {
    expect(
      sliceRefusal('results/tpe-quality.md', [
        { flag: '--problems', chosen: 4, whole: 4, what: 'problems' },
        { flag: '--seeds', chosen: 100, whole: 20, what: 'seeds' },
      ]),
    ).toBeUndefined();
  });

  // `--evals 100000`: were the refusal gone, the run would not finish (and write) within the spawn's timeout.
  it('tpe-suite and tpe-quality refuse it before anything runs (exit 2), and leave the file alone', () => {
    const suiteFile = new URL('bench/results/tpe-suite-train.md', root);
    const before = readFileSync(suiteFile, 'utf8');
    const suite = bench('tpe-suite', '--half', 'train', '--problems', 'qlearn_a', '--evals', '100000', '--write');
    expect(suite.stderr).toContain(
      "tpe-suite: --write without --out would replace results/tpe-suite-train.md, a full run's file, with a slice (--problems: 1 of 17 problems of --half train)",
    );
    expect(suite.status).toBe(2);
    expect(suite.stdout).not.toContain('studies in');
    expect(readFileSync(suiteFile, 'utf8')).toBe(before);
    const seeds = bench('tpe-suite', '--half', 'train', '--seeds', '3', '--evals', '100000', '--write');
    expect(seeds.stderr).toContain('(--seeds: 3 of 30 seeds)');
    expect(seeds.status).toBe(2);
    const quality = bench('tpe-quality', '--only', 'parzen', '--evals', '100000', '--write');
    expect(quality.stderr).toMatch(
      /^tpe-quality: --write without --out would replace results\/tpe-quality\.md, .*\(--only: 1 of 5 algorithms\)/,
    );
    expect(quality.status).toBe(2);
  });
});

describe("--write keeps a file's readings", () => {
  const generated = '# Tables\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';

  it('keeps the mark and everything after it, below the new tables', () => {
    const previous = `# Tables\n\n| a | b |\n|---|---|\n| 9 | 9 |\n\n${READINGS_MARK}\n\n**Reading** (by hand): the old table's 9.\n\nMore.\n`;
    const { text, warning } = withReadings(generated, previous, 'results/x.md');
    expect(text).toBe(
      `# Tables\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n${READINGS_MARK}\n\n**Reading** (by hand): the old table's 9.\n\nMore.\n`,
    );
    expect(warning).toBeUndefined();
    // Written again, the same: nothing is added twice.
    expect(withReadings(generated, text, 'results/x.md').text).toBe(text);
  });

  it('ends a new file with the mark, so a reading written after it is kept', () => {
    expect(withReadings(generated, undefined, 'results/x.md')).toEqual({ text: `${generated}\n${READINGS_MARK}\n` });
  });

  it('warns that a file without the mark is replaced whole', () => {
    const { text, warning } = withReadings(generated, '# Old\n\nA reading at the top.\n', '/r/results/x.md');
    expect(text).toBe(`${generated}\n${READINGS_MARK}\n`);
    expect(warning).toBe(
      `/r/results/x.md had no line ${READINGS_MARK}, so nothing in it was kept: its text is replaced whole (git diff shows what went). A reading written after that line, which the new file ends with, is kept by the next --write.`,
    );
  });

  it('tpe-suite --from --write renders a saved run over its own file, keeping the readings and recording the render', () => {
    const dir = folder();
    const saved = JSON.parse(readFileSync(new URL('bench/results/tpe-default-fresh16.json', root), 'utf8')) as {
      problems: string[];
      regrets: Record<string, number[][]>;
    };
    // Two problems are enough to render; on the first, a median regret of 0 (below the ratios' 1e-12 floor).
    const keep = saved.problems.slice(0, 2);
    const [first] = keep as [string];
    const regrets = Object.fromEntries(
      Object.entries(saved.regrets)
        .filter(([key]) => keep.includes(key.split('/')[0] as string))
        .map(([key, seeds]) => [
          key,
          key.startsWith(`${first}/`) ? seeds.map((budgets) => budgets.map(() => 0)) : seeds,
        ]),
    );
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...saved, problems: keep, regrets }));
    writeFileSync(join(dir, 'run.md'), `# old tables\n\n${READINGS_MARK}\n\nA reading by hand.\n`);
    const run = bench('tpe-suite', '--from', join(dir, 'run.json'), '--write');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const text = readFileSync(join(dir, 'run.md'), 'utf8');
    expect(text).toMatch(/^# TPE on the benchmark suite: fresh16 half/);
    expect(text).not.toContain('# old tables');
    expect(text).toMatch(
      /the day and commit of the run were not recorded then.*tables rendered again on \d{4}-\d\d-\d\d at commit [0-9a-f]+/,
    );
    expect(text.endsWith(`${READINGS_MARK}\n\nA reading by hand.\n`)).toBe(true);
    // The geometric mean with and without the ratio the floor sets, and which problem that is.
    expect(text).toContain(
      '| variant | geometric mean ratio to best peer | the same without the problems whose ratio the 1e-12 floor sets |',
    );
    expect(text).toMatch(/\| parzen \| [\d.e-]+ \| [\d.e-]+ \(1 problem\) \|/);
    expect(text).toContain(`Left out of the third column: ${first}, where one median is below the 1e-12 floor`);
  });
});
