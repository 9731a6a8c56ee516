/**
 * The paragraphs of `results/tpe-latency.md` that `tpe-latency.ts --write` did not write (readings added by
 * hand), split at its table: `before` the table (without the script's "kept" mark), `after` it. The script's
 * own paragraphs are its title, its `Machine:` line, its description (starting "One suggestion (history
 * sync" and "`parzen-joint` and"), the mark and the table itself (the paragraph starting
 * "| profile | finished trials |"); another table in a reading is the reading's.
 */
export const handWritten = (previous: string, mark: string): { before: string; after: string } => {
  const generated = (paragraph: string) =>
    paragraph.startsWith('# TPE suggestion latency') ||
    paragraph.startsWith('Machine: ') ||
    paragraph.startsWith('One suggestion (history sync') ||
    paragraph.startsWith('`parzen-joint` and `parzen-groups`') ||
    paragraph === mark;
  const paragraphs = previous
    .replace(/\r\n/g, '\n')
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');
  const table = paragraphs.findLastIndex((paragraph) => paragraph.startsWith('| profile | finished trials |'));
  const kept = (from: number, to: number) =>
    paragraphs
      .slice(from, to)
      .filter((paragraph) => !generated(paragraph))
      .join('\n\n');
  return table < 0
    ? { before: kept(0, paragraphs.length), after: '' }
    : { before: kept(0, table), after: kept(table + 1, paragraphs.length) };
};
