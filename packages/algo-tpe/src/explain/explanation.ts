import type { ChoiceLiteral } from '@parzen/engine';
import type { DistributionKind } from '@parzen/engine/plugin';
import type { ComponentsDescription } from '../estimator/density.js';
import type { ConstantLiar, StartupSuggesterName, TpeExplore, TpeProfile, TpeSplitRule } from '../options.js';

/** Values and their log l, log g (−∞ serialises as null in JSON). */
export interface DensityCurve {
  /** The values, internal (an option's index for a choice). */
  readonly x: readonly number[];
  /** log l(x) at each value: the density of the below (good) trials. */
  readonly logL: readonly number[];
  /** log g(x) at each value: the density of the above trials. */
  readonly logG: readonly number[];
  /**
   * log P(a trial there finishes), part of the score, when trials with this parameter failed under
   * `failed: "avoid"`: the score is then log l − w · log g + this.
   */
  readonly logFinishing?: readonly number[];
}

/** One choice and option on the way to a branch's parameter (an entry of `given` and `trialsGiven`). */
export interface BranchCondition {
  /** The choice's name. */
  readonly name: string;
  /** The index of the option taken among the choice's options. */
  readonly index: number;
  /** That option's value. */
  readonly value: ChoiceLiteral;
}

/**
 * How TPE decided one parameter: enough to draw l (green), g (red), the score log l − w · log g (black; w
 * is the explanation's `aboveWeight`; plus `logFinishing` where failures count) and the pick.
 */
export interface ParamExplanation {
  /** The parameter's name. */
  readonly name: string;
  /** Its distribution's kind (`uniform`, `loguniform`, `categorical`, ...). */
  readonly kind: DistributionKind;
  /**
   * A choice's option values, by index (the values, not only their indices): its `grid.x`, `candidates.x`
   * and `winner.value` are indices into this list.
   */
  readonly options?: readonly ChoiceLiteral[];
  /**
   * Set when the parameter was decided jointly with others (`grouping` joint or groups): the group's
   * names. Then l and g are the marginals of the joint estimators in this parameter, and the candidates'
   * log l, log g and scores are the joint ones that decided.
   */
  readonly group?: readonly string[];
  /** Trial numbers whose values built l(x) and g(x) (only trials where the parameter was active). */
  readonly below: readonly number[];
  /** Trial numbers whose values built g(x): the above trials where the parameter was active. */
  readonly above: readonly number[];
  /** l(x), the density of the below (good) trials, as its kernels. */
  readonly l: ComponentsDescription;
  /** g(x), the density of the above trials, as its kernels. */
  readonly g: ComponentsDescription;
  /** log l and log g over a grid of the parameter's range (all options for categorical ones). */
  readonly grid: DensityCurve;
  /** The candidates drawn from l(x), with their log l, log g and scores. */
  readonly candidates: DensityCurve & {
    /** Each candidate's score, log l − w · log g (plus `logFinishing` where failures count): the highest wins. */
    readonly score: readonly number[];
  };
  /** w in the score log l − w · log g of this decision (`discreteAboveWeight` when it is over choices and integers only). */
  readonly aboveWeight: number;
  /** The candidate chosen: the best-scoring one (with `avoidRepeats`, the best that repeats no tried trial). */
  readonly winner: {
    /** Its index in `candidates`. */
    readonly index: number;
    /** Its value, internal (an option's index for a choice). */
    readonly value: number;
    /** Its score. */
    readonly score: number;
    /**
     * The kernel of l(x) with the largest share of l(x) at the chosen value (of the group's joint l, for a joint
     * decision, in its own frame when turned): a below trial's (`trial`, its number) or the prior's (`trial:
     * null`), and that share (0 to 1). Below trials with the same kernel (at one option or integer) are one kernel:
     * `trials` lists them, `trial` is the first. Absent where l(x) is 0 at the chosen value.
     */
    readonly kernel?: {
      /** The below trial the kernel comes from (the first, when several share it); null: the prior's. */
      readonly trial: number | null;
      /** Its share of l(x) at the chosen value, 0 to 1. */
      readonly share: number;
      /** Every below trial with that same kernel (null for the prior), when more than one. */
      readonly trials?: readonly (number | null)[];
    };
  };
  /**
   * With `avoidRepeats`: how many candidates were passed over because they would have repeated a finished
   * or running trial exactly (every candidate of the batches drawn before the winner's, and those of the
   * winner's batch that scored higher; the candidates listed are the winner's batch). Absent when none was.
   */
  readonly skippedRepeats?: number;
  /** With `avoidRepeats`: every candidate drawn would have repeated a tried trial, so the chosen value does. */
  readonly repeated?: true;
  /**
   * For a parameter of a branch (active under some option of a choice): the branch it was decided in, the choices
   * and options the walk took to reach it, outermost first (`[{ name: "model", index: 2, value: "mlp" }, { name:
   * "optimizer", index: 0, value: "adam" }]`; `index` is the option's, `value` the option's value). Absent for a
   * top-level parameter.
   */
  readonly given?: readonly BranchCondition[];
  /**
   * Set with `given`: its innermost conditions that every trial of `below` and `above` meets. All of `given` when
   * those are the trials of that branch (among the good ones and the others); fewer (or none) when a name on the
   * way is one several branches share, so the trials of its other branches count too (`given` model = "mlp",
   * optimizer = "sgd", and `trialsGiven` optimizer = "sgd" alone: the trials of any model that took "sgd").
   */
  readonly trialsGiven?: readonly BranchCondition[];
}

/** The explanation of one suggestion, handed to `context.explain` (a `suggestion.explained` event). */
export interface TpeExplanation {
  /** Always `tpe`: tells TPE's explanations from other suggesters' (see {@link isTpeExplanation}). */
  readonly suggester: 'tpe';
  /** The settings profile the suggester runs (the `profile` option). */
  readonly profile: TpeProfile;
  /** The number of the trial suggested. */
  readonly trialNumber: number;
  /** `startup`: drawn by the start-up suggester; `model`: by TPE. */
  readonly phase: 'startup' | 'model';
  /** In the start-up phase: the start-up suggester that draws the trial (the `startup` setting). */
  readonly startup?: StartupSuggesterName;
  /**
   * Observed trials: what γ counts (running trials too, under the counted lies). The start-up phase counts
   * `finished` instead.
   */
  readonly observed: number;
  /**
   * The trials start-up counts: the finished observed ones (never running ones) and, under
   * `failed: "avoid"`, the failed ones too (so a study whose trials all fail leaves start-up as any other).
   */
  readonly finished: number;
  /**
   * Under `failed: "avoid"`: the trials that failed at their params, which start-up counts; they are not in
   * `observed`. Those among the latest trials the failure model reads steer decisions away from where trials
   * fail (the `logFinishing` term). Absent when none.
   */
  readonly failures?: number;
  /** The `startupTrials` setting: the start-up phase lasts until `finished` reaches it. */
  readonly startupTrials: number;
  /** The trials running while this one was suggested, by number; absent when none was. */
  readonly running?: readonly number[];
  /**
   * Set with `running`: what the running trials counted as, the `constantLiar` setting (`worst`: in g(x) only, not
   * in `observed`; `infinite`: loss +∞, ranked after every complete and pruned trial, in `observed`; `mean`, `best`
   * or a number: that loss, ranked by loss among the complete trials and ahead of the pruned ones (under
   * `pruned: "impute"`, those with an estimated loss are ranked among them by it), in `observed`; `mean` and
   * `best` with no complete trial: +∞; `false`: left out).
   */
  readonly constantLiar?: ConstantLiar;
  /** `aboveWeight`: w in the score log l − w · log g of decisions with a continuous parameter (1 = the ratio l/g). */
  readonly aboveWeight: number;
  /**
   * γ of the split this trial was decided with (the `explore` one while it lasts): `nBelow` is
   * min(⌈γ·n⌉, maxBelow) under the `linear` split rule and min(⌈γ·√n⌉, maxBelow) under `sqrt`, n being `observed`.
   */
  readonly gamma: number;
  /** The split rule `nBelow` comes from: `linear` (γ·n, Optuna's) or `sqrt` (γ·√n, hyperopt's). */
  readonly split: TpeSplitRule;
  /**
   * Set when the trial was decided with the `explore` settings: those settings as the study has them, `trials` (the
   * number of the first trial decided without them) and the values among γ, `aboveWeight` and `belowBandwidth` that
   * they replace for the trial (a value they do not give is the study's own).
   */
  readonly explore?: TpeExplore;
  /**
   * The global split: the below set's size by γ, and the trial numbers in it (empty during start-up;
   * fewer than `nBelow`, or none, when `ties: "above"` left a plateau out: l(x) is then the prior's alone).
   */
  readonly nBelow: number;
  /** The trial numbers in the below set (see `nBelow`), the good trials l(x) is built from. */
  readonly below: readonly number[];
  /** Parameters decided jointly (`grouping: "joint"`, multivariate TPE); their entries carry `group`. */
  readonly joint?: readonly string[];
  /**
   * Groups of parameters each decided jointly (`grouping: "groups"`, or `"joint"` when `maxGroupSize` split
   * its group into blocks); their entries carry `group`. After the study's groups, those this trial's walk
   * decided: the parameters of a branch taken whose parameter name another branch shares.
   */
  readonly groups?: readonly (readonly string[])[];
  /**
   * One entry per parameter TPE decided, in the order decided: the engine's walk, a choice before the parameters
   * its option makes active, a group's members together where the walk reached the group (empty during start-up).
   */
  readonly params: readonly ParamExplanation[];
}

/**
 * Whether a `suggestion.explained` event's `explanation` (typed `unknown`: any suggester may explain) is
 * TPE's, so it can be read without a cast:
 * `if (event.type === 'suggestion.explained' && isTpeExplanation(event.explanation)) event.explanation.phase`.
 */
export const isTpeExplanation = (explanation: unknown): explanation is TpeExplanation =>
  typeof explanation === 'object' &&
  explanation !== null &&
  (explanation as { suggester?: unknown }).suggester === 'tpe' &&
  Array.isArray((explanation as { params?: unknown }).params);
