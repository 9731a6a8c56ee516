import type { Trial } from '@parzen/engine';
import { createRng, type Rng } from '@parzen/engine/plugin';
import { describe, expect, test } from 'vitest';
import type { ObservationSet } from '../estimator/density.js';
import { resolveTpeSettings, type TpeSettings } from '../options.js';
import { splitHistory } from './history-split.js';
import { KeptAboveSet, timesBuilt } from './kept-above-set.js';
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
const draw = (rng: Rng, nan: boolean): Record<string, number> => {
  const c = Math.floor(rng.next() * 3);
  const out: Record<string, number> = { k: Math.floor(rng.next() * 6), x: rng.next() * 4 - 2, c };
  if (c === 0) out.m = Math.round(rng.next() * 8) / 4;
  // NaN values (a caller of the plugin API may pass them; the engine stores none): x and k now and then.
  if (nan && rng.next() < 0.05) out.x = Number.NaN;
  if (nan && rng.next() < 0.03) out.k = Number.NaN;
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
const runStudy = (seed: string, steps: number, nan = false): { reads: number; builds: number } => {
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
    if (event < 0.45) finish(next++, draw(rng, nan), 'complete');
    else if (event < 0.55)
      running.push({ study: 's', number: next++, state: 'running', internal: draw(rng, nan), startedAt: '' });
    else if (event < 0.58) running.push({ study: 's', number: next++, state: 'running', internal: {}, startedAt: '' });
    else if (event < 0.75 && running.length > 0) {
      // A running trial finishes (any of them: out of order), completes, is pruned or fails.
      const at = Math.floor(rng.next() * running.length);
      const trial = running[at] as Trial;
      running = running.filter((_, i) => i !== at);
      const kind = rng.next();
      finish(trial.number, { ...trial.internal }, kind < 0.6 ? 'complete' : kind < 0.8 ? 'pruned' : 'failed');
    } else if (event < 0.8) finish(next++, draw(rng, nan), 'failed');
    else if (event < 0.85) finish(next++, draw(rng, nan), 'pruned');
    else if (event < 0.88 && finished.length > 10) {
      // A deletion: the history no longer extends, and is rebuilt with new columns.
      const at = Math.floor(rng.next() * finished.length);
      finished = finished.filter((_, i) => i !== at);
    } else if (event < 0.9) {
      // An import into a gap (a number below the largest, never used), when there is one.
      const used = new Set([...finished, ...running].map((t) => t.number));
      const gap = Array.from({ length: next }, (_, i) => i).find((i) => !used.has(i) && rng.next() < 0.5);
      if (gap !== undefined) finish(gap, draw(rng, nan), 'complete');
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
      const before = timesBuilt(set);
      expect(plain(set.read(history, split, name, inValueOrder))).toEqual(
        plain(aboveSet(history, split, name, inValueOrder)),
      );
      reads++;
      builds += timesBuilt(set) - before;
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

  test('equals a fresh above set at every read when some values are NaN (placed last, ties by number)', () => {
    let reads = 0;
    let builds = 0;
    for (let seed = 0; seed < 8; seed++) {
      const counts = runStudy(`kept above NaN ${seed}`, 160, true);
      reads += counts.reads;
      builds += counts.builds;
    }
    // A NaN is followed like any value, not a reason to build afresh.
    expect(builds).toBeLessThan(reads / 2);
  });

  test('places a NaN-valued trial that leaves the below set where a fresh read of the history places it', () => {
    const settings = resolveTpeSettings({ profile: 'optuna' });
    const trials: Trial[] = [];
    const [fresh, kept] = [new TrialHistory(), new TrialHistory()];
    fresh.sync('s', 'minimize', []);
    kept.sync('s', 'minimize', []);
    const set = new KeptAboveSet(kept.column('x'));
    const add = (number: number, x: number, loss: number) => {
      trials.push({ study: 's', number, state: 'complete', internal: { x }, loss, startedAt: '', finishedAt: '' });
    };
    // The kept history is read only through the set; the fresh one at every step, as the column was read before.
    const read = () => {
      trials.sort((a, b) => a.number - b.number);
      fresh.sync('s', 'minimize', trials);
      const want = plain(aboveSet(fresh, splitHistory(fresh, settings), 'x', true));
      kept.sync('s', 'minimize', trials);
      expect(plain(set.read(kept, splitHistory(kept, settings), 'x', true))).toEqual(want);
      return want;
    };
    for (const [i, x] of [5, 1, 4, Number.NaN, 2, 7, 0.5, 3].entries()) add(i, x, Number.isNaN(x) ? -10 : i);
    read();
    // A new best: the NaN trial (the best before) leaves the below set, and is last in value order.
    add(8, 6, -20);
    expect(read().sorted?.values.at(-1)).toBeNaN();
    // NaN values finishing one at a time and together land in one place.
    add(9, Number.NaN, 50);
    read();
    add(10, Number.NaN, 51);
    add(11, -1, 52);
    add(12, Number.NaN, 53);
    const { sorted, numbers, values } = read();
    const nans = values.filter(Number.isNaN).length;
    expect(nans).toBeGreaterThan(1);
    expect(sorted?.values.slice(-nans).every(Number.isNaN)).toBe(true);
    const last = sorted?.order.slice(-nans).map((rank) => numbers[rank] as number) ?? [];
    expect(last).toEqual([...last].sort((a, b) => a - b));
  });

  test('is built afresh from a hand-made split whose below set is not ascending or not marked in isBelow', () => {
    const settings = resolveTpeSettings({ profile: 'optuna' });
    const history = new TrialHistory();
    history.sync('s', 'minimize', []);
    const set = new KeptAboveSet(history.column('x'));
    const trials: Trial[] = Array.from({ length: 40 }, (_, number) => ({
      study: 's',
      number,
      state: 'complete',
      internal: { x: (number * 7) % 11 },
      loss: (number * 13) % 17,
      startedAt: '',
      finishedAt: '',
    }));
    history.sync('s', 'minimize', trials);
    const split = splitHistory(history, settings);
    const check = (other: typeof split) =>
      expect(plain(set.read(history, other, 'x', true))).toEqual(plain(aboveSet(history, other, 'x', true)));
    check(split);
    // The same below set listed backwards (aboveSet reads isBelow), then read again in order.
    check({ ...split, below: [...split.below].reverse() });
    check(split);
    // A below set that names trials isBelow does not mark (isBelow has the one the set follows).
    const shifted = split.below.map((number) => (number + 1) % 40).sort((a, b) => a - b);
    check({ ...split, below: shifted });
    check(split);
    // Each hand-made split and the read after it (whose below set is not the one kept) built afresh.
    expect(timesBuilt(set)).toBe(5);
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
    expect(timesBuilt(set)).toBe(1);
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
    expect(timesBuilt(set)).toBe(1);
    // Without the value order, then with it again: built afresh each time.
    read(false);
    expect(timesBuilt(set)).toBe(2);
    read(true);
    expect(timesBuilt(set)).toBe(3);
    read();
    expect(timesBuilt(set)).toBe(3);
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
    expect(timesBuilt(set)).toBe(4);
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
