/**
 * Finds the TypeScript snippets of the guide: fenced blocks whose info string starts with `ts`. The
 * words after it say how the snippet runs: none (run it as a module), `test` (it declares vitest suites:
 * import it while collecting tests) or `no-run` (only shown; keep these rare). `file=NAME.ts` saves the
 * snippet under that name, so later snippets of the same page can import it (`./NAME.js`).
 */

/** How a snippet is run. */
export type SnippetMode = 'run' | 'test' | 'no-run';

/** One fenced `ts` block of a Markdown file. */
export interface Snippet {
  /** The Markdown file, relative to the repository root. */
  readonly file: string;
  /** The 1-based line of the opening fence. */
  readonly line: number;
  readonly mode: SnippetMode;
  /** The module name other snippets of the page import it by (`file=NAME.ts`), if given. */
  readonly name?: string;
  readonly code: string;
}

const FENCE = /^(`{3,}|~{3,})\s*(\S*)\s*(.*)$/;

/** The `ts` snippets of one Markdown text, in order. */
export const extractSnippets = (markdown: string, file: string): Snippet[] => {
  const snippets: Snippet[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (open === null) continue;
    const [, fence = '```', language, flags = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j] ?? '').startsWith(fence)) body.push(lines[j++] ?? '');
    if (language === 'ts' || language === 'typescript') {
      const words = flags.split(/\s+/).filter(Boolean);
      const mode: SnippetMode = words.includes('no-run') ? 'no-run' : words.includes('test') ? 'test' : 'run';
      const name = words.find((word) => word.startsWith('file='))?.slice('file='.length);
      snippets.push({ file, line: i + 1, mode, ...(name === undefined ? {} : { name }), code: `${body.join('\n')}\n` });
    }
    i = j;
  }
  return snippets;
};

/** A fenced block of any language saved under a name (`file=NAME`): a file the reader is asked to create. */
export interface NamedFile {
  readonly name: string;
  readonly line: number;
  readonly code: string;
}

/** The blocks of a Markdown text that carry `file=NAME`, whatever their language. */
export const extractFiles = (markdown: string): NamedFile[] => {
  const files: NamedFile[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (open === null) continue;
    const [, fence = '```', , flags = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j] ?? '').startsWith(fence)) body.push(lines[j++] ?? '');
    const name = flags
      .split(/\s+/)
      .find((word) => word.startsWith('file='))
      ?.slice('file='.length);
    if (name !== undefined) files.push({ name, line: i + 1, code: `${body.join('\n')}\n` });
    i = j;
  }
  return files;
};
