import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { ChoiceLiteral } from '@parzen/engine';
import { countOf, sameTextHint } from '@parzen/engine/host';
import { type CompiledSpace, type ConfigIssue, ownEntry, type StudySpec, walkSpace } from '@parzen/engine/plugin';
import { parseJsonWithNonFinite } from '@parzen/objectives/host';
import { attrFromCell, optionFromCell, readsAsNumber } from './attr-cells.js';
import { CliError } from './exit-codes.js';
import { notUtf8Text } from './utf8-text.js';

/** The first line of a `parzen export` file: what it is, its format version and the study it came from. */
export interface ExportHeader {
  readonly parzen: 'export';
  readonly version: number;
  /**
   * The exported study; `suggester` is the one it was created with, when its store kept it, and `parzenVersion`
   * the Parzen version that created it ("unknown" when its store kept none; absent in older exports).
   */
  readonly study: Pick<StudySpec, 'name' | 'direction' | 'seed' | 'space' | 'suggester' | 'parzenVersion'>;
  /** The Parzen version that wrote the export. Absent in older exports. */
  readonly exportedBy?: string;
  /**
   * The keys of the config entries that were still waiting in the study (no trial had run them): an import
   * never takes an imported trial that happens to have their values for their run (otherwise a sampled
   * trial could match a waiting `{"k": "q"}`, and the moved study would never run it). Absent in older exports.
   */
  readonly enqueued?: { readonly waiting: readonly string[] };
  /** How many trial lines follow: a file cut at a line's end is known. Absent in older exports. */
  readonly trials?: number;
  /**
   * `export --where`'s conditions (`model = rf`) when the file holds only the trials meeting them, a part of the
   * study; absent for a whole study (and in older exports).
   */
  readonly where?: string;
}

/** The format version `parzen export` writes and `parzen import` reads. */
export const EXPORT_VERSION = 1;

/** Rows read from a file, each with the line it starts on; `bad` are lines that are not rows at all. */
export interface TrialFile {
  readonly kind: 'export' | 'results' | 'csv' | 'empty';
  readonly header?: ExportHeader;
  readonly rows: readonly unknown[];
  readonly lines: readonly number[];
  readonly bad: readonly { readonly row: number; readonly issues: readonly ConfigIssue[] }[];
}

const isExportHeader = (value: unknown): value is ExportHeader =>
  typeof value === 'object' && value !== null && (value as { parzen?: unknown }).parzen === 'export';

/** A JSONL file: a `parzen export` (its header first) or results, one `{"params": ..., "loss": ...}` a line. */
const readJsonLines = (path: string, text: Iterable<string>): TrialFile => {
  const rows: unknown[] = [];
  const lines: number[] = [];
  const bad: TrialFile['bad'][number][] = [];
  let header: ExportHeader | undefined;
  let index = -1;
  for (const line of text) {
    index++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      // Python's json.dumps writes NaN and Infinity bare: read as numbers, so the row says which field has one.
      value = parseJsonWithNonFinite(line);
    } catch (error) {
      bad.push({
        row: index + 1,
        issues: [{ pointer: '', expected: 'one JSON object', found: `invalid JSON (${(error as Error).message})` }],
      });
      continue;
    }
    if (rows.length === 0 && bad.length === 0 && header === undefined && isExportHeader(value)) {
      if (value.version !== EXPORT_VERSION)
        throw new CliError(
          `${path}: a Parzen export of format version ${String(value.version)}; this Parzen reads version ${EXPORT_VERSION}.`,
        );
      // A header without its study (a hand-made or cut file) is bad input, said as such (review 42: a TypeError).
      const study = (value as { study?: unknown }).study as Record<string, unknown> | undefined;
      const malformed =
        typeof study !== 'object' || study === null
          ? 'no "study" object'
          : typeof study.space !== 'object' || study.space === null || Array.isArray(study.space)
            ? 'no "study.space" object'
            : typeof study.name !== 'string' || study.name === ''
              ? `"study.name" ${JSON.stringify(study.name) ?? 'missing'} (expected the study's name)`
              : study.direction === undefined
                ? '"study.direction" missing (expected "minimize" or "maximize")'
                : study.seed !== undefined && !Number.isSafeInteger(study.seed)
                  ? `"study.seed" ${JSON.stringify(study.seed)} (expected an integer)`
                  : undefined;
      if (malformed !== undefined)
        throw new CliError(
          `${path}: line ${index + 1} is a Parzen export header with ${malformed}; \`parzen export\` writes {"parzen": "export", "version": ${EXPORT_VERSION}, "study": {"name", "direction", "seed", "space"}}.`,
        );
      header = value;
      continue;
    }
    rows.push(value);
    lines.push(index + 1);
  }
  return { kind: header === undefined ? 'results' : 'export', ...(header ? { header } : {}), rows, lines, bad };
};

/** Splits CSV text into records of fields (RFC 4180: quoted fields may hold commas, quotes and newlines). */
const parseCsv = (text: string): { readonly fields: string[]; readonly line: number }[] => {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') records.push({ fields, line: start });
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
      if (char === '\n') line++;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else field += char;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
};

/** The columns a CSV may have besides the parameters (`attrs.NAME` columns go into `attrs`). */
const CSV_COLUMNS = ['loss', 'state', 'startedAt', 'finishedAt'];

/** Columns of `parzen trials --csv` read under the name a row has (`error_code` and `error_message` make `error`). */
const TRIALS_CSV_COLUMNS: Readonly<Record<string, string>> = { started_at: 'startedAt', finished_at: 'finishedAt' };

/**
 * Columns of `parzen trials --csv` that only inform, ignored: the study (the trials go to the config's),
 * the number (imported trials get the next ones), the last step (not the intermediate values) and the
 * enqueued entry a trial ran (the import matches the config's `enqueue` entries by their params).
 */
const IGNORED_COLUMNS = ['study', 'number', 'step', 'enqueued'];

/** A `matrix.KEY` column of `parzen trials --csv` of a matrix config: what the study's variant set, ignored too. */
const isMatrixColumn = (column: string): boolean => column.startsWith('matrix.');

/** `error_details` holds the error's details as JSON (written only when some failed trial has them). */
const ERROR_COLUMNS = ['error_code', 'error_message', 'error_details'];

/** An `error_details` cell: its JSON (an object, else left for the row checks to refuse), or the text itself. */
const detailsFromCell = (cell: string): unknown => {
  try {
    return JSON.parse(cell) as unknown;
  } catch {
    return cell;
  }
};

/**
 * Optuna's `study.trials_dataframe().to_csv(...)`, read as it is: `value` is the loss, `params_NAME` a
 * parameter, `user_attrs_NAME` an attribute, `datetime_start` and `datetime_complete` the times; pandas'
 * unnamed index column, `duration` and `system_attrs_NAME` only inform.
 */
const OPTUNA_TIMES: Readonly<Record<string, string>> = {
  datetime_start: 'startedAt',
  datetime_complete: 'finishedAt',
};
const isOptunaIgnored = (column: string): boolean =>
  column === '' || column === 'duration' || column.startsWith('system_attrs_');

/** Optuna's trial states (`COMPLETE`, `PRUNED`, `FAIL`) and any other casing of Parzen's, as Parzen's. */
const STATE_NAMES: Readonly<Record<string, string>> = {
  complete: 'complete',
  pruned: 'pruned',
  failed: 'failed',
  fail: 'failed',
};
const stateOfCell = (cell: string): string => ownEntry(STATE_NAMES, cell.trim().toLowerCase()) ?? cell;

/**
 * The parameter a `params.NAME` column holds: one whose name is also a column's (`loss`), as `parzen
 * trials --csv` writes it; undefined for any other column.
 */
const prefixedParam = (space: CompiledSpace, column: string): string | undefined => {
  const prefix = ['params.', 'params_'].find((start) => column.startsWith(start));
  const name = prefix === undefined ? undefined : column.slice(prefix.length);
  return name !== undefined && space.byName.has(name) ? name : undefined;
};

/** Optuna's `user_attrs_NAME` column: the attribute NAME, read with Python's `True`/`False` as booleans. */
const optunaAttr = (column: string): string | undefined =>
  column.startsWith('user_attrs_') ? column.slice('user_attrs_'.length) : undefined;

/** A column of the CSV that is not a parameter (`value` only as Optuna's, in a CSV with no `loss`). */
const isKnownColumn = (column: string, header: readonly string[]): boolean =>
  CSV_COLUMNS.includes(column) ||
  Object.hasOwn(TRIALS_CSV_COLUMNS, column) ||
  IGNORED_COLUMNS.includes(column) ||
  isMatrixColumn(column) ||
  ERROR_COLUMNS.includes(column) ||
  column.startsWith('attrs.') ||
  Object.hasOwn(OPTUNA_TIMES, column) ||
  isOptunaIgnored(column) ||
  optunaAttr(column) !== undefined ||
  (column === 'value' && !header.includes('loss'));

/** The parts of a CSV row that columns fill. */
interface RowParts {
  readonly row: Record<string, unknown>;
  readonly params: Record<string, unknown>;
  readonly attrs: Record<string, unknown>;
  readonly error: Record<string, unknown>;
}

/** What a CSV column fills in each row. */
interface ColumnTarget {
  /** The field, the same for two columns of one field (refused): `param x`, `attr a`, `loss`, `startedAt`, ... */
  readonly key: string;
  /** The parameter it holds, if it holds one. */
  readonly param?: string;
  /** An Optuna user attribute (kept on failed trials by Optuna, not by Parzen). */
  readonly optunaAttr?: string;
  readonly fill: (parts: RowParts, cell: string) => void;
}

/** The targets of a parameter's and an attribute's columns. */
const paramTarget = (space: CompiledSpace, name: string): ColumnTarget => ({
  key: `param ${name}`,
  param: name,
  fill: (parts, cell) => {
    parts.params[name] = cellValue(space, name, cell);
  },
});
const attrTarget = (name: string, optuna: boolean): ColumnTarget => ({
  key: `attr ${name}`,
  ...(optuna ? { optunaAttr: name } : {}),
  fill: (parts, cell) => {
    parts.attrs[name] = optuna ? optunaAttrFromCell(cell) : attrFromCell(cell);
  },
});
const rowTarget = (field: string, read: (cell: string) => unknown = (cell) => cell): ColumnTarget => ({
  key: field,
  fill: (parts, cell) => {
    parts.row[field] = read(cell);
  },
});

/**
 * What a column fills (a parameter, an attribute, the loss, ...), or undefined for a column left out. One
 * reading for the row and for the header's check that no two columns fill one field.
 */
const columnTarget = (space: CompiledSpace, header: readonly string[], column: string): ColumnTarget | undefined => {
  // A parameter named as one of the file's own columns (`study`, `number`, `step`, Optuna's `duration`) has its
  // value in the `params.`/`params_` column, and the plain one is that column (review 92: such a study's
  // `trials --csv` was refused as naming the parameter twice).
  const param =
    space.byName.has(column) &&
    !(isKnownColumn(column, header) && (header.includes(`params.${column}`) || header.includes(`params_${column}`)));
  if ((IGNORED_COLUMNS.includes(column) || isOptunaIgnored(column) || isMatrixColumn(column)) && !param)
    return undefined;
  const prefixed = param ? undefined : prefixedParam(space, column);
  if (prefixed !== undefined) return paramTarget(space, prefixed);
  const optunaName = param ? undefined : optunaAttr(column);
  if (optunaName !== undefined) return attrTarget(optunaName, true);
  if (column.startsWith('attrs.')) return attrTarget(column.slice('attrs.'.length), false);
  // Optuna's `value` is the loss in a CSV with no `loss` column, unless it is a parameter without its `params_` twin.
  if (column === 'loss' || (column === 'value' && !param && !header.includes('loss')))
    return rowTarget('loss', numberOrText);
  if (column === 'state') return rowTarget('state', stateOfCell);
  // A parameter named as a time column without its `params.` twin is the parameter, as an error column's is.
  const field = param
    ? undefined
    : (ownEntry(OPTUNA_TIMES, column) ??
      (CSV_COLUMNS.includes(column) ? column : ownEntry(TRIALS_CSV_COLUMNS, column)));
  if (field !== undefined) return rowTarget(field);
  // A parameter named as an error column (`error_details`) is that column in a CSV without its `params.`
  // twin (an older Parzen's, review 50); with it (`param` false), the plain column is the error's.
  if (ERROR_COLUMNS.includes(column) && !param)
    return {
      key: `error ${column}`,
      fill: ({ error }, cell) => {
        if (column === 'error_details') error.details = detailsFromCell(cell);
        else error[column === 'error_code' ? 'code' : 'message'] = cell;
      },
    };
  return paramTarget(space, column);
};

/**
 * A parameter's cell as the objective would see it: the option whose text it is, or a number. `nan` and `NaN`
 * (Python's and pandas' empty value) are NaN, unless an option has that text: no value where the parameter is
 * inactive, refused where it is active.
 */
const cellValue = (space: CompiledSpace, name: string, cell: string): unknown => {
  const options = space.byName.get(name)?.optionValues;
  const value = options === undefined ? numberOrText(cell) : optionFromCell(options, cell);
  return value === cell && /^nan$/i.test(cell.trim()) && options?.includes(cell) !== true ? Number.NaN : value;
};

/** A cell that reads as a number as that number, else the text (left for the row checks to name). */
const numberOrText = (cell: string): unknown => (readsAsNumber(cell) ? Number(cell) : cell);

/** An Optuna user attribute's cell: Python's `True` and `False` are booleans, the rest as `attrs.NAME` reads. */
const optunaAttrFromCell = (cell: string): unknown =>
  cell === 'True' || cell === 'False' ? cell === 'True' : attrFromCell(cell);

/**
 * Empty cells of choices that have a `null` option and are active in the row: that option (trial 40: pandas
 * writes `None` and the `null` it read back from `parzen trials --csv` as an empty cell, and the row was
 * refused as missing the parameter). An empty cell of an inactive parameter stays out.
 */
const nullsForEmptyCells = (space: CompiledSpace, params: Record<string, unknown>, empty: ReadonlySet<string>) => {
  walkSpace(space, (param) => {
    const options = param.optionValues;
    if (options === undefined) return undefined;
    if (!(param.name in params) && empty.has(param.name) && options.includes(null)) params[param.name] = null;
    const index = options.indexOf(params[param.name] as ChoiceLiteral);
    return index >= 0 ? index : undefined;
  });
};

/** One CSV record as a row: empty cells are left out (an inactive parameter, a failed trial's loss). */
const csvRow = (
  space: CompiledSpace,
  header: readonly string[],
  targets: readonly (ColumnTarget | undefined)[],
  fields: readonly string[],
) => {
  const parts: RowParts = { row: {}, params: {}, attrs: {}, error: {} };
  const { row, params, attrs, error } = parts;
  row.params = params;
  const empty = new Set<string>();
  for (const [index, column] of header.entries()) {
    const cell = fields[index] ?? '';
    const target = targets[index];
    // The last step of a `parzen trials --csv` row is kept as its JSON lines keep it, so the import says
    // that the learning curve is not there (trial 59: said for the JSON lines, not for the CSV).
    if (column === 'step' && /^\d+$/.test(cell.trim()) && !space.byName.has(column)) row.step = Number(cell);
    if (cell === '') {
      if (target?.param !== undefined) empty.add(target.param);
    } else target?.fill(parts, cell);
  }
  nullsForEmptyCells(space, params, empty);
  // Optuna keeps user attrs on every trial, Parzen with complete and pruned ones: a failed trial's are left.
  if (row.state === 'failed')
    for (const target of targets) if (target?.optunaAttr !== undefined) delete attrs[target.optunaAttr];
  if (Object.keys(attrs).length > 0) row.attrs = attrs;
  if (Object.keys(error).length > 0) row.error = { code: 'IMPORTED_FAILED', message: '', ...error };
  return row;
};

/**
 * For a CSV of parameters without a loss (and no unknown column, such as a loss under another name): params to try rather than results (trial 153: Optuna's `enqueue_trial`
 * users reached for import), which the config's `enqueue` list runs.
 */
const enqueueHint = (params: readonly string[]): string =>
  params.length === 0
    ? ''
    : ` To run these params as trials rather than import results, list them in the config's \`enqueue\`, one object of params each (\`"enqueue": [{${params
        .slice(0, 3)
        .map((name) => `${JSON.stringify(name)}: ...`)
        .join(', ')}${params.length > 3 ? ', ...' : ''}}]\`): a run evaluates them first.`;

/** A CSV file: a header naming the parameters, a `loss` column and the optional columns. */
const readCsv = (path: string, text: string, space: CompiledSpace): TrialFile => {
  const [first, ...records] = parseCsv(text);
  // Cells are trimmed (a hand-made header's "x, loss"), but not a parameter's own name: one with a leading or
  // trailing space is its column as `parzen trials --csv` wrote it (trial 52: its CSV could not be read back).
  const header = (first?.fields ?? []).map((column) =>
    column !== column.trim() && (space.byName.has(column) || prefixedParam(space, column) !== undefined)
      ? column
      : column.trim(),
  );
  const isParam = (column: string) => space.byName.has(column) || prefixedParam(space, column) !== undefined;
  const unknown = header.filter((column) => !isParam(column) && !isKnownColumn(column, header));
  // A parameter's name written with other code points (a CSV saved on macOS, in NFD): said so (trial 68).
  const alikeParam = (column: string): string => sameTextHint(column, [...space.byName.keys()]);
  const targets = header.map((column) => columnTarget(space, header, column));
  const hasLoss = targets.some((target) => target?.key === 'loss');
  // A CSV that Excel saved where the decimal mark is a comma (German, French, ...): its one column is the whole header
  // (trial 183: said as one unknown column).
  const [only] = header;
  if (header.length === 1 && only !== undefined && unknown.includes(only) && only.includes(';'))
    throw new CliError(
      `${path}: looks separated by semicolons (its header ${JSON.stringify(only.length > 60 ? `${only.slice(0, 60)}…` : only)} is one column), as Excel saves a CSV where the decimal mark is a comma; ` +
        "import reads a CSV separated by commas, with a point as the decimal mark (RFC 4180). Save it with those (Excel takes both from the system's region settings), or replace the semicolons and decimal commas. Nothing was imported.",
    );
  if (!hasLoss || unknown.length > 0)
    throw new CliError(
      `${path}: the CSV header must name the study's parameters (${[...space.byName.keys()].join(', ')}), a \`loss\` ` +
        `column and optionally ${CSV_COLUMNS.slice(1).join(', ')} and attrs.NAME columns (or the columns of ` +
        `\`parzen trials --csv\`, or of Optuna's \`trials_dataframe()\`); found ${JSON.stringify(header)}` +
        `${unknown.length > 0 ? ` (unknown: ${unknown.map((column) => `${column}${alikeParam(column)}`).join(', ')})` : ' (no loss column)'}.` +
        enqueueHint(hasLoss || unknown.length > 0 ? [] : header.filter((column) => space.byName.has(column))),
    );
  // Two columns of one field (a merge's second `loss`; `x` beside `params.x`): which one is meant cannot be told
  // (trial 87, review 91: the last won).
  const byTarget = new Map<string, number[]>();
  targets.forEach((target, i) => {
    if (target !== undefined) byTarget.set(target.key, [...(byTarget.get(target.key) ?? []), i]);
  });
  const repeated = [...byTarget.values()].filter((columns) => columns.length > 1);
  if (repeated.length > 0)
    throw new CliError(
      `${path}: the CSV header has more than one column for the same field: ${repeated
        .map((columns) => columns.map((i) => `\`${header[i]}\` (column ${i + 1})`).join(' and '))
        .join('; ')}; keep one of each.`,
    );
  // `parzen trials --csv` of a matrix lists several studies in one file: importing them into one study
  // would mix them. Refuse, naming them (unless `study` is a parameter of the space).
  const studyColumn = header.indexOf('study');
  if (studyColumn >= 0 && !space.byName.has('study')) {
    const studies = [
      ...new Set(records.map((record) => record.fields[studyColumn] ?? '').filter((name) => name !== '')),
    ];
    if (studies.length > 1)
      throw new CliError(
        `${path}: its \`study\` column holds trials of ${studies.length} studies (${studies.join(', ')}); import one ` +
          'study at a time (`parzen trials CONFIG --study NAME --csv` writes one).',
      );
  }
  const rows: unknown[] = [];
  const lines: number[] = [];
  const bad: TrialFile['bad'][number][] = [];
  for (const record of records) {
    if (record.fields.length !== header.length) {
      const found = countOf(record.fields.length, 'field');
      bad.push({ row: record.line, issues: [{ pointer: '', expected: countOf(header.length, 'field'), found }] });
      continue;
    }
    rows.push(csvRow(space, header, targets, record.fields));
    lines.push(record.line);
  }
  return { kind: 'csv', rows, lines, bad };
};

/** How much of a JSONL trial file one read takes (doubled for a longer line). */
export const TRIAL_FILE_CHUNK_BYTES = 64 * 1024 * 1024;

/** A wait of `ms` on this thread (a synchronous read has no event loop to wait on). */
const pause = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * Reads into `chunk` from `offset`; a descriptor left non-blocking (standard input that something made a
 * stream of) answers EAGAIN until its writer writes: waited for, as a blocking read waits.
 */
const readFrom = (fd: number, chunk: Buffer, offset: number): number => {
  for (;;) {
    try {
      return readSync(fd, chunk, offset, chunk.length - offset, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      pause(5);
    }
  }
};

/**
 * The lines of a file (split at `\n`), read `chunkBytes` at a time in whole lines, so a file past V8's
 * 512 MiB string limit is read too (so an `export -o` of a large study can be imported).
 * A byte order mark before the first line is dropped. `check` is given each part's bytes (whole lines) and the
 * number of its first line before they are read as UTF-8 text, to refuse them by throwing.
 */
export function* fileLines(
  path: string | 0,
  chunkBytes = TRIAL_FILE_CHUNK_BYTES,
  check?: (bytes: Buffer, firstLine: number) => void,
): Generator<string> {
  // Standard input (fd 0) is read as it is, and left open.
  const fd = path === 0 ? 0 : openSync(path, 'r');
  try {
    let carry = Buffer.alloc(0);
    let first = true;
    let line = 1;
    for (;;) {
      // Twice the carried part when it is a line longer than a chunk.
      const chunk = Buffer.alloc(Math.max(chunkBytes, 2 * carry.length));
      carry.copy(chunk);
      // From where the last read ended (null), not a position: a pipe (/dev/stdin, <(zcat ...)) cannot seek.
      const read = readFrom(fd, chunk, carry.length);
      const filled = carry.length + read;
      if (filled === 0) return;
      const end = read === 0 ? filled : chunk.lastIndexOf(0x0a, filled - 1) + 1;
      // No line end in a whole chunk: read on (a line longer than a chunk).
      if (end === 0 && read > 0) {
        carry = chunk.subarray(0, filled);
        continue;
      }
      check?.(chunk.subarray(0, end), line);
      let text = chunk.toString('utf8', 0, end);
      if (first) text = text.replace(/^\uFEFF/, '');
      first = false;
      const parts = text.split('\n');
      // A text ending in its line end leaves an empty last part: no line after it.
      if (text.endsWith('\n')) parts.pop();
      line += parts.length;
      yield* parts;
      if (read === 0) return;
      carry = Buffer.from(chunk.subarray(end, filled));
    }
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

/** The name a trial file is shown by: `-` is standard input. */
export const trialFileName = (path: string): string => (path === '-' ? 'standard input' : path);

/**
 * Refuses a trial file's bytes (from line `firstLine`) that are not UTF-8 text, as a config that is not is refused
 * (trial 183: a Windows-1252 CSV's attrs were imported with U+FFFD, exit 0; a UTF-16 CSV was refused with its header
 * full of \u0000), and a gzip-compressed file (said before: its bytes are no UTF-8 either). Nothing is imported.
 */
const checkTrialText = (path: string, bytes: Buffer, firstLine: number): void => {
  // Trial 74: it was told to rename the file to .csv. Standard input too (review 181: said as "a binary file").
  if (firstLine === 1 && bytes[0] === 0x1f && bytes[1] === 0x8b)
    throw new CliError(
      path === '-'
        ? 'standard input is gzip-compressed: import reads JSON lines or CSV text. Decompress it in the pipe: zcat FILE | parzen import CONFIG -'
        : `${path} is gzip-compressed: import reads JSON lines or CSV text. Decompress it first, or pipe it: zcat ${path} | parzen import CONFIG -`,
    );
  const notText = notUtf8Text(
    trialFileName(path),
    bytes,
    'trials as JSON lines (`parzen export`, `parzen trials --jsonl`, results) or a CSV',
    firstLine,
  );
  if (notText !== undefined) throw new CliError(`${notText} Nothing was imported.`);
};

/**
 * Reads a trial file: a CSV (by its `.csv` extension), else JSONL (a `parzen export`, or results). `-` is
 * standard input, which has no name to tell them apart: JSON lines when its first line begins with `{`, else CSV.
 */
export const readTrialFile = (
  path: string,
  space: CompiledSpace,
  chunkBytes = TRIAL_FILE_CHUNK_BYTES,
  /** Standard input's bytes, when the caller has read them (as a stream, so Ctrl-C is heard meanwhile). */
  piped?: Buffer,
): TrialFile => {
  const name = trialFileName(path);
  // Said as `run` says a config it cannot read (trial 167: Node's "ENOENT: no such file or directory, open ...").
  const cannotRead = (error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    return new CliError(
      code === 'ENOENT'
        ? `${name}: no such file of trials${isAbsolute(path) ? '' : ` (looked for ${resolve(path)}, from the folder ${process.cwd()})`}.`
        : code === 'EISDIR'
          ? `${name}: is a folder, not a file of trials (JSON lines or a .csv file).`
          : code === 'EACCES' || code === 'EPERM'
            ? `${name}: cannot be read: permission denied.`
            : `Cannot read ${name}: ${(error as Error).message}`,
    );
  };
  if (path === '-') {
    let lines: string[];
    if (piped !== undefined) {
      checkTrialText(path, piped, 1);
      const text = piped.toString('utf8').replace(/^\uFEFF/, '');
      lines = text.split('\n');
      // A text ending in its line end leaves an empty last part: no line after it.
      if (text.endsWith('\n')) lines.pop();
    } else
      try {
        lines = [...fileLines(0, chunkBytes, (bytes, line) => checkTrialText(path, bytes, line))];
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw cannotRead(error);
      }
    const first = lines.find((line) => line.trim() !== '');
    if (first === undefined) return { kind: 'empty', rows: [], lines: [], bad: [] };
    if (first.trimStart().startsWith('{')) return readJsonLines(name, lines);
    // A JSON array (`parzen trials --json`) is neither (review 60: it was read as a CSV header).
    if (first.trimStart().startsWith('['))
      throw new CliError(
        `${name} is a JSON array; import reads JSON lines (one trial a line: \`parzen trials --jsonl\` or \`parzen export\`) or a CSV.`,
      );
    return readCsv(name, lines.join('\n'), space);
  }
  if (/\.csv$/i.test(path)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw cannotRead(error);
    }
    checkTrialText(path, bytes, 1);
    // A byte order mark (Excel's "CSV UTF-8", PowerShell) is no part of the header.
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    if (text.trim() === '') return { kind: 'empty', rows: [], lines: [], bad: [] };
    return readCsv(path, text, space);
  }
  let lines: string[];
  try {
    lines = [...fileLines(path, chunkBytes, (bytes, line) => checkTrialText(path, bytes, line))];
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw cannotRead(error);
  }
  const first = lines.find((line) => line.trim() !== '');
  if (first === undefined) return { kind: 'empty', rows: [], lines: [], bad: [] };
  // A CSV under another name would fail on every line as "invalid JSON": say what it looks like instead.
  const start = first.trimStart().replace(/\r$/, '');
  if (start.startsWith('['))
    throw new CliError(
      `${path} is a JSON array (as \`parzen trials --json\` writes), and import reads JSON lines (one trial a line: \`parzen export\`, or \`parzen trials --jsonl\`) or CSV (\`parzen trials --csv\`, in a file named .csv).`,
    );
  if (!start.startsWith('{') && start.includes(','))
    throw new CliError(
      `${path}: its first line looks like a CSV header (${JSON.stringify(start.slice(0, 40))}${start.length > 40 ? '…' : ''}), ` +
        'but only a file whose name ends in .csv is read as CSV (any other as JSON lines). Rename it to .csv.',
    );
  return readJsonLines(path, lines);
};
