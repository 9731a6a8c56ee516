import { printable } from '@parzen/engine/host';
import { graphemes } from '@parzen/report/host';

/** East Asian wide and fullwidth code points: two cells in a terminal (emoji are found by {@link EMOJI}). */
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
  [0x20000, 0x3fffd],
];

/** An emoji a terminal draws in two cells: one shown as an emoji by default, or one asked to be (VS16, U+FE0F). */
const EMOJI = /\p{Emoji_Presentation}|\p{Emoji}\ufe0f/u;

/** Characters that take no cell of their own (combining marks and variation selectors, Mn; joiners and other format characters, Cf). */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]+$/u;

const isWide = (code: number): boolean => WIDE.some(([low, high]) => code >= low && code <= high);

/**
 * How many terminal cells `text` takes, counted per grapheme cluster (what a reader sees as one character): two for
 * an emoji ({@link EMOJI}: 🚀, ✅, ☕, a family joined by ZWJs, a hand with its skin tone) or an East Asian wide
 * character, none for a combining mark alone, else one (padding by code units put a column with 日本 or 🚀 out of line;
 * by code points, a ZWJ family counted 6).
 */
export const displayWidth = (text: string): number => {
  let width = 0;
  for (const cluster of graphemes(text)) {
    if (cluster.charCodeAt(0) < 0x300 && cluster.length === 1) width += 1;
    else if (EMOJI.test(cluster) || isWide(cluster.codePointAt(0) as number)) width += 2;
    else if (!ZERO_WIDTH.test(cluster)) width += 1;
  }
  return width;
};

/**
 * Characters a table would not show as themselves: control characters (C0, DEL, C1), line and paragraph separators,
 * and format characters (bidirectional marks, U+200B, U+FEFF, ...). A ZWJ or ZWNJ that joins two emoji (👨‍👩‍👧) or
 * two letters (Persian, Hindi) is not among them: it is part of what the text shows.
 */
const UNSHOWN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** Before a joiner that joins: an emoji (with its skin tone or VS16), or a letter or mark. */
const JOINS_AFTER = /(?:\p{Extended_Pictographic}[\u{1f3fb}-\u{1f3ff}\ufe0f]?|[\p{L}\p{M}])$/u;
/** After a joiner that joins: an emoji, or a letter. */
const JOINS_BEFORE = /^(?:\p{Extended_Pictographic}|\p{L})/u;

/** Whether the unshown character at `at` of `text` is a ZWJ or ZWNJ joining what is on either side of it. */
const joining = (text: string, char: string, at: number): boolean =>
  (char === '\u200d' || char === '\u200c') &&
  JOINS_AFTER.test(text.slice(Math.max(0, at - 4), at)) &&
  JOINS_BEFORE.test(text.slice(at + 1, at + 3));

/** Whether `text` holds a character a table would not show as itself ({@link UNSHOWN}). */
export const hasUnshown = (text: string): boolean => {
  for (const match of text.matchAll(UNSHOWN)) if (!joining(text, match[0], match.index)) return true;
  return false;
};

/** `text` with the characters a table would not show as themselves ({@link UNSHOWN}) written as `\uXXXX`. */
export const escapedUnshown = (text: string): string =>
  text.replace(UNSHOWN, (char, at: number) =>
    joining(text, char, at) ? char : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/** A header or cell as the table shows it: what a terminal would obey, and what would not show, escaped. */
const shown = (cell: string): string => escapedUnshown(printable(cell, true));

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
  const widths = headers.map((header) => displayWidth(shown(header)));
  for (const row of rows)
    row.forEach((cell, column) => {
      const width = displayWidth(shown(cell));
      if (width > (widths[column] ?? 0)) widths[column] = width;
    });
  const line = (cells: readonly string[]) =>
    cells
      // What a terminal would obey shown instead, a line feed too (trial 93: it split a row, or cleared the screen).
      .map((cell, column) => padded(shown(cell), widths[column] ?? 0, right.has(column)))
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
