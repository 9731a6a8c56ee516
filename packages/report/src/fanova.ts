import { type CompiledSpace, createRng, type Distribution, type Rng } from '@parzen/engine/plugin';
import { isLogScaled } from './charts/common.js';
import { equalImportance, type ImportanceObservation, type ParamImportance } from './importance.js';

/** Settings of {@link fanova}; the forest's defaults are those of Optuna's `FanovaImportanceEvaluator`. */
export interface FanovaOptions {
  /** Trees in the forest. Default 64. */
  readonly trees?: number;
  /** Deepest split of a tree. Default 64. */
  readonly maxDepth?: number;
  /** Seeds the bootstrap samples and the subsample: the same seed gives the same importances. Default 0. */
  readonly seed?: number | string;
  /** At most this many trials fit the forest, drawn by the seed (default {@link fanovaTrialLimit} of the space's parameters). */
  readonly maxTrials?: number;
}

/**
 * The trials {@link fanova} fits at most by default: a larger study is subsampled (seeded), which keeps the
 * importance of a 10,000-trial study of 5 parameters within about a second of CPU (a wider space fits fewer:
 * {@link fanovaTrialLimit}). On the tests' 10,000-trial study of 5
 * parameters, 4,000 trials gave every share within 0.005 of what all of them gave.
 */
export const FANOVA_MAX_TRIALS = 4000;

/**
 * The trials {@link fanova} fits at most by default in a space of `parameters` parameters: {@link FANOVA_MAX_TRIALS}
 * up to 10 parameters, beyond them at most 40,000 trial values (1,000 trials for 40 parameters), never under
 * 1,000 trials. Growing a tree costs about trials × parameters × depth: 4,000 trials of 40 parameters took 3.1 s,
 * 1,000 of them 0.6-0.7 s (bench/results/report-scale.md), at every rebuild of `--serve`'s page.
 */
export const fanovaTrialLimit = (parameters: number): number =>
  Math.max(1000, Math.min(FANOVA_MAX_TRIALS, Math.floor(40_000 / Math.max(parameters, 1))));

/** One column of the forest's input: a parameter's coordinate per trial, and the box fANOVA integrates over. */
interface Column {
  readonly name: string;
  readonly values: Float64Array;
  readonly low: number;
  readonly high: number;
  /** Where the parameter is unset in some trials: the coordinate between those trials and the rest. */
  readonly unsetBelow?: number;
}

/** The declared range of a parameter in its coordinate, or undefined for a normal (no range: the observed one). */
const declaredRange = (distribution: Distribution): { low: number; high: number } | undefined => {
  switch (distribution.kind) {
    case 'uniform':
    case 'quniform':
    // uniformint is hyperopt's quniform(low, high, 1): the ends get half the mass, as [low, high] gives them.
    case 'uniformint':
      return { low: distribution.low, high: distribution.high };
    case 'loguniform':
    case 'qloguniform':
      return { low: Math.log(distribution.low), high: Math.log(distribution.high) };
    // Every integer of [low, high) the same width.
    case 'randint':
      return { low: distribution.low - 0.5, high: distribution.high - 0.5 };
    // Each option a unit cell: the marginal weighs every option the same.
    case 'categorical':
      return { low: -0.5, high: distribution.size - 0.5 };
    default:
      return undefined;
  }
};

/**
 * The least value a log-scaled parameter's coordinate takes. A quantized log kind rounds its draws to k·q, so it
 * can give 0 (`qloguniform(1, 100, 5)`: every draw below 2.5), and log(0) clamped to the least positive double
 * put that value at −744 on a scale where the rest spans 0 to 4.6: its cell took half the box, and the
 * marginal's variance over the box was mostly that cell's. A value below the range is drawn at the range's low
 * end (`qloguniform`), a 0 of `qlognormal` at q/2, below which its draws round to 0.
 */
const logFloor = (distribution: Distribution): number => {
  switch (distribution.kind) {
    case 'loguniform':
    case 'qloguniform':
      return distribution.low;
    case 'qlognormal':
      return distribution.q / 2;
    default:
      return Number.MIN_VALUE;
  }
};

/**
 * A parameter's column, or undefined when it cannot vary (one value, or never set). Numbers are in the
 * report's coordinates (log for log-scaled parameters); a choice is one ordinal column of option indices,
 * not Optuna's one-hot columns, whose joint marginal also weighs combinations no trial can have (no option, or
 * two): here each option is an equal share, and a tree still isolates any option in at most two splits.
 * A trial that does not set the parameter (its branch was not chosen) gets a value below the range, in a
 * cell whose width is the share of such trials, so a tree can split them off and the marginal weighs
 * "not set" as often as it happened.
 */
const columnOf = (
  name: string,
  distribution: Distribution,
  observations: readonly ImportanceObservation[],
): Column | undefined => {
  const log = isLogScaled(distribution);
  const floor = logFloor(distribution);
  const coordinate = (v: number) => (log ? Math.log(Math.max(v, floor)) : v);
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  let unset = 0;
  const values = new Float64Array(observations.length);
  observations.forEach((o, i) => {
    const v = o.params[name];
    if (v === undefined) {
      unset++;
      values[i] = Number.NaN;
      return;
    }
    const c = coordinate(v);
    values[i] = c;
    if (c < low) low = c;
    if (c > high) high = c;
  });
  if (unset === observations.length) return undefined;
  // Stored values outside the declared range (a space edited since) stay inside the box.
  const declared = declaredRange(distribution);
  if (declared !== undefined) {
    low = Math.min(low, declared.low);
    high = Math.max(high, declared.high);
  }
  if (!(high > low)) return undefined;
  if (unset === 0) return { name, values, low, high };
  const share = unset / observations.length;
  const width = ((high - low) * share) / (1 - share);
  const outside = low - width / 2;
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) values[i] = outside;
  return { name, values, low: low - width, high, unsetBelow: low };
};

/** A fitted tree as fANOVA needs it: its leaves' values and boxes (leaf-major, `columns` numbers each), its splits. */
interface Tree {
  readonly values: number[];
  readonly lows: number[];
  readonly highs: number[];
  /** The thresholds it splits each column at. */
  readonly splits: Set<number>[];
}

/**
 * A CART regression tree (squared-error splits at midpoints, grown until a node is pure, holds one distinct
 * trial, or reaches `maxDepth`) on a bootstrap sample, as scikit-learn's `RandomForestRegressor` grows
 * Optuna's: every column considered at every split, and a node that can split takes its best split even when
 * no split improves the fit (scikit-learn's best splitter starts from no split at all, and its tree builder
 * only stops a node for an improvement below `min_impurity_decrease`, 0). `sorted[f]` lists all rows by
 * column f, so each node keeps its rows sorted by every column and a split costs one pass instead of a sort.
 * Exported for its tests.
 */
export const growTree = (
  columns: readonly Column[],
  losses: Float64Array,
  sorted: readonly Int32Array[],
  rng: Rng,
  maxDepth: number,
): Tree => {
  const n = losses.length;
  const d = columns.length;
  const counts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = Math.floor(rng.next() * n);
    counts[row] = (counts[row] as number) + 1;
  }
  // Each column's rows in the bootstrap, sorted by that column; a node owns one segment of each.
  const order = sorted.map((all) => all.filter((row) => (counts[row] as number) > 0));
  const m = order[0]?.length ?? 0;
  const scratch = new Int32Array(m);
  const left = new Uint8Array(n);
  const columnOrder = Array.from({ length: d }, (_, f) => f);
  const tree: Tree = { values: [], lows: [], highs: [], splits: columns.map(() => new Set<number>()) };
  const stack: { start: number; end: number; depth: number; lows: number[]; highs: number[] }[] = [
    { start: 0, end: m, depth: 0, lows: columns.map((c) => c.low), highs: columns.map((c) => c.high) },
  ];
  const first = order[0] as Int32Array;
  while (stack.length > 0) {
    const node = stack.pop() as (typeof stack)[number];
    const { start, end } = node;
    let weight = 0;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = start; i < end; i++) {
      const row = first[i] as number;
      const c = counts[row] as number;
      const y = losses[row] as number;
      weight += c;
      sum += c * y;
      if (y < min) min = y;
      if (y > max) max = y;
    }
    let bestColumn = -1;
    let bestThreshold = 0;
    // No split yet: the first candidate is taken whatever its gain. Where no split changes the mean of either
    // side (an XOR's balanced quarters), stopping would leave an interaction that the next splits resolve.
    let bestGain = Number.NEGATIVE_INFINITY;
    let bestSeparatesUnset = false;
    if (end - start >= 2 && node.depth < maxDepth && max > min) {
      // The columns in a random order, the first best split kept: columns that separate the node's trials
      // equally well (common where a few trials stand apart in every column) each win in some trees, as in
      // scikit-learn. A fixed order would give such splits, and their importance, to the first column.
      for (let i = d - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        [columnOrder[i], columnOrder[j]] = [columnOrder[j] as number, columnOrder[i] as number];
      }
      for (const f of columnOrder) {
        const rows = order[f] as Int32Array;
        const column = columns[f] as Column;
        const x = column.values;
        let wl = 0;
        let sl = 0;
        for (let i = start; i < end - 1; i++) {
          const row = rows[i] as number;
          const c = counts[row] as number;
          wl += c;
          sl += c * (losses[row] as number);
          const here = x[row] as number;
          const next = x[rows[i + 1] as number] as number;
          if (!(next > here)) continue;
          const sr = sum - sl;
          // Maximising Σ s²/w over the two sides minimises their squared error; a relative margin keeps the
          // first of splits that tie up to rounding (relative to the best Σ s²/w so far, at least the node's, which
          // holds its mean's square: hence the standardized losses, which keep that mean within the losses' spread).
          const gain = (sl * sl) / wl + (sr * sr) / (weight - wl);
          // Splitting a branch parameter's unset trials from the rest says which branch a trial took: the
          // choice's split. On a tie the choice's own split (or any other) is kept, so the branch parameter
          // is not credited with its choice's effect.
          const separatesUnset = here < (column.unsetBelow ?? Number.NEGATIVE_INFINITY);
          const tie = bestColumn >= 0 && Math.abs(gain - bestGain) <= 1e-12 * Math.abs(bestGain);
          if (
            bestColumn < 0 ||
            gain > bestGain + 1e-12 * Math.abs(bestGain) ||
            (tie && bestSeparatesUnset && !separatesUnset)
          ) {
            bestGain = gain;
            bestColumn = f;
            bestSeparatesUnset = separatesUnset;
            const mid = (here + next) / 2;
            bestThreshold = mid >= next ? here : mid;
          }
        }
      }
    }
    if (bestColumn < 0) {
      tree.values.push(sum / weight);
      tree.lows.push(...node.lows);
      tree.highs.push(...node.highs);
      continue;
    }
    (tree.splits[bestColumn] as Set<number>).add(bestThreshold);
    const x = (columns[bestColumn] as Column).values;
    let nLeft = 0;
    for (let i = start; i < end; i++) {
      const row = first[i] as number;
      const goes = (x[row] as number) <= bestThreshold ? 1 : 0;
      left[row] = goes;
      nLeft += goes;
    }
    // A stable partition keeps both halves sorted by every column.
    for (const rows of order) {
      let l = start;
      let r = 0;
      for (let i = start; i < end; i++) {
        const row = rows[i] as number;
        if (left[row] === 1) rows[l++] = row;
        else scratch[r++] = row;
      }
      rows.set(scratch.subarray(0, r), l);
    }
    const leftHighs = [...node.highs];
    leftHighs[bestColumn] = bestThreshold;
    const rightLows = [...node.lows];
    rightLows[bestColumn] = bestThreshold;
    stack.push(
      { start, end: start + nLeft, depth: node.depth + 1, lows: node.lows, highs: leftHighs },
      { start: start + nLeft, end, depth: node.depth + 1, lows: rightLows, highs: node.highs },
    );
  }
  return tree;
};

/**
 * The variance of each column's marginal over a tree's partition, as fractions of the tree's variance (all
 * under the uniform measure of the box), or undefined when the tree is constant. The marginal of column f
 * at x is the mean over the other columns of the tree at x: each leaf adds its value times its share of the
 * other columns to the cells of f it covers, and the cells are those between f's split points.
 */
const treeFractions = (tree: Tree, columns: readonly Column[]): Float64Array | undefined => {
  const d = columns.length;
  const leaves = tree.values.length;
  // Each leaf's share of the box along each column, and its volume.
  const shares = new Float64Array(leaves * d);
  const volumes = new Float64Array(leaves);
  let mean = 0;
  for (let l = 0; l < leaves; l++) {
    let volume = 1;
    for (let f = 0; f < d; f++) {
      const column = columns[f] as Column;
      const share = ((tree.highs[l * d + f] as number) - (tree.lows[l * d + f] as number)) / (column.high - column.low);
      shares[l * d + f] = share;
      volume *= share;
    }
    volumes[l] = volume;
    mean += volume * (tree.values[l] as number);
  }
  let total = 0;
  for (let l = 0; l < leaves; l++) total += (volumes[l] as number) * ((tree.values[l] as number) - mean) ** 2;
  if (!(total > 0)) return undefined;
  const fractions = new Float64Array(d);
  for (let f = 0; f < d; f++) {
    const column = columns[f] as Column;
    const edges = [column.low, ...[...(tree.splits[f] as Set<number>)].sort((a, b) => a - b), column.high];
    if (edges.length === 2) continue; // never split on: a flat marginal
    const index = new Map(edges.map((edge, i) => [edge, i]));
    const added = new Float64Array(edges.length);
    for (let l = 0; l < leaves; l++) {
      // The leaf's share of the other columns (a product without column f, not a division by a share).
      let other = 1;
      for (let g = 0; g < d; g++) if (g !== f) other *= shares[l * d + g] as number;
      const contribution = (tree.values[l] as number) * other;
      const from = index.get(tree.lows[l * d + f] as number) as number;
      const to = index.get(tree.highs[l * d + f] as number) as number;
      added[from] = (added[from] as number) + contribution;
      added[to] = (added[to] as number) - contribution;
    }
    let marginal = 0;
    let marginalMean = 0;
    const cells = new Float64Array(edges.length - 1);
    for (let k = 0; k < cells.length; k++) {
      marginal += added[k] as number;
      cells[k] = marginal;
      marginalMean += (marginal * ((edges[k + 1] as number) - (edges[k] as number))) / (column.high - column.low);
    }
    let variance = 0;
    for (let k = 0; k < cells.length; k++)
      variance +=
        (((edges[k + 1] as number) - (edges[k] as number)) / (column.high - column.low)) *
        ((cells[k] as number) - marginalMean) ** 2;
    fractions[f] = variance / total;
  }
  return fractions;
};

/**
 * The losses shifted and scaled to a spread of about 1 around 0 (importances are shares of variance, the same for
 * any such change). The splits compare Σ s²/w, which holds the square of the losses' level: with raw losses a
 * loss of 1e7 + x (varying by less than a millionth of its level, inside the ties' margin) never split, nor did
 * losses of 1e200 (overflow) or 1e-200 (underflow), and none of them had an importance.
 */
const standardized = (losses: readonly number[]): Float64Array => {
  const values = Float64Array.from(losses);
  let largest = 0;
  for (const v of values) largest = Math.max(largest, Math.abs(v));
  if (!(largest > 0)) return values;
  let mean = 0;
  for (let i = 0; i < values.length; i++) {
    values[i] = (values[i] as number) / largest;
    mean += values[i] as number;
  }
  mean /= values.length;
  let spread = 0;
  for (let i = 0; i < values.length; i++) {
    values[i] = (values[i] as number) - mean;
    spread = Math.max(spread, Math.abs(values[i] as number));
  }
  if (spread > 0) for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) / spread;
  return values;
};

/** The first `count` of a seeded shuffle of 0..n−1, in order (all of them when n ≤ count). */
const subsample = (n: number, count: number, rng: Rng): number[] => {
  const indices = Array.from({ length: n }, (_, i) => i);
  if (n <= count) return indices;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rng.next() * (n - i));
    [indices[i], indices[j]] = [indices[j] as number, indices[i] as number];
  }
  return indices.slice(0, count).sort((a, b) => a - b);
};

/**
 * fANOVA (Hutter, Hoos & Leyton-Brown 2014), as Optuna's default `FanovaImportanceEvaluator`: a random forest
 * predicts the loss from the params; in each tree, a parameter's importance is the variance of its marginal
 * (the tree's prediction averaged over all other parameters, uniformly over the space) as a share of the
 * tree's variance; shares are averaged over the trees and normalised to sum to 1, largest first. Unlike
 * PED-ANOVA it asks how the loss varies with a parameter across the space, not how narrowly the best trials
 * sit, so a sampler concentrating an unused parameter does not make it important. It is only as good as the
 * forest: where the study never went, the trees extrapolate, and interactions are not counted for either
 * parameter. Numbers are on the report's scale (log for log-scaled parameters, as the original fANOVA's
 * configuration spaces; Optuna's evaluator measures them on their values, `transform_log=False`); a choice is one column of
 * option indices, each option an equal share. A parameter that never varies has importance 0.
 * Undefined when nothing can be measured: fewer than 3 trials, or a loss every tree finds constant.
 */
export const measuredFanova = (
  space: CompiledSpace,
  observations: readonly ImportanceObservation[],
  options: FanovaOptions = {},
): ParamImportance[] | undefined => {
  if (space.params.length === 0) return [];
  const rng = createRng(`fanova:${options.seed ?? 0}`);
  const finite = observations.filter((o) => Number.isFinite(o.loss));
  const kept = subsample(finite.length, options.maxTrials ?? fanovaTrialLimit(space.params.length), rng).map(
    (i) => finite[i],
  );
  const trials = kept as ImportanceObservation[];
  // Two trials make a forest of one split whatever the loss does (PED-ANOVA's minimum too).
  if (trials.length < 3) return undefined;
  const columns = space.params.flatMap((param) => columnOf(param.name, param.distribution, trials) ?? []);
  if (columns.length === 0) return undefined;
  const losses = standardized(trials.map((o) => o.loss));
  const sorted = columns.map((column) =>
    Int32Array.from(trials.keys()).sort((a, b) => (column.values[a] as number) - (column.values[b] as number)),
  );
  const sums = new Float64Array(columns.length);
  let measured = 0;
  for (let t = 0; t < (options.trees ?? 64); t++) {
    const fractions = treeFractions(growTree(columns, losses, sorted, rng, options.maxDepth ?? 64), columns);
    if (fractions === undefined) continue;
    measured++;
    fractions.forEach((fraction, f) => {
      sums[f] = (sums[f] as number) + fraction;
    });
  }
  const total = sums.reduce((sum, s) => sum + s, 0);
  if (measured === 0 || !(total > 0)) return undefined;
  const importance = new Map(columns.map((column, f) => [column.name, (sums[f] as number) / total]));
  return space.params
    .map((param) => ({ name: param.name, importance: importance.get(param.name) ?? 0 }))
    .sort((a, b) => b.importance - a.importance);
};

/** `measuredFanova`, every parameter the same share where nothing could be measured (too few trials, a constant loss). */
export const fanova = (
  space: CompiledSpace,
  observations: readonly ImportanceObservation[],
  options: FanovaOptions = {},
): ParamImportance[] => measuredFanova(space, observations, options) ?? equalImportance(space);
