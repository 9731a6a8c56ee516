/**
 * Rounds to the nearest integer, ties to the even one (numpy's `np.round`). `Math.round` rounds .5 up,
 * which would move quantized values off hyperopt's grid.
 */
export const roundHalfEven = (x: number): number => {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
};

/** `roundHalfEven(x / q) * q`: hyperopt's quantization, a grid anchored at 0. */
export const quantize = (x: number, q: number): number => roundHalfEven(x / q) * q;
