import { getMaxListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Suggester } from '../contracts/suggester.js';
import { sampleDistribution } from '../domain/sample-distribution.js';
import { fmin } from '../fmin.js';
import type { EngineEvent } from './engine-event.js';
import { connectReporters, createEventBus } from './event-bus.js';

const prior: Suggester = {
  name: 'prior',
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
};

describe('reporters of a run', () => {
  it("calls an async reporter's end once its onEvent calls have settled (trial 73: end, then fmin, came first)", async () => {
    const log: string[] = [];
    const result = await fmin({
      objective: (params) => params.x,
      space: { x: { type: 'uniform', low: 0, high: 1 } },
      suggester: prior,
      maxTrials: 3,
      reporters: [
        {
          name: 'slow',
          onEvent: async (event) => {
            await new Promise((resolve) => setTimeout(resolve, 20));
            log.push(event.type);
          },
          end: () => {
            log.push('end');
          },
        },
      ],
    });
    log.push('fmin resolved');
    expect(result.trials).toHaveLength(3);
    expect(log.at(-2)).toBe('end');
    expect(log.at(-1)).toBe('fmin resolved');
    expect(log.filter((entry) => entry === 'trial.finished')).toHaveLength(3);
    expect(log).toContain('study.finished');
  });
});

describe('connectReporters', () => {
  const event = { type: 'study.started', study: 's', at: '2026-01-01T00:00:00.000Z' } as unknown as EngineEvent;

  it("calls end anyway when an onEvent never settles, and says so (review 80: the run's end hung)", async () => {
    const said: string[] = [];
    const ended: string[] = [];
    const bus = createEventBus();
    const connected = connectReporters(
      [{ name: 'stuck', onEvent: () => new Promise(() => undefined), end: () => void ended.push('stuck') }],
      bus,
      undefined,
      (message) => said.push(message),
      30,
    );
    bus.emit(event);
    await connected.close();
    expect(ended).toEqual(['stuck']);
    expect(said).toEqual([
      "reporter `stuck`: an onEvent call had not settled 0.03 s after the run's last event; its end is called without waiting longer.",
    ]);
  });

  it('waits once for all reporters, and not past an end that never finishes (review 81: 10 s each; a hang)', async () => {
    const said: string[] = [];
    const bus = createEventBus();
    const stuck = (name: string) => ({ name, onEvent: () => new Promise(() => undefined) });
    const connected = connectReporters(
      [
        stuck('a'),
        stuck('b'),
        { name: 'endless', onEvent: () => undefined, end: () => new Promise<void>(() => undefined) },
      ],
      bus,
      undefined,
      (message) => said.push(message),
      60,
    );
    bus.emit(event);
    const started = Date.now();
    await connected.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(said).toEqual([
      "reporter `a`: an onEvent call had not settled 0.06 s after the run's last event; its end is called without waiting longer.",
      "reporter `b`: an onEvent call had not settled 0.06 s after the run's last event; its end is called without waiting longer.",
      'reporter `endless`: its end had not finished 0.06 s after it was called; the run ends without waiting longer.',
    ]);
  });

  it('sends no event to a reporter after its end (review 80: a failure said during close reopened a file)', async () => {
    const heard: string[] = [];
    const bus = createEventBus();
    const connected = connectReporters(
      [
        { name: 'first', onEvent: (e) => void heard.push(`first ${e.type}`), end: () => void heard.push('first end') },
        {
          name: 'second',
          onEvent: () => undefined,
          end: () => {
            throw new Error('cannot flush');
          },
        },
        { name: 'third', onEvent: (e) => void heard.push(`third ${e.type}`) },
      ],
      bus,
    );
    await connected.close();
    // The first ended before the second's end failed; the third, which has no end, hears to the last.
    expect(heard).toEqual(['first end', 'third plugin.failed']);
  });
});

describe('a shutdown signal shared by many runs at once (trial 73)', () => {
  it('gets no leak warning from Node, and has its limit back once they end', async () => {
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(warning.name);
    process.on('warning', listen);
    const shutdown = new AbortController();
    const before = getMaxListeners(shutdown.signal);
    try {
      await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          fmin({
            name: `s${index}`,
            objective: async (params) => {
              await new Promise((resolve) => setTimeout(resolve, 5));
              return params.x;
            },
            space: { x: { type: 'uniform', low: 0, high: 1 } },
            suggester: prior,
            maxTrials: 2,
            signal: shutdown.signal,
          }),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('warning', listen);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
    expect(getMaxListeners(shutdown.signal)).toBe(before);
  });
});
