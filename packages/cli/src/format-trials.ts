import type { Trial } from '@parzen/engine';
import { type CompiledSpace, toExternalParams } from '@parzen/engine/plugin';
import { formatNumber } from './format-number.js';
import { formatTable } from './text-table.js';

/** A trial as `parzen trials` shows it: the params the objective saw, the loss, or the error. */
export interface TrialRow {
  readonly study: string;
  readonly number: number;
  readonly state: Trial['state'];
  readonly loss?: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly attributes?: Readonly<Record<string, unknown>>;
  readonly error?: { readonly code: string; readonly message: string; readonly details?: unknown };
  readonly startedAt: string;
  readonly finishedAt?: string;
}

/** Turns stored trials into rows with external params (choice values of `space`, not indices). */
export const trialRows = (study: string, space: CompiledSpace, trials: readonly Trial[]): TrialRow[] =>
  trials.map((trial) => ({
    study,
    number: trial.number,
    state: trial.state,
    ...(trial.state === 'complete' || (trial.state === 'pruned' && trial.value !== undefined)
      ? { loss: trial.value as number }
      : {}),
    params: toExternalParams(space, trial.params),
    ...(trial.state === 'complete' && trial.attributes !== undefined ? { attributes: trial.attributes } : {}),
    ...(trial.state === 'failed' ? { error: trial.error } : {}),
    startedAt: trial.startedAt,
    ...(trial.state === 'running' ? {} : { finishedAt: trial.finishedAt }),
  }));

const paramNames = (rows: readonly TrialRow[]): string[] => [
  ...new Set(rows.flatMap((row) => Object.keys(row.params))),
];

const cells = (row: TrialRow, names: readonly string[], withStudy: boolean): string[] => [
  ...(withStudy ? [row.study] : []),
  String(row.number),
  row.state,
  row.loss === undefined ? '' : formatNumber(row.loss),
  ...names.map((name) => (name in row.params ? formatNumber(row.params[name]) : '')),
];

/** A text table: number, state, loss, one column per parameter, and the error code of failed trials. */
export const formatTrialsTable = (rows: readonly TrialRow[]): string => {
  const names = paramNames(rows);
  const withStudy = new Set(rows.map((row) => row.study)).size > 1;
  return formatTable(
    [...(withStudy ? ['study'] : []), '#', 'state', 'loss', ...names, 'error'],
    rows.map((row) => [
      ...cells(row, names, withStudy),
      row.error === undefined ? '' : `${row.error.code}: ${row.error.message}`,
    ]),
    // Right-align the number, the loss and the parameters (numbers, mostly).
    new Set([0, 2, ...names.map((_, index) => 3 + index)].map((column) => column + (withStudy ? 1 : 0))),
  );
};

const csvField = (value: string): string => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** CSV (RFC 4180): study, number, state, loss, the parameters, error code and message, times. */
export const formatTrialsCsv = (rows: readonly TrialRow[]): string => {
  const names = paramNames(rows);
  const header = [
    'study',
    'number',
    'state',
    'loss',
    ...names,
    'error_code',
    'error_message',
    'started_at',
    'finished_at',
  ];
  const lines = rows.map((row) => [
    row.study,
    String(row.number),
    row.state,
    row.loss === undefined ? '' : String(row.loss),
    ...names.map((name) => (name in row.params ? String(row.params[name]) : '')),
    row.error?.code ?? '',
    row.error?.message ?? '',
    row.startedAt,
    row.finishedAt ?? '',
  ]);
  return [header, ...lines].map((line) => line.map(csvField).join(',')).join('\n');
};
