import { describe, expect, it } from 'vitest';
import { checkSameStudy } from '../builtins/check-same-study.js';
import { canonicalJson, canonicalSpace, sameSpace } from './canonical-json.js';
import type { StudyRecord } from './study.js';

describe('sameSpace: one space however it is written (trial 50: a cosmetic edit locked a study out)', () => {
  it('reads a choice option {value} (with or without an empty space) as its literal, and randint without low as low 0', () => {
    const stored = {
      opt: { type: 'choice', options: ['adam', 'sgd'] },
      n: { type: 'randint', high: 5 },
      x: { high: 2, low: -2, type: 'uniform' },
    };
    const written = {
      x: { type: 'uniform', low: -2, high: 2 },
      opt: { type: 'choice', options: [{ value: 'adam' }, { value: 'sgd', space: {} }] },
      n: { type: 'randint', low: 0, high: 5 },
    };
    expect(sameSpace(stored, written)).toBe(true);
    expect(canonicalJson(canonicalSpace(written))).toBe(
      '{"n":{"high":5,"low":0,"type":"randint"},"opt":{"options":["adam","sgd"],"type":"choice"},"x":{"high":2,"low":-2,"type":"uniform"}}',
    );
  });

  it("compares fractions to 12 significant digits: a hyperopt helper's exp(log(10)) is 10 (trial 55), integers exactly", () => {
    const helper = { n: { type: 'qloguniform', low: Math.exp(Math.log(10)), high: Math.exp(Math.log(500)), q: 10 } };
    expect(helper.n.low).not.toBe(10);
    expect(sameSpace(helper, { n: { type: 'qloguniform', low: 10, high: 500, q: 10 } })).toBe(true);
    expect(
      sameSpace({ x: { type: 'uniform', low: 0, high: 0.1 } }, { x: { type: 'uniform', low: 0, high: 0.1000001 } }),
    ).toBe(false);
    const big = (high: number) => ({ n: { type: 'randint', low: 0, high } });
    expect(sameSpace(big(9007199254740990), big(9007199254740991))).toBe(false);
  });

  it('in nested spaces and pchoice options too, and keeps what changes a trial: option order, bounds, sub-spaces', () => {
    const nested = (inner: unknown) => ({
      model: {
        type: 'pchoice',
        options: [
          { p: 0.5, value: 'svm', space: { c: { type: 'choice', options: inner } } },
          { p: 0.5, value: 'knn', space: {} },
        ],
      },
    });
    expect(sameSpace(nested([1, 2]), nested([{ value: 1 }, { value: 2, space: {} }]))).toBe(true);
    expect(canonicalJson(canonicalSpace(nested([1])))).not.toContain('"space":{}');
    expect(sameSpace(nested([1, 2]), nested([2, 1]))).toBe(false);
    expect(sameSpace({ n: { type: 'randint', high: 5 } }, { n: { type: 'randint', low: 1, high: 5 } })).toBe(false);
    expect(
      sameSpace(
        { m: { type: 'choice', options: ['a'] } },
        { m: { type: 'choice', options: [{ value: 'a', space: { x: { type: 'uniform', low: 0, high: 1 } } }] } },
      ),
    ).toBe(false);
  });

  it('lets a study resume under an equivalent spelling, and says how to carry trials over when the space changed', () => {
    const record = {
      name: 's',
      direction: 'minimize',
      seed: 1,
      space: { opt: { type: 'choice', options: ['adam', 'sgd'] }, n: { type: 'randint', high: 5 } },
    } as unknown as StudyRecord;
    const spec = (space: unknown) => ({ name: 's', direction: 'minimize' as const, seed: 1, space }) as never;
    expect(() =>
      checkSameStudy(
        record,
        spec({
          opt: { type: 'choice', options: [{ value: 'adam' }, { value: 'sgd' }] },
          n: { type: 'randint', low: 0, high: 5 },
        }),
      ),
    ).not.toThrow();
    let thrown: unknown;
    try {
      checkSameStudy(
        record,
        spec({
          opt: { type: 'choice', options: [{ value: 'adam' }, 'sgd', 'rmsprop'] },
          n: { type: 'randint', high: 5 },
        }),
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      code: 'STUDY_MISMATCH',
      // Only the place that changed (the option added), in one spelling: `{ value: 'adam' }` is 'adam'.
      issues: [{ pointer: '/space/opt/options/2', expected: 'nothing', found: '"rmsprop"' }],
    });
    expect((thrown as Error).message).toContain('then `parzen import` the file into the new one with --ignore-header');
  });
});
