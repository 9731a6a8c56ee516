import type { Trial, TrialStore } from '@parzen/engine';
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../store-sqlite/src/index.js';
import { createJsonlStore } from './jsonl-store.js';
import { finishedTrials, spawnWorker, type WorkerHandle } from './test-fixtures/spawn-worker.js';
import { delay, expectDenseNumbers, expectFinishedKept, listWith, runTo } from './test-fixtures/store-checks.js';
import { useTempDir } from './test-fixtures/temp-dir.js';
import type { StoreKind, StoreTarget } from './test-fixtures/worker-spec.js';

const ROUNDS = 5;
const VICTIMS = 4;
const tempPath = useTempDir('crash');
type FileTarget = StoreTarget & { readonly kind: 'jsonl' | 'sqlite' };
const openers: Readonly<Record<FileTarget['kind'], (path: string) => TrialStore>> = {
  jsonl: (path) => createJsonlStore({ path, onWarning: () => undefined }),
  sqlite: (path) => createSqliteStore({ path }),
};

/** Starts a victim on both stores and kills it with SIGKILL at a random moment after it has loaded. */
const killAtRandom = async (targets: readonly StoreTarget[]): Promise<WorkerHandle> => {
  const sleepMs = 2 + Math.floor(Math.random() * 15);
  const victim = spawnWorker({
    stores: targets,
    study: 'crash',
    seed: 5,
    budget: { maxTrials: 100_000 },
    sleepMs,
    concurrency: 2,
  });
  await victim.waitFor((event) => event.event === 'ready');
  await delay(Math.random() * 600);
  victim.child.kill('SIGKILL');
  expect((await victim.exited).signal).toBe('SIGKILL');
  return victim;
};

// Each victim process runs the study on the journal and on the SQLite database at once, so every kill
// interrupts both stores at a random point: allocating, writing params, evaluating or finishing.
describe('kill -9 and resume, on the jsonl and the sqlite store', () => {
  it(`keeps every finished trial through ${ROUNDS * VICTIMS} kill -9s, without duplicates, and fails the stale trials on resume`, {
    timeout: 240_000,
  }, async () => {
    const targets: FileTarget[] = [
      { kind: 'jsonl', path: tempPath('crash.parzen.jsonl') },
      { kind: 'sqlite', path: tempPath('crash.parzen.db') },
    ];
    const announced = new Map<StoreKind, Map<number, number | null>>(targets.map((target) => [target.kind, new Map()]));
    const list = (target: FileTarget) => listWith(openers[target.kind], target.path, 'crash');
    for (let round = 0; round < ROUNDS; round++) {
      // Four victims share the stores and are killed independently: some die while the others run.
      const victims = await Promise.all(Array.from({ length: VICTIMS }, () => killAtRandom(targets)));
      for (const target of targets) {
        const known = announced.get(target.kind) ?? new Map();
        for (const [number, value] of victims.flatMap((victim) => [...finishedTrials(victim.events, target.kind)])) {
          expect(known.has(number), `${target.kind} trial #${number} announced twice`).toBe(false);
          known.set(number, value);
        }
        const trials = await list(target).catch((error: { code?: string }): Trial[] => {
          if (error.code === 'STUDY_NOT_FOUND') return []; // killed before it created the study
          throw error;
        });
        expectDenseNumbers(trials);
        expectFinishedKept(trials, known);
      }
    }
    const before = await Promise.all(targets.map(list));
    await runTo(spawnWorker({ stores: targets, study: 'crash', seed: 5, budget: { moreTrials: 5 }, sleepMs: 1 }));
    for (const [index, target] of targets.entries()) {
      const trials = await list(target);
      const previous = before[index] ?? [];
      expect(trials).toHaveLength(previous.length + 5);
      expectDenseNumbers(trials);
      expectFinishedKept(trials, announced.get(target.kind) ?? new Map());
      expect(trials.filter((trial) => trial.state === 'running')).toEqual([]);
      for (const trial of previous.filter((t) => t.state === 'running')) {
        expect(trials[trial.number], `${target.kind} #${trial.number}`).toMatchObject({
          state: 'failed',
          error: { code: 'STALE_TRIAL' },
        });
      }
      // A trial is complete, or a stale one that a killed worker left running.
      for (const trial of trials.filter((t) => t.state !== 'complete'))
        expect(trial).toMatchObject({ error: { code: 'STALE_TRIAL' } });
      expect(announced.get(target.kind)?.size).toBeGreaterThan(0);
    }
  });
});
