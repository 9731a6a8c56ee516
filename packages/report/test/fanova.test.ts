import { compileSpace, createRng, lossToMinimize } from '@parzen/engine/plugin';
import { describe, expect, it } from 'vitest';
import { type ImportanceObservation, fanova, pedAnova, type ReportStudy } from '../src/index.js';
import { runTpeStudy } from './fixtures.js';

const byName = (result: readonly { name: string; importance: number }[]) =>
  Object.fromEntries(result.map((r) => [r.name, r.importance]));

const observationsOf = (study: ReportStudy): ImportanceObservation[] =>
  study.trials
    .filter((t) => t.state === 'complete')
    .map((t) => ({ params: t.internal, loss: lossToMinimize(t.loss as number, study.direction) }));

const square = compileSpace({
  x: { type: 'uniform', low: -1, high: 1 },
  y: { type: 'uniform', low: -1, high: 1 },
  z: { type: 'uniform', low: -1, high: 1 },
});

/** `n` uniform draws of x, y and z in [−1, 1] and their losses. */
const uniformSample = (n: number, seed: string, loss: (x: number, y: number, z: number) => number) => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const [x, y, z] = [rng.next() * 2 - 1, rng.next() * 2 - 1, rng.next() * 2 - 1] as [number, number, number];
    return { params: { x, y, z }, loss: loss(x, y, z) };
  });
};

describe('fanova', () => {
  it('measures a 10,000-trial, 5-parameter study within about a second', () => {
    const space = compileSpace({
      a: { type: 'uniform', low: 0, high: 1 },
      b: { type: 'loguniform', low: 1e-5, high: 1 },
      c: { type: 'uniformint', low: 1, high: 8 },
      d: { type: 'choice', options: ['p', 'q', 'r', 's'] },
      e: { type: 'uniform', low: 0, high: 1 },
    });
    const rng = createRng('big');
    const observations = Array.from({ length: 10_000 }, () => {
      const params = {
        a: rng.next(),
        b: Math.exp(Math.log(1e-5) * rng.next()),
        c: 1 + Math.floor(rng.next() * 8),
        d: Math.floor(rng.next() * 4),
        e: rng.next(),
      };
      return { params, loss: params.a ** 2 + Math.log10(params.b) ** 2 / 25 + params.d / 10 + rng.next() / 10 };
    });
    const start = performance.now();
    const result = fanova(space, observations);
    const elapsed = performance.now() - start;
    console.log(`fanova 10,000 x 5: ${elapsed.toFixed(0)} ms`, result);
    expect(elapsed).toBeLessThan(3000);
  });
});
