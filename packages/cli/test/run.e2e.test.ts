import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  heart,
  heartConfig,
  heartModule,
  lastJsonLine,
  requireBuiltCli,
  runParzen,
  tempDir,
  writeIn,
} from './cli-harness.js';
import { cli, cliIn } from './cli-in-process.js';

interface Summary {
  study: string;
  trials: { complete: number; failed: number };
  best: { number: number; loss: number; params: Record<string, number> } | null;
  stopped?: string;
}
interface TrialJson {
  number: number;
  state: string;
  loss?: number;
  params: Record<string, number>;
}

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = tempDir('parzen-run-');
  writeIn(dir, 'heart.mjs', heartModule);
});

describe('parzen run', () => {
  it('runs a valid config; with --json the last stdout line is the summary', async () => {
    const path = writeIn(
      dir,
      'heart.json',
      heartConfig({ store: { use: 'jsonl', options: { path: './heart.jsonl' } } }),
    );
    const run = await cli('run', path, '--json');
    expect(run.code, run.stderr).toBe(0);
    const summary = lastJsonLine(run.stdout) as Summary;
    expect(summary).toMatchObject({ study: 'heart', trials: { complete: 8, failed: 0 }, reason: 'max-trials' });
    expect(Object.keys(summary.best?.params ?? {}).sort()).toEqual(['x', 'y']);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);

    const trials = lastJsonLine((await cli('trials', path, '--json')).stdout) as TrialJson[];
    expect(trials.map((trial) => trial.state)).toEqual(Array(8).fill('complete'));
    const best = trials.reduce((a, b) => ((a.loss ?? 0) <= (b.loss ?? 0) ? a : b));
    expect(summary.best).toEqual({ number: best.number, loss: best.loss, params: best.params });
    expect(best.loss).toBeCloseTo(heart(best.params.x ?? 0, best.params.y ?? 0), 10);

    const bestRun = await cli('best', path, '--json');
    expect(lastJsonLine(bestRun.stdout)).toEqual({
      study: 'heart',
      trials: { complete: 8, failed: 0, pruned: 0, running: 0 },
      best: summary.best,
    });
  });

  it('reads YAML, prints a line per trial on a non-terminal and the summary on stdout', async () => {
    const yaml = [
      'name: heart-yaml',
      'seed: 3',
      'space:',
      '  x: { type: uniform, low: -2, high: 2 }',
      '  y: { type: uniform, low: -2, high: 2 }',
      'objective: { use: module, options: { path: ./heart.mjs } }',
      'suggester: { use: random }',
      'store: { use: memory }',
      'budget: { maxTrials: 4 }',
    ].join('\n');
    const run = await runParzen(['run', writeIn(dir, 'heart.yaml', yaml)], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Starting study heart-yaml \(0 trials so far, up to 4 trials\)/);
    expect(run.stderr).toMatch(/trial #3 complete, loss -?[\d.]+ {2}\[4\/4 trials, 0 failed, best /);
    expect(run.stdout).toMatch(/^Study heart-yaml: 4 complete, 0 failed\nBest trial #\d: loss /);
  });

  it('with --quiet prints only the summary', async () => {
    const run = await cli('run', writeIn(dir, 'quiet.json', heartConfig({ name: 'quiet' })), '--quiet');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Study quiet: 8 complete, 0 failed\nBest trial/);
  });

  it('reproduces a study with the same --seed and differs with another', async () => {
    const path = writeIn(dir, 'seeded.json', heartConfig({ name: 'seeded' }));
    const best = async (seed: string) =>
      (lastJsonLine((await cli('run', path, '--seed', seed, '--json', '--quiet')).stdout) as Summary).best;
    const [a, b, c] = await Promise.all([best('11'), best('11'), best('12')]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('keeps the study beside the config by default and continues it; resume needs an existing study', async () => {
    const sub = tempDir('parzen-resume-');
    writeIn(sub, 'heart.mjs', heartModule);
    const config = heartConfig({ name: 'durable' });
    delete config.store;
    const path = writeIn(sub, 'durable.json', config);
    const missing = await cliIn(dir, 'resume', path);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Nothing to resume: .*durable/);

    expect((await cli('run', path, '--max-trials', '3', '--quiet')).code).toBe(0);
    expect(existsSync(join(sub, 'durable.parzen.jsonl'))).toBe(true);
    const resumed = await runParzen(['resume', path, '--max-trials', '5', '--json'], { cwd: dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/Resuming study durable \(3 trials so far, up to 5 trials\)/);
    expect((lastJsonLine(resumed.stdout) as Summary).trials.complete).toBe(5);
    const more = await cli('run', path, '--more-trials', '2', '--json', '--quiet');
    expect((lastJsonLine(more.stdout) as Summary).trials.complete).toBe(7);

    const csv = (await cli('trials', path, '--csv')).stdout.trim().split('\n');
    expect(csv[0]).toBe('study,number,state,loss,x,y,error_code,error_message,started_at,finished_at');
    expect(csv.slice(1).map((line) => line.split(',').slice(0, 3).join(','))).toEqual(
      [0, 1, 2, 3, 4, 5, 6].map((n) => `durable,${n},complete`),
    );
    const table = (await cli('trials', path)).stdout;
    expect(table.split('\n')[0]).toMatch(/^#\s+state\s+loss\s+x\s+y\s+error$/);
  });

  it('takes --store SPEC, with paths relative to the working directory', async () => {
    const path = writeIn(dir, 'stored.json', heartConfig({ name: 'stored' }));
    for (const spec of ['sqlite:./spec.db', 'jsonl:./spec.jsonl']) {
      const run = await cliIn(dir, 'run', path, '--store', spec, '--max-trials', '3', '--quiet');
      expect(run.code, run.stderr).toBe(0);
      const trials = lastJsonLine((await cliIn(dir, 'trials', path, '--store', spec, '--json')).stdout) as TrialJson[];
      expect(trials).toHaveLength(3);
    }
    expect(existsSync(join(dir, 'spec.db'))).toBe(true);
    expect(existsSync(join(dir, 'spec.jsonl'))).toBe(true);
    const bad = await cliIn(dir, 'run', path, '--store', 'a b');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--store "a b": expected NAME or NAME:PATH/);
  });

  it('validate checks without running, and schema prints the composed schema', async () => {
    const path = writeIn(dir, 'valid.json', heartConfig({ name: 'valid' }));
    const valid = await cli('validate', path);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toMatch(
      /valid\.json: valid: study valid; 2 parameters, objective module, suggester random, store memory/,
    );
    const bare = heartConfig({ name: 'bare' });
    delete bare.suggester;
    delete bare.store;
    const defaults = await cli('validate', writeIn(dir, 'bare.json', bare));
    expect(defaults.stdout).toMatch(
      /study bare; 2 parameters, objective module, suggester tpe \(parzen\), store jsonl/,
    );
    // Its pruner, stopper, concurrency and enqueued trials when the config sets them (user trial 27).
    const full = await cli(
      'validate',
      writeIn(
        dir,
        'full.json',
        heartConfig({
          name: 'full',
          pruner: { use: 'median' },
          stopper: { use: 'no-improvement', options: { trials: 5 } },
          concurrency: 4,
          enqueue: [{ x: 0, y: 0 }, { x: 1 }],
        }),
      ),
    );
    expect(full.stdout).toMatch(
      /budget \{"maxTrials":8\}, pruner median, stopper no-improvement, concurrency 4, 2 enqueued trials$/m,
    );
    expect(valid.stdout).toMatch(/budget \{"maxTrials":8\}$/m);
    const schema = JSON.parse((await cli('schema')).stdout) as {
      properties: Record<string, { properties?: { use: { enum: string[] } } }>;
    };
    const names = (slot: string) => schema.properties[slot]?.properties?.use.enum;
    expect(names('objective')).toEqual(expect.arrayContaining(['module', 'command']));
    expect(names('suggester')).toEqual(expect.arrayContaining(['random']));
    expect(names('store')).toEqual(expect.arrayContaining(['memory', 'jsonl', 'sqlite']));
    expect(schema.properties.matrix).toBeDefined();
  });
});
