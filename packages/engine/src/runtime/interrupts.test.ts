import { afterEach, describe, expect, it, vi } from 'vitest';
import { type InterruptHandlers, installInterruptHandlers } from './interrupts.js';

type SignalName = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/**
 * Installs the handlers and returns a way to deliver a signal to them alone: their own listeners are
 * called (no real signal is sent, and other listeners of this process, such as the test runner's, are
 * left alone).
 */
const install = (seen?: [string, number][]) => {
  const names: SignalName[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const before = new Map(names.map((name) => [name, new Set(process.listeners(name))]));
  const handlers = installInterruptHandlers(seen === undefined ? undefined : (name, count) => seen.push([name, count]));
  const deliver = (name: SignalName) => {
    const added = process.listeners(name).filter((listener) => !before.get(name)?.has(listener));
    expect(added).toHaveLength(1);
    for (const listener of added) (listener as (signal: SignalName) => void)(name);
  };
  return { handlers, deliver };
};

let installed: InterruptHandlers | undefined;
afterEach(() => installed?.dispose());

describe('installInterruptHandlers', () => {
  it('SIGTERM then SIGINT: stops, then forces, and exits with the first signal’s code (143)', () => {
    const seen: [string, number][] = [];
    const { handlers, deliver } = install(seen);
    installed = handlers;
    expect(handlers.exitCode()).toBeUndefined();
    deliver('SIGTERM');
    expect(handlers.signal.aborted).toBe(true);
    expect(handlers.forceSignal.aborted).toBe(false);
    deliver('SIGINT');
    expect(handlers.forceSignal.aborted).toBe(true);
    expect(handlers.received()).toBe('SIGTERM');
    expect(handlers.exitCode()).toBe(143);
    expect(seen).toEqual([
      ['SIGTERM', 1],
      ['SIGINT', 2],
    ]);
  });

  it('SIGINT then SIGHUP exits 130; SIGHUP alone 129', () => {
    const first = install([]);
    installed = first.handlers;
    first.deliver('SIGINT');
    first.deliver('SIGHUP');
    expect(first.handlers.exitCode()).toBe(130);
    first.handlers.dispose();
    const second = install([]);
    installed = second.handlers;
    second.deliver('SIGHUP');
    expect(second.handlers.exitCode()).toBe(129);
  });

  it('counts the same signal repeated within 100 ms once (trial 58: `timeout` signals the process, then its group)', async () => {
    const seen: [string, number][] = [];
    const { handlers, deliver } = install(seen);
    installed = handlers;
    deliver('SIGTERM');
    deliver('SIGTERM');
    expect(handlers.signal.aborted).toBe(true);
    expect(handlers.forceSignal.aborted).toBe(false);
    expect(seen).toEqual([['SIGTERM', 1]]);
    // Later, it is the second one, even when repeats keep coming meanwhile (review 59: a key held down, a
    // signal every 20 ms, restarted the window and never forced).
    const start = performance.now();
    while (performance.now() - start < 150 && !handlers.forceSignal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      deliver('SIGTERM');
    }
    expect(handlers.forceSignal.aborted).toBe(true);
    expect(seen).toEqual([
      ['SIGTERM', 1],
      ['SIGTERM', 2],
    ]);
  });

  it('says each signal on stderr as the CLI does when no onSignal is given (trial 171: nothing was said)', () => {
    const written: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const { handlers, deliver } = install();
      installed = handlers;
      deliver('SIGINT');
      // Another signal: the same one within 100 ms counts once.
      deliver('SIGTERM');
    } finally {
      write.mockRestore();
    }
    expect(written.map((line) => line.trim())).toEqual([
      "parzen: SIGINT: letting running trials finish (up to the run's grace period, 30 s unless `gracePeriodMs` or a config's `gracePeriodSeconds` sets it), then stopping (press Ctrl-C again to stop now).",
      'parzen: SIGTERM: stopping now: running trials are recorded as interrupted.',
    ]);
  });

  it('says nothing of its own when onSignal is given', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const { handlers, deliver } = install([]);
      installed = handlers;
      deliver('SIGTERM');
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
  });

  it('removes its listeners when disposed', () => {
    const counts = () => ['SIGINT', 'SIGTERM', 'SIGHUP'].map((name) => process.listenerCount(name));
    const before = counts();
    const handlers = installInterruptHandlers();
    expect(counts()).toEqual(before.map((count) => count + 1));
    handlers.dispose();
    expect(counts()).toEqual(before);
  });
});

it('refuses an argument that is not a function, which failed only at the first Ctrl-C', () => {
  expect(() => installInterruptHandlers({ gracePeriodMs: 5000 } as never)).toThrow(
    expect.objectContaining({
      code: 'CONFIG_INVALID',
      issues: [expect.objectContaining({ pointer: '', found: '{"gracePeriodMs":5000}' })],
    }),
  );
});
