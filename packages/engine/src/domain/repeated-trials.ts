import type { NewFinishedTrial } from '../contracts/store.js';
import { ParzenError } from '../errors.js';
import { canonicalJson } from './canonical-json.js';

/**
 * What the repeat check reads of a stored trial: a `Trial` is one, and a store may give just these columns
 * (no intermediate values) from a lighter query.
 */
export interface ComparedTrial {
  readonly state: string;
  readonly internal: unknown;
  readonly loss?: number | undefined;
  readonly error?: unknown;
}

/**
 * What makes an added trial the same as one the study has: its params, state, loss, and a failed trial's
 * error code and message (review 54: two failures without params, of different errors, were one).
 */
const sameTrialKey = (internal: unknown, state: string, loss: unknown, error: unknown): string => {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return canonicalJson({ internal, state, loss: loss ?? null, error: state === 'failed' ? { code, message } : null });
};

/** The key of a trial to add that equals the key of a stored trial it repeats (params, state, loss, error). */
export const addedTrialKey = (row: NewFinishedTrial): string =>
  sameTrialKey(
    row.internal,
    row.outcome.state,
    (row.outcome as { loss?: number }).loss,
    (row.outcome as { error?: unknown }).error,
  );

/** Per trial to add, whether it repeats a finished trial of `existing` (a file imported twice, say). */
export const repeatsOf = (existing: readonly ComparedTrial[], rows: readonly NewFinishedTrial[]): boolean[] => {
  const had = new Set(
    existing
      .filter((trial) => trial.state !== 'running')
      .map((trial) => sameTrialKey(trial.internal, trial.state, trial.loss, trial.error)),
  );
  return rows.map((row) => had.has(addedTrialKey(row)));
};

/**
 * The refusal of `TrialStore.addTrials` with `refuseRepeats` when every trial to add repeats one the study
 * has: `IMPORT_REPEATED`, nothing added. A store calls it in the same atomic step as the add (under its
 * lock, in its transaction), so two imports of one file at once add it once (with a
 * check made before the add, both pass it and the study is doubled).
 */
export const refuseRepeatedTrials = (
  study: string,
  existing: readonly ComparedTrial[],
  rows: readonly NewFinishedTrial[],
): void => {
  if (rows.length === 0 || !repeatsOf(existing, rows).every(Boolean)) return;
  throw new ParzenError(
    'IMPORT_REPEATED',
    `${rows.length === 1 ? 'The one trial' : `Every one of the ${rows.length} trials`} to add repeats a trial study ${study} already has (same params, state, loss and error): nothing was added.`,
  );
};
