/**
 * Store overhead per trial (createTrial + the run loop's read of the study (listTrialsSince when the store has it, else listTrials) + setParams + finishTrial, as the run loop calls
 * them) while a study grows to 1,000 and 10,000 trials, and the time to load a study of that size
 * (open the store, openStudy, listTrials), for the JSONL journal and the SQLite store, with their default
 * fsync policy ('finish': one fsync per finished trial) and with 'never' (the store's own cost, no disk flush).
 *
 *   node --conditions=@parzen/source --import tsx bench/store-overhead.ts [--out bench/results/store-overhead.md]
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { TrialStore } from '@parzen/engine';
import { createJsonlStore } from '@parzen/store-file';
import { createSqliteStore } from '@parzen/store-sqlite';
import { checkFlags } from './run-flags.js';
import {
  grow,
  loadMs,
  machineLine,
  markdownTable,
  median,
  publish,
  STORES,
  type StoreKind,
  tempFolder,
} from './store-bench-utils.js';

checkFlags('store-overhead');

type Fsync = 'finish' | 'never';
const openWith = (kind: StoreKind, path: string, fsync: Fsync): TrialStore =>
  kind === 'jsonl' ? createJsonlStore({ path, fsync }) : createSqliteStore({ path, fsync });

const SIZES = [1_000, 10_000] as const;

/** Median time of a 100-byte append plus fsync on the temp folder's disk: the floor of fsync 'finish'. */
const rawFsyncMs = (): number => {
  const folder = tempFolder('store-fsync');
  const fd = openSync(folder.path('probe'), 'a');
  const times: number[] = [];
  try {
    for (let i = 0; i < 200; i++) {
      const start = performance.now();
      writeSync(fd, `${'x'.repeat(99)}\n`);
      fsyncSync(fd);
      times.push(performance.now() - start);
    }
  } finally {
    closeSync(fd);
    folder.remove();
  }
  return median(times);
};

const fsyncBefore = rawFsyncMs();
const rows: string[][] = [];
for (const kind of Object.keys(STORES) as StoreKind[]) {
  for (const fsync of ['finish', 'never'] as const) {
    for (const size of SIZES) {
      const folder = tempFolder('store-overhead');
      try {
        const path = folder.path(`bench${STORES[kind].extension}`);
        const store = openWith(kind, path, fsync);
        const growth = await grow(store, size);
        await store.close();
        const load = await loadMs(() => STORES[kind].open(path), size);
        const row = [
          kind,
          fsync,
          size.toLocaleString('en'),
          growth.mean.toFixed(3),
          growth.tailMean.toFixed(3),
          growth.tailMedian.toFixed(3),
          load.toFixed(1),
        ];
        rows.push(row);
        process.stderr.write(`${row.join(' | ')}\n`);
      } finally {
        folder.remove();
      }
    }
  }
}

const fsyncAfter = rawFsyncMs();
publish(
  [
    '# Store overhead per trial and load time',
    '',
    machineLine(),
    '',
    'Command: `node --conditions=@parzen/source --import tsx bench/store-overhead.ts`. One trial = createTrial (with a',
    "lease and a limit) + the read that refreshes the run loop's copy of the study (listTrialsSince when the store has it, else listTrials) + setParams + finishTrial, in one process. fsync `finish` is the default (an fsync",
    'per finished trial; its cost is the disk\'s); `never` shows the store\'s own cost. "At N": over the last 1,000',
    "trials of a study growing to N trials (the median is robust to other jobs' disk flushes). Load =",
    'open a new store on the file + openStudy + listTrials of all N trials (median of 3).',
    '',
    `A bare 100-byte append + fsync on this disk took ${fsyncBefore.toFixed(3)} ms (median) before the runs and`,
    `${fsyncAfter.toFixed(3)} ms after; the \`finish\` rows pay about one of those per trial on top of the \`never\` rows.`,
    '',
    markdownTable(
      ['store', 'fsync', 'trials N', 'mean ms/trial', 'mean ms/trial at N', 'median ms/trial at N', 'load ms'],
      [false, false, true, true, true, true, true],
      rows,
    ),
  ].join('\n'),
);
