/**
 * Throughput of 1, 2 and 4 worker processes sharing one study on one store file, with an objective
 * that sleeps 100 ms. Each process is the durability tests' fixture worker (random search, the engine's
 * run loop); all start together once loaded, and the study's budget is 30 trials per process.
 * Throughput is trials / (last finish - first start), from the timestamps the store recorded, so process
 * start-up (loading Node modules) is not counted; the wall time from "go" to the last exit is shown too.
 *
 *   node --conditions=@parzen/source --import tsx bench/store-throughput.ts [--out bench/results/store-throughput.md]
 */

import { checkFlags } from './run-flags.js';
import {
  machineLine,
  markdownTable,
  measureThroughput,
  publish,
  STORES,
  type StoreKind,
  type ThroughputRun,
  tempFolder,
} from './store-bench-utils.js';

checkFlags('store-throughput');

const PROCESSES = [1, 2, 4] as const;
const trialsPerProcess = 30;
const sleepMs = 100;

const measure = async (kind: StoreKind, processes: number): Promise<ThroughputRun> => {
  const folder = tempFolder('store-throughput');
  try {
    const path = folder.path(`bench${STORES[kind].extension}`);
    const list = async () => {
      const store = STORES[kind].open(path);
      try {
        return await store.listTrials('throughput');
      } finally {
        await store.close();
      }
    };
    const target = { kind, path, module: STORES[kind].module, factory: STORES[kind].factory };
    return await measureThroughput({ target, study: 'throughput', processes, trialsPerProcess, sleepMs, list });
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
    `engine loop (random search, concurrency 1) on one shared study; the objective sleeps ${sleepMs} ms; the budget is`,
    `${trialsPerProcess} trials per process (maxTrials, enforced by the store across processes). Trials/s is measured`,
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
