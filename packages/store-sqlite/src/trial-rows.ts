import {
  finishedTrial,
  type IntermediateValue,
  type Lease,
  type OutcomeFields,
  outcomeFields,
  outcomeFromFields,
  runningTrial,
  type Trial,
  type TrialOutcome,
  type TrialState,
} from '@parzen/engine/plugin';
import { parseCell } from './sqlite-errors.js';

/** A row of the `trials` table as better-sqlite3 returns it. */
export interface TrialRow {
  readonly study: string;
  readonly number: number;
  readonly state: TrialState;
  readonly params: string;
  readonly loss: number | null;
  readonly attrs: string | null;
  readonly error: string | null;
  readonly lease_owner: string | null;
  readonly lease_expires_at: string | null;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly updated_seq: number;
  /** `[[step, value], ...]` as JSON (`[]` when none; a NaN value is null), from `changedSince` only. */
  readonly intermediate?: string | null;
}

/** The columns an outcome sets. */
export interface OutcomeColumns {
  readonly state: TrialState;
  readonly loss: number | null;
  readonly attrs: string | null;
  readonly error: string | null;
}

/** Maps an outcome to its columns (JSON for the attrs and the error). */
export const outcomeColumns = (outcome: TrialOutcome): OutcomeColumns => {
  const fields = outcomeFields(outcome);
  return {
    state: fields.state,
    loss: fields.loss,
    attrs: fields.attrs === null ? null : JSON.stringify(fields.attrs),
    error: fields.error === null ? null : JSON.stringify(fields.error),
  };
};

/** Where a trial's cell is, for a {@link DamagedCell}. */
const cellOf = (row: TrialRow, column: string): string => `trial ${row.number}'s ${column}`;

const leaseOf = (row: TrialRow): Lease | undefined =>
  row.lease_owner === null || row.lease_expires_at === null
    ? undefined
    : { owner: row.lease_owner, expiresAt: row.lease_expires_at };

/** The outcome a finished row records (the engine's rule, from the row's JSON text). */
const outcomeOf = (row: TrialRow): TrialOutcome =>
  outcomeFromFields({
    state: row.state as OutcomeFields['state'],
    loss: row.loss,
    attrs: row.attrs === null ? null : (parseCell(row.attrs, cellOf(row, 'attrs')) as OutcomeFields['attrs']),
    error: row.error === null ? null : (parseCell(row.error, cellOf(row, 'error')) as OutcomeFields['error']),
  });

/** The intermediate values `changedSince` aggregated, frozen; undefined when there are none. */
const intermediateOf = (row: TrialRow): readonly IntermediateValue[] | undefined => {
  if (row.intermediate === undefined || row.intermediate === null || row.intermediate === '[]') return undefined;
  const points = parseCell(row.intermediate, cellOf(row, 'intermediate values')) as [number, number | null][];
  return Object.freeze(points.map(([step, value]) => Object.freeze({ step, value: value ?? Number.NaN })));
};

/** A frozen {@link Trial} snapshot of a row. */
export const rowToTrial = (row: TrialRow): Trial => {
  // Built by the engine's builders, never by spread, so every trial of a state shares one shape.
  const running = runningTrial({
    study: row.study,
    number: row.number,
    internal: Object.freeze(parseCell(row.params, cellOf(row, 'params'))),
    startedAt: row.started_at,
    lease: leaseOf(row),
    intermediate: intermediateOf(row),
  });
  if (row.state === 'running') return Object.freeze(running);
  return Object.freeze(finishedTrial(running, outcomeOf(row), row.finished_at ?? ''));
};
