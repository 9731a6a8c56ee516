import type { EngineEvent, Reporter } from '@parzen/engine';

type EventStream = Parameters<Reporter['connect']>[0];
type ReporterStream = ReturnType<Reporter['connect']>;
interface Sink {
  next(value: unknown): void;
  error(error: unknown): void;
  complete(): void;
}
type StreamConstructor = new (subscribe: (sink: Sink) => () => void) => ReporterStream;

/**
 * A reporter stream from two callbacks, without depending on rxjs: it calls `onEvent` per event and
 * `onEnd` once when the run's events complete (or fail). A throwing callback fails the stream, which
 * the engine isolates as `plugin.failed`.
 *
 * @remarks Builds the stream with the constructor of the engine's own event stream (rxjs `Observable`),
 * so the CLI needs no rxjs of its own.
 */
export const observeEvents = (
  events$: EventStream,
  onEvent: (event: EngineEvent) => void,
  onEnd: () => void,
): ReporterStream => {
  const Stream = events$.constructor as StreamConstructor;
  return new Stream((sink) => {
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
};
