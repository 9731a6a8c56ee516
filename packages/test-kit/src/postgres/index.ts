/**
 * A throwaway PostgreSQL server for tests and benchmarks: `pg-cluster` starts and stops one from
 * Debian's binaries (as the `postgres` user when root, on a free loopback port); `global-setup` starts
 * one per vitest run of the `postgres` project; `postgres-env` gives tests fresh databases on it.
 */
export * from './pg-cluster.js';
export * from './postgres-env.js';
