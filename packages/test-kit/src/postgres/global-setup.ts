/**
 * Vitest global setup for the PostgreSQL tests: one server for the whole test run.
 * - `PARZEN_TEST_POSTGRES_URL` set: that server is used (a superuser, or a role that may create
 *   databases and roles); the tests that stop the server or change its authentication are skipped.
 * - Else a throwaway cluster from `/usr/lib/postgresql/N/bin`, started by the first test file that needs
 *   it (`postgres-env`), so a run without PostgreSQL tests starts none; removed at the end.
 * - No binaries: a test file that needs the server fails with how to install them when `CI` is set, and
 *   is skipped with that message otherwise.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type ClusterInfo, findPostgresBin, removeCluster } from './pg-cluster.js';

/** What the test files get through `inject('postgres')`. */
export type PostgresTestServer =
  | { readonly state: 'ready'; readonly adminUrl: string; readonly cluster?: ClusterInfo }
  | { readonly state: 'missing'; readonly message: string }
  | {
      readonly state: 'lazy';
      /** The server binaries. */
      readonly bin: string;
      /** Where the first test file to need the server starts it and writes `cluster.json` (or `failed.txt`). */
      readonly dir: string;
      /** The test run's process: the cluster is removed when it is gone, even if the teardown never ran. */
      readonly owner: number;
    };

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: PostgresTestServer;
  }
}

const INSTALL = 'Install PostgreSQL (Debian: `apt-get install -y postgresql`) or set PARZEN_TEST_POSTGRES_URL.';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env.PARZEN_TEST_POSTGRES_URL;
  if (external !== undefined && external !== '') {
    project.provide('postgres', { state: 'ready', adminUrl: external });
    return undefined;
  }
  const bin = findPostgresBin();
  if (bin === undefined) {
    // Said (or, in CI, thrown) by `postgres-env` when a test file needs the server: a run without
    // PostgreSQL tests neither warns nor fails.
    const message = `PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. ${INSTALL}`;
    project.provide('postgres', { state: 'missing', message });
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'parzen-pg-run-'));
  project.provide('postgres', { state: 'lazy', bin, dir, owner: process.pid });
  return async () => {
    const info = join(dir, 'cluster.json');
    if (existsSync(info)) await removeCluster(JSON.parse(readFileSync(info, 'utf8')) as ClusterInfo);
    rmSync(dir, { recursive: true, force: true });
  };
}
