import { checkApiOptions } from '../api-options.js';
import type { StudyDeletion, TrialStore } from '../contracts/store.js';
import type { StudyRecord } from '../domain/study.js';
import type { RunningTrial, TrialState } from '../domain/trial.js';
import { didYouMean, ParzenError, storeUnsupported } from '../errors.js';
import { leaseOwner, processState, staleness, workerOf } from './stale-trials.js';

/** Options of {@link deleteStudy}. */
export interface DeleteStudyOptions {
  /** The store that holds the study. It stays open: close it when you are done. */
  readonly store: TrialStore;
  /** The study's name. */
  readonly name: string;
  /**
   * Delete the study even while workers run its trials under a live lease (a process alive on this host, or a
   * lease not lapsed on another host): each such worker fails at its next call to the store (`STUDY_NOT_FOUND`,
   * saying the study was deleted), its running trials' results not recorded (a run keeps them in its rescue
   * file, as any result its store cannot record). Default
   * false: such a study is refused (`STUDY_IN_RUN`) and nothing is deleted.
   */
  readonly force?: boolean;
}

/** What {@link deleteStudy} deleted. */
export interface DeletedStudy {
  /** The study as it was stored. */
  readonly study: StudyRecord;
  /** How many trials it had, by state. */
  readonly trials: Readonly<Record<TrialState, number>>;
}

/**
 * Whether a running trial's worker is alive, by its lease: its process is alive on this host (a run of this
 * process included, while it goes on), or its lease has not lapsed on another host. A trial without a lease (an
 * `ask()` not yet told) has no worker to tell of, and a dead or lapsed worker's trial is stale.
 */
export const runsUnderLiveLease = (trial: RunningTrial, now: Date): boolean =>
  trial.lease !== undefined && staleness(trial.lease, now, '') === undefined;

// Trial 161: of a worker on another host just killed, the refusal said it was running and to stop it first; this host
// cannot see that process, only its lease, and the deletion goes through once that lapses.
/** The `STUDY_IN_RUN` refusal of a study whose `running` trials live workers run. */
export const studyInRun = (study: string, running: readonly RunningTrial[], force: string): ParzenError => {
  const now = Date.now();
  let remote = false;
  const shown = running.slice(0, 5).map((trial) => {
    const owner = trial.lease?.owner ?? '';
    const worker = workerOf(owner) ?? `worker ${owner}`;
    if (trial.lease === undefined || processState(leaseOwner(owner)) !== 'unknown')
      return `#${trial.number} (${worker})`;
    remote = true;
    const left = Math.max(0, Math.ceil((Date.parse(trial.lease.expiresAt) - now) / 1000));
    return `#${trial.number} (${worker}, whose lease runs ${left} s more; this host cannot see that process)`;
  });
  const more = running.length > 5 ? ` and ${running.length - 5} more` : '';
  const lapse = remote
    ? '; a worker on another host counts as gone once its lease lapses, and the deletion then goes through'
    : '';
  return new ParzenError(
    'STUDY_IN_RUN',
    `Study \`${study}\` was not deleted: ${running.length === 1 ? 'a worker is running its trial' : `workers are running ${running.length} of its trials`} ${shown.join(', ')}${more}. ` +
      `Stop ${running.length === 1 ? 'it' : 'them'} first (or wait for the run to end${lapse}), or delete it anyway with ${force}: each such worker then stops at its next call to the store, the results of its running trials not recorded (a run keeps them in its rescue file).`,
  );
};

/**
 * Deletes a study from its store, with all its trials, intermediate values and enqueued entries, in one atomic
 * step of the store: nothing of it is left, and its other studies are untouched; a study of that name can then be
 * created anew. A study whose trials a live worker runs (see `force`) is refused, decided in that same step, so no
 * worker starts a trial between the check and the deletion. Resolves to the study and its trial counts.
 *
 * There is no undo: keep a copy first with `parzen export` (its finished trials) if you may want it back. A worker
 * of the study in another process gets `STUDY_NOT_FOUND` (saying the study was deleted) at its next call to the
 * store, and never writes to a study created again under the name. For a JSONL journal, the deletion is a line
 * appended to it (format version 6: an older Parzen refuses the journal from there on rather than show the study);
 * the study's lines stay in the file.
 *
 * @throws `ParzenError` `STUDY_NOT_FOUND` when the store has no such study (naming the ones it holds, and a near
 *   name), `STUDY_IN_RUN` for a study live workers run (without `force`), `STORE_UNSUPPORTED` for a store without
 *   `deleteStudy`, `CONFIG_INVALID` for options of another shape.
 *
 * @example
 * ```ts
 * const store = createSqliteStore({ path: 'studies.db' });
 * const { trials } = await deleteStudy({ store, name: 'heart' });
 * await store.close();
 * ```
 */
export const deleteStudy = async (options: DeleteStudyOptions): Promise<DeletedStudy> => {
  checkApiOptions('deleteStudy', options);
  const { store, name, force = false } = options;
  return deleteStudyIn(store, name, force, '`force: true`');
};

/**
 * {@link deleteStudy}'s work, for a host that says `force` in its own words (`forceWord`, the CLI's `--force`).
 */
export const deleteStudyIn = async (
  store: TrialStore,
  name: string,
  force: boolean,
  forceWord: string,
): Promise<DeletedStudy> => {
  if (store.deleteStudy === undefined) throw storeUnsupported(store.name, 'delete a study', 'deleteStudy', true);
  const now = new Date();
  let deletion: StudyDeletion;
  try {
    deletion = await store.deleteStudy(
      name,
      force ? {} : { blocks: (trial: RunningTrial) => runsUnderLiveLease(trial, now) },
    );
  } catch (error) {
    throw await withStudiesHeld(error, store, name);
  }
  if (deletion.blocking.length > 0) throw studyInRun(name, deletion.blocking, forceWord);
  return { study: deletion.study, trials: deletion.trials };
};

/** A `STUDY_NOT_FOUND` that names the studies the store holds (the first 20) and a near name, when it lists them. */
export const withStudiesHeld = async (error: unknown, store: TrialStore, name: string): Promise<unknown> => {
  if (!(error instanceof ParzenError) || error.code !== 'STUDY_NOT_FOUND') return error;
  const names = (await store.listStudies?.().catch(() => undefined))?.map((study) => study.name);
  if (names === undefined) return error;
  const listed = names
    .slice(0, 20)
    .map((held) => `\`${held}\``)
    .join(', ');
  const more = names.length > 20 ? ` and ${names.length - 20} more` : '';
  return new ParzenError(
    'STUDY_NOT_FOUND',
    `${error.message.replace(/ Run it first\.$/, '')} Nothing was deleted; it holds ${names.length === 0 ? 'no study' : `${listed}${more}`}${didYouMean(name, names)}.`,
    { cause: error },
  );
};
