import {
  type AnyPluginManifest,
  defineStore,
  resolveConfigPath,
  SERVICES,
  storeFilePathIssues,
  studyFileNameIssues,
} from '@parzen/engine/plugin';
import { defaultJournalName } from './default-path.js';
import type { FsyncPolicy } from './journal-file.js';
import { createJsonlStore } from './jsonl-store.js';
import { jsonlStoreOptionsSchema } from './options-schema.js';

/** Options of `{ "use": "jsonl" }`. */
export interface JsonlStoreManifestOptions {
  /** Journal file, relative to the config's folder. Default `<study>.parzen.jsonl` beside the config. */
  readonly path?: string;
  /** When the journal calls `fsync`: `finish` (the default), `always` or `never` (see `JsonlStoreOptions.fsync`). */
  readonly fsync?: FsyncPolicy;
  /** Read a damaged journal for a read-only command (see `JsonlStoreOptions.salvage`). */
  readonly salvage?: boolean;
}

export { jsonlStoreOptionsSchema };

/** `{ "use": "jsonl" }`: an append-only JSONL journal beside the config; several processes may share it. */
export const jsonlStoreManifest = defineStore<JsonlStoreManifestOptions>({
  name: 'jsonl',
  description: 'Append-only JSONL journal file; safe for several processes on one machine.',
  optionsSchema: jsonlStoreOptionsSchema,
  // Called by the engine before create, and by `parzen validate` instead of it (trial 48: validate passed
  // what run refused).
  check: (options, context) => [
    ...(options.salvage === true && context.readOnly !== true
      ? [
          {
            pointer: '/salvage',
            expected: 'salvage only for a command that reads (parzen trials, studies, best, export, report: --salvage)',
            found: 'true for a command that writes to the journal',
          },
        ]
      : []),
    ...(options.path === undefined ? studyFileNameIssues(defaultJournalName(context.study), context.study) : []),
    ...storeFilePathIssues(
      resolveConfigPath(context.baseDir, options.path ?? defaultJournalName(context.study)),
      '/path',
      options.path,
    ),
  ],
  create: (options, context) => {
    // Journal warnings (a repaired torn line, say) go to the study's logger service.
    const logger = context.services.get(SERVICES.logger);
    return createJsonlStore({
      path: resolveConfigPath(context.baseDir, options.path ?? defaultJournalName(context.study)),
      ...(options.fsync === undefined ? {} : { fsync: options.fsync }),
      onWarning: (message) => logger.warn(message),
      // Times come from the study's clock, as the engine's events' do.
      ...(context.services.has(SERVICES.clock) ? { clock: context.services.get(SERVICES.clock) } : {}),
      ...(context.readOnly === true ? { readOnly: true, ...(options.salvage === true ? { salvage: true } : {}) } : {}),
      // A wait for another process's lock gives up at Ctrl-C (see JsonlStoreOptions.stopping).
      ...(context.services.has(SERVICES.stopping) ? { stopping: context.services.get(SERVICES.stopping) } : {}),
    });
  },
});

/** The package's plugins, for a config's composition root: the `jsonl` store. */
export const manifests: readonly AnyPluginManifest[] = [jsonlStoreManifest];
