import { fileURLToPath } from 'node:url';
import { describeDurability } from '@parzen/test-kit';
import { createJsonlStore } from './jsonl-store.js';

describeDurability({
  kind: 'jsonl',
  open: (path) => createJsonlStore({ path, onWarning: () => undefined }),
  extension: '.parzen.jsonl',
  module: fileURLToPath(new URL('../dist/index.js', import.meta.url)),
  factory: 'createJsonlStore',
});
