/**
 * A worker process for the durability tests and the throughput benchmark: runs one study on a journal
 * or SQLite store with random search and a sleeping objective. Its single argument is a JSON
 * `WorkerOptions` (worker-spec.ts). It prints machine-readable lines `@ {json}` (ready, saw, started, finished) and,
 * at the end, the engine's summary; it exits with the interrupt handlers' code (130, 143) or 0.
 *
 *   node packages/test-kit/dist/worker.js '{"stores":[{"kind":"jsonl","path":"/tmp/s.jsonl","module":...,"factory":...}],...}'
 *
 * It runs as plain JavaScript (built with the workspace), so a spawn costs only Node's start-up.
 */

import { createRandomSuggester } from '@parzen/algo-random';
import { formatSummary, type InterruptHandlers, installInterruptHandlers } from '@parzen/engine';
import {
  compileSpace,
  createFunctionObjective,
  type EngineEvent,
  type Reporter,
  runStudy,
  type Suggester,
  type TrialStore,
} from '@parzen/engine/plugin';
import { type StoreTarget, type WorkerOptions, workerLoss, workerSpace } from './worker-spec.js';

const emit = (line: Record<string, unknown>): void => {
  process.stdout.write(`@ ${JSON.stringify(line)}\n`);
};

const createStore = async (target: StoreTarget): Promise<TrialStore> => {
  const module = (await import(target.module)) as Record<string, unknown>;
  const factory = module[target.factory];
  if (typeof factory !== 'function') throw new Error(`${target.module} has no function export ${target.factory}`);
  // A store located by other options (PostgreSQL's `url`) gets those alone: factories refuse unknown options.
  return (await factory(target.options ?? { path: target.path })) as TrialStore;
};

/** Announces trials after the store has them (events follow the store writes). */
const lineReporter = (store: string): Reporter => ({
  name: 'lines',
  onEvent: (event: EngineEvent) => {
    if (event.type === 'trial.started') emit({ event: 'started', store, number: event.number });
    if (event.type === 'trial.finished') {
      const { trial } = event;
      const value = trial.state === 'complete' ? trial.loss : null;
      emit({ event: 'finished', store, number: trial.number, state: trial.state, value });
    }
  },
});

/** Random search that also reports what it was shown (other processes' trials included). */
const reportingSuggester = (inner: Suggester, store: string): Suggester => ({
  name: inner.name,
  beginTrial: (context) => {
    const { history, running } = context;
    emit({ event: 'saw', store, number: context.trialNumber, finished: history.length, running: running.length });
    return inner.beginTrial(context);
  },
});

const waitForGo = (): Promise<void> =>
  new Promise((resolve) => {
    process.stdin.once('data', () => {
      process.stdin.pause();
      resolve();
    });
  });

const objective = (sleepMs: number) =>
  createFunctionObjective(async (params) => {
    await new Promise((resolve) => setTimeout(resolve, sleepMs));
    return workerLoss(params.x as number, params.y as number);
  });

const run = async (
  options: WorkerOptions,
  target: StoreTarget,
  store: TrialStore,
  controls: Partial<InterruptHandlers>,
) => {
  const random = createRandomSuggester();
  try {
    const result = await runStudy({
      spec: { name: options.study, direction: 'minimize', seed: options.seed, space: workerSpace },
      space: compileSpace(workerSpace),
      store,
      suggester: options.reportHistory ? reportingSuggester(random, target.kind) : random,
      objective: objective(options.sleepMs),
      reporters: [lineReporter(target.kind)],
      budget: options.budget,
      concurrency: options.concurrency ?? 1,
      leaseMs: options.leaseMs ?? 60_000,
      ...(options.gracePeriodMs === undefined ? {} : { gracePeriodMs: options.gracePeriodMs }),
      ...(controls.signal === undefined ? {} : { signal: controls.signal }),
      ...(controls.forceSignal === undefined ? {} : { forceSignal: controls.forceSignal }),
    });
    process.stdout.write(`${formatSummary(result.summary, result.reason)}\n`);
  } finally {
    await store.close();
  }
};

const main = async (options: WorkerOptions): Promise<number> => {
  // Each handled signal is reported, so a test sends the second Ctrl-C only once the first has been handled
  // (two signals sent while the process waits for the CPU would reach it as one).
  const handlers = options.interrupts
    ? installInterruptHandlers((_name, count) => emit({ event: 'signal', count }))
    : undefined;
  const stores = await Promise.all(options.stores.map(createStore));
  emit({ event: 'ready', pid: process.pid });
  if (options.waitForGo) await waitForGo();
  await Promise.all(
    options.stores.map((target, index) => run(options, target, stores[index] as TrialStore, handlers ?? {})),
  );
  return handlers?.exitCode() ?? 0;
};

main(JSON.parse(process.argv[2] ?? '{}') as WorkerOptions).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`worker failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
