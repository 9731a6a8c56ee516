// The API site (`pnpm docs`): one module per package, and the guide (docs/, the examples' and the benchmarks'
// pages) rendered as documents, so the links between them and to the packages' pages are rewritten to the site's
// pages instead of raw copies. docs/tools/doc-links.test.ts checks every relative link and anchor of these pages.

/**
 * Makes the markdown parser's heading anchors the ones GitHub makes: the text of a heading's code spans counts
 * (`## \`parzen best\`` is `#parzen-best`, not `#_`), and a bare file name (`concepts.md`) is not a link to a host.
 * @param {import('markdown-it').default} parser
 */
const markdownItLoader = (parser) => {
  parser.linkify.set({ fuzzyLink: false });
  parser.core.ruler.push('heading_code_text', (state) => {
    state.tokens.forEach((token, index) => {
      if (token.type !== 'heading_open') return;
      for (const child of state.tokens[index + 1]?.children ?? []) {
        // TypeDoc's anchor reads the text of a heading's children; a code span's is its `content`.
        if (child.type !== 'code_inline') continue;
        const text = new state.Token('text', '', 0);
        text.content = child.content;
        child.children = [text];
      }
    });
  });
};

/** @type {Partial<import('typedoc').TypeDocOptions>} */
const config = {
  entryPointStrategy: 'packages',
  entryPoints: ['packages/*'],
  exclude: ['packages/test-kit'],
  name: 'Parzen',
  out: 'api-docs',
  disableSources: true,
  projectDocuments: ['docs/*.md', 'examples/*/README.md', 'bench/README.md', 'bench/results/*.md'],
  highlightLanguages: [
    'bash',
    'console',
    'css',
    'html',
    'javascript',
    'json',
    'jsonc',
    'json5',
    'python',
    'tsx',
    'typescript',
    'yaml',
  ],
  markdownItLoader,
  plugin: ['./docs/tools/typedoc-package-summaries.mjs'],
  // The modules page and every index list show each item's first paragraph.
  useFirstParagraphOfCommentAsSummary: true,
  // The packages first; the guide's pages after them (the entry page links to the guide).
  groupOrder: [
    'Modules',
    'Namespaces',
    'Enumerations',
    'Enumeration Members',
    'Classes',
    'Interfaces',
    'Type Aliases',
    'Constructors',
    'Properties',
    'Variables',
    'Functions',
    'Accessors',
    'Methods',
    'References',
    'Documents',
  ],
  validation: {
    notExported: false,
    notDocumented: true,
  },
  treatWarningsAsErrors: true,
};

export default config;
