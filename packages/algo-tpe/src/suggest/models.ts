import type { Distribution, ParamNode } from '@parzen/engine/plugin';
import { AboveKdeCache } from '../estimator/backends/above-kde-cache.js';
import { hermiteAboveDensity } from '../estimator/backends/hermite-above.js';
import { IncrementalAbove } from '../estimator/backends/incremental-above.js';
import { buildDensity, type Density, type ObservationSet } from '../estimator/density.js';
import type { Encoding } from '../estimator/encoding.js';
import { DENSITY_FAMILIES } from '../estimator/families.js';
import {
  type BuildCache,
  createBuildCache,
  type DensityFamily,
  type FamilySettings,
  type ObservationColumn,
} from '../estimator/family.js';
import { framedDensity, principalFrame } from '../estimator/frame.js';
import type { HistorySplit } from '../history/history-split.js';
import { KeptAboveSet } from '../history/kept-above-set.js';
import { belowObservations, paramObservations } from '../history/observations.js';
import type { ParamColumn } from '../history/param-column.js';
import type { TrialHistory } from '../history/trial-history.js';
import type { TpeSettings } from '../options.js';
import type { FailureModel } from './failures.js';

/** What a model needs of a parameter. */
export type ModelParam = Pick<ParamNode, 'name' | 'distribution' | 'optionValues'>;

/** l and g of one group of parameters (one parameter for univariate TPE). */
export interface Model {
  /** The parameters decided, in the order of the densities' dimensions. */
  readonly params: readonly ModelParam[];
  /** How each parameter's internal values map to the densities' model space, one per parameter. */
  readonly encodings: readonly Encoding[];
  /** l(x), from the below (good) trials. */
  readonly below: Density;
  /** g(x), from the above (other) trials. */
  readonly above: Density;
  /** w in the score log l − w · log g (the `aboveWeight` setting). */
  readonly aboveWeight: number;
  /** Where trials failed (`failed: "avoid"`): the score gains log P(a trial there finishes). */
  readonly failures?: FailureModel;
}

/** The caches of the incremental backends, keyed by history column (a new column after a history reset). */
export interface ModelCaches {
  /** Univariate g(x): the Hermite cache of each parameter's column. */
  readonly hermite: WeakMap<object, AboveKdeCache>;
  /** Joint g(x): per first member's column, the cache of each group (by its names). */
  readonly joint: WeakMap<object, Map<string, IncrementalAbove>>;
  /** Univariate l(x): per parameter's column, the density of the last below observations it was built from. */
  readonly below: WeakMap<object, KeptBelow>;
  /** Joint l(x): per first member's column, the density of each group (by its names) and what it was built from. */
  readonly groupBelow: WeakMap<object, Map<string, KeptGroupBelow>>;
  /** Univariate g(x) built per decision: per parameter's column, its above set followed as trials finish. */
  readonly aboveSets: WeakMap<object, KeptAboveSet>;
  /** What the density family keeps from one estimator it builds to the next (Optuna's arrival layouts). */
  readonly build: BuildCache;
}

/** A joint l(x) and what it was built from: it serves every decision of the group whose below columns are these. */
export interface KeptGroupBelow {
  /** The family it was built with. */
  readonly family: DensityFamily;
  /** The parameters' encodings under that family. */
  readonly encodings: readonly Encoding[];
  /** The family settings of l(x); one object per TPE settings object, whose `frame` it was built with. */
  readonly settings: FamilySettings;
  /** The below columns it was built from, one per parameter. */
  readonly columns: readonly ObservationSet[];
  /** The density. */
  readonly density: Density;
}

/** A univariate l(x) and what it was built from: it serves every decision whose below observations are these. */
export interface KeptBelow {
  /** The family it was built with. */
  readonly family: DensityFamily;
  /** The parameter's encoding under that family. */
  readonly encoding: Encoding;
  /** The family settings of l(x) (the profile's, its widths scaled by `belowBandwidth`). */
  readonly settings: FamilySettings;
  /** The below observations it was built from. */
  readonly observations: ObservationSet;
  /** The density. */
  readonly density: Density;
}

/** Empty caches. */
export const createModelCaches = (): ModelCaches => ({
  hermite: new WeakMap(),
  joint: new WeakMap(),
  below: new WeakMap(),
  groupBelow: new WeakMap(),
  aboveSets: new WeakMap(),
  build: createBuildCache(),
});

/** Whether two observation sets hold the same trials with the same values, in the same order. */
const sameObservations = (a: ObservationSet, b: ObservationSet): boolean => {
  const n = a.values.length;
  if (b.values.length !== n || a.numbers.length !== b.numbers.length) return false;
  for (let i = 0; i < n; i++) if (a.values[i] !== b.values[i]) return false;
  for (let i = 0; i < a.numbers.length; i++) if (a.numbers[i] !== b.numbers[i]) return false;
  return true;
};

/** The configured density family. */
export const familyOf = (settings: Pick<TpeSettings, 'kernel'>): DensityFamily => DENSITY_FAMILIES[settings.kernel];

const encodingCache = new WeakMap<DensityFamily, WeakMap<Distribution, Encoding>>();
const modelledForms = new WeakMap<Distribution, Distribution>();

/** The form TPE models `distribution` in, built once per distribution object. */
const modelledForm = (distribution: Distribution, make: () => Distribution): Distribution => {
  let form = modelledForms.get(distribution);
  if (form === undefined) {
    form = make();
    modelledForms.set(distribution, form);
  }
  return form;
};

/**
 * The most integers a `randint` is modelled unordered with: one option per integer past this is memory and
 * time (a `randint` 0..2^53 would fail with "Invalid typed array length", 0..1e8 would stall for minutes)
 * with nothing to learn from a study's few hundred trials about that many unrelated options.
 */
export const MAX_UNORDERED_RANDINT = 10_000;

/**
 * A distribution as TPE models it: a `randint` under `randint: "ordered"`, or with more than
 * {@link MAX_UNORDERED_RANDINT} integers, as the same integers of a `uniformint`; an integer of one value as a
 * `randint` of that value, one option whatever the settings (review 95: as a numeric range of width 0, the
 * hyperopt kernels scored it NaN, and explanations and reports showed NaN).
 */
const modelled = (distribution: Distribution, randint: TpeSettings['randint']): Distribution => {
  if (distribution.kind === 'uniformint' && distribution.high === distribution.low) {
    const { low } = distribution;
    return modelledForm(distribution, () => ({ kind: 'randint', low, high: low + 1 }));
  }
  if (distribution.kind !== 'randint') return distribution;
  if (distribution.high - distribution.low === 1) return distribution;
  if (randint !== 'ordered' && distribution.high - distribution.low <= MAX_UNORDERED_RANDINT) return distribution;
  const { low, high } = distribution;
  return modelledForm(distribution, () => ({ kind: 'uniformint', low, high: high - 1 }));
};

/**
 * A family's encoding of a distribution, built once per distribution object; a `randint` is encoded as
 * unordered options or, with `randint: "ordered"`, as the integers of a `uniformint` (see the option).
 */
export const encodingOf = (
  family: DensityFamily,
  given: Distribution,
  settings: Pick<TpeSettings, 'randint'> = { randint: 'unordered' },
): Encoding => {
  const distribution = modelled(given, settings.randint);
  let byDistribution = encodingCache.get(family);
  if (byDistribution === undefined) {
    byDistribution = new WeakMap();
    encodingCache.set(family, byDistribution);
  }
  let encoding = byDistribution.get(distribution);
  if (encoding === undefined) {
    encoding = family.encode(distribution);
    byDistribution.set(distribution, encoding);
  }
  return encoding;
};

/**
 * w in log l − w · log g for a decision over these encodings: `discreteAboveWeight` when every parameter
 * is a choice or an integer (categorical encodings), else `aboveWeight`.
 */
export const aboveWeightFor = (encodings: readonly Encoding[], settings: TpeSettings): number =>
  encodings.every((encoding) => encoding.kind === 'categorical') ? settings.discreteAboveWeight : settings.aboveWeight;

const belowSettingsOf = new WeakMap<TpeSettings, FamilySettings>();

/**
 * The family settings l(x) is built with: the profile's, its kernels' widths scaled by `belowBandwidth`
 * (made once per settings object: a copy of every setting per decision showed in profiles).
 */
const belowSettings = (settings: TpeSettings): FamilySettings => {
  let below = belowSettingsOf.get(settings);
  if (below === undefined) {
    below = { ...settings, bandwidthScale: settings.belowBandwidth };
    belowSettingsOf.set(settings, below);
  }
  return below;
};

/** l and g of one parameter from its below and above observations. */
export const buildParamModel = (
  param: ModelParam,
  below: ObservationColumn,
  above: ObservationColumn,
  settings: TpeSettings,
): Model => {
  const family = familyOf(settings);
  const encodings = [encodingOf(family, param.distribution, settings)];
  return {
    params: [param],
    encodings,
    below: buildDensity(family, encodings, [below], belowSettings(settings)),
    above: buildDensity(family, encodings, [above], settings),
    aboveWeight: aboveWeightFor(encodings, settings),
  };
};

/**
 * g(x) of one parameter from the incremental Hermite cache, when its capability fits: uniform weights or
 * linear forgetting, a continuous parameter; Optuna's family with a positive bandwidth floor, or
 * hyperopt's for a uniform or log-uniform parameter (its observations stay inside the bounds). Undefined
 * otherwise (and when the cache cannot serve this split).
 */
export const hermiteAbove = (
  history: TrialHistory,
  split: HistorySplit,
  param: ParamNode,
  settings: TpeSettings,
  caches: ModelCaches,
  below: ObservationSet = belowObservations(history, split, param.name),
): Density | undefined => {
  const family = familyOf(settings);
  if (!family.kernels.incremental(settings)) return undefined;
  // A mixture cut as a whole (hyperopt's) is followed only where every observation is inside the bounds.
  const { kind } = param.distribution;
  if (!family.kernels.truncated && kind !== 'uniform' && kind !== 'loguniform') return undefined;
  const encoding = encodingOf(family, param.distribution, settings);
  if (encoding.kind !== 'numeric' || encoding.binned) return undefined;
  const column = history.column(param.name);
  let cache = caches.hermite.get(column);
  if (cache === undefined) {
    // The smallest width the clip allows once n is large (tpe-spec 3.4, 4.4): almost every kernel's.
    const h = family.kernels.minimumWidth(encoding, Number.POSITIVE_INFINITY, settings);
    cache = new AboveKdeCache(encoding, h, settings.forgetting, family.kernels);
    caches.hermite.set(column, cache);
  }
  cache.follow(column);
  const added: { number: number; value: number }[] = [];
  for (const trial of split.extras) {
    const value = trial.internal[param.name];
    if (value !== undefined) added.push({ number: trial.number, value });
  }
  const removed: { number: number; value: number }[] = [];
  for (let i = 0; i < below.numbers.length; i++) {
    const number = below.numbers[i] as number;
    if (history.inColumns(number)) removed.push({ number, value: below.values[i] as number });
  }
  const changes = {
    removed,
    added,
    priorWeight: settings.priorWeight,
    forgetting: settings.forgetting,
    minSigma: (n: number) => family.kernels.minimumWidth(encoding, n, settings),
  };
  // The exact density of this history, built when first asked: refused once the history has changed
  // (trials folded into the column, or the column rebuilt), as it would then be another history's.
  const folded = column.insertedNumbers.length;
  const slow = () => {
    if (history.columns.get(param.name) !== column || column.insertedNumbers.length !== folded)
      throw new Error(`TPE internal error: g(x) of ${param.name} used after the history it was made from changed`);
    return buildDensity(
      family,
      [encoding],
      [paramObservations(history, split, param.name).above],
      settings,
      caches.build,
    );
  };
  return hermiteAboveDensity(cache, changes, slow);
};

/**
 * l(x) of one parameter from its below observations: the density built for the last decision of this column
 * when its below observations were the same trials with the same values (and the same family, encoding and
 * settings), else built here and kept. The below set changes only when a trial enters it, so most decisions
 * reuse the estimator, its backend and the truncation normalisers it filled; a kept density is the one
 * `buildDensity` gives for these observations (models.test.ts).
 */
export const keptBelowDensity = (
  caches: ModelCaches,
  column: ParamColumn,
  family: DensityFamily,
  encodings: readonly [Encoding],
  observations: ObservationSet,
  settings: TpeSettings,
): Density => {
  const familySettings = belowSettings(settings);
  const [encoding] = encodings;
  const kept = caches.below.get(column);
  if (
    kept !== undefined &&
    kept.family === family &&
    kept.encoding === encoding &&
    kept.settings === familySettings &&
    sameObservations(kept.observations, observations)
  )
    return kept.density;
  const density = buildDensity(family, encodings, [observations], familySettings, caches.build);
  caches.below.set(column, { family, encoding, settings: familySettings, observations, density });
  return density;
};

/**
 * l and g of one parameter for one suggestion: g from the incremental cache when possible, else both
 * built from the split observations (always so when the observations are wanted, for explaining).
 */
export const paramModel = (
  history: TrialHistory,
  split: HistorySplit,
  param: ParamNode,
  settings: TpeSettings,
  caches: ModelCaches,
): Model => {
  const belowSet = belowObservations(history, split, param.name);
  const above =
    hermiteAbove(history, split, param, settings, caches, belowSet) ??
    incrementalAbove(
      history,
      split,
      [param],
      [encodingOf(familyOf(settings), param.distribution, settings)],
      settings,
      caches,
    );
  if (above !== undefined) {
    const family = familyOf(settings);
    const encodings: [Encoding] = [encodingOf(family, param.distribution, settings)];
    const below = keptBelowDensity(caches, history.column(param.name), family, encodings, belowSet, settings);
    return { params: [param], encodings, below, above, aboveWeight: aboveWeightFor(encodings, settings) };
  }
  // g(x) built for this decision from the kept above set (a categorical parameter's estimator reads its values in
  // arrival order only: no value order), l(x) kept while the below observations stay the same.
  const family = familyOf(settings);
  const encodings: [Encoding] = [encodingOf(family, param.distribution, settings)];
  const column = history.column(param.name);
  let aboveSet = caches.aboveSets.get(column);
  if (aboveSet === undefined) {
    aboveSet = new KeptAboveSet(column);
    caches.aboveSets.set(column, aboveSet);
  }
  const aboveObservations = aboveSet.read(history, split, param.name, encodings[0].kind !== 'categorical');
  return {
    params: [param],
    encodings,
    below: keptBelowDensity(caches, column, family, encodings, belowSet, settings),
    above: buildDensity(family, encodings, [aboveObservations], settings, caches.build),
    aboveWeight: aboveWeightFor(encodings, settings),
  };
};

/** Columns (one per parameter, arrival order, with their trial numbers) of the trials that have every group parameter. */
export const groupColumns = (
  history: TrialHistory,
  group: readonly ModelParam[],
  numbers: readonly number[],
): ObservationSet[] => {
  // Rebuilt for every decision of a group that is not followed incrementally: flat typed arrays, each
  // parameter's column looked up once (a finished trial's value is read from it directly).
  const sorted = Int32Array.from(numbers).sort();
  const d = group.length;
  const columns = group.map((param) => history.column(param.name));
  const buffer = new Float64Array(sorted.length * d);
  const kept = new Int32Array(sorted.length);
  let count = 0;
  rows: for (const number of sorted) {
    const finished = history.inColumns(number);
    for (let j = 0; j < d; j++) {
      const value = finished
        ? (columns[j] as ParamColumn).valueOf(number)
        : history.valueOf((group[j] as ModelParam).name, number);
      if (value === undefined) continue rows;
      buffer[count * d + j] = value;
    }
    kept[count++] = number;
  }
  const trialNumbers = kept.slice(0, count);
  return group.map((_, j) => {
    // A loop: Float64Array.from with a mapping function was several times slower.
    const values = new Float64Array(count);
    for (let r = 0; r < count; r++) values[r] = buffer[r * d + j] as number;
    return { values, numbers: trialNumbers };
  });
};

/**
 * The branch a decision is confined to: the trials whose choice `parent` took its option `index`. A
 * parameter name that several branches share is decided from the trials of the branch the walk is in, as
 * a name of its own would be; without a scope, from every trial that has the decision's parameters.
 */
export interface BranchScope {
  /** The name of the choice whose option the branch is. */
  readonly parent: string;
  /** The index of the option taken. */
  readonly index: number;
}

/** Whether trial `number` is in `scope` (true for every trial without one). */
export const inScope =
  (history: TrialHistory, scope: BranchScope | undefined) =>
  (number: number): boolean =>
    scope === undefined || history.valueOf(scope.parent, number) === scope.index;

/** Trial numbers of the above set: complete and pruned trials outside the below set, plus the extras. */
export const aboveNumbers = (history: TrialHistory, split: HistorySplit): number[] => {
  const numbers: number[] = [];
  for (const pairs of [history.complete, history.pruned]) {
    const tags = pairs.tags;
    for (let i = 0; i < pairs.size; i++) if (split.isBelow[tags[i] as number] !== 1) numbers.push(tags[i] as number);
  }
  for (const trial of split.extras) numbers.push(trial.number);
  return numbers;
};

/**
 * l and g of a group of parameters decided jointly (multivariate TPE, Optuna 5.0 line): the split over
 * all trials, then each side filtered to the trials that have every group parameter (tpe-spec 4.8). With
 * `frame: "principal"`, l is the same family's estimator built in the principal axes of the below trials
 * ({@link framedDensity}); g keeps the parameters' axes (and its incremental backend).
 */
export const groupModel = (
  history: TrialHistory,
  split: HistorySplit,
  group: readonly ParamNode[],
  settings: TpeSettings,
  caches?: ModelCaches,
  scope?: BranchScope,
): Model => {
  const family = familyOf(settings);
  const encodings = group.map((param) => encodingOf(family, param.distribution, settings));
  // Without a scope (every decision but a shared name's overlapped branch) the trial lists are used as they are.
  const kept = (numbers: readonly number[]) =>
    scope === undefined ? numbers : numbers.filter(inScope(history, scope));
  const slow = () =>
    buildDensity(
      family,
      encodings,
      groupColumns(history, group, kept(aboveNumbers(history, split))),
      settings,
      caches?.build,
    );
  // The incremental g(x) follows every trial that has the group's parameters: not a branch's alone.
  const above =
    caches === undefined || scope !== undefined
      ? undefined
      : incrementalAbove(history, split, group, encodings, settings, caches);
  const belowColumns = groupColumns(history, group, kept(split.below));
  // l(x) in the principal axes of the below trials, when asked and there are two continuous parameters to turn.
  const build = (): Density => {
    const frame = settings.frame === 'principal' ? principalFrame(encodings, belowColumns) : undefined;
    return frame === undefined
      ? buildDensity(family, encodings, belowColumns, belowSettings(settings), caches?.build)
      : framedDensity(family, encodings, belowColumns, belowSettings(settings), frame);
  };
  return {
    params: group,
    encodings,
    // Kept from decision to decision of the group while its below trials stay the same (not a branch's alone).
    below:
      caches === undefined || scope !== undefined
        ? build()
        : keptGroupBelowDensity(caches, history, group, family, encodings, belowColumns, settings, build),
    above: above ?? slow(),
    aboveWeight: aboveWeightFor(encodings, settings),
  };
};

/**
 * Joint l(x) of a group from its below columns: the density built for the group's last decision when its below
 * columns were the same trials with the same values (and the same family, encodings and settings), else built
 * here (`build`) and kept. The below set changes only when a trial enters it, so most decisions reuse the
 * estimator, its frame and backend, and the bin masses the backend keeps; a kept density gives what a fresh
 * one gives for these columns (kept-caches-differential.test.ts, models.test.ts).
 */
const keptGroupBelowDensity = (
  caches: ModelCaches,
  history: TrialHistory,
  group: readonly ParamNode[],
  family: DensityFamily,
  encodings: readonly Encoding[],
  columns: readonly ObservationSet[],
  settings: TpeSettings,
  build: () => Density,
): Density => {
  const first = history.column((group[0] as ParamNode).name);
  let byGroup = caches.groupBelow.get(first);
  if (byGroup === undefined) {
    byGroup = new Map();
    caches.groupBelow.set(first, byGroup);
  }
  const key = group.map((param) => param.name).join('\u0000');
  const familySettings = belowSettings(settings);
  const kept = byGroup.get(key);
  if (
    kept !== undefined &&
    kept.family === family &&
    kept.settings === familySettings &&
    kept.encodings.length === encodings.length &&
    kept.encodings.every((encoding, j) => encoding === encodings[j]) &&
    kept.columns.every((column, j) => sameObservations(column, columns[j] as ObservationSet))
  )
    return kept.density;
  const density = build();
  byGroup.set(key, { family, encodings, settings: familySettings, columns, density });
  return density;
};

/**
 * g(x) of one parameter or a group from the incremental cache when its capability fits: a family that can
 * be followed under these settings (Optuna's needs a positive bandwidth floor); continuous parameters, or
 * a group of two or more whose parameters may also be integers, quantized or choices when the family
 * truncates each kernel (Optuna's bin masses and categorical rows). Undefined otherwise.
 */
export const incrementalAbove = (
  history: TrialHistory,
  split: HistorySplit,
  group: readonly ModelParam[],
  encodings: readonly Encoding[],
  settings: TpeSettings,
  caches: ModelCaches,
): Density | undefined => {
  const family = familyOf(settings);
  if (!family.kernels.incremental(settings)) return undefined;
  const continuous = encodings.every((encoding) => encoding.kind === 'numeric' && !encoding.binned);
  if (!continuous && (group.length < 2 || !family.kernels.truncated)) return undefined;
  const first = history.column((group[0] as ModelParam).name);
  let byGroup = caches.joint.get(first);
  if (byGroup === undefined) {
    byGroup = new Map();
    caches.joint.set(first, byGroup);
  }
  const key = `${settings.kernel}:${group.map((param) => param.name).join('\u0000')}`;
  let cache = byGroup.get(key);
  if (cache === undefined) {
    cache = new IncrementalAbove(
      group.map((param) => param.name),
      encodings,
      settings,
      family.kernels,
    );
    byGroup.set(key, cache);
  }
  cache.follow(history);
  return cache.density(split, split.extras, () =>
    buildDensity(family, encodings, groupColumns(history, group, aboveNumbers(history, split)), settings, caches.build),
  );
};
