import type { Observable, Subscription } from 'rxjs';
import type { Reporter } from '../contracts/reporter.js';
import { type Clock, systemClock } from '../contracts/services.js';
import { isThenable } from '../errors.js';
import { CLEANUP_TIMEOUT_MS, settledWithin } from '../runtime/with-cleanup.js';
import { Subject } from '../vendor/rxjs.js';
import { cutOffMessage, guardListener } from './cut-off.js';
import { frozenCopy } from './deep-freeze.js';
import type { EngineEvent } from './engine-event.js';

/**
 * The study's event bus: the only Subject of the engine. The run loop sees `emit`; reporters and
 * plugins that asked for the bus see a read-only stream. Only code that makes a bus imports this module
 * (dynamically), so paths that never ask for one (`parzen best`, `trials`, `--version`, `fmin`) never load
 * rxjs.
 */
export interface EventBus {
  /** Sends an event to every subscriber, synchronously. */
  emit(event: EngineEvent): void;
  /** The events as they are sent, read-only; a subscriber gets those sent after it subscribed. */
  readonly events$: Observable<EngineEvent>;
  /** Ends the stream. */
  complete(): void;
}

/** A new bus (a plain rxjs Subject behind `emit`). */
export const createEventBus = (): EventBus => {
  const subject = new Subject<EngineEvent>();
  return {
    emit: (event) => subject.next(event),
    events$: subject.asObservable(),
    complete: () => subject.complete(),
  };
};

const failure = (reporter: Reporter, error: unknown, clock: Clock): EngineEvent => ({
  type: 'plugin.failed',
  at: clock.now().toISOString(),
  plugin: reporterName(reporter),
  phase: 'report',
  error: { code: 'REPORTER_FAILED', message: error instanceof Error ? error.message : String(error) },
});

/**
 * How long a run's end waits for its reporters' async `onEvent` calls to settle (then calls their `end`), and
 * for each `end`: a reporter's end is a cleanup, given the time any cleanup is.
 */
export const REPORTER_DRAIN_MS = CLEANUP_TIMEOUT_MS;

const reporterName = (reporter: Reporter): string => (typeof reporter?.name === 'string' ? reporter.name : 'unnamed');

/**
 * The events as every reporter gets them: a frozen copy of each, made once and shared, so that no reporter changes
 * what the next ones see (trial 127: one set `trial.loss`, and the console and events file printed it), and the
 * run's own objects stay as they were (freezing the event itself froze the params the objective was given). An
 * event that cannot be copied (not plain data) is passed as it is.
 */
const reporterCopies = (): ((event: EngineEvent) => EngineEvent) => {
  const copies = new WeakMap<EngineEvent, EngineEvent>();
  return (event) => {
    let copy = copies.get(event);
    if (copy === undefined) {
      copy = frozenCopy(event);
      copies.set(event, copy);
    }
    return copy;
  };
};

/** The reporters of one run, subscribed to its bus. */
export interface ConnectedReporters {
  /**
   * Awaits every live reporter's `end` (a failure there is a `plugin.failed` event), and the `end` of those
   * cut off (to release what they hold: a file; a failure there is not said again), then completes the bus.
   */
  close(): Promise<void>;
}

/**
 * Subscribes every reporter before the first event; each gets every event frozen. A reporter that throws is cut
 * off and reported as `plugin.failed` to the others, and said to `unheard` (the run's warning: a line on
 * stderr), so a broken reporter is never silently dropped; the others and the study go on.
 */
export const connectReporters = (
  reporters: readonly Reporter[],
  bus: EventBus,
  clock: Clock = systemClock,
  unheard?: (message: string) => void,
  /** How long `close` waits for the reporters' async `onEvent` calls, and for each `end` ({@link REPORTER_DRAIN_MS}). */
  drainMs = REPORTER_DRAIN_MS,
): ConnectedReporters => {
  const live = new Map<Reporter, Subscription>();
  const copyOf = reporterCopies();
  const fail = (reporter: Reporter, error: unknown, where: 'onEvent' | 'end') => {
    live.get(reporter)?.unsubscribe();
    live.delete(reporter);
    const event = failure(reporter, error, clock);
    bus.emit(event);
    // Said whether or not a reporter is left to get the event: one that gets it may not show it (trial 127: an
    // events reporter filtering it out left the failure unsaid); the progress and console reporters leave it to this.
    if (event.type === 'plugin.failed') unheard?.(cutOffMessage(event.plugin, event.error.message, where));
  };
  // The promises of an async `onEvent` not settled yet, by reporter: its `end` waits for them (trial 73: a
  // reporter's end closed its connection under its own posts, and `fmin` resolved before they were done).
  const pending = new Map<Reporter, Set<PromiseLike<unknown>>>();
  for (const reporter of reporters) {
    const inFlight = new Set<PromiseLike<unknown>>();
    pending.set(reporter, inFlight);
    const guarded = guardListener<EngineEvent>(
      (event) => {
        const returned: unknown = reporter.onEvent(event);
        if (!isThenable(returned)) return returned;
        inFlight.add(returned);
        const settled = () => inFlight.delete(returned);
        returned.then(settled, settled);
        return returned;
      },
      (error) => fail(reporter, error, 'onEvent'),
    );
    live.set(
      reporter,
      bus.events$.subscribe((event) => {
        if (live.has(reporter)) guarded(copyOf(event));
      }),
    );
  }
  return {
    close: async () => {
      // Every reporter's async onEvent calls settle first (their failures are the guard's, said once), all
      // within one wait: one that never settles must not hold the run's end (review 80: `fmin` never
      // resolved; review 81: reporters waited in turn, 10 s each).
      const inFlight = reporters.map((reporter) => [...(pending.get(reporter) ?? [])]);
      if (inFlight.some((calls) => calls.length > 0) && !(await settledWithin(inFlight.flat(), drainMs)))
        reporters.forEach((reporter, index) => {
          const calls = inFlight[index] ?? [];
          if (calls.length > 0 && calls.some((call) => pending.get(reporter)?.has(call)))
            unheard?.(
              `reporter \`${reporterName(reporter)}\`: ${calls.length === 1 ? 'an onEvent call' : 'onEvent calls'} had not settled ${drainMs / 1000} s after the run's last event; its end is called without waiting longer.`,
            );
        });
      for (const reporter of reporters) {
        const cutOff = !live.has(reporter);
        // Ended: no later event reaches it (review 80: another reporter's failure, said during close, made the
        // events reporter open its file again after its end, never to close it). One without an end hears the
        // run to its last event, the failures of the others' ends included.
        if (reporter.end !== undefined) {
          live.get(reporter)?.unsubscribe();
          live.delete(reporter);
        }
        try {
          // An end that never finishes must not hold the run's end either (review 81: a stream that never
          // completed hung the run); one that finishes late does so on its own.
          const ending = reporter.end?.();
          if (ending !== undefined) {
            const finishing = Promise.resolve(ending);
            if (await settledWithin([finishing], drainMs)) await finishing;
            else {
              finishing.catch(() => undefined);
              unheard?.(
                `reporter \`${reporterName(reporter)}\`: its end had not finished ${drainMs / 1000} s after it was called; the run ends without waiting longer.`,
              );
            }
          }
        } catch (error) {
          // Review 40: a reporter cut off for a throw kept its file open; its end's own failure is not news.
          if (!cutOff) fail(reporter, error, 'end');
        }
      }
      bus.complete();
    },
  };
};
