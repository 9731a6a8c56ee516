import type { ObjectSchemaNode } from '@parzen/engine/plugin';

/** {@link jsonlStoreOptionsSchema} as written, for the store's own code that extends it (the options code takes). */
export const JSONL_OPTIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: {
      type: 'string',
      minLength: 1,
      description:
        'Journal file; relative paths resolve against the config folder. Default: <study>.parzen.jsonl beside the config.',
    },
    fsync: {
      enum: ['finish', 'always', 'never'],
      default: 'finish',
      description:
        'finish: fsync after each finished trial (survives power loss); always: after every line; never: leave it to the OS.',
    },
    salvage: {
      type: 'boolean',
      description:
        'Read-only commands only (parzen trials, studies, best, export and report take --salvage): read a damaged journal, skipping each line that is no record or contradicts the ones before it.',
    },
  },
} as const;

/**
 * JSON Schema of the `jsonl` store's config options (`JsonlStoreManifestOptions`), with defaults: the
 * manifest's `optionsSchema`, which a config's `options` of `{ "use": "jsonl" }` are checked against (ajv fills
 * the defaults). Typed as an {@link ObjectSchemaNode}: read an option (`.properties.NAME`) or extend the schema with options of your own (`{ ...schema, properties: { ...schema.properties, more } }`); the options are listed in the config reference.
 */
export const jsonlStoreOptionsSchema: ObjectSchemaNode = JSONL_OPTIONS_SCHEMA;
