import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from './engine-event.js';
import { connectReporters, createEventBus } from './event-bus.js';
import { observeEvents } from './observe-events.js';

const event = (plugin: string): EngineEvent => ({
  type: 'plugin.failed',
  at: 'now',
  plugin,
  phase: 'test',
  error: { code: 'X', message: 'y' },
});

describe('observeEvents', () => {
  it('calls onEvent per event and onEnd once at the end', () => {
    const subject = new Subject<EngineEvent>();
    const seen: string[] = [];
    let ended = 0;
    let completed = false;
    observeEvents(
      subject,
      (e) => seen.push(e.type === 'plugin.failed' ? e.plugin : e.type),
      () => ended++,
    ).subscribe({
      complete: () => {
        completed = true;
      },
    });
    subject.next(event('a'));
    subject.next(event('b'));
    subject.complete();
    expect(seen).toEqual(['a', 'b']);
    expect(ended).toBe(1);
    expect(completed).toBe(true);
  });

  it('turns a throwing callback into an isolated plugin failure', async () => {
    const bus = createEventBus();
    const failures: string[] = [];
    const done = connectReporters(
      [
        {
          name: 'thrower',
          connect: (events$) =>
            observeEvents(events$, () => {
              throw new Error('bad');
            }),
        },
        {
          name: 'listener',
          connect: (events$) =>
            observeEvents(events$, (e) => {
              if (e.type === 'plugin.failed') failures.push(e.plugin);
            }),
        },
      ],
      bus,
    );
    bus.emit(event('start'));
    bus.complete();
    await done;
    expect(failures.sort()).toEqual(['start', 'thrower']);
  });
});
