import { describeStoreContract } from '@parzen/engine/testing';
import { createPostgresStore, type PostgresStore } from '../src/index.js';
import { describePostgres, freshSchema } from './postgres-env.js';

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
  });
});
