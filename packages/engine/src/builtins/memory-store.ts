import { defineStore } from '../contracts/manifest.js';
import { type Clock, SERVICES, systemClock } from '../contracts/services.js';
import type { CreateTrialOptions, EnqueuedParams, TrialStore } from '../contracts/store.js';
import { EntryQueue, storedEntry } from '../domain/entry-queue.js';
import type { ParamAssignment } from '../domain/params.js';
import { trialsToAdd } from '../domain/repeated-trials.js';
import type { StudyRecord, StudySpec } from '../domain/study.js';
import { countByState, deletionGoesOn, studyDeletion } from '../domain/study-deletion.js';
import {
  endedUnrun,
  type IntermediateValue,
  type Lease,
  type RunningTrial,
  type Trial,
  type TrialOutcome,
} from '../domain/trial.js';
import { addedTrial, addIntermediate, copyParams, finishedTrial, runningTrial } from '../domain/trial-builders.js';
import {
  describeValue,
  invalidConfig,
  storeClosed,
  studyDeleted,
  studyNotFound,
  trialAlreadyFinished,
  trialNotFound,
} from '../errors.js';
import { trialsChangedSince } from './change-log.js';
import { checkSameStudy } from './check-same-study.js';

interface StudyState {
  readonly record: StudyRecord;
  readonly trials: Trial[];
  readonly queue: EntryQueue<ParamAssignment>;
  /** The number of every trial written, in write order: `listTrialsSince`'s cursor is a position in it. */
  readonly changes: number[];
  /**
   * The intermediate values of running trials, added to in place per report; a trial's snapshot in `trials`
   * takes them when it is next read (`unsettled`), so a report costs O(1), not a copy of its curve.
   */
  readonly curves: Map<number, IntermediateValue[]>;
  readonly unsettled: Set<number>;
}

/**
 * Each memory store handle's methods as it was made, and the maker of another handle on its studies (see
 * {@link ownHandle}). By the object: a store that wraps one (a Proxy, or an object spread with overrides of its own)
 * is not one, and is never passed over.
 */
const ANOTHER_HANDLE = new WeakMap<
  TrialStore,
  { readonly made: TrialStore; readonly another: () => TrialStore; readonly reopened: () => TrialStore }
>();

/**
 * Another handle on the studies of `store`, when it is a memory store (else `store` itself): a run or a `Study` takes
 * its own, as a worker of a persistent store opens its own connection, so that a study deleted and created anew in
 * its name under a run (by a caller of `store`, or another run) is another study to the run: its next call fails
 * (`STUDY_NOT_FOUND`, saying the study was deleted) and it writes nothing into the new one. It is closed with
 * `store` (`STORE_CLOSED`).
 */
export const ownHandle = (store: TrialStore): TrialStore => {
  const handle = ANOTHER_HANDLE.get(store);
  if (handle === undefined) return store;
  // One whose methods were replaced on it (a test injecting a fault) is used as it is: another handle would not
  // have the replacements.
  const own = store as unknown as Record<string, unknown>;
  const made = handle.made as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(own), ...Object.keys(made)])) if (own[key] !== made[key]) return store;
  return handle.another();
};

/**
 * A memory store's studies on a handle of their own that is open, whether `store` was closed or not: what opening a
 * file store's file again is (the store contract's `reopen`). `store` itself when it is no memory store.
 */
export const reopenedHandle = (store: TrialStore): TrialStore => ANOTHER_HANDLE.get(store)?.reopened() ?? store;

/**
 * A store in memory: nothing survives the process. For tests, quick experiments and `fmin` calls that
 * keep their trials in the returned result. Its times are `clock`'s.
 */
export const createMemoryStore = (clock: Clock = systemClock): TrialStore => {
  // Options from JavaScript (`{ name }`, as the file stores take) failed at the first trial: `clock.now is not a function`.
  if (typeof (clock as { now?: unknown } | null)?.now !== 'function')
    throw invalidConfig('memory store arguments', [
      {
        pointer: '',
        expected: 'nothing (a memory store takes no options), or a clock for tests (an object with a `now` method)',
        found: describeValue(clock),
      },
    ]);
  const now = (): string => clock.now().toISOString();
  const studies = new Map<string, StudyState>();
  /** The studies deleted and not created again since: a call naming one says it was deleted. */
  const deleted = new Set<string>();
  return memoryHandle(now, studies, deleted, { closed: false });
};

/**
 * Whether a memory store handle was closed: by its own `close()`, or by that of the handle it was made from (a
 * Study's own handle on the store its caller closed).
 */
interface HandleLife {
  closed: boolean;
  readonly parent?: HandleLife;
}
const isClosed = (life: HandleLife): boolean => life.closed || (life.parent !== undefined && isClosed(life.parent));

/** A handle on `studies`: its own record of which study it saw under each name (see {@link ownHandle}). */
const memoryHandle = (
  now: () => string,
  studies: Map<string, StudyState>,
  deleted: Set<string>,
  life: HandleLife,
): TrialStore => {
  /**
   * The study this handle first saw under each name (opened, read or written): when the study of that name is no
   * longer that one (deleted, perhaps created anew), a call naming it is refused (`studyDeleted`) until `openStudy`
   * takes the study as it is now.
   */
  const seen = new Map<string, StudyState>();
  /** The study, with no snapshot missing its trial's latest reports. */
  const state = (name: string): StudyState => {
    const found = unsettled(name);
    for (const number of found.unsettled) {
      const trial = found.trials[number] as RunningTrial;
      const intermediate = Object.freeze((found.curves.get(number) as IntermediateValue[]).slice());
      found.trials[number] = Object.freeze(runningTrial(trial, { intermediate }));
    }
    found.unsettled.clear();
    return found;
  };
  /** The study as it is, some snapshots possibly behind their curves (for a report). */
  const unsettled = (name: string): StudyState => {
    const found = studies.get(name);
    const saw = seen.get(name);
    if (saw !== undefined && found !== saw) throw studyDeleted(name);
    if (found === undefined) throw deleted.has(name) ? studyDeleted(name) : studyNotFound(name);
    if (saw === undefined) seen.set(name, found);
    return found;
  };
  /** Trial `number` of `study`, refused unless it is running (`found`: the study as read, settled by default). */
  const running = (study: string, number: number, found = state(study)): RunningTrial => {
    const trial = found.trials[number];
    if (trial === undefined) throw trialNotFound(study, number);
    if (trial.state !== 'running') throw trialAlreadyFinished(study, number);
    return trial;
  };
  const replace = (study: string, trial: Trial): void => {
    const found = state(study);
    found.trials[trial.number] = Object.freeze(trial);
    found.changes.push(trial.number);
    if (trial.state !== 'running') found.curves.delete(trial.number);
  };
  const handle: TrialStore = {
    name: 'memory',
    onlyEnqueued: true,
    skipRepeats: true,
    deletesOnlyEmpty: true,
    async openStudy(spec: StudySpec) {
      const existing = studies.get(spec.name);
      if (existing !== undefined) {
        checkSameStudy(existing.record, spec);
        seen.set(spec.name, existing);
        return { study: existing.record, resumed: true };
      }
      const record: StudyRecord = Object.freeze({ ...spec, createdAt: now() });
      deleted.delete(spec.name);
      const created: StudyState = {
        record,
        trials: [],
        queue: new EntryQueue(),
        changes: [],
        curves: new Map(),
        unsettled: new Set(),
      };
      studies.set(spec.name, created);
      seen.set(spec.name, created);
      return { study: record, resumed: false };
    },
    async getStudy(name) {
      return state(name).record;
    },
    async listStudies() {
      return [...studies.values()].map((study) => study.record);
    },
    async createTrial(study: string, options: CreateTrialOptions = {}) {
      const found = state(study);
      const trials = found.trials;
      if (options.limit !== undefined && trials.length >= options.limit) return undefined;
      const at = found.queue.next();
      const entry = found.queue.entries[at];
      if (entry === undefined && options.onlyEnqueued === true) return undefined;
      if (entry !== undefined) found.queue.take(at, trials.length);
      const params = entry === undefined ? {} : copyParams(entry);
      const trial = runningTrial({ study, number: trials.length, internal: params, startedAt: now() }, options);
      replace(study, trial);
      return trial;
    },
    async setParams(study: string, number: number, params: ParamAssignment) {
      replace(study, runningTrial(running(study, number), { internal: copyParams(params) }));
    },
    async renewLease(study: string, number: number, lease: Lease) {
      replace(study, runningTrial(running(study, number), { lease }));
    },
    async finishTrial(study: string, number: number, outcome: TrialOutcome) {
      const finished = finishedTrial(running(study, number), outcome, now());
      replace(study, finished);
      if (endedUnrun(outcome)) state(study).queue.giveBack(number);
      return finished;
    },
    async listTrials(study: string) {
      return [...state(study).trials];
    },
    async listTrialsSince(study: string, cursor?: string) {
      const found = state(study);
      return trialsChangedSince(found.changes, found.trials, cursor);
    },
    async reportIntermediate(study: string, number: number, step: number, value: number) {
      const found = unsettled(study);
      const trial = running(study, number, found);
      let curve = found.curves.get(number);
      if (curve === undefined) {
        curve = trial.intermediate?.slice() ?? [];
        found.curves.set(number, curve);
      }
      if (!addIntermediate(curve, step, value)) return;
      found.unsettled.add(number);
      found.changes.push(number);
    },
    async enqueue(study: string, entries: readonly EnqueuedParams[]) {
      const found = state(study);
      let queued = 0;
      for (const entry of entries) if (found.queue.add(copyParams(entry.internal), entry.key)) queued++;
      return queued;
    },
    async listEnqueued(study: string) {
      return state(study).queue.waiting().map(storedEntry);
    },
    async removeEnqueued(study: string, which) {
      const { queue } = state(study);
      const { positions, entries, missing } = queue.pick(which);
      if (missing.length > 0) return { removed: [], missing };
      queue.remove(positions);
      return { removed: entries.map(storedEntry), missing: [] };
    },
    // A run going on in a study deleted here (forced: deleteStudy refuses a study a run of this process runs) fails
    // at its next call, on its own handle, even once a study of that name is created again (see ownHandle).
    async deleteStudy(study: string, options) {
      const found = state(study);
      const running = found.trials.filter((trial): trial is RunningTrial => trial.state === 'running');
      const deletion = studyDeletion(
        found.record,
        countByState(found.trials),
        running,
        options,
        found.queue.entries.length,
      );
      if (!deletionGoesOn(deletion)) return deletion;
      studies.delete(study);
      deleted.add(study);
      seen.delete(study);
      return deletion;
    },
    async listRemovedEntries(study: string) {
      return state(study).queue.removedEntries().map(storedEntry);
    },
    async listTakenEntries(study: string) {
      return state(study)
        .queue.takenEntries()
        .map(({ trial, params, key }) => ({
          trial,
          internal: copyParams(params),
          ...(key === undefined ? {} : { key }),
        }));
    },
    async addTrials(study: string, given, options) {
      const trials = state(study).trials;
      const added = trialsToAdd(study, trials, given, options);
      // A key an added trial ran counts as queued and taken (a waiting entry of that key is never handed out).
      for (const [i, { key, internal, entry }] of added.entries())
        if (key !== undefined) state(study).queue.ran(key, trials.length + i, copyParams(entry ?? internal));
      const at = now();
      const made = added.map((entry, i) => Object.freeze(addedTrial(study, trials.length + i, entry, at)));
      // One by one: push(...made) overflows the stack past about 125,000 imported trials.
      const changes = state(study).changes;
      for (const trial of made) {
        trials.push(trial);
        changes.push(trial.number);
      }
      return made;
    },
    async close() {
      life.closed = true;
    },
  };
  // Used after its close, STORE_CLOSED as the file stores say (trial 164: a closed memory store went on working).
  const guarded = Object.fromEntries(
    Object.entries(handle).map(([key, value]) => [
      key,
      typeof value === 'function' && key !== 'close'
        ? (...args: unknown[]) =>
            isClosed(life)
              ? Promise.reject(storeClosed('The memory store'))
              : (value as (...given: unknown[]) => unknown).apply(handle, args)
        : value,
    ]),
  ) as unknown as TrialStore;
  ANOTHER_HANDLE.set(guarded, {
    made: { ...guarded },
    another: () => memoryHandle(now, studies, deleted, { closed: false, parent: life }),
    reopened: () => memoryHandle(now, studies, deleted, { closed: false }),
  });
  return guarded;
};

/** The `memory` store plugin (no options). */
export const memoryStoreManifest = defineStore<Record<string, never>>({
  name: 'memory',
  description: 'Keeps trials in memory; nothing is saved.',
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: (_options, context) =>
    createMemoryStore(context.services.has(SERVICES.clock) ? context.services.get(SERVICES.clock) : undefined),
});
