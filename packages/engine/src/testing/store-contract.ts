import { describe, expect, it } from 'vitest';
import type { TrialStore } from '../contracts/store.js';
import { leftOutRepeats } from '../domain/repeated-trials.js';
import type { StudySpec } from '../domain/study.js';

/** How {@link describeStoreContract} exercises a store. */
export interface StoreContractOptions {
  /** A fresh, empty store for one test. */
  readonly create: () => TrialStore | Promise<TrialStore>;
  /** For persistent stores: a second store over the same data as `store` (same file, same database). */
  readonly reopen?: (store: TrialStore) => TrialStore | Promise<TrialStore>;
  /**
   * Optional methods the store leaves out (their tests are not run). Every built-in store has them all;
   * a third-party store without them cannot prune, enqueue or import, and without `listTrialsSince` the
   * run loop lists the whole study before each suggestion.
   */
  readonly without?: readonly (
    | 'reportIntermediate'
    | 'enqueue'
    | 'addTrials'
    | 'listTrialsSince'
    | 'listEnqueued'
    | 'listTakenEntries'
    | 'removeEnqueued'
    | 'deleteStudy'
    | 'listRemovedEntries'
    // Stores written before `addTrials` took `refuseRepeats`, which ignore it: an import's repeat check then runs
    // outside the store's lock, so two imports of one file at once may both add it.
    | 'refuseRepeats'
    // Stores whose `addTrials` does not honour `skipRepeats` (no `skipRepeats: true` on the store): an import that
    // skips repeats then compares the rows with the study as read before the add, and warns that it is not atomic.
    | 'skipRepeats'
  )[];
  /**
   * Whether the store keeps the Parzen version a study was created by (`StudySpec.parzenVersion`), as every
   * built-in store does: then it must give it back. A store that keeps none passes (its studies' version is
   * "unknown", and a run by another version cannot say so); one that gives a version must give the creator's.
   */
  readonly keepsParzenVersion?: boolean;
}

/** What a store's `addTrials` must do with `refuseRepeats`, said when its tests fail (trial 127: nothing said the fix). */
const REFUSE =
  "with refuseRepeats, addTrials refuses a batch the study has (IMPORT_REPEATED, nothing added), judged by refuseRepeatedTrials from @parzen/engine/plugin in the same locked step or transaction as the add; a store that ignores the option lists 'refuseRepeats' in `without`";

/** What a store's `addTrials` must do with `skipRepeats`, said when its tests fail. */
const SKIP =
  "with skipRepeats, addTrials leaves out the trials that repeat a finished trial the study has and adds the rest, judged by trialsToAdd from @parzen/engine/plugin in the same locked step or transaction as the add, and the store says `skipRepeats: true`; a store that does not lists 'skipRepeats' in `without`";

const spec: StudySpec = {
  name: 'contract',
  direction: 'minimize',
  seed: 7,
  space: { x: { type: 'uniform', low: 0, high: 1 } },
};
const keptSuggester = {
  name: 'tpe',
  settings: { gamma: 0.15, randint: 'ordered', explore: { trials: 0 }, constantLiar: 'worst' },
};
const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => undefined,
    (error: { code?: string }) => error.code,
  );

const must = <T>(method: T | undefined, name: string): T => {
  if (method === undefined)
    throw new Error(`The store has no \`${name}\` method (list it in \`without\` to skip its tests).`);
  return method;
};

/**
 * The numbers two handles on the same data (`create`, then `reopen`: two workers) give 20 trials asked of
 * both at once, in order; a store that numbers trials once across handles gives 0 to 19.
 */
export const numbersAcrossHandles = async (options: StoreContractOptions): Promise<number[]> => {
  if (options.reopen === undefined)
    throw new Error('numbersAcrossHandles needs `reopen`: a second handle on the data.');
  const first = await options.create();
  await first.openStudy(spec);
  const second = await options.reopen(first);
  await second.openStudy(spec);
  try {
    const trials = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? first : second).createTrial(spec.name)),
    );
    return trials.map((trial) => trial?.number ?? -1).sort((a, b) => a - b);
  } finally {
    await second.close();
    await first.close();
  }
};

/**
 * The behaviour every {@link TrialStore} must have. Call it in a vitest file:
 * `describeStoreContract('sqlite', { create: () => createSqliteStore({ path: tmp() }) })`.
 */
export const describeStoreContract = (name: string, options: StoreContractOptions): void => {
  const open = async () => {
    const store = await options.create();
    await store.openStudy(spec);
    return store;
  };
  /** `store` closed and opened again on its data, the study open, when the store can be reopened; else `store`. */
  const reopened = async (store: TrialStore): Promise<TrialStore> => {
    if (options.reopen === undefined) return store;
    await store.close();
    const again = await options.reopen(store);
    await again.openStudy(spec);
    return again;
  };

  const without = new Set(options.without ?? []);
  describe(`${name} satisfies the TrialStore contract`, () => {
    it('creates a study, then resumes it', async () => {
      const store = await options.create();
      const first = await store.openStudy(spec);
      expect(first.resumed).toBe(false);
      expect(first.study).toMatchObject(spec);
      const again = await store.openStudy(spec);
      expect(again.resumed).toBe(true);
      expect((await store.getStudy(spec.name)).direction).toBe('minimize');
      await store.close();
    });

    it("keeps the suggester a study was created with (name and settings), not a later run's", async () => {
      const store = await options.create();
      const created = await store.openStudy({ ...spec, name: 'kept', suggester: keptSuggester });
      expect(created.study.suggester).toEqual(keptSuggester);
      const later = await store.openStudy({ ...spec, name: 'kept', suggester: { name: 'random' } });
      expect(later.resumed).toBe(true);
      expect(later.study.suggester).toEqual(keptSuggester);
      expect((await store.getStudy('kept')).suggester).toEqual(keptSuggester);
      // A study opened without one (an import, an older caller) has none.
      expect((await store.openStudy({ ...spec, name: 'bare' })).study.suggester).toBeUndefined();
      if (options.reopen !== undefined) {
        const second = await options.reopen(store);
        expect((await second.getStudy('kept')).suggester).toEqual(keptSuggester);
        expect((await second.getStudy('bare')).suggester).toBeUndefined();
        await second.close();
      }
      await store.close();
    });

    it("keeps the Parzen version a study was created by, not a later run's, apart from its suggester", async () => {
      const store = await options.create();
      const kept = (study: StudySpec | undefined) => {
        expect(study?.suggester).toEqual(keptSuggester);
        if (options.keepsParzenVersion === true || study?.parzenVersion !== undefined)
          expect(study?.parzenVersion, 'the parzenVersion the study was created with').toBe('0.0.9');
      };
      const versioned = { ...spec, name: 'versioned', suggester: keptSuggester };
      kept((await store.openStudy({ ...versioned, parzenVersion: '0.0.9' })).study);
      const later = await store.openStudy({ ...versioned, parzenVersion: '9.0.0' });
      expect(later.resumed).toBe(true);
      kept(later.study);
      kept(await store.getStudy('versioned'));
      const listed = await store.listStudies?.();
      if (listed !== undefined) kept(listed.find((study) => study.name === 'versioned'));
      // A study opened without one (an import of an older export, an older caller) has none: "unknown".
      const bare = { ...spec, name: 'unversioned', suggester: keptSuggester };
      expect((await store.openStudy(bare)).study.parzenVersion).toBeUndefined();
      if (options.reopen !== undefined) {
        const second = await options.reopen(store);
        kept(await second.getStudy('versioned'));
        expect((await second.getStudy('unversioned')).parzenVersion).toBeUndefined();
        await second.close();
      }
      await store.close();
    });

    it('rejects a study with another direction or space as STUDY_MISMATCH, and unknown studies', async () => {
      const store = await open();
      expect(await codeOf(store.openStudy({ ...spec, direction: 'maximize' }))).toBe('STUDY_MISMATCH');
      expect(await codeOf(store.openStudy({ ...spec, space: { y: { type: 'uniform', low: 0, high: 2 } } }))).toBe(
        'STUDY_MISMATCH',
      );
      expect(await codeOf(store.getStudy('nope'))).toBe('STUDY_NOT_FOUND');
      await store.close();
    });

    it('allocates consecutive trial numbers, also when asked concurrently', async () => {
      const store = await open();
      const trials = await Promise.all(Array.from({ length: 20 }, () => store.createTrial(spec.name)));
      const numbers = trials.map((trial) => trial?.number).sort((a, b) => (a ?? 0) - (b ?? 0));
      expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(trials.every((trial) => trial?.state === 'running')).toBe(true);
      await store.close();
    });

    if (options.reopen !== undefined) {
      it('numbers trials once across two handles on the same data, asked at once (two workers)', async () => {
        const numbers = await numbersAcrossHandles(options);
        expect(
          numbers,
          'two handles on the same data (two worker processes) must never give out one trial number twice: ' +
            'number trials in the shared data (a transaction, a lock), not in a counter of each handle',
        ).toEqual(Array.from({ length: numbers.length }, (_, i) => i));
      });
    }

    it('refuses to create trials past the limit, atomically', async () => {
      const store = await open();
      const made = await Promise.all(Array.from({ length: 8 }, () => store.createTrial(spec.name, { limit: 5 })));
      expect(made.filter((trial) => trial !== undefined)).toHaveLength(5);
      expect(await store.createTrial(spec.name, { limit: 5 })).toBeUndefined();
      expect(await store.listTrials(spec.name)).toHaveLength(5);
      await store.close();
    });

    it('records params, leases and outcomes, and lists trials in number order', async () => {
      const store = await open();
      const lease = { owner: 'host:1:a', expiresAt: new Date(Date.now() + 60_000).toISOString() };
      for (let i = 0; i < 3; i++) await store.createTrial(spec.name, { lease });
      await store.setParams(spec.name, 0, { x: 0.25 });
      await store.setParams(spec.name, 1, { x: 0.5 });
      await store.setParams(spec.name, 2, { x: 0.75 });
      const renewed = { owner: 'host:1:a', expiresAt: new Date(Date.now() + 120_000).toISOString() };
      await store.renewLease(spec.name, 2, renewed);
      const complete = await store.finishTrial(spec.name, 0, {
        state: 'complete',
        loss: -1.5,
        attrs: { accuracy: 0.9 },
      });
      expect(complete).toMatchObject({
        state: 'complete',
        loss: -1.5,
        number: 0,
        internal: { x: 0.25 },
        attrs: { accuracy: 0.9 },
      });
      const failed = await store.finishTrial(spec.name, 1, {
        state: 'failed',
        error: { code: 'OBJECTIVE_THREW', message: 'boom', details: { exitCode: 3 } },
      });
      expect(failed).toMatchObject({
        state: 'failed',
        error: { code: 'OBJECTIVE_THREW', message: 'boom', details: { exitCode: 3 } },
      });
      const trials = await store.listTrials(spec.name);
      expect(trials.map((trial) => trial.number)).toEqual([0, 1, 2]);
      expect(trials.map((trial) => trial.state)).toEqual(['complete', 'failed', 'running']);
      const running = trials[2];
      expect(running?.state === 'running' ? running.lease : undefined).toEqual(renewed);
      expect(running?.internal).toEqual({ x: 0.75 });
      expect(typeof trials[0]?.startedAt).toBe('string');
      await store.close();
    });

    // Trial 45.
    it('keeps every finished trial and its exact loss, 0, negative, tiny and huge included', async () => {
      const store = await open();
      const losses = [0, -0, 1, -1, 5e-324, -1e308, 1e308, 0.1 + 0.2, 123456.789, -2.5e-10];
      const count = 3 * losses.length;
      for (let i = 0; i < count; i++) {
        await store.createTrial(spec.name);
        await store.setParams(spec.name, i, { x: i / count });
        const loss = losses[i % losses.length] as number;
        if (i % 3 === 2)
          await store.finishTrial(spec.name, i, {
            state: 'failed',
            error: { code: 'OBJECTIVE_THREW', message: `#${i}` },
          });
        else await store.finishTrial(spec.name, i, { state: 'complete', loss });
      }
      const trials = await store.listTrials(spec.name);
      expect(trials.map((trial) => trial.number)).toEqual(Array.from({ length: count }, (_, i) => i));
      trials.forEach((trial, i) => {
        expect(trial.internal).toEqual({ x: i / count });
        if (i % 3 === 2) expect(trial).toMatchObject({ state: 'failed', error: { message: `#${i}` } });
        else {
          expect(trial.state).toBe('complete');
          // Object.is: 0 and −0 alike count (a store may not keep the sign of zero), any other loss exactly.
          const loss = losses[i % losses.length] as number;
          const kept = trial.state === 'complete' ? trial.loss : Number.NaN;
          expect(loss === 0 ? kept === 0 : Object.is(kept, loss)).toBe(true);
        }
      });
      await store.close();
    });

    // Trial 45.
    it('keeps studies apart: each lists, numbers and finishes only its own trials', async () => {
      const store = await open();
      const other: StudySpec = { ...spec, name: 'contract-other', space: { y: { type: 'uniform', low: 0, high: 1 } } };
      await store.openStudy(other);
      for (let i = 0; i < 3; i++) await store.createTrial(spec.name);
      for (let i = 0; i < 2; i++) await store.createTrial(other.name);
      await store.setParams(spec.name, 1, { x: 0.5 });
      await store.setParams(other.name, 1, { y: 0.25 });
      await store.finishTrial(spec.name, 1, { state: 'complete', loss: 1 });
      await store.finishTrial(other.name, 1, { state: 'complete', loss: 2 });
      const mine = await store.listTrials(spec.name);
      const theirs = await store.listTrials(other.name);
      expect(mine.map((trial) => [trial.study, trial.number])).toEqual([
        [spec.name, 0],
        [spec.name, 1],
        [spec.name, 2],
      ]);
      expect(theirs.map((trial) => [trial.study, trial.number])).toEqual([
        [other.name, 0],
        [other.name, 1],
      ]);
      expect(mine[1]).toMatchObject({ state: 'complete', loss: 1, internal: { x: 0.5 } });
      expect(theirs[1]).toMatchObject({ state: 'complete', loss: 2, internal: { y: 0.25 } });
      expect((await store.getStudy(other.name)).space).toEqual(other.space);
      await store.close();
    });

    it('keeps finished trials immutable: finishing twice is TRIAL_ALREADY_FINISHED', async () => {
      const store = await open();
      await store.createTrial(spec.name);
      await store.finishTrial(spec.name, 0, { state: 'complete', loss: 1 });
      expect(await codeOf(store.finishTrial(spec.name, 0, { state: 'complete', loss: 2 }))).toBe(
        'TRIAL_ALREADY_FINISHED',
      );
      expect(await codeOf(store.setParams(spec.name, 0, { x: 0.1 }))).toBe('TRIAL_ALREADY_FINISHED');
      expect(await codeOf(store.finishTrial(spec.name, 9, { state: 'complete', loss: 2 }))).toBe('TRIAL_NOT_FOUND');
      const [trial] = await store.listTrials(spec.name);
      expect(trial).toMatchObject({ state: 'complete', loss: 1 });
      await store.close();
    });

    it('returns snapshots that later writes do not change', async () => {
      const store = await open();
      await store.createTrial(spec.name);
      const before = await store.listTrials(spec.name);
      await store.setParams(spec.name, 0, { x: 0.3 });
      await store.finishTrial(spec.name, 0, { state: 'complete', loss: 3 });
      expect(before[0]?.state).toBe('running');
      expect(before[0]?.internal).toEqual({});
      await store.close();
    });

    if (!without.has('reportIntermediate')) {
      it('keeps intermediate values of running trials in step order, the first value of a step, and finishes with them', async () => {
        const store = await open();
        const report = must(store.reportIntermediate, 'reportIntermediate').bind(store);
        await store.createTrial(spec.name);
        await store.createTrial(spec.name);
        await report(spec.name, 0, 2, 0.5);
        await report(spec.name, 0, 0, 0.9);
        await report(spec.name, 0, 1, 0.7);
        await report(spec.name, 0, 1, 0.1); // a repeated step keeps its first value
        await report(spec.name, 1, 0, 3);
        let [first, second] = await store.listTrials(spec.name);
        expect(first?.intermediate).toEqual([
          { step: 0, value: 0.9 },
          { step: 1, value: 0.7 },
          { step: 2, value: 0.5 },
        ]);
        expect(second?.intermediate).toEqual([{ step: 0, value: 3 }]);
        await store.setParams(spec.name, 0, { x: 0.2 });
        const pruned = await store.finishTrial(spec.name, 0, { state: 'pruned', loss: 0.5, attrs: { epochs: 3 } });
        expect(pruned).toMatchObject({ state: 'pruned', loss: 0.5, internal: { x: 0.2 }, attrs: { epochs: 3 } });
        expect(pruned.intermediate).toHaveLength(3);
        [first, second] = await store.listTrials(spec.name);
        expect(first).toMatchObject({ state: 'pruned', loss: 0.5, attrs: { epochs: 3 } });
        expect(first?.intermediate?.at(-1)).toEqual({ step: 2, value: 0.5 });
        expect(await codeOf(report(spec.name, 0, 3, 0.4))).toBe('TRIAL_ALREADY_FINISHED');
        expect(await codeOf(report(spec.name, 7, 0, 0.4))).toBe('TRIAL_NOT_FOUND');
        expect(second?.state).toBe('running');
        await store.close();
        if (options.reopen !== undefined) {
          const again = await options.reopen(store);
          await again.openStudy(spec);
          const [kept, running] = await again.listTrials(spec.name);
          expect(kept?.intermediate).toEqual(first?.intermediate);
          expect(kept).toMatchObject({ state: 'pruned', loss: 0.5, attrs: { epochs: 3 } });
          expect(running?.intermediate).toEqual([{ step: 0, value: 3 }]);
          await again.close();
        }
      });
    }

    if (!without.has('reportIntermediate')) {
      it('keeps listings taken between reports as they were; params set and changes listed after reports carry every value', async () => {
        const store = await open();
        const report = must(store.reportIntermediate, 'reportIntermediate').bind(store);
        await store.createTrial(spec.name);
        await report(spec.name, 0, 0, 0.9);
        const [early] = await store.listTrials(spec.name);
        const since = store.listTrialsSince?.bind(store);
        const cursor = (await since?.(spec.name))?.cursor;
        await report(spec.name, 0, 1, 0.8);
        await report(spec.name, 0, 2, 0.7);
        expect(early?.intermediate).toEqual([{ step: 0, value: 0.9 }]);
        if (since !== undefined) {
          const changed = await since(spec.name, cursor);
          expect(changed.trials.map((trial) => trial.intermediate?.length)).toEqual([3]);
        }
        await store.setParams(spec.name, 0, { x: 0.2 });
        await report(spec.name, 0, 3, 0.6);
        const [middle] = await store.listTrials(spec.name);
        expect(middle).toMatchObject({ state: 'running', internal: { x: 0.2 } });
        expect(middle?.intermediate?.map((point) => point.step)).toEqual([0, 1, 2, 3]);
        // A long loop of reports, each after the last: every value kept, in order.
        for (let step = 4; step < 200; step++) await report(spec.name, 0, step, 1 / step);
        await report(spec.name, 0, 100, 7); // a repeat: the first value stays
        const finished = await store.finishTrial(spec.name, 0, { state: 'complete', loss: 0.001 });
        expect(finished.intermediate).toHaveLength(200);
        expect(finished.intermediate?.[100]).toEqual({ step: 100, value: 1 / 100 });
        expect(finished.intermediate?.every((point, i) => point.step === i)).toBe(true);
        expect(middle?.intermediate).toHaveLength(4);
        await store.close();
      });
    }

    if (!without.has('enqueue')) {
      it('hands enqueued params to new trials, oldest first, each entry once, skipping known keys', async () => {
        const store = await open();
        const enqueue = must(store.enqueue, 'enqueue').bind(store);
        expect(await enqueue(spec.name, [{ internal: { x: 0.1 }, key: 'a' }, { internal: {} }])).toBe(2);
        expect(
          await enqueue(spec.name, [
            { internal: { x: 0.9 }, key: 'a' },
            { internal: { x: 0.3 }, key: 'b' },
          ]),
        ).toBe(1);
        const made = await Promise.all(Array.from({ length: 5 }, () => store.createTrial(spec.name)));
        const byNumber = made.sort((a, b) => (a?.number ?? 0) - (b?.number ?? 0)).map((trial) => trial?.internal);
        expect(byNumber).toEqual([{ x: 0.1 }, {}, { x: 0.3 }, {}, {}]);
        expect(await enqueue(spec.name, [{ internal: { x: 0.3 }, key: 'b' }])).toBe(0);
        expect((await store.createTrial(spec.name))?.internal).toEqual({});
        await store.close();
        if (options.reopen !== undefined) {
          const again = await options.reopen(store);
          await again.openStudy(spec);
          expect(
            await must(again.enqueue, 'enqueue').call(again, spec.name, [{ internal: { x: 0.5 }, key: 'a' }]),
          ).toBe(0);
          expect(
            await must(again.enqueue, 'enqueue').call(again, spec.name, [{ internal: { x: 0.6 }, key: 'c' }]),
          ).toBe(1);
          expect((await again.createTrial(spec.name))?.internal).toEqual({ x: 0.6 });
          expect((await again.createTrial(spec.name))?.internal).toEqual({});
          await again.close();
        }
      });
    }

    if (!without.has('enqueue') && !without.has('listEnqueued')) {
      it('lists the entries waiting, in the order they are handed out, with their keys; a given-back one first', async () => {
        const store = await open();
        const list = must(store.listEnqueued, 'listEnqueued').bind(store);
        expect(await list(spec.name)).toEqual([]);
        await must(store.enqueue, 'enqueue').call(store, spec.name, [
          { internal: { x: 0.1 }, key: 'a' },
          { internal: { x: 0.2 } },
          { internal: { x: 0.3 }, key: 'c' },
        ]);
        expect(await list(spec.name)).toEqual([
          { internal: { x: 0.1 }, key: 'a' },
          { internal: { x: 0.2 } },
          { internal: { x: 0.3 }, key: 'c' },
        ]);
        await store.createTrial(spec.name);
        await store.createTrial(spec.name);
        expect(await list(spec.name)).toEqual([{ internal: { x: 0.3 }, key: 'c' }]);
        // Its trial interrupted: the entry waits again, to be handed out before the others.
        await store.finishTrial(spec.name, 0, { state: 'failed', error: { code: 'INTERRUPTED', message: 'x' } });
        expect(await list(spec.name)).toEqual([
          { internal: { x: 0.1 }, key: 'a' },
          { internal: { x: 0.3 }, key: 'c' },
        ]);
        await store.close();
        if (options.reopen !== undefined) {
          const again = await options.reopen(store);
          await again.openStudy(spec);
          expect(await must(again.listEnqueued, 'listEnqueued').call(again, spec.name)).toEqual([
            { internal: { x: 0.1 }, key: 'a' },
            { internal: { x: 0.3 }, key: 'c' },
          ]);
          await again.close();
        }
      });
    }

    if (!without.has('enqueue') && !without.has('listTakenEntries')) {
      it('lists the entry each trial ran, with its key: none for one given back, the one it ran for an added trial', async () => {
        const store = await open();
        const taken = must(store.listTakenEntries, 'listTakenEntries').bind(store);
        expect(await taken(spec.name)).toEqual([]);
        await must(store.enqueue, 'enqueue').call(store, spec.name, [
          { internal: { x: 0.1 }, key: 'a' },
          { internal: {} },
          { internal: { x: 0.3 }, key: 'c' },
        ]);
        await store.createTrial(spec.name);
        await store.createTrial(spec.name);
        await store.setParams(spec.name, 1, { x: 0.25 });
        // Trial 0 interrupted: its entry waits again, and trial 2 takes it.
        await store.finishTrial(spec.name, 0, { state: 'failed', error: { code: 'INTERRUPTED', message: 'x' } });
        await store.createTrial(spec.name);
        const expected: unknown[] = [
          { trial: 1, internal: {} },
          { trial: 2, internal: { x: 0.1 }, key: 'a' },
        ];
        if (store.addTrials !== undefined) {
          // Added trials that ran `c` (waiting: trial 3 takes it) and `z` (never queued: trial 4's own params).
          await store.addTrials(spec.name, [
            { internal: { x: 0.3 }, outcome: { state: 'complete', loss: 1 }, key: 'c' },
            { internal: { x: 0.9 }, outcome: { state: 'complete', loss: 2 }, key: 'z' },
            { internal: { x: 0.5 }, outcome: { state: 'complete', loss: 3 } },
            // `z` known now: the first trial that ran it keeps it.
            { internal: { x: 0.8 }, outcome: { state: 'complete', loss: 4 }, key: 'z' },
            // A partial entry's trial (another store's): the entry's own values, not the trial's.
            { internal: { x: 0.6 }, outcome: { state: 'complete', loss: 5 }, key: 'p', entry: {} },
          ]);
          expected.push(
            { trial: 3, internal: { x: 0.3 }, key: 'c' },
            { trial: 4, internal: { x: 0.9 }, key: 'z' },
            { trial: 7, internal: {}, key: 'p' },
          );
        }
        expect(await taken(spec.name)).toEqual(expected);
        let current = store;
        if (options.reopen !== undefined) {
          await store.close();
          current = await options.reopen(store);
          await current.openStudy(spec);
          expect(await must(current.listTakenEntries, 'listTakenEntries').call(current, spec.name)).toEqual(expected);
        }
        await current.close();
      });
    }

    if (!without.has('enqueue')) {
      it('creates a trial onlyEnqueued from a waiting entry, and none (no number used) when no entry waits', async () => {
        const store = await open();
        const enqueue = must(store.enqueue, 'enqueue').bind(store);
        // Declared, so that a study that has ended relies on it (a store with enqueue must honour it).
        expect(store.onlyEnqueued).toBe(true);
        expect(await store.createTrial(spec.name, { onlyEnqueued: true })).toBeUndefined();
        await enqueue(spec.name, [{ internal: { x: 0.1 }, key: 'a' }, { internal: { x: 0.2 } }]);
        // Five asks at once for two entries: each entry once, and no trial without one.
        const made = await Promise.all(
          Array.from({ length: 5 }, () => store.createTrial(spec.name, { onlyEnqueued: true })),
        );
        const created = made.filter((trial) => trial !== undefined).sort((a, b) => a.number - b.number);
        expect(created.map((trial) => [trial.number, trial.internal])).toEqual([
          [0, { x: 0.1 }],
          [1, { x: 0.2 }],
        ]);
        // An entry given back (its trial interrupted) is waiting again; the limit still holds.
        await store.finishTrial(spec.name, 1, { state: 'failed', error: { code: 'INTERRUPTED', message: 'x' } });
        expect(await store.createTrial(spec.name, { onlyEnqueued: true, limit: 2 })).toBeUndefined();
        expect((await store.createTrial(spec.name, { onlyEnqueued: true }))?.internal).toEqual({ x: 0.2 });
        expect(await store.createTrial(spec.name, { onlyEnqueued: true })).toBeUndefined();
        expect((await store.createTrial(spec.name))?.number).toBe(3);
        await store.close();
      });
    }

    if (!without.has('enqueue')) {
      it('gives up, not back, the entry of a trial that ended unrun when its outcome says so (details.entrySkipped)', async () => {
        const store = await open();
        await must(store.enqueue, 'enqueue').call(store, spec.name, [
          { internal: { x: 0.1 }, key: 'a' },
          { internal: { x: 0.2 } },
        ]);
        expect((await store.createTrial(spec.name))?.internal).toEqual({ x: 0.1 });
        const details = { entry: { internal: { x: 0.1 }, key: 'a', attempt: 3 }, entrySkipped: true };
        await store.finishTrial(spec.name, 0, {
          state: 'failed',
          error: { code: 'INTERRUPTED', message: 'x', details },
        });
        const current = await reopened(store);
        // The next entry, not the one given up, as a reopened store reads it too.
        expect((await current.createTrial(spec.name))?.internal).toEqual({ x: 0.2 });
        await current.close();
      });
    }

    if (!without.has('enqueue')) {
      it('hands out again, first, the entry of a trial that ended unrun (interrupted, or its worker died)', async () => {
        const store = await open();
        const enqueue = must(store.enqueue, 'enqueue').bind(store);
        const failed = (code: string) => ({ state: 'failed', error: { code, message: code } }) as const;
        await enqueue(spec.name, [
          { internal: { x: 0.1 }, key: 'a' },
          { internal: { x: 0.2 }, key: 'b' },
          { internal: { x: 0.3 } },
        ]);
        expect((await store.createTrial(spec.name))?.internal).toEqual({ x: 0.1 });
        expect((await store.createTrial(spec.name))?.internal).toEqual({ x: 0.2 });
        await store.setParams(spec.name, 0, { x: 0.1 });
        await store.finishTrial(spec.name, 0, failed('INTERRUPTED'));
        // A failure of the objective ran the entry: it is not handed out again.
        await store.finishTrial(spec.name, 1, failed('OBJECTIVE_THREW'));
        const current = await reopened(store);
        expect((await current.createTrial(spec.name))?.internal).toEqual({ x: 0.1 });
        await current.finishTrial(spec.name, 2, failed('STALE_TRIAL'));
        expect((await current.createTrial(spec.name))?.internal).toEqual({ x: 0.1 });
        await current.finishTrial(spec.name, 3, { state: 'complete', loss: 1 });
        expect((await current.createTrial(spec.name))?.internal).toEqual({ x: 0.3 });
        expect((await current.createTrial(spec.name))?.internal).toEqual({});
        // An added trial that ran a given-back entry (an import) takes it: it is not handed out again.
        if (current.addTrials !== undefined) {
          await current.enqueue?.(spec.name, [{ internal: { x: 0.4 }, key: 'd' }]);
          const taking = await current.createTrial(spec.name);
          expect(taking?.internal).toEqual({ x: 0.4 });
          await current.finishTrial(spec.name, taking?.number ?? -1, failed('INTERRUPTED'));
          await current.addTrials(spec.name, [
            { internal: { x: 0.4 }, outcome: { state: 'complete', loss: 2 }, key: 'd' },
          ]);
          expect((await current.createTrial(spec.name))?.internal).toEqual({});
        }
        // Its key stays known: queued once, whatever became of its trials.
        expect(
          await must(current.enqueue, 'enqueue').call(current, spec.name, [{ internal: { x: 0.1 }, key: 'a' }]),
        ).toBe(0);
        expect((await current.listTrials(spec.name)).slice(0, 6).map((trial) => trial.state)).toEqual([
          'failed',
          'failed',
          'failed',
          'complete',
          'running',
          'running',
        ]);
        await current.close();
      });
    }

    if (!without.has('enqueue') && !without.has('removeEnqueued')) {
      it('removes waiting entries by key or by values, all or none; a removed one is never handed out and its key stays queued', async () => {
        const store = await open();
        const enqueue = must(store.enqueue, 'enqueue').bind(store);
        const remove = must(store.removeEnqueued, 'removeEnqueued').bind(store);
        const interrupted = { state: 'failed', error: { code: 'INTERRUPTED', message: 'x' } } as const;
        await enqueue(spec.name, [
          { internal: { x: 0.1 }, key: 'a' },
          { internal: { x: 0.2 } },
          { internal: { x: 0.3 }, key: 'c' },
          { internal: { x: 0.2 } },
          { internal: { x: 0.5 }, key: 'e' },
          { internal: { x: 0.6 }, key: 'f' },
        ]);
        // A second handle on the same data (another worker), open while entries are removed.
        const other = await options.reopen?.(store);
        await other?.openStudy(spec);
        expect((await store.createTrial(spec.name))?.internal).toEqual({ x: 0.1 });
        // `a` is taken (trial 0 runs it) and `zz` was never queued: nothing is removed, `c` waits on.
        expect(await remove(spec.name, [{ key: 'c' }, { key: 'a' }, { key: 'zz' }])).toEqual({
          removed: [],
          missing: [1, 2],
        });
        // By values: every waiting entry with exactly those values; by key: the entry of that key.
        expect(await remove(spec.name, [{ internal: { x: 0.2 } }, { key: 'c' }])).toEqual({
          removed: [{ internal: { x: 0.2 } }, { internal: { x: 0.3 }, key: 'c' }, { internal: { x: 0.2 } }],
          missing: [],
        });
        // Given back (its trial ended unrun), `a` waits again, first, and can be removed; once removed, it is missing.
        await store.finishTrial(spec.name, 0, interrupted);
        expect(await remove(spec.name, [{ key: 'a' }])).toEqual({
          removed: [{ internal: { x: 0.1 }, key: 'a' }],
          missing: [],
        });
        expect(await remove(spec.name, [{ key: 'a' }])).toEqual({ removed: [], missing: [0] });
        expect(await remove(spec.name, [{ internal: { x: 0.2 } }])).toEqual({ removed: [], missing: [0] });
        // Their keys stay queued: queued again, nothing is.
        expect(
          await enqueue(spec.name, [
            { internal: { x: 0.9 }, key: 'a' },
            { internal: { x: 0.9 }, key: 'c' },
          ]),
        ).toBe(0);
        // The other worker hands out only what still waits.
        if (other !== undefined) {
          expect((await other.createTrial(spec.name))?.internal).toEqual({ x: 0.5 });
          await other.close();
        }
        const current = await reopened(store);
        expect(await current.listEnqueued?.(spec.name)).toEqual(
          other === undefined
            ? [
                { internal: { x: 0.5 }, key: 'e' },
                { internal: { x: 0.6 }, key: 'f' },
              ]
            : [{ internal: { x: 0.6 }, key: 'f' }],
        );
        if (other === undefined) expect((await current.createTrial(spec.name))?.internal).toEqual({ x: 0.5 });
        expect((await current.createTrial(spec.name))?.internal).toEqual({ x: 0.6 });
        expect(await current.createTrial(spec.name, { onlyEnqueued: true })).toBeUndefined();
        expect((await current.createTrial(spec.name))?.internal).toEqual({});
        // An added trial that ran a removed key's params takes nothing: the removed entry is no trial's.
        await current.addTrials?.(spec.name, [
          { internal: { x: 0.3 }, outcome: { state: 'complete', loss: 1 }, key: 'c' },
        ]);
        expect(await current.listTakenEntries?.(spec.name)).toEqual(
          current.listTakenEntries === undefined
            ? undefined
            : [
                { trial: 1, internal: { x: 0.5 }, key: 'e' },
                { trial: 2, internal: { x: 0.6 }, key: 'f' },
              ],
        );
        await current.close();
      });
    }

    if (!without.has('enqueue') && !without.has('removeEnqueued') && !without.has('listRemovedEntries')) {
      it('lists the entries taken out of the queue, in the order they were queued, with their keys', async () => {
        const store = await open();
        const enqueue = must(store.enqueue, 'enqueue').bind(store);
        const remove = must(store.removeEnqueued, 'removeEnqueued').bind(store);
        const removedOf = (from: TrialStore) =>
          must(from.listRemovedEntries, 'listRemovedEntries').call(from, spec.name);
        await enqueue(spec.name, [
          { internal: { x: 0.1 }, key: 'a' },
          { internal: { x: 0.2 } },
          { internal: { x: 0.3 }, key: 'c' },
          { internal: { x: 0.4 }, key: 'd' },
        ]);
        expect(await removedOf(store)).toEqual([]);
        expect((await store.createTrial(spec.name))?.internal).toEqual({ x: 0.1 });
        await remove(spec.name, [{ key: 'c' }, { internal: { x: 0.2 } }]);
        expect(await removedOf(store)).toEqual([{ internal: { x: 0.2 } }, { internal: { x: 0.3 }, key: 'c' }]);
        // Given back (its trial ended unrun), then removed: listed in its place in the queue, first.
        await store.finishTrial(spec.name, 0, { state: 'failed', error: { code: 'INTERRUPTED', message: 'x' } });
        await remove(spec.name, [{ key: 'a' }]);
        const current = await reopened(store);
        expect(await removedOf(current)).toEqual([
          { internal: { x: 0.1 }, key: 'a' },
          { internal: { x: 0.2 } },
          { internal: { x: 0.3 }, key: 'c' },
        ]);
        // Neither a waiting entry nor one a trial took is listed.
        expect((await current.createTrial(spec.name))?.internal).toEqual({ x: 0.4 });
        expect(await removedOf(current)).toHaveLength(3);
        await current.close();
      });
    }

    if (!without.has('enqueue') && !without.has('addTrials')) {
      it("records an added trial's key as queued and taken: that entry is neither queued again nor handed out", async () => {
        const store = await open();
        const enqueue = must(store.enqueue, 'enqueue').bind(store);
        // Two entries already waiting: the one whose key an added trial names is taken by it.
        expect(
          await enqueue(spec.name, [
            { internal: { x: 0.7 }, key: 'w' },
            { internal: { x: 0.8 }, key: 'v' },
          ]),
        ).toBe(2);
        const added = await must(store.addTrials, 'addTrials').call(store, spec.name, [
          { internal: { x: 0.1 }, outcome: { state: 'complete', loss: 1 }, key: 'a' },
          { internal: { x: 0.7 }, outcome: { state: 'complete', loss: 2 }, key: 'w' },
          { internal: { x: 0.1 }, outcome: { state: 'failed', error: { code: 'X', message: 'x' } }, key: 'b' },
        ]);
        expect(added.map((trial) => trial.number)).toEqual([0, 1, 2]);
        expect(
          await enqueue(spec.name, [
            { internal: { x: 0.1 }, key: 'a' },
            { internal: { x: 0.3 }, key: 'c' },
            { internal: { x: 0.1 }, key: 'b' },
            { internal: { x: 0.7 }, key: 'w' },
          ]),
        ).toBe(1);
        expect((await store.createTrial(spec.name))?.internal).toEqual({ x: 0.8 });
        expect((await store.createTrial(spec.name))?.internal).toEqual({ x: 0.3 });
        expect((await store.createTrial(spec.name))?.internal).toEqual({});
        await store.close();
        // Kept: another store over the same data knows both keys.
        const again = await options.reopen?.(store);
        if (again !== undefined) {
          await again.openStudy(spec);
          const keys = ['a', 'b'].map((key) => ({ internal: { x: 0.1 }, key }));
          const queued = await must(again.enqueue, 'enqueue').call(again, spec.name, keys);
          await again.close();
          expect(queued).toBe(0);
        }
      });
    }

    if (!without.has('listTrialsSince')) {
      it('lists every trial, then only those created or changed since the cursor, in number order', async () => {
        const store = await open();
        const since = must(store.listTrialsSince, 'listTrialsSince').bind(store);
        for (let i = 0; i < 3; i++) await store.createTrial(spec.name);
        await store.finishTrial(spec.name, 0, { state: 'complete', loss: 1 });
        const first = await since(spec.name);
        expect(first.trials.map((trial) => [trial.number, trial.state])).toEqual([
          [0, 'complete'],
          [1, 'running'],
          [2, 'running'],
        ]);
        expect((await since(spec.name, first.cursor)).trials).toEqual([]);
        await store.finishTrial(spec.name, 2, { state: 'failed', error: { code: 'X', message: 'x' } });
        await store.setParams(spec.name, 1, { x: 0.5 });
        await store.createTrial(spec.name);
        const next = await since(spec.name, first.cursor);
        expect(next.trials.map((trial) => [trial.number, trial.state])).toEqual([
          [1, 'running'],
          [2, 'failed'],
          [3, 'running'],
        ]);
        expect(next.trials[0]?.internal).toEqual({ x: 0.5 });
        expect((await since(spec.name, next.cursor)).trials).toEqual([]);
        if (options.reopen !== undefined) {
          // Another store over the same data (another worker) sees this one's writes after its cursor.
          const other = await options.reopen(store);
          const seen = must(other.listTrialsSince, 'listTrialsSince').bind(other);
          const before = await seen(spec.name);
          expect(before.trials).toHaveLength(4);
          await store.finishTrial(spec.name, 3, { state: 'complete', loss: 2 });
          expect((await seen(spec.name, before.cursor)).trials).toMatchObject([
            { number: 3, state: 'complete', loss: 2 },
          ]);
          await other.close();
        }
        await store.close();
      });
    }

    if (!without.has('addTrials')) {
      it('adds finished trials with the next numbers, in one piece', async () => {
        const store = await open();
        const addTrials = must(store.addTrials, 'addTrials').bind(store);
        await store.createTrial(spec.name);
        const added = await addTrials(spec.name, [
          {
            internal: { x: 0.2 },
            outcome: { state: 'complete', loss: 1.5, attrs: { source: 'csv' } },
            startedAt: '2020-01-01T00:00:00.000Z',
            finishedAt: '2020-01-01T00:01:00.000Z',
          },
          {
            internal: { x: 0.4 },
            outcome: { state: 'pruned', loss: 2, attrs: { epochs: 1 } },
            intermediate: [{ step: 0, value: 2 }],
          },
          { internal: { x: 0.6 }, outcome: { state: 'failed', error: { code: 'IMPORTED', message: 'failed before' } } },
        ]);
        expect(added.map((trial) => trial.number)).toEqual([1, 2, 3]);
        const trials = await store.listTrials(spec.name);
        expect(trials[1]).toMatchObject({
          state: 'complete',
          loss: 1.5,
          internal: { x: 0.2 },
          attrs: { source: 'csv' },
          startedAt: '2020-01-01T00:00:00.000Z',
          finishedAt: '2020-01-01T00:01:00.000Z',
        });
        expect(trials[2]).toMatchObject({
          state: 'pruned',
          loss: 2,
          attrs: { epochs: 1 },
          intermediate: [{ step: 0, value: 2 }],
        });
        expect(trials[3]).toMatchObject({ state: 'failed', error: { code: 'IMPORTED' } });
        expect((await store.createTrial(spec.name))?.number).toBe(4);
        expect(await addTrials(spec.name, [])).toEqual([]);
        await store.close();
      });
    }
    if (!without.has('addTrials') && !without.has('refuseRepeats')) {
      it('with refuseRepeats, refuses a batch every trial of which the study has, in the same step as the add: two at once add it once', async () => {
        const store = await open();
        const addTrials = must(store.addTrials, 'addTrials').bind(store);
        const batch = [
          { internal: { x: 0.2 }, outcome: { state: 'complete' as const, loss: 1.5 } },
          {
            internal: { x: 0.4 },
            outcome: { state: 'failed' as const, error: { code: 'OOM', message: 'out of memory' } },
          },
        ];
        // Two importers at once, the second through another handle when the store has one (another process).
        const other = options.reopen === undefined ? store : await options.reopen(store);
        if (other !== store) await other.openStudy(spec);
        const otherAdd = must(other.addTrials, 'addTrials').bind(other);
        const both = await Promise.allSettled([
          addTrials(spec.name, batch, { refuseRepeats: true }),
          otherAdd(spec.name, batch, { refuseRepeats: true }),
        ]);
        expect(
          both.filter((result) => result.status === 'fulfilled'),
          REFUSE,
        ).toHaveLength(1);
        const refusal = both.find((result) => result.status === 'rejected') as PromiseRejectedResult | undefined;
        expect(refusal?.reason).toMatchObject({ code: 'IMPORT_REPEATED' });
        expect(await store.listTrials(spec.name)).toHaveLength(2);
        // A batch with one new trial is added whole; so is a repeat without the option.
        const more = [...batch, { internal: { x: 0.9 }, outcome: { state: 'complete' as const, loss: 2 } }];
        expect(await addTrials(spec.name, more, { refuseRepeats: true })).toHaveLength(3);
        expect(await addTrials(spec.name, batch)).toHaveLength(2);
        // A failed trial of another error is not the same trial.
        const otherError = [
          { internal: { x: 0.4 }, outcome: { state: 'failed' as const, error: { code: 'OOM', message: 'other' } } },
        ];
        expect(await addTrials(spec.name, otherError, { refuseRepeats: true })).toHaveLength(1);
        expect(await store.listTrials(spec.name)).toHaveLength(8);
        if (other !== store) await other.close();
        await store.close();
      });

      it('with refuseRepeats, judges a trial given both its times by them too: a copy is refused, the same result at other times added, two at once once', async () => {
        const store = await open();
        const addTrials = must(store.addTrials, 'addTrials').bind(store);
        const at = (minute: number) => ({
          startedAt: `2026-12-05T10:${String(minute).padStart(2, '0')}:00.000Z`,
          finishedAt: `2026-12-05T10:${String(minute).padStart(2, '0')}:30.000Z`,
        });
        const row = (minute: number) => ({
          internal: { x: 0.2 },
          outcome: { state: 'complete' as const, loss: 1.5 },
          ...at(minute),
        });
        expect(await addTrials(spec.name, [row(1)], { refuseRepeats: true })).toHaveLength(1);
        // The same result at other times: a new evaluation (a deterministic objective run again), added.
        expect(await addTrials(spec.name, [row(2)], { refuseRepeats: true })).toHaveLength(1);
        // A copy (its times too, written without milliseconds): refused, nothing added.
        const copy = { ...row(1), startedAt: '2026-12-05T10:01:00Z', finishedAt: '2026-12-05T10:01:30Z' };
        // Settled first, so that a store that adds it fails with the hint (review 135: `.rejects` lost it).
        const refused = await addTrials(spec.name, [copy], { refuseRepeats: true }).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(refused, REFUSE).toMatchObject({ code: 'IMPORT_REPEATED' });
        // Two imports of one timed file at once, through two handles where the store has them: added once.
        const other = options.reopen === undefined ? store : await options.reopen(store);
        if (other !== store) await other.openStudy(spec);
        const otherAdd = must(other.addTrials, 'addTrials').bind(other);
        const file = [row(3), row(4)];
        const both = await Promise.allSettled([
          addTrials(spec.name, file, { refuseRepeats: true }),
          otherAdd(spec.name, file, { refuseRepeats: true }),
        ]);
        expect(
          both.filter((result) => result.status === 'fulfilled'),
          REFUSE,
        ).toHaveLength(1);
        expect(both.find((result) => result.status === 'rejected')).toMatchObject({
          reason: { code: 'IMPORT_REPEATED' },
        });
        expect(await store.listTrials(spec.name)).toHaveLength(4);
        if (other !== store) await other.close();
        await store.close();
      });
    }
    if (!without.has('addTrials') && !without.has('skipRepeats')) {
      it('with skipRepeats, leaves out the trials the study has (whatever their times) and adds the others, in row order', async () => {
        const store = await open();
        expect(store.skipRepeats, SKIP).toBe(true);
        const addTrials = must(store.addTrials, 'addTrials').bind(store);
        const complete = { internal: { x: 0.2 }, outcome: { state: 'complete' as const, loss: 1.5 } };
        const failed = {
          internal: { x: 0.4 },
          outcome: { state: 'failed' as const, error: { code: 'OOM', message: 'out of memory' } },
        };
        expect(await addTrials(spec.name, [complete, failed], { skipRepeats: true })).toHaveLength(2);
        // A running trial of the same params is no repeat: it has no result yet.
        const running = await store.createTrial(spec.name);
        await store.setParams(spec.name, running?.number ?? -1, { x: 0.7 });
        const batch = [
          { ...complete, startedAt: '2020-01-01T00:00:00.000Z', finishedAt: '2020-01-01T00:01:00.000Z' },
          { internal: { x: 0.7 }, outcome: { state: 'complete' as const, loss: 3 } },
          { internal: { x: 0.2 }, outcome: { state: 'complete' as const, loss: 2 } },
          { ...failed, outcome: { ...failed.outcome, error: { code: 'OOM', message: 'other' } } },
          failed,
          { internal: { x: 0.7 }, outcome: { state: 'complete' as const, loss: 3 } },
        ];
        const added = await addTrials(spec.name, batch, { skipRepeats: true });
        expect(
          added.map((trial) => [trial.number, trial.internal, trial.state === 'complete' ? trial.loss : 'failed']),
          SKIP,
        ).toEqual([
          [3, { x: 0.7 }, 3],
          [4, { x: 0.2 }, 2],
          [5, { x: 0.4 }, 'failed'],
          [6, { x: 0.7 }, 3],
        ]);
        // The caller tells the rows left out by what was added.
        expect(leftOutRepeats('test', batch, added)).toEqual([0, 4]);
        // Nothing but repeats: nothing added, no error, no number used.
        expect(await addTrials(spec.name, [failed, complete], { skipRepeats: true })).toEqual([]);
        expect(await store.listTrials(spec.name)).toHaveLength(7);
        expect((await store.createTrial(spec.name))?.number).toBe(7);
        await store.close();
      });

      it('with skipRepeats, two imports that share rows, at the same moment through two handles, add each row once', async () => {
        const store = await open();
        const addTrials = must(store.addTrials, 'addTrials').bind(store);
        // Two importers at once, the second through another handle when the store has one (another process).
        const other = options.reopen === undefined ? store : await options.reopen(store);
        if (other !== store) await other.openStudy(spec);
        const otherAdd = must(other.addTrials, 'addTrials').bind(other);
        const row = (x: number) => ({ internal: { x }, outcome: { state: 'complete' as const, loss: x * 10 } });
        for (const round of [0, 1, 2]) {
          // Files of six rows that share four: each one's two rows of its own, and the four shared, are added once.
          const at = (i: number) => round / 10 + i / 100;
          const first = [0, 1, 2, 3, 4, 5].map((i) => row(at(i)));
          const second = [2, 3, 4, 5, 6, 7].map((i) => row(at(i)));
          const [one, two] = await Promise.all([
            addTrials(spec.name, first, { skipRepeats: true }),
            otherAdd(spec.name, second, { skipRepeats: true }),
          ]);
          expect(one.length + two.length, SKIP).toBe(8);
          expect(leftOutRepeats('test', first, one).length + leftOutRepeats('test', second, two).length).toBe(4);
        }
        const trials = await store.listTrials(spec.name);
        const xs = trials.map((trial) => trial.internal.x as number);
        expect(new Set(xs).size, SKIP).toBe(xs.length);
        expect(trials).toHaveLength(24);
        if (other !== store) await other.close();
        await store.close();
      });
    }
    if (!without.has('addTrials')) {
      it('adds all or none: a batch whose last trial cannot be saved leaves no trial and no key taken', async () => {
        const store = await open();
        const addTrials = must(store.addTrials, 'addTrials').bind(store);
        // A BigInt is no JSON: a store that saves JSON fails on it, after the batch's first trial is written
        // (a store that keeps values as they are may take the whole batch: all is allowed too).
        const batch = [
          { internal: { x: 0.2 }, outcome: { state: 'complete' as const, loss: 1 }, key: 'first' },
          {
            internal: { x: 0.4 },
            outcome: { state: 'complete' as const, loss: 2, attrs: { big: 10n } },
            key: 'second',
          },
        ];
        const failed = await addTrials(spec.name, batch).then(
          () => false,
          () => true,
        );
        const trials = await store.listTrials(spec.name);
        expect(trials).toHaveLength(failed ? 0 : 2);
        if (store.enqueue !== undefined && !without.has('enqueue')) {
          // The keys are taken with their trials, or not at all.
          const queued = await store.enqueue(spec.name, [
            { internal: { x: 0.1 }, key: 'first' },
            { internal: { x: 0.3 }, key: 'second' },
          ]);
          expect(queued).toBe(failed ? 2 : 0);
        }
        // The store still works.
        expect((await store.createTrial(spec.name))?.number).toBe(failed ? 0 : 2);
        await store.close();
      });
    }

    if (!without.has('deleteStudy')) {
      it('deletes a study with all it holds, all or none; the other studies stay, and the name can be created anew', async () => {
        const store = await open();
        const remove = must(store.deleteStudy, 'deleteStudy').bind(store);
        const other: StudySpec = { ...spec, name: 'contract-kept' };
        await store.openStudy(other);
        await store.createTrial(other.name);
        await store.finishTrial(other.name, 0, { state: 'complete', loss: 5 });
        const queues = store.enqueue !== undefined && !without.has('enqueue');
        const lease = { owner: 'elsewhere:1:x', expiresAt: new Date(Date.now() + 60_000).toISOString() };
        for (let i = 0; i < 4; i++) await store.createTrial(spec.name, { lease });
        if (queues) await store.enqueue?.(spec.name, [{ internal: { x: 0.1 }, key: 'a' }, { internal: { x: 0.2 } }]);
        await store.finishTrial(spec.name, 0, { state: 'complete', loss: 1 });
        await store.finishTrial(spec.name, 1, { state: 'pruned', loss: 2 });
        await store.finishTrial(spec.name, 2, { state: 'failed', error: { code: 'OBJECTIVE_THREW', message: 'x' } });
        if (store.reportIntermediate !== undefined && !without.has('reportIntermediate'))
          await store.reportIntermediate(spec.name, 3, 0, 0.5);
        const trials = { complete: 1, pruned: 1, failed: 1, running: 1 };
        // A running trial `blocks` picks keeps the study, whole.
        const seen: number[] = [];
        const kept = await remove(spec.name, {
          blocks: (trial) => {
            seen.push(trial.number);
            return true;
          },
        });
        expect(seen).toEqual([3]);
        expect(kept).toMatchObject({ study: { name: spec.name }, trials });
        expect(kept.blocking.map((trial) => [trial.number, trial.state, trial.lease])).toEqual([[3, 'running', lease]]);
        expect(await store.listTrials(spec.name)).toHaveLength(4);
        if (queues) expect(await store.listEnqueued?.(spec.name)).toHaveLength(2);
        // Deleted: the study is gone, running trial and all; the other study is untouched.
        const deleted = await remove(spec.name, { blocks: () => false });
        expect(deleted).toMatchObject({ study: { name: spec.name, seed: spec.seed }, trials, blocking: [] });
        expect(await codeOf(store.getStudy(spec.name))).toBe('STUDY_NOT_FOUND');
        expect(await codeOf(store.listTrials(spec.name))).toBe('STUDY_NOT_FOUND');
        expect(await codeOf(store.createTrial(spec.name))).toBe('STUDY_NOT_FOUND');
        expect(await codeOf(remove(spec.name))).toBe('STUDY_NOT_FOUND');
        expect(await codeOf(remove('never-was'))).toBe('STUDY_NOT_FOUND');
        const studies = await store.listStudies?.();
        if (studies !== undefined) expect(studies.map((study) => study.name)).toEqual([other.name]);
        expect(await store.listTrials(other.name)).toMatchObject([{ number: 0, state: 'complete', loss: 5 }]);
        // Created anew: a new study, with none of the deleted one's trials, entries or queued keys.
        if (options.reopen !== undefined) await store.close();
        const current = (await options.reopen?.(store)) ?? store;
        expect(await codeOf(current.getStudy(spec.name))).toBe('STUDY_NOT_FOUND');
        const again = await current.openStudy({ ...spec, seed: 8 });
        expect(again.resumed).toBe(false);
        expect(again.study.seed).toBe(8);
        expect(await current.listTrials(spec.name)).toEqual([]);
        if (queues) {
          expect(await current.listEnqueued?.(spec.name)).toEqual([]);
          expect(await current.enqueue?.(spec.name, [{ internal: { x: 0.3 }, key: 'a' }])).toBe(1);
        }
        if (current.listTakenEntries !== undefined && !without.has('listTakenEntries'))
          expect(await current.listTakenEntries(spec.name)).toEqual([]);
        expect(await current.createTrial(spec.name)).toMatchObject({ number: 0, internal: queues ? { x: 0.3 } : {} });
        // Without options, running trials are deleted with it.
        expect(await current.deleteStudy?.(spec.name)).toMatchObject({
          trials: { complete: 0, pruned: 0, failed: 0, running: 1 },
          blocking: [],
        });
        await current.close();
      });
    }

    if (!without.has('deleteStudy')) {
      it('with onlyEmpty (a store whose deletesOnlyEmpty is true), deletes a study only while it holds no trial and no entry', async () => {
        const store = await open();
        if (store.deletesOnlyEmpty !== true) {
          await store.close();
          return;
        }
        const remove = must(store.deleteStudy, 'deleteStudy').bind(store);
        const none = { complete: 0, pruned: 0, failed: 0, running: 0 };
        // A trial of any state keeps it: a running one (unblocked), then finished.
        await store.openStudy(spec);
        await store.createTrial(spec.name);
        expect(await remove(spec.name, { onlyEmpty: true })).toMatchObject({
          trials: { ...none, running: 1 },
          blocking: [],
          notEmpty: true,
        });
        await store.finishTrial(spec.name, 0, { state: 'complete', loss: 1 });
        expect((await remove(spec.name, { onlyEmpty: true })).notEmpty).toBe(true);
        expect(await store.listTrials(spec.name)).toHaveLength(1);
        // An enqueued entry alone keeps it too.
        if (store.enqueue !== undefined && !without.has('enqueue')) {
          const queued: StudySpec = { ...spec, name: 'contract-queued' };
          await store.openStudy(queued);
          await store.enqueue(queued.name, [{ internal: { x: 0.1 }, key: 'k' }]);
          expect(await remove(queued.name, { onlyEmpty: true })).toMatchObject({ trials: none, notEmpty: true });
          expect(await store.listEnqueued?.(queued.name)).toHaveLength(1);
        }
        // An empty study is deleted.
        const empty: StudySpec = { ...spec, name: 'contract-empty' };
        await store.openStudy(empty);
        const deleted = await remove(empty.name, { onlyEmpty: true });
        expect(deleted).toMatchObject({ study: { name: empty.name }, trials: none, blocking: [] });
        expect(deleted.notEmpty).toBeUndefined();
        expect(await codeOf(store.getStudy(empty.name))).toBe('STUDY_NOT_FOUND');
        expect((await store.getStudy(spec.name)).name).toBe(spec.name);
        await store.close();
      });
    }

    if (options.reopen !== undefined && !without.has('deleteStudy')) {
      const reopen = options.reopen;
      it('tells another handle that used a deleted study it was deleted, and never writes to the study created anew in its name', async () => {
        const worker = await open();
        const lease = { owner: 'elsewhere:1:x', expiresAt: new Date(Date.now() + 60_000).toISOString() };
        await worker.createTrial(spec.name, { lease });
        await worker.createTrial(spec.name, { lease });
        expect(await worker.listTrials(spec.name)).toHaveLength(2);
        const other = await reopen(worker);
        await must(other.deleteStudy, 'deleteStudy').call(other, spec.name);
        const refused = async (call: Promise<unknown>, what: string) => {
          const error = await call.then(
            () => undefined,
            (thrown: { code?: string; message?: string }) => thrown,
          );
          expect(error?.code, `${what} of a study another handle deleted`).toBe('STUDY_NOT_FOUND');
          expect(error?.message, `${what}: the error says the study was deleted`).toMatch(/deleted/);
        };
        const calls = (when: string) => [
          refused(worker.finishTrial(spec.name, 0, { state: 'complete', loss: 1 }), `finishTrial ${when}`),
          refused(worker.setParams(spec.name, 1, { x: 0.5 }), `setParams ${when}`),
          refused(worker.renewLease(spec.name, 1, lease), `renewLease ${when}`),
          refused(worker.createTrial(spec.name, { lease }), `createTrial ${when}`),
          refused(worker.listTrials(spec.name), `listTrials ${when}`),
          refused(worker.getStudy(spec.name), `getStudy ${when}`),
          ...(worker.reportIntermediate === undefined || without.has('reportIntermediate')
            ? []
            : [refused(worker.reportIntermediate(spec.name, 1, 0, 0.5), `reportIntermediate ${when}`)]),
          ...(worker.enqueue === undefined || without.has('enqueue')
            ? []
            : [refused(worker.enqueue(spec.name, [{ internal: { x: 0.5 } }]), `enqueue ${when}`)]),
          ...(worker.listTrialsSince === undefined || without.has('listTrialsSince')
            ? []
            : [refused(worker.listTrialsSince(spec.name), `listTrialsSince ${when}`)]),
        ];
        for (const call of calls('once it is deleted')) await call;
        // Created anew by the other handle, with running trials of the same numbers: the first handle's calls
        // still name the deleted study, and write nothing to the new one.
        expect((await other.openStudy(spec)).resumed).toBe(false);
        await other.createTrial(spec.name, { lease });
        await other.createTrial(spec.name, { lease });
        for (const call of calls('once it is created anew')) await call;
        const fresh = await other.listTrials(spec.name);
        expect(fresh.map((trial) => [trial.number, trial.state, trial.internal])).toEqual([
          [0, 'running', {}],
          [1, 'running', {}],
        ]);
        if (other.listEnqueued !== undefined && !without.has('listEnqueued'))
          expect(await other.listEnqueued(spec.name)).toEqual([]);
        // Opened again, the first handle takes the new study.
        expect((await worker.openStudy(spec)).resumed).toBe(true);
        expect((await worker.createTrial(spec.name))?.number).toBe(2);
        expect(await worker.listTrials(spec.name)).toHaveLength(3);
        await other.close();
        await worker.close();
      });
    }

    if (options.reopen !== undefined) {
      const reopen = options.reopen;
      it('keeps everything across a reopen, and continues numbering', async () => {
        const store = await open();
        await store.createTrial(spec.name);
        await store.setParams(spec.name, 0, { x: 0.4 });
        await store.finishTrial(spec.name, 0, { state: 'complete', loss: 0.16 });
        await store.createTrial(spec.name);
        await store.close();
        const second = await reopen(store);
        const { resumed } = await second.openStudy(spec);
        expect(resumed).toBe(true);
        const trials = await second.listTrials(spec.name);
        expect(trials).toHaveLength(2);
        expect(trials[0]).toMatchObject({ state: 'complete', loss: 0.16, internal: { x: 0.4 } });
        expect(trials[1]?.state).toBe('running');
        expect((await second.createTrial(spec.name))?.number).toBe(2);
        await second.close();
      });

      it('shares one study between two stores open at once over the same data (workers)', async () => {
        const a = await open();
        const b = await reopen(a);
        expect((await b.openStudy(spec)).resumed).toBe(true);
        expect((await a.createTrial(spec.name))?.number).toBe(0);
        expect((await b.createTrial(spec.name))?.number).toBe(1);
        expect(await a.listTrials(spec.name)).toHaveLength(2);
        await b.setParams(spec.name, 0, { x: 0.5 });
        await b.finishTrial(spec.name, 0, { state: 'complete', loss: 2, attrs: { note: 'by b' } });
        const lease = { owner: 'elsewhere:1:x', expiresAt: new Date(Date.now() + 1000).toISOString() };
        await b.renewLease(spec.name, 1, lease);
        const seen = await a.listTrials(spec.name);
        expect(seen[0]).toMatchObject({
          state: 'complete',
          loss: 2,
          internal: { x: 0.5 },
          attrs: { note: 'by b' },
        });
        expect(seen[1]).toMatchObject({ state: 'running', lease });
        expect(await b.listTrials(spec.name)).toEqual(seen);
        await expect(a.finishTrial(spec.name, 0, { state: 'complete', loss: 3 })).rejects.toMatchObject({
          code: 'TRIAL_ALREADY_FINISHED',
        });
        await a.close();
        await b.close();
      });
    }
  });
};
