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

/**
 * Whether a cell is a number as JSON writes one: `007`, `0x10`, `+5` and `Infinity` are text (trial 59: an
 * Optuna user attr "007" was imported as 7).
 */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * The value of an attribute cell: a number (as JSON writes one), JSON, or the text itself (JSON that does
 * not parse stays text).
 */
export const attrFromCell = (cell: string): unknown => {
  if (JSON_NUMBER.test(cell.trim())) return Number(cell);
  if (readsAsJson(cell)) {
    try {
      return JSON.parse(cell) as unknown;
    } catch {
      return cell;
    }
  }
  return cell;
};

/**
 * A parameter value as a CSV cell: numbers, booleans and null as text; a string as itself unless it is
 * empty or would read as a number or JSON (a choice with both `3` and `"3"`, or `""`), then JSON-quoted.
 */
export const paramCell = (value: unknown): string =>
  typeof value === 'string' && (value === '' || readsAsNumber(value) || readsAsJson(value))
    ? JSON.stringify(value)
    : String(value);

/**
 * The option of a choice a cell names: a JSON-quoted string is that string; otherwise the number,
 * boolean or null the cell reads as, then the cell as text, then `True`/`False` (Python) and `TRUE`/`FALSE`
 * (spreadsheets), then any option
 * whose text it is.
 */
export const optionFromCell = (options: readonly unknown[], cell: string): unknown => {
  const candidates: unknown[] = [];
  if (cell.startsWith('"')) {
    try {
      candidates.push(JSON.parse(cell) as unknown);
    } catch {
      // Not JSON: matched as text below.
    }
  } else {
    if (readsAsNumber(cell)) candidates.push(Number(cell));
    if (cell === 'true' || cell === 'false') candidates.push(cell === 'true');
    if (cell === 'null') candidates.push(null);
  }
  candidates.push(cell);
  // Python's spelling (pandas writes a boolean choice as True/False) and a spreadsheet's (TRUE/FALSE, trial 87),
  // after the cell's own text.
  if (cell === 'True' || cell === 'False' || cell === 'TRUE' || cell === 'FALSE')
    candidates.push(cell === 'True' || cell === 'TRUE');
  for (const candidate of candidates) {
    const index = options.indexOf(candidate);
    if (index >= 0) return options[index];
  }
  const named = options.findIndex((option) => String(option) === cell);
  return named >= 0 ? options[named] : cell;
};
