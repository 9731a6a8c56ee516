/**
 * A throwaway PostgreSQL server for tests and benchmarks: `pg-cluster` starts and stops one from
 * Debian's binaries (as the `postgres` user when root, on a free loopback port); `postgres-env` starts
 * one per test run (the first test file that imports it) and gives tests fresh databases on it, and
 * `global-setup` removes it at the end.
 */
export * from './pg-cluster.js';
export * from './postgres-env.js';
