/**
 * Checks the generated API site (after `pnpm docs`): every relative `href`/`src` of its HTML pages reaches a file,
 * an anchor reaches an `id` of its page, and no markdown file was copied as it is (a guide page left out of the
 * documents, shown raw with dead links). Prints each problem and exits 1 if there is one.
 *
 *     pnpm docs && npx tsx docs/tools/check-site-links.ts [api-docs]
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const site = resolve(process.argv[2] ?? 'api-docs');
if (!existsSync(site)) {
  console.error(`${site} does not exist: run \`pnpm docs\` first.`);
  process.exit(1);
}

const files = (folder: string): string[] =>
  readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });

const ids = new Map<string, Set<string>>();
const idsOf = (page: string): Set<string> => {
  let found = ids.get(page);
  if (found === undefined) {
    const html = readFileSync(page, 'utf8');
    found = new Set([...html.matchAll(/\s(?:id|name)="([^"]+)"/g)].map((match) => match[1] ?? ''));
    ids.set(page, found);
  }
  return found;
};

const problems = new Set<string>();
const all = files(site);
for (const copied of all.filter((path) => path.endsWith('.md')))
  problems.add(`${relative(site, copied)}: a markdown file copied as it is (add it to projectDocuments)`);
for (const page of all.filter((path) => path.endsWith('.html'))) {
  const html = readFileSync(page, 'utf8');
  for (const [, link = ''] of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue;
    const [path = '', anchor] = link.split('#');
    const target = path === '' ? page : resolve(dirname(page), decodeURIComponent(path));
    const from = relative(site, page);
    if (!existsSync(target)) problems.add(`${from}: ${link}: no such file`);
    else if (anchor && target.endsWith('.html') && !idsOf(target).has(decodeURIComponent(anchor)))
      problems.add(`${from}: ${link}: no such anchor`);
  }
}
for (const problem of problems) console.log(problem);
console.log(`${problems.size} dead link(s) in ${all.length} files of ${site}`);
process.exit(problems.size === 0 ? 0 : 1);
