import type { Observable } from 'rxjs';
import type { EngineEvent } from '../events/engine-event.js';

/**
 * Listens to the run. `connect` returns a stream the engine subscribes to; when the run ends the event
 * stream completes and the engine waits for the reporter's stream to complete (its flush). An error in
 * it becomes a `plugin.failed` event and never stops the study.
 */
export interface Reporter {
  readonly name: string;
  connect(events$: Observable<EngineEvent>): Observable<unknown>;
}
