import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFunctionObjective } from '../builtins/function-objective.js';
import type { EvaluationContext, ObjectiveAdapter } from '../contracts/objective.js';
import {
  ABORT_SETTLE_MS,
  awaitOwnResult,
  evaluateTrial,
  PROCESS_HELD_LAG_MS,
  SET_UP_BOUND_MS,
  type SettleClock,
} from './evaluate-trial.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An objective that sets up for `setUpMs` through `context.setUp`, then computes for `computeMs`. */
const settingUp = (setUpMs: number, computeMs: number, seen: EvaluationContext[] = []): ObjectiveAdapter => ({
  name: 'setting-up',
  async evaluate(_params, context) {
    seen.push(context);
    await context.setUp?.(sleep(setUpMs));
    await sleep(computeMs);
    return { status: 'ok', loss: 1 };
  },
});

describe("evaluateTrial's set-up (context.setUp)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("leaves a set-up out of the trial's time limit", async () => {
    const result = await evaluateTrial(settingUp(300, 50), {}, { trialNumber: 0, seed: 1, timeoutMs: 150 });
    expect(result).toEqual({ status: 'ok', loss: 1 });
  });

  it('counts the computation before and after a set-up against the limit', async () => {
    const objective: ObjectiveAdapter = {
      name: 'both-sides',
      async evaluate(_params, context) {
        await sleep(100);
        await context.setUp?.(sleep(200));
        await sleep(100);
        return { status: 'ok', loss: 1 };
      },
    };
    // 200 ms of computation under a 150 ms limit: timed out, though neither side alone passes it.
    const setBy = { timeoutSetBy: 'trialTimeoutSeconds: 0.15' };
    expect(await evaluateTrial(objective, {}, { trialNumber: 0, seed: 1, timeoutMs: 150, ...setBy })).toMatchObject({
      status: 'failed',
      // In seconds, naming the option that set the limit (review 156: "took longer than 150 ms").
      error: {
        code: 'TIMEOUT',
        message: 'The objective ran past its time limit of 0.15 s (`trialTimeoutSeconds: 0.15`).',
      },
    });
  });

  it('still times out a computation past the limit after a set-up', async () => {
    expect(await evaluateTrial(settingUp(50, 400), {}, { trialNumber: 0, seed: 1, timeoutMs: 150 })).toMatchObject({
      error: { code: 'TIMEOUT' },
    });
  });

  it('bounds a set-up by the limit or 60 s, whichever is longer, and aborts the signal', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const seen: EvaluationContext[] = [];
    const objective: ObjectiveAdapter = {
      name: 'never-loads',
      async evaluate(_params, context) {
        seen.push(context);
        await context.setUp?.(new Promise(() => {}));
        return { status: 'ok', loss: 1 };
      },
    };
    const result = evaluateTrial(objective, {}, { trialNumber: 0, seed: 1, timeoutMs: 100 });
    await vi.advanceTimersByTimeAsync(SET_UP_BOUND_MS - 1);
    expect(seen[0]?.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toMatchObject({
      status: 'failed',
      error: {
        code: 'TIMEOUT',
        message:
          "The objective's set-up took longer than 60 s: it is not counted in the trial's time limit (0.1 s), and is bounded by that limit or 60 s, whichever is longer.",
      },
    });
    expect(seen[0]?.signal.aborted).toBe(true);
  });

  it('gives a limit longer than 60 s to a set-up as its bound', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const objective: ObjectiveAdapter = {
      name: 'never-loads',
      async evaluate(_params, context) {
        await context.setUp?.(new Promise(() => {}), 'loading data');
        return { status: 'ok', loss: 1 };
      },
    };
    let settled = false;
    const result = evaluateTrial(objective, {}, { trialNumber: 0, seed: 1, timeoutMs: 90_000 });
    void result.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(89_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toMatchObject({
      error: { code: 'TIMEOUT', message: expect.stringMatching(/^Loading data took longer than 90 s: .*\(90 s\)/) },
    });
  });

  it("leaves a set-up the adapter bounds itself (bounded: a module's loadTimeoutSeconds) to that bound, pausing the limit", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const objective: ObjectiveAdapter = {
      name: 'slow-load',
      async evaluate(_params, context) {
        // A 90 s load, past the engine's 60 s: the adapter's bound, not the engine's, ends it.
        await context.setUp?.(new Promise((resolve) => setTimeout(resolve, 90_000)), 'loading', { bounded: true });
        return { status: 'ok', loss: 1 };
      },
    };
    const result = evaluateTrial(objective, {}, { trialNumber: 0, seed: 1, timeoutMs: 100 });
    await vi.advanceTimersByTimeAsync(90_000);
    expect(await result).toEqual({ status: 'ok', loss: 1 });
  });

  it('leaves a set-up out of the overran warning (review 85)', async () => {
    const overran: number[] = [];
    const result = await evaluateTrial(
      settingUp(400, 10),
      {},
      { trialNumber: 0, seed: 1, timeoutMs: 150, onOverran: (ms) => overran.push(ms) },
    );
    expect(result).toEqual({ status: 'ok', loss: 1 });
    expect(overran).toEqual([]);
  });

  it('starts no clock when a set-up ends after its evaluation did (review 85)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let finish: () => void = () => {};
    const objective: ObjectiveAdapter = {
      name: 'left-behind',
      async evaluate(_params, context) {
        // A set-up left running: the evaluation returns before it ends.
        void context.setUp?.(new Promise<void>((resolve) => (finish = resolve)));
        return { status: 'ok', loss: 1 };
      },
    };
    expect(await evaluateTrial(objective, {}, { trialNumber: 0, seed: 1, timeoutMs: 100 })).toEqual({
      status: 'ok',
      loss: 1,
    });
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives an objective function no setUp: it belongs to adapters', async () => {
    const seen: object[] = [];
    const objective = createFunctionObjective((_params, context) => {
      seen.push(context);
      return 1;
    });
    expect(await evaluateTrial(objective, {}, { trialNumber: 0, seed: 99, timeoutMs: 100 })).toMatchObject({
      status: 'ok',
    });
    expect(seen[0]).not.toHaveProperty('setUp');
    expect(Object.keys(seen[0] ?? {}).sort()).toEqual(['report', 'seed', 'shouldPrune', 'signal', 'trialNumber']);
    // The seed the run derived for the trial (trial 157: an objective had none to seed its own randomness).
    expect(seen[0]).toMatchObject({ seed: 99 });
  });

  it('passes a set-up through without a limit, and an interruption stops it', async () => {
    const interrupt = new AbortController();
    const seen: EvaluationContext[] = [];
    const result = evaluateTrial(
      settingUp(1000, 0, seen),
      {},
      { trialNumber: 0, seed: 1, interrupt: interrupt.signal },
    );
    await sleep(20);
    interrupt.abort();
    expect(await result).toMatchObject({ error: { code: 'INTERRUPTED' } });
    expect(seen[0]?.signal.aborted).toBe(true);
  });
});

describe("evaluateTrial: an adapter's own account of a stopped trial (settlesOnAbort)", () => {
  /** An adapter that, once its signal aborts, returns a failure with details after `settleMs`. */
  const settling = (settleMs: number, flag: boolean): ObjectiveAdapter => ({
    name: 'settling',
    ...(flag ? { settlesOnAbort: true } : {}),
    evaluate: (_params, context) =>
      new Promise((resolve) => {
        context.signal.addEventListener('abort', () =>
          setTimeout(
            () =>
              resolve({
                status: 'failed',
                error: { code: 'INTERRUPTED', message: 'prog was stopped.', details: { stderrTail: 'working...' } },
              }),
            settleMs,
          ),
        );
      }),
  });

  it("keeps the adapter's details and message in the engine's TIMEOUT and INTERRUPTED (trial 130)", async () => {
    const timedOut = await evaluateTrial(settling(20, true), {}, { trialNumber: 0, seed: 1, timeoutMs: 50 });
    expect(timedOut).toEqual({
      status: 'failed',
      error: {
        code: 'TIMEOUT',
        message: 'The objective ran past its time limit of 0.05 s. prog was stopped.',
        details: { stderrTail: 'working...' },
      },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const interrupted = await evaluateTrial(
      settling(20, true),
      {},
      { trialNumber: 0, seed: 1, interrupt: controller.signal },
    );
    expect(interrupted.status === 'failed' && interrupted.error).toMatchObject({
      code: 'INTERRUPTED',
      message: 'The run was interrupted while this trial was running. prog was stopped.',
      details: { stderrTail: 'working...' },
    });
  });

  it('waits no more than a second for it, and not at all for an adapter that does not settle on abort', async () => {
    let started = performance.now();
    const plain = await evaluateTrial(settling(500, false), {}, { trialNumber: 0, seed: 1, timeoutMs: 50 });
    expect(plain).toEqual({
      status: 'failed',
      error: { code: 'TIMEOUT', message: 'The objective ran past its time limit of 0.05 s.' },
    });
    expect(performance.now() - started).toBeLessThan(400);
    started = performance.now();
    const slow = await evaluateTrial(settling(5000, true), {}, { trialNumber: 0, seed: 1, timeoutMs: 50 });
    expect(slow).toEqual(plain);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  // Trial 153: a command program given time to save a checkpoint after SIGTERM ends later than that second.
  it("waits its abortGraceMs longer for the adapter's account", async () => {
    const graced = { ...settling(1300, true), abortGraceMs: 1000 };
    const started = performance.now();
    const result = await evaluateTrial(graced, {}, { trialNumber: 0, seed: 1, timeoutMs: 50 });
    expect(result.status === 'failed' && result.error).toMatchObject({
      code: 'TIMEOUT',
      message: 'The objective ran past its time limit of 0.05 s. prog was stopped.',
      details: { stderrTail: 'working...' },
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(1300);
  });
});

describe("evaluateTrial: an adapter's own result is not lost to the wait's timer", () => {
  // The program's answer arrives while this process is held past the whole wait (a CPU-starved machine): when
  // it runs again, the wait's timer and the answer (read after the timers, as a child's exit is) come in one turn.
  it('keeps a result that arrived while this process was held past the wait', async () => {
    const held = new Int32Array(new SharedArrayBuffer(4));
    const adapter: ObjectiveAdapter = {
      name: 'held',
      settlesOnAbort: true,
      evaluate: (_params, context) =>
        new Promise((resolve) => {
          context.signal.addEventListener('abort', () =>
            // Once the engine's wait has begun: the answer arrives, and the process is held until the wait is over.
            setTimeout(() => {
              setTimeout(
                () =>
                  setImmediate(() =>
                    resolve({
                      status: 'failed',
                      error: { code: 'INTERRUPTED', message: 'prog was stopped.', details: { stderrTail: 'saved' } },
                    }),
                  ),
                10,
              );
              Atomics.wait(held, 0, 0, ABORT_SETTLE_MS + 4 * PROCESS_HELD_LAG_MS);
            }, 0),
          );
        }),
    };
    const controller = new AbortController();
    const result = evaluateTrial(adapter, {}, { trialNumber: 0, seed: 1, interrupt: controller.signal });
    controller.abort();
    expect((await result).status === 'failed' && (await result)).toMatchObject({
      error: {
        code: 'INTERRUPTED',
        message: 'The run was interrupted while this trial was running. prog was stopped.',
        details: { stderrTail: 'saved' },
      },
    });
  });
});

describe('awaitOwnResult', () => {
  /** A clock whose timers fire when the test says, at the time it sets. */
  const manualClock = (onTurn: () => void = () => {}) => {
    const timers: { ms: number; fire: () => void }[] = [];
    const state = { now: 0 };
    const clock: SettleClock = {
      now: () => state.now,
      sleep: (ms) => {
        let fire = () => {};
        const done = new Promise<void>((resolve) => {
          fire = resolve;
        });
        timers.push({ ms, fire });
        return { done, cancel: () => {} };
      },
      turn: () => {
        onTurn();
        return new Promise((resolve) => setImmediate(resolve));
      },
    };
    return { clock, timers, state };
  };
  const settleMicrotasks = () => new Promise((resolve) => setImmediate(resolve));
  const deferred = <T>() => {
    let resolve: (value: T) => void = () => {};
    const promise = new Promise<T>((done) => {
      resolve = done;
    });
    return { promise, resolve };
  };

  it('counts the wait from the deadline it is given (the stop), not from its call', async () => {
    const work = deferred<string>();
    const { clock, timers, state } = manualClock();
    state.now = 300;
    const waiting = awaitOwnResult(work.promise, 1000, 1000, clock);
    await settleMicrotasks();
    expect(timers.map(({ ms }) => ms)).toEqual([700]);
    work.resolve('answer');
    expect(await waiting).toBe('answer');
  });

  it('keeps a result that settles in the turn its timer fires', async () => {
    const work = deferred<string>();
    const { clock, timers, state } = manualClock(() => work.resolve('answer'));
    const waiting = awaitOwnResult(work.promise, 1000, 1000, clock);
    await settleMicrotasks();
    state.now = 1000;
    timers[0]?.fire();
    expect(await waiting).toBe('answer');
  });

  it('gives up after that turn when its timer fired on time', async () => {
    const work = deferred<string>();
    const { clock, timers, state } = manualClock();
    const waiting = awaitOwnResult(work.promise, 1000, 1000, clock);
    await settleMicrotasks();
    state.now = 1000 + PROCESS_HELD_LAG_MS;
    timers[0]?.fire();
    expect(await waiting).toBeUndefined();
    expect(timers.map(({ ms }) => ms)).toEqual([1000]);
  });

  it('waits as long again as its timer was late (this process was held), from when it ran again, up to the limit', async () => {
    const work = deferred<string>();
    const { clock, timers, state } = manualClock();
    const waiting = awaitOwnResult(work.promise, 1000, 1000, clock);
    await settleMicrotasks();
    state.now = 1800;
    timers[0]?.fire();
    await settleMicrotasks();
    expect(timers.map(({ ms }) => ms)).toEqual([1000, 800]);
    state.now = 1900;
    work.resolve('answer');
    expect(await waiting).toBe('answer');

    const never = deferred<string>();
    const long = manualClock();
    const given = awaitOwnResult(never.promise, 1000, 1000, long.clock);
    await settleMicrotasks();
    long.state.now = 6000;
    long.timers[0]?.fire();
    await settleMicrotasks();
    long.state.now = 7000 + 2 * PROCESS_HELD_LAG_MS;
    long.timers[1]?.fire();
    expect(await given).toBeUndefined();
    // Held twice: the second hold gets nothing more, the limit (1000) spent.
    expect(long.timers.map(({ ms }) => ms)).toEqual([1000, 1000]);
  });

  it('credits a hold that came before the wait began', async () => {
    const work = deferred<string>();
    const { clock, timers, state } = manualClock();
    state.now = 1500;
    const waiting = awaitOwnResult(work.promise, 1000, 1000, clock);
    await settleMicrotasks();
    expect(timers.map(({ ms }) => ms)).toEqual([500]);
    work.resolve('answer');
    expect(await waiting).toBe('answer');
  });
});
