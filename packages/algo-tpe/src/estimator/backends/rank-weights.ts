import type { HermiteMoments } from '../../math/hermite-moments.js';
import { linearForgettingWeight } from '../../math/linear-forgetting.js';
import { type AboveKdeCache, countAtMost } from './above-kde-cache.js';

/** What the weights of one suggestion depend on: who leaves the cached sum, who joins it, the rule. */
export interface RankChanges {
  readonly removed: readonly { readonly number: number }[];
  readonly added: readonly { readonly number: number }[];
  readonly priorWeight: number;
  /** Linear forgetting's constant: the newest this many weigh 1, older ones ramp. */
  readonly forgetting: number;
}

/**
 * The mixture weights of one suggestion, relative (normalised by `total`): `bulk` is the weight the
 * cached sum gives a cached observation's fixed-width kernel, `actual` its real weight in g.
 */
export interface Weighting {
  readonly uniform: boolean;
  bulk(number: number): number;
  actual(number: number): number;
  /** Σ of the above weights plus the prior's. */
  readonly total: number;
}

/** Every observation weighs the same. */
export const uniformWeighting = (n: number, priorWeight: number): Weighting => ({
  uniform: true,
  bulk: () => 1,
  actual: () => 1,
  total: n + priorWeight,
});

/** How many of `sorted` (ascending integers) are below `number`. */
const countBelow = (sorted: Int32Array, size: number, number: number): number => countAtMost(sorted, size, number - 1);

/** The trial numbers of `entries`, ascending. */
const sortedNumbers = (entries: readonly { readonly number: number }[]): Int32Array => {
  const numbers = new Int32Array(entries.length);
  for (let i = 0; i < entries.length; i++) numbers[i] = (entries[i] as { readonly number: number }).number;
  return numbers.sort();
};

/** Weights by arrival rank, with what the corrections of the newest observations need. */
export interface RankWeighting extends Weighting {
  rankOf(number: number): number;
  /** Whether trial `number` is a below trial (one that leaves the cached sum). */
  isBelow(number: number): boolean;
  /** The first rank that weighs 1 by the rule rather than by the ramp. */
  readonly firstNewest: number;
  /** Whether the cache holds trial `number` among its newest, at weight 1. */
  held(number: number): boolean;
}

/**
 * Weights by linear forgetting (tpe-spec 3.5): rank r in trial-number order among the n above
 * observations weighs 1/n + r·c while r < n − lf − 1 (c = (1 − 1/n)/(n − lf − 1)), else 1. The cached
 * sums hold the newest lf by number at weight 1 and the others at the affine weight (combined into
 * `cache.combined`); `bulk` is the weight they hold an observation at. Where the newest lf by rank are not
 * those (below or added trials among them), `correctNewest` re-weights the difference. Undefined when the cache does not keep ranks, or the ramp is
 * too short for that (n ≤ lf + 1).
 */
export const rankedWeighting = (cache: AboveKdeCache, changes: RankChanges, n: number): RankWeighting | undefined => {
  const { ranked } = cache;
  // The cache holds its newest at weight 1 for one forgetting constant: this one.
  if (ranked === undefined || ranked.window !== changes.forgetting) return undefined;
  const lf = changes.forgetting;
  const ramp = n - lf;
  if (ramp < 2) return undefined;
  const slope = (1 - 1 / n) / (ramp - 1);
  const removed = sortedNumbers(changes.removed);
  const added = sortedNumbers(changes.added);
  ranked.setBoundaryTrials(removed, added);
  (cache.combined as HermiteMoments).combine(
    1 / n,
    cache.moments,
    slope,
    ranked.byIndex,
    ranked.byShift,
    ranked.newest,
  );
  // The corrections ask `bulk` and `actual` of one observation in turn: its rank is worked out once.
  let lastNumber = -1;
  let lastRank = 0;
  let lastIndex = 0;
  const rankOf = (number: number): number => {
    if (number !== lastNumber) {
      lastIndex = ranked.indexOf(number);
      lastRank = lastIndex - countBelow(removed, removed.length, number) + countBelow(added, added.length, number);
      lastNumber = number;
    }
    return lastRank;
  };
  const held = (number: number): boolean => {
    rankOf(number);
    return ranked.inWindow(lastIndex);
  };
  // Σ_r w(r): the ramp below its last step, its last step (1) and the newest lf (1 each).
  const total = (ramp - 1) / n + (slope * (ramp - 1) * (ramp - 2)) / 2 + 1 + lf + changes.priorWeight;
  return {
    uniform: false,
    bulk: (number) => (held(number) ? 1 : 1 / n + slope * rankOf(number)),
    actual: (number) => linearForgettingWeight(rankOf(number), n, lf),
    total,
    rankOf,
    isBelow: (number) => {
      const at = countBelow(removed, removed.length, number);
      return at < removed.length && removed[at] === number;
    },
    firstNewest: ramp,
    held,
  };
};
