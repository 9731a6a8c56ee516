import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './builtins/memory-store.js';
import type { TrialStore } from './contracts/store.js';
import type { Suggester } from './contracts/suggester.js';
import { sampleDistribution } from './domain/sample-distribution.js';
import { choice, option, uniform } from './domain/space-builder.js';
import type { FinishedTrial } from './domain/trial.js';
import type { ImportedTrialRow } from './runtime/imported-trials.js';
import { Study } from './study.js';

const space = { x: uniform(-1, 1), kernel: choice([option('rbf', { gamma: uniform(0, 1) }), 'linear']) };

/** Rows as JavaScript passes them, unchecked by the compiler: the runtime's checks are under test. */
const unchecked = (rows: readonly ImportedTrialRow[]): never => rows as never;

/** Samples from the prior and keeps what each suggestion was shown. */
const watching = (): Suggester & { readonly seen: (readonly FinishedTrial[])[] } => {
  const seen: (readonly FinishedTrial[])[] = [];
  return {
    name: 'watching',
    seen,
    beginTrial: (context) => {
      seen.push(context.history);
      return { sampleParam: (param) => sampleDistribution(param.distribution, context.rng) };
    },
  };
};

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: { code?: string; message?: string; issues?: { pointer: string }[] }) => error,
  );

describe('Study.addTrials', () => {
  it('adds rows as ordinary finished trials with the next numbers: option values, states, attrs, curves, times', async () => {
    const study = await Study.open({ space, suggester: watching(), seed: 1 });
    const asked = await study.ask();
    await study.tell(asked.number, 0.9);
    const { added, skipped } = await study.addTrials([
      { params: { x: 0.5, kernel: 'rbf', gamma: 0.25 }, loss: 0.1, attrs: { epochs: 3 } },
      {
        params: { x: -0.5, kernel: 'linear' },
        state: 'pruned',
        loss: 0.7,
        attrs: { epochs: 2 },
        intermediate: [
          { step: 2, value: 0.7 },
          { step: 0, value: 0.95 },
        ],
        startedAt: '2026-01-01T10:00:00Z',
        finishedAt: '2026-01-01T10:05:00Z',
      },
      { params: { x: 0, kernel: 'linear' }, state: 'failed', error: { code: 'OOM', message: 'out of memory' } },
    ]);
    expect(skipped).toEqual([]);
    expect(added.map((trial) => trial.number)).toEqual([1, 2, 3]);
    const trials = await study.trials();
    expect(trials[1]).toMatchObject({
      state: 'complete',
      loss: 0.1,
      params: { x: 0.5, kernel: 'rbf', gamma: 0.25 },
      internal: { x: 0.5, kernel: 0, gamma: 0.25 },
      attrs: { epochs: 3 },
    });
    expect(trials[2]).toMatchObject({
      state: 'pruned',
      loss: 0.7,
      params: { x: -0.5, kernel: 'linear' },
      internal: { x: -0.5, kernel: 1 },
      attrs: { epochs: 2 },
      intermediate: [
        { step: 0, value: 0.95 },
        { step: 2, value: 0.7 },
      ],
      startedAt: '2026-01-01T10:00:00.000Z',
      finishedAt: '2026-01-01T10:05:00.000Z',
    });
    expect(trials[3]).toMatchObject({ state: 'failed', error: { code: 'OOM' } });
    expect((await study.best())?.number).toBe(1);
    expect((await study.ask()).number).toBe(4);
  });

  it('takes NaN for an inactive parameter as no value (a pandas frame), and refuses it for an active one', async () => {
    const study = await Study.open({ space, suggester: watching(), seed: 1 });
    const { added } = await study.addTrials(
      unchecked([{ params: { x: 0.5, kernel: 'linear', gamma: Number.NaN }, loss: 0.2 }]),
    );
    expect(added.map((trial) => trial.params)).toEqual([{ x: 0.5, kernel: 'linear' }]);
    const error = await errorOf(
      study.addTrials(unchecked([{ params: { x: 0.5, kernel: 'rbf', gamma: Number.NaN }, loss: 0.2 }])),
    );
    expect(error?.issues).toEqual([
      expect.objectContaining({ pointer: '/0/params/gamma', expected: 'a number from 0 to 1', found: 'NaN' }),
    ]);
  });

  it('rejects the whole call when a row does not fit, naming every row and what was expected and found', async () => {
    const study = await Study.open({ space, suggester: watching() });
    const error = await errorOf(
      study.addTrials(
        unchecked([
          { params: { x: 0.5, kernel: 'linear' }, loss: 1 },
          { params: { x: 2, kernel: 'rbf', gamma: 0.5 }, loss: 1 },
          { params: { x: 0.5, kernel: 'poly' }, loss: Number.NaN },
          { params: { x: 0.5, kernel: 'linear' } },
          { params: { x: 0.5, kernel: 'linear' }, state: 'failed', loss: 3, attrs: { a: 1 } },
        ]),
      ),
    );
    expect(error?.code).toBe('IMPORT_INVALID');
    expect(error?.message).toContain('4 of 5 rows cannot be imported, so nothing was imported');
    expect(error?.message).toMatch(/row 1: \/params\/x: expected a number from -1 to 1, found 2/);
    expect(error?.message).toMatch(/row 2: \/params\/kernel: expected one of "rbf", "linear", found "poly"/);
    expect(error?.message).toMatch(/row 2: \/loss: expected a finite number \(a complete trial\)/);
    expect(error?.message).toMatch(/row 3: \/loss: expected a finite number \(a complete trial\), found none/);
    expect(error?.message).toMatch(/row 4: \/loss: expected none/);
    expect(error?.message).toMatch(/row 4: \/attrs: expected none \(complete and pruned trials have attrs\)/);
    expect(error?.issues?.map((problem) => problem.pointer)).toContain('/1/params/x');
    expect(await study.trials()).toEqual([]);
  });

  it("with onInvalid 'skip', adds the valid rows and returns the skipped ones with their problems", async () => {
    const study = await Study.open({ space, suggester: watching() });
    const { added, skipped } = await study.addTrials(
      unchecked([
        { params: { x: 0.5, kernel: 'linear' }, loss: 1 },
        { params: { x: 0.5, kernel: 'linear', y: 3 }, loss: 2 },
        { params: { x: 0.25, kernel: 'linear' }, loss: 3 },
      ]),
      { onInvalid: 'skip' },
    );
    expect(added.map((trial) => [trial.number, trial.state === 'complete' ? trial.loss : undefined])).toEqual([
      [0, 1],
      [1, 3],
    ]);
    expect(skipped).toEqual([
      { row: 1, issues: [expect.objectContaining({ pointer: '/params/y', found: 'unknown parameter "y"' })] },
    ]);
  });

  it('refuses attrs that JSON would change or cannot hold, as a trial told them would fail (they were stored changed)', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const bad = [
      ['NaN', { f1: Number.NaN }, '/attrs/f1', 'NaN'],
      ['a Date', { at: new Date(0) }, '/attrs/at', 'a Date'],
      ['a Map', { m: new Map() }, '/attrs/m', 'a Map of 0 entries, which JSON writes as {}'],
      ['a function', { fn: () => 1 }, '/attrs/fn', 'a function'],
      ['undefined in an array', { u: [1, undefined] }, '/attrs/u/1', 'undefined'],
      ['a BigInt', { big: 10n }, '/attrs/big', 'a bigint'],
      ['a cycle', { c: circular }, '/attrs/c/self', 'a value that refers back to itself'],
    ] as const;
    const study = await Study.open({ space, suggester: watching() });
    const { added, skipped } = await study.addTrials(
      [
        { params: { x: 0.5, kernel: 'linear' }, loss: 1, attrs: { fine: [1, 'a', null, { b: true }] } },
        ...bad.map(([, attrs]) => ({ params: { x: 0.25, kernel: 'linear' as const }, loss: 2, attrs })),
      ],
      { onInvalid: 'skip' },
    );
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ attrs: { fine: [1, 'a', null, { b: true }] } });
    expect(skipped.map(({ row }) => row)).toEqual(bad.map((_, index) => index + 1));
    for (const [index, [, , pointer, found]] of bad.entries())
      expect(skipped[index]?.issues).toEqual([
        expect.objectContaining({ pointer, found: expect.stringContaining(found) }),
      ]);
    // Rejected by default, as every invalid row: a ParzenError naming the row, nothing added.
    const error = await errorOf(
      study.addTrials([{ params: { x: 0.5, kernel: 'linear' }, loss: 1, attrs: { f: Number.NaN } }]),
    );
    expect(error?.code).toBe('IMPORT_INVALID');
    expect(error?.message).toMatch(/row 0: \/attrs\/f: expected JSON values: .*, found NaN/);
    expect(await study.trials()).toHaveLength(1);
  });

  it("drops attrs fields whose value is undefined, as JSON does and as an objective's attrs are kept", async () => {
    const study = await Study.open({ space, suggester: watching() });
    const { added } = await study.addTrials([
      {
        params: { x: 0.5, kernel: 'linear' },
        loss: 1,
        attrs: { p99: undefined, p50: 3, nested: { a: undefined, b: 1 } },
      },
      { params: { x: 0.25, kernel: 'linear' }, state: 'pruned', loss: 2, attrs: { gone: undefined } },
    ]);
    const attrsOf = (trial: object) => ('attrs' in trial ? trial.attrs : 'none');
    expect(added.map(attrsOf)).toEqual([{ p50: 3, nested: { b: 1 } }, 'none']);
    expect((await study.trials()).map(attrsOf)).toEqual([{ p50: 3, nested: { b: 1 } }, 'none']);
  });

  it('refuses a row reporting the same intermediate step twice (which value would the curve keep?)', async () => {
    const study = await Study.open({ space, suggester: watching() });
    const row = {
      params: { x: 0.5, kernel: 'linear' as const },
      loss: 1,
      intermediate: [
        { step: 1, value: 3 },
        { step: 2, value: 2 },
        { step: 1, value: 4 },
      ],
    };
    const error = await errorOf(study.addTrials([row]));
    expect(error?.code).toBe('IMPORT_INVALID');
    expect(error?.message).toMatch(/row 0: \/intermediate\/2\/step: expected each step once, found 1/);
    expect(error?.issues?.map((problem) => problem.pointer)).toEqual(['/0/intermediate/2/step']);
    expect(await study.trials()).toEqual([]);
  });

  it("types rows' params by the study's space, as enqueue's (trial 80)", async () => {
    const study = await Study.open({ space, suggester: watching() });
    // @ts-expect-error an unknown parameter
    const unknownName = study.addTrials([{ params: { xx: 0.5, kernel: 'linear' }, loss: 1 }]);
    // @ts-expect-error not a number
    const mixed = study.addTrials([{ params: { x: '0.5', kernel: 'linear' }, loss: 1 }]);
    // @ts-expect-error not an option of `kernel`
    const notOption = study.addTrials([{ params: { x: 0.5, kernel: 'poly' }, loss: 1 }]);
    for (const call of [unknownName, mixed, notOption])
      expect(await errorOf(call)).toMatchObject({ code: 'IMPORT_INVALID' });
    expect((await study.addTrials([{ params: { x: 0.5, kernel: 'rbf', gamma: 0.1 }, loss: 1 }])).added).toHaveLength(1);
  });

  it('refuses rows that are not an array, and an unknown onInvalid, with ParzenErrors (they threw a TypeError)', async () => {
    const study = await Study.open({ space, suggester: watching() });
    const row = { params: { x: 0.5, kernel: 'linear' as const }, loss: 1 };
    for (const rows of [null, row]) {
      const error = await errorOf(study.addTrials(rows as never));
      expect(error).toMatchObject({
        code: 'IMPORT_INVALID',
        message: expect.stringContaining('study.addTrials takes an array of rows ({ params, loss })'),
      });
      expect(error?.issues?.map((problem) => problem.pointer)).toEqual(['']);
    }
    // `ignore` was taken as the default, `reject`, without a word.
    expect(await errorOf(study.addTrials([row], { onInvalid: 'ignore' } as never))).toMatchObject({
      code: 'CONFIG_INVALID',
      message: 'Invalid study.addTrials options:\n  /onInvalid: expected one of "reject", "skip", found "ignore"',
    });
    // A value JSON cannot write is described, not a TypeError from describing it.
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(
      await errorOf(study.addTrials(unchecked([{ params: { x: circular, kernel: 'linear' }, loss: 1 }]))),
    ).toMatchObject({
      code: 'IMPORT_INVALID',
      message: expect.stringContaining('found an object that is not JSON (Converting circular structure to JSON'),
    });
    expect(await study.trials()).toEqual([]);
  });

  it('fails with STORE_UNSUPPORTED on a store without addTrials, and adds nothing for no rows', async () => {
    const { addTrials: _, ...rest } = createMemoryStore();
    const store: TrialStore = rest;
    const study = await Study.open({ space, suggester: watching(), store });
    expect(await errorOf(study.addTrials([{ params: { x: 0, kernel: 'linear' }, loss: 1 }]))).toMatchObject({
      code: 'STORE_UNSUPPORTED',
      message: expect.stringContaining('addTrials'),
    });
    const other = await Study.open({ space, suggester: watching() });
    expect(await other.addTrials([])).toEqual({ added: [], skipped: [], skippedRepeats: [] });
  });

  it("takes another study's finished trials as trials() lists them, their stored values ignored (trial 99)", async () => {
    const store = createMemoryStore();
    const wide = { x: uniform(-5, 5) };
    const old = await Study.open({ name: 'old', space: wide, suggester: watching(), store, seed: 1 });
    for (const x of [0.5, 3]) {
      const trial = await old.ask();
      await old.tell(trial.number, x);
    }
    const listed = await old.trials();
    expect(listed.every((trial) => 'internal' in trial)).toBe(true);
    const narrow = await Study.open({
      name: 'new',
      space: { x: uniform(-1, 1) },
      suggester: watching(),
      store,
      seed: 1,
    });
    const rows = listed.map((trial, i) => ({ ...trial, params: { x: [0.5, 3][i] as number } }));
    const { added, skipped } = await narrow.addTrials(unchecked(rows as never), { onInvalid: 'skip' });
    expect(added.map((trial) => trial.params)).toEqual([{ x: 0.5 }]);
    expect(skipped).toEqual([{ row: 1, issues: [expect.objectContaining({ pointer: '/params/x' })] }]);
  });

  it('with refuseRepeats, adds rows the study already has once: a warm-start script run again (trial 99)', async () => {
    const store = createMemoryStore();
    const rows = [
      { params: { x: 0.5, kernel: 'linear' as const }, loss: 0.2 },
      { params: { x: -0.5, kernel: 'linear' as const }, loss: 0.4 },
    ];
    const first = await Study.open({ name: 'warm', space, suggester: watching(), store, seed: 1 });
    expect((await first.addTrials(rows, { refuseRepeats: true })).added).toHaveLength(2);
    const again = await Study.open({ name: 'warm', space, suggester: watching(), store, seed: 1 });
    expect(await errorOf(again.addTrials(rows, { refuseRepeats: true }))).toMatchObject({ code: 'IMPORT_REPEATED' });
    expect(await again.trials()).toHaveLength(2);
    // A call with new rows beside repeated ones adds them all, and says how many repeat (review 105).
    const warnings: string[] = [];
    const grown = await Study.open({
      name: 'warm',
      space,
      suggester: watching(),
      store,
      seed: 1,
      onWarning: (m) => warnings.push(m),
    });
    const more = [...rows, { params: { x: 0.25, kernel: 'linear' as const }, loss: 0.3 }];
    expect((await grown.addTrials(more, { refuseRepeats: true })).added).toHaveLength(3);
    expect(warnings).toEqual([
      expect.stringMatching(/^study\.addTrials: 2 of the 3 trials added repeat trials study warm had/),
    ]);
    await again.addTrials([{ params: { x: 0.75, kernel: 'linear' } as const, loss: 0.1 }], { refuseRepeats: true });
    expect(warnings).toHaveLength(1);
    // Without it, repeats are added (a second run of an experiment may repeat a trial on purpose).
    expect((await again.addTrials(rows)).added).toHaveLength(2);
    // Refused by the study too, for a store that ignores the option.
    const deaf = {
      ...store,
      addTrials: (study: string, trials: Parameters<NonNullable<TrialStore['addTrials']>>[1]) =>
        (store.addTrials as NonNullable<TrialStore['addTrials']>)(study, trials),
    };
    const overDeaf = await Study.open({ name: 'warm', space, suggester: watching(), store: deaf, seed: 1 });
    expect(await errorOf(overDeaf.addTrials(rows, { refuseRepeats: true }))).toMatchObject({ code: 'IMPORT_REPEATED' });
    // A refusal of a call that skipped invalid rows says them and lists them (review 105: they were lost).
    const skipping = await errorOf(
      again.addTrials(
        unchecked([...rows, { params: { x: 9, kernel: 'linear' }, loss: 1 }, { params: { x: 0.1 }, loss: 1 }] as never),
        {
          refuseRepeats: true,
          onInvalid: 'skip',
        },
      ),
    );
    expect(skipping).toMatchObject({
      code: 'IMPORT_REPEATED',
      issues: [
        expect.objectContaining({ pointer: '/2/params/x' }),
        expect.objectContaining({ pointer: '/3/params/kernel' }),
      ],
    });
    expect(skipping?.message).toMatch(
      /Every one of the 2 trials to add repeats .* The other 2 rows of the 4 given were invalid and skipped \(onInvalid: 'skip'\):\n {2}row 2: \/params\/x: /s,
    );
    // The store's own refusal (in its atomic step: another import got in first), a plain Error with the code as a
    // third-party store may throw: the skipped rows said, the store's error kept as the cause (review 108).
    const raced = new Error('every trial repeats');
    const racing = {
      ...store,
      name: 'racing',
      listTrials: async () => [],
      addTrials: async () => {
        throw Object.assign(raced, { code: 'IMPORT_REPEATED' });
      },
    } as TrialStore;
    const overRacing = await Study.open({ name: 'warm', space, suggester: watching(), store: racing, seed: 1 });
    const refusedByStore = (await errorOf(
      overRacing.addTrials(unchecked([...rows, { params: { x: 9, kernel: 'linear' }, loss: 1 }] as never), {
        refuseRepeats: true,
        onInvalid: 'skip',
      }),
    )) as { code?: string; message?: string; cause?: unknown } | undefined;
    expect(refusedByStore).toMatchObject({
      code: 'IMPORT_REPEATED',
      message: expect.stringMatching(/^every trial repeats The other row of the 3 given was invalid and skipped/),
      cause: raced,
    });
    expect(await errorOf(again.addTrials(rows, { refuseRepeats: 'yes' as never }))).toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [{ pointer: '/refuseRepeats', expected: 'one of true, false' }],
    });
  });

  it('with skipRepeats, leaves out the rows the study already has and adds the others, without an error', async () => {
    const store = createMemoryStore();
    const rows = [
      { params: { x: 0.5, kernel: 'linear' as const }, loss: 0.2 },
      { params: { x: -0.5, kernel: 'linear' as const }, loss: 0.4 },
    ];
    const warnings: string[] = [];
    const openOn = (on: TrialStore) =>
      Study.open({ name: 'warm', space, suggester: watching(), store: on, onWarning: (m) => warnings.push(m) });
    const first = await openOn(store);
    expect(await first.addTrials(rows, { skipRepeats: true })).toMatchObject({ skippedRepeats: [] });
    const again = await openOn(store);
    const none = await again.addTrials(rows, { skipRepeats: true });
    expect(none.added).toEqual([]);
    expect(none.skippedRepeats).toEqual([0, 1]);
    // A grown file: its new row alone is added; an invalid row skipped is said apart (by its index).
    const grown = await again.addTrials(
      unchecked([
        { params: { x: 9, kernel: 'linear' }, loss: 1 },
        ...rows,
        { params: { x: 0.25, kernel: 'linear' }, loss: 0.3 },
      ] as never),
      { skipRepeats: true, onInvalid: 'skip' },
    );
    expect(grown.added).toEqual([expect.objectContaining({ number: 2, loss: 0.3 })]);
    expect(grown.skippedRepeats).toEqual([1, 2]);
    expect(grown.skipped.map(({ row }) => row)).toEqual([0]);
    expect(await again.trials()).toHaveLength(3);
    expect(warnings).toEqual([]);
    // A store whose addTrials does not honour skipRepeats (a third-party store written before it): the rows are
    // compared with the study as read before the add, the store asked to refuse a call of nothing but repeats in
    // its own step, and a warning says the skip is not atomic. Another call added them meanwhile: left out too.
    const racing = {
      ...store,
      name: 'racing',
      skipRepeats: undefined,
      listTrials: async () => [],
      addTrials: async (_study: string, _trials: unknown, options: unknown) => {
        expect(options).toEqual({ refuseRepeats: true });
        throw Object.assign(new Error('every trial repeats'), { code: 'IMPORT_REPEATED' });
      },
    } as unknown as TrialStore;
    expect(await (await openOn(racing)).addTrials(rows, { skipRepeats: true })).toMatchObject({
      added: [],
      skippedRepeats: [0, 1],
    });
    expect(warnings).toEqual([
      'study.addTrials: the racing store does not skip repeats in its own atomic step (its addTrials does not honour ' +
        'skipRepeats), so the rows were compared with study warm as read before the add: two calls at the same moment ' +
        'that share rows can both add them. Make such calls one at a time with this store.',
    ]);
    // Not with refuseRepeats, which asks for the opposite.
    expect(await errorOf(again.addTrials(rows, { skipRepeats: true, refuseRepeats: true }))).toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [{ pointer: '/skipRepeats', expected: 'refuseRepeats or skipRepeats, not both' }],
    });
    expect(await errorOf(again.addTrials(rows, { skipRepeats: 1 as never }))).toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [{ pointer: '/skipRepeats', expected: 'one of true, false' }],
    });
  });

  it('with skipRepeats, two calls at the same moment that share rows add each row once (the store skips in its step)', async () => {
    const store = createMemoryStore();
    const openOn = () => Study.open({ name: 'shared', space, suggester: watching(), store, onWarning: () => {} });
    const [one, two] = [await openOn(), await openOn()];
    const row = (x: number) => ({ params: { x, kernel: 'linear' as const }, loss: x });
    const first = [0.1, 0.2, 0.3, 0.4].map(row);
    const second = [0.3, 0.4, 0.5, 0.6].map(row);
    const [a, b] = await Promise.all([
      one.addTrials(first, { skipRepeats: true }),
      two.addTrials(second, { skipRepeats: true }),
    ]);
    // Each shared row once, and the call that did not add it says it left it out.
    const xs = (await one.trials()).map((trial) => trial.params.x);
    expect([...xs].sort()).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(a.added.length + b.added.length).toBe(6);
    expect(
      [
        ...a.skippedRepeats.map((at) => first[at]?.params.x),
        ...b.skippedRepeats.map((at) => second[at]?.params.x),
      ].sort(),
    ).toEqual([0.3, 0.4]);
    expect(store.skipRepeats).toBe(true);
  });

  it('with skipRepeats, refuses a store that returns the trials it added changed (it cannot tell which were left out)', async () => {
    const memory = createMemoryStore();
    // A store that says it skips repeats but hands back each added trial's loss rounded.
    const rounding: TrialStore = {
      ...memory,
      name: 'rounding',
      addTrials: async (study, trials, options) =>
        ((await memory.addTrials?.(study, trials, options)) ?? []).map((trial) =>
          trial.state === 'complete' ? { ...trial, loss: Math.round(trial.loss * 10) / 10 } : trial,
        ),
    };
    const study = await Study.open({
      name: 'rounded',
      space,
      suggester: watching(),
      store: rounding,
      onWarning: () => {},
    });
    const rows = [0.125, 0.25].map((x) => ({ params: { x, kernel: 'linear' as const }, loss: x }));
    const refused = await errorOf(study.addTrials(rows, { skipRepeats: true }));
    expect(refused).toMatchObject({ code: 'STORE_FAILED' });
    expect(refused?.message).toContain(
      "The `rounding` store's addTrials with skipRepeats returned 2 trials added, but only 0 of the 2 given match one of them",
    );
    // What it added is there, as said.
    expect((await memory.listTrials('rounded')).length).toBe(2);
  });

  it('puts imported trials in the history the suggester learns from', async () => {
    const suggester = watching();
    const study = await Study.open({ space, suggester });
    await study.addTrials([
      { params: { x: 0.5, kernel: 'linear' }, loss: 0.2 },
      { params: { x: -0.5, kernel: 'rbf', gamma: 0.1 }, loss: 0.4 },
    ]);
    await study.ask();
    const history = suggester.seen.at(-1) ?? [];
    expect(history.map((trial) => [trial.number, trial.state, trial.internal])).toEqual([
      [0, 'complete', { x: 0.5, kernel: 1 }],
      [1, 'complete', { x: -0.5, kernel: 0, gamma: 0.1 }],
    ]);
  });
});

describe("trial.started's studyTrials", () => {
  it("counts the study's finished trials, other handles' included, and its best, as the suggestion saw them", async () => {
    const store = createMemoryStore();
    const other = await Study.open({ name: 'shared', space, suggester: watching(), seed: 1, store });
    await other.addTrials([
      { params: { x: 0.5, kernel: 'linear' }, loss: 0.25 },
      { params: { x: 0.1, kernel: 'linear' }, state: 'failed', error: { code: 'OBJECTIVE_THREW', message: 'no' } },
    ]);
    const started: unknown[] = [];
    const study = await Study.open({
      name: 'shared',
      space,
      suggester: watching(),
      seed: 1,
      store,
      onEvent: (event) => {
        if (event.type === 'trial.started') started.push(event.studyTrials);
      },
    });
    const asked = await study.ask();
    await study.tell(asked.number, 0.125);
    await other.addTrials([{ params: { x: 0.2, kernel: 'linear' }, loss: 0.5 }]);
    await study.ask();
    expect(started).toEqual([
      { finished: 2, failed: 1, pruned: 0, best: { number: 0, loss: 0.25 } },
      { finished: 4, failed: 1, pruned: 0, best: { number: 2, loss: 0.125 } },
    ]);
  });
});
