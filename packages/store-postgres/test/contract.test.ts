import { describeStoreContract } from '@parzen/engine/testing';
import { describePostgres, freshSchema } from '@parzen/test-kit/postgres';
import { createPostgresStore, type PostgresStore } from '../src/index.js';

const urls = new WeakMap<PostgresStore, string>();

describePostgres('postgres store', () => {
  describeStoreContract('postgres', {
    create: async () => {
      const url = await freshSchema('contract');
      const store = await createPostgresStore({ url });
      urls.set(store, url);
      return store;
    },
    reopen: (store) => createPostgresStore({ url: urls.get(store as PostgresStore) ?? '' }),
    keepsParzenVersion: true,
  });
});
