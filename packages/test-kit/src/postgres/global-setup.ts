/**
 * Vitest global setup of the `postgres` test project: one PostgreSQL server for the whole test run.
 * - `PARZEN_TEST_POSTGRES_URL` set: that server is used (a superuser, or a role that may create
 *   databases and roles); the tests that stop the server or change its authentication are skipped.
 * - Else a throwaway cluster is started from `/usr/lib/postgresql/N/bin` and removed at the end.
 * - No binaries: with `CI` set the run fails with how to install them; otherwise the tests are skipped.
 */
import type { TestProject } from 'vitest/node';
import { type ClusterInfo, findPostgresBin, removeCluster, startCluster } from './pg-cluster.js';

/** What the test files get through `inject('postgres')`. */
export type PostgresTestServer =
  | { readonly state: 'ready'; readonly adminUrl: string; readonly cluster?: ClusterInfo }
  | { readonly state: 'missing'; readonly message: string };

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
    const message = `PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. ${INSTALL}`;
    if (process.env.CI) throw new Error(`The postgres store tests need a server in CI. ${message}`);
    process.stderr.write(`\n[store-postgres] skipping the PostgreSQL tests: ${message}\n\n`);
    project.provide('postgres', { state: 'missing', message });
    return undefined;
  }
  const cluster = await startCluster(bin);
  project.provide('postgres', { state: 'ready', adminUrl: cluster.adminUrl, cluster });
  return () => removeCluster(cluster);
}
