import { beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runParzen, tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

beforeAll(requireBuiltCli);

describe('enqueue across worker processes', () => {
  it('4 `parzen run` processes on one SQLite study run each enqueued entry exactly once', async () => {
    const dir = tempDir('parzen-enqueue-workers-');
    writeIn(
      dir,
      'objective.mjs',
      'export default async ({ x }) => { await new Promise((r) => setTimeout(r, 5)); return x; };\n',
    );
    const enqueue = [{ x: 0.111 }, { x: 0.222, kind: 'b' }, { kind: 'a' }, { x: 0.333 }, { x: 0.111 }];
    const path = writeIn(dir, 'workers.json', {
      name: 'workers',
      space: { x: { type: 'uniform', low: 0, high: 1 }, kind: { type: 'choice', options: ['a', 'b'] } },
      objective: { use: 'module', options: { path: './objective.mjs', isolate: 'none' } },
      suggester: { use: 'random' },
      store: { use: 'sqlite', options: { path: './workers.parzen.db' } },
      enqueue,
      budget: { maxTrials: 24 },
    });
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => runParzen(['run', path, '--quiet'], { cwd: dir, timeoutMs: 60_000 })),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const listed = await cli('trials', path, '--json');
    const trials = JSON.parse(listed.stdout) as {
      number: number;
      state: string;
      params: { x: number; kind: string };
    }[];
    expect(trials).toHaveLength(24);
    expect(trials.every((trial) => trial.state === 'complete')).toBe(true);
    // 0.111 is listed twice and runs twice; every other entry once.
    expect(trials.filter((trial) => trial.params.x === 0.111)).toHaveLength(2);
    expect(trials.filter((trial) => trial.params.x === 0.222 && trial.params.kind === 'b')).toHaveLength(1);
    expect(trials.filter((trial) => trial.params.x === 0.333)).toHaveLength(1);
    // The enqueued entries are the first five trials, whichever worker took them.
    const first = trials.filter((trial) => trial.number < 5);
    expect(first.filter((trial) => [0.111, 0.222, 0.333].includes(trial.params.x))).toHaveLength(4);
    expect(first.filter((trial) => trial.params.kind === 'a').length).toBeGreaterThanOrEqual(1);
    // A resume runs no entry again.
    const again = await cli('run', path, '--quiet', '--max-trials', '28');
    expect(again.code, again.stderr).toBe(0);
    const after = JSON.parse((await cli('trials', path, '--json')).stdout) as { params: { x: number } }[];
    expect(after).toHaveLength(28);
    expect(after.filter((trial) => trial.params.x === 0.111)).toHaveLength(2);
  }, 90_000);
});
