/**
 * `fn` of each entry of `source` (and its index) in a new Float64Array: what `Float64Array.from(source, fn)`
 * gives, by a loop. `Float64Array.from` with a mapping function walks its source as an iterable, several times
 * slower than a loop; on the small arrays each suggestion builds (the below trials, 25 at most) that was a tenth
 * of a suggestion's time (bench/results/tpe-latency-study.md).
 */
export const mapped = (source: ArrayLike<number>, fn: (value: number, index: number) => number): Float64Array => {
  const out = new Float64Array(source.length);
  for (let i = 0; i < out.length; i++) out[i] = fn(source[i] as number, i);
  return out;
};

/** `fn(i)` for i in [0, length) in a new Float64Array: `Float64Array.from({ length }, (_, i) => fn(i))` by a loop. */
export const tabulated = (length: number, fn: (index: number) => number): Float64Array => {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = fn(i);
  return out;
};
