import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anchorsOf, deadLinks, githubSlug, linksOf, type SiteOptions, typedocSlug } from './doc-links.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the API site links', () => {
  it('every relative link of a rendered page reaches a page of the site, a file, or a heading', async () => {
    const options: SiteOptions = (await import(join(root, 'typedoc.config.mjs'))).default;
    expect(options.projectDocuments).toContain('docs/*.md');
    expect(deadLinks(root, options)).toEqual([]);
  });

  it('reads anchors as GitHub and TypeDoc make them, and flags headings they make differently', () => {
    expect(githubSlug('`parzen best`'.replace(/`/g, ''))).toBe('parzen-best');
    expect(typedocSlug('parzen best')).toBe('parzen-best');
    const page = '# Title\n## `parzen best`\n## Trials → stores\n```\n## not a heading\n```\n## Title\n';
    const { anchors, disagree } = anchorsOf(page);
    expect([...anchors]).toEqual(['title', 'parzen-best', 'title-1']);
    expect(disagree).toEqual(['Trials → stores']);
    expect(linksOf('[a](x.md#y) `[b](no.md)` ![c](img.png "t")\n<a href="z.md">')).toEqual([
      { line: 1, target: 'x.md#y' },
      { line: 1, target: 'img.png' },
      { line: 2, target: 'z.md' },
    ]);
  });

  it("names each entry point of a package with several by its import path, not its file's name", async () => {
    // TypeDoc names a package's entry points after their files ("index", "plugin", "host") unless the file's
    // comment says `@module`; the sidebar should show what a user imports.
    const options: SiteOptions = (await import(join(root, 'typedoc.config.mjs'))).default;
    const wrong: string[] = [];
    for (const folder of readdirSync(join(root, 'packages'))) {
      if (options.exclude?.includes(`packages/${folder}`)) continue;
      const read = (file: string) => JSON.parse(readFileSync(join(root, 'packages', folder, file), 'utf8'));
      const entries: string[] = read('typedoc.json').entryPoints;
      if (entries.length < 2) continue;
      const manifest = read('package.json');
      const sources = new Map<string, string>();
      for (const [path, target] of Object.entries<Record<string, string>>(manifest.exports ?? {}))
        sources.set(target['@parzen/source']?.replace(/^\.\//, '') ?? '', join(manifest.name, path));
      for (const entry of entries) {
        const name = sources.get(entry) ?? '(not exported)';
        const text = readFileSync(join(root, 'packages', folder, entry), 'utf8');
        const comment = text.slice(0, text.indexOf('*/'));
        if (!comment.includes(`@module ${name}\n`)) wrong.push(`packages/${folder}/${entry}: @module ${name}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
