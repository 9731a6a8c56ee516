import type {
  IntermediateValue,
  Lease,
  NewFinishedTrial,
  ParamAssignment,
  StudyRecord,
  TrialOutcome,
} from '@parzen/engine/plugin';
import { ownEntry } from '@parzen/engine/plugin';

/**
 * The newest format version this code reads; a newer file is refused rather than misread. A new journal
 * starts with a version 1 header; the first record of a later version (see {@link recordVersion}) is
 * preceded by a header line with that version, so an older Parzen refuses the file from there on instead
 * of misreading it.
 */
export const JOURNAL_VERSION = 6;

/**
 * One line of the journal: an operation on a study. Replaying the lines in order rebuilds every study.
 *
 * @remarks `repair` marks the line just before it as torn (a write cut short by a crash or power loss);
 * readers skip that line instead of failing on it.
 */
export type JournalRecord =
  | {
      readonly op: 'journal';
      readonly format: 'parzen-jsonl';
      readonly version: number;
      /**
       * On the first header only: the newest format version the Parzen that began the journal reads. Raising
       * the format up to it is unsaid; journals begun before this field was written do not have it.
       */
      readonly reads?: number;
    }
  | { readonly op: 'study'; readonly study: StudyRecord }
  | {
      readonly op: 'trial';
      readonly study: string;
      readonly number: number;
      readonly startedAt: string;
      readonly lease?: Lease;
      /** The index in the study's queue of the enqueued entry the trial took (its initial params). */
      readonly entry?: number;
    }
  | { readonly op: 'params'; readonly study: string; readonly number: number; readonly params: ParamAssignment }
  | { readonly op: 'lease'; readonly study: string; readonly number: number; readonly lease: Lease }
  | {
      readonly op: 'finish';
      readonly study: string;
      readonly number: number;
      readonly finishedAt: string;
      readonly outcome: TrialOutcome;
    }
  | { readonly op: 'repair'; readonly line: number; readonly reason: string }
  | {
      readonly op: 'report';
      readonly study: string;
      readonly number: number;
      readonly step: number;
      readonly value: number;
    }
  | { readonly op: 'enqueue'; readonly study: string; readonly entries: readonly JournalEntry[] }
  /** Waiting entries taken out of the queue (see `TrialStore.removeEnqueued`), by their index in the study's queue. */
  | { readonly op: 'remove'; readonly study: string; readonly entries: readonly number[] }
  /**
   * The study deleted (see `TrialStore.deleteStudy`) with every line before that names it; a later `study` line
   * of that name creates a new study.
   */
  | { readonly op: 'delete'; readonly study: string }
  | {
      readonly op: 'add';
      readonly study: string;
      /** The number of the first trial; the others follow. */
      readonly number: number;
      /** The time of the import: the default start and finish of trials without their own. */
      readonly at: string;
      readonly trials: readonly JournalAddedTrial[];
    };

/** An enqueued entry as the journal keeps it: its internal values under `params` (the format's name). */
export interface JournalEntry {
  readonly params: ParamAssignment;
  readonly key?: string;
}

/** An added trial as the journal keeps it: its internal values under `params` (the format's name). */
export type JournalAddedTrial = Omit<NewFinishedTrial, 'internal'> & { readonly params: ParamAssignment };

/**
 * The format version a record needs: 2 for intermediate values, enqueued entries and added trials; 3 for
 * added trials that name the key of an enqueued entry they ran (version 2 readers ignore the
 * key, queue the entry again and write records this version reads as a contradiction); 5 for entries removed
 * from the queue (an older reader would hand them out); 6 for a deleted study (an older reader would show it, and
 * let a run resume it). (4 is the finish that gives an entry back: see `needs`.)
 */
export const recordVersion = (record: JournalRecord): number =>
  record.op === 'delete'
    ? 6
    : record.op === 'remove'
      ? 5
      : record.op === 'add' && record.trials.some((trial) => trial.key !== undefined)
        ? 3
        : record.op === 'report' ||
            record.op === 'enqueue' ||
            record.op === 'add' ||
            (record.op === 'trial' && record.entry !== undefined)
          ? 2
          : 1;

type Fields = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isLease = (value: unknown): boolean => isObject(value) && isString(value.owner) && isString(value.expiresAt);
/** JSON has no Infinity or NaN: such values are written as these strings. */
const NON_FINITE: Readonly<Record<string, number>> = {
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
  NaN: Number.NaN,
};
const isValue = (value: unknown): boolean =>
  typeof value === 'number' || (isString(value) && Object.hasOwn(NON_FINITE, value));
const isIntermediate = (value: unknown): boolean => isObject(value) && isNumber(value.step) && isValue(value.value);
const isOutcome = (value: unknown): boolean =>
  isObject(value) &&
  ((value.state === 'complete' && isValue(value.loss)) ||
    (value.state === 'failed' && isObject(value.error) && isString(value.error.code)) ||
    (value.state === 'pruned' && (value.loss === undefined || isValue(value.loss))));
const isStudy = (value: unknown): boolean =>
  isObject(value) &&
  isString(value.name) &&
  isString(value.direction) &&
  typeof value.seed === 'number' &&
  isObject(value.space) &&
  (value.suggester === undefined ||
    (isObject(value.suggester) &&
      isString(value.suggester.name) &&
      (value.suggester.settings === undefined || isObject(value.suggester.settings)))) &&
  (value.parzenVersion === undefined || isString(value.parzenVersion));

const trialOp = (record: Fields): boolean => isString(record.study) && isNumber(record.number);
const isEntry = (value: unknown): boolean =>
  isObject(value) && isObject(value.params) && (value.key === undefined || isString(value.key));
const isAdded = (value: unknown): boolean =>
  isObject(value) &&
  isObject(value.params) &&
  (value.key === undefined || isString(value.key)) &&
  (value.entry === undefined || isObject(value.entry)) &&
  isOutcome(value.outcome) &&
  (value.startedAt === undefined || isString(value.startedAt)) &&
  (value.finishedAt === undefined || isString(value.finishedAt)) &&
  (value.intermediate === undefined || (Array.isArray(value.intermediate) && value.intermediate.every(isIntermediate)));

/** Checks the fields each operation needs; anything else is not a record this version wrote. */
const validators: Readonly<Record<string, (record: Fields) => boolean>> = {
  journal: (record) =>
    record.format === 'parzen-jsonl' &&
    isNumber(record.version) &&
    (record.reads === undefined || isNumber(record.reads)),
  study: (record) => isStudy(record.study),
  trial: (record) =>
    trialOp(record) &&
    isString(record.startedAt) &&
    (record.lease === undefined || isLease(record.lease)) &&
    (record.entry === undefined || isNumber(record.entry)),
  params: (record) => trialOp(record) && isObject(record.params),
  lease: (record) => trialOp(record) && isLease(record.lease),
  finish: (record) => trialOp(record) && isString(record.finishedAt) && isOutcome(record.outcome),
  repair: (record) => isNumber(record.line) && isString(record.reason),
  report: (record) => trialOp(record) && isNumber(record.step) && isValue(record.value),
  enqueue: (record) => isString(record.study) && Array.isArray(record.entries) && record.entries.every(isEntry),
  remove: (record) => isString(record.study) && Array.isArray(record.entries) && record.entries.every(isNumber),
  delete: (record) => isString(record.study),
  add: (record) =>
    trialOp(record) && isString(record.at) && Array.isArray(record.trials) && record.trials.every(isAdded),
};

/** A value as JSON holds it: non-finite numbers as strings (see {@link NON_FINITE}), and back. */
const toJson = (value: number): number | string => (Number.isFinite(value) ? value : String(value));
const fromJson = (value: unknown): number =>
  typeof value === 'string' ? (ownEntry(NON_FINITE, value) as number) : (value as number);

type Numbers = (value: unknown) => unknown;

/** The outcome with its value mapped (non-finite values are the only numbers JSON cannot hold). */
const mapOutcome = (outcome: TrialOutcome, map: Numbers): TrialOutcome =>
  outcome.state === 'failed' || outcome.loss === undefined
    ? outcome
    : ({ ...outcome, loss: map(outcome.loss) } as TrialOutcome);

const mapIntermediate = (points: readonly IntermediateValue[], map: Numbers): IntermediateValue[] =>
  points.map((point) => ({ step: point.step, value: map(point.value) as number }));

const mapAdded = (trial: JournalAddedTrial, map: Numbers): JournalAddedTrial => ({
  ...trial,
  outcome: mapOutcome(trial.outcome, map),
  ...(trial.intermediate === undefined ? {} : { intermediate: mapIntermediate(trial.intermediate, map) }),
});

/** The record with every value (outcomes, intermediate values) mapped; other records unchanged. */
const mapValues = (record: JournalRecord, map: Numbers): JournalRecord => {
  switch (record.op) {
    case 'finish':
      return { ...record, outcome: mapOutcome(record.outcome, map) };
    case 'report':
      return { ...record, value: map(record.value) as number };
    case 'add':
      return { ...record, trials: record.trials.map((trial) => mapAdded(trial, map)) };
    default:
      return record;
  }
};

/** Whether `record` holds a value that `plain` rejects (an `add` record may hold many: always mapped). */
const needsMapping = (record: JournalRecord, plain: (value: unknown) => boolean): boolean =>
  record.op === 'add' ||
  (record.op === 'report' && !plain(record.value)) ||
  (record.op === 'finish' && 'loss' in record.outcome && !plain(record.outcome.loss));

const isFiniteNumber = (value: unknown): boolean => Number.isFinite(value);
const isPlainNumber = (value: unknown): boolean => typeof value === 'number';

/**
 * An outcome as journals written before the renames hold it: the loss as `value`, the attrs as
 * `attributes`. Read as the current names; what is written uses only the current ones.
 */
const currentOutcome = (outcome: unknown): unknown => {
  if (!isObject(outcome)) return outcome;
  const { value, attributes, ...rest } = outcome;
  return {
    ...rest,
    ...(value === undefined || 'loss' in rest ? {} : { loss: value }),
    ...(attributes === undefined || 'attrs' in rest ? {} : { attrs: attributes }),
  };
};

const withCurrentNames = (parsed: Fields): Fields => {
  if (parsed.op === 'finish') return { ...parsed, outcome: currentOutcome(parsed.outcome) };
  if (parsed.op === 'add' && Array.isArray(parsed.trials))
    return {
      ...parsed,
      trials: parsed.trials.map((trial: unknown) =>
        isObject(trial) ? { ...trial, outcome: currentOutcome(trial.outcome) } : trial,
      ),
    };
  return parsed;
};

/** Parses one line; undefined when it is not valid JSON or not a well-formed record. */
export const decodeRecord = (line: string): JournalRecord | undefined => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || !isString(parsed.op)) return undefined;
  const current = withCurrentNames(parsed);
  const valid = validators[parsed.op];
  if (!valid?.(current)) return undefined;
  const record = current as unknown as JournalRecord;
  return needsMapping(record, isPlainNumber) ? mapValues(record, fromJson) : record;
};

/** One line of JSON, without the newline; non-finite values are written as strings. */
export const encodeRecord = (record: JournalRecord): string =>
  JSON.stringify(needsMapping(record, isFiniteNumber) ? mapValues(record, (value) => toJson(value as number)) : record);

/**
 * The header line (without the newline) declaring format `version`; a new journal starts with version 1, saying
 * with `reads` the newest version its maker reads.
 */
export const journalHeader = (version: number, reads?: number): string =>
  encodeRecord({ op: 'journal', format: 'parzen-jsonl', version, ...(reads === undefined ? {} : { reads }) });
