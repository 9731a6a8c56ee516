import { describe, expect, it } from 'vitest';
import type { Reporter } from '../contracts/reporter.js';
import type { EngineEvent } from '../events/engine-event.js';
import { reporterFaults } from './reporter-contract.js';

const at = '2026-01-01T00:00:00.000Z';
const events = Object.freeze([
  Object.freeze({ type: 'study.started', at, study: { name: 's' } }),
  Object.freeze({ type: 'trial.finished', at, trial: Object.freeze({ number: 0, state: 'complete', loss: 1 }) }),
]) as unknown as readonly EngineEvent[];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the reporter contract catches async faults (trial 127: they passed)', () => {
  it('passes an async reporter that settles', async () => {
    const good: Reporter = {
      name: 'good',
      onEvent: async () => {
        await sleep(1);
      },
      end: async () => {
        await sleep(1);
      },
    };
    expect(await reporterFaults(good, events, 200)).toEqual([]);
  });

  it('names an async onEvent that rejects, or changes a frozen event', async () => {
    const rejects: Reporter = {
      name: 'rejects',
      onEvent: async (event) => {
        if (event.type === 'trial.finished') throw new Error('webhook down');
      },
    };
    expect(await reporterFaults(rejects, events, 200)).toEqual([
      'onEvent(trial.finished) rejected: webhook down (a run cuts it off, as a throw)',
    ]);
    const meddles: Reporter = {
      name: 'meddles',
      onEvent: async (event) => {
        (event as { at: string }).at = 'now';
      },
    };
    expect(await reporterFaults(meddles, events, 200)).toEqual([
      expect.stringMatching(/^onEvent\(study\.started\) rejected: .*read[- ]only/),
      expect.stringMatching(/^onEvent\(trial\.finished\) rejected: /),
    ]);
  });

  it('names an onEvent or end that does not settle in time, and a reporter without a name', async () => {
    const stuck: Reporter = { name: 'stuck', onEvent: () => new Promise(() => undefined) };
    expect(await reporterFaults(stuck, events, 50)).toEqual([
      'onEvent calls had not settled 0.05 s after the last event (a run then calls end without them)',
    ]);
    const endless: Reporter = { name: 'endless', onEvent: () => undefined, end: () => new Promise(() => undefined) };
    expect(await reporterFaults(endless, events, 50)).toEqual([
      'end had not settled 0.05 s after it was called (a run ends without it)',
    ]);
    const nameless = { onEvent: () => undefined } as unknown as Reporter;
    expect(await reporterFaults(nameless, events, 50)).toEqual([
      'it has no name (found none): messages name a reporter by it',
    ]);
    // Blank is none, as a run refuses it.
    expect(await reporterFaults({ name: '  ', onEvent: () => undefined }, events, 50)).toEqual([
      'it has no name (found "  "): messages name a reporter by it',
    ]);
  });
});
