/**
 * The links of the pages the API site renders (`pnpm docs`, typedoc.config.mjs): the root README, each package's
 * README and the project documents (the guide, the examples' and the benchmarks' pages). A relative link must reach
 * a file; a page it links to must be one the site renders (TypeDoc copies any other file as it is, so a guide page
 * left out is shown as raw text with dead links); an anchor must be one GitHub and TypeDoc both give the heading.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The part of TypeDoc's options this check reads. */
export interface SiteOptions {
  readonly entryPoints: readonly string[];
  readonly exclude?: readonly string[];
  readonly projectDocuments?: readonly string[];
}

const escapeRegExp = (part: string): string => part.replace(/[.+^${}()|[\]\\]/g, '\\$&');

/** The files under `root` a pattern of `*` path segments (`bench/results/*.md`) matches, sorted. */
export const expandPattern = (root: string, pattern: string): string[] => {
  let found = [''];
  for (const part of pattern.split('/')) {
    const matcher = new RegExp(`^${part.split('*').map(escapeRegExp).join('[^/]*')}$`);
    found = found.flatMap((base) => {
      const folder = join(root, base);
      if (!part.includes('*')) return existsSync(join(folder, part)) ? [join(base, part)] : [];
      if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
      return readdirSync(folder)
        .filter((name) => matcher.test(name))
        .map((name) => join(base, name));
    });
  }
  return found.sort();
};

/** The markdown files the site renders as pages, relative to `root`. */
export const renderedPages = (root: string, options: SiteOptions): string[] => {
  const excluded = new Set((options.exclude ?? []).flatMap((pattern) => expandPattern(root, pattern)));
  const packages = options.entryPoints
    .flatMap((pattern) => expandPattern(root, pattern))
    .filter((folder) => !excluded.has(folder) && existsSync(join(root, folder, 'README.md')))
    .map((folder) => join(folder, 'README.md'));
  const documents = (options.projectDocuments ?? []).flatMap((pattern) => expandPattern(root, pattern));
  return [...new Set(['README.md', ...packages, ...documents])];
};

/** The page's text without its fenced code blocks (their lines kept blank, so line numbers stay). */
const withoutFences = (text: string): string[] => {
  let fence: string | undefined;
  return text.split('\n').map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && marker !== undefined) {
      fence = marker;
      return '';
    }
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return '';
    }
    return line;
  });
};

/** A heading's text as both renderers read it: code spans and link texts kept, markup and tags dropped. */
const headingText = (markdown: string): string =>
  markdown
    .replace(/<[^>]+>/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*+/g, '')
    .trim();

/** github-slugger's numbering of repeated anchors: `a`, `a-1`, `a-2`. */
const githubNumbered = (slugs: string[]): Set<string> => {
  const seen = new Map<string, number>();
  return new Set(
    slugs.map((original) => {
      let slug = original;
      while (seen.has(slug)) {
        const count = (seen.get(original) ?? 0) + 1;
        seen.set(original, count);
        slug = `${original}-${count}`;
      }
      seen.set(slug, 0);
      return slug;
    }),
  );
};

/** TypeDoc's numbering of repeated anchors (its `Slugger.slug`). */
const typedocNumbered = (slugs: string[]): Set<string> => {
  const seen = new Map<string, number>();
  return new Set(
    slugs.map((original) => {
      let count = seen.get(original);
      let slug = original;
      if (count !== undefined) {
        do {
          count++;
          slug = `${original}-${count}`;
        } while (seen.has(slug));
      }
      seen.set(original, count ?? 0);
      return slug;
    }),
  );
};

/** GitHub's anchor for a heading (github-slugger): lower case, symbols dropped, each space a hyphen. */
export const githubSlug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');

/** TypeDoc's anchor for a heading (its `Slugger`): ASCII punctuation dropped, other symbols kept. */
export const typedocSlug = (text: string): string => {
  const slug = text
    .trim()
    .replace(/[\u2000-\u206F\u2E00-\u2E7F\\'!"#$%&()*+,./:;<=>?@[\]^`{|}~]/g, '')
    .replace(/\s/g, '-')
    .replace(/--+/, '-');
  return (slug || '_').toLocaleLowerCase();
};

/** The anchors of a page's headings that GitHub and TypeDoc agree on, and the headings they disagree on. */
export const anchorsOf = (text: string): { anchors: Set<string>; disagree: string[] } => {
  const headings = withoutFences(text)
    .map((line) => /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1])
    .filter((heading): heading is string => heading !== undefined)
    .map(headingText);
  const github = githubNumbered(headings.map(githubSlug));
  const typedoc = typedocNumbered(headings.map(typedocSlug));
  const anchors = new Set([...github].filter((slug) => typedoc.has(slug)));
  const disagree = headings.filter((heading) => !anchors.has(githubSlug(heading)));
  return { anchors, disagree };
};

/** The link targets of a page (markdown links and images, `href`/`src` attributes), with their line. */
export const linksOf = (text: string): { line: number; target: string }[] =>
  withoutFences(text).flatMap((raw, index) => {
    const line = raw.replace(/`[^`]*`/g, 'code');
    const targets = [
      ...[...line.matchAll(/\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1] ?? ''),
      ...[...line.matchAll(/\b(?:href|src)="([^"]*)"/g)].map((match) => match[1] ?? ''),
    ];
    return targets.map((target) => ({ line: index + 1, target }));
  });

/** Every problem of the rendered pages' relative links, as `page:line: target: what is wrong`. */
export const deadLinks = (root: string, options: SiteOptions): string[] => {
  const pages = renderedPages(root, options);
  const rendered = new Set(pages.map((page) => resolve(root, page)));
  const anchors = new Map<string, ReturnType<typeof anchorsOf>>();
  const anchorsAt = (file: string) => {
    const found = anchors.get(file) ?? anchorsOf(readFileSync(file, 'utf8'));
    anchors.set(file, found);
    return found;
  };
  const problems: string[] = [];
  for (const page of pages) {
    const file = resolve(root, page);
    for (const { line, target } of linksOf(readFileSync(file, 'utf8'))) {
      if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const report = (what: string) => problems.push(`${page}:${line}: ${target}: ${what}`);
      const [path = '', anchor] = target.split('#');
      if (path.startsWith('/')) {
        report('an absolute path: the site and GitHub resolve it differently; write a relative one');
        continue;
      }
      const reached = path === '' ? file : resolve(dirname(file), decodeURI(path.split('?')[0] ?? ''));
      const shown = relative(root, reached);
      if (!existsSync(reached)) report(`${shown} does not exist`);
      else if (statSync(reached).isDirectory()) report(`${shown} is a folder: the site has no page for it`);
      else if (reached.endsWith('.md') && !rendered.has(reached))
        report(`${shown} is not a page of the site (add it to projectDocuments in typedoc.config.mjs)`);
      else if (anchor !== undefined && rendered.has(reached)) {
        const { anchors: known, disagree } = anchorsAt(reached);
        if (!known.has(anchor)) {
          const hint =
            disagree.length > 0 ? `; headings GitHub and TypeDoc anchor differently: ${disagree.join(' | ')}` : '';
          report(`no heading of ${shown} has the anchor #${anchor}${hint}`);
        }
      }
    }
  }
  return problems;
};
