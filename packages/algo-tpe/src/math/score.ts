/**
 * The TPE acquisition per candidate: log l(x) − w · log g(x), the log of l/g^w. With w = 1 (hyperopt,
 * Optuna) it is the log of the EI-proportional ratio l/g; w < 1 penalises well-sampled regions less (more
 * exploitation), w > 1 more.
 */
export const scoreCandidates = (logL: ArrayLike<number>, logG: ArrayLike<number>, aboveWeight = 1): Float64Array => {
  const scores = new Float64Array(logL.length);
  // w = 0 leaves g out entirely (0 · −∞ would be NaN where g vanishes).
  if (aboveWeight === 0) scores.set(logL);
  else for (let i = 0; i < scores.length; i++) scores[i] = (logL[i] as number) - aboveWeight * (logG[i] as number);
  return scores;
};

const always = (): boolean => true;

/** Index of the largest score; the first wins ties, and NaN never wins (−1 for no candidates). */
export const argmax = (scores: ArrayLike<number>): number => argmaxWhere(scores, always);

/** The index of the highest score among the indices `allowed` accepts (the first of ties); −1 when none. */
export const argmaxWhere = (scores: ArrayLike<number>, allowed: (index: number) => boolean): number => {
  let best = -1;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i] as number;
    if ((score > bestScore || (best === -1 && !Number.isNaN(score))) && allowed(i)) {
      best = i;
      bestScore = score;
    }
  }
  return best;
};
