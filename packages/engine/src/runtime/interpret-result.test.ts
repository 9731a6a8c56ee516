import { describe, expect, it } from 'vitest';
import { createFunctionObjective } from '../builtins/function-objective.js';
import {
  destructuredNames,
  interpretObjectiveValue,
  thrownErrorInfo,
  withUnknownParamNote,
} from './interpret-result.js';

describe('interpretObjectiveValue', () => {
  it('takes a number, or { loss, attrs } whose attrs (and other fields) become the trial attrs', () => {
    expect(interpretObjectiveValue(1.5)).toEqual({ status: 'ok', loss: 1.5 });
    expect(interpretObjectiveValue({ loss: 2 })).toEqual({ status: 'ok', loss: 2 });
    expect(
      interpretObjectiveValue({ loss: 2, attrs: { accuracy: 0.9, curve: [1, 0.5], model: { kind: 'svm' } } }),
    ).toEqual({ status: 'ok', loss: 2, attrs: { accuracy: 0.9, curve: [1, 0.5], model: { kind: 'svm' } } });
    expect(interpretObjectiveValue({ loss: 2, epochs: 7, attrs: { note: null } })).toEqual({
      status: 'ok',
      loss: 2,
      attrs: { epochs: 7, note: null },
    });
  });

  it('takes a loss of −0 as 0, as every durable store keeps it (trial 82)', () => {
    for (const value of [-0, { loss: -0 }]) {
      const result = interpretObjectiveValue(value);
      expect(result.status === 'ok' && Object.is(result.loss, 0)).toBe(true);
    }
  });

  it("fails a result with hyperopt's status 'fail' whatever its loss (trial 30: it completed and became the best)", () => {
    for (const raw of [{ loss: 0, status: 'fail' }, { status: 'fail' }, { loss: 1, status: 'fail', attrs: { a: 1 } }]) {
      const result = interpretObjectiveValue(raw);
      expect(result).toMatchObject({ status: 'failed', error: { code: 'OBJECTIVE_FAILED' } });
      expect(result.status === 'failed' && result.error.message).toBe(
        'The objective returned `status: "fail"` (hyperopt\'s STATUS_FAIL), so the trial is failed. To fail a trial, throw an Error (a command exits with a non-zero code); to keep a field named `status` as an attribute, put it in `attrs`.',
      );
    }
    // STATUS_OK, or a status kept in attrs, stays an attribute of a complete trial.
    expect(interpretObjectiveValue({ loss: 1, status: 'ok' })).toEqual({
      status: 'ok',
      loss: 1,
      attrs: { status: 'ok' },
    });
    expect(interpretObjectiveValue({ loss: 1, attrs: { status: 'fail' } })).toEqual({
      status: 'ok',
      loss: 1,
      attrs: { status: 'fail' },
    });
  });

  it('fails the trial, naming the place, when attrs are not JSON', () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const cases: [unknown, string][] = [
      [{ fn: () => 1 }, '/attrs/fn is a function'],
      [{ big: 10n }, '/attrs/big is a bigint'],
      [
        { nested: { when: new Date(0) } },
        '/attrs/nested/when is a Date ("1970-01-01T00:00:00.000Z"), which would read back as a string: give `date.toISOString()` or `date.getTime()`',
      ],
      [{ list: [1, Number.NaN] }, '/attrs/list/1 is NaN'],
      [{ p99: Number.POSITIVE_INFINITY }, '/attrs/p99 is Infinity'],
      // JSON would turn it into null, a value the objective did not give.
      [{ list: [1, undefined] }, '/attrs/list/1 is undefined'],
      [{ 'a/b': Number.NaN }, '/attrs/a~1b is NaN'],
      [circular, '/attrs/self refers back to itself'],
      // Said with the JSON each becomes and the call that gives JSON (they read back as {} or an index-keyed object).
      [
        { map: new Map([['a', 1]]) },
        '/attrs/map is a Map of 1 entry, which JSON writes as {}: give `Object.fromEntries(map)` for string keys',
      ],
      [
        { tags: new Set(['x', 'y']) },
        '/attrs/tags is a Set of 2 values, which JSON writes as {}: give `Array.from(set)`',
      ],
      [
        { curve: new Float64Array([0.5, 0.25, 0.125]) },
        '/attrs/curve is a Float64Array of 3 values, which JSON writes as an object keyed by index: give `Array.from(values)`',
      ],
    ];
    for (const [attrs, message] of cases) {
      const result = interpretObjectiveValue({ loss: 0.123, attrs });
      expect(result.status).toBe('failed');
      if (result.status === 'failed') {
        expect(result.error.code).toBe('OBJECTIVE_BAD_ATTRS');
        // Review 44: the loss is not lost with the trial.
        expect(result.error.details).toEqual({ loss: 0.123 });
        expect(result.error.message).toContain('The loss (0.123) is kept');
        expect(result.error.message).toContain(message);
      }
    }
    expect(interpretObjectiveValue({ loss: 1, attrs: 'fast' })).toMatchObject({
      status: 'failed',
      error: { code: 'OBJECTIVE_BAD_ATTRS', message: expect.stringContaining('expected an object of JSON values') },
    });
  });

  it('drops fields whose value is undefined, as JSON does, and keeps the trial (an optional field was a failed trial)', () => {
    expect(interpretObjectiveValue({ loss: 1, attrs: { p99: undefined, p50: 3 } })).toEqual({
      status: 'ok',
      loss: 1,
      attrs: { p50: 3 },
    });
    expect(interpretObjectiveValue({ loss: 1, attrs: { p99: undefined } })).toEqual({ status: 'ok', loss: 1 });
    expect(interpretObjectiveValue({ loss: 1, epochs: undefined, attrs: { run: { p99: undefined, n: 2 } } })).toEqual({
      status: 'ok',
      loss: 1,
      attrs: { run: { n: 2 } },
    });
    // An undefined next to `loss` is no second value of a name in `attrs`.
    expect(interpretObjectiveValue({ loss: 1, acc: undefined, attrs: { acc: 0.9 } })).toEqual({
      status: 'ok',
      loss: 1,
      attrs: { acc: 0.9 },
    });
    // A field next to `loss` is named where it is.
    expect(interpretObjectiveValue({ loss: 1, p99: Number.NaN })).toMatchObject({
      error: { code: 'OBJECTIVE_BAD_ATTRS', message: expect.stringContaining('not JSON: /p99 is NaN.') },
    });
  });

  it('fails the trial when a name is both next to `loss` and in `attrs` with two values (one was dropped in silence)', () => {
    expect(interpretObjectiveValue({ loss: 1, acc: 1, epochs: 3, attrs: { acc: 2 } })).toEqual({
      status: 'failed',
      error: {
        code: 'OBJECTIVE_BAD_ATTRS',
        message:
          "The objective returned `acc` twice, next to `loss` (1) and in `attrs` (2); fields next to `loss` are attrs too, so give each name once. The loss (1) is kept in the failed trial's error details.",
        details: { loss: 1 },
      },
    });
    // The same value in both places drops nothing: kept once.
    expect(interpretObjectiveValue({ loss: 1, acc: 0.9, attrs: { acc: 0.9 } })).toEqual({
      status: 'ok',
      loss: 1,
      attrs: { acc: 0.9 },
    });
  });

  it('names what came back instead of a loss: an object without `loss` by its keys, a BigInt as such', () => {
    expect(interpretObjectiveValue({ value: 1, accuracy: 0.9 })).toEqual({
      status: 'failed',
      error: {
        code: 'OBJECTIVE_NOT_A_NUMBER',
        message:
          'The objective returned an object without `loss` (its keys: value, accuracy); expected a number or { "loss": number }.',
      },
    });
    expect(interpretObjectiveValue({})).toMatchObject({
      error: { message: expect.stringContaining('(an empty object)') },
    });
    // Describing a BigInt threw, and the trial failed as OBJECTIVE_THREW "Do not know how to serialize a BigInt".
    for (const raw of [3n, { loss: 3n }])
      expect(interpretObjectiveValue(raw)).toMatchObject({
        status: 'failed',
        error: { code: 'OBJECTIVE_NOT_A_NUMBER', message: expect.stringContaining('the BigInt 3n') },
      });
  });

  it('takes attrs nested 100 levels below `attrs`, and fails them at 101', () => {
    /** `levels` objects inside `attrs`, each the `a` of the one above: attrs.a.a…a = {}. */
    const nested = (levels: number) => {
      let inner: Record<string, unknown> = {};
      for (let level = 0; level < levels; level++) inner = { a: inner };
      return inner;
    };
    expect(interpretObjectiveValue({ loss: 0, attrs: nested(100) })).toMatchObject({ status: 'ok' });
    expect(interpretObjectiveValue({ loss: 0, attrs: nested(101) })).toMatchObject({
      status: 'failed',
      error: {
        code: 'OBJECTIVE_BAD_ATTRS',
        message: expect.stringContaining(`/attrs${'/a'.repeat(101)} is nested more than 100 levels deep`),
      },
    });
  });

  it('keeps shared (not circular) references', () => {
    const shared = { k: 1 };
    expect(interpretObjectiveValue({ loss: 0, attrs: { a: shared, b: shared } })).toMatchObject({ status: 'ok' });
  });
});

describe("thrownErrorInfo (trial 54: an objective's TypeError was stored as its message alone)", () => {
  it("keeps an error's class, own code, place and stack in details", () => {
    class ConfigMissing extends Error {
      override readonly name = 'ConfigMissing';
      readonly code = 'E_NO_CONFIG';
    }
    const thrown = (() => {
      try {
        throw new ConfigMissing('no config.yaml');
      } catch (error) {
        return error;
      }
    })();
    const info = thrownErrorInfo(thrown);
    expect(info).toMatchObject({
      code: 'OBJECTIVE_THREW',
      message: 'no config.yaml',
      details: { errorName: 'ConfigMissing', errorCode: 'E_NO_CONFIG' },
    });
    expect(info.details?.thrownAt).toMatch(/interpret-result\.test\.ts:\d+:\d+$/);
    expect(info.details?.stack).toMatch(/^ConfigMissing: no config.yaml\n\s+at /);
    const long = new Error('long');
    long.stack = `Error: long\n${'    at f (/x.js:1:1)\n'.repeat(1000)}`;
    expect(String(thrownErrorInfo(long).details?.stack)).toHaveLength(4000);
    expect(JSON.parse(JSON.stringify(info))).toEqual(info);
  });

  it("cuts a message of megabytes (a tensor's repr) to its first 1,000 characters, saying how many more were cut", () => {
    const info = thrownErrorInfo(new Error(`shape mismatch: ${'[0.1234, '.repeat(200_000)}`));
    expect(info.message).toMatch(/^shape mismatch: \[0\.1234, .*… \(1799016 more characters cut\)$/);
    expect(info.message.length).toBeLessThan(1100);
    expect(JSON.stringify(info).length).toBeLessThan(6000);
    // Never half of a character: an emoji is one character, kept whole or left out whole, and counted as one (it
    // was left out at the 1,000th, and counted as 2 in the characters cut).
    const emoji = thrownErrorInfo(new Error(`${'x'.repeat(999)}😀${'y'.repeat(10)}`)).message;
    expect(emoji).toBe(`${'x'.repeat(999)}😀… (10 more characters cut)`);
    const emojiCut = thrownErrorInfo(new Error(`${'x'.repeat(1000)}😀😀y`)).message;
    expect(emojiCut).toBe(`${'x'.repeat(1000)}… (3 more characters cut)`);
    // Review 180: a character of several code points is not split at the cut (an accent lost its letter, half a flag
    // was kept, a family emoji cut after its first person), and one more is said in the singular.
    const accent = thrownErrorInfo(new Error(`${'a'.repeat(999)}e\u0301zz`)).message;
    expect(accent).toBe(`${'a'.repeat(999)}… (4 more characters cut)`);
    const flag = thrownErrorInfo(new Error(`${'a'.repeat(999)}🇫🇷`)).message;
    expect(flag).toBe(`${'a'.repeat(999)}… (2 more characters cut)`);
    const family = thrownErrorInfo(new Error(`${'a'.repeat(998)}👨\u200d👩\u200d👧`)).message;
    expect(family).toBe(`${'a'.repeat(998)}… (5 more characters cut)`);
    expect(thrownErrorInfo(new Error(`${'a'.repeat(1000)}b`)).message).toBe(
      `${'a'.repeat(1000)}… (1 more character cut)`,
    );
    // 600 emoji are 1,200 UTF-16 units but 600 characters: kept whole.
    expect(thrownErrorInfo(new Error('😀'.repeat(600))).message).toBe('😀'.repeat(600));
    expect(thrownErrorInfo(new Error('x'.repeat(1000))).message).toBe('x'.repeat(1000));
    // The stack kept has its frames too (where it was thrown), the message in it cut the same way.
    const stack = info.details?.stack as string;
    expect(stack).toMatch(/^Error: shape mismatch: \[0\.1234, .*… \(1799016 more characters cut\)\n\s+at /);
    expect(stack).toContain('interpret-result.test.ts');
    expect(stack.length).toBeLessThanOrEqual(4000);
  });

  it('a plain Error keeps no errorName; a thrown non-Error is described, with no details', () => {
    expect(thrownErrorInfo(new Error('x')).details?.errorName).toBeUndefined();
    expect(thrownErrorInfo('oops')).toEqual({ code: 'OBJECTIVE_THREW', message: 'The objective threw "oops"' });
    // Not "nothing" on one thread and "undefined" on another; a symbol keeps its description.
    expect(thrownErrorInfo(undefined).message).toBe('The objective threw undefined');
    expect(thrownErrorInfo(Symbol('sym')).message).toBe('The objective threw Symbol(sym)');
  });

  it('describes a message that is not a string, so the trial keeps OBJECTIVE_THREW (review 78)', () => {
    const odd = Object.assign(new Error('x'), { message: { reason: 'no data' } });
    expect(thrownErrorInfo(odd)).toMatchObject({ code: 'OBJECTIVE_THREW', message: '{"reason":"no data"}' });
  });
});

describe("hyperopt's STATUS_FAIL result (trial 55)", () => {
  it("fails the trial, its other fields kept in the error's details", () => {
    expect(interpretObjectiveValue({ status: 'fail', error: 'diverged' })).toMatchObject({
      status: 'failed',
      error: { code: 'OBJECTIVE_FAILED', details: { result: { error: 'diverged' } } },
    });
    const bare = interpretObjectiveValue({ status: 'fail' });
    expect(bare.status === 'failed' && bare.error.details).toBeUndefined();
  });
});

describe('a parameter name the objective destructures that its params lack (trial 99: only "returned NaN")', () => {
  it('reads the names a function destructures from its first argument, without running it', () => {
    let ran = false;
    const spy = ({ x }: { x: number }) => {
      ran = true;
      return x;
    };
    expect(destructuredNames(spy)).toEqual(['x']);
    expect(ran).toBe(false);
    expect(
      destructuredNames(
        ({ lr, act: activation, depth = 3 }: { lr: number; act: number; depth?: number }) => lr + activation + depth,
      ),
    ).toEqual(['lr', 'act']); // depth has a default: meant to be absent at times
    // Words of a comment in the pattern are no names (review 105: "It takes `sgd`").
    // Made from source text: a transform of this file would strip the comments.
    const commented = new Function('return ({ x, // adam, sgd, or rmsprop\n opt, /* a, b */ lr }) => x')();
    expect(destructuredNames(commented)).toEqual(['x', 'opt', 'lr']);
    expect(destructuredNames(async ({ x, y }: { x: number; y: number }) => x + y)).toEqual(['x', 'y']);
    expect(
      destructuredNames(function named({ a }: { a: number }) {
        return a;
      }),
    ).toEqual(['a']);
    // Not destructured, or nested: nothing.
    expect(destructuredNames((params: Record<string, number>) => params.x)).toEqual([]);
    expect(destructuredNames(({ a: { b } }: { a: { b: number } }) => b)).toEqual([]);
  });

  it("names them in the failure a function objective's trial ends with, and only in a failure", async () => {
    const misspelt = ({ x, learningRate }: { x: number; learningRate: number }) => x + Math.log10(learningRate);
    const objective = createFunctionObjective(misspelt as never);
    const failed = await objective.evaluate(
      { x: 1, lr: 0.1 },
      {
        trialNumber: 0,
        seed: 1,
        signal: new AbortController().signal,
        report: async () => {},
        shouldPrune: () => false,
      },
    );
    expect(failed).toEqual({
      status: 'failed',
      error: {
        code: 'OBJECTIVE_NAN',
        message:
          "The objective returned NaN. It takes `learningRate` from its params, which this trial's params do not have " +
          '(they have x, lr): a misspelt name, or a parameter of a branch this trial did not take?',
      },
    });
    const fine = createFunctionObjective(
      (({ x, unused }: { x: number; unused?: number }) => x + (unused ?? 0)) as never,
    );
    expect(
      await fine.evaluate(
        { x: 1 },
        {
          trialNumber: 0,
          seed: 1,
          signal: new AbortController().signal,
          report: async () => {},
          shouldPrune: () => false,
        },
      ),
    ).toEqual({
      status: 'ok',
      loss: 1,
    });
    // Told the space: a parameter of a branch this trial did not take is no misspelling (review 105).
    const branchy = createFunctionObjective(
      (({ x, C, learningRate }: { x: number; C: number; learningRate: number }) => x * C * learningRate) as never,
      'function',
      { space: ['x', 'C', 'kernel'] },
    );
    expect(
      await branchy.evaluate(
        { x: 1, kernel: 'tree' },
        {
          trialNumber: 0,
          seed: 1,
          signal: new AbortController().signal,
          report: async () => {},
          shouldPrune: () => false,
        },
      ),
    ).toEqual({
      status: 'failed',
      error: {
        code: 'OBJECTIVE_NAN',
        message:
          'The objective returned NaN. It takes `learningRate` from its params, but the space has no such parameter (it has x, C, kernel): a misspelt name?',
      },
    });
    // A wrapper's source is not read: the user's function given as the source is.
    const wrapped = createFunctionObjective(
      ((params: { x: number }) => misspelt(params as never)) as never,
      'function',
      {
        source: misspelt as never,
        space: ['x', 'lr'],
      },
    );
    expect(
      await wrapped.evaluate(
        { x: 1, lr: 0.1 },
        {
          trialNumber: 0,
          seed: 1,
          signal: new AbortController().signal,
          report: async () => {},
          shouldPrune: () => false,
        },
      ),
    ).toMatchObject({
      error: { message: expect.stringContaining('It takes `learningRate`') },
    });
    // A failure of another kind, or with every name there, is left as it is.
    expect(
      withUnknownParamNote({ status: 'failed', error: { code: 'TIMEOUT', message: 'slow' } }, ['y'], { x: 1 }),
    ).toEqual({
      status: 'failed',
      error: { code: 'TIMEOUT', message: 'slow' },
    });
    expect(
      withUnknownParamNote({ status: 'failed', error: { code: 'OBJECTIVE_THREW', message: 'boom' } }, ['x'], { x: 1 }),
    ).toEqual({ status: 'failed', error: { code: 'OBJECTIVE_THREW', message: 'boom' } });
  });
});
