/**
 * A worker process for the durability tests and the throughput benchmark: runs one study on a journal
 * or SQLite store with random search and a sleeping objective. Its single argument is a JSON
 * `WorkerOptions` (worker-spec.ts). It prints machine-readable lines `@ {json}` (ready, saw, started, finished) and,
 * at the end, the engine's summary; it exits with the interrupt handlers' code (130, 143) or 0.
 *
 *   node --conditions=@parzen/source --import tsx worker.ts '{"store":"jsonl","path":"/tmp/s.jsonl",...}'
 */
import {
  compileSpace,
  createFunctionObjective,
  type EngineEvent,
  formatSummary,
  installInterruptHandlers,
  type Reporter,
  runStudy,
  type Suggester,
  type TrialStore,
} from '@parzen/engine';
import { createRandomSuggester } from '../../../algo-random/src/index.js';
import { type WorkerOptions, workerLoss, workerSpace } from './worker-spec.js';

const emit = (line: Record<string, unknown>): void => {
  process.stdout.write(`@ ${JSON.stringify(line)}\n`);
};

const createStore = async (options: WorkerOptions): Promise<TrialStore> => {
  if (options.store === 'jsonl') return (await import('../index.js')).createJsonlStore({ path: options.path });
  return (await import('../../../store-sqlite/src/index.js')).createSqliteStore({ path: options.path });
};

/** Announces trials after the store has them (events follow the store writes). */
const lineReporter: Reporter = {
  name: 'lines',
  connect: (events$) => {
    events$.subscribe((event: EngineEvent) => {
      if (event.type === 'trial.started') emit({ event: 'started', number: event.number });
      if (event.type === 'trial.finished') {
        const { trial } = event;
        emit({
          event: 'finished',
          number: trial.number,
          state: trial.state,
          value: trial.state === 'complete' ? trial.value : null,
        });
      }
    });
    return events$;
  },
};

/** Random search that also reports what it was shown (other processes' trials included). */
const reportingSuggester = (inner: Suggester): Suggester => ({
  name: inner.name,
  sampleIndependent: (context, param, decided) => {
    if (param.name === 'x') {
      const finished = context.trials.filter((trial) => trial.state !== 'running').length;
      emit({ event: 'saw', number: context.trialNumber, finished, running: context.trials.length - finished });
    }
    return inner.sampleIndependent(context, param, decided);
  },
});

const waitForGo = (): Promise<void> =>
  new Promise((resolve) => {
    process.stdin.once('data', () => {
      process.stdin.pause();
      resolve();
    });
  });

const main = async (options: WorkerOptions): Promise<number> => {
  const handlers = options.interrupts ? installInterruptHandlers() : undefined;
  const store = await createStore(options);
  emit({ event: 'ready', pid: process.pid });
  if (options.waitForGo) await waitForGo();
  const random = createRandomSuggester();
  const objective = createFunctionObjective(async (params) => {
    await new Promise((resolve) => setTimeout(resolve, options.sleepMs));
    return workerLoss(params.x as number, params.y as number);
  });
  try {
    const result = await runStudy({
      spec: { name: options.study, direction: 'minimize', seed: options.seed, space: workerSpace },
      space: compileSpace(workerSpace),
      store,
      suggester: options.reportHistory ? reportingSuggester(random) : random,
      objective,
      reporters: [lineReporter],
      budget: options.budget,
      concurrency: options.concurrency ?? 1,
      leaseMs: options.leaseMs ?? 60_000,
      ...(options.gracePeriodMs === undefined ? {} : { gracePeriodMs: options.gracePeriodMs }),
      ...(handlers === undefined ? {} : { signal: handlers.signal, forceSignal: handlers.forceSignal }),
    });
    process.stdout.write(`${formatSummary(result.summary, result.reason)}\n`);
  } finally {
    await store.close();
  }
  return handlers?.exitCode() ?? 0;
};

main(JSON.parse(process.argv[2] ?? '{}') as WorkerOptions).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`worker failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
