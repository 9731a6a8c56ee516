import { logGaussMass } from '@parzen/engine/plugin';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { blockBounds, blockMaxima, firstVisit, secondVisit } from '../../math/block-bounds.js';
import { logSumExp } from '../../math/log-sum-exp.js';
import { mapped } from '../../math/mapped.js';
import { categoricalBackend, categoricalProbabilities, chooseBackend } from '../density.js';
import type { CategoricalEncoding, NumericEncoding } from '../encoding.js';
import { hyperoptFamily } from '../families/hyperopt.js';
import { optunaFamily } from '../families/optuna.js';
import type { FamilySettings } from '../family.js';
import {
  type CategoricalKernels,
  type DimensionPoints,
  logKernelMass,
  logMixtureMass,
  type NumericKernels,
  type ParzenEstimator,
} from '../parzen-estimator.js';
import { binnedSumBackend } from './binned-sum.js';

/** Every entry the same number, to the last bit (−0, NaN and ±∞ included). */
const sameBits = (got: ArrayLike<number>, want: ArrayLike<number>) => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`entry ${i}: ${got[i]} against ${want[i]}`);
  }
};

/** The option probabilities summed as the row-by-row definition reads: every component adds its whole row. */
const rowByRow = (estimator: ParzenEstimator): Float64Array => {
  const dimension = estimator.dimensions[0];
  if (dimension?.kind !== 'categorical') throw new Error('one categorical dimension');
  const { prior, options, keep } = dimension;
  const probabilities = new Float64Array(prior.length);
  const { weights } = estimator;
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k] as number;
    const option = options[k] as number;
    const spread = option < 0 ? w : w * (1 - keep);
    for (let c = 0; c < prior.length; c++)
      probabilities[c] = (probabilities[c] as number) + spread * (prior[c] as number);
    if (option >= 0) probabilities[option] = (probabilities[option] as number) + w * keep;
  }
  return probabilities;
};

/** The old collapsed-probabilities backend: the log of every option's sum, looked up at the candidates. */
const rowByRowLogPdf = (estimator: ParzenEstimator, at: Float64Array): Float64Array => {
  const logProbabilities = rowByRow(estimator).map(Math.log);
  return at.map((c) => logProbabilities[c] ?? Number.NEGATIVE_INFINITY);
};

const settingsArb = fc.record({
  priorWeight: fc.constantFrom(0.5, 1, 2),
  forgetting: fc.constantFrom(0, 25),
  bandwidthFloor: fc.constantFrom(0, 0.01),
  bandwidthExponent: fc.constantFrom(1, 2),
}) as fc.Arbitrary<FamilySettings>;

/** Candidates: options, repeats, and points no option takes (a fraction, −1, past the last, NaN). */
const candidatesArb = fc.array(
  fc.oneof(fc.nat({ max: 70 }), fc.constantFrom(-1, 1.5, Number.NaN, -0, Number.POSITIVE_INFINITY)),
  { minLength: 1, maxLength: 40 },
);

describe('categorical options summed only where needed equal the row-by-row sums bit for bit', () => {
  test('both families, uniform and given priors, many options (a randint)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.boolean(),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 300 }),
        settingsArb,
        fc.constantFrom(optunaFamily, hyperoptFamily),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        candidatesArb,
        (size, given, unitObs, settings, family, draws, candidates) => {
          const raw = Array.from({ length: size }, () => draws.next().value as number);
          const total = raw.reduce((a, b) => a + b, 0);
          const encoding: CategoricalEncoding =
            given && total > 0
              ? { kind: 'categorical', size, offset: 0, probabilities: raw.map((p) => p / total) }
              : { kind: 'categorical', size, offset: 0 };
          const values = Float64Array.from(unitObs, (u) => Math.min(size - 1, Math.floor(u * size)));
          const estimator = family.build([encoding], [{ values }], settings);
          sameBits(categoricalProbabilities(estimator), rowByRow(estimator));
          const at = Float64Array.from(candidates);
          const backend = chooseBackend(estimator, [{ at }]);
          // Twice: the second call reads what the first one summed.
          sameBits(backend([{ at }], true), rowByRowLogPdf(estimator, at));
          sameBits(backend([{ at: at.slice().reverse() }], true), rowByRowLogPdf(estimator, at.slice().reverse()));
        },
      ),
      { numRuns: 80 },
    );
  });

  test('hand-built kernels: any keep (1 and 0 included), zero and uneven weights, a prior with zeros', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(0, 0.25, 0.7, 1 / 3, 1),
        fc.array(fc.tuple(fc.double({ min: 0, max: 3, noNaN: true }), fc.integer({ min: -1, max: 11 })), {
          maxLength: 80,
        }),
        fc.array(fc.constantFrom(0, 0.1, 0.5, 1 / 3, 2), { minLength: 12, maxLength: 12 }),
        (size, keep, components, rawPrior) => {
          const prior = Float64Array.from(rawPrior.slice(0, size));
          const estimator: ParzenEstimator = {
            weights: Float64Array.from(components, ([w]) => w),
            dimensions: [{ kind: 'categorical', prior, options: Int32Array.from(components, ([, o]) => o), keep }],
            truncation: 'mixture',
            sources: Int32Array.from(components, ([, o], i) => (o < 0 ? -1 : i)),
          };
          sameBits(categoricalProbabilities(estimator), rowByRow(estimator));
          const at = Float64Array.from({ length: size + 3 }, (_, i) => (i === size + 2 ? 0 : i - 1));
          sameBits(categoricalBackend(estimator)([{ at }], true), rowByRowLogPdf(estimator, at));
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** The collapsed-probabilities backend as it read before: each candidate's option summed alone, kept. */
const optionByOption = (estimator: ParzenEstimator) => {
  const { prior, options, keep } = estimator.dimensions[0] as CategoricalKernels;
  const { weights } = estimator;
  const spreads = mapped(weights, (w, k) => ((options[k] as number) < 0 ? w : w * (1 - keep)));
  const known = new Map<number, number>();
  const logProbability = (c: number): number => {
    const found = known.get(c);
    if (found !== undefined) return found;
    const share = prior[c] as number;
    let p = 0;
    for (let k = 0; k < spreads.length; k++) {
      p = p + (spreads[k] as number) * share;
      if ((options[k] as number) === c) p = p + (weights[k] as number) * keep;
    }
    known.set(c, Math.log(p));
    return Math.log(p);
  };
  return (at: Float64Array) =>
    at.map((c) => (Number.isInteger(c) && c >= 0 && c < prior.length ? logProbability(c) : Number.NEGATIVE_INFINITY));
};

/**
 * A categorical estimator of hand-made (weight, option) components (option −1: the prior's) whose backend gives,
 * call after call, what each option summed alone gives, bit for bit.
 */
const summedAsOptionByOption = (
  components: readonly (readonly [number, number])[],
  prior: Float64Array,
  keep: number,
  calls: readonly (readonly number[])[],
): void => {
  const estimator: ParzenEstimator = {
    weights: Float64Array.from(components, ([w]) => w),
    dimensions: [{ kind: 'categorical', prior, options: Int32Array.from(components, ([, o]) => o), keep }],
    truncation: 'mixture',
    sources: Int32Array.from(components, ([, o], i) => (o < 0 ? -1 : i)),
  };
  const [backend, reference] = [categoricalBackend(estimator), optionByOption(estimator)];
  for (const call of calls) {
    const at = Float64Array.from(call);
    sameBits(backend([{ at }], true), reference(at));
  }
};

describe('the categorical backend sums all the new options in one pass, each as alone', () => {
  test('any weights (±∞, NaN, negative, zero), uniform priors and priors with zeros, ∞ or NaN, many options, calls in a row', () => {
    // Mostly plain numbers (whose sums round differently in another order), now and then an odd one.
    const oddArb = fc.oneof(
      { arbitrary: fc.integer({ min: -2000, max: 3000 }).map((i) => i / 1013), weight: 30 },
      {
        arbitrary: fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-300),
        weight: 1,
      },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom(0, 0.25, 0.7, 1 / 3, 1),
        fc.array(fc.tuple(oddArb, fc.integer({ min: -1, max: 22 })), { maxLength: 120 }),
        fc.array(oddArb, { minLength: 20, maxLength: 20 }),
        fc.array(
          fc.array(fc.oneof(fc.integer({ min: -2, max: 22 }), fc.constantFrom(-0, 0.5, Number.NaN)), { maxLength: 40 }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        // A uniform prior (one share for every option): eight options to a pass, where every weight is finite.
        fc.boolean(),
        (size, keep, components, rawPrior, calls, uniform) => {
          const prior = uniform
            ? new Float64Array(size).fill(rawPrior[0] as number)
            : Float64Array.from(rawPrior.slice(0, size));
          summedAsOptionByOption(components, prior, keep, calls);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the categorical backend sums eight options to a pass under a uniform prior, each as alone', () => {
  test('more than four new options a call; weights ±∞, NaN, negative, −0 or 0 now and then; any keep', () => {
    const weightArb = fc.oneof(
      { arbitrary: fc.integer({ min: -500, max: 3000 }).map((i) => i / 1013), weight: 12 },
      {
        arbitrary: fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-300),
        weight: 1,
      },
    );
    fc.assert(
      fc.property(
        // Few options, many components: most components have an option of the call's.
        fc.integer({ min: 5, max: 14 }),
        fc.constantFrom(0, 0.25, 0.7, 1 / 3, 1, Number.NaN),
        fc.array(fc.tuple(weightArb, fc.integer({ min: -1, max: 15 })), { minLength: 1, maxLength: 80 }),
        fc.constantFrom(1 / 7, 1 / 3, 0.5, 0, -0.25, Number.POSITIVE_INFINITY),
        fc.array(fc.array(fc.integer({ min: -1, max: 15 }), { minLength: 5, maxLength: 30 }), {
          minLength: 1,
          maxLength: 3,
        }),
        (size, keep, components, share, calls) =>
          summedAsOptionByOption(components, new Float64Array(size).fill(share), keep, calls),
      ),
      { numRuns: 400 },
    );
  });
});

/** The binned sum as it read before its shortcuts: every candidate summed alone, the terms summed twice. */
const binnedOneByOne = (estimator: ParzenEstimator, points: Required<DimensionPoints>, exact: boolean) => {
  const { mus, sigmas, low, high } = estimator.dimensions[0] as NumericKernels;
  const size = mus.length;
  const perKernel = estimator.truncation === 'kernel';
  const logCoefs = mapped(
    estimator.weights,
    (w, k) => Math.log(w) - (perKernel ? logKernelMass(mus[k] as number, sigmas[k] as number, low, high) : 0),
  );
  const [blockMaxLogCoef, blockMaxSigma] = [blockMaxima(logCoefs), blockMaxima(sigmas)];
  const bounds = new Float64Array(blockMaxSigma.length);
  const logMass = (at: number, upper: number): number => {
    if (size === 0 || !(upper > at)) return Number.NEGATIVE_INFINITY;
    const reference = blockBounds(mus, blockMaxSigma, blockMaxLogCoef, bounds, at, upper, -Math.LN2);
    if (!(reference > Number.NEGATIVE_INFINITY)) return Number.NEGATIVE_INFINITY;
    const terms: number[] = [];
    const visit = (b: number) => {
      for (let k = b * 32; k < Math.min(size, (b + 1) * 32); k++) {
        const mu = mus[k] as number;
        const sigma = sigmas[k] as number;
        terms.push((logCoefs[k] as number) + logGaussMass((at - mu) / sigma, (upper - mu) / sigma));
      }
    };
    for (let b = 0; b < bounds.length; b++) if (firstVisit(bounds[b] as number, reference)) visit(b);
    const found = logSumExp(terms);
    for (let b = 0; b < bounds.length; b++) if (secondVisit(bounds[b] as number, reference, found)) visit(b);
    return logSumExp(terms);
  };
  const shift = estimator.truncation === 'mixture' && exact ? logMixtureMass(estimator) : 0;
  return Float64Array.from(points.at, (at, i) => logMass(at, points.upper[i] as number) - shift);
};

describe('the binned sum evaluates a bin once for all the candidates in it', () => {
  test('candidates sharing bins get what each gets alone, bit for bit, both families', () => {
    const kinds = [
      { kind: 'uniformint', low: -3, high: 40 },
      { kind: 'quniform', low: 8, high: 256, q: 8 },
    ] as const;
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 300 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }),
        settingsArb,
        fc.constantFrom(optunaFamily, hyperoptFamily),
        fc.constantFrom(...kinds),
        fc.boolean(),
        (unitObs, unitXs, settings, family, distribution, exact) => {
          const encoding = family.encode(distribution) as NumericEncoding;
          const q = distribution.kind === 'uniformint' ? 1 : distribution.q;
          const value = (u: number) =>
            Math.min(
              distribution.high,
              Math.max(
                distribution.low,
                Math.round((distribution.low + u * (distribution.high - distribution.low)) / q) * q,
              ),
            );
          const estimator = family.build([encoding], [{ values: Float64Array.from(unitObs, value) }], settings);
          // Few distinct bins, repeated, and a bin whose upper end differs from its twin's.
          const xs = unitXs.map((u) => value(Math.round(u * 4) / 4));
          const points = encoding.points(xs) as Required<DimensionPoints>;
          const twisted = {
            at: Float64Array.of(...points.at, points.at[0] as number),
            upper: Float64Array.of(...points.upper, (points.upper[0] as number) + q / 2),
          };
          const together = binnedSumBackend(estimator)([twisted], exact);
          const alone = Float64Array.from(twisted.at, (at, i) => {
            const one = { at: Float64Array.of(at), upper: Float64Array.of(twisted.upper[i] as number) };
            return binnedSumBackend(estimator)([one], exact)[0] as number;
          });
          sameBits(together, alone);
          sameBits(together, binnedOneByOne(estimator, twisted, exact));
        },
      ),
      { numRuns: 60 },
    );
  });

  test('a block the first visits leave out and the second visits take is summed in, as before', () => {
    // The first block holds the bin [10, 11] between its centres, so its bound is its heavy weight; but its
    // heavy kernels are narrow and off the bin, and the one on the bin's side is light: the sum it finds is far
    // below its bound, and the second block (wide kernels further off) is taken on the second visit.
    const mus = [
      5,
      ...Array.from({ length: 31 }, (_, k) => 12 + k / 100),
      ...Array.from({ length: 32 }, (_, k) => 20 + k / 10),
    ];
    const sigmas = [1, ...Array.from({ length: 31 }, () => 0.001), ...Array.from({ length: 32 }, () => 2)];
    const weights = [
      Math.exp(-60),
      ...Array.from({ length: 31 }, () => 1),
      ...Array.from({ length: 32 }, () => Math.exp(-50)),
    ];
    const estimator: ParzenEstimator = {
      weights: Float64Array.from(weights),
      dimensions: [
        { kind: 'numeric', mus: Float64Array.from(mus), sigmas: Float64Array.from(sigmas), low: 0, high: 40 },
      ],
      truncation: 'none',
      sources: Int32Array.from(mus, (_, k) => k),
    };
    const points = { at: Float64Array.of(10, 10, 9), upper: Float64Array.of(11, 11, 10) };
    const found = binnedSumBackend(estimator)([points], true);
    sameBits(found, binnedOneByOne(estimator, points, true));
    // The second block carries the sum: without it the bin would be e^-75 or less.
    expect(found[0]).toBeGreaterThan(-70);
  });

  test('a run of one centre across blocks: the mass is carried only to a kernel with the same centre and width', () => {
    // Blocks of 32 kernels; the run at 10 crosses the first boundary with a new width, the one at 11 the second
    // with the same width; −0 and +0 centres meet at the third.
    const mus = [
      ...Array.from({ length: 32 }, () => 10),
      ...Array.from({ length: 32 }, (_, k) => (k < 16 ? 10 : 11)),
      ...Array.from({ length: 31 }, () => 11),
      12,
    ];
    const sigmas = Array.from(mus, (_, k) => (k === 32 ? 2 : k < 40 ? 1 : 0.5));
    const estimator: ParzenEstimator = {
      weights: Float64Array.from(mus, (_, k) => 1 + k / 100),
      dimensions: [
        { kind: 'numeric', mus: Float64Array.from(mus), sigmas: Float64Array.from(sigmas), low: 0, high: 40 },
      ],
      truncation: 'none',
      sources: Int32Array.from(mus, (_, k) => k),
    };
    const points = { at: Float64Array.of(9, 10, 10.5, 12), upper: Float64Array.of(10, 11, 11.5, 13) };
    sameBits(binnedSumBackend(estimator)([points], true), binnedOneByOne(estimator, points, true));
    const signed: ParzenEstimator = {
      ...estimator,
      dimensions: [
        {
          kind: 'numeric',
          mus: Float64Array.from({ length: 64 }, (_, k) => (k < 32 ? -0 : 0)),
          sigmas: Float64Array.from({ length: 64 }, () => 1),
          low: -5,
          high: 5,
        },
      ],
      weights: Float64Array.from({ length: 64 }, () => 1),
      sources: Int32Array.from({ length: 64 }, (_, k) => k),
    };
    const zero = { at: Float64Array.of(-0, 0, -1), upper: Float64Array.of(1, 1, -0) };
    sameBits(binnedSumBackend(signed)([zero], true), binnedOneByOne(signed, zero, true));
  });
});

test('the categorical backend sums options from the estimator as it was when the backend was made', () => {
  // Optuna's keep < 1: options summed as candidates ask for them, after the estimator's arrays changed here.
  const make = (): ParzenEstimator => ({
    weights: Float64Array.of(0.1, 0.2, 0.3, 0.25, 0.15),
    dimensions: [
      {
        kind: 'categorical',
        prior: Float64Array.of(0.25, 0.25, 0.25, 0.25),
        options: Int32Array.of(0, 1, 2, 3, -1),
        keep: 0.7,
      },
    ],
    truncation: 'mixture',
    sources: Int32Array.of(0, 1, 2, 3, -1),
  });
  const at = Float64Array.of(0, 1, 2, 3);
  const want = categoricalBackend(make())([{ at }], true);
  const estimator = make();
  const backend = categoricalBackend(estimator);
  const dimension = estimator.dimensions[0] as CategoricalKernels;
  estimator.weights.fill(0.5);
  dimension.prior.fill(1);
  dimension.options.fill(0);
  sameBits(backend([{ at }], true), want);
});
