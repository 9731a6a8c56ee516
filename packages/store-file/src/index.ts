/**
 * @packageDocumentation
 * The JSONL journal store for Parzen: a study in one append-only file beside the config, shared safely
 * by several processes on one machine.
 */
export { defaultJournalName } from './default-path.js';
export type { FsyncPolicy } from './journal-file.js';
export { isJournalFile } from './journal-reader.js';
export { createJsonlStore, type JsonlStore, type JsonlStoreOptions, keepClosedJournals } from './jsonl-store.js';
export {
  type JsonlStoreManifestOptions,
  jsonlStoreManifest,
  jsonlStoreOptionsSchema,
  manifests,
} from './manifest.js';
