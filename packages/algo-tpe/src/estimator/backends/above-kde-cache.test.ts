import type { Trial } from '@parzen/engine';
import { compileSpace } from '@parzen/engine/plugin';
import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { splitHistory } from '../../history/history-split.js';
import { paramObservations } from '../../history/observations.js';
import { TrialHistory } from '../../history/trial-history.js';
import { resolveTpeSettings } from '../../options.js';
import { buildParamModel, createModelCaches, encodingOf, familyOf, hermiteAbove } from '../../suggest/models.js';
import type { NumericEncoding } from '../encoding.js';
import { AboveKdeCache, countAtMost, RankedObservations } from './above-kde-cache.js';

/** Trial numbers in the order they finish: mostly ascending, some held back and finishing later. */
const finishingOrder = fc
  .array(fc.tuple(fc.nat({ max: 200 }), fc.boolean()), { minLength: 1, maxLength: 120 })
  .map((rows) => {
    const numbers = [...new Set(rows.map(([number]) => number))];
    const late = numbers.filter((_, i) => rows[i]?.[1] === true);
    return [...numbers.filter((number) => !late.includes(number)).sort((a, b) => a - b), ...late];
  });

describe('RankedObservations kept incrementally', () => {
  test('indexOf is the count of held numbers below, as a search from scratch gives, however trials finish', () => {
    fc.assert(
      fc.property(finishingOrder, fc.array(fc.nat({ max: 220 }), { maxLength: 30 }), (order, queries) => {
        const ranked = new RankedObservations(0, 1, 0.01);
        order.forEach((number, i) => {
          ranked.insert(number, (number % 97) / 97, 1);
          // Asked between insertions too, so a stale index is met and rebuilt.
          for (const query of [...queries, ...order.slice(0, i + 1)])
            expect(ranked.indexOf(query)).toBe(countAtMost(ranked.numbers, ranked.size, query - 1));
        });
      }),
      { numRuns: 150 },
    );
  });

  test('the boundary sum after many boundary changes (repeats skipped) equals one made from the last boundaries', () => {
    const boundarySet = fc
      .tuple(
        fc.uniqueArray(fc.nat({ max: 60 }), { maxLength: 8 }),
        fc.uniqueArray(fc.nat({ max: 60 }), { maxLength: 3 }),
      )
      .map(([removed, added]) => [Int32Array.from(removed).sort(), Int32Array.from(added).sort()] as const);
    fc.assert(
      fc.property(fc.array(fc.tuple(boundarySet, fc.nat({ max: 2 })), { minLength: 1, maxLength: 12 }), (steps) => {
        const followed = new RankedObservations(0, 1, 0.05);
        let next = 0;
        for (const [[removed, added], inserts] of steps) {
          for (let k = 0; k < inserts * 10; k++, next++) followed.insert(next, ((next * 37) % 61) / 61, 1 + (next % 5));
          followed.setBoundaryTrials(removed, added);
          // The same trials again (new arrays): nothing changes.
          followed.setBoundaryTrials(removed.slice(), added.slice());
        }
        const [[removed, added]] = steps.slice(-1)[0] as (typeof steps)[number];
        const fresh = new RankedObservations(0, 1, 0.05);
        fresh.setBoundaryTrials(removed, added);
        for (let number = 0; number < next; number++) fresh.insert(number, ((number * 37) % 61) / 61, 1 + (number % 5));
        const a = followed.byShift.moments;
        const b = fresh.byShift.moments;
        const scale = Math.max(1, ...b.map(Math.abs));
        b.forEach((value, i) => {
          expect(Math.abs((a[i] as number) - value)).toBeLessThanOrEqual(1e-9 * scale);
        });
      }),
      { numRuns: 150 },
    );
  });
});

describe('AboveKdeCache', () => {
  const space = compileSpace({ x: { type: 'uniform', low: -2, high: 2 } });
  const param = space.params[0] as (typeof space.params)[number];

  it("keeps each folded observation's fixed-width coefficient: the one `coefficient` gives", () => {
    const settings = resolveTpeSettings({ profile: 'optuna' });
    const family = familyOf(settings);
    const encoding = encodingOf(family, param.distribution, settings) as NumericEncoding;
    const cache = new AboveKdeCache(encoding, 0.04, 25, family.kernels);
    const history = new TrialHistory();
    const trials: Trial[] = Array.from({ length: 50 }, (_, n) => ({
      study: 's',
      number: n,
      state: 'complete',
      internal: { x: n % 2 === 0 ? -2 + n * 1e-3 : Math.sin(n) * 2 },
      loss: n,
      startedAt: '',
      finishedAt: '',
    }));
    history.sync('s', 'minimize', trials);
    cache.follow(history.column('x'));
    for (const trial of trials) {
      const y = encoding.toModel(trial.internal.x as number);
      expect(cache.foldedCoefficient(trial.number)).toBe(cache.coefficient(y, 0.04));
    }
  });

  test("a wider kernel's coefficient, kept per trial, is the one `coefficient` gives at that trial's value and width", () => {
    const settings = resolveTpeSettings({ profile: 'optuna' });
    const family = familyOf(settings);
    const encoding = encodingOf(family, param.distribution, settings) as NumericEncoding;
    // Trials 0..30 at x = −2 + number/8, finished out of order (their slots are not their numbers).
    const history = new TrialHistory();
    const order = Array.from({ length: 31 }, (_, n) => (n * 7) % 31);
    const x = (number: number): Trial => ({
      study: 's',
      number,
      state: 'complete',
      internal: { x: -2 + number / 8 },
      loss: number,
      startedAt: '',
      finishedAt: '',
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 30 }), fc.constantFrom(0.04, 0.05, 0.3, 1.7)), { maxLength: 60 }),
        (calls) => {
          const cache = new AboveKdeCache(encoding, 0.04, 25, family.kernels);
          for (let finished = 1; finished <= order.length; finished += 10) {
            history.sync(
              's',
              'minimize',
              order
                .slice(0, finished)
                .sort((a, b) => a - b)
                .map(x),
            );
            cache.follow(history.column('x'));
          }
          for (const [number, sigma] of calls) {
            const y = -2 + number / 8;
            expect(cache.widthCoefficient(number, y, sigma)).toBe(cache.coefficient(y, sigma));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  test('holds every folded kernel at its width among all folded observations (wider than h outside the sums), the newest 25 apart', () => {
    const settings = resolveTpeSettings({ profile: 'optuna' });
    const family = familyOf(settings);
    const encoding = encodingOf(family, param.distribution, settings) as NumericEncoding;
    const h = 0.04;
    fc.assert(
      fc.property(
        finishingOrder,
        fc.array(fc.integer({ min: 1, max: 45 }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom(0.01, 0.05, 0.2),
        (order, steps, spread) => {
          // Values clustered (most gaps below h) with some far apart (wider kernels), finished in `order`
          // a few at a time (each new one's neighbours worked out again) or many at once (every one).
          const value = (number: number) => (number % 3 === 0 ? -2 + ((number * 0.37) % 4) : spread * Math.sin(number));
          const history = new TrialHistory();
          const cache = new AboveKdeCache(encoding, h, 25, family.kernels);
          let finished = 0;
          for (const step of [...steps, order.length]) {
            finished = Math.min(order.length, finished + step);
            const trials = order
              .slice(0, finished)
              .sort((a, b) => a - b)
              .map(
                (number): Trial => ({
                  study: 's',
                  number,
                  state: 'complete',
                  internal: { x: value(number) },
                  loss: number,
                  startedAt: '',
                  finishedAt: '',
                }),
              );
            history.sync('s', 'minimize', trials);
            cache.follow(history.column('x'));
            const pairs = order
              .slice(0, finished)
              .map((number) => ({ y: encoding.toModel(value(number)), number }))
              .sort((a, b) => a.y - b.y || a.number - b.number);
            const fresh = new AboveKdeCache(encoding, h, 25, family.kernels);
            const byNumber = order.slice(0, finished).sort((a, b) => a - b);
            const wide = new Set<number>();
            pairs.forEach(({ y, number }, i) => {
              const sigma = family.kernels.neighbourWidth(
                encoding,
                y,
                pairs[i - 1]?.y,
                pairs[i + 1]?.y,
                pairs.length,
                h,
              );
              expect(cache.heldWidth(number)).toBe(sigma);
              const index = byNumber.indexOf(number);
              if (sigma !== h) wide.add(number);
              // The newest 25 by number at weight 1 in a sum apart, the others in the plain and ranked sums.
              else if (index >= byNumber.length - 25) fresh.ranked?.newest.add(y, cache.coefficient(y, h));
              else {
                fresh.moments.add(y, cache.coefficient(y, h));
                fresh.ranked?.byIndex.add(y, index * cache.coefficient(y, h));
              }
            });
            const held = new Set(Array.from({ length: cache.wideCount }, (_, i) => cache.wideNumber(i)));
            expect(held).toEqual(wide);
            for (let i = 0; i < cache.wideCount; i++)
              expect(cache.wideWidth(i)).toBe(cache.heldWidth(cache.wideNumber(i)));
            // The sums (plain, by index in number order, newest) hold the kernels of width h only.
            const sums = [
              [cache.moments, fresh.moments],
              [cache.ranked?.byIndex, fresh.ranked?.byIndex],
              [cache.ranked?.newest, fresh.ranked?.newest],
            ] as const;
            for (const [kept, made] of sums) {
              const moments = made?.moments ?? new Float64Array();
              const scale = moments.reduce((most, moment) => Math.max(most, Math.abs(moment)), 1);
              const apart = moments.reduce(
                (most, moment, i) => Math.max(most, Math.abs((kept?.moments[i] as number) - moment)),
                0,
              );
              expect(apart).toBeLessThanOrEqual(1e-9 * scale);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  /** A study of `count` trials of x (a cluster near -1.8, the rest near 0.3). */
  const study = (count: number): Trial[] =>
    Array.from({ length: count }, (_, n) => {
      const x = n % 4 === 0 ? -1.8 + (n % 9) * 1e-2 : 0.3 + Math.sin(n) * 0.3;
      const loss = (x - 0.3) ** 2 + n * 1e-9;
      return { study: 's', number: n, state: 'complete', internal: { x }, loss, startedAt: '', finishedAt: '' };
    });

  type Settings = ReturnType<typeof resolveTpeSettings>;
  /** What happens to the history and the caches between making a density and using it. */
  type Use = (history: TrialHistory, caches: ReturnType<typeof createModelCaches>, settings: Settings) => void;

  /**
   * A density answers for the history it was made from, or refuses: never for a mix of that history and a
   * later one.
   */
  const answersForItsHistory = (settings: Settings, use: Use): 'answered' | 'refused' => {
    const history = new TrialHistory();
    const caches = createModelCaches();
    history.sync('s', 'minimize', study(300));
    const points = [-1.9, -1.5, 0, 0.25, 0.31, 1.2, 1.9];
    const split = splitHistory(history, settings);
    const older = hermiteAbove(history, split, param, settings, caches);
    expect(older, 'the Hermite backend applies').toBeDefined();
    const observations = paramObservations(history, split, 'x');
    const reference = buildParamModel(param, observations.below, observations.above, settings).above.logPdf(
      [points],
      true,
    );
    use(history, caches, settings);
    let answer: Float64Array;
    try {
      answer = older?.logPdf([points], true) ?? new Float64Array();
    } catch (error) {
      expect(String(error)).toMatch(/used after the history it was made from changed/);
      return 'refused';
    }
    reference.forEach((value, i) => {
      expect(Math.abs((answer[i] as number) - value)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(value)));
    });
    return 'answered';
  };

  const profiles = [
    ['uniform weights', resolveTpeSettings({ profile: 'parzen', forgetting: 0 })],
    ['linear forgetting', resolveTpeSettings({ profile: 'optuna' })],
  ] as const;

  /** A newer density of the same cache, from another split (a larger below set): the lists refilled. */
  const remade: Use = (history, caches, settings) => {
    const wider = splitHistory(history, { ...settings, gamma: 0.5, maxBelow: 100 });
    const newer = hermiteAbove(history, wider, param, settings, caches);
    expect(newer).toBeDefined();
    newer?.logPdf([[0, 0.3]], true);
  };
  /** 100 more trials synced, and a newer density of the cache made from them. */
  const syncedAndRemade: Use = (history, caches, settings) => {
    history.sync('s', 'minimize', study(400));
    expect(hermiteAbove(history, splitHistory(history, settings), param, settings, caches)).toBeDefined();
  };
  /**
   * 100 more trials synced, then a call that follows them and finds too few above observations for the
   * cache (every trial but one below): no newer density is made, yet the cached sums moved.
   */
  const syncedAndFollowed: Use = (history, caches, settings) => {
    history.sync('s', 'minimize', study(400));
    const everyButOne = splitHistory(history, { ...settings, gamma: 1, maxBelow: 399 });
    expect(hermiteAbove(history, everyButOne, param, settings, caches)).toBeUndefined();
  };
  /** 100 more trials synced, not followed yet. */
  const synced: Use = (history) => history.sync('s', 'minimize', study(400));
  /** Another study: the history rebuilt from scratch, its columns new. */
  const rebuilt: Use = (history) => history.sync('t', 'minimize', study(300));

  const cases = (how: string, use: Use, expected: 'answered' | 'refused') =>
    profiles.map(([name, settings]) => [`${name}, ${how}`, settings, use, expected] as const);

  it.each([
    ...cases('a newer density of its cache, same history: its exact g(x)', remade, 'answered'),
    ...cases('more trials synced and followed by a newer density', syncedAndRemade, 'refused'),
    ...cases('more trials synced and followed, no newer density', syncedAndFollowed, 'refused'),
    ...cases('more trials synced, not followed yet: its own sums', synced, 'answered'),
    ...cases('another study synced: its own sums', rebuilt, 'answered'),
  ])(
    'a density used after its cache or history moved answers for its own history or refuses (%s)',
    (_, settings, use, expected) => {
      expect(answersForItsHistory(settings, use)).toBe(expected);
    },
  );

  it("a density whose exact answer is the reference's refuses once the history changed (hyperopt)", () => {
    // hyperopt's exact density is always the reference's: after a sync, even one not followed yet, it
    // would be built from another history.
    const hyperopt = resolveTpeSettings({ profile: 'hyperopt' });
    expect(answersForItsHistory(hyperopt, synced)).toBe('refused');
    expect(answersForItsHistory(hyperopt, rebuilt), 'another study').toBe('refused');
    expect(answersForItsHistory(hyperopt, remade), 'the same history').toBe('answered');
  });
});
