/**
 * @packageDocumentation
 * The PostgreSQL store for Parzen: one study shared by worker processes on many machines.
 */

export type { PostgresStoreOptions } from './connection-options.js';
export {
  manifests,
  type PostgresStoreManifestOptions,
  postgresStoreManifest,
  postgresStoreOptionsSchema,
} from './manifest.js';
export { createPostgresStore, type PostgresStore } from './postgres-store.js';
