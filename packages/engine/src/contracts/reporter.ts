import type { ExternalParams } from '../domain/params.js';
import type { EngineEvent } from '../events/engine-event.js';
import type { MaybePromise } from './maybe-promise.js';

/**
 * Listens to a run: `onEvent` gets every event in order (a frozen copy of it, shared by the run's reporters),
 * `end` is awaited once after the last one (to flush). A reporter never steers the study: a throw in `onEvent` or
 * `end` cuts that reporter off and becomes a `plugin.failed` event and a warning; the study and the other
 * reporters go on. For a reporter written as an rxjs stream, see `streamReporter` in `@parzen/engine/plugin`.
 * `P` is the type of the events' params (see {@link EngineEvent}): any name by default, as a reporter plugin gets
 * them; `fmin`'s and `study.optimize`'s `reporters` are `Reporter<ParamsOf<S>>`, so a reporter written inline
 * there reads them typed by the space (any `Reporter` is accepted there too).
 *
 * @typeParam P - The params' type of the events it gets: `ExternalParams` by default.
 */
export interface Reporter<P = ExternalParams> {
  /** A non-empty string (messages name the reporter by it; a reporter without one is refused). */
  readonly name: string;
  /**
   * Gets each event of the run, in order. It may be `async` (post each event somewhere): the run does not
   * wait for it (so calls overlap: one that must not, queues its work itself), a rejection cuts the
   * reporter off as a throw does, and `end` is called once every call has settled (10 s at most after the
   * run's last event, then said).
   */
  onEvent(event: EngineEvent<P>): void;
  /**
   * Awaited once after the last event, and after every `onEvent` promise has settled (flush files, close
   * connections), also by a reporter cut off for a throw (to release what it holds; what it wrote may be
   * short of the run's events then). The run waits for it 10 s at most (then says so and ends); after it, the
   * reporter gets no event.
   */
  end?(): MaybePromise<void>;
}
