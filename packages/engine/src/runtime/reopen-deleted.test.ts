import { describe, expect, it } from 'vitest';
import { createMemoryStore, ownHandle } from '../builtins/memory-store.js';
import type { TrialStore } from '../contracts/store.js';
import type { StudySpec } from '../domain/study.js';
import { isStudyDeleted } from '../errors.js';
import { reopeningStore } from './reopen-deleted.js';

const spec: StudySpec = {
  name: 's',
  direction: 'minimize',
  seed: 1,
  space: { x: { type: 'uniform', low: 0, high: 1 } },
};

/** A memory store, a process's handle on it wrapped by reopeningStore, and the re-openings it told of. */
const setUp = async () => {
  const shared = createMemoryStore();
  const own = ownHandle(shared);
  const told: boolean[] = [];
  const store: TrialStore = reopeningStore(
    own,
    spec.name,
    () => own.openStudy(spec),
    (resumed) => told.push(resumed),
  );
  await store.openStudy(spec);
  return { shared, store, told };
};

describe('reopeningStore', () => {
  it('opens the study again, once, when it was taken out while this process had read it empty and written nothing', async () => {
    const { shared, store, told } = await setUp();
    expect(await store.listTrials(spec.name)).toEqual([]);
    await shared.deleteStudy?.(spec.name, { onlyEmpty: true });
    const trial = await store.createTrial(spec.name);
    expect(trial?.number).toBe(0);
    expect(told).toEqual([false]);
    // Once: a second deletion (forced, the trial with it) stands.
    await shared.deleteStudy?.(spec.name);
    const second = await store.listTrials(spec.name).catch((error: unknown) => error);
    expect(isStudyDeleted(second)).toBe(true);
    expect(told).toEqual([false]);
  });

  it('leaves the error when this process wrote to the study, or read it holding a trial', async () => {
    const wrote = await setUp();
    await wrote.store.createTrial(spec.name);
    await wrote.shared.deleteStudy?.(spec.name);
    expect(isStudyDeleted(await wrote.store.listTrials(spec.name).catch((error: unknown) => error))).toBe(true);
    expect(wrote.told).toEqual([]);
    const read = await setUp();
    await read.shared.createTrial(spec.name);
    expect(await read.store.listTrials(spec.name)).toHaveLength(1);
    await read.shared.deleteStudy?.(spec.name);
    expect(isStudyDeleted(await read.store.createTrial(spec.name).catch((error: unknown) => error))).toBe(true);
    expect(read.told).toEqual([]);
  });
});
