import { describe, expect, it } from 'vitest';
import { expectClose, vectors } from '../math/fixtures/vectors.js';
import type { TpeOptions } from '../options.js';
import { explainParameter } from './explain-parameter.js';

const e2e = vectors.hyperopt_end_to_end_uniform;
const xs: number[] = e2e.xs;
const best = 4; // 0.55, the one below point (tpe-spec §8)

/** The vectors' end-to-end case: one below point, the rest above, hyperopt's injected candidates. */
const explainWith = (options: TpeOptions) =>
  explainParameter({
    name: 'x',
    distribution: { kind: 'uniform', low: -2, high: 2 },
    below: { values: Float64Array.of(xs[best] as number), numbers: Int32Array.of(best) },
    above: {
      values: Float64Array.from(xs.filter((_, i) => i !== best)),
      numbers: Int32Array.from(xs.flatMap((_, i) => (i === best ? [] : [i]))),
    },
    candidates: e2e.candidates,
    options,
  });

describe('explainParameter', () => {
  const explanation = explainWith({ profile: 'hyperopt' });

  it("scores hyperopt's injected candidates exactly and names the winner (index 18)", () => {
    expectClose(explanation.candidates.logL, e2e.log_l);
    expectClose(explanation.candidates.logG, e2e.log_g);
    expectClose(explanation.candidates.score, e2e.score, 1e-8);
    expect(explanation.winner).toEqual({
      index: 18,
      value: e2e.chosen,
      score: explanation.candidates.score[18],
      kernel: { trial: explanation.below[0], share: expect.any(Number) },
    });
  });

  it('scores log l − w · log g with the aboveWeight option; the densities stay the same', () => {
    const weighted = (aboveWeight: number) => explainWith({ profile: 'hyperopt', aboveWeight });
    for (const w of [0, 0.5]) {
      const { candidates, winner } = weighted(w);
      expectClose(candidates.logL, e2e.log_l);
      expectClose(candidates.logG, e2e.log_g);
      expectClose(
        candidates.score,
        e2e.log_l.map((l: number, i: number) => l - w * (e2e.log_g[i] as number)),
        1e-8,
      );
      expect(winner.score).toBe(Math.max(...candidates.score));
    }
    // With w = 0 the candidate most like the good trial wins, not the one the ratio picks (index 18).
    const nearest = weighted(0).winner;
    expect(nearest.index).toBe(e2e.log_l.indexOf(Math.max(...e2e.log_l)));
    expect(nearest.index).not.toBe(18);
  });

  it("draws a log-scale parameter's densities per unit of log x in every profile, and shows the scores that decide (trial 77)", () => {
    // Good trials near 0.007 on loguniform(1e-6, 1): hyperopt's exact l(x) is per unit of x and peaked at 1e-6.
    const below = [0.006, 0.0075, 0.009];
    const above = [1e-5, 3e-4, 0.05, 0.2, 0.6, 0.9, 2e-6, 0.3];
    const candidates = [1e-6, 1e-4, 0.002, 0.007, 0.03, 0.5];
    for (const options of [{ profile: 'hyperopt' }, { profile: 'hyperopt', aboveWeight: 0.5 }, {}] as TpeOptions[]) {
      const explained = explainParameter({
        name: 'lr',
        distribution: { kind: 'loguniform', low: 1e-6, high: 1 },
        below: { values: Float64Array.from(below), numbers: Int32Array.from(below, (_, i) => i) },
        above: { values: Float64Array.from(above), numbers: Int32Array.from(above, (_, i) => i + 3) },
        candidates,
        options,
      });
      const { x, logL } = explained.grid;
      const peak = x[logL.indexOf(Math.max(...logL))] as number;
      expect(peak).toBeGreaterThan(1e-3);
      expect(peak).toBeLessThan(0.05);
      const { score } = explained.candidates;
      expect(explained.winner.score).toBe(Math.max(...score));
      expect(explained.winner.value).toBe(0.007);
      const w = explained.aboveWeight;
      for (const [i, s] of score.entries())
        expect(s).toBeCloseTo(
          (explained.candidates.logL[i] as number) - w * (explained.candidates.logG[i] as number),
          9,
        );
    }
  });

  it('reports the split and the mixture components of l and g', () => {
    expect(explanation.below).toEqual([4]);
    expect(explanation.above).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9]);
    expect(explanation.l).toMatchObject({ kind: 'gaussian', space: 'linear', truncation: 'mixture', low: -2, high: 2 });
    if (explanation.l.kind !== 'gaussian' || explanation.g.kind !== 'gaussian') throw new Error('numeric');
    expectClose(explanation.l.mus, vectors.hyperopt.uniform_n10.below_model.mus);
    expectClose(explanation.l.sigmas, vectors.hyperopt.uniform_n10.below_model.sigmas);
    expect(explanation.l.trials).toEqual([null, 4]);
    expectClose(explanation.g.weights, vectors.hyperopt.uniform_n10.above_model.weights);
  });

  it("describes hyperopt's log-scale mixtures as not renormalised, as hyperopt computes them (review 34)", () => {
    const log = explainParameter({
      name: 'lr',
      distribution: { kind: 'loguniform', low: 1e-5, high: 1 },
      below: { values: Float64Array.of(1e-3), numbers: Int32Array.of(0) },
      above: { values: Float64Array.of(1e-4, 0.1, 0.5), numbers: Int32Array.of(1, 2, 3) },
      candidates: [1e-4, 1e-3, 1e-2],
      options: { profile: 'hyperopt' },
    });
    expect(log.l).toMatchObject({ kind: 'gaussian', space: 'log', truncation: 'none' });
    expect(explainWith({ profile: 'optuna' }).l).toMatchObject({ truncation: 'kernel' });
  });

  it('evaluates log l and log g on a grid over the range, matching the vectors at the shared points', () => {
    expect(explanation.grid.x).toHaveLength(101);
    expect(explanation.grid.x[0]).toBe(-2);
    expect(explanation.grid.x[100]).toBe(2);
    const at = (x: number) => explanation.grid.x.findIndex((g) => Math.abs(g - x) < 1e-12);
    const points = [-2, -1, 0, 0.4, 1];
    const reference = vectors.hyperopt.uniform_n10;
    for (const x of points) {
      const i = at(x);
      const j = (reference.points as number[]).indexOf(x);
      expectClose(
        [explanation.grid.logL[i] as number, explanation.grid.logG[i] as number],
        [reference.log_l[j], reference.log_g[j]],
      );
    }
  });

  it('explains a categorical parameter with its option probabilities', () => {
    const choice = explainParameter({
      name: 'c',
      distribution: { kind: 'categorical', size: 3 },
      below: { values: Float64Array.of(1), numbers: Int32Array.of(4) },
      above: { values: Float64Array.of(0, 1, 2, 1, 0, 2, 2, 1, 0), numbers: Int32Array.of(0, 1, 2, 3, 5, 6, 7, 8, 9) },
      candidates: [0, 1, 2],
      options: { profile: 'hyperopt' },
    });
    expect(choice.l).toEqual({ kind: 'categorical', offset: 0, probabilities: vectors.hyperopt.choice3.p_below });
    expect(choice.grid.x).toEqual([0, 1, 2]);
    expect(choice.winner.value).toBe(1);
    expectClose(choice.candidates.score, vectors.hyperopt.choice3.score_per_index, 1e-8);
  });
});
