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
});
