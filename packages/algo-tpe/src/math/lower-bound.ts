/** The first index in `keys[from … size)` (ascending) whose key is not below `key`; `size` when none is. */
export const lowerBound = (keys: Float64Array | Int32Array, size: number, key: number, from = 0): number => {
  let lo = from;
  let hi = size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as number) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};
