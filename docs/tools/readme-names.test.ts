/**
 * The exports a README or guide page names (`createJsonlStore`, `jsonlStoreManifest`) exist: trial 129 found three
 * READMEs naming `*StoreModule` exports removed long before. Checked: backticked names that start with `create`
 * or end in `Manifest` or `Module`, against every public entry point of every package.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const packages = readdirSync(join(root, 'packages'))
  .map((folder) => ({ folder, json: JSON.parse(readFileSync(join(root, 'packages', folder, 'package.json'), 'utf8')) }))
  .filter(({ json }) => json.private !== true);

/** Every name any public entry point exports. */
const exported = async (): Promise<Set<string>> => {
  const names = new Set<string>();
  // By file (the source entry of each export), since the docs package does not depend on every package.
  for (const { folder, json } of packages)
    for (const target of Object.values(json.exports as Record<string, Record<string, string>>)) {
      const source = target['@parzen/source'] as string;
      const module: Record<string, unknown> = await import(join(root, 'packages', folder, source));
      for (const name of Object.keys(module)) names.add(name);
    }
  return names;
};

/** Methods of the store contract the store READMEs name, not exports. */
const STORE_METHODS = new Set(['createTrial']);

const NAMED = /`((?:create[A-Z]\w*)|(?:[a-z]\w*(?:Manifest|Module)))(?:\([^`]*\))?`/g;

describe('package READMEs name exports that exist', () => {
  it('every `create...`, `...Manifest` and `...Module` a README names is exported', async () => {
    const names = await exported();
    const missing: string[] = [];
    const pages = [
      'README.md',
      ...readdirSync(join(root, 'docs'))
        .filter((name) => name.endsWith('.md'))
        .map((name) => `docs/${name}`),
      ...packages.map(({ folder }) => `packages/${folder}/README.md`),
    ].filter((page) => existsSync(join(root, page)));
    for (const page of pages)
      for (const match of readFileSync(join(root, page), 'utf8').matchAll(NAMED)) {
        const name = match[1] as string;
        if (!names.has(name) && !STORE_METHODS.has(name)) missing.push(`${page}: \`${name}\``);
      }
    expect(missing).toEqual([]);
    expect(names.has('jsonlStoreManifest')).toBe(true);
  }, 60_000);
});
