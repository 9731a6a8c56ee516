import type { Budget } from '@parzen/engine';
import type { SpaceDefinition } from '@parzen/engine/plugin';

/**
 * A store a worker runs the study on: the worker imports `module` (the store package's built entry, a
 * path or file URL) and calls its export `factory` with `options` when given (a store located otherwise,
 * as PostgreSQL by `url`; `path` is then only its label), else `{ path }`. The kit knows no store
 * package, so any store can run the suite.
 */
export interface StoreTarget {
  /** A label for the store in events and messages (`jsonl`, `sqlite`, ...). */
  readonly kind: string;
  readonly path: string;
  readonly module: string;
  readonly factory: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

/** What the fixture worker runs; passed as its one JSON argument. */
export interface WorkerOptions {
  /** The study runs on each of these stores at once, each with its own run loop (one kill hits all). */
  readonly stores: readonly StoreTarget[];
  readonly study: string;
  readonly seed: number;
  readonly budget: Budget;
  readonly sleepMs: number;
  readonly concurrency?: number;
  readonly leaseMs?: number;
  readonly gracePeriodMs?: number;
  /** Install the Ctrl-C / SIGTERM handlers and pass their signals to the run. */
  readonly interrupts?: boolean;
  /** Wait for a line on stdin before running (to start several workers together). */
  readonly waitForGo?: boolean;
  /** Print `saw` lines: what the suggester's history held when it sampled each trial. */
  readonly reportHistory?: boolean;
}

/** The space of the fixture study. */
export const workerSpace: SpaceDefinition = {
  x: { type: 'uniform', low: -1, high: 1 },
  y: { type: 'uniform', low: -1, high: 1 },
};

/** The fixture objective's value: a bowl with its minimum at (0.3, -0.1). */
export const workerLoss = (x: number, y: number): number => (x - 0.3) ** 2 + (y + 0.1) ** 2;
