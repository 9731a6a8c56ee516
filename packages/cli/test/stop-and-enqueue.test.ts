import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lastJsonLine, tempDir, writeIn } from './cli-harness.js';
import { cli } from './cli-in-process.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('parzen-stop-enqueue-');
  // The loss is x: a study that finds nothing better than its enqueued first trial.
  writeIn(dir, 'objective.mjs', 'export default ({ x }) => x;\n');
});

const config = (name: string, extra: Record<string, unknown>) =>
  writeIn(dir, `${name}.json`, {
    name,
    seed: 5,
    space: { x: { type: 'uniform', low: 0, high: 1 }, kind: { type: 'choice', options: ['a', 'b'] } },
    objective: { use: 'module', options: { path: './objective.mjs', isolate: 'none' } },
    suggester: { use: 'random' },
    store: { use: 'jsonl', options: { path: `./${name}.parzen.jsonl` } },
    budget: { maxTrials: 200 },
    ...extra,
  });

describe('a config stopper and enqueue list', () => {
  it('runs the enqueued params first and stops on the stopper, naming it in the summary and the JSON', async () => {
    const path = config('stopped', {
      enqueue: [{ x: 0.0001, kind: 'b' }],
      stopper: { use: 'no-improvement', options: { trials: 12, minDelta: 0 } },
    });
    const json = await cli('run', path, '--json', '--quiet');
    expect(json.code).toBe(0);
    expect(lastJsonLine(json.stdout)).toMatchObject({
      reason: 'stopper',
      stopMessage: 'no improvement of 0% in 12 trials',
      best: { number: 0, loss: 0.0001, params: { x: 0.0001, kind: 'b' } },
      trials: { complete: 13 },
    });
    const trials = await cli('trials', path, '--json');
    const rows = JSON.parse(trials.stdout) as { params: { x: number } }[];
    expect(rows.filter((row) => row.params.x === 0.0001)).toHaveLength(1);
    // A resume neither re-runs the enqueued entry nor gets past the stopper.
    const again = await cli('resume', path, '--quiet');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('stopped (no improvement of 0% in 12 trials)');
    const after = JSON.parse((await cli('trials', path, '--json')).stdout) as { params: { x: number } }[];
    expect(after.filter((trial) => trial.params.x === 0.0001)).toHaveLength(1);
  });

  it('refuses enqueued params that do not fit the space, with their JSON pointer, before running anything', async () => {
    const path = config('bad-enqueue', { enqueue: [{ x: 0.5 }, { x: 2, kind: 'c' }] });
    const run = await cli('run', path);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/enqueue/1/x');
    expect(run.stderr).toContain('/enqueue/1/kind');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect((await cli('trials', path)).code).not.toBe(0);
    expect(join(dir, 'bad-enqueue.parzen.jsonl')).toBeDefined();
  });
});

describe('attrs', () => {
  it("stores an objective's attrs and lists them in --json and --csv; attrs that are not JSON fail that trial only", async () => {
    writeIn(
      dir,
      'attrs.mjs',
      'export default ({ x }) => (x > 0.9 ? { loss: x, attrs: { when: () => 1 } } : { loss: x, attrs: { acc: 1 - x, tags: ["a", "b"] } });\n',
    );
    const path = config('attrs', {
      objective: { use: 'module', options: { path: './attrs.mjs', isolate: 'none' } },
      enqueue: [
        { x: 0.25, kind: 'a' },
        { x: 0.95, kind: 'a' },
      ],
      budget: { maxTrials: 4 },
    });
    const run = await cli('run', path, '--quiet');
    expect(run.code).toBe(0);
    const trials = JSON.parse((await cli('trials', path, '--json')).stdout) as {
      state: string;
      attrs?: unknown;
      error?: { code: string; message: string };
    }[];
    expect(trials[0]).toMatchObject({ state: 'complete', attrs: { acc: 0.75, tags: ['a', 'b'] } });
    expect(trials[1]).toMatchObject({ state: 'failed', error: { code: 'OBJECTIVE_BAD_ATTRS' } });
    expect(trials[1]?.error?.message).toContain('/attrs/when is a function');
    const csv = (await cli('trials', path, '--csv')).stdout.split('\n');
    const header = csv[0]?.split(',') ?? [];
    expect(header).toContain('attrs.acc');
    expect(header).toContain('attrs.tags');
    const first = csv[1]?.split(',') ?? [];
    expect(first[header.indexOf('attrs.acc')]).toBe('0.75');
  });
});
