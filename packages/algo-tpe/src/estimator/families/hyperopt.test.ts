import { createRng, type Distribution } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { expectClose, vectors } from '../../math/fixtures/vectors.js';
import { argmax, scoreCandidates } from '../../math/score.js';
import { buildDensity, categoricalProbabilities, type Density } from '../density.js';
import type { FamilySettings } from '../family.js';
import { estimatorLogPdf } from '../parzen-estimator.js';
import { hyperoptFamily } from './hyperopt.js';

const settings: FamilySettings = { priorWeight: 1, forgetting: 25, bandwidthFloor: 0.01, bandwidthExponent: 1 };

const cases: Record<string, Distribution> = {
  uniform_n10: { kind: 'uniform', low: -2, high: 2 },
  uniform_n30: { kind: 'uniform', low: -2, high: 2 },
  quniform: { kind: 'quniform', low: -2, high: 2, q: 0.5 },
  loguniform: { kind: 'loguniform', low: 1e-3, high: 1 },
  qloguniform: { kind: 'qloguniform', low: 1, high: 100, q: 1 },
  normal: { kind: 'normal', mu: 0, sigma: 1 },
  qnormal: { kind: 'qnormal', mu: 0, sigma: 1, q: 0.5 },
  lognormal: { kind: 'lognormal', mu: 0, sigma: 1 },
};

const densityOf = (distribution: Distribution, obs: readonly number[]): Density =>
  buildDensity(hyperoptFamily, [hyperoptFamily.encode(distribution)], [{ values: Float64Array.from(obs) }], settings);

/** Exact log densities, checked against the reference direct sum on the way. */
const logPdf = (distribution: Distribution, obs: readonly number[], points: readonly number[]): Float64Array => {
  const density = densityOf(distribution, obs);
  const exact = density.logPdf([points], true);
  const encoding = hyperoptFamily.encode(distribution);
  if (encoding.kind === 'numeric') {
    const reference = estimatorLogPdf(density.estimator(), [encoding.points(points)]);
    if (encoding.jacobian) {
      reference.forEach((v, i) => {
        reference[i] = v - Math.log(points[i] as number);
      });
    }
    expectClose(exact, Array.from(reference), 1e-12);
  }
  return exact;
};

describe('hyperopt family (GMM1_lpdf / LGMM1_lpdf over the adaptive Parzen estimator)', () => {
  for (const [name, distribution] of Object.entries(cases)) {
    it(`reproduces log l, log g and the scores for ${name}`, () => {
      const data = vectors.hyperopt[name];
      const logL = logPdf(distribution, data.below, data.points);
      const logG = logPdf(distribution, data.above, data.points);
      expectClose(logL, data.log_l);
      expectClose(logG, data.log_g);
      expectClose(scoreCandidates(logL, logG), data.score, 1e-8);
      // Without `exact`, only candidate-independent constants go.
      const rough = densityOf(distribution, data.below).logPdf([data.points], false);
      const shifts = Array.from(
        rough,
        (v, i) => v - (logL[i] as number) + (name.startsWith('log') ? -Math.log(data.points[i]) : 0),
      );
      for (const shift of shifts) expect(Math.abs(shift - (shifts[0] as number))).toBeLessThan(1e-9);
    });
  }

  it("scores hyperopt's own 24 candidates and picks index 18, as tpe.suggest did", () => {
    const data = vectors.hyperopt_end_to_end_uniform;
    const uniform = cases.uniform_n10 as Distribution;
    const logL = logPdf(uniform, [0.55], data.candidates);
    const logG = logPdf(
      uniform,
      data.xs.filter((x: number) => x !== 0.55),
      data.candidates,
    );
    expectClose(logL, data.log_l);
    expectClose(logG, data.log_g);
    const scores = scoreCandidates(logL, logG);
    expectClose(scores, data.score, 1e-8);
    expect(argmax(scores)).toBe(data.argmax_index);
    expect(data.candidates[argmax(scores)]).toBe(data.chosen);
  });

  it("scores the conditional space's candidates of a (only trials where a was active)", () => {
    const data = vectors.hyperopt_conditional_split;
    const unit: Distribution = { kind: 'uniform', low: 0, high: 1 };
    expectClose(logPdf(unit, data.a_below, data.candidates_a.samples), data.candidates_a.log_l);
    expectClose(logPdf(unit, data.a_above, data.candidates_a.samples), data.candidates_a.log_g);
  });
});

describe('hyperopt family, categorical (counts plus pseudo-counts as a mixture)', () => {
  const h = vectors.hyperopt;
  const belowAbove = (data: { xs: number[]; losses: number[] }) => {
    const best = data.losses.indexOf(Math.min(...data.losses));
    return { below: [data.xs[best] as number], above: data.xs.filter((_, i) => i !== best) };
  };
  const probabilities = (distribution: Distribution, obs: readonly number[]) =>
    categoricalProbabilities(densityOf(distribution, obs).estimator());

  it('gives choice3 its below and above probabilities and scores', () => {
    const { below, above } = belowAbove(h.choice3);
    const choice: Distribution = { kind: 'categorical', size: 3 };
    const pBelow = probabilities(choice, below);
    const pAbove = probabilities(choice, above);
    expectClose(pBelow, h.choice3.p_below);
    expectClose(pAbove, h.choice3.p_above);
    expectClose(scoreCandidates(pBelow.map(Math.log), pAbove.map(Math.log)), h.choice3.score_per_index, 1e-8);
    const reference = estimatorLogPdf(densityOf(choice, below).estimator(), [{ at: Float64Array.of(0, 1, 2) }]);
    expectClose(reference, Array.from(pBelow, Math.log), 1e-12);
  });

  it('spreads the pseudo-counts as size · p0 for pchoice', () => {
    const { below, above } = belowAbove(h.pchoice);
    const pchoice: Distribution = { kind: 'categorical', size: 3, probabilities: [0.2, 0.3, 0.5] };
    const pBelow = probabilities(pchoice, below);
    const pAbove = probabilities(pchoice, above);
    expectClose(pBelow, h.pchoice.p_below);
    expectClose(pAbove, h.pchoice.p_above);
    expectClose(scoreCandidates(pBelow.map(Math.log), pAbove.map(Math.log)), h.pchoice.score_per_index, 1e-8);
  });

  it('models randint(2, 7) as a categorical over offsets', () => {
    const { below, above } = belowAbove(h.randint_2_7);
    const randint: Distribution = { kind: 'randint', low: 2, high: 7 };
    expectClose(probabilities(randint, below), h.randint_2_7.p_below_over_values_2_to_6);
    expectClose(probabilities(randint, above), h.randint_2_7.p_above_over_values_2_to_6);
  });

  it("gives the conditional space's choice c the vectors' log l and log g", () => {
    const data = vectors.hyperopt_conditional_split;
    const choice: Distribution = { kind: 'categorical', size: 2 };
    const samples: number[] = data.candidates_c.samples;
    expectClose(densityOf(choice, data.c_below).logPdf([samples], true), data.candidates_c.log_l);
    expectClose(densityOf(choice, data.c_above).logPdf([samples], true), data.candidates_c.log_g);
  });
});

describe('hyperopt family: a parameter of one value', () => {
  it('draws it without rejection draws (trial 91: a uniformint with low = high took 0.2 s a suggestion)', () => {
    const density = densityOf({ kind: 'uniformint', low: 5, high: 5 }, [5, 5, 5]);
    const rng = createRng('one-value');
    let calls = 0;
    const counted = {
      ...rng,
      next: () => {
        calls++;
        return rng.next();
      },
    };
    expect(Array.from(density.sample(counted, 24)[0] ?? [])).toEqual(Array(24).fill(5));
    // A component and nothing else per candidate: not the 100,000 rejection draws each.
    expect(calls).toBeLessThan(24 * 4);
  });
});
