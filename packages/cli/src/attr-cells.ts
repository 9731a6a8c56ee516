/**
 * How trial attributes live in CSV cells, written by `parzen trials --csv` and read by `parzen import`, so
 * that the round trip keeps every JSON value: numbers as themselves, strings as themselves unless they
 * would read as something else, everything else (and such strings) as JSON.
 */

/** Whether a cell reads as a number. */
export const readsAsNumber = (cell: string): boolean => cell.trim() !== '' && !Number.isNaN(Number(cell));

/** Whether a cell reads as JSON: it starts like an array, an object or a string, or is a JSON literal. */
export const readsAsJson = (cell: string): boolean => {
  const text = cell.trim();
  return /^[[{"]/.test(text) || text === 'true' || text === 'false' || text === 'null';
};

/** The value of an attribute cell: a number, JSON, or the text itself (JSON that does not parse stays text). */
export const attrFromCell = (cell: string): unknown => {
  if (readsAsNumber(cell)) return Number(cell);
  if (readsAsJson(cell)) {
    try {
      return JSON.parse(cell) as unknown;
    } catch {
      return cell;
    }
  }
  return cell;
};
