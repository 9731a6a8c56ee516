import { copyParams, finishedTrial, runningTrial, type StudyRecord, type Trial } from '@parzen/engine/plugin';
import type { JournalRecord } from './journal-records.js';

/** A study as replayed from the journal. */
export interface ReplicaStudy {
  readonly record: StudyRecord;
  /** Indexed by trial number; every element is a frozen snapshot, replaced (never changed) on update. */
  readonly trials: Trial[];
}

/** A record that cannot be applied: the journal contradicts itself. The reader adds file and line. */
export class ReplayError extends Error {}

/**
 * The in-memory state the journal describes: every study and trial, rebuilt by applying records in
 * order. It only grows, so a store applies just the lines appended since it last looked.
 *
 * @remarks Under the lock protocol writers validate before appending, so conflicts cannot occur; should
 * one slip in (a lock broken wrongly), the first finish of a trial wins and later updates are ignored.
 */
export class Replica {
  private readonly byName = new Map<string, ReplicaStudy>();
  /** Format version the journal declared, if it has a header line. */
  version: number | undefined;

  study(name: string): ReplicaStudy | undefined {
    return this.byName.get(name);
  }

  /** Every study's record, in the order they were created. */
  studies(): StudyRecord[] {
    return [...this.byName.values()].map((study) => study.record);
  }

  apply(record: JournalRecord): void {
    switch (record.op) {
      case 'journal':
        this.version = record.version;
        return;
      case 'repair':
        return;
      case 'study':
        if (!this.byName.has(record.study.name)) {
          this.byName.set(record.study.name, { record: Object.freeze({ ...record.study }), trials: [] });
        }
        return;
      case 'trial':
        this.addTrial(record);
        return;
      default:
        this.update(record);
    }
  }

  private require(study: string): ReplicaStudy {
    const found = this.byName.get(study);
    if (found === undefined) throw new ReplayError(`an operation on study \`${study}\`, which no earlier line created`);
    return found;
  }

  private addTrial(record: Extract<JournalRecord, { op: 'trial' }>): void {
    const { trials } = this.require(record.study);
    if (record.number < trials.length) return; // a duplicate allocation: the first one stands
    if (record.number > trials.length) {
      throw new ReplayError(
        `trial #${record.number} of \`${record.study}\` where trial #${trials.length} was expected next`,
      );
    }
    const { study, number, startedAt, lease } = record;
    trials.push(Object.freeze(runningTrial({ study, number, params: Object.freeze({}), startedAt, lease })));
  }

  private update(record: Extract<JournalRecord, { op: 'params' | 'lease' | 'finish' }>): void {
    const { trials } = this.require(record.study);
    const trial = trials[record.number];
    if (trial === undefined)
      throw new ReplayError(`an update of trial #${record.number} of \`${record.study}\`, which was never created`);
    if (trial.state !== 'running') return;
    // Built by the engine's builders, never by spread, so every trial of a state shares one shape.
    if (record.op === 'params')
      trials[record.number] = Object.freeze(runningTrial(trial, { params: copyParams(record.params) }));
    else if (record.op === 'lease') trials[record.number] = Object.freeze(runningTrial(trial, { lease: record.lease }));
    else trials[record.number] = Object.freeze(finishedTrial(trial, record.outcome, record.finishedAt));
  }
}
