import type { ValidateFunction } from 'ajv';
import {
  type AnyPluginManifest,
  type ConfigNote,
  type PluginKind,
  withSchemaCheckedOptions,
} from '../contracts/manifest.js';
import type { PluginRegistry } from '../di/registry.js';
import { type CompiledSpace, compileSpace } from '../domain/compile-space.js';
import { gridNotes } from '../domain/grid-notes.js';
import { lookAlikeNotes } from '../domain/look-alike-names.js';
import {
  type ConfigIssue,
  describeValue,
  escapePointer,
  formatIssues,
  invalidConfig,
  ParzenError,
  unknownPlugin,
} from '../errors.js';
import { checkEnqueued } from '../runtime/enqueue.js';
import { ajvIssues, createAjv, defaultIssues, notObjectIssues, validateWith } from './ajv-issues.js';
import type { ExperimentConfig, PluginChoice } from './experiment-config.js';
import { baseConfigSchema, budgetSchema } from './experiment-schema.js';

const ajv = createAjv();
const validateBase = ajv.compile(baseConfigSchema);
const validateBudget = ajv.compile(budgetSchema);
const optionValidators = new WeakMap<object, ValidateFunction>();

const optionsValidator = (schema: object, plugin: string): ValidateFunction => {
  let validate = optionValidators.get(schema);
  if (validate === undefined) {
    try {
      validate = ajv.compile(schema);
    } catch (error) {
      // Where in the schema, what JSON Schema expects there and what the plugin wrote (ajv's compile error
      // says neither); ajv's own message when the schema is valid JSON Schema and still does not compile.
      const issues = (ajv.validateSchema(schema) as boolean) ? [] : ajvIssues(ajv.errors, '/optionsSchema');
      const detail = issues.length > 0 ? `:\n${formatIssues(issues)}` : `: ${(error as Error).message}`;
      throw new ParzenError(
        'PLUGIN_INVALID',
        `Plugin \`${plugin}\` has an options schema that is not valid JSON Schema (a fault of the plugin, not of the config)${detail}`,
        // Pointers into the plugin's manifest, not into the config: in the message only.
        { plugin },
      );
    }
    // A schema of another type than object refuses every config, whatever it writes (a `{ type: 'string' }`
    // schema asked for a string, then refused one at the same place).
    const notObject = notObjectIssues(schema);
    if (notObject.length > 0)
      throw new ParzenError(
        'PLUGIN_INVALID',
        `Plugin \`${plugin}\` has an options schema that does not describe an object (a fault of the plugin, not of the config: options are an object, \`{}\` when a config gives none):\n${formatIssues(notObject)}`,
        { plugin },
      );
    const refused = defaultIssues(validate);
    if (refused.length > 0)
      throw new ParzenError(
        'PLUGIN_INVALID',
        `Plugin \`${plugin}\` has a default its own options schema refuses (a fault of the plugin, not of the config):\n${formatIssues(refused)}`,
        { plugin },
      );
    optionValidators.set(schema, validate);
  }
  return validate;
};

// For plugins a config loads and does not use (trial 103: `parzen validate` passed them, `parzen schema`
// printed them).
/**
 * What is wrong with a plugin's options schema (not JSON Schema, or a default it refuses), said as the
 * run of a config that uses the plugin would refuse it; undefined when it is sound.
 */
export const optionsSchemaProblem = (manifest: {
  readonly optionsSchema: object;
  readonly name: string;
}): string | undefined => {
  try {
    optionsValidator(manifest.optionsSchema, manifest.name);
    return undefined;
  } catch (error) {
    if (error instanceof ParzenError && error.code === 'PLUGIN_INVALID') return error.message;
    throw error;
  }
};

/**
 * Non-finite numbers (`1e400` in JSON, `.inf` and `.nan` in YAML) anywhere in a config, by JSON pointer:
 * JSON cannot store them (a journal would get `null`), and no option means anything by them.
 */
const nonFiniteIssues = (value: unknown, pointer: string, issues: ConfigIssue[], depth = 0): void => {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) issues.push({ pointer, expected: 'a finite number', found: String(value) });
  } else if (typeof value === 'object' && value !== null && depth < 200) {
    for (const [key, inner] of Object.entries(value))
      nonFiniteIssues(inner, `${pointer}/${escapePointer(key)}`, issues, depth + 1);
  }
};

/** The places of a config that take a plugin choice: a slot named after its kind, or a reporter of the list. */
const PLUGIN_SLOT = /^\/(?:(objective|suggester|store|pruner|stopper)|reporters\/\d+)$/;

/**
 * A plugin's bare name where a choice goes (`"suggester": "tpe"`) is said with the form that works
 * (trial 33: "expected a value of type object" left the reader to find it): the name itself when a plugin
 * has it, else a name that exists (review 31: `{ "use": "./obj.mjs" }` was suggested).
 */
const bareNameIssue =
  (registry: PluginRegistry) =>
  (issue: ConfigIssue): ConfigIssue => {
    const slot = issue.pointer.match(PLUGIN_SLOT);
    if (slot === null || !/^"[^"]*"$/.test(issue.found)) return issue;
    const kind = (slot[1] ?? 'reporter') as PluginKind;
    const names = registry.names(kind);
    const named = JSON.parse(issue.found) as string;
    const known = names.includes(named);
    const example = known ? named : names[0];
    if (example === undefined) return issue;
    return {
      ...issue,
      expected: `a plugin choice, an object such as { "use": ${JSON.stringify(example)} }${known ? '' : ` (${kind} plugins: ${names.join(', ')})`}`,
    };
  };

/** Defaults for the plugin slots a config may leave out. */
export interface ConfigDefaults {
  /** The suggester of a config that names none; absent: `random`. */
  readonly suggester?: PluginChoice;
  /** The store of a config that names none; absent: `memory`. */
  readonly store?: PluginChoice;
  /** The reporters of a config without `reporters`; absent: `[{ "use": "console" }]`. */
  readonly reporters?: readonly PluginChoice[];
}

const checkChoice = (
  registry: PluginRegistry,
  kind: PluginKind,
  choice: PluginChoice,
  pointer: string,
  issues: ConfigIssue[],
  notes: ConfigNote[] = [],
  space?: CompiledSpace,
): PluginChoice => {
  const manifest = registry.get(kind, choice.use);
  if (manifest === undefined) {
    issues.push(...unknownPlugin(kind, choice.use, registry.names(kind), `${pointer}/use`).issues);
    return choice;
  }
  const options = structuredClone(choice.options ?? {}) as Record<string, unknown>;
  const found = validateWith(optionsValidator(manifest.optionsSchema, manifest.name), options, `${pointer}/options`);
  // A value the schema's defaults filled in is said to be one (trial 51: `kernel: "hyperopt"` was refused
  // at a `grouping` the config does not have, found "groups", the profile's default).
  // A plugin that takes no options is named (a matrix over [tpe, random] × profile said "expected no other
  // fields" of `random`'s `profile`, not whose options they were).
  const none = `no options (the \`${manifest.name}\` ${kind} takes none)`;
  issues.push(
    ...found.map((issue) =>
      valueAt(choice.options ?? {}, issue.pointer.slice(`${pointer}/options`.length)) === undefined &&
      valueAt(options, issue.pointer.slice(`${pointer}/options`.length)) !== undefined
        ? { ...issue, found: `${issue.found} (a default: the config does not set it)` }
        : issue.expected === 'no other fields' && issue.pointer.lastIndexOf('/') === `${pointer}/options`.length
          ? { ...issue, expected: none }
          : issue,
    ),
  );
  if (found.length === 0)
    notes.push(...optionNotes(manifest, options, choice.options ?? {}, `${pointer}/options`, space));
  return { use: choice.use, options };
};

/**
 * What a plugin's `notes` says of options that do nothing where they are, its pointers moved into the config
 * (`/suggester/options/bandwidthFloor`). A `notes` that throws, or returns anything but notes, is the
 * plugin's fault (`PLUGIN_INVALID`), as a `check` that does.
 */
const optionNotes = (
  manifest: AnyPluginManifest,
  options: Record<string, unknown>,
  written: Readonly<Record<string, unknown>>,
  at: string,
  space?: CompiledSpace,
): ConfigNote[] => {
  const called = withSchemaCheckedOptions(manifest);
  if (called.notes === undefined) return [];
  const fault = (what: string, cause?: unknown) =>
    new ParzenError(
      'PLUGIN_INVALID',
      `The ${manifest.kind} plugin \`${manifest.name}\`'s notes() ${what}; expected an array of notes ({ pointer, message }, both strings). ` +
        'This is a fault of the plugin, not of the config.',
      { plugin: manifest.name, cause },
    );
  let said: unknown;
  try {
    said = called.notes(structuredClone(options), structuredClone(written), space === undefined ? {} : { space });
  } catch (error) {
    throw fault(`threw: ${error instanceof Error ? error.message : describeValue(error)}`, error);
  }
  const isNote = (note: unknown): note is ConfigNote =>
    typeof note === 'object' &&
    note !== null &&
    typeof (note as ConfigNote).pointer === 'string' &&
    typeof (note as ConfigNote).message === 'string';
  if (!Array.isArray(said) || !said.every(isNote)) throw fault(`returned ${describeValue(said)}`);
  return said.map((note) => ({ pointer: `${at}${note.pointer}`, message: note.message }));
};

/** The value at a JSON pointer (`/a/0/b`) inside `value`, or undefined. */
const valueAt = (value: unknown, pointer: string): unknown => {
  let at = value;
  for (const part of pointer.split('/').slice(1)) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return at;
};

/**
 * One plugin choice checked as a config's are (the plugin exists; its options fit its schema, defaults
 * filled), outside a config: for a plugin that makes another ({@link PluginFactory}). Throws
 * `CONFIG_INVALID` with issues pointing into the choice (`/use`, `/options/...`).
 */
export const checkPluginChoice = (registry: PluginRegistry, kind: PluginKind, choice: PluginChoice): PluginChoice => {
  const issues: ConfigIssue[] = [];
  const checked = checkChoice(registry, kind, choice, '', issues);
  if (issues.length > 0) throw invalidConfig(`${kind} choice`, issues);
  return checked;
};

/**
 * What a config's `budget` as written breaks of the base schema (nothing when it is valid; a missing one is
 * required), with pointers from `/budget`: for a host whose flags replace rules of a budget, which may replace a
 * valid value, never hide an invalid one.
 */
export const budgetIssues = (budget: unknown): ConfigIssue[] => {
  if (budget === undefined) return [{ pointer: '/budget', expected: 'a value (required)', found: 'nothing' }];
  const nonFinite: ConfigIssue[] = [];
  nonFiniteIssues(budget, '/budget', nonFinite);
  return nonFinite.length > 0 ? nonFinite : validateWith(validateBudget, budget, '/budget');
};

/**
 * Checks a raw config against the base schema, the space grammar and each chosen plugin's options
 * schema, and fills in defaults. Throws `CONFIG_INVALID` listing every problem with its JSON pointer,
 * what was expected and what was found; an unknown plugin name lists the known ones.
 */
export const validateConfig = (
  raw: unknown,
  registry: PluginRegistry,
  defaults: ConfigDefaults = {},
): ExperimentConfig => checkConfig(raw, registry, defaults).config;

/** {@link validateConfig}, also giving the compiled space (compiled once, while checking). */
export const checkConfig = (
  raw: unknown,
  registry: PluginRegistry,
  defaults: ConfigDefaults = {},
): { readonly config: ExperimentConfig; readonly space: CompiledSpace; readonly notes: readonly ConfigNote[] } => {
  let compiled: CompiledSpace | undefined;
  const config = structuredClone(raw) as Record<string, unknown>;
  const nonFinite: ConfigIssue[] = [];
  nonFiniteIssues(config, '', nonFinite);
  if (nonFinite.length > 0) throw invalidConfig('config', nonFinite);
  const issues = validateWith(validateBase, config).map(bareNameIssue(registry));
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw invalidConfig('config', issues);
  // Whether no issue is at `pointer` or below it: `/pruners` (an unknown key) is not below `/pruner` (trial
  // 49: it hid the pruner's own option errors until it was fixed).
  const valid = (pointer: string) =>
    issues.every((issue) => issue.pointer !== pointer && !issue.pointer.startsWith(`${pointer}/`));
  if (config.space !== undefined && valid('/space')) {
    try {
      const space = compileSpace(config.space, '/space');
      compiled = space;
      if (Array.isArray(config.enqueue) && valid('/enqueue'))
        issues.push(...checkEnqueued(space, config.enqueue).issues);
    } catch (error) {
      if (!(error instanceof ParzenError)) throw error;
      issues.push(...error.issues);
    }
  }
  const slots: [PluginKind, string, PluginChoice | undefined][] = [
    ['objective', 'objective', config.objective as PluginChoice | undefined],
    [
      'suggester',
      'suggester',
      (config.suggester as PluginChoice | undefined) ?? defaults.suggester ?? { use: 'random' },
    ],
    ['store', 'store', (config.store as PluginChoice | undefined) ?? defaults.store ?? { use: 'memory' }],
    ['pruner', 'pruner', config.pruner as PluginChoice | undefined],
    ['stopper', 'stopper', config.stopper as PluginChoice | undefined],
  ];
  // A quantized parameter whose grid passes a bound (0 from a low under q/2), said by `validate` and by a run.
  // Names and options that look alike (trial 183) are notes: a study stored with them stays readable with its config.
  const notes: ConfigNote[] =
    compiled === undefined ? [] : [...lookAlikeNotes(config.space, '/space'), ...gridNotes(config.space, '/space')];
  for (const [kind, key, choice] of slots) {
    if (choice !== undefined && valid(`/${key}`))
      config[key] = checkChoice(registry, kind, choice, `/${key}`, issues, notes, compiled);
    else if (typeof choice === 'object' && choice !== null) {
      // A choice the config got wrong still names its plugin: a schema no options could satisfy is the plugin's
      // fault, said before the config's (options written as a string schema asks were refused as no object).
      const manifest = typeof choice.use === 'string' ? registry.get(kind, choice.use) : undefined;
      if (manifest !== undefined) optionsValidator(manifest.optionsSchema, manifest.name);
    }
  }
  const reporters = (config.reporters as PluginChoice[] | undefined) ?? defaults.reporters ?? [{ use: 'console' }];
  if (valid('/reporters'))
    config.reporters = reporters.map((choice, index) =>
      checkChoice(registry, 'reporter', choice, `/reporters/${index}`, issues, notes, compiled),
    );
  config.enqueue ??= [];
  if (issues.length > 0 || compiled === undefined) throw invalidConfig('config', issues);
  return { config: config as unknown as ExperimentConfig, space: compiled, notes };
};
