import { Observable } from 'rxjs';
import type { EngineEvent } from './engine-event.js';

/**
 * A reporter's stream from two callbacks, for reporters written without rxjs: `onEvent` per event and
 * `onEnd` once when the run's events complete (or fail). A throwing callback fails the stream, which the
 * engine isolates as `plugin.failed`.
 *
 * @example
 * ```ts
 * const reporter: Reporter = { name: 'count', connect: (events$) => observeEvents(events$, (e) => n++, () => print(n)) };
 * ```
 */
export const observeEvents = (
  events$: Observable<EngineEvent>,
  onEvent: (event: EngineEvent) => void,
  onEnd: () => void = () => {},
): Observable<never> =>
  new Observable<never>((sink) => {
    const subscription = events$.subscribe({
      next: (event) => {
        try {
          onEvent(event);
        } catch (error) {
          onEnd();
          sink.error(error);
        }
      },
      error: (error: unknown) => {
        onEnd();
        sink.error(error);
      },
      complete: () => {
        onEnd();
        sink.complete();
      },
    });
    return () => subscription.unsubscribe();
  });
