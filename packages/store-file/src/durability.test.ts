import { createJsonlStore } from './jsonl-store.js';
import { describeDurability } from './test-fixtures/durability-suite.js';

describeDurability({
  kind: 'jsonl',
  open: (path) => createJsonlStore({ path, onWarning: () => undefined }),
  extension: '.parzen.jsonl',
});
