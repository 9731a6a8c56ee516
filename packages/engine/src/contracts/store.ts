import type { ParamAssignment } from '../domain/params.js';
import type { StudyRecord, StudySpec } from '../domain/study.js';
import type { FinishedTrial, Lease, RunningTrial, Trial, TrialOutcome } from '../domain/trial.js';

export interface CreateTrialOptions {
  /** The worker's claim on the trial; renewed while it runs. */
  readonly lease?: Lease;
  /** Refuse (return undefined) when the study already has this many trials, atomically. */
  readonly limit?: number;
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
 */
export interface TrialStore {
  readonly name: string;
  /** Creates the study, or loads it; a stored study with another direction or space is `STUDY_MISMATCH`. */
  openStudy(spec: StudySpec): Promise<{ readonly study: StudyRecord; readonly resumed: boolean }>;
  /** Reads a study without creating it (`STUDY_NOT_FOUND` if absent). */
  getStudy(name: string): Promise<StudyRecord>;
  /** Every study the store holds, by name (optional: lets `parzen trials --store` find the study). */
  listStudies?(): Promise<readonly StudyRecord[]>;
  createTrial(study: string, options?: CreateTrialOptions): Promise<RunningTrial | undefined>;
  setParams(study: string, number: number, params: ParamAssignment): Promise<void>;
  renewLease(study: string, number: number, lease: Lease): Promise<void>;
  finishTrial(study: string, number: number, outcome: TrialOutcome): Promise<FinishedTrial>;
  /** All trials of the study, ordered by number. */
  listTrials(study: string): Promise<readonly Trial[]>;
  close(): Promise<void>;
}
