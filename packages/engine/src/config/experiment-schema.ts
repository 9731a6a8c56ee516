import type { PluginKind } from '../contracts/manifest.js';
import type { PluginRegistry } from '../di/registry.js';
import { keyedKinds, spaceJsonSchema } from '../domain/space-definition.js';

/** What a study name is made of: it names files (`<name>.parzen.jsonl`) and rows. */
export const STUDY_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]*$';
/** {@link STUDY_NAME_PATTERN} in words. */
export const STUDY_NAME_WORDS =
  'a name of ASCII letters (A–Z, a–z), digits (0–9), `.`, `_` and `-` (no spaces, no other letters), starting with a letter or digit';

/** The largest trial count a budget may name (`maxTrials`, `moreTrials`, `patience`). */
export const MAX_TRIALS = 1_000_000_000;
/** The most trials one process evaluates at once; a run also never uses more than its budget has left. */
export const MAX_CONCURRENCY = 1000;
/** The longest time a config may give in seconds (timers past about 24 days misfire in Node). */
export const MAX_SECONDS = 1_000_000;

const pluginChoiceSchema = {
  type: 'object',
  required: ['use'],
  additionalProperties: false,
  properties: { use: { type: 'string', minLength: 1 }, options: { type: 'object' } },
};

/** The JSON Schema of a config's `budget`. */
export const budgetSchema = {
  type: 'object',
  additionalProperties: false,
  // A rule that ends the run whatever its trials do (maxConsecutiveFailures ends it only if they fail).
  anyOf: ['maxTrials', 'moreTrials', 'maxSeconds', 'lossThreshold', 'patience'].map((name) => ({ required: [name] })),
  properties: {
    maxTrials: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_TRIALS,
      description: 'Stop when the study has this many trials (all runs and failures count).',
    },
    moreTrials: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_TRIALS,
      description: 'Run this many trials beyond those the study already has.',
    },
    maxSeconds: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: MAX_SECONDS * 1000,
      description:
        "Time limit of one study's run, in seconds, not of a whole batch: each study of a matrix or of several configs run together gets its own, so a batch of N studies can take N times as long. On a monotonic clock (a change of the system time does not move it): no trial starts after it, and the running ones finish (a `module` objective thread loading for one, up to max(trialTimeoutSeconds, 60 s) more).",
    },
    lossThreshold: {
      type: 'number',
      description:
        "Stop once the study's best loss reaches this value: at or below it, or at or above it when the study maximizes (other workers' trials included).",
    },
    patience: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_TRIALS,
      description:
        "Stop after this many finished trials without improving the study's best loss (earlier runs' and other workers' trials count: a resumed study that has gone that long runs only its new enqueue entries; while no trial has a loss, counted from the run's start).",
    },
    maxConsecutiveFailures: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_TRIALS,
      description:
        "Stop once this many of the run's trials failed in a row (a complete or pruned trial starts the count again; each run counts afresh). Unset: 10, and only until a trial of the run completes or is pruned (an objective that does not work). Not a limit on its own: the budget needs another rule.",
    },
  },
};

// Named by `typeof` below, so the API site shows the schema's type as a name instead of every keyword of the
// schema as a member of its own (each keyword's meaning is JSON Schema's; each field's is its `description`).
const baseSchema = {
  type: 'object',
  required: ['name', 'space', 'objective', 'budget'],
  additionalProperties: false,
  properties: {
    $schema: {
      type: 'string',
      description: 'Path or URL of the schema, for editors (`parzen schema > parzen.schema.json`). Ignored by Parzen.',
    },
    name: {
      type: 'string',
      minLength: 1,
      pattern: STUDY_NAME_PATTERN,
      description:
        'The study name: the key under which the store keeps its trials. Running the same name again continues the study. ' +
        'ASCII letters (A–Z, a–z), digits, `.`, `_` and `-`: it names files.',
    },
    seed: {
      type: 'integer',
      minimum: -Number.MAX_SAFE_INTEGER,
      maximum: Number.MAX_SAFE_INTEGER,
      default: 0,
      description:
        "The study seed. Every trial draws from a random stream derived from (seed, trial number, suggester), so a seed reproduces a study run one trial at a time (with several at once, only random and quasi-random search and TPE's start-up trials; see docs/concepts.md).",
    },
    direction: {
      enum: ['minimize', 'maximize'],
      default: 'minimize',
      description: 'Whether a lower loss (minimize) or a higher loss (maximize) is better.',
    },
    space: { type: 'object', description: 'The search space: parameter name → parameter definition.' },
    objective: { ...pluginChoiceSchema, description: 'What evaluates params.' },
    suggester: { ...pluginChoiceSchema, description: 'The search algorithm.' },
    store: { ...pluginChoiceSchema, description: 'Where trials are kept.' },
    reporters: { type: 'array', items: pluginChoiceSchema, description: 'Who listens to the run.' },
    pruner: {
      ...pluginChoiceSchema,
      description: 'Stops unpromising trials early from their intermediate values.',
    },
    stopper: { ...pluginChoiceSchema, description: 'A rule that ends the study early.' },
    enqueue: {
      type: 'array',
      maxItems: 100_000,
      items: { type: 'object' },
      description:
        'Params to run first, in order, before any sampled trial; each is run to an end once by one worker (it waits again when its trial was interrupted or its worker is known to have died; a worker that died at it 3 times gives it up, with a warning, while a run stopped by Ctrl-C or SIGTERM uses none of those attempts, even when its store could not record the stop (its database out of reach until the run ended): the next run on that host records it; not when only the lease of that worker lapsed, since it may still finish). An entry may name only some parameters: the suggester samples the rest.',
    },
    budget: { ...budgetSchema, description: 'When the run stops; at least one rule.' },
    concurrency: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_CONCURRENCY,
      default: 1,
      description: 'Trials evaluated at once by this process.',
    },
    plugins: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      default: [],
      description:
        "Third-party plugin packages (or files, or a package's folder: the entry its package.json names) to load; each exports `manifests`.",
    },
    trialTimeoutSeconds: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: MAX_SECONDS,
      description:
        'Per-trial time limit. A trial past it fails with `TIMEOUT` when the limit can stop it: a `command` objective (its process group gets SIGTERM), a `module` objective in a worker thread (`isolate: "worker"`, the default), an async objective that awaits now and then. A synchronous objective on Parzen\'s thread (`isolate: "none"`) cannot be stopped mid-trial: a trial of it that runs past the limit keeps its result (complete), with a warning once per run; use `isolate: "worker"` to enforce the limit. A `module` objective\'s worker thread loading for the trial is not counted (it has its own bound, the objective\'s `loadTimeoutSeconds`).',
    },
    leaseSeconds: {
      type: 'number',
      minimum: 0.5,
      maximum: MAX_SECONDS,
      default: 60,
      description:
        "How long a running trial’s lease lasts without renewal (renewed every third of it, one renewal at a time: a slow store's renewal delays the next); a trial whose lease ran out is failed as `STALE_TRIAL` by the next run on another host (on the worker's own host, only once its process is gone).",
    },
    gracePeriodSeconds: {
      type: 'number',
      minimum: 0,
      maximum: MAX_SECONDS,
      default: 30,
      description: 'After Ctrl-C, how long running trials may finish before they fail as `INTERRUPTED`.',
    },
    explain: {
      type: 'boolean',
      default: false,
      description:
        'Ask the suggester to explain each suggestion: TPE publishes `suggestion.explained` events to reporters (the `events` reporter writes them to a file: `{ "use": "events", "options": { "path": "events.jsonl", "types": ["suggestion.explained"] } }`; `parzen report` replays TPE from the stored trials without them).',
    },
  },
} as const;

/**
 * The JSON Schema of the config's base (plugin options are `object` here; each is checked against its
 * plugin's own schema once the plugin is known). The space is checked by `compileSpace`.
 */
export const baseConfigSchema: typeof baseSchema = baseSchema;

/** Whether `node` has a `$ref` within the document (`#/$defs/...`), at any depth. */
const hasLocalRef = (node: unknown): boolean => {
  if (typeof node !== 'object' || node === null) return false;
  if (typeof (node as { $ref?: unknown }).$ref === 'string' && (node as { $ref: string }).$ref.startsWith('#'))
    return true;
  return Object.values(node).some(hasLocalRef);
};

/**
 * A plugin's options schema as the config schema embeds it: one whose `$ref`s point within it (`#/$defs/prob`)
 * gets an `$id` of its own, so they resolve against it and not against the config schema's root (trial 70:
 * `parzen schema` printed a schema that could not be compiled, "can't resolve reference #/$defs/prob").
 */
const embeddedOptions = (schema: object, kind: PluginKind, name: string): object =>
  '$id' in schema || !hasLocalRef(schema) ? schema : { $id: `urn:parzen:${kind}:${name}:options`, ...schema };

/**
 * The schema of one plugin slot: `use` among the slot's plugin names, and per name its options (and its description).
 * A slot with no plugin takes none (`use` among no names would be no JSON Schema).
 */
const pluginSlotSchema = (registry: PluginRegistry, kind: PluginKind) => {
  const names = registry.names(kind);
  const shared = { additionalProperties: false, properties: { options: { type: 'object' } } };
  if (names.length === 0)
    return { type: 'object', required: ['use'], ...shared, properties: { use: { type: 'string' } }, not: {} };
  return keyedKinds(
    'use',
    names.map((name) => {
      const manifest = registry.get(kind, name);
      const description = manifest?.description === undefined ? {} : { description: manifest.description };
      return [
        name,
        {
          ...description,
          properties: {
            use: { const: name, ...description },
            options: manifest === undefined ? { type: 'object' } : embeddedOptions(manifest.optionsSchema, kind, name),
          },
        },
      ] as const;
    }),
    shared,
  );
};

/**
 * The whole config schema with every loaded plugin's options and the full space grammar, for editors
 * (`parzen schema`). Validation itself goes through `validateConfig`, which gives sharper messages.
 */
export const composeConfigSchema = (registry: PluginRegistry): Record<string, unknown> => {
  const space = spaceJsonSchema() as { $defs: Record<string, unknown> };
  const base = baseConfigSchema.properties;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Parzen experiment',
    ...baseConfigSchema,
    $defs: space.$defs,
    properties: {
      ...baseConfigSchema.properties,
      // At least one parameter, as validation says (trial 121: an editor passed `"space": {}`); a branch's own
      // space may be empty.
      space: { ...base.space, $ref: '#/$defs/space', minProperties: 1 },
      objective: { ...pluginSlotSchema(registry, 'objective'), description: base.objective.description },
      suggester: { ...pluginSlotSchema(registry, 'suggester'), description: base.suggester.description },
      store: { ...pluginSlotSchema(registry, 'store'), description: base.store.description },
      reporters: { ...base.reporters, items: pluginSlotSchema(registry, 'reporter') },
      pruner: { ...pluginSlotSchema(registry, 'pruner'), description: base.pruner.description },
      stopper: { ...pluginSlotSchema(registry, 'stopper'), description: base.stopper.description },
    },
  };
};
