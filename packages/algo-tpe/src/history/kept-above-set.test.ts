import type { Trial } from '@parzen/engine';
import { createRng, type Rng } from '@parzen/engine/plugin';
import { describe, expect, test } from 'vitest';
import type { ObservationSet } from '../estimator/density.js';
import { resolveTpeSettings, type TpeSettings } from '../options.js';
import { splitHistory } from './history-split.js';
import { KeptAboveSet } from './kept-above-set.js';
import { aboveSet } from './observations.js';
import { TrialHistory } from './trial-history.js';

/** Every array of an observation set as plain numbers (views and whole arrays alike), -0 and NaN as they are. */
const plain = (set: ObservationSet) => ({
  values: Array.from(set.values),
  numbers: Array.from(set.numbers),
  sorted:
    set.sorted === undefined
      ? undefined
      : { values: Array.from(set.sorted.values), order: Array.from(set.sorted.order) },
});

/**
 * A parameter's values: `k` an integer (many ties), `x` continuous, `m` only in trials whose `c` is 0 (a
 * conditional parameter: its column skips trial numbers).
 */
const draw = (rng: Rng): Record<string, number> => {
  const c = Math.floor(rng.next() * 3);
  const out: Record<string, number> = { k: Math.floor(rng.next() * 6), x: rng.next() * 4 - 2, c };
  if (c === 0) out.m = Math.round(rng.next() * 8) / 4;
  return out;
};

const NAMES = ['k', 'x', 'c', 'm'] as const;

/**
 * A study that grows with complete, pruned and failed trials, trials running (some with values, some without),
 * finished out of order and imported in the gaps the deletions left (which rebuilds the history's columns);
 * each step read through kept sets (one per column, as the model caches keep them) under settings that change
 * the split (γ, the lie that puts running trials below or above, failed trials at +∞), with and without the
 * value order, and compared with a fresh above set.
 */
const runStudy = (seed: string, steps: number): { reads: number; builds: number } => {
  const rng = createRng(seed);
  const settings: TpeSettings[] = [
    resolveTpeSettings({ profile: 'optuna' }),
    resolveTpeSettings({ profile: 'optuna', gamma: 0.3, failed: 'worst' }),
    resolveTpeSettings({ profile: 'optuna', constantLiar: 'best' }),
    resolveTpeSettings({ profile: 'hyperopt' }),
  ];
  let finished: Trial[] = [];
  let running: Trial[] = [];
  let next = 0;
  const history = new TrialHistory();
  const kept = new Map<object, KeptAboveSet>();
  let reads = 0;
  let builds = 0;
  let chosen = settings[0] as TpeSettings;
  const finish = (number: number, internal: Record<string, number>, state: 'complete' | 'pruned' | 'failed') => {
    const loss = (internal.x ?? 0) ** 2 + (internal.k ?? 0) / 4 + rng.next() / 10;
    const base = { study: 's', number, internal, startedAt: '', finishedAt: '' };
    const trial: Trial =
      state === 'complete'
        ? { ...base, state, loss: rng.next() < 0.1 ? Math.round(loss) : loss }
        : state === 'pruned'
          ? { ...base, state, loss, intermediate: [{ step: 0, value: loss }] }
          : { ...base, state, error: { code: 'X', message: 'x' } };
    finished = [...finished, trial].sort((a, b) => a.number - b.number);
  };
  for (let step = 0; step < steps; step++) {
    const event = rng.next();
    if (event < 0.45) finish(next++, draw(rng), 'complete');
    else if (event < 0.55)
      running.push({ study: 's', number: next++, state: 'running', internal: draw(rng), startedAt: '' });
    else if (event < 0.58) running.push({ study: 's', number: next++, state: 'running', internal: {}, startedAt: '' });
    else if (event < 0.75 && running.length > 0) {
      // A running trial finishes (any of them: out of order), completes, is pruned or fails.
      const at = Math.floor(rng.next() * running.length);
      const trial = running[at] as Trial;
      running = running.filter((_, i) => i !== at);
      const kind = rng.next();
      finish(trial.number, { ...trial.internal }, kind < 0.6 ? 'complete' : kind < 0.8 ? 'pruned' : 'failed');
    } else if (event < 0.8) finish(next++, draw(rng), 'failed');
    else if (event < 0.85) finish(next++, draw(rng), 'pruned');
    else if (event < 0.88 && finished.length > 10) {
      // A deletion: the history no longer extends, and is rebuilt with new columns.
      const at = Math.floor(rng.next() * finished.length);
      finished = finished.filter((_, i) => i !== at);
    } else if (event < 0.9) {
      // An import into a gap (a number below the largest, never used), when there is one.
      const used = new Set([...finished, ...running].map((t) => t.number));
      const gap = Array.from({ length: next }, (_, i) => i).find((i) => !used.has(i) && rng.next() < 0.5);
      if (gap !== undefined) finish(gap, draw(rng), 'complete');
    }
    // Settings change now and then (each change a new below set, mostly): between changes the sets are followed.
    if (rng.next() < 0.1) chosen = settings[Math.floor(rng.next() * settings.length)] as TpeSettings;
    history.sync('s', 'minimize', finished, running, chosen.pruned);
    const split = splitHistory(history, chosen);
    for (const name of NAMES) {
      const column = history.column(name);
      let set = kept.get(column);
      if (set === undefined) {
        set = new KeptAboveSet(column);
        kept.set(column, set);
      }
      // Mostly one kind of read per column, as a parameter's encoding gives; now and then the other.
      const inValueOrder = name === 'c' ? rng.next() < 0.1 : rng.next() < 0.9;
      const before = set.builds;
      expect(plain(set.read(history, split, name, inValueOrder))).toEqual(
        plain(aboveSet(history, split, name, inValueOrder)),
      );
      reads++;
      builds += set.builds - before;
    }
  }
  return { reads, builds };
};

describe('the kept above set of a parameter (followed as trials finish)', () => {
  test('equals a fresh above set at every read of a study with pruned, failed, running and conditional trials', () => {
    let reads = 0;
    let builds = 0;
    for (let seed = 0; seed < 12; seed++) {
      const counts = runStudy(`kept above ${seed}`, 160);
      reads += counts.reads;
      builds += counts.builds;
    }
    // Followed, not rebuilt at each read.
    expect(reads).toBe(12 * 160 * NAMES.length);
    expect(builds).toBeLessThan(reads / 2);
  });

  test('is followed as trials finish and the below set changes, and built afresh when the value order changes', () => {
    const settings = resolveTpeSettings({ profile: 'optuna' });
    const trials: Trial[] = [];
    const history = new TrialHistory();
    history.sync('s', 'minimize', []);
    // After the first sync: a study's first sync starts the history afresh (new columns).
    const set = new KeptAboveSet(history.column('x'));
    const add = (x: number, loss: number, number = trials.length) =>
      trials.push({
        study: 's',
        number,
        state: 'complete',
        internal: { x },
        loss,
        startedAt: '',
        finishedAt: '',
      });
    const read = (inValueOrder = true, with_ = settings) => {
      trials.sort((a, b) => a.number - b.number);
      history.sync('s', 'minimize', trials);
      const split = splitHistory(history, with_);
      const got = plain(set.read(history, split, 'x', inValueOrder));
      expect(got).toEqual(plain(aboveSet(history, split, 'x', inValueOrder)));
      return got;
    };
    // 300 trials (numbers 0, 2, 4, …): the below set is full (25), so a worse trial leaves it as it is.
    for (let i = 0; i < 300; i++) add((i * 7) % 10, i, 2 * i);
    read();
    expect(set.builds).toBe(1);
    // Worse trials, one with a value held already (a tie in the value order), one in a gap (out of order).
    add(3, 1000, 600);
    add(0.5, 1001, 301);
    expect(read().numbers.slice(-2)).toEqual([598, 600]);
    // A new best trial enters the below set and the 25th leaves it; a larger below set (another maxBelow) and
    // back: followed.
    add(9, -1, 602);
    read();
    read(true, resolveTpeSettings({ profile: 'optuna', maxBelow: 40 }));
    read();
    expect(set.builds).toBe(1);
    // Without the value order, then with it again: built afresh each time.
    read(false);
    expect(set.builds).toBe(2);
    read(true);
    expect(set.builds).toBe(3);
    read();
    expect(set.builds).toBe(3);
    // Running trials (values below, among and above the held ones, one NaN) merged into a copy: the kept set as
    // it was.
    const running: Trial[] = [0.5, -1, 3, 12, Number.NaN, 3].map((x, i) => ({
      study: 's',
      number: 603 + 2 * i,
      state: 'running',
      internal: { x },
      startedAt: '',
    }));
    const withRunning = () => {
      history.sync('s', 'minimize', trials, running);
      const split = splitHistory(history, settings);
      for (const inValueOrder of [true, true, false, false])
        expect(plain(set.read(history, split, 'x', inValueOrder))).toEqual(
          plain(aboveSet(history, split, 'x', inValueOrder)),
        );
    };
    withRunning();
    expect(set.builds).toBe(4);
    // A NaN value among the finished trials: no value order to keep or merge into, a fresh set each time.
    // Folded with others in one sync (sorted together, so the NaN lands anywhere in the history's value order).
    for (const [x, number] of [
      [4, 700],
      [Number.NaN, 702],
      [1, 704],
      [7, 706],
      [Number.NaN, 708],
      [3, 710],
    ] as const)
      add(x, 2000 + number, number);
    withRunning();
    add(2, 2001, 701);
    withRunning();
  });
});
