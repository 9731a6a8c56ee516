import { catchError, EMPTY, ignoreElements, lastValueFrom, merge, type Observable, Subject } from 'rxjs';
import type { Reporter } from '../contracts/reporter.js';
import type { EngineEvent } from './engine-event.js';

/** The only Subject of the engine. The run loop sees `emit`; reporters see a read-only stream. */
export interface EventBus {
  emit(event: EngineEvent): void;
  readonly events$: Observable<EngineEvent>;
  /** Ends the stream; reporters flush and complete. */
  complete(): void;
}

export const createEventBus = (): EventBus => {
  const subject = new Subject<EngineEvent>();
  return {
    emit: (event) => subject.next(event),
    events$: subject.asObservable(),
    complete: () => subject.complete(),
  };
};

const errorInfo = (error: unknown) => ({
  code: 'REPORTER_FAILED',
  message: error instanceof Error ? error.message : String(error),
});

/**
 * Subscribes every reporter before the first event. A reporter whose stream errors (or whose `connect`
 * throws) is cut off and reported as `plugin.failed`; the others and the study go on. Resolves when all
 * reporters have completed after the bus completes.
 */
export const connectReporters = (reporters: readonly Reporter[], bus: EventBus): Promise<void> => {
  const streams = reporters.map((reporter) => {
    const fail = (error: unknown) => {
      bus.emit({
        type: 'plugin.failed',
        at: new Date().toISOString(),
        plugin: reporter.name,
        phase: 'report',
        error: errorInfo(error),
      });
      return EMPTY;
    };
    try {
      return reporter.connect(bus.events$).pipe(ignoreElements(), catchError(fail));
    } catch (error) {
      queueMicrotask(() => fail(error));
      return EMPTY;
    }
  });
  return lastValueFrom(merge(...streams), { defaultValue: undefined }).then(() => undefined);
};
