import { describeDurability } from '../../store-file/src/test-fixtures/durability-suite.js';
import { createSqliteStore } from './sqlite-store.js';

describeDurability({ kind: 'sqlite', open: (path) => createSqliteStore({ path }), extension: '.parzen.db' });
