import { createRng, type Distribution } from '@parzen/engine/plugin';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../math/eigen.js';
import { resolveTpeSettings } from '../options.js';
import { buildDensity, type Density, estimatorDensity } from './density.js';
import { type Encoding, optunaEncoding } from './encoding.js';
import { optunaFamily } from './families/optuna.js';
import type { FamilySettings } from './family.js';
import { framedDensity, frameEstimator, principalFrame, turnedParams } from './frame.js';
import { type NumericKernels, strongestComponent } from './parzen-estimator.js';

const settings: FamilySettings = { priorWeight: 1, forgetting: 0, bandwidthFloor: 0.01, bandwidthExponent: 1 };
const uniform = (low: number, high: number): Distribution => ({ kind: 'uniform', low, high });
const columnsOf = (...columns: number[][]) => columns.map((values) => ({ values: Float64Array.from(values) }));

/** Points along the valley x + y = 1 of the box [-2, 2]², as the below trials of a coupled problem lie. */
const valley = (n: number) => {
  const xs = Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1));
  return { xs, ys: xs.map((x, i) => 1 - x + 0.01 * Math.sin(3 * i)) };
};

describe('symmetricEigen', () => {
  it('diagonalises symmetric matrices with orthonormal eigenvectors (property)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 8 })
          .chain((m) =>
            fc.tuple(
              fc.constant(m),
              fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: m * m, maxLength: m * m }),
            ),
          ),
        ([m, entries]) => {
          const a = Float64Array.from({ length: m * m }, (_, k) => {
            const i = Math.floor(k / m);
            const j = k % m;
            return 0.5 * ((entries[i * m + j] as number) + (entries[j * m + i] as number));
          });
          const { values, vectors } = symmetricEigen(a, m);
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < m; j++) {
              let dot = 0;
              let rebuilt = 0;
              for (let k = 0; k < m; k++) {
                dot += (vectors[k * m + i] as number) * (vectors[k * m + j] as number);
                rebuilt += (vectors[i * m + k] as number) * (values[k] as number) * (vectors[j * m + k] as number);
              }
              expect(dot).toBeCloseTo(i === j ? 1 : 0, 9);
              expect(rebuilt).toBeCloseTo(a[i * m + j] as number, 8);
            }
          }
        },
      ),
    );
  });
});

describe('principalFrame', () => {
  const encodings = [uniform(-2, 2), uniform(-2, 2)].map(optunaEncoding);

  it('turns the axes onto the direction the below trials spread along', () => {
    const { xs, ys } = valley(12);
    const frame = principalFrame(encodings, columnsOf(xs, ys));
    expect(frame).toBeDefined();
    const axes = frame?.axes as Float64Array;
    // The axis of largest spread (the valley) is ±(1, −1)/√2 in unit coordinates, the other ±(1, 1)/√2.
    const along = [0, 1].find((a) => Math.abs((axes[a] as number) + (axes[2 + a] as number)) < 0.05) as number;
    expect(along).toBeDefined();
    expect(Math.abs(axes[along] as number)).toBeCloseTo(Math.SQRT1_2, 2);
    expect(Math.abs(axes[1 - along] as number)).toBeCloseTo(Math.SQRT1_2, 2);
    expect(axes[1 - along] as number).toBeCloseTo(axes[2 + (1 - along)] as number, 2);
  });

  it('turns only continuous parameters, and keeps the axes with fewer than two of them, of trials, or of distinct trials', () => {
    const mixed: Encoding[] = [
      optunaEncoding(uniform(-2, 2)),
      optunaEncoding({ kind: 'categorical', size: 3 }),
      optunaEncoding({ kind: 'quniform', low: 0, high: 10, q: 1 }),
      optunaEncoding({ kind: 'loguniform', low: 1e-3, high: 1 }),
    ];
    const frame = principalFrame(mixed, columnsOf([0.1, 0.5, -1], [0, 2, 1], [3, 4, 5], [0.01, 0.1, 0.5]));
    expect(Array.from(frame?.dims ?? [])).toEqual([0, 3]);
    expect(principalFrame(mixed.slice(0, 3), columnsOf([0.1, 0.5], [0, 2], [3, 4]))).toBeUndefined();
    expect(principalFrame(encodings, columnsOf([0.1], [0.2]))).toBeUndefined();
    expect(
      turnedParams([
        { name: 'x', distribution: { kind: 'uniform', low: 0, high: 1 } },
        { name: 'c', distribution: { kind: 'categorical', size: 3 } },
        { name: 'q', distribution: { kind: 'quniform', low: 0, high: 10, q: 1 } },
        { name: 'lr', distribution: { kind: 'loguniform', low: 1e-3, high: 1 } },
        { name: 'mem', distribution: { kind: 'qloguniform', low: 10, high: 1000, q: 10 } },
      ]),
    ).toEqual(['x', 'lr', 'mem']);
    // Below trials that coincide give no direction: the axes stay (not a rotation made of rounding noise).
    expect(principalFrame(encodings, columnsOf([0.3, 0.3, 0.3], [1.1, 1.1, 1.1]))).toBeUndefined();
    const same = Array.from({ length: 26 }, () => 1.8547709607422647);
    expect(principalFrame(encodings, columnsOf(same, same))).toBeUndefined();
  });
});

describe('framedDensity', () => {
  const encodings = [uniform(-2, 2), uniform(-2, 2)].map(optunaEncoding);
  const { xs, ys } = valley(12);
  const columns = columnsOf(xs, ys);
  const frame = principalFrame(encodings, columns);
  if (frame === undefined) throw new Error('a frame');
  const framed = framedDensity(optunaFamily, encodings, columns, settings, frame);

  /** Each turned kernel's w_k N(y; c_k, A diag(σ_k²) Aᵀ) at (x, y), in unit coordinates, by hand. */
  const estimator = frameEstimator(optunaFamily, encodings, columns, settings, frame);
  const turnedTerms = (x: number, y: number): number[] => {
    const [first, second] = estimator.dimensions as NumericKernels[];
    const [a00, a01, a10, a11] = Array.from(frame.axes);
    const px = (x + 2) / 4;
    const py = (y + 2) / 4;
    return Array.from(estimator.weights, (w, k) => {
      const [m0, m1] = [first?.mus[k] ?? 0, second?.mus[k] ?? 0];
      const [v0, v1] = [(first?.sigmas[k] ?? 0) ** 2, (second?.sigmas[k] ?? 0) ** 2];
      // The kernel's centre and covariance A diag(v) Aᵀ in unit coordinates.
      const cx = 0.5 + (a00 ?? 0) * m0 + (a01 ?? 0) * m1;
      const cy = 0.5 + (a10 ?? 0) * m0 + (a11 ?? 0) * m1;
      const sxx = (a00 ?? 0) ** 2 * v0 + (a01 ?? 0) ** 2 * v1;
      const syy = (a10 ?? 0) ** 2 * v0 + (a11 ?? 0) ** 2 * v1;
      const sxy = (a00 ?? 0) * (a10 ?? 0) * v0 + (a01 ?? 0) * (a11 ?? 0) * v1;
      const det = sxx * syy - sxy * sxy;
      const dx = px - cx;
      const dy = py - cy;
      const q = (syy * dx * dx - 2 * sxy * dx * dy + sxx * dy * dy) / det;
      return (w * Math.exp(-0.5 * q)) / (2 * Math.PI * Math.sqrt(det));
    });
  };
  const probes = [
    [0, 1],
    [0.5, 0.4],
    [-1.5, 1.9],
    [1.2, -0.7],
  ];

  it('is the mixture of turned kernels, Σ_k w_k N(y; c_k, A diag(σ_k²) Aᵀ) in unit coordinates, cut to the box', () => {
    const logs = framed.logPdf(
      [Float64Array.from(probes, (p) => p[0] as number), Float64Array.from(probes, (p) => p[1] as number)],
      false,
    );
    probes.forEach(([x, y], i) => {
      const direct = Math.log(turnedTerms(x as number, y as number).reduce((a, b) => a + b, 0));
      expect(logs[i] as number).toBeCloseTo(direct, 9);
    });
  });

  it("names the turned kernel with the largest share of l at a point, as its own frame has it (review 111: the axes view's named another)", () => {
    for (const [x, y] of probes) {
      const terms = turnedTerms(x as number, y as number);
      const total = terms.reduce((a, b) => a + b, 0);
      const strongest = terms.indexOf(Math.max(...terms));
      const found = framed.kernelAt?.([x as number, y as number]);
      expect(found?.component).toBe(strongest);
      expect(found?.share).toBeCloseTo((terms[strongest] as number) / total, 9);
    }
  });

  it("names the kernel with the largest share of l where the default's kernels are not round, unlike the axes view (review 111)", () => {
    // The default profile's settings at half width, 8 good trials along a diagonal of [0, 1]².
    const tpe = { ...resolveTpeSettings({}), bandwidthScale: 0.5 };
    const unit = [uniform(0, 1), uniform(0, 1)].map(optunaEncoding);
    const rng = createRng('diagonal');
    const xs = Array.from({ length: 8 }, () => 0.1 + 0.8 * rng.next());
    const diagonal = columnsOf(
      xs,
      xs.map((x) => Math.min(1, Math.max(0, x + 0.02 * (rng.next() - 0.5)))),
    );
    const turned = principalFrame(unit, diagonal) as NonNullable<ReturnType<typeof principalFrame>>;
    const density = framedDensity(optunaFamily, unit, diagonal, tpe, turned);
    const inFrame = frameEstimator(optunaFamily, unit, diagonal, tpe, turned);
    // A point in the frame's coordinates: u = Aᵀ (y − ½), y the point in unit coordinates.
    const toFrame = (x: number, y: number) =>
      [0, 1].map((a) =>
        [x, y].reduce(
          (sum, v, i) =>
            sum +
            (turned.axes[i * 2 + a] as number) * ((v - (turned.lows[i] as number)) / (turned.spans[i] as number) - 0.5),
          0,
        ),
      );
    const axes = estimatorDensity(density.estimator(), unit);
    let differs = 0;
    const probe = createRng('probes');
    for (let t = 0; t < 100; t++) {
      const [x, y] = density.sample(probe, 1).map((column) => column[0] as number) as [number, number];
      const truth = strongestComponent(
        inFrame,
        toFrame(x, y).map((u) => ({ at: Float64Array.of(u) })),
      );
      const found = density.kernelAt?.([x, y]);
      expect(found?.component).toBe(truth?.component);
      expect(found?.share).toBeCloseTo(truth?.share as number, 9);
      if (axes.kernelAt?.([x, y])?.component !== truth?.component) differs++;
    }
    // The case the frame's own decomposition is for: the axes view names another kernel at some points.
    expect(differs).toBeGreaterThan(0);
  });

  it('with exact, integrates to about 1 over the box, turned kernels near its edges included', () => {
    const steps = 200;
    const h = 4 / steps;
    const grid = Array.from({ length: steps }, (_, i) => -2 + (i + 0.5) * h);
    const gx = Float64Array.from(grid.flatMap((x) => grid.map(() => x)));
    const gy = Float64Array.from(grid.flatMap(() => grid));
    const massOf = (density: Density) =>
      density.logPdf([gx, gy], true).reduce((sum, log) => sum + Math.exp(log) * h * h, 0);
    expect(massOf(framed)).toBeGreaterThan(0.98);
    expect(massOf(framed)).toBeLessThan(1.02);
    // Four trials far apart along the anti-diagonal: long turned kernels that cross the box's corners
    // (their mass is not the product of their marginals').
    const corner = columnsOf([-1.8, -0.6, 0.6, 1.8], [1.8, 0.6, -0.6, -1.8]);
    const cornerFrame = principalFrame(encodings, corner);
    if (cornerFrame === undefined) throw new Error('a frame');
    const turned = framedDensity(optunaFamily, encodings, corner, settings, cornerFrame);
    expect(massOf(turned)).toBeGreaterThan(0.98);
    expect(massOf(turned)).toBeLessThan(1.02);
  });

  it('draws inside the box, as often in a region as the density says', () => {
    const draws = framed.sample(createRng('frame-draws'), 20_000);
    const [dx, dy] = draws as [Float64Array, Float64Array];
    expect(dx.every((x) => x >= -2 && x <= 2) && dy.every((y) => y >= -2 && y <= 2)).toBe(true);
    // The region x > 0, y > 0.8 by the draws and by the density on a grid.
    const share = dx.filter((x, i) => x > 0 && (dy[i] as number) > 0.8).length / dx.length;
    const steps = 200;
    const h = 4 / steps;
    const grid = Array.from({ length: steps }, (_, i) => -2 + (i + 0.5) * h);
    const gx = Float64Array.from(grid.flatMap((x) => grid.map(() => x)));
    const gy = Float64Array.from(grid.flatMap(() => grid));
    const logs = framed.logPdf([gx, gy], false);
    let total = 0;
    let inRegion = 0;
    logs.forEach((log, i) => {
      total += Math.exp(log);
      if ((gx[i] as number) > 0 && (gy[i] as number) > 0.8) inRegion += Math.exp(log);
    });
    expect(share).toBeGreaterThan(0.05);
    expect(Math.abs(share - inRegion / total)).toBeLessThan(0.015);
  });

  it('draws along the valley the below trials lie in, where the axes-aligned density spreads across it', () => {
    // Eight trials half a unit apart along x + y = 1: the widths along the valley are the gaps, across it
    // the smallest width the family allows; the axes' kernels are as wide across as along.
    const sparse = columnsOf(
      Array.from({ length: 8 }, (_, i) => -1 + 0.5 * i),
      Array.from({ length: 8 }, (_, i) => 2 - 0.5 * i + 0.01 * Math.sin(3 * i)),
    );
    const sparseFrame = principalFrame(encodings, sparse);
    if (sparseFrame === undefined) throw new Error('a frame');
    // Halfway between two neighbouring trials on the valley, and as far from the first of them across it.
    const on = [Float64Array.of(0.75), Float64Array.of(0.25)];
    const off = [Float64Array.of(0.5 + 0.25), Float64Array.of(1.5 + 0.25)];
    const contrast = (density: Density) =>
      (density.logPdf(on, false)[0] as number) - (density.logPdf(off, false)[0] as number);
    const turned = framedDensity(optunaFamily, encodings, sparse, settings, sparseFrame);
    const aligned = buildDensity(optunaFamily, encodings, sparse, settings);
    expect(contrast(turned)).toBeGreaterThan(contrast(aligned) + 1);
    // And its draws stay nearer the valley.
    const across = (draws: Float64Array[]) => {
      const offsets = Array.from(draws[0] as Float64Array, (x, i) =>
        Math.abs(x + ((draws[1] as Float64Array)[i] as number) - 1),
      );
      return offsets.sort((p, q) => p - q)[offsets.length >> 1] as number;
    };
    expect(across(turned.sample(createRng('valley'), 4000))).toBeLessThan(
      0.85 * across(aligned.sample(createRng('valley'), 4000)),
    );
  });

  it("shows explanations each parameter's marginal on its own axis, in the parameter's model space", () => {
    const view = framed.estimator();
    const draws = framed.sample(createRng('marginals'), 20_000);
    view.dimensions.forEach((dimension, j) => {
      if (dimension.kind !== 'numeric') throw new Error('numeric');
      expect([dimension.low, dimension.high]).toEqual([-2, 2]);
      // The marginal's mean (kernels cut to the bounds, weights as l's) against the draws' mean.
      const grid = Float64Array.from({ length: 801 }, (_, i) => -2 + i * 0.005);
      const marginal = estimatorDensity({ ...view, dimensions: [dimension] }, [encodings[j] as Encoding]);
      const density = marginal.logPdf([grid], true).map(Math.exp);
      const mass = density.reduce((sum, p) => sum + p * 0.005, 0);
      const mean = density.reduce((sum, p, i) => sum + p * (grid[i] as number) * 0.005, 0) / mass;
      const drawn = (draws[j] as Float64Array).reduce((sum, x) => sum + x, 0) / 20_000;
      expect(mass).toBeGreaterThan(0.97);
      expect(Math.abs(mean - drawn)).toBeLessThan(0.05);
    });
  });

  it('keeps the other dimensions of a mixed group as they are: choices are drawn from their kernels', () => {
    const mixed: Encoding[] = [...encodings, optunaEncoding({ kind: 'categorical', size: 3 })];
    const mixedColumns = columnsOf(
      xs,
      ys,
      xs.map(() => 2),
    );
    const mixedFrame = principalFrame(mixed, mixedColumns);
    if (mixedFrame === undefined) throw new Error('a frame');
    const density = framedDensity(optunaFamily, mixed, mixedColumns, settings, mixedFrame);
    const draws = density.sample(createRng('mixed'), 4000);
    const options = draws[2] as Float64Array;
    expect(options.every((c) => c === 0 || c === 1 || c === 2)).toBe(true);
    expect(options.filter((c) => c === 2).length / options.length).toBeGreaterThan(0.7);
    // The choice's kernels are the family's own: its log density shifts l as the family's marginal does.
    const at = (c: number) =>
      density.logPdf([Float64Array.of(0), Float64Array.of(1), Float64Array.of(c)], false)[0] as number;
    expect(at(2)).toBeGreaterThan(at(0) + 1);
  });
});
