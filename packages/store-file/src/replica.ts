import {
  addedTrial,
  addIntermediate,
  copyParams,
  EntryQueue,
  endedUnrun,
  finishedTrial,
  hasStep,
  type IntermediateValue,
  type ParamAssignment,
  runningTrial,
  type StudyRecord,
  salvagedTrial,
  type Trial,
} from '@parzen/engine/plugin';
import type { JournalRecord } from './journal-records.js';

/** A study as replayed from the journal. */
export interface ReplicaStudy {
  readonly record: StudyRecord;
  /** Indexed by trial number; every element is a frozen snapshot, replaced (never changed) on update. */
  readonly trials: Trial[];
  /** The enqueued entries' params, their keys and which were handed out. */
  readonly queue: EntryQueue<ParamAssignment>;
  /** The number of every trial created or replaced, in replay order (`listTrialsSince`'s cursor indexes it). */
  readonly changes: number[];
}

/** A record that cannot be applied: the journal contradicts itself. The reader adds file and line. */
export class ReplayError extends Error {}

/**
 * The in-memory state the journal describes: every study and trial, rebuilt by applying records in
 * order. It only grows, so a store applies just the lines appended since it last looked.
 *
 * @remarks Under the lock protocol writers validate before appending, so conflicts cannot occur; should
 * one slip in (a lock broken wrongly), the first finish of a trial wins and later updates are ignored (a repeated
 * creation, finish or params line is told through {@link takeRepeat}, for the reader to say).
 */
export class Replica {
  private readonly byName = new Map<string, ReplicaStudy>();
  /**
   * The intermediate values of running trials, by study and trial number, added to in place per report
   * line. A trial's snapshot takes them when its study is next read ({@link study}), so a report costs
   * O(1) instead of a copy of its curve (a loop of 20,000 reports took over a minute), and a batch of
   * reports rebuilds each trial once.
   */
  private readonly curves = new Map<ReplicaStudy, Map<number, IntermediateValue[]>>();
  /** The trials, by study, whose snapshot lacks some of their curve. */
  private readonly unsettled = new Map<ReplicaStudy, Set<number>>();
  /** Format version the journal declared, if it has a header line. */
  version: number | undefined;
  /** The newest format version the Parzen that began the journal reads, when its first header says it. */
  beganReading: number | undefined;

  /**
   * Salvage only: the numbers, by study, of trials whose creation line was lost and that no params line
   * has rebuilt yet (each a failed `STORE_SALVAGED` trial meanwhile).
   */
  private readonly lost = new Map<ReplicaStudy, Set<number>>();

  /**
   * @param salvage Reading a damaged journal (read-only): a trial whose creation line was lost is rebuilt
   * from its params line and the lines after it (reports, finish); its start time is then its finish
   * time (unknown while it runs). Until such a line comes, or without one, it is a failed trial
   * (`STORE_SALVAGED`, no params) so that the trials after it are kept, instead of refusing each of them.
   */
  constructor(private readonly salvage = false) {}

  /** What the last record applied repeated of a decided trial, and was ignored for (see {@link takeRepeat}). */
  private repeated: string | undefined;

  /**
   * What the record just applied repeated, once: a trial created again, or a finish or params line of a trial
   * already finished. The first stands and the repeat is ignored; only a lock broken while a process wrote,
   * or a hand edit, writes one, so the reader says it.
   */
  takeRepeat(): string | undefined {
    const repeated = this.repeated;
    this.repeated = undefined;
    return repeated;
  }

  /** A study, its trials' snapshots up to date. */
  study(name: string): ReplicaStudy | undefined {
    const study = this.byName.get(name);
    if (study !== undefined) for (const number of this.unsettled.get(study) ?? []) this.settle(study, number);
    return study;
  }

  /**
   * A study as it is, a running trial's snapshot possibly without its latest reports: for checks that
   * need a trial's state only (see {@link hasStep} for its steps).
   */
  peek(name: string): ReplicaStudy | undefined {
    return this.byName.get(name);
  }

  /** Whether trial `number` of `study` has a value at `step`, its latest reports included. */
  hasStep(study: ReplicaStudy, number: number, step: number): boolean {
    return hasStep(this.curves.get(study)?.get(number) ?? study.trials[number]?.intermediate, step);
  }

  /** Forgets every study (the store closed: it no longer holds the trials it had read). */
  clear(): void {
    this.byName.clear();
    this.deleted.clear();
    this.curves.clear();
    this.unsettled.clear();
    this.lost.clear();
  }

  /** Every study's record, in the order they were created. */
  studies(): StudyRecord[] {
    return [...this.byName.values()].map((study) => study.record);
  }

  /**
   * The names of studies deleted and not created again since: a line naming one after its deletion (only a lock
   * broken while a process wrote writes one) is ignored and told, as a repeat is.
   */
  private readonly deleted = new Set<string>();

  /** Applies one record; returns the trial salvage rebuilt from it (see {@link rebuild}), to be told. */
  apply(record: JournalRecord): string | undefined {
    if ('study' in record && typeof record.study === 'string' && this.deleted.has(record.study)) {
      this.repeated = `${record.op === 'delete' ? 'a deletion' : `a ${record.op} line`} of study \`${record.study}\`, deleted before`;
      return;
    }
    switch (record.op) {
      case 'journal':
        if (this.version === undefined) this.beganReading = record.reads;
        this.version = record.version;
        return;
      case 'repair':
        return;
      case 'study':
        this.deleted.delete(record.study.name);
        if (!this.byName.has(record.study.name)) {
          const study = Object.freeze({ ...record.study });
          this.byName.set(record.study.name, {
            record: study,
            trials: [],
            queue: new EntryQueue(),
            changes: [],
          });
        }
        return;
      case 'trial':
        this.addTrial(record);
        return;
      case 'enqueue': {
        const study = this.require(record.study);
        for (const entry of record.entries) study.queue.add(copyParams(entry.params), entry.key);
        return;
      }
      case 'remove': {
        const study = this.require(record.study);
        const never = record.entries.find((at) => at >= study.queue.entries.length);
        if (never !== undefined)
          throw new ReplayError(`removing enqueued entry ${never} of \`${record.study}\`, which was never queued`);
        // Only those still waiting: should a trial have taken one first (a lock broken), the trial's take stands.
        const waiting = new Set(study.queue.waitingPositions());
        study.queue.remove(record.entries.filter((at) => waiting.has(at)));
        return;
      }
      case 'add':
        this.addTrials(record);
        return;
      case 'delete': {
        const study = this.require(record.study);
        this.byName.delete(record.study);
        this.curves.delete(study);
        this.unsettled.delete(study);
        this.lost.delete(study);
        this.deleted.add(record.study);
        return;
      }
      default:
        return this.update(record);
    }
  }

  private require(study: string): ReplicaStudy {
    const found = this.byName.get(study);
    if (found === undefined) throw new ReplayError(`an operation on study \`${study}\`, which no earlier line created`);
    return found;
  }

  /** Whether trials numbered from `number` come next (false for a duplicate: the first one stands). */
  private isNext(study: ReplicaStudy, record: { readonly study: string; readonly number: number }): boolean {
    const next = study.trials.length;
    if (record.number > next && this.salvage) this.fillLost(study, record.study, record.number);
    else if (record.number > next)
      throw new ReplayError(`trial #${record.number} of \`${record.study}\` where trial #${next} was expected next`);
    if (record.number < next) this.repeated = `trial #${record.number} of \`${record.study}\` created again`;
    return record.number === study.trials.length;
  }

  /** Salvage: the trials before `end` that no line created, each a failed `STORE_SALVAGED` trial until rebuilt. */
  private fillLost(study: ReplicaStudy, name: string, end: number): void {
    let lost = this.lost.get(study);
    if (lost === undefined) {
      lost = new Set();
      this.lost.set(study, lost);
    }
    for (let number = study.trials.length; number < end; number++) {
      study.trials.push(salvagedTrial(name, number, 'Its lines were lost from a damaged journal (read with salvage).'));
      study.changes.push(number);
      lost.add(number);
    }
  }

  /**
   * Salvage: an update of a trial whose creation line was lost. Its params line rebuilds it (a running
   * trial with those params, no start time or lease: only the creation line held them); the lines after
   * it then apply as to any trial. Any other update before that is refused: without params there is no
   * trial to rebuild.
   */
  private rebuild(
    study: ReplicaStudy,
    record: Extract<JournalRecord, { op: 'params' | 'lease' | 'finish' | 'report' }>,
  ): string {
    const { number } = record;
    if (record.op !== 'params')
      throw new ReplayError(
        `an update of trial #${number} of \`${record.study}\`, whose creation line was lost and no params line came before to rebuild it from`,
      );
    this.fillLost(study, record.study, number + 1);
    this.lost.get(study)?.delete(number);
    const internal = Object.freeze(record.params);
    study.trials[number] = Object.freeze(runningTrial({ study: record.study, number, internal, startedAt: '' }));
    study.changes.push(number);
    return `trial #${number} of \`${record.study}\``;
  }

  private addTrial(record: Extract<JournalRecord, { op: 'trial' }>): void {
    const found = this.require(record.study);
    if (!this.isNext(found, record)) return;
    const { study, number, startedAt, lease, entry } = record;
    let params: ParamAssignment = Object.freeze({});
    if (entry !== undefined) {
      const queued = found.queue.entries[entry];
      if (queued === undefined)
        throw new ReplayError(
          `trial #${number} of \`${study}\` taking enqueued entry ${entry}, which was never queued`,
        );
      params = queued;
      found.queue.take(entry, number);
    }
    found.trials.push(Object.freeze(runningTrial({ study, number, internal: params, startedAt, lease })));
    found.changes.push(number);
  }

  private addTrials(record: Extract<JournalRecord, { op: 'add' }>): void {
    const found = this.require(record.study);
    if (!this.isNext(found, record)) return;
    for (const [index, { params, ...trial }] of record.trials.entries()) {
      // The key of an entry the trial ran: queued and taken, and a waiting entry of that key never handed out.
      if (trial.key !== undefined) found.queue.ran(trial.key, record.number + index, trial.entry ?? params);
      const added = { ...trial, internal: params };
      found.trials.push(Object.freeze(addedTrial(record.study, record.number + index, added, record.at)));
      found.changes.push(record.number + index);
    }
  }

  /** Trial `number` with its latest intermediate values in its snapshot. */
  private settle(study: ReplicaStudy, number: number): Trial | undefined {
    const trial = study.trials[number];
    const unsettled = this.unsettled.get(study);
    if (unsettled?.delete(number) !== true) return trial;
    if (unsettled.size === 0) this.unsettled.delete(study);
    const curve = this.curves.get(study)?.get(number);
    if (curve === undefined || trial?.state !== 'running') return trial;
    study.trials[number] = Object.freeze(runningTrial(trial, { intermediate: Object.freeze(curve.slice()) }));
    study.changes.push(number);
    return study.trials[number];
  }

  /** Forgets the curve of a trial that is no longer running (its snapshot has it). */
  private dropCurve(study: ReplicaStudy, number: number): void {
    const byNumber = this.curves.get(study);
    if (byNumber?.delete(number) === true && byNumber.size === 0) this.curves.delete(study);
  }

  private update(record: Extract<JournalRecord, { op: 'params' | 'lease' | 'finish' | 'report' }>): string | undefined {
    const study = this.require(record.study);
    const { trials } = study;
    if (this.salvage && (trials[record.number] === undefined || this.lost.get(study)?.has(record.number) === true))
      return this.rebuild(study, record);
    if (trials[record.number] === undefined)
      throw new ReplayError(`an update of trial #${record.number} of \`${record.study}\`, which was never created`);
    if (record.op === 'report') {
      if (trials[record.number]?.state === 'running') this.report(study, record.number, record.step, record.value);
      return;
    }
    const trial = this.settle(study, record.number);
    if (trial?.state !== 'running') {
      // A lease renewed as another process finished the trial is no contradiction; a second finish or params is.
      if (record.op !== 'lease')
        this.repeated = `${record.op === 'finish' ? 'a finish' : 'params'} of trial #${record.number} of \`${record.study}\`, already finished (${trial?.state})`;
      return;
    }
    // Built by the engine's builders, never by spread, so every trial of a state shares one shape.
    // The record was just parsed and nothing else holds it: its params are frozen in place, not copied.
    if (record.op === 'params')
      trials[record.number] = Object.freeze(runningTrial(trial, { internal: Object.freeze(record.params) }));
    else if (record.op === 'lease') trials[record.number] = Object.freeze(runningTrial(trial, { lease: record.lease }));
    else {
      // A trial salvage rebuilt has no start time: its finish time stands for it (as for an added trial).
      const started =
        this.salvage && trial.startedAt === '' ? runningTrial({ ...trial, startedAt: record.finishedAt }) : trial;
      trials[record.number] = Object.freeze(finishedTrial(started, record.outcome, record.finishedAt));
      this.dropCurve(study, record.number);
      // Under format version 4 and later only: earlier Parzens left such an entry taken (review 36).
      if ((this.version ?? 1) >= 4 && endedUnrun(record.outcome)) study.queue.giveBack(record.number);
    }
    study.changes.push(record.number);
  }

  private report(study: ReplicaStudy, number: number, step: number, value: number): void {
    let byNumber = this.curves.get(study);
    if (byNumber === undefined) {
      byNumber = new Map();
      this.curves.set(study, byNumber);
    }
    let curve = byNumber.get(number);
    if (curve === undefined) {
      curve = study.trials[number]?.intermediate?.slice() ?? [];
      byNumber.set(number, curve);
    }
    if (!addIntermediate(curve, step, value)) return;
    let unsettled = this.unsettled.get(study);
    if (unsettled === undefined) {
      unsettled = new Set();
      this.unsettled.set(study, unsettled);
    }
    unsettled.add(number);
  }
}
