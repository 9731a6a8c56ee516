import { fileURLToPath } from 'node:url';
import { describeDurability } from '@parzen/test-kit';
import { createSqliteStore } from './sqlite-store.js';

describeDurability({
  kind: 'sqlite',
  open: (path) => createSqliteStore({ path }),
  extension: '.parzen.db',
  module: fileURLToPath(new URL('../dist/index.js', import.meta.url)),
  factory: 'createSqliteStore',
});
