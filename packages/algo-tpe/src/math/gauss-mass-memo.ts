import { logGaussMass } from '@parzen/engine/plugin';

/**
 * Slots of the memo (a power of two): 2^14 pairs, 400 KB. An integer's or quantized value's kernels share few
 * centres and widths, and a study's bins are few, so the pairs a binned sum asks for recur from suggestion to
 * suggestion (Optuna's `batch` of the mix10 space: about 1,500, the same at every trial).
 */
const SLOTS = 1 << 14;

/** Each slot's pair as four 32-bit words (a's low and high, then b's), its mass, and whether it holds one. */
const words = new Uint32Array(4 * SLOTS);
const masses = new Float64Array(SLOTS);
const filled = new Uint8Array(SLOTS);
let count = 0;

/** The pair asked for, and its words (the bits of a and b). */
const pair = new Float64Array(2);
const pairWords = new Uint32Array(pair.buffer);

/**
 * {@link logGaussMass}(a, b), remembered by the bits of a and b: a pure function of its arguments, so a remembered
 * mass is the one computed again, bit for bit. When half the slots are taken the memo starts afresh.
 */
export const memoLogGaussMass = (a: number, b: number): number => {
  pair[0] = a;
  pair[1] = b;
  const w0 = pairWords[0] as number;
  const w1 = pairWords[1] as number;
  const w2 = pairWords[2] as number;
  const w3 = pairWords[3] as number;
  let hash =
    Math.imul(w0 ^ Math.imul(w1, 0x9e3779b1), 0x85ebca6b) ^ Math.imul(w2 ^ Math.imul(w3, 0xc2b2ae35), 0x27d4eb2f);
  hash ^= hash >>> 15;
  let slot = hash & (SLOTS - 1);
  while (filled[slot] === 1) {
    const at = 4 * slot;
    if (words[at] === w0 && words[at + 1] === w1 && words[at + 2] === w2 && words[at + 3] === w3)
      return masses[slot] as number;
    slot = (slot + 1) & (SLOTS - 1);
  }
  const mass = logGaussMass(a, b);
  if (count >= SLOTS / 2) {
    filled.fill(0);
    count = 0;
    slot = hash & (SLOTS - 1);
  }
  const at = 4 * slot;
  words[at] = w0;
  words[at + 1] = w1;
  words[at + 2] = w2;
  words[at + 3] = w3;
  masses[slot] = mass;
  filled[slot] = 1;
  count++;
  return mass;
};
