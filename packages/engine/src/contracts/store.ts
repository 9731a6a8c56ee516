import type { ParamAssignment } from '../domain/params.js';
import type { StudyRecord, StudySpec } from '../domain/study.js';
import type {
  FinishedTrial,
  IntermediateValue,
  Lease,
  RunningTrial,
  Trial,
  TrialOutcome,
  TrialState,
} from '../domain/trial.js';

/** Options of {@link TrialStore.deleteStudy}. */
export interface StudyDeletionOptions {
  /**
   * Which running trials keep the study: called in the deletion's atomic step (under the store's lock or in its
   * transaction) with each of the study's running trials; when it answers true for one, nothing is deleted and
   * {@link StudyDeletion.blocking} lists them. Without it, running trials are deleted with the study.
   */
  readonly blocks?: (trial: RunningTrial) => boolean;
  /**
   * Delete the study only while it holds nothing: no trial (of any state) and no enqueued entry, decided in the
   * deletion's atomic step; else nothing is deleted and {@link StudyDeletion.notEmpty} says so. An import that
   * created a study and added nothing to it (stopped, or refused) takes it out so, never trials another process
   * added meanwhile. Honoured by a store whose {@link TrialStore.deletesOnlyEmpty} is true (every built-in store);
   * do not pass it to another (it may delete the study whatever it holds).
   */
  readonly onlyEmpty?: boolean;
}

/** What {@link TrialStore.deleteStudy} did. */
export interface StudyDeletion {
  /** The study as it was stored. */
  readonly study: StudyRecord;
  /** How many trials the study had, by state, when it was deleted (or kept). */
  readonly trials: Readonly<Record<TrialState, number>>;
  /** The running trials `blocks` picked: when there is one, nothing was deleted. */
  readonly blocking: readonly RunningTrial[];
  /** True when `onlyEmpty` found the study holding a trial or an enqueued entry: nothing was deleted. */
  readonly notEmpty?: boolean;
}

/** Options of {@link TrialStore.createTrial}. */
export interface CreateTrialOptions {
  /** The worker's claim on the trial; renewed while it runs. */
  readonly lease?: Lease;
  /** Refuse (return undefined) when the study already has this many trials, atomically. */
  readonly limit?: number;
  /**
   * Only from an enqueued entry: when none waits, create nothing and return undefined, atomically. A study
   * that has ended (its stopper, patience or lossThreshold) still runs the entries queued for it, and
   * nothing else.
   */
  readonly onlyEnqueued?: boolean;
}

/** Params queued to run before any sampled trial (see {@link TrialStore.enqueue}). */
export interface EnqueuedParams {
  /** Internal values; may name only some parameters, the suggester samples the rest. */
  readonly internal: ParamAssignment;
  /**
   * When given, an entry whose key the study has already queued (taken or not) is skipped: a config's
   * `enqueue` list is queued once however many workers start with it, and again on every resume.
   */
  readonly key?: string;
}

/**
 * Which waiting entries {@link TrialStore.removeEnqueued} takes out of the queue: the entry queued with `key`, or
 * every waiting entry whose values are exactly `internal` (the same parameters, the same values; keyed or not).
 */
export type EnqueuedSelector =
  | {
      /** The key the entry was queued with (see {@link EnqueuedParams.key}). */
      readonly key: string;
    }
  | {
      /** Internal values an entry must have exactly: the same parameters, the same values. */
      readonly internal: ParamAssignment;
    };

/** What {@link TrialStore.removeEnqueued} did. */
export interface EnqueuedRemoval {
  /** The entries taken out of the queue, in the order they waited; none when `missing` has any. */
  readonly removed: readonly EnqueuedParams[];
  /**
   * The selectors no waiting entry answered, by their index in the call's list (an entry taken by a trial, given
   * up, removed before, or never queued): when there is one, nothing was removed.
   */
  readonly missing: readonly number[];
}

/** The enqueued entry a trial ran (see {@link TrialStore.listTakenEntries}). */
export interface TakenEntry {
  /** The trial's number. */
  readonly trial: number;
  /** The entry's internal values: the trial's initial params, possibly only some of them. */
  readonly internal: ParamAssignment;
  /**
   * The key the entry was queued (or its trial added) with, when it had one: a config's entry whose key a
   * trial took is not queued again (see {@link EnqueuedParams.key}).
   */
  readonly key?: string;
}

/** A finished trial brought in from elsewhere (an import, a warm start); see {@link TrialStore.addTrials}. */
export interface NewFinishedTrial {
  /** The trial's params, as internal values (option indices for choices). */
  readonly internal: ParamAssignment;
  /** How the trial ended: complete with a loss, failed with an error, or pruned. */
  readonly outcome: TrialOutcome;
  /** ISO time the trial was created; default: `finishedAt`, else the time of the add. */
  readonly startedAt?: string;
  /** ISO time the trial ended; default: the time of the add. */
  readonly finishedAt?: string;
  /** The intermediate values it reported, ordered by step; absent when none. */
  readonly intermediate?: readonly IntermediateValue[];
  /**
   * The key of an enqueued entry this trial ran (see {@link EnqueuedParams.key}): the study records the key
   * as queued and taken by this trial, so enqueueing it again queues nothing. A study moved between stores
   * (export, import) keeps which of its config's `enqueue` entries already ran.
   */
  readonly key?: string;
  /**
   * With `key`: the entry's own values, when they are not all the trial's params (a partial entry, whose other
   * params the suggester chose). A store records them as the entry the trial ran when the study had not queued
   * the key (see {@link TrialStore.listTakenEntries}); without them, the trial's params stand for it.
   */
  readonly entry?: ParamAssignment;
}

/** Options of {@link TrialStore.addTrials}. */
export interface AddTrialsOptions {
  /**
   * Refuse the batch (`IMPORT_REPEATED`, nothing added) when every trial in it repeats a finished trial the
   * study has (same params, state, loss, and a failed one's error; a trial given both its times, one with those
   * times too), judged in the same atomic step as the add (`refuseRepeatedTrials` under the store's lock or in
   * its transaction, given the stored trials' times): two imports of one file at once add it once. A store
   * written before the option may ignore it (its contract suite then lists `'refuseRepeats'` in `without`).
   */
  readonly refuseRepeats?: boolean;
  /**
   * Leave out the trials that repeat a finished trial the study has (same params, state, loss, and a failed one's
   * error, whatever their times) and add the others, judged in the same atomic step as the add (`trialsToAdd` from
   * `@parzen/engine/plugin` under the store's lock or in its transaction): two imports that share rows, made at
   * the same moment, add each shared row once. Resolves to the trials added, in the order of their rows (none when
   * every one repeats), each with its row's params, loss and error as given (the caller tells the rows left out
   * by them). It takes the place of
   * `refuseRepeats` (a call of nothing but repeats adds nothing). Honoured only by a store whose
   * {@link TrialStore.skipRepeats} is true: Parzen passes it to no other.
   */
  readonly skipRepeats?: boolean;
}

/** What {@link TrialStore.listTrialsSince} returns. */
export interface TrialChanges {
  /** The trials created or changed since the cursor given (every trial without one), ordered by number. */
  readonly trials: readonly Trial[];
  /** Opaque; pass it to the next call to get only what changed after this one. */
  readonly cursor: string;
}

/**
 * Where trials live. The store is the truth: the run loop keeps no state a store does not have, so a
 * study can be resumed, shared by processes, or inspected while it runs.
 *
 * @remarks
 * - `createTrial` allocates the next number atomically; two workers (or processes) never share one.
 * - A finished trial is immutable: finishing it again rejects with `TRIAL_ALREADY_FINISHED`.
 * - Returned objects are snapshots; later writes never change them.
 * - A trial is durable once `finishTrial` resolves.
 * - The optional methods (`listStudies`, `reportIntermediate`, `enqueue`, `addTrials`, `listTrialsSince`, `listEnqueued`, `listTakenEntries`, `removeEnqueued`, `listRemovedEntries`, `deleteStudy`) are implemented
 *   by every built-in store; a feature that needs one fails with `STORE_UNSUPPORTED` on a store without
 *   it. Without `listTrialsSince` the run loop lists the whole study before each suggestion instead; without
 *   `listEnqueued` or `listTakenEntries`, explain and report say less (which entries wait or ran).
 */
export interface TrialStore {
  /** The store plugin's name (`memory`, `jsonl`, `sqlite`, ...). */
  readonly name: string;
  /**
   * True when `createTrial` honours {@link CreateTrialOptions.onlyEnqueued} (every built-in store). A store
   * with `enqueue` and without it (written before the option) gets the older rule: a study that has ended
   * runs only the entries its run's config enqueued, counted.
   */
  readonly onlyEnqueued?: boolean;
  /**
   * True when `addTrials` honours {@link AddTrialsOptions.skipRepeats} (every built-in store). With a store
   * without it, `study.addTrials` and `parzen import` asked to skip repeats compare the rows with the study as
   * read before the add, and warn that two imports at the same moment that share rows can both add them.
   */
  readonly skipRepeats?: boolean;
  /**
   * True when `deleteStudy` honours {@link StudyDeletionOptions.onlyEmpty} (every built-in store). `parzen import`
   * takes out a study it created and added nothing to only with such a store; with another, it says the empty
   * study stays, and the command that deletes it.
   */
  readonly deletesOnlyEmpty?: boolean;
  /** Creates the study, or loads it; a stored study with another direction or space is `STUDY_MISMATCH`. */
  openStudy(spec: StudySpec): Promise<{
    /** The study as stored (for a loaded study, its stored seed and creation time). */
    readonly study: StudyRecord;
    /** True when the study existed and was loaded; false when this call created it. */
    readonly resumed: boolean;
  }>;
  /** Reads a study without creating it (`STUDY_NOT_FOUND` if absent). */
  getStudy(name: string): Promise<StudyRecord>;
  /**
   * Every study the store holds, oldest first (optional: `parzen studies` lists them, and `parzen trials
   * --store` finds the store's only study; without it `parzen studies` fails with `STORE_UNSUPPORTED`).
   */
  listStudies?(): Promise<readonly StudyRecord[]>;
  /**
   * Allocates the next trial number atomically and records a running trial (with any enqueued params);
   * undefined past `limit`.
   */
  createTrial(study: string, options?: CreateTrialOptions): Promise<RunningTrial | undefined>;
  /** Records a running trial's sampled params, as internal values (the trial's `internal`). */
  setParams(study: string, number: number, internal: ParamAssignment): Promise<void>;
  /** Extends a running trial's lease (its worker is alive). */
  renewLease(study: string, number: number, lease: Lease): Promise<void>;
  /** Finishes a running trial with its outcome, durably; `TRIAL_ALREADY_FINISHED` if it had finished. */
  finishTrial(study: string, number: number, outcome: TrialOutcome): Promise<FinishedTrial>;
  /** All trials of the study, ordered by number. */
  listTrials(study: string): Promise<readonly Trial[]>;
  /**
   * The trials created or changed since `cursor` (every trial when it is absent), ordered by number, and
   * the cursor for the next call. Optional: the run loop keeps its own copy of the study up to date with
   * it instead of listing every trial before each suggestion (which costs O(study size) per trial).
   */
  listTrialsSince?(study: string, cursor?: string): Promise<TrialChanges>;
  /**
   * Records an intermediate value of a running trial, durably once the promise resolves. A step already
   * reported keeps its first value (the new one is ignored). `TRIAL_ALREADY_FINISHED` for a finished trial.
   * Optional for third-party stores; pruning needs it.
   */
  reportIntermediate?(study: string, number: number, step: number, value: number): Promise<void>;
  /**
   * Queues params for trials to come: `createTrial` hands out the oldest waiting entry first, as the
   * trial's initial params, so each entry is taken by one trial at a time across all workers (`finishTrial`
   * of a trial that ended unrun, see `endedUnrun`, gives its entry back, to be handed out first). Entries with a
   * key already queued are skipped. Resolves to the number of entries queued. Optional; enqueue needs it.
   */
  enqueue?(study: string, entries: readonly EnqueuedParams[]): Promise<number>;
  /**
   * The entries waiting to be handed out, in the order `createTrial` hands them out, each with its key when
   * it was queued with one. Optional: without it, Parzen cannot say which entries an earlier run left
   * waiting (a run notes those its config no longer lists; a study at its limit says how many wait).
   */
  listEnqueued?(study: string): Promise<readonly EnqueuedParams[]>;
  /**
   * The entries trials ran, ordered by trial number: the entry `createTrial` handed each (none for a trial
   * that gave its entry back, see `endedUnrun`), and for a trial added with a key the waiting entry of that
   * key it took, or its `entry` (else its own params) when the study did not know the key (the first trial added with it).
   * Each carries its entry's key when the entry had one (the contract suite checks it): `parzen validate` counts the
   * config entries a study ran by their keys, so of a store that lists entries without them it says none ran yet
   * (a run still skips them, by the keys `enqueue` keeps). Optional: without it `parzen
   * explain --trial N` and `parzen report` cannot tell which of a partly enqueued trial's params its entry fixed (they
   * replay it as drawn, and say the replay differs), nor explain whether a partial config entry ran.
   */
  listTakenEntries?(study: string): Promise<readonly TakenEntry[]>;
  /**
   * Takes waiting entries out of the queue, all or none, in one atomic step (under the store's lock or in its
   * transaction, so no trial takes one meanwhile): each selector must pick at least one entry still waiting (one
   * given back by a trial that ended unrun waits); when one picks none, nothing is removed and `missing` says which.
   * A removed entry is never handed out, and its key stays queued: `enqueue` skips it, as it skips any key the
   * study has queued, so a config that still lists it does not queue it again. `listEnqueued` no longer lists it,
   * nor `listTakenEntries` (no trial took it); `listRemovedEntries` does. `pickWaiting` from `@parzen/engine/plugin`
   * picks the entries. Optional (`parzen queue --remove` and `study.removeEnqueued` need it): a store without it
   * fails them with `STORE_UNSUPPORTED`.
   */
  removeEnqueued?(study: string, which: readonly EnqueuedSelector[]): Promise<EnqueuedRemoval>;
  /**
   * Deletes the study with everything it holds (its record, trials, intermediate values, enqueued entries), all
   * or none, in one atomic step; unless `options.blocks` picks one of its running trials (then nothing is deleted,
   * see {@link StudyDeletion.blocking}). `STUDY_NOT_FOUND` when the store has no such study. The other studies
   * are left as they are, and a study of that name can be created again (a new study, with none of the deleted
   * one's trials or queued keys).
   *
   * Another handle on the same data (another process, another store object) that used the deleted study gets
   * `STUDY_NOT_FOUND` saying it was deleted at its next call naming it, and never writes to a study created
   * again under that name since (its `openStudy` takes the new one). Optional (`parzen delete` and `deleteStudy`
   * need it): a store without it fails them with `STORE_UNSUPPORTED`.
   */
  deleteStudy?(study: string, options?: StudyDeletionOptions): Promise<StudyDeletion>;
  /**
   * The entries `removeEnqueued` took out of the queue, in the order they were queued, each with its key when it was
   * queued with one. Optional: `parzen validate` counts a config's entries removed by their keys, apart from those
   * not yet run (no run runs a removed one); without it, it counts them as not yet run.
   */
  listRemovedEntries?(study: string): Promise<readonly EnqueuedParams[]>;
  /**
   * Adds finished trials with the next numbers, all or none (one transaction); with `skipRepeats`, those that do
   * not repeat a finished trial of the study, in the order given. Optional; import and warm start need it.
   */
  addTrials?(
    study: string,
    trials: readonly NewFinishedTrial[],
    options?: AddTrialsOptions,
  ): Promise<readonly FinishedTrial[]>;
  /** Releases the store (files, connections, locks); the data stays. */
  close(): Promise<void>;
}

/**
 * When a store flushes its writes to disk (each store's `fsync` option says what each value means for it):
 * - `'finish'` (the default): what finishes a trial (and creates a study, queues or imports) is on disk before the
 *   call resolves, with every write before it: a finished trial survives a power loss.
 * - `'always'`: every write is flushed; running trials survive a power loss too, at a flush per write.
 * - `'never'`: flushing is left to the operating system: survives a crash of the process, not a power loss.
 */
export type FsyncPolicy = 'finish' | 'always' | 'never';
