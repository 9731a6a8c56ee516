import { describeStoreContract } from '@parzen/engine/testing';
import { createJsonlStore, type JsonlStore } from './jsonl-store.js';
import { useTempDir } from './test-fixtures/temp-dir.js';

const tempPath = useTempDir('jsonl-contract');

describeStoreContract('jsonl', {
  create: () => createJsonlStore({ path: tempPath('study.parzen.jsonl') }),
  reopen: (store) => createJsonlStore({ path: (store as JsonlStore).path }),
});
