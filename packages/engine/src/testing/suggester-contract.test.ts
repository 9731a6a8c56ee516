import { describe, expect, it } from 'vitest';
import type { Suggester } from '../contracts/suggester.js';
import { createRng } from '../domain/rng.js';
import { sampleDistribution } from '../domain/sample-distribution.js';
import { lossToMinimize } from '../domain/trial.js';
import { expectNamed } from './named.js';
import {
  describeSuggesterContract,
  firstDifferenceAfterResume,
  firstDifferenceWhenMaximized,
  settingsProblem,
} from './suggester-contract.js';

describe('the Suggester contract catches state kept between trials (trial 60)', () => {
  it('a suggester with one random stream across trials differs after a resume; one that draws from context.rng does not', async () => {
    const ownStream = (): Suggester => {
      // The mistake: a stream made once, in create, and read by every trial.
      const rng = createRng('one stream for the whole study');
      return {
        name: 'own-stream',
        beginTrial: () => ({ sampleParam: (param) => sampleDistribution(param.distribution, rng) }),
      };
    };
    const fromContext = (): Suggester => ({
      name: 'from-context',
      beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
    });
    expect(await firstDifferenceAfterResume({ create: ownStream, trials: 12 })).toBe(6);
    expect(await firstDifferenceAfterResume({ create: fromContext, trials: 12 })).toBe(-1);
  });
});

describe("the Suggester contract catches a suggester that ignores the study's direction (trial 133)", () => {
  // Draws near the best finished trial's value of each numeric parameter, "best" by loss as given, or by
  // lossToMinimize when it respects the direction.
  const nearBest = (respects: boolean) => (): Suggester => ({
    name: 'near-best',
    beginTrial: (context) => {
      const rank = (loss: number) => (respects ? lossToMinimize(loss, context.direction) : loss);
      const best = context.history
        .flatMap((trial) => (trial.state === 'complete' ? [trial] : []))
        .sort((a, b) => rank(a.loss) - rank(b.loss) || a.number - b.number)[0];
      return {
        sampleParam: (param) => {
          const drawn = sampleDistribution(param.distribution, context.rng);
          const at = best?.internal[param.name];
          return context.history.length < 5 || at === undefined || context.rng.next() < 0.5 ? drawn : at;
        },
      };
    },
  });
  it('differs when maximizing negated losses unless the losses are ranked by direction', async () => {
    expect(await firstDifferenceWhenMaximized({ create: nearBest(false), trials: 12 })).toBeGreaterThanOrEqual(5);
    expect(await firstDifferenceWhenMaximized({ create: nearBest(true), trials: 12 })).toBe(-1);
  });
});

// A suggester whose trials depend on the trial number only (a fixed design) passes with `seedless: true`
// (trial 103: it could not pass at all, failing "another seed gives other trials").
const fixedDesign = (): Suggester => ({
  name: 'fixed-design',
  beginTrial: (context) => ({
    sampleParam: (param) =>
      sampleDistribution(param.distribution, createRng(`fixed-design:${context.trialNumber}:${param.name}`)),
  }),
});
describeSuggesterContract('a seedless fixed design', { create: fixedDesign, seedless: true });

describe('the contract suites check a name (review 108: nothing showed them failing for a nameless plugin)', () => {
  it('fails a pruner, stopper or suggester without a non-empty name, and passes one with it', () => {
    expect(() => expectNamed({ shouldPrune: () => false }, 'pruner')).toThrow(
      /a pruner's name must be a non-empty string; found undefined/,
    );
    expect(() => expectNamed({ name: '  ', shouldStop: () => undefined }, 'stopper')).toThrow(/found " {2}"/);
    expect(() => expectNamed({ name: 42 }, 'suggester')).toThrow(/found 42/);
    expect(() => expectNamed({ name: 'grid' }, 'suggester')).not.toThrow();
  });
});

describe('the Suggester contract checks settings are JSON data in a test of its own', () => {
  const withSettings = (settings: Readonly<Record<string, unknown>> | undefined): Suggester => ({
    name: 'setty',
    ...(settings === undefined ? {} : { settings }),
    beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
  });
  it('fails an undefined in an array, a Date or Infinity with where it is, and passes JSON data or none', () => {
    expect(settingsProblem(withSettings({ list: [1, undefined] }))).toContain(
      'Suggester `setty` has settings that are not JSON data (`/list/1` is undefined)',
    );
    expect(settingsProblem(withSettings({ when: new Date(0) }))).toContain(
      '`/when` is a Date ("1970-01-01T00:00:00.000Z"), which would read back as a string',
    );
    expect(settingsProblem(withSettings({ cap: Number.POSITIVE_INFINITY }))).toContain('`/cap` is Infinity');
    expect(settingsProblem(withSettings({ list: [1, null], nested: { a: 'b' }, left: undefined }))).toBeUndefined();
    expect(settingsProblem(withSettings(undefined))).toBeUndefined();
  });
});
