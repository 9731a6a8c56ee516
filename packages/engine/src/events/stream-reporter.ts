import type { Observable } from 'rxjs';
import type { Reporter } from '../contracts/reporter.js';
import type { EngineEvent } from './engine-event.js';

/**
 * A reporter written as an rxjs stream: `connect` gets the run's events and returns a stream the engine
 * subscribes to; its completion is the reporter's end, and an error in it cuts the reporter off (a
 * `plugin.failed` event). Async because it loads rxjs, which nothing else in a reporter needs.
 *
 * @example
 * ```ts
 * create: () => streamReporter('count', (events$) => events$.pipe(filter((e) => e.type === 'trial.finished'), tap(() => n++)))
 * ```
 */
export const streamReporter = async (
  name: string,
  connect: (events$: Observable<EngineEvent>) => Observable<unknown>,
): Promise<Reporter> => {
  const { Subject } = await import('../vendor/rxjs.js');
  const events = new Subject<EngineEvent>();
  let error: unknown;
  const done = new Promise<void>((resolve) => {
    connect(events.asObservable()).subscribe({
      error: (cause: unknown) => {
        error = cause ?? new Error(`reporter ${name} failed`);
        resolve();
      },
      complete: () => resolve(),
    });
  });
  const rethrow = () => {
    if (error !== undefined) throw error;
  };
  return {
    name,
    onEvent: (event) => {
      rethrow();
      events.next(event);
      rethrow();
    },
    end: async () => {
      events.complete();
      await done;
      rethrow();
    },
  };
};
