import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string[] | undefined;

/**
 * The browser bundles of vega, vega-lite and vega-embed (in that order), read from the installed
 * packages, so a page can inline them and work offline.
 */
export const vegaBundles = (): readonly string[] => {
  // Made here, not at import: a program bundled to CommonJS has no import.meta.url (trial 80).
  const require = createRequire(import.meta.url);
  cached ??= [
    ['vega', 'vega.min.js'],
    ['vega-lite', 'vega-lite.min.js'],
    ['vega-embed', 'vega-embed.min.js'],
  ].map(([name, file]) => readFileSync(join(dirname(require.resolve(name as string)), file as string), 'utf8'));
  return cached;
};
