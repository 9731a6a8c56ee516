import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../builtins/memory-store.js';
import type { TrialStore } from '../contracts/store.js';
import type { StudySpec } from '../domain/study.js';
import type { FinishedTrial } from '../domain/trial.js';
import { StudyMirror, type TrialViews } from './study-mirror.js';

const spec: StudySpec = {
  name: 'mirror',
  direction: 'minimize',
  seed: 1,
  space: { x: { type: 'uniform', low: 0, high: 1 } },
};

/** The memory store, counting full listings; `incremental: false` hides `listTrialsSince`. */
const countingStore = async (incremental: boolean) => {
  const inner = createMemoryStore();
  await inner.openStudy(spec);
  const calls = { full: 0, since: 0 };
  const { listTrialsSince, ...rest } = inner;
  const listTrials = (study: string) => {
    calls.full++;
    return inner.listTrials(study);
  };
  const store: TrialStore = incremental
    ? {
        ...rest,
        listTrials,
        listTrialsSince: (study: string, cursor?: string) => {
          calls.since++;
          return (listTrialsSince as NonNullable<TrialStore['listTrialsSince']>)(study, cursor);
        },
      }
    : { ...rest, listTrials };
  return { store, calls };
};

const shape = (views: TrialViews) => ({
  history: views.history.map((trial) => [trial.number, trial.state]),
  running: views.running.map((trial) => trial.number),
});

describe.each([true, false])('StudyMirror (store lists changes: %s)', (incremental) => {
  it('shows finished trials in number order, however they finished, and running ones without the asked one', async () => {
    const { store, calls } = await countingStore(incremental);
    const mirror = new StudyMirror(store, spec.name, 0);
    for (let i = 0; i < 4; i++) await store.createTrial(spec.name);
    await store.finishTrial(spec.name, 2, { state: 'complete', loss: 2 });
    expect(await mirror.whileStable(3, async (views) => shape(views))).toEqual({
      history: [[2, 'complete']],
      running: [0, 1],
    });
    await store.finishTrial(spec.name, 0, { state: 'failed', error: { code: 'X', message: 'x' } });
    await store.finishTrial(spec.name, 3, { state: 'complete', loss: 3 });
    await store.createTrial(spec.name);
    expect(await mirror.whileStable(4, async (views) => shape(views))).toEqual({
      history: [
        [0, 'failed'],
        [2, 'complete'],
        [3, 'complete'],
      ],
      running: [1],
    });
    // A changes-listing store is never listed in full; the others are listed once per refresh.
    expect(calls).toEqual(incremental ? { full: 0, since: 2 } : { full: 2, since: 0 });
  });

  it("undoes a suggester's changes to the history it was shown: later suggestions see it in number order (trial 45)", async () => {
    const { store } = await countingStore(incremental);
    const mirror = new StudyMirror(store, spec.name, 0);
    for (let i = 0; i < 3; i++) {
      await store.createTrial(spec.name);
      await store.finishTrial(spec.name, i, { state: 'complete', loss: i });
    }
    await store.createTrial(spec.name);
    // Sorted in place (here newest first), as a suggester that ranks by loss might; it sees its own order meanwhile.
    const seen = await mirror.whileStable(3, async (views) => {
      (views.history as FinishedTrial[]).sort((a, b) => b.number - a.number);
      return views.history.map((trial) => trial.number);
    });
    expect(seen).toEqual([2, 1, 0]);
    const inOrder = [
      [0, 'complete'],
      [1, 'complete'],
      [2, 'complete'],
    ];
    expect((await mirror.whileStable(3, async (views) => shape(views))).history).toEqual(inOrder);
    // One replaced in place is put back (review 48: the order check alone missed it).
    await mirror.whileStable(3, async (views) => {
      const history = views.history as FinishedTrial[];
      history[1] = { ...(history[1] as FinishedTrial), loss: -999 } as FinishedTrial;
    });
    expect(
      await mirror.whileStable(3, async (views) => views.history.map((t) => (t.state === 'complete' ? t.loss : 0))),
    ).toEqual([0, 1, 2]);
    // One taken out is put back too, and trials finished later still go in their place.
    await mirror.whileStable(3, async (views) => (views.history as FinishedTrial[]).splice(1, 1));
    await store.finishTrial(spec.name, 3, { state: 'complete', loss: 3 });
    expect((await mirror.whileStable(9, async (views) => shape(views))).history).toEqual([...inOrder, [3, 'complete']]);
  });

  it('keeps the views unchanged while a task runs: the next refresh waits for it', async () => {
    const { store } = await countingStore(incremental);
    const mirror = new StudyMirror(store, spec.name, 0);
    await store.createTrial(spec.name);
    await store.createTrial(spec.name);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started: () => void = () => {};
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const first = mirror.whileStable(1, async (views) => {
      const before = shape(views);
      started();
      await gate; // meanwhile trial 0 finishes and a second task asks for a refresh
      return { before, after: shape(views) };
    });
    await running;
    await store.finishTrial(spec.name, 0, { state: 'complete', loss: 1 });
    const second = mirror.whileStable(1, async (views) => shape(views));
    release();
    const { before, after } = await first;
    expect(after).toEqual(before);
    expect(before).toEqual({ history: [], running: [0] });
    expect(await second).toEqual({ history: [[0, 'complete']], running: [] });
  });

  it('lets a failed task pass: the next one still runs', async () => {
    const { store } = await countingStore(incremental);
    const mirror = new StudyMirror(store, spec.name, 0);
    await expect(mirror.whileStable(0, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await mirror.whileStable(0, async (views) => views.history.length)).toBe(0);
  });
});

describe("StudyMirror and trials other processes are deciding (trial 51: workers repeated each other's trials)", () => {
  const decide = (store: TrialStore, number: number, x: number) => store.setParams(spec.name, number, { x } as never);

  it("waits for the params of another process's trial numbered but not decided yet, then shows them", async () => {
    const { store } = await countingStore(true);
    const mirror = new StudyMirror(store, spec.name);
    await store.createTrial(spec.name); // another process's, deciding
    const mine = await store.createTrial(spec.name);
    setTimeout(() => void decide(store, 0, 0.25), 40);
    const started = Date.now();
    const seen = await mirror.whileStable(mine?.number ?? 1, async (views) =>
      views.running.map((trial) => trial.internal),
    );
    expect(seen).toEqual([{ x: 0.25 }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
  });

  it("never waits for this process's own undecided trials, and gives up on another's once, after its wait", async () => {
    const { store } = await countingStore(true);
    const mirror = new StudyMirror(store, spec.name, 300);
    const own = (await store.createTrial(spec.name))?.number ?? 0;
    mirror.undecided(own); // queued behind this suggestion in this process: waiting for it would stall
    const mine = (await store.createTrial(spec.name))?.number ?? 1;
    const timed = async (number: number) => {
      const started = Date.now();
      const running = await mirror.whileStable(number, async (views) => views.running.map((trial) => trial.number));
      return { running, ms: Date.now() - started };
    };
    const alone = await timed(mine);
    expect(alone).toMatchObject({ running: [own] });
    expect(alone.ms).toBeLessThan(250);
    mirror.decided(own);
    await decide(store, own, 0.5);
    await decide(store, mine, 0.6);
    const gone = (await store.createTrial(spec.name))?.number ?? 2; // a worker gone mid-decision: never decided
    const next = (await store.createTrial(spec.name))?.number ?? 3;
    const first = await timed(next);
    expect(first.running).toEqual([own, mine, gone]);
    expect(first.ms).toBeGreaterThanOrEqual(250);
    expect((await timed(next)).ms).toBeLessThan(250);
  });

  it('of two processes deciding at once, the later-numbered waits for the other, never both for each other (review 53)', async () => {
    const { store } = await countingStore(true);
    const [a, b] = [new StudyMirror(store, spec.name), new StudyMirror(store, spec.name)];
    const first = (await store.createTrial(spec.name))?.number ?? 0;
    const second = (await store.createTrial(spec.name))?.number ?? 1;
    a.undecided(first);
    b.undecided(second);
    // Each decides in its turn and stores its params there, as askTrial does.
    const decideIn = (mirror: StudyMirror, number: number, x: number) =>
      mirror.whileStable(number, async (views) => {
        await decide(store, number, x);
        return views.running.map((trial) => ({ number: trial.number, internal: trial.internal }));
      });
    const started = Date.now();
    const [seenByB, seenByA] = await Promise.all([decideIn(b, second, 0.2), decideIn(a, first, 0.1)]);
    expect(Date.now() - started).toBeLessThan(500);
    expect(seenByB).toEqual([{ number: first, internal: { x: 0.1 } }]);
    expect(seenByA).toEqual([{ number: second, internal: {} }]);
  });
});
