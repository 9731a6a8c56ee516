import type { Trial } from '@parzen/engine';
import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { vectors } from '../math/fixtures/vectors.js';
import { resolveTpeSettings } from '../options.js';
import { curveTrial } from './fixtures.js';
import { observedCount, splitHistory } from './history-split.js';
import { aboveSet, paramObservations } from './observations.js';
import { TrialHistory } from './trial-history.js';

const complete = (number: number, value: number, x = value): Trial => ({
  study: 's',
  number,
  state: 'complete',
  internal: { x },
  loss: value,
  startedAt: '',
  finishedAt: '',
});
const failed = (number: number, x: number): Trial => ({
  study: 's',
  number,
  state: 'failed',
  internal: { x },
  error: { code: 'OBJECTIVE_THREW', message: 'boom' },
  startedAt: '',
  finishedAt: '',
});
const running = (number: number, params: Record<string, number> = {}): Trial => ({
  study: 's',
  number,
  state: 'running',
  internal: params,
  startedAt: '',
});

const history = (trials: Trial[], direction: 'minimize' | 'maximize' = 'minimize') => {
  const h = new TrialHistory();
  h.sync('s', direction, trials);
  return h;
};

describe('splitHistory: trials of equal loss across the boundary (ties)', () => {
  // 20 complete trials: nBelow = ⌈0.15 · 20⌉ = 3 with γ 0.15 (the parzen profile's for its first 50 trials).
  const plateau = (best: number[]) => [
    ...best.map((loss, i) => complete(i, loss)),
    ...Array.from({ length: 20 - best.length }, (_, i) => complete(best.length + i, 1)),
  ];
  const below = (trials: Trial[], ties: 'first' | 'above', failedToo = false) =>
    splitHistory(
      history(failedToo ? [...trials, failed(99, 0)] : trials),
      resolveTpeSettings({ ties, failed: 'worst', gamma: 0.15 }),
    ).below;

  it('"first" gives the earlier trials of the tie the places left, as hyperopt and Optuna', () => {
    expect(below(plateau([0.5]), 'first')).toEqual([0, 1, 2]);
    expect(below(plateau([]), 'first')).toEqual([0, 1, 2]);
  });

  it('"above" leaves the whole tie out: only the trials better than it are below, none when it holds the best loss', () => {
    expect(below(plateau([0.5]), 'above')).toEqual([0]);
    expect(below(plateau([0.5, 0.25]), 'above')).toEqual([0, 1]);
    expect(below(plateau([]), 'above')).toEqual([]);
    // Failed trials (loss +∞ under failed: worst) do not take the places the tie left.
    expect(below(plateau([0.5]), 'above', true)).toEqual([0]);
  });

  it('"above" changes nothing when the boundary is between different losses, or the tie fits inside the below set', () => {
    const distinct = Array.from({ length: 20 }, (_, i) => complete(i, 20 - i));
    expect(below(distinct, 'above')).toEqual(below(distinct, 'first'));
    // Two trials at 0.1 and three best places: the tie is inside, the third place goes to the next loss.
    const inside = [
      complete(0, 0.1),
      complete(1, 0.1),
      ...Array.from({ length: 18 }, (_, i) => complete(i + 2, 2 + i)),
    ];
    expect(below(inside, 'above')).toEqual([0, 1, 2]);
  });

  it('"above" leaves a small tie (under twice the below set) in the libraries\' order: settings that score alike', () => {
    // Three places; a tie of 5 at 0.5 after the best (a classifier's error rate, say) is no plateau.
    const small = [
      complete(0, 0.1),
      ...Array.from({ length: 5 }, (_, i) => complete(i + 1, 0.5)),
      ...Array.from({ length: 14 }, (_, i) => complete(i + 6, 2 + i)),
    ];
    expect(below(small, 'above')).toEqual(below(small, 'first'));
    expect(below(small, 'above')).toEqual([0, 1, 2]);
    // Six at 0.5 (twice the three places) is a plateau: left out.
    const six = [
      complete(0, 0.1),
      ...Array.from({ length: 6 }, (_, i) => complete(i + 1, 0.5)),
      ...Array.from({ length: 13 }, (_, i) => complete(i + 7, 2 + i)),
    ];
    expect(below(six, 'above')).toEqual([0]);
  });

  it("is the parzen profile's default; the library profiles keep their order", () => {
    expect(resolveTpeSettings({}).ties).toBe('above');
    for (const profile of ['hyperopt', 'optuna', 'optuna5'] as const)
      expect(resolveTpeSettings({ profile }).ties).toBe('first');
  });
});

describe('splitHistory', () => {
  const trials = [complete(0, 5), failed(1, 0.1), complete(2, 1), running(3, { x: 0.7 }), complete(4, 3), running(5)];

  it('hyperopt: failed and running trials count in n and join g with loss +∞', () => {
    const settings = resolveTpeSettings({ profile: 'hyperopt' });
    const h = history(trials);
    expect(observedCount(h, settings)).toBe(6);
    const split = splitHistory(h, settings);
    expect(split).toMatchObject({ n: 6, nBelow: 1, below: [2] });
    expect(split.extras.map((t) => t.number)).toEqual([1, 3, 5]);
    const x = paramObservations(h, split, 'x');
    expect(Array.from(x.above.numbers)).toEqual([0, 1, 3, 4]);
    expect(Array.from(x.above.values)).toEqual([5, 0.1, 0.7, 3]);
  });

  it('optuna: failed trials are ignored, running ones are in g (constant liar) but not counted', () => {
    const settings = resolveTpeSettings({ profile: 'optuna' });
    const h = history(trials);
    const split = splitHistory(h, settings);
    expect(split).toMatchObject({ n: 3, nBelow: 1, below: [2] });
    expect(Array.from(paramObservations(h, split, 'x').above.numbers)).toEqual([0, 3, 4]);
    const ignore = splitHistory(h, { ...settings, constantLiar: false });
    expect(Array.from(paramObservations(h, ignore, 'x').above.numbers)).toEqual([0, 4]);
  });

  it('a finite lie ranks running trials with the complete ones and counts them in n', () => {
    const h = history(trials);
    const base = { ...resolveTpeSettings({ profile: 'parzen' }), gamma: 0.5 };
    // Complete losses 5, 1, 3: best 1, mean 3. Running trials 3 and 5 take the lie.
    const best = splitHistory(h, { ...base, constantLiar: 'best' });
    expect(best).toMatchObject({ n: 5, nBelow: 3, below: [2, 3, 5] });
    const mean = splitHistory(h, { ...base, constantLiar: 'mean' });
    expect(mean.below).toEqual([2, 3, 4]);
    expect(mean.extras.map((t) => t.number)).toEqual([5]);
    const number = splitHistory(h, { ...base, constantLiar: 10 });
    expect(number.below).toEqual([0, 2, 4]);
    expect(number.extras.map((t) => t.number)).toEqual([3, 5]);
  });

  it("a numeric lie is a loss in the study's direction: a maximize study of negated losses splits alike", () => {
    const negated = trials.map((trial) => (trial.state === 'complete' ? { ...trial, loss: -trial.loss } : trial));
    const base = { ...resolveTpeSettings({ profile: 'parzen' }), gamma: 0.5 };
    for (const lie of [10, 2, 0.5]) {
      const minimize = splitHistory(history(trials), { ...base, constantLiar: lie });
      const maximize = splitHistory(history(negated, 'maximize'), { ...base, constantLiar: -lie });
      expect(maximize.below).toEqual(minimize.below);
      expect(maximize.extras.map((t) => t.number)).toEqual(minimize.extras.map((t) => t.number));
    }
    // A lie above every value of a maximize study is the best: the running trials 3 and 5 lead the below set.
    expect(splitHistory(history(negated, 'maximize'), { ...base, constantLiar: 100 }).below).toEqual([2, 3, 5]);
  });

  it('a running trial at the lie and a complete trial of the same loss: the smaller number first (review 29)', () => {
    const base = { ...resolveTpeSettings({ profile: 'parzen' }), gamma: 0.5, constantLiar: 3 } as const;
    // n = 4 (the running trial counts under a finite lie), so the below set holds 2: the best and one of the tie.
    const completeFirst = [complete(0, 1), complete(1, 3), running(2, { x: 0.2 }), complete(3, 5)];
    expect(splitHistory(history(completeFirst), base).below).toEqual([0, 1]);
    const runningFirst = [complete(0, 1), running(1, { x: 0.2 }), complete(2, 3), complete(3, 5)];
    expect(splitHistory(history(runningFirst), base).below).toEqual([0, 1]);
  });

  it('fills the below set with +∞ trials only when too few have losses (hyperopt)', () => {
    const settings = { ...resolveTpeSettings({ profile: 'hyperopt' }), gamma: 2 };
    const split = splitHistory(history(trials), settings);
    expect(split.nBelow).toBe(5);
    expect(split.below).toEqual([0, 1, 2, 3, 4]);
  });

  it('maximizes by negating the value', () => {
    const split = splitHistory(
      history([complete(0, 1), complete(1, 9), complete(2, 4)], 'maximize'),
      resolveTpeSettings({ profile: 'optuna' }),
    );
    expect(split.below).toEqual([1]);
  });
});

describe('TrialHistory', () => {
  it('rebuilds when a known finished trial changes, and follows a new study', () => {
    const h = history([complete(0, 1), complete(1, 2)]);
    h.sync('s', 'minimize', [complete(0, 1), failed(1, 0.5)]);
    expect(h.complete.size).toBe(1);
    expect(h.failed.map((t) => t.number)).toEqual([1]);
    h.sync('other', 'minimize', [complete(0, 7)]);
    expect(h.complete.size).toBe(1);
    expect(h.column('x').valueOf(0)).toBe(7);
  });

  it('reads only the trials a sync has not seen: the leading ones that are the same objects are skipped', () => {
    // A trial that counts the reads of its number (the loop reads it first).
    let reads = 0;
    const counted = (trial: Trial): Trial => {
      const { number } = trial;
      return Object.defineProperty({ ...trial }, 'number', {
        get: () => {
          reads++;
          return number;
        },
        enumerable: true,
      });
    };
    const trials = [complete(0, 3), complete(1, 1), failed(2, 0.5), complete(3, 2)].map(counted);
    const h = new TrialHistory();
    h.sync('s', 'minimize', trials);
    const first = reads;
    expect(first).toBeGreaterThan(0);
    // The same array grown by one: only the new trial is read (each trial's number was read on every sync).
    trials.push(counted(complete(4, 0)));
    reads = 0;
    h.sync('s', 'minimize', trials);
    expect(reads).toBeGreaterThan(0);
    expect(reads).toBeLessThan(first / 2);
    expect(Array.from(h.complete.tags.subarray(0, h.complete.size))).toEqual([4, 1, 3, 0]);
    expect(h.failed.map((t) => t.number)).toEqual([2]);
  });

  test('syncing the same objects again, in place or changed, gives what a fresh history of the trials gives', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 10, noNaN: true }),
            fc.constantFrom('complete', 'failed', 'pruned', 'running'),
          ),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('replace', 'insert', 'remove', 'append', 'finish')), {
          maxLength: 6,
        }),
        fc.constantFrom('rank', 'ignore'),
        (rows, edits, policy: 'rank' | 'ignore') => {
          const make = (number: number, value: number, state: string): Trial =>
            state === 'complete'
              ? complete(number, value)
              : state === 'failed'
                ? failed(number, value)
                : state === 'pruned'
                  ? { ...curveTrial(number, 'pruned', [value]), internal: { x: value } }
                  : running(number, { x: value });
          let next = rows.length;
          const trials = rows.map(([value, state], number) => make(number, value, state));
          const h = new TrialHistory();
          h.sync('s', 'minimize', trials, [], policy);
          for (const [at, edit] of edits) {
            const i = at % trials.length;
            const old = trials[i] as Trial;
            // A finished trial known by its number changes state (another history): a rebuild. (One that kept its
            // state and changed its loss breaks the contract that finished trials are immutable.)
            if (edit === 'replace') trials[i] = make(old.number, 3, old.state === 'complete' ? 'failed' : 'complete');
            else if (edit === 'finish' && old.state === 'running') trials[i] = make(old.number, 1, 'complete');
            else if (edit === 'remove' && trials.length > 1) trials.splice(i, 1);
            else if (edit === 'insert') trials.splice(i, 0, make(next++, 4, 'complete'));
            else trials.push(make(next++, 5, 'pruned'));
            h.sync('s', 'minimize', trials, [], policy);
            const fresh = new TrialHistory();
            fresh.sync('s', 'minimize', trials, [], policy);
            expect(h.complete.tags.subarray(0, h.complete.size)).toEqual(
              fresh.complete.tags.subarray(0, fresh.complete.size),
            );
            expect(h.pruned.size).toBe(fresh.pruned.size);
            expect(h.failed.map((t) => t.number)).toEqual(fresh.failed.map((t) => t.number));
            expect(h.running.map((t) => t.number)).toEqual(fresh.running.map((t) => t.number));
            // (numberLimit is not compared: it keeps the largest number ever seen, as it always has, where a fresh
            // history has not seen a pruned trial taken out under "ignore".)
            expect(Array.from(h.column('x').byValue.tags.subarray(0, h.column('x').byValue.size))).toEqual(
              Array.from(fresh.column('x').byValue.tags.subarray(0, fresh.column('x').byValue.size)),
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test('gives the same above set, arrival ranks and sorted order as a direct computation, however the trials arrive', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -3, max: 3, noNaN: true }),
            fc.double({ min: 0, max: 10, noNaN: true }),
            fc.boolean(),
          ),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        fc.nat({ max: 60 }),
        (rows, cut) => {
          const trials = rows.map(([x, value, active], number) =>
            active
              ? complete(number, value, x)
              : { ...complete(number, value), internal: {} as Record<string, number> },
          );
          const h = new TrialHistory();
          h.sync('s', 'minimize', trials.slice(0, Math.min(cut, trials.length)));
          h.sync('s', 'minimize', trials);
          const split = splitHistory(h, resolveTpeSettings({ profile: 'optuna' }));
          const { above } = paramObservations(h, split, 'x');
          const expected = trials.filter((t) => !split.below.includes(t.number) && t.internal.x !== undefined);
          expect(Array.from(above.numbers)).toEqual(expected.map((t) => t.number));
          expect(Array.from(above.values)).toEqual(expected.map((t) => t.internal.x));
          const sorted = above.sorted;
          expect(sorted).toBeDefined();
          if (sorted === undefined) return;
          expect(Array.from(sorted.order, (rank) => above.values[rank])).toEqual(Array.from(sorted.values));
          expect(Array.from(sorted.values)).toEqual(expected.map((t) => t.internal.x as number).sort((a, b) => a - b));
          // Without the value order (a categorical parameter's): the same values and numbers, no order.
          const unordered = aboveSet(h, split, 'x', false);
          expect(unordered.sorted).toBeUndefined();
          expect(unordered.values).toEqual(above.values);
          expect(unordered.numbers).toEqual(above.numbers);
          expect(aboveSet(h, split, 'x', true)).toEqual(above);
        },
      ),
    );
  });
});

describe('pruned trials', () => {
  /** Optuna's own split of a study with complete, pruned, failed and running trials (tpe-spec §8 vectors). */
  const data = vectors.optuna_split_current_and_3_1_identical;
  const trials: Trial[] = data.trials.map(
    (t: { number: number; state: string; value: number | null; intermediate: Record<string, number | string> }) => {
      const base = { study: 's', number: t.number, internal: { x: t.number / 10 }, startedAt: '' };
      const intermediate = Object.entries(t.intermediate)
        .map(([step, value]) => ({ step: Number(step), value: typeof value === 'number' ? value : Number.NaN }))
        .sort((a, b) => a.step - b.step);
      if (t.state === 'COMPLETE') return { ...base, state: 'complete', loss: t.value as number, finishedAt: '' };
      if (t.state === 'RUNNING') return { ...base, state: 'running' };
      if (t.state === 'FAIL')
        return { ...base, state: 'failed', error: { code: 'OBJECTIVE_THREW', message: '' }, finishedAt: '' };
      return {
        ...base,
        state: 'pruned',
        finishedAt: '',
        ...(intermediate.length === 0 ? {} : { intermediate, value: (intermediate.at(-1) as { value: number }).value }),
      };
    },
  );
  const optuna = resolveTpeSettings({ profile: 'optuna' });

  for (const nBelow of [2, 4, 6, 8]) {
    it(`rank as Optuna's TPE ranks them (after the complete trials, deepest step, then value): n_below = ${nBelow}`, () => {
      const h = history(trials);
      expect(observedCount(h, optuna)).toBe(data.n_for_gamma);
      // ⌈γ·10⌉ = nBelow.
      const split = splitHistory(h, { ...optuna, gamma: (nBelow - 0.5) / 10 });
      expect(split.below).toEqual(data[`n_below=${nBelow}`].below);
      expect(Array.from(paramObservations(h, split, 'x').above.numbers)).toEqual(data[`n_below=${nBelow}`].above);
    });
  }

  it('a pruned trial that got deeper ranks before one that stopped earlier with a better value', () => {
    const pruned = (number: number, curve: number[]): Trial => ({
      study: 's',
      number,
      state: 'pruned',
      internal: { x: number },
      intermediate: curve.map((value, step) => ({ step, value })),
      loss: curve.at(-1) as number,
      startedAt: '',
      finishedAt: '',
    });
    const study = [complete(0, 5), pruned(1, [9, 8, 7]), pruned(2, [9, 1]), pruned(3, [9, 8, 6]), complete(4, 4)];
    const settings = { ...optuna, gamma: 0.5 }; // n = 5, 3 below: both complete trials, then the best pruned one
    expect(splitHistory(history(study), settings).below).toEqual([0, 3, 4]);
    // Maximizing, the deeper trials' larger value (7 over 6) ranks first.
    expect(splitHistory(history(study, 'maximize'), settings).below).toEqual([0, 1, 4]);
  });

  it('`pruned: "impute"` ranks them among the complete trials at the value reached plus the median offset there', () => {
    // Offsets (loss − value) at step 1: −3, −3, −3 (median −3); at step 0: −5, −6, −7 (median −6).
    const study = [
      curveTrial(0, 'complete', [10, 8, 5]),
      curveTrial(1, 'complete', [12, 9, 6]),
      curveTrial(2, 'complete', [14, 10, 7]),
      curveTrial(3, 'pruned', [11, 7]), // estimated 7 − 3 = 4: better than every complete trial
      curveTrial(4, 'pruned', [20]), // estimated 20 − 6 = 14: worse than every complete trial
      curveTrial(5, 'pruned', [9, 9, 9, 9]), // no complete trial reported step 3: no estimate, ranked last
    ];
    const impute = (trials: Trial[], gamma: number, direction: 'minimize' | 'maximize' = 'minimize') => {
      const h = new TrialHistory();
      h.sync('s', direction, trials, [], 'impute');
      return splitHistory(h, { ...optuna, gamma }).below;
    };
    expect(impute(study, 0.5)).toEqual([0, 1, 3]); // 3 below: #3 (4), #0 (5), #1 (6)
    expect(splitHistory(history(study), { ...optuna, gamma: 0.5 }).below).toEqual([0, 1, 2]);
    expect(impute(study, 0.8)).toEqual([0, 1, 2, 3, 4]); // 5 below: …, #2 (7), #4 (14); #5 last
    // Optuna's ranking takes the deepest pruned trial (#5, step 3) first.
    expect(splitHistory(history(study), { ...optuna, gamma: 0.8 }).below).toEqual([0, 1, 2, 3, 5]);
    // With fewer than 3 complete trials at a step, nothing is estimated: Optuna's ranking.
    const few = study.filter((trial) => trial.number !== 2);
    expect(impute(few, 0.6)).toEqual(splitHistory(history(few), { ...optuna, gamma: 0.6 }).below);
    // Maximizing the negated curves is the same study: the same below set.
    const negated = study.map((trial) =>
      curveTrial(
        trial.number,
        trial.state as 'complete' | 'pruned',
        (trial.intermediate ?? []).map((point) => -point.value),
      ),
    );
    expect(impute(negated, 0.5, 'maximize')).toEqual([0, 1, 3]);
    expect(impute(negated, 0.8, 'maximize')).toEqual([0, 1, 2, 3, 4]);
  });

  // What explain and the constantLiar description say: a finite lie ranks the running trials among the complete
  // ones and ahead of every pruned trial (under impute, beside the estimated ones); +∞ after every pruned trial.
  it('running trials at a finite lie rank ahead of pruned ones (impute: beside their estimates), at +∞ after them', () => {
    const study = [
      curveTrial(0, 'complete', [6, 5]),
      curveTrial(1, 'pruned', [3, 0.5]), // deepest step 1, value 0.5; estimated 0.5 + median offset 0
      running(2, { x: 2 }),
      curveTrial(3, 'complete', [5, 4]),
      curveTrial(4, 'complete', [8, 7]),
    ];
    const split = (policy: 'rank' | 'impute', constantLiar: 'mean' | 'infinite', gamma: number) => {
      const h = new TrialHistory();
      h.sync('s', 'minimize', study, [], policy);
      return splitHistory(h, { ...optuna, constantLiar, gamma }).below;
    };
    // n = 5; mean lie (5 + 4 + 7) / 3: 3 below: #3 (4), #0 (5), #2 (the lie) — not #1, whose 0.5 is the best value.
    expect(split('rank', 'mean', 0.6)).toEqual([0, 2, 3]);
    // Under impute #1's estimate, 0.5, ranks first; the lie comes after #0 (5).
    expect(split('impute', 'mean', 0.6)).toEqual([0, 1, 3]);
    // At +∞: 4 below: the three complete trials, then the pruned one; the running trial last.
    expect(split('rank', 'infinite', 0.8)).toEqual([0, 1, 3, 4]);
  });

  it('follows the policy it was last synced with: rank → impute rebuilds the curves, true means ignore', () => {
    const study = [
      curveTrial(0, 'complete', [10, 8, 5]),
      curveTrial(1, 'complete', [12, 9, 6]),
      curveTrial(2, 'complete', [14, 10, 7]),
      curveTrial(3, 'pruned', [11, 7]),
    ];
    const h = new TrialHistory();
    const settings = { ...optuna, gamma: 0.25 }; // n = 4: 1 below
    h.sync('s', 'minimize', study, [], 'rank');
    expect(splitHistory(h, settings).below).toEqual([0]);
    h.sync('s', 'minimize', study, [], 'impute');
    expect(h.prunedPolicy).toBe('impute');
    expect(splitHistory(h, settings).below).toEqual([3]);
    h.sync('s', 'minimize', study, [], true);
    expect(h.prunedPolicy).toBe('ignore');
    expect(observedCount(h, settings)).toBe(3);
    expect(() => h.sync('s', 'minimize', study, [], 'drop' as never)).toThrow(/"rank", "impute" or "ignore"/);
  });

  it('`pruned: "ignore"` leaves them out of n, the below set and the above set', () => {
    const h = new TrialHistory();
    h.sync('s', 'minimize', trials, [], 'ignore');
    const settings = { ...optuna, pruned: 'ignore' as const, gamma: 0.75 };
    expect(observedCount(h, settings)).toBe(5);
    const split = splitHistory(h, settings);
    expect(split.below).toEqual([0, 2, 8, 10]);
    expect(Array.from(paramObservations(h, split, 'x').above.numbers)).toEqual([5, 6]);
    // And back to ranking them: the same history object rebuilds.
    h.sync('s', 'minimize', trials);
    expect(observedCount(h, optuna)).toBe(10);
  });
});
