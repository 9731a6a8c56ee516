/**
 * @packageDocumentation
 * Parzen's private test kit: the durability suite every durable store runs (real worker processes,
 * kill -9, Ctrl-C, SIGTERM, resume), the worker it spawns (prebuilt: `dist/worker.js`), temp folders and
 * store checks. Not published; packages list it as a devDependency.
 */
export { type DurabilitySuiteOptions, describeDurability } from './durability-suite.js';
export { type EnqueueRaceOptions, expectEnqueuedTakenOnce } from './enqueue-race.js';
export {
  type CollectedOutput,
  collectOutput,
  goneWithin,
  isAlive,
  type ProcessRun,
  type RunProcessOptions,
  runProcess,
} from './run-process.js';
export { expectReportsSeenIncrementally } from './shared-reports.js';
export { finishedTrials, spawnWorker, type WorkerEvent, type WorkerHandle } from './spawn-worker.js';
export {
  type CaughtError,
  delay,
  expectDenseNumbers,
  expectFinishedKept,
  listWith,
  rejectionOf,
  runTo,
  thrownBy,
} from './store-checks.js';
export { tempFolder, useTempDir } from './temp-dir.js';
export { type StoreTarget, type WorkerOptions, workerLoss, workerSpace } from './worker-spec.js';
