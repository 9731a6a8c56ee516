import {
  type AnyPluginManifest,
  configErrorUnder,
  definePruner,
  describeValue,
  invalidConfig,
  ownEntry,
  type PluginManifest,
  type Pruner,
  SERVICES,
} from '@parzen/engine/plugin';
import { createHyperbandPruner, HYPERBAND_DEFAULTS, type HyperbandOptions } from './hyperband.js';
import { createPatientPruner, PATIENT_DEFAULTS, type PatientPrunerOptions } from './patient.js';
import {
  createMedianPruner,
  createPercentilePruner,
  type MedianPrunerOptions,
  PERCENTILE_DEFAULTS,
  type PercentilePrunerOptions,
} from './percentile.js';
import {
  createSuccessiveHalvingPruner,
  SUCCESSIVE_HALVING_DEFAULTS,
  type SuccessiveHalvingOptions,
} from './successive-halving.js';
import { createThresholdPruner, THRESHOLD_DEFAULTS, type ThresholdPrunerOptions } from './threshold.js';

const integer = (minimum: number, fallback: number, description: string) => ({
  type: 'integer',
  minimum,
  default: fallback,
  description: `${description} (default ${fallback}).`,
});

const schedule = {
  warmupSteps: integer(0, PERCENTILE_DEFAULTS.warmupSteps, 'No pruning before this step'),
  intervalSteps: integer(1, PERCENTILE_DEFAULTS.intervalSteps, 'Judge every this many steps after the warm-up'),
};

const percentileProperties = {
  startupTrials: integer(0, PERCENTILE_DEFAULTS.startupTrials, 'No pruning until this many trials are complete'),
  ...schedule,
  minTrials: integer(1, PERCENTILE_DEFAULTS.minTrials, 'Judge only when this many complete trials reported the step'),
};

const medianSchema = { type: 'object', additionalProperties: false, properties: percentileProperties };

const percentileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['percentile'],
  properties: {
    percentile: {
      type: 'number',
      minimum: 0,
      maximum: 100,
      description: 'Keep the trials in the best this-many percent at each step (required; median: 50).',
    },
    ...percentileProperties,
  },
};

const successiveHalvingSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    minResource: {
      anyOf: [{ const: 'auto' }, { type: 'integer', minimum: 1 }],
      default: SUCCESSIVE_HALVING_DEFAULTS.minResource,
      description:
        'Steps before the first rung, r; "auto": the highest step of the complete trials / 100 (default "auto").',
    },
    reductionFactor: integer(
      2,
      SUCCESSIVE_HALVING_DEFAULTS.reductionFactor,
      'η: promote the best 1/η of the trials at each rung',
    ),
    minEarlyStoppingRate: integer(
      0,
      SUCCESSIVE_HALVING_DEFAULTS.minEarlyStoppingRate,
      's: the first rung is at step r·η^s',
    ),
    bootstrapCount: integer(
      0,
      SUCCESSIVE_HALVING_DEFAULTS.bootstrapCount,
      'Prune at a rung until more than this many trials reached it; needs an integer minResource',
    ),
  },
};

const hyperbandSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    minResource: integer(1, HYPERBAND_DEFAULTS.minResource, 'r: steps before the first rung of the first bracket'),
    maxResource: {
      anyOf: [{ const: 'auto' }, { type: 'integer', minimum: 1 }],
      default: HYPERBAND_DEFAULTS.maxResource,
      description: 'R: steps of a full trial; "auto": the highest step of the complete trials + 1 (default "auto").',
    },
    reductionFactor: integer(2, HYPERBAND_DEFAULTS.reductionFactor, 'η of each bracket'),
    bootstrapCount: integer(
      0,
      HYPERBAND_DEFAULTS.bootstrapCount,
      'Per bracket, as successive halving; needs an integer maxResource',
    ),
  },
};

const thresholdSchema = {
  type: 'object',
  additionalProperties: false,
  anyOf: [{ required: ['lower'] }, { required: ['upper'] }],
  properties: {
    lower: { type: 'number', description: 'Prune when the latest value is below this (default: none).' },
    upper: { type: 'number', description: 'Prune when the latest value is above this (default: none).' },
    warmupSteps: integer(0, THRESHOLD_DEFAULTS.warmupSteps, 'No pruning before this step'),
    intervalSteps: integer(1, THRESHOLD_DEFAULTS.intervalSteps, 'Judge every this many steps after the warm-up'),
  },
};

/** The pruners `patient` can wrap, by name: their options schema and factory. */
const WRAPPABLE: Readonly<Record<string, { schema: object; create: (options: never) => Pruner }>> = {
  median: { schema: medianSchema, create: createMedianPruner },
  percentile: { schema: percentileSchema, create: createPercentilePruner },
  'successive-halving': { schema: successiveHalvingSchema, create: createSuccessiveHalvingPruner },
  hyperband: { schema: hyperbandSchema, create: createHyperbandPruner },
  threshold: { schema: thresholdSchema, create: createThresholdPruner },
};

/** Options of the `patient` plugin: its own and the wrapped pruner, as a config names it. */
export interface PatientPluginOptions extends PatientPrunerOptions {
  /** The wrapped pruner, as a config names it; absent: none, a stalled trial is pruned. */
  readonly pruner?: {
    /** A built-in pruner's name or a pruner plugin's the config loads. */
    readonly use: string;
    /** Its options; default `{}`. */
    readonly options?: Readonly<Record<string, unknown>>;
  };
}

const patientSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['patience'],
  properties: {
    patience: {
      type: 'integer',
      minimum: 0,
      description: 'Steps without improvement tolerated before the wrapped pruner is asked (required).',
    },
    minDelta: {
      type: 'number',
      minimum: 0,
      default: PATIENT_DEFAULTS.minDelta,
      description:
        'Tolerance: stalled when the recent best is worse than the earlier best by more than this (default 0).',
    },
    pruner: {
      type: 'object',
      additionalProperties: false,
      required: ['use'],
      description:
        'The wrapped pruner, { "use": ..., "options": ... }: a built-in one or a pruner plugin the config loads (default: none, prune a stalled trial).',
      properties: {
        use: {
          type: 'string',
          minLength: 1,
          description: `${Object.keys(WRAPPABLE).join(', ')}, or a pruner plugin's name`,
        },
        options: { type: 'object', default: {} },
      },
      allOf: Object.entries(WRAPPABLE).map(([name, { schema }]) => ({
        if: { properties: { use: { const: name } } },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
        then: { properties: { options: schema } },
      })),
    },
  },
};

/** `{ "use": "median" }`: Optuna's MedianPruner. */
export const medianPrunerManifest = definePruner<MedianPrunerOptions>({
  name: 'median',
  description: 'Prunes a trial whose best value so far is worse than the median of the complete trials at its step.',
  optionsSchema: medianSchema,
  create: (options) => createMedianPruner(options),
});

/** `{ "use": "percentile", "options": { "percentile": 25 } }`: Optuna's PercentilePruner. */
export const percentilePrunerManifest = definePruner<PercentilePrunerOptions>({
  name: 'percentile',
  description: 'Prunes a trial whose best value so far is outside the best percentile of the complete trials.',
  optionsSchema: percentileSchema,
  create: (options) => createPercentilePruner(options),
});

/** `{ "use": "successive-halving" }`: asynchronous successive halving (ASHA), as Optuna's. */
export const successiveHalvingPrunerManifest = definePruner<SuccessiveHalvingOptions>({
  name: 'successive-halving',
  description: 'Asynchronous successive halving (ASHA): only the best 1/η of the trials at each rung go on.',
  optionsSchema: successiveHalvingSchema,
  create: (options) => createSuccessiveHalvingPruner(options),
});

/** `{ "use": "hyperband" }`: Hyperband over successive-halving brackets, as Optuna's. */
export const hyperbandPrunerManifest = definePruner<HyperbandOptions>({
  name: 'hyperband',
  description: 'Hyperband: trials hashed into successive-halving brackets of different aggressiveness.',
  optionsSchema: hyperbandSchema,
  create: (options) => createHyperbandPruner(options),
});

/** `{ "use": "threshold", "options": { "upper": 10 } }`: Optuna's ThresholdPruner. */
export const thresholdPrunerManifest = definePruner<ThresholdPrunerOptions>({
  name: 'threshold',
  description: 'Prunes a trial whose latest value is outside [lower, upper].',
  optionsSchema: thresholdSchema,
  create: (options) => createThresholdPruner(options),
});

/**
 * Creates the wrapped pruner; its option issues point into `patient`'s options (`/pruner/...`, `prefix`
 * the place of the issues' own pointers), so a config's error names the wrapped pruner's field where the
 * config has it.
 */
const wrapInner = <P extends Pruner | Promise<Pruner>>(create: () => P, prefix: string): P => {
  const moveIssues = (error: unknown): never => {
    throw configErrorUnder(prefix, error, { title: 'Invalid options for the patient pruner:', plugin: 'patient' });
  };
  try {
    const made = create();
    return (made instanceof Promise ? made.catch(moveIssues) : made) as P;
  } catch (error) {
    return moveIssues(error);
  }
};

/** `{ "use": "patient", "options": { "patience": 3, "pruner": { "use": "median" } } }`: Optuna's PatientPruner. */
export const patientPrunerManifest = definePruner<PatientPluginOptions>({
  name: 'patient',
  description: 'Asks the wrapped pruner only once a trial has not improved for `patience` steps.',
  optionsSchema: patientSchema,
  create: ({ pruner, ...options }, context) => {
    if (pruner === undefined) return createPatientPruner(options);
    // The study's registry makes the wrapped pruner as a config's are, through its manifest (a built-in
    // too: review 74, the table below skipped the manifest's own create); a plugin the config loads likewise.
    if (context?.services.has(SERVICES.plugins) !== true) {
      // Made outside a study (the manifest's create called by hand): the built-ins only.
      const wrapped = ownEntry(WRAPPABLE, pruner.use);
      if (wrapped !== undefined)
        return createPatientPruner(
          options,
          wrapInner(() => wrapped.create((pruner.options ?? {}) as never), '/pruner/options'),
        );
      throw invalidConfig('options for the patient pruner', [
        {
          pointer: '/pruner/use',
          expected: `one of ${Object.keys(WRAPPABLE).join(', ')} (a pruner a plugin adds is made only within a study, from its registry)`,
          found: describeValue(pruner.use),
        },
      ]);
    }
    const plugins = context.services.get(SERVICES.plugins);
    return wrapInner(() => plugins.create('pruner', pruner), '/pruner').then((inner) =>
      createPatientPruner(options, inner),
    );
  },
});

/** The package's plugins: `median`, `percentile`, `successive-halving`, `hyperband`, `threshold` and `patient`. */
export const manifests: readonly AnyPluginManifest[] = [
  medianPrunerManifest,
  percentilePrunerManifest,
  successiveHalvingPrunerManifest,
  hyperbandPrunerManifest,
  thresholdPrunerManifest,
  patientPrunerManifest,
] satisfies readonly PluginManifest<'pruner', never>[];
