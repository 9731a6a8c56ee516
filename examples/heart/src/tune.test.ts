import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess, tempFolder } from '@parzen/test-kit';
import { describe, expect, it } from 'vitest';
import { heart } from './heart.js';

const here = dirname(fileURLToPath(import.meta.url));
const tuner = join(here, '..', 'dist', 'tune.js');

interface HeartResult {
  best: { number: number; loss: number; params: { learningRate: number; sizeOfHiddenLayer: number } };
  trials: { complete: number; failed: number };
}

/** Runs the built example (asynchronously, so that the cases of this file run side by side). */
const tune = async (args: string[]) => {
  if (!existsSync(tuner)) throw new Error(`${tuner} is missing: build first (npx pnpm build)`);
  const result = await runProcess(process.execPath, [tuner, ...args]);
  const lines = result.stdout.trim().split('\n');
  return { status: result.status, stderr: result.stderr, json: JSON.parse(lines.at(-1) ?? '{}') as HeartResult };
};

describe.concurrent('the heart example', () => {
  it('keeps the program free of tuning code', () => {
    expect(readFileSync(join(here, 'heart.ts'), 'utf8')).not.toContain("from '@parzen/");
    expect(heart(2, -2)).toBe(-375);
  });

  it('prints its usage for --help, and refuses an unknown flag or a bad number with exit 2 (it ran a default study)', async () => {
    const help = await runProcess(process.execPath, [tuner, '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: node examples\/heart\/dist\/tune\.js/);
    for (const [args, message] of [
      [['--max-trial', '5'], 'unknown flag "--max-trial"'],
      [['--seed', 'x'], '--seed expects an integer, found "x"'],
      [['--max-trials'], '--max-trials needs a value'],
    ] as const) {
      const run = await runProcess(process.execPath, [tuner, ...args]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).toContain('Usage:');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('prints its best trial as JSON, stores every trial and resumes', async () => {
    const store = join(tempFolder('parzen-heart-'), 'heart.jsonl');
    const first = await tune(['--seed', '5', '--max-trials', '25', '--store', store, '--json']);
    expect(first.status).toBe(0);
    expect(first.json.trials).toEqual({ complete: 25, failed: 0, pruned: 0, running: 0 });
    const { learningRate, sizeOfHiddenLayer } = first.json.best.params;
    expect(first.json.best.loss).toBe(heart(learningRate, sizeOfHiddenLayer));
    expect(first.stderr).toContain(`Best trial #${first.json.best.number}`);
    const lines = readFileSync(store, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(25);
    // With the `--` that `pnpm heart -- --flags` hands on, as the README writes it (trial 34: exit 2).
    const resumed = await tune(['--', '--seed', '5', '--max-trials', '40', '--store', store, '--json']);
    expect(resumed.json.trials.complete).toBe(40);
    expect(resumed.json.best.loss).toBeLessThanOrEqual(first.json.best.loss);
  });

  it('reproduces a study from its seed', async () => {
    const dir = tempFolder('parzen-heart-');
    const seeded = (file: string) =>
      tune(['--seed', '9', '--max-trials', '15', '--suggester', 'random', '--store', join(dir, file), '--json']);
    const [a, b] = await Promise.all([seeded('a.jsonl'), seeded('b.jsonl')]);
    expect(b.json).toEqual(a.json);
  });

  it('stops on Ctrl-C: the summary, exit 130, every trial in the store finished (issue 9)', async () => {
    if (!existsSync(tuner)) throw new Error(`${tuner} is missing: build first (npx pnpm build)`);
    const store = join(tempFolder('parzen-heart-'), 'heart.jsonl');
    const child = spawn(process.execPath, [
      tuner,
      '--max-trials',
      '1000000',
      '--suggester',
      'random',
      '--store',
      store,
    ]);
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!sent && /trial #20 loss/.test(stdout)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/Stopping: finishing the running trial/);
    expect(stdout).toMatch(/Study heart-random-seed1 stopped \(interrupted\): \d+ complete, 0 failed/);
    const records = readFileSync(store, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { op: string });
    const created = records.filter((record) => record.op === 'trial').length;
    expect(records.filter((record) => record.op === 'finish').length).toBe(created);
    expect(created).toBeLessThan(100_000);
  });
});
