import type { Trial } from '@parzen/engine';
import { failureNote, rescuedAmong, shellQuoted, staleTrialEnds } from '@parzen/engine/host';
import { type CompiledSpace, type Lease, staleness, type TakenEntry, toExternalParams } from '@parzen/engine/plugin';
import { cutWhole } from '@parzen/report/host';
import { paramCell, readsAsJson, readsAsNumber } from './attr-cells.js';
import { formatNumber } from './format-number.js';
import { escapedUnshown, hasUnshown, tableLines } from './text-table.js';

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
  /**
   * The host of that trial's worker when only its lease says it is gone (a worker on another host, which may
   * still be busy and finish it; its result is then kept as a new trial).
   */
  readonly leaseLapsed?: string;
  /**
   * The rescue file that keeps that trial's result, its worker having ended because the store could not record it:
   * its import finishes the trial with it, so that it counts once; runs of the study leave the trial running until then.
   */
  readonly rescuedIn?: string;
  /**
   * That trial's worker (its process ended) was stopped (Ctrl-C, SIGTERM, the run's signal) while the store could
   * not record the trial's end, which this user's rescue folder keeps: a run of the study on this host marks it
   * failed as stopped (`INTERRUPTED`), which uses no attempt of an enqueued entry it ran, not `STALE_TRIAL`.
   */
  readonly stoppedHere?: true;
  /** A running trial's worker, `host:pid` (its lease's owner as it is, when not of that form). */
  readonly worker?: string;
  /** When a running trial's lease runs out, unless its worker renews it. */
  readonly leaseExpiresAt?: string;
  /**
   * The enqueued entry the trial ran, when the store lists them: the params it fixed (the suggester chose the
   * rest) and the key it was queued with, if any. A trial the suggester drew has none.
   */
  readonly enqueued?: { readonly params: Readonly<Record<string, unknown>>; readonly key?: string };
}

/** A column of the trials table besides number, state, loss and step: a parameter's, or an attribute's (`attrs.NAME`). */
export type TableColumn = { readonly param: string } | { readonly attr: string };

/** What the table says of a running trial whose worker is gone. */
const WORKER_GONE = 'its worker is gone: a run of the study marks it failed (STALE_TRIAL)';
/** And of one whose stop the store could not record (see `TrialRow.stoppedHere`). */
const STOPPED_HERE =
  'its run was stopped (Ctrl-C, SIGTERM) while the store could not record it: a run of the study on this host marks it failed as stopped (INTERRUPTED), which uses no attempt of an enqueued entry it ran';
/**
 * And of one whose worker's lease lapsed, on another host, as the run's warning says it (trial 161: "its worker is
 * gone" of a worker that may come back).
 */
const leaseLapsed = (host: string): string =>
  `its lease lapsed (a worker on ${host === '' ? 'another host' : `host ${host}`}, which may still be busy): a run of the study marks it failed (STALE_TRIAL); if its worker still finishes it, the result is kept as a new trial`;
/**
 * The same read with `--salvage`: its end may have been on a damaged line, and a run refuses the damaged
 * journal (trial 48: the note promised a run that would not happen).
 */
const WORKER_GONE_SALVAGED =
  'no end read: its worker is gone, or its end was on a damaged line (a run refuses a damaged journal: export it with --salvage and import it into a new store; an undamaged one, a run marks it failed, STALE_TRIAL)';

// Trial 161: of three trials that took one entry (their worker killed each time), only the last was marked, and the
// others read as sampled trials that happened to draw the entry's params.
/**
 * The enqueued entry a failed trial took and gave back (a lost worker, a stopped run: it ran again in a later trial),
 * as its error's details keep it; the store lists as taken only the trial that holds it now.
 */
const givenBack = (trial: Trial): TakenEntry | undefined => {
  if (trial.state !== 'failed') return undefined;
  const entry = (trial.error.details as { readonly entry?: { readonly internal?: unknown; readonly key?: unknown } })
    ?.entry;
  if (typeof entry?.internal !== 'object' || entry.internal === null) return undefined;
  return {
    trial: trial.number,
    internal: entry.internal as TakenEntry['internal'],
    ...(typeof entry.key === 'string' ? { key: entry.key } : {}),
  };
};

/** A lease's owner as `host:pid` when Parzen made it (`host:pid:uuid...`), else as it is. */
const hostAndPid = (owner: string): string => /^[^:]+:\d+(?=:[0-9a-f]{8}-)/i.exec(owner)?.[0] ?? owner;

/** What the table adds of a trial whose result a rescue file keeps: import it before a run, so that it counts once. */
const rescuedNote = (file: string, importCommand: string): string =>
  `its worker is gone, and its result is kept in ${file}: \`${importCommand} ${shellQuoted(file)}\` finishes this trial with it, so that it counts once (runs of the study leave it running until then)`;

/** A running trial's row fields when its worker is gone: its process ended, or (`leaseLapsed`) its lease lapsed. */
const staleRow = (lease: Lease | undefined, now: Date): Pick<TrialRow, 'workerGone' | 'leaseLapsed'> => {
  const kind = staleness(lease, now, '');
  if (kind === undefined || lease === undefined) return {};
  return kind === 'lapsed' ? { workerGone: true, leaseLapsed: lease.owner.split(':')[0] ?? '' } : { workerGone: true };
};

/**
 * Turns stored trials into rows with external params (choice values of `space`, not indices), each with the
 * enqueued entry it ran when `taken` (the store's `listTakenEntries`) says it ran one.
 */
export const trialRows = (
  study: string,
  space: CompiledSpace,
  trials: readonly Trial[],
  { now = new Date(), taken = [] }: { readonly now?: Date; readonly taken?: readonly TakenEntry[] } = {},
): TrialRow[] => {
  const entries = new Map(taken.map((entry) => [entry.trial, entry]));
  // The results of those whose worker is gone that this user's rescue file keeps (trial 161: the listing said only
  // that a run marks them failed, and a run before the import made each count twice).
  const gone = trials.flatMap((trial) =>
    trial.state === 'running' && staleness(trial.lease, now, '') !== undefined
      ? [{ number: trial.number, worker: trial.lease?.owner }]
      : [],
  );
  const rescued = gone.length === 0 ? undefined : rescuedAmong(study, gone);
  // Those a line names with their own worker, which runs leave running for the import (trial 161).
  const rescuedHere = new Set(rescued?.ofWorker ?? []);
  // What a run marks those with (not a worker itself, this process owns no lease), as the run decides it.
  const ends = gone.length === 0 ? undefined : staleTrialEnds(study, trials, now, '');
  return trials.map((trial) => {
    const entry = entries.get(trial.number) ?? givenBack(trial);
    return {
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
      ...(trial.state === 'running' ? staleRow(trial.lease, now) : {}),
      // Which machine runs it (trial 161: only psql could tell).
      ...(trial.state === 'running' && trial.lease !== undefined
        ? { worker: hostAndPid(trial.lease.owner), leaseExpiresAt: trial.lease.expiresAt }
        : {}),
      ...(rescued !== undefined && rescuedHere.has(trial.number) ? { rescuedIn: rescued.file } : {}),
      // Its stop kept in this user's rescue folder: what the run marks it with is INTERRUPTED, not STALE_TRIAL.
      ...(ends?.get(trial.number)?.stopped === true ? { stoppedHere: true } : {}),
      ...(entry === undefined
        ? {}
        : {
            enqueued: {
              params: toExternalParams(space, entry.internal),
              ...(entry.key === undefined ? {} : { key: entry.key }),
            },
          }),
    };
  });
};

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
  TRIAL_COLUMNS.has(name) || ['attrs.', 'params.', 'matrix.'].some((start) => name.startsWith(start))
    ? `params.${name}`
    : name;

/**
 * A matrix key's column in `trials --csv`: `matrix.` and the key's path as the comparison rows spell it, without a
 * leading `/` (`matrix.suggester/options/profile`, `matrix.seed`), apart from any parameter's (a parameter `seed`).
 */
export const matrixColumn = (key: string): string => `matrix.${key.replace(/^\//, '')}`;

/** Whether any trial reported intermediate values: only then do tables and CSV get a `step` column. */
const hasSteps = (rows: readonly TrialRow[]): boolean => rows.some((row) => row.step !== undefined);

/** Whether any trial ran an enqueued entry: only then do tables and CSV get an `enqueued` column. */
const hasEnqueued = (rows: readonly TrialRow[]): boolean => rows.some((row) => row.enqueued !== undefined);

/** A parameter's column beside an `enqueued` column (`withEnqueued`): a parameter of that name is `params.enqueued`. */
const listedParamColumn = (name: string, withEnqueued: boolean): string =>
  withEnqueued && name === 'enqueued' ? 'params.enqueued' : paramColumn(name);

/** A column's value of a row: its parameter's or its attribute's (own entries only: an attr may be `__proto__`). */
const columnValue = (row: TrialRow, column: TableColumn): unknown => {
  const values = 'param' in column ? row.params : (row.attrs ?? {});
  const name = 'param' in column ? column.param : column.attr;
  return Object.hasOwn(values, name) ? values[name] : undefined;
};

const cells = (row: TrialRow, columns: readonly TableColumn[], withStudy: boolean, withStep: boolean): string[] => [
  ...(withStudy ? [row.study] : []),
  String(row.number),
  row.state,
  row.loss === undefined ? '' : formatNumber(row.loss),
  ...(withStep ? [row.step === undefined ? '' : String(row.step)] : []),
  ...columns.map((column) => {
    const value = columnValue(row, column);
    if (value === undefined) return '';
    const shown = tableValue(value);
    // An attribute asked for by name may be long (a curve): cut between whole characters, as the report's cells are;
    // --json has it whole.
    return 'attr' in column ? cutWhole(shown, (cut) => cut.length <= LONGEST_CELL) : shown;
  }),
];

/** What the `enqueued` column says of a row: the params its entry fixed, `all params`, or nothing (drawn). */
const enqueuedCell = (row: TrialRow): string => {
  if (row.enqueued === undefined) return '';
  const fixed = Object.keys(row.enqueued.params);
  if (fixed.length === 0) return 'no params';
  return Object.keys(row.params).every((name) => fixed.includes(name)) ? 'all params' : fixed.join(', ');
};

/**
 * Whether a value would not show as itself in a padded table cell: a character {@link hasUnshown} finds (a control,
 * a line or paragraph separator, a bidirectional or other format character), or a space at either end (review
 * 54: `" a"` printed as `"a"` does, right-aligned; U+202E reversed the row).
 */
const hasControlCharacter = (text: string): boolean => text !== text.trim() || hasUnshown(text);

/**
 * A parameter's or attribute's value in a text table: as {@link formatNumber} shows it, but a string JSON-quoted
 * when it would read as another value or holds a line break or another control character (trial 52: the string
 * "1" and the number 1 printed alike, and a value with a line break broke the table's rows).
 */
const tableValue = (value: unknown): string =>
  typeof value === 'string' &&
  (value === '' || readsAsNumber(value) || readsAsJson(value) || hasControlCharacter(value))
    ? escapedUnshown(JSON.stringify(value))
    : // An attribute may be an array or an object: as JSON.
      typeof value === 'object' && value !== null
      ? escapedUnshown(JSON.stringify(value) ?? '')
      : formatNumber(value);

/** The longest attribute cell the table shows: a longer value is cut, with `…`. */
const LONGEST_CELL = 200;

/** The longest attribute value, as the table shows it, that gets a column of its own without `--params`. */
const SHORT_ATTR = 24;

/**
 * The attributes the table shows without `--params` (`shown`: those whose every value is at most
 * {@link SHORT_ATTR} characters as shown, a seed or a metric) and those it leaves to `--params attrs.NAME`,
 * `--csv` and `--json` (`long`: a curve, a path, a whole report), in first-seen order.
 */
export const tableAttrs = (rows: readonly TrialRow[]): { readonly shown: string[]; readonly long: string[] } => {
  const names = namesOf(rows, 'attrs');
  const long = new Set(
    names.filter((name) =>
      rows.some((row) => {
        const value = columnValue(row, { attr: name });
        return value !== undefined && tableValue(value).length > SHORT_ATTR;
      }),
    ),
  );
  return { shown: names.filter((name) => !long.has(name)), long: [...long] };
};

/**
 * A text table's lines: number, state, loss, the last step reported (when any trial reported), one column
 * per parameter and per short attribute ({@link tableAttrs}; or the `columns` asked for, in their order),
 * `enqueued` (when some trial ran an enqueued entry: the params it fixed), and the error of failed trials
 * (with the last line its program wrote on stderr, if any); produced one by one once the column widths are known.
 */
export const trialsTableLines = (
  rows: readonly TrialRow[],
  salvaged = false,
  spaceNames: readonly string[] = [],
  asked?: readonly TableColumn[],
  /** The `parzen import` command, before the file, that imports a row's rescued result into its study. */
  importCommand = 'parzen import CONFIG',
  /** Leave out the error column when no row has one (`--top N`: complete trials only, whose error cell is always empty). */
  omitEmptyError = false,
): Iterable<string> => {
  // The space's order, as the CSV's (trial 87: the order the first trials happened to set them), of the
  // parameters some trial has, then any other name a row has; then the short attrs (trial 157: the seed a
  // trial trained with was in --csv and --json only).
  const seen = namesOf(rows, 'params');
  const columns: readonly TableColumn[] = asked ?? [
    ...[...new Set([...spaceNames.filter((name) => seen.includes(name)), ...seen])].map((param) => ({ param })),
    ...tableAttrs(rows).shown.map((attr) => ({ attr })),
  ];
  const withStudy = new Set(rows.map((row) => row.study)).size > 1;
  const withStep = hasSteps(rows);
  // Which trials ran an enqueued entry (trial 157: nothing told a re-run from a draw).
  const withEnqueued = hasEnqueued(rows);
  const shift = (withStudy ? 1 : 0) + (withStep ? 1 : 0);
  const header = (column: TableColumn): string =>
    'attr' in column ? `attrs.${column.attr}` : listedParamColumn(column.param, withEnqueued);
  const errorCell = (row: TrialRow): string =>
    row.error !== undefined
      ? `${row.error.code}: ${row.error.message}${failureNote(row.error.details, row.error.message)}`
      : row.workerGone
        ? salvaged
          ? WORKER_GONE_SALVAGED
          : row.rescuedIn !== undefined
            ? rescuedNote(row.rescuedIn, importCommand)
            : row.stoppedHere
              ? STOPPED_HERE
              : row.leaseLapsed === undefined
                ? WORKER_GONE
                : leaseLapsed(row.leaseLapsed)
        : '';
  const withError = !omitEmptyError || rows.some((row) => errorCell(row) !== '');
  return tableLines(
    [
      ...(withStudy ? ['study'] : []),
      '#',
      'state',
      'loss',
      ...(withStep ? ['step'] : []),
      ...columns.map(header),
      ...(withEnqueued ? ['enqueued'] : []),
      ...(withError ? ['error'] : []),
    ],
    rows.map((row) => [
      ...cells(row, columns, withStudy, withStep),
      ...(withEnqueued ? [enqueuedCell(row)] : []),
      ...(withError ? [errorCell(row)] : []),
    ]),
    // Right-align the number, the loss, the step, the parameters and the attributes (numbers, mostly).
    new Set([
      ...[0, 2].map((column) => column + (withStudy ? 1 : 0)),
      ...(withStep ? [3 + (withStudy ? 1 : 0)] : []),
      ...columns.map((_, index) => 3 + index + shift),
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
 * any), the parameters, `attrs.NAME` columns, error code and message, times, then, when any failed trial
 * has them, `error_details` (the error's details as JSON), and last, when any trial ran an enqueued entry,
 * `enqueued` (the entry as `--json` gives it: `{"params", "key"}`, empty for a drawn trial), and after all
 * those, for a matrix config's studies, a `matrix.KEY` column per matrix key (what the study's variant set), so
 * that a CSV without them keeps its columns and a reader by position finds the others where they were.
 */
export function* trialsCsvLines(
  rows: readonly TrialRow[],
  spaceNames: readonly string[] = [],
  /** The attributes' order (those `--params attrs.NAME` named), before any other a row has. */
  attrOrder: readonly string[] = [],
  /** By study, what its config's matrix set (`run --json`'s `values`): a `matrix.KEY` column each key, last. */
  matrixValues: ReadonlyMap<string, Readonly<Record<string, unknown>>> = new Map(),
): Iterable<string> {
  // Every parameter of the space gets its column, in the space's order (an empty study's CSV still has
  // them, and a conditional parameter no trial activated yet too), then any other name a row has.
  const names = [...new Set([...spaceNames, ...namesOf(rows, 'params')])];
  const attrNames = [...new Set([...attrOrder, ...namesOf(rows, 'attrs')])];
  const withStep = hasSteps(rows);
  const withDetails = hasErrorDetails(rows);
  const withEnqueued = hasEnqueued(rows);
  // Each study's values by column (`seed` and `/seed` of two configs are one column), the columns in first-seen order.
  const byColumn = new Map(
    [...matrixValues].map(([study, values]) => [
      study,
      new Map(Object.entries(values).map(([key, value]) => [matrixColumn(key), value])),
    ]),
  );
  const matrixNames = [...new Set([...byColumn.values()].flatMap((values) => [...values.keys()]))];
  const header = [
    'study',
    'number',
    'state',
    'loss',
    ...(withStep ? ['step'] : []),
    ...names.map((name) => listedParamColumn(name, withEnqueued)),
    ...attrNames.map((name) => `attrs.${name}`),
    'error_code',
    'error_message',
    'started_at',
    'finished_at',
    ...(withDetails ? ['error_details'] : []),
    ...(withEnqueued ? ['enqueued'] : []),
    ...matrixNames,
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
      ...(withEnqueued ? [row.enqueued === undefined ? '' : JSON.stringify(row.enqueued)] : []),
      ...matrixNames.map((name) => attrCell(byColumn.get(row.study)?.get(name))),
    ]);
}
