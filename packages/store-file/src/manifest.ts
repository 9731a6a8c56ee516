import { defineStore, pluginModule, resolveConfigPath } from '@parzen/engine';
import { defaultJournalName } from './default-path.js';
import type { FsyncPolicy } from './journal-file.js';
import { createJsonlStore } from './jsonl-store.js';

/** Options of `{ "use": "jsonl" }`. */
export interface JsonlStoreManifestOptions {
  /** Journal file, relative to the config's folder. Default `<study>.parzen.jsonl` beside the config. */
  readonly path?: string;
  readonly fsync?: FsyncPolicy;
}

/** JSON Schema of {@link JsonlStoreManifestOptions}, with defaults. */
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
  },
} as const;

/** `{ "use": "jsonl" }`: an append-only JSONL journal beside the config; several processes may share it. */
export const jsonlStoreManifest = defineStore<JsonlStoreManifestOptions>({
  name: 'jsonl',
  description: 'Append-only JSONL journal file; safe for several processes on one machine.',
  optionsSchema: jsonlStoreOptionsSchema,
  create: (options, context) =>
    createJsonlStore({
      path: resolveConfigPath(context.baseDir, options.path ?? defaultJournalName(context.study)),
      ...(options.fsync === undefined ? {} : { fsync: options.fsync }),
      ...(context.readOnly === true ? { readOnly: true } : {}),
    }),
});

/** The package's ContainerModule: contributes the `jsonl` store. */
export const jsonlStoreModule = pluginModule(jsonlStoreManifest);
