import { countOf, VALUE_THEY_RAN_WITH } from '../builtins/words.js';
import type { NewFinishedTrial } from '../contracts/store.js';
import { isEmptyObject } from '../domain/canonical-json.js';
import type { CompiledSpace } from '../domain/compile-space.js';
import { MISSING_PARAM, toExternalParams, toInternalParams } from '../domain/params.js';
import {
  type ErrorInfo,
  type FinishedTrial,
  type IntermediateValue,
  prunedOutcome,
  type TrialOutcome,
} from '../domain/trial.js';
import { type ConfigIssue, describeValue, ParzenError } from '../errors.js';
import { attrsNotJson, keptAttrs, notJson } from './interpret-result.js';

/**
 * A finished trial as a user writes it, to import it (`parzen import`, `Study.addTrials`): params as the
 * objective sees them (a choice's option value, not its index), and the loss.
 *
 * @remarks The state defaults to `complete`, which needs a finite `loss`; a `pruned` trial may have one;
 * a `failed` trial has none (an `error` may say why). `attrs` (the extra fields an objective returned next
 * to its loss) belong to complete trials. Times are ISO dates; by default the time of the import.
 */
export interface ImportedTrialRow<P = Readonly<Record<string, unknown>>> {
  /**
   * The trial's params; {@link Study.addTrials} types them by the study's space. A parameter its choices leave
   * out has none: no key, `null`, or NaN (a pandas frame's empty cell).
   */
  readonly params: P;
  /** The loss: a finite number, required for a complete trial, optional for a pruned one, none for a failed one. */
  readonly loss?: number;
  /** How the trial ended; default `complete`. */
  readonly state?: 'complete' | 'pruned' | 'failed';
  /** JSON values stored with a complete or pruned trial; absent: none. */
  readonly attrs?: Readonly<Record<string, unknown>>;
  /** The values it reported, each `{ step, value }` with a step once; absent: none. */
  readonly intermediate?: readonly IntermediateValue[];
  /**
   * A failed trial's error; `details` (a JSON object: a kept loss, a program's exit code) as the trial had it.
   * A failed trial without one gets the code `IMPORTED_FAILED`.
   */
  readonly error?: {
    /** The failure's code (`TIMEOUT`, `OBJECTIVE_THREW`, a plugin's own). */
    readonly code: string;
    /** What happened, in words. */
    readonly message: string;
    /** Extra facts as the trial had them (a JSON object); absent: none. */
    readonly details?: Readonly<Record<string, unknown>>;
  };
  /** ISO time the trial was created; default: `finishedAt`, else the time of the import. */
  readonly startedAt?: string;
  /** ISO time the trial ended; default: the time of the import. */
  readonly finishedAt?: string;
  /** The trial's number where it came from (an export); ignored: imported trials get the next numbers. */
  readonly number?: number;
  /** The study it came from and its last step (`parzen trials --jsonl` rows); ignored. */
  readonly study?: string;
  /** Its last step, as `parzen trials --jsonl` lists it; ignored (the steps are in `intermediate`). */
  readonly step?: number;
  /**
   * The trial's values as stored, which `study.trials()` lists beside its params; ignored (the params are
   * what is checked), so another study's finished trials import as they are listed.
   */
  readonly internal?: unknown;
}

/** The problems of one row: its number (as the caller counts rows) and each problem, pointing into it. */
export interface InvalidRow {
  /** The row's number, as the caller counts rows (a file's line, say; by default its index in the list). */
  readonly row: number;
  /** Pointers are relative to the row: `/params/lr`, `/loss`. */
  readonly issues: readonly ConfigIssue[];
}

/** What {@link checkImportedRows} made of the rows: the trials of the valid rows, and the invalid rows. */
export interface ImportCheck {
  /** The trials of the valid rows, in row order, ready for `addTrials`. */
  readonly trials: readonly NewFinishedTrial[];
  /** The row number of each trial in `trials`. */
  readonly rows: readonly number[];
  /** The rows that do not fit, with their problems; empty when every row fits. */
  readonly invalid: readonly InvalidRow[];
  /**
   * Per trial in `trials`, the trial a run's rescue file says the store has running for it (`unrecorded`: the
   * study and the trial's number; see `parzen import`), when its row says one.
   */
  readonly unrecorded: readonly (UnrecordedTrial | undefined)[];
}

/** The trial a result kept in a rescue file belongs to: the store could not record its end (the row's `unrecorded`). */
export interface UnrecordedTrial {
  readonly study: string;
  readonly trial: number;
  /** The worker whose lease the trial held (its run's id), when it had one. */
  readonly worker?: string;
}

const FIELDS = [
  'params',
  'loss',
  'state',
  'attrs',
  'intermediate',
  'error',
  'startedAt',
  'finishedAt',
  'number',
  // Read and ignored, so `parzen trials --jsonl` imports as it is (review 31): the study the row came from,
  // its last step (the values themselves are `intermediate`) and the enqueued entry it ran (an import
  // matches the config's `enqueue` entries by their params).
  'study',
  'step',
  'enqueued',
  // Ignored too: a `study.trials()` row's stored values (trial 99: refused as no such field).
  'internal',
  // A rescue file's: the trial the store has running for the result (`parzen import` finishes it).
  'unrecorded',
  // A running row's worker and lease (`parzen trials --jsonl`): such a row is refused for its state alone.
  'worker',
  'leaseExpiresAt',
];
const STATES = ['complete', 'pruned', 'failed'];

type Fields = Readonly<Record<string, unknown>>;
const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const issue = (pointer: string, expected: string, value: unknown): ConfigIssue => ({
  pointer,
  expected,
  found: value === undefined ? 'none' : describeValue(value),
});

/** The row's intermediate values in step order, or the problems with them. */
const checkIntermediate = (value: unknown, issues: ConfigIssue[]): IntermediateValue[] | undefined => {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    issues.push(issue('/intermediate', 'an array of {"step", "value"}', value));
    return undefined;
  }
  const points: IntermediateValue[] = [];
  const steps = new Set<number>();
  for (const [index, point] of value.entries()) {
    const at = `/intermediate/${index}`;
    if (!isObject(point) || !Number.isInteger(point.step) || (point.step as number) < 0) {
      issues.push(issue(`${at}/step`, 'a step: an integer ≥ 0', isObject(point) ? point.step : point));
    } else if (typeof point.value !== 'number' || !Number.isFinite(point.value)) {
      issues.push(issue(`${at}/value`, 'a finite number', point.value));
    } else if (steps.has(point.step as number)) {
      issues.push(issue(`${at}/step`, 'each step once', point.step));
    } else {
      steps.add(point.step as number);
      points.push({ step: point.step as number, value: point.value });
    }
  }
  return points.sort((a, b) => a.step - b.step);
};

const checkTime = (row: Fields, field: 'startedAt' | 'finishedAt', issues: ConfigIssue[]): string | undefined => {
  const value = row[field];
  if (value === undefined) return undefined;
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isNaN(time)) return new Date(time).toISOString();
  issues.push(issue(`/${field}`, 'an ISO date and time (2026-01-31T12:00:00Z)', value));
  return undefined;
};

/** The outcome a row describes, or undefined with the problems added to `issues`. */
const checkOutcome = (row: Fields, issues: ConfigIssue[]): TrialOutcome | undefined => {
  const state = row.state ?? 'complete';
  const { loss, attrs, error } = row;
  const before = issues.length;
  if (!STATES.includes(state as string))
    issues.push({
      ...issue('/state', `one of ${STATES.join(', ')}`, state),
      // Trial 131: an Optuna export's RUNNING row was refused with Parzen's names only.
      ...(typeof state === 'string' && /^(running|waiting)$/i.test(state.trim())
        ? { found: `${describeValue(state)}: a trial not finished has no result to import; leave its row out` }
        : {}),
    });
  const finite = typeof loss === 'number' && Number.isFinite(loss);
  if (state === 'complete' && !finite) issues.push(issue('/loss', 'a finite number (a complete trial)', loss));
  if (state === 'pruned' && loss !== undefined && !finite) issues.push(issue('/loss', 'a finite number or none', loss));
  if (state === 'failed' && loss !== undefined) issues.push(issue('/loss', 'none (a failed trial has no loss)', loss));
  if (attrs !== undefined && (state === 'failed' || !isObject(attrs)))
    issues.push(
      issue('/attrs', state === 'failed' ? 'none (complete and pruned trials have attrs)' : 'an object', attrs),
    );
  else if (attrs !== undefined) {
    // As an objective's attrs: stored as JSON, so a value JSON would change (NaN, a Date) or refuse is refused here.
    // A field whose value is undefined is passed over (and left out when stored), as in an objective's attrs.
    const notStorable = attrsNotJson(attrs);
    if (notStorable !== undefined)
      issues.push({
        pointer: notStorable.pointer,
        expected: 'JSON values: numbers, strings, booleans, null, arrays or plain objects',
        found: notStorable.found,
      });
  }
  const validError = isObject(error) && typeof error.code === 'string' && typeof error.message === 'string';
  if (error !== undefined && (state !== 'failed' || !validError))
    issues.push(
      issue(
        '/error',
        state === 'failed' ? '{"code", "message", "details"?}' : 'none (only failed trials have one)',
        error,
      ),
    );
  // The error's details (an OBJECTIVE_BAD_ATTRS trial keeps its loss there): stored as JSON, as the trial's were.
  const details = validError ? error.details : undefined;
  if (details !== undefined) {
    const notStorable = isObject(details) ? notJson(details, 'error.details') : undefined;
    if (!isObject(details)) issues.push(issue('/error/details', 'an object', details));
    else if (notStorable !== undefined)
      issues.push({
        pointer: '/error/details',
        expected: 'JSON values: numbers, strings, booleans, null, arrays or plain objects',
        found: notStorable,
      });
  }
  if (issues.length > before) return undefined;
  if (state === 'failed') {
    const info: ErrorInfo = validError
      ? {
          code: error.code as string,
          message: error.message as string,
          ...(details === undefined ? {} : { details: details as Fields }),
        }
      : { code: 'IMPORTED_FAILED', message: 'The trial had failed before it was imported.' };
    return { state: 'failed', error: info };
  }
  // Fields whose value is undefined left out, as JSON does; attrs left with none are no attrs, as an objective's.
  const kept = keptAttrs(attrs as Fields | undefined) as Fields | undefined;
  if (state === 'pruned') return prunedOutcome(loss as number | undefined, kept);
  return kept === undefined
    ? { state: 'complete', loss: loss as number }
    : { state: 'complete', loss: loss as number, attrs: kept };
};

/** A row's `unrecorded` (a rescue file's `{"study", "trial"}`), or undefined with a problem added to `issues`. */
const checkUnrecorded = (value: unknown, issues: ConfigIssue[]): UnrecordedTrial | undefined => {
  if (value === undefined) return undefined;
  if (
    isObject(value) &&
    typeof value.study === 'string' &&
    Number.isSafeInteger(value.trial) &&
    (value.trial as number) >= 0 &&
    (value.worker === undefined || typeof value.worker === 'string')
  )
    return {
      study: value.study,
      trial: value.trial as number,
      ...(typeof value.worker === 'string' ? { worker: value.worker } : {}),
    };
  issues.push(
    issue('/unrecorded', '{"study": a name, "trial": a trial number, "worker"?} (as a rescue file writes it)', value),
  );
  return undefined;
};

/** One row as a trial to add, or its problems. */
const checkRow = (
  space: CompiledSpace,
  row: unknown,
): { trial?: NewFinishedTrial; unrecorded?: UnrecordedTrial; issues: ConfigIssue[] } => {
  if (!isObject(row)) return { issues: [issue('', 'an object with "params" and "loss"', row)] };
  const issues: ConfigIssue[] = [];
  for (const field of Object.keys(row))
    if (!FIELDS.includes(field))
      issues.push(issue(`/${field}`, `no such field (known: ${FIELDS.join(', ')})`, row[field]));
  // A trial that failed before it had params (a suggester's failure: `SUGGESTER_OUT_OF_SPACE`) is exported
  // with none, and is imported so (trial 52: its own export could not be imported again).
  const paramless = row.state === 'failed' && (row.params === undefined || isEmptyObject(row.params));
  const { internal: params, issues: paramIssues } = paramless
    ? { internal: {}, issues: [] }
    : toInternalParams(space, row.params, '/params');
  issues.push(...paramIssues);
  const outcome = checkOutcome(row, issues);
  const intermediate = checkIntermediate(row.intermediate, issues);
  const startedAt = checkTime(row, 'startedAt', issues);
  const finishedAt = checkTime(row, 'finishedAt', issues);
  const unrecorded = checkUnrecorded(row.unrecorded, issues);
  // Trial 74: a trial that finished before it started was taken, with a negative duration.
  if (startedAt !== undefined && finishedAt !== undefined && finishedAt < startedAt)
    issues.push(issue('/finishedAt', `a time at or after startedAt (${startedAt})`, row.finishedAt));
  if (issues.length > 0 || outcome === undefined) return { issues };
  return {
    trial: {
      internal: params,
      outcome,
      ...(startedAt === undefined ? {} : { startedAt }),
      ...(finishedAt === undefined ? {} : { finishedAt }),
      ...(intermediate === undefined || intermediate.length === 0 ? {} : { intermediate }),
    },
    ...(unrecorded === undefined ? {} : { unrecorded }),
    issues,
  };
};

/**
 * Checks rows as a user writes them ({@link ImportedTrialRow}) against the study's space, and turns the
 * valid ones into trials for `TrialStore.addTrials`. Pure: reads nothing, writes nothing. `rowNumber`
 * gives each row's number in messages (default: its index, as a JSON pointer into the array would).
 */
export const checkImportedRows = (
  space: CompiledSpace,
  rows: readonly unknown[],
  rowNumber: (index: number) => number = (index) => index,
): ImportCheck => {
  const trials: NewFinishedTrial[] = [];
  const numbers: number[] = [];
  const invalid: InvalidRow[] = [];
  const unrecorded: (UnrecordedTrial | undefined)[] = [];
  for (const [index, row] of rows.entries()) {
    const checked = checkRow(space, row);
    if (checked.trial === undefined) invalid.push({ row: rowNumber(index), issues: checked.issues });
    else {
      trials.push(checked.trial);
      numbers.push(rowNumber(index));
      unrecorded.push(checked.unrecorded);
    }
  }
  return { trials, rows: numbers, invalid, unrecorded };
};

/**
 * Formats invalid rows one problem per line: `  row 3: /params/lr: expected X, found Y`. `listed`: the rows
 * are said for information (skipped ones beside another refusal), not as what to fix before trying again.
 */
export const formatInvalidRows = (invalid: readonly InvalidRow[], word = 'row', listed = false): string => {
  const lines = invalid.flatMap(({ row, issues }) =>
    issues.map(
      (problem) => `  ${word} ${row}: ${problem.pointer || '/'}: expected ${problem.expected}, found ${problem.found}`,
    ),
  );
  // Trial 50: 3,000 rows without a new parameter printed 3,001 lines.
  if (lines.length <= LISTED_PROBLEMS) return lines.join('\n');
  const rest = lines.length - LISTED_PROBLEMS;
  return [
    ...lines.slice(0, LISTED_PROBLEMS),
    `  and ${rest} more problem${rest === 1 ? '' : 's'} (the first ${LISTED_PROBLEMS} are listed${listed ? "; the error's issues hold them all" : ': fix those and try again'})`,
  ].join('\n');
};

/** At most this many problems of rows are listed in a message (the error's `issues` hold them all). */
const LISTED_PROBLEMS = 20;

/**
 * The parameters every row lacks, when every row is invalid: a parameter added to the space after the
 * trials ran (trial 50: no hint of what to do).
 */
const missingFromEvery = (invalid: readonly InvalidRow[], total: number): string[] => {
  if (invalid.length === 0 || invalid.length < total) return [];
  const missing = (row: InvalidRow) =>
    new Set(row.issues.filter((issue) => issue.found === MISSING_PARAM).map((issue) => issue.pointer));
  const [first, ...others] = invalid.map(missing);
  return [...(first ?? [])]
    .filter((pointer) => others.every((row) => row.has(pointer)))
    .map((pointer) => pointer.replace(/^\/params\//, ''));
};

const addedHint = (names: readonly string[], word: string): string => {
  if (names.length === 0) return '';
  const listed = names.map((name) => `\`${name}\``).join(', ');
  return (
    // Not said as fact: a branch's parameter the file has no column for is missing the same way (trial 87).
    `\nEvery ${word} lacks ${listed}, which the space asks of these ${word}s: ${names.length === 1 ? 'a parameter' : 'parameters'} added to the space since these trials ran, or left out of the file? ` +
    `Give each ${word} ${VALUE_THEY_RAN_WITH}, or leave ${names.length === 1 ? 'it' : 'them'} out of the space to import them.`
  );
};

/**
 * `IMPORT_INVALID`: rows that do not fit the study, so nothing was imported. Its issues point into the
 * rows (`/3/params/lr`).
 */
export const importInvalid = (invalid: readonly InvalidRow[], total: number, word = 'row'): ParzenError =>
  new ParzenError(
    'IMPORT_INVALID',
    `${invalid.length} of ${countOf(total, word)} cannot be imported, so nothing was imported:\n${formatInvalidRows(invalid, word)}${addedHint(missingFromEvery(invalid, total), word)}`,
    {
      issues: invalid.flatMap(({ row, issues }) =>
        issues.map((problem) => ({ ...problem, pointer: `/${row}${problem.pointer}` })),
      ),
    },
  );

/**
 * A finished trial as an export writes it (the inverse of {@link checkImportedRows}): params as the
 * objective sees them, `loss`, `state`, `attrs`, `error` (with its `details`), intermediate values and times.
 */
export const trialToRow = (space: CompiledSpace, trial: FinishedTrial): ImportedTrialRow => {
  const base = {
    number: trial.number,
    params: toExternalParams(space, trial.internal) as Readonly<Record<string, unknown>>,
  };
  const times = { startedAt: trial.startedAt, finishedAt: trial.finishedAt };
  const intermediate = trial.intermediate === undefined ? {} : { intermediate: trial.intermediate };
  switch (trial.state) {
    case 'complete':
      return {
        ...base,
        state: 'complete',
        loss: trial.loss,
        ...(trial.attrs === undefined ? {} : { attrs: trial.attrs }),
        ...intermediate,
        ...times,
      };
    case 'pruned':
      return {
        ...base,
        state: 'pruned',
        ...(trial.loss === undefined ? {} : { loss: trial.loss }),
        ...(trial.attrs === undefined ? {} : { attrs: trial.attrs }),
        ...intermediate,
        ...times,
      };
    case 'failed':
      return {
        ...base,
        state: 'failed',
        error: {
          code: trial.error.code,
          message: trial.error.message,
          ...(trial.error.details === undefined ? {} : { details: trial.error.details }),
        },
        ...intermediate,
        ...times,
      };
  }
};
