import { printable } from '@parzen/engine/host';

/** Code points that take two cells in a terminal (East Asian wide and fullwidth, emoji). */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

/** Marks that take no cell of their own (combining accents, joiners, variation selectors). */
const ZERO_WIDTH = /^(?:\p{Mn}|\p{Me}|[\u200b-\u200f\u2060]|[\ufe00-\ufe0f])$/u;

/**
 * How many terminal cells `text` takes: two for a wide character, none for a combining mark (padding
 * by code units puts a column with 日本 two cells out of line).
 */
export const displayWidth = (text: string): number => {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code < 0x300) width += 1;
    else if (ZERO_WIDTH.test(char)) continue;
    else width += WIDE.some(([low, high]) => code >= low && code <= high) ? 2 : 1;
  }
  return width;
};

const padded = (cell: string, width: number, right: boolean): string => {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(cell)));
  return right ? fill + cell : cell + fill;
};

/**
 * The lines of a text table, headers first: columns aligned with two spaces between them (by terminal cells:
 * a wide character takes two), the columns listed in `right` right-aligned. The widths are found first; each
 * line is then made as it is asked for.
 */
export function* tableLines(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  right: ReadonlySet<number> = new Set(),
): Iterable<string> {
  // A loop, not Math.max(...): spreading a study's 150,000 rows as arguments overflows the stack.
  const widths = headers.map((header) => displayWidth(printable(header, true)));
  for (const row of rows)
    row.forEach((cell, column) => {
      const width = displayWidth(printable(cell, true));
      if (width > (widths[column] ?? 0)) widths[column] = width;
    });
  const line = (cells: readonly string[]) =>
    cells
      // What a terminal would obey shown instead, a line feed too (trial 93: it split a row, or cleared the screen).
      .map((cell, column) => padded(printable(cell, true), widths[column] ?? 0, right.has(column)))
      .join('  ')
      .trimEnd();
  yield line(headers);
  for (const row of rows) yield line(row);
}

/** {@link tableLines} as one string. */
export const formatTable = (
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  right: ReadonlySet<number> = new Set(),
): string => [...tableLines(headers, rows, right)].join('\n');
