import { describe, expect, it } from 'vitest';
import { compareSamples, erfc, incumbentIndices, mannWhitney, quantile, regretAsStored } from './stats.js';

// Expected values from scipy 1.10.1:
// mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", use_continuity=True)
const normalX = [
  0.345584, 0.821618, 0.330437, -1.303157, 0.905356, 0.446375, -0.536953, 0.581118, 0.364572, 0.294132, 0.028422,
  0.546713, -0.736454, -0.16291, -0.482119, 0.598846, 0.039722, -0.292457, -0.781908, -0.257192, 0.008142, -0.275603,
  1.294064, 1.006724, -2.711162, -1.889013, -0.174772, -0.42219, 0.213643, 0.217322,
];
const normalY = [
  0.689053, -0.022748, 0.086936, -1.941467, 2.299707, 1.644166, 0.174577, 1.273807, 0.781211, -0.053823, 1.477567,
  0.189443, 0.171176, -0.292147, 0.954958, 0.400802, 1.045289, -0.107186, 0.626828, -0.392274, 1.341465, 0.688035,
  0.830571, 0.910504, -0.510758, 1.283181, 2.556703, -1.138443, -1.229411, -1.004831,
];
const cases: [string, number[], number[], number, number][] = [
  ['separated samples', [1.1, 2.2, 3.3, 4.4, 5.5], [6.6, 7.7, 8.8, 9.9, 10.1, 11.2], 0, 0.00811311726556578],
  ['many ties', [1, 2, 2, 3, 3, 3, 4], [2, 3, 3, 4, 4, 5, 5, 6], 11, 0.04988443697992588],
  ['almost all tied', Array(10).fill(0.5), [...Array(9).fill(0.5), 0.6], 45, 0.36812025069351895],
  ['30 normal draws each', normalX, normalY, 318, 0.051877131053959046],
  ['overlapping, with ties', [3, 1, 4, 1, 5, 9, 2, 6], [2, 7, 1, 8, 2, 8], 21, 0.7444328442168985],
];

describe('mannWhitney', () => {
  it.each(cases)('matches scipy: %s', (_, x, y, u, p) => {
    const result = mannWhitney(x, y);
    expect(result.u).toBe(u);
    expect(result.p).toBeCloseTo(p, 6);
  });

  it('is symmetric in p and flips the direction', () => {
    const forward = mannWhitney(normalX, normalY);
    const backward = mannWhitney(normalY, normalX);
    expect(backward.p).toBeCloseTo(forward.p, 12);
    expect(forward.direction).toBe(-1);
    expect(backward.direction).toBe(1);
  });

  it('gives p = 1 when every value ties', () => {
    expect(mannWhitney([2, 2, 2], [2, 2])).toEqual({ u: 3, p: 1, direction: 0 });
  });
});

describe('compareSamples', () => {
  it('counts a significant lower sample as a win, higher as a loss, else a tie', () => {
    expect(compareSamples([1.1, 2.2, 3.3, 4.4, 5.5], [6.6, 7.7, 8.8, 9.9, 10.1, 11.2])).toBe('win');
    expect(compareSamples([6.6, 7.7, 8.8, 9.9, 10.1, 11.2], [1.1, 2.2, 3.3, 4.4, 5.5])).toBe('loss');
    expect(compareSamples(normalX, normalY)).toBe('tie');
  });
});

describe('helpers', () => {
  it('erfc matches known values', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700792949715, 7);
  });
  it('quantile interpolates like numpy', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([4, 1, 3, 2], 0.25)).toBe(1.75);
  });
});

describe('incumbentIndices', () => {
  it('follows the lowest observed loss, keeps the first on ties and skips trials without a loss', () => {
    expect(incumbentIndices([undefined, 3, 5, 1, 1, undefined, 0.5])).toEqual([-1, 1, 1, 3, 3, 3, 6]);
  });
});

describe('regretAsStored', () => {
  it('gives a point the regret the peers have for it, whose loss they stored to 12 significant digits', () => {
    // A plateau of held-out nested_models (minimum 0.07): our loss there, one digit longer than the 12 the
    // peers' harness writes. Rounded after the subtraction only (the old rule) the regrets differed by 4e-12.
    const ours = 0.1200165760492;
    const peers = Number(ours.toPrecision(12));
    expect(Number((ours - 0.07).toPrecision(12))).not.toBe(Number((peers - 0.07).toPrecision(12)));
    expect(regretAsStored(ours, 0.07)).toBe(regretAsStored(peers, 0.07));
    expect(regretAsStored(ours, 0.07)).toBe(0.050016576049);
  });

  it('keeps different points apart, and an infinite loss infinite', () => {
    expect(regretAsStored(0.1200165761, 0.07)).toBeGreaterThan(regretAsStored(0.1200165760492, 0.07));
    expect(regretAsStored(Number.POSITIVE_INFINITY, 0.07)).toBe(Number.POSITIVE_INFINITY);
  });
});
