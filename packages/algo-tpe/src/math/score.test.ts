import { describe, expect, it } from 'vitest';
import { argmax, scoreCandidates } from './score.js';

describe('scoring', () => {
  it('scores log l − log g and picks the first of tied maxima', () => {
    expect(Array.from(scoreCandidates([-1, -2, 0], [-2, -2, -1]))).toEqual([1, 0, 1]);
    expect(argmax([1, 0, 1])).toBe(0);
    expect(argmax([-Infinity, -Infinity])).toBe(0);
    expect(argmax([Number.NaN, 2, Number.NaN, 3])).toBe(3);
    expect(argmax([])).toBe(-1);
  });

  it('weighs log g by w: log l − w · log g (w = 1 by default, 0 keeps log l alone)', () => {
    expect(Array.from(scoreCandidates([-1, -2], [-2, -4], 0.5))).toEqual([0, 0]);
    expect(Array.from(scoreCandidates([-1, -2], [-2, -4], 0))).toEqual([-1, -2]);
    expect(Array.from(scoreCandidates([-1, -2], [Number.NEGATIVE_INFINITY, -4], 0))).toEqual([-1, -2]);
    expect(Array.from(scoreCandidates([-1, -2], [-2, -4]))).toEqual([1, 2]);
  });
});
