import type { AddTrialsOptions, NewFinishedTrial } from '../contracts/store.js';
import { ParzenError } from '../errors.js';
import { canonicalJson } from './canonical-json.js';

/**
 * What the repeat check reads of a stored trial: a `Trial` is one, and a store may give just these columns
 * (no intermediate values) from a lighter query.
 */
export interface ComparedTrial {
  /** The trial's state; a running trial is never a repeat. */
  readonly state: string;
  /** Its params, as internal values. */
  readonly internal: unknown;
  /** Its loss; absent for a failed trial, and for a pruned one that reported no value. */
  readonly loss?: number | undefined;
  /** A failed trial's error, of which the code and the message are compared. */
  readonly error?: unknown;
  /** Its times (ISO), which the refusal compares for a trial to add that gives both of its own. */
  readonly startedAt?: string | undefined;
  /** When it ended (ISO), compared with `startedAt`. */
  readonly finishedAt?: string | undefined;
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

/** Both times as milliseconds, or undefined without both (or with one that is no time). */
const timesKey = (startedAt: string | undefined, finishedAt: string | undefined): string | undefined => {
  if (startedAt === undefined || finishedAt === undefined) return undefined;
  const started = Date.parse(startedAt);
  const finished = Date.parse(finishedAt);
  return Number.isFinite(started) && Number.isFinite(finished) ? `${started}|${finished}` : undefined;
};

/**
 * Per trial to add, whether the refusal counts it as one the study has: a repeat ({@link repeatsOf}), and when
 * it gives both its times, a copy (a stored trial with those times too). One with times of its own is a new
 * evaluation of the same params (a deterministic objective run again, a rescued result), as `parzen import`
 * adds it; so its import is still refused in the store's atomic step when another import added it meanwhile.
 */
const heldBy = (existing: readonly ComparedTrial[], rows: readonly NewFinishedTrial[]): boolean[] => {
  const had = new Set<string>();
  const copies = new Set<string>();
  for (const trial of existing) {
    if (trial.state === 'running') continue;
    const key = sameTrialKey(trial.internal, trial.state, trial.loss, trial.error);
    had.add(key);
    const times = timesKey(trial.startedAt, trial.finishedAt);
    if (times !== undefined) copies.add(`${key}\u0000${times}`);
  }
  return rows.map((row) => {
    const key = addedTrialKey(row);
    const times = timesKey(row.startedAt, row.finishedAt);
    return times === undefined ? had.has(key) : copies.has(`${key}\u0000${times}`);
  });
};

/**
 * The refusal of `TrialStore.addTrials` with `refuseRepeats` when every trial to add is one the study has
 * (a repeat; of a trial given both its times, a copy with those times): `IMPORT_REPEATED`, nothing added. A
 * store calls it in the same atomic step as the add (under its lock, in its transaction), so two imports of
 * one file at once add it once (with a check made before the add, both pass it and the study is doubled).
 */
export const refuseRepeatedTrials = (
  study: string,
  existing: readonly ComparedTrial[],
  rows: readonly NewFinishedTrial[],
): void => {
  if (rows.length === 0 || !heldBy(existing, rows).every(Boolean)) return;
  throw new ParzenError(
    'IMPORT_REPEATED',
    `${rows.length === 1 ? 'The one trial' : `Every one of the ${rows.length} trials`} to add repeats a trial study ${study} already has (same params, state, loss and error): nothing was added.`,
  );
};

/**
 * The trials `TrialStore.addTrials` adds of `trials`, as `options` asks, judged against the study's trials
 * `existing` (its finished ones are compared; a store may give just their compared columns): with `skipRepeats`,
 * those without the ones that repeat a finished trial of `existing` (same params, state, loss, and a failed one's
 * error, whatever their times: {@link repeatsOf}), none when every one does; with `refuseRepeats`, every one, or
 * `IMPORT_REPEATED` when each is one the study has ({@link refuseRepeatedTrials}); else every one. A store calls
 * it in the same atomic step as the add (under its lock, in its transaction), so two imports that share trials,
 * made at the same moment, add each shared one once. Pure.
 */
export const trialsToAdd = (
  study: string,
  existing: readonly ComparedTrial[],
  trials: readonly NewFinishedTrial[],
  options?: AddTrialsOptions,
): readonly NewFinishedTrial[] => {
  if (options?.skipRepeats === true) {
    const repeats = repeatsOf(existing, trials);
    return trials.filter((_, at) => repeats[at] !== true);
  }
  if (options?.refuseRepeats === true) refuseRepeatedTrials(study, existing, trials);
  return trials;
};

/**
 * The indexes of the trials a store's `addTrials` with `skipRepeats` left out, from the trials it resolved to
 * (those added, in the order given): the ones that no added trial has the params, state, loss and error of.
 * Trials alike are left out or added together ({@link trialsToAdd}), so this is exact for a store that honours the
 * option and returns each trial as given. Trials it returned otherwise (a loss rounded, an error cut) would be
 * counted as left out though added: `STORE_FAILED`, naming `store`, rather than a wrong account of the import.
 */
export const leftOutRepeats = (
  store: string,
  trials: readonly NewFinishedTrial[],
  added: readonly ComparedTrial[],
): number[] => {
  const kept = new Set(added.map((trial) => sameTrialKey(trial.internal, trial.state, trial.loss, trial.error)));
  const out = trials.flatMap((trial, at) => (kept.has(addedTrialKey(trial)) ? [] : [at]));
  if (out.length + added.length !== trials.length)
    throw new ParzenError(
      'STORE_FAILED',
      `The \`${store}\` store's addTrials with skipRepeats returned ${added.length} trials added, but only ` +
        `${trials.length - out.length} of the ${trials.length} given match one of them: a store must return each trial ` +
        'it adds with its params, loss and error as given, so that Parzen can tell which were left out as repeats. ' +
        'What it added is in the study.',
    );
  return out;
};
