import { fastExpNonPositive } from './fast-exp.js';

/**
 * Terms of the Hermite expansion per bin. Bins are 2h wide, so |t| ≤ 1/√2 and the tail after 30 terms is
 * below Σ (√2|t|)^n/√(n!) ≈ 6e-17 of the bin's mass (Cramér's bound on Hermite functions).
 */
export const HERMITE_TERMS = 30;
/** 1/(n + 1) for each term. */
const RECIPROCALS = Float64Array.from({ length: HERMITE_TERMS }, (_, n) => 1 / (n + 1));
/** Blocks farther than this (in units of h√2) from x are left out: e^−49 of their mass. */
const REACH = 7;

/**
 * Σ_k c_k · exp(−(x − μ_k)²/(2h²)) for many kernels of one width h, as a fast Gauss transform: kernels
 * are binned on a fixed grid of width 2h over [low, high] and each bin keeps the moments
 * A_n = Σ c_k t_k^n / n!, t_k = (μ_k − m)/(h√2) around its centre m; then, with s = (x − m)/(h√2),
 * e^{−(s−t)²} = Σ_n t^n/n! · H_n(s)·e^{−s²} (Hermite functions) turns the sum into 30 terms per bin.
 *
 * @remarks Kernels are added and removed one at a time (O(30) each), so the moments can follow a growing
 * history; evaluation costs O(30) per bin within 7·h√2 of x (about 10 bins), whatever the number of kernels.
 */
export class HermiteMoments {
  /** The kernels' width. */
  readonly h: number;
  /** The grid's lower end, where bin 0 starts. */
  readonly low: number;
  /** A bin's width, 2h. */
  readonly width: number;
  /** The number of bins (at least 1). */
  readonly bins: number;
  /** The moments A_n of bin b at b · {@link HERMITE_TERMS} + n (after a {@link combine}, read them after {@link settle}). */
  readonly moments: Float64Array;
  /** How many kernels each bin holds (bins without any are skipped). */
  readonly counts: Int32Array;
  private readonly scale: number;
  /** How far from x the bins that count lie: REACH / scale. */
  private readonly reach: number;
  /** Scratch of {@link evaluate}: the bins within reach that hold kernels. */
  private readonly held: Int32Array;
  /** Whether the last {@link combine} left bins to work out (then `unsettled` marks them, and the rest say how). */
  private pending = false;
  private unsettled: Uint8Array | undefined;
  private factorA = 0;
  private factorB = 0;
  private first: HermiteMoments | undefined;
  private second: HermiteMoments | undefined;
  private third: HermiteMoments | undefined;
  private fourth: HermiteMoments | undefined;

  /**
   * An empty sum of kernels of width `h` over [low, high].
   * @param low - The grid's lower end.
   * @param high - Its upper end: the grid covers [low, high] in bins of width 2h.
   * @param h - The kernels' width.
   */
  constructor(low: number, high: number, h: number) {
    this.h = h;
    this.low = low;
    this.width = 2 * h;
    this.bins = Math.max(1, Math.ceil((high - low) / this.width));
    this.moments = new Float64Array(this.bins * HERMITE_TERMS);
    this.counts = new Int32Array(this.bins);
    this.scale = 1 / (h * Math.SQRT2);
    this.reach = REACH / this.scale;
    this.held = new Int32Array(this.bins);
  }

  /** The bin of μ (clamped into the grid). */
  binOf(mu: number): number {
    return Math.min(this.bins - 1, Math.max(0, Math.floor((mu - this.low) / this.width)));
  }

  /**
   * Adds c·exp(−(x − μ)²/(2h²)) (a negative c removes a kernel added with −c). `kernels` is how the bin's
   * kernel count changes (bins without kernels are skipped): by default one more, or one less for a
   * negative c; 0 re-weights a kernel already counted.
   */
  add(mu: number, c: number, kernels: number = c < 0 ? -1 : 1): void {
    const b = this.binOf(mu);
    if (this.pending) this.settleBin(b);
    const t = (mu - (this.low + (b + 0.5) * this.width)) * this.scale;
    let term = c;
    const base = b * HERMITE_TERMS;
    for (let n = 0; n < HERMITE_TERMS; n++) {
      this.moments[base + n] = (this.moments[base + n] as number) + term;
      term *= t / (n + 1);
    }
    this.counts[b] = (this.counts[b] as number) + kernels;
  }

  /**
   * {@link add}, its factors 1/(n + 1) read from a table rather than divided (a multiplication instead of a
   * division per term: each term may differ from {@link add}'s in its last bits).
   */
  addFast(mu: number, c: number, kernels: number): void {
    const b = this.binOf(mu);
    if (this.pending) this.settleBin(b);
    const t = (mu - (this.low + (b + 0.5) * this.width)) * this.scale;
    let term = c;
    const base = b * HERMITE_TERMS;
    const moments = this.moments;
    for (let n = 0; n < HERMITE_TERMS; n++) {
      moments[base + n] = (moments[base + n] as number) + term;
      term *= t * (RECIPROCALS[n] as number);
    }
    this.counts[b] = (this.counts[b] as number) + kernels;
  }

  /**
   * Sets these moments to a·A + b·(B − C) of three sums on the same grid, with A's kernel counts, plus D
   * (with its counts) when given. The counts are set here; each bin's moments are worked out when first read
   * or changed ({@link evaluate}, {@link add}, {@link addFast}; {@link settle} works out the rest), so a
   * decision pays only for the bins near its candidates and corrections. The sums must not change until then.
   */
  combine(
    a: number,
    first: HermiteMoments,
    b: number,
    second: HermiteMoments,
    third: HermiteMoments,
    fourth?: HermiteMoments,
  ): void {
    first.settle();
    second.settle();
    third.settle();
    fourth?.settle();
    const counts = this.counts;
    if (fourth === undefined) counts.set(first.counts);
    else for (let i = 0; i < counts.length; i++) counts[i] = (first.counts[i] as number) + (fourth.counts[i] as number);
    this.factorA = a;
    this.factorB = b;
    this.first = first;
    this.second = second;
    this.third = third;
    this.fourth = fourth;
    this.unsettled ??= new Uint8Array(this.bins);
    this.unsettled.fill(1);
    this.pending = true;
  }

  /** Works out every bin of the last {@link combine} not worked out yet. */
  settle(): void {
    if (!this.pending) return;
    for (let bin = 0; bin < this.bins; bin++) this.settleBin(bin);
    this.pending = false;
  }

  /** Works out bin `bin` of the last {@link combine}, if not done yet (the same arithmetic for every bin). */
  private settleBin(bin: number): void {
    const unsettled = this.unsettled as Uint8Array;
    if (unsettled[bin] === 0) return;
    unsettled[bin] = 0;
    const out = this.moments;
    const a = this.factorA;
    const b = this.factorB;
    const m0 = (this.first as HermiteMoments).moments;
    const m1 = (this.second as HermiteMoments).moments;
    const m2 = (this.third as HermiteMoments).moments;
    const end = (bin + 1) * HERMITE_TERMS;
    if (this.fourth === undefined) {
      for (let i = bin * HERMITE_TERMS; i < end; i++)
        out[i] = a * (m0[i] as number) + b * ((m1[i] as number) - (m2[i] as number));
      return;
    }
    const m3 = this.fourth.moments;
    for (let i = bin * HERMITE_TERMS; i < end; i++)
      out[i] = a * (m0[i] as number) + b * ((m1[i] as number) - (m2[i] as number)) + (m3[i] as number);
  }

  /**
   * The sum at x. The bins within reach that hold kernels are taken in pairs in ascending order, each pair's
   * two terms added to the total in turn; two pairs run their Hermite recurrences side by side (four
   * independent chains the CPU overlaps), which leaves the total as one pair at a time would give it.
   */
  evaluate(x: number): number {
    const { reach, counts, held } = this;
    const last = this.binOf(x + reach);
    let found = 0;
    for (let b = this.binOf(x - reach); b <= last; b++) if (counts[b] !== 0) held[found++] = b;
    if (this.pending) for (let i = 0; i < found; i++) this.settleBin(held[i] as number);
    let total = 0;
    let i = 0;
    for (; i + 4 <= found; i += 4) {
      this.quad(x, held[i] as number, held[i + 1] as number, held[i + 2] as number, held[i + 3] as number);
      total += this.out0;
      total += this.out1;
    }
    // Three left: a pair and a bin alone, side by side as well.
    if (found - i === 3) {
      this.quad(x, held[i] as number, held[i + 1] as number, held[i + 2] as number, -1);
      total += this.out0;
      return total + this.out1;
    }
    if (i + 2 <= found) {
      total += this.pair(x, held[i] as number, held[i + 1] as number);
      i += 2;
    }
    return i < found ? total + this.pair(x, held[i] as number, -1) : total;
  }

  /** Scratch of {@link quad}: its first pair's sum and its second's. */
  private out0 = 0;
  private out1 = 0;

  /**
   * Bins a, b, c, d at x (d = −1: none): a and b's sum to `out0`, c and d's to `out1`, each as {@link pair}
   * gives it.
   */
  private quad(x: number, a: number, b: number, c: number, d: number): void {
    const { moments, scale, low, width } = this;
    const twoS = 2 * (x - (low + (a + 0.5) * width)) * scale;
    const twoT = 2 * (x - (low + (b + 0.5) * width)) * scale;
    const twoU = 2 * (x - (low + (c + 0.5) * width)) * scale;
    const twoV = d < 0 ? 0 : 2 * (x - (low + (d + 0.5) * width)) * scale;
    const baseA = a * HERMITE_TERMS;
    const baseB = b * HERMITE_TERMS;
    const baseC = c * HERMITE_TERMS;
    const baseD = d < 0 ? baseC : d * HERMITE_TERMS;
    const weightD = d < 0 ? 0 : 1;
    let previousA = 1;
    let currentA = twoS;
    let sumA = (moments[baseA] as number) + (moments[baseA + 1] as number) * twoS;
    let previousB = 1;
    let currentB = twoT;
    let sumB = (moments[baseB] as number) + (moments[baseB + 1] as number) * twoT;
    let previousC = 1;
    let currentC = twoU;
    let sumC = (moments[baseC] as number) + (moments[baseC + 1] as number) * twoU;
    let previousD = 1;
    let currentD = twoV;
    let sumD = (moments[baseD] as number) + (moments[baseD + 1] as number) * twoV;
    for (let n = 1; n < HERMITE_TERMS - 1; n++) {
      const twoN = 2 * n;
      const nextA = twoS * currentA - twoN * previousA;
      const nextB = twoT * currentB - twoN * previousB;
      const nextC = twoU * currentC - twoN * previousC;
      const nextD = twoV * currentD - twoN * previousD;
      previousA = currentA;
      currentA = nextA;
      previousB = currentB;
      currentB = nextB;
      previousC = currentC;
      currentC = nextC;
      previousD = currentD;
      currentD = nextD;
      sumA += (moments[baseA + n + 1] as number) * nextA;
      sumB += (moments[baseB + n + 1] as number) * nextB;
      sumC += (moments[baseC + n + 1] as number) * nextC;
      sumD += (moments[baseD + n + 1] as number) * nextD;
    }
    const halfS = 0.5 * twoS;
    const halfT = 0.5 * twoT;
    const halfU = 0.5 * twoU;
    const halfV = 0.5 * twoV;
    this.out0 = sumA * fastExpNonPositive(-halfS * halfS) + sumB * fastExpNonPositive(-halfT * halfT);
    this.out1 = sumC * fastExpNonPositive(-halfU * halfU) + weightD * sumD * fastExpNonPositive(-halfV * halfV);
  }

  /** Bins a and b (b = −1: none) at x. */
  private pair(x: number, a: number, b: number): number {
    const { moments, scale } = this;
    const twoS = 2 * (x - (this.low + (a + 0.5) * this.width)) * scale;
    const twoT = b < 0 ? 0 : 2 * (x - (this.low + (b + 0.5) * this.width)) * scale;
    const baseA = a * HERMITE_TERMS;
    const baseB = b < 0 ? baseA : b * HERMITE_TERMS;
    const weightB = b < 0 ? 0 : 1;
    let previousA = 1;
    let currentA = twoS;
    let sumA = (moments[baseA] as number) + (moments[baseA + 1] as number) * twoS;
    let previousB = 1;
    let currentB = twoT;
    let sumB = (moments[baseB] as number) + (moments[baseB + 1] as number) * twoT;
    for (let n = 1; n < HERMITE_TERMS - 1; n++) {
      const twoN = 2 * n;
      const nextA = twoS * currentA - twoN * previousA;
      const nextB = twoT * currentB - twoN * previousB;
      previousA = currentA;
      currentA = nextA;
      previousB = currentB;
      currentB = nextB;
      sumA += (moments[baseA + n + 1] as number) * nextA;
      sumB += (moments[baseB + n + 1] as number) * nextB;
    }
    const halfS = 0.5 * twoS;
    const halfT = 0.5 * twoT;
    return sumA * fastExpNonPositive(-halfS * halfS) + weightB * sumB * fastExpNonPositive(-halfT * halfT);
  }
}
