/**
 * Store overhead per trial (createTrial + setParams + finishTrial + listTrials, as the run loop calls
 * them) while a study grows to 1,000 and 10,000 trials, and the time to load a study of that size
 * (open the store, openStudy, listTrials), for the JSONL journal and the SQLite store, with their default
 * fsync policy ('finish': one fsync per finished trial) and with 'never' (the store's own cost, no disk flush).
 *
 *   node --conditions=@parzen/source --import tsx bench/store-overhead.ts [--out bench/results/store-overhead.md]
 */
import type { TrialStore } from '@parzen/engine';
import { createJsonlStore } from '@parzen/store-file';
import { createSqliteStore } from '@parzen/store-sqlite';
import { machineLine, median, publish, STORES, type StoreKind, tempFolder } from './store-bench-utils.js';

type Fsync = 'finish' | 'never';
const openWith = (kind: StoreKind, path: string, fsync: Fsync): TrialStore =>
  kind === 'jsonl' ? createJsonlStore({ path, fsync }) : createSqliteStore({ path, fsync });

const SIZES = [1_000, 10_000] as const;
const TAIL = 1_000;
const space = { x: { type: 'uniform', low: 0, high: 1 }, y: { type: 'uniform', low: 0, high: 1 } } as const;
const spec = { name: 'bench', direction: 'minimize', seed: 1, space } as const;

interface Growth {
  /** Mean ms per trial over the whole study. */
  readonly mean: number;
  /** Mean ms per trial over the last 1,000 trials (the cost at the study's final size). */
  readonly tail: number;
}

const oneTrial = async (store: TrialStore, i: number): Promise<void> => {
  const lease = { owner: `bench:${process.pid}:a`, expiresAt: new Date(Date.now() + 60_000).toISOString() };
  const trial = await store.createTrial(spec.name, { lease, limit: Number.MAX_SAFE_INTEGER });
  if (trial === undefined) throw new Error('createTrial refused');
  await store.setParams(spec.name, trial.number, { x: (i % 97) / 97, y: (i % 89) / 89 });
  await store.finishTrial(spec.name, trial.number, { state: 'complete', value: i / 7 });
  await store.listTrials(spec.name);
};

const grow = async (store: TrialStore, size: number): Promise<Growth> => {
  await store.openStudy(spec);
  const start = performance.now();
  let tailStart = start;
  for (let i = 0; i < size; i++) {
    if (i === size - TAIL) tailStart = performance.now();
    await oneTrial(store, i);
  }
  const end = performance.now();
  return { mean: (end - start) / size, tail: (end - tailStart) / TAIL };
};

const load = async (kind: StoreKind, path: string, size: number): Promise<number> => {
  const times: number[] = [];
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    const store = STORES[kind].open(path);
    await store.openStudy(spec);
    const trials = await store.listTrials(spec.name);
    times.push(performance.now() - start);
    if (trials.length !== size) throw new Error(`loaded ${trials.length} trials, expected ${size}`);
    await store.close();
  }
  return median(times);
};

const rows: string[] = [];
for (const kind of Object.keys(STORES) as StoreKind[]) {
  for (const fsync of ['finish', 'never'] as const) {
    for (const size of SIZES) {
      const folder = tempFolder('store-overhead');
      try {
        const path = folder.path(`bench${STORES[kind].extension}`);
        const store = openWith(kind, path, fsync);
        const growth = await grow(store, size);
        await store.close();
        const loadMs = await load(kind, path, size);
        const row = `| ${kind} | ${fsync} | ${size.toLocaleString('en')} | ${growth.mean.toFixed(3)} | ${growth.tail.toFixed(3)} | ${loadMs.toFixed(1)} |`;
        rows.push(row);
        process.stderr.write(`${row}\n`);
      } finally {
        folder.remove();
      }
    }
  }
}

publish(
  [
    '# Store overhead per trial and load time',
    '',
    machineLine(),
    '',
    'Command: `node --conditions=@parzen/source --import tsx bench/store-overhead.ts`. One trial = createTrial (with a',
    'lease and a limit) + setParams + finishTrial + listTrials, in one process. fsync `finish` is the default (an fsync',
    'per finished trial; its cost is the disk\'s); `never` shows the store\'s own cost. "At N" is the mean over the',
    'last 1,000 trials of a study growing to N trials. Load =',
    'open a new store on the file + openStudy + listTrials of all N trials (median of 3).',
    '',
    '| store | fsync | trials | mean ms/trial | ms/trial at N | load ms |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n'),
);
