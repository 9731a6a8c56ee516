/** Text for HTML or XML character data or a double-quoted attribute: `&`, `<`, `>` and `"` escaped. */
export const escapeMarkup = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
