/**
 * Statistics for the benchmark suite: quantiles and the Mann–Whitney U test (normal approximation with
 * tie correction and continuity correction, two-sided), as pure functions.
 */

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
 * erfc(x) by the Chebyshev fit of Numerical Recipes (`erfcc`): fractional error below 1.2e-7 everywhere.
 */
export const erfc = (x: number): number => {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
};

/** Result of {@link mannWhitney}. */
export interface MannWhitneyResult {
  /** U of the first sample: pairs (x, y) with x > y, plus half the ties (scipy's `statistic`). */
  readonly u: number;
  /** Two-sided p-value (normal approximation, tie and continuity corrections); 1 when every value ties. */
  readonly p: number;
  /** −1 when the first sample tends to be smaller (U below its mean), +1 when larger, 0 when neither. */
  readonly direction: -1 | 0 | 1;
}

/**
 * Two-sided Mann–Whitney U test of samples `x` and `y`, as scipy's
 * `mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", use_continuity=True)`.
 */
export const mannWhitney = (x: readonly number[], y: readonly number[]): MannWhitneyResult => {
  const n1 = x.length;
  const n2 = y.length;
  const n = n1 + n2;
  const all = [...x.map((value) => ({ value, first: true })), ...y.map((value) => ({ value, first: false }))].sort(
    (a, b) => a.value - b.value,
  );
  let rankSum = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && (all[j + 1] as { value: number }).value === (all[i] as { value: number }).value) j++;
    const t = j - i + 1;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if ((all[k] as { first: boolean }).first) rankSum += rank;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const direction = u < mean ? -1 : u > mean ? 1 : 0;
  if (!(sigma > 0)) return { u, p: 1, direction };
  const z = (Math.max(u, n1 * n2 - u) - mean - 0.5) / sigma;
  return { u, p: Math.min(1, erfc(z / Math.SQRT2)), direction };
};

/** Win, tie or loss of "ours" (lower is better) against a peer: a Mann–Whitney p < `alpha` either way. */
export const compareSamples = (
  ours: readonly number[],
  theirs: readonly number[],
  alpha = 0.05,
): 'win' | 'tie' | 'loss' => {
  const { p, direction } = mannWhitney(ours, theirs);
  if (p >= alpha || direction === 0) return 'tie';
  return direction < 0 ? 'win' : 'loss';
};

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
