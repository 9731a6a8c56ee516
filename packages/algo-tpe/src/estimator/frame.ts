import { createRng, type Distribution, standardNormal, weightedIndex } from '@parzen/engine/plugin';
import { symmetricEigen } from '../math/eigen.js';
import { logSumExp } from '../math/log-sum-exp.js';
import { mapped, tabulated } from '../math/mapped.js';
import { buildEstimator, chooseBackend, type Density, pointsOf, valuesOf } from './density.js';
import { type Encoding, type NumericEncoding, optunaEncoding } from './encoding.js';
import type { DensityFamily, FamilySettings, ObservationColumn } from './family.js';
import {
  type DimensionPoints,
  type KernelDimension,
  logKernelMass,
  type NumericKernels,
  type ParzenEstimator,
  sampleKernel,
  strongestComponent,
} from './parzen-estimator.js';

/**
 * A rotation of some continuous dimensions of a group, plain data. Framed dimension i (group dimension
 * `dims[i]`) is first mapped onto the unit interval, `y_i = (model value − lows[i]) / spans[i]`; frame
 * coordinate a is `u_a = Σ_i axes[i·m + a] · (y_i − ½)`: the columns of `axes` are orthonormal, so the
 * frame is the unit box turned about its centre.
 */
export interface Frame {
  /** The group dimensions turned, m of them: framed dimension i is group dimension `dims[i]`. */
  readonly dims: Int32Array;
  /** Each framed dimension's lower bound, in model space. */
  readonly lows: Float64Array;
  /** Each framed dimension's range (upper − lower bound), in model space. */
  readonly spans: Float64Array;
  /** m × m, row-major; column a is frame axis a in unit coordinates. */
  readonly axes: Float64Array;
}

/**
 * The smallest total variance (in unit coordinates, so a spread of 1e-6 of the range) of the below trials
 * that a frame turns onto: below it the covariance is rounding noise (computed as E[y²] − E[y]², equal
 * values leave up to about 1e-15), which would turn the axes at random.
 */
const MIN_SPREAD = 1e-12;

/** Dimensions a frame can turn: numeric, continuous (not bins), bounded, without a density Jacobian. */
const turnable = (encoding: Encoding): encoding is NumericEncoding =>
  encoding.kind === 'numeric' &&
  !encoding.binned &&
  !encoding.jacobian &&
  Number.isFinite(encoding.low) &&
  Number.isFinite(encoding.high) &&
  encoding.high > encoding.low;

/**
 * The parameters of a joint decision that `frame: "principal"` turns: its continuous ones in the
 * joint density family's encoding (choices, integers and linear grids keep their axes). A frame needs two.
 */
export const turnedParams = (
  params: readonly { readonly name: string; readonly distribution: Distribution }[],
): string[] => params.filter((param) => turnable(optunaEncoding(param.distribution))).map((param) => param.name);

/**
 * The frame of a group's below trials: the eigenvectors of the covariance of their continuous parameters
 * in unit coordinates. Undefined (keep the axes) with fewer than two such parameters or two trials.
 */
export const principalFrame = (
  encodings: readonly Encoding[],
  columns: readonly ObservationColumn[],
): Frame | undefined => {
  const dims = Int32Array.from(encodings.flatMap((encoding, j) => (turnable(encoding) ? [j] : [])));
  const m = dims.length;
  const n = columns[0]?.values.length ?? 0;
  if (m < 2 || n < 2) return undefined;
  const encodingAt = (i: number) => encodings[dims[i] as number] as NumericEncoding;
  const lows = tabulated(m, (i) => encodingAt(i).low);
  const spans = tabulated(m, (i) => encodingAt(i).high - encodingAt(i).low);
  const unit = Array.from({ length: m }, (_, i) => {
    const { toModel } = encodingAt(i);
    const column = (columns[dims[i] as number] as ObservationColumn).values;
    return mapped(column, (x) => (toModel(x) - (lows[i] as number)) / (spans[i] as number));
  });
  const means = unit.map((column) => column.reduce((sum, y) => sum + y, 0) / n);
  const covariance = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = a; b < m; b++) {
      let sum = 0;
      for (let t = 0; t < n; t++) {
        sum += ((unit[a] as Float64Array)[t] as number) * ((unit[b] as Float64Array)[t] as number);
      }
      const value = sum / n - (means[a] as number) * (means[b] as number);
      covariance[a * m + b] = value;
      covariance[b * m + a] = value;
    }
  }
  // Below trials that (nearly) coincide in every turned parameter: no direction to turn onto.
  let trace = 0;
  for (let a = 0; a < m; a++) trace += covariance[a * m + a] as number;
  if (!(trace > MIN_SPREAD)) return undefined;
  return { dims, lows, spans, axes: symmetricEigen(covariance, m).vectors };
};

/** Unit coordinates → frame coordinates (`out`). */
const toFrame = (frame: Frame, y: ArrayLike<number>, out: Float64Array): void => {
  const m = frame.dims.length;
  for (let a = 0; a < m; a++) {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += (frame.axes[i * m + a] as number) * ((y[i] as number) - 0.5);
    out[a] = sum;
  }
};

/** Frame coordinates → unit coordinates (`out`). */
const fromFrame = (frame: Frame, u: ArrayLike<number>, out: Float64Array): void => {
  const m = frame.dims.length;
  for (let i = 0; i < m; i++) {
    let sum = 0.5;
    for (let a = 0; a < m; a++) sum += (frame.axes[i * m + a] as number) * (u[a] as number);
    out[i] = sum;
  }
};

/** A frame axis as a density family sees it: range 1 about 0, so the prior kernel is N(0, 1) on every axis. */
const frameAxis: NumericEncoding = {
  kind: 'numeric',
  low: -0.5,
  high: 0.5,
  log: false,
  binned: false,
  jacobian: false,
  prior: { mu: 0, sigma: 1 },
  toModel: (u) => u,
  fromModel: (u) => u,
  points: (values) => ({ at: Float64Array.from(values) }),
};

/**
 * Kernel k's marginal on box axis i (unit coordinates): its centre ½ + Σ_a A_ia μ_a and width
 * √(Σ_a A_ia² σ_a²), written to `out` as [centre, width].
 */
const kernelMarginal = (frame: Frame, framed: readonly NumericKernels[], k: number, i: number, out: number[]): void => {
  const m = frame.dims.length;
  let centre = 0.5;
  let variance = 0;
  for (let a = 0; a < m; a++) {
    const weight = frame.axes[i * m + a] as number;
    const kernels = framed[a] as NumericKernels;
    centre += weight * (kernels.mus[k] as number);
    variance += weight * weight * (kernels.sigmas[k] as number) ** 2;
  }
  out[0] = centre;
  out[1] = Math.sqrt(variance);
};

/** Standard normal draws per kernel with which `exact` estimates a turned kernel's mass inside the box. */
const MASS_DRAWS = 4096;

/**
 * log of the mass each kernel keeps inside the unit box. An isotropic kernel (the prior) is the same in
 * every frame, so its mass is the product of its marginals' masses, exactly; a turned one is estimated
 * from a fixed set of standard normal draws (the same for every kernel, so the estimate is deterministic),
 * its share of them that lands inside the box.
 */
const logBoxMasses = (frame: Frame, framed: readonly NumericKernels[], size: number): Float64Array => {
  const m = frame.dims.length;
  const rng = createRng('parzen:frame-box-mass');
  const z = Float64Array.from({ length: MASS_DRAWS * m }, () => standardNormal(rng));
  const u = new Float64Array(m);
  const y = new Float64Array(m);
  const marginal = [0, 0];
  return Float64Array.from({ length: size }, (_, k) => {
    const sigma0 = (framed[0] as NumericKernels).sigmas[k] as number;
    if (framed.every((kernels) => kernels.sigmas[k] === sigma0)) {
      let total = 0;
      for (let i = 0; i < m; i++) {
        kernelMarginal(frame, framed, k, i, marginal);
        total += logKernelMass(marginal[0] as number, marginal[1] as number, 0, 1);
      }
      return total;
    }
    let inside = 0;
    for (let draw = 0; draw < MASS_DRAWS; draw++) {
      for (let a = 0; a < m; a++) {
        const kernels = framed[a] as NumericKernels;
        u[a] = (kernels.mus[k] as number) + (kernels.sigmas[k] as number) * (z[draw * m + a] as number);
      }
      fromFrame(frame, u, y);
      if (inBox(y)) inside++;
    }
    return Math.log(Math.max(inside, 0.5) / MASS_DRAWS);
  });
};

/** Whether unit coordinates lie in the unit box. */
const inBox = (y: Float64Array): boolean => {
  for (let i = 0; i < y.length; i++) {
    const value = y[i] as number;
    if (!(value >= 0 && value <= 1)) return false;
  }
  return true;
};

/** Draws before a point that keeps falling outside the unit box is clipped into it (not reached in practice). */
const MAX_REJECTIONS = 10_000;

/** Which frame axis each dimension of a group is (−1 for a dimension the frame leaves alone). */
const frameAxes = (frame: Frame, size: number): Int32Array => {
  const axisOf = new Int32Array(size).fill(-1);
  frame.dims.forEach((j, a) => {
    axisOf[j] = a;
  });
  return axisOf;
};

/** Model-space values of the framed dimensions of point `p` → unit coordinates (`y`). */
const unitOf = (
  frame: Frame,
  encodings: readonly Encoding[],
  values: readonly ArrayLike<number>[],
  p: number,
  y: Float64Array,
): void => {
  for (let i = 0; i < frame.dims.length; i++) {
    const j = frame.dims[i] as number;
    const x = (values[j] as ArrayLike<number>)[p] as number;
    y[i] = ((encodings[j] as NumericEncoding).toModel(x) - (frame.lows[i] as number)) / (frame.spans[i] as number);
  }
};

/**
 * The family's estimator of the observations in a frame: the framed dimensions' observations turned into
 * frame coordinates, each given to the family as an axis of range 1 about 0 (so the prior kernel is
 * N(0, 1) on every frame axis), then left unbounded (the cut is the box's, not the axes'); the other
 * dimensions as they are. Plain data; {@link framedDensity} evaluates and samples it.
 */
export const frameEstimator = (
  family: DensityFamily,
  encodings: readonly Encoding[],
  columns: readonly ObservationColumn[],
  settings: FamilySettings,
  frame: Frame,
): ParzenEstimator => {
  const m = frame.dims.length;
  const axisOf = frameAxes(frame, encodings.length);
  const n = columns[0]?.values.length ?? 0;
  const y = new Float64Array(m);
  const u = new Float64Array(m);
  const observed = columns.map((column) => column.values);
  const frameColumns = Array.from({ length: m }, () => new Float64Array(n));
  for (let t = 0; t < n; t++) {
    unitOf(frame, encodings, observed, t, y);
    toFrame(frame, y, u);
    for (let a = 0; a < m; a++) (frameColumns[a] as Float64Array)[t] = u[a] as number;
  }
  const built = buildEstimator(
    family,
    encodings.map((encoding, j) => ((axisOf[j] as number) < 0 ? encoding : frameAxis)),
    columns.map((column, j) => {
      const a = axisOf[j] as number;
      return a < 0 ? column : { values: frameColumns[a] as Float64Array };
    }),
    settings,
  );
  return {
    ...built,
    dimensions: built.dimensions.map(
      (dimension, j): KernelDimension =>
        (axisOf[j] as number) < 0 || dimension.kind !== 'numeric'
          ? dimension
          : { ...dimension, low: Number.NEGATIVE_INFINITY, high: Number.POSITIVE_INFINITY },
    ),
  };
};

/**
 * l(x) in a frame: the family's estimator built on the frame coordinates of the framed dimensions (the
 * other dimensions as they are), the whole mixture cut to the unit box once (as hyperopt cuts its
 * mixture): draws outside the box are redrawn, component and all, and the density is the mixture's
 * inside the box. `exact` adds the log of its mass in the box (each turned kernel's share inside it
 * estimated from fixed normal draws, the isotropic prior's exact) and the unit box's Jacobian.
 * `estimator()` is the view on the parameters' own axes that explanations of one parameter need.
 */
export const framedDensity = (
  family: DensityFamily,
  encodings: readonly Encoding[],
  columns: readonly ObservationColumn[],
  settings: FamilySettings,
  frame: Frame,
): Density => {
  const m = frame.dims.length;
  const axisOf = frameAxes(frame, encodings.length);
  const y = new Float64Array(m);
  const u = new Float64Array(m);
  const estimator = frameEstimator(family, encodings, columns, settings, frame);
  const framed = Array.from(frame.dims, (j) => estimator.dimensions[j] as NumericKernels);
  let masses: Float64Array | undefined;
  const boxMasses = (): Float64Array => {
    masses ??= logBoxMasses(frame, framed, estimator.weights.length);
    return masses;
  };
  let logNormaliser: number | undefined;
  const exactShift = (): number => {
    if (logNormaliser === undefined) {
      const masses = boxMasses();
      const terms = Float64Array.from(estimator.weights, (w, k) => Math.log(w) + (masses[k] as number));
      logNormaliser = logSumExp(terms) + frame.spans.reduce((sum, span) => sum + Math.log(span), 0);
    }
    return logNormaliser;
  };
  let evaluate: ReturnType<typeof chooseBackend> | undefined;
  /**
   * The estimator on the parameters' own axes, for explanations of one parameter at a time: each turned
   * kernel replaced, in each turned parameter, by its marginal there (centre ½ + A·μ and width
   * √(Σ_a A_ia² σ_a²) in unit coordinates, mapped to model space and cut to the parameter's bounds); the
   * other dimensions, the weights and the sources as they are. Its one-parameter marginals are l's
   * (up to the box cut); its joint density is not l, whose kernels are turned.
   */
  let axesView: ParzenEstimator | undefined;
  const marginalsOnAxes = (): ParzenEstimator => {
    const size = estimator.weights.length;
    const dimensions = estimator.dimensions.map((dimension, j): KernelDimension => {
      const i = axisOf[j] as number;
      if (i < 0) return dimension;
      const low = frame.lows[i] as number;
      const span = frame.spans[i] as number;
      const mus = new Float64Array(size);
      const sigmas = new Float64Array(size);
      const marginal = [0, 0];
      for (let k = 0; k < size; k++) {
        kernelMarginal(frame, framed, k, i, marginal);
        mus[k] = low + span * (marginal[0] as number);
        sigmas[k] = span * (marginal[1] as number);
      }
      return { kind: 'numeric', mus, sigmas, low, high: low + span };
    });
    // The components' shares of the cut mixture: each weight times its kernel's mass in the box.
    const masses = boxMasses();
    const shares = Float64Array.from(estimator.weights, (w, k) => w * Math.exp(masses[k] as number));
    const total = shares.reduce((sum, share) => sum + share, 0);
    const weights = shares.map((share) => share / total);
    return { weights, dimensions, truncation: 'kernel', sources: estimator.sources };
  };

  /** The points of `values` in the estimator's coordinates: the turned parameters in the frame, the others as they are. */
  const framePoints = (values: readonly ArrayLike<number>[]): DimensionPoints[] => {
    const count = values[0]?.length ?? 0;
    const at = Array.from({ length: m }, () => new Float64Array(count));
    for (let p = 0; p < count; p++) {
      unitOf(frame, encodings, values, p, y);
      toFrame(frame, y, u);
      for (let a = 0; a < m; a++) (at[a] as Float64Array)[p] = u[a] as number;
    }
    return encodings.map((encoding, j): DimensionPoints => {
      const a = axisOf[j] as number;
      return a >= 0 ? { at: at[a] as Float64Array } : (pointsOf([encoding], [values[j] ?? []])[0] as DimensionPoints);
    });
  };

  return {
    logPdf: (values, exact) => {
      const points = framePoints(values);
      evaluate ??= chooseBackend(estimator, points);
      const out = evaluate(points, exact);
      if (exact) {
        const shift = exactShift();
        for (let p = 0; p < out.length; p++) out[p] = (out[p] as number) - shift;
      }
      return out;
    },
    sample: (rng, count) => {
      // Model-space draws, turned to values as every density's draws are (valuesOf).
      const draws = encodings.map(() => new Float64Array(count));
      for (let p = 0; p < count; p++) {
        let k = 0;
        for (let attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
          k = weightedIndex(rng, estimator.weights);
          for (let a = 0; a < m; a++) {
            const kernels = framed[a] as NumericKernels;
            u[a] = (kernels.mus[k] as number) + (kernels.sigmas[k] as number) * standardNormal(rng);
          }
          fromFrame(frame, u, y);
          if (inBox(y)) break;
        }
        for (let j = 0; j < encodings.length; j++) {
          const a = axisOf[j] as number;
          (draws[j] as Float64Array)[p] =
            a >= 0
              ? (frame.lows[a] as number) + Math.min(1, Math.max(0, y[a] as number)) * (frame.spans[a] as number)
              : sampleKernel(estimator.dimensions[j] as KernelDimension, k, rng);
        }
      }
      return valuesOf(encodings, draws);
    },
    estimator: () => {
      axesView ??= marginalsOnAxes();
      return axesView;
    },
    // In the frame, where l is evaluated (review 111: the axes view's joint density is not l's, and named
    // another trial); its components and sources are the axes view's.
    kernelAt: (values) => strongestComponent(estimator, framePoints(values.map((value) => Float64Array.of(value)))),
  };
};
