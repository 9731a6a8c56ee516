import { describe, expect, it } from 'vitest';
import { summarizeBests, unevenRuns } from './bests-summary.js';

describe('summarizeBests', () => {
  it('ranks a run without a best worst: the median and quartiles that fall on it are none', () => {
    // Review 74: `parzen run` said median 2, the report 1.5 (it dropped the run that found nothing).
    expect(summarizeBests([1, 2, null], 'minimize')).toEqual({
      runs: 3,
      withoutBest: 1,
      median: 2,
      quartiles: null,
      best: 1,
      worst: null,
    });
    // Four runs, the last without a best: q25 and the median stand, q75 falls between 3 and none.
    expect(summarizeBests([3, null, 1, 2], 'minimize')).toMatchObject({ median: 2.5, quartiles: null });
    expect(summarizeBests([5, 1, 2, 3, 4, null, null, null, null], 'minimize')).toMatchObject({
      median: 5,
      quartiles: null,
    });
    expect(summarizeBests([null, null], 'minimize')).toEqual({
      runs: 2,
      withoutBest: 2,
      median: null,
      quartiles: null,
      best: null,
      worst: null,
    });
    expect(summarizeBests([], 'minimize')).toMatchObject({ runs: 0, median: null, quartiles: null, best: null });
  });

  it('interpolates the quartiles linearly and gives them in value order for both directions', () => {
    expect(summarizeBests([4, 1, 3, 2, 5], 'minimize')).toEqual({
      runs: 5,
      withoutBest: 0,
      median: 3,
      quartiles: [2, 4],
      best: 1,
      worst: 5,
    });
    expect(summarizeBests([4, 1, 3, 2], 'minimize')).toMatchObject({ median: 2.5, quartiles: [1.75, 3.25] });
    // Maximize: the best is the highest, a run without a best ranks below every value.
    expect(summarizeBests([4, 1, 3, 2], 'maximize')).toMatchObject({
      median: 2.5,
      quartiles: [1.75, 3.25],
      best: 4,
      worst: 1,
    });
    expect(summarizeBests([1, 2, null], 'maximize')).toMatchObject({ median: 1, best: 2, worst: null });
  });
});

describe('unevenRuns', () => {
  const run = (variant: string, finished: number, failed: number) => ({ variant, finished, failed });
  it('finds runs of one variant of unequal length, and runs that failed more trials than others of their length', () => {
    // Trial 72: a run whose best trial was cut short by kill -9 (failed, counted by the budget) beside two
    // whole ones; a variant whose objective failed on 10 of its 12 trials beside one that never failed.
    expect(
      unevenRuns([
        run('random', 15, 0),
        run('random', 15, 0),
        run('random', 15, 1),
        run('tpe', 15, 0),
        run('bad', 12, 10),
        run('bad', 12, 9),
        run('good', 12, 0),
        run('short', 2, 0),
        run('short', 3, 0),
      ]),
    ).toEqual({
      length: [{ variant: 'short', min: 2, max: 3 }],
      failed: [
        { variant: 'random', min: 1, max: 1 },
        { variant: 'bad', min: 9, max: 10 },
      ],
    });
    // A budget the matrix varies: like for like; a variant failing more than another of that length: not.
    expect(unevenRuns([run('a', 10, 0), run('b', 20, 0), run('c', 10, 2), run('c', 10, 2)])).toEqual({
      length: [],
      failed: [{ variant: 'c', min: 2, max: 2 }],
    });
    // Runs of another problem (objective, space) are not compared (review 79).
    expect(
      unevenRuns([
        { ...run('a', 10, 0), problem: 'p' },
        { ...run('c', 10, 2), problem: 'q' },
      ]),
    ).toEqual({ length: [], failed: [] });
    expect(unevenRuns([run('a', 10, 2), run('b', 10, 2)])).toEqual({ length: [], failed: [] });
    expect(unevenRuns([])).toEqual({ length: [], failed: [] });
  });
});
