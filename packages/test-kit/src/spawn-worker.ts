import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WorkerOptions } from './worker-spec.js';

/** A `@ {json}` line a worker printed. */
export interface WorkerEvent {
  readonly event: 'ready' | 'saw' | 'started' | 'finished' | 'signal';
  readonly store?: string;
  readonly number?: number;
  readonly state?: string;
  readonly value?: number | null;
  readonly finished?: number;
  readonly running?: number;
  readonly pid?: number;
  /** `signal`: how many interrupt signals the worker has handled so far. */
  readonly count?: number;
}

/** A running worker process and what it has printed so far. */
export interface WorkerHandle {
  readonly child: ChildProcess;
  readonly events: WorkerEvent[];
  /** Everything on stdout that is not an event line (the summary). */
  readonly text: () => string;
  /** The worker's stderr so far. */
  readonly stderr: () => string;
  /** Resolves when an event matching `predicate` has been printed (or rejects if the worker exits first). */
  waitFor(predicate: (event: WorkerEvent, all: readonly WorkerEvent[]) => boolean): Promise<void>;
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
}

/** The built worker: `../dist/worker.js` from both `src/` (tests run from source) and `dist/`. */
const WORKER = fileURLToPath(new URL('../dist/worker.js', import.meta.url));

/** The finished trials a worker announced (on one store): number → value (null for failed trials). */
export const finishedTrials = (events: readonly WorkerEvent[], store?: string): Map<number, number | null> =>
  new Map(
    events
      .filter((event) => event.event === 'finished' && (store === undefined || event.store === store))
      .map((event) => [event.number ?? -1, event.value ?? null]),
  );

/** Starts the fixture worker as a real Node process, from the built kit (plain JavaScript). */
export const spawnWorker = (options: WorkerOptions): WorkerHandle => {
  if (!existsSync(WORKER)) {
    throw new Error(`The durability tests spawn ${WORKER}, which is not built yet: run \`pnpm build\` first.`);
  }
  const child = spawn(process.execPath, [WORKER, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const events: WorkerEvent[] = [];
  let text = '';
  let stderr = '';
  let partial = '';
  const waiters = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('@ ')) events.push(JSON.parse(line.slice(2)) as WorkerEvent);
      else text += `${line}\n`;
    }
    for (const wake of waiters) wake();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      for (const wake of waiters) wake();
      resolve({ code, signal });
    });
  });
  const waitFor = (predicate: (event: WorkerEvent, all: readonly WorkerEvent[]) => boolean) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (events.some((event) => predicate(event, events))) {
          waiters.delete(check);
          resolve();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          waiters.delete(check);
          reject(
            new Error(
              `worker exited (${child.exitCode ?? child.signalCode}) before the awaited event; stderr: ${stderr}`,
            ),
          );
        }
      };
      waiters.add(check);
      check();
    });
  return { child, events, text: () => text, stderr: () => stderr, waitFor, exited };
};
