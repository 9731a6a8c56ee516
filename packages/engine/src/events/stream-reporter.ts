import type { Observable } from 'rxjs';
import type { Reporter } from '../contracts/reporter.js';
import type { EngineEvent } from './engine-event.js';

/**
 * A reporter written as an rxjs stream: `connect` gets a run's events and returns a stream the engine
 * subscribes to; its completion is the reporter's end, and an error in it cuts the reporter off (a
 * `plugin.failed` event). Each run gets a stream of its own: `connect` is called at the run's first event
 * and the stream completes at its end, so one reporter serves runs one after another (a reporter
 * made once and passed to every `fmin` hears every run; runs at once share a stream, and each end
 * completes it, the next event beginning another). Async because it loads rxjs, which nothing else in a
 * reporter needs.
 *
 * @example
 * ```ts
 * // The operators come from rxjs (a dependency of your own package; the engine bundles its own copy).
 * import { filter, tap } from 'rxjs';
 * import { fmin, uniform } from '@parzen/engine';
 * import { streamReporter } from '@parzen/engine/plugin';
 * import { createRandomSuggester } from '@parzen/algo-random';
 *
 * let finished = 0;
 * // A promise: await it, or return it from a reporter manifest's `create` (`create: () => streamReporter(...)`).
 * const counter = await streamReporter('count', (events$) =>
 *   events$.pipe(
 *     filter((event) => event.type === 'trial.finished'),
 *     tap(() => finished++),
 *   ),
 * );
 * const space = { x: uniform(0, 1) };
 * await fmin({ space, objective: ({ x }) => x, suggester: createRandomSuggester(), maxTrials: 5, reporters: [counter] });
 * console.log(finished); // 5
 * ```
 */
export const streamReporter = async (
  name: string,
  connect: (events$: Observable<EngineEvent>) => Observable<unknown>,
): Promise<Reporter> => {
  const { Subject } = await import('../vendor/rxjs.js');
  interface Stream {
    readonly events: InstanceType<typeof Subject<EngineEvent>>;
    readonly done: Promise<void>;
    error?: unknown;
  }
  const open = (): Stream => {
    const events = new Subject<EngineEvent>();
    let finish = () => {};
    const stream: Stream = { events, done: new Promise<void>((resolve) => (finish = resolve)) };
    connect(events.asObservable()).subscribe({
      error: (cause: unknown) => {
        stream.error = cause ?? new Error(`reporter ${name} failed`);
        finish();
      },
      complete: () => finish(),
    });
    return stream;
  };
  let current: Stream | undefined;
  const rethrow = (stream: Stream) => {
    if (stream.error !== undefined) throw stream.error;
  };
  return {
    name,
    onEvent: (event) => {
      current ??= open();
      const stream = current;
      rethrow(stream);
      stream.events.next(event);
      rethrow(stream);
    },
    end: async () => {
      const stream = current;
      current = undefined;
      if (stream === undefined) return;
      stream.events.complete();
      await stream.done;
      rethrow(stream);
    },
  };
};
