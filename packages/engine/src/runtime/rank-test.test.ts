import { describe, expect, it } from 'vitest';
import { compareBests, erfc, mannWhitney, RANK_TEST_MIN_RUNS, shownPValue } from './rank-test.js';

// Expected values from scipy 1.17.1, mannwhitneyu(x, y, alternative="two-sided"): its default method
// ("auto": exact without ties when one sample has at most 8 values) and method="asymptotic".
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
const asymptotic: [string, number[], number[], number, number][] = [
  ['separated samples', [1.1, 2.2, 3.3, 4.4, 5.5], [6.6, 7.7, 8.8, 9.9, 10.1, 11.2], 0, 0.00811311726556578],
  ['many ties', [1, 2, 2, 3, 3, 3, 4], [2, 3, 3, 4, 4, 5, 5, 6], 11, 0.04988443697992588],
  ['almost all tied', Array(10).fill(0.5), [...Array(9).fill(0.5), 0.6], 45, 0.36812025069351895],
  ['30 normal draws each', normalX, normalY, 318, 0.051877131053959046],
  ['overlapping, with ties', [3, 1, 4, 1, 5, 9, 2, 6], [2, 7, 1, 8, 2, 8], 21, 0.7444328442168985],
];
const auto: [string, number[], number[], number, number, 'exact' | 'asymptotic'][] = [
  ['separated 4 and 4', [1, 2, 3, 4], [5, 6, 7, 8], 0, 0.02857142857142857, 'exact'],
  ['separated 3 and 4', [1, 2, 3], [5, 6, 7, 8], 0, 0.05714285714285714, 'exact'],
  ['separated 5 and 6', [1.1, 2.2, 3.3, 4.4, 5.5], [6.6, 7.7, 8.8, 9.9, 10.1, 11.2], 0, 0.004329004329004329, 'exact'],
  ['interleaved 5 and 6', [1.5, 3.2, 4.1, 6.6, 9.0], [2.2, 2.9, 5.5, 7.1, 8.3, 10.4], 12, 0.6623376623376623, 'exact'],
  [
    '8 and 8',
    [0.0901, 0.0186, 0.1314, 0.071, 0.095, 0.088, 0.102, 0.11],
    [0.106, 0.0758, 0.162, 0.099, 0.121, 0.113, 0.093, 0.14],
    17,
    0.13038073038073036,
    'exact',
  ],
  [
    '8 and 20',
    [0.3, 0.1, 0.5, 0.7, 0.2, 0.9, 0.15, 0.45],
    Array.from({ length: 20 }, (_, i) => i / 20 + 0.013),
    66,
    0.5002340654514569,
    'exact',
  ],
  // Ties, or both samples above 8: the approximation.
  ['many ties', [1, 2, 2, 3, 3, 3, 4], [2, 3, 3, 4, 4, 5, 5, 6], 11, 0.04988443697992588, 'asymptotic'],
  ['30 normal draws each', normalX, normalY, 318, 0.051877131053959046, 'asymptotic'],
];

describe('mannWhitney', () => {
  it.each(asymptotic)("matches scipy's normal approximation: %s", (_, x, y, u, p) => {
    const result = mannWhitney(x, y, 'asymptotic');
    expect(result.u).toBe(u);
    expect(result.p).toBeCloseTo(p, 6);
    expect(result.method).toBe('asymptotic');
  });

  it.each(auto)("matches scipy's default method: %s", (_, x, y, u, p, method) => {
    const result = mannWhitney(x, y);
    expect(result.u).toBe(u);
    expect(result.p).toBeCloseTo(p, method === 'exact' ? 12 : 6);
    expect(result.method).toBe(method);
  });

  it('is symmetric in p and flips the direction', () => {
    const forward = mannWhitney(normalX, normalY);
    const backward = mannWhitney(normalY, normalX);
    expect(backward.p).toBeCloseTo(forward.p, 12);
    expect(forward.direction).toBe(-1);
    expect(backward.direction).toBe(1);
    const exact = mannWhitney([1.5, 3.2, 4.1, 6.6, 9.0], [2.2, 2.9, 5.5, 7.1, 8.3, 10.4]);
    expect(mannWhitney([2.2, 2.9, 5.5, 7.1, 8.3, 10.4], [1.5, 3.2, 4.1, 6.6, 9.0]).p).toBe(exact.p);
  });

  it('gives p = 1 when every value ties, and at most 1 when U is at its mean', () => {
    expect(mannWhitney([2, 2, 2], [2, 2])).toEqual({ u: 3, p: 1, direction: 0, method: 'asymptotic' });
    expect(mannWhitney([1, 4], [2, 3])).toEqual({ u: 2, p: 1, direction: 0, method: 'exact' });
  });
});

describe('compareBests', () => {
  it("tests run bests against the leader's, a run without a best ranking worst", () => {
    // scipy: mannwhitneyu([0.3, 0.1, 0.5, inf, 0.2, inf], [0.05, 0.12, 0.4, 0.22, 0.31, 0.08]) (ties: asymptotic)
    const bests = [0.3, 0.1, 0.5, null, 0.2, null];
    const leader = [0.05, 0.12, 0.4, 0.22, 0.31, 0.08];
    expect(compareBests(bests, leader, 'minimize').p).toBeCloseTo(0.17273282913055155, 6);
    expect(compareBests(bests, leader, 'minimize').method).toBe('asymptotic');
    // Maximizing, the higher bests are the better ones: the same ranks with the signs turned.
    const negated = (values: (number | null)[]) => values.map((value) => (value === null ? null : -value));
    expect(compareBests(negated(bests), negated(leader), 'maximize')).toEqual(compareBests(bests, leader, 'minimize'));
    expect(compareBests([1, 2, 3, 4], [5, 6, 7, 8], 'minimize')).toEqual({ p: 0.02857142857142857, method: 'exact' });
  });

  it(`gives no p-value with fewer than ${RANK_TEST_MIN_RUNS} runs in either variant`, () => {
    expect(RANK_TEST_MIN_RUNS).toBe(4);
    expect(compareBests([1, 2, 3], [5, 6, 7, 8], 'minimize')).toEqual({ p: null, method: null });
    expect(compareBests([1, 2, 3, 4], [5, 6, 7], 'minimize')).toEqual({ p: null, method: null });
  });
});

describe('erfc', () => {
  it('matches known values', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700792949715, 7);
  });
});

describe('shownPValue', () => {
  it('gives two significant digits, more where two would cross 0.05, and <0.001 below 0.001', () => {
    expect(shownPValue(0.13038073038073036)).toBe('0.13');
    expect(shownPValue(1)).toBe('1');
    expect(shownPValue(0.004329004329004329)).toBe('0.0043');
    expect(shownPValue(0.0496)).toBe('0.0496');
    expect(shownPValue(0.04999)).toBe('0.04999');
    expect(shownPValue(0.0504)).toBe('0.05');
    expect(shownPValue(0.0004)).toBe('<0.001');
  });
});
