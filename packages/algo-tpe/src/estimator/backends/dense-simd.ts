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
type MixedFunction = (...addresses: readonly number[]) => void;

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
const or = simd(0x50);
const anyTrue = simd(0x53);
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
/** Local `local` += `bytes`. */
const moveOn = (local: number, bytes: number) => [...get(local), ...i32(bytes), ...add32, ...set(local)];

/** Local `end` = local `base` + local `count` · `stride`: where a loop over `count` items of `stride` bytes ends. */
const endOf = (base: number, count: number, stride: number, end: number) => [
  ...get(base),
  ...get(count),
  ...i32(stride),
  ...mul32,
  ...add32,
  ...set(end),
];

/** A loop that runs while local `at` < local `end`, `body` then `at` += `step`. */
const loopWhile = (at: number, end: number, step: number, body: number[]) => [
  ...[0x02, 0x40, 0x03, 0x40],
  ...get(at),
  ...get(end),
  ...geU32,
  ...[0x0d, 1],
  ...body,
  ...moveOn(at, step),
  ...[0x0c, 0],
  ...[0x0b, 0x0b],
];

/** The locals a continuous dimension's step of a terms body reads and moves on. */
interface GaussianLocals {
  readonly mus: number;
  readonly invs: number;
  readonly py: number;
  readonly t01: number;
  readonly t23: number;
  readonly mu: number;
  readonly inverse: number;
  readonly z: number;
  readonly half: number;
}

/**
 * One continuous dimension of a kernel's terms: t −= 0.5·z·z with z = (y − μ)·(1/σ), for the lanes at py and
 * py + 16; then the inverse widths one on and the point one dimension on (the caller's loop moves `mus`).
 */
const gaussianDimension = ({ mus, invs, py, t01, t23, mu, inverse, z, half }: GaussianLocals): number[] => {
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
  return [
    ...get(mus),
    ...load64Splat,
    ...set(mu),
    ...get(invs),
    ...load64Splat,
    ...set(inverse),
    ...lane(0, t01),
    ...lane(16, t23),
    ...moveOn(invs, 8),
    ...moveOn(py, 32),
  ];
};

/** The bests start at −∞, and `half` holds 0.5. */
const startBests = (half: number, b01: number, b23: number): number[] => [
  ...splat(0.5),
  ...set(half),
  ...splat(Number.NEGATIVE_INFINITY),
  ...set(b01),
  ...splat(Number.NEGATIVE_INFINITY),
  ...set(b23),
];

/** A kernel's four terms stored at `terms`, the lanes' bests raised by them (pmax), `terms` one kernel on. */
const storeKernel = (terms: number, t01: number, t23: number, b01: number, b23: number): number[] => [
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
  ...moveOn(terms, 32),
];

/** The lanes' bests stored at `bests`. */
const storeBests = (bests: number, b01: number, b23: number): number[] => [
  ...get(bests),
  ...get(b01),
  ...store(0),
  ...get(bests),
  ...get(b23),
  ...store(16),
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
  const dimension = gaussianDimension({ mus, invs, py, t01, t23, mu, inverse, z, half });
  const kernel = [
    ...get(coefs),
    ...load64Splat,
    ...set(t01),
    ...get(t01),
    ...set(t23),
    ...get(y),
    ...set(py),
    ...endOf(mus, d, 8, dimEnd),
    ...loopWhile(mus, dimEnd, 8, dimension),
    ...storeKernel(terms, t01, t23, b01, b23),
  ];
  return [
    ...[2, 3, I32, 8, V128],
    ...startBests(half, b01, b23),
    ...endOf(coefs, size, 8, coefEnd),
    ...loopWhile(coefs, coefEnd, 8, kernel),
    ...storeBests(bests, b01, b23),
    0x0b,
  ];
};

/**
 * mixed(size, nc, mus, invSigmas, coefs, y, terms, bests, nt, indices, tables, rowBytes): {@link termsBody}'s
 * terms over the `nc` continuous dimensions (centres and inverse widths comp-major over those alone), then per
 * table dimension t < nt in order, lane r's term plus the double at tables + index + r·rowBytes, where index is
 * kernel k's entry t of the i32 `indices` (nt per kernel, byte offsets); each lane's best into bests.
 */
const mixedBody = (): number[] => {
  // Parameters 0-11, then locals: 12 coefEnd, 13 dimEnd, 14 py, 15 indexEnd, 16 at, 17 row2, 18 row3 (i32);
  // 19 t01, 20 t23, 21 b01, 22 b23, 23 mu, 24 inverse, 25 z, 26 half (v128).
  const [size, nc, mus, invs, coefs, y, terms, bests, nt, indices, tables, rowBytes] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
  ];
  const [coefEnd, dimEnd, py, indexEnd, at, row2, row3] = [12, 13, 14, 15, 16, 17, 18];
  const [t01, t23, b01, b23, mu, inverse, z, half] = [19, 20, 21, 22, 23, 24, 25, 26];
  const dimension = gaussianDimension({ mus, invs, py, t01, t23, mu, inverse, z, half });
  /** The two lanes' doubles at `at` + first and `at` + second (locals holding row offsets, or none for 0). */
  const pair = (first: number | undefined, second: number) => [
    ...get(at),
    ...get(second),
    ...add32,
    ...get(at),
    ...(first === undefined ? [] : [...get(first), ...add32]),
    ...load64Zero,
    ...load64Lane1,
  ];
  const table = [
    ...get(tables),
    ...get(indices),
    ...[0x28, 2, 0],
    ...add32,
    ...set(at),
    ...get(t01),
    ...pair(undefined, rowBytes),
    ...fadd,
    ...set(t01),
    ...get(t23),
    ...pair(row2, row3),
    ...fadd,
    ...set(t23),
  ];
  const kernel = [
    ...get(coefs),
    ...load64Splat,
    ...set(t01),
    ...get(t01),
    ...set(t23),
    ...get(y),
    ...set(py),
    ...endOf(mus, nc, 8, dimEnd),
    ...loopWhile(mus, dimEnd, 8, dimension),
    ...endOf(indices, nt, 4, indexEnd),
    ...loopWhile(indices, indexEnd, 4, table),
    ...storeKernel(terms, t01, t23, b01, b23),
  ];
  return [
    ...[2, 7, I32, 8, V128],
    ...startBests(half, b01, b23),
    ...get(rowBytes),
    ...get(rowBytes),
    ...add32,
    ...set(row2),
    ...get(row2),
    ...get(rowBytes),
    ...add32,
    ...set(row3),
    ...endOf(coefs, size, 8, coefEnd),
    ...loopWhile(coefs, coefEnd, 8, kernel),
    ...storeBests(bests, b01, b23),
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
  // A kernel whose four terms are all at or below their floors adds +0 to every sum, which leaves each as it
  // is (a sum starts at +0 and never turns −0): it is skipped.
  const kernel = [
    ...get(terms),
    ...load(0),
    ...get(f01),
    ...gt,
    ...get(terms),
    ...load(16),
    ...get(f23),
    ...gt,
    ...or,
    ...anyTrue,
    ...[0x04, 0x40],
    ...lane(0, b01, f01, s01),
    ...lane(16, b23, f23, s23),
    0x0b,
  ];
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
    ...endOf(terms, count, 32, end),
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

/** The module: one memory (exported), `terms`, `sums` and `mixed` (see their bodies). */
const moduleBytes = (): Uint8Array =>
  Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    // Types: (i32 × 8) → (), (i32 × 4) → (), (i32 × 12) → ().
    ...section(1, [
      3,
      ...[0x60, 8, ...new Array(8).fill(I32), 0],
      ...[0x60, 4, ...new Array(4).fill(I32), 0],
      ...[0x60, 12, ...new Array(12).fill(I32), 0],
    ]),
    ...section(3, [3, 0, 1, 2]),
    ...section(5, [1, 0, 1]),
    ...section(7, [
      4,
      ...[...name('memory'), 2, 0],
      ...[...name('terms'), 0, 0],
      ...[...name('sums'), 0, 1],
      ...[...name('mixed'), 0, 2],
    ]),
    ...section(10, [3, ...code(termsBody()), ...code(sumsBody()), ...code(mixedBody())]),
  ]);

const PAGE = 65536;

interface SimdInstance {
  readonly memory: WasmMemory;
  readonly terms: TermsFunction;
  readonly sums: SumsFunction;
  readonly mixed: MixedFunction;
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
    mixed: exports.mixed as MixedFunction,
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

/**
 * Where a pass's buffers start in the memory (bytes): the table, the bests, the totals, the four points (d
 * dimensions), the kernels' centres and inverse widths (comp-major, d per kernel), their coefficients, the terms.
 */
const layout = (d: number, size: number) => {
  const yAt = 576;
  const musAt = yAt + 32 * d;
  const invAt = musAt + 8 * size * d;
  const coefsAt = invAt + 8 * size * d;
  return { bestsAt: 512, totalsAt: 544, yAt, musAt, invAt, coefsAt, termsAt: coefsAt + 8 * size };
};

/**
 * The module's memory, grown to hold `end` bytes when it does not; undefined past what it can hold (4 GiB) or
 * the process can get: then the pass runs in the loops.
 */
const grownTo = (memory: WasmMemory, end: number): ArrayBuffer | undefined => {
  if (end > memory.buffer.byteLength) {
    try {
      memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    } catch {
      return undefined;
    }
  }
  return memory.buffer;
};

/** The instance where the module is there and turned on (made on first use), else undefined. */
const ready = (): SimdInstance | undefined => {
  if (!enabled) return undefined;
  if (instance === undefined) instance = instantiate();
  return instance ?? undefined;
};

/** One dense pass's views in the module's memory (valid until the next pass) and its two calls. */
export interface SimdPass {
  /** The four points, interleaved (dimension j of lane r at 4j + r). */
  readonly y: Float64Array;
  /** Lane r of kernel k's term at 4k + r. */
  readonly terms: Float64Array;
  /** Each lane's best term. */
  readonly bests: Float64Array;
  /** Each lane's sum. */
  readonly totals: Float64Array;
  /** The kernels' terms at the points, and the lanes' bests. */
  kernelTerms(): void;
  /** The lanes' sums over the first `count` kernels' terms. */
  sums(count: number): void;
}

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
): (SimdPass & { readonly listed: number }) | undefined => {
  const made = ready();
  if (made === undefined) return undefined;
  const { memory, terms, sums } = made;
  const { d, size, logCoefs } = kernels;
  const { bestsAt, totalsAt, yAt, musAt, invAt, coefsAt, termsAt } = layout(d, size);
  const buffer = grownTo(memory, termsAt + 32 * (size + extraSize));
  if (buffer === undefined) return undefined;
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

/**
 * One dense pass's buffers in the module's memory for a product with table dimensions (binned or categorical,
 * after the continuous ones in the order their terms are summed): the continuous dimensions' centres and
 * inverse widths (`continuous`, in order) and the coefficients copied in (every kernel listed, the prior last).
 * Fill `indices` once: kernel k's entry in table t at k · tableCount + t, the byte offset 8 · (4t · `rowLength` + i)
 * of its entry i in the table's rows; then per four points write their continuous values into `y` (continuous dimension c of lane r at 4c + r) and
 * their table rows into `tables` (table t's row of lane r at (4t + r) · `rowLength`), call `kernelTerms` for the
 * terms (lane r of kernel k at `terms[4k + r]`: the coefficient, minus 0.5·z·z per continuous dimension, plus
 * the lane's row entry per table dimension, in that order) and the lanes' bests; write any further terms after
 * them (raising `bests`), then `sums(count)` as {@link denseSimd}'s. Undefined where WebAssembly SIMD is not there
 * (or it is turned off). The views are valid until the next call.
 */
export const denseSimdTables = (
  kernels: SimdKernels,
  continuous: readonly number[],
  tableCount: number,
  rowLength: number,
  extraSize: number,
): (SimdPass & { readonly tables: Float64Array; readonly indices: Int32Array }) | undefined => {
  const made = ready();
  if (made === undefined) return undefined;
  const { memory, mixed, sums } = made;
  const { d, size, logCoefs } = kernels;
  const nc = continuous.length;
  // The layout's buffers, then the table dimensions' indices and rows.
  const { bestsAt, totalsAt, yAt, musAt, invAt, coefsAt, termsAt } = layout(nc, size);
  const indicesAt = termsAt + 32 * (size + extraSize);
  const tablesAt = indicesAt + 8 * Math.ceil((size * tableCount) / 2);
  const buffer = grownTo(memory, tablesAt + 32 * tableCount * rowLength);
  if (buffer === undefined) return undefined;
  const mus = new Float64Array(buffer, musAt, size * nc);
  const invSigmas = new Float64Array(buffer, invAt, size * nc);
  for (let k = 0, from = 0, to = 0; k < size; k++, from += d, to += nc)
    for (let c = 0; c < nc; c++) {
      const j = continuous[c] as number;
      mus[to + c] = kernels.mus[from + j] as number;
      invSigmas[to + c] = kernels.invSigmas[from + j] as number;
    }
  new Float64Array(buffer, coefsAt, size).set(logCoefs.subarray(0, size));
  const indices = new Int32Array(buffer, indicesAt, size * tableCount);
  return {
    y: new Float64Array(buffer, yAt, 4 * nc),
    tables: new Float64Array(buffer, tablesAt, 4 * tableCount * rowLength),
    terms: new Float64Array(buffer, termsAt, 4 * (size + extraSize)),
    bests: new Float64Array(buffer, bestsAt, 4),
    totals: new Float64Array(buffer, totalsAt, 4),
    indices,
    kernelTerms: () =>
      mixed(size, nc, musAt, invAt, coefsAt, yAt, termsAt, bestsAt, tableCount, indicesAt, tablesAt, 8 * rowLength),
    sums: (count) => sums(count, termsAt, bestsAt, totalsAt),
  };
};
