import { describe, expect, it } from 'vitest';
import { takeEarlySignal, watchEarlySignals } from './early-signals.js';

describe('early signals (while the CLI loads, before `run` handles them)', () => {
  it('remembers the first signal instead of dying silently, hands it to run once, and removes its listeners', () => {
    const before = process.listenerCount('SIGINT');
    watchEarlySignals();
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    // emit, not kill: the listener is what is tested, not the operating system.
    process.emit('SIGINT', 'SIGINT');
    expect(takeEarlySignal()).toBe('SIGINT');
    expect(process.listenerCount('SIGINT')).toBe(before);
    expect(takeEarlySignal()).toBeUndefined();
  });
});
