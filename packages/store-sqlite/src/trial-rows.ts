import {
  finishedTrial,
  type IntermediateValue,
  type Lease,
  prunedOutcome,
  runningTrial,
  type Trial,
  type TrialOutcome,
  type TrialState,
} from '@parzen/engine/plugin';

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
export const outcomeColumns = (outcome: TrialOutcome): OutcomeColumns => ({
  state: outcome.state,
  loss: outcome.state === 'failed' ? null : (outcome.loss ?? null),
  attrs: outcome.state !== 'failed' && outcome.attrs !== undefined ? JSON.stringify(outcome.attrs) : null,
  error: outcome.state === 'failed' ? JSON.stringify(outcome.error) : null,
});

const leaseOf = (row: TrialRow): Lease | undefined =>
  row.lease_owner === null || row.lease_expires_at === null
    ? undefined
    : { owner: row.lease_owner, expiresAt: row.lease_expires_at };

/** The outcome a finished row records. */
const outcomeOf = (row: TrialRow): TrialOutcome => {
  if (row.state === 'complete') {
    const loss = row.loss ?? Number.NaN;
    return row.attrs === null ? { state: 'complete', loss } : { state: 'complete', loss, attrs: JSON.parse(row.attrs) };
  }
  if (row.state === 'failed') return { state: 'failed', error: JSON.parse(row.error ?? '{}') };
  return prunedOutcome(row.loss ?? undefined, row.attrs === null ? undefined : JSON.parse(row.attrs));
};

/** The intermediate values `changedSince` aggregated, frozen; undefined when there are none. */
const intermediateOf = (row: TrialRow): readonly IntermediateValue[] | undefined => {
  if (row.intermediate === undefined || row.intermediate === null || row.intermediate === '[]') return undefined;
  const points = JSON.parse(row.intermediate) as [number, number | null][];
  return Object.freeze(points.map(([step, value]) => Object.freeze({ step, value: value ?? Number.NaN })));
};

/** A frozen {@link Trial} snapshot of a row. */
export const rowToTrial = (row: TrialRow): Trial => {
  // Built by the engine's builders, never by spread, so every trial of a state shares one shape.
  const running = runningTrial({
    study: row.study,
    number: row.number,
    internal: Object.freeze(JSON.parse(row.params)),
    startedAt: row.started_at,
    lease: leaseOf(row),
    intermediate: intermediateOf(row),
  });
  if (row.state === 'running') return Object.freeze(running);
  return Object.freeze(finishedTrial(running, outcomeOf(row), row.finished_at ?? ''));
};
