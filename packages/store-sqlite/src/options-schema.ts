import type { ObjectSchemaNode } from '@parzen/engine/plugin';

/** {@link sqliteStoreOptionsSchema} as written, for the store's own code that extends it (the options code takes). */
export const SQLITE_OPTIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: {
      type: 'string',
      minLength: 1,
      description:
        'Database file; relative paths resolve against the config folder. Default: <study>.parzen.db beside the config.',
    },
    busyTimeoutMs: {
      type: 'integer',
      minimum: 0,
      maximum: 2_147_483_647,
      default: 30_000,
      description:
        'How long a write waits for other processes before failing; a write that saves a result waits on, saying so each time.',
    },
    fsync: {
      enum: ['finish', 'always', 'never'],
      default: 'finish',
      description:
        'finish: fsync commits that finish trials (survives power loss); always: every commit; never: leave it to the OS.',
    },
    salvage: {
      type: 'boolean',
      description:
        'Read-only commands only (parzen trials, studies, best, export and report take --salvage): read a damaged database, each trial on its own, skipping (and naming) those that cannot be read.',
    },
  },
} as const;

/**
 * JSON Schema of the `sqlite` store's config options (`SqliteStoreManifestOptions`), with defaults: the
 * manifest's `optionsSchema`, which a config's `options` of `{ "use": "sqlite" }` are checked against (ajv fills
 * the defaults). Typed as an {@link ObjectSchemaNode}: read an option (`.properties.NAME`) or extend the schema with options of your own (`{ ...schema, properties: { ...schema.properties, more } }`); the options are listed in the config reference.
 */
export const sqliteStoreOptionsSchema: ObjectSchemaNode = SQLITE_OPTIONS_SCHEMA;
