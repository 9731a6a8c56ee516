import type { RunResult, StudySummary } from '@parzen/engine';
import { versusFirstCell } from '@parzen/engine/host';
import { buildComparison } from '@parzen/report';
import { describe, expect, it } from 'vitest';
import {
  type BatchOutcome,
  compareOutcomes,
  formatComparison,
  snapshotNote,
  unevenNotes,
  versusFirstNote,
} from './comparison.js';

const outcome = (
  variant: string,
  study: string,
  best: number | undefined,
  direction: 'minimize' | 'maximize' = 'minimize',
): BatchOutcome => {
  const summary = {
    study,
    direction,
    complete: 4,
    failed: 1,
    pruned: 0,
    running: 0,
    best: best === undefined ? undefined : { loss: best, number: 0 },
    bestParams: {},
  } as unknown as StudySummary;
  return {
    variant,
    study,
    direction,
    result: { summary, reason: 'max-trials', resumed: false, existingTrials: 0, trials: [] } as unknown as RunResult,
  };
};

describe('snapshotNote (trial 47: two workers of one matrix printed different tables, unexplained)', () => {
  const running = (base: BatchOutcome, count: number): BatchOutcome => ({
    ...base,
    result: { ...(base.result as RunResult), summary: { ...(base.result as RunResult).summary, running: count } },
  });
  it('says the comparison is a snapshot while other processes run trials of its studies', () => {
    expect(snapshotNote([outcome('random', 'r1', 3), outcome('tpe', 't1', 1)])).toBeUndefined();
    expect(snapshotNote([running(outcome('random', 'r1', 3), 2), running(outcome('tpe', 't1', 1), 1)])).toBe(
      'parzen: 3 trials of these studies were still running in other processes: this comparison is a snapshot, and theirs will differ (`parzen run` again, or `parzen studies`, once they end).',
    );
    expect(
      // An errored run (no result) counts nothing.
      snapshotNote([
        running(outcome('random', 'r1', 3), 1),
        { variant: 'tpe', study: 't1', direction: 'minimize', error: new Error('x') },
      ]),
    ).toMatch(/^parzen: 1 trial of these studies was still running/);
  });
});

describe('compareOutcomes', () => {
  it('takes the median best per variant and sorts the best variant first', () => {
    const rows = compareOutcomes([
      outcome('random', 'r1', 3),
      outcome('random', 'r2', 1),
      outcome('random', 'r3', 2),
      outcome('tpe', 't1', 0.5),
      outcome('tpe', 't2', 1.5),
    ]);
    expect(rows.map((row) => [row.variant, row.runs, row.medianBest, row.bestOfRuns, row.worstOfRuns])).toEqual([
      ['tpe', 2, 1, 0.5, 1.5],
      ['random', 3, 2, 1, 3],
    ]);
    expect(rows[1]).toMatchObject({ completeTrials: 12, failedTrials: 3, studies: ['r1', 'r2', 'r3'], erroredRuns: 0 });
    // Linear quartiles, as the report's table: bests 1, 2, 3 -> 1.5 and 2.5; 0.5, 1.5 -> 0.75 and 1.25.
    expect(rows.map((row) => row.quartilesBest)).toEqual([
      [0.75, 1.25],
      [1.5, 2.5],
    ]);
  });

  it('gives quartiles in value order when maximizing too (review 68: reversed)', () => {
    const rows = compareOutcomes(
      [outcome('a', 'a1', 1), outcome('a', 'a2', 2), outcome('a', 'a3', 3)].map((one) => ({
        ...one,
        direction: 'maximize' as const,
      })),
    );
    expect(rows[0]?.quartilesBest).toEqual([1.5, 2.5]);
  });

  it('ranks by the highest median when maximizing, and puts variants without results last', () => {
    const rows = compareOutcomes([
      outcome('a', 'a1', 1, 'maximize'),
      { variant: 'broken', study: 'b1', direction: 'maximize', error: new Error('store failed') },
      outcome('c', 'c1', 5, 'maximize'),
      outcome('c', 'c2', undefined, 'maximize'),
    ]);
    // c's second run found nothing: it ranks worst, so c has no median (1 of 2 runs) and its worst is none
    // (trial 32: the median and worst left such runs out, and the row looked better than it was).
    expect(
      rows.map((row) => [row.variant, row.medianBest, row.bestOfRuns, row.erroredRuns, row.runsWithoutBest]),
    ).toEqual([
      ['a', 1, 1, 0, 0],
      ['c', null, 5, 0, 1],
      ['broken', null, null, 1, 1],
    ]);
    expect(formatComparison(rows).split('\n')).toEqual([
      'variant  runs  errored  no best  median best  best  worst  vs first  complete  failed',
      'a           1        0        0            1     1      1         -         4       1',
      'c           2        0        1            -     5   none  few runs         8       2',
      'broken      1        1        1            -     -   none  few runs         0       0',
    ]);
    // Of three runs, one without a best: the median is the middle of the other two ranked first.
    const three = compareOutcomes([outcome('t', 't1', 3), outcome('t', 't2', undefined), outcome('t', 't3', 1)]);
    expect(three[0]).toMatchObject({ medianBest: 3, bestOfRuns: 1, worstOfRuns: null, runsWithoutBest: 1 });
  });
});

describe('the rank test against the first row (trial 157: a gap of pure noise read as an improvement)', () => {
  // Eight runs each whose bests differ only by noise (scipy: mannwhitneyu gives p = 0.1303807, exact).
  const noise = [
    ...[0.0901, 0.0186, 0.1314, 0.071, 0.095, 0.088, 0.102, 0.11].map((best, i) => outcome('a', `a${i}`, best)),
    ...[0.106, 0.0758, 0.162, 0.099, 0.121, 0.113, 0.093, 0.14].map((best, i) => outcome('b', `b${i}`, best)),
  ];
  it('gives each row but the first its p-value against the first, in the table and the rows', () => {
    const rows = compareOutcomes([
      ...noise,
      ...[5, 6, 7, 8].map((best, i) => outcome('c', `c${i}`, best)),
      ...[1, 2, 3].map((best, i) => outcome('d', `d${i}`, best)),
    ]);
    expect(rows.map((row) => [row.variant, row.versusFirst])).toEqual([
      ['a', null],
      ['b', { variant: 'a', p: expect.closeTo(0.1303807, 6), method: 'exact' }],
      ['d', { variant: 'a', p: null, method: null }],
      ['c', { variant: 'a', p: expect.closeTo(2 / 495, 9), method: 'exact' }],
    ]);
    expect(formatComparison(rows).split('\n')).toEqual([
      'variant  runs  median best    best   worst  vs first  complete  failed',
      'a           8      0.09255  0.0186  0.1314         -        32       8',
      'b           8       0.1095  0.0758   0.162    p=0.13        32       8',
      'd           3            2       1       3  few runs        12       3',
      'c           4          6.5       5       8   p=0.004        16       4',
    ]);
    expect(versusFirstNote(rows)).toBe(
      'vs first: p of a two-sided Mann–Whitney U test of each row\'s run bests against those of the first row; at 0.05 or above, the gap may be chance (the seeds\' luck, or a noisy objective\'s); below, it is unlikely from the seeds\' luck alone (with many rows, some such gaps are still chance), and if the objective is noisy each best is the lowest of noisy draws, a bias the test does not cover (docs/tpe.md, "Noisy objectives"). "few runs": fewer than 4 runs in a row or its first, too few to test.',
    );
  });

  it('ranks a run without a best worst, maximizing too, and has no column for one row', () => {
    const up = noise.map((one) => ({ ...one, direction: 'maximize' as const }));
    const rows = compareOutcomes([
      ...up,
      outcome('z', 'z1', 1, 'maximize'),
      outcome('z', 'z2', undefined, 'maximize'),
      outcome('z', 'z3', 2, 'maximize'),
      outcome('z', 'z4', undefined, 'maximize'),
    ]);
    // Maximizing, b leads; a run without a best ties only with its like: the approximation.
    expect(rows.map((row) => [row.variant, row.versusFirst?.p ?? null])).toEqual([
      ['b', null],
      ['a', expect.closeTo(0.1303807, 6)],
      ['z', expect.any(Number)],
    ]);
    expect(rows[2]?.versusFirst?.method).toBe('asymptotic');
    const [one] = compareOutcomes(noise.slice(0, 8));
    expect(one?.versusFirst).toBeNull();
    expect(formatComparison(compareOutcomes(noise.slice(0, 8)))).not.toContain('vs first');
    expect(versusFirstNote(compareOutcomes(noise.slice(0, 8)))).toBeUndefined();
  });
});

describe('the rank test with several problems in one batch (heart and iris in examples/batch)', () => {
  it('tests each row against the first row of its own problem, and says so', () => {
    const of = (problem: string, one: BatchOutcome): BatchOutcome => ({ ...one, problem });
    const rows = compareOutcomes([
      ...[1, 2, 3, 4].map((best, i) => of('heart', outcome('h-tpe', `h${i}`, -100 - best))),
      ...[1, 2, 3, 4].map((best, i) => of('heart', outcome('h-random', `r${i}`, -50 - best))),
      ...[1, 2, 3, 4].map((best, i) => of('iris', outcome('i-tpe', `i${i}`, 0.02 + best / 100))),
      ...[1, 2, 3, 4].map((best, i) => of('iris', outcome('i-random', `j${i}`, 0.021 + best / 100))),
    ]);
    expect(rows.map((row) => [row.variant, row.versusFirst?.variant ?? null, row.versusFirst?.p ?? null])).toEqual([
      ['h-tpe', null, null],
      ['h-random', 'h-tpe', expect.closeTo(2 / 70, 12)],
      ['i-tpe', null, null],
      ['i-random', 'i-tpe', expect.closeTo(0.6857143, 6)],
    ]);
    expect(versusFirstNote(rows)).toContain(
      'against those of the first row of its problem (the batch has several objectives or spaces: they are not tested against each other)',
    );
    // One variant per problem (a matrix over a space bound): nothing to test, no column, and said why (review 149).
    const alone = compareOutcomes([of('a', outcome('a', 'a1', 1)), of('b', outcome('b', 'b1', 2))]);
    expect(formatComparison(alone)).not.toContain('vs first');
    expect(versusFirstNote(alone)).toBe(
      'No "vs first" test: each row is a problem of its own, its objective or search space unlike the others\' (a changed bound counts: a constant in the space may pick the data set, so losses over different spaces are not tested against each other). Each run\'s best is in --json, for a test of your own.',
    );
  });
});

describe("run's comparison and the report's table agree (review 74: median 2 against 1.5 for one batch)", () => {
  it.each(['minimize', 'maximize'] as const)('on the same runs, %s', (direction) => {
    const bests: (number | undefined)[] = [1, 2, undefined, 4, 3, 6, 5, undefined, 0.5];
    const variants = (index: number) => (index % 2 === 0 ? 'even' : 'odd');
    // One trial a run: complete with its best, or failed; every third run has a pruned trial after it (the page's
    // runs below have the same).
    const prunedOf = (index: number) => (index % 3 === 0 ? 1 : 0);
    const oneTrial = (best: number | undefined, index: number, base: BatchOutcome): BatchOutcome => {
      const result = base.result as RunResult;
      const counts = {
        complete: best === undefined ? 0 : 1,
        failed: best === undefined ? 1 : 0,
        pruned: prunedOf(index),
      };
      return { ...base, result: { ...result, summary: { ...result.summary, ...counts } } };
    };
    const rows = compareOutcomes(
      bests.map((best, index) => oneTrial(best, index, outcome(variants(index), `s${index}`, best, direction))),
    );
    const row = rows.find((one) => one.variant === 'even');
    const page = buildComparison(
      bests.map((best, index) => ({
        variant: variants(index),
        seed: index,
        direction,
        values: [best === undefined ? null : best, ...(prunedOf(index) === 1 ? [null] : [])],
        failed: best === undefined ? 1 : 0,
        pruned: prunedOf(index),
      })),
    );
    expect(row?.runs).toBe(5);
    // Every row, in the same order, with the same "vs first" test (review 162: the report had none).
    expect(page.table?.rows).toEqual(
      rows.map((one) => [
        one.variant,
        one.runs,
        one.runsWithoutBest,
        one.medianBest,
        // The best, worst, complete, failed and pruned columns of run's table, on the page too (user trials missed
        // them: without pruned, complete and failed did not add up to the trials).
        one.bestOfRuns,
        one.worstOfRuns,
        one.quartilesBest?.[0] ?? null,
        one.quartilesBest?.[1] ?? null,
        versusFirstCell(one.versusFirst),
        one.completeTrials,
        one.failedTrials,
        one.prunedTrials,
      ]),
    );
    // The same columns after the quartiles, in the same order (the page has q25 and q75, run's table has not).
    const tail = page.table?.columns.slice(page.table.columns.indexOf('vs first')) ?? [];
    expect(tail).toEqual(['vs first', 'complete', 'failed', 'pruned']);
    expect(
      formatComparison(rows)
        .split('\n')[0]
        ?.trim()
        .split(/\s{2,}/)
        .slice(-tail.length),
    ).toEqual(tail);
    expect(formatComparison(rows)).toContain(versusFirstCell(rows[1]?.versusFirst ?? null));
    // One run of five without a best: the median is the middle of the other four and the run ranked worst.
    expect(row?.medianBest).toBe(direction === 'minimize' ? 3 : 1);
  });
});

describe('unevenNotes (trial 72: a variant whose trials mostly failed ranked first, unsaid)', () => {
  const counted = (variant: string, complete: number, failed: number): BatchOutcome => {
    const base = outcome(variant, `${variant}-${complete}-${failed}`, 1);
    const result = base.result as RunResult;
    return { ...base, result: { ...result, summary: { ...result.summary, complete, failed } } };
  };
  it('says which runs are not like for like, and nothing when all are', () => {
    expect(unevenNotes([counted('good', 12, 0), counted('good', 12, 0), counted('bad', 2, 10)])).toEqual([
      "parzen: variants whose objective failed more often than another's in runs of the same length, so their bests come from fewer evaluated trials (how often a suggester tries where the objective fails is part of what is compared): bad (10 failed per run; good 0).",
    ]);
    expect(unevenNotes([counted('un', 2, 0), counted('un', 3, 0), counted('ok', 3, 0)])).toEqual([
      'parzen: runs of unequal length (an interrupted run, a budget changed between runs), their bests not like for like: un (2–3 finished trials).',
    ]);
    expect(
      unevenNotes([
        counted('a', 12, 0),
        counted('b', 12, 0),
        { variant: 'c', study: 'c', direction: 'minimize', error: new Error('x') },
      ]),
    ).toEqual([]);
  });

  it('says a stopper made runs unequal as expected, and names runs with trials cut short (trial 165)', () => {
    const ended = (base: BatchOutcome, reason: string, unfinished = 0): BatchOutcome => {
      const result = base.result as RunResult;
      return { ...base, result: { ...result, reason, summary: { ...result.summary, unfinished } } as RunResult };
    };
    expect(
      unevenNotes([
        ended(counted('sm trials=5', 10, 0), 'stopper'),
        ended(counted('sm trials=5', 12, 0), 'stopper'),
        ended(counted('kill', 12, 1), 'max-trials', 1),
        ended(counted('kill', 13, 0), 'max-trials'),
      ]),
    ).toEqual([
      'parzen: runs of unequal length as their stopper or budget (patience, lossThreshold, maxSeconds) ended them, as expected: their bests come from different numbers of trials: sm trials=5 (10–12 finished trials).',
      "parzen: runs with trials cut short (kill -9, a second Ctrl-C, a lost worker), which count toward the budget and are not run again (an enqueued entry's runs again, in a trial of its own that counts too): their bests come from fewer evaluated trials, not like for like: kill (1 cut short). `parzen run CONFIG --study NAME --more-trials N` runs one study's N more.",
    ]);
  });
});
