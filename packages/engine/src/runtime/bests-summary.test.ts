import { describe, expect, it } from 'vitest';
import { type RunLength, summarizeBests, unevenRunNotes, unevenRuns } from './bests-summary.js';

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
  const run = (variant: string, finished: number, failed: number, more: Partial<RunLength> = {}): RunLength => ({
    variant,
    finished,
    failed,
    ...more,
  });
  const none = { length: [], endedByRule: [], cutShort: [], failed: [] };
  it('finds runs of one variant of unequal length, runs with trials cut short, and variants that failed more', () => {
    // Trial 72: a run whose best trial was cut short by kill -9 (failed, counted by the budget) beside two
    // whole ones; a variant whose objective failed on 10 of its 12 trials beside one that never failed.
    expect(
      unevenRuns([
        run('random', 15, 0),
        run('random', 15, 0),
        run('random', 15, 1, { cutShort: 1 }),
        run('tpe', 15, 0),
        run('bad', 12, 10),
        run('bad', 12, 9),
        run('good', 12, 0),
        run('short', 2, 0),
        run('short', 3, 0),
      ]),
    ).toEqual({
      ...none,
      length: [{ variant: 'short', min: 2, max: 3 }],
      cutShort: [{ variant: 'random', min: 1, max: 1 }],
      failed: [{ variant: 'bad', min: 9, max: 10, than: { variant: 'good', min: 0, max: 0 } }],
    });
    // A budget the matrix varies: like for like; a variant failing more than another of that length: not.
    expect(unevenRuns([run('a', 10, 0), run('b', 20, 0), run('c', 10, 2), run('c', 10, 2)])).toEqual({
      ...none,
      failed: [{ variant: 'c', min: 2, max: 2, than: { variant: 'a', min: 0, max: 0 } }],
    });
    // Runs of another problem (objective, space) are not compared (review 79).
    expect(unevenRuns([run('a', 10, 0, { problem: 'p' }), run('c', 10, 2, { problem: 'q' })])).toEqual(none);
    expect(unevenRuns([run('a', 10, 2), run('b', 10, 2)])).toEqual(none);
    expect(unevenRuns([])).toEqual(none);
  });

  it('names only the variants that failed more than the one that failed fewest, and says a stopper made runs unequal (trial 165)', () => {
    // A failing region: every variant fails some trials, its seeds differently; the variant that failed
    // fewest (tpe, 4–8) was named as failing "more than other runs", and so was every other.
    const seeds = (variant: string, failed: readonly number[]) => failed.map((count) => run(variant, 100, count));
    expect(
      unevenRuns([
        ...seeds('tpe', [4, 8, 5, 6, 4]),
        ...seeds('tpe-ignore', [20, 94, 60]),
        ...seeds('random', [30, 39]),
      ]),
    ).toEqual({
      ...none,
      failed: [
        { variant: 'tpe-ignore', min: 20, max: 94, than: { variant: 'tpe', min: 4, max: 8 } },
        { variant: 'random', min: 30, max: 39, than: { variant: 'tpe', min: 4, max: 8 } },
      ],
    });
    // Overlapping ranges are seeds, not a difference between variants.
    expect(unevenRuns([...seeds('a', [0, 3]), ...seeds('b', [1, 4])])).toEqual(none);
    // A stopper (or patience, lossThreshold, maxSeconds) ended the shorter runs: unequal lengths are expected.
    const stopped = { endedByRule: true };
    expect(
      unevenRuns([
        run('trials=5', 10, 0, stopped),
        run('trials=5', 12, 0, stopped),
        run('trials=10', 15, 0, stopped),
        run('trials=10', 17, 0),
        run('cut', 5, 0, stopped),
        run('cut', 7, 0),
        run('cut', 9, 0),
      ]),
    ).toEqual({
      ...none,
      length: [{ variant: 'cut', min: 5, max: 9 }],
      endedByRule: [
        { variant: 'trials=5', min: 10, max: 12 },
        { variant: 'trials=10', min: 15, max: 17 },
      ],
    });
    expect(
      unevenRunNotes([
        run('tpe', 100, 4),
        run('tpe', 100, 8),
        run('random', 100, 30),
        run('random', 100, 39),
        run('s', 10, 0, stopped),
        run('s', 12, 0),
      ]),
    ).toEqual([
      'Runs of unequal length as their stopper or budget (patience, lossThreshold, maxSeconds) ended them, as expected: their bests come from different numbers of trials: s (10–12 finished trials).',
      "Variants whose objective failed more often than another's in runs of the same length, so their bests come from fewer evaluated trials (how often a suggester tries where the objective fails is part of what is compared): random (30–39 failed per run; tpe 4–8).",
    ]);
  });
});
