import { getMaxListeners, setMaxListeners } from 'node:events';

/**
 * Listens once for `abort` on a caller's signal, and returns what stops listening. While it listens, the
 * signal may have one listener more before Node warns of a leak: a service that gives one shutdown signal to
 * more than ten runs at once got `MaxListenersExceededWarning`, though each run removes its listener (trial
 * 73). A signal whose limit is off (0) is left as it is.
 */
export const listenForAbort = (signal: AbortSignal, listener: () => void): (() => void) => {
  const max = getMaxListeners(signal);
  const raised = max > 0;
  if (raised) setMaxListeners(max + 1, signal);
  signal.addEventListener('abort', listener, { once: true });
  let listening = true;
  return () => {
    if (!listening) return;
    listening = false;
    signal.removeEventListener('abort', listener);
    const now = getMaxListeners(signal);
    if (raised && now > 1) setMaxListeners(now - 1, signal);
  };
};
