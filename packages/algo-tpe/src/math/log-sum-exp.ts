/** log Σ exp(terms[k]) over the first `count` terms, shifted by their maximum (−∞ when all are −∞). */
export const logSumExp = (terms: ArrayLike<number>, count = terms.length): number => {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < count; k++) if ((terms[k] as number) > max) max = terms[k] as number;
  if (max === Number.NEGATIVE_INFINITY || max === Number.POSITIVE_INFINITY) return max;
  let total = 0;
  for (let k = 0; k < count; k++) total += Math.exp((terms[k] as number) - max);
  return max + Math.log(total);
};
