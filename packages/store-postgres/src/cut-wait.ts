import { AsyncLocalStorage } from 'node:async_hooks';
import type { PoolClient } from 'pg';

/**
 * The signal that gives up the store operation going on (Ctrl-C: the first one, or the second for a write that
 * saves a result), set around the operation's retries and read where a statement is sent, so a statement the
 * server holds (another session's lock) is cut, not only the pause between retries (trial 56: a blocked
 * worker waited through two Ctrl-Cs).
 */
export const giveUpHere = new AsyncLocalStorage<AbortSignal>();

/** What a statement ends with when its wait was given up: the server was asked to cancel it. */
export class WaitGivenUp extends Error {
  override readonly name = 'WaitGivenUp';
  constructor() {
    super('the wait was given up (Ctrl-C); the server was asked to cancel the statement');
  }
}

/** How long a statement sent after the give-up may wait on the server before it is cut. */
const AFTER_STOP_MS = 1000;

/** How long a given-up statement's connection waits for the cancel to land before it is closed all the same. */
const SETTLE_MS = 5000;

/**
 * One pooled connection's statements under a give-up signal. `send` runs a statement; when the signal aborts
 * while it is on the server, `cancel(pid)` asks the server to cancel it (from a connection of its own) and
 * `send` rejects at once with {@link WaitGivenUp}; one sent after the signal aborted is cut so once the server
 * has held it {@link AFTER_STOP_MS}. `release` hands the connection back: one whose statement was
 * cut is closed once that statement has ended (cancelled, or not later than {@link SETTLE_MS}), never reused.
 */
export const guardedClient = (
  client: PoolClient,
  signal: AbortSignal | undefined,
  cancel: (pid: number) => Promise<void>,
) => {
  let pending: Promise<unknown> | undefined;
  let cut = false;
  return {
    get cut(): boolean {
      return cut;
    },
    send<T>(statement: () => Promise<T>): Promise<T> {
      if (signal === undefined) return statement();
      const sent = statement();
      pending = sent.catch(() => undefined);
      return new Promise<T>((resolve, reject) => {
        let late: NodeJS.Timeout | undefined;
        const onAbort = () => {
          cut = true;
          const pid = (client as unknown as { processID?: number | null }).processID;
          if (typeof pid === 'number') void cancel(pid).catch(() => undefined);
          reject(new WaitGivenUp());
        };
        // Sent after the stop (the run finishing its trials and its summary): it goes through when the
        // server answers, and is cut only when the server holds it longer than a moment.
        if (signal.aborted) late = setTimeout(onAbort, AFTER_STOP_MS);
        else signal.addEventListener('abort', onAbort, { once: true });
        const done = () => {
          clearTimeout(late);
          signal.removeEventListener('abort', onAbort);
        };
        sent.then(
          (value) => {
            done();
            resolve(value);
          },
          (error: unknown) => {
            done();
            reject(error);
          },
        );
      });
    },
    release(broken: boolean): void {
      if (!cut) {
        client.release(broken);
        return;
      }
      const settled = pending ?? Promise.resolve();
      const timer = new Promise((resolve) => setTimeout(resolve, SETTLE_MS).unref());
      void Promise.race([settled, timer]).then(() => client.release(true));
    },
  };
};
