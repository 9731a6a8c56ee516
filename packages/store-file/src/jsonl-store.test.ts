import { describeStoreContract } from '@parzen/engine/testing';
import { useTempDir } from '@parzen/test-kit';
import { createJsonlStore, type JsonlStore } from './jsonl-store.js';

const tempPath = useTempDir('jsonl-contract');

describeStoreContract('jsonl', {
  create: () => createJsonlStore({ path: tempPath('study.parzen.jsonl') }),
  reopen: (store) => createJsonlStore({ path: (store as JsonlStore).path }),
});
