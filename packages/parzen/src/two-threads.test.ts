import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Threads are what is tested (each thread loads its own copy of Parzen's modules), so the study runs in a process of
// its own, on its main thread and a worker thread: the built packages (`pnpm build` first).
const dir = mkdtempSync(join(tmpdir(), 'parzen-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = fileURLToPath(new URL('fixtures/two-threads.mjs', import.meta.url));

describe('one study run by two threads of one process, each with its own store object on the same file', () => {
  for (const kind of ['jsonl', 'sqlite'] as const) {
    it(`${kind}: no thread marks the other's live trials stale; each trial is run and finished once`, () => {
      const run = spawnSync(process.execPath, [fixture, kind, join(dir, `study.${kind}`)], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(0);
      // Before: "trials #24, #25 of study threads, of a worker that is gone (its run in this process ended without
      // finishing them) are marked failed, STALE_TRIAL", and their results kept again as new trials.
      expect(run.stderr).toBe('');
      const { trials, calls } = JSON.parse(run.stdout) as {
        trials: { number: number; state: string; code?: string; thread?: number }[];
        calls: Record<string, number>;
      };
      // Each trial is one call of a thread's objective, kept once: none run twice, no result kept again as a new
      // trial. (How many there are is not fixed: a run's `moreTrials` counts the other thread's trials too, so the
      // 6 runs of 10 add 30 to 60.)
      for (const [thread, count] of Object.entries(calls))
        expect([thread, trials.filter((trial) => String(trial.thread) === thread).length]).toEqual([thread, count]);
      expect(trials.length).toBe(Object.values(calls).reduce((sum, count) => sum + count, 0));
      expect(trials.length).toBeGreaterThanOrEqual(30);
      expect(trials.length).toBeLessThanOrEqual(60);
      expect(trials.map((trial) => trial.number)).toEqual([...trials.keys()]);
      expect(trials.filter((trial) => trial.state !== 'complete')).toEqual([]);
      // Both threads ran trials (the worker's runs while the main thread's did).
      for (const thread of new Set(trials.map((trial) => trial.thread)))
        expect(trials.filter((trial) => trial.thread === thread).length).toBeGreaterThan(5);
      expect(new Set(trials.map((trial) => trial.thread)).size).toBe(2);
    });
  }
});
