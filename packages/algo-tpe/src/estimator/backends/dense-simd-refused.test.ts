import { afterAll, expect, test } from 'vitest';
import type { CategoricalKernels } from '../parzen-estimator.js';
import { denseSimd, forgetDenseSimd } from './dense-simd.js';
import {
  CATEGORICAL,
  CONTINUOUS,
  denseProduct,
  type MixedDimensions,
  mixedDimensions,
  type ProductKernels,
  visitProduct,
} from './pruned-product.js';

// The module is instantiated once per process, on first use: forgotten here before and after, so that this test
// makes it under a WebAssembly that refuses to compile, and the tests after it get the real one again.
/** WebAssembly's API, as far as this test reads it (TypeScript's lib has its types only with the DOM's). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
}
const host = globalThis as unknown as { WebAssembly: WasmApi };
const realWebAssembly = host.WebAssembly;
afterAll(() => {
  host.WebAssembly = realWebAssembly;
  forgetDenseSimd();
});

/** As in a `vm` context without wasm code generation: validate works, compiling throws; the module made again. */
const refuseCompiling = (): void => {
  host.WebAssembly = {
    validate: (bytes: Uint8Array) => realWebAssembly.validate(bytes),
    Module: function refused() {
      throw new Error('WebAssembly.Module(): Wasm code generation disallowed by embedder');
    },
  } as WasmApi;
  forgetDenseSimd();
};

const kernels = (d: number, size: number): ProductKernels => {
  let state = 3;
  const uniform = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return {
    d,
    size,
    mus: Float64Array.from({ length: size * d }, () => 0.3 + 0.2 * (uniform() - 0.5)),
    invSigmas: Float64Array.from({ length: size * d }, () => 1 / (0.01 + 0.05 * uniform())),
    logCoefs: Float64Array.from({ length: size }, () => -Math.log(size) + uniform()),
  };
};

test('where WebAssembly is there but compiling is refused, the dense pass runs in the JavaScript loops', () => {
  refuseCompiling();
  const d = 5;
  const made = kernels(d, 200);
  expect(denseSimd(made, 0)).toBeUndefined();
  const bounds = Array.from({ length: d }, () => ({ low: 0, high: 1 }));
  const points = Array.from({ length: d }, (_, j) => ({
    at: Float64Array.from({ length: 9 }, (_, i) => 0.2 + 0.02 * i + 0.01 * j),
  }));
  const extra = { ...kernels(d, 3), size: 3 };
  const dense = new Float64Array(9);
  denseProduct(made, bounds, points, extra, dense, 0);
  expect(Array.from(dense)).toEqual(Array.from(visitProduct(made, bounds, points, extra)));
});

test('where compiling is refused, a product with a choice (its tables in the module elsewhere) runs in the loops, the same bits', () => {
  refuseCompiling();
  const size = 120;
  const prior = Float64Array.of(0.4, 0.3, 0.2, 0.1);
  const choice: CategoricalKernels = {
    kind: 'categorical',
    prior,
    options: Int32Array.from({ length: size }, (_, k) => (k === size - 1 ? -1 : (k * 7) % 4)),
    keep: 0.9,
  };
  const mixed = mixedDimensions(Uint8Array.of(CONTINUOUS, CATEGORICAL), [undefined, choice]) as MixedDimensions;
  const made = { ...kernels(2, size), mixed };
  const bounds = [
    { low: 0, high: 1 },
    { low: 0, high: 1 },
  ];
  const points = [
    { at: Float64Array.from({ length: 9 }, (_, i) => 0.2 + 0.02 * i) },
    { at: Float64Array.from({ length: 9 }, (_, i) => i % 4) },
  ];
  const dense = new Float64Array(9);
  denseProduct(made, bounds, points, undefined, dense, 0);
  expect(Array.from(dense)).toEqual(Array.from(visitProduct(made, bounds, points, undefined)));
});
