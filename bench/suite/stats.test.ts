import { describe, expect, it } from 'vitest';
import { compareSamples, flooredRatio, floorSetsRatio, incumbentIndices, quantile, regretAsStored } from './stats.js';

describe('compareSamples', () => {
  it('counts a significant lower sample as a win, higher as a loss, else a tie', () => {
    expect(compareSamples([1.1, 2.2, 3.3, 4.4, 5.5], [6.6, 7.7, 8.8, 9.9, 10.1, 11.2])).toBe('win');
    expect(compareSamples([6.6, 7.7, 8.8, 9.9, 10.1, 11.2], [1.1, 2.2, 3.3, 4.4, 5.5])).toBe('loss');
    expect(compareSamples([3, 1, 4, 1, 5, 9, 2, 6], [2, 7, 1, 8, 2, 8])).toBe('tie');
    // Five against six untied values: the approximation's p (0.0081), not the exact one (0.0043).
    expect(compareSamples([1.1, 2.2, 3.3, 4.4, 5.5], [6.6, 7.7, 8.8, 9.9, 10.1, 11.2], 0.005)).toBe('tie');
  });
});

describe('compareSamples decides by rank, not by median', () => {
  it('counts as a win a sample whose median is higher but whose values rank lower (two clusters)', () => {
    // As on bumps_4d_c: 14 of ours below every value of theirs, 16 above most of theirs; theirs: 16 between our
    // clusters, 14 above ours. Our median is higher (0.650 against 0.636), our ranks lower (U = 16 × 16 of 900).
    const ours = [
      ...Array.from({ length: 14 }, (_, i) => 0.569 + i * 0.0003),
      ...Array.from({ length: 16 }, (_, i) => 0.649 + i * 0.001),
    ];
    const theirs = [
      ...Array.from({ length: 16 }, (_, i) => 0.578 + i * 0.004),
      ...Array.from({ length: 14 }, (_, i) => 0.67 + i * 0.002),
    ];
    expect(quantile(ours, 0.5)).toBeGreaterThan(quantile(theirs, 0.5));
    expect(compareSamples(ours, theirs)).toBe('win');
    expect(compareSamples(theirs, ours)).toBe('loss');
  });
});

describe('ratios to the best peer', () => {
  it('floors both medians at 1e-12, and says when the floor, not the medians, sets the ratio', () => {
    expect(flooredRatio(0, 0)).toBe(1);
    expect(flooredRatio(4e-14, 1.42e-4)).toBeCloseTo(7.04e-9, 11);
    expect(floorSetsRatio(4e-14, 1.42e-4)).toBe(true);
    expect(floorSetsRatio(0.5, 0)).toBe(true);
    // Both below: the ratio is 1 whatever the floor; both above: the medians' own ratio.
    expect(floorSetsRatio(0, 1e-13)).toBe(false);
    expect(floorSetsRatio(0.5, 0.25)).toBe(false);
  });
});

describe('helpers', () => {
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
