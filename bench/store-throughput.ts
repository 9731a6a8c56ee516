/**
 * Throughput of 1, 2 and 4 worker processes sharing one study on one store file, with an objective
 * that sleeps 100 ms. Each process is the durability tests' fixture worker (random search, the engine's
 * run loop); all start together once loaded, and the study's budget is 30 trials per process.
 * Throughput is trials / (last finish - first start), from the timestamps the store recorded, so process
 * start-up (loading Node modules) is not counted; the wall time from "go" to the last exit is shown too.
 *
 *   node --conditions=@parzen/source --import tsx bench/store-throughput.ts [--out bench/results/store-throughput.md]
 */
import type { Trial } from '@parzen/engine';
import { spawnWorker } from '@parzen/test-kit';
import { machineLine, markdownTable, publish, STORES, type StoreKind, tempFolder } from './store-bench-utils.js';

const PROCESSES = [1, 2, 4] as const;
const TRIALS_PER_PROCESS = 30;
const SLEEP_MS = 100;

interface Run {
  readonly trials: number;
  readonly perSecond: number;
  readonly wallSeconds: number;
}

const span = (trials: readonly Trial[]): number => {
  const starts = trials.map((trial) => Date.parse(trial.startedAt));
  const ends = trials.map((trial) => ('finishedAt' in trial ? Date.parse(trial.finishedAt) : Number.NaN));
  return (Math.max(...ends) - Math.min(...starts)) / 1000;
};

const measure = async (kind: StoreKind, processes: number): Promise<Run> => {
  const folder = tempFolder('store-throughput');
  try {
    const path = folder.path(`bench${STORES[kind].extension}`);
    const budget = { maxTrials: TRIALS_PER_PROCESS * processes };
    const workers = Array.from({ length: processes }, () =>
      spawnWorker({
        stores: [{ kind, path, module: STORES[kind].module, factory: STORES[kind].factory }],
        study: 'throughput',
        seed: 1,
        budget,
        sleepMs: SLEEP_MS,
        waitForGo: true,
      }),
    );
    await Promise.all(workers.map((worker) => worker.waitFor((event) => event.event === 'ready')));
    const go = performance.now();
    for (const worker of workers) worker.child.stdin?.write('go\n');
    const exits = await Promise.all(workers.map((worker) => worker.exited));
    const wallSeconds = (performance.now() - go) / 1000;
    if (exits.some((exit) => exit.code !== 0))
      throw new Error(`a worker failed: ${workers.map((w) => w.stderr()).join('\n')}`);
    const store = STORES[kind].open(path);
    const trials = await store.listTrials('throughput');
    await store.close();
    if (trials.length !== budget.maxTrials || trials.some((trial) => trial.state !== 'complete')) {
      throw new Error(`expected ${budget.maxTrials} complete trials, found ${trials.length}`);
    }
    return { trials: trials.length, perSecond: trials.length / span(trials), wallSeconds };
  } finally {
    folder.remove();
  }
};

const rows: string[][] = [];
for (const kind of Object.keys(STORES) as StoreKind[]) {
  let single: number | undefined;
  for (const processes of PROCESSES) {
    const run = await measure(kind, processes);
    single ??= run.perSecond;
    const speedUp = `${(run.perSecond / single).toFixed(2)}x`;
    const row = [kind, `${processes}`, `${run.trials}`, run.perSecond.toFixed(2), speedUp, run.wallSeconds.toFixed(2)];
    rows.push(row);
    process.stderr.write(`${row.join(' | ')}\n`);
  }
}

publish(
  [
    '# Store throughput with parallel worker processes',
    '',
    machineLine(),
    '',
    'Command: `node --conditions=@parzen/source --import tsx bench/store-throughput.ts`. Each process runs the',
    `engine loop (random search, concurrency 1) on one shared study; the objective sleeps ${SLEEP_MS} ms; the budget is`,
    `${TRIALS_PER_PROCESS} trials per process (maxTrials, enforced by the store across processes). Trials/s is measured`,
    'from the store\'s timestamps (first start to last finish); "wall" is from releasing the loaded workers to the',
    'last exit. The ideal with a 100 ms objective is 10 trials/s per process.',
    '',
    markdownTable(
      ['store', 'processes', 'trials', 'trials/s', 'speed-up', 'wall s'],
      [false, true, true, true, true, true],
      rows,
    ),
  ].join('\n'),
);
