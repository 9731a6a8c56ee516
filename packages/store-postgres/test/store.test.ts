import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorFacts, SERVICES, type StudySpec } from '@parzen/engine/plugin';
import { testPluginContext } from '@parzen/engine/testing';
import { rejectionOf } from '@parzen/test-kit';
import { adminQuery, describePostgres, freshSchema, urlFor } from '@parzen/test-kit/postgres';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { connectionIssues, parsingQuietly, planConnection, redactUrl, sslModeNote } from '../src/connection-options.js';
import { createPostgresStore, type PostgresStore, postgresStoreManifest } from '../src/index.js';
import { classify, storeError, unreachableServer, unusableConnection } from '../src/pg-errors.js';
import { backoffMs } from '../src/retry.js';
import { migrate } from '../src/schema.js';

const spec: StudySpec = {
  name: 'shared',
  direction: 'maximize',
  seed: 11,
  space: { x: { type: 'uniform', low: 0, high: 1 } },
};

/** The store's pool, to inject network faults at its boundary. */
const poolOf = (store: PostgresStore): Pool => (store as unknown as { pool: Pool }).pool;

/**
 * A TCP proxy to the server at `target` that can freeze: then nothing passes either way, on the connections open and
 * on new ones (accepted, as a stopped server's kernel accepts them), until it thaws.
 */
const freezingProxy = async (target: URL) => {
  let frozen = false;
  const held: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((inbound) => {
    const outbound = connect(Number(target.port), target.hostname);
    for (const [from, to] of [
      [inbound, outbound],
      [outbound, inbound],
    ] as const) {
      sockets.add(from);
      from.on('error', () => undefined);
      from.on('close', () => to.destroy());
      from.on('data', (chunk) => (frozen ? held.push(() => to.write(chunk)) : to.write(chunk)));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
      for (const write of held.splice(0)) write();
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

describe('postgres store options', () => {
  it('rejects a URL with a password, naming the fix and never printing the password', async () => {
    for (const url of [
      'postgres://alice:s3cret@db.example/studies',
      'postgres://alice@db.example/studies?password=s3cret',
    ]) {
      const error = await rejectionOf(createPostgresStore({ url }));
      expect(error).toMatchObject({ code: 'CONFIG_INVALID', issues: [{ pointer: '/url' }] });
      expect(error?.message).toContain('PGPASSWORD');
      expect(error?.message).not.toContain('s3cret');
    }
  });

  it('checks options given in code before connecting: a missing url, a misspelt option, a pool of 0', async () => {
    expect(await rejectionOf(createPostgresStore({ URL: 'postgres://a@b/c', poolSize: 0 } as never))).toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/^Invalid options for the postgres store:/),
      issues: [
        { pointer: '/url', expected: 'a value (required)', found: 'nothing' },
        expect.objectContaining({ pointer: '/URL', found: 'an unknown option `URL` (did you mean `url`?)' }),
        { pointer: '/poolSize', expected: 'an integer ≥ 1', found: '0' },
      ],
    });
  });

  it('rejects what is not a postgres URL, and a passwordEnv variable that is not set', async () => {
    expect(await rejectionOf(createPostgresStore({ url: 'mysql://alice@db/x' }))).toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('postgres://'),
    });
    expect(await rejectionOf(createPostgresStore({ url: 'db.example/studies' }))).toMatchObject({
      code: 'CONFIG_INVALID',
    });
    const missing = await rejectionOf(
      createPostgresStore({ url: 'postgres://alice@db.example/x', passwordEnv: 'PARZEN_TEST_NO_SUCH_VAR' }),
    );
    expect(missing).toMatchObject({ code: 'CONFIG_INVALID', issues: [{ pointer: '/passwordEnv' }] });
    expect(missing?.message).toContain('PARZEN_TEST_NO_SUCH_VAR');
  });
});

describe("postgres store URL of a Unix socket (trial 161: libpq's form refused, the accepted one unsaid)", () => {
  it("takes libpq's postgres://USER@/DATABASE?host=FOLDER and the percent-encoded folder as the host", async () => {
    const { parseIntoClientConfig } = await import('pg-connection-string');
    for (const url of [
      'postgres://ann@/studies?host=/run/postgresql&port=5499',
      'postgresql://ann@%2Frun%2Fpostgresql:5499/studies',
    ]) {
      expect(connectionIssues({ url }), url).toEqual([]);
      const plan = planConnection({ url }, parseIntoClientConfig, {});
      expect(plan.where, url).toBe('ann@/run/postgresql:5499/studies');
      expect(plan.pool).toMatchObject({ host: '/run/postgresql', port: 5499, user: 'ann', database: 'studies' });
    }
    // Its password is refused, and never shown.
    const secret = 'postgres://ann:s3cret@/studies?host=/run/postgresql';
    expect(redactUrl(secret)).toBe('postgres://ann:***@/studies?host=/run/postgresql');
    const [issue] = connectionIssues({ url: secret });
    expect(issue).toMatchObject({ pointer: '/url', found: 'postgres://ann:***@/studies?host=/run/postgresql' });
    // A URL that is none says the socket form too.
    expect(connectionIssues({ url: 'postgres://ann@db:port/x' })).toEqual([
      expect.objectContaining({
        expected:
          'postgres://USER@HOST[:PORT]/DATABASE (a Unix socket: postgres://USER@/DATABASE?host=/run/postgresql), without a password',
      }),
    ]);
  });
});

// Trial 161: a URL with a password that did not parse was quoted with the password in clear.
describe('postgres store URL with a password that does not parse', () => {
  it('is refused with the password masked, in the message and in the issue', async () => {
    for (const url of [
      'postgres://ann:s3cret@db:notaport/studies',
      'postgres://ann:s3cret@/studies',
      'postgres://ann:s3cret@[::1/studies',
      'postgres:ann:s3cret@db/studies',
      'ann:s3cret@db/studies',
      'postgres://ann@db:notaport/studies?password=s3cret',
    ]) {
      const [issue] = connectionIssues({ url });
      expect(issue?.found, url).toContain('***');
      expect(JSON.stringify(issue), url).not.toContain('s3cret');
      const refused = await rejectionOf(createPostgresStore({ url }));
      expect(refused, url).toMatchObject({ code: 'CONFIG_INVALID' });
      expect(JSON.stringify({ message: refused?.message, issues: refused?.issues }), url).not.toContain('s3cret');
    }
  });
});

describe('postgres store error handling', () => {
  const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  const plan = { pool: {}, where: 'ann@db:5432/studies', user: 'ann', database: 'studies', passwordSource: undefined };

  it("says a missing password and a full server in words, not the driver's (trial 83)", () => {
    const missing = unusableConnection(
      plan,
      new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'),
    );
    expect(missing.message).toBe(
      'Cannot use PostgreSQL at `ann@db:5432/studies`: no password was given. The server asks role `ann` for a password: set PGPASSWORD (or the variable named by `passwordEnv`).',
    );
    const full = unreachableServer(
      plan,
      Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
    );
    expect(full.message).toMatch(
      /^Cannot reach PostgreSQL at `ann@db:5432\/studies`: sorry, too many clients already\. The server has no connection left for this role \(max_connections/,
    );
    expect(full.message).not.toContain('URL');
  });

  it('says, when retries ran out, for how long they ran and what to do (trial 101: the bare socket error)', () => {
    const refused = pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432');
    const gaveUp = storeError(plan, refused, 'finishing a trial', { forMs: 5200, limitMs: 5000 });
    expect(gaveUp).toMatchObject({ code: 'STORE_FAILED' });
    expect(gaveUp.message).toBe(
      'PostgreSQL store `ann@db:5432/studies` failed while finishing a trial: connect ECONNREFUSED 127.0.0.1:5432 ' +
        '(retried for 5.2 s; retryTimeoutMs is 5 s). Once the server answers again, do it again: a run resumes the ' +
        'study where it stopped.',
    );
    // Apart too, so that a warning of a run that goes on leaves it out (trial 161).
    expect(gaveUp.advice).toBe('Once the server answers again, do it again: a run resumes the study where it stopped.');
    expect(errorFacts(gaveUp)).toBe(
      'PostgreSQL store `ann@db:5432/studies` failed while finishing a trial: connect ECONNREFUSED 127.0.0.1:5432 (retried for 5.2 s; retryTimeoutMs is 5 s)',
    );
    // Not retried, or not a failure retries are for: as it was.
    expect(storeError(plan, refused, 'finishing a trial').message).not.toContain('retried');
    expect(storeError(plan, pgError('23505'), 'finishing a trial', { forMs: 1, limitMs: 5000 }).message).not.toContain(
      'retried',
    );
  });

  it('retries lost connections, restarts and serialization failures; blames the config for auth and grants', () => {
    // A host name that does not resolve too (trial 161): a failover may drop the name for a while.
    for (const code of [
      'ECONNRESET',
      'ECONNREFUSED',
      'EPIPE',
      '57P01',
      '57P03',
      '40001',
      '40P01',
      '08006',
      '53300',
      'ENOTFOUND',
    ])
      expect(classify(pgError(code)), code).toBe('transient');
    expect(classify(new Error('Connection terminated unexpectedly'))).toBe('transient');
    for (const code of ['28P01', '28000', '3D000', '42501']) expect(classify(pgError(code)), code).toBe('input');
    expect(classify(new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'))).toBe('input');
    for (const code of ['23505', '42P01', '22003']) expect(classify(pgError(code)), code).toBe('other');
    // A Unix socket whose file is gone (the server stopped or restarts) is retried; another missing file is not.
    expect(classify(Object.assign(pgError('ENOENT'), { syscall: 'connect' }))).toBe('transient');
    expect(classify(Object.assign(pgError('ENOENT'), { syscall: 'open' }))).toBe('other');
  });

  it('says SSL the server does not offer and a certificate that does not verify as the URL to change, exit 2 (trial 161)', () => {
    const ssl = { ...plan, sslMode: 'require' };
    const refused = new Error('The server does not support SSL connections');
    expect(classify(refused)).toBe('input');
    expect(storeError(ssl, refused, 'opening it')).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(unusableConnection(ssl, refused).message).toBe(
      'Cannot use PostgreSQL at `ann@db:5432/studies`: The server does not support SSL connections. The URL asks for an ' +
        'encrypted connection (sslmode=require) and the server does not offer one: turn SSL on at the server (ssl = on in ' +
        'postgresql.conf, with a certificate), or take sslmode out of the URL (node-postgres never falls back to an ' +
        'unencrypted connection, not even for sslmode=prefer).',
    );
    for (const code of ['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'ERR_TLS_CERT_ALTNAME_INVALID'])
      expect(classify(pgError(code)), code).toBe('input');
    expect(unusableConnection(ssl, pgError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate')).message).toBe(
      "Cannot use PostgreSQL at `ann@db:5432/studies`: self-signed certificate. The server's certificate could not be " +
        'verified (node-postgres checks it for sslmode=require, which it reads as verify-full). Name the authority that ' +
        "signed it with sslrootcert=PATH in the URL; or, to encrypt without checking the certificate (libpq's " +
        'sslmode=require), write sslmode=require&uselibpqcompat=true.',
    );
  });

  it("says node-postgres' reading of sslmode in Parzen's words, not as a raw process warning, and refuses one it does not know", () => {
    const emitted: unknown[] = [];
    const emit = process.emitWarning;
    process.emitWarning = ((warning: unknown) => {
      emitted.push(warning);
    }) as typeof process.emitWarning;
    let aliased = 0;
    try {
      const parse = parsingQuietly(
        (url) => {
          process.emitWarning("SECURITY WARNING: The SSL modes 'prefer', 'require', and 'verify-ca' are ...");
          process.emitWarning('another warning');
          return { host: new URL(url).hostname };
        },
        () => aliased++,
      );
      expect(parse('postgres://ann@db/studies?sslmode=require')).toEqual({ host: 'db' });
    } finally {
      process.emitWarning = emit;
    }
    expect(aliased).toBe(1);
    expect(emitted).toEqual(['another warning']);
    expect(sslModeNote({ ...plan, sslMode: 'require' })).toBe(
      'PostgreSQL store `ann@db:5432/studies`: node-postgres reads sslmode=require in the URL as verify-full: the ' +
        "connection is encrypted and the server's certificate must be valid for its host name, where libpq's require does " +
        'not check the certificate. Write sslmode=verify-full to say so, or add uselibpqcompat=true to the URL for ' +
        "libpq's meaning; the store's README lists the modes.",
    );
    expect(connectionIssues({ url: 'postgres://ann@db/studies?sslmode=allow' })).toEqual([
      {
        pointer: '/url',
        expected: 'sslmode one of disable, no-verify, prefer, require, verify-ca, verify-full',
        found: 'postgres://ann@db/studies?sslmode=allow',
      },
    ]);
    // A file the URL names that cannot be read: said of the URL, not as the plugin failing to start.
    expect(() =>
      planConnection({ url: 'postgres://ann@db/s?sslmode=verify-full&sslrootcert=/no/such.crt' }, () => {
        throw new Error("ENOENT: no such file or directory, open '/no/such.crt'");
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        issues: [
          expect.objectContaining({ pointer: '/url', found: "ENOENT: no such file or directory, open '/no/such.crt'" }),
        ],
      }),
    );
  });

  it('says a host name that does not resolve as a server it cannot reach, exit 1 (trial 161: exit 2, the README said 1)', () => {
    const unresolved = pgError('ENOTFOUND', 'getaddrinfo ENOTFOUND nosuchhost.invalid');
    expect(storeError(plan, unresolved, 'opening it')).toMatchObject({ code: 'STORE_FAILED' });
    expect(unreachableServer(plan, unresolved).message).toBe(
      'Cannot reach PostgreSQL at `ann@db:5432/studies`: getaddrinfo ENOTFOUND nosuchhost.invalid. The host ' +
        'name in the URL does not resolve: check it (where DNS names the current primary, a failover may have dropped ' +
        'the name for a while).',
    );
  });

  it('says a socket folder without a server as unreachable, with what to check (trial 67)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'parzen-no-socket-'));
    const error = await rejectionOf(createPostgresStore({ url: `postgres://alice@localhost:5499/x?host=${folder}` }));
    expect(error).toMatchObject({ code: 'STORE_FAILED' });
    expect(error?.message).toContain('Cannot reach PostgreSQL at');
    expect(error?.message).toContain("The server's socket file is not there: is the server running");
  });

  it('backs off from 25-75 ms up to at most 3 s', () => {
    expect(backoffMs(0, () => 0)).toBe(25);
    expect(backoffMs(0, () => 1)).toBe(75);
    expect(backoffMs(3, () => 0.5)).toBe(400);
    expect(backoffMs(30, () => 1)).toBe(3_000);
  });
});

describePostgres('postgres store values and errors', () => {
  it('keeps non-finite values and JSON key order, and reports a closed store as STORE_CLOSED', async () => {
    const url = await freshSchema('values');
    const store = await createPostgresStore({ url });
    const space = { z: { type: 'uniform', low: 0, high: 1 }, a: { type: 'uniform', low: 0, high: 1 } } as const;
    await store.openStudy({ ...spec, space });
    await store.createTrial(spec.name);
    await store.finishTrial(spec.name, 0, { state: 'pruned', loss: Number.NEGATIVE_INFINITY });
    await store.close();
    await expect(store.listTrials(spec.name)).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    const again = await createPostgresStore({ url });
    expect((await again.openStudy({ ...spec, space })).resumed).toBe(true); // space compared as JSON text
    expect((await again.listTrials(spec.name))[0]).toMatchObject({ state: 'pruned', loss: Number.NEGATIVE_INFINITY });
    await again.close();
  });

  it('refuses a database that is not UTF8 (LATIN1) before writing to it; SQL_ASCII is fine (trial 183)', async () => {
    const name = `parzen_latin1_${randomBytes(4).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${name} ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`);
    const ascii = `parzen_ascii_${randomBytes(4).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${ascii} ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`);
    try {
      const error = await rejectionOf(createPostgresStore({ url: urlFor(name) }));
      expect(error).toMatchObject({ code: 'CONFIG_INVALID', issues: [{ pointer: '/store/options/url' }] });
      expect(error?.message).toMatch(
        new RegExp(
          `the database \`${name}\` is LATIN1; Parzen needs a UTF8 database, .*CREATE DATABASE ${name} ENCODING 'UTF8' TEMPLATE template0`,
        ),
      );
      // Nothing was written: no table of the store's.
      const tables = await adminQuery("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'", name);
      expect(tables.rows[0]).toEqual({ n: 0 });
      // Review 181: a LATIN1 database that already holds the store's tables (a store that worked with ASCII names) is
      // opened, with a warning; refusing it stopped every run of a working store.
      const { default: pg } = await import('pg');
      const pool = new pg.Pool({ connectionString: urlFor(name) });
      try {
        await migrate(pool, name);
      } finally {
        await pool.end();
      }
      const warnings: string[] = [];
      const existing = await createPostgresStore({ url: urlFor(name), onWarning: (message) => warnings.push(message) });
      await existing.openStudy(spec);
      await existing.close();
      expect(warnings).toEqual([
        expect.stringMatching(/is LATIN1; .*It already holds Parzen's tables, so it is opened/),
      ]);
      const store = await createPostgresStore({ url: urlFor(ascii) });
      await store.openStudy({ ...spec, space: { 'gr\u00f6\u00dfe': { type: 'uniform', low: 0, high: 1 } } });
      await store.close();
    } finally {
      await adminQuery(`DROP DATABASE ${name} WITH (FORCE)`);
      await adminQuery(`DROP DATABASE ${ascii} WITH (FORCE)`);
    }
  });

  it('creates no trial onlyEnqueued once the entries are taken, with four connections asking at once', async () => {
    const url = await freshSchema('only_enqueued');
    const stores = await Promise.all(Array.from({ length: 4 }, () => createPostgresStore({ url })));
    for (const store of stores) await store.openStudy(spec);
    const [first] = stores as [PostgresStore];
    for (let round = 0; round < 5; round++) {
      await first.enqueue(spec.name, [{ internal: { x: 0.1 } }, { internal: { x: 0.2 } }]);
      const made = await Promise.all(
        stores.flatMap((store) => [0, 1, 2].map(() => store.createTrial(spec.name, { onlyEnqueued: true }))),
      );
      expect(
        made
          .filter((trial) => trial !== undefined)
          .map((trial) => trial.internal.x)
          .sort(),
      ).toEqual([0.1, 0.2]);
    }
    // Ten trials, numbered densely: an ask that found no entry used no number.
    expect((await first.listTrials(spec.name)).map((trial) => trial.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await Promise.all(stores.map((store) => store.close()));
  });

  it('reconnects when the server ends its sessions, without the caller noticing', async () => {
    const url = await freshSchema('terminate');
    const store = await createPostgresStore({ url });
    await store.openStudy(spec);
    await store.createTrial(spec.name);
    const database = new URL(url).pathname.slice(1);
    const killed = await adminQuery(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'parzen' AND datname = '${database}'`,
    );
    expect(killed.rowCount).toBeGreaterThan(0);
    await store.finishTrial(spec.name, 0, { state: 'complete', loss: 1 });
    expect((await store.createTrial(spec.name))?.number).toBe(1);
    await store.close();
  });

  it('survives the server ending a connection the store holds (trial 83: an unhandled error event ended the process)', async () => {
    const url = await freshSchema('terminate-held');
    const store = await createPostgresStore({ url });
    await store.openStudy(spec);
    // A connection checked out of the pool, as a transaction or a cancellable statement holds it.
    const held = await poolOf(store).connect();
    expect(held.listenerCount('error')).toBeGreaterThan(0);
    const database = new URL(url).pathname.slice(1);
    const killed = await adminQuery(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'parzen' AND datname = '${database}'`,
    );
    expect(killed.rowCount).toBeGreaterThan(0);
    // The server's goodbye reaches the held connection: without a listener, Node throws it as uncaught.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(held.query('SELECT 1')).rejects.toThrow();
    held.release(true);
    expect((await store.createTrial(spec.name))?.number).toBe(0);
    await store.close();
  });

  it('retries a write whose reply was lost without doing it twice', async () => {
    const url = await freshSchema('lost-reply');
    const store = await createPostgresStore({ url });
    await store.openStudy(spec);
    const pool = poolOf(store);
    const query = pool.query.bind(pool) as (config: { name?: string }) => Promise<unknown>;
    let lost = 0;
    // The write commits, then the connection drops before the reply arrives (ECONNRESET).
    (pool as unknown as { query: unknown }).query = async (config: { name?: string }) => {
      const result = await query(config);
      if (lost < 3 && /createTrial|finish|setParams/.test(config.name ?? '')) {
        lost++;
        throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      }
      return result;
    };
    const trial = await store.createTrial(spec.name);
    await store.setParams(spec.name, 0, { x: 0.25 });
    const finished = await store.finishTrial(spec.name, 0, { state: 'complete', loss: 4 });
    expect(lost).toBe(3);
    expect(trial?.number).toBe(0);
    expect(finished).toMatchObject({ number: 0, state: 'complete', loss: 4, internal: { x: 0.25 } });
    const trials = await store.listTrials(spec.name);
    expect(trials).toHaveLength(1); // one trial, not one per try
    expect((await store.createTrial(spec.name))?.number).toBe(1);
    await store.close();
  });

  it('gives up its retries at Ctrl-C: the first stop for most operations, the second for saving a result', async () => {
    const url = await freshSchema('stopping');
    const stop = new AbortController();
    const force = new AbortController();
    const store = (await postgresStoreManifest.create(
      { url, retryTimeoutMs: 60_000 },
      testPluginContext({
        baseDir: '/',
        study: 's',
        services: [[SERVICES.stopping, { stop: stop.signal, force: force.signal }]],
      }),
    )) as PostgresStore;
    await store.openStudy(spec);
    await store.createTrial(spec.name);
    await store.createTrial(spec.name);
    await store.setParams(spec.name, 0, { x: 0.5 });
    const pool = poolOf(store);
    // With stop signals each statement takes a connection of its own (so it can be cancelled): the server
    // gone (a restart that takes its time) refuses it.
    const connect = pool.connect.bind(pool) as () => Promise<unknown>;
    let failures = Number.POSITIVE_INFINITY;
    (pool as unknown as { connect: unknown }).connect = async () => {
      if (failures-- > 0) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      return connect();
    };
    const started = Date.now();
    setTimeout(() => stop.abort(), 300);
    const creating = await rejectionOf(store.createTrial(spec.name));
    expect(creating).toMatchObject({ code: 'INTERRUPTED' });
    expect(creating?.message).toMatch(/creating a trial.*ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(5_000);

    // After the first stop, a finished trial is still saved once the server is back.
    failures = 3;
    expect(await store.finishTrial(spec.name, 0, { state: 'complete', loss: 1 })).toMatchObject({ state: 'complete' });
    // Saving waits on until the second stop.
    failures = Number.POSITIVE_INFINITY;
    setTimeout(() => force.abort(), 300);
    expect(await rejectionOf(store.reportIntermediate(spec.name, 1, 1, 2))).toMatchObject({ code: 'INTERRUPTED' });
    failures = 0;
    expect((await store.listTrials(spec.name)).map((trial) => trial.state)).toEqual(['complete', 'running']);
    await store.close();
  });

  it('is created by its manifest from the config options', async () => {
    const url = await freshSchema('manifest');
    const store = (await postgresStoreManifest.create(
      { url, poolSize: 2 },
      testPluginContext({ baseDir: '/', study: 's' }),
    )) as PostgresStore;
    expect(store.name).toBe('postgres');
    expect(store.where).toMatch(/^postgres@127\.0\.0\.1:\d+\/parzen_schemas_/);
    await store.close();
  });
});

/** A clock that reads the times given, one per call (the last one again once they run out). */
const clockAt = (...times: string[]) => {
  let next = 0;
  return { now: () => new Date(times[Math.min(next++, times.length - 1)] ?? 0) };
};

describePostgres('postgres store long waits', () => {
  it("says that a write waits on the server, blocked by another session's lock, and finishes once it is let go (trial 56)", async () => {
    const url = await freshSchema('long_wait');
    const warnings: string[] = [];
    const store = await createPostgresStore({ url, onWarning: (message) => warnings.push(message) });
    await store.openStudy(spec);
    await store.createTrial(spec.name);
    // Another session (a psql left in a transaction) holds the study's row.
    const other = await createPostgresStore({ url });
    const holder = await poolOf(other).connect();
    await holder.query('BEGIN');
    await holder.query("SELECT id FROM parzen_studies WHERE name = 'shared' FOR UPDATE");
    const finishing = store.finishTrial(spec.name, 0, { state: 'complete', loss: 1 });
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(warnings).toEqual([
      expect.stringMatching(
        /^PostgreSQL store `.*`: still waiting after 3 s for the server \(finishing a trial\); another session may hold a lock on this study/,
      ),
    ]);
    await holder.query('COMMIT');
    holder.release();
    expect(await finishing).toMatchObject({ state: 'complete', loss: 1 });
    expect(warnings).toHaveLength(1);
    await other.close();
    await store.close();
  }, 20_000);

  // Trial 161: all the server's processes stopped (a frozen host, a network that drops packets) was said as another
  // session's lock, with advice to ask pg_stat_activity, which could not be asked either.
  it('says a server that answers nothing, a new connection included, as frozen or out of reach, not as a lock', async () => {
    const proxy = await freezingProxy(new URL(await freshSchema('frozen')));
    const warnings: string[] = [];
    const store = await createPostgresStore({
      url: proxy.url,
      connectTimeoutMs: 1000,
      onWarning: (message) => warnings.push(message),
    });
    try {
      await store.openStudy(spec);
      await store.createTrial(spec.name);
      proxy.freeze();
      const finishing = store.finishTrial(spec.name, 0, { state: 'complete', loss: 1 });
      await new Promise((resolve) => setTimeout(resolve, 4500));
      expect(warnings).toEqual([
        expect.stringMatching(
          /^PostgreSQL store `.*`: still waiting after 3 s for the server \(finishing a trial\), which does not answer: a new connection got no answer either \(.*timeout.*\), so it is no lock but a server or host that froze, or a network that drops packets\. Parzen waits for it; check the database host and the network between\.$/,
        ),
      ]);
      // Nothing lost: the server answers again, and the trial is finished.
      proxy.thaw();
      expect(await finishing).toMatchObject({ state: 'complete', loss: 1 });
    } finally {
      proxy.thaw();
      await store.close();
      await proxy.close();
    }
  }, 20_000);

  it('says a statement the server holds as a lock also after a try that failed (review 71)', async () => {
    const url = await freshSchema('held_after_reset');
    const warnings: string[] = [];
    const stop = new AbortController();
    const store = await createPostgresStore({
      url,
      onWarning: (message) => warnings.push(message),
      stopping: { stop: stop.signal, force: new AbortController().signal },
    });
    await store.openStudy(spec);
    await store.createTrial(spec.name);
    const other = await createPostgresStore({ url });
    const holder = await poolOf(other).connect();
    await holder.query('BEGIN');
    await holder.query("SELECT id FROM parzen_studies WHERE name = 'shared' FOR UPDATE");
    // One connection reset, then the server answers and holds the statement on the lock.
    const pool = poolOf(store);
    const connect = pool.connect.bind(pool) as () => Promise<unknown>;
    let resets = 1;
    (pool as unknown as { connect: unknown }).connect = async () => {
      if (resets-- > 0) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      return connect();
    };
    const finishing = store.finishTrial(spec.name, 0, { state: 'complete', loss: 1 });
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(warnings).toEqual([expect.stringMatching(/still waiting after 3 s .*another session may hold a lock/)]);
    await holder.query('COMMIT');
    holder.release();
    expect(await finishing).toMatchObject({ state: 'complete', loss: 1 });
    await other.close();
    await store.close();
  }, 20_000);

  it('says a connect that hangs after a failed try as retries, not as a lock (review 72)', async () => {
    const url = await freshSchema('hanging_connect');
    const warnings: string[] = [];
    const store = await createPostgresStore({
      url,
      onWarning: (message) => warnings.push(message),
      stopping: { stop: new AbortController().signal, force: new AbortController().signal },
    });
    await store.openStudy(spec);
    await store.createTrial(spec.name);
    const pool = poolOf(store);
    const connect = pool.connect.bind(pool) as () => Promise<unknown>;
    let calls = 0;
    (pool as unknown as { connect: unknown }).connect = async () => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      // A firewall dropping packets: the connect hangs, then times out.
      if (calls === 2) {
        await new Promise((resolve) => setTimeout(resolve, 4_000));
        throw Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' });
      }
      return connect();
    };
    const finishing = store.finishTrial(spec.name, 0, { state: 'complete', loss: 1 });
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(warnings).toEqual([
      expect.stringMatching(/still retrying after 3 s .*the server does not answer \(read ECONNRESET\)/),
    ]);
    expect(await finishing).toMatchObject({ state: 'complete', loss: 1 });
    await store.close();
  }, 20_000);

  it('says a server that does not answer as such, not as a lock, and saves once it is back (trial 67)', async () => {
    const url = await freshSchema('long_outage');
    const warnings: string[] = [];
    const stop = new AbortController();
    const force = new AbortController();
    const store = await createPostgresStore({
      url,
      onWarning: (message) => warnings.push(message),
      stopping: { stop: stop.signal, force: force.signal },
    });
    await store.openStudy(spec);
    await store.createTrial(spec.name);
    // The server stopped, reached through its Unix socket: the socket file is gone.
    const pool = poolOf(store);
    const connect = pool.connect.bind(pool) as () => Promise<unknown>;
    let down = true;
    (pool as unknown as { connect: unknown }).connect = async () => {
      if (down)
        throw Object.assign(new Error('connect ENOENT /run/postgresql/.s.PGSQL.5432'), {
          code: 'ENOENT',
          syscall: 'connect',
        });
      return connect();
    };
    const finishing = store.finishTrial(spec.name, 0, { state: 'complete', loss: 1 });
    await new Promise((resolve) => setTimeout(resolve, 3500));
    down = false;
    expect(await finishing).toMatchObject({ state: 'complete', loss: 1 });
    expect(warnings).toEqual([
      expect.stringMatching(
        /^PostgreSQL store `.*`: still retrying after 3 s \(finishing a trial\): the server does not answer \(connect ENOENT \/run\/postgresql\/\.s\.PGSQL\.5432\); stopped, restarting or out of reach\? Parzen retries for up to 60 s in all\.$/,
      ),
    ]);
    await store.close();
  }, 20_000);
});

describePostgres('postgres store stopped while it saves a result', () => {
  // Trial 161: after a Ctrl-C the run said "up to 30 s, the grace period", then waited ~55 s more for the server.
  it('says, at the stop, that the save goes on past the grace period, for how long, and how to give up', async () => {
    const url = await freshSchema('stop_save');
    const stop = new AbortController();
    const warnings: string[] = [];
    const store = await createPostgresStore({
      url,
      retryTimeoutMs: 2000,
      onWarning: (message) => warnings.push(message),
      stopping: { stop: stop.signal, force: new AbortController().signal },
    });
    try {
      await store.openStudy(spec);
      await store.createTrial(spec.name);
      const pool = poolOf(store);
      (pool as unknown as { connect: unknown }).connect = async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      };
      const finishing = rejectionOf(store.finishTrial(spec.name, 0, { state: 'complete', loss: 1 }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      stop.abort();
      expect(warnings).toEqual([
        expect.stringMatching(
          /^PostgreSQL store `.*`: the stop does not cut finishing a trial, a write that saves a result, which the server has not taken \(connect ECONNREFUSED 127\.0\.0\.1:5432\): Parzen retries it for up to 1\.[5-7] s more \(retryTimeoutMs is 2 s\), past the grace period; if the retries run out, it ends with the store's error \(exit 1\), its result kept in the rescue file\. Press Ctrl-C again to give up now\.$/,
        ),
      ]);
      expect(await finishing).toMatchObject({ code: 'STORE_FAILED' });
      expect(warnings).toHaveLength(1);
    } finally {
      await store.close();
    }
  }, 20_000);
});

describePostgres('postgres store after an operation gave up on the server', () => {
  it('tries anything but a save once until the server answers again (trial 161: a worker waited twice retryTimeoutMs)', async () => {
    const url = await freshSchema('gave_up');
    const store = await createPostgresStore({ url, retryTimeoutMs: 2000, onWarning: () => undefined });
    await store.openStudy(spec);
    await store.createTrial(spec.name);
    await store.createTrial(spec.name);
    const pool = poolOf(store);
    const query = pool.query.bind(pool) as (config: unknown) => Promise<unknown>;
    let down = true;
    let tries = 0;
    (pool as unknown as { query: unknown }).query = async (config: unknown) => {
      tries++;
      if (down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      return query(config);
    };
    const finishing = await rejectionOf(store.finishTrial(spec.name, 0, { state: 'complete', loss: 1 }));
    expect(finishing?.message).toMatch(
      /failed while finishing a trial: .*\(retried for [\d.]+ s; retryTimeoutMs is 2 s\)\./,
    );
    // The summary a worker reads after that: one try, at once, saying why.
    tries = 0;
    const started = performance.now();
    const listing = await rejectionOf(store.listTrials(spec.name));
    const took = performance.now() - started;
    expect(tries).toBe(1);
    expect(took).toBeLessThan(300);
    expect(listing).toMatchObject({ code: 'STORE_FAILED' });
    expect(listing?.message).toMatch(
      /failed while listing trials: connect ECONNREFUSED 127\.0\.0\.1:5432 \(tried once: an operation before it retried for retryTimeoutMs \(2 s\) and gave up, and the server has not answered since\)\. Once the server answers again, do it again: a run resumes the study where it stopped\.$/,
    );
    // A save is still retried for retryTimeoutMs (its first give-up, with backoff's jitter, not before 0.7 s): a result
    // is worth it.
    tries = 0;
    setTimeout(() => {
      down = false;
    }, 150);
    expect(await store.finishTrial(spec.name, 1, { state: 'complete', loss: 2 })).toMatchObject({ state: 'complete' });
    expect(tries).toBeGreaterThan(1);
    // The server answered: operations retry again.
    down = true;
    tries = 0;
    setTimeout(() => {
      down = false;
    }, 150);
    expect(await store.listTrials(spec.name)).toHaveLength(2);
    expect(tries).toBeGreaterThan(1);
    await store.close();
  }, 20_000);
});

describePostgres(
  'postgres store, Ctrl-C on a statement the server holds (trial 56: two Ctrl-Cs did not end the wait)',
  () => {
    it('cuts it: the first stop for a read or a start, the second for a save, and the server cancels the statement', async () => {
      const url = await freshSchema('cut_wait');
      const stop = new AbortController();
      const force = new AbortController();
      const store = await createPostgresStore({ url, stopping: { stop: stop.signal, force: force.signal } });
      await store.openStudy(spec);
      await store.createTrial(spec.name);
      await store.enqueue(spec.name, [{ internal: { x: 0.5 } }]);
      // Another session (a psql left in a transaction) holds the study's row.
      const other = await createPostgresStore({ url });
      const holder = await poolOf(other).connect();
      await holder.query('BEGIN');
      await holder.query("SELECT id FROM parzen_studies WHERE name = 'shared' FOR UPDATE");
      const finishing = rejectionOf(store.finishTrial(spec.name, 0, { state: 'complete', loss: 1 }));
      const starting = rejectionOf(store.createTrial(spec.name, { onlyEnqueued: true }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The first stop ends the start (it saves nothing) and leaves the save waiting.
      stop.abort();
      const started = Date.now();
      expect(await starting).toMatchObject({
        code: 'INTERRUPTED',
        message: expect.stringMatching(
          /waited for the server \(creating a trial\); the server cancelled the statement, so it did not happen/,
        ),
      });
      expect(Date.now() - started).toBeLessThan(2000);
      // One asked after the stop goes through when the server answers, and is cut when held a moment.
      expect(await store.listEnqueued?.(spec.name)).toHaveLength(1);
      const late = Date.now();
      expect(await rejectionOf(store.createTrial(spec.name, { onlyEnqueued: true }))).toMatchObject({
        code: 'INTERRUPTED',
      });
      expect(Date.now() - late).toBeGreaterThanOrEqual(900);
      expect(Date.now() - late).toBeLessThan(3000);
      let saved = false;
      void finishing.then(() => {
        saved = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(saved).toBe(false);
      force.abort();
      expect(await finishing).toMatchObject({
        code: 'INTERRUPTED',
        message: expect.stringContaining('finishing a trial'),
      });
      // Cancelled on the server: once the lock goes, neither statement happens.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await holder.query('COMMIT');
      holder.release();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const reader = await createPostgresStore({ url });
      expect((await reader.listTrials(spec.name)).map((trial) => trial.state)).toEqual(['running']);
      expect(await reader.listEnqueued?.(spec.name)).toHaveLength(1);
      await Promise.all([reader.close(), other.close(), store.close()]);
    }, 20_000);
  },
);

describePostgres(
  'postgres store, Ctrl-C as the lock goes (review 63: said INTERRUPTED for a write that committed)',
  () => {
    it('says what the server did: saved when the statement ran first, INTERRUPTED only when it was cancelled', async () => {
      const url = await freshSchema('cut_race');
      const outcomes: string[] = [];
      for (let round = 0; round < 6; round++) {
        const force = new AbortController();
        const store = await createPostgresStore({
          url,
          stopping: { stop: new AbortController().signal, force: force.signal },
        });
        const study = { ...spec, name: `race${round}` };
        await store.openStudy(study);
        await store.createTrial(study.name);
        const other = await createPostgresStore({ url });
        const holder = await poolOf(other).connect();
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM parzen_studies WHERE name = $1 FOR UPDATE', [study.name]);
        const finishing = store.finishTrial(study.name, 0, { state: 'complete', loss: 1 }).then(
          () => 'saved',
          (error: { code?: string }) => String(error.code),
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        // The lock goes as Ctrl-C comes: a moment apart, each way round.
        if (round % 2 === 0) {
          force.abort();
          await holder.query('COMMIT');
        } else {
          const committing = holder.query('COMMIT');
          force.abort();
          await committing;
        }
        holder.release();
        const said = await finishing;
        const reader = await createPostgresStore({ url });
        const [stored] = await reader.listTrials(study.name);
        await reader.close();
        outcomes.push(`${said}/${stored?.state}`);
        expect(
          said === 'saved' ? stored?.state === 'complete' : said === 'INTERRUPTED' && stored?.state === 'running',
        ).toBe(true);
        await Promise.all([other.close(), store.close()]);
      }
      expect(outcomes).toHaveLength(6);
    }, 30_000);
  },
);

describePostgres('postgres store listings', () => {
  // An empty listing asked the server again whether the study was still there (studyExists): a second round trip.
  it('ask the server once, empty or not, and tell a study another handle deleted from an empty one', async () => {
    const url = await freshSchema('listings');
    const store = await createPostgresStore({ url });
    await store.openStudy(spec);
    const asked: string[] = [];
    const pool = poolOf(store);
    const query = pool.query.bind(pool) as (config: { name?: string }) => Promise<unknown>;
    (pool as unknown as { query: typeof query }).query = (config) => {
      asked.push(config.name ?? '?');
      return query(config);
    };
    const listings = [
      () => store.listEnqueued(spec.name),
      () => store.listTakenEntries(spec.name),
      () => store.listRemovedEntries(spec.name),
      () => store.listTrialsSince(spec.name),
    ];
    for (const list of listings) {
      asked.length = 0;
      const listed = await list();
      expect('trials' in listed ? listed.trials : listed).toEqual([]);
      expect(asked).toHaveLength(1);
    }
    // The same with something to list.
    await store.enqueue(spec.name, [
      { internal: { x: 0.1 }, key: 'a' },
      { internal: { x: 0.2 }, key: 'b' },
    ]);
    await store.createTrial(spec.name);
    await store.removeEnqueued(spec.name, [{ key: 'b' }]);
    asked.length = 0;
    expect(await store.listTakenEntries(spec.name)).toEqual([{ trial: 0, internal: { x: 0.1 }, key: 'a' }]);
    expect(await store.listRemovedEntries(spec.name)).toEqual([{ internal: { x: 0.2 }, key: 'b' }]);
    expect(await store.listEnqueued(spec.name)).toEqual([]);
    expect((await store.listTrialsSince(spec.name)).trials.map((trial) => trial.number)).toEqual([0]);
    expect(asked).toHaveLength(4);
    // Deleted by another handle: every listing says so (an empty answer alone cannot tell).
    const other = await createPostgresStore({ url });
    await other.deleteStudy(spec.name);
    await other.close();
    for (const list of listings)
      await expect(list()).rejects.toMatchObject({
        code: 'STUDY_NOT_FOUND',
        message: expect.stringMatching(/deleted/),
      });
    await store.close();
  });
});

describePostgres('postgres store listStudies', () => {
  // User trial: `parzen studies --store postgres:URL` exited 2 (the store had no listStudies), and
  // `parzen trials --store postgres:URL` asked for --study though the database held one study.
  it('lists every study in the database, oldest first (ties by name, as SQLite), each as getStudy reads it', async () => {
    const url = await freshSchema('list');
    const empty = await createPostgresStore({ url });
    expect(await empty.listStudies()).toEqual([]);
    await empty.close();
    const store = await createPostgresStore({
      url,
      clock: clockAt('2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z'),
    });
    const suggester = { name: 'tpe', settings: { gamma: 0.2 } };
    await store.openStudy({ ...spec, name: 'b' });
    await store.openStudy({ ...spec, name: 'c', direction: 'minimize', suggester });
    await store.openStudy({ ...spec, name: 'a', seed: 3 });
    const listed = await store.listStudies();
    expect(listed.map((study) => study.name)).toEqual(['b', 'a', 'c']);
    expect(listed[0]).toEqual({ ...spec, name: 'b', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(listed[1]).toEqual({ ...spec, name: 'a', seed: 3, createdAt: '2026-01-02T00:00:00.000Z' });
    expect(listed[2]).toEqual({
      ...spec,
      name: 'c',
      direction: 'minimize',
      suggester,
      createdAt: '2026-01-02T00:00:00.000Z',
    });
    // A study another process creates shows up on the next call.
    const other = await createPostgresStore({ url, clock: clockAt('2026-01-03T00:00:00.000Z') });
    await other.openStudy({ ...spec, name: 'later' });
    await other.close();
    expect((await store.listStudies()).map((study) => study.name)).toEqual(['b', 'a', 'c', 'later']);
    expect(await store.getStudy('later')).toEqual((await store.listStudies())[3]);
    await store.close();
    await expect(store.listStudies()).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });

  // Review 147: a version kept in a column of its own was added by ALTER TABLE on every writable open, which a
  // role that may read and write the tables but does not own them cannot run ("must be owner of table").
  it('keeps the version a study was created by, opened by a role that may write the tables but does not own them', async () => {
    const url = await freshSchema('version_worker');
    const suggester = { name: 'tpe', settings: { gamma: 0.15 } };
    const owner = await createPostgresStore({ url });
    // As an older Parzen created it: no version.
    await owner.openStudy({ ...spec, name: 'older', suggester });
    await owner.close();
    const schema = /search_path=(\w+)/.exec(decodeURIComponent(url))?.[1] ?? '';
    const role = `parzen_worker_${randomBytes(4).toString('hex')}`;
    const database = new URL(url).pathname.slice(1);
    await adminQuery(`CREATE ROLE ${role} LOGIN`);
    await adminQuery(
      `GRANT USAGE ON SCHEMA ${schema} TO ${role}; ` +
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}; ` +
        `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`,
      database,
    );
    const asWorker = new URL(url);
    asWorker.username = role;
    try {
      const worker = await createPostgresStore({ url: asWorker.toString() });
      const made = await worker.openStudy({ ...spec, name: 'made', suggester, parzenVersion: '0.1.0+6a34edef' });
      expect(made.study).toMatchObject({ suggester, parzenVersion: '0.1.0+6a34edef' });
      const older = await worker.openStudy({ ...spec, name: 'older', suggester, parzenVersion: '0.1.0+6a34edef' });
      expect(older.resumed).toBe(true);
      expect(older.study.suggester).toEqual(suggester);
      expect(older.study.parzenVersion).toBeUndefined();
      expect(await worker.createTrial('older')).toMatchObject({ number: 0 });
      await worker.close();
      const reader = await createPostgresStore({ url: asWorker.toString(), readOnly: true });
      expect((await reader.listStudies()).map((study) => [study.name, study.parzenVersion]).sort()).toEqual([
        ['made', '0.1.0+6a34edef'],
        ['older', undefined],
      ]);
      await reader.close();
    } finally {
      await adminQuery(`DROP OWNED BY ${role}`, database);
      await adminQuery(`DROP ROLE ${role}`);
    }
  });

  it('lists them opened read-only by a role that may only SELECT', async () => {
    const url = await freshSchema('list_ro');
    const writer = await createPostgresStore({ url });
    await writer.openStudy(spec);
    await writer.openStudy({ ...spec, name: 'second' });
    await writer.close();
    const schema = /search_path=(\w+)/.exec(decodeURIComponent(url))?.[1] ?? '';
    const role = `parzen_reader_${randomBytes(4).toString('hex')}`;
    const database = new URL(url).pathname.slice(1);
    await adminQuery(`CREATE ROLE ${role} LOGIN`);
    await adminQuery(
      `GRANT USAGE ON SCHEMA ${schema} TO ${role}; GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${role}`,
      database,
    );
    const asReader = new URL(url);
    asReader.username = role;
    try {
      const reader = await createPostgresStore({ url: asReader.toString(), readOnly: true });
      expect((await reader.listStudies()).map((study) => study.name)).toEqual(['shared', 'second']);
      await reader.close();
    } finally {
      // Roles outlive databases: none is left behind on a server given by PARZEN_TEST_POSTGRES_URL.
      await adminQuery(`DROP OWNED BY ${role}`, database);
      await adminQuery(`DROP ROLE ${role}`);
    }
  });
});
