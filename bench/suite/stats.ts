/**
 * Statistics for the benchmark suite, as pure functions: quantiles, and win/tie/loss by the Mann–Whitney U
 * test of @parzen/engine/host (the one `parzen run` and the report use; here always its normal
 * approximation with tie and continuity corrections, two-sided, as the recorded results were made).
 */
import { mannWhitney } from '@parzen/engine/host';

/** The q-quantile of `values` with linear interpolation between order statistics (numpy's default). */
export const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (position - low);
};

/**
 * Win, tie or loss of "ours" (lower is better) against a peer: a Mann–Whitney p < `alpha` either way, the
 * direction decided by rank (U), not by the medians: a win when our values rank lower (our U below n·m/2). Two
 * samples can differ: one of two clusters, part below every value of the other sample, can have the higher
 * median and the lower ranks.
 */
export const compareSamples = (
  ours: readonly number[],
  theirs: readonly number[],
  alpha = 0.05,
): 'win' | 'tie' | 'loss' => {
  const { p, direction } = mannWhitney(ours, theirs, 'asymptotic');
  if (p >= alpha || direction === 0) return 'tie';
  return direction < 0 ? 'win' : 'loss';
};

/** The floor both medians of a ratio are held at, so that two exact zeros compare as 1. */
export const RATIO_FLOOR = 1e-12;

/** Our median ÷ the best peer's, both floored at {@link RATIO_FLOOR}. */
export const flooredRatio = (ours: number, best: number): number =>
  Math.max(ours, RATIO_FLOOR) / Math.max(best, RATIO_FLOOR);

/**
 * Whether {@link RATIO_FLOOR} sets the ratio rather than the medians: exactly one of the two is below it (ours at
 * 4e-14 against 1.4e-4 gives 7e-9, a term that moves a geometric mean over 200 problems by 8 %).
 */
export const floorSetsRatio = (ours: number, best: number): boolean => ours < RATIO_FLOOR !== best < RATIO_FLOOR;

/** Geometric mean of positive numbers. */
export const geometricMean = (values: readonly number[]): number =>
  Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);

/**
 * After each trial, the index of the incumbent: the trial with the lowest observed loss so far (the
 * first one on ties; `undefined` = a trial without a loss). −1 before any loss. Regret is then measured on
 * the incumbent's noise-free loss, the rule bench/suite/run_peers_suite.py applies to the peers.
 */
export const incumbentIndices = (observed: readonly (number | undefined)[]): number[] => {
  let best = Number.POSITIVE_INFINITY;
  let index = -1;
  return observed.map((value, i) => {
    if (value !== undefined && value < best) {
      best = value;
      index = i;
    }
    return index;
  });
};

/**
 * A regret as it is compared: the noise-free loss rounded as the peers' harness stores it (`"%.12g"`, 12
 * significant digits), minus the known minimum, and that rounded as our per-seed regrets are stored. Ours and
 * the peers' go through it, so a trial at the same point as a peer's incumbent has exactly the peer's regret:
 * a tie, not a ratio of 1 + 4e-12 that counts as above the peer, nor a rank test that orders two equal values
 * by their rounding.
 */
export const regretAsStored = (value: number, minimum: number): number =>
  Number.isFinite(value) ? Number((Number(value.toPrecision(12)) - minimum).toPrecision(12)) : value - minimum;
