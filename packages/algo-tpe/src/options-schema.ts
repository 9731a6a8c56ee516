import type { ObjectSchemaNode } from '@parzen/engine/plugin';
import { DENSITY_FAMILIES } from './estimator/families.js';
import { TPE_PROFILES, type TpeProfile } from './options.js';

/** A schema for one of `values`: `const` for one. */
const oneOrEnum = (values: readonly string[]) => (values.length === 1 ? { const: values[0] } : { enum: values });

/** The density families that model several parameters jointly. */
const JOINT_FAMILIES: readonly string[] = Object.values(DENSITY_FAMILIES)
  .filter((family) => family.joint)
  .map((family) => family.name);

type ProfileKey = keyof (typeof TPE_PROFILES)['parzen'];

/** The fields whose default depends on `profile`, with their JSON Schema (no default: the profile's goes in). */
const PROFILE_FIELDS: Readonly<Record<ProfileKey, Readonly<Record<string, unknown>>>> = {
  startup: {
    enum: ['random', 'quasi-random'],
    description:
      'Start-up suggester: random search, or a scrambled Halton sequence (even coverage of the space from the first trials; ' +
      'parzen quasi-random; hyperopt, optuna random).',
  },
  startupTrials: {
    type: 'integer',
    minimum: 0,
    description:
      'Trials before the model takes over, drawn by the start-up suggester (parzen 5, hyperopt 20, optuna 10). ' +
      'Enqueued trials count toward them, as in Optuna: 3 enqueued entries leave 2 of the default 5 to the ' +
      'start-up suggester.',
  },
  candidates: { type: 'integer', minimum: 1, description: 'Candidates drawn from l(x) per parameter (24).' },
  aboveWeight: {
    type: 'number',
    minimum: 0,
    description:
      'w in the score log l(x) - w·log g(x) that picks among the candidates: 1 is the ratio l/g (hyperopt, optuna); ' +
      'below 1 penalises well-sampled regions less, so TPE refines its best regions more (parzen 0.65).',
  },
  discreteAboveWeight: {
    type: 'number',
    minimum: 0,
    description:
      'w for a decision whose parameters are all choices or unordered integers (choice, randint with randint: unordered): below 1 favours the options tried most, ' +
      'so TPE locks onto a branch it sampled early (1 in every profile).',
  },
  randint: {
    enum: ['unordered', 'ordered'],
    description:
      "How TPE models a randint: unordered, each integer an option of its own (hyperopt's meaning; hyperopt, optuna), " +
      'or ordered, integers on a line whose neighbours share the evidence, as Optuna models suggest_int (parzen). ' +
      'A randint of more than 10,000 integers is modelled ordered either way.',
  },
  belowBandwidth: {
    type: 'number',
    exclusiveMinimum: 0,
    description:
      "A factor on the widths of l(x)'s kernels built from the below trials (not the prior kernel's): below 1 concentrates " +
      'l(x) on the best trials, so TPE refines them more (parzen 0.35, and 0.5 for its first 50 trials: see explore; hyperopt, optuna 1).',
  },
  explore: {
    type: 'object',
    additionalProperties: false,
    required: ['trials'],
    properties: {
      trials: { type: 'integer', minimum: 0 },
      belowBandwidth: { type: 'number', exclusiveMinimum: 0 },
      aboveWeight: { type: 'number', minimum: 0 },
      gamma: { type: 'number', exclusiveMinimum: 0 },
    },
    description:
      'Exploration first: trials numbered below `trials` are decided with these belowBandwidth, aboveWeight and gamma ' +
      'instead of the top-level ones (a value left out keeps the top-level one), so the first models, built on few ' +
      'trials, spread instead of committing to the first good region ({"trials": 0} turns it off). parzen: ' +
      '{"trials": 50, "gamma": 0.15, "belowBandwidth": 0.5}, less either of the two the options write at the top ' +
      'level, which then holds for every trial; hyperopt, optuna: {"trials": 0}.',
  },
  avoidRepeats: {
    type: 'boolean',
    description:
      'Skip candidates that would repeat a tried trial exactly (complete, failed, running, and pruned unless pruned is ignore; only choices, integers and quantized ' +
      'values can); when every candidate repeats one, up to three more batches are drawn (parzen true; hyperopt, optuna false).',
  },
  gamma: {
    type: 'number',
    exclusiveMinimum: 0,
    description:
      'Below-set coefficient: ceil(gamma·√n) with split "sqrt" (hyperopt 0.25), ceil(gamma·n) with "linear" (optuna 0.1, parzen 0.1, and 0.15 for its first 50 trials: see explore).',
  },
  split: { enum: ['sqrt', 'linear'], description: 'How the below set grows with n (hyperopt sqrt, optuna linear).' },
  maxBelow: { type: 'integer', minimum: 1, description: 'Cap on the below-set size (25).' },
  priorWeight: {
    type: 'number',
    exclusiveMinimum: 0,
    description: 'Weight of the prior kernel and pseudo-counts (1).',
  },
  // The registered families (a new one is named in DENSITY_FAMILIES, not here too: trial 122).
  kernel: {
    enum: Object.keys(DENSITY_FAMILIES),
    description: `The density family: ${Object.values(DENSITY_FAMILIES)
      .map((family) => `${family.name}: ${family.description}`)
      .join('. ')}.`,
  },
  forgetting: {
    type: 'integer',
    minimum: 0,
    description:
      'Linear forgetting: observations older than the newest N get ramped weights; 0 turns it off (hyperopt, optuna 25; parzen 0).',
  },
  bandwidthFloor: {
    type: 'number',
    minimum: 0,
    maximum: 1,
    description: 'optuna kernel: smallest width is range·max(floor, (n+2)^-exponent) (Optuna 0.01).',
  },
  bandwidthExponent: {
    type: 'number',
    exclusiveMinimum: 0,
    description: 'optuna kernel: the exponent of that rule (Optuna 1).',
  },
  grouping: {
    enum: ['independent', 'joint', 'groups'],
    description:
      'Which parameters are decided together: independent (univariate TPE), joint (the top-level parameters, which every trial has, ' +
      "Optuna's multivariate TPE; optuna5; a parameter under a choice's option is decided alone), groups (one joint model per set of parameters always active together, " +
      "Optuna's group decomposition; a branch holding a name shared with another branch is decided as one group when the walk reaches it, " +
      `the shared parameter with it). joint and groups need a joint kernel (${JOINT_FAMILIES.join(', ')}).`,
  },
  maxGroupSize: {
    type: 'integer',
    minimum: 0,
    description:
      'The largest joint decision, 0 = no limit: a group of more parameters is split into blocks of at most this many by a random ' +
      'permutation fixed for the study (its seed), each block decided jointly, the blocks independently (parzen 8; optuna5 0).',
  },
  frame: {
    enum: ['axes', 'principal'],
    description:
      'The coordinates of l(x) in a joint decision: axes (the parameters, as Optuna) or principal (the principal axes of the ' +
      "decision's below trials, its continuous parameters turned, so l(x) can follow a valley across them; parzen principal, " +
      'optuna5 axes).',
  },
  failed: {
    enum: ['worst', 'ignore', 'avoid'],
    description:
      "Failed trials: ranked worst (loss +∞, or −∞ when the study maximizes) and counted (hyperopt), ignored (Optuna), or avoided (left out of the split; each decision's score adds log P(a trial there finishes), from where the latest trials failed against where they finished).",
  },
  ties: {
    enum: ['first', 'above'],
    description:
      "Complete trials of equal loss across the below set's boundary: first (the earlier ones fill it, as hyperopt and Optuna) " +
      'or above (when they are at least twice the below set, a plateau, none of them is below; a constant branch then does not fill the below set).',
  },
  constantLiar: {
    anyOf: [{ enum: [false, 'worst', 'infinite', 'mean', 'best'] }, { type: 'number' }],
    description:
      'What running trials (this process and other workers) count as: false ' +
      "(ignored), worst (in g(x) only, never in l(x), and not counted in n: Optuna's constant liar), " +
      'infinite (the worst loss, +∞ or −∞ when maximizing, counted in n, ranked after every complete and pruned trial: hyperopt), ' +
      "mean / best (the mean or best complete loss) or a number (that loss, as the study reports it: a maximize study's value), counted in n and ranked by loss among the complete trials, ahead of the pruned ones (pruned: impute ranks those with an estimated loss among them). " +
      'worst and infinite spread parallel suggestions out; best (or a number at least as good as the best loss) gathers them around the running trials.',
  },
};

const PROFILE_NAMES: readonly TpeProfile[] = ['parzen', 'hyperopt', 'optuna', 'optuna5'];

/** The profiles whose kernel models one parameter at a time (`hyperopt`). */
const UNIVARIATE_PROFILES = PROFILE_NAMES.filter((profile) => !JOINT_FAMILIES.includes(TPE_PROFILES[profile].kernel));

/**
 * Joint decisions need a joint density family: hyperopt's kernel is univariate. The refusal says which profile
 * sets that kernel and what to write instead: a config with `profile: "hyperopt"` and `grouping: "joint"` has
 * no `kernel` of its own.
 */
const univariateKernel = {
  if: {
    required: ['kernel'],
    // One family as `const`, which the config error says as "when kernel is ..." (several as `enum`).
    properties: { kernel: oneOrEnum(Object.keys(DENSITY_FAMILIES).filter((name) => !JOINT_FAMILIES.includes(name))) },
  },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
  then: { properties: { grouping: { const: 'independent' } } },
  description:
    `a kernel that models one parameter at a time, which profile ${UNIVARIATE_PROFILES.map((name) => JSON.stringify(name)).join(' and ')} ` +
    `sets when no kernel is given: for "joint" or "groups", give "kernel": ${JSON.stringify(JOINT_FAMILIES[0])}, or another profile`,
};

/** The defaults profile `profile` fills in (a setting its `explore` phases has none: see {@link profileDefaults}). */
const defaultsOf = (profile: TpeProfile): Record<string, unknown> => ({
  properties: Object.fromEntries(
    Object.entries(TPE_PROFILES[profile])
      .filter(([key]) => key !== 'explore' && !Object.hasOwn(TPE_PROFILES[profile].explore, key))
      .map(([key, value]) => [key, { default: value }]),
  ),
});

/**
 * One `if profile = X then defaults of X` clause per profile. ajv fills `allOf` defaults before the
 * `profile` default itself, so the `parzen` clause also matches a missing `profile`, unless `compat` (its former
 * name) is given: {@link formerNameDefaults} then fills them. `explore` has none here, nor
 * the settings a profile's `explore` phases (`parzen`'s `gamma` and `belowBandwidth`): a value written at the top
 * level holds for every trial, so the suggester must see what was written, not a default filled in; it fills
 * them (`resolveTpeSettings`).
 */
const profileDefaults = (profile: TpeProfile): Record<string, unknown> => ({
  if:
    profile === 'parzen'
      ? { properties: { profile: { const: profile }, compat: false } }
      : { required: ['profile'], properties: { profile: { const: profile } } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
  then: defaultsOf(profile),
});

/** The defaults of the profile that `compat` (`profile`'s former name, with a note that it is now `profile`) names. */
const formerNameDefaults = (profile: TpeProfile): Record<string, unknown> => ({
  if: { required: ['compat'], properties: { compat: { const: profile } } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
  then: defaultsOf(profile),
});

/**
 * JSON Schema of the `tpe` plugin's options. Every option has its default but those a profile's `explore`
 * phases and `explore` itself (the suggester works them out, `resolveTpeSettings`): fixed ones on the
 * property, profile-dependent ones in one `if/then` clause per `profile` value (ajv's `useDefaults` fills them).
 */
export const tpeOptionsSchema: ObjectSchemaNode = {
  type: 'object',
  additionalProperties: false,
  properties: {
    profile: {
      enum: PROFILE_NAMES,
      default: 'parzen',
      description:
        'Settings profile: parzen (ours, chosen by benchmark), hyperopt (0.3.0 tpe.suggest), optuna (5.0 univariate), ' +
        "optuna5 (Optuna 5's default TPESampler: multivariate, constant liar).",
    },
    compat: {
      enum: PROFILE_NAMES,
      deprecated: true,
      description: 'The former name of profile, still read as it (with a warning): write profile.',
    },
    ...PROFILE_FIELDS,
    pruned: {
      enum: ['rank', 'impute', 'ignore'],
      default: 'rank',
      description:
        'Pruned trials: rank (observed, after the complete trials: deepest last step first, then the value ' +
        "reported there, as Optuna's TPE), impute (observed, ranked among the complete trials at an estimated loss: " +
        'the value at the last step plus the median of (loss − value at that step) over the complete trials) or ' +
        'ignore (left out of the split and the densities).',
    },
    explain: {
      type: 'boolean',
      default: true,
      description:
        'Lets TPE explain its suggestions when the run asks for explanations, and only then: a config\'s "explain": true, or in code createStudy({ ..., explain: true, onEvent }), whose onEvent gets a suggestion.explained event per suggestion. true (the default) asks for none by itself; false turns them off even when the run asks.',
    },
    explainGrid: {
      type: 'integer',
      minimum: 2,
      maximum: 10_000,
      default: 101,
      description: 'Grid points per parameter in explanations.',
    },
  },
  allOf: [
    ...PROFILE_NAMES.map(profileDefaults),
    ...PROFILE_NAMES.map(formerNameDefaults),
    // One name per option: `compat` is `profile`'s former name.
    {
      not: { required: ['profile', 'compat'], properties: { profile: true, compat: true } },
      description: 'compat is the former name of profile: write profile alone',
    },
    univariateKernel,
  ],
};
