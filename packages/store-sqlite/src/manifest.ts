import {
  type AnyPluginManifest,
  defineStore,
  type PluginContext,
  resolveConfigPath,
  SERVICES,
  storeFilePathIssues,
  studyFileNameIssues,
} from '@parzen/engine/plugin';
import { defaultDatabaseName } from './default-path.js';
import { sqliteStoreOptionsSchema } from './options-schema.js';
import { saidForConfig } from './sqlite-errors.js';
import { createSqliteStore, type FsyncPolicy } from './sqlite-store.js';

/** Options of `{ "use": "sqlite" }`. */
export interface SqliteStoreManifestOptions {
  /** Database file, relative to the config's folder. Default `<study>.parzen.db` beside the config. */
  readonly path?: string;
  /** How long a write waits for other processes' transactions before failing, in ms; default 30,000. */
  readonly busyTimeoutMs?: number;
  /** When SQLite flushes to disk: `finish` (the default), `always` or `never` (see `SqliteStoreOptions.fsync`). */
  readonly fsync?: FsyncPolicy;
  /** Read-only commands only: read a damaged database anyway (see `SqliteStoreOptions.salvage`). */
  readonly salvage?: boolean;
}

export { sqliteStoreOptionsSchema };

/** The store a config's options make, its file at `path`. */
const createStore = (path: string, options: SqliteStoreManifestOptions, context: PluginContext) =>
  createSqliteStore({
    path,
    ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
    ...(options.fsync === undefined ? {} : { fsync: options.fsync }),
    ...(context.readOnly === true ? { readOnly: true, ...(options.salvage === true ? { salvage: true } : {}) } : {}),
    // Times come from the study's clock, as the engine's events' do.
    ...(context.services.has(SERVICES.clock) ? { clock: context.services.get(SERVICES.clock) } : {}),
    // A long wait to save a result is said through the study's logger, as the JSONL store's is.
    ...(context.services.has(SERVICES.logger)
      ? { onWarning: (message: string) => context.services.get(SERVICES.logger).warn(message) }
      : {}),
    // A wait for another process's write gives up at Ctrl-C.
    ...(context.services.has(SERVICES.stopping) ? { stopping: context.services.get(SERVICES.stopping) } : {}),
  });

/** `{ "use": "sqlite" }`: a SQLite database beside the config; many processes may share it. */
export const sqliteStoreManifest = defineStore<SqliteStoreManifestOptions>({
  name: 'sqlite',
  description: 'SQLite database file (WAL); safe for many processes on one machine.',
  optionsSchema: sqliteStoreOptionsSchema,
  check: (options, context) => [
    ...(options.salvage === true && context.readOnly !== true
      ? [
          {
            pointer: '/salvage',
            expected: 'salvage only for a command that reads (parzen trials, studies, best, export, report: --salvage)',
            found: 'true for a command that writes to the database',
          },
        ]
      : []),
    ...(options.path === undefined ? studyFileNameIssues(defaultDatabaseName(context.study), context.study) : []),
    ...storeFilePathIssues(
      resolveConfigPath(context.baseDir, options.path ?? defaultDatabaseName(context.study)),
      '/path',
      options.path,
    ),
  ],
  create: (options, context) => {
    const path = resolveConfigPath(context.baseDir, options.path ?? defaultDatabaseName(context.study));
    try {
      return createStore(path, options, context);
    } catch (error) {
      // Its advice said as a config or the `parzen` command names a store, not as code makes one.
      throw saidForConfig(path, error);
    }
  },
});

/** The package's plugins, for a config's composition root: the `sqlite` store. */
export const manifests: readonly AnyPluginManifest[] = [sqliteStoreManifest];
