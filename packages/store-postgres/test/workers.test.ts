import { fileURLToPath } from 'node:url';
import type { Trial } from '@parzen/engine';
import {
  delay,
  expectDenseNumbers,
  expectFinishedKept,
  finishedTrials,
  runTo,
  spawnWorker,
  type WorkerHandle,
  type WorkerOptions,
  workerLoss,
} from '@parzen/test-kit';
import {
  type ClusterInfo,
  describePostgres,
  findPostgresBin,
  freshDatabase,
  removeCluster,
  startCluster,
  startServer,
  stopServer,
} from '@parzen/test-kit/postgres';
import { afterAll, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index.js';

const worker = (url: string, study: string, options: Partial<WorkerOptions>): WorkerHandle =>
  spawnWorker({
    stores: [
      {
        kind: 'postgres',
        path: url,
        module: fileURLToPath(new URL('../dist/index.js', import.meta.url)),
        factory: 'createPostgresStore',
        options: { url },
      },
    ],
    study,
    seed: 5,
    budget: { maxTrials: 1000 },
    sleepMs: 10,
    ...options,
  });

const listTrials = async (url: string, study: string): Promise<readonly Trial[]> => {
  const store = await createPostgresStore({ url });
  try {
    return await store.listTrials(study);
  } finally {
    await store.close();
  }
};

/** Every number announced once across the workers, and the union of what they announced. */
const announcedOnce = (workers: readonly WorkerHandle[]): Map<number, number | null> => {
  const all = new Map<number, number | null>();
  for (const handle of workers) {
    for (const [number, value] of finishedTrials(handle.events)) {
      expect(all.has(number), `trial #${number} announced twice`).toBe(false);
      all.set(number, value);
    }
  }
  return all;
};

const startTogether = async (workers: readonly WorkerHandle[]): Promise<void> => {
  await Promise.all(workers.map((w) => w.waitFor((event) => event.event === 'ready')));
  for (const w of workers) w.child.stdin?.write('go\n');
};

describePostgres('postgres store with real worker processes', () => {
  it('runs 8 processes x 25 trials on one study: 200 unique, dense numbers, all complete', {
    timeout: 180_000,
  }, async () => {
    const { url } = await freshDatabase('parallel');
    const workers = Array.from({ length: 8 }, () =>
      worker(url, 'parallel', { budget: { maxTrials: 200 }, sleepMs: 20, waitForGo: true }),
    );
    await startTogether(workers);
    await Promise.all(workers.map(runTo));
    const trials = await listTrials(url, 'parallel');
    expect(trials).toHaveLength(200);
    expectDenseNumbers(trials);
    expect(trials.every((trial) => trial.state === 'complete')).toBe(true);
    const announced = announcedOnce(workers);
    expect(announced.size).toBe(200);
    expectFinishedKept(trials, announced);
    for (const [index, handle] of workers.entries())
      expect(finishedTrials(handle.events).size, `worker ${index}`).toBeGreaterThan(0);
    for (const trial of trials)
      if (trial.state === 'complete')
        expect(trial.loss).toBe(workerLoss(trial.internal.x ?? NaN, trial.internal.y ?? NaN));
  });

  it('kill -9 of a worker: its leases stop being renewed, expire, and the next run fails its trials as STALE_TRIAL', {
    timeout: 120_000,
  }, async () => {
    const { url } = await freshDatabase('kill');
    const victim = worker(url, 'kill', { concurrency: 2, sleepMs: 60_000, leaseMs: 1_500 });
    await victim.waitFor((_, all) => all.filter((event) => event.event === 'started').length === 2);
    const leaseOf = (trial: Trial | undefined) => (trial?.state === 'running' ? trial.lease : undefined);
    const first = await listTrials(url, 'kill');
    await delay(900); // renewed every leaseMs / 3 while the objective runs
    const renewed = await listTrials(url, 'kill');
    expect(renewed.map((trial) => trial.state)).toEqual(['running', 'running']);
    expect(leaseOf(renewed[0])?.owner).toContain(`:${victim.child.pid}:`);
    expect(Date.parse(leaseOf(renewed[0])?.expiresAt ?? '')).toBeGreaterThan(
      Date.parse(leaseOf(first[0])?.expiresAt ?? ''),
    );
    victim.child.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');
    // The leases as the victim left them (it may have renewed them once more before the kill).
    const dead = await listTrials(url, 'kill');
    const expiry = Math.max(...dead.map((trial) => Date.parse(leaseOf(trial)?.expiresAt ?? '')));
    await delay(expiry - Date.now() + 50);
    expect(expiry).toBeLessThan(Date.now()); // expired, and nothing renewed them meanwhile:
    expect(await listTrials(url, 'kill')).toEqual(dead);

    await runTo(worker(url, 'kill', { budget: { moreTrials: 3 }, sleepMs: 1 }));
    const trials = await listTrials(url, 'kill');
    expectDenseNumbers(trials);
    expect(trials.map((trial) => trial.state)).toEqual(['failed', 'failed', 'complete', 'complete', 'complete']);
    for (const trial of trials.slice(0, 2)) {
      expect(trial).toMatchObject({ error: { code: 'STALE_TRIAL' } });
      expect(trial.state === 'failed' ? trial.error.message : '').toContain(`:${victim.child.pid}:`);
    }
  });
});

describePostgres('postgres store while the server restarts', () => {
  const bin = findPostgresBin();
  let cluster: ClusterInfo | undefined;
  afterAll(async () => {
    if (cluster !== undefined) await removeCluster(cluster);
  });

  // Its own cluster: stopping the shared one would pull the server from under other test files.
  it.skipIf(bin === undefined)(
    'workers retry through pg_ctl stop -m fast and start: nothing finished is lost, the run completes',
    { timeout: 120_000 },
    async () => {
      cluster = await startCluster(bin ?? '');
      const url = cluster.adminUrl;
      const workers = Array.from({ length: 3 }, () =>
        worker(url, 'restart', { budget: { maxTrials: 60 }, sleepMs: 40, concurrency: 2, waitForGo: true }),
      );
      await startTogether(workers);
      const finishedSoFar = () => workers.reduce((sum, w) => sum + finishedTrials(w.events).size, 0);
      await Promise.race(workers.map((w) => w.waitFor(() => finishedSoFar() >= 12)));
      await stopServer(cluster, 'fast');
      await delay(300); // lines the workers printed before the stop have arrived
      const beforeStop = finishedSoFar();
      await delay(1_200);
      const duringOutage = finishedSoFar();
      await startServer(cluster);
      await Promise.all(workers.map(runTo));
      expect(duringOutage).toBe(beforeStop); // nothing could finish while the server was down
      const trials = await listTrials(url, 'restart');
      expect(trials).toHaveLength(60);
      expectDenseNumbers(trials);
      expect(trials.filter((trial) => trial.state !== 'complete')).toEqual([]);
      const announced = announcedOnce(workers);
      expect(announced.size).toBe(60);
      expectFinishedKept(trials, announced);
    },
  );
});
