import { definedOptions, formatIssues, ParzenError } from '@parzen/engine/plugin';
import { DENSITY_FAMILIES, type DensityFamilyName } from './estimator/families.js';
/**
 * The named settings bundles: hyperopt's TPE, Optuna's univariate TPE (5.0 line), Optuna 5's default
 * sampler (multivariate, constant liar), and ours.
 */
export type TpeProfile = 'parzen' | 'hyperopt' | 'optuna' | 'optuna5';
/**
 * The settings profiles' former name.
 * @deprecated Use {@link TpeProfile}, the same type.
 */
export type TpeCompat = TpeProfile;

/** How the below-set size grows with the number of observed trials n: `ceil(γ√n)` or `ceil(γn)`. */
export type TpeSplitRule = 'sqrt' | 'linear';

/**
 * The density family. `hyperopt`: adaptive Parzen widths (prior as a neighbour) and one truncation of the
 * whole mixture (tpe-spec 3.4–3.6). `optuna`: Optuna 5.0-line widths (bounds as neighbours) and a mixture
 * of individually truncated kernels (tpe-spec 4.4–4.6).
 */
export type TpeKernel = DensityFamilyName;

/**
 * What failed trials are: `worst` = loss +∞, counted in n and modelled in g (hyperopt); `ignore` (Optuna);
 * `avoid` = left out of the split, and a density of where trials failed against one of where they finished
 * scales the score by the chance that a trial there finishes (see {@link TpeSettings.failed}).
 */
export type FailedTrialPolicy = 'worst' | 'ignore' | 'avoid';

/**
 * The constant liar: what the running trials (of this process and of other workers) count as while
 * they run, so that parallel suggestions spread out. `false`: ignored. `worst`: in g(x) only, never in l(x),
 * never counted in n (Optuna's constant liar). `infinite`: loss +∞, counted in n, ranked after every complete and
 * pruned trial, so filling the below set only when those are too few (hyperopt's pending documents). `mean`, `best`
 * or a number: that loss (the mean or best loss of the complete trials, +∞ while there is none; a number as the
 * study reports it, so a maximize study's is a value to maximize), counted in n and ranked by loss among the
 * complete trials, ahead of the pruned ones (`pruned: "impute"` ranks those with an estimated loss among them).
 */
export type ConstantLiar = false | 'worst' | 'infinite' | 'mean' | 'best' | number;

/**
 * Which parameters are decided together. `independent`: each on its own (univariate TPE). `joint`: the
 * parameters every observed trial has as one group (Optuna's multivariate TPE), the others on their own.
 * `groups`: one joint model per set of parameters that are always active together (the same activation
 * conditions: the top level, each branch of a choice), as Optuna's `group=True` decomposes the space.
 */
export type TpeGrouping = 'independent' | 'joint' | 'groups';

/**
 * The coordinates in which l(x) of a joint decision is built: `axes`, the parameters themselves (Optuna);
 * `principal`, the principal axes of the decision's below trials, so that l(x) can follow a valley that
 * runs across the parameters. Only continuous parameters turn (log-quantized ones, drawn continuous and rounded,
 * included); choices, integers and values on a linear grid keep their axes.
 */
export type TpeFrame = 'axes' | 'principal';

/**
 * What pruned trials are: `rank` = observed, ranked after the complete trials by their last step (deepest
 * first) and then the value reported there, as Optuna's TPE; `impute` = observed, ranked among the complete
 * trials at an estimated loss (the value at the last step plus the median, over the complete trials that
 * reported that step, of their loss minus their value there), ranked as `rank` while fewer than 3 complete
 * trials reported that step; `ignore` = left out entirely.
 */
export type PrunedTrialPolicy = 'rank' | 'impute' | 'ignore';

/**
 * Complete trials of equal loss that the below set's boundary falls among (its last place and the first
 * place after it hold the same loss): `first`, the earlier trials take the places left (a stable sort by
 * number, as hyperopt and Optuna); `above`, when the tie is a plateau (at least twice as many trials as
 * the below set holds), none of them is below, since none is better than the others (the below set is
 * then smaller, empty when the plateau holds the best loss, and l(x) is the prior's alone); a smaller tie
 * (settings that score alike, as classifiers' error rates do) keeps the `first` order. A plateau (a
 * branch whose loss is constant) otherwise fills the below set with trials that agree on nothing but the
 * branch, and TPE keeps drawing it.
 */
export type BoundaryTies = 'first' | 'above';

/**
 * The start-up suggester: `random` draws every active parameter from its prior (random search);
 * `quasi-random` takes the points of a scrambled Halton sequence, so the first trials cover the space
 * evenly instead of clumping (the `parzen` profile's).
 */
export type StartupSuggesterName = 'random' | 'quasi-random';

/** The settings TPE decides its first trials with (`explore`): see {@link TpeSettings.explore}. */
export interface TpeExplore {
  /** The number of the first trial decided without these settings: trials 0 to `trials` − 1 use them; 0 turns them off. */
  readonly trials: number;
  /** {@link TpeSettings.belowBandwidth} for those trials; left out: the top-level one. */
  readonly belowBandwidth?: number;
  /** {@link TpeSettings.aboveWeight} for those trials; left out: the top-level one. */
  readonly aboveWeight?: number;
  /** {@link TpeSettings.gamma} for those trials; left out: the top-level one. */
  readonly gamma?: number;
}

/** The settings a trial is decided with: the `explore` settings' values while its number is below `explore.trials`. */
export const trialSettings = (settings: TpeSettings, trialNumber: number): TpeSettings => {
  const { trials, ...values } = settings.explore;
  return trialNumber < trials ? { ...settings, ...values } : settings;
};

/** Every setting of the TPE suggester, as resolved from options and the `profile`. */
export interface TpeSettings {
  /**
   * The profile that fills every setting the options leave out: `parzen` (ours, chosen by benchmark; the default),
   * `hyperopt` (hyperopt 0.3.0's `tpe.suggest`), `optuna` (Optuna's univariate `TPESampler`, 5.0 line) or `optuna5`
   * (Optuna 5's default `TPESampler()`: multivariate, constant liar). See {@link TPE_PROFILES}.
   */
  readonly profile: TpeProfile;
  /**
   * Trials drawn by the start-up suggester before the model takes over. Default by `profile`: parzen `5`; hyperopt
   * `20`; optuna and optuna5 `10`.
   */
  readonly startupTrials: number;
  /**
   * The start-up suggester that draws the first `startupTrials` trials (see {@link StartupSuggesterName}). Default
   * by `profile`: parzen `"quasi-random"`; hyperopt, optuna and optuna5 `"random"`.
   */
  readonly startup: StartupSuggesterName;
  /** Candidates drawn from l(x) per parameter. Default `24` in every profile. */
  readonly candidates: number;
  /**
   * w in the score log l(x) − w · log g(x) that picks among the candidates: 1 is the ratio l/g (hyperopt, Optuna);
   * below 1 penalises well-sampled regions less, so TPE refines its best regions more. Default by `profile`: parzen
   * `0.65`; hyperopt, optuna and optuna5 `1`.
   */
  readonly aboveWeight: number;
  /**
   * w for a decision whose parameters are all choices or unordered integers (`choice`, `randint` with `randint:
   * "unordered"`): in a discrete decision a w below 1 favours the options tried most (l and g both grow with the
   * tries, and l/g^w with them), so TPE locks onto a branch it sampled early. 1 is the ratio l/g. Default `1` in
   * every profile.
   */
  readonly discreteAboveWeight: number;
  /**
   * How TPE models a `randint`: `unordered`, each integer an option of its own (hyperopt's meaning: nearby integers
   * say nothing of each other), or `ordered`, integers on a line whose neighbours share the evidence, as Optuna
   * models `suggest_int` (parzen). A `randint` of more than 10,000 integers is modelled ordered either way. Default
   * by `profile`: parzen `"ordered"`; hyperopt, optuna and optuna5 `"unordered"`.
   */
  readonly randint: 'unordered' | 'ordered';
  /**
   * A factor on the widths of l(x)'s kernels built from the below trials (not the prior kernel's), in every numeric
   * dimension, after the family's own width rule: below 1 concentrates l(x) on the best trials, so its candidates
   * refine them more; 1 keeps the family's widths. Default by `profile`: parzen `0.35` (`0.5` for its first 50
   * trials: see `explore`); hyperopt, optuna and optuna5 `1`.
   */
  readonly belowBandwidth: number;
  /**
   * Whether a decision skips candidates that would repeat a tried trial exactly (complete, failed, running, and
   * pruned unless `pruned` is `ignore`): the best-scoring candidate that makes a new assignment wins, and when every
   * candidate repeats one, up to three more batches are drawn before a repeat is accepted. Only discrete choices
   * (choices, integers, quantized values) can repeat, so continuous decisions are unchanged. Default by `profile`:
   * parzen `true`; hyperopt, optuna and optuna5 `false`.
   */
  readonly avoidRepeats: boolean;
  /**
   * The below set's coefficient: of n observed trials, `ceil(gamma · √n)` (`split: "sqrt"`) or `ceil(gamma · n)`
   * (`"linear"`) are below, the good trials l(x) is built from, at most `maxBelow`. With `"linear"` it is the
   * fraction of trials that count as good: 1 or more puts every trial below (up to `maxBelow`), leaving g(x) to its
   * prior. Default by `profile`: parzen `0.1` (`0.15` for its first 50 trials: see `explore`); hyperopt `0.25`;
   * optuna and optuna5 `0.1`.
   */
  readonly gamma: number;
  /**
   * How the below set grows with the number n of observed trials: `ceil(gamma · √n)` or `ceil(gamma · n)` (see
   * {@link TpeSplitRule}). Default by `profile`: parzen, optuna and optuna5 `"linear"`; hyperopt `"sqrt"`.
   */
  readonly split: TpeSplitRule;
  /** Cap on the below-set size. Default `25` in every profile. */
  readonly maxBelow: number;
  /**
   * The weight of the prior kernel (the parameter's whole range) in l(x) and g(x), and of the pseudo-counts of a
   * choice's options: above 1 keeps the densities closer to the prior, so TPE explores more. Default `1` in every
   * profile.
   */
  readonly priorWeight: number;
  /**
   * The density family l(x) and g(x) are built with: `hyperopt` (adaptive Parzen widths, one truncated mixture;
   * univariate only) or `optuna` (Optuna 5.0-line widths, individually truncated kernels). See {@link TpeKernel}.
   * Default by `profile`: parzen, optuna and optuna5 `"optuna"`; hyperopt `"hyperopt"`.
   */
  readonly kernel: TpeKernel;
  /**
   * Linear forgetting: observations older than the newest `forgetting` get ramped weights (0 = off). Default by
   * `profile`: parzen `0`; hyperopt, optuna and optuna5 `25`.
   */
  readonly forgetting: number;
  /**
   * Smallest kernel width, `range · max(floor, (n+2)^−exponent)` (optuna kernel only). Default `0.01` in every
   * profile.
   */
  readonly bandwidthFloor: number;
  /**
   * The exponent of the smallest kernel width's rule, `range · max(bandwidthFloor, (n+2)^−bandwidthExponent)`
   * (optuna kernel only): larger lets kernels narrow sooner as trials accumulate. Default `1` in every profile.
   */
  readonly bandwidthExponent: number;
  /**
   * Failed trials (see {@link FailedTrialPolicy}). `avoid` (the `parzen` default) leaves them out of the split, as
   * `ignore` does, and adds log P(a trial there finishes) to each decision's score, from a density of the failed
   * trials against one of the finished ones (the same estimator as l and g): TPE moves away from a region where
   * trials keep failing (a learning rate that diverges, a branch that throws), which `ignore` keeps sampling
   * (nothing there is ever in g), while failures spread like the finished trials (a flaky machine) change nothing,
   * which `worst` mistakes for bad regions (bench/results/tpe-failed.md). A study in which no trial failed is the
   * same under `ignore` and `avoid`. Default by `profile`: parzen `"avoid"`; hyperopt `"worst"`; optuna and optuna5
   * `"ignore"`.
   */
  readonly failed: FailedTrialPolicy;
  /**
   * Trials of equal loss across the below set's boundary (see {@link BoundaryTies}). Default by `profile`: parzen
   * `"above"`; hyperopt, optuna and optuna5 `"first"`.
   */
  readonly ties: BoundaryTies;
  /**
   * Pruned trials: ranked after the complete ones (Optuna's `rank`), ranked among them at an estimated loss
   * (`impute`), or ignored (see {@link PrunedTrialPolicy}). Default `rank` in every profile.
   */
  readonly pruned: PrunedTrialPolicy;
  /**
   * What running trials count as while they run, so that parallel suggestions spread out (see {@link ConstantLiar}).
   * Default by `profile`: parzen, optuna and optuna5 `"worst"`; hyperopt `"infinite"`.
   */
  readonly constantLiar: ConstantLiar;
  /**
   * Which parameters are decided together; `joint` and `groups` need the optuna kernel. Default by `profile`: parzen
   * `"groups"`; hyperopt and optuna `"independent"`; optuna5 `"joint"`.
   */
  readonly grouping: TpeGrouping;
  /**
   * The largest joint decision (0 = no limit): a group of more parameters is split into blocks of at most this many,
   * as equal as they can be, by a random permutation fixed for the study (drawn from its seed, so every trial,
   * worker and resume gets the same blocks); each block is decided jointly, the blocks independently.
   * Low-dimensional couplings stay joint; a 10–20-parameter space is not one sparse joint density. Default by
   * `profile`: parzen `8`; hyperopt, optuna and optuna5 `0`.
   */
  readonly maxGroupSize: number;
  /**
   * The coordinates of l(x) in a joint decision: `axes` (the parameters) or `principal` (the principal axes of the
   * decision's below trials, its continuous parameters turned; see {@link TpeFrame}). Default by `profile`: parzen
   * `"principal"`; hyperopt, optuna and optuna5 `"axes"`.
   */
  readonly frame: TpeFrame;
  /**
   * Exploration first: while a trial's number is below `explore.trials`, TPE decides it with the given
   * `belowBandwidth`, `aboveWeight` and `gamma` instead of the top-level ones (each one left out keeps the
   * top-level one), so the first models, built on few trials, spread instead of committing to the first good
   * region. `trials: 0` turns it off. The `parzen` profile's, `{ trials: 50, gamma: 0.15, belowBandwidth: 0.5 }`,
   * less the settings the options write at the top level, is what it gets when the options give none.
   */
  readonly explore: TpeExplore;
  /**
   * Explain suggestions when the run asks for them, and only then (a config's `"explain": true`, or
   * `createStudy({ explain: true, onEvent })` in code; published as `suggestion.explained`); default true.
   * `true` asks for nothing by itself; `false` turns explanations off even when the run asks.
   */
  readonly explain: boolean;
  /** Grid points per parameter in explanations. */
  readonly explainGrid: number;
}

/** Options of the `tpe` plugin: every field optional; missing ones come from the `profile`. */
export type TpeOptions = Partial<TpeSettings> & {
  /**
   * The former name of `profile`, still read as it (with a warning); giving both is an error.
   * @deprecated Use `profile`.
   */
  readonly compat?: TpeProfile | undefined;
};

/** A profile's settings: every TPE setting but those a profile leaves to the user. */
export type ProfileSettings = Omit<TpeSettings, 'profile' | 'explain' | 'explainGrid' | 'pruned'>;

/** Optuna's TPESampler on the 5.0 line, univariate (`multivariate=False`). */
const OPTUNA: ProfileSettings = {
  startupTrials: 10,
  startup: 'random',
  candidates: 24,
  aboveWeight: 1,
  discreteAboveWeight: 1,
  randint: 'unordered',
  belowBandwidth: 1,
  avoidRepeats: false,
  gamma: 0.1,
  split: 'linear',
  maxBelow: 25,
  priorWeight: 1,
  kernel: 'optuna',
  forgetting: 25,
  bandwidthFloor: 0.01,
  bandwidthExponent: 1,
  failed: 'ignore',
  ties: 'first',
  constantLiar: 'worst',
  grouping: 'independent',
  maxGroupSize: 0,
  frame: 'axes',
  explore: { trials: 0 },
};

/**
 * The profiles.
 *
 * - `hyperopt`: hyperopt 0.3.0 `tpe.suggest` (20 start-up, ⌈0.25√n⌉ capped at 25, 24 candidates, prior
 *   weight 1, linear forgetting 25, adaptive Parzen widths, truncated mixture, failed and running trials
 *   as loss +∞).
 * - `optuna`: Optuna's univariate `TPESampler` on the current 5.0 line (10 start-up, ⌈0.1n⌉ capped at
 *   25, neighbour widths with the bounds as neighbours, magic clip, individually truncated kernels,
 *   constant liar on as 5.0 defaults, failed trials ignored) — not 3.1's truncated-normal formula.
 * - `optuna5`: Optuna 5's default `TPESampler()` for one objective: the `optuna` profile with
 *   `multivariate=True` (the parameters every trial has decided jointly, per-dimension neighbour widths)
 *   and the constant liar (running trials always in the above set), so comparisons with Optuna's defaults are like
 *   for like.
 * - `parzen`: our default. The Optuna 5.0 kernels with Watanabe 2023's linear split ⌈0.15n⌉ and uniform
 *   weights, and 5 start-up trials. Chosen on 100 seeds × 100 evaluations of every benchmark problem
 *   (bench/results/tpe-defaults.md): it keeps the largest worst-case margin over hyperopt's own TPE
 *   across problems and budgets (5 start-up trials: ≥ 1.3× lower median regret everywhere, 10: 1.1×),
 *   and uniform weights let the above density follow the study incrementally (bench/tpe-latency.ts).
 *   Grouped decisions (`groups`) were chosen later on the suite's train half
 *   (bench/results/tpe-defaults-suite.md), and the score log l − 0.65 · log g on that half too
 *   (bench/results/tpe-above-weight.md). Groups of more than 8 parameters are split into blocks
 *   (`maxGroupSize`), chosen on the 41 problems outside the held-out half
 *   (bench/results/tpe-defaults-41.md). l(x)'s kernels at half the family's widths (`belowBandwidth`
 *   0.5, now the value of the first 50 trials only: see below) were chosen on the 61 problems outside the held-out half and checked once on a new fresh6 half
 *   and on the held-out half (bench/results/tpe-below-bandwidth.md). The start-up trials come from the
 *   quasi-random suggester (`startup`), chosen on 85 seen problems and checked once on a new fresh8 half
 *   and on the held-out half (bench/results/tpe-quasi-random-startup.md). Trials of equal loss across the
 *   below set's boundary are left above (`ties`; bench/results/tpe-ties.md). Failed trials steer
 *   decisions away from where trials fail (`failed: "avoid"`; bench/results/tpe-failed.md). From trial
 *   #50 on the split is ⌈0.1n⌉ and l(x)'s kernels are at 0.35 of the family's widths (γ 0.15 and 0.5 before, the
 *   profile's `explore`), chosen on the 186 read problems and read once on the unread fresh15 half
 *   (bench/results/tpe-late-exploitation.md).
 */
export const TPE_PROFILES: Readonly<Record<TpeProfile, ProfileSettings>> = {
  hyperopt: {
    startupTrials: 20,
    startup: 'random',
    candidates: 24,
    aboveWeight: 1,
    discreteAboveWeight: 1,
    randint: 'unordered',
    belowBandwidth: 1,
    avoidRepeats: false,
    gamma: 0.25,
    split: 'sqrt',
    maxBelow: 25,
    priorWeight: 1,
    kernel: 'hyperopt',
    forgetting: 25,
    bandwidthFloor: 0.01,
    bandwidthExponent: 1,
    failed: 'worst',
    ties: 'first',
    constantLiar: 'infinite',
    grouping: 'independent',
    maxGroupSize: 0,
    frame: 'axes',
    explore: { trials: 0 },
  },
  optuna: OPTUNA,
  optuna5: { ...OPTUNA, grouping: 'joint' },
  parzen: {
    startupTrials: 5,
    startup: 'quasi-random',
    candidates: 24,
    aboveWeight: 0.65,
    discreteAboveWeight: 1,
    randint: 'ordered',
    belowBandwidth: 0.35,
    avoidRepeats: true,
    gamma: 0.1,
    split: 'linear',
    maxBelow: 25,
    priorWeight: 1,
    kernel: 'optuna',
    forgetting: 0,
    bandwidthFloor: 0.01,
    bandwidthExponent: 1,
    failed: 'avoid',
    ties: 'above',
    constantLiar: 'worst',
    grouping: 'groups',
    maxGroupSize: 8,
    frame: 'principal',
    explore: { trials: 50, gamma: 0.15, belowBandwidth: 0.5 },
  },
};

/**
 * The `explore` a study gets: the options' own when they give one; else the profile's, without the settings the
 * options give at the top level, so that `gamma: 0.2` (or the profile's own 0.1, written) is that γ for every
 * trial rather than only after the profile's exploring trials. A phase left with no setting of its own is off.
 * (A config's options reach here as written for these settings: the JSON Schema fills no default for them.)
 */
const profileExplore = (profile: TpeExplore, defined: TpeOptions): TpeExplore => {
  if (defined.explore !== undefined) return defined.explore;
  const { trials, ...values } = profile;
  const kept = Object.entries(values).filter(([name]) => defined[name as keyof typeof values] === undefined);
  return kept.length === 0 ? { trials: 0 } : { trials, ...Object.fromEntries(kept) };
};

/** A `CONFIG_INVALID` error of the tpe suggester's options, naming each issue (pointers below the options). */
const invalidOptions = (issues: { pointer: string; expected: string; found: string }[]): ParzenError =>
  new ParzenError('CONFIG_INVALID', `Invalid options for the tpe suggester:\n${formatIssues(issues)}`, {
    plugin: 'tpe',
    issues,
  });

/**
 * Fills every missing option from the `profile` (default `parzen`); a missing `explore` is the
 * profile's less the settings the options give at the top level. `compat`, the former name of `profile`, is read
 * as it; giving both is a `CONFIG_INVALID` error naming `/compat`, as a config's validation refuses both. Joint
 * decisions need a joint density family: `grouping` other than `independent` with `kernel: "hyperopt"` is a
 * `CONFIG_INVALID` error naming `/grouping`.
 */
export const resolveTpeSettings = (options: TpeOptions = {}): TpeSettings => tpeSettingsOf(options, 'code');

/**
 * {@link resolveTpeSettings} of options a config (`config`: as its validation leaves them) or code (`code`) gave.
 * A config's validation fills `profile`'s default in beside a `compat` written (having refused both written): that
 * `profile` is not one given, so `compat` names the profile. Given in code, both are refused, as a config refuses
 * them, in the same words.
 */
export const tpeSettingsOf = (options: TpeOptions, from: 'config' | 'code'): TpeSettings => {
  const { compat, ...rest } = options;
  if (from === 'code' && compat !== undefined && options.profile !== undefined)
    throw invalidOptions([
      {
        pointer: '/compat',
        expected: 'only one of /profile and /compat (compat is the former name of profile: write profile alone)',
        found: 'both',
      },
    ]);
  const profile = compat ?? options.profile ?? 'parzen';
  const defined = definedOptions(rest);
  const settings: TpeSettings = {
    ...TPE_PROFILES[profile],
    pruned: 'rank',
    explain: true,
    explainGrid: 101,
    ...defined,
    profile,
    explore: profileExplore(TPE_PROFILES[profile].explore, defined),
  };
  if (settings.grouping !== 'independent' && !DENSITY_FAMILIES[settings.kernel].joint)
    throw invalidOptions([
      {
        pointer: '/grouping',
        // The profile's kernel when none is given: `profile: "hyperopt"` with `grouping: "joint"` was told
        // of a kernel it never wrote.
        expected:
          defined.kernel === undefined
            ? `"independent" with profile "${profile}", whose kernel "${settings.kernel}" models one parameter at a time; for "${settings.grouping}", give kernel "optuna" too, or another profile`
            : `"independent" with kernel "${settings.kernel}" (it models one parameter at a time), or kernel "optuna"`,
        found: JSON.stringify(settings.grouping),
      },
    ]);
  return settings;
};
