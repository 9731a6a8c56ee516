/**
 * The lines of a text table, headers first: columns aligned with two spaces between them, the columns
 * listed in `right` right-aligned. The widths are found first; each line is then made as it is asked for.
 */
export function* tableLines(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  right: ReadonlySet<number> = new Set(),
): Iterable<string> {
  // A loop, not Math.max(...): spreading a study's 150,000 rows as arguments overflows the stack.
  const widths = headers.map((header) => header.length);
  for (const row of rows)
    row.forEach((cell, column) => {
      if (cell.length > (widths[column] ?? 0)) widths[column] = cell.length;
    });
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        right.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
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
