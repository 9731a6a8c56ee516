import { describe, it } from 'vitest';
import { expectClose, vectors } from './fixtures/vectors.js';
import { hyperoptCategorical } from './hyperopt-categorical.js';
import { scoreCandidates } from './score.js';

const h = vectors.hyperopt;
const belowAbove = (data: { xs: number[]; losses: number[] }) => {
  const best = data.losses.indexOf(Math.min(...data.losses));
  return { below: [data.xs[best] as number], above: data.xs.filter((_, i) => i !== best) };
};

describe('hyperoptCategorical', () => {
  it('gives choice3 its below and above probabilities and scores', () => {
    const { below, above } = belowAbove(h.choice3);
    const pBelow = hyperoptCategorical(below, 3, 1);
    const pAbove = hyperoptCategorical(above, 3, 1);
    expectClose(pBelow, h.choice3.p_below);
    expectClose(pAbove, h.choice3.p_above);
    expectClose(scoreCandidates(pBelow.map(Math.log), pAbove.map(Math.log)), h.choice3.score_per_index, 1e-8);
  });

  it('spreads the pseudo-counts as size · p0 for pchoice', () => {
    const { below, above } = belowAbove(h.pchoice);
    const p0 = [0.2, 0.3, 0.5];
    const pBelow = hyperoptCategorical(below, 3, 1, p0);
    const pAbove = hyperoptCategorical(above, 3, 1, p0);
    expectClose(pBelow, h.pchoice.p_below);
    expectClose(pAbove, h.pchoice.p_above);
    expectClose(scoreCandidates(pBelow.map(Math.log), pAbove.map(Math.log)), h.pchoice.score_per_index, 1e-8);
  });

  it('models randint(2, 7) as a categorical over offsets', () => {
    const { below, above } = belowAbove(h.randint_2_7);
    const offset = (values: number[]) => values.map((v) => v - 2);
    expectClose(hyperoptCategorical(offset(below), 5, 1), h.randint_2_7.p_below_over_values_2_to_6);
    expectClose(hyperoptCategorical(offset(above), 5, 1), h.randint_2_7.p_above_over_values_2_to_6);
  });

  it("gives the conditional space's choice c the vectors' log l and log g", () => {
    const data = vectors.hyperopt_conditional_split;
    const pBelow = hyperoptCategorical(data.c_below, 2, 1);
    const pAbove = hyperoptCategorical(data.c_above, 2, 1);
    const samples: number[] = data.candidates_c.samples;
    expectClose(
      samples.map((c) => Math.log(pBelow[c] as number)),
      data.candidates_c.log_l,
    );
    expectClose(
      samples.map((c) => Math.log(pAbove[c] as number)),
      data.candidates_c.log_g,
    );
  });
});
