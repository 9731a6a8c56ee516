import type { ErrorInfo } from '@parzen/engine';
import {
  addedTrial,
  finishedTrial,
  type IntermediateValue,
  type Lease,
  type NewFinishedTrial,
  type OutcomeFields,
  outcomeFields,
  outcomeFromFields,
  type ParamAssignment,
  runningTrial,
  type Trial,
  type TrialOutcome,
  type TrialState,
} from '@parzen/engine/plugin';

/** A row of `parzen_trials` as node-postgres returns it (json parsed, timestamps as Dates, bigint as text). */
export interface TrialRow {
  readonly number: number;
  readonly state: TrialState;
  readonly params: ParamAssignment;
  readonly loss: number | null;
  readonly attrs: Readonly<Record<string, unknown>> | null;
  readonly error: ErrorInfo | null;
  readonly lease_owner: string | null;
  readonly lease_expires_at: Date | null;
  readonly started_at: Date;
  readonly finished_at: Date | null;
  readonly updated_seq: string;
  readonly write_id: string;
  /** The write that created the row (read only where the store checks a trial is still its own). */
  readonly created_by?: string;
  /** `[[step, value], ...]` ordered by step (non-finite values as the strings `NaN`, `Infinity`...), or null. */
  readonly intermediate?: readonly (readonly [number, number | string])[] | null;
}

/** The columns an outcome sets, as query parameters (JSON columns as text). */
export const outcomeValues = (
  outcome: TrialOutcome,
): readonly [TrialState, number | null, string | null, string | null] => {
  const fields = outcomeFields(outcome);
  return [
    fields.state,
    fields.loss,
    fields.attrs === null ? null : JSON.stringify(fields.attrs),
    fields.error === null ? null : JSON.stringify(fields.error),
  ];
};

const leaseOf = (row: TrialRow): Lease | undefined =>
  row.lease_owner === null || row.lease_expires_at === null
    ? undefined
    : { owner: row.lease_owner, expiresAt: row.lease_expires_at.toISOString() };

/** The outcome a finished row records (the engine's rule; node-postgres has parsed the JSON columns). */
const outcomeOf = (row: TrialRow): TrialOutcome =>
  outcomeFromFields({ state: row.state as OutcomeFields['state'], loss: row.loss, attrs: row.attrs, error: row.error });

/** The intermediate values of a row, frozen; undefined when there are none. */
const intermediateOf = (row: TrialRow): readonly IntermediateValue[] | undefined => {
  if (row.intermediate === undefined || row.intermediate === null) return undefined;
  // PostgreSQL writes a non-finite float8 into JSON as a string: Number('NaN'), Number('-Infinity').
  return Object.freeze(row.intermediate.map(([step, value]) => Object.freeze({ step, value: Number(value) })));
};

/** A frozen {@link Trial} snapshot of a row, built by the engine's builders (one shape per state). */
export const rowToTrial = (study: string, row: TrialRow): Trial => {
  const running = runningTrial({
    study,
    number: row.number,
    internal: Object.freeze(row.params),
    startedAt: row.started_at.toISOString(),
    lease: leaseOf(row),
    intermediate: intermediateOf(row),
  });
  if (row.state === 'running') return Object.freeze(running);
  return Object.freeze(finishedTrial(running, outcomeOf(row), row.finished_at?.toISOString() ?? ''));
};

/** The columns of added trials as one array per column (`insertAdded`), and their intermediate values. */
export const addedColumns = (study: string, added: readonly NewFinishedTrial[], now: string) => {
  const trials: unknown[][] = [[], [], [], [], [], [], []];
  const points: unknown[][] = [[], [], []];
  /** The keys of enqueued entries the trials ran: each trial (counted from the first), key and params. */
  const keys: unknown[][] = [[], [], []];
  for (const [index, entry] of added.entries()) {
    if (entry.key !== undefined) {
      keys[0]?.push(index);
      keys[1]?.push(entry.key);
      keys[2]?.push(JSON.stringify(entry.entry ?? entry.internal));
    }
    const { startedAt, finishedAt } = addedTrial(study, index, entry, now);
    const row = [...outcomeValues(entry.outcome), startedAt, finishedAt];
    row.splice(1, 0, JSON.stringify(entry.internal));
    for (const [column, value] of row.entries()) trials[column]?.push(value);
    for (const { step, value } of entry.intermediate ?? []) {
      points[0]?.push(index);
      points[1]?.push(step);
      points[2]?.push(value);
    }
  }
  return { trials, points, keys };
};
