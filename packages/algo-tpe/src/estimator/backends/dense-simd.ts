import { EXP_C3, EXP_C4, EXP_C5, FRACTION_POWERS, LN2_64_HIGH, LN2_64_LOW, SCALE } from '../../math/fast-exp.js';

/**
 * The dense pass of a product whose dimensions are all continuous, in WebAssembly SIMD (two doubles per
 * instruction): the same arithmetic as the JavaScript loops of `pruned-product.ts` (`continuousTerms` and
 * `sumLanes`), operation for operation, so every term, best and sum is the same bit for bit (WebAssembly's
 * f64 operations are IEEE 754 with round to nearest, as JavaScript's, and none is fused). The property tests
 * compare the two on random kernels, taken-out, NaN and extra ones included.
 *
 * A kernel term: t = log coefficient, then t −= 0.5·z·z with z = (y − μ)·(1/σ) per dimension in order; four
 * points (lanes) at a time, two per vector. A lane's sum: Σ fastExpNonPositive(term − best) over the terms
 * above best − 46, in kernel order, with {@link fastExpNonPositive}'s reduction and polynomial: j = ⌈t·S −
 * ½⌉ (t·S − ½ < 0, where JavaScript's `| 0` truncates, so ceil gives the same integer), read out of the double
 * by adding 2^52 + 2^51 (its low bits then hold j in two's complement); r = t − j·H − j·L; p the degree-5
 * polynomial; the value (2^((j & 63)/64) · 2^(j >> 6)) · p, the power 2^(j >> 6) built from its bits instead
 * of read from a table (it is exact either way). A term not kept adds +0, which leaves a sum as it was.
 *
 * The module is written out here byte by byte (a few hundred bytes, no build step); {@link denseSimd} is
 * undefined where WebAssembly or its SIMD is missing, and the JavaScript loops run instead.
 */

/** The little of the WebAssembly API used here (TypeScript's lib has it only with the DOM's). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type TermsFunction = (
  size: number,
  d: number,
  mus: number,
  invSigmas: number,
  coefs: number,
  y: number,
  terms: number,
  bests: number,
) => void;
type SumsFunction = (count: number, terms: number, bests: number, totals: number) => void;

const unsigned = (value: number): number[] => {
  const bytes: number[] = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    bytes.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return bytes;
};
const signed = (value: number): number[] => {
  const bytes: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
};
const bytesOf = (view: ArrayBufferView): number[] => Array.from(new Uint8Array(view.buffer));

// Instructions (the WebAssembly 2.0 binary format).
const I32 = 0x7f;
const V128 = 0x7b;
const get = (local: number) => [0x20, ...unsigned(local)];
const set = (local: number) => [0x21, ...unsigned(local)];
const i32 = (value: number) => [0x41, ...signed(value)];
const add32 = [0x6a];
const mul32 = [0x6c];
const geU32 = [0x4f];
const simd = (code: number, ...immediates: number[]) => [0xfd, ...unsigned(code), ...immediates];
/** memarg: alignment (log2 of bytes) and offset. */
const memory = (code: number, align: number, offset = 0, ...lane: number[]) =>
  simd(code, ...unsigned(align), ...unsigned(offset), ...lane);
const load = (offset = 0) => memory(0x00, 4, offset);
const store = (offset = 0) => memory(0x0b, 4, offset);
const load64Splat = memory(0x0a, 3);
const load64Zero = memory(0x5d, 3);
const load64Lane1 = memory(0x57, 3, 0, 1);
const constant = (bytes: number[]) => simd(0x0c, ...bytes);
const splat = (value: number) => constant(bytesOf(Float64Array.of(value, value)));
const and = simd(0x4e);
const extract32 = (lane: number) => simd(0x1b, lane);
const shl32 = simd(0xab);
const shrU64 = simd(0xcd);
const shl64 = simd(0xcb);
const add64 = simd(0xce);
const gt = simd(0x4a);
const ceil = simd(0x74);
const fadd = simd(0xf0);
const fsub = simd(0xf1);
const fmul = simd(0xf2);
const pmax = simd(0xf7);
/** A loop that runs while local `at` < local `end`, `body` then `at` += `step`. */
const loopWhile = (at: number, end: number, step: number, body: number[]) => [
  ...[0x02, 0x40, 0x03, 0x40],
  ...get(at),
  ...get(end),
  ...geU32,
  ...[0x0d, 1],
  ...body,
  ...get(at),
  ...i32(step),
  ...add32,
  ...set(at),
  ...[0x0c, 0],
  ...[0x0b, 0x0b],
];

/**
 * terms(size, d, mus, invSigmas, coefs, y, terms, bests): kernel k's terms at the four points y (dimension j
 * of lane r at y + 8·(4j + r)) into terms + 8·(4k + r); each lane's best (a pmax, which keeps the best as
 * `t > best ? t : best` does) into bests.
 */
const termsBody = (): number[] => {
  // Parameters 0-7, then locals: 8 coefEnd, 9 dimEnd, 10 py (i32); 11 t01, 12 t23, 13 b01, 14 b23, 15 mu,
  // 16 inverse, 17 z, 18 half (v128).
  const [size, d, mus, invs, coefs, y, terms, bests] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [coefEnd, dimEnd, py, t01, t23, b01, b23, mu, inverse, z, half] = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
  const lane = (offset: number, t: number) => [
    ...get(t),
    ...get(py),
    ...load(offset),
    ...get(mu),
    ...fsub,
    ...get(inverse),
    ...fmul,
    ...set(z),
    ...get(half),
    ...get(z),
    ...fmul,
    ...get(z),
    ...fmul,
    ...fsub,
    ...set(t),
  ];
  const dimension = [
    ...get(mus),
    ...load64Splat,
    ...set(mu),
    ...get(invs),
    ...load64Splat,
    ...set(inverse),
    ...lane(0, t01),
    ...lane(16, t23),
    ...get(invs),
    ...i32(8),
    ...add32,
    ...set(invs),
    ...get(py),
    ...i32(32),
    ...add32,
    ...set(py),
  ];
  const kernel = [
    ...get(coefs),
    ...load64Splat,
    ...set(t01),
    ...get(t01),
    ...set(t23),
    ...get(y),
    ...set(py),
    ...get(mus),
    ...get(d),
    ...i32(8),
    ...mul32,
    ...add32,
    ...set(dimEnd),
    ...loopWhile(mus, dimEnd, 8, dimension),
    ...get(terms),
    ...get(t01),
    ...store(0),
    ...get(terms),
    ...get(t23),
    ...store(16),
    ...get(b01),
    ...get(t01),
    ...pmax,
    ...set(b01),
    ...get(b23),
    ...get(t23),
    ...pmax,
    ...set(b23),
    ...get(terms),
    ...i32(32),
    ...add32,
    ...set(terms),
  ];
  return [
    ...[2, 3, I32, 8, V128],
    ...splat(0.5),
    ...set(half),
    ...splat(Number.NEGATIVE_INFINITY),
    ...set(b01),
    ...splat(Number.NEGATIVE_INFINITY),
    ...set(b23),
    ...get(coefs),
    ...get(size),
    ...i32(8),
    ...mul32,
    ...add32,
    ...set(coefEnd),
    ...loopWhile(coefs, coefEnd, 8, kernel),
    ...get(bests),
    ...get(b01),
    ...store(0),
    ...get(bests),
    ...get(b23),
    ...store(16),
    0x0b,
  ];
};

/** Where the table of 2^(i/64) starts in the memory (the first 512 bytes). */
const TABLE = 0;

/**
 * sums(count, terms, bests, totals): per lane r, Σ over kernels k < count of fastExpNonPositive(term − best)
 * for the terms (at terms + 8·(4k + r)) above best − 46, into totals + 8r.
 */
const sumsBody = (): number[] => {
  // Parameters 0-3, then locals: 4 end (i32); 5 b01, 6 b23, 7 f01, 8 f23, 9 s01, 10 s23, 11 a, 12 t, 13 c,
  // 14 bits, 15 r, 16 p, 17 index (v128).
  const [count, terms, bests, totals] = [0, 1, 2, 3];
  const [end, b01, b23, f01, f23, s01, s23, a, t, c, bits, r, p, index] = [
    4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
  ];
  const horner = (coefficient: number) => [...splat(coefficient), ...get(r), ...get(p), ...fmul, ...fadd, ...set(p)];
  const lane = (offset: number, best: number, floor: number, sum: number) => [
    ...get(terms),
    ...load(offset),
    ...set(a),
    ...get(a),
    ...get(best),
    ...fsub,
    ...set(t),
    // j = ⌈t·S − ½⌉, and its bits once 2^52 + 2^51 is added (low 32 bits: j in two's complement).
    ...get(t),
    ...splat(SCALE),
    ...fmul,
    ...splat(0.5),
    ...fsub,
    ...ceil,
    ...set(c),
    ...get(c),
    ...splat(6755399441055744),
    ...fadd,
    ...set(bits),
    // r = t − j·H − j·L
    ...get(t),
    ...get(c),
    ...splat(LN2_64_HIGH),
    ...fmul,
    ...fsub,
    ...get(c),
    ...splat(LN2_64_LOW),
    ...fmul,
    ...fsub,
    ...set(r),
    // p = 1 + r(1 + r(0.5 + r(C3 + r(C4 + r·C5))))
    ...splat(EXP_C4),
    ...get(r),
    ...splat(EXP_C5),
    ...fmul,
    ...fadd,
    ...set(p),
    ...horner(EXP_C3),
    ...horner(0.5),
    ...horner(1),
    ...horner(1),
    // The table's byte offsets of 2^((j & 63)/64), in 32-bit lanes 0 and 2.
    ...get(bits),
    ...constant(bytesOf(Int32Array.of(63, 63, 63, 63))),
    ...and,
    ...i32(3),
    ...shl32,
    ...set(index),
    ...get(index),
    ...extract32(2),
    ...get(index),
    ...extract32(0),
    ...load64Zero,
    ...load64Lane1,
    // 2^(j >> 6): bits 6-17 of j into the exponent, plus the bias.
    ...get(bits),
    ...i32(6),
    ...shrU64,
    ...i32(52),
    ...shl64,
    ...constant(bytesOf(BigInt64Array.of(1023n << 52n, 1023n << 52n))),
    ...add64,
    ...fmul,
    ...get(p),
    ...fmul,
    ...get(a),
    ...get(floor),
    ...gt,
    ...and,
    ...get(sum),
    ...fadd,
    ...set(sum),
  ];
  const kernel = [...lane(0, b01, f01, s01), ...lane(16, b23, f23, s23)];
  return [
    ...[2, 1, I32, 13, V128],
    ...get(bests),
    ...load(0),
    ...set(b01),
    ...get(bests),
    ...load(16),
    ...set(b23),
    ...get(b01),
    ...splat(46),
    ...fsub,
    ...set(f01),
    ...get(b23),
    ...splat(46),
    ...fsub,
    ...set(f23),
    ...get(terms),
    ...get(count),
    ...i32(32),
    ...mul32,
    ...add32,
    ...set(end),
    ...loopWhile(terms, end, 32, kernel),
    ...get(totals),
    ...get(s01),
    ...store(0),
    ...get(totals),
    ...get(s23),
    ...store(16),
    0x0b,
  ];
};

const section = (id: number, content: number[]) => [id, ...unsigned(content.length), ...content];
const name = (text: string) => [...unsigned(text.length), ...Array.from(text, (ch) => ch.charCodeAt(0))];
const code = (body: number[]) => [...unsigned(body.length), ...body];

/** The module: one memory (exported), `terms` and `sums` (see their bodies). */
const moduleBytes = (): Uint8Array =>
  Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    // Types: (i32 × 8) → (), (i32 × 4) → ().
    ...section(1, [2, 0x60, 8, ...new Array(8).fill(I32), 0, 0x60, 4, ...new Array(4).fill(I32), 0]),
    ...section(3, [2, 0, 1]),
    ...section(5, [1, 0, 1]),
    ...section(7, [3, ...name('memory'), 2, 0, ...name('terms'), 0, 0, ...name('sums'), 0, 1]),
    ...section(10, [2, ...code(termsBody()), ...code(sumsBody())]),
  ]);

const PAGE = 65536;

interface SimdInstance {
  readonly memory: WasmMemory;
  readonly terms: TermsFunction;
  readonly sums: SumsFunction;
}

/** The instance, made on first use; null where WebAssembly SIMD is not there. */
let instance: SimdInstance | null | undefined;
/** Tests turn the module off to check the JavaScript loops against it. */
let enabled = true;

const instantiate = (): SimdInstance | null => {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  const bytes = moduleBytes();
  if (api === undefined || !api.validate(bytes)) return null;
  let exports: Record<string, unknown>;
  try {
    ({ exports } = new api.Instance(new api.Module(bytes), {}));
  } catch {
    // WebAssembly there but compiling refused (a `vm` context without wasm code generation, a policy): the loops.
    return null;
  }
  const made = {
    memory: exports.memory as WasmMemory,
    terms: exports.terms as TermsFunction,
    sums: exports.sums as SumsFunction,
  };
  new Float64Array(made.memory.buffer, TABLE, 64).set(FRACTION_POWERS);
  return made;
};

/** Forgets the instance, so that the next pass makes it again (for tests of what `WebAssembly` allows). */
export const forgetDenseSimd = (): void => {
  instance = undefined;
};

/** Whether the SIMD dense pass is used (where WebAssembly SIMD is there); for tests. */
export const useDenseSimd = (on: boolean): void => {
  enabled = on;
};

/** The kernels of one dense pass, as {@link denseSimd} reads them. */
export interface SimdKernels {
  readonly d: number;
  readonly size: number;
  readonly mus: Float64Array;
  readonly invSigmas: Float64Array;
  readonly logCoefs: Float64Array;
}

/**
 * One dense pass's buffers in the module's memory, the kernels copied in (those with a log coefficient of −∞,
 * the trials taken out of g(x), left out: their terms are −∞, never a best and never kept, so the sums are
 * the same; the prior, last, always in): write the four interleaved points into `y` (dimension j of lane r at
 * 4j + r), call `kernelTerms` for the `listed` kernels' terms (lane r of the k-th listed at `terms[4k + r]`) and
 * the lanes' bests; write any further terms after them (raising `bests` as needed), then `sums(count)` for the
 * lanes' sums over the first `count` into `totals`. Undefined where WebAssembly SIMD is not there (or it is
 * turned off). The views are valid until the next call.
 */
export const denseSimd = (
  kernels: SimdKernels,
  extraSize: number,
):
  | {
      readonly listed: number;
      readonly y: Float64Array;
      readonly terms: Float64Array;
      readonly bests: Float64Array;
      readonly totals: Float64Array;
      kernelTerms(): void;
      sums(count: number): void;
    }
  | undefined => {
  if (!enabled) return undefined;
  if (instance === undefined) instance = instantiate();
  if (instance === null) return undefined;
  const { memory, terms, sums } = instance;
  const { d, size, logCoefs } = kernels;
  // Layout (bytes): the table, bests, totals, y, centres, inverse widths, coefficients, terms.
  const bestsAt = 512;
  const totalsAt = 544;
  const yAt = 576;
  const musAt = yAt + 32 * d;
  const invAt = musAt + 8 * size * d;
  const coefsAt = invAt + 8 * size * d;
  const termsAt = coefsAt + 8 * size;
  const end = termsAt + 32 * (size + extraSize);
  if (end > memory.buffer.byteLength) {
    try {
      memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    } catch {
      // Past what the module's memory can hold (4 GiB) or the process can get: this pass runs in the loops.
      return undefined;
    }
  }
  const { buffer } = memory;
  const mus = new Float64Array(buffer, musAt, size * d);
  const invSigmas = new Float64Array(buffer, invAt, size * d);
  const coefs = new Float64Array(buffer, coefsAt, size);
  // Runs of kernels to keep, each copied at once.
  const prior = size - 1;
  let listed = 0;
  for (let k = 0; k < size; ) {
    if (logCoefs[k] === Number.NEGATIVE_INFINITY && k < prior) {
      k++;
      continue;
    }
    let stop = k + 1;
    while (stop < size && (logCoefs[stop] !== Number.NEGATIVE_INFINITY || stop === prior)) stop++;
    mus.set(kernels.mus.subarray(k * d, stop * d), listed * d);
    invSigmas.set(kernels.invSigmas.subarray(k * d, stop * d), listed * d);
    coefs.set(logCoefs.subarray(k, stop), listed);
    listed += stop - k;
    k = stop;
  }
  return {
    listed,
    y: new Float64Array(buffer, yAt, 4 * d),
    terms: new Float64Array(buffer, termsAt, 4 * (listed + extraSize)),
    bests: new Float64Array(buffer, bestsAt, 4),
    totals: new Float64Array(buffer, totalsAt, 4),
    kernelTerms: () => terms(listed, d, musAt, invAt, coefsAt, yAt, termsAt, bestsAt),
    sums: (count) => sums(count, termsAt, bestsAt, totalsAt),
  };
};
