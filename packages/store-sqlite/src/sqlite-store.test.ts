import { describeStoreContract } from '@parzen/engine/testing';
import { useTempDir } from '@parzen/test-kit';
import { createSqliteStore, type SqliteStore } from './sqlite-store.js';

const tempPath = useTempDir('sqlite-contract');

describeStoreContract('sqlite', {
  create: () => createSqliteStore({ path: tempPath('study.parzen.db') }),
  reopen: (store) => createSqliteStore({ path: (store as SqliteStore).path }),
});
