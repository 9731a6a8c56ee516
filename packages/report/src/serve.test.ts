import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type ReportServer, serveReport, servesHost } from './serve.js';
import type { ReportPage, ReportStudy } from './types.js';

/** GET `path` from the server at `port` with the Host header `host`; resolves to the status and body. */
const get = (port: number, path: string, host: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const sent = request({ host: '127.0.0.1', port, path, headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    sent.on('error', reject);
    sent.end();
  });

describe('report --serve', () => {
  let server: ReportServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers only requests for 127.0.0.1 or localhost at its port (trial 93: any Host, as DNS rebinding sends)', async () => {
    const page = { version: 'v1' } as unknown as ReportPage;
    server = await serveReport({
      load: async () => ({}) as ReportStudy,
      build: async () => page,
      intervalMs: 60_000,
    });
    const { port } = server;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`])
      expect((await get(port, '/favicon.ico', host)).status).toBe(204);
    for (const host of [`attacker.example:${port}`, 'attacker.example', `127.0.0.1:${port + 1}`, `127.0.0.1`]) {
      const refused = await get(port, '/', host);
      expect(refused.status).toBe(403);
      expect(refused.body).toBe(`parzen report serves 127.0.0.1:${port} and localhost:${port} only.\n`);
      expect((await get(port, '/events', host)).status).toBe(403);
    }
  });

  it('takes a Host without its port only on port 80, where browsers leave it out (review 97)', () => {
    expect(servesHost('localhost', 80)).toBe(true);
    expect(servesHost('127.0.0.1', 80)).toBe(true);
    expect(servesHost('localhost', 8080)).toBe(false);
    expect(servesHost('evil.example', 80)).toBe(false);
    expect(servesHost(undefined, 80)).toBe(false);
  });
});
