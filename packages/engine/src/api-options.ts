import { MAX_CONCURRENCY, MAX_SECONDS, MAX_TRIALS } from './config/experiment-schema.js';
import type { PluginKind } from './contracts/manifest.js';
import { REQUIRED_METHODS } from './contracts/required-methods.js';
import { ownEntry } from './domain/own-entry.js';
import {
  type ConfigIssue,
  describeValue,
  didYouMeanField,
  escapePointer,
  formatIssues,
  inOtherTimeUnit,
  invalidConfig,
  ParzenError,
} from './errors.js';

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

const nonNegative =
  (high: number): Rule =>
  (value) =>
    typeof value === 'number' && value >= 0 && (value <= high || value === Number.POSITIVE_INFINITY)
      ? undefined
      : `a number from 0 to ${high}, or Infinity`;

const finite: Rule = (value) => (typeof value === 'number' && Number.isFinite(value) ? undefined : 'a finite number');
const fn: Rule = (value) => (typeof value === 'function' ? undefined : 'a function');
/**
 * The objective of `fmin` and `Study.open`: a function of the params, or an objective adapter (an object with
 * `evaluate` and a `name`: `createModuleObjective`'s, `createCommandObjective`'s, your own). An unawaited
 * adapter (a Promise) is said as one.
 */
const objectiveFn: Rule = (value) => {
  if (typeof value === 'function') return undefined;
  const has = (method: string) =>
    typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[method] === 'function';
  // An unawaited `createModuleObjective(...)` was told "expected a function, found {}".
  if (has('then'))
    return 'a function of the params or an objective adapter, not a Promise: `createModuleObjective` is async, so `await` it';
  if (has('evaluate')) {
    const name = (value as { readonly name?: unknown }).name;
    return typeof name === 'string' && name.trim() !== ''
      ? undefined
      : 'an objective adapter with a `name`, a non-empty string (messages name the objective by it)';
  }
  return 'a function of the params, or an objective adapter (an object with `evaluate`, as `createModuleObjective` makes)';
};
const bool: Rule = (value) => (typeof value === 'boolean' ? undefined : 'true or false');
const text: Rule = (value) => (typeof value === 'string' && value.length > 0 ? undefined : 'a non-empty string');
const object: Rule = (value) => (typeof value === 'object' && value !== null ? undefined : 'an object');
const array: Rule = (value) => (Array.isArray(value) ? undefined : 'an array');
/**
 * `runExperiment`'s `plugins`: an array of plugin packages (each item is checked at its own place by
 * {@link pluginPackageIssue}).
 */
const pluginPackages: Rule = (value) =>
  Array.isArray(value)
    ? undefined
    : "an array of plugin packages, each a module's exports with a `manifests` array (`import * as objectives from '@parzen/objectives'`)";

/**
 * One item of `runExperiment`'s `plugins`, at its own pointer as a config's bad `plugins` entry is: a module's
 * exports with its `manifests` array (a bare `manifests` array in the list was a TypeError deep in the loader).
 */
const pluginPackageIssue = (item: unknown, index: number): ConfigIssue | undefined =>
  typeof item === 'object' && item !== null && Array.isArray((item as { manifests?: unknown }).manifests)
    ? undefined
    : {
        pointer: `/plugins/${index}`,
        expected:
          "a plugin package: a module's exports with a `manifests` array (`import * as objectives from '@parzen/objectives'`)",
        found: Array.isArray(item)
          ? 'an array: pass the package, not its `manifests`'
          : `${describeValue(item)}, without a \`manifests\` array`,
      };
const signal: Rule = (value) => (value instanceof AbortSignal ? undefined : 'an AbortSignal');
const direction: Rule = (value) =>
  value === 'minimize' || value === 'maximize' ? undefined : '"minimize" or "maximize"';
/**
 * A plugin instance: an object with every method its contract requires (those it lacks named), and a pruner,
 * stopper or reporter a `name` (messages name them by it). What the rule finds wrong, or undefined.
 */
export const instanceOf =
  (kind: PluginKind): Rule =>
  (value) => {
    const methods = REQUIRED_METHODS[kind];
    const missing =
      typeof value === 'object' && value !== null
        ? methods.filter((method) => typeof (value as Record<string, unknown>)[method] !== 'function')
        : methods;
    if (missing.length === 0) {
      // Messages name a pruner, stopper or reporter by its `name`, as a config's plugin (review 108: "Pruner
      // `undefined` failed"; trial 127: "reporter `unnamed` threw").
      const name = (value as { readonly name?: unknown }).name;
      return (kind !== 'pruner' && kind !== 'stopper' && kind !== 'reporter') ||
        (typeof name === 'string' && name.trim() !== '')
        ? undefined
        : `a ${kind} with a \`name\`, a non-empty string (messages name the ${kind} by it)`;
    }
    const named = missing.map((method) => `\`${method}\``).join(', ');
    return `a ${kind} (an object with the method${missing.length === 1 ? '' : 's'} ${named}${missing.length < methods.length ? ', which it lacks' : ''})${manifestHint(kind, value)}`;
  };

/**
 * What is said of a plugin manifest given where its instance goes (`suggester: annealManifest`): the instance
 * its package's factory makes, or the manifest used by name from a config.
 */
const manifestHint = (kind: PluginKind, value: unknown): string => {
  if (typeof value !== 'object' || value === null) return '';
  const {
    kind: its,
    name,
    create,
  } = value as { readonly kind?: unknown; readonly name?: unknown; readonly create?: unknown };
  if (typeof its !== 'string' || typeof create !== 'function') return '';
  const use = typeof name === 'string' ? name : 'NAME';
  return (
    `; this is a plugin manifest${its === kind ? '' : ` of a ${its}`}: pass the ${kind} it makes (its package's factory, or \`await manifest.create(options, context)\`), ` +
    `or use it from a config, \`runExperiment(config, { plugins: [{ manifests: [manifest] }] })\` with \`"${kind}": { "use": ${JSON.stringify(use)} }\``
  );
};

/** A reporter: what `reporters` lists. */
const REPORTER = instanceOf('reporter');

const BUDGET: Readonly<Record<string, Rule>> = {
  maxTrials: integer(1, MAX_TRIALS),
  moreTrials: integer(1, MAX_TRIALS),
  maxSeconds: positive(MAX_SECONDS * 1000),
  lossThreshold: finite,
  patience: integer(1, MAX_TRIALS),
  maxConsecutiveFailures: integer(1, MAX_TRIALS),
};
/** Budget options that end a run whatever its trials do (`maxConsecutiveFailures` ends it only if they fail). */
const LIMITS = new Set(['maxTrials', 'moreTrials', 'maxSeconds', 'lossThreshold', 'patience']);

const RUN: Readonly<Record<string, Rule>> = {
  objective: objectiveFn,
  maxTrials: integer(1, MAX_TRIALS),
  budget: object,
  concurrency: integer(1, MAX_CONCURRENCY),
  signal,
  gracePeriodMs: nonNegative(MAX_SECONDS * 1000),
  forceSignal: signal,
  trialTimeoutMs: positive(MAX_SECONDS * 1000),
  catchStrayErrors: bool,
  // A lease is renewed every third of it: a shorter one than 500 ms only writes renewals.
  leaseMs: (value) =>
    typeof value === 'number' && value >= 500 && value <= MAX_SECONDS * 1000
      ? undefined
      : `a number from 500 to ${MAX_SECONDS * 1000} (milliseconds)`,
  reporters: array,
  // A stopper given as it is (`pruner` takes its instance so): its rule is `stopWhenOf(stopper)`.
  stopWhen: (value) =>
    typeof value === 'function'
      ? undefined
      : typeof value === 'object' &&
          value !== null &&
          typeof (value as { shouldStop?: unknown }).shouldStop === 'function'
        ? 'a function: a stopper goes in as `stopWhen: stopWhenOf(stopper)` (`stopWhenOf` from `@parzen/engine`)'
        : manifestHint('stopper', value) === ''
          ? 'a function'
          : `a function (a stopper's rule, \`stopWhenOf(stopper)\`)${manifestHint('stopper', value)}`,
};

const OPEN: Readonly<Record<string, Rule>> = {
  name: text,
  space: object,
  suggester: instanceOf('suggester'),
  objective: objectiveFn,
  store: instanceOf('store'),
  seed: integer(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  direction,
  pruner: instanceOf('pruner'),
  onWarning: fn,
};

/**
 * `runExperiment`'s options: how the config is loaded (plugins, folder, functions, services) and how the run is
 * stopped.
 */
const EXPERIMENT = {
  plugins: pluginPackages,
  baseDir: text,
  functions: object,
  defaults: object,
  logger: object,
  clock: object,
  importModule: fn,
  console: object,
  signal,
  forceSignal: signal,
  onWarning: fn,
};

/** The options of each API entry point, and the ones it cannot do without. */
export const API_OPTIONS = {
  fmin: { rules: { ...OPEN, ...RUN }, required: ['objective', 'space', 'suggester'] },
  'Study.open': {
    rules: { ...OPEN, onEvent: fn, explain: bool },
    required: ['space', 'suggester'],
  },
  'study.optimize': { rules: RUN, required: [] },
  'study.ask': { rules: { signal }, required: [] },
  deleteStudy: { rules: { store: instanceOf('store'), name: text, force: bool }, required: ['store', 'name'] },
  // The config says what the run is; these say how it is loaded and stopped (trial 73: `gracePeriodMs`
  // was taken without a word, and a stuck objective held the run its 30 s).
  runExperiment: { rules: EXPERIMENT, required: [] },
  // The same options (a caller may pass runExperiment's on, as `parzen`'s own does; the run's are not used): a bare
  // manifests array in `plugins` was a TypeError deep in the loader (review 155).
  loadExperiment: { rules: EXPERIMENT, required: [] },
} as const satisfies Record<string, { rules: Readonly<Record<string, Rule>>; required: readonly string[] }>;

/** The issue of options that are not an object at all. */
const notAnObject = (options: unknown): ConfigIssue => ({
  pointer: '',
  expected: 'an options object',
  found: describeValue(options),
});

/**
 * The issues of one options object against per-key rules: the `required` keys missing, then each given
 * key in order: unknown (when `closed`; `hint` may add where it belongs) or failing its rule. `undefined`
 * values count as not given. The API entry points and {@link optionIssues} both check through it.
 */
const ruleIssues = (
  options: Readonly<Record<string, unknown>>,
  rules: Readonly<Record<string, Rule>>,
  how: {
    readonly required?: readonly string[];
    readonly prefix?: string;
    readonly closed?: boolean;
    readonly hint?: (key: string, value: unknown) => string;
    /** The keys an unknown one is told of (default: every rule's; a deprecated name is left out). */
    readonly listed?: readonly string[];
  } = {},
): ConfigIssue[] => {
  const { required = [], prefix = '', closed = true, hint } = how;
  const listed = how.listed ?? Object.keys(rules);
  const issues: ConfigIssue[] = [];
  for (const key of required) {
    if (options[key] === undefined)
      issues.push({ pointer: `${prefix}/${key}`, expected: 'a value (required)', found: 'nothing' });
  }
  for (const [key, given] of Object.entries(options)) {
    if (given === undefined) continue;
    const rule = ownEntry(rules, key);
    if (rule === undefined) {
      if (closed) {
        // A hint that says where the key goes is enough: no did-you-mean beside it saying the same.
        const where = hint?.(key, given) ?? '';
        issues.push({
          pointer: `${prefix}/${key}`,
          // A plugin that takes no options (the random suggester) expects none, not "one of" an empty list.
          expected: `${listed.length === 0 ? 'no options' : `one of ${listed.join(', ')}`}${where}`,
          found: `an unknown option \`${key}\`${where === '' ? didYouMeanField(key, listed, { value: given, in: 'code' }) : ''}`,
        });
      }
      continue;
    }
    const expected = rule(given);
    if (expected !== undefined) issues.push({ pointer: `${prefix}/${key}`, expected, found: describeValue(given) });
  }
  return issues;
};

/** Where `fmin`'s run options live in a config (`runExperiment` takes the run from its config). */
const IN_CONFIG: Readonly<Record<string, string>> = {
  gracePeriodMs: 'gracePeriodSeconds',
  trialTimeoutMs: 'trialTimeoutSeconds',
  leaseMs: 'leaseSeconds',
  maxTrials: 'budget.maxTrials',
  concurrency: 'concurrency',
  budget: 'budget',
  objective: 'objective',
  reporters: 'reporters',
  stopWhen: 'stopper',
  store: 'store',
  suggester: 'suggester',
  pruner: 'pruner',
  space: 'space',
  seed: 'seed',
  name: 'name',
  direction: 'direction',
};

/** The config's time limits, in seconds, which code gives in milliseconds (`gracePeriodMs`). */
const CONFIG_SECONDS = new Set(['gracePeriodSeconds', 'trialTimeoutSeconds', 'leaseSeconds']);

/**
 * The config key a run option of `runExperiment` belongs in, as a hint (review 80: one hint for all). A time
 * limit shows the value given, in seconds and as the config writes it: `gracePeriodMs: 2000` is
 * `"gracePeriodSeconds": 2` in the config; a config's own name (`gracePeriodSeconds: 2`) goes there as it is.
 */
const configHint = (key: string, value: unknown): string => {
  const number = typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  if (CONFIG_SECONDS.has(key))
    return ` (\`${key}\` goes in the config${number === undefined ? '' : `: \`${JSON.stringify(key)}: ${JSON.stringify(number)}\``})`;
  const inConfig = ownEntry(IN_CONFIG, key) ?? (Object.hasOwn(BUDGET, key) ? `budget.${key}` : undefined);
  if (inConfig === undefined) return '';
  if (!CONFIG_SECONDS.has(inConfig)) {
    // A budget key shows the value given as the config writes it: `maxTrials: 50` is `"budget": {"maxTrials": 50}`.
    const [parent, field] = inConfig.split('.');
    const written =
      number === undefined || parent !== 'budget' || field === undefined
        ? ''
        : `: \`${JSON.stringify(parent)}: {${JSON.stringify(field)}: ${JSON.stringify(number)}}\``;
    return ` (the run's \`${key}\` is the config's \`${inConfig}\`${written})`;
  }
  const seconds =
    number === undefined
      ? ''
      : `: \`${key}: ${number}\` is \`${JSON.stringify(inConfig)}: ${JSON.stringify(inOtherTimeUnit(number, true))}\` there`;
  return ` (the run's \`${key}\` is the config's \`${inConfig}\`, in seconds${seconds})`;
};

/** Keys a hyperopt or Optuna user may give for params to run first. */
const ENQUEUE_KEYS = ['enqueue', 'points_to_evaluate', 'pointsToEvaluate'];

/** Options of `Study.open` (`createStudy`) that `fmin` and `optimize` do not take: where they go. */
const STUDY_KEYS: Readonly<Record<string, string>> = {
  // Trial 157: `fmin({ explain: true })` was refused with no word of where explanations come from.
  explain:
    ' (explanations are events: `createStudy({ ..., explain: true, onEvent })` (or `Study.open`), then `study.optimize(...)`; `onEvent` gets a `suggestion.explained` event per TPE suggestion)',
  onEvent: ' (`onEvent` is an option of the study: `createStudy({ ..., onEvent })`, then `study.optimize(...)`)',
};

/**
 * Checks the options given to an API entry point: known keys only, each of the right kind, the required
 * ones present, and `budget` the same way. Throws `CONFIG_INVALID` (`Invalid fmin options: ...`).
 */
export const checkApiOptions = (where: keyof typeof API_OPTIONS, options: unknown): void => {
  const { rules, required } = API_OPTIONS[where];
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw invalidConfig(`${where} options`, [notAnObject(options)]);
  const given = options as Readonly<Record<string, unknown>>;
  const issues = ruleIssues(given, rules, {
    required,
    hint: (key, value) =>
      where === 'runExperiment'
        ? configHint(key, value)
        : Object.hasOwn(BUDGET, key)
          ? ` (\`${key}\` goes in \`budget\`)`
          : ENQUEUE_KEYS.includes(key)
            ? ' (params to run first are queued on a study: `study.enqueue(params)`, then `study.optimize(...)`)'
            : where === 'Study.open'
              ? ''
              : (ownEntry(STUDY_KEYS, key) ?? ''),
  });
  // The suggester is required here; `fmin` from the `parzen` package defaults it to TPE.
  for (const issue of issues)
    if (issue.pointer === '/suggester' && issue.found === 'nothing')
      Object.assign(issue, {
        expected:
          'a suggester (required): createTpeSuggester() from @parzen/algo-tpe or createRandomSuggester() from ' +
          "@parzen/algo-random (the `parzen` package's fmin and createStudy default to TPE)",
      });
  const budget = given.budget;
  if (typeof budget === 'object' && budget !== null)
    issues.push(...ruleIssues(budget as Record<string, unknown>, BUDGET, { prefix: '/budget' }));
  // Each reporter, by its place: one that is not a reporter would otherwise fail on the first event, and
  // be cut off with nobody told (or, when it is not even an object, be blamed on the objective).
  if (Array.isArray(given.reporters))
    given.reporters.forEach((reporter: unknown, index: number) => {
      const expected = REPORTER(reporter);
      if (expected !== undefined)
        issues.push({ pointer: `/reporters/${index}`, expected, found: describeValue(reporter) });
    });
  // Each plugin package, by its place (runExperiment's and loadExperiment's).
  if ((where === 'runExperiment' || where === 'loadExperiment') && Array.isArray(given.plugins))
    given.plugins.forEach((item: unknown, index: number) => {
      const issue = pluginPackageIssue(item, index);
      if (issue !== undefined) issues.push(issue);
    });
  if (issues.length > 0) throw invalidConfig(`${where} options`, issues);
};

/** A JSON Schema, as plugins write their `optionsSchema`; {@link optionIssues} reads a few keywords. */
export type SchemaNode = Readonly<Record<string, unknown>>;

/**
 * The JSON Schema of an object, as a plugin's exported options schema is typed (`jsonlStoreOptionsSchema`,
 * `tpeOptionsSchema`): its options under `properties`, so code can read one
 * (`jsonlStoreOptionsSchema.properties.path`) or extend the schema with options of its own
 * (`{ ...schema, properties: { ...schema.properties, extra: { type: 'string' } } }`). A {@link SchemaNode}.
 */
export interface ObjectSchemaNode {
  /** Always `object`. */
  readonly type: 'object';
  /** Each option's schema, by its name. */
  readonly properties: Readonly<Record<string, SchemaNode>>;
  /** The options that must be given. */
  readonly required?: readonly string[];
  /** false: an option not in `properties` is refused. */
  readonly additionalProperties?: boolean | SchemaNode;
  /** What the options are. */
  readonly description?: string;
  /** Any other keyword (`allOf` of `if`/`then` clauses, for one). */
  readonly [keyword: string]: unknown;
}

const JSON_TYPES: Readonly<Record<string, (value: unknown) => boolean>> = {
  number: (value) => typeof value === 'number' && Number.isFinite(value),
  integer: (value) => typeof value === 'number' && Number.isSafeInteger(value),
  string: (value) => typeof value === 'string',
  boolean: (value) => typeof value === 'boolean',
  object: (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  array: (value) => Array.isArray(value),
};

const TYPE_WORDS: Readonly<Record<string, string>> = {
  number: 'a number',
  integer: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

// Trial 129: `trials: 0` was "a number ≥ 1" and `trials: 2.5` "a value of type integer ≥ 1 and ≤ 1000000000".
/** A JSON Schema type in words (`an integer`), for the API's checks and a config's alike. */
export const typeWords = (type: unknown): string =>
  (typeof type === 'string' ? TYPE_WORDS[type] : undefined) ?? `a value of type ${String(type)}`;

/** A bound worth saying: not the safe-integer limits a schema sets only to keep integers exact (a seed's). */
const said = (bound: unknown): bound is number =>
  typeof bound === 'number' && Math.abs(bound) !== Number.MAX_SAFE_INTEGER;

/** A schema's bounds in words (`≥ 1 and ≤ 10`), empty when it has none. */
export const rangeWords = (schema: SchemaNode): string =>
  [
    said(schema.minimum) ? `≥ ${schema.minimum}` : undefined,
    said(schema.exclusiveMinimum) ? `> ${schema.exclusiveMinimum}` : undefined,
    said(schema.maximum) ? `≤ ${schema.maximum}` : undefined,
    said(schema.exclusiveMaximum) ? `< ${schema.exclusiveMaximum}` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(' and ');

/** What a number out of a schema's bounds should be: `an integer ≥ 1` for an integer schema, else `a number ≥ 1`. */
export const boundWords = (schema: SchemaNode, bound: string): string =>
  `${schema.type === 'integer' ? 'an integer' : 'a number'} ${bound}`;

/**
 * What `schema` expects, in words, or undefined when `value` satisfies the keywords read here (also how a
 * config's failed `anyOf` is put, so the API and a config say the same of one mistake).
 */
export const schemaExpectation = (schema: SchemaNode, value: unknown): string | undefined => {
  if (Array.isArray(schema.anyOf)) {
    const branches = schema.anyOf as SchemaNode[];
    const failed = branches.map((branch) => schemaExpectation(branch, value));
    if (failed.some((expected) => expected === undefined)) return undefined;
    return failed.join(', or ');
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    return `one of ${schema.enum.map((option) => JSON.stringify(option)).join(', ')}`;
  if ('const' in schema && schema.const !== value) return `exactly ${JSON.stringify(schema.const)}`;
  const type = schema.type;
  if (typeof type === 'string' && JSON_TYPES[type]?.(value) === false) {
    const range = rangeWords(schema);
    return `${typeWords(type)}${range === '' ? '' : ` ${range}`}`;
  }
  if (typeof value === 'string' && typeof schema.minLength === 'number' && value.length < schema.minLength)
    return schema.minLength === 1 ? 'a non-empty string' : `a string of at least ${schema.minLength} characters`;
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) return boundWords(schema, `≥ ${schema.minimum}`);
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum)
      return boundWords(schema, `> ${schema.exclusiveMinimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) return boundWords(schema, `≤ ${schema.maximum}`);
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum)
      return boundWords(schema, `< ${schema.exclusiveMaximum}`);
  }
  return undefined;
};

/**
 * The problems of a plugin's options given in code, read from its own `optionsSchema` (an object schema
 * with `properties`): the `required` ones missing, unknown keys when `additionalProperties` is false, and
 * for each given property its `type`, `enum`, `const`, range, `minLength` and `anyOf`, and a property that is an
 * object schema with `properties` the same way inside. Other keywords (`if`/`then`, `allOf`) are left to the
 * config path's full validation: this never loads a JSON Schema validator, so
 * `fmin` and the factories stay light. `undefined` values count as not given.
 */
export const optionIssues = (schema: SchemaNode, options: unknown): ConfigIssue[] => {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return [notAnObject(options)];
  const properties = (schema.properties ?? {}) as Readonly<Record<string, SchemaNode>>;
  const rules = Object.fromEntries(
    Object.entries(properties).map(([key, property]): [string, Rule] => [
      key,
      (value) => schemaExpectation(property, value),
    ]),
  );
  const issues = ruleIssues(options as Readonly<Record<string, unknown>>, rules, {
    required: Array.isArray(schema.required) ? (schema.required as string[]) : [],
    closed: schema.additionalProperties === false,
    // A former name still read (`deprecated`: TPE's `compat`) is not offered to a typo.
    listed: Object.keys(properties).filter((key) => properties[key]?.deprecated !== true),
  });
  // An option that is itself an object of options (TPE's `explore`), checked the same way, at its path
  // (trial 51: `explore: { gamma: -3 }` ran in code and gave a below set of -15, where a config refused it).
  for (const [key, property] of Object.entries(properties)) {
    const value = (options as Readonly<Record<string, unknown>>)[key];
    if (property.type !== 'object' || property.properties === undefined || !JSON_TYPES.object?.(value)) continue;
    const pointer = `/${escapePointer(key)}`;
    for (const issue of optionIssues(property, value)) issues.push({ ...issue, pointer: `${pointer}${issue.pointer}` });
  }
  return issues;
};

/**
 * Throws `CONFIG_INVALID` (`Invalid options for the <what>: ...`, naming `plugin`) when {@link optionIssues} finds
 * anything: what a plugin's factory calls on the options it was given in code, as
 * `assertOptions(optionsSchema, options, 'my-pruner pruner', 'my-pruner')` (`what`: its name, then its kind:
 * suggester, pruner, store, objective, reporter, stopper). Without `what`, the message says
 * `Invalid options: ...`; without `plugin`, the error names none.
 */
export const assertOptions = (schema: SchemaNode, options: unknown, what?: string, plugin?: string): void => {
  const issues = optionIssues(schema, options);
  if (issues.length > 0)
    throw new ParzenError(
      'CONFIG_INVALID',
      `Invalid options${what === undefined || what === '' ? '' : ` for the ${what}`}:\n${formatIssues(issues)}`,
      plugin === undefined ? { issues } : { plugin, issues },
    );
};

/**
 * `options` without its `undefined` values, so that spreading it over defaults keeps a default for an
 * option given as `undefined` (the rule of every check above: `undefined` counts as not given).
 */
export const definedOptions = <T extends object>(options: T): T =>
  Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T;

/**
 * Throws `CONFIG_INVALID` when a run given these options could never end on its own: no limit in
 * `maxTrials` or `budget`, no `stopWhen` and no `signal` (a config's `budget` needs at least one rule for
 * the same reason). Without this, a forgotten budget runs trials until the process is killed.
 */
export const checkRunEnds = (
  where: 'fmin' | 'study.optimize',
  options: {
    readonly maxTrials?: unknown;
    readonly budget?: object | undefined;
    readonly stopWhen?: unknown;
    readonly signal?: unknown;
  },
): void => {
  // Two trial limits that disagree (trial 165: the top-level one won in silence): most likely a slip, and
  // neither is documented to win, so it is refused as an unknown option is.
  const inBudget = (options.budget as { readonly maxTrials?: unknown } | undefined)?.maxTrials;
  if (options.maxTrials !== undefined && inBudget !== undefined && inBudget !== options.maxTrials)
    throw invalidConfig(`${where} options`, [
      {
        pointer: '/budget/maxTrials',
        expected: `no second trial limit: \`maxTrials\` is ${describeValue(options.maxTrials)}; give one of \`maxTrials\` and \`budget.maxTrials\``,
        found: describeValue(inBudget),
      },
    ]);
  const limits = Object.entries({ maxTrials: options.maxTrials, ...options.budget }).filter(
    ([key, value]) => value !== undefined && LIMITS.has(key),
  );
  if (limits.length > 0 || options.stopWhen !== undefined || options.signal !== undefined) return;
  throw invalidConfig(`${where} options`, [
    {
      pointer: '/maxTrials',
      expected:
        'a limit, so the run ends: `maxTrials`, or `budget` with one of maxTrials, moreTrials, maxSeconds, lossThreshold, patience (or a `stopWhen` or `signal` that ends it)',
      found: 'nothing (the run would never stop)',
    },
  ]);
};
