/**
 * @packageDocumentation
 * The SQLite store for Parzen: a study in one database file beside the config, shared safely by many
 * worker processes on one machine.
 */

export { defaultDatabaseName } from './default-path.js';
export {
  manifests,
  type SqliteStoreManifestOptions,
  sqliteStoreManifest,
  sqliteStoreOptionsSchema,
} from './manifest.js';
export { createSqliteStore, type FsyncPolicy, type SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
