import { describe, expect, it } from 'vitest';
import { extractSnippets } from './snippets.js';

describe('extractSnippets', () => {
  it('finds ts blocks with their line and mode, and skips other languages', () => {
    const markdown = [
      '# Title',
      '```ts',
      'const a = 1;',
      '```',
      '```sh',
      'echo no',
      '```',
      '```ts no-run',
      'nope();',
      '```',
      '```ts file=thing.ts',
      'export const thing = 1;',
      '```',
      '````ts test',
      'describe();',
      '```',
      '````',
    ].join('\n');
    expect(extractSnippets(markdown, 'docs/x.md')).toEqual([
      { file: 'docs/x.md', line: 2, mode: 'run', code: 'const a = 1;\n' },
      { file: 'docs/x.md', line: 8, mode: 'no-run', code: 'nope();\n' },
      { file: 'docs/x.md', line: 11, mode: 'run', name: 'thing.ts', code: 'export const thing = 1;\n' },
      { file: 'docs/x.md', line: 14, mode: 'test', code: 'describe();\n```\n' },
    ]);
  });
});
