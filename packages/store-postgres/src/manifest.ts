import { type AnyPluginManifest, defineStore, type ObjectSchemaNode, SERVICES } from '@parzen/engine/plugin';
import { connectionIssues, type PostgresStoreOptions } from './connection-options.js';
import type { createPostgresStore } from './postgres-store.js';

/** Options of `{ "use": "postgres" }`: those of {@link createPostgresStore}. */
export type PostgresStoreManifestOptions = PostgresStoreOptions;

/** {@link postgresStoreOptionsSchema} as written, for the store's own code that extends it (the options code takes). */
export const POSTGRES_OPTIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    url: {
      type: 'string',
      minLength: 1,
      description:
        'postgres://USER@HOST[:PORT]/DATABASE; through a Unix socket, postgres://USER@/DATABASE?host=/run/postgresql (or the folder percent-encoded as the host, postgres://USER@%2Frun%2Fpostgresql/DATABASE). No password here: it comes from PGPASSWORD, the variable named by passwordEnv, or PGPASSFILE / ~/.pgpass.',
    },
    passwordEnv: {
      type: 'string',
      minLength: 1,
      description: 'Environment variable holding the password (default: PGPASSWORD).',
    },
    poolSize: {
      type: 'integer',
      minimum: 1,
      default: 4,
      description: 'Connections this process keeps open at most.',
    },
    connectTimeoutMs: {
      type: 'integer',
      minimum: 1,
      default: 10_000,
      description: 'How long connecting may take before it fails.',
    },
    retryTimeoutMs: {
      type: 'integer',
      minimum: 0,
      default: 60_000,
      description: 'How long an operation retries transient errors (server restarting, connection reset).',
    },
    fsync: {
      enum: ['finish', 'always', 'never'],
      default: 'finish',
      description:
        "finish: commits that finish a trial or create a study wait for the server's flush, others do not; always: every commit; never: none.",
    },
  },
} as const;

/**
 * JSON Schema of {@link PostgresStoreManifestOptions}, with defaults: the manifest's `optionsSchema`, which a
 * config's `options` of `{ "use": "postgres" }` are checked against (ajv fills the defaults). Typed as an {@link ObjectSchemaNode}: read an option (`.properties.NAME`) or extend the schema with options of your own (`{ ...schema, properties: { ...schema.properties, more } }`); the options are listed in the config reference.
 */
export const postgresStoreOptionsSchema: ObjectSchemaNode = POSTGRES_OPTIONS_SCHEMA;

/**
 * `{ "use": "postgres" }`: a study in a PostgreSQL database, shared by workers on many machines. `pg` is
 * imported only when the store is created, so other commands never load it.
 */
export const postgresStoreManifest = defineStore<PostgresStoreManifestOptions>({
  name: 'postgres',
  description: 'PostgreSQL database; safe for many worker processes on many machines.',
  optionsSchema: postgresStoreOptionsSchema,
  // Called before create, and by `parzen validate` instead of it (trial 48: validate passed a URL with a
  // password, or of another scheme, that run refused).
  check: (options) => connectionIssues(options),
  create: async (options, context) =>
    (await import('./postgres-store.js')).createPostgresStore({
      ...options,
      // `parzen trials`, `best`, `export`, `report`: never upgrade the schema under older workers.
      ...(context.readOnly === true ? { readOnly: true } : {}),
      // Retries (a server restarting, a lost connection) give up at Ctrl-C.
      ...(context.services.has(SERVICES.stopping) ? { stopping: context.services.get(SERVICES.stopping) } : {}),
      // Times come from the study's clock, as the engine's events' do.
      ...(context.services.has(SERVICES.clock) ? { clock: context.services.get(SERVICES.clock) } : {}),
      // A long wait on the server (a lock another session holds) is said through the study's logger.
      ...(context.services.has(SERVICES.logger)
        ? { onWarning: (message: string) => context.services.get(SERVICES.logger).warn(message) }
        : {}),
    }),
});

/** The package's plugins, for a config's composition root: the `postgres` store. */
export const manifests: readonly AnyPluginManifest[] = [postgresStoreManifest];
