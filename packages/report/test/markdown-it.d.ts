// markdown-it ships no types: the little of it that svg.test.ts uses to render the index as a viewer would.
declare module 'markdown-it' {
  export default class MarkdownIt {
    constructor(options?: { html?: boolean });
    render(source: string): string;
    renderInline(source: string): string;
  }
}
