/**
 * What the postgres test files share: the test run's server (started by the first test file that imports
 * this, or `PARZEN_TEST_POSTGRES_URL`), a fresh database per call, and admin SQL. Test files wrap their
 * suites in `describePostgres`, which skips them (the global setup said why) when no server is available
 * outside CI.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, inject } from 'vitest';
import { isAlive } from '../run-process.js';
import type { PostgresTestServer } from './global-setup.js';
import { type ClusterInfo, startCluster } from './pg-cluster.js';

/** How long a test process waits for another one to start the server. */
const START_TIMEOUT_MS = 120_000;

/**
 * The server as the global setup provided it; when it left the start to the test files (`lazy`), the
 * first test process to get here starts it (it creates the `starting` folder, which only one can) and
 * writes `cluster.json`, and the others wait for that file (or for `failed.txt`, the first one's error).
 */
const resolveServer = async (provided: PostgresTestServer): Promise<Exclude<PostgresTestServer, { state: 'lazy' }>> => {
  if (provided.state !== 'lazy') return provided;
  const info = join(provided.dir, 'cluster.json');
  const failed = join(provided.dir, 'failed.txt');
  const starting = join(provided.dir, 'starting');
  try {
    mkdirSync(starting);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!existsSync(info)) {
      if (existsSync(failed)) throw new Error(readFileSync(failed, 'utf8'));
      const pidFile = join(starting, 'pid');
      const starter = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined;
      if (starter !== undefined && !isAlive(starter))
        publish(failed, `The test process that was starting PostgreSQL (pid ${starter}) ended before it was up.`);
      else if (Date.now() > deadline)
        publish(failed, `PostgreSQL was not up within ${START_TIMEOUT_MS} ms: no ${info} (starting: pid ${starter}).`);
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const cluster = JSON.parse(readFileSync(info, 'utf8')) as ClusterInfo;
    return { state: 'ready', adminUrl: cluster.adminUrl, cluster };
  }
  try {
    publish(join(starting, 'pid'), String(process.pid));
    const cluster = await startCluster(provided.bin, ['fsync=off'], provided.owner);
    publish(info, JSON.stringify(cluster));
    return { state: 'ready', adminUrl: cluster.adminUrl, cluster };
  } catch (error) {
    publish(failed, error instanceof Error ? error.message : String(error));
    throw error;
  }
};

/** Writes a file whole: a reader sees all of it or none. */
const publish = (file: string, text: string): void => {
  writeFileSync(`${file}.partial`, text);
  renameSync(`${file}.partial`, file);
};

const server = await resolveServer(inject('postgres'));
if (server.state === 'missing') {
  // Each test file that needs the server says so (or, in CI, fails): a run without them says nothing.
  if (process.env.CI) throw new Error(`The postgres store tests need a server in CI. ${server.message}`);
  process.stderr.write(`\n[store-postgres] skipping the PostgreSQL tests of this file: ${server.message}\n\n`);
}

/** `describe`, or `describe.skip` when there is no PostgreSQL to test against. */
export const describePostgres = (name: string, body: () => void): void => {
  describe.skipIf(server.state !== 'ready')(name, body);
};

/** The throwaway cluster, when the tests started one (undefined with `PARZEN_TEST_POSTGRES_URL`). */
export const cluster: ClusterInfo | undefined = server.state === 'ready' ? server.cluster : undefined;

const adminUrl = server.state === 'ready' ? server.adminUrl : 'postgres://unavailable';

/** A URL of the test server with another database and, optionally, another user (no password). */
export const urlFor = (database: string, user?: string, base: string = adminUrl): string => {
  const url = new URL(base);
  url.pathname = `/${database}`;
  url.password = '';
  if (user !== undefined) url.username = user;
  return url.toString();
};

/** Runs SQL as the admin role, on the admin database or on `database`. */
export const adminQuery = async (sql: string, database?: string): Promise<pg.QueryResult> => {
  const url = new URL(adminUrl);
  const client = new pg.Client({
    connectionString: database === undefined ? adminUrl : urlFor(database),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
  });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
};

const created: string[] = [];
afterAll(async () => {
  if (cluster !== undefined || server.state !== 'ready') return; // the throwaway cluster goes as a whole
  for (const name of created.splice(0)) await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

/** A new, empty database (name `parzen_<prefix>_<random>`); returns its name and URL as the admin role. */
export const freshDatabase = async (prefix: string): Promise<{ readonly name: string; readonly url: string }> => {
  const name = `parzen_${prefix}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  created.push(name);
  return { name, url: urlFor(name) };
};

let shared: Promise<{ readonly name: string; readonly url: string }> | undefined;

/**
 * A new, empty schema in a database shared by the calling test file, as a URL whose `options` put the
 * schema first on the search path: the store's tables land there. Much cheaper than a database.
 */
export const freshSchema = async (prefix: string): Promise<string> => {
  shared ??= freshDatabase('schemas');
  const database = await shared;
  const schema = `${prefix.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${schema}`, database.name);
  const url = new URL(database.url);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
};
