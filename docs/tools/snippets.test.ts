/**
 * Runs every `ts` snippet of the guide (docs/*.md) and of the READMEs (the root's, each package's and each example's).
 * Each is written to docs/.snippets/PAGE/ (inside the
 * repository, so `@parzen/*` imports resolve to the workspace packages from source; a `file=NAME.ts`
 * snippet under its name, so the page's other snippets can import it) and imported: a
 * snippet that throws, or whose `node:assert` checks fail, fails the test named `docs/FILE.md:LINE`.
 * Snippets run in a fresh temporary working directory, so the files they write go nowhere.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { extractSnippets, type Snippet } from './snippets.js';

const docs = fileURLToPath(new URL('..', import.meta.url));
const root = join(docs, '..');
const out = join(docs, '.snippets');
/** The pages, by their path from the repository's root. */
const pages = [
  ...readdirSync(docs)
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
  'README.md',
  ...readdirSync(join(root, 'packages'))
    .map((name) => `packages/${name}/README.md`)
    .filter((page) => existsSync(join(root, page))),
  // The examples' READMEs too (review 27: the heart README's report snippet failed as written, untested).
  ...readdirSync(join(root, 'examples'))
    .map((name) => `examples/${name}/README.md`)
    .filter((page) => existsSync(join(root, page))),
];
const snippets = pages.flatMap((page) => extractSnippets(readFileSync(join(root, page), 'utf8'), page));

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
afterAll(() => rmSync(out, { recursive: true, force: true }));

const where = (snippet: Snippet) => `${snippet.file}:${snippet.line}`;
const pathOf = (snippet: Snippet) =>
  join(out, snippet.file.replace(/^docs\//, '').replace(/\.md$/, ''), snippet.name ?? `snippet-${snippet.line}.ts`);

// Every snippet is on disk before any runs, so a snippet can import a `file=` snippet of its page.
for (const snippet of snippets) {
  mkdirSync(dirname(pathOf(snippet)), { recursive: true });
  writeFileSync(pathOf(snippet), `// ${where(snippet)}\n${snippet.code}`);
}

/** Imports the snippet as a module from a temporary working directory; errors name the doc line. */
const load = async (snippet: Snippet): Promise<void> => {
  const path = pathOf(snippet);
  const home = process.cwd();
  const cwd = mkdtempSync(join(tmpdir(), 'parzen-snippet-'));
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  process.chdir(cwd);
  try {
    await import(pathToFileURL(path).href);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${where(snippet)}: the snippet failed: ${message}`, { cause: error });
  } finally {
    process.chdir(home);
    log.mockRestore();
    rmSync(cwd, { recursive: true, force: true });
  }
};

/** Type errors in the snippet files, checked with the workspace's test compiler options. */
const typeErrors = (): string[] => {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.test.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (config === undefined) throw new Error('tsconfig.test.json could not be read');
  const files = snippets.filter((snippet) => snippet.mode !== 'no-run').map(pathOf);
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  // Only the snippet files' diagnostics: asking the program for all of them would check every workspace
  // source a snippet imports (the typecheck script does that), four times the work.
  return program
    .getSourceFiles()
    .filter((file) => file.fileName.startsWith(out))
    .flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)])
    .map((diagnostic) => {
      const file = diagnostic.file as ts.SourceFile;
      const { line } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const snippet = snippets.find((candidate) => pathOf(candidate) === file.fileName);
      // Line 1 of the file is the `// docs/FILE.md:LINE` header; the snippet's first line follows its fence.
      const at = snippet === undefined ? file.fileName : `${snippet.file}:${snippet.line + line}`;
      return `${at}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
    });
};

describe('the guide', () => {
  it('has snippets that type-check, as a reader would compile them', () => {
    expect(typeErrors()).toEqual([]);
  });

  it('has snippets, and few that do not run', () => {
    expect(pages.length).toBeGreaterThanOrEqual(6);
    const skipped = snippets.filter((snippet) => snippet.mode === 'no-run');
    expect(snippets.length).toBeGreaterThanOrEqual(15);
    expect(skipped.length / snippets.length).toBeLessThan(0.25);
  });
});

for (const snippet of snippets) {
  if (snippet.mode === 'run') it(`runs ${where(snippet)}`, () => load(snippet));
  // A snippet that declares suites is imported while vitest collects them.
  if (snippet.mode === 'test') describe(`suites of ${where(snippet)}`, () => load(snippet));
}
