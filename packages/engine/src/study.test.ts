import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryStore } from './builtins/memory-store.js';
import { failureNote } from './builtins/words.js';
import type { TrialStore } from './contracts/store.js';
import type { Suggester } from './contracts/suggester.js';
import { objectiveSeed } from './domain/rng.js';
import { sampleDistribution } from './domain/sample-distribution.js';
import { choice, loguniform, option, uniform } from './domain/space-builder.js';
import type { SpaceDefinition } from './domain/space-definition.js';
import { ParzenError, TrialPruned } from './errors.js';
import { fmin } from './fmin.js';
import { Study } from './study.js';

const prior: Suggester = {
  name: 'prior',
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
};

/** `prior`, deciding each trial only once `gate.answer` (set while an ask waits on it) is called. */
const gated = (name: string): { readonly suggester: Suggester; readonly gate: { answer?: () => void } } => {
  const gate: { answer?: () => void } = {};
  const suggester: Suggester = {
    name,
    beginTrial: async (context) => {
      await new Promise<void>((resolve) => {
        gate.answer = resolve;
      });
      return prior.beginTrial(context);
    },
  };
  return { suggester, gate };
};

/**
 * Two studies of one store: `asking`, whose ask waits at its gate (after taking an enqueued `entry`, when given),
 * and `telling`, whose loss and prune for that trial are refused (CONFIG_INVALID) while it waits; then the ask is
 * answered and `telling` completes the trial it returned.
 */
const refusedWhileDeciding = async (name: string, space: SpaceDefinition, entry?: Record<string, number>) => {
  const store = createMemoryStore();
  const { suggester, gate } = gated('prior');
  const asking = await Study.open({ name, space, suggester, store });
  const telling = await Study.open({ name, space, suggester: prior, store });
  if (entry !== undefined) await asking.enqueue(entry);
  const asked = asking.ask();
  await vi.waitFor(() => expect(gate.answer).toBeDefined());
  await expect(telling.tell(0, 0.5)).rejects.toMatchObject({
    code: 'CONFIG_INVALID',
    message: expect.stringContaining('trial #0 has no params yet'),
  });
  await expect(telling.prune(0)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  gate.answer?.();
  const trial = await asked;
  expect(await telling.tell(trial.number, 0.5)).toMatchObject({ state: 'complete', internal: trial.internal });
  return { store, telling, trial };
};

describe('Study (ask/tell)', () => {
  it('says, when a study opens, the trials asked and never told (trial 85: they steered TPE without a word)', async () => {
    const store = createMemoryStore();
    const space = { x: uniform(-1, 1) };
    const first = await Study.open({ name: 'sim', space, suggester: prior, store });
    const told = await first.ask();
    await first.tell(told.number, 1);
    await first.ask(); // #1: the simulator never answers, and the script dies
    await first.ask(); // #2
    const warnings: string[] = [];
    await Study.open({ name: 'sim', space, suggester: prior, store, onWarning: (line) => warnings.push(line) });
    expect(warnings).toEqual([
      "study sim has 2 trials asked and not yet told (#1, #2). If the process that asked them is gone, tell each a loss, or fail it as cut short, which hands an enqueued entry it took out again (study.tell(number, new ParzenError('INTERRUPTED', 'lost'))): until told, a suggester with a constant liar (TPE's default) keeps away from their params, and they count toward maxTrials. Another process still working on them needs nothing. Said when the study opens.",
    ]);
    // A run's trial holds a lease (its worker renews it): it is not said.
    await store.createTrial('sim', {
      lease: { owner: 'worker-1', expiresAt: new Date(Date.now() + 60_000).toISOString() },
    });
    const again: string[] = [];
    await Study.open({ name: 'sim', space, suggester: prior, store, onWarning: (line) => again.push(line) });
    expect(again).toHaveLength(1);
    expect(again[0]).toContain('(#1, #2)');
    // A new study, or one whose asks were all told, says nothing.
    const quiet: string[] = [];
    await Study.open({ name: 'other', space, suggester: prior, store, onWarning: (line) => quiet.push(line) });
    expect(quiet).toEqual([]);
  });

  it('asks trials with option values and records results and failures', async () => {
    const study = await Study.open({
      space: { x: uniform(-1, 1), kind: choice(['a', 'b']) },
      suggester: prior,
      seed: 9,
    });
    const first = await study.ask();
    expect(first.number).toBe(0);
    // Typed by the space: a misspelt name does not compile.
    // @ts-expect-error `kinds` is no parameter of the space
    expect(first.params.kinds).toBeUndefined();
    // @ts-expect-error enqueued params are typed by the space too
    await expect(study.enqueue({ kinds: 'a' })).rejects.toMatchObject({ code: 'PARAMS_INVALID' });
    expect(['a', 'b']).toContain(first.params.kind);
    expect(typeof first.internal.kind).toBe('number');
    await study.tell(first.number, 0.5);
    const second = await study.ask();
    await study.tell(second.number, new Error('diverged'));
    const third = await study.ask();
    await study.tell(third.number, { loss: 0.25, epochs: 3 });
    // TrialPruned told is a pruned trial, as study.prune (review 62: it was failed with code PRUNED).
    const fourth = await study.ask();
    await study.tell(fourth.number, new TrialPruned());
    const trials = await study.trials();
    expect(trials.map((trial) => trial.state)).toEqual(['complete', 'failed', 'complete', 'pruned']);
    expect(await study.best()).toEqual({ number: 2, loss: 0.25, params: third.params, attrs: { epochs: 3 } });
    // What the trial holds, so a restarted script knows whether its first tell landed (trial 85).
    await expect(study.tell(0, 1)).rejects.toMatchObject({
      code: 'TRIAL_ALREADY_FINISHED',
      message: expect.stringMatching(/^Trial #0 of study `study` has already finished: complete, loss 0\.5, at \d{4}-/),
    });
    await expect(study.tell(1, 1)).rejects.toMatchObject({
      message: expect.stringMatching(/has already finished: failed \(OBJECTIVE_THREW\), at /),
    });
    // A report says as much (trial 140: it said only "has already finished").
    await expect(study.report(3, 1, 0.5)).rejects.toMatchObject({
      code: 'TRIAL_ALREADY_FINISHED',
      message: expect.stringMatching(/^Trial #3 of study `study` has already finished: pruned, at \d{4}-/),
    });
  });

  it("study.report's refusals name study.report's own signature, and Optuna's order of its arguments (trial 171)", async () => {
    const study = await Study.open({ space: { x: uniform(0, 1) }, suggester: prior, store: createMemoryStore() });
    const { number } = await study.ask();
    // Optuna's trial.report(value, step): a loss where the step goes, an epoch where the value goes.
    await expect(study.report(number, 0.7897, 3)).rejects.toMatchObject({
      code: 'REPORT_INVALID',
      message:
        "study.report(number, step, value): step must be a non-negative integer (an epoch, an iteration) up to 2^53 − 1; found 0.7897 (the step comes first, then the value: study.report(number, step, value), unlike Optuna's report(value, step)).",
    });
    await expect(study.report(number, 1, Number.NaN)).rejects.toMatchObject({
      message: 'study.report(number, step, value): value must be a finite number; found NaN at step 1.',
    });
  });

  // Trial 140: a lost trial could only be failed OBJECTIVE_THREW (an Error's own code kept in its details), which
  // used up the enqueued entry it took and counted as a failure at its params, though enqueue's docs said a trial
  // told INTERRUPTED gives its entry back.
  it('records a trial told a ParzenError INTERRUPTED as cut short: its enqueued entry is handed out again', async () => {
    const study = await Study.open({ space: { x: uniform(-1, 1), y: uniform(-1, 1) }, suggester: prior });
    await study.enqueue({ x: 0.25 });
    const lost = await study.ask(); // takes the entry; its worker never answers
    expect(lost.params.x).toBe(0.25);
    const told = await study.tell(lost.number, new ParzenError('INTERRUPTED', 'the service restarted'));
    expect(told).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED', message: 'the service restarted' } });
    const again = await study.ask();
    expect(again.params.x).toBe(0.25);
    // Another Error keeps failing the trial as the objective's (its own code in the details).
    const failed = await study.tell(again.number, Object.assign(new Error('diverged'), { code: 'INTERRUPTED' }));
    expect(failed).toMatchObject({ error: { code: 'OBJECTIVE_THREW', details: { errorCode: 'INTERRUPTED' } } });
    expect((await study.ask()).params.x).not.toBe(0.25);
  });

  // Trial 149: an Error told was stored as where the objective threw (`thrownAt`), though a service that makes
  // `new Error(message)` for a worker's failure gives its own frames: the trial list said "(at <service line>)".
  it('keeps the message and class of an Error told, marked told, its place as where the Error was created', async () => {
    const study = await Study.open({ space: { x: uniform(-1, 1) }, suggester: prior });
    class WorkerError extends Error {
      override name = 'WorkerError';
    }
    const fromWorker = (reply: { readonly message: string }): Error => new WorkerError(reply.message);
    const failed = await study.tell((await study.ask()).number, fromWorker({ message: 'CUDA out of memory' }));
    expect(failed.state).toBe('failed');
    const error = failed.state === 'failed' ? failed.error : undefined;
    expect(error).toMatchObject({
      code: 'OBJECTIVE_THREW',
      message: 'CUDA out of memory',
      details: {
        errorName: 'WorkerError',
        told: true,
        // The place under the word a thrown error's has (it was `createdAt`, elsewhere an ISO time).
        thrownAt: expect.stringMatching(/study\.test\.ts:\d+:\d+$/),
        stack: expect.stringMatching(/^WorkerError: CUDA out of memory\n/),
      },
    });
    expect(error?.details).not.toHaveProperty('createdAt');
    expect(failureNote(error?.details)).toMatch(
      /^ \(WorkerError passed to tell\(\), created at .*study\.test\.ts:\d+:\d+\)$/,
    );
  });

  // Trial 140: a tell from another process completed a trial whose ask was still deciding its params: stored with no
  // params, it was the study's best ({ params: {} }), and the ask failed with TRIAL_ALREADY_FINISHED.
  it('refuses a loss or a prune for a trial whose params another process is still deciding', async () => {
    const { store, telling, trial } = await refusedWhileDeciding('two', { x: uniform(-1, 1) });
    // One a crash left without params can still be failed.
    expect((await store.createTrial('two'))?.number).toBe(1);
    await expect(telling.tell(1, 0.25)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(await telling.tell(1, new ParzenError('INTERRUPTED', 'lost'))).toMatchObject({ state: 'failed' });
    expect(await telling.best()).toMatchObject({ number: 0, params: trial.params });
  });

  // Review 145: the refusal above looked for no params at all, but a trial that took an enqueued entry holds the
  // entry's params from its creation: one naming only x was completed with no y while its ask decided y.
  it('refuses a loss for a trial that took a partial enqueued entry while another process decides the rest', async () => {
    const { trial } = await refusedWhileDeciding('entry', { x: uniform(-1, 1), y: uniform(-1, 1) }, { x: 0.25 });
    expect(trial.params).toMatchObject({ x: 0.25, y: expect.any(Number) });
  });

  // Review 145: a loss told for a number the study did not have yet was not refused (no trial, so no check), and a
  // trial another process's ask created after the look and before the finish was completed with no params.
  it('refuses a loss for a trial number the study does not have when it looks, created before the finish', async () => {
    const inner = createMemoryStore();
    const since = inner.listTrialsSince as NonNullable<TrialStore['listTrialsSince']>;
    let createAfterLook = false;
    const store: TrialStore = {
      ...inner,
      listTrialsSince: async (study, cursor) => {
        const changes = await since(study, cursor);
        // Another process's ask creates the trial right after this look.
        if (createAfterLook) await inner.createTrial(study);
        createAfterLook = false;
        return changes;
      },
    };
    const study = await Study.open({ space: { x: uniform(-1, 1) }, suggester: prior, store });
    createAfterLook = true;
    await expect(study.tell(0, 0.5)).rejects.toMatchObject({ code: 'TRIAL_NOT_FOUND' });
    createAfterLook = true;
    await expect(study.prune(1)).rejects.toMatchObject({ code: 'TRIAL_NOT_FOUND' });
    expect(await study.trials()).toMatchObject([
      { number: 0, state: 'running', internal: {} },
      { number: 1, state: 'running', internal: {} },
    ]);
  });

  it("refuses Optuna's tell(..., state=PRUNED) habit instead of completing the trial with a `state` attr", async () => {
    const study = await Study.open({ space: { x: uniform(-1, 1) }, suggester: prior });
    const trial = await study.ask();
    await expect(study.tell(trial.number, { loss: 1, state: 'pruned' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('call study.prune(number) to prune it'),
    });
    expect((await study.trials())[0]?.state).toBe('running'); // nothing recorded; the trial can still be told
    expect(await study.prune(trial.number)).toMatchObject({ state: 'pruned' });
  });
});

describe('Study: mistakes from JavaScript are ParzenErrors that say what was expected', () => {
  it('tell and enqueue describe a BigInt instead of throwing a TypeError from describing it', async () => {
    const study = await Study.open({ space: { x: uniform(0, 1) }, suggester: prior });
    const trial = await study.ask();
    await expect(study.tell(trial.number, 5n as never)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      // Told by hand: the message says so, not "the objective returned".
      message: expect.stringContaining('study.tell(0, …) was given the BigInt 5n'),
    });
    await expect(study.enqueue({ x: 1n } as never)).rejects.toMatchObject({
      code: 'PARAMS_INVALID',
      message: expect.stringContaining('/x: expected a number from 0 to 1, found the BigInt 1n'),
    });
  });

  it('tell refuses a result that is no loss, or attrs that are not JSON, and leaves the trial to be told again (trial 38)', async () => {
    const study = await Study.open({ space: { x: uniform(0, 1) }, suggester: prior });
    const trial = await study.ask();
    await expect(
      study.tell(trial.number, { loss: 0.3, attrs: { finishedAt: new Date(0), model: 'a' } }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/\/attrs\/finishedAt is a Date .*trial #0 is still running; tell it again/),
    });
    // Nothing is kept, so the message does not say the loss is (trial 45: it said both).
    await expect(study.tell(trial.number, { loss: 0.3, attrs: { when: new Date(0) } })).rejects.toMatchObject({
      message: expect.not.stringContaining('is kept in the failed trial'),
    });
    await expect(study.tell(trial.number, { value: 0.7 } as never)).rejects.toMatchObject({
      message: expect.stringContaining('without `loss` (its keys: value)'),
    });
    expect((await study.trials())[0]?.state).toBe('running');
    expect(await study.tell(trial.number, { loss: 0.3, attrs: { model: 'a' } })).toMatchObject({ state: 'complete' });
    // Of a trial that does not exist, or has finished, it says that, not "still running" (trial 89).
    await expect(study.tell(50, 'abc' as never)).rejects.toMatchObject({ code: 'TRIAL_NOT_FOUND' });
    await expect(study.tell(trial.number, 'abc' as never)).rejects.toMatchObject({ code: 'TRIAL_ALREADY_FINISHED' });
    expect((await study.trials())[0]).toMatchObject({ state: 'complete', loss: 0.3 });
    // NaN is a value the objective produced: the trial fails, as Optuna's does.
    const next = await study.ask();
    expect(await study.tell(next.number, Number.NaN)).toMatchObject({
      state: 'failed',
      error: { code: 'OBJECTIVE_NAN' },
    });
  });

  it('types what an objective returns and what tell takes: a forgotten return or a string does not compile (trial 38)', async () => {
    const space = { x: uniform(0, 1) };
    const result = await fmin({
      space,
      suggester: prior,
      maxTrials: 2,
      // @ts-expect-error a forgotten `return`: the objective returns nothing
      objective: ({ x }) => {
        x ** 2;
      },
    });
    // At run time (JavaScript callers) each such trial fails, with what came back.
    expect(result.trials.map((trial) => (trial.state === 'failed' ? trial.error.code : trial.state))).toEqual([
      'OBJECTIVE_NOT_A_NUMBER',
      'OBJECTIVE_NOT_A_NUMBER',
    ]);
    const study = await Study.open({ space, suggester: prior });
    const trial = await study.ask();
    // @ts-expect-error a loss as a string
    await expect(study.tell(trial.number, '0.7')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    // What compiles: a number, { loss, attrs } (other fields are attrs), hyperopt's { status: 'fail' }, an Error.
    expect(await study.tell(trial.number, { loss: 0.5, epochs: 3, attrs: { model: 'a' } })).toMatchObject({
      state: 'complete',
    });
    const failing = await study.ask();
    expect(await study.tell(failing.number, { status: 'fail' })).toMatchObject({ state: 'failed' });
    // Results and attrs typed by an interface or a class compile (review 37: they did not).
    interface Metrics {
      readonly accuracy: number;
    }
    interface Scored {
      readonly loss: number;
      readonly attrs: Metrics;
    }
    class Outcome {
      constructor(readonly loss: number) {}
    }
    const scored: Scored = { loss: 0.2, attrs: { accuracy: 0.9 } };
    expect(await study.tell((await study.ask()).number, scored)).toMatchObject({ attrs: { accuracy: 0.9 } });
    expect(await study.tell((await study.ask()).number, new Outcome(0.3))).toMatchObject({ loss: 0.3 });
  });

  it('tell, report and prune refuse a trial number that is not one, before the store sees it (trial 38)', async () => {
    const study = await Study.open({ space: { x: uniform(0, 1) }, suggester: prior });
    const trial = await study.ask();
    await expect(study.tell('0' as never, 0.1)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: 'study.tell: expected a trial number (an integer ≥ 0), found "0".',
    });
    await expect(study.tell(trial as never, 0.1)).rejects.toMatchObject({
      message: expect.stringContaining("pass the trial's number: study.tell(trial.number, …)."),
    });
    await expect(study.report(-1, 0, 0.5)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(study.prune(0.5)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect((await study.trials())[0]?.state).toBe('running');
  });

  it('enqueue checks its options (a key given as a bare string was ignored, and the params queued)', async () => {
    const study = await Study.open({ space: { x: uniform(0, 1) }, suggester: prior });
    await expect(study.enqueue({ x: 0.5 }, 'first' as never)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: 'Invalid study.enqueue options:\n  /: expected an options object ({ key }), found "first"',
    });
    await expect(study.enqueue({ x: 0.5 }, { Key: 'first' } as never)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining(
        '/Key: expected one of key, found an unknown option `Key` (did you mean `key`?)',
      ),
    });
    await expect(study.enqueue({ x: 0.5 }, { key: 7 } as never)).rejects.toMatchObject({
      message: expect.stringContaining('/key: expected a string, found 7'),
    });
    expect(await study.enqueue({ x: 0.5 }, { key: 'first' })).toBe(true);
    expect((await study.ask()).params).toEqual({ x: 0.5 }); // only the one that was meant was queued
    expect((await study.ask()).params).not.toEqual({ x: 0.5 });
  });

  it('ask stops waiting for a suggester that never answers when its signal aborts; the trial is failed, the next ask works', async () => {
    let hang = true;
    let asked = 0;
    const hung: Suggester = {
      name: 'hung',
      beginTrial: (context) => {
        asked++;
        return hang ? new Promise(() => {}) : prior.beginTrial(context);
      },
    };
    const study = await Study.open({ space: { x: uniform(0, 1) }, suggester: hung });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 20);
    await expect(study.ask({ signal: stop.signal })).rejects.toMatchObject({
      code: 'INTERRUPTED',
      message: 'study.ask was stopped before its params were decided.',
    });
    // Recorded before the rejection (trial 171: still running right after it, failed half a second later).
    expect((await study.trials())[0]).toMatchObject({
      number: 0,
      state: 'failed',
      error: {
        code: 'INTERRUPTED',
        message: expect.stringContaining("while the suggester decided trial #0's params"),
      },
    });
    // Already aborted: no trial is made and the suggester is not asked.
    await expect(study.ask({ signal: stop.signal })).rejects.toMatchObject({
      code: 'INTERRUPTED',
      message: expect.stringContaining('already aborted'),
    });
    expect(asked).toBe(1);
    expect(await study.trials()).toHaveLength(1);
    hang = false;
    const next = await study.ask({ signal: new AbortController().signal });
    expect(next.number).toBe(1);
    await expect(study.ask({ signal: 'stop' } as never)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('/signal: expected an AbortSignal'),
    });
  });

  it('ask with a signal settles when it aborts while waiting its turn behind an ask that never answers (review 95)', async () => {
    let calls = 0;
    const hungFirst: Suggester = {
      name: 'hung-first',
      beginTrial: (context) => (++calls === 1 ? new Promise(() => {}) : prior.beginTrial(context)),
    };
    const store = createMemoryStore();
    const study = await Study.open({ space: { x: uniform(0, 1) }, suggester: hungFirst, store, name: 'waits' });
    void study.ask(); // #0: its suggester never answers
    const stop = new AbortController();
    setTimeout(() => stop.abort('the simulator shut down'), 20);
    await expect(study.ask({ signal: stop.signal })).rejects.toMatchObject({
      code: 'INTERRUPTED',
      message: 'study.ask was stopped before its params were decided: the simulator shut down.',
    });
    // Its trial is failed already, though its turn never came (trial 171).
    // Read from the store: the study's own listing waits its turn behind #0 too.
    expect((await store.listTrials('waits')).find((trial) => trial.number === 1)).toMatchObject({
      state: 'failed',
      error: { code: 'INTERRUPTED', message: "study.ask was stopped before trial #1's params were decided." },
    });
  });

  it('ask: twelve concurrent asks on one signal make Node warn of no listener leak (review 96)', async () => {
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(warning.name);
    process.on('warning', listen);
    try {
      const study = await Study.open({ space: { x: uniform(0, 1) }, suggester: prior });
      const { signal } = new AbortController();
      const asked = await Promise.all(Array.from({ length: 12 }, () => study.ask({ signal })));
      expect(asked.map((trial) => trial.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', listen);
    }
  });

  it('ask: a suggester that answers after the abort leaves the trial failed, without params (review 95)', async () => {
    const { suggester: late, gate } = gated('late');
    const study = await Study.open({ space: { x: uniform(0, 1) }, suggester: late });
    const stop = new AbortController();
    const asked = study.ask({ signal: stop.signal });
    await vi.waitFor(() => expect(gate.answer).toBeDefined());
    stop.abort();
    await expect(asked).rejects.toMatchObject({ code: 'INTERRUPTED' });
    expect((await study.trials())[0]).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED' } });
    gate.answer?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [trial] = await study.trials();
    expect(trial).toMatchObject({ number: 0, state: 'failed', error: { code: 'INTERRUPTED' } });
    expect(trial?.internal).toEqual({});
  });
});

describe('Study.optimize', () => {
  it('runs the objective on the same study that asks and tells, typed by its space, and resumes', async () => {
    const store = createMemoryStore();
    const space = { x: uniform(-2, 2), kind: choice(['a', 'b']) };
    const open = () => Study.open({ name: 'typed', space, suggester: prior, seed: 2, store });
    const study = await open();
    const asked = await study.ask();
    // Typed: `x` is a number and `kind` is 'a' | 'b' without casts.
    const x: number = asked.params.x;
    const kind: 'a' | 'b' = asked.params.kind;
    await study.tell(asked.number, x ** 2 + (kind === 'a' ? 0 : 1));
    const seen: string[] = [];
    const events: string[] = [];
    const again = await Study.open({
      name: 'typed',
      space,
      suggester: prior,
      seed: 2,
      store,
      onEvent: (e) => events.push(e.type),
    });
    const result = await again.optimize({
      objective: (params) => {
        seen.push(params.kind);
        return params.x ** 2 + (params.kind === 'a' ? 0 : 1);
      },
      maxTrials: 12,
    });
    expect(result.trials).toHaveLength(12);
    expect(seen).toHaveLength(11);
    expect(result.reason).toBe('max-trials');
    const best = await again.best();
    expect(best).toEqual(result.best);
    expect(best?.params.x).toBeGreaterThanOrEqual(-2);
    expect(['a', 'b']).toContain(best?.params.kind);
    expect(events).toContain('trial.finished');
    const withObjective = await Study.open({
      name: 'typed',
      space,
      suggester: prior,
      store,
      objective: ({ x: v }) => v,
    });
    const stopped = await withObjective.optimize({ maxTrials: 100, stopWhen: ({ trials }) => trials.length >= 15 });
    await expect((await open()).optimize({ maxTrials: 20 })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(stopped).toMatchObject({ reason: 'stopper' });
    expect(stopped.trials).toHaveLength(15);
  });
});

describe('a study resumed from code with no seed or another one', () => {
  const space = { x: uniform(-2, 2), kind: choice(['a', 'b']) };
  /** Asks and tells trials of study `resumed` in `store` up to `count`; each asked trial's params. */
  const askUpTo = async (study: Study<typeof space>, count: number) => {
    const params: unknown[] = [];
    for (let n = (await study.trials()).length; n < count; n++) {
      const trial = await study.ask();
      params.push(trial.params);
      await study.tell(trial.number, trial.params.x ** 2);
    }
    return params;
  };
  const open = (store: TrialStore, seed: number | undefined, warnings: string[]) =>
    Study.open({ name: 'resumed', space, suggester: prior, store, seed, onWarning: (m) => warnings.push(m) });

  it("goes on with the study's own seed when none is given, without a word", async () => {
    const unbroken = await askUpTo(await open(createMemoryStore(), 7, []), 6);
    const store = createMemoryStore();
    const warnings: string[] = [];
    const before = await askUpTo(await open(store, 7, warnings), 3);
    const after = await askUpTo(await open(store, undefined, warnings), 6);
    expect([...before, ...after]).toEqual(unbroken);
    expect(warnings).toEqual([]);
  });

  it('warns at the open, as a run does, when given another seed (ask/tell got no word), and once', async () => {
    const store = createMemoryStore();
    await askUpTo(await open(store, 7, []), 3);
    const warnings: string[] = [];
    const other = await open(store, 8, warnings);
    expect(warnings).toEqual([
      'study resumed was started with seed 7; it is resumed with seed 8, so its trials draw from other random ' +
        'streams than the earlier ones (give seed 7, or no seed, to continue them).',
    ]);
    await askUpTo(other, 4);
    await other.optimize({ objective: ({ x }) => x, maxTrials: 5 });
    expect(warnings).toHaveLength(1);
  });
});

describe('a study reopened in code with another space or direction', () => {
  it('is refused in words for the call, which has options and no config', async () => {
    const store = createMemoryStore();
    await Study.open({ name: 'svm', space: { x: uniform(-2, 2) }, suggester: prior, store });
    const reopened = Study.open({
      name: 'svm',
      space: { x: uniform(-3, 2), z: uniform(0, 1) },
      suggester: prior,
      store,
    });
    await expect(reopened).rejects.toMatchObject({
      code: 'STUDY_MISMATCH',
      message: expect.stringContaining(
        '/space/x/low: -2 in the store, -3 in the options; `z` is new in the options ({"high":1,"low":0,"type":"uniform"}).',
      ),
      issues: [
        { pointer: '/space/x/low', expected: '-2', found: '-3' },
        { pointer: '/space/z', expected: expect.any(String), found: expect.any(String) },
      ],
    });
    const maximized = Study.open({
      name: 'svm',
      space: { x: uniform(-2, 2) },
      suggester: prior,
      store,
      direction: 'maximize',
    });
    await expect(maximized).rejects.toMatchObject({
      code: 'STUDY_MISMATCH',
      message:
        'Study `svm` in the store is a minimize study; the options ask for maximize. Use another study name or another store.',
    });
    const messages = await Promise.all([reopened, maximized].map((opening) => opening.catch((e: Error) => e.message)));
    for (const message of messages) expect(message).not.toMatch(/config|this run/);
  });
});

describe("the objective's seed (context.seed; trial 157: a module objective could not seed its training)", () => {
  it('differs across trials and study seeds, and is the same for the same trial on resume and rerun', async () => {
    const space = { x: uniform(0, 1) };
    /** Runs trials of study `name` in `store` up to `maxTrials` with `seed`: each trial's number and context.seed. */
    const seeds = async (store: TrialStore, seed: number, maxTrials: number) => {
      const seen = new Map<number, number>();
      const study = await Study.open({ name: 'seeded', space, suggester: prior, seed, store });
      await study.optimize({
        objective: ({ x }, context) => {
          seen.set(context.trialNumber, context.seed);
          return x;
        },
        maxTrials,
      });
      return seen;
    };
    const first = await seeds(createMemoryStore(), 1, 6);
    const values = [...first.values()];
    expect(values).toHaveLength(6);
    expect(new Set(values).size).toBe(6);
    for (const value of values) {
      expect(Number.isInteger(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(2 ** 32);
    }
    // The same trial under another study seed: another value.
    const other = await seeds(createMemoryStore(), 2, 6);
    for (const [number, value] of other) expect(value).not.toBe(first.get(number));
    // A rerun with the same seed: the same values; a resumed study's new trials: the values a whole run gave them.
    expect(await seeds(createMemoryStore(), 1, 6)).toEqual(first);
    const store = createMemoryStore();
    const before = await seeds(store, 1, 3);
    const after = await seeds(store, 1, 6);
    expect(new Map([...before, ...after])).toEqual(first);
    expect([...after.keys()]).toEqual([3, 4, 5]);
    // The one rule, exported for code that reproduces a trial by hand.
    expect(first.get(4)).toBe(objectiveSeed(1, 4));
  });
});

describe('fmin', () => {
  it('says once that a synchronous objective runs its trials one at a time under concurrency (trial 76: in silence)', async () => {
    const space = { x: uniform(0, 1) };
    const said = async (objective: (p: { x: number }) => number | Promise<number>, concurrency: number) => {
      const warnings: string[] = [];
      await fmin({
        space,
        suggester: prior,
        maxTrials: 6,
        seed: 1,
        concurrency,
        objective,
        onWarning: (m) => warnings.push(m),
      });
      return warnings.filter((m) => m.includes('returned its loss synchronously'));
    };
    expect(await said(({ x }) => x, 4)).toEqual([
      expect.stringMatching(
        /^the objective returned its loss synchronously \(not a promise\), so its trials run one at a time although concurrency is 4.*from code: `objective: await createModuleObjective\(\{ path \}\)`/,
      ),
    ]);
    expect(await said(async ({ x }) => x, 4)).toEqual([]);
    expect(await said(({ x }) => x, 1)).toEqual([]);
    // Some answers synchronous (from a cache), the rest promises: the trials do overlap (review 84).
    let calls = 0;
    expect(await said(({ x }) => (calls++ % 2 === 0 ? x : Promise.resolve(x)), 4)).toEqual([]);
  });

  it("gives stopWhen the trials' params as the objective saw them (a choice by its value), besides their internal values", async () => {
    const space = { x: uniform(0, 1), model: choice(['svm', 'tree', null]) };
    const seen: unknown[] = [];
    const result = await fmin({
      space,
      suggester: prior,
      maxTrials: 30,
      seed: 3,
      objective: ({ x, model }) => x + (model === 'tree' ? 0 : 1),
      stopWhen: ({ trial, trials, best }) => {
        seen.push(trial.params.model);
        expect(trials.every((t) => t.state === 'running' || 'x' in t.params)).toBe(true);
        expect(trials.at(-1)?.params).toEqual(trial.params);
        expect(typeof trial.internal.model).toBe('number');
        return best !== undefined && best.params.model === 'tree' && best.loss < 0.5 ? 'a good tree' : undefined;
      },
    });
    expect(seen.every((m) => m === 'svm' || m === 'tree' || m === null)).toBe(true);
    expect(seen).toContain('tree');
    expect(result).toMatchObject({ reason: 'stopper', stopMessage: 'a good tree' });
    expect(result.best?.params.model).toBe('tree');
  });

  it('returns the best params as the objective saw them, its loss and all trials', async () => {
    const space = { lr: loguniform(1e-4, 1), model: choice([option('deep', { layers: uniform(1, 8) }), 'shallow']) };
    const result = await fmin({
      space,
      suggester: prior,
      maxTrials: 40,
      seed: 4,
      objective: (params) => Math.abs(Math.log10(params.lr) + 2) + (params.model === 'deep' ? 0 : 1),
    });
    expect(result.trials).toHaveLength(40);
    const losses = result.trials.map((trial) => (trial.state === 'complete' ? trial.loss : Infinity));
    expect(result.best?.loss).toBe(Math.min(...losses));
    expect(result.best?.params.lr).toBeGreaterThanOrEqual(1e-4);
    expect(['deep', 'shallow']).toContain(result.best?.params.model);
  });
});

describe('cancelling a run from code (signal, gracePeriodMs)', () => {
  const space = { x: uniform(0, 1) };
  /** An objective that does what the docs ask: it stops when its context's signal aborts. */
  const listening = (_params: unknown, context: { signal: AbortSignal }) =>
    new Promise<number>((_resolve, reject) =>
      context.signal.addEventListener('abort', () => reject(context.signal.reason), { once: true }),
    );
  /**
   * A signal that aborts `ms` after the run's first trial began (`wrap` its objective): a timer from the
   * test's start flaked under load, when the run had not begun a trial by then.
   */
  const abortAfter = (ms: number, reason?: unknown) => {
    const controller = new AbortController();
    let armed = false;
    return {
      signal: controller.signal,
      wrap:
        <A extends unknown[], R>(objective: (...args: A) => R) =>
        (...args: A): R => {
          if (!armed) {
            armed = true;
            setTimeout(() => controller.abort(reason), ms);
          }
          return objective(...args);
        },
    };
  };

  it('interrupts the running trial once the grace period is over, and tells it through context.signal', async () => {
    let told = false;
    const started = Date.now();
    const stop = abortAfter(30);
    const result = await fmin({
      space,
      suggester: prior,
      signal: stop.signal,
      gracePeriodMs: 50,
      objective: stop.wrap((params: unknown, context: { signal: AbortSignal }) => {
        context.signal.addEventListener('abort', () => {
          told = true;
        });
        return listening(params, context);
      }),
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.reason).toBe('interrupted');
    expect(told).toBe(true);
    expect(result.trials.map((trial) => [trial.state, trial.state === 'failed' ? trial.error.code : ''])).toEqual([
      ['failed', 'INTERRUPTED'],
    ]);
  });

  it("forceSignal ends the grace period at once, as the CLI's second Ctrl-C (fmin and optimize)", async () => {
    const started = Date.now();
    const stop = abortAfter(20);
    const force = abortAfter(60);
    const forced = await fmin({
      space,
      suggester: prior,
      signal: stop.signal,
      gracePeriodMs: 60_000,
      forceSignal: force.signal,
      objective: stop.wrap(force.wrap(listening)),
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(forced.reason).toBe('interrupted');
    expect(forced.trials.map((trial) => (trial.state === 'failed' ? trial.error.code : trial.state))).toEqual([
      'INTERRUPTED',
    ]);
    // Alone, it stops the run too.
    const study = await Study.open({ space, suggester: prior });
    const alone = abortAfter(20);
    const result = await study.optimize({ objective: alone.wrap(listening), forceSignal: alone.signal, maxTrials: 5 });
    expect(result.reason).toBe('interrupted');
    expect(result.trials.map((trial) => (trial.state === 'failed' ? trial.error.code : trial.state))).toEqual([
      'INTERRUPTED',
    ]);
  });

  it('abandons an objective that never settles, and lets one that ends within the grace period finish', async () => {
    const stop = abortAfter(20);
    const never = await fmin({
      space,
      suggester: prior,
      signal: stop.signal,
      gracePeriodMs: 0,
      objective: stop.wrap(() => new Promise<number>(() => {})),
    });
    expect(never.trials.map((trial) => trial.state)).toEqual(['failed']);
    const later = abortAfter(20);
    const finishing = await fmin({
      space,
      suggester: prior,
      signal: later.signal,
      gracePeriodMs: 5000,
      objective: later.wrap(
        ({ x }: { x: number }) => new Promise<number>((resolve) => setTimeout(() => resolve(x), 80)),
      ),
    });
    expect(finishing.reason).toBe('interrupted');
    expect(finishing.trials.map((trial) => trial.state)).toEqual(['complete']);
  });

  it("says the caller's abort reason in the interrupted trial's message (trial 38)", async () => {
    const cancelled = abortAfter(20, new Error('user cancelled'));
    const result = await fmin({
      space,
      suggester: prior,
      signal: cancelled.signal,
      gracePeriodMs: 0,
      objective: cancelled.wrap(listening),
    });
    expect(result.trials[0]).toMatchObject({
      state: 'failed',
      error: { code: 'INTERRUPTED', message: 'The run was interrupted (user cancelled) while this trial was running.' },
    });
    const stop = abortAfter(20);
    const plain = await fmin({
      space,
      suggester: prior,
      signal: stop.signal,
      gracePeriodMs: 0,
      objective: stop.wrap(listening),
    });
    expect(plain.trials[0]).toMatchObject({
      error: { message: 'The run was interrupted while this trial was running.' },
    });
  });

  it('refuses a negative grace period with the option named', async () => {
    await expect(
      fmin({ space, suggester: prior, maxTrials: 1, gracePeriodMs: -1, objective: () => 1 }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [expect.objectContaining({ pointer: '/gracePeriodMs' })],
    });
  });
});

/** Runs `body` with stderr captured (nothing printed); resolves to what was written. */
const capturingStderr = async (body: () => Promise<void>): Promise<string[]> => {
  const written: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await body();
  } finally {
    spy.mockRestore();
  }
  return written;
};

describe('a run whose every trial failed (trial 94: fmin resolved with best undefined, not a word)', () => {
  it("names the place of code with no file (new Function, node -e), never Parzen's own file (trial 171)", async () => {
    const warnings: string[] = [];
    const generated = new Function('params', 'throw new TypeError("from generated code")') as () => number;
    const result = await fmin({
      space: { x: uniform(0, 1) },
      suggester: prior,
      objective: generated,
      maxTrials: 1,
      onWarning: (message) => warnings.push(message),
    });
    const failed = result.trials[0];
    const at = failed?.state === 'failed' ? failed.error.details?.thrownAt : undefined;
    expect(at).toMatch(/^<anonymous>:\d+:\d+ \(eval at \S+study\.test\.ts:\d+:\d+\)$/);
    expect(warnings[0]).toContain(`(TypeError at ${String(at)})`);
    expect(warnings[0]).not.toContain('function-objective');
  });

  it('warns, naming the first failure; not when a trial of the run worked, nor for an interrupted run', async () => {
    const warnings: string[] = [];
    const onWarning = (message: string) => warnings.push(message);
    const space = { x: uniform(0, 1) };
    const failing = await fmin({
      space,
      suggester: prior,
      objective: () => {
        throw new Error('no data\nat line 2');
      },
      maxTrials: 3,
      onWarning,
    });
    expect(failing.best).toBeUndefined();
    // Where it was thrown, as the stop message says it (trial 99: the warning did not).
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^every trial of study fmin in this run failed \(the first to fail, #0: OBJECTIVE_THREW no data \(at \S+study\.test\.ts:\d+:\d+\)\), so there is no best trial; each trial's error is in `trials`\.$/,
    );
    warnings.length = 0;
    let calls = 0;
    const once = await fmin({
      space,
      suggester: prior,
      objective: ({ x }) => {
        calls += 1;
        if (calls > 1) throw new Error('later');
        return x;
      },
      maxTrials: 3,
      onWarning,
    });
    expect(once.best?.number).toBe(0);
    const stopped = new AbortController();
    stopped.abort();
    await fmin({ space, suggester: prior, objective: () => 1, maxTrials: 3, signal: stopped.signal, onWarning });
    expect(warnings.filter((line) => line.startsWith('every trial'))).toEqual([]);
    // A resumed study keeps its best from earlier runs: no "no best trial" then (review 98).
    const store = createMemoryStore();
    const study = await Study.open({ name: 'kept', space, suggester: prior, store, onWarning });
    await study.optimize({ objective: () => 0.5, maxTrials: 2 });
    const later = await study.optimize({
      objective: () => {
        throw new Error('broken \u001b[2J');
      },
      maxTrials: 4,
    });
    expect(later.best?.loss).toBe(0.5);
    expect(warnings.at(-1)).toMatch(
      /^every trial of study kept in this run failed \(the first to fail, #2: OBJECTIVE_THREW broken \\u001b\[2J \(at \S+:\d+:\d+\)\); each trial's error is in `trials`\.$/,
    );
  });

  it('a run that evaluates none, in a study every trial of which failed, says the study has no successful trial', async () => {
    const warnings: string[] = [];
    const space = { x: uniform(0, 1) };
    const study = await Study.open({
      name: 'broken',
      space,
      suggester: prior,
      store: createMemoryStore(),
      onWarning: (message) => warnings.push(message),
    });
    const objective = () => {
      throw new Error('no data');
    };
    await study.optimize({ objective, maxTrials: 2 });
    warnings.length = 0;
    const again = await study.optimize({ objective, maxTrials: 2 });
    expect(again.best).toBeUndefined();
    expect(warnings.at(-1)).toMatch(
      /^study broken has no successful trial: its 2 trials, all from earlier runs: every one failed \(the first to fail, #0: OBJECTIVE_THREW no data \(at \S+:\d+:\d+\)\) and this run evaluated none \(the study had its trials already\), so there is no best trial; each trial's error is in `trials`\.$/,
    );
  });

  it('a run that evaluates none judges the study by the trials its objective ran: those cut short are not failures (review 149)', async () => {
    const warnings: string[] = [];
    const study = await Study.open({
      name: 'cut',
      space: { x: uniform(0, 1) },
      suggester: prior,
      store: createMemoryStore(),
      onWarning: (message) => warnings.push(message),
    });
    const objective = () => {
      throw new Error('no data');
    };
    await study.tell((await study.ask()).number, new ParzenError('INTERRUPTED', 'stopped'));
    await study.optimize({ objective: () => 1, maxTrials: 1 });
    expect(warnings.filter((warning) => warning.includes('no successful trial'))).toEqual([]);
    // With a trial that failed beside it, said, the one cut short told apart.
    await study.optimize({ objective, maxTrials: 2 });
    warnings.length = 0;
    await study.optimize({ objective, maxTrials: 2 });
    expect(warnings.at(-1)).toMatch(
      /^study cut has no successful trial: its 2 trials, all from earlier runs: every one failed or was cut short \(1 by a stopped run or a lost worker, not by the objective\) \(the first to fail, #1: OBJECTIVE_THREW no data /,
    );
  });
});

describe('onWarning (trial 38: warnings could only go to stderr)', () => {
  it('takes the warnings of Study.open, ask/tell listeners, reports and optimize, and fmin; nothing on stderr', async () => {
    const spy = vi.spyOn(process.stderr, 'write');
    try {
      const warnings: string[] = [];
      const onWarning = (message: string) => warnings.push(message);
      const store = createMemoryStore();
      await Study.open({ space: { x: uniform(0, 1) }, suggester: prior, store, name: 's' });
      const random = { ...prior, name: 'other' };
      const study = await Study.open({
        space: { x: uniform(0, 1) },
        suggester: random,
        store,
        name: 's',
        onWarning,
        onEvent: () => {
          throw new Error('listener bug');
        },
      });
      const trial = await study.ask();
      await study.report(trial.number, 0, 1);
      await study.report(trial.number, 0, 2);
      await study.tell(trial.number, 1);
      await study.optimize({
        objective: () => 1,
        maxTrials: 2,
        reporters: [
          {
            name: 'r',
            onEvent: () => {
              throw new Error('reporter bug');
            },
          },
        ],
      });
      await fmin({
        space: { x: uniform(0, 1) },
        suggester: prior,
        maxTrials: 1,
        objective: () => 1,
        onWarning,
        reporters: [
          {
            name: 'f',
            onEvent: () => {
              throw new Error('fmin reporter bug');
            },
          },
        ],
      });
      expect(warnings.join('\n')).toMatch(/created with suggester `prior`; this run uses `other`/);
      expect(warnings.join('\n')).toMatch(/listener bug/);
      expect(warnings.join('\n')).toMatch(/step 0 was reported before/);
      expect(warnings.join('\n')).toMatch(/reporter bug/);
      expect(warnings.join('\n')).toMatch(/fmin reporter bug/);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it("warns of a q parameter whose grid passes a bound, as a config's run notes it: fmin and Study.open", async () => {
    const space = {
      batch: { type: 'qloguniform', low: 16, high: 512, q: 100 },
      model: choice([option('a', { w: { type: 'quniform', low: 110, high: 560, q: 100 } }), 'b']),
      x: uniform(0, 1),
    } as const;
    const said = [
      'study s: /space/batch: qloguniform can give 0, below low (16): its values are multiples of q (100), counted from 0 as in hyperopt, and a draw rounds to the nearest one, which may lie up to q/2 past a bound. To keep values within [16, 512], raise low to at least q/2 (50), or use a q that both bounds are multiples of (16).',
      expect.stringMatching(
        /^study s: \/space\/model\/options\/0\/space\/w: quniform can give 100, below low \(110\), and 600, above high \(560\)/,
      ),
    ];
    const opened: string[] = [];
    await Study.open({ name: 's', space, suggester: prior, onWarning: (line) => opened.push(line) });
    expect(opened).toEqual(said);
    const ran: string[] = [];
    await fmin({ name: 's', space, suggester: prior, objective: () => 1, maxTrials: 1, onWarning: (m) => ran.push(m) });
    expect(ran).toEqual(said);
    // A grid within its bounds: no word.
    const quiet: string[] = [];
    await Study.open({
      space: { n: { type: 'quniform', low: 100, high: 500, q: 100 } },
      suggester: prior,
      onWarning: (m) => quiet.push(m),
    });
    expect(quiet).toEqual([]);
  });

  it('falls back to stderr when onWarning throws, and the call that warned still records its trial (review 38)', async () => {
    const written = await capturingStderr(async () => {
      const study = await Study.open({
        space: { x: uniform(0, 1) },
        suggester: prior,
        onWarning: () => {
          throw new Error('logger down');
        },
      });
      const trial = await study.ask();
      await study.report(trial.number, 0, 1);
      await study.report(trial.number, 0, 2);
      expect((await study.tell(trial.number, 1)).state).toBe('complete');
    });
    expect(written.join('')).toMatch(/step 0 was reported before .*\(onWarning threw: logger down\)/);
  });
});

describe('a throwing onEvent with ask and tell', () => {
  it('is cut off with one warning; ask and tell resolve with what they stored', async () => {
    const written = await capturingStderr(async () => {
      let calls = 0;
      const study = await Study.open({
        space: { x: uniform(0, 1) },
        suggester: prior,
        onEvent: (event) => {
          calls++;
          if (event.type === 'trial.started') throw new Error('onEvent bug');
        },
      });
      const first = await study.ask();
      const second = await study.ask();
      expect([first.number, second.number]).toEqual([0, 1]);
      await study.tell(first.number, 1);
      expect((await study.trials()).map((trial) => trial.state)).toEqual(['complete', 'running']);
      expect(calls).toBe(1);
    });
    expect(written).toEqual([
      'parzen: warning: reporter `study` threw in onEvent, so it gets no more events (the study goes on): onEvent bug\n',
    ]);
  });
});

describe('onEvent with ask and tell gets frozen copies', () => {
  it("a listener setting an event's params changes neither what ask returns nor the stored trial", async () => {
    // Sets `x` on every object of the event; Reflect.set returns false on a frozen one instead of throwing.
    const setEveryX = (value: unknown): boolean => {
      if (typeof value !== 'object' || value === null) return true;
      const set = !('x' in value) || Reflect.set(value, 'x', 99);
      return Object.values(value).every(setEveryX) && set && !Object.isFrozen(value);
    };
    const changed: boolean[] = [];
    const study = await Study.open({
      space: { x: uniform(0, 1) },
      suggester: prior,
      onEvent: (event) => void changed.push(setEveryX(event)),
    });
    const trial = await study.ask();
    expect(trial.params.x).toBeLessThan(1);
    await study.tell(trial.number, 0.5);
    const [stored] = await study.trials();
    expect(stored?.params).toEqual(trial.params);
    expect(changed).toEqual(changed.map(() => false));
    expect(changed.length).toBeGreaterThanOrEqual(2);
  });
});

describe('a throwing onEvent within optimize', () => {
  it('is cut off by the run as any reporter is: the other reporters hear plugin.failed', async () => {
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const heard: string[] = [];
      const study = await Study.open({
        space: { x: uniform(0, 1) },
        suggester: prior,
        objective: ({ x }) => x,
        onEvent: (event) => {
          if (event.type === 'trial.finished') throw new Error('listener bug');
        },
      });
      const result = await study.optimize({
        maxTrials: 3,
        reporters: [{ name: 'other', onEvent: (event) => heard.push(event.type) }],
      });
      expect(result.trials).toHaveLength(3);
      expect(heard).toContain('plugin.failed');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('an async reporter or onEvent that rejects (trial 54)', () => {
  it('is cut off with plugin.failed as a throw is; the running trials are not touched', async () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const heard: string[] = [];
    const warned: string[] = [];
    const result = await fmin({
      space: { x: uniform(0, 1) },
      suggester: prior,
      maxTrials: 6,
      concurrency: 2,
      objective: async ({ x }) => {
        await sleep(20);
        return x;
      },
      onWarning: (message) => warned.push(message),
      reporters: [
        {
          name: 'webhook',
          onEvent: async (event) => {
            if (event.type === 'trial.finished' && event.trial.number === 1) {
              await sleep(1);
              throw new Error('webhook failed');
            }
          },
        },
        { name: 'watch', onEvent: (event) => void heard.push(event.type) },
      ],
    });
    expect(result.trials.map((trial) => trial.state)).toEqual(Array(6).fill('complete'));
    expect(heard.filter((type) => type === 'plugin.failed')).toHaveLength(1);
    // Said once, as the reporter's failure (trial 127: said whether or not another reporter gets the event), not
    // as a stray error outside a call.
    expect(warned).toEqual([
      'reporter `webhook` threw in onEvent, so it gets no more events (the study goes on): webhook failed',
    ]);
    // The ask/tell study's own listener, the same way: a warning, and the study goes on.
    const study = await Study.open({
      space: { x: uniform(0, 1) },
      suggester: prior,
      onWarning: (message) => warned.push(message),
      onEvent: async () => {
        throw new Error('listener down');
      },
    });
    const trial = await study.ask();
    await study.tell(trial.number, 1);
    await sleep(5);
    expect(warned.at(-1)).toBe(
      'reporter `study` threw in onEvent, so it gets no more events (the study goes on): listener down',
    );
    // Cut off in one run, it stays off: no events of the next run, nor of ask and tell (trial 73: it got them).
    let calls = 0;
    const once = await Study.open({
      space: { x: uniform(0, 1) },
      suggester: prior,
      onWarning: (message) => warned.push(message),
      onEvent: () => {
        calls++;
        if (calls === 1) throw new Error('once');
      },
    });
    await once.optimize({ objective: ({ x }) => x, maxTrials: 2 });
    expect(calls).toBe(1);
    await once.optimize({ objective: ({ x }) => x, budget: { moreTrials: 2 } });
    const late = await once.ask();
    await once.tell(late.number, 1);
    expect(calls).toBe(1);
    expect(warned.filter((message) => message.endsWith(': once'))).toHaveLength(1);
  });
});

describe('a run that starts with its study at its limit (trial 54)', () => {
  it('says so through onWarning: a second unnamed fmin on the same store resumes the first study and runs nothing', async () => {
    const store = createMemoryStore();
    const warned: string[] = [];
    const space = { lr: uniform(0, 1) };
    const first = await fmin({ space, store, suggester: prior, maxTrials: 4, objective: ({ lr }) => (lr - 0.2) ** 2 });
    expect(first.trials).toHaveLength(4);
    const second = await fmin({
      space,
      store,
      suggester: prior,
      maxTrials: 4,
      objective: ({ lr }) => (lr - 0.8) ** 2,
      onWarning: (message) => warned.push(message),
    });
    expect(second.trials).toHaveLength(4);
    expect(warned).toEqual([
      "study fmin already has 4 trials, its limit of 4: this run evaluates none and returns the study's results so far. Give the study another name (a study of the same name in the store is resumed) or budget.moreTrials to run more.",
    ]);
    // An async onWarning that rejects: said on stderr as a throwing one is (review 56: it went unhandled).
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await fmin({
        space,
        store,
        suggester: prior,
        maxTrials: 4,
        objective: ({ lr }) => lr,
        onWarning: async () => {
          throw new Error('webhook down');
        },
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(spy.mock.calls.map(([text]) => String(text)).join('')).toContain('(onWarning threw: webhook down)');
    } finally {
      spy.mockRestore();
    }
    warned.length = 0;
    await fmin({
      space,
      store,
      suggester: prior,
      budget: { moreTrials: 1 },
      objective: ({ lr }) => lr,
      onWarning: (message) => warned.push(message),
    });
    expect(warned).toEqual([]);
  });
});

describe('tell and prune of a trial that optimize is evaluating', () => {
  it('are refused with TRIAL_IN_RUN; the run records its own result', async () => {
    const study = await Study.open({
      space: { x: uniform(0, 1) },
      suggester: prior,
      seed: 1,
      objective: async ({ x }) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return x;
      },
    });
    const run = study.optimize({ maxTrials: 2 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await expect(study.tell(0, 123)).rejects.toMatchObject({
      code: 'TRIAL_IN_RUN',
      message: expect.stringContaining('trial #0 is being evaluated by a run (optimize, fmin or a worker)'),
    });
    await expect(study.prune(0)).rejects.toMatchObject({ code: 'TRIAL_IN_RUN' });
    const result = await run;
    expect(result.trials.map((trial) => [trial.number, trial.state])).toEqual([
      [0, 'complete'],
      [1, 'complete'],
    ]);
    expect(result.trials[0]?.state === 'complete' && result.trials[0].loss).not.toBe(123);
    // A trial asked here is still told here while a run goes on.
    const asked = await study.ask();
    const other = study.optimize({ maxTrials: 4 });
    expect((await study.tell(asked.number, 0.5)).state).toBe('complete');
    await other;
  });
});

describe('tell of a trial that a worker of another process is evaluating', () => {
  it('is refused while the worker holds its lease, and allowed once the lease lapsed (a dead worker)', async () => {
    const store = createMemoryStore();
    const study = await Study.open({ space: { x: uniform(0, 1) }, suggester: prior, store });
    const lease = (ms: number) => ({ owner: 'other-host:42:w', expiresAt: new Date(Date.now() + ms).toISOString() });
    const held = await store.createTrial('study', { lease: lease(60_000) });
    await store.setParams('study', held?.number as number, { x: 0.5 });
    await expect(study.tell(held?.number as number, 1)).rejects.toMatchObject({ code: 'TRIAL_IN_RUN' });
    const lapsed = await store.createTrial('study', { lease: lease(-1000) });
    await store.setParams('study', lapsed?.number as number, { x: 0.25 });
    expect((await study.tell(lapsed?.number as number, 2)).state).toBe('complete');
    // A dead worker of this host (kill -9), its lease not yet lapsed: nothing will record it, so tell may.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const orphan = await store.createTrial('study', {
      lease: { owner: `${hostname()}:${dead.stdout}:w`, expiresAt: new Date(Date.now() + 60_000).toISOString() },
    });
    await store.setParams('study', orphan?.number as number, { x: 0.75 });
    expect((await study.tell(orphan?.number as number, 3)).state).toBe('complete');
  });

  // Review 145: told INTERRUPTED, a trial whose lease lapsed on another host gave back the enqueued entry it took,
  // though its worker may still finish it (its result is then kept as a new trial): the entry ran twice, which the
  // stale-trial rule (STALE_TRIAL, lease 'lapsed') keeps from happening.
  it('told INTERRUPTED once its lease lapsed on another host, is recorded as the stale-trial rule does', async () => {
    const store = createMemoryStore();
    const study = await Study.open({ space: { x: uniform(0, 1) }, suggester: prior, store });
    await study.enqueue({ x: 0.25 });
    const owner = 'other-host:42:w';
    const lapsed = await store.createTrial('study', {
      lease: { owner, expiresAt: new Date(Date.now() - 1000).toISOString() },
    });
    expect(lapsed?.internal).toEqual({ x: 0.25 });
    const told = await study.tell(lapsed?.number as number, new ParzenError('INTERRUPTED', 'lost'));
    expect(told).toMatchObject({
      state: 'failed',
      error: { code: 'STALE_TRIAL', details: { worker: owner, lease: 'lapsed' } },
    });
    expect((await study.ask()).params.x).not.toBe(0.25);
    // An asked trial (no lease) told INTERRUPTED still gives its entry back.
    await study.enqueue({ x: 0.5 });
    const asked = await study.ask();
    expect(asked.params.x).toBe(0.5);
    expect(await study.tell(asked.number, new ParzenError('INTERRUPTED', 'lost'))).toMatchObject({
      error: { code: 'INTERRUPTED' },
    });
    expect((await study.ask()).params.x).toBe(0.5);
  });
});

describe('the best trial', () => {
  it("carries the objective's attrs in fmin, optimize and study.best() (trial 30: only `parzen best --json` had them)", async () => {
    const space = { x: uniform(0, 1) };
    const objective = ({ x }: { x: number }) => ({ loss: x, attrs: { accuracy: 1 - x } });
    const result = await fmin({ space, objective, suggester: prior, maxTrials: 5, seed: 2 });
    expect(result.best?.attrs).toEqual({ accuracy: 1 - (result.best?.loss as number) });
    const store = createMemoryStore();
    const study = await Study.open({ space, suggester: prior, objective, store });
    const optimized = await study.optimize({ maxTrials: 3 });
    expect(optimized.best?.attrs).toEqual({ accuracy: 1 - (optimized.best?.loss as number) });
    expect((await study.best())?.attrs).toEqual(optimized.best?.attrs);
    // A trial without attrs has none.
    const plain = await fmin({ space, objective: ({ x }) => x, suggester: prior, maxTrials: 2 });
    expect(plain.best).not.toHaveProperty('attrs');
  });
});
