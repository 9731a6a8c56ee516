/** JSON Schema of the `jsonl` store's config options (`JsonlStoreManifestOptions`), with defaults. */
export const jsonlStoreOptionsSchema = {
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
