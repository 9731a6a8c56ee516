import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pageVersion } from './build-report.js';
import { renderHtml } from './html.js';
import type { ReportPage, ReportStudy } from './types.js';

/** After how many polls a build that failed is tried again, the study unchanged. */
const BUILD_RETRY_POLLS = 5;

/** What {@link serveReport} reads, builds and where it listens (always 127.0.0.1). */
export interface ServeOptions {
  /** Reads the study from its store (called once per poll; it must only read). */
  readonly load: () => Promise<ReportStudy>;
  /** Builds the page of a study (the same `buildReport` the file report uses). */
  readonly build: (study: ReportStudy) => Promise<ReportPage>;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** How often the store is read, in ms (default 1000). */
  readonly intervalMs?: number;
  /**
   * Told about a failed poll; the server keeps going. A failed build is tried again (every fifth poll, and when the
   * page is asked for), and one that fails again with the same message is not told again.
   */
  readonly onError?: (error: unknown) => void;
  /**
   * After how long a read still under way is told to the pages (event `status`), until it ends: a store that cannot
   * reach its database retries meanwhile, and says so in the server's log (default 3000, when the stores first say it).
   */
  readonly slowReadMs?: number;
}

/** Whether a request's Host names this server: 127.0.0.1 or localhost, at its port. */
export const servesHost = (host: string | undefined, port: number): boolean =>
  host !== undefined &&
  // A browser leaves out port 80 (review 97).
  [`127.0.0.1:${port}`, `localhost:${port}`, ...(port === 80 ? ['127.0.0.1', 'localhost'] : [])].includes(
    host.toLowerCase(),
  );

/** A running report server. */
export interface ReportServer {
  /** The page's address, `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** The port it listens on (the one picked when `port` was 0). */
  readonly port: number;
  /** Stops polling, ends the event streams and closes the server. The study is never touched. */
  close(): Promise<void>;
}

/**
 * Serves the report page on 127.0.0.1 and keeps it current: it polls the store, and when a trial was
 * added or finished, an enqueued entry added or taken, or a running trial's worker is gone (its lease lapsed),
 * rebuilds the page and pushes it to every open page over server-sent events
 * (`GET /events`, event `report`; event `status` says a failed read or build, and when polls work again); a build
 * that failed is tried again every fifth poll, and when the page is asked for. It only reads the store, so workers
 * may run meanwhile, and closing the page or the server leaves the study as it is.
 */
export const serveReport = async (options: ServeOptions): Promise<ReportServer> => {
  let page = await options.build(await options.load());
  let version = page.version;
  const clients = new Set<ServerResponse>();
  const send = (client: ServerResponse, current: ReportPage) =>
    client.write(`event: report\ndata: ${JSON.stringify(current)}\n\n`);
  // The last poll's failure, told to the pages (event `status`) until a poll works again (trial 141: said only in
  // the CLI's log; the page just stopped changing). A page that could not be built stays failed until one is:
  // kept apart from a failed read, so a read that works again does not clear it (review 146: a failed build, then a
  // failed read, then a read that worked said "reads the study again" over the page that was never built).
  const failures: { read?: string; build?: string; slow?: number } = {};
  const statusOf = (): string =>
    JSON.stringify(
      failures.read !== undefined
        ? { error: `reading the study failed: ${failures.read}` }
        : failures.slow !== undefined
          ? {
              error: `reading the study is taking over ${failures.slow} s (a store that cannot reach its database retries: see the report server's log)`,
            }
          : failures.build !== undefined
            ? { error: `the report could not be built: ${failures.build}` }
            : { ok: true },
    );
  const sendStatus = (client: ServerResponse) => client.write(`event: status\ndata: ${statusOf()}\n\n`);
  const told = (change: () => void) => {
    const was = statusOf();
    change();
    if (statusOf() !== was) for (const client of clients) sendStatus(client);
  };
  /** Says a failure; whether it is news (not the build's failure said already, tried again). */
  const failed = (kind: 'read' | 'build', error: unknown): boolean => {
    const message = error instanceof Error ? error.message : String(error);
    const news = kind === 'read' || failures.build !== message;
    told(() => {
      failures[kind] = message;
      // A read that ended (failed here) is no longer under way.
      if (kind === 'read') delete failures.slow;
    });
    return news;
  };
  const worked = (kind: 'read' | 'build') =>
    told(() => {
      delete failures[kind];
      if (kind === 'read') delete failures.slow;
    });
  // The page said "Live" through a store's retries (up to its retryTimeoutMs, 60 s by default), while the
  // server's log already said it was retrying.
  const slowReadMs = options.slowReadMs ?? 3000;

  const intervalMs = options.intervalMs ?? 1000;
  // A build that failed is tried again, the study unchanged (a build that failed once, out of memory, left the page
  // as it was until another trial came): every fifth poll, and at once when the page is asked for (a reload).
  let buildFailedAt = 0;
  // The poll under way, if any: one at a time.
  let polling: Promise<void> | undefined;
  /** Reads the study and builds its page when it changed or the last build failed (`now`: whenever it did). */
  const poll = (now = false): Promise<void> => {
    polling ??= (async () => {
      let stage: 'read' | 'build' = 'read';
      const slow = setTimeout(
        () =>
          told(() => {
            failures.slow = Math.round(slowReadMs / 100) / 10;
          }),
        slowReadMs,
      );
      slow.unref();
      try {
        const study = await options.load().finally(() => clearTimeout(slow));
        worked('read');
        const next = pageVersion(study, new Date());
        const retry =
          failures.build !== undefined && (now || Date.now() - buildFailedAt >= BUILD_RETRY_POLLS * intervalMs);
        if (next !== version || retry) {
          version = next;
          stage = 'build';
          page = await options.build(study);
          worked('build');
          for (const client of clients) send(client, page);
        }
      } catch (error) {
        if (stage === 'build') buildFailedAt = Date.now();
        if (failed(stage, error)) options.onError?.(error);
      } finally {
        polling = undefined;
      }
    })();
    return polling;
  };
  const answerPage = async (response: ServerResponse) => {
    if (failures.build !== undefined) {
      while (polling !== undefined) await polling;
      if (failures.build !== undefined) await poll(true);
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(renderHtml(page, { live: true }));
  };
  // Known once the server listens (the requests come after).
  let port = 0;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (!servesHost(request.headers.host, port)) {
      // Another name for this address (DNS rebinding: a web page whose name now points at 127.0.0.1) gets
      // nothing of the study (trial 93: any Host was answered).
      response
        .writeHead(403, { 'content-type': 'text/plain' })
        .end(`parzen report serves 127.0.0.1:${port} and localhost:${port} only.\n`);
    } else if (request.method !== 'GET') {
      response.writeHead(405).end();
    } else if (url.pathname === '/' || url.pathname === '/index.html') {
      void answerPage(response);
    } else if (url.pathname === '/events') {
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      response.write(': parzen report\n\n');
      clients.add(response);
      request.on('close', () => clients.delete(response));
      if (url.searchParams.get('version') !== page.version) send(response, page);
      if (failures.read !== undefined || failures.build !== undefined) sendStatus(response);
    } else if (url.pathname === '/favicon.ico') {
      response.writeHead(204).end();
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });

  const timer = setInterval(() => void poll(), intervalMs);
  const keepAlive = setInterval(() => {
    for (const client of clients) client.write(': keep-alive\n\n');
  }, 15_000);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: async () => {
      clearInterval(timer);
      clearInterval(keepAlive);
      for (const client of clients) client.end();
      clients.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
