import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTpeSuggester } from '@parzen/algo-tpe';
import type { CompleteTrial, Trial } from '@parzen/engine';
import { Study } from '@parzen/engine';
import { createSqliteStore } from '@parzen/store-sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { trainAndScore } from './model.js';
import { noImprovementStopper } from './stopping-rule.js';
import { space, tune } from './tuner.js';

const dirs: string[] = [];
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-custom-tuner-'));
  dirs.push(dir);
  return join(dir, 'study.db');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const quiet = () => {
  const lines: string[] = [];
  return { lines, write: (line: string) => lines.push(line) };
};

const complete = (number: number, value: number): CompleteTrial => ({
  study: 's',
  number,
  internal: {},
  startedAt: '',
  finishedAt: '',
  state: 'complete',
  loss: value,
});

describe('the custom tuner', () => {
  it('runs ask/tell into SQLite, then resumes the same study with its history intact', async () => {
    const db = tempDb();
    const first = quiet();
    const run1 = await tune({ db, maxTrials: 6, patience: 100, write: first.write });
    expect(run1).toMatchObject({ existingTrials: 0, ran: 6, reason: 'max-trials' });
    expect(run1.trials.map((trial) => trial.state)).toEqual(Array(6).fill('complete'));
    expect(first.lines[0]).toBe(`New study logistic in ${db}`);
    expect(first.lines.filter((line) => /^#\d+ loss \d\.\d{4}/.test(line))).toHaveLength(6);
    expect(first.lines[1]).toMatch(/^#0 loss [\d.]+ \* /); // the first trial is always a new best
    expect(first.lines.at(-2)).toMatch(/^6 trials this run, best loss \d/);

    const second = quiet();
    const run2 = await tune({ db, maxTrials: 10, patience: 100, write: second.write });
    expect(run2).toMatchObject({ existingTrials: 6, ran: 4, reason: 'max-trials' });
    expect(second.lines[0]).toMatch(/^Resuming study logistic: 6 trials so far, best #\d+, loss/);
    expect(run2.trials.slice(0, 6)).toEqual(run1.trials);
    // The reporter knows the resumed study's best: a star marks only trials that beat it.
    let runningBest = run1.best?.loss ?? Number.POSITIVE_INFINITY;
    const expected = run2.trials.slice(6).map((trial) => {
      const improved = trial.state === 'complete' && trial.loss < runningBest;
      if (improved) runningBest = trial.loss;
      return improved;
    });
    const trialLines = second.lines.filter((line) => /^#\d+ /.test(line));
    expect(trialLines.map((line) => / \* /.test(line))).toEqual(expected);
    expect(run2.trials.map((trial) => trial.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // The stored loss is the program's real loss for the stored params.
    const last = run2.trials[9] as CompleteTrial;
    const store = createSqliteStore({ path: db });
    const study = await Study.open({ name: 'logistic', space, suggester: createTpeSuggester(), store, seed: 1 });
    const best = await study.best();
    await store.close();
    expect(best?.loss).toBe(run2.best?.loss);
    expect(last.loss).toBeGreaterThan(0);
  });

  it('fails a trial left running by a killed run when it resumes', async () => {
    const db = tempDb();
    await tune({ db, maxTrials: 2, patience: 100, write: () => {} });
    const store = createSqliteStore({ path: db });
    const study = await Study.open({ name: 'logistic', space, suggester: createTpeSuggester(), store, seed: 1 });
    const orphan = await study.ask(); // asked, never told: the process "died" here
    await store.close();
    const run = await tune({ db, maxTrials: 4, patience: 100, write: () => {} });
    const failed = run.trials[orphan.number] as Trial;
    expect(failed.state).toBe('failed');
    // Cut short, as the README's restart recipe tells (review 145: it was failed OBJECTIVE_THREW, the objective's).
    expect(failed.state === 'failed' && failed.error).toMatchObject({
      code: 'INTERRUPTED',
      message: 'left running by an earlier run',
    });
    expect(run.trials.filter((trial) => trial.state === 'running')).toEqual([]);
  });

  it('stops asking once its signal fires, as interrupted', async () => {
    const controller = new AbortController();
    const out = quiet();
    const write = (line: string) => {
      out.write(line);
      if (/^#1 /.test(line)) controller.abort();
    };
    const run = await tune({ db: tempDb(), maxTrials: 20, patience: 100, write, signal: controller.signal });
    expect(run).toMatchObject({ ran: 2, reason: 'interrupted' });
    expect(out.lines.at(-1)).toMatch(/^Stopped \(interrupted\)\. Study logistic: 2 trials/);
  });

  it('ends the study by its stopping rule before the trial budget', async () => {
    const run = await tune({ db: tempDb(), maxTrials: 200, patience: 3, write: () => {} });
    expect(run.reason).toBe('no improvement of 1% in the last 3 trials');
    expect(run.ran).toBeLessThan(200);
    const losses = run.trials.map((trial) => (trial.state === 'complete' ? trial.loss : Number.POSITIVE_INFINITY));
    const before = Math.min(...losses.slice(0, -3));
    expect(Math.min(...losses.slice(-3))).toBeGreaterThan(before * 0.99);
  });
});

describe('the stopping rule', () => {
  const stopper = noImprovementStopper({ patience: 2, minRelativeImprovement: 0.01 });
  const ask = (values: number[]) => {
    const trials = values.map((value, i) => complete(i, value));
    return stopper.shouldStop({
      study: 's',
      direction: 'minimize',
      trial: trials.at(-1) as CompleteTrial,
      trials,
      best: undefined,
    });
  };

  it('waits for more than `patience` trials', () => {
    expect(ask([1, 1])).toBeUndefined();
  });

  it('stops when the last trials improved by less than the threshold, and not when they improved more', () => {
    expect(ask([1, 0.995, 0.999])).toBe('no improvement of 1% in the last 2 trials');
    expect(ask([1, 2, 0.98])).toBeUndefined();
  });
});

describe('the tuned program', () => {
  it('is deterministic and learns: a sensible setting beats a learning rate too small to move', () => {
    const good = { learningRate: 0.1, epochs: 20, l2: 1e-4, batchSize: 16, optimizer: 'sgd' } as const;
    expect(trainAndScore(good)).toBe(trainAndScore(good));
    expect(trainAndScore(good)).toBeLessThan(0.4);
    expect(trainAndScore({ ...good, learningRate: 1e-4, epochs: 5 })).toBeGreaterThan(0.65);
  });
});
