/**
 * The worker thread of a `module` objective (see `worker-objective.ts`): loads the objective function
 * once, then answers one message per trial. Everything it sends is structured-cloned data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadModuleExport } from './load-module-export.js';

/** What the worker is started with. */
export interface ModuleWorkerData {
  readonly path: string;
  readonly exportName: string;
  readonly baseDir: string;
}

/** A message to the worker: evaluate params, or abort an evaluation (its signal fires). */
export type ModuleWorkerRequest =
  | { readonly type: 'evaluate'; readonly id: number; readonly params: unknown; readonly trialNumber: number }
  | { readonly type: 'abort'; readonly id: number };

/** A message from the worker. */
export type ModuleWorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'load-failed'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly value: unknown }
  | { readonly type: 'threw'; readonly id: number; readonly error: unknown };

const port = parentPort;
const { path, exportName, baseDir } = workerData as ModuleWorkerData;

const send = (reply: ModuleWorkerReply): void => {
  try {
    port?.postMessage(reply);
  } catch (error) {
    // The objective returned (or threw) something structured clone cannot copy: a function, a class instance.
    if (reply.type === 'result' || reply.type === 'threw') {
      const message = `The objective ${reply.type === 'result' ? 'returned' : 'threw'} a value that cannot leave its worker thread (${(error as Error).message}); return a number or { loss, ...plain data }.`;
      port?.postMessage({ type: 'threw', id: reply.id, error: new Error(message) } satisfies ModuleWorkerReply);
    } else throw error;
  }
};

try {
  const objective = await loadModuleExport(path, exportName, baseDir);
  const running = new Map<number, AbortController>();
  port?.on('message', async (request: ModuleWorkerRequest) => {
    if (request.type === 'abort') {
      running.get(request.id)?.abort(new Error('aborted'));
      return;
    }
    const controller = new AbortController();
    running.set(request.id, controller);
    try {
      const value = await objective(request.params, { trialNumber: request.trialNumber, signal: controller.signal });
      send({ type: 'result', id: request.id, value });
    } catch (error) {
      send({ type: 'threw', id: request.id, error });
    } finally {
      running.delete(request.id);
    }
  });
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'load-failed', message: error instanceof Error ? error.message : String(error) });
}
