import { clippedText, KEPT_TEXT_CHARS } from '../builtins/words.js';
import type { EvaluationResult } from '../contracts/objective.js';
import type { ExternalParams } from '../domain/params.js';
import { codeThrownAt, describeValue, jsonChangedObject, TrialPruned } from '../errors.js';

/** A failed evaluation with its error's code, message and, when given, details. */
export const failedResult = (
  code: string,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): EvaluationResult => ({
  status: 'failed',
  error: details === undefined ? { code, message } : { code, message, details },
});

const failed = failedResult;

/**
 * A loss given with attrs that cannot be stored: the trial fails, and the loss is kept in the error's
 * details and named in its message (review 44: a NaN metric next to a good loss lost the loss).
 */
const badAttrs = (message: string, loss: number): EvaluationResult =>
  failed('OBJECTIVE_BAD_ATTRS', `${message}${keptLossNote(loss)}`, { loss });

/** The last sentence of an OBJECTIVE_BAD_ATTRS message (left out where nothing is recorded: `study.tell`). */
export const keptLossNote = (loss: number): string =>
  ` The loss (${loss}) is kept in the failed trial's error details.`;

const checkNumber = (value: unknown, where: string, source: string): EvaluationResult | number => {
  if (typeof value !== 'number') {
    return failed(
      'OBJECTIVE_NOT_A_NUMBER',
      `${source} ${where}${describeValue(value)}; expected a number or { "loss": number }.`,
    );
  }
  if (Number.isNaN(value)) return failed('OBJECTIVE_NAN', `${source} ${where}NaN.`);
  if (!Number.isFinite(value)) return failed('OBJECTIVE_INFINITE', `${source} ${where}${value}.`);
  return value + 0; // −0 as 0, as every durable store keeps it (JSON has no −0; trial 82)
};

const isPlainObject = (value: object): boolean => {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/** Where a walk into a value stopped being JSON: the keys and indexes that lead there, and what is there. */
interface NotJsonAt {
  readonly at: readonly (string | number)[];
  readonly found: string;
}

/** What a value that is not JSON is, for a message: a Date says what to give instead. */
const notJsonObject = (value: object): string =>
  jsonChangedObject(value) ?? `${describeValue(value)} (a ${value.constructor?.name ?? 'class'} object)`;

/** The first place in `value` that is not JSON; with `skipUndefined`, an object's `undefined` fields are passed over. */
const firstNotJson = (
  value: unknown,
  at: (string | number)[],
  skipUndefined: boolean,
  seen = new Set<object>(),
): NotJsonAt | undefined => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { at, found: `is ${value}` };
  if (typeof value !== 'object') return { at, found: `is ${value === undefined ? 'undefined' : `a ${typeof value}`}` };
  if (seen.has(value)) return { at, found: 'refers back to itself' };
  if (!Array.isArray(value) && !isPlainObject(value)) return { at, found: `is ${notJsonObject(value)}` };
  if (seen.size > 100) return { at, found: 'is nested more than 100 levels deep' };
  seen.add(value);
  try {
    const inner: [string | number, unknown][] = Array.isArray(value)
      ? value.map((item, index) => [index, item])
      : Object.entries(value).filter(([, item]) => !skipUndefined || item !== undefined);
    for (const [key, item] of inner) {
      const found = firstNotJson(item, [...at, key], skipUndefined, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  } finally {
    seen.delete(value);
  }
};

/**
 * Where `value` stops being JSON that survives a round trip (`attrs.model is a function`), or undefined
 * when it is: finite numbers, strings, booleans, null, arrays and plain objects of those.
 */
export const notJson = (value: unknown, path: string): string | undefined => {
  const problem = firstNotJson(value, [], false);
  if (problem === undefined) return undefined;
  const keys = problem.at.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('');
  return `${path}${keys} ${problem.found}`;
};

/**
 * A copy of JSON attrs (checked: no cycles) without the fields, of any object within, whose value is
 * `undefined`: JSON drops them (`JSON.stringify({ p99: undefined })` is `{}`), and an optional field is
 * common in TypeScript. An array's `undefined` is not dropped but refused by the check before: JSON would
 * turn it into `null`, a value the objective did not give.
 */
export const withoutUndefined = (value: unknown): unknown => {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(withoutUndefined);
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => [key, withoutUndefined(item)]),
  );
};

/**
 * Attrs given by hand as they are stored: fields whose value is undefined left out (checked JSON first, by
 * {@link attrsNotJson}), and attrs left with no field are none, as an objective's.
 */
export const keptAttrs = (
  attrs: Readonly<Record<string, unknown>> | undefined,
): Readonly<Record<string, unknown>> | undefined => {
  const kept = attrs === undefined ? undefined : (withoutUndefined(attrs) as Readonly<Record<string, unknown>>);
  return kept === undefined || Object.keys(kept).length === 0 ? undefined : kept;
};

/** A JSON pointer (RFC 6901) to a place in an objective's result: `/attrs/p99`, `/attrs/curve/3`. */
const pointerTo = (at: readonly (string | number)[]): string =>
  at.map((key) => `/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');

/**
 * Where attrs given by hand (`study.addTrials`, `study.prune`) stop being JSON, as an objective's are checked: an
 * object's `undefined` fields are passed over (and left out when stored, by {@link withoutUndefined}); `pointer`
 * is a JSON pointer from the attrs' own place (`/attrs/p99`), `found` says what is there (`NaN`).
 */
export const attrsNotJson = (
  attrs: object,
  at: readonly (string | number)[] = ['attrs'],
): { readonly pointer: string; readonly found: string } | undefined => {
  const problem = firstNotJson(attrs, [...at], true);
  if (problem === undefined) return undefined;
  const found = problem.found.startsWith('is ') ? problem.found.slice(3) : `a value that ${problem.found}`;
  return { pointer: pointerTo(problem.at), found };
};

/**
 * Turns whatever an objective function returned into a result: a finite number, or an object with a
 * finite `loss` and optional `attrs` (an object of JSON values stored with the trial; other fields next
 * to `loss` are kept as attrs too, and a name given in both places with two values fails the trial). NaN, infinities, strings, attrs that are not JSON and anything
 * else are failed trials with a code and a message that shows what came back. `source` says who gave
 * the value (`study.tell(3, …) was given` for a result told by hand).
 */
export const interpretObjectiveValue = (raw: unknown, source = 'The objective returned'): EvaluationResult => {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const { loss, attrs, ...rest } = raw as Record<string, unknown>;
    // hyperopt's STATUS_FAIL next to the loss: a ported objective means a failed trial, which completing
    // it (status kept as an attr) would turn into the best one when its loss is low.
    if (rest.status === 'fail') {
      // The result's other fields (an `error` saying why, hyperopt-style) are kept in the error's details
      // when they are JSON (trial 55: only the echoed line kept them).
      const { status: _status, ...fields } = raw as Record<string, unknown>;
      const kept =
        Object.keys(fields).length > 0 && notJson(fields, 'result') === undefined ? { result: fields } : undefined;
      return failed(
        'OBJECTIVE_FAILED',
        `${source} \`status: "fail"\` (hyperopt's STATUS_FAIL), so the trial is failed. To fail a trial, throw an Error ` +
          '(a command exits with a non-zero code); to keep a field named `status` as an attribute, put it in `attrs`.',
        kept,
      );
    }
    if (loss === undefined) {
      const keys = Object.keys(raw);
      return failed(
        'OBJECTIVE_NOT_A_NUMBER',
        `${source} an object without \`loss\` (${keys.length === 0 ? 'an empty object' : `its keys: ${keys.join(', ')}`}); expected a number or { "loss": number }.`,
      );
    }
    const checked = checkNumber(loss, 'a loss of ', source);
    if (typeof checked !== 'number') return checked;
    if (attrs !== undefined && (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)))
      return badAttrs(`${source} attrs ${describeValue(attrs)}; expected an object of JSON values.`, checked);
    // Fields whose value is `undefined` go, as JSON drops them; what JSON cannot hold fails the trial.
    const problem = Object.entries({ ...rest, attrs })
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => firstNotJson(value, [key], true))
      .find((found) => found !== undefined);
    if (problem !== undefined)
      return badAttrs(
        `${source} attrs that are not JSON: ${pointerTo(problem.at)} ${problem.found}. Attrs are stored as JSON: give numbers, strings, booleans, null, arrays or plain objects (a field whose value is undefined is left out, as JSON leaves it out).`,
        checked,
      );
    const { attrs: given, ...fields } = withoutUndefined({ ...rest, attrs }) as Record<string, unknown>;
    const merged = { ...fields, ...(given as Record<string, unknown> | undefined) };
    // A field next to `loss` and in `attrs` with two values: one would be dropped without a word.
    const inAttrs = (given ?? {}) as Record<string, unknown>;
    const twice = Object.keys(fields).find(
      (key) => Object.hasOwn(inAttrs, key) && JSON.stringify(inAttrs[key]) !== JSON.stringify(fields[key]),
    );
    if (twice !== undefined)
      return badAttrs(
        `${source} \`${twice}\` twice, next to \`loss\` (${describeValue(fields[twice])}) and in \`attrs\` ` +
          `(${describeValue(inAttrs[twice])}); fields next to \`loss\` are attrs too, so give each name once.`,
        checked,
      );
    return Object.keys(merged).length === 0
      ? { status: 'ok', loss: checked }
      : { status: 'ok', loss: checked, attrs: merged };
  }
  const checked = checkNumber(raw, '', source);
  return typeof checked === 'number' ? { status: 'ok', loss: checked } : checked;
};

/**
 * A thrown value that is no Error, as every message says it, on Parzen's thread and from a worker thread:
 * `undefined`, `Symbol(sym)` (its description kept), or as {@link describeValue} says it (`"text"`, `{"a":1}`).
 */
export const describeThrown = (value: unknown): string =>
  value === undefined ? 'undefined' : typeof value === 'symbol' ? value.toString() : describeValue(value);

/** The most of a thrown error's stack a failed trial keeps (its first lines: where it was thrown). */
const STACK_CHARS = 4000;

/**
 * The stack a failed trial keeps: its first {@link STACK_CHARS} characters, the message in it cut as the trial's
 * message is, so a message of megabytes (a tensor's repr) leaves room for the frames, where it was thrown.
 */
const keptStack = (stack: string, message: unknown): string => {
  const long = typeof message === 'string' && message.length > KEPT_TEXT_CHARS ? stack.indexOf(message) : -1;
  const cut =
    long === -1
      ? stack
      : `${stack.slice(0, long)}${clippedText(message as string)}${stack.slice(long + (message as string).length)}`;
  // Not between the two halves of a character outside the BMP (an emoji).
  const end =
    cut.length > STACK_CHARS && /[\uD800-\uDBFF]/.test(cut.charAt(STACK_CHARS - 1)) ? STACK_CHARS - 1 : STACK_CHARS;
  return cut.slice(0, end);
};

/**
 * The error info of a thrown value. For an Error, `details` keeps what a developer needs to find the
 * mistake (not its message alone): `errorName` (when not
 * plain `Error`), `thrownAt` (where the code threw: the first place of its stack, `/home/me/objective.mjs:3:17`,
 * `[eval]:2:126`; absent when that place is Parzen's own or there is none), the error's own string or number
 * `code` as `errorCode`, and the `stack` (its first 4,000 characters).
 */
export const thrownErrorInfo = (
  error: unknown,
  code = 'OBJECTIVE_THREW',
): {
  /** `code` as given (`OBJECTIVE_THREW` by default); `PRUNED` for a {@link TrialPruned}. */
  code: string;
  /** The error's message (its first 1,000 characters, then how many more were cut), or the thrown value described (`The objective threw 42`). */
  message: string;
  /** Of an Error: its `errorName`, `thrownAt`, `errorCode` and `stack`, those it has; absent when none. */
  details?: Record<string, unknown>;
} => {
  if (!(error instanceof Error)) return { code, message: `The objective threw ${describeThrown(error)}` };
  // `throw new TrialPruned()`: the objective ended its trial pruned (the run loop records it at its last value).
  if (error instanceof TrialPruned) return { code: 'PRUNED', message: error.message };
  const details: Record<string, unknown> = {};
  if (typeof error.name === 'string' && error.name !== 'Error') details.errorName = error.name;
  const at = codeThrownAt(error);
  if (at !== undefined) details.thrownAt = at;
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string' || (typeof own === 'number' && Number.isFinite(own))) details.errorCode = own;
  if (typeof error.stack === 'string' && error.stack !== '') details.stack = keptStack(error.stack, error.message);
  // A message that is not a string (an Error made by hand) is described, not passed on (review 78).
  // A message holding a tensor's or a table's repr (megabytes) is cut, as a program's stderr is.
  const message = typeof error.message === 'string' ? clippedText(error.message) : describeValue(error.message);
  return Object.keys(details).length === 0 ? { code, message } : { code, message, details };
};

/**
 * The error info of an Error given to `study.tell`: {@link thrownErrorInfo}'s, with `told: true`. The Error was
 * made by the caller (often a service rebuilding a worker's failure from its message), so its `thrownAt`, the
 * first frame of its stack as for any Error, is where it was created, which is where an objective threw only when
 * the caller passes on the exception it caught: `told` says which (lists show "passed to tell(), created at").
 */
// Older builds kept the place as `createdAt` (elsewhere an ISO time); failureNote reads both.
export const toldErrorInfo = (error: Error): { code: string; message: string; details: Record<string, unknown> } => {
  const { details, ...info } = thrownErrorInfo(error);
  return { ...info, details: { ...details, told: true } };
};

/** The failures a parameter read as undefined leads to: a NaN or missing loss, a throw. */
const READ_FAILURES = new Set(['OBJECTIVE_NAN', 'OBJECTIVE_NOT_A_NUMBER', 'OBJECTIVE_INFINITE', 'OBJECTIVE_THREW']);

/**
 * The names a function takes from its first argument by destructuring it without a default (`({ x, lr: rate,
 * act = 'relu' })` gives x, lr: a name given a default is meant to be absent at times), read from its source;
 * empty when it does not destructure (`(params) => ...`), or when the pattern nests or calls. Comments in the
 * pattern are left out. Read once, never run: the params an objective gets stay a plain object (a proxy could
 * not be posted to a worker the objective starts).
 */
export const destructuredNames = (fn: (...args: never[]) => unknown): readonly string[] => {
  const match = /^\s*(?:async\s*)?(?:function\b[^(]*)?\(\s*\{([^{}()[\]]*)\}/.exec(
    Function.prototype.toString.call(fn),
  );
  if (match === null) return [];
  return (match[1] as string)
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .split(',')
    .filter((part) => !part.includes('='))
    .map((part) => (part.split(':')[0] as string).trim())
    .filter((name) => /^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(name));
};

/**
 * A failure a misspelt parameter name may have caused, with the names the objective destructures that its
 * params lack: in JavaScript `({ learningRate })` for `lr` reads undefined and surfaced only as "returned
 * NaN". `space`, when known, is every parameter of the space: a name in it (a branch this trial did not
 * take) is no misspelling and is left out. Other results as they are.
 */
export const withUnknownParamNote = (
  result: EvaluationResult,
  names: readonly string[],
  params: ExternalParams,
  space?: readonly string[],
): EvaluationResult => {
  if (result.status !== 'failed' || !READ_FAILURES.has(result.error.code)) return result;
  const missing = names.filter((name) => !Object.hasOwn(params, name) && space?.includes(name) !== true);
  if (missing.length === 0) return result;
  const listed = missing.map((name) => `\`${name}\``).join(', ');
  const has = space ?? Object.keys(params);
  const note =
    space === undefined
      ? ` It takes ${listed} from its params, which this trial's params do not have (they have ${has.join(', ') || 'none'}): a misspelt name, or a parameter of a branch this trial did not take?`
      : ` It takes ${listed} from its params, but the space has no such parameter (it has ${has.join(', ') || 'none'}): a misspelt name?`;
  return { ...result, error: { ...result.error, message: `${result.error.message}${note}` } };
};
