/**
 * The PostgreSQL store: overhead per trial while a study grows to 10,000 and 100,000 trials, the time to
 * load a study of that size, and the throughput of 1, 4 and 8 worker processes on a 100 ms objective.
 * It starts a throwaway PostgreSQL cluster with the server's default durability (fsync on, synchronous
 * commits) on a free loopback port, or uses `PARZEN_BENCH_POSTGRES_URL`.
 *
 *   node --conditions=@parzen/source --import tsx bench/store-postgres.ts [--out bench/results/store-postgres.md]
 *   (--quick: 1,000 and 10,000 trials, for a smoke run)
 */

import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Trial } from '@parzen/engine';
import { createPostgresStore } from '@parzen/store-postgres';
import { createSqliteStore } from '@parzen/store-sqlite';
import {
  type ClusterInfo,
  createDatabase,
  findPostgresBin,
  removeCluster,
  startCluster,
} from '@parzen/test-kit/postgres/cluster';
import { checkFlags } from './run-flags.js';
import {
  grow,
  loadMs,
  machineLine,
  markdownTable,
  measureThroughput,
  publish,
  tempFolder,
} from './store-bench-utils.js';

checkFlags('store-postgres');

const SIZES = process.argv.includes('--quick') ? [1_000, 10_000] : [10_000, 100_000];
const PROCESSES = [1, 4, 8] as const;
const TRIALS_PER_PROCESS = 30;
const SLEEP_MS = 100;

const server = async (): Promise<{ url: string; cluster?: ClusterInfo }> => {
  const external = process.env.PARZEN_BENCH_POSTGRES_URL;
  if (external) return { url: external };
  const bin = findPostgresBin();
  if (bin === undefined) throw new Error('No PostgreSQL under /usr/lib/postgresql: apt-get install -y postgresql');
  const cluster = await startCluster(bin, []);
  await createDatabase(cluster, 'parzen_bench');
  return { url: cluster.adminUrl.replace(/\/postgres$/, '/parzen_bench'), cluster };
};

const serverVersion = (cluster: ClusterInfo | undefined): string =>
  cluster === undefined
    ? 'the server at PARZEN_BENCH_POSTGRES_URL'
    : execFileSync(`${cluster.bin}/postgres`, ['--version'], { encoding: 'utf8' }).trim();

/**
 * The SQLite store's median ms per trial over 1,000 trials (fsync 'finish'), measured now: the machine is
 * shared, and this puts the PostgreSQL numbers next to a store whose quiet-machine cost is known
 * (bench/results/store-overhead.md).
 */
const sqliteReference = async (): Promise<number> => {
  const folder = tempFolder('store-postgres-reference');
  try {
    const store = createSqliteStore({ path: folder.path('reference.parzen.db') });
    const growth = await grow(store, 1_000, 'reference', 500);
    await store.close();
    return growth.tailMedian;
  } finally {
    folder.remove();
  }
};

const listOf = (url: string, study: string) => async (): Promise<readonly Trial[]> => {
  const store = await createPostgresStore({ url });
  try {
    return await store.listTrials(study);
  } finally {
    await store.close();
  }
};

const { url, cluster } = await server();
try {
  const referenceBefore = await sqliteReference();
  const overheadRows: string[][] = [];
  for (const size of SIZES) {
    const study = `overhead-${size}`;
    const store = await createPostgresStore({ url });
    const growth = await grow(store, size, study);
    await store.close();
    const load = await loadMs(() => createPostgresStore({ url }), size, study);
    const row = [
      size.toLocaleString('en'),
      growth.mean.toFixed(3),
      growth.tailMean.toFixed(3),
      growth.tailMedian.toFixed(3),
      load.toFixed(0),
    ];
    overheadRows.push(row);
    process.stderr.write(`${row.join(' | ')}\n`);
  }

  const throughputRows: string[][] = [];
  let single: number | undefined;
  for (const processes of PROCESSES) {
    const study = `throughput-${processes}`;
    const run = await measureThroughput({
      target: {
        kind: 'postgres',
        path: url,
        module: createRequire(import.meta.url).resolve('@parzen/store-postgres'),
        factory: 'createPostgresStore',
        options: { url },
      },
      study,
      processes,
      trialsPerProcess: TRIALS_PER_PROCESS,
      sleepMs: SLEEP_MS,
      list: listOf(url, study),
    });
    single ??= run.perSecond;
    const row = [
      `${processes}`,
      `${run.trials}`,
      run.perSecond.toFixed(2),
      `${(run.perSecond / single).toFixed(2)}x`,
      run.wallSeconds.toFixed(2),
    ];
    throughputRows.push(row);
    process.stderr.write(`${row.join(' | ')}\n`);
  }

  const referenceAfter = await sqliteReference();
  publish(
    [
      '# PostgreSQL store: overhead, load time and throughput',
      '',
      machineLine(),
      '',
      `Server: ${serverVersion(cluster)}, a throwaway cluster on 127.0.0.1 on the same machine, default settings`,
      '(fsync on, synchronous commits, shared_buffers 128 MB); the store with its defaults (pool of 4).',
      'Command: `node --conditions=@parzen/source --import tsx bench/store-postgres.ts`.',
      '',
      '## Overhead per trial and load time',
      '',
      'One trial = createTrial (with a lease and a limit) + listTrialsSince (the trials changed since the last',
      'call: how the run loop refreshes its copy of the study before a suggestion) + setParams + finishTrial, in one',
      'process, as the run loop calls them: four round trips, three of them commits. "At N": over the last 1,000 trials of',
      'a study growing to N trials. Load = open a new store (connect, check the schema) + openStudy + listTrials of',
      'all N trials (median of 3). Target: at most 5 ms per trial at 100,000 trials.',
      '',
      `Reference, the same machine at the same time: the SQLite store (fsync \`finish\`) took ${referenceBefore.toFixed(2)} ms`,
      `per trial (median over 1,000 trials) before these runs and ${referenceAfter.toFixed(2)} ms after; on a quiet machine it`,
      'takes about 0.45 ms (bench/results/store-overhead.md).',
      '',
      markdownTable(
        ['trials N', 'mean ms/trial', 'mean ms/trial at N', 'median ms/trial at N', 'load ms'],
        [true, true, true, true, true],
        overheadRows,
      ),
      '',
      '## Throughput with parallel worker processes',
      '',
      `Each process runs the engine loop (random search, concurrency 1) on one shared study; the objective sleeps`,
      `${SLEEP_MS} ms; the budget is ${TRIALS_PER_PROCESS} trials per process (maxTrials, enforced by the store across`,
      'processes). Trials/s is measured from the store\'s timestamps (first start to last finish); "wall" is from',
      'releasing the loaded workers to the last exit. The ideal is 10 trials/s per process. Target: at least 3.5x',
      'with 4 processes on this 2-core machine.',
      '',
      markdownTable(
        ['processes', 'trials', 'trials/s', 'speed-up', 'wall s'],
        [true, true, true, true, true],
        throughputRows,
      ),
    ].join('\n'),
  );
} finally {
  if (cluster !== undefined) await removeCluster(cluster);
}
