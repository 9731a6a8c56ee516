import type { Trial } from '@parzen/engine';
import { failureNote } from '@parzen/engine/host';
import { type CompiledSpace, isStale, toExternalParams } from '@parzen/engine/plugin';
import { paramCell, readsAsJson, readsAsNumber } from './attr-cells.js';
import { formatNumber } from './format-number.js';
import { tableLines } from './text-table.js';

/** A trial as `parzen trials` shows it: the params the objective saw, the loss, or the error. */
export interface TrialRow {
  readonly study: string;
  readonly number: number;
  readonly state: Trial['state'];
  readonly loss?: number;
  /** The last step the trial reported an intermediate value at (absent when it reported none). */
  readonly step?: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly attrs?: Readonly<Record<string, unknown>>;
  readonly error?: { readonly code: string; readonly message: string; readonly details?: unknown };
  readonly startedAt: string;
  readonly finishedAt?: string;
  /**
   * A running trial whose worker is gone (its process ended, or its lease lapsed): a run of the study
   * marks it failed (`STALE_TRIAL`); until then the store still lists it as running.
   */
  readonly workerGone?: true;
}

/** What the table says of a running trial whose worker is gone. */
const WORKER_GONE = 'its worker is gone: a run of the study marks it failed (STALE_TRIAL)';
/**
 * The same read with `--salvage`: its end may have been on a damaged line, and a run refuses the damaged
 * journal (trial 48: the note promised a run that would not happen).
 */
const WORKER_GONE_SALVAGED =
  'no end read: its worker is gone, or its end was on a damaged line (a run refuses a damaged journal: export it with --salvage and import it into a new store; an undamaged one, a run marks it failed, STALE_TRIAL)';

/** Turns stored trials into rows with external params (choice values of `space`, not indices). */
export const trialRows = (
  study: string,
  space: CompiledSpace,
  trials: readonly Trial[],
  now: Date = new Date(),
): TrialRow[] =>
  trials.map((trial) => ({
    study,
    number: trial.number,
    state: trial.state,
    ...(trial.state === 'complete' || (trial.state === 'pruned' && trial.loss !== undefined)
      ? { loss: trial.loss as number }
      : {}),
    ...(trial.intermediate === undefined || trial.intermediate.length === 0
      ? {}
      : { step: (trial.intermediate.at(-1) as { step: number }).step }),
    params: toExternalParams(space, trial.internal),
    ...((trial.state === 'complete' || trial.state === 'pruned') && trial.attrs !== undefined
      ? { attrs: trial.attrs }
      : {}),
    ...(trial.state === 'failed' ? { error: trial.error } : {}),
    startedAt: trial.startedAt,
    ...(trial.state === 'running' ? {} : { finishedAt: trial.finishedAt }),
    // Not a worker itself, this process owns no lease: any lease whose process is dead or lapsed is gone.
    ...(trial.state === 'running' && trial.lease !== undefined && isStale(trial.lease, now, '')
      ? { workerGone: true as const }
      : {}),
  }));

/** The names of `field` (params or attrs) across the rows, in first-seen order. */
const namesOf = (rows: readonly TrialRow[], field: 'params' | 'attrs'): string[] => {
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row[field] ?? {})) names.add(name);
  return [...names];
};

/** The columns of a trial listing (table or CSV) that are not parameters. */
const TRIAL_COLUMNS = new Set([
  'study',
  'number',
  '#',
  'state',
  'loss',
  'step',
  'error',
  'error_code',
  'error_message',
  'error_details',
  'started_at',
  'finished_at',
  'startedAt',
  'finishedAt',
]);

/**
 * A parameter's column: its name, or `params.NAME` when the name is a column of the listing itself (a
 * parameter called `loss`, as scikit-learn's loss function is) or looks like one (`attrs.…`, `params.…`),
 * so that no two columns share a name and `parzen import` reads the CSV back.
 */
export const paramColumn = (name: string): string =>
  TRIAL_COLUMNS.has(name) || name.startsWith('attrs.') || name.startsWith('params.') ? `params.${name}` : name;

/** Whether any trial reported intermediate values: only then do tables and CSV get a `step` column. */
const hasSteps = (rows: readonly TrialRow[]): boolean => rows.some((row) => row.step !== undefined);

const cells = (row: TrialRow, names: readonly string[], withStudy: boolean, withStep: boolean): string[] => [
  ...(withStudy ? [row.study] : []),
  String(row.number),
  row.state,
  row.loss === undefined ? '' : formatNumber(row.loss),
  ...(withStep ? [row.step === undefined ? '' : String(row.step)] : []),
  ...names.map((name) => (name in row.params ? tableValue(row.params[name]) : '')),
];

/**
 * A parameter's value in a text table: as {@link formatNumber} shows it, but a string JSON-quoted when it
 * would read as another value or holds a line break or another control character (trial 52: the string
 * "1" and the number 1 printed alike, and a value with a line break broke the table's rows).
 */
/**
 * Whether a value would not show as itself in a padded table cell: a control character (C0, DEL, C1), a
 * line or paragraph separator, a bidirectional or other format character, or a space at either end (review
 * 54: `" a"` printed as `"a"` does, right-aligned; U+202E reversed the row).
 */
const UNSHOWN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const hasControlCharacter = (text: string): boolean => text !== text.trim() || text.search(UNSHOWN) >= 0;

const tableValue = (value: unknown): string =>
  typeof value === 'string' &&
  (value === '' || readsAsNumber(value) || readsAsJson(value) || hasControlCharacter(value))
    ? JSON.stringify(value).replace(UNSHOWN, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : formatNumber(value);

/**
 * A text table's lines: number, state, loss, the last step reported (when any trial reported), one column
 * per parameter, and the error of failed trials (with the last line its program wrote on stderr, if any);
 * produced one by one once the column widths are known.
 */
export const trialsTableLines = (
  rows: readonly TrialRow[],
  salvaged = false,
  spaceNames: readonly string[] = [],
): Iterable<string> => {
  // The space's order, as the CSV's (trial 87: the order the first trials happened to set them), of the
  // parameters some trial has, then any other name a row has.
  const seen = namesOf(rows, 'params');
  const names = [...new Set([...spaceNames.filter((name) => seen.includes(name)), ...seen])];
  const withStudy = new Set(rows.map((row) => row.study)).size > 1;
  const withStep = hasSteps(rows);
  const shift = (withStudy ? 1 : 0) + (withStep ? 1 : 0);
  return tableLines(
    [
      ...(withStudy ? ['study'] : []),
      '#',
      'state',
      'loss',
      ...(withStep ? ['step'] : []),
      ...names.map(paramColumn),
      'error',
    ],
    rows.map((row) => [
      ...cells(row, names, withStudy, withStep),
      row.error !== undefined
        ? `${row.error.code}: ${row.error.message}${failureNote(row.error.details)}`
        : row.workerGone
          ? salvaged
            ? WORKER_GONE_SALVAGED
            : WORKER_GONE
          : '',
    ]),
    // Right-align the number, the loss, the step and the parameters (numbers, mostly).
    new Set([
      ...[0, 2].map((column) => column + (withStudy ? 1 : 0)),
      ...(withStep ? [3 + (withStudy ? 1 : 0)] : []),
      ...names.map((_, index) => 3 + index + shift),
    ]),
  );
};

const csvField = (value: string): string => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/**
 * An attribute as a CSV cell that `parzen import` reads back as the same value: a number as itself, a
 * string as itself unless it is empty or would read as a number or as JSON (then JSON-quoted), anything
 * else as JSON.
 */
const attrCell = (value: unknown): string => {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string' && value !== '' && !readsAsNumber(value) && !readsAsJson(value)) return value;
  return JSON.stringify(value);
};

/** Whether any failed trial has error details: only then does the CSV get an `error_details` column. */
const hasErrorDetails = (rows: readonly TrialRow[]): boolean => rows.some((row) => row.error?.details !== undefined);

/**
 * CSV (RFC 4180) lines, the header first, produced one by one: study, number, state, loss, last step (when
 * any), the parameters, `attrs.NAME` columns, error code and message, times, and last, when any failed
 * trial has them, `error_details` (the error's details as JSON), so that a CSV without them keeps its
 * columns and a reader by position finds the others where they were.
 */
export function* trialsCsvLines(rows: readonly TrialRow[], spaceNames: readonly string[] = []): Iterable<string> {
  // Every parameter of the space gets its column, in the space's order (an empty study's CSV still has
  // them, and a conditional parameter no trial activated yet too), then any other name a row has.
  const names = [...new Set([...spaceNames, ...namesOf(rows, 'params')])];
  const attrNames = namesOf(rows, 'attrs');
  const withStep = hasSteps(rows);
  const withDetails = hasErrorDetails(rows);
  const header = [
    'study',
    'number',
    'state',
    'loss',
    ...(withStep ? ['step'] : []),
    ...names.map(paramColumn),
    ...attrNames.map((name) => `attrs.${name}`),
    'error_code',
    'error_message',
    'started_at',
    'finished_at',
    ...(withDetails ? ['error_details'] : []),
  ];
  const line = (cells: readonly string[]) => cells.map(csvField).join(',');
  yield line(header);
  for (const row of rows)
    yield line([
      row.study,
      String(row.number),
      row.state,
      row.loss === undefined ? '' : String(row.loss),
      ...(withStep ? [row.step === undefined ? '' : String(row.step)] : []),
      ...names.map((name) => (name in row.params ? paramCell(row.params[name]) : '')),
      ...attrNames.map((name) => attrCell(row.attrs?.[name])),
      row.error?.code ?? '',
      row.error?.message ?? '',
      row.startedAt,
      row.finishedAt ?? '',
      ...(withDetails ? [row.error?.details === undefined ? '' : JSON.stringify(row.error.details)] : []),
    ]);
}
