import { MAX_CONCURRENCY, MAX_SECONDS, MAX_TRIALS } from './config/experiment-schema.js';
import { type ConfigIssue, describeValue, invalidConfig } from './errors.js';

/**
 * The checks of the API's option objects (`fmin`, `Study.open`, `study.optimize`): what a config gets
 * from its JSON Schema, for callers that TypeScript does not check (JavaScript, `any`). An unknown option,
 * or a value of the wrong kind, is a `CONFIG_INVALID` error listing every problem by path, as a config's.
 */

/** A check of one option: undefined when the value is fine, else what was expected. */
type Rule = (value: unknown) => string | undefined;

const integer =
  (low: number, high: number): Rule =>
  (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= low && value <= high
      ? undefined
      : `an integer from ${low} to ${high}`;

const positive =
  (high: number): Rule =>
  (value) =>
    typeof value === 'number' && value > 0 && value <= high ? undefined : `a number above 0, at most ${high}`;

const finite: Rule = (value) => (typeof value === 'number' && Number.isFinite(value) ? undefined : 'a finite number');
const fn: Rule = (value) => (typeof value === 'function' ? undefined : 'a function');
const bool: Rule = (value) => (typeof value === 'boolean' ? undefined : 'true or false');
const text: Rule = (value) => (typeof value === 'string' && value.length > 0 ? undefined : 'a non-empty string');
const object: Rule = (value) => (typeof value === 'object' && value !== null ? undefined : 'an object');
const array: Rule = (value) => (Array.isArray(value) ? undefined : 'an array');
const signal: Rule = (value) => (value instanceof AbortSignal ? undefined : 'an AbortSignal');
const direction: Rule = (value) =>
  value === 'minimize' || value === 'maximize' ? undefined : '"minimize" or "maximize"';
/** A plugin instance: an object with the method the engine calls. */
const withMethod =
  (method: string, what: string): Rule =>
  (value) =>
    typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[method] === 'function'
      ? undefined
      : `${what} (an object with the method \`${method}\`)`;

const BUDGET: Readonly<Record<string, Rule>> = {
  maxTrials: integer(1, MAX_TRIALS),
  moreTrials: integer(1, MAX_TRIALS),
  maxSeconds: positive(MAX_SECONDS * 1000),
  lossThreshold: finite,
  patience: integer(1, MAX_TRIALS),
};

const RUN: Readonly<Record<string, Rule>> = {
  objective: fn,
  maxTrials: integer(1, MAX_TRIALS),
  budget: object,
  concurrency: integer(1, MAX_CONCURRENCY),
  signal,
  trialTimeoutMs: positive(MAX_SECONDS * 1000),
  reporters: array,
  stopWhen: fn,
};

const OPEN: Readonly<Record<string, Rule>> = {
  name: text,
  space: object,
  suggester: withMethod('beginTrial', 'a suggester'),
  objective: fn,
  store: withMethod('openStudy', 'a store'),
  seed: integer(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  direction,
  pruner: withMethod('shouldPrune', 'a pruner'),
};

/** The options of each API entry point, and the ones it cannot do without. */
export const API_OPTIONS = {
  fmin: { rules: { ...OPEN, ...RUN }, required: ['objective', 'space', 'suggester'] },
  'Study.open': {
    rules: { ...OPEN, onEvent: fn, explain: bool },
    required: ['space', 'suggester'],
  },
  'study.optimize': { rules: RUN, required: [] },
} as const satisfies Record<string, { rules: Readonly<Record<string, Rule>>; required: readonly string[] }>;

const unknown = (key: string, known: readonly string[], inBudget: boolean): ConfigIssue => ({
  pointer: `/${inBudget ? 'budget/' : ''}${key}`,
  expected: `one of ${known.join(', ')}${!inBudget && key in BUDGET ? ` (\`${key}\` goes in \`budget\`)` : ''}`,
  found: `an unknown option \`${key}\``,
});

const check = (
  value: Readonly<Record<string, unknown>>,
  rules: Readonly<Record<string, Rule>>,
  prefix: string,
  issues: ConfigIssue[],
): void => {
  for (const [key, given] of Object.entries(value)) {
    if (given === undefined) continue;
    const rule = rules[key];
    if (rule === undefined) {
      issues.push(unknown(key, Object.keys(rules), prefix !== ''));
      continue;
    }
    const expected = rule(given);
    if (expected !== undefined) issues.push({ pointer: `${prefix}/${key}`, expected, found: describeValue(given) });
  }
};

/**
 * Checks the options given to an API entry point: known keys only, each of the right kind, the required
 * ones present, and `budget` the same way. Throws `CONFIG_INVALID` (`Invalid fmin options: ...`).
 */
export const checkApiOptions = (where: keyof typeof API_OPTIONS, options: unknown): void => {
  const { rules, required } = API_OPTIONS[where];
  if (typeof options !== 'object' || options === null) {
    throw invalidConfig(`${where} options`, [
      { pointer: '', expected: 'an options object', found: describeValue(options) },
    ]);
  }
  const given = options as Readonly<Record<string, unknown>>;
  const issues: ConfigIssue[] = [];
  for (const key of required) {
    if (given[key] === undefined) issues.push({ pointer: `/${key}`, expected: 'a value (required)', found: 'nothing' });
  }
  check(given, rules, '', issues);
  const budget = given.budget;
  if (typeof budget === 'object' && budget !== null)
    check(budget as Record<string, unknown>, BUDGET, '/budget', issues);
  if (issues.length > 0) throw invalidConfig(`${where} options`, issues);
};
