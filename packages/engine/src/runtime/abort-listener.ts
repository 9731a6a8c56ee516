import { getMaxListeners, setMaxListeners } from 'node:events';

/**
 * A signal's listener limit; 0 (off) when Node cannot say: Node 20's `getMaxListeners` throws a TypeError for
 * an `AbortSignal` whose limit was set to 0 (`setMaxListeners(0, signal)`, a service's way to silence the
 * warning), and `fmin` with such a signal ended in that TypeError.
 */
const maxListenersOf = (signal: AbortSignal): number => {
  try {
    return getMaxListeners(signal);
  } catch {
    return 0;
  }
};

/**
 * Listens once for `abort` on a caller's signal, and returns what stops listening. While it listens, the
 * signal may have one listener more before Node warns of a leak: a service that gives one shutdown signal to
 * more than ten runs at once would otherwise get `MaxListenersExceededWarning`, though each run removes its
 * listener. A signal whose limit is off (0) is left as it is.
 */
export const listenForAbort = (signal: AbortSignal, listener: () => void): (() => void) => {
  const max = maxListenersOf(signal);
  const raised = max > 0;
  if (raised) setMaxListeners(max + 1, signal);
  signal.addEventListener('abort', listener, { once: true });
  let listening = true;
  return () => {
    if (!listening) return;
    listening = false;
    signal.removeEventListener('abort', listener);
    const now = maxListenersOf(signal);
    if (raised && now > 1) setMaxListeners(now - 1, signal);
  };
};
