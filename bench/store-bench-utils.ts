/**
 * Helpers shared by the store benchmarks: the machine description, writing a results file, the per-trial
 * overhead and load-time measurements, and the throughput of parallel worker processes.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Trial, TrialStore } from '@parzen/engine';
import { createJsonlStore } from '@parzen/store-file';
import { createSqliteStore } from '@parzen/store-sqlite';
import { type StoreTarget, spawnWorker } from '@parzen/test-kit';

/**
 * A package's built entry, for worker processes: they run plain Node, so they need the build even when
 * this process runs the sources (`--conditions=@parzen/source` would resolve the package to its .ts).
 */
const builtEntry = (dir: string): string => fileURLToPath(new URL(`../packages/${dir}/dist/index.js`, import.meta.url));

/**
 * The stores under test, by plugin name: how this process opens one, and how a worker process does
 * (the package's built entry and factory, for the test kit's worker).
 */
export const STORES = {
  jsonl: {
    extension: '.parzen.jsonl',
    open: (path: string): TrialStore => createJsonlStore({ path }),
    module: builtEntry('store-file'),
    factory: 'createJsonlStore',
  },
  sqlite: {
    extension: '.parzen.db',
    open: (path: string): TrialStore => createSqliteStore({ path }),
    module: builtEntry('store-sqlite'),
    factory: 'createSqliteStore',
  },
} as const;

export type StoreKind = keyof typeof STORES;

/** `nproc`, Node version, CPU model and the current load, as one markdown line. */
export const machineLine = (): string => {
  const model =
    readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? cpus()[0]?.model ?? 'unknown CPU';
  const load = loadavg()[0]?.toFixed(1) ?? '?';
  return (
    `Machine: nproc ${availableParallelism()}, Node ${process.version}, ${model}, ${new Date().toISOString().slice(0, 10)}; ` +
    `load average ${load} when the report was written (the machine is shared with other jobs).`
  );
};

/** A temporary folder for one benchmark run; removed by the returned cleanup. */
export const tempFolder = (name: string): { readonly path: (file: string) => string; readonly remove: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), `parzen-${name}-`));
  return { path: (file) => join(dir, file), remove: () => rmSync(dir, { recursive: true, force: true }) };
};

/** Prints the report, and writes it to the file given with `--out <path>`. */
export const publish = (report: string): void => {
  process.stdout.write(`${report}\n`);
  const index = process.argv.indexOf('--out');
  const out = index >= 0 ? process.argv[index + 1] : undefined;
  if (out === undefined) return;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${report}\n`);
};

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/**
 * A markdown table laid out as Biome formats it (cells padded to the column width), so a freshly
 * written results file passes `biome check`. `right` marks right-aligned (numeric) columns.
 */
export const markdownTable = (
  header: readonly string[],
  right: readonly boolean[],
  rows: readonly (readonly string[])[],
): string => {
  const widths = header.map((title, column) =>
    Math.max(title.length, 3, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const cell = (text: string, column: number) =>
    right[column] ? text.padStart(widths[column] ?? 0) : text.padEnd(widths[column] ?? 0);
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = widths.map((width, column) => (right[column] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width)));
  return [line(header), `| ${rule.join(' | ')} |`, ...rows.map(line)].join('\n');
};

const space = { x: { type: 'uniform', low: 0, high: 1 }, y: { type: 'uniform', low: 0, high: 1 } } as const;

/** The study the overhead benchmarks grow (two uniform parameters). */
export const overheadSpec = (name = 'bench') => ({ name, direction: 'minimize', seed: 1, space }) as const;

/** How long trials took while a study grew. */
export interface Growth {
  /** Mean ms per trial over the whole study. */
  readonly mean: number;
  /** Mean and median ms per trial over the last `tail` trials (the cost at the study's final size). */
  readonly tailMean: number;
  readonly tailMedian: number;
}

/**
 * One trial as the run loop stores it: createTrial (lease, limit), then the read that refreshes the loop's
 * copy of the study before the suggestion (`listTrialsSince` from the last cursor when the store has it,
 * else `listTrials`), setParams, finishTrial.
 */
const trialLoop = (store: TrialStore, study: string) => {
  let cursor: string | undefined;
  return async (i: number): Promise<void> => {
    const lease = { owner: `bench:${process.pid}:a`, expiresAt: new Date(Date.now() + 60_000).toISOString() };
    const trial = await store.createTrial(study, { lease, limit: Number.MAX_SAFE_INTEGER });
    if (trial === undefined) throw new Error('createTrial refused');
    if (store.listTrialsSince === undefined) await store.listTrials(study);
    else cursor = (await store.listTrialsSince(study, cursor)).cursor;
    await store.setParams(study, trial.number, { x: (i % 97) / 97, y: (i % 89) / 89 });
    await store.finishTrial(study, trial.number, { state: 'complete', loss: i / 7 });
  };
};

/** Opens the study and grows it to `size` trials, timing each one. */
export const grow = async (store: TrialStore, size: number, study = 'bench', tail = 1_000): Promise<Growth> => {
  await store.openStudy(overheadSpec(study));
  const times: number[] = [];
  const oneTrial = trialLoop(store, study);
  const start = performance.now();
  for (let i = 0; i < size; i++) {
    const before = performance.now();
    await oneTrial(i);
    if (i >= size - tail) times.push(performance.now() - before);
  }
  const total = performance.now() - start;
  return {
    mean: total / size,
    tailMean: times.reduce((sum, ms) => sum + ms, 0) / times.length,
    tailMedian: median(times),
  };
};

/** Median of 3 loads of a grown study: open a new store, openStudy, listTrials of all `size` trials. */
export const loadMs = async (
  open: () => TrialStore | Promise<TrialStore>,
  size: number,
  study = 'bench',
): Promise<number> => {
  const times: number[] = [];
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    const store = await open();
    await store.openStudy(overheadSpec(study));
    const trials = await store.listTrials(study);
    times.push(performance.now() - start);
    if (trials.length !== size) throw new Error(`loaded ${trials.length} trials, expected ${size}`);
    await store.close();
  }
  return median(times);
};

/** A throughput run: how many trials, per second, and the wall time. */
export interface ThroughputRun {
  readonly trials: number;
  readonly perSecond: number;
  readonly wallSeconds: number;
}

const span = (trials: readonly Trial[]): number => {
  const starts = trials.map((trial) => Date.parse(trial.startedAt));
  const ends = trials.map((trial) => ('finishedAt' in trial ? Date.parse(trial.finishedAt) : Number.NaN));
  return (Math.max(...ends) - Math.min(...starts)) / 1000;
};

export interface ThroughputOptions {
  readonly target: StoreTarget;
  readonly study: string;
  readonly processes: number;
  readonly trialsPerProcess: number;
  readonly sleepMs: number;
  /** Reads the study's trials once the workers are done. */
  readonly list: () => Promise<readonly Trial[]>;
}

/**
 * Starts `processes` fixture workers (random search, a sleeping objective) on one study, releases them
 * together once loaded, and measures trials / (last finish - first start) from the store's timestamps, so
 * process start-up is not counted; the wall time from release to the last exit is returned too.
 */
export const measureThroughput = async (options: ThroughputOptions): Promise<ThroughputRun> => {
  const budget = { maxTrials: options.trialsPerProcess * options.processes };
  const workers = Array.from({ length: options.processes }, () =>
    spawnWorker({
      stores: [options.target],
      study: options.study,
      seed: 1,
      budget,
      sleepMs: options.sleepMs,
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
  const trials = await options.list();
  if (trials.length !== budget.maxTrials || trials.some((trial) => trial.state !== 'complete')) {
    throw new Error(`expected ${budget.maxTrials} complete trials, found ${trials.length}`);
  }
  return { trials: trials.length, perSecond: trials.length / span(trials), wallSeconds };
};
