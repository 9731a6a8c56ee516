import { AsyncLocalStorage } from 'node:async_hooks';
import type { PoolClient } from 'pg';

/**
 * The signal that gives up the store operation going on (Ctrl-C: the first one, or the second for a write that
 * saves a result), set around the operation's retries and read where a statement is sent, so a statement the
 * server holds (another session's lock) is cut, not only the pause between retries (a blocked
 * worker does not wait through two Ctrl-Cs).
 */
export const giveUpHere = new AsyncLocalStorage<AbortSignal>();

/** What a statement ends with when its wait was given up: the server cancelled it, so it did not happen. */
export class WaitGivenUp extends Error {
  override readonly name = 'WaitGivenUp';
  constructor() {
    super('the wait was given up (Ctrl-C), and the server cancelled the statement');
  }
}

/** How long a statement sent after the give-up may wait on the server before it is cut. */
const AFTER_STOP_MS = 1000;

/** PostgreSQL's code for a statement cancelled at the client's request. */
const QUERY_CANCELED = '57014';

/**
 * One pooled connection's statements under a give-up signal. `send` runs a statement; when the signal aborts
 * while it is on the server, `cancel(pid)` asks the server to cancel it (from a connection of its own), and the
 * statement's own end decides (an answer at once would say that a statement that committed as the
 * cancel was sent, or whose cancel could not be sent, had not happened): cancelled by the server, `send`
 * rejects with {@link WaitGivenUp}; done first, its result stands; a cancel that could not be sent leaves it to
 * end as the server lets it. One sent after the signal aborted is cut so once the server has held it
 * {@link AFTER_STOP_MS}.
 */
export const guardedClient = (
  client: PoolClient,
  signal: AbortSignal | undefined,
  cancel: (pid: number) => Promise<void>,
) => {
  // Once asked, a cancel may land on a later statement of this connection (the next of a transaction): each
  // then ends as cancelled, and the connection goes back to the pool only once the asking is over.
  let asked = false;
  let asking: Promise<void> = Promise.resolve();
  return {
    send<T>(statement: () => Promise<T>): Promise<T> {
      if (signal === undefined) return statement();
      const sent = statement();
      let late: NodeJS.Timeout | undefined;
      const onAbort = () => {
        asked = true;
        const pid = (client as unknown as { processID?: number | null }).processID;
        if (typeof pid === 'number') asking = cancel(pid).catch(() => undefined);
      };
      // Sent after the stop (the run finishing its trials and its summary): it goes through when the server
      // answers, and is cut only when the server holds it longer than a moment.
      if (signal.aborted) late = setTimeout(onAbort, AFTER_STOP_MS);
      else signal.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        clearTimeout(late);
        signal.removeEventListener('abort', onAbort);
      };
      return sent.then(
        (value) => {
          done();
          return value;
        },
        (error: unknown) => {
          done();
          throw asked && (error as { code?: string }).code === QUERY_CANCELED ? new WaitGivenUp() : error;
        },
      );
    },
    /** Hands the connection back (`broken`: closed instead), once a cancel asked on it is sent. */
    release(broken: boolean): void {
      void asking.then(() => client.release(broken));
    },
  };
};
