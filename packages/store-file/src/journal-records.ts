import type { Lease, ParamAssignment, StudyRecord, TrialOutcome } from '@parzen/engine/plugin';

/** The journal's format version; a newer file is refused rather than misread. */
export const JOURNAL_VERSION = 1;

/**
 * One line of the journal: an operation on a study. Replaying the lines in order rebuilds every study.
 *
 * @remarks `repair` marks the line just before it as torn (a write cut short by a crash or power loss);
 * readers skip that line instead of failing on it.
 */
export type JournalRecord =
  | { readonly op: 'journal'; readonly format: 'parzen-jsonl'; readonly version: number }
  | { readonly op: 'study'; readonly study: StudyRecord }
  | {
      readonly op: 'trial';
      readonly study: string;
      readonly number: number;
      readonly startedAt: string;
      readonly lease?: Lease;
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
  | { readonly op: 'repair'; readonly line: number; readonly reason: string };

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
const isOutcome = (value: unknown): boolean =>
  isObject(value) &&
  ((value.state === 'complete' && isValue(value.value)) ||
    (value.state === 'failed' && isObject(value.error) && isString(value.error.code)) ||
    (value.state === 'pruned' && (value.value === undefined || isValue(value.value))));
const isStudy = (value: unknown): boolean =>
  isObject(value) &&
  isString(value.name) &&
  isString(value.direction) &&
  typeof value.seed === 'number' &&
  isObject(value.space);

const trialOp = (record: Fields): boolean => isString(record.study) && isNumber(record.number);

/** Checks the fields each operation needs; anything else is not a record this version wrote. */
const validators: Readonly<Record<string, (record: Fields) => boolean>> = {
  journal: (record) => record.format === 'parzen-jsonl' && isNumber(record.version),
  study: (record) => isStudy(record.study),
  trial: (record) =>
    trialOp(record) && isString(record.startedAt) && (record.lease === undefined || isLease(record.lease)),
  params: (record) => trialOp(record) && isObject(record.params),
  lease: (record) => trialOp(record) && isLease(record.lease),
  finish: (record) => trialOp(record) && isString(record.finishedAt) && isOutcome(record.outcome),
  repair: (record) => isNumber(record.line) && isString(record.reason),
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
  const valid = validators[parsed.op];
  if (!valid?.(parsed)) return undefined;
  const outcome = parsed.outcome as Fields | undefined;
  if (outcome !== undefined && isString(outcome.value)) {
    return { ...parsed, outcome: { ...outcome, value: NON_FINITE[outcome.value] } } as unknown as JournalRecord;
  }
  return parsed as unknown as JournalRecord;
};

/** One line of JSON, without the newline; an outcome's non-finite value is written as a string. */
export const encodeRecord = (record: JournalRecord): string => {
  if (record.op !== 'finish' || !('value' in record.outcome) || Number.isFinite(record.outcome.value))
    return JSON.stringify(record);
  return JSON.stringify({ ...record, outcome: { ...record.outcome, value: String(record.outcome.value) } });
};
